//! ## What it does
//! Flags a recorded statement whose id is copied out of `RecordingStatementId`, but only into a
//! variable without the `Global:` prefix, before it is overwritten or the contact ends.
//!
//! ## Why is this bad?
//! Script variables die with the contact; only `Global:` variables reach your CRM or the next
//! script (R13). The copy looks like a save but the statement is lost all the same.
//!
//! ## Example
//! ```yaml
//! - id: save
//!   type: ASSIGN
//!   properties: {Variable: statementId, Value: "{RecordingStatementId}"}
//! ```
//!
//! ## Use instead
//! ```yaml
//! - id: save
//!   type: ASSIGN
//!   properties: {Variable: "Global:statementId", Value: "{RecordingStatementId}"}
//! ```

use super::statement_id_not_saved::{losses, lost_by};
use crate::lint::analysis::StmtId;
use crate::lint::diagnostic::Severity;
use crate::lint::fix::{Applicability, Edit, Fix};
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic};
use crate::script::{ActionIx, Kind};

/// S002: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::S002,
    code: "S002",
    name: "statement-id-saved-to-local",
    severity: Severity::Warning,
    summary: "a recorded statement's id is copied only into a non-Global variable",
    source: include_str!("statement_id_saved_to_local.rs"),
    file: "statement_id_saved_to_local.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    // One finding per Start, as S001 (the first loss point is the one `lint::dedup` keeps).
    let mut reported = std::collections::HashSet::new();
    for n in losses(cx, StmtId::Local) {
        let s = cx.reach.state(n);
        let Some(start) = s.stmt_src.map(|c| c.ix()) else { continue };
        if !reported.insert(start) {
            continue;
        }
        let (by, _) = lost_by(cx, n);
        let path = cx.reach.path_actions(n);
        let from = path.iter().rposition(|&p| p == start).unwrap_or(0);
        let copy = path[from..].iter().copied().find(|&p| {
            cx.facts.copies[p.index()]
                .iter()
                .any(|c| !c.target_is_global() && c.copies(crate::lint::infer::STATEMENT_VAR))
        });
        let mut d = Diagnostic::new(
            &RULE,
            start,
            super::action_span(cx.script.action(start)),
            format!("the id of the recorded statement started here is copied only into a non-Global variable before {by}"),
        )
        .label("statement id never reaches a Global: variable")
        .help("copy it into a `Global:` variable (e.g. `Global:_recordingStatementId`): plain variables end with the contact")
        .path(cx.script, cx.reach, n);
        if let Some(c) = copy {
            d = d
                .secondary(super::action_span(cx.script.action(c)), "copied into a non-Global variable here");
        }
        out.push(d);
    }
}

/// Fix (safe): make the copy's target a `Global:` variable (`stmt` → `Global:stmt`): the id
/// then outlives the contact. Only a variable name changes: no recording changes.
pub(crate) fn fix(cx: &Ctx, d: &Diagnostic) -> Option<Fix> {
    // The copy `check` found on the path is its secondary label (the path itself may be elided,
    // issue 21 F04): the action at that span that copies the id into a non-Global variable.
    let at = d.secondary.first()?.span;
    let (ix, copy) = cx.script.indices().find_map(|p: ActionIx| {
        if super::action_span(cx.script.action(p)) != at {
            return None;
        }
        cx.facts.copies[p.index()]
            .iter()
            .find(|c| !c.target_is_global() && c.copies(crate::lint::infer::STATEMENT_VAR))
            .map(|c| (p, c))
    })?;
    let a = cx.script.action(ix);
    let global = format!("Global:{}", copy.target);
    let edit = match &a.kind {
        Kind::Assign { variable, .. } if variable.eq_ignore_ascii_case(&copy.target) => {
            Edit::SetProperty { action: a.id.clone(), name: "Variable".into(), value: global.clone() }
        }
        Kind::Snippet(s) => Edit::SnippetInsert {
            action: a.id.clone(),
            at: assignment_target(&s.data, &copy.target)?,
            text: "Global:".into(),
        },
        _ => return None,
    };
    Some(Fix {
        applicability: Applicability::Safe,
        message: format!(
            "copy the statement id into `{global}` instead of `{}` (in `{}`)",
            copy.target, a.id
        ),
        edits: vec![edit],
    })
}

/// Byte offset of `var` where a Snippet program assigns to it (`ASSIGN var = ...` or `var = ...`).
fn assignment_target(data: &str, var: &str) -> Option<usize> {
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == ':' || c == '.';
    let lower = data.to_ascii_lowercase();
    let needle = var.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(&needle).map(|i| from + i) {
        from = i + needle.len().max(1);
        if data[..i].chars().next_back().is_some_and(ident) {
            continue;
        }
        let rest = &data[i + needle.len()..];
        if rest.chars().next().is_some_and(ident) {
            continue;
        }
        let rest = rest.trim_start_matches([' ', '\t']);
        if rest.starts_with('=') && !rest.starts_with("==") {
            return Some(i);
        }
    }
    None
}
