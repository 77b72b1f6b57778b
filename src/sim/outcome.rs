//! What one contact produced (SEMANTICS §5, FORMATS §5 `--calls-out`), and its JSONL line.
//!
//! An [`Outcome`] is reused by a worker from contact to contact (`clear` keeps the buffers),
//! so the hot loop allocates only when a contact is bigger than every one before it.

use std::fmt::Write as _;

use super::compile::Compiled;
use super::ids::{AgentId, PolicyId};
use crate::script::ActionIx;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SegmentKind {
    Ivr,
    Agent,
    External,
}

impl SegmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentKind::Ivr => "ivr",
            SegmentKind::Agent => "agent",
            SegmentKind::External => "external",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub kind: SegmentKind,
    /// Index into [`Compiled::agents`].
    pub agent: Option<AgentId>,
    pub from_ms: u64,
    pub to_ms: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mode {
    Full,
    AgentOnly,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Full => "full",
            Mode::AgentOnly => "agent_only",
        }
    }
}

/// Who started a recording interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Initiator {
    Studio,
    Rod,
    /// Index into [`Compiled::policies`].
    Policy(PolicyId),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recording {
    /// Index into [`Outcome::segments`].
    pub segment: u32,
    pub mode: Mode,
    pub initiator: Initiator,
    pub from_ms: u64,
    pub to_ms: u64,
    /// What ended the interval (the report's timelines name the rule).
    pub ended_by: RecEnd,
}

/// What ended a recording interval, with the rule that says so (SEMANTICS §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecEnd {
    /// The call ended (release, abandonment, the step limit).
    CallEnd,
    /// R4: REQAGENT ended the IVR segment and its recording.
    Reqagent,
    /// R10: a transfer ended the segment (an interval never spans two segments; the recording
    /// may go on in the next one as a new interval).
    Transfer,
    /// R6: LOGRECORDINGPRO Stop.
    Stop,
    /// R1 / A-17: DONOTRECORD stopped it.
    Dnr,
    /// R11: the agent's disposition stopped the policy recording.
    Disposition,
    /// R7: a Studio Start or ROD took over from the policy recording.
    TakenOver,
    /// a later Studio action switched the mode (full ↔ agent only).
    ModeSwitch,
}

impl RecEnd {
    /// Every kind, for legends.
    pub const ALL: [RecEnd; 8] = [
        RecEnd::CallEnd,
        RecEnd::Reqagent,
        RecEnd::Transfer,
        RecEnd::Stop,
        RecEnd::Dnr,
        RecEnd::Disposition,
        RecEnd::TakenOver,
        RecEnd::ModeSwitch,
    ];

