//! Issue 10 point 2 seen from `recflow simulate`: the longest durations the loader accepts add up
//! without wrapping in the contact's `duration_ms` (the located range errors are in
//! `tests/load_hardening.rs`).

use crate::common::output as recflow;
use crate::common::scripts::MENUS_AND_WAIT;

#[test]
fn the_longest_durations_add_up_without_wrapping() {
    // Two MENUs and a WAIT of 10 years each: the contact lasts exactly 30 years (it used to
    // wrap: later actions ran earlier and duration_ms was near 2^64).
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("s.yaml");
    std::fs::write(&script, MENUS_AND_WAIT.replace("SECONDS", "315576000")).unwrap();
    let traffic = dir.path().join("t.yaml");
    std::fs::write(&traffic, "durations: {menu: 315576000}\ninputs: {m1: {none: 1}, m2: {none: 1}}\n")
        .unwrap();
    let calls = dir.path().join("calls.jsonl");
    let o = recflow(&[
        "simulate",
        script.to_str().unwrap(),
        "--traffic",
        traffic.to_str().unwrap(),
        "--calls",
        "3",
        "--calls-out",
        calls.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for line in std::fs::read_to_string(&calls).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["duration_ms"], 3 * 315_576_000_000u64, "{line}");
    }
}
