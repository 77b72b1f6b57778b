//! Issue 13 / 15: the HTML report of a script that calls others simulates the linked library,
//! lists every called file (with the digest its snapshot fingerprint has) in the page header,
//! and places each lint finding in its own file.

use crate::common::{repo, run_in};

/// `report` of `entry` (relative to the example folder) into a temp file; the page.
fn report(entry: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r.html");
    let (code, _, err) = run_in(
        &["report", entry, "-o", out.to_str().unwrap(), "--calls", "300"],
        &repo("scripts/tenant-consent-subscript"),
    );
    assert_eq!(code, 0, "{err}");
    std::fs::read_to_string(out).unwrap()
}

/// The `"file": "digest"` lines of a snapshot's `scripts:` block.
fn fingerprint_scripts(entry: &str) -> Vec<(String, String)> {
    let (code, snap, err) =
        run_in(&["snapshot", "--calls", "300", entry], &repo("scripts/tenant-consent-subscript"));
    assert_eq!(code, 0, "{err}");
    let block = snap.split("\n  scripts:\n").nth(1).expect("a scripts: block");
    block
        .lines()
        .take_while(|l| l.starts_with("    \""))
        .map(|l| {
            let (f, d) = l.trim().split_once(": ").unwrap();
            (f.trim_matches('"').to_owned(), d.trim_matches('"').to_owned())
        })
        .collect()
}

#[test]
fn report_header_lists_every_called_file_like_the_snapshot_fingerprint() {
    let page = report("main.yaml");
    let files = fingerprint_scripts("main.yaml");
    assert_eq!(files.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), ["consent.yaml", "routing.yaml"]);
    let list: Vec<String> = files.iter().map(|(f, d)| format!("{f} ({d})")).collect();
    let row = format!("<dt>called scripts</dt><dd>main.yaml: {}</dd>", list.join(", "));
    assert!(page.contains(&row), "{row} not in the header");
}

#[test]
fn report_simulates_the_linked_library_and_locates_findings_in_their_files() {
    let page = report("mistake-main.yaml");
    // The consent subscript ran: its actions are in the drawn flow with their linked ids.
    assert!(page.contains("consent-no-input-leak:ask"), "the subscript's MENU is drawn");
    // C001 is in the subscript's file, at the MENU's `default` branch (as `recflow lint` says).
    assert!(page.contains("(consent-no-input-leak.yaml:18:7)"), "C001 located in its own file");
    assert!(!page.contains("(mistake-main.yaml:18:7)"));
    // Each called script is a group in the flow, titled with its script and file, expanded (a
    // small flow); the zoom bar offers to collapse or expand them all.
    assert_eq!(page.matches("<g class=\"group\" data-first=").count(), 2);
    assert!(page.contains("consent-no-input-leak (consent-no-input-leak.yaml), copy 1"));
    assert!(page.contains("routing (routing.yaml), copy 2"));
    assert!(page.contains("2 called-script groups"));
    assert!(page.contains("data-groups=\"collapse\""));
}

#[test]
fn a_script_that_calls_nothing_has_no_called_scripts_row() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r.html");
    let (code, _, err) = run_in(
        &["report", "scripts/consent-gdpr.yaml", "-o", out.to_str().unwrap(), "--calls", "100"],
        &repo(""),
    );
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(out).unwrap();
    assert!(page.contains("<dt>scripts</dt>"));
    assert!(!page.contains("called scripts"));
}
