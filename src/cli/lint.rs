//! `recflow lint`: load every script (load errors → exit 2, the other scripts are still linted),
//! lint each, print all findings in one format, exit 0 / 1 / 2 (FORMATS §7).
//!
//! With `--fix` each script is repaired first (`lint::fix::fix_script`: proven fixes only) and
//! written back in place atomically; `--diff` prints the unified diff instead and writes nothing.
//! The findings printed are the ones that remain. Scripts linked with their subscripts are
//! linted but not fixed (their findings carry no fix).

use std::io::Write;

use super::args::LintFormat;
use super::config::{FixMode, Lint, Term};
use super::world::load_lint_tenant;
use super::{ExitKind, write_stdout};
use crate::library::{self, link};
use crate::lint::fix::{self, Applicability};
use crate::lint::{self, Config, Diagnostic, Severity, render};
use crate::script::{self, LoadErrors, Script};

/// Lint every entry script (the files given; for a folder, its scripts that no other script there
/// calls) with its folder as library. A finding in a script reached from two entries is reported
/// once. Returns the findings per file and the number of entry scripts that could not be loaded.
/// With `fixing` (= `Some(unsafe_fixes)`), single scripts are fixed first and each changed one is
/// pushed onto `fixed` (path, old text, the fix result).
#[allow(clippy::too_many_arguments)] // one private step of `run`, its state passed explicitly
fn lint_library(
    term: &Term,
    paths: &[std::path::PathBuf],
    options: &library::Options,
    config: &Config,
    strict: bool,
    load: &mut render::LoadProblems,
    fixing: Option<bool>,
    fixed: &mut Vec<(std::path::PathBuf, Script, fix::Fixed)>,
) -> (Vec<(Script, Vec<Diagnostic>)>, usize) {
    let mut unloaded = 0usize;
    let mut entries = Vec::new();
    for p in paths {
        if p.is_dir() {
            let found = library::entries(p, options);
            if found.is_empty() {
                // Nothing to lint is not "ok" (issue 21): a typo'd or empty folder is an input error.
                let err = script::LoadError::new(
                    script::LoadErrorKind::Io,
                    format!("`{}` contains no scripts (*.yaml, *.yml, *.json); nothing to lint", p.display()),
                )
                .with_help("give a folder with scripts, or the script files themselves");
                term.load_errors(&LoadErrors { errors: vec![err.clone()] });
                load.errors.push((p.display().to_string(), err));
                unloaded += 1;
            }
            entries.extend(found);
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
                term.load_errors(&errs);
                load.errors.extend(errs.errors.into_iter().map(|e| (file.clone(), e)));
                unloaded += 1;
                continue;
            }
        };
        // The scripts' load warnings (docs/lint.md): reported, or under `--strict` load errors.
        let warnings: Vec<script::LoadError> = lib
            .scripts
            .iter()
            .flat_map(|e| e.script.warnings.iter().cloned().chain(script::snippet_warnings(&e.script)))
            .collect();
        // A `{var}` template in a typed property is legal Studio that simulate resolves per
        // contact (load::templated-value): reported, never a `--strict` error (issue 25: real
        // exports use templates; `--strict` must accept them).
        let escalated = |w: &script::LoadError| w.kind != script::LoadErrorKind::TemplatedValue;
        if strict && warnings.iter().any(escalated) {
            let errs = LoadErrors {
                errors: warnings
                    .into_iter()
                    .filter(escalated)
                    .map(|mut w| {
                        w.severity = miette::Severity::Error;
                        w
                    })
                    .collect(),
            };
            term.load_errors(&errs);
            load.errors.extend(errs.errors.into_iter().map(|e| (file.clone(), e)));
            unloaded += 1;
            continue;
        }
        term.warnings(&warnings);
        load.warnings.extend(warnings.into_iter().map(|w| (file.clone(), w)));
        if !lib.warnings.is_empty() {
            term.load_errors(&script::LoadErrors { errors: lib.warnings.clone() });
        }
        let per_file = if lib.is_single() {
            let s = lib.scripts.into_iter().next().expect("a library has its entry").script;
            match fixing {
                Some(unsafe_fixes) => {
                    let f = fix::fix_script(&s, config, unsafe_fixes);
                    let out = (f.script.clone(), f.remaining.clone());
                    if f.changed() {
                        fixed.push((path.clone(), s, f));
                    }
                    vec![out]
                }
                None => {
                    let mut found = lint::lint(&s, config);
                    fix::keep_proven(&s, config, &mut found);
                    vec![(s, found)]
                }
            }
        } else {
            match link::link(&lib) {
                Ok(linked) => lint::linked::lint(&linked, config)
                    .into_iter()
                    .map(|mut f| {
                        // Fixes are written through one file's spans; a linked view is not fixed.
                        f.found.iter_mut().for_each(|d| d.fix = None);
                        (f.view, f.found)
                    })
                    .collect(),
                Err(errs) => {
                    term.load_errors(&errs);
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

/// Lint (and with `--fix` / `--diff` fix) every script; the rule selection was checked when the
/// `Config` was built.
pub fn run(term: &Term, a: Lint) -> std::io::Result<ExitKind> {
    let mut config = a.rules;
    if let Some(path) = &a.tenant {
        match load_lint_tenant(term, path) {
            Some(t) => config.tenant = Some(t),
            None => return Ok(ExitKind::BadInput),
        }
    }
    let diff_only = a.fix == FixMode::Diff;
    let fixing = (a.fix != FixMode::Off).then_some(a.unsafe_fixes);
    let mut fixed = Vec::new();
    let mut load = render::LoadProblems::default();
    let (mut linted, unloaded) =
        lint_library(term, &a.scripts, &a.library, &config, a.strict, &mut load, fixing, &mut fixed);
    let mut bad_input = unloaded > 0;
    let mut diffs = String::new();
    let mut failed = Vec::new();
    for (i, (path, old, f)) in fixed.iter().enumerate() {
        let new_text: &str = &f.script.source.text;
        if diff_only {
            let name: &str = &f.script.source.name;
            diffs.push_str(&crate::diff::align::unified(name, name, &old.source.text, new_text, 3));
        } else if let Err(e) = write_in_place(path, new_text.as_bytes()) {
            // The error names the path already (`cannot write `a.yaml`: ...`): said once (F14).
            eprintln!("recflow lint: {e}; nothing was fixed in it");
            bad_input = true;
            failed.push(i);
            // The file keeps its findings: report those of the text on disk, not of the fix.
            let name = &f.script.source.name;
            if let Some(entry) = linted.iter_mut().find(|(s, _)| &s.source.name == name) {
                let mut found = lint::lint(old, &config);
                fix::keep_proven(old, &config, &mut found);
                *entry = (old.clone(), found);
            }
        }
    }
    // Only what reached the disk (or, with `--diff`, would) counts as fixed.
    let mut i = 0;
    fixed.retain(|_| {
        i += 1;
        !failed.contains(&(i - 1))
    });
    let fixed_count: usize = fixed.iter().map(|(_, _, f)| f.applied.len()).sum();
    // Findings sorted by file, then (within a file) position and code.
    linted.sort_by(|x, y| x.0.source.name.cmp(&y.0.source.name));
    let results: Vec<(&Script, &[Diagnostic])> = linted.iter().map(|(s, d)| (s, d.as_slice())).collect();
    let all: Vec<&Diagnostic> = results.iter().flat_map(|(_, ds)| ds.iter()).collect();
    let fix_summary = fixing.map(|_| {
        let verb = if diff_only { "would fix" } else { "fixed" };
        format!(
            "{verb} {fixed_count} finding{} in {} script{}; {} remaining\n",
            plural(fixed_count),
            fixed.len(),
            plural(fixed.len()),
            all.len()
        )
    });
    if diff_only {
        super::write_human(&diffs, false)?;
        eprint!("{}", fix_summary.as_deref().unwrap_or(""));
    } else if let Some(f) = fix_summary.as_ref().filter(|_| !matches!(a.format, LintFormat::Human)) {
        eprint!("{f}");
    }
    match a.format {
        _ if diff_only => {}
        LintFormat::Json => write_stdout(&render::json_with_load(&results, &load))?,
        LintFormat::Sarif => write_stdout(&render::sarif_with_load(&results, &load))?,
        LintFormat::Human => {
            let color = term.stdout_color;
            let mut text = String::new();
            for (s, ds) in &results {
                text.push_str(&render::human_fixes(
                    s,
                    ds,
                    term.width,
                    color,
                    a.unsafe_fixes,
                    !config.full_paths,
                ));
            }
            let files = results.len();
            // The load warnings printed above count too (issue 25: `0 errors, 1 warning` left
            // them out).
            let load_warnings = match load.warnings.len() {
                0 => String::new(),
                n => format!("; {n} load warning{} (above)", plural(n)),
            };
            if unloaded > 0 {
                // Never "ok" when a script was not even read (issue 10.11).
                text.push_str(&format!(
                    "lint: {unloaded} script{} could not be loaded (errors above); {} in the {files} script{} linted{load_warnings}\n",
                    plural(unloaded),
                    render::summary(&all),
                    plural(files)
                ));
            } else {
                text.push_str(&format!(
                    "{}: {} in {files} script{}{load_warnings}\n",
                    if all.is_empty() && load.warnings.is_empty() { "ok" } else { "lint" },
                    render::summary(&all),
                    plural(files)
                ));
            }
            match &fix_summary {
                Some(f) => text.push_str(f),
                None => text.push_str(&fixable_hint(&all, a.unsafe_fixes)),
            }
            super::write_human(&text, color)?;
        }
    }
    let _ = std::io::stderr().flush();
    if bad_input {
        return Ok(ExitKind::BadInput);
    }
    let fails = |d: &&Diagnostic| {
        d.severity == Severity::Error || (a.deny_warnings && d.severity == Severity::Warning)
    };
    if all.iter().any(fails) || (diff_only && fixed_count > 0) {
        Ok(ExitKind::Findings)
    } else {
        Ok(ExitKind::Ok)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `[*] 2 fixable with `recflow lint --fix` (1 more with `--fix --unsafe-fixes`)`, or nothing.
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

/// Write a fixed script over its file through the shared output module (`output.rs`: atomic,
/// symlink followed, permissions kept, read-only refused).
fn write_in_place(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    super::output::write_over_input(path, bytes)
}
