//! Streaming aggregation: per-contact [`Outcome`]s → the v1 [`Report`] (FORMATS §5).
//!
//! Workers simulate chunks of consecutive contacts, each into its own [`Tally`]; tallies merge
//! by addition (times are integer milliseconds, so the order of additions never matters) and
//! example contact ids by minimum. Chunk boundaries depend only on contact indices, so the
//! report is byte-identical for any number of threads, and memory stays flat in `--calls`.

use serde::Serialize;

use super::compile::Compiled;
use super::driver::{self, Sink};
use super::findings::{CLASS_MASKS, Class};
use super::outcome::{
    BY_POLICY, BY_ROD, BY_STUDIO, ConsentAnswer, Finding, Initiator, Mode, Outcome, SegmentKind,
};
use crate::stats::{Ci, half_width_pp, wilson};

pub use super::driver::CHUNK;

/// Report version 1 — field names and meanings are public contract (FORMATS §5).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub version: u32,
    pub script: String,
    pub seed: u64,
    /// The script's media when it is not a voice script (`"chat"`, ...): nothing is recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<String>,
    pub calls: u64,
    pub recorded: Recorded,
    pub initiators: Initiators,
    pub dnr: u64,
    pub abandoned: u64,
    /// Contacts whose caller hung up during the IVR, before REQAGENT; left out when the
    /// traffic sets no `durations.ivr_patience` (then no caller does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hung_up_in_ivr: Option<u64>,
    pub statements: Statements,
    pub findings: Findings,
    /// Contacts with at least one finding of each class (issue 19 point 3).
    pub classes: Classes,
    /// One entry per finding kind that occurred, worst class first, then catalogue order: the
    /// verdict block the human report opens with (and snapshots store).
    pub verdicts: Vec<Verdict>,
    /// The consent answers and who recorded without consent (issue 19); left out when the
    /// script asks no consent (then no contact is judged for it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    pub policies: Vec<PolicyRow>,
    pub recorded_seconds: Seconds,
    /// 95% Wilson intervals (percent) of every contact share above, mirroring its layout
    /// (FORMATS §5 round 2: `ci95: [lo, hi]`); each policy carries its own `ci95`.
    pub ci95: Ci95,
    /// Contacts that took a traffic-chosen branch, per action id (FORMATS §5 round 2); left
    /// out when the script has no traffic-branched action that ran. Never counted as `stuck`.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub unmodelled: std::collections::BTreeMap<String, u64>,
    /// What each `unmodelled` id is, for the human report: its type and caption
    /// (`CHECKCALLSUP "Check suppression"`). Not in the JSON (FORMATS §5 keeps `unmodelled` a
    /// map of counts).
    #[serde(skip)]
    pub unmodelled_what: std::collections::BTreeMap<String, String>,
    /// Contacts whose SNIPPETs met a construct recflow does not model; left out when 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub unmodelled_snippet: u64,
    /// Contacts in which an action's `{var}` property was still invalid at run time and took
    /// its documented fallback, per action id (finding `templated_fallback`, issue 11 point 4);
    /// left out when empty.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub templated_fallback: std::collections::BTreeMap<String, u64>,
    /// Contacts per action and per wired branch, and the branches no contact took
    /// (FORMATS round 3, `sim/coverage.rs`).
    pub coverage: super::coverage::CoverageReport,
    /// Set by `--precision`: the target, the widest half-width reached, whether it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<super::precision::Precision>,
    /// Lowest contact ids showing each finding (for `explain` hints), in `Finding::ALL` order.
    #[serde(skip)]
    pub finding_examples: [Examples; Finding::COUNT],
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Recorded {
    pub any: u64,
    pub full: u64,
    pub agent_only: u64,
    pub ivr: u64,
    pub none: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Initiators {
    pub studio: u64,
    pub rod: u64,
    pub policy: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Statements {
    pub captured: u64,
    pub saved: u64,
    pub lost: u64,
}

/// One value per finding kind, serialized as a map in catalogue order (`sim/findings.rs`):
/// `{"recorded_before_dnr": 0, ...}` — the keys are the catalogue's names, so a kind added
/// there appears here without another list.
#[derive(Clone, Debug, PartialEq)]
pub struct PerFinding<T>(pub [T; Finding::COUNT]);

/// Contacts per finding kind.
pub type Findings = PerFinding<u64>;

/// The 95% interval per finding kind.
pub type FindingsCi = PerFinding<Ci>;

impl<T: Default + Copy> Default for PerFinding<T> {
    fn default() -> Self {
        PerFinding([T::default(); Finding::COUNT])
    }
}

impl<T: Copy> PerFinding<T> {
    pub fn get(&self, f: Finding) -> T {
        self.0[f as usize]
    }
}

impl<T: Copy + Serialize> Serialize for PerFinding<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(Finding::COUNT))?;
        for f in Finding::ALL {
            m.serialize_entry(f.as_str(), &self.get(*f))?;
        }
        m.end()
    }
}

