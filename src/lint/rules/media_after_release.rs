//! ## What it does
//! Flags a MENU, PLAY or MUSIC that can run after the call is released: in the ONRELEASE flow,
//! or reached from it.
//!
//! ## Why is this bad?
//! Media actions after ONRELEASE are not allowed: the caller is gone (A-3). The platform skips
//! them; whatever they were meant to do (a goodbye message, a survey question) never happens.
//!
//! ## Example
//! ```yaml
//! - id: released
//!   type: ONRELEASE
//!   next: goodbye
//! - id: goodbye
//!   type: PLAY
//!   properties: {Phrase: Thank you for calling}
//! ```
//!
//! ## Use instead
//! Play the goodbye before HANGUP in the main flow; keep ONRELEASE for clean-up (INDICATE Off,
//! saving variables).

use crate::lint::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic};
use crate::script::Event;

/// M005: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::M005,
    code: "M005",
    name: "media-after-release",
    severity: Severity::Error,
    summary: "MENU / PLAY / MUSIC reachable after ONRELEASE (skipped: the caller is gone)",
    source: include_str!("media_after_release.rs"),
    file: "media_after_release.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for ix in cx.script.indices() {
        let a = cx.script.action(ix);
        if !a.is_media() {
            continue;
        }
        let Some(n) = cx.reach.by_action[ix.index()].iter().copied().find(|&n| cx.reach.state(n).released)
        else {
            continue;
        };
        let mut d = Diagnostic::new(
            &RULE,
            ix,
            super::action_span(a),
            format!("{} can run after the call is released: it is skipped", super::describe(cx.script, ix)),
        )
        .label("media after ONRELEASE")
        .help("move it before the HANGUP in the main flow; ONRELEASE is for clean-up only")
        .path(cx.script, cx.reach, n);
        if let Some(r) = cx.script.event(Event::Release) {
            d = d.secondary(super::action_span(cx.script.action(r)), "the call is over from here on");
        }
        out.push(d);
    }
}
