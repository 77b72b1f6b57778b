//! One contact, start to end: a discrete-event interpreter of the compiled script under the
//! recording rules (SEMANTICS.md). Input: a [`Compiled`] and a contact index; output: the
//! contact's [`Outcome`], and — when asked — a [`TraceStep`] timeline for `explain`.
//!
//! The model: one script thread (`pc`, ready at `ready`), and a small list of pending events
//! (answer / abandon, talk events, release). The thread runs while its next action is due no
//! later than the next event, so the 0-ms actions of a thread an event just started run before
//! the next event of the same millisecond (SEMANTICS §2 ordering). An event that has an event
//! action (ONANSWER / ONRELEASE / ONSIGNAL) replaces whatever the thread was doing.
//!
//! Recording state is kept per contact: the active interval (`rec`, always inside the current
//! segment), Studio arming (the sequence numbers of the last LOGRECORDINGPRO Start and
//! RECORDAGENTONLY — the later decides the mode, A-7), the A-6 pending IVR Start, ROD carried
//! across segments, and whether policies are off for the rest of the contact (R6, R11).
//! Each decision names the rule that made it when tracing; with tracing off those branches are
//! never taken and nothing is formatted.
//!
//! One concern per file (all of them are `impl Engine` blocks over the same state):
//!
//! | file | what | rules |
//! |---|---|---|
//! | `mod.rs` | [`Engine`], the event loop ([`Engine::run`]), the end of a contact | §2 ordering, step limit, R12, §4 `indicator_left_on` |
//! | `state.rs` | `Ctx`: all per-contact state, reset as a whole | §5 (contact *i* depends on *i* only) |
//! | `observe.rs` | [`Observer`], [`Timeline`], [`Visits`], [`TraceStep`] | — |
//! | `events.rs` | pending events, call phases, REQAGENT / answer / transfers / release, MAX presses | §1 phases, §2 events, A-4, A-19, A-20, §4 |
//! | `dispatch.rs` | one action of the script thread: `Op` → effect, branches, variables | §2 execution, A-1, A-3, R14 |
//! | `recording.rs` | who records a segment: policies, DNR policies, ROD, transfers, disposition | R2, R7–R11, A-8, A-9, A-11 |
//! | `studio.rs` | Studio recording actions: LOGRECORDINGPRO Start/Stop, RECORDAGENTONLY, DONOTRECORD | R1, R3–R6, A-6, A-7, A-17 |
//! | `statements.rs` | recorded statements and their ids | R13, A-15, A-16, A-18 |
//! | `consent.rs` | the end-of-contact judgement: recordings vs the consent answer, lost statements | issue 19 findings |
//! | `talk.rs` | exact analysis only: a fixed talk's agent events and presses kept symbolic | A-29 |

use super::compile::Compiled;
use super::outcome::{EndedBy, Finding, Initiator, Outcome, Segment, SegmentKind};
use super::rng::{Purpose, Sampled, Source};
use super::vars::VarId;
use crate::model::{Direction, Dist};

/// Actions per contact before the contact is ended with `step_limit` (SEMANTICS §2).
pub const STEP_LIMIT: u32 = 10_000;

/// `t + d` on the simulated clock (ms). Loaders bound every duration to 10 years
/// (`source::MAX_SECONDS`) and a contact runs at most [`STEP_LIMIT`] actions, so the sum stays
/// below 2^52 ms; should a bug break that, debug builds stop here and release builds saturate
/// instead of wrapping to an earlier time (issue 10.2).
#[inline]
fn later(t: u64, d: u64) -> u64 {
    debug_assert!(t.checked_add(d).is_some(), "simulated clock overflow: {t} + {d} ms");
    t.saturating_add(d)
}

