//! Raw arguments → one checked [`Config`], built once before any work (ripgrep's
//! `flags/lowargs.rs` → `hiargs.rs`). `args.rs` is what the user typed, as clap parsed it;
//! this module decides everything that can be decided from the flags alone:
//!
//! - the terminal ([`Term`]: colour from `NO_COLOR` and ttys, the render width);
//! - the model options every simulating command shares ([`ModelOptions`]): tenant and traffic
//!   files, `--calls` / `--seed` overrides, the worker-thread count (`--jobs`, or the cores),
//!   the library folders (`--scripts`, `--scripts-map`), and the flags to repeat in the
//!   commands a report suggests;
//! - where output goes ([`Output`]: a file, written atomically, or stdout for `-`) and in which
//!   format;
//! - flag values clap cannot check: lint rule selectors, the rule `recflow rules` names,
//!   snapshot files that two scripts would share. A bad one is a [`UsageError`]: reported once,
//!   exit 2, before any file is read.
//!
//! Commands take their part of the `Config` ([`Work`]), never the raw arguments. Reading the
//! files the flags name (scripts, tenant, traffic) is the first step of the work: `world.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::args::{
    Cli, Command, ConvertTarget, DefaultsWhat, Deny, DiffFormat, ExplainFormat, GraphFormat, LintFormat,
    MAX_JOBS, ModelArgs, PrecisionArgs, ReportFormat, TestFormat,
};
pub use super::term::Term;
use crate::lint::registry::Rule;
use crate::{library, lint, snapshot};

/// Everything a run needs to know from the command line, checked.
#[derive(Debug)]
pub struct Config {
    pub term: Term,
    pub work: Work,
}

/// A flag value that cannot be used; the message is the whole line printed (exit 2).
#[derive(Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

/// `convert` without `--to`: the format `-o FILE`'s extension names (`.yaml` / `.yml`, `.json`).
fn convert_target_of(output: Option<&std::path::Path>) -> Result<ConvertTarget, UsageError> {
    let Some(path) = output else {
        return Err(UsageError(
            "recflow convert: say which format to write: `--to yaml` or `--to studio-json` \
             (or `-o FILE` ending in .yaml, .yml or .json)"
                .into(),
        ));
    };
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("yaml" | "yml") => Ok(ConvertTarget::Yaml),
        Some("json") => Ok(ConvertTarget::StudioJson),
        _ => Err(UsageError(format!(
            "recflow convert: cannot tell the format from `{}` (only .yaml, .yml and .json name one); \
             add `--to yaml` or `--to studio-json`",
            path.display()
        ))),
    }
}

/// What `recflow rules NAME` names: a lint rule or a run-time finding kind.
#[derive(Debug, Clone, Copy)]
pub enum RuleOrFinding {
    Rule(&'static Rule),
    Finding(crate::sim::findings::Finding),
}

/// The command to run, with its checked settings.
#[derive(Debug)]
pub enum Work {
    Lint(Lint),
    /// `recflow rules`: every rule and finding, or the one named.
    Rules(Option<RuleOrFinding>),
    Simulate(Simulate),
    Explain(Explain),
    Test(Test),
    Graph(Graph),
    Convert(Convert),
    Diff(Diff),
    Snapshot(Snapshot),
    Defaults(DefaultsWhat),
    Report(Report),
    Completions(clap_complete::Shell),
    /// `recflow man [--out DIR]`.
    Man(Option<std::path::PathBuf>),
}

/// The options that define the simulated world, shared by every command that simulates.
#[derive(Clone, Debug)]
pub struct ModelOptions {
    /// `--tenant FILE` (embedded default when absent).
    pub tenant: Option<PathBuf>,
    /// `--traffic FILE` (embedded default when absent).
    pub traffic: Option<PathBuf>,
    /// `--calls N`, overriding the traffic file.
    pub calls: Option<u64>,
    /// `--seed S`, overriding the traffic file.
    pub seed: Option<u64>,
    /// Worker threads: `--jobs`, or the available cores capped at [`MAX_JOBS`]. Output never
    /// depends on it.
    pub threads: usize,
    /// Where called scripts are found (`--scripts`, `--scripts-map`).
    pub library: library::Options,
}

/// Where a command's main output goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// Standard output (`-`, or no file given).
    Stdout,
    /// A file, written through `output.rs` (atomic replace, symlinks followed, streams in place).
    File(PathBuf),
}

/// `--precision P --max-calls N`: simulate until every share's 95% interval is within ±P points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Precision {
    pub target: f64,
    pub max_calls: u64,
}

