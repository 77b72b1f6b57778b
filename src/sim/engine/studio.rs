//! Studio's recording actions (SEMANTICS §3): LOGRECORDINGPRO Start (R3, R4 in the IVR with the
//! A-6 arming reconciliation) and Stop (R6), RECORDAGENTONLY (R5; A-7 the later of the two
//! decides the mode), and DONOTRECORD (R1, A-17). Statement-flavoured LOGRECORDINGPRO is
//! `statements.rs` (R13).

use super::state::{Active, CallPhase};
use super::{Engine, Observer, TraceStep};
use crate::script::ActionIx;
use crate::sim::outcome::{EndedBy, Finding, Initiator, Mode, Outcome, RecEnd};
use crate::sim::rng::Source;

impl<'p, O: Observer, S: Source<'p>> Engine<'p, O, S> {
    /// LOGRECORDINGPRO Start (`agent_only` false) or RECORDAGENTONLY (true). What it does
    /// depends on the phase: in the IVR a Start records the ivr segment now and *may* arm the
    /// agent (A-6, decided at REQAGENT); while queued both only arm (nothing to record: queue
    /// time is no segment); during the talk both start recording at once.
    pub(super) fn studio_start(&mut self, ix: ActionIx, agent_only: bool, out: &mut Outcome) {
        let what = if agent_only { "RECORDAGENTONLY" } else { "LOGRECORDINGPRO Start" };
        if self.phase() == CallPhase::Released {
            tr!(
                self,
                "action",
                Some(ix),
                None,
                "{what} after release: the call has ended, nothing to record"
            );
            return;
        }
        if self.c.dnr {
            tr!(self, "recording", Some(ix), Some("R1"), "{what} ignored: Do Not Record is set");
            return;
        }
        // The step number orders this action against the other kind for A-7.
        let seq = self.c.steps;
        match (self.phase(), agent_only) {
            (CallPhase::Ivr, false) => {
                // A second Start in the IVR keeps the interval running (no zero-gap split) but
                // becomes the pending Start: it is the one A-6 judges at REQAGENT.
                if self.c.rec.is_none() {
                    self.open_rec(Mode::Full, Initiator::Studio);
                }
                self.c.ivr_pending = Some((seq, ix));
                tr!(
                    self,
                    "recording",
                    Some(ix),
                    Some("R4"),
                    "{what} in the IVR: records the ivr segment until REQAGENT"
                );
            }
            // RECORDAGENTONLY records nothing in the IVR (agent side only): it only arms (R5),
            // and no IVR media can disarm it.
            (CallPhase::Ivr | CallPhase::Queued, true) => {
                self.c.rao_seq = Some(seq);
                tr!(
                    self,
                    "recording",
                    Some(ix),
                    Some("R5"),
                    "{what}: agent-only recording armed for the agent segment"
                );
            }
            (CallPhase::Queued, false) => {
                self.c.start_seq = Some(seq);
                tr!(
                    self,
                    "recording",
                    Some(ix),
                    Some("R4"),
                    "{what} while queued: armed, Studio records from answer"
                );
            }
            // Agent or external segment: arm (so later segments carry it, R10) and record now.
            (_, _) => {
                if agent_only {
                    self.c.rao_seq = Some(seq);
                } else {
                    self.c.start_seq = Some(seq);
                }
                tr!(self, "action", Some(ix), None, "{what} during the call");
                self.studio_now(out);
            }
        }
    }

    /// Studio recording starts (or changes mode) in the current agent / external segment. Studio
    /// beats policies (R3; a policy interval is closed and a Studio one opened, R7), and the
    /// later Studio action decides the mode, which closes one interval and opens another
    /// so the report shows when the mode changed.
    pub(super) fn studio_now(&mut self, out: &mut Outcome) {
        let p = self.p;
        let Some(mode) = self.studio_mode() else { return };
        if let Some(a) = self.unrecordable_agent(out) {
            tr!(
                self,
                "recording",
                None,
                Some("R2"),
                "armed, but agent {} cannot be recorded",
                p.agents[a.index()].id
            );
            return;
        }
        let t = self.c.t;
        match self.c.rec {
            None => {
                tr!(self, "recording", None, Some("R3"), "Studio records from now ({})", mode.as_str());
                self.open_rec(mode, Initiator::Studio);
            }
            Some(Active { initiator: Initiator::Policy(_), .. }) => {
                self.close_rec(t, RecEnd::TakenOver, out);
                tr!(
                    self,
                    "recording",
                    None,
                    Some("R7"),
                    "Studio takes over from the policy recording ({})",
                    mode.as_str()
                );
                self.open_rec(mode, Initiator::Studio);
            }
            Some(Active { initiator: Initiator::Studio, mode: m, .. }) if m != mode => {
                self.close_rec(t, RecEnd::ModeSwitch, out);
                tr!(
                    self,
                    "recording",
                    None,
                    Some("A-7"),
                    "Studio recording switches to {}: the later action decides",
                    mode.as_str()
                );
                self.open_rec(mode, Initiator::Studio);
            }
            Some(_) => {
                tr!(self, "recording", None, None, "already recording: nothing changes");
            }
        }
    }

    /// LOGRECORDINGPRO Stop (R6): ends any active recording; Studio is disarmed, ROD is no
    /// longer carried, and policies are off for the rest of the contact.
    pub(super) fn studio_stop(&mut self, ix: ActionIx, out: &mut Outcome) {
        if self.phase() == CallPhase::Released {
            tr!(self, "action", Some(ix), None, "LOGRECORDINGPRO Stop after release: nothing to stop");
            return;
        }
        let t = self.c.t;
        self.note_refusal_stop();
        let was = self.close_rec(t, RecEnd::Stop, out).is_some();
        // Everything that could record a later segment is turned off; only a new Start or a
        // ROD brings recording back (R6).
        self.c.start_seq = None;
        self.c.rao_seq = None;
        self.c.ivr_pending = None;
        self.c.rod_on = false;
        self.c.policies_off = true;
        tr!(
            self,
            "recording",
            Some(ix),
            Some("R6"),
            "LOGRECORDINGPRO Stop: {}policies are off for the rest of the contact",
            if was { "recording stops; " } else { "" }
        );
    }

    /// IVR media between an IVR Start and REQAGENT means the Start does not arm. The seed
    /// says both "records the IVR until REQAGENT" and "recorded when the agent answers"; A-6
    /// reads the second as holding only when the Start sits right before REQAGENT, with no
    /// prompt in between. Called by MENU and PLAY only (IVR media, SEMANTICS §2).
    pub(super) fn ivr_media(&mut self, ix: ActionIx) {
        if self.phase() == CallPhase::Ivr
            && let Some((_, start)) = self.c.ivr_pending.take()
        {
            tr!(
                self,
                "recording",
                Some(ix),
                Some("A-6"),
                "Start `{}` not armed for the agent: {} `{}` ran after it (IVR-only recording)",
                self.p.id(start),
                self.op_name(ix),
                self.p.id(ix)
            );
        }
    }

    /// DONOTRECORD (R1, A-17): the flag is set for good; the active recording stops now, and
    /// what was recorded before stays (reported, since consent came too late for it). An open
    /// statement ends too (R13, A-18).
    pub(super) fn dnr(&mut self, ix: ActionIx, out: &mut Outcome) {
        if self.c.dnr {
            tr!(self, "action", Some(ix), Some("R1"), "DONOTRECORD: already set");
            return;
        }
        let t = self.c.t;
        self.note_refusal_stop();
        self.c.dnr = true;
        out.dnr_at_ms = Some(t);
        let stopped = self.close_rec(t, RecEnd::Dnr, out).is_some();
        tr!(
            self,
            "recording",
            Some(ix),
            Some("R1"),
            "DONOTRECORD: nothing records this contact from now{}",
            if stopped { "; the active recording stops (A-17)" } else { "" }
        );
        if !out.recordings.is_empty() {
            out.add_at(Finding::RecordedBeforeDnr, Some(ix));
            tr!(
                self,
                "finding",
                Some(ix),
                Some("A-17"),
                "recorded_before_dnr: what was recorded before is kept"
            );
        }
        self.end_statement(t, EndedBy::Dnr, out);
    }
}
