//! ## What it does
//! In a script that asks for recording consent, flags a LOGRECORDINGPRO Start (call recording,
//! not a recorded statement) that can run before the consent question has been answered — or on
//! a path that never asks it.
//!
//! ## Why is this bad?
//! A Start in the IVR records the IVR from that moment (R4): the caller is recorded before
//! they could say no.
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
    let consent = crate::script::ActionIx(first_consent as u32);
    for ix in cx.script.indices() {
        if !super::is_call_start(&cx.script.action(ix).kind) {
            continue;
        }
        let early = cx.reach.by_action[ix.index()].iter().copied().find(|&n| {
            let s = cx.reach.state(n);
            !s.dnr && !s.released && !s.consent_answered
        });
        let Some(n) = early else { continue };
        let inferred = cx.facts.consent[first_consent]
            .as_ref()
            .and_then(|c| c.inferred.as_ref())
            .map_or(String::new(), |w| format!(" ({w})"));
        out.push(
            Diagnostic::new(
                &RULE,
                ix,
                super::action_span(cx.script.action(ix)),
                format!("LOGRECORDINGPRO Start can run before the consent question is answered{inferred}"),
            )
            .label("records before the caller could decline")
            .secondary(super::action_span(cx.script.action(consent)), "consent is asked here")
            .help("move the Start onto the accepted branch(es) of the consent question")
            .path(cx.script, cx.reach, n),
        );
    }
}
