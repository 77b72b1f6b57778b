//! Compile once: `Script` + `Tenant` + `Traffic` → [`Compiled`], a compact form the engine
//! runs millions of times.
//!
//! Everything the per-contact loop needs is resolved here to indices and small enums: branch
//! targets, variable slots, skills, agents, teams, numbers, policies (sorted by priority), MAX
//! buttons, and random-draw [`Purpose`]s. The loop then does no parsing, no string hashing and
//! no lookups by name.

use crate::model::traffic::open;
use crate::model::{Direction, Dist, Match, Tenant, Traffic};
use crate::script::catalogue::same_branch_name;
use crate::script::{self, ActionIx, Kind, OnOff, Record, Script};

use super::ids::{AgentId, ButtonId, NumberId, SkillId, TeamId};
use super::rng::{Purpose, Purposes};
use super::vars::{Symbols, Template, VarId};

/// A wired branch of the compiled program, as coverage counts it: one per (action id, branch
/// name), so the copies of a subscript linked at several RUNSUBs share their branches' counts
/// (docs/simulate.md "Coverage"). Indexes [`CoverageMap::branches`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BranchIx(pub u32);

impl BranchIx {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Where a wired branch leads, and which branch it is (the engine records it when taken).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    pub to: ActionIx,
    pub branch: BranchIx,
}

/// A branch target: `None` = not wired (taking it ends the thread, SEMANTICS §2).
pub type Next = Option<Edge>;

/// The names coverage reports: actions and wired branches by key (`ID`, `ID/BRANCH`; a linked
/// subscript's actions are `script:ID`), each key once, in script order.
#[derive(Clone, Debug, Default)]
pub struct CoverageMap {
    /// Per [`ActionIx`]: the index of its key in `actions`.
    pub action_key: Vec<u32>,
    /// Action keys (Studio ids), first occurrence first.
    pub actions: Vec<String>,
    /// Per [`BranchIx`]: `ID/BRANCH`, and the first (action, position in its `branches`) with
    /// that key (for file:line).
    pub branches: Vec<(String, ActionIx, u32)>,
    /// `ID/BRANCH` → [`BranchIx`] (compile time only).
    index: std::collections::HashMap<String, BranchIx>,
}

impl CoverageMap {
    /// Key the actions and wired branches of `script`.
    fn new(script: &Script) -> CoverageMap {
        let mut m = CoverageMap::default();
        let mut action_ix: std::collections::HashMap<&str, u32> = Default::default();
        for (i, a) in script.actions.iter().enumerate() {
            let next = m.actions.len() as u32;
            let k = *action_ix.entry(a.id.as_str()).or_insert(next);
            if k == next {
                m.actions.push(a.id.clone());
            }
            m.action_key.push(k);
            for (pos, b) in a.branches.iter().enumerate() {
                if b.target.is_none() {
                    continue;
                }
                let key = format!("{}/{}", a.id, b.name);
                if !m.index.contains_key(&key) {
                    let ix = BranchIx(m.branches.len() as u32);
                    m.index.insert(key.clone(), ix);
                    m.branches.push((key, ActionIx(i as u32), pos as u32));
                }
            }
        }
        m
    }

    /// The compiled form of branch `name` of `action`: `None` when it is absent or not wired.
    pub fn next(&self, action: &script::Action, name: &str) -> Next {
        let b = action.branch(name)?;
        self.edge(action, b)
    }

    /// The compiled form of one branch of `action`.
    pub fn edge(&self, action: &script::Action, b: &script::Branch) -> Next {
        let to = b.target?;
        let branch = *self.index.get(&format!("{}/{}", action.id, b.name))?;
        Some(Edge { to, branch })
    }
}

/// Duration distribution in milliseconds, with the purpose its draws are keyed by.
#[derive(Clone, Copy, Debug)]
pub struct DistMs {
    pub dist: Dist,
    pub purpose: Purpose,
}

#[derive(Clone, Debug)]
pub enum Op {
    /// BEGIN, ONANSWER/ONRELEASE/ONSIGNAL reached by a branch, unmodelled types: take `default`.
    Pass {
        next: Next,
    },
    End,
    Hangup,
    /// An action whose outcome recflow cannot compute (HOURS, CHECKCALLSUP, unknown types with
    /// named branches): the branch comes from traffic `branches:` weights, else uniformly among
    /// its wired result branches; the contact counts under `unmodelled` (`slot`).
    Branched(Box<BranchedOp>),
    Menu(Box<MenuOp>),
    Play {
        next: Next,
        duration: DistMs,
    },
    /// MUSIC playing its whole file (`SecondstoPlay` 0 or empty, A-26): traffic
    /// `durations.music`, then `OnComplete` when wired (`complete`), else `default`.
    Music {
        duration: DistMs,
        complete: Next,
        default: Next,
    },
    /// MUSIC for a positive `SecondstoPlay` and WAIT: fixed time. `media` is false
    /// for WAIT.
    Timed {
        ms: u64,
        media: bool,
        /// A MUSIC playing its whole file for a fixed `durations.music` (A-26; for explain).
        whole: bool,
        next: Next,
    },
    Assign {
        var: VarId,
        value: Template,
        next: Next,
    },
    Snippet {
        code: super::vars::SnippetCode,
        next: Next,
        error: Next,
    },
    Case {
        var: VarId,
        values: Vec<(String, Next)>,
        default: Next,
    },
    ReqAgent {
        skill: SkillId,
        next: Next,
    },
    Indicate {
        button: ButtonId,
        on: bool,
        /// Shared, so a run-time patched copy ([`super::templated`]) does not allocate.
        params: std::sync::Arc<[String]>,
        next: Next,
    },
    Record {
        start: bool,
        statement: bool,
        next: Next,
    },
    RecordAgentOnly {
        next: Next,
    },
    DoNotRecord {
        next: Next,
    },
    /// RUNSUB into a linked copy (docs/subscripts.md): the callee's locals are emptied, its
    /// parameters set (templates rendered in the caller's scope), then `next` = the callee's BEGIN.
    Call {
        /// The callee copy's locals ([`crate::snippet::Vars::clear_scope`]): its interned slots
        /// and its scope number (for object members created at run time).
        clear: Vec<VarId>,
        scope: u32,
        params: Vec<(VarId, Template)>,
        next: Next,
    },
    /// RETURN of a linked copy: the caller's `ReturnVariable` := `ReturnValue`; `next` = after
    /// the RUNSUB.
    Return {
        value: Option<(VarId, Template)>,
        next: Next,
    },
    /// RUNSCRIPT: the target's event actions become the active handlers (`handler_sets` index).
    RunScript {
        handlers: u8,
        next: Next,
    },
    /// IF: `Expression` evaluated per contact (issue 11 point 2; `templated.rs`).
    If(Box<super::templated::IfOp>),
    /// An action with `{var}` templates in typed properties: resolved per contact, then run
    /// as the patched op (issue 11 point 4; `templated.rs`).
    Templated(Box<super::templated::TemplatedOp>),
}