/// `classes`: contacts with at least one finding of the class.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Classes {
    pub violation: u64,
    pub warning: u64,
    pub notice: u64,
}

impl Classes {
    pub fn get(&self, c: Class) -> u64 {
        match c {
            Class::Violation => self.violation,
            Class::Warning => self.warning,
            Class::Notice => self.notice,
        }
    }
}

/// One verdict: a finding kind that occurred, its class, how many contacts, the lint rules that
/// predict it and the first two example contacts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    pub finding: &'static str,
    pub code: &'static str,
    pub class: &'static str,
    pub contacts: u64,
    pub percent: f64,
    pub ci95: Ci,
    pub predicted_by: Vec<&'static str>,
    pub examples: Vec<u64>,
}

/// `consent`: `{"questions": [ids], "answers": {...}, "recorded_without_consent": {"by_answer":
/// {...}, "by_initiator": {...}}}` — contacts per answer, and of the contacts recorded without
/// consent, how many per answer and per initiator (a contact may have several initiators).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Consent {
    pub questions: Vec<String>,
    pub answers: Answers,
    pub recorded_without_consent: WithoutConsent,
}

/// Contacts per consent answer (the keys of `ConsentAnswer::as_str`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answers(pub [u64; 5]);

impl Answers {
    pub fn get(&self, a: ConsentAnswer) -> u64 {
        self.0[a as usize]
    }
}

