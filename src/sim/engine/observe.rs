//! What the engine tells the outside while it runs a contact: the [`Observer`] trait (the
//! engine-side half of a sink, see `sim::driver`) and its three implementations — `()` (nothing,
//! for the aggregate report), [`Timeline`] (`explain`), [`Visits`] (`graph --heat`).
//!
//! Why a trait with a constant and not a runtime flag: the aggregate run does tens of millions of
//! contacts, and with `O = ()` every trace line is `if false { … }` that the optimiser removes,
//! so tracing costs nothing when nobody reads it.

use crate::script::ActionIx;
use crate::sim::outcome::Initiator;

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
    /// What a timeline picture draws for this line (the HTML report); not part of `explain`'s
    /// JSON, whose `timeline` lines are the text above.
    #[serde(skip)]
    pub mark: Option<Mark>,
}

/// A moment of a contact a timeline marks, as the engine saw it (not parsed from the text).
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    /// A MENU's answer, `at_ms` after the contact began: the caller's input, `None` for no input.
    Menu {
        input: Option<String>,
        at_ms: u64,
    },
    /// An agent answers.
    Answer,
    TransferAgent,
    TransferExternal,
    Conference,
    Disposition,
    /// Recording on demand requested (whether or not it was refused).
    Rod {
        supervisor: bool,
    },
    /// The agent presses a MAX button.
    Press(crate::sim::ids::ButtonId),
}

/// What the engine reports while it runs a contact, besides the [`Outcome`](crate::sim::Outcome) it builds: the
/// engine-side half of a sink. `()` observes nothing and compiles to nothing (`TRACE` is a
/// constant, so with it the trace formatting is dead code the optimiser removes).
pub trait Observer {
    /// Whether [`Observer::trace`] wants the timeline (`explain`).
    const TRACE: bool = false;
    /// An action is about to run, with the initiator of the recording active as it runs.
    #[inline(always)]
    fn step(&mut self, _action: ActionIx, _recording: Option<Initiator>) {}
    /// One line of the timeline (only called when `TRACE`).
    #[inline(always)]
    fn trace(&mut self, _step: TraceStep) {}
    /// Forget the previous contact (called by the engine before each contact, like
    /// `Ctx::reset`: an observer never carries one contact into the next).
    #[inline(always)]
    fn clear(&mut self) {}
    /// A decision the outside world made for this contact, as the engine took it (drawn or
    /// fixed by a test case): what `explain --as-test` writes into a case's `given`.
    #[inline(always)]
    fn decided(&mut self, _what: Decision<'_>) {}
    /// The contact has ended; its variables as they are (`recflow test`'s `expect.variables`).
    #[inline(always)]
    fn ended(&mut self, _vars: &crate::sim::vars::Vars) {}
}

/// A decision made from outside the script ([`Observer::decided`]). Times are ms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Decision<'a> {
    /// A MENU's input at one visit (`None`: no input).
    Menu(ActionIx, Option<&'a str>),
    /// The branch a traffic-branched action took at one visit (its name).
    Branch(ActionIx, &'a str),
    /// The queue wait before the agent answered.
    Answered {
        after: u64,
    },
    Talk(u64),
    /// the caller hangs up this long after arrival if still in the IVR.
    IvrPatience(u64),
    /// An agent event, ms after the answer.
    Event(crate::sim::rng::AgentEvent, u64),
    /// A MAX button press, ms after the answer.
    Press(u64, crate::sim::ids::ButtonId),
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
pub struct Visits(pub Vec<(ActionIx, Option<Initiator>)>);

impl Observer for Visits {
    #[inline]
    fn step(&mut self, action: ActionIx, recording: Option<Initiator>) {
        self.0.push((action, recording));
    }
    fn clear(&mut self) {
        self.0.clear();
    }
}
