//! `recflow lint --fix` / `--diff` on copies of real files: `--diff` writes nothing, `--fix`
//! writes in place and a second run changes nothing, human output marks fixable findings.
//! The fixes themselves, proven rule by rule, are library tests (`tests/lint_fix.rs`).

use crate::common::{root, run as recflow};

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("recflow-lint-fix-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let from = root().join("scripts").join(name);
    let to = dir.join(name);
    std::fs::copy(from, &to).expect("copy");
    to
}

#[test]
fn diff_prints_and_writes_nothing() {
    let p = scratch("mistake-consent-leak.yaml");
    let before = std::fs::read_to_string(&p).expect("read");
    let (code, out, err) = recflow(&["lint", p.to_str().expect("utf8"), "--fix", "--diff"]);
    assert_eq!(code, 1, "something to fix");
    assert!(out.lines().any(|l| l == "+      default: dnr"), "{out}");
    assert!(err.contains("would fix 1 finding in 1 script; 0 remaining"), "{err}");
    assert_eq!(std::fs::read_to_string(&p).expect("read"), before, "--diff writes nothing");
}

#[test]
fn fix_writes_in_place_then_is_clean_and_idempotent() {
    let p = scratch("mistake-card-while-recording.yaml");
    let path = p.to_str().expect("utf8");
    // Safe fixes only: P001's fix is unsafe, so nothing changes.
    let (code, out, _) = recflow(&["lint", path, "--fix"]);
    assert_eq!(code, 1);
    assert!(out.contains("fixed 0 findings in 0 scripts; 2 remaining"), "{out}");
    let (code, out, _) = recflow(&["lint", path, "--fix", "--unsafe-fixes"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("fixed 1 finding in 1 script; 0 remaining"), "{out}");
    let fixed = std::fs::read_to_string(&p).expect("read");
    assert!(fixed.contains("id: stop-before-card"));
    let (code, out, _) = recflow(&["lint", path, "--fix", "--unsafe-fixes"]);
    assert_eq!(code, 0);
    assert!(out.contains("fixed 0 findings"), "{out}");
    assert_eq!(std::fs::read_to_string(&p).expect("read"), fixed, "idempotent");
    let (code, out, _) = recflow(&["lint", path]);
    assert_eq!((code, out.contains("ok: no findings")), (0, true), "{out}");
}

#[test]
fn human_output_marks_fixable_findings() {
    let p = root().join("scripts/mistake-consent-leak.yaml");
    let (_, out, _) = recflow(&["lint", p.to_str().expect("utf8")]);
    assert!(out.contains("C001(consent-decline-reaches-agent) [*]"), "{out}");
    assert!(out.contains("[*] 1 fixable with `recflow lint --fix`"), "{out}");
}