    /// What happened, after its [`code`](Self::code): `LOGRECORDINGPRO Stop`.
    pub fn words(self) -> &'static str {
        match self {
            RecEnd::CallEnd => "the call ended",
            RecEnd::Reqagent => "REQAGENT ended the IVR segment",
            RecEnd::Transfer => "a transfer ended the segment",
            RecEnd::Stop => "LOGRECORDINGPRO Stop",
            RecEnd::Dnr => "DONOTRECORD (A-17: what was recorded is kept)",
            RecEnd::Disposition => "the disposition stops policy recording",
            RecEnd::TakenOver => "Studio or ROD took over from the policy",
            RecEnd::ModeSwitch => "a later Studio action switched the mode",
        }
    }

    /// The rule that ended it (`R6`), or `end`: the mark drawn at the end of the interval on a
    /// timeline.
    pub fn code(self) -> &'static str {
        match self {
            RecEnd::CallEnd => "end",
            RecEnd::Reqagent => "R4",
            RecEnd::Transfer => "R10",
            RecEnd::Stop => "R6",
            RecEnd::Dnr => "R1",
            RecEnd::Disposition => "R11",
            RecEnd::TakenOver => "R7",
            RecEnd::ModeSwitch => "A-7",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndedBy {
    Stop,
    CallEnd,
    Transfer,
    Conference,
    Dnr,
    Superseded,
}

impl EndedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            EndedBy::Stop => "stop",
            EndedBy::CallEnd => "call_end",
            EndedBy::Transfer => "transfer",
            EndedBy::Conference => "conference",
            EndedBy::Dnr => "dnr",
            EndedBy::Superseded => "superseded",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Statement {
    /// 1-based number within the contact; the id is `rs-<contact>-<n>` ([`write_statement_id`]).
    pub n: u32,
    pub from_ms: u64,
    pub to_ms: u64,
    pub saved: bool,
    pub ended_by: EndedBy,
    /// The LOGRECORDINGPRO that started it (where `statement_lost` is found).
    pub at: Option<ActionIx>,
}

/// The statement id LOGRECORDINGPRO writes into `RecordingStatementId`.
pub fn write_statement_id(out: &mut String, contact: u64, n: u32) {
    out.clear();
    let _ = write!(out, "rs-{contact}-{n}");
}

/// Findings of one contact: the kinds of the catalogue (`sim/findings.rs`).
pub use super::findings::Finding;

/// What a contact answered to the script's consent question(s) — the last answer counts, as a
/// caller asked twice may change their mind (issue 19 point 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConsentAnswer {
    /// An input the question's `accept` list names.
    Accepted,
    /// A digit with its own branch that does not accept.
    Declined,
    /// No input (timeout): the `default` branch.
    NoInput,
    /// A digit with no branch of its own (the `default` branch) that does not accept.
    UnlistedDigit,
    /// The contact never answered a consent question (its path skipped them).
    NotAsked,
}

impl ConsentAnswer {
    pub const ALL: [ConsentAnswer; 5] = [
        ConsentAnswer::Accepted,
        ConsentAnswer::Declined,
        ConsentAnswer::NoInput,
        ConsentAnswer::UnlistedDigit,
        ConsentAnswer::NotAsked,
    ];

    /// The report key (`accepted`, `declined`, `no_input`, `unlisted_digit`, `not_asked`).
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentAnswer::Accepted => "accepted",
            ConsentAnswer::Declined => "declined",
            ConsentAnswer::NoInput => "no_input",
            ConsentAnswer::UnlistedDigit => "unlisted_digit",
            ConsentAnswer::NotAsked => "not_asked",
        }
    }

    /// In words, for the verdict line (`no input at consent`).
    pub fn words(self) -> &'static str {
        match self {
            ConsentAnswer::Accepted => "accepted",
            ConsentAnswer::Declined => "declined",
            ConsentAnswer::NoInput => "no input",
            ConsentAnswer::UnlistedDigit => "an unlisted digit",
            ConsentAnswer::NotAsked => "not asked",
        }
    }
}

/// Bits of [`Outcome::without_consent_by`]: who made a recording without consent.
pub const BY_STUDIO: u8 = 1;
pub const BY_ROD: u8 = 2;
pub const BY_POLICY: u8 = 4;

#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub id: u64,
    pub duration_ms: u64,
    pub abandoned: bool,
    /// The caller hung up during the IVR, before REQAGENT (traffic `durations.ivr_patience`,
    /// not an abandonment of the queue.
    pub hung_up_in_ivr: bool,
    pub dnr_at_ms: Option<u64>,
    pub segments: Vec<Segment>,
    pub recordings: Vec<Recording>,
    pub statements: Vec<Statement>,
    /// Bit `f as u8` per [`Finding`] of the contact.
    findings: u32,
    /// Per finding kind: the action it was found at, first occurrence (a consent finding is at
    /// the consent question answered; `None` for kinds without one, such as not asked). What
    /// the lint ⇔ simulate agreement test compares with lint's paths.
    pub finding_at: [Option<ActionIx>; Finding::COUNT],
    /// The consent answer that judged the contact; `None` when the script asks no consent.
    pub consent: Option<ConsentAnswer>,
    /// `recorded_without_consent`: who recorded (bits `BY_*`); 0 when not found.
    pub without_consent_by: u8,
    /// Action indices in execution order.
    pub path: Vec<ActionIx>,
    /// The wired branches taken, in order, a branch taken twice in a row kept once (coverage,
    /// `sim/coverage.rs`; not in `--calls-out`).
    pub branches: Vec<super::compile::BranchIx>,
    /// Per policy (program order): one of this contact's agent segments matched its filters.
    pub policy_matched: Vec<bool>,
    /// SNIPPET executions that met a construct recflow does not model (external calls such as
    /// `GetRESTProxy()`, `USES`): they produced unknown values, not faults (docs/snippet.md).
    pub unmodelled_snippet: u32,
    /// [`super::compile::BranchedOp::slot`]s of the traffic-branched actions this contact ran
    /// (each once): the branch came from traffic weights, not from the script (`unmodelled`).
    pub unmodelled: Vec<u32>,
    /// [`super::templated::TemplatedOp::slot`]s of the actions whose `{var}` property was
    /// still invalid at run time and took its fallback (each once): finding `templated_fallback`.
    pub templated_fallback: Vec<u32>,
}

