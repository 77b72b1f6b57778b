//! `diff` never certifies an untested change: the contacts that reached each change in OLD and
//! NEW, "Not exercised by this traffic", `--min-exercised`, `--fail-on-change` (FORMATS round 3).

use crate::common::run;
use crate::common::sim::consent_digits_only_traffic;

const LEAK: &str = "scripts/mistake-consent-leak.yaml";
const GDPR: &str = "scripts/consent-gdpr.yaml";

#[test]
fn an_edit_no_contact_reached_fails_fail_on_change() {
    let t = consent_digits_only_traffic();
    let tp = t.path().to_str().unwrap();
    let (code, out, err) = run(&["diff", LEAK, GDPR, "--traffic", tp, "--fail-on-change"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("Not exercised by this traffic"), "{out}");
    assert!(out.contains("  consent/default  (old 0, new 0)"), "{out}");
    assert!(out.contains("not a proof of no change"), "{out}");
    assert!(err.contains("consent/default") && err.contains("--traffic explore"), "{err}");
    // Without --fail-on-change the run succeeds but still says so.
    let (code, out, _) = run(&["diff", LEAK, GDPR, "--traffic", tp]);
    assert_eq!(code, 0);
    assert!(out.contains("Not exercised by this traffic"), "{out}");
    let (code, out, _) = run(&["diff", LEAK, GDPR, "--traffic", tp, "--format", "json"]);
    assert_eq!(code, 0);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        j["unexercised_changes"],
        serde_json::json!([{"change": "consent/default", "old": 0, "new": 0}])
    );
}

#[test]
fn explore_reaches_the_edit_and_shows_the_moved_contacts() {
    let (code, out, err) =
        run(&["diff", LEAK, GDPR, "--traffic", "explore", "--fail-on-change", "--format", "json"]);
    // The change is real: contacts that gave no input move from recorded to DNR (exit 1 because
    // contacts changed class, not because anything went unexercised).
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("cannot show"), "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["unexercised_changes"], serde_json::json!([]));
    assert!(j["changed"].as_u64().unwrap() > 100, "{}", j["changed"]);
    let reached = j["changes_reached"].as_array().unwrap();
    let consent = reached.iter().find(|r| r["change"] == "consent/default").unwrap();
    assert!(consent["old"].as_u64().unwrap() > 100, "{consent}");
}

#[test]
fn min_exercised_raises_the_bar() {
    // Default traffic reaches `consent/default` with ~70 of 1000 contacts: enough for N = 1,
    // not for N = 500.
    let (_, out, _) = run(&["diff", LEAK, GDPR, "--format", "json"]);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["unexercised_changes"], serde_json::json!([]));
    let (_, out, _) = run(&["diff", LEAK, GDPR, "--min-exercised", "500", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    let u: Vec<&str> =
        j["unexercised_changes"].as_array().unwrap().iter().map(|r| r["change"].as_str().unwrap()).collect();
    assert!(u.contains(&"consent/default"), "{u:?}");
    assert_eq!(j["min_exercised"], 500);
}

#[test]
fn a_diff_of_a_script_with_itself_has_no_unexercised_change() {
    let (code, out, _) = run(&["diff", GDPR, GDPR, "--fail-on-change"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("every contact keeps its outcome class"), "{out}");
}

#[test]
fn subscript_changes_are_reached_as_script_colon_id() {
    let (code, out, err) = run(&[
        "diff",
        "scripts/tenant-consent-subscript/main.yaml",
        "scripts/tenant-consent-subscript/mistake-main.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    let reached = j["changes_reached"].as_array().unwrap();
    let get =
        |k: &str| reached.iter().find(|r| r["change"] == k).unwrap_or_else(|| panic!("{k}: {reached:?}"));
    // The new subscript's MENU exists only in NEW, the old one only in OLD.
    assert_eq!(get("consent-no-input-leak:ask")["old"], 0);
    assert_eq!(get("consent-no-input-leak:ask")["new"], 1000);
    assert_eq!(get("consent:ask")["old"], 1000);
    assert_eq!(get("consent:ask")["new"], 0);
    assert_eq!(get("ask/default")["new"], 1000, "the rewired RUNSUB branch");
}