impl Serialize for Answers {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(5))?;
        for a in ConsentAnswer::ALL {
            m.serialize_entry(a.as_str(), &self.get(a))?;
        }
        m.end()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct WithoutConsent {
    /// `accepted` is always 0 here; kept so the keys match `answers`.
    pub by_answer: Answers,
    pub by_initiator: Initiators,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyRow {
    pub name: String,
    pub target_percent: f64,
    pub matched: u64,
    pub recorded: u64,
    pub effective_percent: f64,
    /// 95% Wilson interval of `effective_percent` (recorded of matched).
    pub ci95: Ci,
}

/// The 95% intervals of the contact shares of a [`Report`], in percent of `calls`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Ci95 {
    pub recorded: RecordedCi,
    pub initiators: InitiatorsCi,
    pub dnr: Ci,
    pub abandoned: Ci,
    /// Left out as [`Report::hung_up_in_ivr`] is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hung_up_in_ivr: Option<Ci>,
    pub findings: FindingsCi,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RecordedCi {
    pub any: Ci,
    pub full: Ci,
    pub agent_only: Ci,
    pub ivr: Ci,
    pub none: Ci,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct InitiatorsCi {
    pub studio: Ci,
    pub rod: Ci,
    pub policy: Ci,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Seconds {
    pub full: f64,
    pub agent_only: f64,
    pub ivr: f64,
    pub statements: f64,
}

/// Integer partial sums of a range of contacts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub calls: u64,
    pub any: u64,
    pub full: u64,
    pub agent_only: u64,
    pub ivr: u64,
    pub studio: u64,
    pub rod: u64,
    pub policy: u64,
    pub dnr: u64,
    pub abandoned: u64,
    pub hung_up_in_ivr: u64,
    /// The program models IVR hang-ups (traffic `durations.ivr_patience`, A-27): the report
    /// then has `hung_up_in_ivr`, with its interval.
    pub ivr_hang_ups: bool,
    pub captured: u64,
    pub saved: u64,
    pub lost: u64,
    pub findings: [u64; Finding::COUNT],
    pub examples: [Examples; Finding::COUNT],
    pub policy_matched: Vec<u64>,
    pub policy_recorded: Vec<u64>,
    pub ms_full: u64,
    pub ms_agent_only: u64,
    pub ms_ivr: u64,
    pub ms_statements: u64,
    /// Per [`Compiled::unmodelled`] slot: contacts that ran that traffic-branched action.
    /// Grown on demand (tallies are created from the policy count only).
    pub unmodelled: Vec<u64>,
    pub unmodelled_snippet: u64,
    /// Per [`Compiled::templated`] slot: contacts whose value there took its fallback.
    pub templated_fallback: Vec<u64>,
    /// Contacts per consent answer (`ConsentAnswer as usize`).
    pub consent_answers: [u64; 5],
    /// Of the contacts recorded without consent: per answer, and per initiator (studio, rod,
    /// policy).
    pub without_by_answer: [u64; 5],
    pub without_by: [u64; 3],
    /// Contacts with a finding of each class (`Class as usize`).
    pub class_contacts: [u64; 3],
    /// Contacts per action and per wired branch.
    pub coverage: super::coverage::Coverage,
}

/// The two lowest contact ids that showed something (the report's `explain` examples):
/// merged by minimum, so the same for any `--jobs`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Examples(pub [Option<u64>; 2]);

impl Examples {
    /// Keep the two lowest of what is kept and `id`.
    #[inline]
    pub fn note(&mut self, id: u64) {
        match self.0 {
            [None, _] => self.0[0] = Some(id),
            [Some(a), _] if id < a => self.0 = [Some(id), Some(a)],
            [Some(a), None] if id != a => self.0[1] = Some(id),
            [Some(a), Some(b)] if id != a && id < b => self.0[1] = Some(id),
            _ => {}
        }
    }

    pub fn merge(&mut self, o: &Examples) {
        for id in o.0.into_iter().flatten() {
            self.note(id);
        }
    }

    /// The lowest id.
    pub fn first(&self) -> Option<u64> {
        self.0[0]
    }

    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        self.0.iter().flatten().copied()
    }
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Tally {
    /// An empty tally of `p`'s contacts.
    pub fn new(p: &Compiled) -> Self {
        let policies = p.policies.len();
        Tally {
            findings: [0; Finding::COUNT],
            examples: [Examples::default(); Finding::COUNT],
            policy_matched: vec![0; policies],
            policy_recorded: vec![0; policies],
            coverage: super::coverage::Coverage::new(p),
            ivr_hang_ups: p.ivr_patience.is_some(),
            ..Tally::default()
        }
    }

    pub fn add(&mut self, o: &Outcome) {
        self.calls += 1;
        for r in &o.recordings {
            let len = r.to_ms - r.from_ms;
            let ms = match (o.kind_of(r), r.mode) {
                (SegmentKind::Ivr, _) => &mut self.ms_ivr,
                (_, Mode::Full) => &mut self.ms_full,
                (_, Mode::AgentOnly) => &mut self.ms_agent_only,
            };
            *ms = ms.saturating_add(len);
        }
        let s = Shares::of(o);
        let (full, agent_only, ivr, studio, rod, policy) =
            (s.full, s.agent_only, s.ivr, s.studio, s.rod, s.policy);
        let b = u64::from;
        self.any += b(full || agent_only || ivr);
        self.full += b(full);
        self.agent_only += b(agent_only);
        self.ivr += b(ivr);
        self.studio += b(studio);
        self.rod += b(rod);
        self.policy += b(policy);
        self.dnr += b(o.dnr_at_ms.is_some());
        self.abandoned += b(o.abandoned);
        self.hung_up_in_ivr += b(o.hung_up_in_ivr);
        for s in &o.statements {
            self.captured += 1;
            self.saved += b(s.saved);
            self.lost += b(!s.saved);
            self.ms_statements = self.ms_statements.saturating_add(s.to_ms - s.from_ms);
        }
        // Walk the set bits only: most contacts have no finding at all.
        let mut bits = o.finding_bits();
        if bits != 0 {
            for (n, mask) in self.class_contacts.iter_mut().zip(CLASS_MASKS) {
                *n += b(bits & mask != 0);
            }
        }
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            self.findings[i] += 1;
            self.examples[i].note(o.id);
        }
        if let Some(a) = o.consent {
            self.consent_answers[a as usize] += 1;
            let by = o.without_consent_by;
            if by != 0 {
                self.without_by_answer[a as usize] += 1;
                self.without_by[0] += b(by & BY_STUDIO != 0);
                self.without_by[1] += b(by & BY_ROD != 0);
                self.without_by[2] += b(by & BY_POLICY != 0);
            }
        }
        self.unmodelled_snippet += b(o.unmodelled_snippet > 0);
        for &slot in &o.unmodelled {
            let slot = slot as usize;
            if self.unmodelled.len() <= slot {
                self.unmodelled.resize(slot + 1, 0);
            }
            self.unmodelled[slot] += 1;
        }
        for &slot in &o.templated_fallback {
            let slot = slot as usize;
            if self.templated_fallback.len() <= slot {
                self.templated_fallback.resize(slot + 1, 0);
            }
            self.templated_fallback[slot] += 1;
        }
        self.coverage.add(o);
        let agent_recorded = full || agent_only;
        for (i, m) in o.policy_matched.iter().enumerate() {
            if *m {
                self.policy_matched[i] += 1;
                self.policy_recorded[i] += b(agent_recorded);
            }
        }
    }

    pub fn merge(&mut self, o: &Tally) {
        macro_rules! sum { ($($f:ident),*) => { $( self.$f += o.$f; )* } }
        sum!(
            calls,
            any,
            full,
            agent_only,
            ivr,
            studio,
            rod,
            policy,
            dnr,
            abandoned,
            hung_up_in_ivr,
            captured,
            saved,
            lost
        );
        self.ivr_hang_ups |= o.ivr_hang_ups;
        // Recorded time summed over many contacts of up to years each: saturate, never wrap
        // (issue 10.2).
        macro_rules! sum_ms { ($($f:ident),*) => { $( self.$f = self.$f.saturating_add(o.$f); )* } }
        sum_ms!(ms_full, ms_agent_only, ms_ivr, ms_statements);
        for i in 0..Finding::COUNT {
            self.findings[i] += o.findings[i];
            self.examples[i].merge(&o.examples[i]);
        }
        for (a, b) in self.policy_matched.iter_mut().zip(&o.policy_matched) {
            *a += b;
        }
        for (a, b) in self.consent_answers.iter_mut().zip(&o.consent_answers) {
            *a += b;
        }
        for (a, b) in self.without_by_answer.iter_mut().zip(&o.without_by_answer) {
            *a += b;
        }
        for (a, b) in self.without_by.iter_mut().zip(&o.without_by) {
            *a += b;
        }
        for (a, b) in self.class_contacts.iter_mut().zip(&o.class_contacts) {
            *a += b;
        }
        for (a, b) in self.policy_recorded.iter_mut().zip(&o.policy_recorded) {
            *a += b;
        }
        self.unmodelled_snippet += o.unmodelled_snippet;
        if self.unmodelled.len() < o.unmodelled.len() {
            self.unmodelled.resize(o.unmodelled.len(), 0);
        }
        for (a, b) in self.unmodelled.iter_mut().zip(&o.unmodelled) {
            *a += b;
        }
        if self.templated_fallback.len() < o.templated_fallback.len() {
            self.templated_fallback.resize(o.templated_fallback.len(), 0);
        }
        for (a, b) in self.templated_fallback.iter_mut().zip(&o.templated_fallback) {
            *a += b;
        }
        self.coverage.merge(&o.coverage);
    }

    /// The contact shares in [`share_fields`] order (what [`Shares::bits`] counts).
    pub fn share_counts(&self) -> Vec<u64> {
        let mut v = vec![
            self.any,
            self.full,
            self.agent_only,
            self.ivr,
            self.calls - self.any,
            self.studio,
            self.rod,
            self.policy,
            self.dnr,
            self.abandoned,
            self.hung_up_in_ivr,
        ];
        v.extend(self.findings.iter().copied());
        v
    }

    /// The 95% intervals of the contact shares (see [`Ci95`]).
    pub fn ci95(&self) -> Ci95 {
        let n = self.calls;
        let w = |k: u64| wilson(k, n);
        let f = &self.findings;
        Ci95 {
            recorded: RecordedCi {
                any: w(self.any),
                full: w(self.full),
                agent_only: w(self.agent_only),
                ivr: w(self.ivr),
                none: w(n - self.any),
            },
            initiators: InitiatorsCi { studio: w(self.studio), rod: w(self.rod), policy: w(self.policy) },
            dnr: w(self.dnr),
            abandoned: w(self.abandoned),
            hung_up_in_ivr: self.ivr_hang_ups.then(|| w(self.hung_up_in_ivr)),
            findings: PerFinding(f.map(w)),
        }
    }

    /// The widest 95% half-width (percentage points) among the shares the report prints:
    /// every contact share of [`Tally::ci95`] and every policy's effective percent with at
    /// least one matched contact (a policy nothing matched has no share to make precise).
    pub fn widest_half_width(&self) -> f64 {
        let n = self.calls;
        let mut shares = vec![
            (self.any, n),
            (self.full, n),
            (self.agent_only, n),
            (self.ivr, n),
            (self.studio, n),
            (self.rod, n),
            (self.policy, n),
            (self.dnr, n),
            (self.abandoned, n),
        ];
        if self.ivr_hang_ups {
            shares.push((self.hung_up_in_ivr, n));
        }
        shares.extend(self.findings.iter().map(|&k| (k, n)));
        shares.extend(
            self.policy_recorded
                .iter()
                .zip(&self.policy_matched)
                .filter(|(_, m)| **m > 0)
                .map(|(r, m)| (*r, *m)),
        );
        shares.into_iter().map(|(k, n)| half_width_pp(k, n)).fold(0.0, f64::max)
    }

    /// The verdict block: every kind that occurred, worst class first (catalogue order within
    /// a class).
    fn verdicts(&self) -> Vec<Verdict> {
        let mut v: Vec<(Class, Verdict)> = Finding::ALL
            .iter()
            .filter(|f| self.findings[**f as usize] > 0)
            .map(|&f| {
                let (k, n) = (f.kind(), self.findings[f as usize]);
                (
                    k.class,
                    Verdict {
                        finding: k.name,
                        code: k.code,
                        class: k.class.as_str(),
                        contacts: n,
                        percent: round3(100.0 * n as f64 / self.calls.max(1) as f64),
                        ci95: wilson(n, self.calls),
                        predicted_by: k.predicting_codes(),
                        examples: self.examples[f as usize].iter().collect(),
                    },
                )
            })
            .collect();
        // Stable: catalogue order within a class.
        v.sort_by_key(|(c, _)| *c);
        v.into_iter().map(|(_, v)| v).collect()
    }

    pub fn report(&self, p: &Compiled) -> Report {
        let secs = |ms: u64| ms as f64 / 1000.0;
        let mut rows: Vec<(usize, PolicyRow)> = p
            .policies
            .iter()
            .enumerate()
            .map(|(i, pol)| {
                let (m, r) = (self.policy_matched[i], self.policy_recorded[i]);
                (
                    pol.file_index,
                    PolicyRow {
                        name: pol.name.clone(),
                        target_percent: pol.percent,
                        matched: m,
                        recorded: r,
                        effective_percent: if m == 0 { 0.0 } else { round3(100.0 * r as f64 / m as f64) },
                        ci95: wilson(r, m),
                    },
                )
            })
            .collect();
        rows.sort_by_key(|(i, _)| *i);
        let f = &self.findings;
        Report {
            version: 1,
            script: p.name.clone(),
            seed: p.seed,
            media: p.non_voice_media.clone(),
            calls: self.calls,
            recorded: Recorded {
                any: self.any,
                full: self.full,
                agent_only: self.agent_only,
                ivr: self.ivr,
                none: self.calls - self.any,
            },
            initiators: Initiators { studio: self.studio, rod: self.rod, policy: self.policy },
            dnr: self.dnr,
            abandoned: self.abandoned,
            hung_up_in_ivr: self.ivr_hang_ups.then_some(self.hung_up_in_ivr),
            statements: Statements { captured: self.captured, saved: self.saved, lost: self.lost },
            findings: PerFinding(*f),
            classes: Classes {
                violation: self.class_contacts[Class::Violation as usize],
                warning: self.class_contacts[Class::Warning as usize],
                notice: self.class_contacts[Class::Notice as usize],
            },
            verdicts: self.verdicts(),
            consent: (!p.consent_questions.is_empty()).then(|| Consent {
                questions: p.consent_questions.clone(),
                answers: Answers(self.consent_answers),
                recorded_without_consent: WithoutConsent {
                    by_answer: Answers(self.without_by_answer),
                    by_initiator: Initiators {
                        studio: self.without_by[0],
                        rod: self.without_by[1],
                        policy: self.without_by[2],
                    },
                },
            }),
            policies: rows.into_iter().map(|(_, r)| r).collect(),
            recorded_seconds: Seconds {
                full: secs(self.ms_full),
                agent_only: secs(self.ms_agent_only),
                ivr: secs(self.ms_ivr),
                statements: secs(self.ms_statements),
            },
            ci95: self.ci95(),
            unmodelled: self
                .unmodelled
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(i, n)| (p.unmodelled[i].clone(), *n))
                .collect(),
            unmodelled_what: self
                .unmodelled
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(i, _)| (p.unmodelled[i].clone(), p.unmodelled_what[i].clone()))
                .collect(),
            unmodelled_snippet: self.unmodelled_snippet,
            templated_fallback: self
                .templated_fallback
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(i, n)| (p.templated[i].clone(), *n))
                .collect(),
            coverage: self.coverage.report(),
            precision: None,
            finding_examples: self.examples,
        }
    }
}

