//! Every example in `scripts/` says in its header comment what `recflow lint` finds
//! ("Expected lint: no errors." / "Expected lint: C001 at action consent ..."). This test holds
//! the examples to their word: the set of rule codes lint reports must be exactly the codes the
//! comment names. A Studio JSON example without comments must lint like its YAML twin.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::{recflow, studio_json_examples, yaml_examples};

fn lint_codes(path: &Path) -> BTreeSet<String> {
    let out = recflow().args(["lint", "--format", "json"]).arg(path).output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect()
}

/// Rule codes named in the `# Expected lint:` paragraph of the header comment.
fn expected_codes(text: &str) -> Option<BTreeSet<String>> {
    let mut para = String::new();
    let mut inside = false;
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        let body = line.trim_start_matches('#').trim();
        if body.starts_with("Expected lint:") {
            inside = true;
        } else if inside && (body.is_empty() || body.ends_with(':') && !body.contains(' ')) {
            break;
        }
        if inside {
            para.push_str(body);
            para.push(' ');
        }
    }
    if !inside {
        return None;
    }
    let codes = para
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            w.len() == 4 && w.as_bytes()[0].is_ascii_uppercase() && w[1..].bytes().all(|b| b.is_ascii_digit())
        })
        .map(str::to_owned)
        .collect();
    Some(codes)
}

#[test]
fn every_example_lints_as_its_comment_says() {
    let files = yaml_examples();
    assert!(files.len() >= 12);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let expected = expected_codes(&text)
            .unwrap_or_else(|| panic!("{} has no `# Expected lint:` line in its header", f.display()));
        assert_eq!(lint_codes(&f), expected, "{}", f.display());
    }
}

#[test]
fn studio_json_examples_lint_like_their_yaml_twins() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts");
    for json in studio_json_examples() {
        let yaml = root.join(json.file_stem().unwrap()).with_extension("yaml");
        if yaml.exists() {
            assert_eq!(lint_codes(&json), lint_codes(&yaml), "{}", json.display());
        } else {
            // Studio-shaped examples say what they expect in their header description.
            let text = std::fs::read_to_string(&json).unwrap();
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let d = v["header"]["description"].as_str().unwrap_or_default();
            let at = d
                .find("Expected lint:")
                .unwrap_or_else(|| panic!("{}: no `Expected lint:` in the description", json.display()));
            let expected = expected_codes(&format!("# {}", &d[at..])).unwrap();
            assert_eq!(lint_codes(&json), expected, "{}", json.display());
        }
    }
}

#[test]
fn the_comment_parser_reads_codes() {
    let t = "# Scenario.\n# Expected lint: P001 at action card (error); also O001 at action\n# record-ivr (warning).\nscript: x\n";
    assert_eq!(expected_codes(t).unwrap(), BTreeSet::from(["O001".to_owned(), "P001".to_owned()]));
    assert_eq!(expected_codes("# Expected lint: no errors.\n").unwrap(), BTreeSet::new());
    assert_eq!(expected_codes("script: x\n"), None);
}
