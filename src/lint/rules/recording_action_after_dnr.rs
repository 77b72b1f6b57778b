//! ## What it does
//! Flags a LOGRECORDINGPRO Start or RECORDAGENTONLY that is only ever reached after DONOTRECORD
//! has run: on every path to it the contact is already marked Do Not Record.
//!
//! ## Why is this bad?
//! Nothing records a contact once DONOTRECORD ran (R1): the action is dead. It usually means a
//! branch was wired to the wrong target, e.g. the accept branch of a consent question to the
//! decline flow.
//!
//! ## Example
//! ```yaml
//! - id: dnr
//!   type: DONOTRECORD
//!   next: record
//! - id: record
//!   type: LOGRECORDINGPRO      # can never record
//!   properties: {Record: Start}
//!   next: queue
//! ```
//!
//! ## Use instead
//! ```yaml
//! - id: dnr
//!   type: DONOTRECORD
//!   next: queue
//! ```

use crate::lint::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic, last_on_path};
use crate::script::Kind;

/// C004: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::C004,
    code: "C004",
    name: "recording-action-after-dnr",
    severity: Severity::Warning,
    summary: "LOGRECORDINGPRO Start / RECORDAGENTONLY only ever runs after DONOTRECORD (it can never record)",
    source: include_str!("recording_action_after_dnr.rs"),
    file: "recording_action_after_dnr.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for ix in cx.script.indices() {
        let a = cx.script.action(ix);
        if !(super::is_call_start(&a.kind) || matches!(a.kind, Kind::RecordAgentOnly)) {
            continue;
        }
        let nodes = &cx.reach.by_action[ix.index()];
        if nodes.is_empty() || !nodes.iter().all(|&n| cx.reach.state(n).dnr) {
            continue;
        }
        let n = nodes[0];
        let path = cx.reach.path_actions(n);
        let mut d = Diagnostic::new(
            &RULE,
            ix,
            super::action_span(a),
            format!("{} only runs after DONOTRECORD: it can never record", super::describe(cx.script, ix)),
        )
        .label("every path here has set Do Not Record")
        .help("remove it, or wire the branch that should record (e.g. consent accepted) to it instead")
        .path(cx.script, cx.reach, n);
        if let Some(dnr) = last_on_path(cx.script, &path, |k| matches!(k, Kind::DoNotRecord)) {
            d = d.secondary(super::action_span(cx.script.action(dnr)), "Do Not Record is set here");
        }
        out.push(d);
    }
}
