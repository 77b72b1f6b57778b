//! ## What it does
//! Flags a sensitive MENU — `Sensitive: True`, or (when `Sensitive` is absent) a phrase that asks
//! for a card number, CVV, PIN, security code or account number — that can run while a call
//! recording may be active: an IVR LOGRECORDINGPRO Start, Studio recording armed for the agent,
//! or recording policies during the agent segment.
//!
//! ## Why is this bad?
//! The caller's card details end up in the recording (R14). PCI DSS forbids storing them; the
//! product documentation's own example of Record: Stop is "when a customer gives their credit
//! card details in the IVR".
//!
//! ## Example
//! ```yaml
//! - id: record
//!   type: LOGRECORDINGPRO
//!   properties: {Record: Start}
//!   next: card
//! - id: card
//!   type: MENU
//!   properties: {Phrase: Enter your card number, Sensitive: true}
//! ```
//!
//! ## Use instead
//! ```yaml
//! - id: pause
//!   type: LOGRECORDINGPRO
//!   properties: {Record: Stop}
//!   next: card
//! - id: card
//!   type: MENU
//!   properties: {Phrase: Enter your card number, Sensitive: true}
//!   next: resume             # LOGRECORDINGPRO Start again afterwards
//! ```

use crate::lint::analysis::{NONE, Phase};
use crate::lint::{Ctx, Diagnostic};
use crate::script::ActionIx;

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for ix in cx.script.indices() {
        let Some(sens) = &cx.facts.sensitive[ix.index()] else { continue };
        let Some(n) = cx.reach.by_action[ix.index()]
            .iter()
            .copied()
            .find(|&n| cx.reach.state(n).may_record(cx.options.policies_record))
        else {
            continue;
        };
        let s = cx.reach.state(n);
        let inferred =
            sens.inferred.as_ref().map_or(String::new(), |w| format!(" (inferred sensitive: {w})"));
        let mut d = Diagnostic::new(
            "P001",
            ix,
            super::action_span(cx.script.action(ix)),
            format!("sensitive {} can run while the call is recorded{inferred}", super::describe(cx.script, ix)),
        )
        .label("the caller's answer may be recorded")
        .help(
            "stop the recording before it (LOGRECORDINGPRO Record: Stop) and start it again after; if it asks \
             nothing sensitive, say so with `Sensitive: False`",
        )
        .path(cx.script, cx.reach, n);
        let source = match s.phase {
            Phase::Ivr => s.ivr_start,
            _ => s.armed,
        };
        if source != NONE {
            d = d.secondary(super::action_span(cx.script.action(ActionIx(source))), "recording started here");
        } else if s.phase == Phase::Agent {
            d.message.push_str(" by recording policies");
        }
        out.push(d);
    }
}
