//! `recflow lint`: load every script (load errors → exit 2, the other scripts are still linted),
//! lint each, print all findings in one format, exit 0 / 1 / 2 (FORMATS §7).

use std::io::{IsTerminal, Write};

use super::args::{Deny, LintArgs, LintFormat};
use super::{ExitKind, report_load_errors, report_load_warnings, write_stdout};
use crate::lint::{self, Config, Diagnostic, Severity, render};
use crate::script::{self, LoadErrors, Script};

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
    let mut linted: Vec<(Script, Vec<Diagnostic>)> = Vec::new();
    for path in &a.scripts {
        let file = path.display().to_string();
        match script::load_path(path) {
            // `--strict`: what recflow cannot model refuses the script.
            Ok(s) if a.strict && !s.warnings.is_empty() => {
                let errs = LoadErrors {
                    errors: s
                        .warnings
                        .into_iter()
                        .map(|mut w| {
                            w.severity = miette::Severity::Error;
                            w
                        })
                        .collect(),
                };
                report_load_errors(&errs);
                load.errors.extend(errs.errors.into_iter().map(|e| (file.clone(), e)));
            }
            Ok(s) => {
                if !s.warnings.is_empty() {
                    report_load_warnings(&s.warnings);
                    load.warnings.extend(s.warnings.iter().map(|w| (file.clone(), w.clone())));
                }
                let found = lint::lint(&s, &config);
                linted.push((s, found));
            }
            Err(errs) => {
                report_load_errors(&errs);
                load.errors.extend(errs.errors.into_iter().map(|e| (file.clone(), e)));
            }
        }
    }
    let bad_input = !load.errors.is_empty();
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
            // Never "ok" when a script could not be loaded: a CI job reading stdout must see it.
            let failed = load.failed_files();
            let head = if !all.is_empty() || failed > 0 { "lint" } else { "ok" };
            text.push_str(&format!(
                "{head}: {} in {files} script{}",
                render::summary(&all),
                if files == 1 { "" } else { "s" }
            ));
            if failed > 0 {
                text.push_str(&format!(
                    "; {failed} script{} could not be loaded (errors on stderr)",
                    if failed == 1 { "" } else { "s" }
                ));
            }
            text.push('\n');
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
