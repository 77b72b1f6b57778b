//! `recflow graph --heat`: node shares, edge shares and the recording state at each node.

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;
use recflow::model::{Tenant, Traffic};
use recflow::sim::Compiled;

use crate::common::recflow;

#[test]
fn heat_graph_snapshots() {
    snap!({
        // DONOTRECORD after answer: the heat shows it runs while the policy records.
        assert_cmd_snapshot!(
            "diff__heat_dnr_after_answer_dot",
            recflow().args(["graph", "scripts/mistake-dnr-after-answer.yaml", "--heat", "--calls", "300"])
        );
        assert_cmd_snapshot!(
            "diff__heat_consent_gdpr_mermaid",
            recflow().args([
                "graph",
                "scripts/consent-gdpr.yaml",
                "--heat",
                "--calls",
                "300",
                "--format",
                "mermaid"
            ])
        );
    });
}

#[test]
fn heat_counts_agree_with_the_simulation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = recflow::script::load_path(&root.join("scripts/consent-gdpr.yaml")).expect("loads");
    let traffic = Traffic { calls: 500, ..Traffic::default() };
    let program = Compiled::compile(&script, &Tenant::default(), &traffic);
    let heat = recflow::report::heat::collect(&script, &program);
    let report = recflow::sim::simulate(&program, 500, |_| {});
    let ix = |id: &str| script.find(id).expect("action").index();
    assert_eq!(heat.visited[ix("begin")], 500);
    assert_eq!(heat.visited[ix("dnr")], report.dnr, "every DONOTRECORD run sets DNR");
    assert_eq!(
        heat.visited[ix("dnr")] + heat.visited[ix("record")],
        500,
        "the consent MENU always answers one way"
    );
    // Edge consent → dnr (branches "2" and default) carries exactly the decliners.
    assert_eq!(heat.edges[&(ix("consent") as u32, ix("dnr") as u32)], report.dnr);
    // At REQAGENT, the IVR recording started by LOGRECORDINGPRO (R4) is active for the
    // contacts that accepted, and nothing records those that declined.
    let q = heat.state[ix("queue")];
    assert_eq!(q[1], heat.visited[ix("record")], "studio");
    assert_eq!(q[0], report.dnr, "none");
    // Any number of threads, same heat.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| recflow::report::heat::collect(&script, &program));
    assert_eq!(one, heat);
}

/// A wired branch no contact took is its own dashed edge, named, with `0 contacts` — even when
/// another branch to the same target was taken (consent-gdpr: `2` and `default` both lead to
/// `dnr`); the HTML report draws it dashed too.
#[test]
fn unexercised_branches_are_drawn_apart_and_dashed() {
    let t = crate::common::sim::consent_digits_only_traffic();
    let tp = t.path().to_str().unwrap();
    let (code, out, err) = crate::common::run(&[
        "graph",
        "scripts/consent-gdpr.yaml",
        "--heat",
        "--traffic",
        tp,
        "--format",
        "mermaid",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(r#"a1 -.->|"default: 0 contacts"| a2"#), "{out}");
    assert!(out.contains(r#"a1 -->|"2: "#), "{out}");
    let (_, dot, _) = crate::common::run(&["graph", "scripts/consent-gdpr.yaml", "--heat", "--traffic", tp]);
    assert!(dot.contains(r#"a1 -> a2 [label="default: 0 contacts", penwidth=1.0, style=dashed"#), "{dot}");
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    let (code, _, err) = crate::common::run(&[
        "report",
        "scripts/mistake-consent-leak.yaml",
        "scripts/consent-gdpr.yaml",
        "--traffic",
        tp,
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains(r#"class="edge unexercised""#), "dashed edges in the graphs");
    assert!(page.contains("Not exercised by this traffic"), "the diff headline says so");
}
