//! Recorded statements (SEMANTICS R13): LOGRECORDINGPRO with UseRecordingStatementId opens and
//! ends statements without touching call recording, writes a fresh id into
//! `RecordingStatementId`, is refused under DNR; a statement is *saved* when, at the
//! moment its id leaves `RecordingStatementId`, some `Global:` variable holds that id.

use super::state::CallPhase;
use super::{Engine, Observer, TraceStep};
use crate::script::ActionIx;
use crate::sim::outcome::{EndedBy, Outcome, Statement};
use crate::sim::rng::Source;

impl<'p, O: Observer, S: Source<'p>> Engine<'p, O, S> {
    /// Record=Start with UseRecordingStatementId (R13, A-16): a new statement opens, ending the
    /// open one (`superseded`), and a fresh id is written into `RecordingStatementId` — which
    /// first lets the previous id go (saved or lost).
    pub(super) fn statement_start(&mut self, ix: ActionIx, out: &mut Outcome) {
        if self.phase() == CallPhase::Released {
            tr!(
                self,
                "statement",
                Some(ix),
                Some("R13"),
                "statement Start after release: the call has ended"
            );
            return;
        }
        if self.c.dnr {
            tr!(self, "statement", Some(ix), Some("A-18"), "statement Start ignored: Do Not Record is set");
            return;
        }
        let t = self.c.t;
        self.end_statement(t, EndedBy::Superseded, out);
        self.release_statement_id(out);
        // Ids are derived from (contact, n), not drawn: same id for any --jobs, and `explain`
        // shows the same id as the batch.
        self.c.stmt_n += 1;
        let n = self.c.stmt_n;
        crate::sim::outcome::write_statement_id(&mut self.c.id_buf, out.id, n);
        self.c.vars.set(self.p.statement_var, &self.c.id_buf);
        // `to_ms` grows when it ends; `CallEnd` unless something ends it earlier.
        out.statements.push(Statement {
            n,
            from_ms: t,
            to_ms: t,
            saved: false,
            ended_by: EndedBy::CallEnd,
            at: Some(ix),
        });
        self.c.stmt_open = Some(out.statements.len() - 1);
        self.c.stmt_in_var = self.c.stmt_open;
        tr!(
            self,
            "statement",
            Some(ix),
            Some("A-16"),
            "recorded statement starts; RecordingStatementId = \"{}\"",
            self.c.vars.get(self.p.statement_var)
        );
    }

    /// Record=Stop with UseRecordingStatementId (R13): the statement ends and the variable is
    /// cleared, which is the moment its id is judged saved or lost.
    pub(super) fn statement_stop(&mut self, ix: ActionIx, out: &mut Outcome) {
        let t = self.c.t;
        tr!(self, "statement", Some(ix), Some("R13"), "statement Stop: RecordingStatementId is cleared");
        self.end_statement(t, EndedBy::Stop, out);
        self.release_statement_id(out);
        self.c.vars.set(self.p.statement_var, "");
    }

    /// Every LOGRECORDINGPRO without UseRecordingStatementId clears the id (R13).
    pub(super) fn clear_statement_var(&mut self, ix: ActionIx, out: &mut Outcome) {
        if self.c.stmt_in_var.is_some() {
            tr!(
                self,
                "statement",
                Some(ix),
                Some("R13"),
                "RecordingStatementId is overwritten by this LOGRECORDINGPRO"
            );
        }
        self.release_statement_id(out);
        self.c.vars.set(self.p.statement_var, "");
    }

    /// The statement whose id is in `RecordingStatementId` loses it now: it is saved if some
    /// `Global:` variable holds the id (R13).
    pub(super) fn release_statement_id(&mut self, out: &mut Outcome) {
        let Some(i) = self.c.stmt_in_var.take() else { return };
        // Compare against the id as text: a Global: variable may hold it because a SNIPPET or
        // ASSIGN copied it, and string equality is what CXone would later search by.
        crate::sim::outcome::write_statement_id(&mut self.c.id_buf, out.id, out.statements[i].n);
        let saved = self.globals.iter().any(|g| self.c.vars.get(*g) == self.c.id_buf);
        out.statements[i].saved = saved;
        tr!(
            self,
            "statement",
            None,
            Some("R13"),
            "statement \"{}\" is {}",
            self.c.id_buf,
            if saved {
                "saved: a Global: variable holds its id"
            } else {
                "lost: no Global: variable holds its id"
            }
        );
    }

    /// The open statement (if any) ends at `t` for reason `by`. Its id stays in the variable:
    /// ending a statement and releasing its id are separate events in R13.
    pub(super) fn end_statement(&mut self, t: u64, by: EndedBy, out: &mut Outcome) {
        if let Some(i) = self.c.stmt_open.take() {
            out.statements[i].to_ms = t;
            out.statements[i].ended_by = by;
            tr!(self, "statement", None, Some("R13"), "recorded statement ends ({})", by.as_str());
        }
    }
}
