//! Issue 11 point 5: a property the action's CXone help page does not list loads with a located
//! `load::unknown-property` warning (did-you-mean from the shared `did_you_mean`); `--strict`
//! makes it an error (through the CLI: `tests/cli/lint/unknown_property.rs`). Only property
//! lists read from the help page warn: a recalled list never flags a real script.

mod common;

use std::path::Path;

use common::scripts::{UNKNOWN_PROPERTY as CODE, UNKNOWN_PROPERTY_TYPO as TYPO};
use recflow::script::catalogue::{self, Evidence};

#[test]
fn unknown_property_warns_at_its_name_with_did_you_mean() {
    let script = recflow::script::load_str("t.yaml", TYPO).unwrap();
    let w: Vec<_> = script.warnings.iter().filter(|w| w.kind.code() == CODE).collect();
    assert_eq!(w.len(), 2, "{:?}", script.warnings);
    // At the property name: line 6, column of `MaxDigit`.
    let col = TYPO.lines().nth(5).unwrap().find("MaxDigit").unwrap() + 1;
    assert_eq!(w[0].line_col(), Some((6, col)));
    assert!(w[0].message.contains("`MaxDigit`") && w[0].message.contains("CAPTURE"), "{}", w[0].message);
    assert!(w[0].help.as_deref().unwrap().contains("did you mean `MaxDigits`?"), "{:?}", w[0].help);
    // A type with no properties says so; nothing close to suggest.
    assert_eq!(w[1].line_col().map(|l| l.0), Some(10));
    assert_eq!(w[1].labels[0].1, "DONOTRECORD has no properties");
    // `inter_digit_timeout` is the help's `Inter Digit Timeout` spelt another way: no warning.
    assert!(!script.warnings.iter().any(|w| w.message.contains("inter_digit_timeout")));
}

#[test]
fn recalled_property_lists_never_warn() {
    // Any property on a type whose list is not from its help page loads silently.
    let recalled: Vec<&str> = catalogue::CATALOGUE
        .iter()
        .filter(|s| s.properties_evidence == Evidence::Recalled)
        .map(|s| s.name)
        .collect();
    assert!(!recalled.is_empty());
    for name in recalled {
        let text = format!(
            "script: r\nactions:\n  - {{id: b, type: BEGIN, next: x}}\n  - id: x\n    type: {name}\n    properties: {{SomethingNobodyDocuments: 1}}\n"
        );
        let Ok(script) = recflow::script::load_str("r.yaml", &text) else { continue };
        assert!(!script.warnings.iter().any(|w| w.kind.code() == CODE), "{name}: {:?}", script.warnings);
    }
}

#[test]
fn read_property_lists_cite_their_page_and_cover_what_recflow_reads() {
    for s in catalogue::CATALOGUE.iter().filter(|s| s.properties_evidence == Evidence::Read) {
        assert!(s.cite.starts_with("https://help."), "{}: {}", s.name, s.cite);
    }
    // The typed properties the loader reads must be listed, or a correct script would warn.
    let typed: &[(&str, &[&str])] =
        &[("CASE", &["Variable"]), ("CAPTURE", &["Variable", "MaxDigits", "Timeout"])];
    for (name, props) in typed {
        let s = catalogue::lookup(name).unwrap();
        for p in *props {
            assert!(s.knows_property(p), "{name} {p}");
        }
    }
}

#[test]
fn corpus_and_examples_have_no_unknown_property_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = common::script_files(&root.join("tests/fixtures/studio"));
    files.extend(common::example_scripts());
    assert!(files.len() > 20);
    for f in files {
        let Ok(script) = recflow::script::load_path(&f) else { continue };
        let w: Vec<String> = script
            .warnings
            .iter()
            .filter(|w| w.kind.code() == CODE)
            .map(|w| format!("{}: {}", w.location(), w.message))
            .collect();
        assert!(w.is_empty(), "{}: {w:?}", f.display());
    }
}
