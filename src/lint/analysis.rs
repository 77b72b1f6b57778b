//! The abstract interpretation every path rule queries.
//!
//! Input: a [`Script`] and its [`Facts`]. Output: [`Reach`], every reachable
//! `(point, abstract state)` pair, each with the predecessor that first reached it. The search is
//! breadth-first from BEGIN, so following predecessors gives the **shortest** counterexample path
//! to any pair.
//!
//! A point is an action about to run, or one of four virtual points: the agent answers, the call is
//! released, the thread is idle (ended or parked, waiting for an event), the contact is over. The
//! state ([`State`]) is a handful of booleans, small enums and "which action caused it" indices,
//! all `Copy`: the number of states per point is bounded by the product of their (small) ranges,
//! so diamonds and loops cannot blow up — each `(point, state)` pair is visited once.
//!
//! Events (SEMANTICS §2): the thread's 0-ms actions run to completion before time moves, so an
//! event can only interrupt the thread at an action that takes time (MENU, PLAY, MUSIC, a WAIT of
//! more than 0 s) or while it is idle. From such a *waiting* pair: the answer while QUEUED (→
//! ONANSWER, or idle when there is none: A-4), a signal while AGENT and a Signal button is On
//! (→ ONSIGNAL, once per button that is On), the release at any time before release (→ ONRELEASE,
//! or the end of the contact).

use crate::source::hash::FxBuild;
use std::collections::HashMap;
use std::collections::VecDeque;
use std::num::NonZeroU32;

use super::infer::{Facts, STATEMENT_VAR};
use crate::script::{ActionIx, Event, Kind, OnOff, Record, Script};

/// "Which action caused it" in [`State`]: an [`ActionIx`] stored with a niche (index + 1 in a
/// `NonZeroU32`), so `Option<Cause>` is 4 bytes, like the bare `u32` with a `u32::MAX` "none"
/// marker it replaces. `State` is copied and hashed for every explored pair, so its size is
/// the analysis' memory and time; "none" is still `None`, never a magic number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cause(NonZeroU32);

impl Cause {
    pub fn new(ix: ActionIx) -> Cause {
        // A script with u32::MAX actions cannot be loaded (the file alone would not fit).
        Cause(NonZeroU32::new(ix.0.wrapping_add(1)).expect("action indices are below u32::MAX"))
    }

    /// The action.
    pub fn ix(self) -> ActionIx {
        ActionIx(self.0.get() - 1)
    }
}

/// The consent MENU whose declining branch was taken last ([`State::declined`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Declined {
    pub menu: Cause,
    /// Index of that branch in the MENU's branches; `None`: an unlisted default (no input and
    /// no `default` branch wired).
    pub branch: Option<u32>,
}

/// Scripts with at most this many LOGRECORDINGPRO / RECORDAGENTONLY actions keep provenance in
/// the fixed point (see `State::key`).
pub const PRECISE_SOURCES: usize = 12;

/// Upper bound on explored pairs: a guard, far above what the bounded lattice produces on real
/// scripts; when hit, [`Reach::truncated`] is set and lint says so.
pub const MAX_NODES: usize = 4_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phase {
    Ivr,
    Queued,
    Agent,
}

/// What `RecordingStatementId` holds (R13), as far as saving it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StmtId {
    /// Empty, or saved into a `Global:` variable: nothing can be lost.
    Clear,
    /// A fresh id not copied anywhere yet.
    Unsaved,
    /// Copied, but only into a non-global variable.
    Local,
}

/// The abstract recording state of one contact at one point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct State {
    pub phase: Phase,
    /// Released: the ONRELEASE thread (if any) is running. `phase` keeps the phase at release
    /// (`Agent` = the call had been answered).
    pub released: bool,
    pub dnr: bool,
    /// IVR phase: the LOGRECORDINGPRO Start whose IVR recording is active (R4).
    pub ivr_start: Option<Cause>,
    /// That Start will also arm agent recording at REQAGENT: no IVR media ran since.
    pub pending: bool,
    /// The Studio action (Start or RECORDAGENTONLY) that armed agent recording (R3, R5).
    pub armed: Option<Cause>,
    /// The armed mode is agent-only (A-7: the last arming action decides).
    pub agent_only: bool,
    /// The LOGRECORDINGPRO Stop that disabled recording policies (R6).
    pub stopped: Option<Cause>,
    /// The consent MENU whose declining branch was taken last, and which branch.
    pub declined: Option<Declined>,
    /// Some consent MENU has been answered on this path.
    pub consent_answered: bool,
    /// A recorded statement is open (R13).
    pub stmt_open: bool,
    /// The open statement may have lasted some time: the thread waited (an action that takes
    /// time, or idle until an event) since its Start. One that ends before any time passes is
    /// no statement (SEMANTICS §4, A-21): its id cannot be lost.
    pub stmt_timed: bool,
    pub stmt: StmtId,
    /// The open statement's id left `RecordingStatementId` (overwritten by a LOGRECORDINGPRO
    /// without the statement flag) before any time passed: `Unsaved` / `Local` as it was then.
    /// It is lost if time passes before the statement ends; `Clear`: none.
    pub stmt_orphan: StmtId,
    /// The statement Start whose id `stmt` (or `stmt_orphan`) describes.
    pub stmt_src: Option<Cause>,
    /// The LOGRECORDINGPRO call Start whose recording (`ivr_start` in the IVR, `armed` after)
    /// has lasted no time yet: no time passed while it recorded since it ran. One that ends
    /// before any time passes (DONOTRECORD, Stop, the call ends) recorded nothing (§4, A-23).
    pub rec_fresh: Option<Cause>,
    /// The running thread was started by ONSIGNAL.
    pub in_signal: bool,
    /// The button whose press started the ONSIGNAL thread (index in [`Facts::buttons`];
    /// `None`: unknown, e.g. a signal from another script).
    pub signal: Option<u8>,
    /// MAX buttons that are On (bit = button index in [`Facts::buttons`]).
    pub buttons: u64,
    /// The active event-handler set (0 = the entry script's; a RUNSCRIPT switches it:
    /// [`crate::library::link`]).
    pub handlers: u8,
}

impl State {
    /// The state at arrival.
    pub fn initial() -> State {
        State {
            phase: Phase::Ivr,
            released: false,
            dnr: false,
            ivr_start: None,
            pending: false,
            armed: None,
            agent_only: false,
            stopped: None,
            declined: None,
            consent_answered: false,
            stmt_open: false,
            stmt_timed: false,
            stmt: StmtId::Clear,
            stmt_orphan: StmtId::Clear,
            stmt_src: None,
            rec_fresh: None,
            in_signal: false,
            signal: None,
            buttons: 0,
            handlers: 0,
        }
    }