impl Outcome {
    pub fn clear(&mut self, id: u64, policies: usize) {
        self.id = id;
        self.duration_ms = 0;
        self.abandoned = false;
        self.hung_up_in_ivr = false;
        self.dnr_at_ms = None;
        self.segments.clear();
        self.recordings.clear();
        self.statements.clear();
        self.findings = 0;
        self.finding_at = [None; Finding::COUNT];
        self.consent = None;
        self.without_consent_by = 0;
        self.path.clear();
        self.branches.clear();
        self.policy_matched.clear();
        self.policy_matched.resize(policies, false);
        self.unmodelled_snippet = 0;
        self.unmodelled.clear();
        self.templated_fallback.clear();
    }

    pub fn add(&mut self, f: Finding) {
        self.findings |= 1 << f as u8;
    }

    /// What of this contact so far its tally and the rest of its run can read, appended to
    /// `out` in a canonical byte form, every time as its distance from `now` (exact analysis
    /// merges equal states: `sim::exact`). The engine never reads a segment's times, nor the
    /// time of DNR, nor the order of the actions run and branches taken (coverage counts
    /// contacts, so the tally reads their sets): those are left out or encoded as sets.
    /// Closed recordings and statements are encoded by their length (recorded time) and by
    /// `past` of their ends: nothing later reads their distance from the clock, only their order
    /// and equality against the consent answer's times and each other (`engine::consent`), so
    /// `past` may map each time to its rank among the contact's past times (`engine::fingerprint`)
    /// — the turns of a hold loop after a recording closed then repeat a state. The open
    /// statement (`open`) too, and whether it started at `now`: its length, which still grows,
    /// is a reward (`sim::exact`), read by nothing but the tally and the drop of a zero-length
    /// statement at its end.
    pub fn encode_state(
        &self,
        now: u64,
        past: impl Fn(u64) -> u64,
        open: Option<usize>,
        live: (impl Fn(ActionIx) -> bool, impl Fn(super::compile::BranchIx) -> bool),
        out: &mut Vec<u8>,
    ) {
        let Outcome {
            id: _,
            duration_ms,
            abandoned,
            hung_up_in_ivr,
            dnr_at_ms,
            segments,
            recordings,
            statements,
            findings,
            finding_at,
            consent,
            without_consent_by,
            path,
            branches,
            policy_matched,
            unmodelled_snippet,
            unmodelled,
            templated_fallback,
        } = self;
        let w = |out: &mut Vec<u8>, x: u64| out.extend_from_slice(&x.to_le_bytes());
        let ix = |a: Option<ActionIx>| a.map_or(u64::MAX, |a| a.index() as u64);
        w(out, *duration_ms);
        out.extend_from_slice(&[
            u8::from(*abandoned),
            u8::from(*hung_up_in_ivr),
            u8::from(dnr_at_ms.is_some()),
            u8::from(*unmodelled_snippet > 0),
            *without_consent_by,
            consent.map_or(255, |c| c as u8),
        ]);
        w(out, segments.len() as u64);
        for s in segments {
            out.push(s.kind as u8);
            w(out, s.agent.map_or(u64::MAX, |a| a.index() as u64));
        }
        w(out, recordings.len() as u64);
        for r in recordings {
            let who = match r.initiator {
                Initiator::Studio => u64::MAX,
                Initiator::Rod => u64::MAX - 1,
                Initiator::Policy(p) => p.index() as u64,
            };
            for x in [
                u64::from(r.segment),
                r.mode as u64,
                who,
                past(r.from_ms),
                past(r.to_ms),
                r.to_ms.wrapping_sub(r.from_ms),
                r.ended_by as u64,
            ] {
                w(out, x);
            }
        }
        w(out, statements.len() as u64);
        for (i, s) in statements.iter().enumerate() {
            // The open statement's length is a reward (`engine::fingerprint`): its start by its
            // rank, as closed ones', and whether it started in this very millisecond (a
            // zero-length statement is dropped at its end, §4) instead of its end.
            let (from, to) = if open == Some(i) {
                (past(s.from_ms), u64::from(s.from_ms == now))
            } else {
                (past(s.from_ms), past(s.to_ms))
            };
            for x in [
                u64::from(s.n),
                from,
                to,
                s.to_ms.wrapping_sub(s.from_ms),
                u64::from(s.saved),
                s.ended_by as u64,
                ix(s.at),
            ] {
                w(out, x);
            }
        }
        w(out, u64::from(*findings));
        for a in finding_at {
            w(out, ix(*a));
        }
        let mut set = Vec::new();
        // Coverage only where it can still change (`sim::live`): the rest is settled, a
        // reward of the path (`sim::exact`).
        write_set(out, &mut set, path.iter().filter(|&&a| live.0(a)).map(|a| a.index() as u64));
        write_set(out, &mut set, branches.iter().filter(|&&b| live.1(b)).map(|b| b.index() as u64));
        for m in policy_matched {
            out.push(u8::from(*m));
        }
        write_set(out, &mut set, unmodelled.iter().map(|&x| u64::from(x)));
        write_set(out, &mut set, templated_fallback.iter().map(|&x| u64::from(x)));
    }

