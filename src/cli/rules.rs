//! `recflow rules [CODE]`: list the lint rules, or print one rule's documentation (the same
//! text as `docs/rules/CODE.md`).

use super::{ExitKind, write_stdout};
use crate::lint::registry::{self, Rule};

/// `rule`: the rule named on the command line (checked in `config.rs`), or `None` for all.
pub fn run(rule: Option<&Rule>) -> std::io::Result<ExitKind> {
    match rule {
        None => write_stdout(&registry::listing())?,
        Some(rule) => write_stdout(&rule.markdown())?,
    }
    Ok(ExitKind::Ok)
}