#[derive(Debug)]
pub struct Simulate {
    pub script: PathBuf,
    pub model: ModelOptions,
    pub format: ReportFormat,
    /// `--calls-out`: one JSON line per contact.
    pub calls_out: Option<Output>,
    pub precision: Option<Precision>,
    /// `--fail-on`: exit 1 when a finding of this class or worse occurred.
    pub fail_on: Option<crate::sim::findings::Class>,
    /// `--min-coverage PCT`: exit 1 below this share of wired branches exercised.
    pub min_coverage: Option<f64>,
    /// `--exact`: exact analysis (`sim::exact`) instead of sampling.
    pub exact: bool,
    /// `--sensitivity` (with `--exact`).
    pub sensitivity: bool,
}

#[derive(Debug)]
pub struct Explain {
    pub script: PathBuf,
    pub call: u64,
    pub model: ModelOptions,
    pub format: ExplainFormat,
    /// `--as-test`: print the contact as a `recflow test` case.
    pub as_test: bool,
}

/// `recflow test`: the paths to search, the output format, `--filter`, `--coverage`.
#[derive(Debug)]
pub struct Test {
    pub paths: Vec<PathBuf>,
    pub format: TestFormat,
    pub filter: Option<String>,
    pub coverage: bool,
    pub library: library::Options,
}

#[derive(Debug)]
pub struct Graph {
    pub script: PathBuf,
    pub format: GraphFormat,
    /// `--heat`: simulate and shade the flow (the model options are used only then).
    pub heat: bool,
    pub model: ModelOptions,
}

#[derive(Debug)]
pub struct Convert {
    pub script: PathBuf,
    pub to: ConvertTarget,
    pub output: Output,
}

#[derive(Debug)]
pub struct Diff {
    pub old: PathBuf,
    pub new: PathBuf,
    pub model: ModelOptions,
    pub format: DiffFormat,
    pub fail_on_change: bool,
    /// `--min-exercised N` (default 1).
    pub min_exercised: u64,
    /// `--exact`: compare exact probabilities (`sim::exact`).
    pub exact: bool,
}

/// What `recflow snapshot` does with each script's snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapshotMode {
    /// Print the snapshots.
    Print,
    /// `--check`: compare with the committed ones; never write.
    Check,
    /// `--accept`: write them.
    Accept,
}

#[derive(Debug)]
pub struct Snapshot {
    /// (script, its snapshot file); no two scripts share a snapshot file.
    pub scripts: Vec<(PathBuf, PathBuf)>,
    pub mode: SnapshotMode,
    pub dir: PathBuf,
    pub model: ModelOptions,
}

#[derive(Debug)]
pub struct Report {
    pub scripts: Vec<PathBuf>,
    pub output: PathBuf,
    pub separate: bool,
    pub model: ModelOptions,
    pub precision: Option<Precision>,
    /// `--exact`: sections from exact analyses (`sim::exact`).
    pub exact: bool,
}

/// What `lint --fix` / `--diff` do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixMode {
    /// Report findings only.
    Off,
    /// `--fix`: write the fixed scripts in place.
    Write,
    /// `--diff` (with or without `--fix`): print the diff, write nothing.
    Diff,
}

#[derive(Debug)]
pub struct Lint {
    pub scripts: Vec<PathBuf>,
    /// `--tenant`: enables O004; loaded by the command (its errors are load errors).
    pub tenant: Option<PathBuf>,
    pub format: LintFormat,
    /// Rule selection (checked: every selector names a rule); the tenant is filled in later.
    pub rules: lint::Config,
    /// `--deny warnings`.
    pub deny_warnings: bool,
    pub strict: bool,
    pub library: library::Options,
    pub fix: FixMode,
    pub unsafe_fixes: bool,
}

