//! `recflow diff` across scripts (issue 13): each side is read with its own folder as its library,
//! so a change in a subscript alone moves the main script's outcomes.

use crate::common::repo;

/// `diff` takes each side's folder into account: only the subscript changed (its no-input branch
/// skips DONOTRECORD), yet the main script's outcomes move and the structural diff names the
/// subscript's action.
#[test]
fn diff_sees_a_change_in_a_subscript() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    for d in [&old, &new] {
        std::fs::create_dir_all(d).unwrap();
        for f in ["main.yaml", "routing.yaml"] {
            std::fs::copy(repo("scripts/tenant-consent-subscript").join(f), d.join(f)).unwrap();
        }
    }
    std::fs::copy(repo("scripts/tenant-consent-subscript/consent.yaml"), old.join("consent.yaml")).unwrap();
    let leak =
        std::fs::read_to_string(repo("scripts/tenant-consent-subscript/consent-no-input-leak.yaml")).unwrap();
    std::fs::write(
        new.join("consent.yaml"),
        leak.replace("script: consent-no-input-leak", "script: consent"),
    )
    .unwrap();
    let out = crate::common::recflow()
        .arg("diff")
        .arg(old.join("main.yaml"))
        .arg(new.join("main.yaml"))
        .args([
            "--traffic",
            "examples/traffic-tenant-consent-subscript.yaml",
            "--calls",
            "500",
            "--fail-on-change",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("~ consent:ask"), "{text}");
    assert!(text.contains("dnr → policy:Default/full@agent"), "{text}");
}
