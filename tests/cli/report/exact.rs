//! `report --exact`: the HTML report from an exact analysis — exact shares with their fractions
//! and no interval whiskers; a script that is not exact says so and keeps its intervals.

use crate::common::recflow;

/// Fixed queue wait, patience and talk: consent-gdpr is then exact.
const FIXED: &str = "durations: {queue_wait: 30, patience: 300, talk: 240}\n";

fn page(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let o = recflow().arg("report").args(args).arg("-o").arg(&out).output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(&out).unwrap()
}

#[test]
fn exact_report_shows_fractions_and_no_whiskers() {
    let t = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    std::fs::write(t.path(), FIXED).unwrap();
    let tp = t.path().to_str().unwrap();
    let exact = page(&["scripts/consent-gdpr.yaml", "--traffic", tp, "--exact"]);
    assert!(exact.contains("Exact: every share below is an exact probability"), "no exact headline");
    // recorded.any = 93/200 exactly (docs/exact.md), printed on its bar; P(DNR) the rest.
    assert!(exact.contains("46.5% = 93/200"), "no exact fraction on the bars");
    assert!(exact.contains("53.5% = 107/200"), "DNR share");
    assert!(!exact.contains("class=\"ci\""), "an exact share has no interval whisker");
    assert!(!exact.contains("95% interval"), "no sampled interval on an exact page");
    assert!(!exact.contains("Not exact"));
    // The flow is shaded by exact probabilities: the consent MENU's `1` branch is taken with
    // probability 46.5% (accept); the sampled page shows the sampled share instead.
    assert!(exact.contains("· 46.5%"), "exact edge share");
    // The same page sampled has whiskers: the assertion above can fail.
    let sampled = page(&["scripts/consent-gdpr.yaml", "--traffic", tp]);
    assert!(sampled.contains("class=\"ci\"") && !sampled.contains("93/200"));
    // Deterministic.
    assert_eq!(exact, page(&["scripts/consent-gdpr.yaml", "--traffic", tp, "--exact", "--jobs", "3"]));
}

/// with the IVR patience set, the exact page has the "hung up in the IVR" bar, exact.
#[test]
fn exact_report_shows_ivr_hang_ups_when_the_traffic_models_them() {
    let t = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    std::fs::write(t.path(), "durations: {queue_wait: 30, patience: 300, talk: 240, ivr_patience: 5}\n")
        .unwrap();
    let p = page(&["scripts/consent-gdpr.yaml", "--traffic", t.path().to_str().unwrap(), "--exact"]);
    assert!(p.contains("hung up in the IVR"), "no IVR hang-up bar");
    assert!(p.contains("Exact: every share below is an exact probability"));
    assert!(!p.contains("class=\"ci\""));
}

#[test]
fn hybrid_exact_report_says_not_exact_and_keeps_intervals() {
    // ROD at a uniform time inside a random talk: sampled (hybrid).
    let p = page(&[
        "scripts/consent-gdpr.yaml",
        "--exact",
        "--calls",
        "40",
        "--traffic",
        "examples/traffic-random-talk-events.yaml",
    ]);
    assert!(p.contains("Not exact ("), "no not-exact headline");
    // The reason, its Markdown code spans as HTML code (issue 24: no literal backticks).
    assert!(
        p.contains("random durations <code>patience</code>, <code>queue_wait</code>, <code>rod_at</code>, <code>talk</code>"),
        "no reason"
    );
    assert!(p.contains("class=\"ci\""), "a hybrid share keeps its interval");
    assert!(p.contains("99.9% interval over the samples of the random durations; not exact"));
    assert!(!p.contains("Exact: every share"));
}

#[test]
fn exact_report_of_a_change_needs_separate() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let o = recflow()
        .args(["report", "scripts/consent-gdpr.yaml", "scripts/mistake-consent-leak.yaml", "--exact", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--separate"));
    assert!(!out.exists());
    let o = recflow()
        .args(["report", "scripts/consent-gdpr.yaml", "--exact", "--precision", "1", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