    /// Drop what can no longer matter, so equivalent states are equal (keeps the count small).
    fn normalize(mut self) -> State {
        if self.phase != Phase::Ivr || self.released {
            self.ivr_start = None;
            self.pending = false;
        }
        if self.dnr {
            self.ivr_start = None;
            self.pending = false;
            self.armed = None;
            self.agent_only = false;
            self.stopped = None;
        }
        if self.armed.is_none() {
            self.agent_only = false;
        }
        // A refusal matters until the call ends or DONOTRECORD runs: recording after the answer
        // (a consent question in ONANSWER, a Start after RECORDAGENTONLY) still records the caller.
        if self.dnr || self.released {
            self.declined = None;
        }
        if !self.stmt_open {
            self.stmt_timed = false;
            self.stmt_orphan = StmtId::Clear;
        }
        if self.stmt == StmtId::Clear && self.stmt_orphan == StmtId::Clear {
            self.stmt_src = None;
        }
        if !self.in_signal {
            self.signal = None;
        }
        // A fresh Start matters only while the recording it started (or armed) goes on.
        if self.released || (self.rec_fresh != self.ivr_start && self.rec_fresh != self.armed) {
            self.rec_fresh = None;
        }
        self
    }

    /// May a call recording be active right now (R4, R3, R8; R14)? `policies` = the tenant has a
    /// recording policy that can record.
    pub fn may_record(&self, policies: bool) -> bool {
        if self.dnr || self.released {
            return false;
        }
        match self.phase {
            Phase::Ivr => self.ivr_start.is_some(),
            Phase::Queued => false,
            Phase::Agent => self.armed.is_some() || (self.stopped.is_none() && policies),
        }
    }

    pub fn id_at_risk(&self) -> bool {
        self.stmt != StmtId::Clear
    }

    /// The open statement has lasted no time yet.
    pub fn stmt_untimed(&self) -> bool {
        self.stmt_open && !self.stmt_timed
    }

    /// The state once time has passed (the thread waited): the open statement has some length,
    /// and an orphaned id (see [`State::stmt_orphan`]) is now lost — reported at the waiting pair.
    fn waited(mut self) -> State {
        if self.stmt_open {
            self.stmt_timed = true;
            self.stmt_orphan = StmtId::Clear;
        }
        // A recording running now has a length; one armed while queued starts at the answer.
        if self.phase != Phase::Queued {
            self.rec_fresh = None;
        }
        self
    }

    /// The open statement ends now (DONOTRECORD, the call ends): one that lasted no time is no
    /// statement, so its id is no longer at risk.
    fn end_statement(&mut self) {
        if self.stmt_untimed() {
            self.stmt = StmtId::Clear;
            self.stmt_orphan = StmtId::Clear;
        }
        self.stmt_open = false;
    }

    /// What distinguishes two states for the fixed point. With `precise` (scripts with at most
    /// [`PRECISE_SOURCES`] recording actions — real scripts), everything, provenance included, so
    /// every source of a problem gets its own finding. Otherwise everything but *which* action
    /// caused an armed / stopped / IVR recording or a statement (only whether there is one):
    /// those fields are then carried along from the first (shortest) path that reached the state,
    /// so they still agree with the counterexample path, and the number of states per point is
    /// bounded by a lattice of booleans and small enums whatever the size of the script.
    fn key(&self, precise: bool) -> StateKey {
        // 0 = none; precise: index + 1, else 1 = some.
        let who = |v: Option<Cause>| match v {
            None => 0,
            Some(c) if precise => c.0.get(),
            Some(_) => 1,
        };
        StateKey {
            sources: [
                who(self.ivr_start),
                who(self.armed),
                who(self.stopped),
                who(self.stmt_src),
                who(self.rec_fresh),
            ],
            bits: (self.phase as u32)
                | (self.released as u32) << 2
                | (self.dnr as u32) << 3
                | (self.ivr_start.is_some() as u32) << 4
                | (self.pending as u32) << 5
                | (self.armed.is_some() as u32) << 6
                | (self.agent_only as u32) << 7
                | (self.stopped.is_some() as u32) << 8
                | (self.consent_answered as u32) << 9
                | (self.stmt_open as u32) << 10
                | (self.stmt as u32) << 11
                | (self.in_signal as u32) << 13
                | (self.stmt_timed as u32) << 14
                | (self.stmt_orphan as u32) << 15,
            declined: self.declined,
            signal: self.signal,
            buttons: self.buttons,
            handlers: self.handlers,
        }
    }
}

/// The fixed-point identity of a [`State`] (see [`State::key`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct StateKey {
    /// Provenance (`ivr_start`, `armed`, `stopped`, `stmt_src`, `rec_fresh`): 0 for none, else
    /// the action (index + 1), or 1 for "some" when the script has many recording actions.
    sources: [u32; 5],
    bits: u32,
    declined: Option<Declined>,
    signal: Option<u8>,
    buttons: u64,
    handlers: u8,
}

/// Where the thread is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Point {
    /// About to run this action (the state is the state before it).
    Action(ActionIx),
    /// The agent answers (state just before).
    Answer,
    /// The call is released (state just before).
    Release,
    /// The thread is not running (ended or parked); only an event moves on.
    Idle,
    /// The contact is over (after the ONRELEASE thread, or at release without ONRELEASE).
    End,
}

/// How a pair was reached from its predecessor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// Took the branch with this index of the predecessor action.
    /// `u32`, not `u16`: a CASE can have more than 65 535 branches within the load limits, and a
    /// wrapped index would name the wrong branch in the counterexample.
    Branch(u32),
    /// Took an unlisted default / ran out of actions / END / HANGUP.
    Implicit,
    /// An event (answer, signal, release) or a virtual step.
    Event,
}

pub type NodeId = u32;

/// Everything reachable, with shortest-path predecessors.
#[derive(Debug, Default)]
pub struct Reach {
    pub nodes: Vec<(Point, State)>,
    pub pred: Vec<Option<(NodeId, Via)>>,
    /// Node ids per action (in discovery order = shortest path first).
    pub by_action: Vec<Vec<NodeId>>,
    /// Node ids at each virtual point.
    pub answers: Vec<NodeId>,
    pub releases: Vec<NodeId>,
    pub ends: Vec<NodeId>,
    pub truncated: bool,
    /// Per action: a LOGRECORDINGPRO call Start whose recording went on for some time (the
    /// thread waited while it recorded) before any consent question was answered. One stopped
    /// before any time passes recorded nothing.
    pub start_timed_early: Vec<bool>,
    /// Per action: a LOGRECORDINGPRO call Start whose IVR recording is still running when a
    /// consent question is asked after an earlier one was answered — the first such question
    /// pair. The contact is judged by its last answer, so what the Start records before
    /// that question is answered is recorded before consent, whatever the earlier answer was.
    pub recording_at_later_question: Vec<Option<NodeId>>,
    /// Keep every action of a counterexample path (`lint --full-paths`); by default a long
    /// straight run is elided ([`Step::Elided`]), so output stays linear in the script's size.
    pub full_paths: bool,
    /// Built on the first path asked for ([`PathIndex`]).
    paths: std::cell::OnceCell<PathIndex>,
}

