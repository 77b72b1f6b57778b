//! `simulate`: coverage — contacts per action and per wired branch, the unexercised branches
//! with file:line, `--min-coverage`, `--traffic explore` (FORMATS round 3).

use crate::common::run;
use crate::common::sim::consent_digits_only_traffic;

fn json(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn the_human_report_names_each_unexercised_branch_with_its_line() {
    let t = consent_digits_only_traffic();
    let (code, out, err) =
        run(&["simulate", "scripts/mistake-consent-leak.yaml", "--traffic", t.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Coverage: 7 of 8 branches (87%), 6 of 6 actions"), "{out}");
    // `default: queue` is line 23 of the script.
    assert!(out.contains("consent/default  scripts/mistake-consent-leak.yaml:23"), "{out}");
}

#[test]
fn json_coverage_counts_contacts_per_action_and_branch() {
    let r = json(&["simulate", "scripts/consent-gdpr.yaml", "--format", "json"]);
    let c = &r["coverage"];
    assert_eq!(c["actions"]["consent"], 1000);
    let b = &c["branches"];
    let taken = ["consent/1", "consent/2", "consent/default"].map(|k| b[k].as_u64().unwrap());
    // Every contact takes exactly one consent branch; the MENU is no loop.
    assert_eq!(taken.iter().sum::<u64>(), 1000, "{b}");
    // Default traffic: no input 5% + an unlisted digit 2% take `default` (7% of 1000 ± noise).
    assert!((45..=95).contains(&taken[2]), "{b}");
    assert_eq!(c["actions"]["dnr"].as_u64(), Some(taken[1] + taken[2]), "dnr is reached by 2 and default");
    assert_eq!(c["unexercised"], serde_json::json!([]));
}

#[test]
fn min_coverage_fails_below_and_passes_at_or_above() {
    let t = consent_digits_only_traffic();
    let tp = t.path().to_str().unwrap();
    let (code, _, err) =
        run(&["simulate", "scripts/mistake-consent-leak.yaml", "--traffic", tp, "--min-coverage", "90"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("7 of 8 branches (87%)") && err.contains("--traffic explore"), "{err}");
    let (code, _, err) =
        run(&["simulate", "scripts/mistake-consent-leak.yaml", "--traffic", tp, "--min-coverage", "87"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&["simulate", "scripts/mistake-consent-leak.yaml", "--min-coverage", "100"]);
    assert_eq!(code, 0, "default traffic reaches the no-input branch: {err}");
    let (code, _, err) = run(&["simulate", "scripts/consent-gdpr.yaml", "--min-coverage", "101"]);
    assert_eq!(code, 2, "a percentage above 100 is a usage error: {err}");
}

#[test]
fn explore_reaches_every_outcome_of_every_decision() {
    let r = json(&[
        "simulate",
        "scripts/max-recorded-statements.yaml",
        "--traffic",
        "explore",
        "--format",
        "json",
    ]);
    let b = &r["coverage"]["branches"];
    // Both MAX buttons are pressed (each alone and both in script order).
    assert!(b["which-button/StartStatement"].as_u64().unwrap() > 0, "{b}");
    assert!(b["which-button/StopStatement"].as_u64().unwrap() > 0, "{b}");
    let r = json(&["simulate", "scripts/consent-gdpr.yaml", "--traffic", "explore", "--format", "json"]);
    let b = &r["coverage"]["branches"];
    // Uniform over "1", "2", no input, an unlisted digit: `default` takes half.
    let d = b["consent/default"].as_u64().unwrap();
    assert!((430..=570).contains(&d), "{b}");
}

#[test]
fn subscript_branches_are_named_script_colon_id() {
    let r = json(&["simulate", "scripts/tenant-consent-subscript/main.yaml", "--format", "json"]);
    let b = r["coverage"]["branches"].as_object().unwrap();
    assert!(b.keys().any(|k| k.starts_with("consent:") && k.ends_with("/default")), "{b:?}");
    assert!(b.keys().any(|k| k.starts_with("routing:")), "{b:?}");
}

/// Default traffic reaches a CAPTURE's `Timeout` (uniform over its wired named branches) and a
/// wired `Default` besides them (5%): documented in docs/tenant-and-traffic.md.
#[test]
fn default_traffic_reaches_capture_timeouts_and_the_default_fallback() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("capture.yaml");
    std::fs::write(
        &script,
        "script: capture\nactions:\n  - {id: begin, type: BEGIN, next: digits}\n  - id: digits\n    type: CAPTURE\n    \
         properties: {Variable: acct}\n    branches: {Terminator: done, Timeout: done, default: fallback}\n  \
         - {id: fallback, type: PLAY, next: done}\n  - {id: done, type: HANGUP}\n",
    )
    .unwrap();
    let r = json(&["simulate", script.to_str().unwrap(), "--calls", "4000", "--format", "json"]);
    let b = &r["coverage"]["branches"];
    let n = |k: &str| b[k].as_u64().unwrap_or_else(|| panic!("{k}: {b}"));
    assert_eq!(n("digits/Terminator") + n("digits/Timeout") + n("digits/default"), 4000, "{b}");
    // Default: 5% of 4000 = 200 (± sampling); Terminator and Timeout share the rest.
    assert!((140..=260).contains(&n("digits/default")), "{b}");
    assert!(n("digits/Timeout") > 1700 && n("digits/Terminator") > 1700, "{b}");
    assert_eq!(r["coverage"]["unexercised"], serde_json::json!([]));
}
