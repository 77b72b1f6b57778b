//! `recflow explain`: one contact's trace says which rule decided, and matches the contact's
//! line of `simulate --calls-out`.

mod load_hardening;

use crate::common::{output as recflow, recflow as recflow_cmd};

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

/// Issue 12, done-when: a Studio JSON script whose SNIPPET uses DYNAMIC + member access + a
/// FUNCTION + left() loads, simulates with `stuck: 0`, and `explain` shows the variables.
#[test]
fn studio_json_snippet_with_dynamic_function_and_left_simulates_and_explains() {
    let path = "tests/fixtures/snippet-dynamic.json";
    let out = recflow_cmd().args(["simulate", path, "--calls", "200", "--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"]["stuck"], 0);
    assert!(report["recorded"]["any"].as_u64().unwrap() > 0);
    let out = recflow_cmd().args(["explain", "--call", "0", path]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "cust.name = \"Caller\"",
        "cust.tier = \"standard\"",
        "greeting = \"Hello Caller, tier STANDARD\"",
        "route = \"Support\"",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}