/// Per-node facts, from one pass over the predecessor tree, that let [`Reach::path_keeping`]
/// build a path by jumping from one kept step (a branch chosen, an event, a change of file) to
/// the one before, instead of walking every action back to BEGIN: a finding costs its path's
/// decisions, not its length (issue 21, F03: findings × depth made lint of a 20 000-action
/// chain take 2.5 s).
#[derive(Debug, Default)]
struct PathIndex {
    /// Nodes from the start to this one (the start: 0).
    depth: Vec<u32>,
    /// A skew-binary jump pointer (Myers 1983): an ancestor, so that the ancestor at any depth
    /// is found in O(log depth) steps ([`PathIndex::ancestor_at`]).
    jump: Vec<NodeId>,
    /// Action nodes from the start to this one, inclusive.
    acts: Vec<u32>,
    /// The nearest strict ancestor that is a kept step on the way to this node: an event, an
    /// action in another file's copy than the action before it, or an action that chose a
    /// branch (among several) to go on towards this node; with the node after it on that way.
    anchor: Vec<Option<(NodeId, NodeId)>>,
    /// The first [`ELIDED_RUN_KEEPS`] actions of the straight run from the anchor (exclusive) to this node
    /// (inclusive): the head of the run when it is elided.
    run_head: Vec<[Option<NodeId>; ELIDED_RUN_KEEPS]>,
    /// Kept steps strictly above the node on its path (the anchors up to the start).
    kept: Vec<u32>,
    /// The [`MAX_PATH_STEPS`]` / 2`-th kept step from the start above the node, when it has
    /// that many, with the node after it: the first half of a long path ends there.
    first_kept: Vec<Option<(NodeId, NodeId)>>,
    /// The node is a kept step whatever follows it: an event, or a change of file.
    self_kept: Vec<bool>,
    /// The node was reached from an action with several branches by one of them: that action
    /// chose (a kept step, with the branch's name).
    chose: Vec<bool>,
}

impl PathIndex {
    fn build(reach: &Reach, script: &Script) -> PathIndex {
        let n = reach.nodes.len();
        // The file of each action's copy (the id's prefix before `:` in a linked script).
        let mut files: HashMap<&str, u32, FxBuild> = HashMap::default();
        let file: Vec<Option<u32>> = script
            .actions
            .iter()
            .map(|a| {
                a.id.split_once(':').map(|(f, _)| {
                    let next = files.len() as u32;
                    *files.entry(f).or_insert(next)
                })
            })
            .collect();
        let mut ix = PathIndex {
            depth: Vec::with_capacity(n),
            jump: Vec::with_capacity(n),
            acts: Vec::with_capacity(n),
            anchor: Vec::with_capacity(n),
            run_head: Vec::with_capacity(n),
            kept: Vec::with_capacity(n),
            first_kept: Vec::with_capacity(n),
            self_kept: Vec::with_capacity(n),
            chose: Vec::with_capacity(n),
        };
        // The file of the last action on the way to each node (`None`: no action yet).
        let mut last_file: Vec<Option<Option<u32>>> = Vec::with_capacity(n);
        for c in 0..n {
            let point = reach.nodes[c].0;
            let here = match point {
                Point::Action(a) => Some(file[a.index()]),
                _ => None,
            };
            let event = matches!(point, Point::Answer | Point::Release | Point::End);
            match reach.pred[c] {
                None => {
                    ix.depth.push(0);
                    ix.jump.push(c as NodeId);
                    ix.acts.push(here.is_some() as u32);
                    ix.anchor.push(None);
                    let mut head = [None; ELIDED_RUN_KEEPS];
                    head[0] = here.map(|_| c as NodeId);
                    ix.run_head.push(head);
                    ix.kept.push(0);
                    ix.first_kept.push(None);
                    ix.self_kept.push(event);
                    ix.chose.push(false);
                    last_file.push(here);
                }
                Some((p, via)) => {
                    let p = p as usize;
                    let chose = matches!((via, reach.nodes[p].0), (Via::Branch(_), Point::Action(a))
                        if script.action(a).branches.len() > 1);
                    let crossing = here.is_some() && last_file[p].is_some_and(|f| Some(f) != here);
                    let j = ix.jump[p] as usize;
                    let jj = ix.jump[j] as usize;
                    let jump = if ix.depth[p] - ix.depth[j] == ix.depth[j] - ix.depth[jj] { jj } else { p };
                    ix.depth.push(ix.depth[p] + 1);
                    ix.jump.push(jump as NodeId);
                    ix.acts.push(ix.acts[p] + here.is_some() as u32);
                    let fresh = ix.self_kept[p] || chose;
                    let anchor = if fresh { Some((p as NodeId, c as NodeId)) } else { ix.anchor[p] };
                    ix.anchor.push(anchor);
                    let mut head = if fresh { [None; ELIDED_RUN_KEEPS] } else { ix.run_head[p] };
                    if here.is_some()
                        && let Some(slot) = head.iter_mut().find(|h| h.is_none())
                    {
                        *slot = Some(c as NodeId);
                    }
                    ix.run_head.push(head);
                    let kept = anchor.map_or(0, |(a, _)| ix.kept[a as usize] + 1);
                    let half = (MAX_PATH_STEPS / 2) as u32;
                    ix.kept.push(kept);
                    ix.first_kept.push(match anchor {
                        Some(a) if kept == half => Some(a),
                        Some((a, _)) if kept > half => ix.first_kept[a as usize],
                        _ => None,
                    });
                    ix.self_kept.push(event || crossing);
                    ix.chose.push(chose);
                    last_file.push(here.or(last_file[p]));
                }
            }
        }
        ix
    }

    /// The ancestor (or self) of `v` at depth `d` (at most `v`'s depth).
    fn ancestor_at(&self, pred: &[Option<(NodeId, Via)>], mut v: NodeId, d: u32) -> NodeId {
        while self.depth[v as usize] > d {
            count_path_work(1);
            let j = self.jump[v as usize];
            v = if self.depth[j as usize] >= d { j } else { pred[v as usize].expect("below the start").0 };
        }
        v
    }
}

/// One piece of a path being built by [`Reach::path_keeping`], from its end.
enum Piece {
    /// A kept step: the node, and the node after it on the path (which says the branch taken).
    Kept(NodeId, Option<NodeId>),
    /// A straight run: `len` actions after node `after` (the start when `None`), up to `last`.
    Run { after: Option<NodeId>, last: NodeId, len: u32 },
}

/// A straight run (actions that chose no branch) longer than this is elided from a path...
pub const ELIDE_RUNS_OVER: usize = 6;
/// ...keeping this many actions at each end of it.
pub const ELIDED_RUN_KEEPS: usize = 2;
/// A path still longer than this many steps (many decisions) keeps its first and last half and
/// elides the middle, so one finding's output is bounded whatever the script.
pub const MAX_PATH_STEPS: usize = 24;

/// One step of a counterexample path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// An action ran; `branch` = the branch it left by, when it matters (a choice).
    Action { action: ActionIx, branch: Option<String> },
    /// A virtual point: "agent answers", "call released", "contact ends".
    Event(&'static str),
    /// This many straight actions (no branch chosen) not shown: `… 37 actions …` (issue 21,
    /// F04: a finding 15 000 actions down a chain printed all 15 000; `--full-paths` keeps them).
    Elided(u32),
}

