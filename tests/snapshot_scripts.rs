//! The committed recording snapshots of the `scripts/` examples (`snapshots/scripts/*.yaml`)
//! match what recflow computes now — the same check as
//! `recflow snapshot scripts/*.yaml --check` in CI.

mod common;

use std::path::Path;

use recflow::model::{Tenant, Traffic};
use recflow::sim::Compiled;
use recflow::snapshot::{self, Check, Fingerprint};

#[test]
fn example_scripts_match_their_committed_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scripts = common::yaml_examples();
    assert!(scripts.len() >= 5, "example scripts: {}", scripts.len());
    let (tenant, traffic) = (Tenant::default(), Traffic::default());
    let fp = Fingerprint::of(&tenant, &traffic);
    let mut failures = Vec::new();
    for path in &scripts {
        let rel = format!("scripts/{}", path.file_name().unwrap().to_string_lossy());
        let script =
            recflow::script::load_path(path).unwrap_or_else(|e| panic!("{rel}: {}", e.render_plain(100)));
        let text = snapshot::render(&Compiled::compile(&script, &tenant, &traffic), &fp);
        let target = snapshot::path_for(&root.join(snapshot::DEFAULT_DIR), path);
        match snapshot::check(&target, &text).expect("readable") {
            Check::Same => {}
            Check::Missing => failures.push(format!("{rel}: no committed snapshot")),
            Check::Changed { diff } => failures.push(format!("{rel}: recording outcomes changed\n{diff}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\nReview the changes; if they are intended, accept them with:\n  recflow snapshot scripts/*.yaml --accept\n(or: cargo run -- snapshot scripts/*.yaml --accept)",
        failures.join("\n")
    );
}
