//! Rendering of a diff: FORMATS §7 JSON (with extra fields) and a terminal report.

use std::fmt::Write as _;

use serde::Serialize;

use super::exercised::Reach;
use super::run::{Diff, Divergence, Transition};
use super::structural::ActionChange;
use crate::sim::Report;
use crate::stats::{Ci, Paired};

/// Everything `recflow diff` prints.
#[derive(Clone, Debug, Serialize)]
pub struct DiffReport {
    pub version: u32,
    pub old: Report,
    pub new: Report,
    /// Contacts whose outcome class differs.
    pub changed: u64,
    pub transitions: Vec<Transition>,
    /// Structural diff of the two scripts, by action id (extension of FORMATS §7).
    pub script_changes: Vec<ActionChange>,
    /// The paired comparison of every contact share that moved (docs/review-in-ci.md
    /// "Statistics").
    pub paired: Vec<PairedChange>,
    /// `--min-exercised N`: a change fewer than N contacts reached in both runs is not exercised.
    pub min_exercised: u64,
    /// Contacts that reached each change in the old and the new run.
    pub changes_reached: Vec<Reach>,
    /// The changes this traffic did not exercise (FORMATS round 3): the diff cannot show that
    /// nothing changed there.
    pub unexercised_changes: Vec<Reach>,
    /// Every finding kind whose contact count moved, worst class first (issue 19 point 7): the
    /// diff's headline.
    pub verdicts: Vec<VerdictMove>,
}

/// A finding kind whose count moved between the two runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VerdictMove {
    pub finding: &'static str,
    pub class: &'static str,
    pub old: u64,
    pub new: u64,
}

impl VerdictMove {
    /// A violation that appeared or grew.
    pub fn worse_violation(&self) -> bool {
        self.class == crate::sim::findings::Class::Violation.as_str() && self.new > self.old
    }
}

/// The finding kinds whose counts differ between `old` and `new`, worst class first.
pub fn verdict_moves(old: &Report, new: &Report) -> Vec<VerdictMove> {
    let mut v: Vec<(crate::sim::findings::Class, VerdictMove)> = crate::sim::findings::KINDS
        .iter()
        .filter(|k| old.findings.get(k.finding) != new.findings.get(k.finding))
        .map(|k| {
            (
                k.class,
                VerdictMove {
                    finding: k.name,
                    class: k.class.as_str(),
                    old: old.findings.get(k.finding),
                    new: new.findings.get(k.finding),
                },
            )
        })
        .collect();
    v.sort_by_key(|(c, _)| *c);
    v.into_iter().map(|(_, m)| m).collect()
}

impl DiffReport {
    /// Recompute [`DiffReport::unexercised_changes`] for `--min-exercised N`.
    pub fn set_min_exercised(&mut self, n: u64) {
        self.min_exercised = n;
        self.unexercised_changes = super::exercised::unexercised(&self.changes_reached, n);
    }

    /// `--fail-on-change`: a contact changed class, a violation appeared or grew, or a change
    /// was not exercised. (A grown violation also changes some contact's class — findings are
    /// part of it — but the gate says so in its own right.)
    pub fn fails(&self) -> bool {
        self.changed > 0
            || self.verdicts.iter().any(VerdictMove::worse_violation)
            || !self.unexercised_changes.is_empty()
    }
}

/// One contact share's paired change between the two runs (same contacts, same callers).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairedChange {
    /// `recorded.any`, `dnr`, `findings.stuck`, `policy NAME: recorded`, ...
    pub field: String,
    pub old: u64,
    pub new: u64,
    /// Contacts counted in the old run only / in the new run only.
    pub old_only: u64,
    pub new_only: u64,
    /// 95% interval of the change (new − old) in percentage points: Newcombe's hybrid score
    /// interval for paired proportions (Newcombe 1998, method 10).
    pub ci95: Ci,
    /// McNemar's exact test (two-sided) of old_only vs new_only.
    pub mcnemar_p: f64,
    /// The interval contains 0.
    pub within_noise: bool,
}

