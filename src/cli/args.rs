//! Raw command-line arguments (clap derive). `mod.rs` turns them into checked work.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// recflow — which calls, and which parts of each call, will a CXone Studio script record?
///
/// recflow reads Studio scripts (recflow YAML, or the JSON that CXone Studio's API exports)
/// and answers offline, before the script ships.
#[derive(Debug, Parser)]
#[command(name = "recflow", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  recflow graph scripts/consent-gdpr.yaml --format mermaid
  recflow convert scripts/consent-gdpr.yaml --to studio-json > consent-gdpr.json";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Draw a script's flow as Graphviz DOT or Mermaid.
    #[command(
        after_help = "Examples:\n  recflow graph scripts/consent-gdpr.yaml | dot -Tsvg > flow.svg\n  recflow graph scripts/consent-gdpr.yaml --format mermaid"
    )]
    Graph(GraphArgs),
    /// Prove consent and ordering properties over every path of one or more scripts.
    #[command(after_help = LINT_EXAMPLES)]
    Lint(LintArgs),
    /// List the lint rules, or print one rule's documentation.
    #[command(
        after_help = "Examples:\n  recflow rules                 list every rule: code, name, severity, summary\n  recflow rules C001            the documentation of one rule (code or name)\n  recflow rules statement-id-not-saved"
    )]
    Rules(RulesArgs),
}

const LINT_EXAMPLES: &str = "\
Examples:
  recflow lint scripts/*.yaml                      every finding, human-readable
  recflow lint flow.json --format json             Studio JSON export, machine-readable
  recflow lint flow.yaml --select C,S --deny warnings
  recflow lint flow.yaml --ignore G003,unreachable-action
  recflow lint flow.yaml --tenant tenant.yaml      also check Studio recording vs policy targets (O004)
  recflow lint flow.yaml --format sarif > lint.sarif

Exit status: 0 no errors; 1 errors (or warnings with --deny warnings); 2 a script could not be loaded
or bad usage. Suppress one finding with `allow: [{rule: C001, reason: \"...\"}]` on its action.";

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Script files (.yaml / .yml native format, .json Studio export).
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
    /// A rule code (C001) or name (consent-decline-reaches-agent); none lists every rule.
    pub rule: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// Script file (.yaml / .yml native format, .json Studio export).
    pub script: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}