/// Analysis inputs that are not the script.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Recording policies may record an agent segment (false with a tenant whose policies are
    /// all 0 % or absent).
    pub policies_record: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { policies_record: true }
    }
}

/// Event handlers across scripts (from [`crate::library::link::Linked`]): the handler sets, and
/// per action the set a RUNSCRIPT makes active. One script alone has one set and no switches.
#[derive(Clone, Copy, Debug, Default)]
pub struct HandlerSets<'a> {
    pub sets: &'a [crate::library::link::Handlers],
    /// Per action (empty = none switches).
    pub switch: &'a [Option<u8>],
}

struct Explorer<'a> {
    script: &'a Script,
    facts: &'a Facts,
    /// `[set] → [answer, release, signal]`.
    handler_sets: Vec<[Option<ActionIx>; 3]>,
    switch: &'a [Option<u8>],
    /// Bitmask of buttons whose press sends a signal.
    signal_buttons: u64,
    /// Per action: the kinds it may run as when a recording property is a `{var}` template
    /// (issue 11 point 4: a templated `Record` may start or stop); `None` = its own kind.
    alternatives: Vec<Option<Vec<Kind>>>,
    precise: bool,
    index: HashMap<(Point, StateKey), NodeId, FxBuild>,
    reach: Reach,
    queue: VecDeque<NodeId>,
}

/// Run the analysis.
pub fn analyze(script: &Script, facts: &Facts) -> Reach {
    analyze_with(script, facts, HandlerSets::default())
}

