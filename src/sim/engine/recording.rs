//! Who records a segment (SEMANTICS §3): at each agent answer or transfer the precedence chain
//! R1 DNR → R2 agent attribute → R3/R5 Studio → R10 ROD carried on → R6/R11 policies off → R8
//! recording policies (A-9 sampling) unless R9 a DNR policy matches; at an external transfer
//! R10/A-11; a disposition R11; recording on demand R7/A-8. Also the recording interval itself:
//! one active interval, always inside the current segment (R10), zero-length ones dropped (§4).

use super::state::Active;
use super::{Engine, Mark, Observer, TraceStep};
use crate::model::Direction;
use crate::sim::compile::SegmentView;
use crate::sim::ids::{AgentId, PolicyId};
use crate::sim::outcome::{Finding, Initiator, Mode, Outcome, RecEnd, Recording};
use crate::sim::rng::Source;

impl<'p, O: Observer, S: Source<'p>> Engine<'p, O, S> {
    /// What a policy filter can see of the segment (R8, R9): direction, skill, agent and team,
    /// ANI / DNIS.
    pub(super) fn view(&self, agent: Option<AgentId>) -> SegmentView {
        SegmentView {
            direction: self.c.direction.unwrap_or(Direction::Inbound),
            skill: self.c.skill,
            agent,
            team: agent.map(|a| self.p.agents[a.index()].team),
            ani: self.c.ani,
            dnis: self.c.dnis,
        }
    }

    /// The Studio recording armed for the agent, if any: whichever of LOGRECORDINGPRO Start and
    /// RECORDAGENTONLY ran last decides the mode. Step numbers, not times, compare them:
    /// both are 0-ms actions and often run in the same millisecond.
    pub(super) fn studio_mode(&self) -> Option<Mode> {
        match (self.c.start_seq, self.c.rao_seq) {
            (Some(s), Some(r)) => Some(if s > r { Mode::Full } else { Mode::AgentOnly }),
            (Some(_), None) => Some(Mode::Full),
            (None, Some(_)) => Some(Mode::AgentOnly),
            (None, None) => None,
        }
    }

    /// A recording interval starts now. Callers close the previous one first: there is at most
    /// one (see `Ctx::rec`).
    pub(super) fn open_rec(&mut self, mode: Mode, initiator: Initiator) {
        self.c.rec = Some(Active { mode, initiator, from: self.c.t });
    }

    /// Close the active interval at `t`; a zero-length interval is no recording (§4).
    pub(super) fn close_rec(&mut self, t: u64, ended_by: RecEnd, out: &mut Outcome) -> Option<Active> {
        let a = self.c.rec.take()?;
        // Returned even when dropped: callers ask "was something recording?" (Stop, DNR).
        if t > a.from
            && let Some(seg) = self.c.seg
        {
            out.recordings.push(Recording {
                segment: seg as u32,
                mode: a.mode,
                initiator: a.initiator,
                from_ms: a.from,
                to_ms: t,
                ended_by,
            });
        }
        Some(a)
    }

    /// R2 for every initiator: the current segment's agent, when it cannot be recorded.
    pub(super) fn unrecordable_agent(&self, out: &Outcome) -> Option<AgentId> {
        self.c.seg.and_then(|s| out.segments[s].agent).filter(|a| !self.p.agents[a.index()].recordable)
    }

    /// Who records a new agent segment (answer or transfer to an agent): DNR (R1), the agent
    /// attribute (R2), Studio (R3/R5/R10), ROD carried on (R10), policies off (R6/R11), then
    /// recording policies (R8) unless a DNR policy matches (R9).
    pub(super) fn begin_segment_recording(&mut self, out: &mut Outcome) {
        let p = self.p;
        let agent = self.c.seg.and_then(|s| out.segments[s].agent);
        let view = self.view(agent);
        self.c.deciding = None;
        // Matching is noted before any rule below can stop recording: R15 compares a policy's
        // percent with the share of *all* its matching contacts that ended up recorded, by any
        // initiator. Policies are in priority order (A-10, sorted at compile), so the first
        // match decides.
        let mut deciding: Option<PolicyId> = None;
        for (i, pol) in p.policies.iter().enumerate() {
            if pol.filter.matches(&view) {
                out.policy_matched[i] = true;
                deciding.get_or_insert(PolicyId::new(i));
            }
        }
        if self.c.dnr {
            tr!(self, "recording", None, Some("R1"), "not recorded: Do Not Record is set");
            return;
        }
        if let Some(a) = self.unrecordable_agent(out) {
            tr!(
                self,
                "recording",
                None,
                Some("R2"),
                "not recorded: agent {} cannot be recorded",
                p.agents[a.index()].id
            );
            return;
        }
        if let Some(mode) = self.studio_mode() {
            tr!(
                self,
                "recording",
                None,
                Some(if mode == Mode::AgentOnly { "R5" } else { "R3" }),
                "Studio records this segment ({}); policies are not evaluated",
                mode.as_str()
            );
            self.open_rec(mode, Initiator::Studio);
            return;
        }
        if self.c.rod_on {
            tr!(self, "recording", None, Some("R10"), "recording on demand continues on this segment");
            self.open_rec(Mode::Full, Initiator::Rod);
            return;
        }
        // Past Studio and ROD: only policies are left, and each check below turns them off.
        if p.non_voice_media.is_some() {
            // Issue 11 point 6: policies record voice calls only.
            tr!(self, "recording", None, None, "policies record voice calls only: this script is not voice");
            return;
        }
        if self.c.policies_off {
            tr!(
                self,
                "recording",
                None,
                Some("R6"),
                "policies are not evaluated: a Stop or a disposition ended them for this contact"
            );
            return;
        }
        let Some(d) = deciding else {
            tr!(self, "recording", None, Some("R8"), "no recording policy matches this segment");
            return;
        };
        // The deciding policy is remembered even if R9 or sampling means it records nothing:
        // R10 and R11 ask what *it* says about external transfers and dispositions.
        self.c.deciding = Some(d);
        let pol = &p.policies[d.index()];
        if p.dnr_policies.iter().any(|m| m.matches(&view)) {
            tr!(
                self,
                "recording",
                None,
                Some("R9"),
                "a Do Not Record policy matches: policy `{}` does not record",
                pol.name
            );
            return;
        }
        // one draw per contact and policy, remembered, so a contact sampled in stays in
        // for every later segment the same policy decides (and out stays out).
        let sampled = match self.c.samples[d.index()] {
            0 => {
                let s = self.src.chance(&mut self.c.draws, pol.sample, pol.percent / 100.0);
                self.c.samples[d.index()] = if s { 1 } else { 2 };
                s
            }
            s => s == 1,
        };
        if sampled {
            tr!(
                self,
                "recording",
                None,
                Some("R8"),
                "policy `{}` ({}%) records: the contact is sampled in",
                pol.name,
                pol.percent
            );
            self.open_rec(Mode::Full, Initiator::Policy(d));
        } else {
            tr!(
                self,
                "recording",
                None,
                Some("A-9"),
                "policy `{}` ({}%) decides, but the contact is sampled out",
                pol.name,
                pol.percent
            );
        }
    }

    /// Who records the external segment after a transfer to an outside number (R10): DNR
    /// (R1) first, then Studio or ROD carry on; a policy recording carries on only if the policy
    /// says `continue_after_external_transfer` (A-11: default no). Policies are not evaluated
    /// afresh: there is no agent for a filter to match. R2 does not apply: no agent.
    pub(super) fn external_recording(&mut self, prev: Option<Initiator>) {
        if self.c.dnr {
            tr!(self, "recording", None, Some("R1"), "not recorded: Do Not Record is set");
        } else if let Some(mode) = self.studio_mode() {
            tr!(self, "recording", None, Some("R10"), "Studio recording continues on the external segment");
            self.open_rec(mode, Initiator::Studio);
        } else if self.c.rod_on {
            tr!(
                self,
                "recording",
                None,
                Some("R10"),
                "recording on demand continues on the external segment"
            );
            self.open_rec(Mode::Full, Initiator::Rod);
        } else if let Some(Initiator::Policy(d)) = prev {
            let pol = &self.p.policies[d.index()];
            if pol.continue_after_external_transfer {
                tr!(
                    self,
                    "recording",
                    None,
                    Some("R10"),
                    "policy `{}` continues after the external transfer",
                    pol.name
                );
                self.open_rec(Mode::Full, Initiator::Policy(d));
            } else {
                tr!(
                    self,
                    "recording",
                    None,
                    Some("A-11"),
                    "policy `{}` stops at the external transfer",
                    pol.name
                );
            }
        }
    }

    /// The agent applies a disposition (R11): policy recording stops unless the deciding policy
    /// says `continue_after_disposition`, and policies stay off for the contact. Studio
    /// and ROD recordings go on.
    pub(super) fn disposition(&mut self, out: &mut Outcome) {
        let p = self.p;
        trm!(self, Some(Mark::Disposition), "event", None, None, "the agent applies a disposition");
        // No deciding policy on this segment: nothing for R11 to stop.
        let Some(d) = self.c.deciding else { return };
        let pol = &p.policies[d.index()];
        if pol.continue_after_disposition {
            tr!(self, "recording", None, Some("R11"), "policy `{}` continues after disposition", pol.name);
            return;
        }
        if matches!(self.c.rec, Some(Active { initiator: Initiator::Policy(_), .. })) {
            let t = self.c.t;
            self.close_rec(t, RecEnd::Disposition, out);
            tr!(self, "recording", None, Some("R11"), "policy recording stops at the disposition");
        }
        self.c.policies_off = true;
    }

    /// R7: ROD start by the agent or a supervisor. It beats policies and DNR policies, but not
    /// R1 or R2: a refused attempt is a finding (`rod_blocked`) because someone pressed Record
    /// and nothing happened — worth showing in the report.
    pub(super) fn rod(&mut self, supervisor: bool, out: &mut Outcome) {
        let p = self.p;
        let who = if supervisor { "supervisor" } else { "agent" };
        trm!(self, Some(Mark::Rod { supervisor }), "event", None, None, "{who} starts recording on demand");
        if self.c.dnr {
            out.add(Finding::RodBlocked);
            tr!(self, "finding", None, Some("R1"), "ROD refused: Do Not Record is set (rod_blocked)");
            return;
        }
        if let Some(a) = self.unrecordable_agent(out) {
            out.add(Finding::RodBlocked);
            tr!(
                self,
                "finding",
                None,
                Some("R2"),
                "ROD refused: agent {} cannot be recorded (rod_blocked)",
                p.agents[a.index()].id
            );
            return;
        }
        // Set even when something already records: ROD then carries on to later segments
        // (R10) whatever happens to the current recording.
        self.c.rod_on = true;
        match self.c.rec {
            None => {
                tr!(self, "recording", None, Some("R7"), "ROD records from now");
                self.open_rec(Mode::Full, Initiator::Rod);
            }
            Some(Active { initiator: Initiator::Policy(_), .. }) => {
                let t = self.c.t;
                self.close_rec(t, RecEnd::TakenOver, out);
                tr!(self, "recording", None, Some("R7"), "ROD takes over from the policy recording");
                self.open_rec(Mode::Full, Initiator::Rod);
            }
            Some(Active { mode: Mode::AgentOnly, .. }) => {
                tr!(
                    self,
                    "recording",
                    None,
                    Some("A-8"),
                    "ROD during an agent-only recording changes nothing"
                );
            }
            Some(_) => {
                tr!(self, "recording", None, Some("R7"), "already recorded by Studio / ROD: nothing changes");
            }
        }
    }
}
