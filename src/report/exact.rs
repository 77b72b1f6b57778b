//! Rendering of an exact analysis (`simulate --exact`, `sim::exact`): human, JSON and YAML.
//!
//! Input: an [`Exact`]. Output: text. JSON / YAML (FORMATS round 3): `"exact": true|false`,
//! `probabilities` with the keys of the sampled report's counts (floats in [0, 1]),
//! `rational` with the same keys as fractions when everything is exact, `interval999` when
//! random durations were sampled, `expected` (statements and recorded seconds per contact),
//! `not_exact` (one sentence per part that is not exact) and `explored` (the effort).

use serde_json::{Map, Value as Json, json};

use crate::report::verdict::{Line, Verdict};
use crate::sim::exact::{Change, Exact, Value, fraction_or_none, percent};

/// `paths → leaves` as nested objects, in the order the paths come.
fn nest(values: &[Value], leaf: impl Fn(&Value) -> Option<Json>) -> Json {
    let mut root = Map::new();
    for v in values {
        let Some(x) = leaf(v) else { continue };
        let mut node = &mut root;
        for (i, k) in v.path.iter().enumerate() {
            if i + 1 == v.path.len() {
                node.insert(k.clone(), x.clone());
            } else {
                node = match node.entry(k.clone()).or_insert_with(|| Json::Object(Map::new())) {
                    Json::Object(m) => m,
                    _ => break,
                };
            }
        }
    }
    Json::Object(root)
}

fn rounded(x: f64) -> Json {
    // 15 significant digits: the f64 of an exact fraction, without binary noise.
    let s = format!("{x:.15e}");
    json!(s.parse::<f64>().unwrap_or(x))
}

pub fn to_json(e: &Exact, script: &str, seed: u64) -> Json {
    let mut m = Map::new();
    m.insert("version".into(), json!(1));
    m.insert("script".into(), json!(script));
    m.insert("exact".into(), json!(e.exact));
    if e.samples > 1 {
        m.insert("seed".into(), json!(seed));
    }
    m.insert("probabilities".into(), nest(&e.probabilities, |v| Some(rounded(v.value))));
    // Random durations split where an exponential's CDF gave the probability: exact for the
    // model, evaluated in f64 — no fractions (`sim::exact::Exact::closed_form_f64`).
    if e.exact && e.closed_form_f64 {
        m.insert("closed_form".into(), json!("f64"));
    } else if e.exact {
        m.insert("rational".into(), nest(&e.probabilities, |v| v.rational.clone().map(Json::from)));
    }
    if e.samples > 1 {
        m.insert(
            "interval999".into(),
            nest(&e.probabilities, |v| v.interval.map(|[lo, hi]| json!([rounded(lo), rounded(hi)]))),
        );
    }
    m.insert("expected".into(), nest(&e.expected, |v| Some(rounded(v.value))));
    m.insert("residual".into(), rounded(e.residual));
    m.insert("not_exact".into(), json!(e.not_exact));
    if !e.sensitivity.is_empty() {
        let rows: Vec<Json> = e
            .sensitivity
            .iter()
            .map(|x| {
                let mut row = json!({"finding": x.finding, "draw": x.draw, "outcome": x.outcome,
                                     "derivative": rounded(x.derivative), "rational": x.rational});
                if x.rational.is_empty() {
                    row.as_object_mut().map(|r| r.remove("rational"));
                }
                row
            })
            .collect();
        m.insert("sensitivity".into(), Json::Array(rows));
    }
    m.insert(
        "explored".into(),
        json!({"runs": e.runs, "leaves": e.leaves, "classes": e.classes, "samples": e.samples}),
    );
    // Only when there are any: reports of scripts without loops keep their shape.
    if !e.loops.is_empty() {
        m.insert("loops_solved".into(), json!(e.loops));
    }
    Json::Object(m)
}

/// A hybrid probability's 99.9% interval in percent: `[41.198, 43.897] (99.9%)`.
fn interval_text([lo, hi]: [f64; 2]) -> String {
    // No `-0.000` from float noise at 0.
    let pct = |x: f64| format!("{:.3}", (x * 100.0).max(0.0));
    format!("[{}, {}] (99.9%)", pct(lo), pct(hi))
}

pub fn json(e: &Exact, script: &str, seed: u64) -> String {
    let mut s = serde_json::to_string_pretty(&to_json(e, script, seed)).unwrap_or_default();
    s.push('\n');
    s
}

pub fn yaml(e: &Exact, script: &str, seed: u64) -> String {
    serde_saphyr::to_string(&to_json(e, script, seed)).unwrap_or_default()
}