    /// `o`, reusing this outcome's buffers (exact analysis resumes a run from an outcome saved
    /// earlier in it: `sim::exact`). Every field is named: a field added
    /// without a copy does not compile.
    pub fn copy_from(&mut self, o: &Outcome) {
        let Outcome {
            id,
            duration_ms,
            abandoned,
            hung_up_in_ivr,
            dnr_at_ms,
            segments,
            recordings,
            statements,
            findings,
            finding_at,
            consent,
            without_consent_by,
            path,
            branches,
            policy_matched,
            unmodelled_snippet,
            unmodelled,
            templated_fallback,
        } = self;
        (*id, *duration_ms, *abandoned, *hung_up_in_ivr, *dnr_at_ms) =
            (o.id, o.duration_ms, o.abandoned, o.hung_up_in_ivr, o.dnr_at_ms);
        (*findings, *finding_at, *consent, *without_consent_by) =
            (o.findings, o.finding_at, o.consent, o.without_consent_by);
        *unmodelled_snippet = o.unmodelled_snippet;
        segments.clone_from(&o.segments);
        recordings.clone_from(&o.recordings);
        statements.clone_from(&o.statements);
        path.clone_from(&o.path);
        branches.clone_from(&o.branches);
        policy_matched.clone_from(&o.policy_matched);
        unmodelled.clone_from(&o.unmodelled);
        templated_fallback.clone_from(&o.templated_fallback);
    }

    /// Add finding `f`, found at action `at` (the first place is kept).
    pub fn add_at(&mut self, f: Finding, at: Option<ActionIx>) {
        self.add(f);
        let slot = &mut self.finding_at[f as usize];
        if slot.is_none() {
            *slot = at;
        }
    }

    /// The contact's findings as a bit set (bit `f as u8` per [`Finding`]).
    pub fn finding_bits(&self) -> u32 {
        self.findings
    }

