//! Stage — **cli**: command line → the library stages. The only module that touches the
//! terminal, the file system for outputs, and the process exit status.
//!
//! A run goes through three steps, each once:
//!
//! ```text
//! argv ──clap──▶ args::Cli ──config::Config::new──▶ Config { term, work } ──▶ command::run
//!        (raw flags,          (checked: colour and width, model          (reads the files:
//!         usage errors)        options, outputs, formats; bad flag        world.rs; then the
//!                              values → exit 2 before any work)           library stages)
//! ```
//!
//! - `args.rs`: the clap definitions (what the user can type; `--help`, completions and the man
//!   page come from them);
//! - `config.rs`: [`Config`](config::Config), built once from the raw arguments; commands take
//!   their part of it ([`Work`](config::Work)), never raw arguments;
//! - `term.rs`: colour and width, decided once; load errors and warnings on stderr;
//! - `world.rs`: the files a command reads (script + called scripts, tenant, traffic);
//! - `output.rs`: every file a command writes (atomic, permissions kept, streams in place);
//! - one file per command: `lint`, `rules`, `simulate`, `explain`, `graph`, `convert`, `diff`,
//!   `snapshot`, `defaults`, `report`, `test`, `completions` (+ `man`).
//!
//! Exit status (FORMATS §7): 0 ok; 1 findings/mismatch/changes where a command says so;
//! 2 bad usage or input that cannot be loaded. A closed stdout pipe is not an error.

pub mod args;
pub mod completions;
pub mod config;
pub mod convert;
pub mod defaults;
pub mod diff;
pub mod explain;
pub mod graph;
pub mod lint;
pub mod output;
pub mod report;
pub mod rules;
pub mod simulate;
pub mod snapshot;
pub mod term;
pub mod test;
pub mod world;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use args::Cli;
use config::{Config, Term, Work};

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
    let term = Term::detect(cli.color);
    let config = match Config::new(cli, term) {
        Ok(config) => config,
        Err(config::UsageError(message)) => {
            eprintln!("{message}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    match run(config) {
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

/// Run the checked command.
pub fn run(config: Config) -> std::io::Result<ExitKind> {
    let term = config.term;
    match config.work {
        Work::Lint(c) => lint::run(&term, c),
        Work::Rules(rule) => rules::run(&term, rule),
        Work::Simulate(c) => simulate::run(&term, &c),
        Work::Explain(c) => explain::run(&term, &c),
        Work::Test(c) => test::run(&term, &c),
        Work::Graph(c) => graph::run(&term, &c),
        Work::Convert(c) => convert::run(&term, &c),
        Work::Diff(c) => diff::run(&term, &c),
        Work::Snapshot(c) => snapshot::run(&term, &c),
        Work::Defaults(what) => defaults::run(what),
        Work::Report(c) => report::run(&term, &c),
        Work::Completions(shell) => completions::completions(shell),
        Work::Man(out) => completions::man(out.as_deref()),
    }
}

pub use term::{terminal_safe, write_human, write_stdout};
