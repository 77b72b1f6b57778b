//! The per-contact state of the [`Engine`](super::Engine): one struct, [`Ctx`], holding every
//! field a contact may change and the buffers it reuses, reset as a whole before each contact.
//!
//! Why one struct: contact *i* must depend only on (seed, *i*, scripts, tenant, traffic)
//! (SEMANTICS §5). Round 2 found an ASSIGN value that leaked from contact *i − 1* into *i*
//! through a reused buffer nobody cleared; keeping all of it here, with a reset that names every
//! field, makes that class of bug a compile error instead of a wrong report.

use super::events::{Ev, Sym};
use super::talk::Talk;
use crate::model::Direction;
use crate::script::ActionIx;
use crate::sim::compile::Compiled;
use crate::sim::ids::{AgentId, ButtonId, NumberId, PolicyId, SkillId};
use crate::sim::outcome::{ConsentAnswer, Initiator, Mode};
use crate::sim::rng::Draws;
use crate::sim::vars::Vars;

/// Where the call is (SEMANTICS §1): IVR (arrival → REQAGENT) → Queued (→ answer or abandon) →
/// Agent (answer → release; transfers stay here) → Released. Most rules ask the phase first:
/// R4 (a Start in the IVR records the ivr segment), A-3 (media after release), REQAGENT outside
/// the IVR does nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CallPhase {
    Ivr,
    Queued,
    Agent,
    Released,
}

/// The recording interval in progress. Only its start is kept: it becomes an `Outcome`
/// recording when it closes (a segment ends, a Stop, DNR, a takeover), because an interval
/// never spans two segments (R10) and a zero-length one is no recording (§4).
#[derive(Clone, Copy, Debug)]
pub(super) struct Active {
    pub(super) mode: Mode,
    /// Who started it: Studio, ROD or the deciding policy (R12 and R7 treat them differently).
    pub(super) initiator: Initiator,
    pub(super) from: u64,
}

/// Everything one contact may change, in one struct that [`Ctx::reset`] resets as a whole
/// (issue 9): the scalars of the call, and the reusable buffers (cleared, capacity kept). The
/// reset destructures every field, so a field added here without a reset does not compile —
/// nothing can survive from contact *i − 1* into contact *i* (SEMANTICS §5).
#[derive(Clone)]
pub(super) struct Ctx {
    /// The simulated clock, ms since arrival; it only moves forward.
    pub(super) t: u64,
    pub(super) phase: Option<CallPhase>,
    /// The script thread's next action; `None` when the thread has ended or is parked.
    pub(super) pc: Option<ActionIx>,
    /// When the thread's next action is due (the previous action's duration, A-1).
    pub(super) ready: u64,
    /// Actions run so far: the step limit, and the sequence number A-7 compares.
    pub(super) steps: u32,
    pub(super) direction: Option<Direction>,
    pub(super) ani: Option<NumberId>,
    pub(super) dnis: Option<NumberId>,
    /// Set by REQAGENT: who may answer, and a policy filter (R8).
    pub(super) skill: Option<SkillId>,
    /// Current segment (index into `Outcome::segments`); `None` while queued / after release.
    pub(super) seg: Option<usize>,
    /// The active recording interval, at most one (Studio, ROD and policies take over from
    /// each other, R7; they never record side by side).
    pub(super) rec: Option<Active>,
    /// Step number of the last arming LOGRECORDINGPRO Start / RECORDAGENTONLY.
    pub(super) start_seq: Option<u32>,
    pub(super) rao_seq: Option<u32>,
    /// An IVR Start not yet followed by IVR media: (step, action).
    pub(super) ivr_pending: Option<(u32, ActionIx)>,
    /// ROD started and not stopped: it carries on to later segments (R10).
    pub(super) rod_on: bool,
    /// A Stop (R6) or a disposition (R11) ended policy recording for the rest of the contact.
    pub(super) policies_off: bool,
    /// The contact's DNR flag (R1): once set, never cleared.
    pub(super) dnr: bool,
    /// Agent of the current (or last) agent segment.
    pub(super) agent: Option<AgentId>,
    /// Policy deciding the current segment (R8), for R10 / R11.
    pub(super) deciding: Option<PolicyId>,
    /// Start of the agent-connected time R12 measures.
    pub(super) first_answer: Option<u64>,
    /// ONANSWER fires at the first answer only.
    pub(super) answered: bool,
    /// On an external segment: agent events no longer happen.
    pub(super) external: bool,
    /// When the call was released; ONRELEASE actions may run on after it.
    pub(super) call_end: Option<u64>,
    /// The open statement (index into `Outcome::statements`), ended by R13's events.
    pub(super) stmt_open: Option<usize>,
    /// The statement whose id `RecordingStatementId` holds. Not the same as `stmt_open`: a
    /// statement Stop ends the statement *and* clears the id, but a conference or transfer
    /// ends the statement while its id stays in the variable, still savable (R13).
    pub(super) stmt_in_var: Option<usize>,
    /// Statements started so far: the next id's sequence number.
    pub(super) stmt_n: u32,
    /// The active event-handler set (`Compiled::handler_sets`; a RUNSCRIPT switches it).
    pub(super) handlers: u8,
    /// The last answer to a consent question: what, when the MENU began (the question was
    /// asked) and ended (it was answered), in ms, and which MENU. Judged against every
    /// recording when the contact ends (issue 19; A-24: the last answer decides).
    pub(super) consent: Option<(ConsentAnswer, u64, u64, ActionIx)>,
    /// When the first LOGRECORDINGPRO Stop / DONOTRECORD after a refusing consent answer ran:
    /// a recording that ends then was stopped *because* consent was refused.
    pub(super) refusal_stop: Option<u64>,
    // ---- reused buffers (cleared per contact, capacity kept: no allocation per contact) ----
    /// Buttons On: (button, INDICATE action that set it).
    pub(super) buttons_on: Vec<(ButtonId, ActionIx)>,
    /// The contact's keyed random draws (re-keyed per contact).
    pub(super) draws: Draws,
    /// Script variables (all back to empty per contact, `Global:` ones included).
    pub(super) vars: Vars,
    /// Policy samples of the contact: 0 = not drawn, 1 = in, 2 = out.
    pub(super) samples: Vec<u8>,
    /// Pending events (see `events.rs` for why a plain Vec).
    pub(super) events: Vec<Ev>,
    /// Exact analysis only: the law of the one pending event whose time is random
    /// (`events::SYM_AT`, `sim::thresholds`). Always `None` when sampling.
    pub(super) sym: Option<Sym>,
    /// Exact analysis only: the talk's pending event and press times kept symbolic
    /// (`talk.rs`). Always empty when sampling.
    pub(super) talk: Talk,
    /// Scratch for one press sequence's times, sorted before they become events.
    pub(super) times: Vec<u64>,
    /// Rendered ASSIGN value (cleared before each render, too).
    pub(super) scratch: String,
    /// A formatted statement id.
    pub(super) id_buf: String,
    /// The text of a templated value that was invalid at run time (explain).
    pub(super) invalid: String,
}

