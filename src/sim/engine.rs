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

use super::compile::{Behaviour, Compiled, Next, Op, SegmentView};
use super::ids::{AgentId, ButtonId, NumberId, PolicyId, SkillId};
use super::outcome::{
    EndedBy, Finding, Initiator, Mode, Outcome, Recording, Segment, SegmentKind, Statement,
};
use super::rng::{Draws, Purpose};
use super::vars::{Template, VarId, Vars};
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

/// One line of an `explain` timeline.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TraceStep {
    pub t_ms: u64,
    /// `action`, `event`, `branch`, `variable`, `recording`, `statement`, `finding`, `note`.
    pub kind: &'static str,
    /// Studio id of the action concerned, if any.
    pub action: Option<String>,
    pub text: String,
    /// The rule / assumption that decided (`R4`, `A-6`...), if any.
    pub rule: Option<&'static str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CallPhase {
    Ivr,
    Queued,
    Agent,
    Released,
}

#[derive(Clone, Copy, Debug)]
enum EvKind {
    Answer,
    Abandon,
    TransferAgent,
    TransferExternal,
    Conference,
    Disposition,
    Rod { supervisor: bool },
    Press { seq: u32, pos: u32 },
    Release,
}

/// A pending event. Ties at one millisecond are broken by `(class, sub)`: answer, transfer,
/// conference, disposition, ROD, presses in sequence order, release (SEMANTICS §2).
#[derive(Clone, Copy, Debug)]
struct Ev {
    at: u64,
    class: u8,
    sub: u64,
    kind: EvKind,
}

#[derive(Clone, Copy, Debug)]
struct Active {
    mode: Mode,
    initiator: Initiator,
    from: u64,
}

/// Everything one contact may change, in one struct that [`Ctx::reset`] resets as a whole
/// (issue 9): the scalars of the call, and the reusable buffers (cleared, capacity kept). The
/// reset destructures every field, so a field added here without a reset does not compile —
/// nothing can survive from contact *i − 1* into contact *i* (SEMANTICS §5).
struct Ctx {
    t: u64,
    phase: Option<CallPhase>,
    pc: Option<u32>,
    ready: u64,
    steps: u32,
    direction: Option<Direction>,
    ani: Option<NumberId>,
    dnis: Option<NumberId>,
    skill: Option<SkillId>,
    /// Current segment (index into `Outcome::segments`); `None` while queued / after release.
    seg: Option<usize>,
    rec: Option<Active>,
    /// Step number of the last arming LOGRECORDINGPRO Start / RECORDAGENTONLY.
    start_seq: Option<u32>,
    rao_seq: Option<u32>,
    /// An IVR Start not yet followed by IVR media: (step, action).
    ivr_pending: Option<(u32, u32)>,
    rod_on: bool,
    policies_off: bool,
    dnr: bool,
    /// Agent of the current (or last) agent segment.
    agent: Option<AgentId>,
    /// Policy deciding the current segment (R8), for R10 / R11.
    deciding: Option<PolicyId>,
    first_answer: Option<u64>,
    answered: bool,
    external: bool,
    call_end: Option<u64>,
    stmt_open: Option<usize>,
    stmt_in_var: Option<usize>,
    stmt_n: u32,
    /// The active event-handler set (`Compiled::handler_sets`; a RUNSCRIPT switches it).
    handlers: u8,
    // ---- reused buffers (cleared per contact, capacity kept: no allocation per contact) ----
    /// Buttons On: (button, INDICATE action that set it).
    buttons_on: Vec<(ButtonId, u32)>,
    /// The contact's keyed random draws (re-keyed per contact).
    draws: Draws,
    /// Script variables (all back to empty per contact, `Global:` ones included).
    vars: Vars,
    /// Policy samples of the contact: 0 = not drawn, 1 = in, 2 = out.
    samples: Vec<u8>,
    events: Vec<Ev>,
    times: Vec<u64>,
    /// Rendered ASSIGN value (cleared before each render, too).
    scratch: String,
    /// A formatted statement id.
    id_buf: String,
    /// The text of a templated value that was invalid at run time (explain).
    invalid: String,
}

impl Ctx {
    fn new(p: &Compiled) -> Self {
        let mut c = Ctx {
            t: 0,
            phase: None,
            pc: None,
            ready: 0,
            steps: 0,
            direction: None,
            ani: None,
            dnis: None,
            skill: None,
            seg: None,
            rec: None,
            start_seq: None,
            rao_seq: None,
            ivr_pending: None,
            rod_on: false,
            policies_off: false,
            dnr: false,
            agent: None,
            deciding: None,
            first_answer: None,
            answered: false,
            external: false,
            call_end: None,
            stmt_open: None,
            stmt_in_var: None,
            stmt_n: 0,
            handlers: 0,
            buttons_on: Vec::new(),
            draws: Draws::new(p.seed, p.purposes.len()),
            vars: Vars::new(&p.symbols),
            samples: vec![0; p.policies.len()],
            events: Vec::with_capacity(16),
            times: Vec::new(),
            scratch: String::new(),
            id_buf: String::new(),
            invalid: String::new(),
        };
        c.reset(0);
        c
    }

