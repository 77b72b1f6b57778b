//! Rendering of simulation results: the v1 [`Report`] (human / JSON / YAML, FORMATS §5) and
//! an `explain` timeline (human / JSON).

use std::fmt::Write as _;

use crate::report::verdict::{Line, Verdict};
use crate::sim::coverage::CoverageReport;
use crate::sim::explain::Explanation;
use crate::sim::findings::Class;
use crate::sim::outcome::{ConsentAnswer, Finding, initiator_name, write_statement_id};
use crate::sim::{Compiled, Report};
use crate::stats::{Ci, fmt_ci};

/// FORMATS §5 JSON, pretty-printed, with a final newline.
pub fn report_json(r: &Report) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_default();
    s.push('\n');
    s
}

pub fn report_yaml(r: &Report) -> String {
    serde_saphyr::to_string(r).unwrap_or_default()
}

fn pct(n: u64, of: u64) -> f64 {
    if of == 0 { 0.0 } else { 100.0 * n as f64 / of as f64 }
}

/// `12.3 h` or `4.5 min`: recorded time as the text report (and the HTML chart) writes it.
pub fn hours(secs: f64) -> String {
    if secs >= 3600.0 { format!("{:.1} h", secs / 3600.0) } else { format!("{:.1} min", secs / 60.0) }
}

/// A terminal report: counts with percentages, policy target vs effective (R15), recorded
/// time per mode, statements, and each finding with an example contact and the `explain`
/// command that shows it. `flags` are the model options to repeat in those commands.
pub fn report_human(r: &Report, script_path: &str, flags: &str) -> String {
    let mut s = String::new();
    let n = r.calls;
    let _ = writeln!(s, "{} — {} calls, seed {}", r.script, n, r.seed);
    if let Some(m) = &r.media {
        let _ = writeln!(
            s,
            "not a voice script (media: {m}): no call recording is modelled, nothing is recorded"
        );
    }
    if let Some(p) = &r.precision {
        let how = if p.reached {
            format!("every 95% half-width ≤ {} points (widest {})", p.target, p.widest_half_width)
        } else {
            format!(
                "stopped at --max-calls {}: widest half-width {} > {} points",
                p.max_calls, p.widest_half_width, p.target
            )
        };
        let _ = writeln!(s, "--precision {}: {n} calls; {how}", p.target);
    }
    let _ = writeln!(s);
    verdict(r, script_path, flags).write_text(&mut s);
    let _ = writeln!(s);
    let line = |s: &mut String, label: &str, v: u64, ci: Ci| {
        let _ = writeln!(s, "  {label:<26} {v:>9}  {:>5.1}% {}", pct(v, n), fmt_ci(ci));
    };
    let c = &r.ci95;
    let _ = writeln!(s, "Recorded (contacts)");
    line(&mut s, "any call recording", r.recorded.any, c.recorded.any);
    line(&mut s, "full (agent/external)", r.recorded.full, c.recorded.full);
    line(&mut s, "agent only", r.recorded.agent_only, c.recorded.agent_only);
    line(&mut s, "IVR segment", r.recorded.ivr, c.recorded.ivr);
    line(&mut s, "not recorded", r.recorded.none, c.recorded.none);
    let _ = writeln!(s, "Started by");
    line(&mut s, "Studio actions", r.initiators.studio, c.initiators.studio);
    line(&mut s, "recording on demand", r.initiators.rod, c.initiators.rod);
    line(&mut s, "recording policies", r.initiators.policy, c.initiators.policy);
    let _ = writeln!(s, "Calls");
    line(&mut s, "Do Not Record set", r.dnr, c.dnr);
    line(&mut s, "abandoned in queue", r.abandoned, c.abandoned);
    // Only when the traffic models IVR hang-ups.
    if let (Some(k), Some(ci)) = (r.hung_up_in_ivr, c.hung_up_in_ivr) {
        line(&mut s, "hung up in the IVR", k, ci);
    }
    let _ = writeln!(s, "  (95% Wilson intervals in brackets: the sampling noise of {n} calls)");
    let _ = writeln!(s);
    if !r.policies.is_empty() {
        let _ = writeln!(s, "Recording policies: target vs effective (R15: Studio and ROD add to policies)");
        for p in &r.policies {
            let _ = writeln!(
                s,
                "  {:<26} target {:>5.1}%  effective {:>5.1}% {}  ({} of {} matching contacts recorded)",
                p.name,
                p.target_percent,
                p.effective_percent,
                fmt_ci(p.ci95),
                p.recorded,
                p.matched
            );
        }
        let _ = writeln!(s);
    }
    let rs = &r.recorded_seconds;
    let _ = writeln!(
        s,
        "Recorded time: full {}, agent only {}, IVR {}, statements {}",
        hours(rs.full),
        hours(rs.agent_only),
        hours(rs.ivr),
        hours(rs.statements)
    );
    let st = &r.statements;
    let _ =
        writeln!(s, "Recorded statements: {} captured, {} saved, {} lost", st.captured, st.saved, st.lost);
    // Issue 11 point 4: a `{var}` property still invalid at run time took its fallback.
    if !r.templated_fallback.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "Templated values that fell back (templated_fallback: the documented default was used)"
        );
        for (id, count) in &r.templated_fallback {
            let _ = writeln!(s, "  {:<26} {count:>9}  {:>5.1}%", id, pct(*count, n));
        }
        if let Some(id) = r.finding_examples[Finding::TemplatedFallback as usize].first() {
            let _ = writeln!(s, "      e.g. contact {id}: recflow explain {script_path} --call {id}{flags}");
        }
    }
    // Not findings: what recflow could not compute and took from traffic (or left unknown).
    if !r.unmodelled.is_empty() || r.unmodelled_snippet > 0 {
        let _ = writeln!(s);
        let _ = writeln!(s, "Unmodelled (branch chosen by traffic weights; not findings)");
        for (id, count) in &r.unmodelled {
            let _ = write!(s, "  {:<26} {count:>9}  {:>5.1}%", id, pct(*count, n));
            match r.unmodelled_what.get(id) {
                Some(what) => {
                    let _ = writeln!(s, "  {what}");
                }
                None => {
                    let _ = writeln!(s);
                }
            }
        }
        if r.unmodelled_snippet > 0 {
            let count = r.unmodelled_snippet;
            let _ = writeln!(
                s,
                "  {:<26} {count:>9}  {:>5.1}%  SNIPPET constructs recflow does not model gave unknown values",
                "unmodelled_snippet",
                pct(count, n)
            );
        }
    }
    s
}

