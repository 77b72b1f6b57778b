//! Streaming aggregation: per-contact [`Outcome`]s → the v1 [`Report`] (FORMATS §5).
//!
//! Workers simulate chunks of consecutive contacts, each into its own [`Tally`]; tallies merge
//! by addition (times are integer milliseconds, so the order of additions never matters) and
//! example contact ids by minimum. Chunk boundaries depend only on contact indices, so the
//! report is byte-identical for any number of threads, and memory stays flat in `--calls`.

use serde::Serialize;

use super::compile::Compiled;
use super::driver::{self, Sink};
use super::outcome::{Finding, Initiator, Mode, Outcome, SegmentKind};
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
    pub statements: Statements,
    pub findings: Findings,
    pub policies: Vec<PolicyRow>,
    pub recorded_seconds: Seconds,
    /// 95% Wilson intervals (percent) of every contact share above, mirroring its layout
    /// (FORMATS §5 round 2: `ci95: [lo, hi]`); each policy carries its own `ci95`.
    pub ci95: Ci95,
    /// Contacts that took a traffic-chosen branch, per action id (FORMATS §5 round 2); left
    /// out when the script has no traffic-branched action that ran. Never counted as `stuck`.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub unmodelled: std::collections::BTreeMap<String, u64>,
    /// Contacts whose SNIPPETs met a construct recflow does not model; left out when 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub unmodelled_snippet: u64,
    /// Contacts in which an action's `{var}` property was still invalid at run time and took
    /// its documented fallback, per action id (finding `templated_fallback`, issue 11 point 4);
    /// left out when empty.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub templated_fallback: std::collections::BTreeMap<String, u64>,
    /// Set by `--precision`: the target, the widest half-width reached, whether it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<super::precision::Precision>,
    /// Lowest contact id showing each finding (for `explain` hints), in `Finding::ALL` order.
    #[serde(skip)]
    pub finding_examples: [Option<u64>; Finding::ALL.len()],
    /// Lowest contact id with a `templated_fallback` (for the explain hint).
    #[serde(skip)]
    pub templated_example: Option<u64>,
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

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Findings {
    pub recorded_before_dnr: u64,
    pub sensitive_while_recording: u64,
    pub indicator_left_on: u64,
    pub step_limit: u64,
    pub rod_blocked: u64,
    pub stuck: u64,
    pub media_after_release: u64,
    pub work_limit: u64,
}

