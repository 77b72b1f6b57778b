//! `recflow rules [CODE]`: list the lint rules, or print one rule's documentation (the same
//! text as `docs/rules/CODE.md`).

use super::args::RulesArgs;
use super::{ExitKind, write_stdout};
use crate::lint::registry;

pub fn run(a: RulesArgs) -> std::io::Result<ExitKind> {
    match a.rule {
        None => {
            write_stdout(&registry::listing())?;
            Ok(ExitKind::Ok)
        }
        Some(key) => match registry::rule(&key) {
            Some(rule) => {
                write_stdout(&rule.markdown())?;
                Ok(ExitKind::Ok)
            }
            None => {
                eprintln!("recflow rules: `{key}` names no lint rule; `recflow rules` lists them");
                Ok(ExitKind::BadInput)
            }
        },
    }
}
