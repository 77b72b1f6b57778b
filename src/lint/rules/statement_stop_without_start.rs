//! ## What it does
//! Flags a LOGRECORDINGPRO `Record: Stop` with `UseRecordingStatementId: True` that can run with
//! no recorded statement open: before any statement Start on its path, after DONOTRECORD, or after
//! the call ended (in ONRELEASE). Stops reached from a MAX button (an ONSIGNAL thread) are only
//! flagged when they can never find a statement open: agents press buttons in any order.
//!
//! ## Why is this bad?
//! The Stop does nothing there (R13). It usually means the Start and Stop branches are swapped,
//! or the Stop sits on a path the author did not intend.
//!
//! ## Example
//! ```yaml
//! - id: answered
//!   type: ONANSWER
//!   next: stmt-stop          # no statement was started
//! - id: stmt-stop
//!   type: LOGRECORDINGPRO
//!   properties: {Record: Stop, UseRecordingStatementId: true}
//! ```
//!
//! ## Use instead
//! Start the statement first (Record: Start, then save its id), and stop it on the path after.

use crate::lint::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic};

/// S003: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::S003,
    code: "S003",
    name: "statement-stop-without-start",
    severity: Severity::Warning,
    summary: "a statement Stop runs with no recorded statement open",
    source: include_str!("statement_stop_without_start.rs"),
    file: "statement_stop_without_start.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for ix in cx.script.indices() {
        if !super::is_statement_stop(&cx.script.action(ix).kind) {
            continue;
        }
        let nodes = &cx.reach.by_action[ix.index()];
        let never = !nodes.is_empty() && nodes.iter().all(|&n| !cx.reach.state(n).stmt_open);
        let found = nodes.iter().copied().find(|&n| {
            let s = cx.reach.state(n);
            !s.stmt_open && (never || !s.in_signal)
        });
        let Some(n) = found else { continue };
        let s = cx.reach.state(n);
        let why = if s.released {
            "after release: the statement already ended with the call"
        } else if s.dnr {
            "after DONOTRECORD: no statement is recorded"
        } else {
            "no statement Start before it on this path"
        };
        out.push(
            Diagnostic::new(
                &RULE,
                ix,
                super::action_span(cx.script.action(ix)),
                format!("statement Stop can run with no recorded statement open ({why})"),
            )
            .label("stops nothing here")
            .help("start the statement (Record: Start, UseRecordingStatementId: True) on the path before this Stop, or remove the Stop")
            .path(cx.script, cx.reach, n),
        );
    }
}
