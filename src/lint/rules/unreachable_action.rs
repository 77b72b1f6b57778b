//! ## What it does
//! Flags an action that no path reaches from BEGIN or from an event action (ONANSWER,
//! ONRELEASE, ONSIGNAL).
//!
//! ## Why is this bad?
//! It never runs. Usually a branch was wired to the wrong target, or a recording action (a
//! DONOTRECORD, a statement save) the author relies on is disconnected.
//!
//! ## Example
//! ```yaml
//! - id: begin
//!   type: BEGIN
//!   next: queue
//! - id: dnr                  # nothing leads here
//!   type: DONOTRECORD
//!   next: queue
//! ```
//!
//! ## Use instead
//! Wire a branch to it, or delete it.

use crate::lint::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic};

/// G001: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::G001,
    code: "G001",
    name: "unreachable-action",
    severity: Severity::Warning,
    summary: "no path from BEGIN or any event action reaches the action",
    source: include_str!("unreachable_action.rs"),
    file: "unreachable_action.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let reachable = cx.flow.reachable();
    for ix in cx.script.indices() {
        if reachable[ix.index()] {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE,
                ix,
                super::action_span(cx.script.action(ix)),
                format!(
                    "{} is unreachable: no path from BEGIN or an event action leads here",
                    super::describe(cx.script, ix)
                ),
            )
            .label("never runs")
            .help("wire a branch to it, or delete it"),
        );
    }
}