thread_local! {
    /// Analyses run on this thread ([`passes`]).
    static PASSES: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many analyses this thread has run: what `lint` and `lint --fix` cost is a handful of
/// analyses of the script, whatever its number of findings (issue 21, F03) — tests count them
/// instead of timing them.
pub fn passes() -> u64 {
    PASSES.with(std::cell::Cell::get)
}

thread_local! {
    /// Jumps made building paths on this thread ([`path_work`]).
    static PATH_WORK: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many nodes [`Reach::path_keeping`] has visited on this thread (jumps, ancestor steps, the
/// actions of the runs it shows): what a finding's path costs, counted instead of timed
/// (issue 21, F03: it must not grow with the path's length).
#[doc(hidden)]
pub fn path_work() -> u64 {
    PATH_WORK.with(std::cell::Cell::get)
}

fn count_path_work(n: u64) {
    PATH_WORK.with(|w| w.set(w.get() + n));
}

/// Run the analysis over a linked script whose RUNSCRIPTs switch the active event handlers.
pub fn analyze_with(script: &Script, facts: &Facts, handlers: HandlerSets<'_>) -> Reach {
    PASSES.with(|p| p.set(p.get() + 1));
    let mut signal_buttons = 0u64;
    for (i, b) in facts.buttons.iter().enumerate().take(super::infer::MAX_BUTTONS) {
        if b.signal {
            signal_buttons |= 1 << i;
        }
    }
    let mut ex = Explorer {
        script,
        facts,
        handler_sets: if handlers.sets.is_empty() {
            vec![[script.event(Event::Answer), script.event(Event::Release), script.event(Event::Signal)]]
        } else {
            handlers.sets.iter().map(|h| [h.answer, h.release, h.signal]).collect()
        },
        switch: handlers.switch,
        signal_buttons,
        alternatives: script.actions.iter().map(super::templated::alternatives).collect(),
        precise: script
            .actions
            .iter()
            .filter(|a| matches!(a.kind, Kind::LogRecordingPro(_) | Kind::RecordAgentOnly))
            .count()
            <= PRECISE_SOURCES,
        index: HashMap::default(),
        reach: Reach {
            by_action: vec![Vec::new(); script.actions.len()],
            start_timed_early: vec![false; script.actions.len()],
            recording_at_later_question: vec![None; script.actions.len()],
            ..Reach::default()
        },
        queue: VecDeque::new(),
    };
    ex.visit(Point::Action(script.begin()), State::initial(), None);
    while let Some(id) = ex.queue.pop_front() {
        if ex.reach.nodes.len() >= MAX_NODES {
            ex.reach.truncated = true;
            break;
        }
        let (point, state) = ex.reach.nodes[id as usize];
        ex.expand(id, point, state);
    }
    ex.reach
}

impl Explorer<'_> {
    fn handler(&self, s: &State, e: Event) -> Option<ActionIx> {
        let set = &self.handler_sets[(s.handlers as usize).min(self.handler_sets.len() - 1)];
        match e {
            Event::Answer => set[0],
            Event::Release => set[1],
            Event::Signal => set[2],
        }
    }

    fn visit(&mut self, point: Point, state: State, pred: Option<(NodeId, Via)>) {
        let state = state.normalize();
        let id = self.reach.nodes.len() as NodeId;
        match self.index.entry((point, state.key(self.precise))) {
            std::collections::hash_map::Entry::Occupied(_) => return,
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(id);
            }
        }
        self.reach.nodes.push((point, state));
        self.reach.pred.push(pred);
        match point {
            Point::Action(ix) => self.reach.by_action[ix.index()].push(id),
            Point::Answer => self.reach.answers.push(id),
            Point::Release => self.reach.releases.push(id),
            Point::End => self.reach.ends.push(id),
            Point::Idle => {}
        }
        self.queue.push_back(id);
    }

    fn expand(&mut self, id: NodeId, point: Point, s: State) {
        let ev = Some((id, Via::Event));
        match point {
            Point::Action(ix) => self.run_action(id, ix, s),
            Point::Idle => {
                self.note_wait(&s);
                self.events(id, s.waited())
            }
            Point::Answer => {
                let mut t = s;
                t.phase = Phase::Agent;
                t.in_signal = false;
                match self.handler(&s, Event::Answer) {
                    Some(on) => self.visit(Point::Action(on), t, ev),
                    None => self.visit(Point::Idle, t, ev),
                }
            }
            Point::Release => {
                let mut t = s;
                t.released = true;
                t.in_signal = false;
                // The call has ended: so has any open statement (R13); its id stays in the variable.
                t.end_statement();
                match self.handler(&s, Event::Release) {
                    Some(on) => self.visit(Point::Action(on), t, ev),
                    None => self.visit(Point::End, t, ev),
                }
            }
            Point::End => {}
        }
    }

    /// Events that can fire while the thread waits in state `s`.
    fn events(&mut self, id: NodeId, s: State) {
        if s.released {
            return;
        }
        let ev = Some((id, Via::Event));
        if s.phase == Phase::Queued {
            self.visit(Point::Answer, s, ev);
        }
        if s.phase == Phase::Agent
            && let Some(on) = self.handler(&s, Event::Signal)
        {
            let mut t = s;
            t.in_signal = true;
            if self.signal_buttons == 0 {
                // No Signal button: a signal can still come from elsewhere (another script, the
                // API) — enter ONSIGNAL with unknown parameters.
                t.signal = None;
                self.visit(Point::Action(on), t, ev);
            } else {
                let mut on_buttons = s.buttons & self.signal_buttons;
                while on_buttons != 0 {
                    let b = on_buttons.trailing_zeros();
                    on_buttons &= on_buttons - 1;
                    t.signal = Some(b as u8);
                    self.visit(Point::Action(on), t, ev);
                }
            }
        }
        self.visit(Point::Release, s, ev);
    }

    /// The thread ends (unwired branch, out of actions): SEMANTICS §2.
    fn thread_end(&mut self, id: NodeId, s: State, via: Via) {
        let p = Some((id, via));
        if s.released {
            self.visit(Point::End, s, p);
        } else if s.phase == Phase::Ivr {
            // In the IVR the caller is left with nothing and hangs up.
            self.visit(Point::Release, s, p);
        } else {
            self.visit(Point::Idle, s, p);
        }
    }

    fn run_action(&mut self, id: NodeId, ix: ActionIx, s: State) {
        // A templated recording property: explore every value it can take.
        let n = self.alternatives[ix.index()].as_ref().map_or(0, Vec::len);
        if n == 0 {
            let kind = &self.script.action(ix).kind;
            return self.run_action_as(id, ix, s, kind);
        }
        for k in 0..n {
            let kind = self.alternatives[ix.index()].as_ref().map(|v| v[k].clone());
            if let Some(kind) = kind {
                self.run_action_as(id, ix, s, &kind);
            }
        }
    }

    /// Run action `ix` as `kind` (its own, or one value of a templated property).
    fn run_action_as(&mut self, id: NodeId, ix: ActionIx, s: State, kind: &Kind) {
        let me = Some(Cause::new(ix));
        let waits = !s.released && takes_time(kind);
        // Time passes while it runs (A-21: the open statement now has a length; A-23: so has a
        // fresh call recording).
        if waits {
            self.note_wait(&s);
            self.note_later_question(id, ix, &s);
        }
        let s = if waits { s.waited() } else { s };
        if waits {
            self.events(id, s);
        }
        let mut t = s;
        if let Some(Some(h)) = self.switch.get(ix.index()) {
            // RUNSCRIPT: the target script's event actions are the handlers from now on.
            t.handlers = *h;
        }
        match kind {
            Kind::End => {
                let p = Some((id, Via::Implicit));
                if s.released {
                    self.visit(Point::End, s, p);
                } else if s.phase == Phase::Agent {
                    self.visit(Point::Idle, s, p);
                } else {
                    // Before the answer END also ends the call.
                    self.visit(Point::Release, s, p);
                }
                return;
            }
            Kind::Hangup => {
                let p = Some((id, Via::Implicit));
                self.visit(if s.released { Point::End } else { Point::Release }, s, p);
                return;
            }
            Kind::Menu(_) | Kind::Play { .. } if !s.released && s.phase == Phase::Ivr => {
                // IVR media after an IVR Start: that Start will not arm the agent segment.
                t.pending = false;
            }
            Kind::ReqAgent { .. } if !s.released && s.phase == Phase::Ivr => {
                t.phase = Phase::Queued;
                if s.pending && !s.dnr {
                    t.armed = s.ivr_start;
                    t.agent_only = false;
                    t.stopped = None;
                }
            }
            Kind::DoNotRecord if !s.released => {
                t.dnr = true;
                t.end_statement();
            }
            Kind::RecordAgentOnly if !s.released && !s.dnr => {
                t.armed = me;
                t.agent_only = true;
                t.pending = false;
            }
            Kind::LogRecordingPro(l) if !s.released || l.use_statement_id => {
                if l.use_statement_id {
                    match l.record {
                        Record::Start if !s.dnr && !s.released => {
                            // Supersedes the open statement (lost or not: `losses` judges the
                            // pre-state here; one that lasted no time is no statement, A-21).
                            t.stmt_open = true;
                            t.stmt_timed = false;
                            t.stmt_orphan = StmtId::Clear;
                            t.stmt = StmtId::Unsaved;
                            t.stmt_src = me;
                        }
                        Record::Start => t.stmt = StmtId::Clear,
                        Record::Stop => {
                            t.stmt_open = false;
                            t.stmt = StmtId::Clear;
                        }
                    }
                } else {
                    // Any LOGRECORDINGPRO without the flag clears the statement id (R13). The
                    // open statement goes on: if it has lasted no time yet, whether its id is
                    // lost depends on whether it ever does.
                    if s.stmt_untimed() && s.stmt != StmtId::Clear {
                        t.stmt_orphan = s.stmt;
                    }
                    t.stmt = StmtId::Clear;
                    match l.record {
                        Record::Start if !s.dnr => match s.phase {
                            Phase::Ivr => {
                                t.ivr_start = me;
                                t.pending = true;
                                t.rec_fresh = me;
                            }
                            Phase::Queued | Phase::Agent => {
                                t.armed = me;
                                t.agent_only = false;
                                t.stopped = None;
                                t.rec_fresh = me;
                            }
                        },
                        Record::Start => {}
                        Record::Stop => {
                            t.ivr_start = None;
                            t.pending = false;
                            t.armed = None;
                            t.stopped = me;
                        }
                    }
                }
            }
            Kind::LogRecordingPro(_) => {
                if s.stmt_untimed() && s.stmt != StmtId::Clear {
                    t.stmt_orphan = s.stmt;
                }
                t.stmt = StmtId::Clear;
            }
            Kind::Indicate(ind) => {
                if let Some(b) = self.facts.button_of[ix.index()] {
                    match ind.state {
                        OnOff::On => t.buttons |= 1 << b,
                        OnOff::Off => t.buttons &= !(1 << b),
                    }
                }
            }
            Kind::Assign { .. } | Kind::Snippet(_) => {
                if self.facts.saves_id[ix.index()] {
                    t.stmt = StmtId::Clear;
                }
                for c in &self.facts.copies[ix.index()] {
                    let from_id = c.copies(STATEMENT_VAR)
                        || (t.stmt == StmtId::Local
                            && c.sources.iter().any(|v| self.facts.is_local_id_var(v)));
                    if from_id && t.stmt != StmtId::Clear {
                        t.stmt = if c.target_is_global() { StmtId::Clear } else { StmtId::Local };
                    }
                }
            }
            _ => {}
        }
        self.branches(id, ix, s, t);
    }

    /// The thread waits in state `s` (time passes): a fresh call Start whose recording runs
    /// now — in the IVR, or during the talk — has recorded something; while queued an
    /// armed Start records nothing yet (it starts at the answer).
    fn note_wait(&mut self, s: &State) {
        let Some(start) = s.rec_fresh else { return };
        let live = match s.phase {
            Phase::Ivr => s.ivr_start == Some(start),
            Phase::Queued => false,
            Phase::Agent => s.armed == Some(start),
        };
        if live && !s.dnr && !s.released && !s.consent_answered {
            self.reach.start_timed_early[start.ix().index()] = true;
        }
    }

    /// A consent question `ix` is asked (pair `id`, state `s`) after an earlier one was answered,
    /// while an IVR call recording runs: it records the caller before this (last) answer.
    /// Before any answer, [`Explorer::note_wait`] already counts the wait.
    fn note_later_question(&mut self, id: NodeId, ix: ActionIx, s: &State) {
        if self.facts.consent[ix.index()].is_none() || !s.consent_answered || s.dnr || s.released {
            return;
        }
        if s.phase == Phase::Ivr
            && let Some(start) = s.ivr_start
        {
            self.reach.recording_at_later_question[start.ix().index()].get_or_insert(id);
        }
    }

    /// Follow every branch the action can take from pre-state `s` with post-state `t`.
    fn branches(&mut self, id: NodeId, ix: ActionIx, s: State, t: State) {
        let a = self.script.action(ix);
        let consent = self.facts.consent[ix.index()].as_ref().filter(|_| !s.released);
        // CASE on SPn inside an ONSIGNAL thread started by a known button: only its value's branch.
        let forced: Option<String> = match &a.kind {
            Kind::Case { variable } if t.in_signal => {
                t.signal.zip(signal_param(variable)).and_then(|(button, n)| {
                    let params = self.facts.buttons[button as usize].params.as_ref()?;
                    Some(params.get(n - 1).cloned().unwrap_or_default())
                })
            }
            _ => None,
        };
        let forced_branch = forced
            .as_ref()
            .map(|v| a.branches.iter().position(|b| b.name != "default" && b.name.eq_ignore_ascii_case(v)));
        let mut has_default = false;
        for (bi, b) in a.branches.iter().enumerate() {
            if b.name == "default" {
                has_default = true;
            }
            if !branch_possible(&a.kind, &b.name) {
                continue;
            }
            match forced_branch {
                Some(Some(f)) if f != bi => continue,
                Some(None) if b.name != "default" => continue,
                _ => {}
            }
            let mut u = t;
            if let Some(c) = consent {
                u.consent_answered = true;
                // `default` is taken on no input, and no input never accepts (facts: every
                // outcome but the accept inputs declines, no input included) — also when an
                // inferred question lists `default` among the branches that do not decline.
                u.declined = if b.name != "default" && c.accept.contains(&b.name) {
                    None
                } else {
                    Some(Declined { menu: Cause::new(ix), branch: Some(bi as u32) })
                };
            }
            // Branch counts are far below u32::MAX (each is YAML/JSON text in memory).
            let via = Via::Branch(bi as u32);
            match b.target {
                Some(target) => self.visit(Point::Action(target), u, Some((id, via))),
                None => self.thread_end(id, u, via),
            }
        }
        let implicit_default = !has_default && !matches!(forced_branch, Some(Some(_)));
        // An action recflow does not evaluate that has wired result branches (CHECKCALLSUP
        // `Found` / `NotFound`) always takes one of them: no implicit thread end.
        let named_only = matches!(a.kind, Kind::Other) && a.branches.iter().any(|b| b.target.is_some());
        if implicit_default && !matches!(a.kind, Kind::End | Kind::Hangup) && !named_only {
            let mut u = t;
            if let Some(_c) = consent {
                u.consent_answered = true;
                u.declined = Some(Declined { menu: Cause::new(ix), branch: None });
            }
            self.thread_end(id, u, Via::Implicit);
        }
    }
}

/// Does running this action take time, so that an event can interrupt it?
pub fn takes_time(kind: &Kind) -> bool {
    match kind {
        Kind::Menu(_) | Kind::Play { .. } | Kind::Music { .. } => true,
        Kind::Wait { seconds } => *seconds > 0.0,
        _ => false,
    }
}

/// Can an action of this kind take this (listed) branch?
fn branch_possible(kind: &Kind, name: &str) -> bool {
    match kind {
        // Only SNIPPET takes `Error` among the evaluated actions; an action recflow does not
        // evaluate may take any of its branches (lint explores every wired one).
        Kind::End | Kind::Hangup => false,
        Kind::Other => true,
        _ => name != "Error" || matches!(kind, Kind::Snippet(_)),
    }
}

/// `SP1`..`SP9` → 1..9.
pub fn signal_param(variable: &str) -> Option<usize> {
    let v = variable.trim();
    let (sp, n) = v.split_at_checked(2)?;
    if !sp.eq_ignore_ascii_case("sp") || n.len() != 1 {
        return None;
    }
    n.parse::<usize>().ok().filter(|n| (1..=9).contains(n))
}

impl Reach {
    /// Number of reachable `(point, state)` pairs.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn state(&self, id: NodeId) -> &State {
        &self.nodes[id as usize].1
    }

    pub fn point(&self, id: NodeId) -> Point {
        self.nodes[id as usize].0
    }

    /// Is the action reachable at all (by the analysis)?
    pub fn reaches(&self, ix: ActionIx) -> bool {
        !self.by_action[ix.index()].is_empty()
    }

    /// Node ids from the start to `id`, inclusive.
    pub fn node_path(&self, id: NodeId) -> Vec<NodeId> {
        let mut out = vec![id];
        let mut cur = id;
        while let Some((p, _)) = self.pred[cur as usize] {
            out.push(p);
            cur = p;
        }
        out.reverse();
        out
    }

    /// The shortest counterexample path to `id` (inclusive), as steps.
    pub fn path(&self, script: &Script, id: NodeId) -> Vec<Step> {
        self.path_keeping(script, id, None)
    }

    /// [`Reach::path`], never eliding `keep` (the finding's own action) nor a step into another
    /// file's copy (a RUNSUB call or return in a linked script: the path changes files there).
    ///
    /// Built from the end by jumping from kept step to kept step over the straight runs between
    /// them ([`PathIndex`]); once the last [`MAX_PATH_STEPS`]` / 2` steps are known and at least
    /// one more kept step separates them from the first half (so the middle is elided), the
    /// first half is read from the start, and the middle is only counted. The cost of a path is
    /// bounded (a few dozen jumps, a logarithm each), whatever its length or number of
    /// decisions; the steps are those of [`Reach::path_keeping_walk`].
    pub fn path_keeping(&self, script: &Script, id: NodeId, keep: Option<ActionIx>) -> Vec<Step> {
        if self.full_paths {
            return self.path_keeping_walk(script, id, keep);
        }
        let ix = self.paths.get_or_init(|| PathIndex::build(self, script));
        let depth = |v: NodeId| ix.depth[v as usize];
        // The nodes of `keep` on this path, deepest first: kept steps too.
        let mut keeps: Vec<NodeId> = keep
            .map(|k| {
                self.by_action[k.index()]
                    .iter()
                    .copied()
                    .filter(|&m| depth(m) <= depth(id) && ix.ancestor_at(&self.pred, id, depth(m)) == m)
                    .collect()
            })
            .unwrap_or_default();
        keeps.sort_unstable_by_key(|&m| std::cmp::Reverse(depth(m)));
        let mut keeps = keeps.into_iter().peekable();
        let half = MAX_PATH_STEPS / 2;
        let mut tail: Vec<Piece> = Vec::new();
        let mut shown = 0;
        let (mut t, mut next) = (id, None::<NodeId>);
        loop {
            let is_keep = keeps.next_if_eq(&t).is_some();
            let above = {
                let mut above = ix.anchor[t as usize];
                if let Some(&k) = keeps.peek()
                    && above.is_none_or(|(a, _)| depth(k) > depth(a))
                {
                    above = Some((k, ix.ancestor_at(&self.pred, t, depth(k) + 1)));
                }
                above
            };
            shown += self.pieces_to(ix, t, next, is_keep, above.map(|(a, _)| a), &mut tail);
            let Some((a, after_a)) = above else { break };
            next = Some(after_a);
            t = a;
            // The last `half` steps are known, and `a` (not shown among them) has the first
            // `half` kept steps above it: the path has more than MAX_PATH_STEPS steps.
            if shown >= half && keeps.peek().is_none() && ix.kept[a as usize] >= half as u32 {
                let (mut u, mut after) = ix.first_kept[a as usize].expect("kept steps above");
                let mut head: Vec<Piece> = Vec::new();
                loop {
                    let up = ix.anchor[u as usize];
                    self.pieces_to(ix, u, Some(after), true, up.map(|(a, _)| a), &mut head);
                    let Some((up, next_up)) = up else { break };
                    (u, after) = (up, next_up);
                }
                let mut head = self.render(script, ix, head);
                head.truncate(half);
                let mut last = self.render(script, ix, tail);
                let last = last.split_off(last.len() - half);
                let middle = ix.acts[id as usize] - actions_shown(&head) - actions_shown(&last);
                head.push(Step::Elided(middle));
                head.extend(last);
                return head;
            }
        }
        let mut out = self.render(script, ix, tail);
        truncate_middle(&mut out);
        out
    }

    /// Push the pieces of the path from the kept step `above` (exclusive; the start when `None`)
    /// to `t` (inclusive), last first: `t` itself when it is a kept step (`keep`, an event, a
    /// change of file, or it chose a branch to go on to `next`), and the straight run before it.
    /// Returns the number of steps they show.
    fn pieces_to(
        &self,
        ix: &PathIndex,
        t: NodeId,
        next: Option<NodeId>,
        keep: bool,
        above: Option<NodeId>,
        out: &mut Vec<Piece>,
    ) -> usize {
        count_path_work(1);
        let mut shown = 0;
        let kept = keep || ix.self_kept[t as usize] || next.is_some_and(|c| ix.chose[c as usize]);
        let last = if kept {
            out.push(Piece::Kept(t, next));
            shown += 1;
            self.pred[t as usize].map(|(p, _)| p)
        } else {
            Some(t)
        };
        if let Some(last) = last {
            let len = ix.acts[last as usize] - above.map_or(0, |a| ix.acts[a as usize]);
            if len > 0 {
                out.push(Piece::Run { after: above, last, len });
                shown += if len as usize > ELIDE_RUNS_OVER { 2 * ELIDED_RUN_KEEPS + 1 } else { len as usize };
            }
        }
        shown
    }

    /// The steps of pieces pushed last first by [`Reach::pieces_to`].
    fn render(&self, script: &Script, ix: &PathIndex, pieces: Vec<Piece>) -> Vec<Step> {
        let action_at = |n: NodeId| match self.point(n) {
            Point::Action(a) => Some(a),
            _ => None,
        };
        let straight = |a: ActionIx| Step::Action { action: a, branch: None };
        // The last `k` actions of a run ending at `last`, in order.
        let tail = |last: NodeId, k: u32, out: &mut Vec<Step>| {
            let mut got: Vec<ActionIx> = Vec::with_capacity(k as usize);
            let mut v = Some(last);
            while let Some(n) = v
                && (got.len() as u32) < k
            {
                count_path_work(1);
                got.extend(action_at(n));
                v = self.pred[n as usize].map(|(p, _)| p);
            }
            out.extend(got.into_iter().rev().map(straight));
        };
        let mut out: Vec<Step> = Vec::with_capacity(64);
        for piece in pieces.into_iter().rev() {
            match piece {
                Piece::Kept(n, next) => match self.point(n) {
                    Point::Action(a) => {
                        let branch = next.filter(|&c| ix.chose[c as usize]).and_then(|c| {
                            match self.pred[c as usize] {
                                Some((_, Via::Branch(bi))) => {
                                    Some(script.action(a).branches[bi as usize].name.clone())
                                }
                                _ => None,
                            }
                        });
                        out.push(Step::Action { action: a, branch });
                    }
                    p => out.extend(event_name(p).map(Step::Event)),
                },
                Piece::Run { after, last, len } if len as usize > ELIDE_RUNS_OVER => {
                    if after == ix.anchor[last as usize].map(|(a, _)| a) {
                        // The run from the anchor: its head is known.
                        out.extend(
                            ix.run_head[last as usize]
                                .iter()
                                .flatten()
                                .filter_map(|&n| action_at(n))
                                .map(straight),
                        );
                    } else {
                        // After a node of `keep` inside the run: ancestors of `last` by depth.
                        let mut d = after.map_or(0, |a| ix.depth[a as usize] + 1);
                        let mut head = 0;
                        while head < ELIDED_RUN_KEEPS {
                            if let Some(a) = action_at(ix.ancestor_at(&self.pred, last, d)) {
                                out.push(straight(a));
                                head += 1;
                            }
                            d += 1;
                        }
                    }
                    out.push(Step::Elided(len - 2 * ELIDED_RUN_KEEPS as u32));
                    tail(last, ELIDED_RUN_KEEPS as u32, &mut out);
                }
                Piece::Run { last, len, .. } => tail(last, len, &mut out),
            }
        }
        out
    }

    /// [`Reach::path_keeping`] by walking every node of the path: the reference the indexed form
    /// is tested against (`tests/lint_analysis.rs`), and `--full-paths`.
    #[doc(hidden)]
    pub fn path_keeping_walk(&self, script: &Script, id: NodeId, keep: Option<ActionIx>) -> Vec<Step> {
        let nodes = self.node_path(id);
        // The branch an action left by, named only where it chose among several.
        let branch_at = |k: usize, a: &crate::script::Action| {
            nodes.get(k + 1).and_then(|&next| match self.pred[next as usize] {
                Some((_, Via::Branch(bi))) if a.branches.len() > 1 => {
                    Some(a.branches[bi as usize].name.clone())
                }
                _ => None,
            })
        };
        let event = |p: Point| match p {
            Point::Answer => Some("agent answers"),
            Point::Release => Some("call released"),
            Point::End => Some("contact ends"),
            Point::Action(_) | Point::Idle => None,
        };
        if self.full_paths {
            let mut steps = Vec::with_capacity(nodes.len());
            for (k, &n) in nodes.iter().enumerate() {
                match self.point(n) {
                    Point::Action(ix) => {
                        steps.push(Step::Action { action: ix, branch: branch_at(k, script.action(ix)) })
                    }
                    p => steps.extend(event(p).map(Step::Event)),
                }
            }
            return steps;
        }
        // One pass, straight runs elided as they are met (issue 21, F03: this runs once per
        // finding over its whole path, so it allocates only for the steps it keeps). A step is
        // kept when it chose a branch, is an event, crosses into another file's copy, or is
        // `keep`; the others are straight.
        let file_of = |ix: ActionIx| script.action(ix).id.split_once(':').map(|(f, _)| f);
        let mut out: Vec<Step> = Vec::with_capacity(64);
        let mut run = Run::default();
        let mut prev_file: Option<Option<&str>> = None;
        for (k, &n) in nodes.iter().enumerate() {
            match self.point(n) {
                Point::Action(ix) => {
                    let file = file_of(ix);
                    let crossing = prev_file.is_some_and(|p| p != file);
                    prev_file = Some(file);
                    let branch = branch_at(k, script.action(ix));
                    if branch.is_none() && !crossing && Some(ix) != keep {
                        run.push(ix);
                    } else {
                        run.flush(&mut out);
                        out.push(Step::Action { action: ix, branch });
                    }
                }
                p => {
                    if let Some(e) = event(p) {
                        run.flush(&mut out);
                        out.push(Step::Event(e));
                    }
                }
            }
        }
        run.flush(&mut out);
        truncate_middle(&mut out);
        out
    }

    /// Actions on the shortest path to `id`, in order.
    pub fn path_actions(&self, id: NodeId) -> Vec<ActionIx> {
        self.node_path(id)
            .into_iter()
            .filter_map(|n| match self.point(n) {
                Point::Action(ix) => Some(ix),
                _ => None,
            })
            .collect()
    }
}

