//! ## What it does
//! Follows every recorded statement started by LOGRECORDINGPRO `Record: Start` with
//! `UseRecordingStatementId: True`, and flags it when, on some path, its id in
//! `RecordingStatementId` is not copied into a `Global:` variable (by a SNIPPET or an ASSIGN)
//! before the id is lost: overwritten or cleared by the next LOGRECORDINGPRO, or the contact ends.
//!
//! ## Why is this bad?
//! A recorded statement cannot be found in CXone afterwards: only its id leads to it (R13). The
//! id is overwritten by the next LOGRECORDINGPRO action. An unsaved statement is lost evidence.
//!
//! ## Example
//! ```yaml
//! - id: stmt-start
//!   type: LOGRECORDINGPRO
//!   properties: {Record: Start, UseRecordingStatementId: true}
//!   next: done               # the id is never saved
//! ```
//!
//! ## Use instead
//! ```yaml
//! - id: stmt-start
//!   type: LOGRECORDINGPRO
//!   properties: {Record: Start, UseRecordingStatementId: true}
//!   next: save
//! - id: save
//!   type: SNIPPET
//!   properties:
//!     Data: ASSIGN Global:_recordingStatementId = RecordingStatementId
//!   next: done
//! ```

use crate::lint::analysis::{NodeId, Point, StmtId, takes_time};
use crate::lint::diagnostic::Severity;
use crate::lint::fix::{Applicability, Edit, Fix, Ids, NewAction};
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic};
use crate::script::{ActionIx, Kind};

/// S001: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::S001,
    code: "S001",
    name: "statement-id-not-saved",
    severity: Severity::Error,
    summary: "a recorded statement's id is not copied into a Global: variable before it is overwritten",
    source: include_str!("statement_id_not_saved.rs"),
    file: "statement_id_not_saved.rs",
    check,
};

/// Where a statement id at risk is lost: LOGRECORDINGPRO actions reached with it, and ends —
/// except while the open statement has lasted no time (A-21: a statement that ends before any
/// time passes is no statement). An id that left the variable then (`stmt_orphan`) is lost where
/// the thread first waits with the statement still open.
pub(crate) fn losses(cx: &Ctx, which: StmtId) -> Vec<NodeId> {
    let mut out = Vec::new();
    for (n, (point, s)) in cx.reach.nodes.iter().enumerate() {
        let lost = match *point {
            Point::Action(ix) => match &cx.script.action(ix).kind {
                Kind::LogRecordingPro(_) => s.stmt == which && !s.stmt_untimed(),
                k => !s.released && takes_time(k) && s.stmt_untimed() && s.stmt_orphan == which,
            },
            Point::Idle => s.stmt_untimed() && s.stmt_orphan == which,
            Point::End => s.stmt == which,
            Point::Answer | Point::Release => false,
        };
        if lost {
            out.push(n as NodeId);
        }
    }
    out
}

/// What ends the id's life at a loss node, for messages.
pub(crate) fn lost_by(cx: &Ctx, n: NodeId) -> (String, Option<ActionIx>) {
    let s = cx.reach.state(n);
    let at = match cx.reach.point(n) {
        Point::Action(ix) if matches!(cx.script.action(ix).kind, Kind::LogRecordingPro(_)) => Some(ix),
        // An orphaned id: the LOGRECORDINGPRO that overwrote it, before time passed.
        _ if s.stmt_untimed() && s.stmt_orphan != StmtId::Clear => {
            crate::lint::last_on_path(cx.script, &cx.reach.path_actions(n), |k| {
                matches!(k, Kind::LogRecordingPro(_))
            })
        }
        _ => None,
    };
    match at {
        Some(ix) => (format!("overwritten by {}", super::describe(cx.script, ix)), Some(ix)),
        None => ("the contact ends".to_string(), None),
    }
}

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    // One finding per Start (`lint::dedup` keeps the first, the shortest path): the later loss
    // points of a Start already reported are skipped before their paths are built (issue 21, F03).
    let mut reported = std::collections::HashSet::new();
    for n in losses(cx, StmtId::Unsaved) {
        let s = cx.reach.state(n);
        let Some(start) = s.stmt_src.map(|c| c.ix()) else { continue };
        if !reported.insert(start) {
            continue;
        }
        let (by, at) = lost_by(cx, n);
        let mut d = Diagnostic::new(
            &RULE,
            start,
            super::action_span(cx.script.action(start)),
            format!("the id of the recorded statement started here is not saved into a Global: variable before {by}"),
        )
        .label("statement id only in RecordingStatementId")
        .help(
            "right after the Start, save the id: SNIPPET `ASSIGN Global:_recordingStatementId = \
             RecordingStatementId` (the statement cannot be found in CXone without it)",
        )
        .path(cx.script, cx.reach, n);
        if let Some(at) = at {
            d = d.secondary(super::action_span(cx.script.action(at)), "the id is overwritten here");
        }
        out.push(d);
    }
}

/// Fix (safe): right after the Start, a SNIPPET that copies the id into
/// `Global:_recordingStatementId`. It only assigns a variable: no recording changes.
pub(crate) fn fix(cx: &Ctx, d: &Diagnostic, ids: &mut Ids) -> Option<Fix> {
    let start = cx.script.action(d.action);
    let next = start.branch("default").and_then(|b| b.target).map(|t| cx.script.action(t).id.clone());
    let id = ids.fresh(&format!("save-{}-id", start.id));
    Some(Fix {
        applicability: Applicability::Safe,
        message: format!(
            "save the statement id into Global:_recordingStatementId right after `{}` (SNIPPET `{id}`)",
            start.id
        ),
        edits: vec![
            Edit::AddAction(NewAction {
                id: id.clone(),
                type_name: "SNIPPET".into(),
                label: "Save the statement id".into(),
                properties: vec![(
                    "Data".into(),
                    crate::lint::fix::text("ASSIGN Global:_recordingStatementId = RecordingStatementId"),
                )],
                next,
                near: start.id.clone(),
            }),
            Edit::Rewire { action: start.id.clone(), branch: "default".into(), to: id },
        ],
    })
}
