//! ## What it does
//! Flags a LOGRECORDINGPRO Start in the IVR that is followed by IVR media (MENU or PLAY) before
//! REQAGENT.
//!
//! ## Why is this bad?
//! A Start during the IVR records the IVR segment and stops when the IVR ends (R4). Only a Start
//! with no IVR media between it and REQAGENT also records the agent when they answer (A-6). With
//! a PLAY or MENU in between, the agent segment silently falls back to recording policies — often
//! not what the script author meant.
//!
//! ## Example
//! ```yaml
//! - id: record
//!   type: LOGRECORDINGPRO
//!   properties: {Record: Start}
//!   next: hello
//! - id: hello
//!   type: PLAY                 # IVR media after the Start
//!   next: queue
//! - id: queue
//!   type: REQAGENT
//! ```
//!
//! ## Use instead
//! ```yaml
//! - id: hello
//!   type: PLAY
//!   next: record
//! - id: record
//!   type: LOGRECORDINGPRO      # just before REQAGENT: records the agent segment
//!   properties: {Record: Start}
//!   next: queue
//! ```

use crate::lint::analysis::Phase;
use crate::lint::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic};
use crate::script::Kind;

/// O001: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::O001,
    code: "O001",
    name: "ivr-start-ends-at-queue",
    severity: Severity::Warning,
    summary: "an IVR LOGRECORDINGPRO Start is followed by IVR media before REQAGENT: it stops at the queue",
    source: include_str!("ivr_start_ends_at_queue.rs"),
    file: "ivr_start_ends_at_queue.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for ix in cx.script.indices() {
        if !matches!(cx.script.action(ix).kind, Kind::ReqAgent { .. }) {
            continue;
        }
        for &n in &cx.reach.by_action[ix.index()] {
            let s = cx.reach.state(n);
            if s.released || s.phase != Phase::Ivr || s.dnr || s.pending {
                continue;
            }
            let Some(start) = s.ivr_start.map(|c| c.ix()) else { continue };
            let path = cx.reach.path_actions(n);
            let from = path.iter().rposition(|&p| p == start).unwrap_or(0);
            let media = path[from..].iter().copied().find(|&p| cx.script.action(p).is_ivr_media());
            let mut d = Diagnostic::new(
                &RULE,
                start,
                super::action_span(cx.script.action(start)),
                "this LOGRECORDINGPRO Start records only the IVR: IVR media runs after it, before REQAGENT",
            )
            .label("recording stops when the IVR ends")
            .help(
                "to record the agent segment, put a LOGRECORDINGPRO Start right before REQAGENT (after the \
                 last MENU / PLAY); otherwise the agent segment falls back to recording policies",
            )
            .path(cx.script, cx.reach, n);
            if let Some(m) = media {
                d = d.secondary(
                    super::action_span(cx.script.action(m)),
                    format!("{} runs after the Start", super::describe(cx.script, m)),
                );
            }
            d = d.secondary(super::action_span(cx.script.action(ix)), "the IVR segment ends here");
            out.push(d);
        }
    }
}
