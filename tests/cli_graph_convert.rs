//! CLI tests for `recflow graph` and `recflow convert` (insta-cmd snapshots: exit status,
//! stdout, stderr), load errors (exit 2 with file:line:column), and a walk over every file in
//! `scripts/` so new examples are covered automatically.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

fn recflow() -> Command {
    let mut c = Command::new(get_cargo_bin("recflow"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env("NO_COLOR", "1");
    c
}

/// Regex matching a literal path (insta filters are regexes).
fn literal(path: &Path) -> String {
    path.display()
        .to_string()
        .chars()
        .flat_map(|c| if "\\.+*?()|[]{}^$#&-~".contains(c) { vec!['\\', c] } else { vec![c] })
        .collect()
}

macro_rules! snap {
    ($tmp:expr, $body:block) => {{
        let filters = vec![(literal($tmp).leak() as &str, "[TEMP]")];
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            filters => filters,
        }, $body);
    }};
    ($body:block) => {{
        insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, $body);
    }};
}

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
    });
}

/// `recflow` run inside `dir`, so that snapshots show relative paths only.
fn recflow_in(dir: &Path) -> Command {
    let mut c = recflow();
    c.current_dir(dir);
    c
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

#[test]
fn load_errors_exit_2_with_file_line_column() {
    let tmp = tempfile::tempdir().unwrap();
    let bad_json = tmp.path().join("broken.json");
    std::fs::write(
        &bad_json,
        "{\n  \"header\": {\"scriptName\": \"broken\"},\n  \"actions\": {\n    \"1\": {\"actionId\": \"1\", \"name\": \"BEGIN\"}\n    \"2\": {\"actionId\": \"2\", \"name\": \"END\"}\n  }\n}\n",
    )
    .unwrap();
    let dangling = tmp.path().join("dangling.json");
    std::fs::write(
        &dangling,
        r#"{"header": {"scriptName": "dangling"},
 "actions": {"1": {"actionId": "1", "name": "BEGIN"}},
 "branches": {"1": [{"to": "7", "label": "Default", "type": "default", "index": 0}]}}
"#,
    )
    .unwrap();
    let bad_yaml = tmp.path().join("bad.yaml");
    std::fs::write(&bad_yaml, "script: bad\nactions:\n  - id: begin\n    type: BEGIN\n    next: nowhere\n")
        .unwrap();
    let dir = tmp.path();
    snap!(dir, {
        assert_cmd_snapshot!("cli__load_error_json_syntax", recflow_in(dir).args(["graph", "broken.json"]));
        assert_cmd_snapshot!(
            "cli__load_error_json_dangling",
            recflow_in(dir).args(["convert", "--to", "yaml", "dangling.json"])
        );
        assert_cmd_snapshot!(
            "cli__load_error_yaml",
            recflow_in(dir).args(["convert", "--to", "studio-json", "bad.yaml"])
        );
        assert_cmd_snapshot!("cli__load_error_missing_file", recflow_in(dir).args(["graph", "nope.yaml"]));
    });
    for (f, loc) in
        [(&bad_json, "broken.json:5:5"), (&dangling, "dangling.json:3:28"), (&bad_yaml, "bad.yaml:5:11")]
    {
        let out = recflow().args(["graph"]).arg(f).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(loc), "expected {loc} in:\n{err}");
    }
}

#[test]
fn bad_usage_exits_2() {
    let out = recflow().args(["convert", "scripts/consent-gdpr.yaml", "--to", "xml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = recflow().args(["graph", "scripts/consent-gdpr.yaml", "--format", "png"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_teaches_with_examples() {
    snap!({
        assert_cmd_snapshot!("cli__graph_help", recflow().args(["graph", "--help"]));
        assert_cmd_snapshot!("cli__convert_help", recflow().args(["convert", "--help"]));
    });
}

fn every_script() -> Vec<PathBuf> {
    common::example_scripts()
}

/// `graph` (both formats) and `convert` (both targets) work on every file in `scripts/`, and
/// the converted text is accepted again by `graph`.
#[test]
fn graph_and_convert_work_on_every_example() {
    let files = every_script();
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
