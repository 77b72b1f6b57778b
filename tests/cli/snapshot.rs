//! `recflow snapshot`: print, `--accept` (atomic writes), `--check` (never writes; missing
//! snapshot and mismatch exit 1 with the command that accepts), many scripts at once.

mod subscripts;

use std::path::Path;
use std::process::Output;

use crate::common::recflow_in as recflow;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A temp project with two scripts copied from the diff fixtures.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("scripts")).expect("mkdir");
    for (from, to) in [("consent.yaml", "consent.yaml"), ("consent-greeting.yaml", "greeting.yaml")] {
        std::fs::copy(
            Path::new(ROOT).join("tests/fixtures/diff").join(from),
            dir.path().join("scripts").join(to),
        )
        .expect("copy");
    }
    dir
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    recflow(cwd).args(args).output().expect("runs")
}

#[test]
fn missing_snapshot_fails_check_with_the_command_that_creates_it() {
    let p = project();
    let o = run(p.path(), &["snapshot", "scripts/consent.yaml", "--check", "--calls", "200"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("MISSING  scripts/consent.yaml: no snapshot at `snapshots/scripts/consent.yaml`"),
        "{out}"
    );
    assert!(
        out.contains("create it with: recflow snapshot scripts/consent.yaml --calls 200 --accept"),
        "{out}"
    );
    assert!(!p.path().join("snapshots").exists(), "--check never writes");
}

#[test]
fn accept_then_check_then_mismatch() {
    let p = project();
    let args = ["snapshot", "scripts/consent.yaml", "scripts/greeting.yaml", "--calls", "200"];
    let o = run(p.path(), &[&args[..], &["--accept"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(
        stdout(&o),
        "created   snapshots/scripts/consent.yaml\ncreated   snapshots/scripts/greeting.yaml\n2 written, 0 unchanged\n"
    );
    // Atomic write: no temporary file is left beside the snapshots.
    let names: Vec<String> = std::fs::read_dir(p.path().join("snapshots/scripts"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // The written file is exactly what the command prints without a flag.
    let printed = stdout(&run(p.path(), &["snapshot", "scripts/consent.yaml", "--calls", "200"]));
    let written = std::fs::read_to_string(p.path().join("snapshots/scripts/consent.yaml")).expect("written");
    assert_eq!(printed, written);
    assert!(written.contains("\nclasses:\n  \"dnr\": "), "{written}");

    let o = run(p.path(), &[&args[..], &["--check"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).ends_with("2 snapshot(s): 2 ok, 0 changed, 0 missing\n"), "{}", stdout(&o));

    // Accepting again leaves unchanged files alone.
    let o = run(p.path(), &[&args[..], &["--accept"]].concat());
    assert!(stdout(&o).ends_with("0 written, 2 unchanged\n"), "{}", stdout(&o));

    // The decline branch no longer sets DNR: outcomes move, --check fails with a diff.
    let script = p.path().join("scripts/consent.yaml");
    let text = std::fs::read_to_string(&script).expect("script");
    std::fs::write(
        &script,
        text.replace("\"2\": dnr", "\"2\": queue").replace("default: dnr", "default: queue"),
    )
    .expect("edit");
    let o = run(p.path(), &[&args[..], &["--check"]].concat());
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("CHANGED  scripts/consent.yaml: recording outcomes differ"), "{out}");
    assert!(
        out.contains(
            "--- snapshots/scripts/consent.yaml (accepted)\n+++ snapshots/scripts/consent.yaml (now)\n"
        ),
        "{out}"
    );
    assert!(out.contains("\n-  dnr: "), "{out}");
    assert!(out.contains("\n+  dnr: 0\n"), "{out}");
    assert!(out.contains("recflow snapshot scripts/consent.yaml --calls 200 --accept"), "{out}");
    assert!(out.contains("ok       scripts/greeting.yaml"), "{out}");
    assert!(out.contains("2 snapshot(s): 1 ok, 1 changed, 0 missing"), "{out}");
    assert_eq!(
        std::fs::read_to_string(p.path().join("snapshots/scripts/consent.yaml")).expect("kept"),
        written
    );

    // A different model is a mismatch too (the fingerprint is part of the snapshot).
    let o = run(p.path(), &["snapshot", "scripts/greeting.yaml", "--calls", "200", "--seed", "2", "--check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("\n-  seed: 1\n+  seed: 2\n"), "{}", stdout(&o));
}

#[test]
fn custom_dir_bad_input_and_stem_collisions() {
    let p = project();
    let o =
        run(p.path(), &["snapshot", "scripts/consent.yaml", "--dir", "snaps", "--calls", "100", "--accept"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(p.path().join("snaps/consent.yaml").exists());
    let o =
        run(p.path(), &["snapshot", "scripts/greeting.yaml", "--dir", "snaps", "--calls", "100", "--check"]);
    assert!(
        stdout(&o).contains(
            "create it with: recflow snapshot scripts/greeting.yaml --dir snaps --calls 100 --accept"
        )
    );

    // An unloadable script is exit 2; the others are still checked.
    let o = run(
        p.path(),
        &[
            "snapshot",
            "scripts/nope.yaml",
            "scripts/consent.yaml",
            "--dir",
            "snaps",
            "--calls",
            "100",
            "--check",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("ok       scripts/consent.yaml"), "{}", stdout(&o));

    // Two scripts with one stem would share a snapshot file.
    std::fs::create_dir(p.path().join("other")).expect("mkdir");
    std::fs::copy(p.path().join("scripts/consent.yaml"), p.path().join("other/consent.yaml")).expect("copy");
    let o = run(p.path(), &["snapshot", "scripts/consent.yaml", "other/consent.yaml", "--accept"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("would share the snapshot"));

    // --check and --accept exclude each other.
    assert_eq!(
        run(p.path(), &["snapshot", "scripts/consent.yaml", "--check", "--accept"]).status.code(),
        Some(2)
    );
}
