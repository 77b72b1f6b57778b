//! Every example in `scripts/` lints exactly as its header comment says (`Expected lint: ...`):
//! the deliberate mistakes fail with the expected codes at the expected actions; the
//! recommended patterns produce nothing. A Studio JSON example lints like its YAML twin.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use recflow::lint::{self, Config, Severity};

fn findings(path: &Path) -> (BTreeSet<(String, String)>, bool) {
    let script = recflow::script::load_path(path).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let found = lint::lint(&script, &Config::default());
    let errors = found.iter().any(|d| d.severity == Severity::Error);
    (found.iter().map(|d| (d.code.to_string(), script.action(d.action).id.clone())).collect(), errors)
}

/// `(code, action)` pairs named by the header: `C001 at action consent`, `M001 at actions a and b`.
fn expected(header: &str) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let words: Vec<&str> = header
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let is_code = w.len() == 4
            && w.as_bytes()[0].is_ascii_uppercase()
            && w[1..].bytes().all(|b| b.is_ascii_digit());
        if is_code
            && words.get(i + 1) == Some(&"at")
            && words.get(i + 2).is_some_and(|x| x.starts_with("action"))
        {
            let mut j = i + 3;
            while let Some(a) = words.get(j) {
                out.insert((w.to_string(), a.trim_end_matches('.').to_string()));
                if words.get(j + 1) == Some(&"and") { j += 2 } else { break }
            }
            i = j;
        }
        i += 1;
    }
    out
}

#[test]
fn yaml_examples_lint_as_their_header_says() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in common::yaml_examples() {
        let text = std::fs::read_to_string(&path).unwrap();
        let header: String = text.lines().take_while(|l| l.starts_with('#')).collect::<Vec<_>>().join("\n");
        let Some(at) = header.find("Expected lint:") else { continue };
        let want = expected(&header[at..]);
        let (got, errors) = findings(&path);
        checked += 1;
        if got != want {
            failures.push(format!("{}: header expects {want:?}, lint gives {got:?}", path.display()));
        }
        if header[at..].contains("no errors") && errors {
            failures.push(format!("{}: header says no errors", path.display()));
        }
    }
    assert!(checked >= 5, "only {checked} examples have an `Expected lint:` header");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn studio_json_examples_lint_like_their_yaml_twins() {
    for path in common::studio_json_examples() {
        let twin = Path::new("scripts").join(path.file_stem().unwrap()).with_extension("yaml");
        let (got, errors) = findings(&path);
        if twin.is_file() {
            assert_eq!(got, findings(&twin).0, "{} vs {}", path.display(), twin.display());
        } else {
            assert!(!errors, "{}: {got:?}", path.display());
        }
    }
}

#[test]
fn header_parser_reads_codes_and_actions() {
    let h =
        "Expected lint: M001 at actions show-start and show-stop (warnings); also O001 at action record-ivr.";
    let want: BTreeSet<(String, String)> =
        [("M001", "show-start"), ("M001", "show-stop"), ("O001", "record-ivr")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
    assert_eq!(expected(h), want);
}