/// The verdict the human report opens with (issue 19 point 3): per class, one line per finding
/// kind that occurred — contacts, percent with its 95% interval, what they did, the breakdown
/// for consent, the lint rules that predict it — with the `explain` commands of its first two
/// example contacts; a class nothing was found in says so, for the contacts simulated. The HTML
/// report shows the same lines.
pub fn verdict(r: &Report, script_path: &str, flags: &str) -> Verdict {
    let n = r.calls;
    let mut lines = Vec::new();
    for class in Class::ALL {
        let kinds: Vec<Finding> =
            Finding::ALL.iter().copied().filter(|f| f.class() == class && r.findings.get(*f) > 0).collect();
        if kinds.is_empty() {
            lines.push(Line::clear(class, format!("no {class}")));
            continue;
        }
        for f in kinds {
            let k = f.kind();
            let count = r.findings.get(f);
            let mut detail = String::new();
            if f == Finding::RecordedWithoutConsent
                && let Some(c) = &r.consent
            {
                detail = consent_detail(c);
            }
            let text = format!(
                "{count} contact{} ({:.1}% {}) {}{detail}{}  [{class} {}]",
                if count == 1 { "" } else { "s" },
                pct(count, n),
                fmt_ci(r.ci95.findings.get(f)),
                k.verdict,
                k.predicting_suffix(),
                k.name,
            );
            let commands = r.finding_examples[f as usize]
                .iter()
                .map(|id| format!("recflow explain {script_path} --call {id}{flags}"))
                .collect();
            lines.push(Line::found(class, text, commands));
        }
    }
    Verdict { heading: format!("Verdict ({n} simulated contacts)"), lines }
}

/// ` — no input 46, declined 3 at consent; by policy 49`: the answers and initiators of the
/// contacts recorded without consent.
fn consent_detail(c: &crate::sim::aggregate::Consent) -> String {
    let w = &c.recorded_without_consent;
    let answers: Vec<String> = ConsentAnswer::ALL
        .into_iter()
        .filter(|a| w.by_answer.get(*a) > 0)
        .map(|a| format!("{} {}", a.words(), w.by_answer.get(a)))
        .collect();
    let i = &w.by_initiator;
    let by: Vec<String> = [("policy", i.policy), ("studio", i.studio), ("rod", i.rod)]
        .into_iter()
        .filter(|(_, k)| *k > 0)
        .map(|(name, k)| format!("{name} {k}"))
        .collect();
    format!(" — {} at {}; by {}", answers.join(", "), c.questions.join(" / "), by.join(", "))
}

