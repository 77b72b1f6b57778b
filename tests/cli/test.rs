//! `recflow test`: scenario tests (issue 22) — the bundled examples pass, a failing case shows
//! expected vs. actual and its contact's timeline (snapshot), bad names are located errors with
//! "did you mean" (exit 2), JSON / JUnit (parsed with an XML parser), `--filter`, `--coverage`,
//! external-call mocks, and `explain --as-test` cases that pass when run.

use std::path::Path;

use crate::common::{example_test_files, recflow, recflow_in, run, split};

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// The README's test command runs the examples: `recflow test scripts/` passes, every case.
#[test]
fn the_bundled_example_tests_pass() {
    assert!(example_test_files().len() >= 3, "consent, PCI and MAX examples have tests");
    let (code, out, err) = run(&["test", "scripts/"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(err.is_empty(), "{err}");
    let last = out.lines().last().unwrap();
    assert!(last.starts_with("test result: ok."), "{last}");
    assert!(!out.contains("FAILED"), "{out}");
    for f in ["consent-gdpr.test.yaml", "pci-stop-resume.test.yaml", "max-recorded-statements.test.yaml"] {
        assert!(out.contains(f), "{f} not run:\n{out}");
    }
}

/// With no path, the current folder is searched recursively.
#[test]
fn no_path_means_the_current_folder_recursively() {
    let (code, out, _) =
        split(recflow_in(&crate::common::repo("tests/fixtures/scenario")).arg("test").output().unwrap());
    // failing.test.yaml fails and bad-names.test.yaml cannot be resolved: exit 2 wins.
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("crm-vip.test.yaml") && out.contains("failing.test.yaml"), "{out}");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("sub")).unwrap();
    std::fs::copy("scripts/consent-gdpr.yaml", tmp.path().join("sub/consent-gdpr.yaml")).unwrap();
    write(
        &tmp.path().join("sub"),
        "c.test.yaml",
        "script: consent-gdpr.yaml\ncases:\n  - name: silent\n    given: {inputs: {consent: none}}\n    expect: {recorded: none}\n",
    );
    let (code, out, err) = split(recflow_in(tmp.path()).arg("test").output().unwrap());
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("running 1 case from sub/c.test.yaml"), "{out}");
    // A folder without any test file is an error, not a green run of nothing.
    let empty = tempfile::tempdir().unwrap();
    let (code, out, err) = split(recflow_in(empty.path()).arg("test").output().unwrap());
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("no test file"), "{err}");
    assert!(out.contains("test result: ERROR"), "{out}");
}

/// A failing case: exit 1, expected vs. actual, the explain timeline of its contact.
#[test]
fn a_failing_case_shows_expected_actual_and_the_timeline() {
    let out = recflow().args(["test", "tests/fixtures/scenario/failing.test.yaml"]).output().unwrap();
    let (code, stdout, stderr) = split(out);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stdout.contains("recorded: expected full, got none"), "{stdout}");
    assert!(stdout.contains("DONOTRECORD"), "the timeline is shown:\n{stdout}");
    snap!({
        insta::assert_snapshot!("test_failing_case_human", stdout);
    });
}

/// Names the script does not have: every one reported, located, with "did you mean"; exit 2.
#[test]
fn unknown_names_are_located_errors_with_did_you_mean() {
    let (code, out, err) = run(&["test", "tests/fixtures/scenario/bad-names.test.yaml"]);
    assert_eq!(code, 2, "{out}\n{err}");
    for want in [
        "bad-names.test.yaml:5:16",
        "the script has no MENU or CAPTURE `consnet`",
        "did you mean `consent`?",
        "`queue` is a REQAGENT: it asks the caller for no input",
        "did you mean `recorded_without_consent`?",
        "the script has no action `dnrr`",
        "did you mean `dnr`?",
    ] {
        assert!(err.contains(want), "missing {want:?} in\n{err}");
    }
    assert!(out.contains("test result: ERROR"), "{out}");
    snap!({
        insta::assert_snapshot!("test_unknown_names", err);
    });
    // Keys: an unknown key of the file format, with did-you-mean, exit 2.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy("scripts/consent-gdpr.yaml", tmp.path().join("s.yaml")).unwrap();
    write(tmp.path(), "k.test.yaml", "script: s.yaml\ncases:\n  - name: x\n    expect: {recroded: none}\n");
    let (code, _, err) = split(recflow_in(tmp.path()).args(["test", "k.test.yaml"]).output().unwrap());
    assert_eq!(code, 2);
    assert!(err.contains("unknown key `recroded`") && err.contains("did you mean `recorded`?"), "{err}");
}