impl Findings {
    pub fn get(&self, f: Finding) -> u64 {
        match f {
            Finding::RecordedBeforeDnr => self.recorded_before_dnr,
            Finding::SensitiveWhileRecording => self.sensitive_while_recording,
            Finding::IndicatorLeftOn => self.indicator_left_on,
            Finding::StepLimit => self.step_limit,
            Finding::RodBlocked => self.rod_blocked,
            Finding::Stuck => self.stuck,
            Finding::MediaAfterRelease => self.media_after_release,
            Finding::WorkLimit => self.work_limit,
        }
    }
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
pub struct FindingsCi {
    pub recorded_before_dnr: Ci,
    pub sensitive_while_recording: Ci,
    pub indicator_left_on: Ci,
    pub step_limit: Ci,
    pub rod_blocked: Ci,
    pub stuck: Ci,
    pub media_after_release: Ci,
    pub work_limit: Ci,
}

impl FindingsCi {
    pub fn get(&self, f: Finding) -> Ci {
        match f {
            Finding::RecordedBeforeDnr => self.recorded_before_dnr,
            Finding::SensitiveWhileRecording => self.sensitive_while_recording,
            Finding::IndicatorLeftOn => self.indicator_left_on,
            Finding::StepLimit => self.step_limit,
            Finding::RodBlocked => self.rod_blocked,
            Finding::Stuck => self.stuck,
            Finding::MediaAfterRelease => self.media_after_release,
            Finding::WorkLimit => self.work_limit,
        }
    }
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
    pub captured: u64,
    pub saved: u64,
    pub lost: u64,
    pub findings: [u64; Finding::ALL.len()],
    pub examples: [Option<u64>; Finding::ALL.len()],
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
    /// Lowest contact id with any `templated_fallback` (for the explain hint).
    pub templated_example: Option<u64>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Tally {
    pub fn new(policies: usize) -> Self {
        Tally { policy_matched: vec![0; policies], policy_recorded: vec![0; policies], ..Tally::default() }
    }

    pub fn add(&mut self, o: &Outcome) {
        self.calls += 1;
        let (mut full, mut agent_only, mut ivr, mut studio, mut rod, mut policy) =
            (false, false, false, false, false, false);
        for r in &o.recordings {
            let len = r.to_ms - r.from_ms;
            match (o.kind_of(r), r.mode) {
                (SegmentKind::Ivr, _) => {
                    ivr = true;
                    self.ms_ivr = self.ms_ivr.saturating_add(len);
                }
                (_, Mode::Full) => {
                    full = true;
                    self.ms_full = self.ms_full.saturating_add(len);
                }
                (_, Mode::AgentOnly) => {
                    agent_only = true;
                    self.ms_agent_only = self.ms_agent_only.saturating_add(len);
                }
            }
            match r.initiator {
                Initiator::Studio => studio = true,
                Initiator::Rod => rod = true,
                Initiator::Policy(_) => policy = true,
            }
        }
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
        for s in &o.statements {
            self.captured += 1;
            self.saved += b(s.saved);
            self.lost += b(!s.saved);
            self.ms_statements = self.ms_statements.saturating_add(s.to_ms - s.from_ms);
        }
        for f in o.findings() {
            let i = f as usize;
            self.findings[i] += 1;
            self.examples[i] = Some(self.examples[i].map_or(o.id, |e| e.min(o.id)));
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
        if !o.templated_fallback.is_empty() {
            self.templated_example = Some(self.templated_example.map_or(o.id, |e| e.min(o.id)));
        }
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
        sum!(calls, any, full, agent_only, ivr, studio, rod, policy, dnr, abandoned, captured, saved, lost);
        // Recorded time summed over many contacts of up to years each: saturate, never wrap
        // (issue 10.2).
        macro_rules! sum_ms { ($($f:ident),*) => { $( self.$f = self.$f.saturating_add(o.$f); )* } }
        sum_ms!(ms_full, ms_agent_only, ms_ivr, ms_statements);
        for i in 0..Finding::ALL.len() {
            self.findings[i] += o.findings[i];
            self.examples[i] = match (self.examples[i], o.examples[i]) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        for (a, b) in self.policy_matched.iter_mut().zip(&o.policy_matched) {
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
        self.templated_example = match (self.templated_example, o.templated_example) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
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
            findings: FindingsCi {
                recorded_before_dnr: w(f[0]),
                sensitive_while_recording: w(f[1]),
                indicator_left_on: w(f[2]),
                step_limit: w(f[3]),
                rod_blocked: w(f[4]),
                stuck: w(f[5]),
                media_after_release: w(f[6]),
                work_limit: w(f[7]),
            },
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
            statements: Statements { captured: self.captured, saved: self.saved, lost: self.lost },
            findings: Findings {
                recorded_before_dnr: f[0],
                sensitive_while_recording: f[1],
                indicator_left_on: f[2],
                step_limit: f[3],
                rod_blocked: f[4],
                stuck: f[5],
                media_after_release: f[6],
                work_limit: f[7],
            },
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
            unmodelled_snippet: self.unmodelled_snippet,
            templated_fallback: self
                .templated_fallback
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(i, n)| (p.templated[i].clone(), *n))
                .collect(),
            templated_example: self.templated_example,
            precision: None,
            finding_examples: self.examples,
        }
    }
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
        Lines { p, tally: Tally::new(p.policies.len()), text: String::new() }
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
    let mut total = Tally::new(p.policies.len());
    let _ = driver::run(
        p,
        contacts,
        driver::CHUNK,
        || Tally::new(p.policies.len()),
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
    let mut total = Tally::new(p.policies.len());
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
