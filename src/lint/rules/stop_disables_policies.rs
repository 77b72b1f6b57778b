//! ## What it does
//! Flags a LOGRECORDINGPRO Stop (call recording) after which, on some path, the agent answers
//! with no LOGRECORDINGPRO Start or RECORDAGENTONLY in between.
//!
//! ## Why is this bad?
//! A Stop does not only stop the current recording: recording policies are not evaluated again
//! for the contact (R6). A Stop used to pause recording around card details in the IVR therefore
//! leaves the agent conversation unrecorded, whatever the policies say.
//!
//! ## Example
//! ```yaml
//! - id: pause
//!   type: LOGRECORDINGPRO
//!   properties: {Record: Stop}
//!   next: card
//! - id: card
//!   type: MENU
//!   properties: {Phrase: Enter your card number, Sensitive: true}
//!   next: queue                # agent segment: policies will not record it
//! ```
//!
//! ## Use instead
//! ```yaml
//! - id: card
//!   type: MENU
//!   properties: {Phrase: Enter your card number, Sensitive: true}
//!   next: resume
//! - id: resume
//!   type: LOGRECORDINGPRO      # re-arms recording for the agent segment
//!   properties: {Record: Start}
//!   next: queue
//! ```

use crate::lint::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic, last_on_path};
use crate::script::Kind;

/// O002: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::O002,
    code: "O002",
    name: "stop-disables-policies",
    severity: Severity::Warning,
    summary: "LOGRECORDINGPRO Stop with no later Start before REQAGENT: policies will not record the agent",
    source: include_str!("stop_disables_policies.rs"),
    file: "stop_disables_policies.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for &n in &cx.reach.answers {
        let s = cx.reach.state(n);
        let Some(stop) = s.stopped.map(|c| c.ix()) else { continue };
        if s.dnr || s.armed.is_some() {
            continue;
        }
        let path = cx.reach.path_actions(n);
        let mut d = Diagnostic::new(
            &RULE,
            stop,
            super::action_span(cx.script.action(stop)),
            "after this LOGRECORDINGPRO Stop the agent segment is not recorded: policies are not evaluated again",
        )
        .label("disables recording policies for the rest of the contact")
        .help("add a LOGRECORDINGPRO Start after the part that must not be recorded, before REQAGENT")
        .path(cx.script, cx.reach, n);
        if let Some(r) = last_on_path(cx.script, &path, |k| matches!(k, Kind::ReqAgent { .. })) {
            d = d.secondary(
                super::action_span(cx.script.action(r)),
                "no Start between the Stop and this REQAGENT",
            );
        }
        out.push(d);
    }
}