impl Config {
    /// Check the raw arguments. `term` is passed in (not detected here) so that tests can build
    /// a `Config` without a terminal.
    pub fn new(cli: Cli, term: Term) -> Result<Config, UsageError> {
        let work = match cli.command {
            Command::Lint(a) => {
                let rules = lint::Config {
                    select: a.select,
                    ignore: a.ignore,
                    tenant: None,
                    full_paths: a.full_paths,
                };
                rules.validate().map_err(|e| UsageError(format!("recflow lint: {e}")))?;
                Work::Lint(Lint {
                    scripts: crate::scenario::without_test_files("lint", a.scripts),
                    tenant: a.tenant,
                    format: a.format,
                    rules,
                    deny_warnings: a.deny == Some(Deny::Warnings),
                    strict: a.strict,
                    library: a.library.options(),
                    fix: match (a.fix, a.diff) {
                        (_, true) => FixMode::Diff,
                        (true, false) => FixMode::Write,
                        (false, false) => FixMode::Off,
                    },
                    unsafe_fixes: a.unsafe_fixes,
                })
            }
            Command::Rules(a) => Work::Rules(match a.rule {
                None => None,
                Some(key) => Some(
                    lint::registry::rule(&key)
                        .map(RuleOrFinding::Rule)
                        .or_else(|| crate::sim::findings::Finding::lookup(&key).map(RuleOrFinding::Finding))
                        .ok_or_else(|| {
                            UsageError(format!(
                                "recflow rules: `{key}` names no lint rule or finding; `recflow rules` lists them"
                            ))
                        })?,
                ),
            }),
            Command::Simulate(a) => Work::Simulate(Simulate {
                script: a.script,
                model: ModelOptions::new(a.model),
                format: a.format,
                calls_out: a.calls_out.map(Output::new),
                precision: Precision::new(&a.precision),
                fail_on: a.fail_on.map(|f| f.class()),
                min_coverage: a.min_coverage,
                exact: a.exact,
                sensitivity: a.sensitivity,
            }),
            Command::Explain(a) => Work::Explain(Explain {
                script: a.script,
                call: a.call,
                model: ModelOptions::new(a.model),
                format: a.format,
                as_test: a.as_test,
            }),
            Command::Test(a) => Work::Test(Test {
                paths: if a.paths.is_empty() { vec![PathBuf::from(".")] } else { a.paths },
                format: a.format,
                filter: a.filter,
                coverage: a.coverage,
                library: a.library.options(),
            }),
            Command::Graph(a) => Work::Graph(Graph {
                script: a.script,
                format: a.format,
                heat: a.heat,
                model: ModelOptions::new(a.model),
            }),
            Command::Convert(a) => Work::Convert(Convert {
                to: match a.to {
                    Some(to) => to,
                    None => convert_target_of(a.output.as_deref())?,
                },
                script: a.script,
                output: a.output.map_or(Output::Stdout, Output::new),
            }),
            Command::Diff(a) => Work::Diff(Diff {
                old: a.old,
                new: a.new,
                model: ModelOptions::new(a.model),
                format: a.format,
                fail_on_change: a.fail_on_change,
                min_exercised: a.min_exercised,
                exact: a.exact,
            }),
            Command::Snapshot(a) => Work::Snapshot(Snapshot {
                scripts: snapshot_files(&a.dir, crate::scenario::without_test_files("snapshot", a.scripts))?,
                mode: match (a.check, a.accept) {
                    (true, _) => SnapshotMode::Check,
                    (false, true) => SnapshotMode::Accept,
                    (false, false) => SnapshotMode::Print,
                },
                dir: a.dir,
                model: ModelOptions::new(a.model),
            }),
            Command::Defaults(a) => Work::Defaults(a.what),
            Command::Report(a) => {
                if a.exact && a.scripts.len() == 2 && !a.separate {
                    return Err(UsageError(
                        "recflow report: --exact with two scripts needs --separate (one exact section \
                         each); `recflow diff OLD NEW --exact` compares two versions exactly"
                            .into(),
                    ));
                }
                Work::Report(Report {
                    scripts: a.scripts,
                    output: a.output,
                    separate: a.separate,
                    model: ModelOptions::new(a.model),
                    precision: Precision::new(&a.precision),
                    exact: a.exact,
                })
            }
            Command::Completions(a) => Work::Completions(a.shell),
            Command::Man(a) => Work::Man(a.out),
        };
        Ok(Config { term, work })
    }
}

/// Each script with its snapshot file `<dir>/<file stem>.yaml`; two scripts with one stem
/// would overwrite each other's snapshot, so that is a usage error.
fn snapshot_files(dir: &Path, scripts: Vec<PathBuf>) -> Result<Vec<(PathBuf, PathBuf)>, UsageError> {
    let mut seen: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for (i, s) in scripts.iter().enumerate() {
        let target = snapshot::path_for(dir, s);
        if let Some(&first) = seen.get(&target) {
            return Err(UsageError(format!(
                "recflow: `{}` and `{}` would share the snapshot `{}`; snapshot them with different --dir",
                scripts[first].display(),
                s.display(),
                target.display()
            )));
        }
        seen.insert(target, i);
    }
    Ok(scripts
        .into_iter()
        .map(|s| {
            let target = snapshot::path_for(dir, &s);
            (s, target)
        })
        .collect())
}

