//! The command-line tests: one test binary, one module per command (ruff's
//! `crates/ruff/tests/cli`). Each runs the real `recflow` binary and checks its exit status,
//! stdout, stderr and the files it writes; snapshots (insta-cmd) live in the top-level
//! `snapshots/` folder under the names the tests give them.
//!
//! Where to add a test: the module of the command it runs (`simulate.rs` covers `explain` too,
//! since explain replays simulate's contacts); behaviour every command shares goes to
//! `errors.rs` (bad input, bad flags) or `output.rs` (how files are written); features seen
//! through several commands have a module of their own (`catalogue.rs`, `studio_corpus.rs`). Helpers (running
//! the binary, walking the examples, insta settings) are in `tests/common/mod.rs`, shared with
//! every other test binary.
//!
//! Every test that runs the binary is here; a feature seen through one command is a sub-module of
//! that command (`simulate/script_kind.rs`, `lint/unknown_property.rs`, `graph/clusters.rs`).
//! Library-level tests (loader, simulator, lint rules, Snippet) are the other files in `tests/`;
//! they call the library, never the binary.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod catalogue;
mod convert;
mod defaults;
mod diff;
mod errors;
mod explain;
mod graph;
mod lint;
mod output;
mod real_scripts;
mod report;
mod simulate;
mod snapshot;
mod studio_corpus;
mod test;
