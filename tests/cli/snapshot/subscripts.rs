//! `recflow snapshot` across scripts (issue 13): the fingerprint of a script that calls others
//! lists every called file, so a change in a subscript changes it; a script that calls nothing
//! keeps its old fingerprint.

use std::path::Path;

use crate::common::{repo, run_in};

fn example_dir() -> std::path::PathBuf {
    repo("scripts/tenant-consent-subscript")
}

#[test]
fn snapshot_fingerprint_changes_when_a_called_script_changes() {
    let tmp = tempfile::tempdir().unwrap();
    for f in ["main.yaml", "consent.yaml", "routing.yaml"] {
        std::fs::copy(example_dir().join(f), tmp.path().join(f)).unwrap();
    }
    let snap = |cwd: &Path| {
        let (code, out, _) = run_in(&["snapshot", "--calls", "200", "main.yaml"], cwd);
        (code, out)
    };
    let (code, before) = snap(tmp.path());
    assert_eq!(code, 0, "{before}");
    assert!(before.contains("\n  scripts:\n    \"consent.yaml\": \""), "{before}");
    assert!(before.contains("\n    \"routing.yaml\": \""), "{before}");
    // A change in the subscript that does not move any outcome (the prompt's wording) still
    // changes the main script's fingerprint: the snapshot was taken of other files.
    let consent = std::fs::read_to_string(tmp.path().join("consent.yaml")).unwrap();
    let edited = consent.replace("may be recorded", "might be recorded");
    assert_ne!(consent, edited);
    std::fs::write(tmp.path().join("consent.yaml"), edited).unwrap();
    let (code, after) = snap(tmp.path());
    assert_eq!(code, 0);
    assert_ne!(before, after);
    let line = |t: &str| t.lines().find(|l| l.contains("consent.yaml")).unwrap().to_owned();
    assert_ne!(line(&before), line(&after));
    let routing = |t: &str| t.lines().find(|l| l.contains("routing.yaml")).unwrap().to_owned();
    assert_eq!(routing(&before), routing(&after));
    // A script that calls nothing: no `scripts:` in its fingerprint (old snapshots unchanged).
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, single, _) = run_in(&["snapshot", "--calls", "50", "scripts/consent-gdpr.yaml"], root);
    assert_eq!(code, 0);
    assert!(!single.contains("scripts:"), "{single}");
}
