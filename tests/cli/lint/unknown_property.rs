//! Issue 11 point 5 seen from `recflow lint`: an unknown property is a warning in every output,
//! and `--strict` makes it an error (exit 2) in JSON and SARIF. The loader side is tested in
//! `tests/unknown_property.rs`.

use crate::common::run as recflow;
use crate::common::scripts::{UNKNOWN_PROPERTY as CODE, UNKNOWN_PROPERTY_TYPO as TYPO};

#[test]
fn strict_makes_an_unknown_property_an_error_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("t.yaml");
    std::fs::write(&f, TYPO).unwrap();
    let f = f.to_str().unwrap();
    let (code, out, err) = recflow(&["lint", f, "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let w = &v["warnings"][0];
    assert_eq!((w["code"].as_str(), w["line"].as_u64()), (Some(CODE), Some(6)), "{v}");
    assert!(err.contains(CODE), "{err}");
    let (code, out, _) = recflow(&["lint", f, "--strict", "--format", "json"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["errors"][0]["code"], CODE, "{v}");
    let (code, out, _) = recflow(&["lint", f, "--strict", "--format", "sarif"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(out.contains(CODE) && v["runs"][0]["invocations"][0]["executionSuccessful"] == false, "{out}");
}
