//! `recflow graph` (insta-cmd snapshots: exit status, stdout, stderr), its help, and a walk over
//! every file in `scripts/` (graph in both formats, convert to both targets, the converted text
//! drawn again) so new examples are covered automatically. `--heat` is in `graph/heat.rs`.

mod clusters;
mod heat;

use insta_cmd::assert_cmd_snapshot;

use crate::common::{example_scripts, recflow};

#[test]
fn graph_dot_and_mermaid() {
    snap!({
        assert_cmd_snapshot!("cli__graph_dot", recflow().args(["graph", "scripts/consent-policies.yaml"]));
        assert_cmd_snapshot!(
            "cli__graph_mermaid_studio_json",
            recflow().args(["graph", "scripts/studio-json/consent-gdpr.json", "--format", "mermaid"])
        );
    });
}

#[test]
fn help_teaches_with_examples() {
    snap!({
        assert_cmd_snapshot!("cli__graph_help", recflow().args(["graph", "--help"]));
        assert_cmd_snapshot!("cli__convert_help", recflow().args(["convert", "--help"]));
    });
}

/// `graph` (both formats) and `convert` (both targets) work on every file in `scripts/`, and
/// the converted text is accepted again by `graph`.
#[test]
fn graph_and_convert_work_on_every_example() {
    let files = example_scripts();
    assert!(files.len() >= 12, "{files:?}");
    let tmp = tempfile::tempdir().unwrap();
    for f in &files {
        for args in [
            ["graph", "--format", "dot"],
            ["graph", "--format", "mermaid"],
            ["convert", "--to", "yaml"],
            ["convert", "--to", "studio-json"],
        ] {
            let out = recflow().args(args).arg(f).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{args:?} {}: {err}", f.display());
            assert!(err.is_empty(), "{args:?} {}: unexpected stderr {err}", f.display());
            assert!(!out.stdout.is_empty());
            if args[0] == "convert" {
                let ext = if args[2] == "yaml" { "yaml" } else { "json" };
                // A folder of its own per converted file; scripts it calls are still found in
                // the source's folder through `--scripts`.
                let dir = tempfile::tempdir_in(tmp.path()).unwrap();
                let conv = dir.path().join(format!("{}.{ext}", f.file_stem().unwrap().to_string_lossy()));
                std::fs::write(&conv, &out.stdout).unwrap();
                let again = recflow()
                    .args(["graph", "--scripts"])
                    .arg(f.parent().unwrap())
                    .arg(&conv)
                    .output()
                    .unwrap();
                assert!(
                    again.status.success(),
                    "{}: {}",
                    conv.display(),
                    String::from_utf8_lossy(&again.stderr)
                );
                let orig = recflow().args(["graph"]).arg(f).output().unwrap();
                assert_eq!(again.stdout, orig.stdout, "converted {} draws differently", f.display());
            }
        }
    }
}
