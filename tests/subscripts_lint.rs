//! Issue 13, lint across scripts: C001 and S001 found in a subscript, reported at the
//! subscript's own file:line with a path that crosses files (`recflow lint DIR`, each finding
//! once, is in `tests/cli/lint/subscripts.rs`).

mod common;

use common::repo;

use std::path::Path;

use recflow::library::{self, Options, link::link};
use recflow::lint::{self, Config, linked::FileFindings};

fn lint_entry(p: &str) -> Vec<FileFindings> {
    let lib = library::load(&repo(p), &Options::default()).unwrap();
    lint::linked::lint(&link(&lib).unwrap(), &Config::default())
}

fn file_of(f: &FileFindings) -> String {
    Path::new(&*f.view.source.name).file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn c001_in_a_subscript_is_reported_in_its_own_file_with_a_cross_file_path() {
    let out = lint_entry("scripts/tenant-consent-subscript/mistake-main.yaml");
    let errors: Vec<(String, &lint::Diagnostic)> = out
        .iter()
        .flat_map(|f| f.found.iter().map(move |d| (file_of(f), d)))
        .filter(|(_, d)| d.severity == lint::Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let (file, d) = &errors[0];
    assert_eq!(d.code, "C001");
    assert_eq!(file, "consent-no-input-leak.yaml");
    let view = &out.iter().find(|f| file_of(f) == *file).unwrap().view;
    let (line, _) = view.source.line_col(d.primary.span.offset);
    assert_eq!(line, 18, "the MENU's `default` branch");
    let ids = d.path_ids(view);
    assert_eq!(ids.first().map(String::as_str), Some("begin"));
    assert!(ids.contains(&"consent-no-input-leak:ask".to_string()), "{ids:?}");
    assert!(ids.contains(&"routing:queue".to_string()), "{ids:?}");
    // Each step is labelled with its own file:line.
    assert!(
        d.help.contains("consent-no-input-leak:ask [default] (consent-no-input-leak.yaml:10)"),
        "{}",
        d.help
    );
    assert!(d.help.contains("routing:queue (routing.yaml:20)"), "{}", d.help);
}

#[test]
fn the_correct_tenant_has_no_errors() {
    for p in [
        "scripts/tenant-consent-subscript/main.yaml",
        "scripts/tenant-consent-subscript/studio-json/main.json",
    ] {
        let out = lint_entry(p);
        let errors: Vec<_> =
            out.iter().flat_map(|f| &f.found).filter(|d| d.severity == lint::Severity::Error).collect();
        assert!(errors.is_empty(), "{p}: {errors:#?}");
    }
}

#[test]
fn studio_json_twin_of_the_mistake_has_the_same_c001() {
    let out = lint_entry("scripts/tenant-consent-subscript/studio-json/mistake-main.json");
    let c001: Vec<_> = out.iter().filter(|f| f.found.iter().any(|d| d.code == "C001")).map(file_of).collect();
    assert_eq!(c001, ["consent-no-input-leak.json"]);
}

#[test]
fn s001_across_files() {
    let out = lint_entry("tests/fixtures/subscripts/statement/main.yaml");
    let s001: Vec<_> = out
        .iter()
        .flat_map(|f| f.found.iter().map(move |d| (file_of(f), d)))
        .filter(|(_, d)| d.code == "S001")
        .collect();
    assert_eq!(s001.len(), 2, "{s001:#?}");
    for (file, d) in &s001 {
        assert_eq!(file, "statement.yaml");
        let ids = d.path_ids(&out[0].view);
        assert_eq!(ids[..2], ["begin", "take"]);
        // The path crosses into the subscript, each step labelled with its own file:line.
        assert!(ids.contains(&"statement:start".to_string()), "{ids:?}");
        assert!(
            d.help.contains(
                "steps: begin (main.yaml:6) → take (main.yaml:9) → statement:begin (statement.yaml:4)"
            ),
            "{}",
            d.help
        );
        let cross = d.cross.as_deref().expect("a cross-file finding carries each step's place");
        let files: Vec<&str> =
            cross.steps.iter().flatten().map(|p| p.file.rsplit('/').next().unwrap_or(&p.file)).collect();
        assert_eq!(files[..3], ["main.yaml", "main.yaml", "statement.yaml"]);
    }
}

/// Lint ⇔ simulate over the multi-script examples (the single-file cross-check lives in
/// `lint_crosscheck.rs`): every finding kind simulate reports is flagged by lint across the
/// files, and C001 is reported exactly when simulate records a caller who declined (the
/// subscript's `declined` ASSIGN on the path, then a recording).
#[test]
fn lint_and_simulate_agree_across_files() {
    use recflow::model::Tenant;
    use recflow::sim;
    let cases = [
        (
            "scripts/tenant-consent-subscript/main.yaml",
            Some("examples/traffic-tenant-consent-subscript.yaml"),
        ),
        (
            "scripts/tenant-consent-subscript/mistake-main.yaml",
            Some("examples/traffic-tenant-consent-subscript-mistake.yaml"),
        ),
        (
            "scripts/tenant-consent-subscript/studio-json/main.json",
            Some("examples/traffic-tenant-consent-subscript.yaml"),
        ),
        (
            "scripts/tenant-consent-subscript/studio-json/mistake-main.json",
            Some("examples/traffic-tenant-consent-subscript-mistake.yaml"),
        ),
        ("tests/fixtures/subscripts/statement/main.yaml", None),
        ("tests/fixtures/subscripts/vars/main.yaml", None),
    ];
    for (entry, traffic) in cases {
        let lib = library::load(&repo(entry), &Options::default()).unwrap();
        let linked = link(&lib).unwrap();
        let codes: std::collections::BTreeSet<&str> = lint::linked::lint(&linked, &Config::default())
            .iter()
            .flat_map(|f| f.found.iter().map(|d| d.code))
            .collect();
        let traffic = match traffic {
            Some(t) => {
                recflow::model::traffic::load_traffic_with_warnings(&repo(t), &linked.script).unwrap().0
            }
            None => recflow::model::Traffic::default(),
        };
        let p = sim::Compiled::compile_linked(&linked, &Tenant::default(), &traffic);
        let report = sim::simulate(&p, 500, |_| {});
        // Every kind the catalogue says lint predicts, with its predicting rules.
        let mut seen: Vec<(&str, u64, Vec<&str>)> = sim::findings::KINDS
            .iter()
            .filter(|k| !k.predicted_by.is_empty())
            .map(|k| {
                (
                    k.name,
                    report.findings.get(k.finding),
                    k.predicted_by.iter().map(|r| r.rule().code).collect(),
                )
            })
            .collect();
        seen.push(("statements_lost", report.statements.lost, vec!["S001", "S002"]));
        for (kind, n, by) in seen {
            assert!(
                n == 0 || by.iter().any(|c| codes.contains(c)),
                "{entry}: simulate {kind} = {n}, lint {codes:?}"
            );
        }
        let leaked = (0..500).any(|i| {
            let o = sim::driver::one(&p, i);
            o.path.iter().any(|&ix| p.id(ix).ends_with(":declined")) && !o.recordings.is_empty()
        });
        assert_eq!(leaked, codes.contains("C001"), "{entry}: simulate leak {leaked}, lint {codes:?}");
    }
}