/// Replace every straight run of more than [`ELIDE_RUNS_OVER`] actions by its first and last
/// [`ELIDED_RUN_KEEPS`] actions around one [`Step::Elided`]: a path reads as its decisions
/// (branches taken, events) however long the chains between them.
/// `kept[i]`: step `i` is never elided (it counts as a decision). The reference for
/// [`Reach::path_keeping`]'s one-pass form ([`Run`]).
#[cfg(test)]
fn elide_straight_runs(steps: &mut Vec<Step>, kept: &[bool]) {
    let straight = |i: usize| {
        matches!(steps[i], Step::Action { branch: None, .. }) && !kept.get(i).copied().unwrap_or(false)
    };
    let mut out: Vec<Step> = Vec::with_capacity(steps.len().min(64));
    let mut k = 0;
    while k < steps.len() {
        let run = (k..steps.len()).take_while(|&i| straight(i)).count();
        if run > ELIDE_RUNS_OVER {
            out.extend(steps[k..k + ELIDED_RUN_KEEPS].iter().cloned());
            out.push(Step::Elided((run - 2 * ELIDED_RUN_KEEPS) as u32));
            out.extend(steps[k + run - ELIDED_RUN_KEEPS..k + run].iter().cloned());
            k += run;
        } else if run > 0 {
            out.extend(steps[k..k + run].iter().cloned());
            k += run;
        } else {
            out.push(steps[k].clone());
            k += 1;
        }
    }
    truncate_middle(&mut out);
    *steps = out;
}

