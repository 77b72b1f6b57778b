//! `docs/rules/` is generated from the rule files' documentation and the findings catalogue
//! (`src/sim/findings.rs`). This test fails when the
//! committed pages are stale; regenerate with `RECFLOW_UPDATE_DOCS=1 cargo test --test lint_docs`.

use std::path::Path;

use recflow::lint::{RULES, registry};

#[test]
fn rule_docs_are_up_to_date() {
    let update = std::env::var_os("RECFLOW_UPDATE_DOCS").is_some();
    let dir = Path::new("docs/rules");
    let mut pages: Vec<(String, String)> =
        RULES.iter().map(|r| (format!("{}.md", r.code), r.markdown())).collect();
    // Run-time findings (issue 19 point 4): one page per catalogue entry, and their table in
    // the same index, so `docs/rules` documents static rules and findings together.
    pages.extend(recflow::sim::findings::KINDS.iter().map(|k| (format!("{}.md", k.code), k.markdown())));
    pages.push(("README.md".into(), registry::docs_index() + &recflow::sim::findings::docs_index()));
    let mut stale = Vec::new();
    for (file, text) in &pages {
        let path = dir.join(file);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            if update {
                std::fs::create_dir_all(dir).unwrap();
                std::fs::write(&path, text).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule docs (RECFLOW_UPDATE_DOCS=1 cargo test --test lint_docs): {stale:?}"
    );
}
