//! `recflow convert` (insta-cmd snapshots): both directions, writing to a file. That a converted
//! script behaves exactly like its source is in `convert/behaviour.rs`; how files are written
//! (atomic replace, permissions, FIFOs) is in `output.rs`.

mod behaviour;

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;

use crate::common::{recflow, recflow_in};

#[test]
fn convert_both_directions() {
    snap!({
        assert_cmd_snapshot!(
            "cli__convert_to_studio_json",
            recflow().args(["convert", "scripts/agent-only-on-decline.yaml", "--to", "studio-json"])
        );
        assert_cmd_snapshot!(
            "cli__convert_to_yaml",
            recflow().args(["convert", "scripts/studio-json/consent-gdpr.json", "--to", "yaml"])
        );
        // A Studio export: its layout and Studio's own fields as block YAML, only what a fresh
        // export would write differently (issue 25).
        assert_cmd_snapshot!(
            "cli__convert_studio_export_to_yaml",
            recflow().args(["convert", "tests/fixtures/studio/begin-menu-timeout.json", "--to", "yaml"])
        );
    });
}

#[test]
fn convert_to_a_file_is_atomic_and_equals_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/consent-gdpr.yaml");
    std::fs::copy(&src, dir.join("consent-gdpr.yaml")).unwrap();
    snap!(dir, {
        assert_cmd_snapshot!(
            "cli__convert_output_file",
            recflow_in(dir).args(["convert", "consent-gdpr.yaml", "--to", "studio-json", "-o", "out.json"])
        );
    });
    let out = dir.join("out.json");
    let stdout =
        recflow().args(["convert", "scripts/consent-gdpr.yaml", "--to", "studio-json"]).output().unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), stdout.stdout);
    // No temporary file is left beside the output.
    let mut names: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert_eq!(names, ["consent-gdpr.yaml", "out.json"]);
    // The written file converts back to the same YAML as the source.
    let back = recflow().args(["convert", "--to", "yaml"]).arg(&out).output().unwrap();
    let direct = recflow().args(["convert", "scripts/consent-gdpr.yaml", "--to", "yaml"]).output().unwrap();
    assert!(back.status.success());
    assert_eq!(String::from_utf8(back.stdout).unwrap(), String::from_utf8(direct.stdout).unwrap());
    // An output path that cannot be written is an error (exit 2), not a panic.
    let bad = recflow_in(dir)
        .args(["convert", "consent-gdpr.yaml", "--to", "yaml", "-o", "no/such/dir/x.yaml"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cannot write `no/such/dir/x.yaml`"));
}