/// A reusable simulator for one program (one per worker thread), reporting to observer `O`.
/// Only the driver ([`crate::sim::driver`]) runs it.
pub struct Engine<'p, O: Observer = (), S: Source<'p> = Sampled> {
    /// The compiled program, shared read-only by every worker thread.
    p: &'p Compiled,
    /// The `Global:` variables, listed once per engine: R13 asks "does some Global: variable
    /// hold this id?" at every statement release, and scanning all symbols each time would be
    /// per-contact work the program already knows the answer to.
    globals: Vec<VarId>,
    /// The talk's behaviours that can happen, in §2 order, listed once per engine
    /// (`events::behaviours`): the answer only draws those.
    behaviours: Vec<(u8, crate::sim::compile::Behaviour, events::EvKind)>,
    /// A Snippet reads the clock (`now()`, the date functions), listed once per engine: exact
    /// analysis then keeps no action's duration symbolic (`dispatch.rs`, `goto_drawn`).
    reads_clock: bool,
    /// Per-contact state, reset as a whole before each contact.
    c: Ctx,
    obs: O,
    /// Where the contact's chance comes from: [`Sampled`] (every decision drawn) or a test
    /// case's [`Scripted`](crate::sim::rng::Scripted) plan. A type parameter, so the sampled
    /// engine carries no plan and checks none.
    src: S,
    /// Exact analysis only ([`Source::MERGES`]): the encoded state and its parts' ends
    /// (`fingerprint.rs`), reused from checkpoint to checkpoint.
    state: Vec<u8>,
    parts: Vec<(&'static str, usize)>,
    /// Exact analysis only ([`Source::RESUMES`]): the states saved in this run (`saved[..n]`,
    /// with the outcome so far), the slots past `n` kept for their buffers.
    saved: Vec<(Ctx, Outcome)>,
    saved_n: usize,
    /// Exact analysis only ([`Source::RESUMES`]): turns of the event loop (an action or an
    /// event each) since [`Engine::take_steps`] last read them — the engine's share of exact
    /// analysis's work budget (`sim::exact::MAX_WORK`). Never written by the sampled engine.
    steps: u64,
}

/// One `explain` line: `tr!(self, kind, action, rule, format...)`.
///
/// A macro, not a method, so that the `format!` arguments are only evaluated inside
/// `if O::TRACE`: for the aggregate run (`O = ()`) the whole line, arguments included, is dead
/// code. It must stay above the `mod` lines below: `macro_rules!` is visible only in text that
/// follows it, and the child modules use it.
macro_rules! tr {
    ($self:ident, $kind:expr, $action:expr, $rule:expr, $($fmt:tt)*) => {
        trm!($self, None, $kind, $action, $rule, $($fmt)*)
    };
}

/// An `explain` line that a timeline picture marks: `trm!(self, Some(Mark::…), kind, …)`.
macro_rules! trm {
    ($self:ident, $mark:expr, $kind:expr, $action:expr, $rule:expr, $($fmt:tt)*) => {
        if O::TRACE {
            let text = format!($($fmt)*);
            let action: Option<crate::script::ActionIx> = $action;
            let action = action.map(|a| $self.p.id(a).to_string());
            let t_ms = $self.c.t;
            $self.obs.trace(TraceStep { t_ms, kind: $kind, action, text, rule: $rule, mark: $mark });
        }
    };
}

impl<'p> Engine<'p, ()> {
    /// An engine that reports nothing but the [`Outcome`] (the aggregate report's case).
    pub fn new(p: &'p Compiled) -> Self {
        Engine::with_observer(p, ())
    }
}

mod consent;
mod dispatch;
mod events;
mod fingerprint;
mod observe;
mod recording;
mod state;
mod statements;
mod studio;
mod talk;

pub use observe::{Decision, Mark, Observer, Timeline, TraceStep, Visits};
use state::{CallPhase, Ctx};
pub use talk::most_orders;

impl<'p, O: Observer> Engine<'p, O> {
    /// An engine whose observer is `obs` (a [`Timeline`] for `explain`, [`Visits`] for heat).
    pub fn with_observer(p: &'p Compiled, obs: O) -> Self {
        Engine::with_source(p, obs, Sampled)
    }
}

impl<'p, O: Observer, S: Source<'p>> Engine<'p, O, S> {
    /// An engine whose decisions come from `src` first (a test case's plan), draws otherwise.
    pub fn with_source(p: &'p Compiled, obs: O, src: S) -> Self {
        let mut c = Ctx::new(p);
        if let Some(plan) = src.plan() {
            c.vars.set_mocks(&plan.external);
        }
        let behaviours = events::behaviours(p, src.plan().is_some()).collect();
        Engine {
            p,
            globals: crate::sim::vars::globals(&p.symbols),
            behaviours,
            reads_clock: p.reads_clock(),
            c,
            obs,
            src,
            state: Vec::new(),
            parts: Vec::new(),
            saved: Vec::new(),
            saved_n: 0,
            steps: 0,
        }
    }

    /// The observer (what it collected for the last contact).
    pub fn observer(&mut self) -> &mut O {
        &mut self.obs
    }

