//! `diff --exact`: exact differences per key, no sampling noise, and the branches neither
//! version takes.

use crate::common::output as recflow;

fn traffic(text: &str) -> tempfile::NamedTempFile {
    let f = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    std::fs::write(f.path(), text).unwrap();
    f
}

const FIXED: &str = "durations: {queue_wait: 30, patience: 300, talk: 240}\n";

#[test]
fn diff_exact_gives_the_fix_of_the_consent_leak_as_exact_differences() {
    let t = traffic(FIXED);
    let tp = t.path().to_str().unwrap();
    let args = [
        "diff",
        "scripts/mistake-consent-leak.yaml",
        "scripts/consent-gdpr.yaml",
        "--exact",
        "--traffic",
        tp,
        "--format",
        "json",
    ];
    let out = recflow(&args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["exact"], true);
    let change = |key: &str| d["changes"].as_array().unwrap().iter().find(|c| c["key"] == key).cloned();
    let leak = change("findings.recorded_without_consent").unwrap();
    assert_eq!(leak["old"], 0.07);
    assert_eq!(leak["new"], 0.0);
    assert_eq!(leak["rational"], "-7/100");
    assert_eq!(change("dnr").unwrap()["rational"], "7/100");
    assert!(change("initiators.studio").is_none(), "the Studio share does not move");
    assert_eq!(d["changed"], d["changes"].as_array().unwrap().len());
    assert_eq!(d["old"]["rational"]["findings"]["recorded_without_consent"], "7/100");
    // --fail-on-change: any changed probability fails.
    let mut fail = args.to_vec();
    fail.push("--fail-on-change");
    let out = recflow(&fail);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("probabilities changed"));
}

#[test]
fn diff_exact_of_a_script_and_its_studio_json_twin_changes_nothing() {
    let t = traffic(FIXED);
    let out = recflow(&[
        "diff",
        "scripts/consent-gdpr.yaml",
        "scripts/studio-json/consent-gdpr.json",
        "--exact",
        "--traffic",
        t.path().to_str().unwrap(),
        "--fail-on-change",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("No probability changed (54 keys compared)."), "{text}");
    assert!(text.contains("Exact: every difference below is exact"));
}

#[test]
fn diff_exact_lists_branches_with_probability_0_in_both_versions() {
    // Every caller accepts: the decline and default branches are never taken, in either version.
    let t = traffic(&format!("{FIXED}inputs: {{consent: {{'1': 1}}}}\n"));
    let out = recflow(&[
        "diff",
        "scripts/mistake-consent-leak.yaml",
        "scripts/consent-gdpr.yaml",
        "--exact",
        "--traffic",
        t.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["changed"], 0, "{:#}", d["changes"]);
    let unexercised: Vec<&str> =
        d["unexercised"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(
        unexercised.contains(&"consent/2") && unexercised.contains(&"consent/default"),
        "{unexercised:?}"
    );
    assert!(!unexercised.contains(&"consent/1"));
}
