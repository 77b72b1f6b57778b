//! Rendering of a diff: FORMATS §7 JSON (with extra fields) and a terminal report.

use std::fmt::Write as _;

use serde::Serialize;

use super::run::{Divergence, Transition};
use super::structural::ActionChange;
use crate::sim::Report;
use crate::stats::{Ci, overlap};

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
    /// The old and new 95% intervals, for rows that are shares.
    ci: Option<(Ci, Ci)>,
}

impl Row {
    /// A delta is noise when the old and new 95% intervals overlap.
    fn noise(&self) -> bool {
        self.ci.is_some_and(|(a, b)| overlap(a, b))
    }
}

fn rows(o: &Report, n: &Report) -> Vec<Row> {
    let mut v = Vec::new();
    let c = |v: &mut Vec<Row>, label: &str, a: u64, b: u64| {
        v.push(Row { label: label.into(), old: a as f64, new: b as f64, int: true, ci: None })
    };
    // A contact share: its count plus both intervals.
    let sh = |v: &mut Vec<Row>, label: &str, a: u64, b: u64, ca: Ci, cb: Ci| {
        v.push(Row { label: label.into(), old: a as f64, new: b as f64, int: true, ci: Some((ca, cb)) })
    };
    let (oc, nc) = (&o.ci95, &n.ci95);
    sh(&mut v, "recorded.any", o.recorded.any, n.recorded.any, oc.recorded.any, nc.recorded.any);
    sh(&mut v, "recorded.full", o.recorded.full, n.recorded.full, oc.recorded.full, nc.recorded.full);
    sh(
        &mut v,
        "recorded.agent_only",
        o.recorded.agent_only,
        n.recorded.agent_only,
        oc.recorded.agent_only,
        nc.recorded.agent_only,
    );
    sh(&mut v, "recorded.ivr", o.recorded.ivr, n.recorded.ivr, oc.recorded.ivr, nc.recorded.ivr);
    sh(&mut v, "recorded.none", o.recorded.none, n.recorded.none, oc.recorded.none, nc.recorded.none);
    let (oi, ni) = (&oc.initiators, &nc.initiators);
    sh(&mut v, "initiators.studio", o.initiators.studio, n.initiators.studio, oi.studio, ni.studio);
    sh(&mut v, "initiators.rod", o.initiators.rod, n.initiators.rod, oi.rod, ni.rod);
    sh(&mut v, "initiators.policy", o.initiators.policy, n.initiators.policy, oi.policy, ni.policy);
    sh(&mut v, "dnr", o.dnr, n.dnr, oc.dnr, nc.dnr);
    sh(&mut v, "abandoned", o.abandoned, n.abandoned, oc.abandoned, nc.abandoned);
    c(&mut v, "statements.captured", o.statements.captured, n.statements.captured);
    c(&mut v, "statements.saved", o.statements.saved, n.statements.saved);
    c(&mut v, "statements.lost", o.statements.lost, n.statements.lost);
    for &f in crate::sim::outcome::Finding::ALL {
        let label = format!("findings.{}", f.as_str());
        sh(&mut v, &label, o.findings.get(f), n.findings.get(f), oc.findings.get(f), nc.findings.get(f));
    }
    for (po, pn) in o.policies.iter().zip(&n.policies) {
        c(&mut v, &format!("policy {}: recorded", po.name), po.recorded, pn.recorded);
        v.push(Row {
            label: format!("policy {}: effective %", po.name),
            old: po.effective_percent,
            new: pn.effective_percent,
            int: false,
            ci: Some((po.ci95, pn.ci95)),
        });
    }
    let s = |v: &mut Vec<Row>, label: &str, a: f64, b: f64| {
        v.push(Row { label: label.into(), old: a, new: b, int: false, ci: None })
    };
    s(&mut v, "recorded_seconds.full", o.recorded_seconds.full, n.recorded_seconds.full);
    s(&mut v, "recorded_seconds.agent_only", o.recorded_seconds.agent_only, n.recorded_seconds.agent_only);
    s(&mut v, "recorded_seconds.ivr", o.recorded_seconds.ivr, n.recorded_seconds.ivr);
    s(&mut v, "recorded_seconds.statements", o.recorded_seconds.statements, n.recorded_seconds.statements);
    v
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
        let mark = if r.old != r.new && r.noise() {
            noisy += 1;
            "  noise"
        } else {
            ""
        };
        let _ = writeln!(s, "  {:<31} {a:>10} {b:>10} {delta:>10}{mark}", r.label);
    }
    if unchanged > 0 {
        let _ = writeln!(s, "  ({unchanged} other fields are 0 in both)");
    }
    if noisy > 0 {
        let _ = writeln!(
            s,
            "  (noise: the old and new 95% intervals overlap, so the delta may be sampling noise)"
        );
    }
    let _ = writeln!(s);

    let pct = if n == 0 { 0.0 } else { 100.0 * d.changed as f64 / n as f64 };
    if d.changed == 0 {
        let _ = writeln!(s, "Changed contacts: 0 of {n} — every contact keeps its outcome class");
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
