//! Outcome classes: what one contact's recording outcome *was*, without its times.
//!
//! Input: an [`Outcome`]. Output: an [`OutcomeClass`], a small, hashable, totally ordered
//! value, and its stable human name (see [`OutcomeClass::name`]). Two contacts have the same
//! class when the same initiators recorded the same kinds of segment in the same modes, DNR was
//! set (or not) in both, the same numbers of recorded statements were saved and lost, and the
//! same findings were raised. Shifting a recording by a few seconds is not a change of class.

use std::fmt::Write as _;

use crate::sim::Compiled;
use crate::sim::ids::PolicyId;
use crate::sim::outcome::{Finding, Initiator, Mode, Outcome, SegmentKind};

/// Who started a recording (mirror of the simulator's initiator, hashable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum By {
    Studio,
    Rod,
    /// Index into [`Compiled::policies`] (evaluation order). Both sides of a diff compile the
    /// same tenant, so an index means the same policy in both programs.
    Policy(PolicyId),
}

impl From<Initiator> for By {
    fn from(i: Initiator) -> Self {
        match i {
            Initiator::Studio => By::Studio,
            Initiator::Rod => By::Rod,
            Initiator::Policy(p) => By::Policy(p),
        }
    }
}

/// Recording mode (mirror of the simulator's [`Mode`], hashable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecMode {
    Full,
    AgentOnly,
}

impl From<Mode> for RecMode {
    fn from(m: Mode) -> Self {
        match m {
            Mode::Full => RecMode::Full,
            Mode::AgentOnly => RecMode::AgentOnly,
        }
    }
}

impl RecMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RecMode::Full => "full",
            RecMode::AgentOnly => "agent_only",
        }
    }
}

/// Segment-kind bits of [`Rec::kinds`], in naming order (alphabetical).
pub const KIND_AGENT: u8 = 1;
pub const KIND_EXTERNAL: u8 = 2;
pub const KIND_IVR: u8 = 4;

fn kind_bit(k: SegmentKind) -> u8 {
    match k {
        SegmentKind::Agent => KIND_AGENT,
        SegmentKind::External => KIND_EXTERNAL,
        SegmentKind::Ivr => KIND_IVR,
    }
}

/// One (initiator, mode) pair and the kinds of segment it recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rec {
    pub by: By,
    pub mode: RecMode,
    /// Bit set of `KIND_*`.
    pub kinds: u8,
}

/// The outcome class of one contact. Ordering is derived (recordings, then DNR, statements,
/// findings), so sorting is total and deterministic; output sorts by [`name`](Self::name).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutcomeClass {
    /// Sorted by (initiator, mode); one entry per pair.
    pub recorded: Vec<Rec>,
    pub dnr: bool,
    pub statements_saved: u32,
    pub statements_lost: u32,
    /// The caller hung up during the IVR.
    pub hung_up_in_ivr: bool,
    /// Bit `f as u8` set for each [`Finding`] of the contact.
    pub findings: u32,
}

impl OutcomeClass {
    /// The class of a simulated contact. Zero-length intervals never reach an `Outcome`
    /// (SEMANTICS §4), so every recording listed counts.
    pub fn of(o: &Outcome) -> OutcomeClass {
        let mut recorded: Vec<Rec> = Vec::new();
        for r in &o.recordings {
            let (by, mode, bit) = (By::from(r.initiator), RecMode::from(r.mode), kind_bit(o.kind_of(r)));
            match recorded.iter_mut().find(|x| x.by == by && x.mode == mode) {
                Some(x) => x.kinds |= bit,
                None => recorded.push(Rec { by, mode, kinds: bit }),
            }
        }
        recorded.sort_unstable();
        let saved = o.statements.iter().filter(|s| s.saved).count() as u32;
        OutcomeClass {
            recorded,
            dnr: o.dnr_at_ms.is_some(),
            statements_saved: saved,
            statements_lost: o.statements.len() as u32 - saved,
            hung_up_in_ivr: o.hung_up_in_ivr,
            findings: o.finding_bits(),
        }
    }

    pub fn has(&self, f: Finding) -> bool {
        self.findings & (1 << f as u8) != 0
    }