    pub fn has(&self, f: Finding) -> bool {
        self.findings & (1 << f as u8) != 0
    }

    pub fn findings(&self) -> impl Iterator<Item = Finding> + '_ {
        Finding::ALL.iter().copied().filter(|f| self.has(*f))
    }

    /// Kind of the segment a recording belongs to.
    pub fn kind_of(&self, r: &Recording) -> SegmentKind {
        self.segments[r.segment as usize].kind
    }

    /// The FORMATS §5 JSON object of this contact, on one line (no newline).
    pub fn write_json(&self, p: &Compiled, out: &mut String) {
        let _ = write!(
            out,
            "{{\"id\":{},\"duration_ms\":{},\"abandoned\":{},",
            self.id, self.duration_ms, self.abandoned
        );
        // Only when the traffic models IVR hang-ups: other lines stay what they were.
        if p.ivr_patience.is_some() {
            let _ = write!(out, "\"hung_up_in_ivr\":{},", self.hung_up_in_ivr);
        }
        out.push_str("\"dnr_at_ms\":");
        match self.dnr_at_ms {
            Some(t) => {
                let _ = write!(out, "{t}");
            }
            None => out.push_str("null"),
        }
        out.push_str(",\"segments\":[");
        for (i, s) in self.segments.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{{\"kind\":\"{}\",\"agent\":", s.kind.as_str());
            match s.agent {
                Some(a) => json_str(out, &p.agents[a.index()].id),
                None => out.push_str("null"),
            }
            let _ = write!(out, ",\"from_ms\":{},\"to_ms\":{}}}", s.from_ms, s.to_ms);
        }
        out.push_str("],\"recordings\":[");
        for (i, r) in self.recordings.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ =
                write!(out, "{{\"segment\":{},\"mode\":\"{}\",\"initiator\":", r.segment, r.mode.as_str());
            json_str(out, &initiator_name(p, r.initiator));
            let _ = write!(out, ",\"from_ms\":{},\"to_ms\":{}}}", r.from_ms, r.to_ms);
        }
        out.push_str("],\"statements\":[");
        let mut id = String::new();
        for (i, s) in self.statements.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_statement_id(&mut id, self.id, s.n);
            out.push_str("{\"id\":");
            json_str(out, &id);
            let _ = write!(
                out,
                ",\"from_ms\":{},\"to_ms\":{},\"saved\":{},\"ended_by\":\"{}\"}}",
                s.from_ms,
                s.to_ms,
                s.saved,
                s.ended_by.as_str()
            );
        }
        out.push_str("],\"findings\":[");
        for (i, f) in self.findings().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "\"{}\"", f.as_str());
        }
        out.push(']');
        // Issue 19: the consent answer that judged the contact, when the script asks consent.
        if let Some(c) = self.consent {
            let _ = write!(out, ",\"consent\":\"{}\"", c.as_str());
        }
        out.push_str(",\"path\":[");
        for (i, a) in self.path.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_str(out, p.id(*a));
        }
        out.push_str("]}");
    }
}

/// `studio`, `rod`, or `policy:NAME`.
pub fn initiator_name(p: &Compiled, i: Initiator) -> String {
    match i {
        Initiator::Studio => "studio".into(),
        Initiator::Rod => "rod".into(),
        Initiator::Policy(ix) => format!("policy:{}", p.policies[ix.index()].name),
    }
}

/// Append `s` as a JSON string literal.
pub fn json_str(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
}

/// `values` as a set for a state encoding (`Outcome::encode_state`): its size, then its members
/// in increasing order, each once (`set` is scratch space).
fn write_set(out: &mut Vec<u8>, set: &mut Vec<u64>, values: impl Iterator<Item = u64>) {
    set.clear();
    set.extend(values);
    set.sort_unstable();
    set.dedup();
    out.extend_from_slice(&(set.len() as u64).to_le_bytes());
    set.iter().for_each(|&x| out.extend_from_slice(&x.to_le_bytes()));
}