/// What one contact counts in, for the recording shares of the report (`Tally::add`, and
/// `diff`'s paired comparison of one contact's two runs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shares {
    pub full: bool,
    pub agent_only: bool,
    pub ivr: bool,
    pub studio: bool,
    pub rod: bool,
    pub policy: bool,
}

impl Shares {
    pub fn of(o: &Outcome) -> Shares {
        let mut s = Shares::default();
        for r in &o.recordings {
            match (o.kind_of(r), r.mode) {
                (SegmentKind::Ivr, _) => s.ivr = true,
                (_, Mode::Full) => s.full = true,
                (_, Mode::AgentOnly) => s.agent_only = true,
            }
            match r.initiator {
                Initiator::Studio => s.studio = true,
                Initiator::Rod => s.rod = true,
                Initiator::Policy(_) => s.policy = true,
            }
        }
        s
    }

    /// The contact shares of the report in [`SHARE_FIELDS`] order, as bits.
    pub fn bits(o: &Outcome) -> u32 {
        let s = Shares::of(o);
        let any = s.full || s.agent_only || s.ivr;
        let mut bits = 0u32;
        for (i, on) in [
            any,
            s.full,
            s.agent_only,
            s.ivr,
            !any,
            s.studio,
            s.rod,
            s.policy,
            o.dnr_at_ms.is_some(),
            o.abandoned,
            o.hung_up_in_ivr,
        ]
        .into_iter()
        .enumerate()
        {
            bits |= u32::from(on) << i;
        }
        for f in o.findings() {
            bits |= 1 << (SHARE_FIELDS.len() as u32 + f as u32);
        }
        bits
    }
}

