//! Issue 19 point 8: every example script does what its header says. Its `Expected lint:` header
//! line goes on with `Expected findings: a, b under --traffic examples/T.yaml` (or `none under
//! the default traffic`); this runs exactly that model (`recflow simulate scripts/X.yaml
//! --traffic examples/T.yaml`) and compares the set of finding kinds with at least one contact.

mod common;

use std::collections::BTreeSet;

use recflow::model::{Tenant, Traffic};
use recflow::sim::{self, Compiled};

/// `(traffic file, expected finding names)` from a script's header comments: `Expected
/// findings: a, b under --traffic examples/T.yaml` (or `none under the default traffic`).
fn header(text: &str) -> (Option<String>, BTreeSet<String>) {
    let line = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.split_once("Expected findings: ").map(|(_, rest)| rest))
        .expect("an `Expected findings:` header comment");
    let (list, under) =
        line.split_once(" under ").expect("`under --traffic F` or `under the default traffic`");
    let traffic = under.strip_prefix("--traffic ").map(|t| t.trim_end_matches('.').to_string());
    let expected = if list == "none" {
        BTreeSet::new()
    } else {
        list.split(',').map(|s| s.trim().to_string()).collect()
    };
    (traffic, expected)
}

#[test]
fn every_example_shows_the_findings_its_header_promises() {
    let mut failures = Vec::new();
    let examples = common::yaml_examples();
    assert!(examples.len() >= 10, "{examples:?}");
    let mut promised = 0;
    for path in examples {
        let text = std::fs::read_to_string(&path).unwrap();
        let (traffic_file, expected) = header(&text);
        let script = recflow::script::load_path(&path).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
        let traffic = match &traffic_file {
            Some(t) => {
                recflow::model::traffic::load_traffic_with_warnings(&common::repo(t), &script)
                    .unwrap_or_else(|e| panic!("{t}: {e:?}"))
                    .0
            }
            None => Traffic::default(),
        };
        let p = Compiled::compile(&script, &Tenant::default(), &traffic);
        let r = sim::simulate(&p, traffic.calls, |_| {});
        let seen: BTreeSet<String> = sim::findings::KINDS
            .iter()
            .filter(|k| r.findings.get(k.finding) > 0)
            .map(|k| k.name.to_string())
            .collect();
        promised += expected.len();
        if seen != expected {
            failures.push(format!(
                "{} (traffic {traffic_file:?}): header promises {expected:?}, simulate shows {seen:?}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(promised >= 5, "the mistake examples promise findings");
}