    /// The stable human name. Grammar (tokens joined by `", "`):
    ///
    /// 1. the recordings, one token per initiator and mode, `INITIATOR/MODE@KINDS`, ordered
    ///    studio, rod, then policies in evaluation order; `INITIATOR` is `studio`, `rod` or
    ///    `policy:NAME`; `MODE` is `full` or `agent_only`; `KINDS` are the segment kinds it
    ///    recorded, alphabetical, joined by `+` (`agent`, `external`, `ivr`). With no
    ///    recording this token is `none` — or left out when DNR is set, so that a contact that
    ///    declined and was not recorded is simply `dnr`;
    /// 2. `dnr` when Do Not Record was set;
    /// 3. `stmt-saved:N` and `stmt-lost:N` when N > 0 recorded statements were saved / lost;
    /// 4. `hung-up-in-ivr` when the caller hung up during the IVR;
    /// 5. `!FINDING` for each finding, in report order (`!recorded_before_dnr`, `!stuck`, ...).
    ///
    /// Examples: `none`, `dnr`, `policy:Default/full@agent`, `studio/full@agent+ivr`,
    /// `studio/full@ivr, dnr, !recorded_before_dnr`, `none, stmt-lost:1, !stuck`.
    pub fn name(&self, p: &Compiled) -> String {
        let mut s = String::new();
        let sep = |s: &mut String| {
            if !s.is_empty() {
                s.push_str(", ");
            }
        };
        for r in &self.recorded {
            sep(&mut s);
            match r.by {
                By::Studio => s.push_str("studio"),
                By::Rod => s.push_str("rod"),
                By::Policy(i) => {
                    s.push_str("policy:");
                    s.push_str(p.policies.get(i.index()).map_or("?", |x| x.name.as_str()));
                }
            }
            let _ = write!(s, "/{}@", r.mode.as_str());
            let mut first = true;
            for (bit, name) in [(KIND_AGENT, "agent"), (KIND_EXTERNAL, "external"), (KIND_IVR, "ivr")] {
                if r.kinds & bit != 0 {
                    if !first {
                        s.push('+');
                    }
                    s.push_str(name);
                    first = false;
                }
            }
        }
        if self.recorded.is_empty() && !self.dnr {
            s.push_str("none");
        }
        if self.dnr {
            sep(&mut s);
            s.push_str("dnr");
        }
        if self.statements_saved > 0 {
            sep(&mut s);
            let _ = write!(s, "stmt-saved:{}", self.statements_saved);
        }
        if self.statements_lost > 0 {
            sep(&mut s);
            let _ = write!(s, "stmt-lost:{}", self.statements_lost);
        }
        if self.hung_up_in_ivr {
            sep(&mut s);
            s.push_str("hung-up-in-ivr");
        }
        for &f in Finding::ALL {
            if self.has(f) {
                sep(&mut s);
                s.push('!');
                s.push_str(f.as_str());
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::outcome::{EndedBy, RecEnd, Recording, Segment, Statement};

    fn program() -> Compiled {
        let script = crate::script::load_str(
            "t.yaml",
            "script: t\nactions:\n  - {id: b, type: BEGIN, next: q}\n  - {id: q, type: REQAGENT}\n",
        )
        .expect("loads");
        Compiled::compile(&script, &Default::default(), &Default::default())
    }

    fn seg(kind: SegmentKind) -> Segment {
        Segment { kind, agent: None, from_ms: 0, to_ms: 10 }
    }

    fn rec(segment: u32, mode: Mode, initiator: Initiator, from_ms: u64) -> Recording {
        Recording { segment, mode, initiator, from_ms, to_ms: from_ms + 5, ended_by: RecEnd::CallEnd }
    }

    #[test]
    fn names_follow_the_documented_grammar() {
        let p = program();
        let mut o = Outcome::default();
        o.clear(0, 1);
        assert_eq!(OutcomeClass::of(&o).name(&p), "none");
        o.dnr_at_ms = Some(3);
        assert_eq!(OutcomeClass::of(&o).name(&p), "dnr");
        o.dnr_at_ms = None;
        o.segments = vec![seg(SegmentKind::Ivr), seg(SegmentKind::Agent)];
        o.recordings = vec![rec(1, Mode::Full, Initiator::Policy(PolicyId(0)), 1)];
        assert_eq!(OutcomeClass::of(&o).name(&p), "policy:Default/full@agent");
        o.recordings =
            vec![rec(0, Mode::Full, Initiator::Studio, 1), rec(1, Mode::Full, Initiator::Studio, 1)];
        assert_eq!(OutcomeClass::of(&o).name(&p), "studio/full@agent+ivr");
        o.recordings = vec![rec(0, Mode::Full, Initiator::Studio, 1)];
        o.dnr_at_ms = Some(9);
        o.add(Finding::RecordedBeforeDnr);
        o.statements =
            vec![Statement { n: 1, from_ms: 0, to_ms: 2, saved: false, ended_by: EndedBy::Dnr, at: None }];
        assert_eq!(OutcomeClass::of(&o).name(&p), "studio/full@ivr, dnr, stmt-lost:1, !recorded_before_dnr");
    }

    #[test]
    fn times_do_not_change_the_class() {
        let mut a = Outcome::default();
        a.clear(0, 1);
        a.segments = vec![seg(SegmentKind::Ivr), seg(SegmentKind::Agent)];
        a.recordings = vec![rec(1, Mode::Full, Initiator::Policy(PolicyId(0)), 100)];
        let mut b = a.clone();
        b.recordings[0].from_ms = 7000;
        b.recordings[0].to_ms = 90000;
        b.duration_ms = 123456;
        assert_eq!(OutcomeClass::of(&a), OutcomeClass::of(&b));
        // Two intervals of one initiator and mode in two agent segments = one token.
        b.segments.push(seg(SegmentKind::Agent));
        b.recordings.push(rec(2, Mode::Full, Initiator::Policy(PolicyId(0)), 1));
        assert_eq!(OutcomeClass::of(&a), OutcomeClass::of(&b));
        b.recordings.push(rec(2, Mode::Full, Initiator::Rod, 3));
        assert_ne!(OutcomeClass::of(&a), OutcomeClass::of(&b));
    }
}