/// The paired comparison of each contact share of a diff run that moved.
pub fn paired_rows(d: &Diff, po: &crate::sim::Compiled) -> Vec<PairedChange> {
    let n = d.new.calls;
    let mut fields: Vec<(String, u64, u64, [u64; 2])> = crate::sim::aggregate::share_fields()
        .into_iter()
        .zip(d.old.share_counts().into_iter().zip(d.new.share_counts()))
        .zip(&d.moved)
        .map(|((f, (o, nw)), m)| (f, o, nw, *m))
        .collect();
    for (i, m) in d.moved_policy.iter().enumerate() {
        let (o, nw) = (d.old.policy_recorded[i], d.new.policy_recorded[i]);
        let name = po.policies.get(i).map_or("?", |p| p.name.as_str());
        fields.push((format!("policy {name}: recorded"), o, nw, *m));
    }
    fields
        .into_iter()
        .filter(|(_, _, _, m)| m[0] + m[1] > 0)
        .map(|(field, old, new, m)| {
            let t = Paired { old, new, old_only: m[0], new_only: m[1], n };
            PairedChange {
                field,
                old,
                new,
                old_only: m[0],
                new_only: m[1],
                ci95: t.ci95(),
                mcnemar_p: t.mcnemar_p(),
                within_noise: t.within_noise(),
            }
        })
        .collect()
}

/// FORMATS §7 JSON, pretty-printed, with a final newline.
pub fn json(d: &DiffReport) -> String {
    let mut s = serde_json::to_string_pretty(d).unwrap_or_default();
    s.push('\n');
    s
}

/// One row of the old / new / delta table.
struct Row {
    label: String,
    old: f64,
    new: f64,
    /// Counts print as integers, seconds and percentages with one decimal.
    int: bool,
}

fn rows(o: &Report, n: &Report) -> Vec<Row> {
    let mut v = Vec::new();
    let c = |v: &mut Vec<Row>, label: &str, a: u64, b: u64| {
        v.push(Row { label: label.into(), old: a as f64, new: b as f64, int: true })
    };
    c(&mut v, "recorded.any", o.recorded.any, n.recorded.any);
    c(&mut v, "recorded.full", o.recorded.full, n.recorded.full);
    c(&mut v, "recorded.agent_only", o.recorded.agent_only, n.recorded.agent_only);
    c(&mut v, "recorded.ivr", o.recorded.ivr, n.recorded.ivr);
    c(&mut v, "recorded.none", o.recorded.none, n.recorded.none);
    c(&mut v, "initiators.studio", o.initiators.studio, n.initiators.studio);
    c(&mut v, "initiators.rod", o.initiators.rod, n.initiators.rod);
    c(&mut v, "initiators.policy", o.initiators.policy, n.initiators.policy);
    c(&mut v, "dnr", o.dnr, n.dnr);
    c(&mut v, "abandoned", o.abandoned, n.abandoned);
    // Only when either side's traffic models IVR hang-ups.
    if o.hung_up_in_ivr.is_some() || n.hung_up_in_ivr.is_some() {
        c(&mut v, "hung_up_in_ivr", o.hung_up_in_ivr.unwrap_or(0), n.hung_up_in_ivr.unwrap_or(0));
    }
    c(&mut v, "statements.captured", o.statements.captured, n.statements.captured);
    c(&mut v, "statements.saved", o.statements.saved, n.statements.saved);
    c(&mut v, "statements.lost", o.statements.lost, n.statements.lost);
    for &f in crate::sim::outcome::Finding::ALL {
        let label = format!("findings.{}", f.as_str());
        c(&mut v, &label, o.findings.get(f), n.findings.get(f));
    }
    let s = |v: &mut Vec<Row>, label: &str, a: f64, b: f64| {
        v.push(Row { label: label.into(), old: a, new: b, int: false })
    };
    for (po, pn) in o.policies.iter().zip(&n.policies) {
        c(&mut v, &format!("policy {}: recorded", po.name), po.recorded, pn.recorded);
        s(&mut v, &format!("policy {}: effective %", po.name), po.effective_percent, pn.effective_percent);
    }
    s(&mut v, "recorded_seconds.full", o.recorded_seconds.full, n.recorded_seconds.full);
    s(&mut v, "recorded_seconds.agent_only", o.recorded_seconds.agent_only, n.recorded_seconds.agent_only);
    s(&mut v, "recorded_seconds.ivr", o.recorded_seconds.ivr, n.recorded_seconds.ivr);
    s(&mut v, "recorded_seconds.statements", o.recorded_seconds.statements, n.recorded_seconds.statements);
    v
}

