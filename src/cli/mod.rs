//! Stage — **cli**: command line → the library stages. The only module that touches the
//! terminal, the file system for outputs, and the process exit status.
//!
//! Exit status (FORMATS §7): 0 ok; 1 findings/mismatch/changes where a command says so;
//! 2 bad usage or input that cannot be loaded. A closed stdout pipe is not an error.

pub mod args;
pub mod completions;
pub mod config;
pub mod convert;
pub mod diff;
pub mod explain;
pub mod graph;
pub mod lint;
pub mod output;
pub mod report;
pub mod rules;
pub mod simulate;
pub mod snapshot;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::script::{self, LoadErrors};
use args::{Cli, Command};

/// Exit status 2: bad usage or input that cannot be loaded.
pub const EXIT_INPUT: u8 = 2;

/// What a command ends with.
pub enum ExitKind {
    Ok,
    /// Exit 1: lint errors, snapshot mismatch, changes under --fail-on-change.
    Findings,
    /// Exit 2, after the errors were printed.
    BadInput,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_INPUT } else { 0 };
            // `--help > /dev/full` must not report success (issue 10.11); a closed pipe
            // (`recflow --help | head`) is fine, as for every other output.
            match e.print().and_then(|()| std::io::stdout().flush()) {
                Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("recflow: cannot write to standard output: {err}");
                    return ExitCode::from(EXIT_INPUT);
                }
                _ => return ExitCode::from(code),
            }
        }
    };
    match run(cli) {
        Ok(ExitKind::Ok) => ExitCode::SUCCESS,
        Ok(ExitKind::Findings) => ExitCode::from(1),
        Ok(ExitKind::BadInput) => ExitCode::from(EXIT_INPUT),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("recflow: {e}");
            ExitCode::from(EXIT_INPUT)
        }
    }
}

fn run(cli: Cli) -> std::io::Result<ExitKind> {
    match cli.command {
        Command::Lint(a) => lint::run(a),
        Command::Rules(a) => rules::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Graph(a) => graph::run(&a),
        Command::Convert(a) => convert::run(&a),
        Command::Diff(a) => diff::run(a),
        Command::Snapshot(a) => snapshot::run(a),
        Command::Defaults(a) => config::run_defaults(&a),
        Command::Report(a) => report::run(a),
        Command::Completions(a) => completions::completions(&a),
        Command::Man => completions::man(),
    }
}

/// Load a script, printing its load errors to stderr on failure.
pub fn load_or_report(path: &std::path::Path) -> Option<script::Script> {
    match script::load_path(path) {
        Ok(s) => {
            // Snippet constructs recflow reads but does not model: located warnings.
            config::report_warnings(&script::snippet_warnings(&s));
            Some(s)
        }
        Err(errs) => {
            report_load_errors(&errs);
            None
        }
    }
}

/// Print load errors to stderr: miette graphical, coloured only when stderr is a terminal.
pub fn report_load_errors(errs: &LoadErrors) {
    let width = 100;
    let text = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode()).with_width(width);
        let mut out = String::new();
        for e in &errs.errors {
            let _ = handler.render_report(&mut out, &crate::source::NamedErr(e));
        }
        out
    } else {
        errs.render_plain(width)
    };
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    if errs.errors.len() > 1 {
        let _ = writeln!(err, "recflow: {} errors; nothing was loaded", errs.errors.len());
    }
}

/// Print a loaded script's load warnings to stderr (same rendering as errors).
pub fn report_load_warnings(warnings: &[script::LoadError]) {
    config::report_warnings(warnings);
}

/// Load a script, printing its load errors (or warnings) to stderr.
pub fn load_or_report_warnings(path: &std::path::Path) -> Option<script::Script> {
    let s = load_or_report(path)?;
    report_load_warnings(&s.warnings);
    Some(s)
}

/// Write to stdout; a closed pipe surfaces as `BrokenPipe`, which `main` treats as success.
pub fn write_stdout(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}
