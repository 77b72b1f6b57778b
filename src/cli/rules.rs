//! `recflow rules [CODE]`: list the lint rules, or print one rule's documentation (the same
//! text as `docs/rules/CODE.md`).

use super::args::RulesArgs;
use super::{Outcome, write_stdout};
use crate::lint::registry;

pub fn run(a: RulesArgs) -> std::io::Result<Outcome> {
    match a.rule {
        None => {
            write_stdout(&registry::listing())?;
            Ok(Outcome::Ok)
        }
        Some(key) => match registry::rule(&key) {
            Some(rule) => {
                write_stdout(&rule.markdown())?;
                Ok(Outcome::Ok)
            }
            None => {
                eprintln!("recflow rules: `{key}` names no lint rule; `recflow rules` lists them");
                Ok(Outcome::BadInput)
            }
        },
    }
}
