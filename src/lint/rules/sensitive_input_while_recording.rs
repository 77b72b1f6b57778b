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

use crate::lint::analysis::Phase;
use crate::lint::diagnostic::Severity;
use crate::lint::fix::{Applicability, Edit, Fix, Ids, NewAction, before, incoming, text};
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic};
use crate::script::ActionIx;

/// P001: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::P001,
    code: "P001",
    name: "sensitive-input-while-recording",
    severity: Severity::Error,
    summary: "a sensitive MENU (card, CVV, PIN) can run while the call is recorded",
    source: include_str!("sensitive_input_while_recording.rs"),
    file: "sensitive_input_while_recording.rs",
    check,
};

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
            &RULE,
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
        if let Some(source) = source {
            d = d.secondary(super::action_span(cx.script.action(source.ix())), "recording started here");
        } else if s.phase == Phase::Agent {
            d.message.push_str(" by recording policies");
        }
        out.push(d);
    }
}

/// Fix (unsafe): LOGRECORDINGPRO Stop on every way into the sensitive MENU and Start on every
/// way out of it (one Start per distinct next action; a branch back into the MENU stays
/// stopped). Unsafe: it changes what is recorded — and starts a recording after the MENU on
/// paths that were not recorded before it.
pub(crate) fn fix(cx: &Ctx, d: &Diagnostic, ids: &mut Ids) -> Option<Fix> {
    let menu = d.action;
    let a = cx.script.action(menu);
    let into: Vec<(ActionIx, String)> =
        incoming(cx.script, menu).into_iter().filter(|(p, _)| *p != menu).collect();
    if into.is_empty() {
        return None;
    }
    let stop = ids.fresh(&format!("stop-before-{}", a.id));
    let record = |r: &str| vec![("Record".into(), text(r)), ("RecordType".into(), text("Call"))];
    let mut edits = vec![Edit::AddAction(NewAction {
        id: stop.clone(),
        type_name: "LOGRECORDINGPRO".into(),
        label: format!("Stop recording before {}", a.caption()),
        properties: record("Stop"),
        next: Some(a.id.clone()),
        near: cx.script.action(before(menu)).id.clone(),
    })];
    for (p, b) in &into {
        edits.push(Edit::Rewire {
            action: cx.script.action(*p).id.clone(),
            branch: b.clone(),
            to: stop.clone(),
        });
    }
    let mut starts: Vec<(ActionIx, String)> = Vec::new();
    for b in &a.branches {
        let Some(t) = b.target.filter(|&t| t != menu) else { continue };
        let start = match starts.iter().find(|(x, _)| *x == t) {
            Some((_, id)) => id.clone(),
            None => {
                let id = ids.fresh(&format!("start-after-{}", a.id));
                edits.push(Edit::AddAction(NewAction {
                    id: id.clone(),
                    type_name: "LOGRECORDINGPRO".into(),
                    label: format!("Resume recording after {}", a.caption()),
                    properties: record("Start"),
                    next: Some(cx.script.action(t).id.clone()),
                    near: a.id.clone(),
                }));
                starts.push((t, id.clone()));
                id
            }
        };
        edits.push(Edit::Rewire { action: a.id.clone(), branch: b.name.clone(), to: start });
    }
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: format!("stop recording before `{}` (`{stop}`) and start it again after", a.id),
        edits,
    })
}
