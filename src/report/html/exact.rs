//! `report --exact`: the shares of a section from an exact analysis (`sim::exact`, docs/exact.md)
//! instead of the sampled run — the outcome bars, the policies' effective percentages and the
//! flow's shading. An exact share is drawn without an interval whisker and printed with its
//! fraction; an analysis that is not exact (random durations sampled, a loop cut) keeps an
//! interval and the section says "not exact" with the reasons, as `simulate --exact` does.
//! The example contacts stay sampled: `recflow explain` replays a contact by its number.

use std::collections::BTreeMap;

use num_traits::{ToPrimitive, Zero};
use serde::Serialize;

use super::charts::{Amount, Bar, RowGroup, Share};
use super::flow_svg::NodeInfo;
use super::{CALLS, FINDINGS, RECORDED, STARTED, STARTED_BY};
use crate::script::Script;
use crate::sim::Report;
use crate::sim::exact::{Exact, Value, fraction, fraction_or_none};

/// The outcome bars, as the sampled page's: group, label, report key, CSS class.
const SUMMARY: &[(&str, &str, &[&str], &str)] = &[
    (RECORDED, "any call recording", &["recorded", "any"], "bar-recorded"),
    (RECORDED, "full (agent/external)", &["recorded", "full"], "bar-recorded"),
    (RECORDED, "agent only", &["recorded", "agent_only"], "bar-recorded"),
    (RECORDED, "IVR segment", &["recorded", "ivr"], "bar-recorded"),
    (RECORDED, "not recorded", &["recorded", "none"], "bar-none"),
    (STARTED, STARTED_BY[0], &["initiators", "studio"], "bar-studio"),
    (STARTED, STARTED_BY[1], &["initiators", "rod"], "bar-rod"),
    (STARTED, STARTED_BY[2], &["initiators", "policy"], "bar-policy"),
    (CALLS, "Do Not Record set", &["dnr"], "bar-dnr"),
    (CALLS, "abandoned in queue", &["abandoned"], "bar-none"),
];

/// Whether a section is exact, and what kept it from being so (`simulate --exact`'s "Not exact").
#[derive(Serialize)]
pub(super) struct ExactView {
    pub exact: bool,
    pub headline: String,
    pub not_exact: Vec<String>,
}

pub(super) fn view(e: &Exact) -> ExactView {
    let effort = crate::report::exact::effort(e, None);
    ExactView {
        exact: e.exact,
        headline: if e.exact && e.closed_form_f64 {
            format!(
                "Exact (closed form, f64): every share below is an exact probability of the continuous-time \
                 model; the random durations' CDF values are evaluated in f64 ({effort})."
            )
        } else if e.exact {
            format!("Exact: every share below is an exact probability, with its fraction ({effort}).")
        } else {
            format!("Not exact ({effort}):")
        },
        not_exact: e.not_exact.clone(),
    }
}

fn find<'e>(e: &'e Exact, path: &[&str]) -> Option<&'e Value> {
    e.probabilities
        .iter()
        .find(|v| v.path.len() == path.len() && v.path.iter().zip(path).all(|(a, b)| a == b))
}

/// A probability's bar share: exact (its fraction), or the interval it lies in — the 99.9%
/// interval over the duration samples, widened by the residual of a cut loop.
fn share(e: &Exact, v: Option<&Value>) -> (f64, Share) {
    let p = v.map_or(0.0, |v| v.value);
    if e.exact {
        // 0 and 1 need no fraction.
        let f = v.and_then(|v| v.rational.as_deref()).filter(|f| !matches!(*f, "0" | "1"));
        return (100.0 * p, Share::Exact(f.and_then(fraction_or_none).map(str::to_string)));
    }
    let [lo, hi] = v.and_then(|v| v.interval).unwrap_or([p, p]);
    let ci = [100.0 * lo, 100.0 * (hi + e.residual).min(1.0)];
    let what = match (e.samples > 1, e.residual > 0.0) {
        (true, false) => " (99.9% interval over the samples of the random durations; not exact)",
        (false, true) => " ([p, p + residual]: loop paths below 2^-50 not explored; not exact)",
        _ => " (99.9% interval over the duration samples, plus the residual of cut loops; not exact)",
    };
    (100.0 * p, Share::Interval(ci, what))
}

fn note(e: &Exact) -> String {
    if e.exact { "exact".into() } else { "not exact".into() }
}

