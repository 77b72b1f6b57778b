//! `recflow graph` across scripts (issue 13): the CLI draws a script that calls others with every
//! script it reaches as a cluster (the same text as the library's `to_dot_library`), a script
//! that calls nothing exactly as before, and `--heat` clusters each called copy. The drawing
//! itself (DOT / Mermaid snapshots, Graphviz) is tested in `tests/graph_clusters.rs`.

use std::path::{Path, PathBuf};

use recflow::library::{self, Options};
use recflow::report::graph::{to_dot, to_dot_library};

use crate::common::{repo, run_in};

fn example_dir() -> PathBuf {
    repo("scripts/tenant-consent-subscript")
}

fn main_library() -> library::Library {
    library::load(&example_dir().join("main.yaml"), &Options::default())
        .unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

#[test]
fn cli_draws_clusters_and_a_single_script_exactly_as_before() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, out, _) = run_in(&["graph", "scripts/tenant-consent-subscript/main.yaml"], root);
    assert_eq!(code, 0);
    assert_eq!(out, to_dot_library(&main_library()));
    // consent-gdpr calls nothing: the CLI output is the single-script drawing, no cluster.
    let gdpr = recflow::script::load_path(&root.join("scripts/consent-gdpr.yaml")).unwrap();
    let (code, out, _) = run_in(&["graph", "scripts/consent-gdpr.yaml"], root);
    assert_eq!(code, 0);
    assert_eq!(out, to_dot(&gdpr, &recflow::flow::Flow::new(&gdpr)));
    assert!(!out.contains("cluster_consent"));
}

#[test]
fn heat_clusters_each_called_copy_and_counts_traffic_into_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args =
        ["graph", "--heat", "--calls", "400", "--seed", "7", "scripts/tenant-consent-subscript/main.yaml"];
    let (code, dot, _) = run_in(&args, root);
    assert_eq!(code, 0);
    assert_eq!(dot.matches("subgraph \"cluster_p").count(), 2, "{dot}");
    assert!(dot.contains("consent (consent.yaml), copy 1"), "{dot}");
    // Every contact goes through the RUNSUB into the consent copy: 100% on its BEGIN.
    let consent_begin = dot.lines().find(|l| l.contains("consent:begin")).expect("consent BEGIN drawn");
    assert!(consent_begin.contains("100.0% of contacts"), "{consent_begin}");
    let mut margs = args.to_vec();
    margs.insert(1, "--format");
    margs.insert(2, "mermaid");
    let (code, m, _) = run_in(&margs, root);
    assert_eq!(code, 0);
    assert_eq!(m.matches("  subgraph p").count(), 2, "{m}");
    assert_eq!(m.matches("\n  end\n").count(), 2, "{m}");
}
