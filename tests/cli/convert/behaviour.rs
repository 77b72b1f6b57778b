//! A converted script behaves exactly like its source: for every example in `scripts/`, the
//! Studio JSON and YAML conversions simulate to byte-identical reports and per-contact records
//! (`--calls-out`), and lint to the same findings at the same actions.

use std::path::{Path, PathBuf};

use crate::common;

fn recflow(args: &[&str], file: &Path) -> std::process::Output {
    common::recflow().args(args).arg(file).output().unwrap()
}

/// A converted copy lives in a temporary folder: its RUNSUB / RUNSCRIPT targets are still found
/// in the source's folder through `--scripts`.
fn library_of(file: &Path) -> Vec<String> {
    vec!["--scripts".into(), file.parent().unwrap().display().to_string()]
}

fn examples() -> Vec<PathBuf> {
    common::example_scripts()
}

/// (report, per-contact JSONL) of a 300-call simulation.
fn simulate(file: &Path, dir: &Path, library: &[String]) -> (String, String) {
    let calls = dir.join("calls.jsonl");
    let out = common::recflow()
        .args(["simulate", "--calls", "300", "--seed", "7", "--format", "json"])
        .args(library)
        .arg("--calls-out")
        .arg(&calls)
        .arg(file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}: {}", file.display(), String::from_utf8_lossy(&out.stderr));
    (String::from_utf8(out.stdout).unwrap(), std::fs::read_to_string(&calls).unwrap())
}

/// Lint findings without the file name: (code, action, line-independent message).
fn lint(file: &Path, library: &[String]) -> Vec<(String, String, String)> {
    let mut args = vec!["lint", "--format", "json"];
    args.extend(library.iter().map(String::as_str));
    let out = recflow(&args, file);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut d: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_owned(), d["action"].to_string(), d["path"].to_string()))
        .collect();
    d.sort();
    d
}

#[test]
fn conversions_simulate_and_lint_exactly_like_their_source() {
    let tmp = tempfile::tempdir().unwrap();
    for src in examples() {
        let library = library_of(&src);
        let (report, calls) = simulate(&src, tmp.path(), &library);
        assert!(calls.lines().count() == 300, "{}: expected 300 contacts", src.display());
        let findings = lint(&src, &library);
        for (to, ext) in [("studio-json", "json"), ("yaml", "yaml")] {
            let out = recflow(&["convert", "--to", to], &src);
            assert!(out.status.success());
            let conv = tmp.path().join(format!("converted.{ext}"));
            std::fs::write(&conv, &out.stdout).unwrap();
            let (r2, c2) = simulate(&conv, tmp.path(), &library);
            assert_eq!(report, r2, "{} → {to}: report differs", src.display());
            assert!(calls == c2, "{} → {to}: per-contact records differ", src.display());
            assert_eq!(findings, lint(&conv, &library), "{} → {to}: lint differs", src.display());
        }
    }
}