/// `p < 0.001`, `p 0.012`, `p 1`.
fn fmt_p(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else if p >= 0.9995 {
        "p 1".into()
    } else {
        format!("p {p:.3}")
    }
}

fn divergence_line(d: &Divergence) -> String {
    let run = |v: &[String]| if v.is_empty() { "(nothing)".to_string() } else { v.join(" → ") };
    let at = match &d.after {
        Some(a) => format!("after `{a}`"),
        None => "at the start".into(),
    };
    format!("{at}: old ran {}, new ran {}", run(&d.old), run(&d.new))
}

/// The terminal report. `old_path` / `new_path` are the script paths as given and `flags` the
/// model options, repeated in the `explain` commands it suggests.
pub fn human(d: &DiffReport, old_path: &str, new_path: &str, flags: &str) -> String {
    let mut s = String::new();
    let n = d.new.calls;
    let _ = writeln!(s, "recflow diff — {old_path} → {new_path}");
    let _ = writeln!(s, "{} calls, seed {}; contact i meets the same caller in both runs", n, d.new.seed);
    let _ = writeln!(s);
    // Issue 19 point 7: the headline is how the verdicts moved.
    if d.verdicts.is_empty() {
        let _ = writeln!(s, "Verdict: no finding count moved");
    } else {
        let _ = writeln!(s, "Verdict (contacts: old → new)");
        for m in &d.verdicts {
            let mark = if m.worse_violation() {
                "✗"
            } else if m.new < m.old {
                "✓"
            } else {
                "•"
            };
            let _ = writeln!(s, "  {mark} {}: {} → {}  [{}]", m.finding, m.old, m.new, m.class);
        }
    }
    let _ = writeln!(s);

    let _ = writeln!(s, "Script changes (by action id)");
    if d.script_changes.is_empty() {
        let _ = writeln!(s, "  (none: the scripts have the same actions, properties and branches)");
    }
    for c in &d.script_changes {
        for line in c.human_lines() {
            let _ = writeln!(s, "  {}", line.trim_end());
        }
    }
    let _ = writeln!(s);

    let _ = writeln!(s, "Report (contacts unless noted)   {:>10} {:>10} {:>10}", "old", "new", "delta");
    let mut unchanged = 0;
    let mut noisy = 0;
    for r in rows(&d.old, &d.new) {
        if r.old == r.new && r.old == 0.0 {
            unchanged += 1;
            continue;
        }
        let (a, b, delta) = if r.int {
            (
                format!("{}", r.old as u64),
                format!("{}", r.new as u64),
                signed_int(r.new as i128 - r.old as i128),
            )
        } else {
            (format!("{:.1}", r.old), format!("{:.1}", r.new), signed_f(r.new - r.old))
        };
        // A share that moved: the 95% interval of its paired change, McNemar's p, and
        // "within noise" only when the interval contains 0.
        let stats = match d.paired.iter().find(|p| p.field == r.label) {
            Some(p) => {
                let noise = if p.within_noise {
                    noisy += 1;
                    "  within noise"
                } else {
                    ""
                };
                format!("  [{:+.1}, {:+.1}] pp, {}{noise}", p.ci95[0], p.ci95[1], fmt_p(p.mcnemar_p))
            }
            None => String::new(),
        };
        let _ = writeln!(s, "  {:<31} {a:>10} {b:>10} {delta:>10}{stats}", r.label);
    }
    if unchanged > 0 {
        let _ = writeln!(s, "  ({unchanged} other fields are 0 in both)");
    }
    if !d.paired.is_empty() {
        let _ = writeln!(
            s,
            "  ([lo, hi] pp: 95% interval of the paired change (Newcombe 1998, method 10);\n   \
             p: McNemar's exact test{})",
            if noisy > 0 { "; within noise: the interval contains 0" } else { "" }
        );
    }
    let _ = writeln!(s);

    if !d.changes_reached.is_empty() {
        let _ = writeln!(s, "Changes reached by this traffic (contacts: old / new)");
        let width = d.changes_reached.iter().map(|r| r.change.chars().count()).max().unwrap_or(0);
        for r in &d.changes_reached {
            let _ = writeln!(s, "  {:<width$}  {:>7} / {}", r.change, r.old, r.new);
        }
        let _ = writeln!(s);
    }
    if !d.unexercised_changes.is_empty() {
        let min = d.min_exercised;
        let how = if min == 1 {
            "no contact reached it in either run".to_string()
        } else {
            format!("fewer than {min} contacts in both runs")
        };
        let _ = writeln!(s, "Not exercised by this traffic ({how})");
        for r in &d.unexercised_changes {
            let _ = writeln!(s, "  {}  (old {}, new {})", r.change, r.old, r.new);
        }
        let _ = writeln!(
            s,
            "  this diff cannot show that nothing changed there: try `--traffic explore` (every\n  \
             outcome of every decision), or traffic `inputs` / `branches` that take it"
        );
        let _ = writeln!(s);
    }

    let pct = if n == 0 { 0.0 } else { 100.0 * d.changed as f64 / n as f64 };
    if d.changed == 0 {
        if d.unexercised_changes.is_empty() {
            let _ = writeln!(s, "Changed contacts: 0 of {n} — every contact keeps its outcome class");
        } else {
            let _ = writeln!(
                s,
                "Changed contacts: 0 of {n} — but {} change{} not exercised (above): not a proof of no change",
                d.unexercised_changes.len(),
                if d.unexercised_changes.len() == 1 { " was" } else { "s were" }
            );
        }
        return s;
    }
    let _ = writeln!(s, "Changed contacts: {} of {n} ({pct:.1}%)", d.changed);
    let _ = writeln!(s);
    let _ = writeln!(s, "Transitions (outcome class old → new)");
    for t in &d.transitions {
        let ex: Vec<String> = t.examples.iter().map(u64::to_string).collect();
        let _ = writeln!(s, "  {} → {}", t.from, t.to);
        let _ = writeln!(s, "      {} calls; e.g. contacts {}", t.calls, ex.join(", "));
        if t.diverge.is_empty() {
            let _ = writeln!(s, "      paths: contact {} ran the same actions in both", t.examples[0]);
        }
        for (i, dv) in t.diverge.iter().enumerate() {
            let head = if i == 0 { "paths part" } else { "then" };
            let _ = writeln!(s, "      {head} {}", divergence_line(dv));
        }
        if !t.changed_on_path.is_empty() {
            let ids: Vec<String> = t.changed_on_path.iter().map(|x| format!("`{x}`")).collect();
            let _ = writeln!(s, "      edited actions on its path: {}", ids.join(", "));
        }
        let first = t.examples[0];
        let _ = writeln!(s, "      explain: recflow explain {old_path} --call {first}{flags}");
        let _ = writeln!(s, "               recflow explain {new_path} --call {first}{flags}");
    }
    s
}

fn signed_int(x: i128) -> String {
    if x > 0 { format!("+{x}") } else { format!("{x}") }
}

fn signed_f(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r > 0.0 {
        format!("+{r:.1}")
    } else if r == 0.0 {
        "0.0".into()
    } else {
        format!("{r:.1}")
    }
}