/// The report's contact shares, named as `diff` prints them (the order of [`Shares::bits`]),
/// then `findings.NAME` for each of `Finding::ALL` ([`share_fields`]).
pub const SHARE_FIELDS: [&str; 11] = [
    "recorded.any",
    "recorded.full",
    "recorded.agent_only",
    "recorded.ivr",
    "recorded.none",
    "initiators.studio",
    "initiators.rod",
    "initiators.policy",
    "dnr",
    "abandoned",
    "hung_up_in_ivr",
];

const _: () =
    assert!(SHARE_FIELDS.len() + Finding::COUNT <= 32, "more contact shares than bits in Shares::bits");

/// Every bit of [`Shares::bits`], named.
pub fn share_fields() -> Vec<String> {
    let mut v: Vec<String> = SHARE_FIELDS.iter().map(|s| s.to_string()).collect();
    v.extend(Finding::ALL.iter().map(|f| format!("findings.{}", f.as_str())));
    v
}

/// Percentages to 3 decimals: stable text, no float noise in snapshots.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl Sink for Tally {
    type Observer = ();
    #[inline]
    fn contact(&mut self, out: &Outcome, _: &mut ()) {
        self.add(out);
    }
}

/// Contacts per chunk when each contact also becomes a JSONL line: small, so that the reorder
/// window holds few lines (`--calls-out` memory is `window × LINES_CHUNK` lines).
pub const LINES_CHUNK: u64 = 256;