impl Op {
    /// The SP1..SP9 parameters of an INDICATE (templated or not).
    pub fn indicate_params(&self) -> Option<&[String]> {
        match self {
            Op::Indicate { params, .. } => Some(params),
            Op::Templated(t) => t.inner.indicate_params(),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct BranchedOp {
    /// The choices: branch name (for explain) and target (`None` only when traffic weighs a
    /// branch that is not wired — the loader refuses that, so in practice always wired).
    pub choices: Vec<(String, Next)>,
    /// Cumulative weights of `choices`; `None` = uniform.
    pub cumulative: Option<Vec<f64>>,
    pub choice: Purpose,
    /// Index into [`Compiled::unmodelled`].
    pub slot: u32,
    /// Studio type for explain (`HOURS`; `unknown type` when the catalogue lacks it).
    pub kind: &'static str,
}

#[derive(Clone, Debug)]
pub struct MenuOp {
    pub var: VarId,
    pub sensitive: bool,
    /// Digit branches as written (`None` target = not wired); the named results (`OnTimeout`,
    /// `OnInvalid`, `OnError`) are not digits a caller presses.
    pub digits: Vec<(String, Next)>,
    pub default: Next,
    /// Where no input goes: a wired `OnTimeout`, else `default`.
    pub no_input: Next,
    /// Where digits with no branch go: a wired `OnInvalid`, else `default`.
    pub invalid: Next,
    /// A-25, compiled from the literal properties: the caller's input is cut to `max_digits`
    /// (`u32::MAX`: not cut); no input waits `timeout_ms` after the prompt; an input shorter
    /// than `max_digits` (1 when not written) waits `inter_digit_ms` after its last digit.
    pub max_digits: u32,
    pub short_input: u32,
    pub timeout_ms: u64,
    pub inter_digit_ms: u64,
    /// Traffic `inputs` for this MENU: choices (`None` = no input) and cumulative weights.
    pub inputs: Option<(Vec<Option<String>>, Vec<f64>)>,
    /// Indices into `digits` of the wired ones (uniform choice without traffic inputs).
    pub wired: Vec<u32>,
    pub choice: Purpose,
    pub duration: DistMs,
    /// Set when the MENU is a consent question (`script::facts`, annotated or inferred): which
    /// answers accept. The engine judges the contact's recordings against the answer (issue 19).
    pub consent: Option<Box<ConsentOp>>,
}

/// A consent question's accepting answers, resolved against the MENU's digit branches at
/// compile time so the engine classifies an answer by branch position, without a string
/// search in the common case.
#[derive(Clone, Debug)]
pub struct ConsentOp {
    /// Per entry of [`MenuOp::digits`]: does that digit accept?
    pub accepts: Vec<bool>,
    /// Accepting inputs that have no digit branch of their own (rare: a traffic input that
    /// takes `default` yet is listed in `accept`).
    pub accept_other: Vec<String>,
}

/// Policy filters resolved to indices. An empty list matches anything.
#[derive(Clone, Debug, Default)]
pub struct MatchIx {
    pub direction: Vec<Direction>,
    pub skills: Vec<SkillId>,
    /// `None`: an agent the tenant does not have — it can never match.
    pub agents: Vec<Option<AgentId>>,
    pub teams: Vec<TeamId>,
    pub numbers: Vec<NumberId>,
}

/// What a segment looks like to a policy filter.
#[derive(Clone, Copy, Debug)]
pub struct SegmentView {
    pub direction: Direction,
    pub skill: Option<SkillId>,
    pub agent: Option<AgentId>,
    pub team: Option<TeamId>,
    pub ani: Option<NumberId>,
    pub dnis: Option<NumberId>,
}

impl MatchIx {
    pub fn matches(&self, s: &SegmentView) -> bool {
        fn ok<T: PartialEq + Copy>(list: &[T], v: Option<T>) -> bool {
            list.is_empty() || v.is_some_and(|v| list.contains(&v))
        }
        fn ok_agent(list: &[Option<AgentId>], v: Option<AgentId>) -> bool {
            list.is_empty() || v.is_some_and(|v| list.contains(&Some(v)))
        }
        (self.direction.is_empty() || self.direction.contains(&s.direction))
            && ok(&self.skills, s.skill)
            && ok_agent(&self.agents, s.agent)
            && ok(&self.teams, s.team)
            && (self.numbers.is_empty() || ok(&self.numbers, s.ani) || ok(&self.numbers, s.dnis))
    }
}

#[derive(Clone, Debug)]
pub struct PolicyIx {
    pub name: String,
    /// Position in the tenant file (reports list policies in file order).
    pub file_index: usize,
    pub percent: f64,
    pub filter: MatchIx,
    pub continue_after_external_transfer: bool,
    pub continue_after_disposition: bool,
    pub sample: Purpose,
}

#[derive(Clone, Debug)]
pub struct AgentIx {
    pub id: String,
    pub team: TeamId,
    pub recordable: bool,
}

/// One skill's agents in classes of agents nothing in the model tells apart: the same team,
/// recordability and skills, matched by the same recording and Do Not Record policies, and a
/// script that never reads `AGENTID` (the only place an agent's id reaches the contact; the
/// timeline's trace names it, but exact analysis keeps no trace). Which agent of a class
/// answers changes nothing but the id, so exact analysis draws the class (weighted by its
/// size) and takes its first member: contacts answered by alike agents then reach equal states
/// and merge (docs/exact.md "Merging across paths"). The sampled engine never reads this.
#[derive(Clone, Debug, Default)]
pub struct AgentClasses {
    /// Cumulative class sizes (the last is the skill's agent count), for a weighted draw.
    pub cumulative: Vec<f64>,
    /// Each class's members, in the skill list's order.
    pub members: Vec<Vec<AgentId>>,
}

/// What tells an agent apart ([`agent_classes`]): team, recordability, the skills it is listed
/// under and the policy filters that name it (indices).
type Signature<'a> = (TeamId, bool, &'a [u32], &'a [u32]);

/// [`Compiled::agent_classes`]: `per_skill` grouped by everything the engine reads of an agent
/// but its id; empty when `AGENTID` is read or when grouping merges nothing.
fn agent_classes(
    per_skill: &[Vec<AgentId>],
    agents: &[AgentIx],
    filters: &[&MatchIx],
    reads_agent_id: bool,
) -> Vec<AgentClasses> {
    if reads_agent_id {
        return Vec::new();
    }
    // An agent's signature: team, recordability, the skills it is listed under, the policies
    // that name it. Agents with equal signatures are alike. Built in one pass over each list
    // (linear in the tenant: no list is searched per agent), then interned into class ids.
    let mut skills_of: Vec<Vec<u32>> = vec![Vec::new(); agents.len()];
    for (k, list) in per_skill.iter().enumerate() {
        for a in list {
            skills_of[a.index()].push(k as u32);
        }
    }
    let mut named_by: Vec<Vec<u32>> = vec![Vec::new(); agents.len()];
    for (f, filter) in filters.iter().enumerate() {
        for a in filter.agents.iter().flatten() {
            let named = &mut named_by[a.index()];
            if named.last() != Some(&(f as u32)) {
                named.push(f as u32);
            }
        }
    }
    let mut ids: std::collections::HashMap<Signature, usize> = Default::default();
    let class_of: Vec<usize> = agents
        .iter()
        .enumerate()
        .map(|(a, ix)| {
            let next = ids.len();
            *ids.entry((ix.team, ix.recordable, &skills_of[a], &named_by[a])).or_insert(next)
        })
        .collect();
    let classes: Vec<AgentClasses> = per_skill
        .iter()
        .map(|list| {
            // Class id → its position in this skill's classes, in list order.
            let mut at: std::collections::HashMap<usize, usize> = Default::default();
            let mut members: Vec<Vec<AgentId>> = Vec::new();
            for &a in list {
                let next = members.len();
                let k = *at.entry(class_of[a.index()]).or_insert(next);
                if k == next {
                    members.push(Vec::new());
                }
                members[k].push(a);
            }
            AgentClasses { cumulative: cumulative(members.iter().map(|m| m.len() as f64)), members }
        })
        .collect();
    if classes.iter().all(|c| c.members.iter().all(|m| m.len() == 1)) { Vec::new() } else { classes }
}

/// One agent-side behaviour of the traffic file (probability per contact, uniform time).
#[derive(Clone, Copy, Debug)]
pub struct Behaviour {
    pub p: f64,
    pub happens: Purpose,
    pub at: Purpose,
}

#[derive(Clone, Debug)]
pub struct PressSeq {
    pub p: f64,
    /// Buttons (indices into [`Compiled::buttons`]) in press order.
    pub buttons: Vec<ButtonId>,
    pub happens: Purpose,
    pub at: Purpose,
}

/// Fixed draw purposes of every contact.
#[derive(Clone, Copy, Debug)]
pub struct Fixed {
    pub direction: Purpose,
    pub ani: Purpose,
    pub dnis: Purpose,
    pub queue_wait: Purpose,
    pub patience: Purpose,
    pub talk: Purpose,
    pub transfer_agent_pick: Purpose,
}

/// The compiled script + tenant + traffic.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub name: String,
    /// The script's media when it is not a voice script (then nothing is recorded).
    pub non_voice_media: Option<String>,
    pub ops: Vec<Op>,
    /// Studio ids, for paths and explain.
    pub ids: Vec<String>,
    /// Canonical type names (`MUSIC`, `TTSVOICE`: the catalogue's name; `unknown type
    /// (pass-through)` for a type the catalogue does not list), for explain.
    pub kinds: Vec<&'static str>,
    pub begin: ActionIx,
    pub on_answer: Option<ActionIx>,
    pub on_release: Option<ActionIx>,
    pub on_signal: Option<ActionIx>,
    /// Event handlers `[answer, release, signal]` per set; set 0 = `on_answer` / `on_release` /
    /// `on_signal`; a RUNSCRIPT makes another set active ([`Op::RunScript`]).
    pub handler_sets: Vec<[Option<ActionIx>; 3]>,
    pub symbols: Symbols,
    pub statement_var: VarId,
    pub err_var: VarId,
    pub sp: [VarId; 9],
    pub purposes: Purposes,
    pub fixed: Fixed,
    pub skills: Vec<String>,
    /// Per skill: the agents that have it.
    pub agents_by_skill: Vec<Vec<AgentId>>,
    /// Per skill: purpose of the answering-agent draw (`agent:<skill>`).
    pub agent_pick: Vec<Purpose>,
    /// Exact analysis only (`sim::exact`): per skill, its agents grouped into classes no
    /// part of the model can tell apart ([`AgentClasses`]); empty when each agent is its own
    /// class (the script reads `AGENTID`, or no two agents are alike).
    pub agent_classes: Vec<AgentClasses>,
    pub agents: Vec<AgentIx>,
    pub teams: Vec<String>,
    pub numbers: Vec<String>,
    /// In evaluation order: priority ascending, unnumbered after numbered, file order.
    pub policies: Vec<PolicyIx>,
    pub dnr_policies: Vec<MatchIx>,
    pub short_call_ms: u64,
    /// MAX button names (case-insensitive: stored lowercase, first spelling kept in `button_names`).
    pub buttons: Vec<String>,
    pub button_names: Vec<String>,
    pub direction: (Vec<Direction>, Vec<f64>),
    pub ani: (Vec<NumberId>, Vec<f64>),
    pub dnis: (Vec<NumberId>, Vec<f64>),
    pub queue_wait: Dist,
    pub patience: Dist,
    pub talk: Dist,
    /// Traffic `durations.ivr_patience` and its draw purpose (interned only when set, so a
    /// program without it draws exactly as before): the caller hangs up in the IVR.
    pub ivr_patience: Option<(Dist, Purpose)>,
    pub rod: Behaviour,
    pub supervisor_rod: Behaviour,
    pub transfer_agent: Behaviour,
    pub transfer_external: Behaviour,
    pub conference: Behaviour,
    pub disposition: Behaviour,
    pub presses: Vec<PressSeq>,
    pub calls: u64,
    pub seed: u64,
    /// Ids of the traffic-branched actions, in script order ([`BranchedOp::slot`]): the keys
    /// of the report's `unmodelled`.
    pub unmodelled: Vec<String>,
    /// Per [`Compiled::unmodelled`] slot: the action's type and caption, for the human report.
    pub unmodelled_what: Vec<String>,
    /// Ids of the actions with templated typed properties, in script order
    /// ([`super::templated::TemplatedOp::slot`]): the keys of the report's `templated_fallback`.
    pub templated: Vec<String>,
    /// Ids of the consent questions (MENUs), in script order. Empty: the script asks no
    /// consent, and no contact is judged for consent (FORMATS Round 3).
    pub consent_questions: Vec<String>,
    /// The skill a templated REQAGENT queues for when its value names no skill recflow knows
    /// (named `""`: only agents without a skill list take it).
    pub runtime_skill: Option<SkillId>,
    /// The MAX button a templated INDICATE `Name` sets when no traffic press names it.
    pub runtime_button: Option<ButtonId>,
    /// Slots of the system variables the script reads (`sysvars.rs`).
    pub sysvars: super::sysvars::SysVars,
    /// Action and branch keys of the coverage counters (`sim/coverage.rs`).
    pub coverage: std::sync::Arc<CoverageMap>,
    /// The coverage counters reachable from each action (exact analysis only: built the first
    /// time it is asked, `live.rs`).
    pub live: std::sync::OnceLock<super::live::Live>,
}

/// Case-insensitive name table (names compare as in Studio: `Sales` = `sales`): the first
/// spelling in `list`, an index by lowercased name so interning n names is O(n log n) — 40 000
/// ANI numbers took minutes with a linear scan (issue 10.4).
#[derive(Default)]
struct Names {
    list: Vec<String>,
    index: std::collections::HashMap<String, u32>,
}

fn intern(names: &mut Names, name: &str) -> u32 {
    let key = name.to_lowercase();
    if let Some(&i) = names.index.get(&key) {
        return i;
    }
    let i = u32::try_from(names.list.len()).expect("name tables are far below u32::MAX");
    names.list.push(name.to_string());
    names.index.insert(key, i);
    i
}

pub(crate) fn cumulative(weights: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .map(|w| {
            acc += w.max(0.0);
            acc
        })
        .collect()
}

impl Compiled {
    /// A Snippet reads the clock (`now()`, the date functions): exact analysis then merges no
    /// states and keeps no action's duration symbolic (`sim::exact`, `engine/dispatch.rs`).
    pub fn reads_clock(&self) -> bool {
        self.ops.iter().any(|op| matches!(op, Op::Snippet { code, .. } if code.reads_clock()))
    }

    pub fn compile(script: &Script, tenant: &Tenant, traffic: &Traffic) -> Compiled {
        Self::compile_scoped(script, &[], tenant, traffic)
    }

    /// As [`Compiled::compile`], each action's variables interned in its scope (`scopes[i]`,
    /// 0 when absent): a linked script's RUNSUB copies (see [`super::linked`]).
    pub(crate) fn compile_scoped(
        script: &Script,
        scopes: &[u32],
        tenant: &Tenant,
        traffic: &Traffic,
    ) -> Compiled {
        // Issue 11 point 6: a non-voice script has no call recording.
        let voice = script.is_voice();
        let mut symbols = Symbols::new();
        let mut purposes = Purposes::default();
        let statement_var = symbols.intern(crate::script::facts::STATEMENT_VAR);
        let err_var = symbols.intern("_ERR");
        let sp = std::array::from_fn(|i| symbols.intern(&format!("SP{}", i + 1)));
        let fixed = Fixed {
            direction: purposes.intern("direction"),
            ani: purposes.intern("ani"),
            dnis: purposes.intern("dnis"),
            queue_wait: purposes.intern("queue_wait"),
            patience: purposes.intern("patience"),
            talk: purposes.intern("talk"),
            transfer_agent_pick: purposes.intern("transfer_agent"),
        };

        let mut skills = Names::default();
        let mut teams = Names::default();
        let mut numbers = Names::default();
        let mut buttons = Names::default();

        let agents: Vec<AgentIx> = tenant
            .agents
            .iter()
            .map(|a| AgentIx {
                id: a.id.clone(),
                team: TeamId(intern(&mut teams, &a.team)),
                recordable: a.can_be_recorded,
            })
            .collect();

        // Traffic inputs by MENU id.
        let play_ms = traffic.durations.play;
        let menu_ms = traffic.durations.menu;
        let mut ops = Vec::with_capacity(script.actions.len());
        let mut slots = UnmodelledSlots::default();
        let mut templated: Vec<String> = Vec::new();
        let mut consent_questions: Vec<String> = Vec::new();
        let (mut runtime_skill, mut runtime_button) = (None, None);
        let coverage = CoverageMap::new(script);
        for (i, action) in script.actions.iter().enumerate() {
            symbols.set_scope(scopes.get(i).copied().unwrap_or(0));
            let next = |name: &str| coverage.next(action, name);
            let default = next("default");
            let op = match &action.kind {
                Kind::Begin | Kind::OnAnswer | Kind::OnRelease | Kind::OnSignal => Op::Pass { next: default },
                // Not evaluated (docs/actions.md): a terminal type (SUPPRESSCALL, PERMITCALL,
                // RETURN outside a link) ends the thread; otherwise `Default`, else the first
                // wired result branch (CHECKCALLSUP with only Found / NotFound is no dead end).
                Kind::Other if action.is_terminal() && default.is_none() => Op::End,
                // IF (issue 11 point 2): its Expression evaluated per contact; one recflow
                // cannot evaluate keeps the traffic-weighted branch (with a load warning).
                Kind::Other if crate::script::runtime::is_if(action) => {
                    let fallback = branched(action, &coverage, traffic, &mut purposes, &mut slots);
                    match crate::script::runtime::if_expression(action) {
                        Ok(e) => {
                            let branch = |name: &str| {
                                action
                                    .branches
                                    .iter()
                                    .find(|b| script::catalogue::same_branch_name(&b.name, name))
                                    .and_then(|b| coverage.edge(action, b))
                            };
                            Op::If(Box::new(super::templated::IfOp {
                                cond: crate::snippet::Condition::compile(&e, &mut symbols),
                                on_true: branch("True"),
                                on_false: branch("False"),
                                text: action
                                    .properties
                                    .iter()
                                    .find(|p| p.name.eq_ignore_ascii_case("Expression"))
                                    .and_then(|p| p.value.as_text())
                                    .unwrap_or("")
                                    .trim()
                                    .to_string(),
                                fallback,
                            }))
                        }
                        Err(_) => Op::Branched(Box::new(fallback)),
                    }
                }
                Kind::Other if crate::model::traffic::is_traffic_branched(action) => {
                    Op::Branched(Box::new(branched(action, &coverage, traffic, &mut purposes, &mut slots)))
                }
                Kind::Other => {
                    let first = action.branches.iter().find_map(|b| coverage.edge(action, b));
                    Op::Pass { next: default.or(first) }
                }
                Kind::End => Op::End,
                Kind::Hangup => Op::Hangup,
                Kind::Menu(m) => {
                    // The MENU's named results (catalogue: OnInvalid, OnTimeout, OnError) are
                    // outcomes, not digit strings a caller presses.
                    let named = |name: &str| {
                        action.spec.is_some_and(|s| s.branches.iter().any(|n| same_branch_name(n, name)))
                    };
                    let result = |name: &str| {
                        action
                            .branches
                            .iter()
                            .find(|b| same_branch_name(&b.name, name))
                            .and_then(|b| coverage.edge(action, b))
                    };
                    let digits: Vec<(String, Next)> = action
                        .branches
                        .iter()
                        .filter(|b| b.name != "default" && !named(&b.name))
                        .map(|b| (b.name.clone(), coverage.edge(action, b)))
                        .collect();
                    let wired: Vec<u32> = digits
                        .iter()
                        .enumerate()
                        .filter(|(_, d)| d.1.is_some())
                        .map(|(i, _)| i as u32)
                        .collect();
                    let inputs = match traffic.inputs.iter().find(|(id, _)| *id == action.id) {
                        Some((_, w)) => Some((
                            w.items.iter().map(|(v, _)| v.clone()).collect(),
                            cumulative(w.items.iter().map(|(_, p)| *p)),
                        )),
                        None => open_menu_inputs(&digits, &wired, default.is_some(), traffic.explore),
                    };
                    let consent = action.facts.consent.as_ref().filter(|_| voice).map(|c| {
                        let accepts: Vec<bool> = digits.iter().map(|(d, _)| c.accept.contains(d)).collect();
                        let accept_other = c
                            .accept
                            .iter()
                            .filter(|a| !digits.iter().any(|(d, _)| d == *a))
                            .cloned()
                            .collect();
                        Box::new(ConsentOp { accepts, accept_other })
                    });
                    if consent.is_some() {
                        consent_questions.push(action.id.clone());
                    }
                    Op::Menu(Box::new(MenuOp {
                        consent,
                        var: symbols.intern(if m.variable.is_empty() { "MRES" } else { &m.variable }),
                        sensitive: action.facts.sensitive.is_some(),
                        digits,
                        default,
                        inputs,
                        wired,
                        choice: purposes.intern(&format!("menu:{}", action.id)),
                        duration: DistMs {
                            dist: menu_ms,
                            purpose: purposes.intern(&format!("menu_time:{}", action.id)),
                        },
                        no_input: result("OnTimeout").or(default),
                        invalid: result("OnInvalid").or(default),
                        max_digits: m.max_digits.unwrap_or(u32::MAX),
                        short_input: m.max_digits.unwrap_or(1),
                        timeout_ms: secs_to_ms(m.timeout),
                        inter_digit_ms: secs_to_ms(m.inter_digit_timeout),
                    }))
                }
                Kind::Play { .. } => Op::Play {
                    next: default,
                    duration: DistMs {
                        dist: play_ms,
                        purpose: purposes.intern(&format!("play_time:{}", action.id)),
                    },
                },
                // a positive SecondstoPlay plays that long and takes `default`; 0 or empty
                // plays the whole file (traffic `durations.music`) and takes `OnComplete`.
                Kind::Music { seconds } if *seconds > 0.0 && seconds.is_finite() => {
                    // Media class from the catalogue (`audio`), the column lint's M005 reads.
                    Op::Timed {
                        ms: secs_to_ms(*seconds),
                        media: action.is_media(),
                        whole: false,
                        next: default,
                    }
                }
                Kind::Music { .. } => {
                    let complete = action
                        .branches
                        .iter()
                        .find(|b| same_branch_name(&b.name, "OnComplete"))
                        .and_then(|b| coverage.edge(action, b))
                        .or(default);
                    match traffic.durations.music {
                        // A fixed length, known now (a templated value may still make it positive
                        // per contact: that needs the `default` target, kept by `Op::Music`).
                        Dist::Fixed(s)
                            if crate::script::runtime::templated(action, "SecondstoPlay").is_none() =>
                        {
                            Op::Timed {
                                ms: secs_to_ms(s),
                                media: action.is_media(),
                                whole: true,
                                next: complete,
                            }
                        }
                        dist => Op::Music {
                            duration: DistMs {
                                dist,
                                purpose: purposes.intern(&format!("music_time:{}", action.id)),
                            },
                            complete,
                            default,
                        },
                    }
                }
                Kind::Wait { seconds } => Op::Timed {
                    ms: secs_to_ms(*seconds),
                    media: action.is_media(),
                    whole: false,
                    next: default,
                },
                Kind::Assign { variable, value } => Op::Assign {
                    var: symbols.intern(variable),
                    value: Template::compile(value, &mut symbols),
                    next: default,
                },
                Kind::Snippet(s) => Op::Snippet {
                    code: super::vars::SnippetCode::compile(&s.ast, &mut symbols),
                    next: default,
                    error: next("Error"),
                },
                Kind::Case { variable } => Op::Case {
                    var: symbols.intern(variable),
                    values: action
                        .branches
                        .iter()
                        .filter(|b| b.name != "default")
                        .map(|b| (b.name.clone(), coverage.edge(action, b)))
                        .collect(),
                    default,
                },
                Kind::ReqAgent { skill, .. } => {
                    Op::ReqAgent { skill: SkillId(intern(&mut skills, skill)), next: default }
                }
                Kind::Indicate(i) => Op::Indicate {
                    button: ButtonId(intern(&mut buttons, &i.name)),
                    on: i.state == OnOff::On,
                    params: i.parameters.clone().into(),
                    next: default,
                },
                // A non-voice script records nothing (issue 11 point 6): its recording
                // actions pass through.
                Kind::LogRecordingPro(_) | Kind::RecordAgentOnly | Kind::DoNotRecord if !voice => {
                    Op::Pass { next: default }
                }
                Kind::LogRecordingPro(l) => Op::Record {
                    start: l.record == Record::Start,
                    statement: l.use_statement_id,
                    next: default,
                },
                Kind::RecordAgentOnly => Op::RecordAgentOnly { next: default },
                Kind::DoNotRecord => Op::DoNotRecord { next: default },
            };
            // Issue 11 point 4: `{var}` templates in typed properties, resolved per contact.
            let op = super::templated::wrap(
                op,
                action,
                &mut symbols,
                &mut templated,
                &mut runtime_skill,
                &mut runtime_button,
                &mut |n| SkillId(intern(&mut skills, n)),
                &mut |n| ButtonId(intern(&mut buttons, n)),
            );
            ops.push(op);
        }
        symbols.set_scope(0);
        let sysvars = super::sysvars::SysVars::resolve(&symbols);

        // Agent id (ASCII case-insensitive, first one wins as in a scan) → index.
        let mut agent_index: std::collections::HashMap<String, AgentId> = std::collections::HashMap::new();
        for (i, a) in agents.iter().enumerate() {
            agent_index.entry(a.id.to_ascii_lowercase()).or_insert(AgentId::new(i));
        }
        let match_ix = |m: &Match, skills: &mut Names, teams: &mut Names, numbers: &mut Names| {
            MatchIx {
                direction: m.direction.clone(),
                skills: m.skills.iter().map(|s| SkillId(intern(skills, s))).collect(),
                // An agent the tenant does not have can never match: `None`.
                agents: m.agents.iter().map(|a| agent_index.get(&a.to_ascii_lowercase()).copied()).collect(),
                teams: m.teams.iter().map(|t| TeamId(intern(teams, t))).collect(),
                numbers: m.numbers.iter().map(|n| NumberId(intern(numbers, n))).collect(),
            }
        };

        // lower priority number first; unnumbered after numbered; ties in file order
        // (a stable sort keeps file order).
        let mut order: Vec<usize> = (0..tenant.recording_policies.len()).collect();
        order.sort_by_key(|&i| match tenant.recording_policies[i].priority {
            Some(p) => (0, p),
            None => (1, 0),
        });
        let policies: Vec<PolicyIx> = order
            .iter()
            .map(|&i| {
                let p = &tenant.recording_policies[i];
                PolicyIx {
                    name: p.name.clone(),
                    file_index: i,
                    percent: p.percent,
                    filter: match_ix(&p.matches, &mut skills, &mut teams, &mut numbers),
                    continue_after_external_transfer: p.continue_after_external_transfer,
                    continue_after_disposition: p.continue_after_disposition,
                    sample: purposes.intern(&format!("policy:{}", p.name)),
                }
            })
            .collect();
        let dnr_policies: Vec<MatchIx> = tenant
            .do_not_record_policies
            .iter()
            .map(|p| match_ix(&p.matches, &mut skills, &mut teams, &mut numbers))
            .collect();

        let ani = (
            traffic.ani.items.iter().map(|(n, _)| NumberId(intern(&mut numbers, n))).collect(),
            cumulative(traffic.ani.items.iter().map(|(_, w)| *w)),
        );
        let dnis = (
            traffic.dnis.items.iter().map(|(n, _)| NumberId(intern(&mut numbers, n))).collect(),
            cumulative(traffic.dnis.items.iter().map(|(_, w)| *w)),
        );
        let open_presses;
        let press_list = if traffic.agent.presses_given || !traffic.agent.presses.is_empty() {
            &traffic.agent.presses
        } else {
            open_presses = open_button_presses(script, traffic.explore);
            &open_presses
        };
        let presses = press_list
            .iter()
            .enumerate()
            .map(|(i, s)| PressSeq {
                p: s.p,
                buttons: s.buttons.iter().map(|b| ButtonId(intern(&mut buttons, b))).collect(),
                happens: purposes.intern(&format!("presses:{i}")),
                at: purposes.intern(&format!("presses_at:{i}")),
            })
            .collect();

        // A templated REQAGENT may name, at run time, any skill the tenant's agents have: those
        // skills need a slot of their own (only then, so other scripts' tables are unchanged).
        if runtime_skill.is_some() {
            for list in tenant.agents.iter().filter_map(|a| a.skills.as_ref()) {
                for k in list {
                    intern(&mut skills, k);
                }
            }
        }
        // Skills are final now: resolve each agent's skills and one pick purpose per skill.
        // One pass over the agents (not skills × agents): each agent joins the list of every
        // skill it names (ASCII case-insensitive), or of every skill when it has no list.
        let skill_ascii: std::collections::HashMap<String, Vec<usize>> =
            skills.list.iter().enumerate().fold(std::collections::HashMap::new(), |mut m, (k, s)| {
                m.entry(s.to_ascii_lowercase()).or_default().push(k);
                m
            });
        let mut agents_by_skill: Vec<Vec<AgentId>> = vec![Vec::new(); skills.list.len()];
        for (i, a) in tenant.agents.iter().enumerate() {
            let i = AgentId::new(i);
            match &a.skills {
                None => agents_by_skill.iter_mut().for_each(|l| l.push(i)),
                Some(list) => {
                    for k in list.iter().filter_map(|x| skill_ascii.get(&x.to_ascii_lowercase())).flatten() {
                        let l = &mut agents_by_skill[*k];
                        if l.last() != Some(&i) {
                            l.push(i);
                        }
                    }
                }
            }
        }
        let filters: Vec<&MatchIx> = policies.iter().map(|p| &p.filter).chain(&dnr_policies).collect();
        let agent_classes = agent_classes(&agents_by_skill, &agents, &filters, sysvars.agent_id.is_some());
        let agent_pick =
            skills.list.iter().map(|s| purposes.intern(&format!("agent:{}", s.to_lowercase()))).collect();

        let mut behaviour = |name: &str, p: f64| Behaviour {
            p,
            happens: purposes.intern(name),
            at: purposes.intern(&format!("{name}_at")),
        };
        let a = &traffic.agent;
        // Recording on demand is for voice calls only (seed).
        let rod = behaviour("rod", if voice { a.rod } else { 0.0 });
        let supervisor_rod = behaviour("supervisor_rod", if voice { a.supervisor_rod } else { 0.0 });
        let transfer_agent = behaviour("transfer", a.transfer_agent);
        let transfer_external = behaviour("transfer_external", a.transfer_external);
        let conference = behaviour("conference", a.conference);
        let disposition = behaviour("disposition", a.disposition);

        let find_event = |e| script.event(e);
        Compiled {
            name: script.name.clone(),
            non_voice_media: if voice { None } else { script.kind.media.clone() },
            ids: script.actions.iter().map(|a| a.id.clone()).collect(),
            kinds: script
                .actions
                .iter()
                .map(|a| {
                    a.kind
                        .canonical_name()
                        .or(a.spec.map(|s| s.name))
                        .unwrap_or("unknown type (pass-through)")
                })
                .collect(),
            begin: script.begin(),
            on_answer: find_event(script::Event::Answer),
            on_release: find_event(script::Event::Release),
            on_signal: find_event(script::Event::Signal),
            handler_sets: vec![[
                find_event(script::Event::Answer),
                find_event(script::Event::Release),
                find_event(script::Event::Signal),
            ]],
            ops,
            symbols,
            statement_var,
            err_var,
            sp,
            fixed,
            skills: skills.list,
            agents_by_skill,
            agent_pick,
            agent_classes,
            agents,
            teams: teams.list,
            numbers: numbers.list,
            policies,
            dnr_policies,
            short_call_ms: secs_to_ms(tenant.short_call_seconds),
            buttons: buttons.list.iter().map(|b| b.to_lowercase()).collect(),
            button_names: buttons.list,
            direction: (
                traffic.direction.items.iter().map(|(d, _)| *d).collect(),
                cumulative(traffic.direction.items.iter().map(|(_, w)| *w)),
            ),
            ani,
            dnis,
            queue_wait: traffic.durations.queue_wait,
            patience: traffic.durations.patience,
            talk: traffic.durations.talk,
            ivr_patience: traffic.durations.ivr_patience.map(|d| (d, purposes.intern("ivr_patience"))),
            rod,
            supervisor_rod,
            transfer_agent,
            transfer_external,
            conference,
            disposition,
            presses,
            calls: traffic.calls,
            seed: traffic.seed,
            unmodelled: slots.ids,
            unmodelled_what: slots.what,
            templated,
            consent_questions,
            runtime_skill,
            runtime_button,
            sysvars,
            purposes,
            coverage: std::sync::Arc::new(coverage),
            live: std::sync::OnceLock::new(),
        }
    }

    /// The coverage counters each action can still reach (`live.rs`), built once.
    pub fn live(&self) -> &super::live::Live {
        self.live.get_or_init(|| super::live::Live::new(self))
    }

    /// Studio id of an action index.
    pub fn id(&self, ix: ActionIx) -> &str {
        &self.ids[ix.index()]
    }
}

/// The `unmodelled` slots being built: one per traffic-branched action id (its id, its type and
/// caption for the human report, and the id → slot index).
#[derive(Default)]
struct UnmodelledSlots {
    ids: Vec<String>,
    what: Vec<String>,
    ix: std::collections::HashMap<String, usize>,
}

/// The traffic-weighted choice of an action whose outcome recflow cannot compute: traffic
/// `branches:` weights, else uniform among its wired result branches (`Default` only when
/// nothing else is wired); the contact counts under `unmodelled` (one slot per action id:
/// linked subscript copies share the caller's count for the same id).
fn branched(
    action: &script::Action,
    coverage: &CoverageMap,
    traffic: &Traffic,
    purposes: &mut Purposes,
    slots: &mut UnmodelledSlots,
) -> BranchedOp {
    let next = |name: &str| coverage.next(action, name);
    let weights = traffic.branches.iter().find(|(id, _)| *id == action.id).map(|(_, w)| w);
    let (choices, cumulative) = match weights {
        Some(w) => (
            w.items.iter().map(|(n, _)| (n.clone(), next(n))).collect(),
            Some(cumulative(w.items.iter().map(|(_, p)| *p))),
        ),
        None => {
            let mut named: Vec<(String, Next)> = action
                .branches
                .iter()
                .filter(|b| b.name != "default" && b.target.is_some())
                .map(|b| (b.name.clone(), coverage.edge(action, b)))
                .collect();
            let default = next("default");
            if named.is_empty() {
                (vec![("Default".to_string(), default)], None)
            } else if default.is_some() {
                // The fallback a traffic file does not name still gets its share
                // (docs/tenant-and-traffic.md "Outcomes the traffic leaves open").
                let k = named.len() as f64;
                named.push(("Default".to_string(), default));
                let weights: Vec<f64> = if traffic.explore {
                    vec![1.0; named.len()]
                } else {
                    let each = (1.0 - open::BRANCH_DEFAULT) / k;
                    (0..named.len())
                        .map(|i| if i + 1 == named.len() { open::BRANCH_DEFAULT } else { each })
                        .collect()
                };
                (named, Some(cumulative(weights.into_iter())))
            } else {
                (named, None)
            }
        }
    };
    let UnmodelledSlots { ids: unmodelled, what: unmodelled_what, ix: unmodelled_ix } = slots;
    let key = *unmodelled_ix.entry(action.id.clone()).or_insert_with(|| {
        unmodelled.push(action.id.clone());
        let kind = action.spec.map_or(action.type_name.as_str(), |s| s.name);
        unmodelled_what.push(match &action.label {
            Some(l) => format!("{kind} \"{l}\""),
            None => kind.to_string(),
        });
        unmodelled.len() - 1
    });
    BranchedOp {
        choices,
        cumulative,
        choice: purposes.intern(&format!("branch:{}", action.id)),
        slot: key as u32,
        kind: action.spec.map_or("unknown type", |s| s.name),
    }
}

/// The caller input of a MENU the traffic file does not list (docs/tenant-and-traffic.md
/// "Outcomes the traffic leaves open"): `None` = uniform over the wired digits (no `default` to
/// go to); else choices and cumulative weights — the wired digits share what no input
/// ([`open::MENU_NO_INPUT`]) and an unlisted digit ([`open::MENU_UNLISTED`]) leave. Explore:
/// uniform over every listed digit, no input and an unlisted digit.
fn open_menu_inputs(
    digits: &[(String, Next)],
    wired: &[u32],
    default_wired: bool,
    explore: bool,
) -> Option<(Vec<Option<String>>, Vec<f64>)> {
    let unlisted = open::UNLISTED_CANDIDATES
        .iter()
        .find(|c| !digits.iter().any(|(d, _)| d == *c))
        .map(|c| c.to_string());
    if explore {
        let mut choices: Vec<Option<String>> = digits.iter().map(|(d, _)| Some(d.clone())).collect();
        choices.push(None);
        choices.extend(unlisted.map(Some));
        let cum = cumulative(choices.iter().map(|_| 1.0));
        return Some((choices, cum));
    }
    if !default_wired || wired.is_empty() {
        return None;
    }
    let mut rest = 1.0 - open::MENU_NO_INPUT;
    let mut choices: Vec<(Option<String>, f64)> = vec![(None, open::MENU_NO_INPUT)];
    if let Some(u) = unlisted {
        choices.push((Some(u), open::MENU_UNLISTED));
        rest -= open::MENU_UNLISTED;
    }
    let each = rest / wired.len() as f64;
    let mut all: Vec<(Option<String>, f64)> =
        wired.iter().map(|&i| (Some(digits[i as usize].0.clone()), each)).collect();
    all.extend(choices);
    let cum = cumulative(all.iter().map(|(_, w)| *w));
    Some((all.into_iter().map(|(c, _)| c).collect(), cum))
}

/// The MAX presses when the traffic file gives no `agent.presses`: each button an INDICATE of
/// the script turns On, pressed alone, and (when there are several) all of them in script
/// order, each sequence with probability [`open::BUTTON_PRESS`] (explore: uniform over
/// pressing nothing and each sequence). Templated names (`{var}`) are left out.
fn open_button_presses(script: &Script, explore: bool) -> Vec<crate::model::PressSequence> {
    let mut buttons: Vec<String> = Vec::new();
    for a in &script.actions {
        if let Kind::Indicate(i) = &a.kind
            && i.state == OnOff::On
            && !i.name.contains('{')
            && !i.name.trim().is_empty()
            && !buttons.iter().any(|b| b.eq_ignore_ascii_case(&i.name))
        {
            buttons.push(i.name.clone());
        }
    }
    let mut seqs: Vec<Vec<String>> = buttons.iter().map(|b| vec![b.clone()]).collect();
    if buttons.len() > 1 {
        seqs.push(buttons.clone());
    }
    let p = if explore {
        1.0 / (seqs.len() + 1) as f64
    } else {
        open::BUTTON_PRESS.min(1.0 / seqs.len().max(1) as f64)
    };
    seqs.into_iter().map(|buttons| crate::model::PressSequence { p, buttons }).collect()
}

/// Seconds → whole milliseconds (negative / non-finite → 0; huge values saturate).
pub fn secs_to_ms(s: f64) -> u64 {
    // Loaders refuse longer values; a random draw (an `exp` tail) is cut to the bound, so
    // every step of a contact is at most 10 years (docs/limits.md).
    if !(s.is_finite() && s > 0.0) {
        return 0;
    }
    let x = s * 1000.0;
    if x >= crate::source::MAX_MS as f64 {
        return crate::source::MAX_MS;
    }
    // `x.round()` (half away from zero) without the libm call it compiles to on baseline
    // x86-64 (it was a few percent of a contact): 0 < x < MAX_MS < 2^53, so `x as i64` is the
    // exact floor and `x - floor` the exact fraction (Sterbenz), and this is the same integer.
    // Through i64, not u64: one conversion instruction each way instead of a dozen.
    let floor = x as i64;
    (if x - floor as f64 >= 0.5 { floor + 1 } else { floor }) as u64
}

#[cfg(test)]
mod tests {
    use super::secs_to_ms;

    /// The hand-written rounding is `f64::round` exactly: halves, values just below a half,
    /// the largest doubles below 1, huge and non-finite inputs, and a sweep of random draws.
    #[test]
    fn secs_to_ms_rounds_like_f64_round() {
        let max = crate::source::MAX_MS;
        let reference = |s: f64| {
            if s.is_finite() && s > 0.0 { ((s * 1000.0).round() as u64).min(max) } else { 0 }
        };
        let mut cases = vec![
            0.0,
            -0.0,
            -1.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            0.0005,
            0.0015,
            0.0025,
            0.000_499_999_999_999_999_9,
            1e-3 * 0.499_999_999_999_999_94,
            6.0,
            30.123_5,
            1e300,
            max as f64 / 1000.0,
            max as f64 / 1000.0 - 0.0005,
            (1u64 << 53) as f64 / 1000.0,
        ];
        let mut z = 0x1234_5678_9abc_def0u64;
        for _ in 0..200_000 {
            z = z.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let u = ((z >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
            cases.push(-300.0 * u.ln());
            cases.push((z >> 40) as f64 / 2000.0);
        }
        for s in cases {
            assert_eq!(secs_to_ms(s), reference(s), "secs_to_ms({s:e})");
        }
    }
}