    /// The source of chance (exact analysis sets the next run's choices on it between runs).
    pub fn source(&mut self) -> &mut S {
        &mut self.src
    }

    /// Exact analysis: the actions and events the engine ran since the last call, replays
    /// included (the work budget counts them; 0 for any source that does not resume).
    pub fn take_steps(&mut self) -> u64 {
        std::mem::take(&mut self.steps)
    }

    /// Snippet draws of the last contact (`random()`, a choice on an unknown value): drawn
    /// outside the keyed draws, so exact analysis cannot branch on them and must say so.
    pub fn snippet_draws(&self) -> u64 {
        self.c.vars.draws
    }

    /// Simulate contact `id` into `out` (cleared first). The per-contact state is reset as a
    /// whole first, so the result depends only on (seed, `id`, program).
    pub fn run(&mut self, id: u64, out: &mut Outcome) {
        let p = self.p;
        // Exact analysis: from a state saved in an earlier run of this contact, when the
        // source's choices share it (the observer is `()`: nothing of it to restore).
        if S::RESUMES {
            debug_assert!(!O::TRACE, "a resumed run has no timeline before its saved state");
            match self.src.resume() {
                Some(i) => {
                    let (c, o) = &self.saved[i];
                    self.c.copy_from(c);
                    out.copy_from(o);
                    self.saved_n = i + 1;
                    self.event_loop(out);
                    self.finish(out);
                    return;
                }
                None => self.saved_n = 0,
            }
        }
        out.clear(id, p.policies.len());
        self.c.reset(id);
        // Exact analysis only: the talk's symbolic times (`talk.rs`; `Ctx::reset` leaves them,
        // the sampled engine never writes them).
        if S::SYMBOLIC {
            self.c.talk.clear();
        }
        self.src.reset();
        // Snippet choices on unknown values and `random()`: from (seed, contact) only.
        self.c.vars.set_seed(p.seed.rotate_left(17) ^ id.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        self.obs.clear();

        // Who calls: direction, ANI and DNIS are drawn before the first action, each from its own
        // purpose, so adding a traffic key elsewhere never shifts these draws.
        // One direction (the usual traffic): nothing to draw. The purpose is drawn nowhere else,
        // so skipping it shifts no other draw.
        let dir_ix = if p.direction.1.len() > 1 {
            self.src.weighted(&mut self.c.draws, p.fixed.direction, &p.direction.1)
        } else {
            0
        };
        self.c.direction = Some(p.direction.0.get(dir_ix).copied().unwrap_or(Direction::Inbound));
        if !p.ani.0.is_empty() {
            self.c.ani = Some(p.ani.0[self.src.weighted(&mut self.c.draws, p.fixed.ani, &p.ani.1)]);
        }
        if !p.dnis.0.is_empty() {
            self.c.dnis = Some(p.dnis.0[self.src.weighted(&mut self.c.draws, p.fixed.dnis, &p.dnis.1)]);
        }
        // A test case's caller: fixed after the draws, so the draws of everything it does not
        // fix are the ones the sampled contact would make.
        let plan = self.src.plan();
        if let Some(plan) = plan {
            self.c.direction = plan.direction.or(self.c.direction);
            self.c.ani = plan.ani.or(self.c.ani);
            self.c.dnis = plan.dnis.or(self.c.dnis);
        }
        // System variables known at arrival (docs/variables.md).
        if p.sysvars.at_arrival {
            let number =
                |n: Option<crate::sim::ids::NumberId>| n.map_or("", |n| p.numbers[n.index()].as_str());
            p.sysvars.arrive(
                &mut self.c.vars,
                &mut self.c.scratch,
                id,
                number(self.c.ani),
                number(self.c.dnis),
            );
        }
        if let Some(plan) = plan {
            for (var, value) in &plan.variables {
                self.c.vars.set(*var, value);
            }
        }
        tr!(self, "event", None, None, "arrival ({})", self.c.direction.map_or("inbound", |d| d.as_str()));

        // Arrival: the IVR segment opens at 0 and the thread starts at BEGIN (SEMANTICS §1, §2).
        self.c.phase = Some(CallPhase::Ivr);
        out.segments.push(Segment { kind: SegmentKind::Ivr, agent: None, from_ms: 0, to_ms: 0 });
        self.c.seg = Some(0);
        self.c.pc = Some(p.begin);
        self.c.ready = 0;
        // a caller who hangs up during the IVR does so this long after arrival, unless
        // REQAGENT queues the contact first. Drawn only when the traffic sets it.
        // A test case's `ivr_patience` replaces the draw (`false`: never).
        let patience = match (self.src.plan().and_then(|plan| plan.ivr_patience), p.ivr_patience) {
            (Some(fixed), _) => fixed,
            // Exact analysis: a random IVR patience is a symbolic hang-up, split where the
            // scheduler compares it (the thread's next action, an unwired branch's end).
            (None, Some((dist, purpose)))
                if S::SYMBOLIC
                    && self.src.symbolic()
                    && let Some(law) = crate::sim::thresholds::law(dist) =>
            {
                self.push_symbolic(
                    0,
                    crate::sim::thresholds::Cell::of(law),
                    purpose,
                    events::EvKind::IvrHangUp,
                );
                None
            }
            (None, Some((dist, purpose))) => Some(self.sample_ms(dist, purpose)),
            (None, None) => None,
        };
        if let Some(ms) = patience {
            tr!(self, "note", None, Some("A-27"), "the caller hangs up after {ms} ms if still in the IVR");
            self.obs.decided(Decision::IvrPatience(ms));
            self.push_event(ms, events::EvKind::IvrHangUp);
        }

        self.event_loop(out);
        self.finish(out);
    }

    /// The event loop. Whichever is due first runs: the thread's next action or the earliest
    /// pending event. On a tie the thread goes first (`ready <= at`), so the 0-ms actions an
    /// event just started (ONANSWER's Start, say) take effect before the next event of the
    /// same millisecond (§2 ordering). The loop ends when there is no thread and no event.
    /// Everything it reads is in `self.c` and `out`: exact analysis resumes it from a saved
    /// copy of them.
    fn event_loop(&mut self, out: &mut Outcome) {
        loop {
            // Exact analysis: after each new draw the state is encoded; a state this run has
            // been in before (a loop) ends the run here (`sim::exact`). A constant `false` for
            // every other source.
            if S::MERGES && self.src.checkpoint_due() {
                let (mut state, mut parts) =
                    (std::mem::take(&mut self.state), std::mem::take(&mut self.parts));
                let rec = self.encode_state(out, &mut state, &mut parts);
                let repeat = self.src.checkpoint(&state, &parts, self.c.pc, rec);
                (self.state, self.parts) = (state, parts);
                if repeat {
                    self.c.pc = None;
                    self.c.events.clear();
                    break;
                }
            }
            if S::RESUMES {
                self.steps += 1;
            }
            // Exact analysis: the state after new draws, saved for the runs that share them.
            if S::RESUMES && self.src.save_due() {
                let n = self.saved_n;
                match self.saved.get_mut(n) {
                    Some((c, o)) => {
                        c.copy_from(&self.c);
                        o.copy_from(out);
                    }
                    None => self.saved.push((self.c.clone(), out.clone())),
                }
                self.saved_n = n + 1;
                self.src.saved(n);
            }
            // Exact analysis: a pending random time is placed against the earliest fixed one
            // first (`events.rs`). A constant `false` for every other source.
            if S::SYMBOLIC && self.c.sym.is_some() {
                self.resolve_symbolic();
            }
            // … and the talk's symbolic event and press times (`talk.rs`).
            if S::SYMBOLIC && self.c.talk.active() {
                self.resolve_talk();
            }
            let next_ev = self.next_event();
            let run_thread = match (self.c.pc, next_ev) {
                (Some(_), Some(i)) => self.c.ready <= self.c.events[i].at,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if run_thread {
                if S::SYMBOLIC {
                    self.talk_thread();
                }
                // `max`: an event may have moved the clock past the thread's ready time.
                self.c.t = self.c.t.max(self.c.ready);
                // A loop in the script (MUSIC/WAIT forever, CASE back to itself) must end:
                // nothing ever hangs (§2), and the finding says why the contact stopped.
                if self.c.steps >= STEP_LIMIT {
                    out.add_at(Finding::StepLimit, self.c.pc);
                    tr!(
                        self,
                        "finding",
                        self.c.pc,
                        None,
                        "step limit: {STEP_LIMIT} actions ran; the contact is ended"
                    );
                    self.c.pc = None;
                    self.c.events.clear();
                    break;
                }
                self.c.steps += 1;
                let at = self.c.pc;
                // Exact analysis's work budget counts Snippet and template work too (a unit
                // costs about what an action does).
                let work = if S::RESUMES { self.c.vars.work() } else { 0 };
                self.step(out);
                if S::RESUMES {
                    self.steps += self.c.vars.work().saturating_sub(work);
                }
                // Exact analysis: the thread's next action is relative to the clock (`talk.rs`).
                if S::SYMBOLIC {
                    self.c.talk.ready = self.c.talk.clock;
                }
                // Snippet / template work is bounded per contact: past the budget the contact
                // ends here, at the action that spent it (issue 21, F01).
                if self.c.vars.work() > crate::snippet::MAX_CONTACT_WORK {
                    out.add(Finding::WorkLimit);
                    tr!(
                        self,
                        "finding",
                        at,
                        None,
                        "work limit: this contact's Snippet and template work passed {} units; the contact is ended",
                        crate::snippet::MAX_CONTACT_WORK
                    );
                    self.c.pc = None;
                    self.c.events.clear();
                    break;
                }
            } else if let Some(i) = next_ev {
                // `swap_remove`: the list's order carries no meaning, ties are in the key.
                let e = self.c.events.swap_remove(i);
                self.c.t = self.c.t.max(e.at);
                if S::SYMBOLIC {
                    // Exact analysis: the clock stands for a random time or not (`talk.rs`), and
                    // so does the thread's next action when the event (re)started it.
                    self.talk_event(e.at);
                    let thread = (self.c.pc, self.c.ready);
                    self.fire(e.kind, out);
                    if (self.c.pc, self.c.ready) != thread {
                        self.c.talk.ready = self.c.talk.clock;
                    }
                } else {
                    self.fire(e.kind, out);
                }
            }
        }
    }

    /// The call's phase; `None` only before arrival, which no action ever sees.
    fn phase(&self) -> CallPhase {
        self.c.phase.unwrap_or(CallPhase::Ivr)
    }

    /// A duration drawn from `dist` under its own `purpose` (keyed, not consumed in order: a
    /// new draw elsewhere never changes this one), in whole ms on the simulated clock.
    fn sample_ms(&mut self, dist: Dist, purpose: Purpose) -> u64 {
        let secs = match dist {
            Dist::Fixed(s) => s,
            Dist::Exp(mean) => -mean * self.src.open_unit(&mut self.c.draws, purpose).ln(),
            Dist::Uniform(a, b) => a + (b - a) * self.src.unit(&mut self.c.draws, purpose),
        };
        crate::sim::compile::secs_to_ms(secs)
    }

    /// The contact is over: buttons left On, statement ids, short calls (R12), cleanup.
    fn finish(&mut self, out: &mut Outcome) {
        let t = self.c.t;
        if self.phase() != CallPhase::Released {
            // Only a step limit ends a contact that was not released.
            self.close_segment(t, Some(EndedBy::CallEnd), out);
            self.end_statement(t, EndedBy::CallEnd, out);
            self.c.call_end = Some(t);
        }
        if !self.c.buttons_on.is_empty() {
            out.add(Finding::IndicatorLeftOn);
            tr!(
                self,
                "finding",
                None,
                None,
                "indicator_left_on: `{}` is still On when the contact ends",
                self.p.button_names[self.c.buttons_on[0].0.index()]
            );
        }
        // The contact ending is the last moment an id can leave RecordingStatementId (R13).
        self.release_statement_id(out);
        let end = self.c.call_end.unwrap_or(t);
        out.duration_ms = end;
        // R12 needs the whole agent-connected time (first answer → release, external segment
        // included), which is only known now: policy intervals are dropped after the fact, and
        // Studio/ROD ones are kept.
        if let Some(first) = self.c.first_answer
            && end - first < self.p.short_call_ms
            && out.recordings.iter().any(|r| matches!(r.initiator, Initiator::Policy(_)))
        {
            out.recordings.retain(|r| !matches!(r.initiator, Initiator::Policy(_)));
            tr!(
                self,
                "recording",
                None,
                Some("R12"),
                "short call ({} ms connected): policy recordings are discarded",
                end - first
            );
        }
        // A zero-length statement is no statement (§4), like a zero-length recording.
        out.statements.retain(|s| s.to_ms > s.from_ms);
        // What was kept, judged: consent and statements (`consent.rs`).
        self.judge(out);
        self.obs.ended(&self.c.vars);
    }
}