/// `Coverage: 41 of 44 branches (93%), 30 of 31 actions` and the wired branches no contact
/// took, each with its `file:line` (`unexercised`: key and location, script order). The
/// percentage is rounded down, so 100% means every branch was taken.
pub fn coverage_human(c: &CoverageReport, unexercised: &[(String, String)]) -> String {
    let mut s = String::new();
    let (hit, all) = c.branch_counts();
    let actions = c.actions.values().filter(|n| **n > 0).count();
    let _ = writeln!(
        s,
        "Coverage: {hit} of {all} branches ({}%), {actions} of {} actions",
        c.percent().floor(),
        c.actions.len()
    );
    if !unexercised.is_empty() {
        let _ = writeln!(s, "  not exercised by this traffic (0 contacts):");
        let width = unexercised.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
        for (k, at) in unexercised {
            let _ = writeln!(s, "    {k:<width$}  {at}");
        }
    }
    s
}

/// `m:ss.mmm`.
fn clock(ms: u64) -> String {
    format!("{}:{:02}.{:03}", ms / 60_000, (ms / 1000) % 60, ms % 1000)
}

pub fn explain_human(p: &Compiled, ex: &Explanation, script_path: &str) -> String {
    let o = &ex.outcome;
    let mut s = String::new();
    let _ = writeln!(s, "contact {} of {} (seed {})", o.id, script_path, p.seed);
    let _ = writeln!(s);
    for st in &ex.steps {
        let action = st.action.as_deref().map_or(String::new(), |a| format!("[{a}] "));
        let rule = st.rule.map_or(String::new(), |r| format!("  ({r})"));
        let _ = writeln!(s, "{:>10}  {:<9} {action}{}{rule}", clock(st.t_ms), st.kind, st.text);
    }
    let _ = writeln!(s);
    let ended = if o.abandoned {
        ", abandoned"
    } else if o.hung_up_in_ivr {
        ", hung up in the IVR"
    } else {
        ""
    };
    let _ = writeln!(s, "duration {}{ended}", clock(o.duration_ms));
    if let Some(t) = o.dnr_at_ms {
        let _ = writeln!(s, "Do Not Record at {}", clock(t));
    }
    let _ = writeln!(s, "segments:");
    for (i, seg) in o.segments.iter().enumerate() {
        let agent = seg.agent.map_or(String::new(), |a| format!(" ({})", p.agents[a.index()].id));
        let _ =
            writeln!(s, "  {i}: {}{agent} {} – {}", seg.kind.as_str(), clock(seg.from_ms), clock(seg.to_ms));
    }
    if o.recordings.is_empty() {
        let _ = writeln!(s, "recordings: none");
    } else {
        let _ = writeln!(s, "recordings:");
        for r in &o.recordings {
            let _ = writeln!(
                s,
                "  segment {} {} by {}: {} – {}",
                r.segment,
                r.mode.as_str(),
                initiator_name(p, r.initiator),
                clock(r.from_ms),
                clock(r.to_ms)
            );
        }
    }
    let mut id = String::new();
    for st in &o.statements {
        write_statement_id(&mut id, o.id, st.n);
        let _ = writeln!(
            s,
            "statement {id}: {} – {}, ended by {}, {}",
            clock(st.from_ms),
            clock(st.to_ms),
            st.ended_by.as_str(),
            if st.saved { "saved" } else { "lost" }
        );
    }
    // Issue 19 point 6: the one bit set the timeline's `finding` lines also come from, each
    // with its class (templated_fallback included: it is a catalogue kind like the others).
    let findings: Vec<String> = o.findings().map(|f| format!("{} ({})", f.as_str(), f.class())).collect();
    let _ = writeln!(
        s,
        "findings: {}",
        if findings.is_empty() { "none".to_string() } else { findings.join(", ") }
    );
    let path: Vec<&str> = o.path.iter().map(|a| p.id(*a)).collect();
    let _ = writeln!(s, "path: {}", path.join(" → "));
    s
}

/// `{"version": 1, "script", "seed", "contact": <calls-out object>, "timeline": [...]}`.
pub fn explain_json(p: &Compiled, ex: &Explanation) -> String {
    let mut line = String::new();
    ex.outcome.write_json(p, &mut line);
    let contact: serde_json::Value = serde_json::from_str(&line).unwrap_or(serde_json::Value::Null);
    let v = serde_json::json!({
        "version": 1,
        "script": p.name,
        "seed": p.seed,
        "contact": contact,
        "timeline": ex.steps,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
