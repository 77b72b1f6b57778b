//! ## What it does
//! Reports an `allow: [{rule, reason}]` entry that suppressed nothing: the rule did not fire on
//! that action (any more), or the entry names no rule.
//!
//! ## Why is this bad?
//! Stale suppressions hide future findings: when the script changes, a real problem at that
//! action is silenced by an entry written for an old one (like ruff's RUF100).
//!
//! ## Example
//! ```yaml
//! - id: queue
//!   type: REQAGENT
//!   allow: [{rule: C001, reason: "legacy"}]   # C001 is never reported at a REQAGENT
//! ```
//!
//! ## Use instead
//! Delete the entry, or move it to the action the finding points at (C001 points at the consent
//! MENU).

use crate::lint::diagnostic::Severity;
use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Config, Diagnostic, registry};
use crate::script::{ActionIx, Allow, Script};

/// X001: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::X001,
    code: "X001",
    name: "unused-suppression",
    severity: Severity::Warning,
    summary: "an `allow:` entry that suppressed nothing",
    source: include_str!("unused_suppression.rs"),
    file: "unused_suppression.rs",
    check,
};

/// X001 runs after the other rules (`lint::suppress`); `check` has nothing to do on its own.
pub(crate) fn check(_cx: &crate::lint::Ctx, _out: &mut Vec<Diagnostic>) {}

/// The X001 finding for an `allow:` entry that suppressed nothing, if any.
pub(crate) fn report(_script: &Script, config: &Config, ix: ActionIx, allow: &Allow) -> Option<Diagnostic> {
    let message = match registry::rule(&allow.rule) {
        Some(rule) if !config.enabled(rule) => return None,
        Some(rule) => {
            format!("unused suppression: {} ({}) does not fire on this action", rule.code, rule.name)
        }
        None => format!("unused suppression: `{}` names no lint rule", allow.rule),
    };
    Some(
        Diagnostic::new(&RULE, ix, allow.span, message)
            .label("suppresses nothing")
            .help("remove this `allow:` entry (or move it to the action the finding points at)")
            .with_fix(fix(_script, ix, allow)),
    )
}

/// Fix (safe): remove the entry. A suppression that suppresses nothing changes no outcome.
fn fix(script: &Script, ix: ActionIx, allow: &Allow) -> Option<Fix> {
    let a = script.action(ix);
    let index = a.allow.iter().position(|al| al.span == allow.span)?;
    Some(Fix {
        applicability: Applicability::Safe,
        message: format!("remove the unused `allow: {}` entry from `{}`", allow.rule, a.id),
        edits: vec![Edit::RemoveAllow { action: a.id.clone(), index }],
    })
}
