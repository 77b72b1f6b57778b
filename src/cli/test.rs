//! `recflow test [FILES|DIRS]`: find the `*.test.yaml` files, load each with its script,
//! tenant and traffic (`world.rs`), run its cases (`crate::scenario`), print the report.
//! Exit 0 every case passed, 1 a case failed, 2 a file could not be loaded or resolved (the
//! other files still run, so one typo does not hide the rest).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::args::TestFormat;
use super::config::{ModelOptions, Term, Test};
use super::world::{World, load_world};
use super::{ExitKind, write_stdout};
use crate::scenario::render::{self, FileResults, ScriptCoverage};
use crate::scenario::{self, run};
use crate::sim::coverage::Coverage;
use crate::source::LoadErrors;

/// Folders `recflow test` does not search: build output and VCS / tool folders.
fn skipped(dir: &Path) -> bool {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
    (name.starts_with('.') && name != "." && name != "..") || name == "target" || name == "node_modules"
}

pub fn is_test_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".test.yaml") || n.ends_with(".test.yml"))
}

/// The test files under `dir`, recursively, sorted (so the output order never depends on the
/// file system).
fn find(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if !skipped(&path) {
                find(&path, out)?;
            }
        } else if is_test_file(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// `./x` → `x`, for shorter names in the report.
fn display(path: &Path) -> String {
    path.strip_prefix(".").unwrap_or(path).display().to_string()
}

pub fn run(term: &Term, a: &Test) -> std::io::Result<ExitKind> {
    let mut files = Vec::new();
    let mut unloaded = 0usize;
    for path in &a.paths {
        if path.is_dir() {
            let before = files.len();
            if let Err(e) = find(path, &mut files) {
                eprintln!("recflow test: cannot read folder `{}`: {e}", path.display());
                unloaded += 1;
            } else if files.len() == before {
                eprintln!(
                    "recflow test: no test file (*.test.yaml) under `{}` (docs/testing.md)",
                    path.display()
                );
                unloaded += 1;
            }
        } else if path.exists() {
            files.push(path.clone());
        } else {
            eprintln!("recflow test: `{}` does not exist", path.display());
            unloaded += 1;
        }
    }

    let mut results: Vec<FileResults> = Vec::new();
    // Coverage per script (by its path as the test file names it), with the world of the
    // first file that tested it (for file:line of the unexercised branches).
    let mut coverage: BTreeMap<String, (Coverage, World, usize)> = BTreeMap::new();
    let mut stamp = 0u64;
    for path in &files {
        let file = match scenario::load(path) {
            Ok(f) => f,
            Err(errs) => {
                term.load_errors(&errs);
                unloaded += 1;
                continue;
            }
        };
        let model = ModelOptions {
            tenant: file.tenant.clone(),
            traffic: file.traffic.clone(),
            calls: None,
            seed: None,
            threads: 1,
            library: a.library.clone(),
        };
        let Some(world) = load_world(term, &file.script, &model) else {
            eprintln!(
                "recflow test: `{}` tests `{}`, which cannot be loaded",
                display(path),
                file.script.display()
            );
            unloaded += 1;
            continue;
        };
        let script_name = display(&file.script);
        let mut suite = match scenario::prepare(&file, &world.script, world.program(), a.filter.as_deref()) {
            Ok(s) => s,
            Err(errors) => {
                term.load_errors(&LoadErrors { errors });
                unloaded += 1;
                continue;
            }
        };
        let cases = if a.coverage {
            let entry = coverage
                .entry(script_name.clone())
                .or_insert_with(|| (Coverage::new(&suite.program), world, 0));
            entry.2 += suite.cases.len();
            let mut cov = Coverage::new(&suite.program);
            let cases = run::run(&mut suite, &file, &script_name, Some((&mut cov, &mut stamp)));
            entry.0.merge(&cov);
            cases
        } else {
            run::run(&mut suite, &file, &script_name, None)
        };
        results.push(FileResults {
            file: display(path),
            script: script_name,
            cases,
            filtered_out: suite.filtered_out,
        });
    }

    let coverage: Vec<ScriptCoverage> = coverage
        .into_iter()
        .map(|(script, (cov, world, cases))| ScriptCoverage {
            script,
            cases,
            report: cov.report(),
            unexercised: world.unexercised(&cov),
        })
        .collect();
    let text = match a.format {
        TestFormat::Human => render::human(&results, &coverage, unloaded),
        TestFormat::Json => render::json(&results, &coverage, unloaded),
        TestFormat::Junit => render::junit(&results, unloaded),
    };
    write_stdout(&text)?;
    let t = render::totals(&results);
    Ok(if unloaded > 0 {
        ExitKind::BadInput
    } else if t.failed > 0 {
        ExitKind::Findings
    } else {
        ExitKind::Ok
    })
}
