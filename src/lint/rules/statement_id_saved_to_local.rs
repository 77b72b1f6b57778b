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
use crate::lint::analysis::{NONE, StmtId};
use crate::lint::{Ctx, Diagnostic};
use crate::script::ActionIx;

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for n in losses(cx, StmtId::Local) {
        let s = cx.reach.state(n);
        if s.stmt_src == NONE {
            continue;
        }
        let start = ActionIx(s.stmt_src);
        let (by, _) = lost_by(cx, n);
        let path = cx.reach.path_actions(n);
        let from = path.iter().rposition(|&p| p == start).unwrap_or(0);
        let copy = path[from..].iter().copied().find(|&p| {
            cx.facts.copies[p.index()]
                .iter()
                .any(|c| !c.target_is_global() && c.copies(crate::lint::infer::STATEMENT_VAR))
        });
        let mut d = Diagnostic::new(
            "S002",
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
