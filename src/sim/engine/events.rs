//! Pending events and the call's phases (SEMANTICS §1, §2): REQAGENT queues the contact and draws
//! its answer or abandonment, the answer opens an agent segment and draws the talk's events
//! (transfers, conference, disposition, ROD, MAX button presses, release), and each event, when it
//! fires, moves the call on. Event actions: ONANSWER, ONRELEASE, ONSIGNAL (§4).
//!
//! Why a flat `Vec` and a linear scan instead of a heap: a contact has at most a handful of
//! pending events (answer or abandon, release, six behaviours, a few presses), so the scan is
//! cheaper than heap upkeep and keeps ties explicit (`(at, class, sub)`, §2 ordering).

use super::state::CallPhase;
use super::{Decision, Engine, Mark, Observer, TraceStep, later};
use crate::script::ActionIx;
use crate::sim::compile::AgentClasses;
use crate::sim::compile::Behaviour;
use crate::sim::ids::{AgentId, ButtonId, SkillId};
use crate::sim::outcome::{EndedBy, Outcome, RecEnd, Segment, SegmentKind};
use crate::sim::rng::Source;
use crate::sim::rng::{AgentEvent, Happen, Purpose};
use crate::sim::thresholds::{self, Cell, When};

/// What can happen to a call from outside the script: drawn from traffic when the contact
/// queues (answer or abandon) and when an agent answers (everything else).
#[derive(Clone, Copy, Debug)]
pub(super) enum EvKind {
    Answer,
    /// The caller's patience ran out before the queue wait: released from the queue.
    Abandon,
    TransferAgent,
    TransferExternal,
    Conference,
    Disposition,
    /// Recording on demand; a supervisor's still happens after an external transfer.
    Rod {
        supervisor: bool,
    },
    /// Press `pos` of traffic press sequence `seq` (index into `Compiled::presses`).
    Press {
        seq: u32,
        pos: u32,
    },
    /// Press `pos` of a test case's presses (`Plan::presses`).
    ScriptedPress {
        pos: u32,
    },
    Release,
    /// The caller's IVR patience ran out (traffic `durations.ivr_patience`, A-27): released if
    /// the call is still in the IVR; REQAGENT drops it.
    IvrHangUp,
}

/// A pending event. Ties at one millisecond are broken by `(class, sub)`: answer, transfer,
/// conference, disposition, ROD, presses in sequence order, release (SEMANTICS §2).
#[derive(Clone, Copy, Debug)]
pub(super) struct Ev {
    pub(super) at: u64,
    /// Kind's rank in the §2 tie order.
    pub(super) class: u8,
    /// Order within a class (presses: sequence then position), so a tie never depends on
    /// the order events were pushed in.
    pub(super) sub: u64,
    pub(super) kind: EvKind,
}

/// `Ev::at` of the one pending event whose time is random (exact analysis, [`Sym`]): later
/// than every real time, so the scheduler never picks it before [`Engine::resolve_symbolic`]
/// has decided where it falls.
pub(super) const SYM_AT: u64 = u64::MAX;

/// Exact analysis (`sim::thresholds`): the pending event at `SYM_AT` happens at `base + X`,
/// X in `cell`; `purpose` names the duration.
#[derive(Clone, Copy, Debug)]
pub(super) struct Sym {
    pub(super) base: u64,
    pub(super) cell: Cell,
    pub(super) purpose: Purpose,
    /// The random time is the script thread's next action (`Ctx::ready` is `SYM_AT` meanwhile:
    /// a random `durations.menu` / `play` / `music`, `dispatch.rs`), not a pending event's.
    pub(super) thread: bool,
}

/// The talk's behaviours an engine draws at each answer, in §2 order with their
/// [`AgentEvent`] index: those with probability > 0 (most traffic sets one or two of the six),
/// or all six when a test case's plan may fix any of them.
pub(super) fn behaviours(
    p: &crate::sim::Compiled,
    all: bool,
) -> impl Iterator<Item = (u8, Behaviour, EvKind)> {
    let six: [(Behaviour, EvKind); 6] = [
        (p.transfer_agent, EvKind::TransferAgent),
        (p.transfer_external, EvKind::TransferExternal),
        (p.conference, EvKind::Conference),
        (p.disposition, EvKind::Disposition),
        (p.rod, EvKind::Rod { supervisor: false }),
        (p.supervisor_rod, EvKind::Rod { supervisor: true }),
    ];
    six.into_iter()
        .enumerate()
        .filter(move |(_, (b, _))| all || b.p > 0.0)
        .map(|(i, (b, kind))| (i as u8, b, kind))
}

