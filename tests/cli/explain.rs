//! `recflow explain`: one contact's trace says which rule decided, and matches the contact's
//! line of `simulate --calls-out`.

use crate::common::output as recflow;

#[test]
fn explain_shows_the_rule_that_decided_and_matches_calls_out() {
    let out = recflow(&["explain", "scripts/ivr-recording.yaml", "--call", "3", "--format", "json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["contact"]["id"].as_u64(), Some(3));
    assert!(v["timeline"].as_array().unwrap().iter().any(|s| s["rule"].is_string()));
    let human = recflow(&["explain", "scripts/ivr-recording.yaml", "--call", "3"]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("(R4)") || text.contains("(A-6)"), "{text}");
}
