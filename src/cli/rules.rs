//! `recflow rules [CODE]`: list the lint rules and the run-time findings, or print one's
//! documentation (the same text as `docs/rules/CODE.md`).

use super::config::RuleOrFinding;
use super::{ExitKind, write_stdout};
use crate::lint::registry;
use crate::sim::findings;

/// `rule`: the rule or finding named on the command line (checked in `config.rs`), or `None`
/// for all.
pub fn run(rule: Option<RuleOrFinding>) -> std::io::Result<ExitKind> {
    match rule {
        None => {
            let mut s = String::from("Lint rules (recflow lint: every path)\n");
            s.push_str(&registry::listing());
            s.push_str("\nRun-time findings (simulate, explain, diff, report: simulated contacts)\n");
            s.push_str(&findings::listing());
            write_stdout(&s)?
        }
        Some(RuleOrFinding::Rule(rule)) => write_stdout(&rule.markdown())?,
        Some(RuleOrFinding::Finding(f)) => write_stdout(&f.kind().markdown())?,
    }
    Ok(ExitKind::Ok)
}
