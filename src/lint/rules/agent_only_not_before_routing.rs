//! ## What it does
//! Flags a RECORDAGENTONLY whose next action is not REQAGENT.
//!
//! ## Why is this bad?
//! The product documentation says to put RECORDAGENTONLY "just before the call is redirected to an
//! agent" (R5). Placed earlier, later actions (another LOGRECORDINGPRO Start, DONOTRECORD) can
//! silently change what the agent segment records; placed after REQAGENT, the agent may already
//! be talking.
//!
//! ## Example
//! ```yaml
//! - id: agentonly
//!   type: RECORDAGENTONLY
//!   next: thanks
//! - id: thanks
//!   type: PLAY
//!   next: queue
//! ```
//!
//! ## Use instead
//! ```yaml
//! - id: thanks
//!   type: PLAY
//!   next: agentonly
//! - id: agentonly
//!   type: RECORDAGENTONLY
//!   next: queue
//! - id: queue
//!   type: REQAGENT
//! ```

use crate::lint::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic};
use crate::script::Kind;

/// O003: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::O003,
    code: "O003",
    name: "agent-only-not-before-routing",
    severity: Severity::Warning,
    summary: "RECORDAGENTONLY is not immediately before REQAGENT",
    source: include_str!("agent_only_not_before_routing.rs"),
    file: "agent_only_not_before_routing.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for ix in cx.script.indices() {
        let a = cx.script.action(ix);
        if !matches!(a.kind, Kind::RecordAgentOnly) {
            continue;
        }
        let next = a.branch("default").and_then(|b| b.target);
        if next.is_some_and(|t| matches!(cx.script.action(t).kind, Kind::ReqAgent { .. })) {
            continue;
        }
        let mut d = Diagnostic::new(
            &RULE,
            ix,
            super::action_span(a),
            "RECORDAGENTONLY is not immediately before REQAGENT",
        )
        .label("should lead straight to REQAGENT")
        .help("move RECORDAGENTONLY so that its next action is the REQAGENT that routes the call");
        if let Some(&n) = cx.reach.by_action[ix.index()].first() {
            d = d.path(cx.script, cx.reach, n);
        }
        d = match next {
            Some(t) => d.secondary(
                super::action_span(cx.script.action(t)),
                format!("next is {}, not REQAGENT", super::describe(cx.script, t)),
            ),
            None => d,
        };
        out.push(d);
    }
}
