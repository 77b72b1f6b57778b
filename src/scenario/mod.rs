//! Stage — **scenario**: `recflow test`, scenario tests for Studio scripts (issue 22).
//!
//! Input: `*.test.yaml` files (docs/testing.md; `schemas/test.schema.json`), each naming a
//! script (+ optional tenant / traffic) and cases: `given` (what the caller, agent and
//! back-end systems do) and `expect` (what must happen). Output: one [`CaseResult`] per case
//! — the mismatches, and the `explain` timeline of a failing case's contact.
//!
//! - `file.rs`: test file text → [`TestFile`] (shape only, every value with its span);
//! - `resolve.rs`: a case against the compiled script → the engine's [`Plan`]
//!   (`sim::rng::Scripted`) and [`Checks`]; unknown ids / names are located errors with
//!   "did you mean";
//! - `run.rs`: each case is one contact of the one driver with the plan as its source of
//!   chance (the same engine, rules and sinks as `simulate` / `explain`), then compared;
//! - `as_test.rs`: `explain --call I --as-test` — a sampled contact written back as a case.
//!
//! A case fixes what it names and leaves everything else to the traffic model's keyed draws
//! with the case's own seed and contact index (default: the traffic seed, contact 0), so a
//! case is deterministic, and a case whose `given` equals what contact *i* drew reproduces
//! contact *i* exactly (draws are keyed by purpose, so fixing one never moves another).

pub mod as_test;
pub mod file;
pub mod render;
pub mod resolve;
pub mod run;

pub use crate::sim::rng::Plan;
pub use file::{TestFile, load};
pub use resolve::Checks;
pub use run::{CaseResult, Mismatch, Suite, prepare, recorded_class};

/// Whether `path` names a `recflow test` file (`*.test.yaml` / `*.test.yml`): it sits next to
/// the scripts it tests, but it is not a script — folder walks (`lint DIR`, the library of
/// called scripts) and script lists (`lint`, `snapshot`) leave it out.
pub fn is_test_file(path: &std::path::Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".test.yaml") || n.ends_with(".test.yml"))
}

/// `scripts` without the test files among them (a shell glob `scripts/*.yaml` names them too),
/// saying on stderr which were left out.
pub fn without_test_files(command: &str, scripts: Vec<std::path::PathBuf>) -> Vec<std::path::PathBuf> {
    let (tests, scripts): (Vec<_>, Vec<_>) = scripts.into_iter().partition(|p| is_test_file(p));
    if !tests.is_empty() {
        let names: Vec<String> = tests.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "recflow {command}: left out {} (test file{}: run `recflow test`)",
            names.join(", "),
            if tests.len() == 1 { "" } else { "s" }
        );
    }
    scripts
}
