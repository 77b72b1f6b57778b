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