    /// Back to the state of a contact that has not started, keyed for contact `id`. Every
    /// field is named (no `..`): adding state without resetting it is a compile error.
    fn reset(&mut self, id: u64) {
        let Ctx {
            t,
            phase,
            pc,
            ready,
            steps,
            direction,
            ani,
            dnis,
            skill,
            seg,
            rec,
            start_seq,
            rao_seq,
            ivr_pending,
            rod_on,
            policies_off,
            dnr,
            agent,
            deciding,
            first_answer,
            answered,
            external,
            call_end,
            stmt_open,
            stmt_in_var,
            stmt_n,
            handlers,
            buttons_on,
            draws,
            vars,
            samples,
            events,
            times,
            scratch,
            id_buf,
            invalid,
        } = self;
        (*t, *ready, *steps, *stmt_n, *handlers) = (0, 0, 0, 0, 0);
        (*phase, *pc, *direction) = (None, None, None);
        (*ani, *dnis, *skill, *agent, *deciding) = (None, None, None, None, None);
        (*seg, *stmt_open, *stmt_in_var) = (None, None, None);
        (*rec, *start_seq, *rao_seq, *ivr_pending) = (None, None, None, None);
        (*first_answer, *call_end) = (None, None);
        (*rod_on, *policies_off, *dnr, *answered, *external) = (false, false, false, false, false);
        buttons_on.clear();
        draws.reset(id);
        vars.reset();
        samples.iter_mut().for_each(|s| *s = 0);
        events.clear();
        times.clear();
        scratch.clear();
        id_buf.clear();
        invalid.clear();
    }
}

/// What the engine reports while it runs a contact, besides the [`Outcome`] it builds: the
/// engine-side half of a sink. `()` observes nothing and compiles to nothing (`TRACE` is a
/// constant, so with it the trace formatting is dead code the optimiser removes).
pub trait Observer {
    /// Whether [`Observer::trace`] wants the timeline (`explain`).
    const TRACE: bool = false;
    /// An action is about to run, with the initiator of the recording active as it runs.
    #[inline(always)]
    fn step(&mut self, _action: u32, _recording: Option<Initiator>) {}
    /// One line of the timeline (only called when `TRACE`).
    #[inline(always)]
    fn trace(&mut self, _step: TraceStep) {}
    /// Forget the previous contact (called by the engine before each contact, like
    /// [`Ctx::reset`]: an observer never carries one contact into the next).
    #[inline(always)]
    fn clear(&mut self) {}
}

impl Observer for () {}

/// Collects the timeline of a contact (`explain`).
#[derive(Clone, Debug, Default)]
pub struct Timeline(pub Vec<TraceStep>);

impl Observer for Timeline {
    const TRACE: bool = true;
    fn trace(&mut self, step: TraceStep) {
        self.0.push(step);
    }
    fn clear(&mut self) {
        self.0.clear();
    }
}

/// Collects each action run with the recording initiator active as it ran (`graph --heat`).
#[derive(Clone, Debug, Default)]
pub struct Visits(pub Vec<(u32, Option<Initiator>)>);

impl Observer for Visits {
    #[inline]
    fn step(&mut self, action: u32, recording: Option<Initiator>) {
        self.0.push((action, recording));
    }
    fn clear(&mut self) {
        self.0.clear();
    }
}

/// A reusable simulator for one program (one per worker thread), reporting to observer `O`.
/// Only the driver ([`super::driver`]) runs it.
pub struct Engine<'p, O: Observer = ()> {
    p: &'p Compiled,
    globals: Vec<VarId>,
    /// Per-contact state, reset as a whole before each contact.
    c: Ctx,
    obs: O,
}

macro_rules! tr {
    ($self:ident, $kind:expr, $action:expr, $rule:expr, $($fmt:tt)*) => {
        if O::TRACE {
            let text = format!($($fmt)*);
            let action: Option<u32> = $action;
            let action = action.map(|a| $self.p.id(a).to_string());
            let t_ms = $self.c.t;
            $self.obs.trace(TraceStep { t_ms, kind: $kind, action, text, rule: $rule });
        }
    };
}

impl<'p> Engine<'p, ()> {
    pub fn new(p: &'p Compiled) -> Self {
        Engine::with_observer(p, ())
    }
}

impl<'p, O: Observer> Engine<'p, O> {
    pub fn with_observer(p: &'p Compiled, obs: O) -> Self {
        Engine { p, globals: super::vars::globals(&p.symbols), c: Ctx::new(p), obs }
    }

    /// The observer (what it collected for the last contact).
    pub fn observer(&mut self) -> &mut O {
        &mut self.obs
    }