/// The verdict the human report opens with, as the sampled report's (issue 19 point 3; one
/// catalogue, `sim::findings`; one [`Verdict`] type, shown by the text and HTML views): per
/// class, one line per finding kind with a probability above 0 — the probability, its fraction
/// (or its 99.9% interval when hybrid), what it means, the lint rules that predict it — and a
/// class with probability 0 says so.
pub fn verdict(e: &Exact) -> Verdict {
    use crate::sim::findings::{Class, Finding};
    use std::fmt::Write;
    let mut lines = Vec::new();
    for class in Class::ALL {
        let mut any = false;
        for f in Finding::ALL.iter().copied().filter(|f| f.class() == class) {
            let k = f.kind();
            let Some(v) = e
                .probabilities
                .iter()
                .find(|v| v.path.len() == 2 && v.path[0] == "findings" && v.path[1] == k.name)
            else {
                continue;
            };
            if v.value <= 0.0 {
                continue;
            }
            any = true;
            let mut how = percent(v.value);
            if let Some(r) = v.rational.as_deref().and_then(fraction_or_none) {
                let _ = write!(how, " = {r}");
            }
            if let Some(iv) = v.interval {
                let _ = write!(how, " {}", interval_text(iv));
            }
            let text =
                format!("{how} of contacts {}{}  [{class} {}]", k.verdict, k.predicting_suffix(), k.name);
            lines.push(Line::found(class, text, Vec::new()));
        }
        if !any {
            lines.push(Line::clear(
                class,
                if e.exact {
                    format!("no {class} (probability 0)")
                } else {
                    format!("no {class} in any of the {} samples", e.samples)
                },
            ));
        }
    }
    Verdict {
        heading: format!("Verdict ({} probability per contact)", if e.exact { "exact" } else { "estimated" }),
        lines,
    }
}

/// What the analysis cost, in words: "N runs of the engine, N leaves, N classes of contact", plus
/// the runs that ended at a merged state (docs/exact.md "Merging across paths"), and the samples
/// of the random durations when the run is hybrid (with the seed, when given).
pub fn effort(e: &Exact, seed: Option<u64>) -> String {
    let samples = match (e.samples > 1, seed) {
        (false, _) => String::new(),
        (true, Some(seed)) => format!(", {} samples of the random durations (seed {seed})", e.samples),
        (true, None) => format!(", {} samples of the random durations", e.samples),
    };
    let loops = match e.loops.len() {
        0 => String::new(),
        1 => ", 1 loop solved exactly".to_string(),
        n => format!(", {n} loops solved exactly"),
    };
    // Merged runs count their stored subtree again without exploring it, so the classes are
    // those of the leaves explored: a lower bound of the contact's distinct results.
    if e.merged > 0 {
        format!(
            "{} runs of the engine ({} ended at a state already explored from another path, counted \
             again), {} leaves, {} classes of contact among them{samples}{loops}",
            e.runs, e.merged, e.leaves, e.classes
        )
    } else {
        format!(
            "{} runs of the engine, {} leaves, {} classes of contact{samples}{loops}",
            e.runs, e.leaves, e.classes
        )
    }
}