impl Ctx {
    /// State sized once for program `p` (draw purposes, variables, policies): the buffers are
    /// allocated here, per engine, and only cleared per contact.
    pub(super) fn new(p: &Compiled) -> Self {
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
            consent: None,
            refusal_stop: None,
            buttons_on: Vec::new(),
            draws: Draws::new(p.seed, p.purposes.len()),
            vars: Vars::new(&p.symbols),
            samples: vec![0; p.policies.len()],
            events: Vec::with_capacity(16),
            sym: None,
            talk: Talk::default(),
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
    pub(super) fn reset(&mut self, id: u64) {
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
            consent,
            refusal_stop,
            buttons_on,
            draws,
            vars,
            samples,
            events,
            sym,
            // Written only under `Source::SYMBOLIC` (exact analysis), which resets it in
            // `Engine::run`: the sampled engine's per-contact reset does not touch it.
            talk: _,
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
        (*first_answer, *call_end, *consent, *refusal_stop) = (None, None, None, None);
        (*rod_on, *policies_off, *dnr, *answered, *external) = (false, false, false, false, false);
        buttons_on.clear();
        draws.reset(id);
        vars.reset();
        samples.iter_mut().for_each(|s| *s = 0);
        events.clear();
        *sym = None;
        times.clear();
        scratch.clear();
        id_buf.clear();
        invalid.clear();
    }
    /// The state of `o` (this engine's state saved earlier in the same contact), reusing this
    /// one's buffers: exact analysis resumes a run from a saved state instead of replaying it
    /// (`sim::exact`). Every field is named (no `..`), as in [`Ctx::reset`].
    pub(super) fn copy_from(&mut self, o: &Ctx) {
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
            consent,
            refusal_stop,
            buttons_on,
            draws,
            vars,
            samples,
            events,
            sym,
            talk,
            times,
            scratch,
            id_buf,
            invalid,
        } = self;
        (*t, *ready, *steps, *stmt_n, *handlers) = (o.t, o.ready, o.steps, o.stmt_n, o.handlers);
        (*phase, *pc, *direction) = (o.phase, o.pc, o.direction);
        (*ani, *dnis, *skill, *agent, *deciding) = (o.ani, o.dnis, o.skill, o.agent, o.deciding);
        (*seg, *stmt_open, *stmt_in_var) = (o.seg, o.stmt_open, o.stmt_in_var);
        (*rec, *start_seq, *rao_seq, *ivr_pending) = (o.rec, o.start_seq, o.rao_seq, o.ivr_pending);
        (*first_answer, *call_end, *consent, *refusal_stop) =
            (o.first_answer, o.call_end, o.consent, o.refusal_stop);
        (*rod_on, *policies_off, *dnr, *answered, *external) =
            (o.rod_on, o.policies_off, o.dnr, o.answered, o.external);
        buttons_on.clone_from(&o.buttons_on);
        draws.copy_from(&o.draws);
        vars.copy_from(&o.vars);
        samples.clone_from(&o.samples);
        events.clone_from(&o.events);
        *sym = o.sym;
        talk.copy_from(&o.talk);
        times.clone_from(&o.times);
        scratch.clone_from(&o.scratch);
        id_buf.clone_from(&o.id_buf);
        invalid.clone_from(&o.invalid);
    }
}
