//! ## What it does
//! Flags a DONOTRECORD that can run after an agent may have answered: after REQAGENT, or in the
//! ONANSWER / ONSIGNAL / ONRELEASE handlers of an answered call. Also flags one that runs while an
//! IVR recording (a LOGRECORDINGPRO Start earlier in the IVR) is active: it is late too — but
//! not one right after that Start, before any time passed (no MENU / PLAY / MUSIC / WAIT in
//! between): a zero-length recording recorded nothing (A-23).
//!
//! ## Why is this bad?
//! DONOTRECORD stops recording from the moment it runs (A-17): everything recorded before —
//! possibly the start of the agent conversation — is kept. The product help says to run it
//! "before the Request Agent event is executed (before the agent answers)".
//!
//! ## Example
//! ```yaml
//! - id: answered
//!   type: ONANSWER
//!   next: dnr
//! - id: dnr
//!   type: DONOTRECORD
//! ```
//!
//! ## Use instead
//! ```yaml
//! - id: consent
//!   type: MENU
//!   consent: {accept: ["1"]}
//!   branches: {"1": queue, default: dnr}
//! - id: dnr
//!   type: DONOTRECORD        # in the IVR, before REQAGENT
//!   next: queue
//! ```

use crate::lint::analysis::Phase;
use crate::lint::diagnostic::Severity;
use crate::lint::fix::{Applicability, Edit, Fix, Ids, NewAction, before, incoming};
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic, last_on_path};
use crate::script::Kind;

/// C002: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::C002,
    code: "C002",
    name: "dnr-after-answer",
    severity: Severity::Error,
    summary: "DONOTRECORD runs after an agent may have answered",
    source: include_str!("dnr_after_answer.rs"),
    file: "dnr_after_answer.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for ix in cx.script.indices() {
        if !matches!(cx.script.action(ix).kind, Kind::DoNotRecord) {
            continue;
        }
        let late = cx.reach.by_action[ix.index()].iter().copied().find(|&n| {
            let s = cx.reach.state(n);
            !s.dnr
                && (s.phase == Phase::Agent
                    || (s.phase == Phase::Queued && !s.released)
                    // A-23: an IVR Start that has lasted no time yet recorded nothing to keep.
                    || (s.phase == Phase::Ivr && s.ivr_start.is_some() && s.rec_fresh != s.ivr_start))
        });
        let Some(n) = late else { continue };
        let s = cx.reach.state(n);
        let path = cx.reach.path_actions(n);
        let msg = if s.phase == Phase::Agent {
            "DONOTRECORD runs after the agent answered: the call may already have been recorded"
        } else if s.phase == Phase::Ivr {
            "DONOTRECORD runs while an IVR recording is active: what was recorded before it is kept"
        } else {
            "DONOTRECORD runs after REQAGENT: the agent may already have answered"
        };
        let mut d = Diagnostic::new(&RULE, ix, super::action_span(cx.script.action(ix)), msg)
            .label("too late to prevent recording")
            .help("move DONOTRECORD into the IVR, before REQAGENT (on the declined branch of the consent question)")
            .path(cx.script, cx.reach, n);
        if s.phase == Phase::Ivr
            && let Some(start) = s.ivr_start
        {
            // `late` only takes an IVR state with an active IVR Start.
            d = d.secondary(super::action_span(cx.script.action(start.ix())), "recording started here");
        } else if let Some(r) =
            last_on_path(cx.script, &path, |k| matches!(k, Kind::ReqAgent { .. } | Kind::OnAnswer))
        {
            d = d.secondary(super::action_span(cx.script.action(r)), "the agent can answer from here on");
        }
        out.push(d);
    }
}

/// Fix (unsafe), only for a DONOTRECORD that every answered call runs (it follows ONANSWER
/// with no choice on the way): the same DONOTRECORD before the REQAGENT, in time. Unsafe: the
/// start of each agent conversation, recorded until now, no longer is.
pub(crate) fn fix(cx: &Ctx, d: &Diagnostic, ids: &mut Ids) -> Option<Fix> {
    let dnr = d.action;
    // Walk the straight line from ONANSWER (actions with exactly one wired branch).
    let mut at = cx.script.event(crate::script::Event::Answer)?;
    let mut seen = 0;
    while at != dnr {
        let mut next = cx.flow.successors(at);
        let (Some((_, t)), None) = (next.next(), next.next()) else { return None };
        at = t;
        seen += 1;
        if seen > cx.script.actions.len() {
            return None;
        }
    }
    let path = cx.reach.path_actions(cx.reach.by_action[dnr.index()].first().copied()?);
    let req = last_on_path(cx.script, &path, |k| matches!(k, Kind::ReqAgent { .. }))?;
    let r = cx.script.action(req);
    let id = ids.fresh(&format!("dnr-before-{}", r.id));
    let mut edits = vec![Edit::AddAction(NewAction {
        id: id.clone(),
        type_name: "DONOTRECORD".into(),
        label: "Do not record (before the agent answers)".into(),
        properties: Vec::new(),
        next: Some(r.id.clone()),
        near: cx.script.action(before(req)).id.clone(),
    })];
    let into = incoming(cx.script, req);
    if into.is_empty() {
        return None;
    }
    for (p, b) in into {
        if p != req {
            edits.push(Edit::Rewire { action: cx.script.action(p).id.clone(), branch: b, to: id.clone() });
        }
    }
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: format!(
            "run DONOTRECORD `{id}` before REQAGENT `{}` instead of after the agent answers",
            r.id
        ),
        edits,
    })
}