    /// Simulate contact `id` into `out` (cleared first). The per-contact state is reset as a
    /// whole first, so the result depends only on (seed, `id`, program).
    pub fn run(&mut self, id: u64, out: &mut Outcome) {
        let p = self.p;
        out.clear(id, p.policies.len());
        self.c.reset(id);
        // Snippet choices on unknown values and `random()`: from (seed, contact) only.
        self.c.vars.set_seed(p.seed.rotate_left(17) ^ id.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        self.obs.clear();

        let dir_ix = self.c.draws.weighted(p.fixed.direction, &p.direction.1);
        self.c.direction = Some(p.direction.0.get(dir_ix).copied().unwrap_or(Direction::Inbound));
        if !p.ani.0.is_empty() {
            self.c.ani = Some(p.ani.0[self.c.draws.weighted(p.fixed.ani, &p.ani.1)]);
        }
        if !p.dnis.0.is_empty() {
            self.c.dnis = Some(p.dnis.0[self.c.draws.weighted(p.fixed.dnis, &p.dnis.1)]);
        }
        // System variables known at arrival (docs/variables.md).
        let number = |n: Option<NumberId>| n.map_or("", |n| p.numbers[n.index()].as_str());
        p.sysvars.arrive(&mut self.c.vars, &mut self.c.scratch, id, number(self.c.ani), number(self.c.dnis));
        tr!(self, "event", None, None, "arrival ({})", self.c.direction.map_or("inbound", |d| d.as_str()));

        self.c.phase = Some(CallPhase::Ivr);
        out.segments.push(Segment { kind: SegmentKind::Ivr, agent: None, from_ms: 0, to_ms: 0 });
        self.c.seg = Some(0);
        self.c.pc = Some(p.begin);
        self.c.ready = 0;

        loop {
            let next_ev = self.next_event();
            let run_thread = match (self.c.pc, next_ev) {
                (Some(_), Some(i)) => self.c.ready <= self.c.events[i].at,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if run_thread {
                self.c.t = self.c.t.max(self.c.ready);
                if self.c.steps >= STEP_LIMIT {
                    out.add(Finding::StepLimit);
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
                self.step(out);
            } else if let Some(i) = next_ev {
                let e = self.c.events.swap_remove(i);
                self.c.t = self.c.t.max(e.at);
                self.fire(e.kind, out);
            }
        }
        self.finish(out);
    }

    fn next_event(&self) -> Option<usize> {
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

    fn push_event(&mut self, at: u64, kind: EvKind) {
        let (class, sub) = match kind {
            EvKind::Answer => (0, 0),
            EvKind::TransferAgent => (1, 0),
            EvKind::TransferExternal => (1, 1),
            EvKind::Conference => (2, 0),
            EvKind::Disposition => (3, 0),
            EvKind::Rod { supervisor } => (4, supervisor as u64),
            EvKind::Press { seq, pos } => (5, (u64::from(seq) << 32) | u64::from(pos)),
            EvKind::Release | EvKind::Abandon => (6, 0),
        };
        self.c.events.push(Ev { at, class, sub, kind });
    }

    fn phase(&self) -> CallPhase {
        self.c.phase.unwrap_or(CallPhase::Ivr)
    }

    fn sample_ms(&mut self, dist: Dist, purpose: Purpose) -> u64 {
        let secs = match dist {
            Dist::Fixed(s) => s,
            Dist::Exp(mean) => -mean * self.c.draws.open_unit(purpose).ln(),
            Dist::Uniform(a, b) => a + (b - a) * self.c.draws.unit(purpose),
        };
        super::compile::secs_to_ms(secs)
    }

    /// Continue at `next` after `dur` ms; an unwired branch ends the thread (and, in the IVR,
    /// the call: finding `stuck`).
    fn goto(&mut self, next: Next, dur: u64, out: &mut Outcome) {
        match next {
            Some(n) => {
                self.c.pc = Some(n);
                self.c.ready = later(self.c.t, dur);
            }
            None => {
                let at = self.c.pc;
                self.c.pc = None;
                if self.phase() == CallPhase::Ivr {
                    self.c.t = later(self.c.t, dur);
                    out.add(Finding::Stuck);
                    tr!(
                        self,
                        "finding",
                        at,
                        None,
                        "stuck: the branch taken is not wired; the caller hangs up"
                    );
                    self.release(out);
                } else {
                    tr!(self, "branch", at, None, "the branch taken is not wired: the thread ends");
                }
            }
        }
    }

    fn step(&mut self, out: &mut Outcome) {
        let p = self.p;
        let ix = self.c.pc.expect("step with a thread");
        out.path.push(ix);
        self.obs.step(ix, self.c.rec.map(|a| a.initiator));
        let released = self.phase() == CallPhase::Released;
        // `{var}` templates in typed properties: resolved for this contact, then the patched op
        // runs like a literal one (templated.rs).
        let patched;
        let op = match &p.ops[ix as usize] {
            Op::Templated(t) => {
                let c = &mut self.c;
                let r = super::templated::resolve(t, p, &mut c.vars, &mut c.scratch, &mut c.invalid);
                if let Some(i) = r.fell_back {
                    if !out.templated_fallback.contains(&t.slot) {
                        out.templated_fallback.push(t.slot);
                    }
                    tr!(
                        self,
                        "finding",
                        Some(ix),
                        None,
                        "{}",
                        super::templated::fallback_text(t, i, &self.c.invalid)
                    );
                }
                match r.op {
                    Some(o) => {
                        patched = o;
                        &patched
                    }
                    None => &t.inner,
                }
            }
            op => op,
        };
        match op {
            Op::Pass { next } => {
                tr!(self, "action", Some(ix), None, "{}", self.op_name(ix));
                self.goto(*next, 0, out)
            }
            Op::End => {
                tr!(self, "action", Some(ix), None, "END: the thread ends");
                self.c.pc = None;
                if matches!(self.phase(), CallPhase::Ivr | CallPhase::Queued) {
                    tr!(self, "note", Some(ix), None, "END before answer also ends the call");
                    self.release(out);
                }
            }
            Op::Hangup => {
                tr!(self, "action", Some(ix), None, "HANGUP");
                self.c.pc = None;
                if !released {
                    self.release(out);
                }
            }
            Op::Branched(b) => self.branched(ix, b, out),
            Op::If(i) => match i.cond.eval(&mut self.c.vars) {
                Ok(Some(b)) => {
                    tr!(
                        self,
                        "action",
                        Some(ix),
                        None,
                        "IF `{}` → {}",
                        i.text,
                        if b { "True" } else { "False" }
                    );
                    self.goto(if b { i.on_true } else { i.on_false }, 0, out)
                }
                Ok(None) => {
                    tr!(self, "note", Some(ix), None, "IF `{}`: the value is unknown", i.text);
                    self.branched(ix, &i.fallback, out)
                }
                Err(e) => {
                    tr!(self, "note", Some(ix), None, "IF `{}`: runtime error: {}", i.text, e.message);
                    self.branched(ix, &i.fallback, out)
                }
            },
            // `wrap` never nests: the op was resolved above.
            Op::Templated(_) => unreachable!("templated ops are resolved before the match"),
            Op::Menu(m) => {
                if released {
                    out.add(Finding::MediaAfterRelease);
                    tr!(
                        self,
                        "finding",
                        Some(ix),
                        Some("A-3"),
                        "MENU after release is skipped (media_after_release)"
                    );
                    return self.goto(m.default, 0, out);
                }
                if m.sensitive && self.c.rec.is_some() {
                    out.add(Finding::SensitiveWhileRecording);
                    tr!(
                        self,
                        "finding",
                        Some(ix),
                        Some("R14"),
                        "sensitive MENU runs while the call is being recorded"
                    );
                }
                let choice: Option<&str> = match &m.inputs {
                    Some((values, cum)) => values[self.c.draws.weighted(m.choice, cum)].as_deref(),
                    None if m.wired.is_empty() => None,
                    None => {
                        let k = self.c.draws.index(m.choice, m.wired.len());
                        Some(m.digits[m.wired[k] as usize].0.as_str())
                    }
                };
                self.c.vars.set(m.var, choice.unwrap_or(""));
                let target = match choice.and_then(|d| m.digits.iter().find(|(name, _)| name == d)) {
                    Some((_, t)) => *t,
                    None => m.default,
                };
                let dur = self.sample_ms(m.duration.dist, m.duration.purpose);
                tr!(
                    self,
                    "action",
                    Some(ix),
                    None,
                    "MENU: input {} → {} ({} = \"{}\")",
                    choice.map_or("none".to_string(), |c| format!("\"{c}\"")),
                    target.map_or("(not wired)", |t| p.id(t)),
                    p.symbols.name(m.var),
                    choice.unwrap_or("")
                );
                self.ivr_media(ix);
                self.goto(target, dur, out);
            }
            Op::Play { next, duration } => {
                if released {
                    out.add(Finding::MediaAfterRelease);
                    tr!(
                        self,
                        "finding",
                        Some(ix),
                        Some("A-3"),
                        "PLAY after release is skipped (media_after_release)"
                    );
                    return self.goto(*next, 0, out);
                }
                tr!(self, "action", Some(ix), None, "PLAY");
                self.ivr_media(ix);
                let dur = self.sample_ms(duration.dist, duration.purpose);
                self.goto(*next, dur, out);
            }
            Op::Timed { ms, media, next } => {
                if released && *media {
                    out.add(Finding::MediaAfterRelease);
                    tr!(
                        self,
                        "finding",
                        Some(ix),
                        Some("A-3"),
                        "MUSIC after release is skipped (media_after_release)"
                    );
                    return self.goto(*next, 0, out);
                }
                tr!(self, "action", Some(ix), Some("A-1"), "{} {} ms", self.op_name(ix), ms);
                self.goto(*next, *ms, out);
            }
            Op::Assign { var, value, next } => {
                self.assign(*var, value, out);
                tr!(
                    self,
                    "variable",
                    Some(ix),
                    None,
                    "ASSIGN {} = \"{}\"",
                    p.symbols.name(*var),
                    self.c.vars.get(*var)
                );
                self.goto(*next, 0, out);
            }
            Op::Call { clear, params, next } => {
                // Fresh locals for this copy of the subscript, then its parameters (docs/subscripts.md).
                for &v in clear {
                    self.c.vars.set(v, "");
                }
                for (var, value) in params {
                    self.assign(*var, value, out);
                }
                tr!(
                    self,
                    "action",
                    Some(ix),
                    None,
                    "RUNSUB: the subscript runs, then the script continues after it"
                );
                self.goto(*next, 0, out);
            }
            Op::Return { value, next } => {
                if let Some((var, value)) = value {
                    self.assign(*var, value, out);
                    tr!(
                        self,
                        "variable",
                        Some(ix),
                        None,
                        "RETURN {} = \"{}\"",
                        p.symbols.name(*var),
                        self.c.vars.get(*var)
                    );
                } else {
                    tr!(self, "action", Some(ix), None, "RETURN");
                }
                self.goto(*next, 0, out);
            }
            Op::RunScript { handlers, next } => {
                tr!(
                    self,
                    "action",
                    Some(ix),
                    None,
                    "RUNSCRIPT: continues in another script; its event actions are active now"
                );
                self.c.handlers = *handlers;
                self.goto(*next, 0, out);
            }
            Op::Snippet { code, next, error } => {
                // `now()` and the date functions read the simulated clock.
                self.c.vars.set_clock_ms(self.c.t);
                let result = code.run(&mut self.c.vars);
                let unmodelled = self.c.vars.take_unmodelled();
                if unmodelled > 0 {
                    out.unmodelled_snippet += 1;
                    tr!(
                        self,
                        "finding",
                        Some(ix),
                        None,
                        "SNIPPET: {unmodelled} unmodelled construct(s) gave unknown values (unmodelled_snippet)"
                    );
                }
                match result {
                    Ok(()) => {
                        // A program that overwrote RecordingStatementId let the id go (R13).
                        if let Some(i) = self.c.stmt_in_var {
                            super::outcome::write_statement_id(
                                &mut self.c.id_buf,
                                out.id,
                                out.statements[i].n,
                            );
                            if self.c.vars.get(p.statement_var) != self.c.id_buf {
                                self.release_statement_id(out);
                            }
                        }
                        tr!(self, "action", Some(ix), None, "SNIPPET");
                        if O::TRACE {
                            for v in code.writes() {
                                tr!(
                                    self,
                                    "variable",
                                    Some(ix),
                                    None,
                                    "{} = \"{}\"",
                                    p.symbols.name(*v),
                                    self.c.vars.get(*v)
                                );
                            }
                        }
                        self.goto(*next, 0, out);
                    }
                    Err(e) => {
                        self.c.vars.set(p.err_var, &e.message);
                        tr!(self, "branch", Some(ix), None, "SNIPPET runtime error → Error: {}", e.message);
                        self.goto(*error, 0, out);
                    }
                }
            }
            Op::Case { var, values, default } => {
                let v = self.c.vars.get(*var);
                let target = values.iter().find(|(name, _)| name == v).map_or(*default, |(_, t)| *t);
                tr!(
                    self,
                    "action",
                    Some(ix),
                    None,
                    "CASE {} = \"{}\" → {}",
                    p.symbols.name(*var),
                    v,
                    target.map_or("(not wired)", |t| p.id(t))
                );
                self.goto(target, 0, out);
            }
            Op::ReqAgent { skill, next } => {
                self.reqagent(ix, *skill, out);
                self.goto(*next, 0, out);
            }
            Op::Indicate { button, on, next, .. } => {
                self.c.buttons_on.retain(|(b, _)| b != button);
                if *on {
                    self.c.buttons_on.push((*button, ix));
                }
                tr!(
                    self,
                    "action",
                    Some(ix),
                    None,
                    "INDICATE `{}` {}",
                    p.button_names[button.index()],
                    if *on { "On" } else { "Off" }
                );
                self.goto(*next, 0, out);
            }
            Op::Record { start, statement: true, next } => {
                if *start {
                    self.statement_start(ix, out);
                } else {
                    self.statement_stop(ix, out);
                }
                self.goto(*next, 0, out);
            }
            Op::Record { start, statement: false, next } => {
                self.clear_statement_var(ix, out);
                if *start {
                    self.studio_start(ix, false, out);
                } else {
                    self.studio_stop(ix, out);
                }
                self.goto(*next, 0, out);
            }
            Op::RecordAgentOnly { next } => {
                self.clear_statement_var(ix, out);
                self.studio_start(ix, true, out);
                self.goto(*next, 0, out);
            }
            Op::DoNotRecord { next } => {
                self.dnr(ix, out);
                self.goto(*next, 0, out);
            }
        }
    }

    /// An action whose outcome recflow cannot compute: the branch from traffic weights (or
    /// uniform); the contact counts under `unmodelled` once per action.
    fn branched(&mut self, ix: u32, b: &super::compile::BranchedOp, out: &mut Outcome) {
        let k = match &b.cumulative {
            Some(cum) => self.c.draws.weighted(b.choice, cum),
            None => self.c.draws.index(b.choice, b.choices.len()),
        };
        let (name, next) = &b.choices[k];
        // One entry per contact and action: a loop through HOURS counts the contact once.
        if !out.unmodelled.contains(&b.slot) {
            out.unmodelled.push(b.slot);
        }
        tr!(
            self,
            "action",
            Some(ix),
            None,
            "{}: branch chosen by traffic weights → {name} (unmodelled)",
            b.kind
        );
        self.goto(*next, 0, out)
    }

    fn op_name(&self, ix: u32) -> &'static str {
        self.p.kinds[ix as usize]
    }

    /// Set `var` from `self.c.scratch`. Overwriting `RecordingStatementId` lets the open
    /// statement's id go (R13).
    /// Render `value` and store it in `var` (ASSIGN, RUNSUB parameters, RETURN). The one place a
    /// template is rendered into the reused scratch buffer: `render_into` appends, so the buffer
    /// is cleared here first — a value must never carry an earlier one (the old ASSIGN leak).
    fn assign(&mut self, var: VarId, value: &Template, out: &mut Outcome) {
        self.c.scratch.clear();
        value.render_into(&mut self.c.vars, &mut self.c.scratch);
        if var == self.p.statement_var {
            self.release_statement_id(out);
        }
        self.c.vars.set(var, &self.c.scratch);
    }

    /// IVR media between an IVR Start and REQAGENT means the Start does not arm.
    fn ivr_media(&mut self, ix: u32) {
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

    fn reqagent(&mut self, ix: u32, skill: SkillId, out: &mut Outcome) {
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
        self.close_segment(t, None, out);
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
        self.c.skill = Some(skill);
        // `""` is the placeholder of a templated skill no table knows: templated.rs set SKILL.
        if !p.skills[skill.index()].is_empty() {
            p.sysvars.skill(&mut self.c.vars, &p.skills[skill.index()]);
        }
        let wait = self.sample_ms(p.queue_wait, p.fixed.queue_wait);
        let patience = self.sample_ms(p.patience, p.fixed.patience);
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
            self.push_event(later(t, wait), EvKind::Answer);
        }
    }

    // ---- events -------------------------------------------------------------------------

    fn fire(&mut self, kind: EvKind, out: &mut Outcome) {
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
            EvKind::TransferAgent if in_agent && !self.c.external => {
                let t = self.c.t;
                self.close_segment(t, Some(EndedBy::Transfer), out);
                let agent = self.pick_agent(p.fixed.transfer_agent_pick, true);
                self.open_segment(SegmentKind::Agent, agent, out);
                tr!(self, "event", None, Some("R10"), "transfer to agent {}", self.agent_name(agent));
                self.begin_segment_recording(out);
            }
            EvKind::TransferExternal if in_agent && !self.c.external => {
                let t = self.c.t;
                let prev = self.c.rec.map(|a| a.initiator);
                self.close_segment(t, Some(EndedBy::Transfer), out);
                self.open_segment(SegmentKind::External, None, out);
                self.c.external = true;
                tr!(self, "event", None, Some("R10"), "transfer to an external number");
                self.external_recording(prev);
            }
            EvKind::Conference if in_agent => {
                tr!(self, "event", None, None, "another participant joins (conference)");
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
            _ => {}
        }
    }

    fn agent_name(&self, agent: Option<AgentId>) -> &str {
        agent.map_or("(none)", |a| &self.p.agents[a.index()].id)
    }

    /// Uniform among the tenant agents having the contact's skill; a transfer avoids the
    /// current agent when another one exists.
    fn pick_agent(&mut self, purpose: Purpose, avoid_current: bool) -> Option<AgentId> {
        let p = self.p;
        let list = &p.agents_by_skill[self.c.skill?.index()];
        let current = if avoid_current { self.c.agent } else { None };
        match (list.len(), current) {
            (0, _) => None,
            (1, _) | (_, None) => Some(list[self.c.draws.index(purpose, list.len())]),
            (n, Some(cur)) => {
                // Uniform among the others: draw among n - 1 and skip the current agent.
                let k = self.c.draws.index(purpose, n - 1);
                let others = list.iter().copied().filter(|&a| a != cur);
                others.clone().nth(k).or_else(|| others.clone().next_back())
            }
        }
    }

    fn open_segment(&mut self, kind: SegmentKind, agent: Option<AgentId>, out: &mut Outcome) {
        let t = self.c.t;
        out.segments.push(Segment { kind, agent, from_ms: t, to_ms: t });
        self.c.seg = Some(out.segments.len() - 1);
        self.c.agent = agent;
        if let Some(a) = agent {
            self.p.sysvars.agent(&mut self.c.vars, &self.p.agents[a.index()].id);
        }
    }

    /// End the current segment at `t`: its recording interval closes (an interval never spans
    /// two segments, R10), and an open statement ends with `stmt` if given.
    fn close_segment(&mut self, t: u64, stmt: Option<EndedBy>, out: &mut Outcome) {
        self.close_rec(t, out);
        if let Some(s) = self.c.seg.take() {
            out.segments[s].to_ms = t;
        }
        if let Some(by) = stmt {
            self.end_statement(t, by, out);
        }
    }

    fn answer(&mut self, out: &mut Outcome) {
        let p = self.p;
        let t = self.c.t;
        self.c.phase = Some(CallPhase::Agent);
        self.c.first_answer.get_or_insert(t);
        let skill = self.c.skill.unwrap_or(SkillId(0));
        let agent = self.pick_agent(p.agent_pick[skill.index()], false);
        self.open_segment(SegmentKind::Agent, agent, out);
        tr!(self, "event", None, None, "agent {} answers", self.agent_name(agent));
        self.begin_segment_recording(out);

        let talk = self.sample_ms(p.talk, p.fixed.talk);
        tr!(self, "note", None, None, "talk {talk} ms");
        self.push_event(later(t, talk), EvKind::Release);
        let behaviours: [(Behaviour, EvKind); 6] = [
            (p.transfer_agent, EvKind::TransferAgent),
            (p.transfer_external, EvKind::TransferExternal),
            (p.conference, EvKind::Conference),
            (p.disposition, EvKind::Disposition),
            (p.rod, EvKind::Rod { supervisor: false }),
            (p.supervisor_rod, EvKind::Rod { supervisor: true }),
        ];
        for (b, kind) in behaviours {
            if b.p > 0.0 && talk >= 2 && self.c.draws.chance(b.happens, b.p) {
                let at = later(t, self.inside_talk(b.at, talk));
                self.push_event(at, kind);
            }
        }
        for (j, seq) in p.presses.iter().enumerate() {
            if seq.p > 0.0 && talk >= 2 && self.c.draws.chance(seq.happens, seq.p) {
                self.c.times.clear();
                for _ in &seq.buttons {
                    let x = self.inside_talk(seq.at, talk);
                    self.c.times.push(x);
                }
                self.c.times.sort_unstable();
                for k in 0..self.c.times.len() {
                    let at = later(t, self.c.times[k]);
                    self.push_event(at, EvKind::Press { seq: j as u32, pos: k as u32 });
                }
            }
        }

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

    /// A time in the open interval (0, talk), in ms (talk ≥ 2).
    fn inside_talk(&mut self, purpose: Purpose, talk: u64) -> u64 {
        let x = (self.c.draws.open_unit(purpose) * talk as f64) as u64;
        x.clamp(1, talk - 1)
    }

    fn view(&self, agent: Option<AgentId>) -> SegmentView {
        SegmentView {
            direction: self.c.direction.unwrap_or(Direction::Inbound),
            skill: self.c.skill,
            agent,
            team: agent.map(|a| self.p.agents[a.index()].team),
            ani: self.c.ani,
            dnis: self.c.dnis,
        }
    }

    fn studio_mode(&self) -> Option<Mode> {
        match (self.c.start_seq, self.c.rao_seq) {
            (Some(s), Some(r)) => Some(if s > r { Mode::Full } else { Mode::AgentOnly }),
            (Some(_), None) => Some(Mode::Full),
            (None, Some(_)) => Some(Mode::AgentOnly),
            (None, None) => None,
        }
    }

    fn open_rec(&mut self, mode: Mode, initiator: Initiator) {
        self.c.rec = Some(Active { mode, initiator, from: self.c.t });
    }

    /// Close the active interval at `t`; a zero-length interval is no recording (§4).
    fn close_rec(&mut self, t: u64, out: &mut Outcome) -> Option<Active> {
        let a = self.c.rec.take()?;
        if t > a.from
            && let Some(seg) = self.c.seg
        {
            out.recordings.push(Recording {
                segment: seg as u32,
                mode: a.mode,
                initiator: a.initiator,
                from_ms: a.from,
                to_ms: t,
            });
        }
        Some(a)
    }

    /// Who records a new agent segment (answer or transfer to an agent): DNR (R1), the agent
    /// attribute (R2), Studio (R3/R5/R10), ROD carried on (R10), policies off (R6/R11), then
    /// recording policies (R8) unless a DNR policy matches (R9).
    fn begin_segment_recording(&mut self, out: &mut Outcome) {
        let p = self.p;
        let agent = self.c.seg.and_then(|s| out.segments[s].agent);
        let view = self.view(agent);
        self.c.deciding = None;
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
        if let Some(a) = agent
            && !p.agents[a.index()].recordable
        {
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
        let sampled = match self.c.samples[d.index()] {
            0 => {
                let s = self.c.draws.chance(pol.sample, pol.percent / 100.0);
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

    fn external_recording(&mut self, prev: Option<Initiator>) {
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

    fn disposition(&mut self, out: &mut Outcome) {
        let p = self.p;
        tr!(self, "event", None, None, "the agent applies a disposition");
        let Some(d) = self.c.deciding else { return };
        let pol = &p.policies[d.index()];
        if pol.continue_after_disposition {
            tr!(self, "recording", None, Some("R11"), "policy `{}` continues after disposition", pol.name);
            return;
        }
        if matches!(self.c.rec, Some(Active { initiator: Initiator::Policy(_), .. })) {
            let t = self.c.t;
            self.close_rec(t, out);
            tr!(self, "recording", None, Some("R11"), "policy recording stops at the disposition");
        }
        self.c.policies_off = true;
    }

    /// R7: ROD start by the agent or a supervisor.
    fn rod(&mut self, supervisor: bool, out: &mut Outcome) {
        let p = self.p;
        let who = if supervisor { "supervisor" } else { "agent" };
        tr!(self, "event", None, None, "{who} starts recording on demand");
        if self.c.dnr {
            out.add(Finding::RodBlocked);
            tr!(self, "finding", None, Some("R1"), "ROD refused: Do Not Record is set (rod_blocked)");
            return;
        }
        let agent = self.c.seg.and_then(|s| out.segments[s].agent);
        if let Some(a) = agent
            && !p.agents[a.index()].recordable
        {
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
        self.c.rod_on = true;
        match self.c.rec {
            None => {
                tr!(self, "recording", None, Some("R7"), "ROD records from now");
                self.open_rec(Mode::Full, Initiator::Rod);
            }
            Some(Active { initiator: Initiator::Policy(_), .. }) => {
                let t = self.c.t;
                self.close_rec(t, out);
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

    fn press(&mut self, button: ButtonId) {
        let p = self.p;
        let name = &p.button_names[button.index()];
        let Some(&(_, indicate)) = self.c.buttons_on.iter().find(|(b, _)| *b == button) else {
            tr!(self, "event", None, None, "the agent presses `{name}`, which is not On: nothing happens");
            return;
        };
        let Some(params) = p.ops[indicate as usize].indicate_params() else { return };
        for (i, sp) in p.sp.iter().enumerate() {
            self.c.vars.set(*sp, params.get(i).map_or("", String::as_str));
        }
        match p.handler_sets[self.c.handlers as usize][2] {
            Some(os) => {
                tr!(
                    self,
                    "event",
                    Some(os),
                    None,
                    "the agent presses `{name}`: ONSIGNAL fires (SP1 = \"{}\")",
                    params.first().map_or("", String::as_str)
                );
                self.c.pc = Some(os);
                self.c.ready = self.c.t;
            }
            None => tr!(self, "event", None, None, "the agent presses `{name}`; the script has no ONSIGNAL"),
        }
    }

    /// The call ends now (caller, agent, HANGUP, abandon, END/stuck before answer).
    fn release(&mut self, out: &mut Outcome) {
        if self.phase() == CallPhase::Released {
            return;
        }
        let t = self.c.t;
        self.close_segment(t, Some(EndedBy::CallEnd), out);
        self.end_statement(t, EndedBy::CallEnd, out);
        self.c.phase = Some(CallPhase::Released);
        self.c.call_end = Some(t);
        self.c.events.clear();
        match self.p.handler_sets[self.c.handlers as usize][1] {
            Some(or) => {
                tr!(self, "event", Some(or), None, "ONRELEASE fires");
                self.c.pc = Some(or);
                self.c.ready = t;
            }
            None => self.c.pc = None,
        }
    }

    // ---- Studio recording actions ------------------------------------------------------

    /// LOGRECORDINGPRO Start (`agent_only` false) or RECORDAGENTONLY (true).
    fn studio_start(&mut self, ix: u32, agent_only: bool, out: &mut Outcome) {
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
        let seq = self.c.steps;
        match (self.phase(), agent_only) {
            (CallPhase::Ivr, false) => {
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

    /// Studio recording starts (or changes mode) in the current agent / external segment.
    fn studio_now(&mut self, out: &mut Outcome) {
        let p = self.p;
        let Some(mode) = self.studio_mode() else { return };
        if let Some(a) = self.c.seg.and_then(|s| out.segments[s].agent)
            && !p.agents[a.index()].recordable
        {
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
                self.close_rec(t, out);
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
                self.close_rec(t, out);
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
    fn studio_stop(&mut self, ix: u32, out: &mut Outcome) {
        if self.phase() == CallPhase::Released {
            tr!(self, "action", Some(ix), None, "LOGRECORDINGPRO Stop after release: nothing to stop");
            return;
        }
        let t = self.c.t;
        let was = self.close_rec(t, out).is_some();
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

    /// DONOTRECORD (R1, A-17).
    fn dnr(&mut self, ix: u32, out: &mut Outcome) {
        if self.c.dnr {
            tr!(self, "action", Some(ix), Some("R1"), "DONOTRECORD: already set");
            return;
        }
        let t = self.c.t;
        self.c.dnr = true;
        out.dnr_at_ms = Some(t);
        let stopped = self.close_rec(t, out).is_some();
        tr!(
            self,
            "recording",
            Some(ix),
            Some("R1"),
            "DONOTRECORD: nothing records this contact from now{}",
            if stopped { "; the active recording stops (A-17)" } else { "" }
        );
        if !out.recordings.is_empty() {
            out.add(Finding::RecordedBeforeDnr);
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

    // ---- recorded statements (R13) -----------------------------------------------------

    fn statement_start(&mut self, ix: u32, out: &mut Outcome) {
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
        self.c.stmt_n += 1;
        let n = self.c.stmt_n;
        super::outcome::write_statement_id(&mut self.c.id_buf, out.id, n);
        self.c.vars.set(self.p.statement_var, &self.c.id_buf);
        out.statements.push(Statement { n, from_ms: t, to_ms: t, saved: false, ended_by: EndedBy::CallEnd });
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

    fn statement_stop(&mut self, ix: u32, out: &mut Outcome) {
        let t = self.c.t;
        tr!(self, "statement", Some(ix), Some("R13"), "statement Stop: RecordingStatementId is cleared");
        self.end_statement(t, EndedBy::Stop, out);
        self.release_statement_id(out);
        self.c.vars.set(self.p.statement_var, "");
    }

    /// Every LOGRECORDINGPRO without UseRecordingStatementId clears the id (R13).
    fn clear_statement_var(&mut self, ix: u32, out: &mut Outcome) {
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
    fn release_statement_id(&mut self, out: &mut Outcome) {
        let Some(i) = self.c.stmt_in_var.take() else { return };
        super::outcome::write_statement_id(&mut self.c.id_buf, out.id, out.statements[i].n);
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

    fn end_statement(&mut self, t: u64, by: EndedBy, out: &mut Outcome) {
        if let Some(i) = self.c.stmt_open.take() {
            out.statements[i].to_ms = t;
            out.statements[i].ended_by = by;
            tr!(self, "statement", None, Some("R13"), "recorded statement ends ({})", by.as_str());
        }
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
        self.release_statement_id(out);
        let end = self.c.call_end.unwrap_or(t);
        out.duration_ms = end;
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
        out.statements.retain(|s| s.to_ms > s.from_ms);
    }
}