/// The `--calls-out` sink: the tally plus the chunk's JSONL lines (FORMATS §6).
pub struct Lines<'p> {
    p: &'p Compiled,
    pub tally: Tally,
    pub text: String,
}

impl<'p> Lines<'p> {
    pub fn new(p: &'p Compiled) -> Self {
        Lines { p, tally: Tally::new(p), text: String::new() }
    }
}

impl Sink for Lines<'_> {
    type Observer = ();
    fn contact(&mut self, out: &Outcome, _: &mut ()) {
        self.tally.add(out);
        out.write_json(self.p, &mut self.text);
        self.text.push('\n');
    }
}

/// Receives each chunk's JSONL lines, in contact order.
pub type LineSink<'a> = &'a mut dyn FnMut(&str) -> std::io::Result<()>;

/// Simulate contacts `0..calls` on the current rayon pool; `progress` gets the number of
/// contacts done after each chunk.
pub fn simulate(p: &Compiled, calls: u64, progress: impl FnMut(u64)) -> Report {
    tally(p, 0..calls, progress).report(p)
}

/// The tally of `contacts` (the driver with a [`Tally`] sink). Calling it on consecutive
/// ranges and merging gives the same tally as one call, for any `--jobs`.
pub fn tally(p: &Compiled, contacts: std::ops::Range<u64>, mut progress: impl FnMut(u64)) -> Tally {
    let mut total = Tally::new(p);
    let _ = driver::run(
        p,
        contacts,
        driver::CHUNK,
        || Tally::new(p),
        |part| {
            total.merge(&part);
            progress(total.calls);
            Ok::<(), std::convert::Infallible>(())
        },
    );
    total
}

/// Like [`simulate`], also handing each chunk's JSONL lines (contact order) to `lines` when
/// given. Returns the tally and the first error `lines` returned, if any (simulation stops).
pub fn simulate_chunks(
    p: &Compiled,
    calls: u64,
    lines: Option<LineSink<'_>>,
    mut progress: impl FnMut(u64),
) -> (Tally, std::io::Result<()>) {
    let Some(lines) = lines else { return (tally(p, 0..calls, progress), Ok(())) };
    let mut total = Tally::new(p);
    let res = driver::run(
        p,
        0..calls,
        LINES_CHUNK,
        || Lines::new(p),
        |part| {
            total.merge(&part.tally);
            lines(&part.text)?;
            progress(total.calls);
            Ok(())
        },
    );
    (total, res)
}
