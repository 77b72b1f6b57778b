//! What every command does with bad input: a script that does not load is exit 2 with
//! file:line:column on stderr and nothing on stdout (and lint never says "ok" then); a bad flag
//! value is a usage error, exit 2; `--help` into a full disk is an error, not a success.

use insta_cmd::assert_cmd_snapshot;

use crate::common::{output, recflow, recflow_in};

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
fn lint_of_an_unreadable_file_never_says_ok() {
    let o = output(&["lint", "does/not/exist.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains("ok:"), "{out}");
    assert!(out.contains("1 script could not be loaded"), "{out}");
}

#[test]
fn help_into_a_full_disk_fails() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    for args in [&["--help"][..], &["lint", "--help"]] {
        let o = recflow()
            .args(args)
            .stdout(std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("cannot write"), "{args:?}");
    }
}
