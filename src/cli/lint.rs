//! `recflow lint`: load every script (load errors → exit 2, the other scripts are still linted),
//! lint each, print all findings in one format, exit 0 / 1 / 2 (FORMATS §7).
//!
//! With `--fix` each script is repaired first (`lint::fix::fix_script`: proven fixes only) and
//! written back in place atomically; `--diff` prints the unified diff instead and writes nothing.
//! The findings printed are the ones that remain.

use std::io::{IsTerminal, Write};

use super::args::{Deny, LintArgs, LintFormat};
use super::{ExitKind, report_load_errors, write_stdout};
use crate::lint::fix::{self, Applicability};
use crate::lint::{self, Config, Diagnostic, Severity, render};
use crate::script::{self, Script};

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
    let fixing = a.fix || a.diff;
    let mut bad_input = false;
    let mut unloaded = 0usize;
    let mut linted: Vec<(Script, Vec<Diagnostic>)> = Vec::new();
    let mut fixed_count = 0usize;
    let mut fixed_scripts = 0usize;
    let mut diffs = String::new();
    for path in &a.scripts {
        match script::load_path(path) {
            Ok(s) if fixing => {
                let fixed = fix::fix_script(&s, &config, a.unsafe_fixes);
                if fixed.changed() {
                    fixed_count += fixed.applied.len();
                    fixed_scripts += 1;
                    let new_text: &str = &fixed.script.source.text;
                    if a.diff {
                        let name: &str = &s.source.name;
                        diffs.push_str(&crate::diff::align::unified(name, name, &s.source.text, new_text, 3));
                    } else if let Err(e) = write_in_place(path, new_text.as_bytes()) {
                        eprintln!("recflow lint: cannot write `{}`: {e}", path.display());
                        bad_input = true;
                    }
                }
                linted.push((fixed.script, fixed.remaining));
            }
            Ok(s) => {
                let mut found = lint::lint(&s, &config);
                fix::keep_proven(&s, &config, &mut found);
                linted.push((s, found));
            }
            Err(errs) => {
                report_load_errors(&errs);
                bad_input = true;
                unloaded += 1;
            }
        }
    }
    // Findings sorted by file, then (within a file) position and code.
    linted.sort_by(|x, y| x.0.source.name.cmp(&y.0.source.name));
    let results: Vec<(&Script, &[Diagnostic])> = linted.iter().map(|(s, d)| (s, d.as_slice())).collect();
    let all: Vec<&Diagnostic> = results.iter().flat_map(|(_, ds)| ds.iter()).collect();
    let fix_summary = fixing.then(|| {
        let verb = if a.diff { "would fix" } else { "fixed" };
        format!(
            "{verb} {fixed_count} finding{} in {fixed_scripts} script{}; {} remaining\n",
            plural(fixed_count),
            plural(fixed_scripts),
            all.len()
        )
    });
    if a.diff {
        write_stdout(&diffs)?;
        eprint!("{}", fix_summary.as_deref().unwrap_or(""));
    } else {
        match a.format {
            LintFormat::Json => write_stdout(&render::json(&results))?,
            LintFormat::Sarif => write_stdout(&render::sarif(&results))?,
            LintFormat::Human => {
                let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                let mut text = String::new();
                for (s, ds) in &results {
                    text.push_str(&render::human_fixes(s, ds, 100, color, a.unsafe_fixes));
                }
                let files = results.len();
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
                if let Some(f) = &fix_summary {
                    text.push_str(f);
                } else {
                    text.push_str(&fixable_hint(&all, a.unsafe_fixes));
                }
                write_stdout(&text)?;
            }
        }
        if let (Some(f), false) = (&fix_summary, matches!(a.format, LintFormat::Human)) {
            eprint!("{f}");
        }
    }
    let _ = std::io::stderr().flush();
    if bad_input {
        return Ok(ExitKind::BadInput);
    }
    let fails = |d: &&Diagnostic| {
        d.severity == Severity::Error || (a.deny == Some(Deny::Warnings) && d.severity == Severity::Warning)
    };
    if all.iter().any(fails) || (a.diff && fixed_count > 0) {
        Ok(ExitKind::Findings)
    } else {
        Ok(ExitKind::Ok)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `[*] 2 fixable with `--fix` (1 more with `--unsafe-fixes`)`, or nothing.
fn fixable_hint(all: &[&Diagnostic], unsafe_fixes: bool) -> String {
    let count = |ap| all.iter().filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == ap)).count();
    let (safe, unsafe_) = (count(Applicability::Safe), count(Applicability::Unsafe));
    match (safe, unsafe_, unsafe_fixes) {
        (0, 0, _) => String::new(),
        (s, u, true) => format!("[*] {} fixable with `recflow lint --fix --unsafe-fixes`\n", s + u),
        (s, 0, false) => format!("[*] {s} fixable with `recflow lint --fix`\n"),
        (0, u, false) => {
            format!("{u} fixable with `recflow lint --fix --unsafe-fixes` (unsafe: they change recording)\n")
        }
        (s, u, false) => format!(
            "[*] {s} fixable with `recflow lint --fix` ({u} more with `--fix --unsafe-fixes`: they change recording)\n"
        ),
    }
}

/// Write a fixed script over its file, atomically (temporary file in the same folder, then a
/// rename). A symbolic link is followed: the file it points at is replaced, the link stays.
fn write_in_place(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let perms = std::fs::metadata(&target)?.permissions();
    super::output::write_atomic(&target, bytes)?;
    std::fs::set_permissions(&target, perms)
}
