//! The rule registry is complete: every rule has a well-formed unique code and name, its
//! documentation has the four fixed headings, and it has a fixture and a snapshot.

use std::path::Path;

use recflow::lint::RULES;
use recflow::lint::registry;

#[test]
fn every_rule_has_code_docs_fixture_and_snapshot() {
    let mut problems = Vec::new();
    let mut codes = std::collections::BTreeSet::new();
    let mut names = std::collections::BTreeSet::new();
    for r in RULES {
        let b = r.code.as_bytes();
        if !(b.len() == 4 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit)) {
            problems.push(format!("{}: code is not a letter + 3 digits", r.code));
        }
        if !codes.insert(r.code) || !names.insert(r.name) {
            problems.push(format!("{}: duplicate code or name", r.code));
        }
        if !r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
            problems.push(format!("{}: name `{}` is not kebab-case", r.code, r.name));
        }
        if r.file != format!("{}.rs", r.name.replace('-', "_")) {
            problems.push(format!("{}: file {} is not named after the rule", r.code, r.file));
        }
        let doc = r.doc();
        let mut at = 0;
        for h in ["## What it does", "## Why is this bad?", "## Example", "## Use instead"] {
            match doc[at..].find(h) {
                Some(i) => at += i + h.len(),
                None => problems.push(format!("{}: docs lack `{h}` (in order)", r.code)),
            }
        }
        let stem = format!("{}-{}", r.code, r.name);
        if !Path::new(&format!("tests/fixtures/lint/{stem}.yaml")).is_file() {
            problems.push(format!("{}: no fixture tests/fixtures/lint/{stem}.yaml", r.code));
        }
        if !Path::new(&format!("snapshots/lint__{stem}.snap")).is_file() {
            problems.push(format!("{}: no snapshot snapshots/lint__{stem}.snap", r.code));
        }
        if registry::rule(r.code).map(|x| x.code) != Some(r.code)
            || registry::rule(r.name).map(|x| x.code) != Some(r.code)
        {
            problems.push(format!("{}: not found by code or name", r.code));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // LINT.md's catalogue, all of it.
    let all = "C001 C002 C003 C004 O001 O002 O003 O004 S001 S002 S003 M001 M002 M003 M004 M005 P001 G001 G002 G003 X001";
    assert_eq!(RULES.iter().map(|r| r.code).collect::<Vec<_>>().join(" "), all);
}

#[test]
fn selectors_accept_codes_names_and_prefixes() {
    let c001 = registry::rule("C001").unwrap();
    assert!(c001.matches_selector("C001"));
    assert!(c001.matches_selector("c"));
    assert!(c001.matches_selector("C00"));
    assert!(c001.matches_selector("consent-decline-reaches-agent"));
    assert!(!c001.matches_selector("C002"));
    assert!(!c001.matches_selector("O"));
    let cfg = recflow::lint::Config { select: vec!["nope".into()], ..Default::default() };
    assert!(cfg.validate().is_err());
}