/// The straight run being read by [`Reach::path_keeping`]: its first [`ELIDE_RUNS_OVER`] actions
/// (all of it when it is that short) and its last [`ELIDED_RUN_KEEPS`].
#[derive(Default)]
struct Run {
    head: Vec<ActionIx>,
    last: std::collections::VecDeque<ActionIx>,
    len: usize,
}

impl Run {
    fn push(&mut self, ix: ActionIx) {
        if self.head.len() < ELIDE_RUNS_OVER {
            self.head.push(ix);
        }
        if self.last.len() == ELIDED_RUN_KEEPS {
            self.last.pop_front();
        }
        self.last.push_back(ix);
        self.len += 1;
    }

    /// Write the run as [`elide_straight_runs`] would, and start a new one.
    fn flush(&mut self, out: &mut Vec<Step>) {
        let step = |ix: ActionIx| Step::Action { action: ix, branch: None };
        if self.len > ELIDE_RUNS_OVER {
            out.extend(self.head[..ELIDED_RUN_KEEPS].iter().copied().map(step));
            out.push(Step::Elided((self.len - 2 * ELIDED_RUN_KEEPS) as u32));
            out.extend(self.last.iter().copied().map(step));
        } else {
            out.extend(self.head.iter().copied().map(step));
        }
        self.head.clear();
        self.last.clear();
        self.len = 0;
    }
}