impl ModelOptions {
    fn new(a: ModelArgs) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        ModelOptions {
            library: a.library.options(),
            tenant: a.tenant,
            traffic: a.traffic,
            calls: a.calls,
            seed: a.seed,
            threads: a.jobs.unwrap_or(cores).clamp(1, MAX_JOBS),
        }
    }

    /// A rayon pool with [`threads`](Self::threads) workers.
    pub fn pool(&self) -> std::io::Result<rayon::ThreadPool> {
        rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .build()
            .map_err(|e| std::io::Error::other(format!("cannot start worker threads: {e}")))
    }

    /// The model options as command-line flags, to repeat in the commands a report suggests
    /// (`recflow explain … --call I`, `recflow snapshot … --accept`), so they show the same
    /// contacts. `--calls` is left out for `explain`: contact i does not depend on the number of
    /// calls. `--jobs` never changes the output, so it is never repeated.
    pub fn flags(&self, with_calls: bool) -> String {
        let mut s = String::new();
        if let Some(t) = &self.tenant {
            s += &format!(" --tenant {}", t.display());
        }
        if let Some(t) = &self.traffic {
            s += &format!(" --traffic {}", t.display());
        }
        if let Some(c) = self.calls.filter(|_| with_calls) {
            s += &format!(" --calls {c}");
        }
        if let Some(seed) = self.seed {
            s += &format!(" --seed {seed}");
        }
        s
    }
}

impl Output {
    /// `-` is stdout; anything else a file.
    fn new(path: PathBuf) -> Self {
        if path.as_os_str() == "-" { Output::Stdout } else { Output::File(path) }
    }
}

impl Precision {
    fn new(a: &PrecisionArgs) -> Option<Self> {
        a.precision.map(|target| Precision { target, max_calls: a.max_calls })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn config(args: &[&str]) -> Result<Config, UsageError> {
        let cli =
            Cli::try_parse_from(std::iter::once("recflow").chain(args.iter().copied())).expect("parses");
        Config::new(cli, Term::plain())
    }

    #[test]
    fn model_flags_are_decided_once_for_every_command() {
        let Work::Simulate(s) = config(&[
            "simulate", "a.yaml", "--seed", "7", "--calls", "9", "--jobs", "3", "--tenant", "t.yaml",
        ])
        .unwrap()
        .work
        else {
            panic!("simulate")
        };
        assert_eq!(s.model.threads, 3);
        assert_eq!(s.model.flags(false), " --tenant t.yaml --seed 7");
        assert_eq!(s.model.flags(true), " --tenant t.yaml --calls 9 --seed 7");
        let Work::Diff(d) =
            config(&["diff", "a.yaml", "b.yaml", "--seed", "7", "--tenant", "t.yaml"]).unwrap().work
        else {
            panic!("diff")
        };
        assert_eq!(d.model.flags(false), s.model.flags(false));
    }

    #[test]
    fn dash_is_stdout_and_a_path_is_a_file() {
        let Work::Simulate(s) = config(&["simulate", "a.yaml", "--calls-out", "-"]).unwrap().work else {
            panic!()
        };
        assert_eq!(s.calls_out, Some(Output::Stdout));
        let Work::Convert(c) = config(&["convert", "a.yaml", "--to", "yaml", "-o", "x.yaml"]).unwrap().work
        else {
            panic!()
        };
        assert_eq!(c.output, Output::File("x.yaml".into()));
        let Work::Convert(c) = config(&["convert", "a.yaml", "--to", "yaml"]).unwrap().work else { panic!() };
        assert_eq!(c.output, Output::Stdout);
    }

    #[test]
    fn bad_flag_values_are_usage_errors_before_any_file_is_read() {
        // None of these files exist: the error is about the flag, not the file.
        let e = config(&["lint", "nope.yaml", "--select", "Z999"]).unwrap_err();
        assert!(e.0.starts_with("recflow lint: "), "{e:?}");
        let e = config(&["rules", "no-such-rule"]).unwrap_err();
        assert_eq!(
            e.0,
            "recflow rules: `no-such-rule` names no lint rule or finding; `recflow rules` lists them"
        );
        let e = config(&["snapshot", "a/x.yaml", "b/x.yaml"]).unwrap_err();
        assert!(e.0.contains("would share the snapshot"), "{e:?}");
    }

    #[test]
    fn lint_fix_modes() {
        let mode = |args: &[&str]| match config(args).unwrap().work {
            Work::Lint(l) => l.fix,
            _ => panic!(),
        };
        assert_eq!(mode(&["lint", "a.yaml"]), FixMode::Off);
        assert_eq!(mode(&["lint", "a.yaml", "--fix"]), FixMode::Write);
        assert_eq!(mode(&["lint", "a.yaml", "--diff"]), FixMode::Diff);
        assert_eq!(mode(&["lint", "a.yaml", "--fix", "--diff"]), FixMode::Diff);
    }
}
