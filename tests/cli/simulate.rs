//! `recflow simulate` end to end: formats, --calls-out, --jobs, exit statuses (`explain` is in
//! `explain.rs`).

mod coverage;
mod exact;
mod load_hardening;
mod precision;
mod script_kind;
mod verdicts;

use crate::common::output as recflow;

#[test]
fn simulate_json_report_has_the_v1_fields_and_calls_out_one_line_per_contact() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("calls.jsonl");
    let out = recflow(&[
        "simulate",
        "scripts/consent-gdpr.yaml",
        "--calls",
        "300",
        "--seed",
        "5",
        "--format",
        "json",
        "--calls-out",
        jsonl.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&str> = report.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "version",
            "script",
            "seed",
            "calls",
            "recorded",
            "initiators",
            "dnr",
            "abandoned",
            "statements",
            "findings",
            "classes",
            "verdicts",
            "consent",
            "policies",
            "recorded_seconds",
            "ci95",
            "coverage"
        ]
    );
    assert_eq!((report["calls"].as_u64(), report["seed"].as_u64()), (Some(300), Some(5)));
    let text = std::fs::read_to_string(&jsonl).unwrap();
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 300);
    for (i, c) in lines.iter().enumerate() {
        assert_eq!(c["id"].as_u64(), Some(i as u64));
        let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "id",
                "duration_ms",
                "abandoned",
                "dnr_at_ms",
                "segments",
                "recordings",
                "statements",
                "findings",
                "consent",
                "path"
            ]
        );
    }
    let dnr = lines.iter().filter(|c| !c["dnr_at_ms"].is_null()).count() as u64;
    assert_eq!(report["dnr"].as_u64(), Some(dnr), "the report counts what the contacts say");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file left");
}

#[test]
fn simulate_human_prints_the_seed_and_yaml_parses() {
    let out = recflow(&["simulate", "scripts/mistake-indicator-left-on.yaml", "--calls", "200"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("seed 1"), "{text}");
    assert!(text.contains("indicator_left_on"), "{text}");
    assert!(text.contains("recflow explain scripts/mistake-indicator-left-on.yaml --call 0"), "{text}");
    let out = recflow(&["simulate", "scripts/consent-gdpr.yaml", "--calls", "50", "--format", "yaml"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("version: 1") && text.contains("calls: 50"), "{text}");
}

#[test]
fn jobs_do_not_change_the_output() {
    let a = recflow(&[
        "simulate",
        "scripts/max-recorded-statements.yaml",
        "--calls",
        "5000",
        "--jobs",
        "1",
        "--format",
        "json",
    ]);
    let b = recflow(&[
        "simulate",
        "scripts/max-recorded-statements.yaml",
        "--calls",
        "5000",
        "--jobs",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn load_errors_exit_2() {
    let out = recflow(&["simulate", "does-not-exist.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = recflow(&["simulate", "scripts/consent-gdpr.yaml", "--traffic", "scripts/consent-gdpr.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let out = recflow(&["explain", "scripts/consent-gdpr.yaml"]);
    assert_eq!(out.status.code(), Some(2), "--call is required");
}

/// Issue 10.5: `--jobs` is bounded (1..=256); anything else is a usage error (exit 2) that says
/// the range, instead of a hang trying to start billions of threads.
#[test]
fn jobs_out_of_range_is_refused_with_exit_2() {
    for bad in ["0", "257", "99999999999", "many"] {
        let out = recflow(&["simulate", "scripts/consent-gdpr.yaml", "--calls", "10", "--jobs", bad]);
        assert_eq!(out.status.code(), Some(2), "--jobs {bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("1 to 256"), "--jobs {bad}: {err}");
    }
    let out = recflow(&["simulate", "scripts/consent-gdpr.yaml", "--calls", "10", "--jobs", "256"]);
    assert!(out.status.success());
}

/// Issue 10.7: `--calls-out -` streams the lines to stdout (report on stderr), byte-identical
/// to `--calls-out FILE` for any `--jobs`.
#[test]
fn calls_out_dash_streams_the_same_lines_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("calls.jsonl");
    let args = ["simulate", "scripts/max-recorded-statements.yaml", "--calls", "3000", "--format", "json"];
    let file = recflow(&[&args[..], &["--jobs", "1", "--calls-out", jsonl.to_str().unwrap()]].concat());
    assert!(file.status.success());
    let lines = std::fs::read(&jsonl).unwrap();
    for jobs in ["1", "3"] {
        let dash = recflow(&[&args[..], &["--jobs", jobs, "--calls-out", "-"]].concat());
        assert!(dash.status.success(), "{}", String::from_utf8_lossy(&dash.stderr));
        assert!(dash.stdout == lines, "--jobs {jobs}: stdout differs from the file");
        // The report went to stderr, unchanged.
        assert_eq!(dash.stderr, file.stdout);
    }
}
