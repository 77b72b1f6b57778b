//! ## What it does
//! Flags a CASE, MENU or REQAGENT whose `default` branch is not wired, and any other action that
//! can run in the IVR with no next action (its `default` not wired) — SNIPPET's `Error` aside.
//!
//! ## Why is this bad?
//! Taking an unwired branch ends the script thread. In the IVR the caller is left in silence and
//! hangs up: "the contact could get stuck". A CASE value nobody listed, a MENU with no input or an
//! unexpected digit all take `default`.
//!
//! ## Example
//! ```yaml
//! - id: menu
//!   type: MENU
//!   properties: {Phrase: Press 1 for sales}
//!   branches: {"1": sales}     # no input: the caller is stuck
//! ```
//!
//! ## Use instead
//! ```yaml
//!   branches: {"1": sales, default: operator}
//! ```

use crate::lint::analysis::Phase;
use crate::lint::diagnostic::Severity;
use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic};
use crate::script::{ActionIx, Kind};

/// M003: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::M003,
    code: "M003",
    name: "case-missing-default",
    severity: Severity::Warning,
    summary: "a CASE / MENU / REQAGENT (or IVR action) has no default branch wired: the contact could get stuck",
    source: include_str!("case_missing_default.rs"),
    file: "case_missing_default.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for ix in cx.script.indices() {
        let a = cx.script.action(ix);
        let default = a.branch("default");
        if default.is_some_and(|b| b.target.is_some()) {
            continue;
        }
        let span = default.map_or(super::action_span(a), |b| b.name_span);
        let what = super::describe(cx.script, ix);
        let chooser = matches!(a.kind, Kind::Case { .. } | Kind::Menu(_) | Kind::ReqAgent { .. });
        let ivr = cx.reach.by_action[ix.index()].iter().copied().find(|&n| {
            let s = cx.reach.state(n);
            s.phase == Phase::Ivr && !s.released
        });
        let d = if chooser {
            let why = match a.kind {
                Kind::Menu(_) => "no input or an unlisted digit ends the script thread",
                Kind::Case { .. } => "an unlisted value ends the script thread",
                _ => "the script thread ends here while the caller waits",
            };
            Diagnostic::new(
                &RULE,
                ix,
                span,
                format!("{what} has no default branch wired: the contact could get stuck"),
            )
            .label(why)
        } else if a.is_terminal()
            || a.kind.event().is_some()
            || ivr.is_none()
            // Only named result branches, wired (CHECKCALLSUP Found / NotFound): not a dead end.
            || (matches!(a.kind, Kind::Other) && a.branches.iter().any(|b| b.target.is_some()))
        {
            continue;
        } else {
            Diagnostic::new(
                &RULE,
                ix,
                span,
                format!("{what} has no next action: in the IVR the contact could get stuck"),
            )
            .label("the script thread ends here; the caller hears nothing and hangs up")
        };
        let mut d =
            d.help("wire `default` to an action (a retry, an operator queue, or an explicit HANGUP / END)");
        if let Some(n) = ivr.or_else(|| cx.reach.by_action[ix.index()].first().copied()) {
            d = d.path(cx.script, cx.reach, n);
        }
        out.push(d);
    }
}

/// Fix (unsafe): wire `default` to the action the other branches join — the action every wired
/// branch reaches, nearest to all of them — when there is one. Unsafe: contacts that got stuck
/// now continue, and what happens to them next (recording included) is new behaviour.
pub(crate) fn fix(cx: &Ctx, d: &Diagnostic) -> Option<Fix> {
    let ix = d.action;
    let a = cx.script.action(ix);
    let targets: Vec<ActionIx> =
        a.branches.iter().filter(|b| b.name != "default").filter_map(|b| b.target).collect();
    if targets.is_empty() {
        return None;
    }
    let n = cx.script.actions.len();
    // The largest BFS distance from any branch target to each action (None: not reached by all).
    let mut worst: Vec<Option<usize>> = vec![Some(0); n];
    for &t in &targets {
        let dist = distances(cx, t);
        for (w, d) in worst.iter_mut().zip(dist) {
            *w = match (*w, d) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
        }
    }
    let join = (0..n)
        .filter(|&i| i != ix.index() && cx.script.actions[i].kind.event().is_none())
        .filter_map(|i| worst[i].map(|w| (w, i)))
        .min()?;
    let to = cx.script.actions[join.1].id.clone();
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: format!("wire `default` of `{}` to `{to}`, where its other branches join", a.id),
        edits: vec![Edit::Rewire { action: a.id.clone(), branch: "default".into(), to }],
    })
}

/// Breadth-first distance from `from` to every action along wired branches.
fn distances(cx: &Ctx, from: ActionIx) -> Vec<Option<usize>> {
    let mut dist = vec![None; cx.script.actions.len()];
    dist[from.index()] = Some(0);
    let mut queue = std::collections::VecDeque::from([from]);
    while let Some(x) = queue.pop_front() {
        let dx = dist[x.index()].unwrap_or(0);
        for (_, t) in cx.flow.successors(x) {
            if dist[t.index()].is_none() {
                dist[t.index()] = Some(dx + 1);
                queue.push_back(t);
            }
        }
    }
    dist
}
