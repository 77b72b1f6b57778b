//! Raw command-line arguments (clap derive): what the user typed. `config.rs` turns them into the
//! checked `Config` the commands run on; nothing else reads these structs.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// recflow — which calls, and which parts of each call, will a CXone Studio script record?
///
/// recflow reads Studio scripts (recflow YAML, or the JSON that CXone Studio's API exports)
/// and answers offline, before the script ships.
#[derive(Debug, Parser)]
#[command(
    name = "recflow",
    version,
    about = "Which calls, and which parts of each call, will a CXone Studio script record - and is that legal?",
    long_about = None,
    after_help = EXAMPLES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Colour in terminal output: `auto` colours a stream only when it is a terminal and
    /// `NO_COLOR` is not set; `always` and `never` override both (e.g. `always` for a CI log
    /// that renders ANSI colours).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// `--color`: when recflow colours its terminal output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour a stream when it is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour (also into pipes and files).
    Always,
    /// Never colour.
    Never,
}

const EXAMPLES: &str = "\
Examples:
  # What does this script record on 1000 calls (embedded default tenant and traffic)?
  recflow simulate scripts/consent-gdpr.yaml
  # ... with your policies and caller mix, as JSON
  recflow simulate scripts/consent-gdpr.yaml --tenant examples/tenant-sales-qa.yaml \\
      --traffic examples/traffic-busy-day.yaml --format json
  # Why was contact 3 (not) recorded? Which rule decided?
  recflow explain scripts/consent-gdpr.yaml --call 3
  # Prove consent and ordering properties on every path
  recflow lint scripts/*.yaml
  # Draw the flow; convert to the JSON Studio's API accepts
  recflow graph scripts/consent-gdpr.yaml --format mermaid
  recflow convert scripts/consent-gdpr.yaml --to studio-json > consent-gdpr.json

Docs: README.md and docs/ in the recflow repository.";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Draw a script's flow as Graphviz DOT or Mermaid.
    ///
    /// Each node shows the action id, its type and caption. Recording actions stand out:
    /// DONOTRECORD (red octagon), LOGRECORDINGPRO Start (green) / Stop (orange), RECORDAGENTONLY
    /// (blue), recorded statements (yellow note). BEGIN is the start; ONANSWER / ONRELEASE /
    /// ONSIGNAL are drawn as event entries (double border). A branch that is not wired is a
    /// dashed edge to a "not wired" node; unreachable actions are greyed.
    #[command(after_help = GRAPH_EXAMPLES)]
    #[command(display_order = 7)]
    Graph(GraphArgs),
    /// Prove consent and ordering properties over every path of one or more scripts.
    #[command(after_help = LINT_EXAMPLES)]
    #[command(display_order = 3)]
    Lint(LintArgs),
    /// List the lint rules and run-time findings, or print one's documentation.
    #[command(
        after_help = "Examples:\n  recflow rules                 list every lint rule (code, name, severity, summary) and\n                                every run-time finding (code, name, class, summary, lint rules)\n  recflow rules C001            the documentation of one rule (code or name)\n  recflow rules statement-id-not-saved\n  recflow rules recorded_before_dnr   the documentation of one run-time finding (code or name)"
    )]
    #[command(display_order = 4)]
    Rules(RulesArgs),
    /// Convert a script between recflow YAML and CXone Studio JSON.
    ///
    /// The input format is taken from the extension (.json = Studio JSON, .yaml/.yml = YAML);
    /// when the content disagrees with the extension (or there is none), from the content.
    /// `-o` onto the input itself is refused unless the format stays the same. The converted script loads back to the same actions, properties, branches
    /// and targets, so it lints, simulates and draws exactly like its source. Comments and Studio
    /// layout (x, y) do not survive a trip through YAML; a script without layout gets a simple one.
    #[command(after_help = CONVERT_EXAMPLES)]
    #[command(display_order = 8)]
    Convert(ConvertArgs),
    /// Simulate many seeded calls: what gets recorded, by whom, and what goes wrong.
    #[command(after_help = SIMULATE_EXAMPLES)]
    #[command(display_order = 1)]
    Simulate(SimulateArgs),
    /// Show one simulated contact's timeline, and which rule decided each recording step.
    #[command(after_help = EXPLAIN_EXAMPLES)]
    #[command(display_order = 2)]
    Explain(ExplainArgs),
    /// Run scenario tests: given what the caller, agent and back-end systems do, expect what gets recorded.
    ///
    /// Runs every case of the `*.test.yaml` files found in FILES and DIRS (default: the current
    /// folder, recursively). A case fixes what it names (MENU inputs, variables, ANI/DNIS,
    /// external results, agent events) and leaves the rest to the traffic model with the case's
    /// own seed, so it is deterministic; it runs on the same engine as `simulate` and `explain`.
    /// A failing case shows expected vs. actual and the `explain` timeline of its contact.
    /// Exit status: 0 every case passed, 1 a case failed, 2 a test file or script cannot be
    /// loaded (or names an action, input, variable or finding the script does not have).
    /// Format reference: docs/testing.md.
    #[command(after_help = TEST_EXAMPLES)]
    #[command(display_order = 5)]
    Test(TestArgs),
    /// Compare two versions of a script: how the change moves recording outcomes, contact by contact.
    ///
    /// Both scripts run on identical callers (contact i meets the same caller in both runs).
    /// Each contact's outcome class — what was recorded and why, without times — is compared:
    /// the report shows old / new / delta counts, the transitions between classes with example
    /// contacts and where their paths part, and what changed in the script, by action id.
    #[command(after_help = DIFF_EXAMPLES)]
    #[command(display_order = 5)]
    Diff(DiffArgs),
    /// Record a script's outcome distribution in a committed YAML snapshot, and check it in CI.
    ///
    /// Without --check or --accept the snapshots are printed to stdout.
    #[command(after_help = SNAPSHOT_EXAMPLES)]
    #[command(display_order = 6)]
    Snapshot(SnapshotArgs),
    /// Print the embedded default tenant or traffic file (YAML).
    ///
    /// These are the files recflow uses when `--tenant` / `--traffic` are not given. Save one,
    /// keep the keys you want to change and delete the rest: keys left out take these defaults
    /// one by one. Reference: docs/tenant-and-traffic.md.
    #[command(after_help = DEFAULTS_EXAMPLES)]
    #[command(display_order = 9)]
    Defaults(DefaultsArgs),
    /// Write a self-contained HTML report: outcomes with 95% intervals, the flow, lint findings,
    /// example contacts; `report OLD NEW` shows the change.
    ///
    /// One file with inline CSS, SVG and script (no network request): open it from disk or send
    /// it as an attachment. Two scripts are a change OLD -> NEW (as `recflow diff`) unless
    /// --separate. Model options as for simulate.
    #[command(after_help = REPORT_EXAMPLES)]
    #[command(display_order = 10)]
    Report(ReportArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    #[command(display_order = 11)]
    Completions(CompletionsArgs),
    /// Print the man page (roff) of recflow, or write it and one page per subcommand
    /// (recflow-simulate.1, ...) into a directory with --out.
    #[command(
        after_help = "Examples:\n  recflow man | man -l -\n  recflow man --out /usr/local/share/man/man1   # recflow.1, recflow-simulate.1, ...\n  man recflow-simulate"
    )]
    #[command(display_order = 12)]
    Man(ManArgs),
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write recflow.1 and one page per subcommand (recflow-simulate.1, recflow-lint.1, ...)
    /// into this directory (created if missing) instead of printing recflow.1.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

const REPORT_EXAMPLES: &str = "\
Examples:
  recflow report scripts/max-recorded-statements.yaml -o report.html
  recflow report scripts/consent-gdpr.yaml scripts/mistake-consent-leak.yaml -o change.html
  recflow report scripts/*.yaml --separate --calls 10000 --tenant tenant.yaml -o all.html

See docs/report.md.";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  recflow completions bash > ~/.local/share/bash-completion/completions/recflow
  recflow completions zsh > ~/.zfunc/_recflow        # with fpath+=(~/.zfunc) in ~/.zshrc
  recflow completions fish > ~/.config/fish/completions/recflow.fish
  recflow completions powershell >> $PROFILE";

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Scripts to report on (two: OLD NEW, a change).
    #[arg(required = true)]
    pub scripts: Vec<PathBuf>,
    /// The HTML file to write (written atomically: complete or absent).
    #[arg(short, long, value_name = "FILE.html")]
    pub output: PathBuf,
    /// With two scripts: one section each instead of the change OLD -> NEW.
    #[arg(long)]
    pub separate: bool,
    #[command(flatten)]
    pub model: ModelArgs,
    #[command(flatten)]
    pub precision: PrecisionArgs,
    /// Exact shares instead of sampled ones (as `simulate --exact`, docs/exact.md): every bar
    /// is the probability that a contact counts there, with its fraction and no interval
    /// whisker, and the flow is shaded by exact probabilities. Random durations are split at
    /// the times they are compared with, as in `simulate --exact`; where that cannot go the
    /// page says "Not exact" and why, and keeps 99.9% intervals over --calls samples.
    /// Example contacts stay sampled (--calls, --seed) so that `explain` replays them. Two
    /// scripts need --separate (`diff --exact` compares two versions exactly).
    #[arg(long, conflicts_with = "precision")]
    pub exact: bool,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

const DIFF_EXAMPLES: &str = "\
Examples:
  recflow diff old/consent.yaml scripts/consent.yaml
  recflow diff <(git show main:scripts/consent.yaml) scripts/consent.yaml --fail-on-change
  recflow diff old.yaml new.yaml --calls 10000 --tenant tenant.yaml --format json

Outcome classes are named like `policy:Default/full@agent`, `studio/full@agent+ivr`,
`dnr`, `none`, `studio/full@ivr, dnr, !recorded_before_dnr` (see docs/review-in-ci.md).
Exit status: 0, or 1 with --fail-on-change when any contact changed class or a change was not
exercised by the traffic (try `--traffic explore`); 2 bad input.";

const SNAPSHOT_EXAMPLES: &str = "\
Examples:
  recflow snapshot scripts/*.yaml --accept     write snapshots/scripts/<name>.yaml
  recflow snapshot scripts/*.yaml --check      in CI: exit 1 with a diff when outcomes moved
  recflow snapshot scripts/consent-gdpr.yaml   print the snapshot

A snapshot holds the model fingerprint (recflow version, seed, calls, tenant and traffic
digests), the report and the number of contacts per outcome class. Use the same model options
for --check as for --accept.";

const SIMULATE_EXAMPLES: &str = "\
Examples:
  recflow simulate scripts/consent-gdpr.yaml
      10 000 calls? `--calls 10000`; another caller population? `--seed 7`
  recflow simulate scripts/consent-gdpr.yaml --tenant tenant.yaml --traffic traffic.yaml
  recflow simulate scripts/consent-gdpr.yaml --format json > report.json
  recflow simulate scripts/consent-gdpr.yaml --calls-out calls.jsonl
      one JSON object per contact; then `recflow explain SCRIPT --call I` shows contact I

Without --tenant / --traffic the embedded defaults are used: 20 agents, one policy recording
100% of calls, 1000 inbound calls with seed 1, menus answered uniformly over their digits with
5% no input and 2% an unlisted digit (`recflow defaults traffic`). `--traffic explore` makes
every decision uniform over all its outcomes; `--min-coverage 90` exits 1 when fewer than 90%
of the wired branches were taken.";

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  recflow explain scripts/consent-gdpr.yaml --call 17
  recflow explain scripts/consent-gdpr.yaml --call 17 --seed 7 --traffic traffic.yaml --format json
  recflow explain scripts/consent-gdpr.yaml --call 17 --as-test   the contact as a `recflow test` case

Use the same model options as the `simulate` run: contact 17 is then exactly the contact that
`simulate` counted (draws depend only on the seed, the contact number, and the files).";

/// Options that define the simulated world; shared by `simulate`, `explain` and `diff`.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct ModelArgs {
    /// Tenant file: recording policies, Do Not Record policies, agents (default: embedded).
    #[arg(long, value_name = "FILE")]
    pub tenant: Option<PathBuf>,
    /// Traffic file: calls, directions, menu inputs, durations, agent behaviour (default: embedded).
    /// `explore` (built in): every decision uniform over all its outcomes, no input included —
    /// to see what a script can do, not a forecast.
    #[arg(long, value_name = "FILE")]
    pub traffic: Option<PathBuf>,
    /// Number of calls to simulate (overrides the traffic file; default 1000).
    #[arg(long, value_name = "N")]
    pub calls: Option<u64>,
    /// Random seed (overrides the traffic file; default 1). Same seed, same output.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Worker threads, 1 to 256 (default: all cores, at most 256). Never changes the output;
    /// more threads than cores only adds overhead, so larger values are refused (exit 2).
    #[arg(long, value_name = "J", value_parser = parse_jobs)]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub library: LibraryArgs,
}

/// Most worker threads `--jobs` accepts (issue 10.5: `--jobs 99999999999` used to hang trying to
/// start them). Output never depends on it.
pub const MAX_JOBS: usize = 256;

/// `--jobs`: an integer in 1..=[`MAX_JOBS`] (clap reports anything else as a usage error, exit 2).
fn parse_jobs(s: &str) -> Result<usize, String> {
    match s.trim().parse::<u64>() {
        Ok(j) if (1..=MAX_JOBS as u64).contains(&j) => Ok(j as usize),
        Ok(j) => Err(format!("{j} is out of range: --jobs takes 1 to {MAX_JOBS} worker threads")),
        Err(_) => Err(format!("`{s}` is not a number of worker threads (1 to {MAX_JOBS})")),
    }
}

#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// Script file (.yaml / .yml native format, .json Studio export).
    pub script: PathBuf,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Also write one JSON object per contact to this file (JSON Lines, contact order),
    /// streamed as contacts finish (memory does not grow with --calls). `-` writes the lines to
    /// stdout; the report then goes to stderr.
    #[arg(long, value_name = "FILE.jsonl", conflicts_with = "precision")]
    pub calls_out: Option<PathBuf>,
    #[command(flatten)]
    pub precision: PrecisionArgs,
    /// Compute every probability the report counts exactly instead of sampling: the engine
    /// runs once per combination of the traffic's discrete choices (MENU inputs, branches,
    /// policy sampling, alike agents as one class, agent events, presses), each run weighted
    /// by its probability, printed as a fraction (`1/22`). Random durations (`exp`,
    /// `uniform`) are split where the engine compares them with a time (queue wait against
    /// patience, talk against R12's threshold, a random MENU / PLAY / MUSIC against the IVR
    /// patience…), by their closed-form laws; loops (a MENU repeated on no input, a hold
    /// loop) are solved as linear equations. Where a part cannot be exact (two random times
    /// added or multiplied, a Snippet's random(), a loop whose state grows) the report says
    /// "Not exact" and why, and gives 99.9% intervals over --calls samples (--seed) or a
    /// residual. Bounded: at most 1 000 000 runs of the engine per exploration and 250 000 000
    /// steps for the whole analysis, else exit 2 (docs/limits.md). See docs/exact.md.
    #[arg(long, conflicts_with_all = ["precision", "calls_out"])]
    pub exact: bool,
    /// With --exact: for each violation finding, how its probability changes per unit of each
    /// traffic probability that affects it (a MENU input, a branch weight, a policy's
    /// percent, an agent event), computed exactly from the same runs (through solved loops
    /// too). Needs an exact analysis: not computed (and said so) when the report is "Not
    /// exact".
    #[arg(long, requires = "exact")]
    pub sensitivity: bool,
    /// Exit 1 when a finding of this class (or worse) occurred in a simulated contact: a CI
    /// gate. `violation`: recordings that break consent, PCI or statement rules; `warning`:
    /// those and a misbehaving script (stuck, step limit, indicator left on, fallback values).
    /// Default: findings never change the exit status.
    #[arg(long, value_enum, value_name = "CLASS")]
    pub fail_on: Option<FailOn>,
    /// Exit 1 when fewer than PCT percent of the script's wired branches were taken by at least
    /// one contact (the report's `Coverage:` line; docs/simulate.md "Coverage").
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    pub min_coverage: Option<f64>,
}

/// `simulate --fail-on`: the least severe finding class that fails the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Violation,
    Warning,
}

impl FailOn {
    pub fn class(self) -> crate::sim::findings::Class {
        match self {
            FailOn::Violation => crate::sim::findings::Class::Violation,
            FailOn::Warning => crate::sim::findings::Class::Warning,
        }
    }
}

/// A percentage from 0 to 100 (`--min-coverage`).
fn parse_percent(s: &str) -> Result<f64, String> {
    match s.trim().trim_end_matches('%').parse::<f64>() {
        Ok(p) if p.is_finite() && (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("`{s}` is not a percentage: give a number from 0 to 100 (e.g. 90)")),
    }
}

/// `--precision P [--max-calls N]` (simulate, report).
#[derive(Clone, Debug, Default, clap::Args)]
pub struct PrecisionArgs {
    /// Simulate until every share's 95% interval is within ±P percentage points (checkpoints at
    /// 1000, 2000, 4000... calls; same result for any --jobs). Replaces --calls.
    #[arg(long, value_name = "P", value_parser = parse_precision, conflicts_with = "calls")]
    pub precision: Option<f64>,
    /// With --precision: stop at this many calls (at least 1) even if the target was not reached.
    #[arg(long, value_name = "N", requires = "precision", value_parser = clap::value_parser!(u64).range(1..),
          default_value_t = crate::sim::precision::DEFAULT_MAX_CALLS)]
    pub max_calls: u64,
}

fn parse_precision(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if p.is_finite() && p > 0.0 && p <= 50.0 => Ok(p),
        _ => Err(format!(
            "`{s}` is not a precision: give percentage points, more than 0 and at most 50 (e.g. 0.5)"
        )),
    }
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// Script file (.yaml / .yml native format, .json Studio export).
    pub script: PathBuf,
    /// The contact to explain (0-based, as in `--calls-out` and the simulate report).
    #[arg(long, value_name = "I")]
    pub call: u64,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
    /// Print the contact as a `recflow test` case instead (YAML to paste under `cases:`):
    /// `given` = what the contact drew, `expect` = what happened.
    #[arg(long, conflicts_with = "format")]
    pub as_test: bool,
}

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Test files (`*.test.yaml`) and folders to search for them, recursively (default: `.`).
    pub paths: Vec<PathBuf>,
    /// Output format: `human` (one line per case, like `cargo test`), `json`, or `junit`
    /// (JUnit XML for CI systems).
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,
    /// Run only the cases whose name contains TEXT.
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Also report which actions and wired branches the cases exercised, per script (the
    /// shape of `simulate`'s coverage).
    #[arg(long)]
    pub coverage: bool,
    #[command(flatten)]
    pub library: LibraryArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    Human,
    Json,
    Junit,
}

const TEST_EXAMPLES: &str = "\
Examples:
  recflow test                                   every *.test.yaml under the current folder
  recflow test scripts/                          every *.test.yaml under scripts/
  recflow test scripts/consent-gdpr.test.yaml --filter silent
  recflow test scripts/ --format junit > recflow-tests.xml
  recflow test scripts/ --coverage               which branches the cases exercised
  recflow explain scripts/consent-gdpr.yaml --call 17 --as-test   turn contact 17 into a case

A test file (docs/testing.md):
  script: consent-gdpr.yaml
  cases:
    - name: a silent caller is never recorded
      given:
        inputs: {consent: none}
      expect:
        recorded: none
        findings: []";

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
    Yaml,
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The script before the change (.yaml / .yml, or a .json Studio export).
    pub old: PathBuf,
    /// The script after the change.
    pub new: PathBuf,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Output format (`json`: FORMATS §7).
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Exit with status 1 when any contact's outcome class changed, or when a change was not
    /// exercised (reached by fewer than --min-exercised contacts in both runs): then the diff
    /// cannot show that nothing changed.
    #[arg(long)]
    pub fail_on_change: bool,
    /// A change (rewired branch, edited, added or removed action) reached by fewer than N
    /// contacts in both runs is listed under "Not exercised by this traffic".
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_exercised: u64,
    /// Compare exact probabilities instead of sampled contacts (docs/exact.md): every key of
    /// the report whose probability differs, old → new, with the exact difference as a
    /// fraction; no sampling noise. Where a side cannot be exact (see `simulate --exact`) it
    /// says "not exact" and why, with intervals. With --fail-on-change: exit 1 when any
    /// probability changed.
    #[arg(long, conflicts_with = "min_exercised")]
    pub exact: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct SnapshotArgs {
    /// Script files; each has its snapshot at `<dir>/<file stem>.yaml`.
    #[arg(required = true)]
    pub scripts: Vec<PathBuf>,
    /// Compare with the committed snapshots; never write. Exit 1 when one differs or is missing.
    #[arg(long, conflicts_with = "accept")]
    pub check: bool,
    /// Write the snapshots (atomically).
    #[arg(long)]
    pub accept: bool,
    /// Snapshot directory.
    #[arg(long, value_name = "DIR", default_value = crate::snapshot::DEFAULT_DIR)]
    pub dir: PathBuf,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Human,
    Json,
}

const LINT_EXAMPLES: &str = "\
Examples:
  recflow lint scripts/*.yaml                      every finding, human-readable
  recflow lint flow.json --format json             Studio JSON export, machine-readable
  recflow lint flow.yaml --select C,S --deny warnings
  recflow lint flow.yaml --ignore G003,unreachable-action
  recflow lint flow.yaml --tenant tenant.yaml      also check Studio recording vs policy targets (O004)
  recflow lint flow.yaml --format sarif > lint.sarif
  recflow lint flow.yaml --fix --diff              show what --fix would change, write nothing
  recflow lint scripts/*.yaml --fix                repair [*] findings in place (safe fixes only)
  recflow lint flow.yaml --fix --unsafe-fixes      also fixes that change recording (P001, M003)

Exit status: 0 no errors; 1 errors (or warnings with --deny warnings) — after --fix, the ones that
remain; with --diff also when there is something to fix; 2 a script could not be loaded or bad usage. Suppress one finding with `allow: [{rule: C001, reason: \"...\"}]` on its action.";

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Script files (.yaml / .yml native format, .json Studio export), or folders: each entry
    /// script of a folder (one no other script there calls) is linted with the folder as library.
    #[arg(required = true)]
    pub scripts: Vec<PathBuf>,
    /// Tenant file (recording policies): enables O004 studio-start-inflates-policy.
    #[arg(long)]
    pub tenant: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,
    /// Only these rules: codes, names or code prefixes, comma-separated (`C,O001,indicator-left-on`).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules: codes, names or code prefixes, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// `--deny warnings`: exit 1 on warnings too.
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
    /// Load warnings (what recflow reads but cannot model: unknown action types and branch
    /// names, templated typed values) become load errors (exit 2).
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub library: LibraryArgs,
    /// Repair what can be repaired (findings marked `[*]`), writing each script in place
    /// atomically; then report what remains. Every fix is proven before it is kept: the script
    /// loads, the finding is gone, no new finding appears.
    #[arg(long)]
    pub fix: bool,
    /// With --fix (implied): print a unified diff of the fixes instead of writing any file.
    #[arg(long)]
    pub diff: bool,
    /// Also apply (or mark as fixable) unsafe fixes: ones that change recording beyond the
    /// finding (P001 stop/start, M003 default wiring, C002 moved DONOTRECORD).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print every action of a finding's path. By default a straight run of more than 6 actions
    /// (no branch chosen) shows its first and last 2 around `… N actions …`, so output grows
    /// with the script, not with the script squared.
    #[arg(long)]
    pub full_paths: bool,
}

/// Where RUNSUB / RUNSCRIPT / SPAWN targets are found (docs/subscripts.md).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LibraryArgs {
    /// Also search this folder for called scripts (after the calling script's folder); repeatable.
    #[arg(long = "scripts", id = "script_dirs", value_name = "DIR")]
    pub script_dirs: Vec<PathBuf>,
    /// Pin a called script name (e.g. a templated `{next}`) to a file: NAME=FILE; repeatable.
    #[arg(long = "scripts-map", value_name = "NAME=FILE", value_parser = crate::library::Options::parse_map)]
    pub scripts_map: Vec<(String, PathBuf)>,
}

impl LibraryArgs {
    pub fn options(&self) -> crate::library::Options {
        crate::library::Options { dirs: self.script_dirs.clone(), map: self.scripts_map.clone() }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Human,
    Json,
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    Warnings,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// A rule code (C001) or name (consent-decline-reaches-agent), or a run-time finding's code
    /// (F001) or name (recorded_before_dnr); none lists every rule and finding.
    pub rule: Option<String>,
}

const DEFAULTS_EXAMPLES: &str = "\
Examples:
  # Start a tenant file from the defaults (20 agents, one 100% policy)
  recflow defaults tenant > tenant.yaml
  # See every traffic default (durations, agent probabilities)
  recflow defaults traffic";

#[derive(Debug, clap::Args)]
pub struct DefaultsArgs {
    /// Which file: `tenant` (policies, agents) or `traffic` (calls, inputs, durations, agents' behaviour).
    #[arg(value_enum)]
    pub what: DefaultsWhat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DefaultsWhat {
    Tenant,
    Traffic,
}

const GRAPH_EXAMPLES: &str = "\
Examples:
  # SVG with Graphviz
  recflow graph scripts/consent-gdpr.yaml | dot -Tsvg > consent-gdpr.svg
  # Mermaid, to paste into a ```mermaid block of a GitHub issue or README
  recflow graph scripts/consent-gdpr.yaml --format mermaid
  # A Studio export works the same
  recflow graph scripts/studio-json/consent-gdpr.json
  # Heat: nodes shaded by the share of simulated contacts, edges labelled with traffic share,
  # and the recording state at each node (model options as for simulate)
  recflow graph scripts/consent-gdpr.yaml --heat --calls 10000 | dot -Tsvg > heat.svg";

const CONVERT_EXAMPLES: &str = "\
Examples:
  # YAML -> Studio JSON, to import into CXone Studio
  recflow convert scripts/consent-gdpr.yaml --to studio-json -o consent-gdpr.json
  # Studio export -> readable YAML, to review in a pull request
  recflow convert exported.json --to yaml > exported.yaml";

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// Script file (.yaml / .yml native format, .json Studio export).
    pub script: PathBuf,
    /// Output format: `dot` (Graphviz) or `mermaid`.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Simulate traffic and shade each action by the share of contacts that run it; label
    /// edges with their traffic share and each action with the recording state there.
    #[arg(long)]
    pub heat: bool,
    /// Model options (only used with --heat).
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// Script file (.yaml / .yml native format, .json Studio export).
    pub script: PathBuf,
    /// Format to write. Without it, inferred from `-o FILE`'s extension: `.yaml` / `.yml` →
    /// yaml, `.json` → studio-json.
    #[arg(long, value_enum)]
    pub to: Option<ConvertTarget>,
    /// Write to FILE (atomically: a temporary file renamed into place) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ConvertTarget {
    /// recflow's native YAML script format.
    Yaml,
    /// CXone Studio JSON ({header, actions, properties, branches}).
    StudioJson,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}