impl<'p, O: Observer, S: Source<'p>> Engine<'p, O, S> {
    /// Index of the earliest pending event by `(at, class, sub)`, the §2 order.
    pub(super) fn next_event(&self) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, e) in self.c.events.iter().enumerate() {
            if best.is_none_or(|b| {
                let b = &self.c.events[b];
                (e.at, e.class, e.sub) < (b.at, b.class, b.sub)
            }) {
                best = Some(i);
            }
        }
        best
    }

    /// Exact analysis: schedule `kind` at `base + X`, X in `cell` — symbolic, decided by
    /// [`Engine::resolve_symbolic`] at each comparison. One at a time: a second one is
    /// beyond threshold splitting ([`Source::cannot`]; it then happens at its representative).
    pub(super) fn push_symbolic(&mut self, base: u64, cell: Cell, purpose: Purpose, kind: EvKind) {
        if self.sym_pending() {
            self.src.cannot(
                "two random times would be pending at once (threshold splitting keeps one random time \
                 pending and compares it with fixed ones)"
                    .to_string(),
            );
            self.push_event(later(base, cell.representative()), kind);
            return;
        }
        self.c.sym = Some(Sym { base, cell, purpose, thread: false });
        self.push_event(SYM_AT, kind);
    }

    /// Exact analysis: a random time is pending — an event's (at `SYM_AT`) or the script
    /// thread's next action ([`Sym::thread`]; an event that restarted or ended the thread
    /// dropped it).
    pub(super) fn sym_pending(&self) -> bool {
        match self.c.sym {
            Some(s) if s.thread => self.thread_parked(),
            Some(_) => self.c.events.iter().any(|e| e.at == SYM_AT),
            None => false,
        }
    }

    /// The script thread waits for an action of random duration (exact analysis).
    fn thread_parked(&self) -> bool {
        self.c.pc.is_some() && self.c.ready == SYM_AT
    }

    /// Exact analysis: the script thread's next action is at `base + X`, X in `cell`, after an
    /// action of random duration; placed against the pending events by
    /// [`Engine::resolve_symbolic`].
    pub(super) fn park_thread(&mut self, base: u64, cell: Cell, purpose: Purpose) {
        debug_assert!(!self.sym_pending() && self.c.pc.is_some());
        self.c.ready = SYM_AT;
        self.c.sym = Some(Sym { base, cell, purpose, thread: true });
    }

    /// The thread's random next action against the earliest pending event at c: before it with
    /// the closed-form conditional probability, at the narrowed cell's representative; after
    /// it, the event runs first and the thread stays parked (narrowed to X ≥ c − base). When
    /// the thread runs first while events are still pending, its next times are compared with
    /// them only where the result holds for every value of X (`talk.rs`): X's cell is split
    /// first at the points learned where a time after it fell on either side of a fixed one
    /// ([`Source::split_points`]), each piece with its own representative, so that those
    /// comparisons hold on each piece; a comparison that still does not names its point
    /// ([`Source::learn`]: the analysis explores again with it).
    fn resolve_thread(&mut self, sym: Sym) {
        if !self.thread_parked() {
            self.c.sym = None;
            return;
        }
        let mut cell = sym.cell;
        // (No event is at `SYM_AT` or in the talk's group while the thread is parked: the
        // thread is kept symbolic only without them, and events that start a talk restart it.)
        if let Some(c) = self.c.events.iter().map(|e| e.at).min()
            && !self.below(&mut cell, c.saturating_sub(sym.base) as f64, sym.purpose)
        {
            self.c.sym = Some(Sym { cell, ..sym });
            return;
        }
        if !self.c.events.is_empty() {
            self.split_at_learned(&mut cell, sym);
        }
        let at = later(sym.base, cell.representative());
        self.c.ready = at;
        // Events still pending at fixed times: the thread's next times stand for X plus a
        // known offset, compared with them only where that holds for every value X can take
        // (`talk.rs`, the same rule as after a random time inside the talk); otherwise beyond
        // threshold splitting, and the source is told why there.
        if !self.c.events.is_empty() {
            let (lo, hi) = cell.support();
            let hi =
                if hi < crate::source::MAX_MS as f64 { later(sym.base, hi.ceil() as u64) } else { u64::MAX };
            let lo = later(sym.base, lo.max(0.0).floor() as u64);
            self.c.talk.ready = Some(super::talk::Float { rep: at, lo, hi, key: Some(sym.purpose) });
        }
        // A consent MENU's answer is given when the MENU ends (`dispatch.rs`).
        if let Some((_, _, end, _)) = &mut self.c.consent
            && *end == SYM_AT
        {
            *end = at;
        }
        self.c.sym = None;
    }

    /// Split the thread's random time (X in `cell`) at the learned points inside it (absolute
    /// ms, ascending): below each in turn with the closed-form conditional probability, so the
    /// cell becomes the piece between two consecutive points that X falls in.
    fn split_at_learned(&mut self, cell: &mut Cell, sym: Sym) {
        for k in 0..self.src.split_points(sym.purpose).len() {
            let Some(x) = self.src.split_points(sym.purpose)[k].checked_sub(sym.base) else { continue };
            let (lo, hi) = cell.support();
            let x = x as f64;
            if x <= lo {
                continue;
            }
            if x >= hi || self.below(cell, x, sym.purpose) {
                break;
            }
        }
    }

    /// Exact analysis, before the scheduler picks what runs next: where does the pending random
    /// time fall against the earliest fixed one (the thread's next action, another event)? The
    /// source branches on "before" with the closed-form conditional probability; after it the
    /// cell is narrowed to `[c, hi)` and the fixed one runs; before it the event gets its
    /// clock value (the narrowed cell's representative, after R12's threshold for a release)
    /// and runs first.
    pub(super) fn resolve_symbolic(&mut self) {
        let Some(sym) = self.c.sym else { return };
        if sym.thread {
            return self.resolve_thread(sym);
        }
        let Some(i) = self.c.events.iter().position(|e| e.at == SYM_AT) else {
            // Cleared with the events (a release, REQAGENT dropping the IVR hang-up).
            self.c.sym = None;
            return;
        };
        let mut competitor = self.c.pc.map(|_| self.c.ready.max(self.c.t));
        for e in &self.c.events {
            // (A talk's symbolic times are never pending with this one: `talk.rs`.)
            if e.at < super::talk::GROUP_AT {
                competitor = Some(competitor.map_or(e.at, |c| c.min(e.at)));
            }
        }
        let mut cell = sym.cell;
        let rel = |x: u64| x.saturating_sub(sym.base) as f64;
        if let Some(c) = competitor
            && !self.below(&mut cell, rel(c), sym.purpose)
        {
            self.c.sym = Some(Sym { cell, ..sym });
            return;
        }
        // It fires first. R12 compares the agent-connected time with the short-call threshold
        // when the release comes: split there too, so the clock value falls on the right side.
        if matches!(self.c.events[i].kind, EvKind::Release)
            && let Some(first) = self.c.first_answer
        {
            let threshold = rel(later(first, self.p.short_call_ms));
            self.below(&mut cell, threshold, sym.purpose);
        }
        self.c.events[i].at = later(sym.base, cell.representative());
        self.c.sym = None;
    }

    /// Branch on "X < c" for X in `cell` (no branch when one side has probability 0), and
    /// narrow `cell` to the side taken. `true`: below.
    pub(super) fn below(&mut self, cell: &mut Cell, c: f64, purpose: Purpose) -> bool {
        let below = self.chance_of(purpose, &cell.below(c));
        if below {
            cell.hi = cell.hi.min(c);
        } else {
            cell.lo = cell.lo.max(c);
        }
        below
    }

    /// Whether an outcome of probability `q` happens: no branch when it is certain or
    /// impossible, else the source branches on it ([`Source::threshold`]).
    pub(super) fn chance_of(&mut self, purpose: Purpose, q: &thresholds::Prob) -> bool {
        if q.f <= 0.0 {
            false
        } else if q.f >= 1.0 {
            true
        } else {
            self.src.threshold(purpose, q)
        }
    }

    /// Schedule `kind` at `at`, with its §2 tie rank. Abandon ranks with release: both end the
    /// call, and only one of them is ever pending.
    pub(super) fn push_event(&mut self, at: u64, kind: EvKind) {
        let (class, sub) = match kind {
            EvKind::Answer => (0, 0),
            EvKind::TransferAgent => (1, 0),
            EvKind::TransferExternal => (1, 1),
            EvKind::Conference => (2, 0),
            EvKind::Disposition => (3, 0),
            EvKind::Rod { supervisor } => (4, supervisor as u64),
            EvKind::Press { seq, pos } => (5, (u64::from(seq) << 32) | u64::from(pos)),
            EvKind::ScriptedPress { pos } => (5, u64::from(pos)),
            EvKind::Release | EvKind::Abandon | EvKind::IvrHangUp => (6, 0),
        };
        self.c.events.push(Ev { at, class, sub, kind });
    }

    /// An event is due: apply it. The guards drop events that no longer make sense when they
    /// come due — the call was released by a HANGUP first, or an external transfer happened
    /// (after it there is no agent to transfer, dispose, press or start ROD, A-20) — instead of
    /// removing them when the state changes: one check here rather than one per state change.
    pub(super) fn fire(&mut self, kind: EvKind, out: &mut Outcome) {
        let p = self.p;
        let in_agent = self.phase() == CallPhase::Agent;
        match kind {
            EvKind::Answer => self.answer(out),
            EvKind::Abandon => {
                out.abandoned = true;
                tr!(self, "event", None, None, "the caller abandons the queue");
                self.release(out);
            }
            EvKind::Release => {
                tr!(self, "event", None, None, "the talk ends: release");
                self.release(out);
            }
            EvKind::IvrHangUp if self.phase() == CallPhase::Ivr => self.hang_up_in_ivr(out),
            EvKind::TransferAgent if in_agent && !self.c.external => {
                // A new agent segment: recording is decided afresh for it (R10 → R8/R9), and the
                // open statement ends (R13: transferred to a different agent).
                let t = self.c.t;
                self.close_segment(t, Some(EndedBy::Transfer), out);
                let agent = self.pick_agent(p.fixed.transfer_agent_pick, true);
                self.open_segment(SegmentKind::Agent, agent, out);
                trm!(
                    self,
                    Some(Mark::TransferAgent),
                    "event",
                    None,
                    Some("R10"),
                    "transfer to agent {}",
                    self.agent_name(agent)
                );
                self.begin_segment_recording(out);
            }
            EvKind::TransferExternal if in_agent && !self.c.external => {
                let t = self.c.t;
                // Who recorded the agent segment decides whether the external one is recorded
                // (R10, A-11), so remember it before the segment's interval closes.
                let prev = self.c.rec.map(|a| a.initiator);
                self.close_segment(t, Some(EndedBy::Transfer), out);
                self.open_segment(SegmentKind::External, None, out);
                self.c.external = true;
                trm!(
                    self,
                    Some(Mark::TransferExternal),
                    "event",
                    None,
                    Some("R10"),
                    "transfer to an external number"
                );
                self.external_recording(prev);
            }
            // A conference changes no recording, only ends the open statement (R13). Allowed on
            // an external segment too: another participant can still join.
            EvKind::Conference if in_agent => {
                trm!(
                    self,
                    Some(Mark::Conference),
                    "event",
                    None,
                    None,
                    "another participant joins (conference)"
                );
                let t = self.c.t;
                self.end_statement(t, EndedBy::Conference, out);
            }
            EvKind::Disposition if in_agent && !self.c.external => self.disposition(out),
            EvKind::Rod { supervisor } if in_agent && (supervisor || !self.c.external) => {
                self.rod(supervisor, out)
            }
            EvKind::Press { seq, pos } if in_agent && !self.c.external => {
                let button = p.presses[seq as usize].buttons[pos as usize];
                self.press(button);
            }
            EvKind::ScriptedPress { pos } if in_agent && !self.c.external => {
                if let Some(&(_, button)) =
                    self.src.plan().and_then(|plan| plan.presses.as_deref()?.get(pos as usize))
                {
                    self.press(button);
                }
            }
            _ => {}
        }
    }

    /// the caller's IVR patience ran out while the call is in the IVR: released now.
    pub(super) fn hang_up_in_ivr(&mut self, out: &mut Outcome) {
        out.hung_up_in_ivr = true;
        tr!(self, "event", None, Some("A-27"), "the caller hangs up during the IVR (ivr_patience)");
        self.release(out);
    }

    /// when the caller's pending IVR hang-up falls before `end` (ms), its time. Exact
    /// analysis: a symbolic hang-up is split at `end` here (the only place its time is read
    /// as a number): before it, it gets its clock value in the narrowed cell.
    pub(super) fn ivr_hang_up_before(&mut self, end: u64) -> Option<u64> {
        let at = self.c.events.iter().find(|e| matches!(e.kind, EvKind::IvrHangUp))?.at;
        if S::SYMBOLIC
            && at == SYM_AT
            && let Some(sym) = self.c.sym
        {
            let mut cell = sym.cell;
            let before = self.below(&mut cell, end.saturating_sub(sym.base) as f64, sym.purpose);
            self.c.sym = Some(Sym { cell, ..sym });
            // The narrowed cell ends at `end`, so its value is before it.
            return before.then(|| later(sym.base, cell.representative()));
        }
        // Exact analysis: `end` may be relative to a random time (the thread resumed after an
        // action of random length, `talk.rs`): decided for every value of it, else split there.
        if S::SYMBOLIC
            && let Some(f) = self.c.talk.clock
        {
            let end_first = self.float_before(f, end, at, || {
                format!(
                    "an unwired branch's action ends {} ms after a random time (the end of an action of \
                     random length), and the caller's IVR patience runs out at a fixed time that this \
                     random time may fall on either side of",
                    end.saturating_sub(f.rep)
                )
            });
            if let Some(end_first) = end_first {
                return (!end_first).then_some(at);
            }
        }
        (at < end).then_some(at)
    }

    /// REQAGENT (SEMANTICS §2): the IVR segment ends, the caller queues for `skill`, and either
    /// the answer or the abandonment is scheduled now. The thread goes on (usually a MUSIC/WAIT
    /// loop) until one of them fires.
    pub(super) fn reqagent(&mut self, ix: ActionIx, skill: SkillId, out: &mut Outcome) {
        let p = self.p;
        if self.phase() != CallPhase::Ivr {
            tr!(self, "action", Some(ix), None, "REQAGENT: the contact is already routed; nothing happens");
            return;
        }
        tr!(
            self,
            "action",
            Some(ix),
            None,
            "REQAGENT skill `{}`: the IVR segment ends, the caller queues",
            match p.skills[skill.index()].as_str() {
                // The placeholder of a templated skill no agent lists (templated.rs set SKILLNAME).
                "" => p.sysvars.skill_name.map_or("(named at run time)", |v| self.c.vars.get(v)),
                name => name,
            }
        );
        let t = self.c.t;
        // The ivr segment's recording (R4) stops here; queue time belongs to no segment.
        self.close_segment(t, None, out);
        // an IVR Start with no IVR media after it reaches REQAGENT, so it also arms
        // Studio for the agent. Its own step number is kept: A-7 compares when it ran.
        if let Some((seq, start)) = self.c.ivr_pending.take() {
            self.c.start_seq = Some(seq);
            tr!(
                self,
                "recording",
                Some(ix),
                Some("A-6"),
                "armed: Start `{}` had no IVR media after it, Studio records the agent from answer",
                p.id(start)
            );
        }
        self.c.phase = Some(CallPhase::Queued);
        // the caller's IVR patience no longer applies once queued (`patience` does).
        self.c.events.retain(|e| !matches!(e.kind, EvKind::IvrHangUp));
        if S::SYMBOLIC && !self.c.events.iter().any(|e| e.at == SYM_AT) {
            // The symbolic hang-up, if it was one, is gone with its event.
            self.c.sym = None;
        }
        if S::SYMBOLIC && self.c.events.is_empty() {
            // Nothing is pending: every time from now on (the queue's, the talk's, the thread's)
            // is relative to the clock, so whether the clock stands for a random time (`talk.rs`)
            // no longer matters — the comparisons between them are the same for every value of it.
            (self.c.talk.clock, self.c.talk.ready) = (None, None);
        }
        self.c.skill = Some(skill);
        // SKILL / SKILLNAME (docs/variables.md); `""` is the placeholder of a templated skill no
        // agent lists: templated.rs already set them to the name.
        if !p.skills[skill.index()].is_empty() {
            p.sysvars.skill(&mut self.c.vars, &p.skills[skill.index()]);
        }
        // Exact analysis: the race in closed form (`sim::thresholds::race`).
        if S::SYMBOLIC && self.src.symbolic() {
            let (abandon, when) = match thresholds::race(p.queue_wait, p.patience) {
                None => (None, When::At(0)),
                Some(thresholds::Race::Binary { abandon, abandon_at, answer_at }) => {
                    let abandon = self.chance_of(p.fixed.patience, &abandon);
                    (Some(abandon), if abandon { abandon_at } else { answer_at })
                }
                // Several outcomes: which of the two comes first, on which piece.
                Some(thresholds::Race::Pieces(pieces)) => {
                    let k = match pieces.len() {
                        1 => 0,
                        _ => {
                            let q: Vec<thresholds::Prob> = pieces.iter().map(|o| o.p.clone()).collect();
                            self.src.split(p.fixed.patience, &q)
                        }
                    };
                    (Some(pieces[k].abandon), When::Random(pieces[k].at))
                }
            };
            if let Some(abandon) = abandon {
                let (kind, purpose) = if abandon {
                    (EvKind::Abandon, p.fixed.patience)
                } else {
                    (EvKind::Answer, p.fixed.queue_wait)
                };
                match when {
                    When::At(ms) => self.push_event(later(t, ms), kind),
                    When::Random(cell) => self.push_symbolic(t, cell, purpose, kind),
                }
                return;
            }
        }
        // Both drawn at once, so the contact's fate in the queue is one comparison and one
        // pending event, not a race between two events.
        let mut wait = self.sample_ms(p.queue_wait, p.fixed.queue_wait);
        let mut patience = self.sample_ms(p.patience, p.fixed.patience);
        // A test case's `answers_after`: the agent answers then, whatever the caller's patience.
        if let Some(after) = self.src.plan().and_then(|plan| plan.answers_after) {
            (wait, patience) = (after, after);
        }
        if patience < wait {
            tr!(
                self,
                "note",
                Some(ix),
                None,
                "queue wait {wait} ms > patience {patience} ms: the caller will abandon"
            );
            self.push_event(later(t, patience), EvKind::Abandon);
        } else {
            tr!(self, "note", Some(ix), None, "an agent answers after {wait} ms");
            self.obs.decided(Decision::Answered { after: wait });
            self.push_event(later(t, wait), EvKind::Answer);
        }
    }

    /// An agent answers: the agent segment opens, its recording is decided (R1–R10), and all of
    /// the talk's events are drawn now, each from its own purpose, so whether a transfer happens
    /// never changes when the release is (determinism across script changes, too).
    pub(super) fn answer(&mut self, out: &mut Outcome) {
        let p = self.p;
        let t = self.c.t;
        self.c.phase = Some(CallPhase::Agent);
        // R12 counts from the *first* answer; later transfers do not restart it.
        self.c.first_answer.get_or_insert(t);
        // Answer is only ever scheduled by REQAGENT, which sets the skill; 0 is a safe default.
        let skill = self.c.skill.unwrap_or(SkillId(0));
        let agent = self.pick_agent(p.agent_pick[skill.index()], false);
        self.open_segment(SegmentKind::Agent, agent, out);
        trm!(self, Some(Mark::Answer), "event", None, None, "agent {} answers", self.agent_name(agent));
        self.begin_segment_recording(out);

        // Exact analysis: a random talk is a symbolic release (no event inside it is drawn
        // then: `symbolic_talk` says when it cannot be).
        let symbolic = S::SYMBOLIC && self.symbolic_talk(t);
        let mut talk = if symbolic { 0 } else { self.sample_ms(p.talk, p.fixed.talk) };
        let plan = self.src.plan();
        if let Some(fixed) = plan.and_then(|plan| plan.talk) {
            talk = fixed;
        }
        // Exact analysis with a fixed talk: its events' and presses' times stay symbolic, iid
        // uniform on the talk (`talk.rs`), placed at the scheduler's comparisons.
        let grouped = S::SYMBOLIC
            && !symbolic
            && plan.is_none()
            && self.src.symbolic()
            && thresholds::law(p.talk).is_none();
        if !symbolic {
            tr!(self, "note", None, None, "talk {talk} ms");
            self.obs.decided(Decision::Talk(talk));
            self.push_event(later(t, talk), EvKind::Release);
        }
        // `talk >= 2`: an event must fall strictly inside the talk (§2), which needs 1 ms room.
        // Only the behaviours that can happen are listed ([`behaviours`]): those with p > 0,
        // and for a test case's plan all six (it may fix one traffic never draws).
        if talk >= 2 {
            for k in 0..self.behaviours.len() {
                let (i, b, kind) = self.behaviours[k];
                // A test case may fix whether (and when) it happens; the draws stay keyed by
                // purpose, so fixing one event never moves another.
                let fixed = plan.map_or(Happen::Drawn, |plan| plan.happen[i as usize]);
                let happens = match fixed {
                    Happen::Drawn => self.src.chance(&mut self.c.draws, b.happens, b.p),
                    Happen::Never => false,
                    Happen::At(_) => true,
                };
                if happens && grouped {
                    self.push_event(super::talk::GROUP_AT, kind);
                } else if happens {
                    let at = match fixed {
                        Happen::At(Some(ms)) => ms.clamp(1, talk - 1),
                        _ => self.inside_talk(b.at, talk),
                    };
                    self.obs.decided(Decision::Event(AgentEvent::ALL[i as usize], at));
                    self.push_event(later(t, at), kind);
                }
            }
        }
        // A test case's presses replace the traffic's press sequences (in its order, at its
        // times, strictly inside the talk).
        if let Some(presses) = plan.and_then(|plan| plan.presses.as_deref()) {
            if talk >= 2 {
                for (k, &(ms, button)) in presses.iter().enumerate() {
                    let at = ms.clamp(1, talk - 1);
                    self.obs.decided(Decision::Press(at, button));
                    self.push_event(later(t, at), EvKind::ScriptedPress { pos: k as u32 });
                }
            }
        } else {
            self.traffic_presses(t, talk, grouped);
        }
        if grouped {
            self.talk_opens(t, talk);
        }

        // ONANSWER replaces whatever the thread was doing (usually the hold loop), once;
        // without it the thread parks so the hold music does not run through the talk.
        match p.handler_sets[self.c.handlers as usize][0] {
            Some(oa) if !self.c.answered => {
                tr!(self, "event", Some(oa), Some("A-19"), "ONANSWER fires: the thread restarts there");
                self.c.pc = Some(oa);
                self.c.ready = t;
            }
            _ => {
                if self.c.pc.is_some() {
                    tr!(self, "note", None, Some("A-4"), "no ONANSWER: the thread parks at answer");
                }
                self.c.pc = None;
            }
        }
        self.c.answered = true;
    }

    /// Exact analysis: a random talk becomes a symbolic release at `t + T` — unless agent
    /// events or presses may happen inside it (their times are uniform fractions of T: a
    /// second random time depending on the first), which threshold splitting does not cover.
    fn symbolic_talk(&mut self, t: u64) -> bool {
        let p = self.p;
        let Some(law) = (if self.src.symbolic() { thresholds::law(p.talk) } else { None }) else {
            return false;
        };
        if !self.behaviours.is_empty() || p.presses.iter().any(|s| s.p > 0.0) {
            self.src.cannot(format!(
                "agent events or presses happen at uniform times inside a random talk ({}): each \
                 such time is a fraction of the talk, a second random time that depends on the first",
                thresholds::describe(p.talk)
            ));
            return false;
        }
        self.push_symbolic(t, Cell::of(law), p.fixed.talk, EvKind::Release);
        true
    }

    /// The traffic's MAX press sequences of one talk, each drawn from its own purposes
    /// (`grouped`: exact analysis, their times symbolic, `talk.rs`).
    fn traffic_presses(&mut self, t: u64, talk: u64, grouped: bool) {
        let p = self.p;
        for (j, seq) in p.presses.iter().enumerate() {
            if seq.p > 0.0 && talk >= 2 && self.src.chance(&mut self.c.draws, seq.happens, seq.p) {
                if grouped {
                    for k in 0..seq.buttons.len() {
                        self.push_event(
                            super::talk::GROUP_AT,
                            EvKind::Press { seq: j as u32, pos: k as u32 },
                        );
                    }
                    continue;
                }
                self.c.times.clear();
                for _ in &seq.buttons {
                    let x = self.inside_talk(seq.at, talk);
                    self.c.times.push(x);
                }
                // A sequence's presses happen in the order traffic lists them, at sorted times.
                self.c.times.sort_unstable();
                for k in 0..self.c.times.len() {
                    self.obs.decided(Decision::Press(self.c.times[k], seq.buttons[k]));
                    let at = later(t, self.c.times[k]);
                    self.push_event(at, EvKind::Press { seq: j as u32, pos: k as u32 });
                }
            }
        }
    }

    /// A time in the open interval (0, talk), in ms (talk ≥ 2).
    pub(super) fn inside_talk(&mut self, purpose: Purpose, talk: u64) -> u64 {
        let x = (self.src.open_unit(&mut self.c.draws, purpose) * talk as f64) as u64;
        x.clamp(1, talk - 1)
    }

    /// The agent's tenant id, for the timeline.
    pub(super) fn agent_name(&self, agent: Option<AgentId>) -> &str {
        agent.map_or("(none)", |a| &self.p.agents[a.index()].id)
    }

    /// Uniform among the tenant agents having the contact's skill; a transfer avoids the
    /// current agent when another one exists.
    pub(super) fn pick_agent(&mut self, purpose: Purpose, avoid_current: bool) -> Option<AgentId> {
        let p = self.p;
        let skill = self.c.skill?.index();
        let list = &p.agents_by_skill[skill];
        let current = if avoid_current { self.c.agent } else { None };
        if S::MERGES
            && let Some(classes) = p.agent_classes.get(skill)
            && let Some(agent) = self.pick_alike(classes, purpose, current)
        {
            return Some(agent);
        }
        match (list.len(), current) {
            (0, _) => None,
            (1, _) | (_, None) => Some(list[self.src.index(&mut self.c.draws, purpose, list.len())]),
            (n, Some(cur)) => {
                // Uniform among the others: draw among n - 1 and skip the current agent.
                let k = self.src.index(&mut self.c.draws, purpose, n - 1);
                let others = list.iter().copied().filter(|&a| a != cur);
                others.clone().nth(k).or_else(|| others.clone().next_back())
            }
        }
    }

    /// Exact analysis: [`Engine::pick_agent`] by class of alike agents
    /// (`Compiled::agent_classes`): the class drawn by its size (less the current agent, who
    /// is avoided), then its first member other than the current one. The same distribution
    /// over what the model can see as the uniform pick. `None` where that does not hold: no
    /// agent, or a current agent outside this skill's list (the uniform pick then skips the
    /// list's last agent, `pick_agent`'s own rule, and is made as it is).
    fn pick_alike(
        &mut self,
        classes: &AgentClasses,
        purpose: Purpose,
        current: Option<AgentId>,
    ) -> Option<AgentId> {
        let members = &classes.members;
        let others = |m: &Vec<AgentId>| m.iter().copied().find(|&a| Some(a) != current);
        match current {
            None => {
                let k = self.src.class(&mut self.c.draws, purpose, &classes.cumulative);
                members.get(k)?.first().copied()
            }
            Some(cur) if members.iter().flatten().any(|&a| a == cur) => {
                let cumulative = crate::sim::compile::cumulative(
                    members.iter().map(|m| m.iter().filter(|&&a| a != cur).count() as f64),
                );
                if cumulative.last().is_none_or(|&total| total <= 0.0) {
                    // The current agent is the skill's only one: it takes the transfer again.
                    return Some(cur);
                }
                let k = self.src.class(&mut self.c.draws, purpose, &cumulative);
                members.get(k).and_then(others)
            }
            Some(_) => None,
        }
    }

    /// A new segment starts now; its recording is decided by the caller (answer, transfers).
    pub(super) fn open_segment(&mut self, kind: SegmentKind, agent: Option<AgentId>, out: &mut Outcome) {
        let t = self.c.t;
        out.segments.push(Segment { kind, agent, from_ms: t, to_ms: t });
        self.c.seg = Some(out.segments.len() - 1);
        self.c.agent = agent;
        // AGENTID: the agent who answered or took the transfer (docs/variables.md).
        if let Some(a) = agent {
            self.p.sysvars.agent(&mut self.c.vars, &self.p.agents[a.index()].id);
        }
    }

    /// End the current segment at `t`: its recording interval closes (an interval never spans
    /// two segments, R10), and an open statement ends with `stmt` if given.
    pub(super) fn close_segment(&mut self, t: u64, stmt: Option<EndedBy>, out: &mut Outcome) {
        // `None`: REQAGENT ends the IVR segment (R4).
        let ended_by = match stmt {
            None => RecEnd::Reqagent,
            Some(EndedBy::Transfer) => RecEnd::Transfer,
            Some(_) => RecEnd::CallEnd,
        };
        self.close_rec(t, ended_by, out);
        if let Some(s) = self.c.seg.take() {
            out.segments[s].to_ms = t;
        }
        if let Some(by) = stmt {
            self.end_statement(t, by, out);
        }
    }

    /// A MAX button press (SEMANTICS §4): only a button that is On sends a signal; its
    /// INDICATE's parameters become SP1..SP9 and ONSIGNAL takes over the thread.
    pub(super) fn press(&mut self, button: ButtonId) {
        let p = self.p;
        let name = &p.button_names[button.index()];
        let Some(&(_, indicate)) = self.c.buttons_on.iter().find(|(b, _)| *b == button) else {
            trm!(
                self,
                Some(Mark::Press(button)),
                "event",
                None,
                None,
                "the agent presses `{name}`, which is not On: nothing happens"
            );
            return;
        };
        let Some(params) = p.ops[indicate.index()].indicate_params() else { return };
        // Every SPn is written, unset ones as "", so a previous signal's values never linger.
        for (i, sp) in p.sp.iter().enumerate() {
            self.c.vars.set(*sp, params.get(i).map_or("", String::as_str));
        }
        match p.handler_sets[self.c.handlers as usize][2] {
            Some(os) => {
                trm!(
                    self,
                    Some(Mark::Press(button)),
                    "event",
                    Some(os),
                    None,
                    "the agent presses `{name}`: ONSIGNAL fires (SP1 = \"{}\")",
                    params.first().map_or("", String::as_str)
                );
                self.c.pc = Some(os);
                self.c.ready = self.c.t;
            }
            None => trm!(
                self,
                Some(Mark::Press(button)),
                "event",
                None,
                None,
                "the agent presses `{name}`; the script has no ONSIGNAL"
            ),
        }
    }

    /// The call ends now (caller, agent, HANGUP, abandon, END/stuck before answer).
    pub(super) fn release(&mut self, out: &mut Outcome) {
        if self.phase() == CallPhase::Released {
            return;
        }
        let t = self.c.t;
        self.close_segment(t, Some(EndedBy::CallEnd), out);
        self.end_statement(t, EndedBy::CallEnd, out);
        self.c.phase = Some(CallPhase::Released);
        self.c.call_end = Some(t);
        // Nothing that was scheduled for the talk can happen after the call ended.
        self.c.events.clear();
        if S::SYMBOLIC {
            self.talk_released(out);
        }
        match self.p.handler_sets[self.c.handlers as usize][1] {
            Some(or) => {
                tr!(self, "event", Some(or), None, "ONRELEASE fires");
                self.c.pc = Some(or);
                self.c.ready = t;
            }
            None => self.c.pc = None,
        }
    }
}
