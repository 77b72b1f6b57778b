//! ## What it does
//! Flags a CASE on a signal parameter (`SP1`..`SP9`) that has no branch for a value some MAX
//! button sends in that position of its `Parameters`.
//!
//! ## Why is this bad?
//! The press reaches ONSIGNAL, the CASE takes `default`, and the button silently does nothing
//! (or the wrong thing): e.g. a "Stop Recorded Statement" button whose `stop` value is not
//! handled.
//!
//! ## Example
//! ```yaml
//! - id: show-stop
//!   type: INDICATE
//!   properties: {Name: Stop Recorded Statement, State: On, ActionType: Signal, Parameters: [stop]}
//! - id: which
//!   type: CASE
//!   properties: {Variable: SP1}
//!   branches: {start: stmt-start, default: done}   # `stop` not handled
//! ```
//!
//! ## Use instead
//! ```yaml
//!   branches: {start: stmt-start, stop: stmt-stop, default: done}
//! ```

use crate::lint::analysis::signal_param;
use crate::lint::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic};
use crate::script::{Kind, OnOff};

/// M004: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::M004,
    code: "M004",
    name: "case-misses-signal-value",
    severity: Severity::Warning,
    summary: "a CASE on SPn has no branch for a value a MAX button sends",
    source: include_str!("case_misses_signal_value.rs"),
    file: "case_misses_signal_value.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for ix in cx.script.indices() {
        let a = cx.script.action(ix);
        let Kind::Case { variable } = &a.kind else { continue };
        let Some(n) = signal_param(variable) else { continue };
        let mut missing: Vec<(String, crate::script::ActionIx)> = Vec::new();
        for ind_ix in cx.script.indices() {
            let Kind::Indicate(ind) = &cx.script.action(ind_ix).kind else { continue };
            if ind.state != OnOff::On || !ind.action_type.eq_ignore_ascii_case("signal") {
                continue;
            }
            let Some(v) = ind.parameters.get(n - 1).filter(|v| !v.is_empty()) else { continue };
            let handled = a.branches.iter().any(|b| b.name != "default" && b.name.eq_ignore_ascii_case(v));
            if !handled && !missing.iter().any(|(m, _)| m.eq_ignore_ascii_case(v)) {
                missing.push((v.clone(), ind_ix));
            }
        }
        if missing.is_empty() {
            continue;
        }
        let values: Vec<String> = missing.iter().map(|(v, _)| format!("`{v}`")).collect();
        let mut d = Diagnostic::new(
            &RULE,
            ix,
            a.property_span("Variable"),
            format!("CASE `{}` on {variable} has no branch for {}", a.id, values.join(", ")),
        )
        .label(format!("{variable} can be {}", values.join(", ")))
        .help(format!("add a branch for each value the buttons send ({})", values.join(", ")));
        for (v, ind) in &missing {
            d = d.secondary(
                super::action_span(cx.script.action(*ind)),
                format!("this button sends {variable} = `{v}`"),
            );
        }
        out.push(d);
    }
}
