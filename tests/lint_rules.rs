//! One fixture per rule (`tests/fixtures/lint/<CODE>-<name>.yaml`). Each fixture's header lists
//! the findings it must produce (`# expect: CODE ACTION`), covering where the rule fires and a
//! case where it must not; the test checks exactly those findings come out, and snapshots the
//! input followed by the rendered diagnostics (`snapshots/lint__<CODE>-<name>.snap`).

use std::path::{Path, PathBuf};

use recflow::lint::{self, Config};
use recflow::model::{Match, Policy, Tenant};

pub fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("tests/fixtures/lint")
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

/// The tenant O004's fixture is linted with: `Sales QA` records 50% of skill Sales.
fn half_sales_tenant() -> Tenant {
    Tenant {
        recording_policies: vec![Policy {
            name: "Sales QA".into(),
            priority: Some(1),
            percent: 50.0,
            matches: Match { skills: vec!["Sales".into()], ..Match::default() },
            continue_after_external_transfer: false,
            continue_after_disposition: false,
        }],
        ..Tenant::default()
    }
}

fn expected(text: &str) -> Vec<String> {
    let mut v: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# expect:"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    v.sort();
    v
}

fn lint_fixture(path: &Path) -> (String, String, Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let script =
        recflow::script::load_str(&name, &text).unwrap_or_else(|e| panic!("{name}: {}", e.render_plain(100)));
    let tenant = name.starts_with("O004").then(half_sales_tenant);
    let found = lint::lint(&script, &Config { tenant, ..Config::default() });
    let mut got: Vec<String> =
        found.iter().map(|d| format!("{} {}", d.code, script.action(d.action).id)).collect();
    got.sort();
    let rendered = lint::render::human(&script, &found, 100, false);
    (text, rendered, got)
}

#[test]
fn every_fixture_reports_exactly_its_expected_findings() {
    let mut failures = Vec::new();
    for path in fixtures() {
        let (text, rendered, got) = lint_fixture(&path);
        let want = expected(&text);
        if got != want {
            failures.push(format!("{}: expected {want:?}, got {got:?}\n{rendered}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn fixture_snapshots() {
    for path in fixtures() {
        let (text, rendered, _) = lint_fixture(&path);
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let body = format!("# Input\n\n```yaml\n{text}```\n\n# Diagnostics\n\n```\n{rendered}```\n");
        insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(format!("lint__{stem}"), body);
        });
    }
}