/// The outcome bars from exact probabilities, in the sampled page's groups (every finding with
/// a probability above 0 under *Findings*).
pub(super) fn summary_groups(e: &Exact) -> Vec<RowGroup> {
    let mut rows: Vec<(&str, String, Vec<&str>, &'static str)> =
        SUMMARY.iter().map(|(g, l, path, c)| (*g, l.to_string(), path.to_vec(), *c)).collect();
    // Only when the traffic models IVR hang-ups: the key exists then.
    if find(e, &["hung_up_in_ivr"]).is_some() {
        rows.push((CALLS, "hung up in the IVR".into(), vec!["hung_up_in_ivr"], "bar-none"));
    }
    for &f in crate::sim::outcome::Finding::ALL {
        let name = f.as_str();
        if find(e, &["findings", name]).is_some_and(|v| v.value > 0.0) {
            rows.push((FINDINGS, name.to_string(), vec!["findings", name], "bar-finding"));
        }
    }
    let mut groups: Vec<RowGroup> = Vec::new();
    for (group, label, path, class) in rows {
        let (percent, share) = share(e, find(e, &path));
        let bar = Bar { label, percent, share, note: note(e), target: None, class };
        match groups.last_mut() {
            Some(g) if g.title == group => g.rows.push(bar),
            _ => groups.push(RowGroup { title: group.to_string(), rows: vec![bar] }),
        }
    }
    groups
}

/// An expected value per contact as an amount bar (`0.25 per contact = 1/4`).
fn expected(e: &Exact, path: [&str; 2], label: &str, class: &'static str, unit: &str) -> Amount {
    let v = e.expected.iter().find(|v| v.path.len() == 2 && v.path[0] == path[0] && v.path[1] == path[1]);
    let value = v.map_or(0.0, |v| v.value);
    let fraction = v.and_then(|v| v.rational.as_deref()).and_then(fraction_or_none).filter(|f| !f.is_empty());
    let mut text = format!("{value:.3}{unit} per contact");
    if let Some(f) = fraction.filter(|f| *f != "0") {
        text += &format!(" = {f}");
    }
    Amount { label: label.into(), value, text, class }
}

/// Recorded statements (R13): the expected number per contact.
pub(super) fn statement_amounts(e: &Exact) -> Vec<Amount> {
    vec![
        expected(e, ["statements", "captured"], "captured", "bar-stmt", ""),
        expected(e, ["statements", "saved"], "saved (id kept in a Global:)", "bar-recorded", ""),
        expected(e, ["statements", "lost"], "lost (id not saved)", "bar-finding", ""),
    ]
}

/// Recorded time per mode: the expected seconds per contact.
pub(super) fn time_amounts(e: &Exact) -> Vec<Amount> {
    vec![
        expected(e, ["recorded_seconds", "full"], "full (agent/external)", "bar-recorded", " s"),
        expected(e, ["recorded_seconds", "agent_only"], "agent only", "bar-agent-only", " s"),
        expected(e, ["recorded_seconds", "ivr"], "IVR", "bar-ivr", " s"),
        expected(e, ["recorded_seconds", "statements"], "recorded statements", "bar-stmt", " s"),
    ]
}

/// Policies: target (marker) vs effective — P(recorded) / P(matched), exact when both are.
pub(super) fn policy_bars(e: &Exact, sampled: &Report) -> Vec<Bar> {
    sampled
        .policies
        .iter()
        .map(|row| {
            let matched = find(e, &["policies", &row.name, "matched"]);
            let recorded = find(e, &["policies", &row.name, "recorded"]);
            let (m, r) = (matched.map_or(0.0, |v| v.value), recorded.map_or(0.0, |v| v.value));
            let percent = if m > 0.0 { 100.0 * r / m } else { 0.0 };
            let ratio =
                match (matched.and_then(|v| v.ratio.as_ref()), recorded.and_then(|v| v.ratio.as_ref())) {
                    (Some(m), Some(r)) if !m.is_zero() => Some(r / m),
                    _ => None,
                };
            let share = match (&ratio, e.exact) {
                (Some(q), true) => {
                    let f = fraction(q);
                    Share::Exact(
                        fraction_or_none(&f).filter(|f| !matches!(*f, "0" | "1")).map(str::to_string),
                    )
                }
                // Exact, and no contact matches the policy: no effective share to give.
                (None, true) => Share::Exact(None),
                _ => {
                    // Not exact: the ratio of the two intervals' ends.
                    let ([mlo, mhi], [rlo, rhi]) = (
                        matched.and_then(|v| v.interval).unwrap_or([m, m]),
                        recorded.and_then(|v| v.interval).unwrap_or([r, r]),
                    );
                    let rhi = rhi + e.residual;
                    let lo = if mhi > 0.0 { rlo / mhi } else { 0.0 };
                    let hi = if mlo > 0.0 { (rhi / mlo).min(1.0) } else { 1.0 };
                    Share::Interval(
                        [100.0 * lo, 100.0 * hi],
                        " (interval from the 99.9% intervals of matched and recorded; not exact)",
                    )
                }
            };
            Bar {
                label: row.name.clone(),
                percent: ratio.and_then(|q| q.to_f64()).map_or(percent, |q| 100.0 * q),
                share,
                note: format!(
                    "target {:.1}%, P(matched) {}, P(recorded) {}",
                    row.target_percent,
                    crate::sim::exact::percent(m),
                    crate::sim::exact::percent(r)
                ),
                target: Some(row.target_percent),
                class: "bar-policy",
            }
        })
        .collect()
}

/// The flow's shading from exact probabilities: per action the probability that a contact runs
/// it, per edge the probability of its branch (one branch to that target; several branches to
/// one target are labelled without a share: their contacts can overlap in a loop), a branch of
/// probability 0 drawn as not exercised. The recording state per action is a sampled measure
/// and is not shown.
pub(super) fn node_info(e: &Exact, changed: &[String], script: &Script) -> Vec<NodeInfo> {
    let prob = |path: &[&str]| find(e, path).map(|v| v.value);
    script
        .actions
        .iter()
        .map(|a| {
            let branch = |name: &str| prob(&["coverage", "branches", &format!("{}/{name}", a.id)]);
            let mut edge_share = BTreeMap::new();
            for b in &a.branches {
                let Some(t) = b.target else { continue };
                let to_t = a.branches.iter().filter(|x| x.target == Some(t)).count();
                if let (1, Some(q)) = (to_t, branch(&b.name)) {
                    edge_share.insert(t.index(), 100.0 * q);
                }
            }
            NodeInfo {
                share: Some(100.0 * prob(&["coverage", "actions", &a.id]).unwrap_or(0.0)),
                state: None,
                changed: changed.iter().any(|c| c == &a.id),
                unexercised: a
                    .branches
                    .iter()
                    .map(|b| b.target.is_some() && branch(&b.name).is_some_and(|q| q == 0.0))
                    .collect(),
                edge_share,
            }
        })
        .collect()
}