/// The terminal report: one line per key, grouped by the report's sections.
pub fn human(e: &Exact, script: &str, seed: u64) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "{script} — exact analysis: {}", effort(e, Some(seed)));
    s.push('\n');
    if e.exact && e.closed_form_f64 {
        s.push_str(
            "Exact (closed form, f64): every probability below is exact for the continuous-time model of \
             the random durations (SEMANTICS A-29), split at the engine's comparisons; their CDF values \
             are evaluated in f64, so no fractions are shown.\n",
        );
    } else if e.exact {
        s.push_str("Exact: every probability below is exact, with its fraction.\n");
    } else {
        s.push_str("Not exact:\n");
        for why in &e.not_exact {
            let _ = writeln!(s, "  - {why}");
        }
    }
    if let Some(note) = &e.loop_note {
        let _ = writeln!(s, "Loops: {note}.");
    }
    s.push('\n');
    verdict(e).write_text(&mut s);
    let mut section = String::new();
    let width =
        e.probabilities.iter().chain(&e.expected).map(|v| v.path[1..].join(".").len()).max().unwrap_or(0);
    let width = width.clamp(20, 52);
    for v in &e.probabilities {
        if v.path[0] != section {
            section = v.path[0].clone();
            let _ = writeln!(s, "\n{section} (probability per contact)");
        }
        let key = v.path[1..].join(".");
        let key = if key.is_empty() { section.clone() } else { key };
        let mut line = format!("  {key:<width$} {:>16}", percent(v.value));
        if let Some(r) = v.rational.as_deref().and_then(fraction_or_none) {
            let _ = write!(line, "  = {r}");
        }
        if let Some(iv) = v.interval {
            let _ = write!(line, "  {}", interval_text(iv));
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s.push_str("\nexpected per contact\n");
    for v in &e.expected {
        let key = v.path.join(".");
        let mut line = format!("  {key:<width$} {:>16}", format!("{:.6}", v.value));
        if let Some(r) = v.rational.as_deref().and_then(fraction_or_none) {
            let _ = write!(line, "  = {r}");
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    if e.residual > 0.0 {
        let _ = writeln!(s, "\nresidual (unexplored probability): {:e}", e.residual);
    }
    if !e.sensitivity.is_empty() {
        s.push_str(
            "\nSensitivity: change of each violation's probability per unit of one traffic probability\n\
             (that outcome of the draw; its other outcomes scaled down in proportion)\n",
        );
        let mut finding = "";
        for x in &e.sensitivity {
            if x.finding != finding {
                finding = &x.finding;
                let _ = writeln!(s, "  {finding}");
            }
            let mut line =
                format!("    {:<40} {:>+16.12}", format!("{} = {}", x.draw, x.outcome), x.derivative);
            if let Some(r) = fraction_or_none(&x.rational).filter(|r| !r.is_empty()) {
                let _ = write!(line, "  = {r}");
            }
            s.push_str(line.trim_end());
            s.push('\n');
        }
    }
    s
}

/// `diff --exact` as JSON: both analyses, the changed keys, the branches neither version takes.
pub fn diff_json(
    old: (&Exact, &str),
    new: (&Exact, &str),
    seed: u64,
    changes: &[Change],
    unexercised: &[String],
) -> String {
    let rows: Vec<Json> = changes
        .iter()
        .map(|c| {
            let mut m = Map::new();
            m.insert("key".into(), json!(c.path.join(".")));
            m.insert("path".into(), json!(c.path));
            m.insert("old".into(), c.old.map_or(Json::Null, rounded));
            m.insert("new".into(), c.new.map_or(Json::Null, rounded));
            m.insert("difference".into(), rounded(c.difference));
            if let Some(r) = &c.rational {
                m.insert("rational".into(), json!(r));
            }
            if let Some([lo, hi]) = c.interval {
                m.insert("interval999".into(), json!([rounded(lo), rounded(hi)]));
            }
            Json::Object(m)
        })
        .collect();
    let v = json!({
        "version": 1,
        "exact": old.0.exact && new.0.exact,
        "old": to_json(old.0, old.1, seed),
        "new": to_json(new.0, new.1, seed),
        "changed": changes.len(),
        "changes": rows,
        "unexercised": unexercised,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

/// `diff --exact` for the terminal: what is not exact on either side, then one line per changed
/// key (old → new, the difference and its fraction), then the branches neither version takes.
pub fn diff_human(
    old: (&Exact, &str),
    new: (&Exact, &str),
    changes: &[Change],
    unexercised: &[String],
) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "{} → {} — exact analysis of both", old.1, new.1);
    let exact = old.0.exact && new.0.exact;
    if exact {
        s.push_str("Exact: every difference below is exact, with its fraction.\n");
    } else {
        s.push_str("Not exact:\n");
        for (side, e) in [("old", old.0), ("new", new.0)] {
            for why in &e.not_exact {
                let _ = writeln!(s, "  - {side}: {why}");
            }
        }
    }
    if changes.is_empty() {
        let _ = writeln!(
            s,
            "\nNo probability changed ({} keys compared{}).",
            old.0.probabilities.len().max(new.0.probabilities.len()),
            if exact { "" } else { ", within the 99.9% intervals" }
        );
    } else {
        let _ = writeln!(s, "\nChanged (probability per contact: old → new, difference)");
        let width = changes.iter().map(|c| c.path.join(".").len()).max().unwrap_or(0).clamp(20, 64);
        for c in changes {
            let side = |x: Option<f64>| x.map_or("absent".to_string(), percent);
            let points = c.difference * 100.0;
            let mut line = format!(
                "  {:<width$} {:>14} → {:<14} {:+} points",
                c.path.join("."),
                side(c.old),
                side(c.new),
                (points * 1e9).round() / 1e9
            );
            if let Some(r) = c.rational.as_deref().and_then(fraction_or_none) {
                let _ = write!(line, "  = {r}");
            }
            if let Some([lo, hi]) = c.interval {
                let _ = write!(line, "  [{:+.3}, {:+.3}] points (99.9%)", lo * 100.0, hi * 100.0);
            }
            s.push_str(line.trim_end());
            s.push('\n');
        }
    }
    if !unexercised.is_empty() {
        let _ = writeln!(
            s,
            "\nNot exercised by this traffic (probability 0 in both versions): {}",
            unexercised.join(", ")
        );
    }
    s
}
