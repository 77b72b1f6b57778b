//! ## What it does
//! Flags an INDICATE that shows a button with `ActionType: Signal` when the script has no
//! ONSIGNAL action.
//!
//! ## Why is this bad?
//! Pressing the button sends a signal to the script, and only ONSIGNAL receives it: without one,
//! the agent's press does nothing — e.g. a "Start Recorded Statement" button that never starts
//! a statement.
//!
//! ## Example
//! ```yaml
//! - id: show
//!   type: INDICATE
//!   properties: {Name: Start Recorded Statement, State: On, ActionType: Signal, Parameters: [start]}
//! # no ONSIGNAL anywhere
//! ```
//!
//! ## Use instead
//! ```yaml
//! - id: signal
//!   type: ONSIGNAL
//!   next: which
//! - id: which
//!   type: CASE
//!   properties: {Variable: SP1}
//!   branches: {start: stmt-start, default: done}
//! ```

use crate::lint::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic};
use crate::script::{Event, Kind, OnOff};

/// M002: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::M002,
    code: "M002",
    name: "signal-without-onsignal",
    severity: Severity::Error,
    summary: "a Signal button is declared but the script has no ONSIGNAL",
    source: include_str!("signal_without_onsignal.rs"),
    file: "signal_without_onsignal.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    if cx.script.event(Event::Signal).is_some() {
        return;
    }
    for b in cx.facts.buttons.iter().filter(|b| b.signal) {
        let first = b.on_actions.iter().copied().find(|&ix| {
            matches!(&cx.script.action(ix).kind, Kind::Indicate(i) if i.state == OnOff::On && i.action_type.eq_ignore_ascii_case("signal"))
        });
        let Some(ix) = first else { continue };
        out.push(
            Diagnostic::new(
                &RULE,
                ix,
                super::action_span(cx.script.action(ix)),
                format!(
                    "Signal button `{}` is shown, but the script has no ONSIGNAL: its presses do nothing",
                    b.name
                ),
            )
            .label("sends a signal nobody receives")
            .help("add an ONSIGNAL action with a CASE on SP1 that handles this button's Parameters"),
        );
    }
}