/// JUnit XML: well-formed (parsed), one testsuite per file, one testcase per case, a failure
/// element with the mismatch for the failing case.
#[test]
fn junit_output_parses_and_counts_cases() {
    let out = recflow()
        .args([
            "test",
            "tests/fixtures/scenario/failing.test.yaml",
            "scripts/consent-gdpr.test.yaml",
            "--format",
            "junit",
        ])
        .output()
        .unwrap();
    let (code, xml, err) = split(out);
    assert_eq!(code, 1, "{err}");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(suites.len(), 2);
    let cases: Vec<_> = root.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(root.attribute("tests"), Some(cases.len().to_string().as_str()));
    assert_eq!(root.attribute("failures"), Some("1"));
    let failures: Vec<_> = root.descendants().filter(|n| n.has_tag_name("failure")).collect();
    assert_eq!(failures.len(), 1);
    let failed_case = failures[0].parent().unwrap();
    assert_eq!(failed_case.attribute("name"), Some("a caller who declines is recorded (wrong on purpose)"));
    assert!(failures[0].attribute("message").unwrap().contains("recorded: expected full, got none"));
    assert!(failures[0].text().unwrap().contains("DONOTRECORD"), "the timeline is in the failure body");
}

#[test]
fn json_output_and_filter() {
    let (code, out, err) = run(&[
        "test",
        "tests/fixtures/scenario/failing.test.yaml",
        "--format",
        "json",
        "--filter",
        "accepts",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["passed"], 1);
    assert_eq!(v["failed"], 0);
    assert_eq!(v["filtered_out"], 1);
    assert_eq!(v["files"][0]["cases"][0]["name"], "a caller who accepts is recorded");
    let (code, out, _) = run(&["test", "tests/fixtures/scenario/failing.test.yaml", "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let failed = &v["files"][0]["cases"][1];
    assert_eq!(failed["passed"], false);
    assert_eq!(
        failed["failures"][0],
        serde_json::json!({"key": "recorded", "expected": "full", "actual": "none"})
    );
    assert!(failed["timeline"].as_str().unwrap().contains("DONOTRECORD"));
}

/// `--coverage`: the shape of simulate's coverage, counted over the cases.
#[test]
fn coverage_reports_the_branches_the_cases_took() {
    let (code, out, err) = run(&["test", "scripts/consent-gdpr.test.yaml", "--coverage", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let c = &v["coverage"]["scripts/consent-gdpr.yaml"];
    assert_eq!(c["cases"], 4);
    // consent: none, 2, 1, 7 (unlisted → default).
    assert_eq!(c["branches"]["consent/1"], 1);
    assert_eq!(c["branches"]["consent/2"], 1);
    assert_eq!(c["branches"]["consent/default"], 2);
    assert_eq!(c["actions"]["record"], 1);
    assert_eq!(c["unexercised"], serde_json::json!([]));
    // The same keys as simulate's coverage.
    let (_, sim, _) = run(&["simulate", "scripts/consent-gdpr.yaml", "--calls", "50", "--format", "json"]);
    let sim: serde_json::Value = serde_json::from_str(&sim).unwrap();
    let keys = |o: &serde_json::Value| o.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&sim["coverage"]["branches"]), keys(&c["branches"]));
    // A case set that leaves a branch out says so, with file:line.
    let (_, out, _) = run(&["test", "tests/fixtures/scenario/failing.test.yaml", "--coverage"]);
    assert!(out.contains("not exercised: consent/default  (scripts/consent-gdpr.yaml:"), "{out}");
}

/// Mocks: a Snippet's external call takes `given.external` by function name, a RESTAPI action
/// by its id; without them the result stays unknown (and the case that needs it fails).
#[test]
fn external_results_are_mocks() {
    let (code, out, err) = run(&["test", "tests/fixtures/scenario/crm-vip.test.yaml"]);
    assert_eq!(code, 0, "{out}{err}");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy("tests/fixtures/scenario/crm-vip.yaml", tmp.path().join("crm-vip.yaml")).unwrap();
    write(
        tmp.path(),
        "no-mock.test.yaml",
        "script: crm-vip.yaml\ncases:\n  - name: without the mock the tier is unknown\n    expect: {variables: {tier: gold}}\n",
    );
    let (code, out, _) = split(recflow_in(tmp.path()).args(["test", "no-mock.test.yaml"]).output().unwrap());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("variables.tier: expected \"gold\", got \"\""), "{out}");
    assert!(out.contains("unmodelled construct"), "the timeline says the value is unknown:\n{out}");
    // A function the script never calls is an input it never asks for.
    write(
        tmp.path(),
        "bad.test.yaml",
        "script: crm-vip.yaml\ncases:\n  - name: x\n    given: {external: {SaveToDb: [ok], log-cal: [OnSuccess]}}\n",
    );
    let (code, _, err) = split(recflow_in(tmp.path()).args(["test", "bad.test.yaml"]).output().unwrap());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("the script makes no external call `SaveToDb`"), "{err}");
    assert!(err.contains("did you mean `log-call`?"), "{err}");
}

/// `explain --call I --as-test` prints a case that passes when run, for every example script
/// with tests and several contacts each (the library-level proptest covers generated scripts).
#[test]
fn explain_as_test_cases_pass() {
    let tmp = tempfile::tempdir().unwrap();
    for script in [
        "consent-gdpr.yaml",
        "pci-stop-resume.yaml",
        "max-recorded-statements.yaml",
        "mistake-statement-lost.yaml",
    ] {
        std::fs::copy(Path::new("scripts").join(script), tmp.path().join(script)).unwrap();
        let mut file = format!("script: {script}\ncases:\n");
        for call in 0..12 {
            let (code, case, err) =
                run(&["explain", &format!("scripts/{script}"), "--call", &call.to_string(), "--as-test"]);
            assert_eq!(code, 0, "{err}");
            assert!(case.starts_with("# contact"), "{case}");
            file.push_str(&case);
        }
        let name = format!("{script}.test.yaml");
        write(tmp.path(), &name, &file);
        let (code, out, err) = split(recflow_in(tmp.path()).args(["test", &name]).output().unwrap());
        assert_eq!(code, 0, "{script}:\n{out}{err}\n{file}");
        assert!(out.contains("12 passed; 0 failed"), "{out}");
    }
}

/// Test files sit next to the scripts but are not scripts: `lint DIR` does not load them, and
/// a glob that names them (`lint scripts/*.yaml`, `snapshot scripts/*.yaml`) leaves them out
/// with a note.
#[test]
fn test_files_are_not_scripts() {
    let (code, out, err) = run(&["lint", "scripts/"]);
    assert!(!err.contains(".test.yaml") && !out.contains("could not be loaded"), "{out}\n{err}");
    assert_eq!(code, 1, "lint finds the deliberate mistakes, and nothing else fails:\n{out}\n{err}");
    let (_, out, err) =
        run(&["snapshot", "scripts/consent-gdpr.yaml", "scripts/consent-gdpr.test.yaml", "--check"]);
    assert!(err.contains("left out scripts/consent-gdpr.test.yaml (test file: run `recflow test`)"), "{err}");
    assert!(out.contains("1 snapshot(s): 1 ok"), "{out}\n{err}");
}

/// Across RUNSUB / RUNSCRIPT: a called script's actions are `script:ID` (as in traffic files),
/// and `--as-test` cases of a linked script pass too.
#[test]
fn explain_as_test_cases_of_a_linked_script_pass() {
    let tmp = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir("scripts/tenant-consent-subscript").unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, tmp.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::copy("examples/traffic-tenant-consent-subscript.yaml", tmp.path().join("traffic.yaml")).unwrap();
    let mut file = String::from("script: main.yaml\ntraffic: traffic.yaml\ncases:\n");
    for call in 0..10 {
        let (code, case, err) = run(&[
            "explain",
            "scripts/tenant-consent-subscript/main.yaml",
            "--traffic",
            "examples/traffic-tenant-consent-subscript.yaml",
            "--call",
            &call.to_string(),
            "--as-test",
        ]);
        assert_eq!(code, 0, "{err}");
        file.push_str(&case);
    }
    assert!(file.contains("\"consent:ask\":"), "{file}");
    write(tmp.path(), "main.test.yaml", &file);
    let (code, out, err) = split(recflow_in(tmp.path()).args(["test", "main.test.yaml"]).output().unwrap());
    assert_eq!(code, 0, "{out}{err}\n{file}");
    assert!(out.contains("10 passed; 0 failed"), "{out}");
}
