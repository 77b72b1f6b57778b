//! `recflow lint`: load every script (load errors → exit 2, the other scripts are still linted),
//! lint each, print all findings in one format, exit 0 / 1 / 2 (FORMATS §7).

use std::io::{IsTerminal, Write};

use super::args::{Deny, LintArgs, LintFormat};
use super::{ExitKind, report_load_errors, report_load_warnings, write_stdout};
use crate::library::{self, link};
use crate::lint::{self, Config, Diagnostic, Severity, render};
use crate::script::{self, LoadErrors, Script};

/// Lint every entry script (the files given; for a folder, its scripts that no other script there
/// calls) with its folder as library. A finding in a script reached from two entries is reported
/// once. Returns the findings per file and the number of entry scripts that could not be loaded.
fn lint_library(
    paths: &[std::path::PathBuf],
    options: &library::Options,
    config: &Config,
    strict: bool,
    load: &mut render::LoadProblems,
) -> (Vec<(Script, Vec<Diagnostic>)>, usize) {
    let mut unloaded = 0usize;
    let mut entries = Vec::new();
    for p in paths {
        if p.is_dir() {
            entries.extend(library::entries(p, options));
        } else {
            entries.push(p.clone());
        }
    }
    let mut linted: Vec<(Script, Vec<Diagnostic>)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for path in &entries {
        let file = path.display().to_string();
        let lib = match library::load(path, options) {
            Ok(lib) => lib,
            Err(errs) => {
                report_load_errors(&errs);
                load.errors.extend(errs.errors.into_iter().map(|e| (file.clone(), e)));
                unloaded += 1;
                continue;
            }
        };
        // The scripts' load warnings (docs/lint.md): reported, or under `--strict` load errors.
        let warnings: Vec<script::LoadError> =
            lib.scripts.iter().flat_map(|e| e.script.warnings.iter().cloned()).collect();
        if strict && !warnings.is_empty() {
            let errs = LoadErrors {
                errors: warnings
                    .into_iter()
                    .map(|mut w| {
                        w.severity = miette::Severity::Error;
                        w
                    })
                    .collect(),
            };
            report_load_errors(&errs);
            load.errors.extend(errs.errors.into_iter().map(|e| (file.clone(), e)));
            unloaded += 1;
            continue;
        }
        report_load_warnings(&warnings);
        load.warnings.extend(warnings.into_iter().map(|w| (file.clone(), w)));
        if !lib.warnings.is_empty() {
            report_load_errors(&script::LoadErrors { errors: lib.warnings.clone() });
        }
        let per_file = if lib.is_single() {
            let s = lib.scripts.into_iter().next().expect("a library has its entry").script;
            let found = lint::lint(&s, config);
            vec![(s, found)]
        } else {
            match link::link(&lib) {
                Ok(linked) => {
                    lint::linked::lint(&linked, config).into_iter().map(|f| (f.view, f.found)).collect()
                }
                Err(errs) => {
                    report_load_errors(&errs);
                    load.errors.extend(errs.errors.into_iter().map(|e| (file.clone(), e)));
                    unloaded += 1;
                    continue;
                }
            }
        };
        for (i, (s, mut found)) in per_file.into_iter().enumerate() {
            found.retain(|d| seen.insert((s.source.name.clone(), d.code, d.primary.span)));
            if i == 0 || !found.is_empty() {
                linted.push((s, found));
            }
        }
    }
    (linted, unloaded)
}

pub fn run(a: LintArgs) -> std::io::Result<ExitKind> {
    let mut config = Config { select: a.select, ignore: a.ignore, tenant: None };
    if let Err(e) = config.validate() {
        eprintln!("recflow lint: {e}");
        return Ok(ExitKind::BadInput);
    }
    if let Some(path) = &a.tenant {
        match super::config::tenant_or_report(Some(path), None) {
            Some(t) => config.tenant = Some(t),
            None => return Ok(ExitKind::BadInput),
        }
    }
    let mut load = render::LoadProblems::default();
    let (mut linted, unloaded) = lint_library(&a.scripts, &a.library.options(), &config, a.strict, &mut load);
    let bad_input = unloaded > 0;
    // Findings sorted by file, then (within a file) position and code.
    linted.sort_by(|x, y| x.0.source.name.cmp(&y.0.source.name));
    let results: Vec<(&Script, &[Diagnostic])> = linted.iter().map(|(s, d)| (s, d.as_slice())).collect();
    match a.format {
        LintFormat::Json => write_stdout(&render::json_with_load(&results, &load))?,
        LintFormat::Sarif => write_stdout(&render::sarif_with_load(&results, &load))?,
        LintFormat::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let mut text = String::new();
            for (s, ds) in &results {
                text.push_str(&render::human(s, ds, 100, color));
            }
            let all: Vec<&Diagnostic> = results.iter().flat_map(|(_, ds)| ds.iter()).collect();
            let files = results.len();
            let plural = |n: usize| if n == 1 { "" } else { "s" };
            if unloaded > 0 {
                // Never "ok" when a script was not even read (issue 10.11).
                text.push_str(&format!(
                    "lint: {unloaded} script{} could not be loaded (errors above); {} in the {files} script{} linted\n",
                    plural(unloaded),
                    render::summary(&all),
                    plural(files)
                ));
            } else {
                text.push_str(&format!(
                    "{}: {} in {files} script{}\n",
                    if all.is_empty() { "ok" } else { "lint" },
                    render::summary(&all),
                    plural(files)
                ));
            }
            write_stdout(&text)?;
        }
    }
    let _ = std::io::stderr().flush();
    if bad_input {
        return Ok(ExitKind::BadInput);
    }
    let fails = |d: &&Diagnostic| {
        d.severity == Severity::Error || (a.deny == Some(Deny::Warnings) && d.severity == Severity::Warning)
    };
    if results.iter().flat_map(|(_, ds)| ds.iter()).any(|d| fails(&d)) {
        Ok(ExitKind::Findings)
    } else {
        Ok(ExitKind::Ok)
    }
}
