//! ## What it does
//! Flags an INDICATE `State: On` whose MAX button can still be On when the contact ends: no
//! ONRELEASE, or a path through ONRELEASE that does not run INDICATE `State: Off` for the same
//! `Name`.
//!
//! ## Why is this bad?
//! The button stays on the agent's screen after the call, and a press then signals a contact
//! that is gone. The product documentation says to turn the Indicate declarations off in
//! ONRELEASE.
//!
//! ## Example
//! ```yaml
//! - id: show
//!   type: INDICATE
//!   properties: {Name: Start Recorded Statement, State: On, ActionType: Signal, Parameters: [start]}
//! # ... and no ONRELEASE
//! ```
//!
//! ## Use instead
//! ```yaml
//! - id: released
//!   type: ONRELEASE
//!   next: hide
//! - id: hide
//!   type: INDICATE
//!   properties: {Name: Start Recorded Statement, State: Off}
//! ```

use crate::lint::diagnostic::Severity;
use crate::lint::fix::{Applicability, Edit, Fix, Ids, NewAction, text};
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic};
use crate::script::{Event, Kind, OnOff};

/// M001: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::M001,
    code: "M001",
    name: "indicator-left-on",
    severity: Severity::Warning,
    summary: "a MAX button turned On is not turned Off by ONRELEASE on some path",
    source: include_str!("indicator_left_on.rs"),
    file: "indicator_left_on.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let onrelease = cx.script.event(Event::Release);
    for &n in &cx.reach.ends {
        let mut on = cx.reach.state(n).buttons;
        if on == 0 {
            continue;
        }
        let path = cx.reach.path_actions(n);
        while on != 0 {
            let b = on.trailing_zeros() as u8;
            on &= on - 1;
            let Some(ix) = path.iter().rev().copied().find(|&p| {
                cx.facts.button_of[p.index()] == Some(b)
                    && matches!(&cx.script.action(p).kind, Kind::Indicate(i) if i.state == OnOff::On)
            }) else {
                continue;
            };
            let name = &cx.facts.buttons[b as usize].name;
            let mut d = Diagnostic::new(
                &RULE,
                ix,
                super::action_span(cx.script.action(ix)),
                format!("MAX button `{name}` turned On here can still be On when the contact ends"),
            )
            .label("turned On")
            .help(format!("in ONRELEASE, add INDICATE `{name}` with State: Off (on every path)"))
            .path(cx.script, cx.reach, n);
            if let Some(r) = onrelease {
                d = d.secondary(
                    super::action_span(cx.script.action(r)),
                    "this handler does not turn it Off on some path",
                );
            }
            out.push(d);
        }
    }
}

/// Fix (safe): an INDICATE `State: Off` for the button as the first action of ONRELEASE (so it
/// runs on every path of the handler), creating ONRELEASE when the script has none. A MAX
/// indicator changes no recording.
pub(crate) fn fix(cx: &Ctx, d: &Diagnostic, ids: &mut Ids) -> Option<Fix> {
    let Kind::Indicate(on) = &cx.script.action(d.action).kind else { return None };
    let id = ids.fresh(&format!("{}-off", cx.script.action(d.action).id));
    let mut indicate = NewAction {
        id: id.clone(),
        type_name: "INDICATE".into(),
        label: format!("Turn {} off", on.name),
        properties: off_properties(cx.script.action(d.action), &on.name),
        next: None,
        near: String::new(),
    };
    let mut edits = Vec::new();
    match cx.script.event(Event::Release) {
        Some(r) => {
            let r = cx.script.action(r);
            indicate.next =
                r.branch("default").and_then(|b| b.target).map(|t| cx.script.action(t).id.clone());
            indicate.near = r.id.clone();
            edits.push(Edit::AddAction(indicate));
            edits.push(Edit::Rewire { action: r.id.clone(), branch: "default".into(), to: id });
        }
        None => {
            let last = cx.script.actions.last()?;
            let release = ids.fresh("onrelease");
            indicate.near = release.clone();
            edits.push(Edit::AddAction(NewAction {
                id: release,
                type_name: "ONRELEASE".into(),
                label: "Call released".into(),
                properties: Vec::new(),
                next: Some(id),
                near: last.id.clone(),
            }));
            edits.push(Edit::AddAction(indicate));
        }
    }
    Some(Fix {
        applicability: Applicability::Safe,
        message: format!("turn MAX button `{}` Off at the start of ONRELEASE", on.name),
        edits,
    })
}

/// `Name` and `State: Off`, plus the On action's `Target` / `TargetIDs` as written (the Off
/// must reach the same agents' screens; CXone help, INDICATE: "Name ... is used to track which
/// Indicate action is turned on or off").
fn off_properties(on: &crate::script::Action, name: &str) -> Vec<(String, crate::script::PropValue)> {
    let mut props = vec![("Name".into(), text(name)), ("State".into(), text("Off"))];
    for p in &on.properties {
        if p.name.eq_ignore_ascii_case("Target") || p.name.eq_ignore_ascii_case("TargetIDs") {
            props.push((p.name.clone(), p.value.clone()));
        }
    }
    props
}