/// The event a virtual point shows as in a path.
fn event_name(p: Point) -> Option<&'static str> {
    match p {
        Point::Answer => Some("agent answers"),
        Point::Release => Some("call released"),
        Point::End => Some("contact ends"),
        Point::Action(_) | Point::Idle => None,
    }
}

/// How many actions these steps stand for (an elided run counts its actions).
fn actions_shown(steps: &[Step]) -> u32 {
    steps
        .iter()
        .map(|s| match s {
            Step::Action { .. } => 1,
            Step::Elided(n) => *n,
            Step::Event(_) => 0,
        })
        .sum()
}

/// A path still longer than [`MAX_PATH_STEPS`] keeps its first and last half around one
/// [`Step::Elided`] counting the actions in between.
fn truncate_middle(out: &mut Vec<Step>) {
    if out.len() > MAX_PATH_STEPS {
        let half = MAX_PATH_STEPS / 2;
        let middle = actions_shown(&out[half..out.len() - half]);
        let tail = out.split_off(out.len() - half);
        out.truncate(half);
        out.push(Step::Elided(middle));
        out.extend(tail);
    }
}

#[cfg(test)]
mod elide_tests {
    use super::*;

    fn a(i: u32, branch: Option<&str>) -> Step {
        Step::Action { action: ActionIx(i), branch: branch.map(str::to_string) }
    }

    #[test]
    fn long_straight_runs_are_elided_and_decisions_kept() {
        let mut steps: Vec<Step> = (0..20).map(|i| a(i, None)).collect();
        steps.push(a(20, Some("2")));
        steps.push(Step::Event("agent answers"));
        steps.extend((21..25).map(|i| a(i, None)));
        elide_straight_runs(&mut steps, &[]);
        let expected = vec![
            a(0, None),
            a(1, None),
            Step::Elided(16),
            a(18, None),
            a(19, None),
            a(20, Some("2")),
            Step::Event("agent answers"),
            a(21, None),
            a(22, None),
            a(23, None),
            a(24, None),
        ];
        assert_eq!(steps, expected);
    }

    #[test]
    fn paths_with_many_decisions_keep_both_ends() {
        let mut steps: Vec<Step> = (0..200).map(|i| a(i, Some("x"))).collect();
        elide_straight_runs(&mut steps, &[]);
        assert_eq!(steps.len(), MAX_PATH_STEPS + 1);
        assert_eq!(steps[0], a(0, Some("x")));
        assert_eq!(steps[MAX_PATH_STEPS / 2], Step::Elided(200 - MAX_PATH_STEPS as u32));
        assert_eq!(steps[MAX_PATH_STEPS], a(199, Some("x")));
    }
}
