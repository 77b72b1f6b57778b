//! ## What it does
//! Flags a reachable cycle of actions with no branch leaving it that no event can end: it never
//! waits (no MENU, PLAY, MUSIC, or WAIT of more than 0 s), or it only ever runs in the IVR (before
//! REQAGENT no answer or signal can come; only the caller hanging up ends it).
//!
//! ## Why is this bad?
//! Events only interrupt a script while it waits, so nothing can leave a busy loop: the script
//! spins until the platform's step limit kills it (`step_limit` in `simulate`). An IVR loop with
//! no exit keeps the caller listening until they give up.
//!
//! ## Example
//! ```yaml
//! - id: again
//!   type: ASSIGN
//!   properties: {Variable: n, Value: "1"}
//!   next: check
//! - id: check
//!   type: CASE
//!   properties: {Variable: n}
//!   branches: {default: again}
//! ```
//!
//! ## Use instead
//! Wait inside the loop (a MUSIC or WAIT hold loop), or give it an exit branch.

// Kosaraju, not Tarjan: petgraph's Tarjan recurses once per node on a path and overflows the
// stack on a chain of ~15 000 actions; Kosaraju walks with an explicit stack.
use petgraph::algo::kosaraju_scc;

use crate::lint::analysis::takes_time;
use crate::lint::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic};
use crate::script::ActionIx;

/// G002: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::G002,
    code: "G002",
    name: "loop-without-exit",
    severity: Severity::Warning,
    summary: "a cycle that never waits and never exits (busy loop)",
    source: include_str!("loop_without_exit.rs"),
    file: "loop_without_exit.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let reachable = cx.flow.reachable();
    for scc in kosaraju_scc(&cx.flow.graph) {
        let mut members: Vec<ActionIx> = scc.iter().map(|&n| cx.flow.graph[n]).collect();
        members.sort();
        let first = members[0];
        let in_scc = |t: ActionIx| members.binary_search(&t).is_ok();
        let cyclic = members.len() > 1 || cx.flow.successors(first).any(|(_, t)| t == first);
        if !cyclic || !reachable[first.index()] {
            continue;
        }
        let closed = members.iter().all(|&m| {
            let a = cx.script.action(m);
            !a.is_terminal()
                && a.branch("default").is_some_and(|b| b.target.is_some())
                && a.branches.iter().all(|b| b.target.is_some_and(in_scc))
        });
        let busy = members.iter().all(|&m| !takes_time(&cx.script.action(m).kind));
        let ivr_only = members.iter().all(|&m| {
            cx.reach.by_action[m.index()].iter().all(|&n| {
                let s = cx.reach.state(n);
                s.phase == crate::lint::analysis::Phase::Ivr && !s.released
            })
        }) && members.iter().any(|&m| cx.reach.reaches(m));
        if !closed || !(busy || ivr_only) {
            continue;
        }
        let mut d = Diagnostic::new(
            &RULE,
            first,
            super::action_span(cx.script.action(first)),
            format!(
                "busy loop: {} never waits and has no way out",
                if members.len() == 1 {
                    "this action loops on itself and".to_string()
                } else {
                    format!("this cycle of {} actions", members.len())
                }
            ),
        )
        .label("loops forever")
        .help("add an exit branch, or wait in the loop (MUSIC / WAIT) so that events can end it");
        for &m in &members[1..] {
            d = d.secondary(super::action_span(cx.script.action(m)), "part of the loop");
        }
        if let Some(&n) = members.iter().find_map(|m| cx.reach.by_action[m.index()].first()) {
            d = d.path(cx.script, cx.reach, n);
        }
        out.push(d);
    }
}
