//! ## What it does
//! In a script that asks for recording consent, flags a LOGRECORDINGPRO Start (call recording,
//! not a recorded statement) that can run before the consent question has been answered — or on
//! a path that never asks it; not one stopped before any time passes (DONOTRECORD or a Stop
//! right after it: a zero-length recording records nothing, A-23). A Start after a first
//! consent answer whose recording still runs when a later consent question is asked is flagged
//! too: the contact's last answer decides (A-24). It also flags a consent
//! question asked after the agent answered (in ONANSWER or ONSIGNAL) while the call may already
//! be recorded: by a recording policy from the answer, an armed Studio recording, or an agent's
//! or supervisor's recording on demand (only DONOTRECORD, or agent-only recording, rules all of
//! them out; A-22).
//!
//! ## Why is this bad?
//! A Start in the IVR records the IVR from that moment (R4): the caller is recorded before
//! they could say no. A question asked after the answer comes too late for the same reason:
//! policies record the agent segment from the answer (R8); if the caller then declines, what was
//! recorded is kept (`recorded_before_consent`, or `recorded_before_dnr` when DONOTRECORD follows).
//!
//! ## Example
//! ```yaml
//! - id: begin
//!   type: BEGIN
//!   next: record
//! - id: record
//!   type: LOGRECORDINGPRO
//!   properties: {Record: Start}
//!   next: consent          # recording runs while the question is asked
//! ```
//!
//! ## Use instead
//! ```yaml
//! - id: consent
//!   type: MENU
//!   consent: {accept: ["1"]}
//!   branches: {"1": record, default: dnr}
//! - id: record
//!   type: LOGRECORDINGPRO
//!   properties: {Record: Start}
//!   next: queue            # start after the caller accepted
//! ```

use crate::lint::analysis::Phase;
use crate::lint::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic};

/// C003: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::C003,
    code: "C003",
    name: "recording-before-consent",
    severity: Severity::Warning,
    summary: "LOGRECORDINGPRO Start runs before the consent question is answered",
    source: include_str!("recording_before_consent.rs"),
    file: "recording_before_consent.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(first_consent) = cx.facts.consent.iter().position(Option::is_some) else { return };
    asked_after_answer(cx, out);
    let consent = crate::script::ActionIx(first_consent as u32);
    for ix in cx.script.indices() {
        if !super::is_call_start(&cx.script.action(ix).kind) {
            continue;
        }
        // A Start whose recording is stopped before any time passes (DONOTRECORD, a Stop, the
        // call ends right after it) recorded nothing (A-23): only one that went on for some time
        // before the question was answered records the caller early.
        let early = cx.reach.start_timed_early[ix.index()]
            .then(|| {
                cx.reach.by_action[ix.index()].iter().copied().find(|&n| {
                    let s = cx.reach.state(n);
                    !s.dnr && !s.released && !s.consent_answered
                })
            })
            .flatten();
        // Or one still recording when a later consent question is asked: the last answer judges
        // the contact (A-24), so what it recorded before that answer is recorded before consent.
        let (n, question) = match (early, cx.reach.recording_at_later_question[ix.index()]) {
            (Some(n), _) => (n, consent),
            (None, Some(q)) => match cx.reach.point(q) {
                crate::lint::analysis::Point::Action(question) => (q, question),
                _ => continue,
            },
            (None, None) => continue,
        };
        let inferred = cx.facts.consent[question.index()]
            .as_ref()
            .and_then(|c| c.inferred.as_ref())
            .map_or(String::new(), |w| format!(" ({w})"));
        let message = if early.is_some() {
            format!("LOGRECORDINGPRO Start can run before the consent question is answered{inferred}")
        } else {
            format!(
                "LOGRECORDINGPRO Start still records when consent question `{}` is asked after an earlier answer{inferred}: the last answer decides",
                cx.script.action(question).id
            )
        };
        out.push(
            Diagnostic::new(&RULE, ix, super::action_span(cx.script.action(ix)), message)
                .label("records before the caller could decline")
                .secondary(super::action_span(cx.script.action(question)), "consent is asked here")
                .help("move the Start onto the accepted branch(es) of the consent question")
                .path(cx.script, cx.reach, n),
        );
    }
}

/// A consent question asked after the agent answered (in ONANSWER or ONSIGNAL, A-22) while the
/// call may already be recorded — by a recording policy from the answer, or an armed Studio
/// recording: the caller is recorded before they could decline.
fn asked_after_answer(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for ix in cx.script.indices() {
        let Some(consent) = &cx.facts.consent[ix.index()] else { continue };
        // As for C001: only DONOTRECORD (or agent-only recording) keeps the caller unrecorded —
        // a Stop ends policies and Studio, not an agent's or supervisor's recording on demand (R7).
        let early = cx.reach.by_action[ix.index()].iter().copied().find(|&n| {
            let s = cx.reach.state(n);
            let agent_only = s.armed.is_some() && s.agent_only;
            s.phase == Phase::Agent && !s.released && !s.dnr && !agent_only
        });
        let Some(n) = early else { continue };
        let s = cx.reach.state(n);
        let by = match s.armed {
            Some(start) => format!("the Studio recording armed by `{}`", cx.script.action(start.ix()).id),
            None if s.may_record(cx.options.policies_record) => "a recording policy".to_string(),
            None => "an agent's or supervisor's recording on demand".to_string(),
        };
        let inferred = consent.inferred.as_ref().map_or(String::new(), |w| format!(" ({w})"));
        let a = cx.script.action(ix);
        let mut d = Diagnostic::new(
            &RULE,
            ix,
            super::action_span(a),
            format!(
                "consent question `{}` is asked after the agent answered{inferred}: {by} may already be recording the caller",
                a.id
            ),
        )
        .label("asked while the call may be recorded")
        .help(
            "ask for consent in the IVR, before REQAGENT, and run DONOTRECORD on every declined outcome \
             there; or stop the recording (LOGRECORDINGPRO Stop) before asking",
        )
        .path(cx.script, cx.reach, n);
        if let Some(start) = s.armed {
            d = d.secondary(super::action_span(cx.script.action(start.ix())), "armed here");
        }
        out.push(d);
    }
}
