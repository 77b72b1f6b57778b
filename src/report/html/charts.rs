//! Charts of the HTML report, drawn with the `svg` crate: horizontal percentage bars with
//! their interval as a whisker (none for an exact probability, `report --exact`), and one
//! contact's timeline.
//!
//! User text goes only into text nodes (escaped by the crate), never into attributes.

use svg::Node as _;
use svg::node::element::{Group, Line, Rectangle, Text, Title};

use crate::sim::outcome::{Initiator, Mode, RecEnd, Recording, SegmentKind};
use crate::sim::{Compiled, Mark, Outcome, TraceStep};
use crate::stats::{Ci, fmt_ci};

/// How sure a bar's share is: what its whisker and value text show.
#[derive(Clone, Debug, PartialEq)]
pub enum Share {
    /// Sampled: the 95% Wilson interval (percent).
    Sampled(Ci),
    /// An exact analysis that is not exact (`report --exact` on random durations or a cut
    /// loop): the interval (percent) the probability lies in, and what it is.
    Interval(Ci, &'static str),
    /// An exact probability: no whisker; its fraction when short enough to read.
    Exact(Option<String>),
}

/// One bar: label, share (percent), how sure it is, and the text shown after it.
pub struct Bar {
    pub label: String,
    pub percent: f64,
    pub share: Share,
    pub note: String,
    /// A target to mark on the bar (policy target percent).
    pub target: Option<f64>,
    /// CSS class of the bar (`bar-recorded`, `bar-finding`...).
    pub class: &'static str,
}

const LABEL_W: f64 = 230.0;
const BAR_W: f64 = 360.0;
const ROW_H: f64 = 24.0;

/// The value text of a bar: `46.5% [44.1, 48.9]` (sampled, an interval), `46.5% = 93/200`
/// (exact), and the title's explanation of the interval.
fn value_text(r: &Bar) -> (String, &'static str) {
    match &r.share {
        Share::Sampled(ci) => (format!("{:.1}% {}", r.percent, fmt_ci(*ci)), " (95% interval)"),
        Share::Interval(ci, what) => (format!("{:.1}% {}", r.percent, fmt_ci(*ci)), what),
        Share::Exact(f) => {
            let p = crate::sim::exact::percent(r.percent / 100.0);
            (f.as_ref().map_or_else(|| p.clone(), |f| format!("{p} = {f}")), " (exact)")
        }
    }
}

/// Rows under a heading, as the text report groups them (`Recorded (contacts)`, `Started by`,
/// `Calls`); a group with an empty title has no heading row.
pub struct RowGroup {
    pub title: String,
    pub rows: Vec<Bar>,
}

/// One swatch of a chart's legend: the CSS class that colours it and what it means.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Key {
    pub class: &'static str,
    pub text: String,
}

const HEAD_H: f64 = 26.0;

/// Horizontal bars 0–100% with interval whiskers (none on an exact share), in groups: a group's heading row is bold
/// and, but for the first, separated from the rows above by a rule.
pub fn bars(groups: &[RowGroup]) -> String {
    let width = LABEL_W + BAR_W + 440.0;
    let heads = groups.iter().filter(|g| !g.title.is_empty()).count() as f64;
    let rows: usize = groups.iter().map(|g| g.rows.len()).sum();
    let height = HEAD_H * heads + ROW_H * rows as f64 + 28.0;
    let mut doc = svg::Document::new()
        .set("class", "chart")
        .set("viewBox", (0, 0, width, height))
        .set("width", width)
        .set("role", "img");
    let x = |p: f64| LABEL_W + BAR_W * p.clamp(0.0, 100.0) / 100.0;
    // Axis: 0, 25, 50, 75, 100%.
    let mut axis = Group::new().set("class", "axis");
    for t in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let y1 = height - 18.0;
        axis.append(Line::new().set("x1", x(t)).set("x2", x(t)).set("y1", 2).set("y2", y1));
        axis.append(
            Text::new(format!("{t:.0}%"))
                .set("x", x(t))
                .set("y", height - 4.0)
                .set("class", "tick")
                .set("text-anchor", "middle"),
        );
    }
    doc.append(axis);
    let mut y = 4.0;
    for (k, grp) in groups.iter().enumerate() {
        if !grp.title.is_empty() {
            let mut g = Group::new().set("class", "group");
            if k > 0 {
                g.append(Line::new().set("x1", 0).set("x2", width).set("y1", y + 2.0).set("y2", y + 2.0));
            }
            g.append(Text::new(grp.title.clone()).set("x", 4).set("y", y + 19.0).set("class", "ghead"));
            doc.append(g);
            y += HEAD_H;
        }
        for r in &grp.rows {
            doc.append(bar_row(r, y, &x));
            y += ROW_H;
        }
    }
    doc.to_string()
}

fn bar_row(r: &Bar, y: f64, x: &impl Fn(f64) -> f64) -> Group {
    let mut g = Group::new().set("class", format!("row {}", r.class));
    let (value, what) = value_text(r);
    g.append(Title::new(format!("{}: {value}{what}", r.label)));
    g.append(Text::new(r.label.clone()).set("x", LABEL_W - 8.0).set("y", y + 15.0).set("class", "blabel"));
    g.append(
        Rectangle::new()
            .set("x", x(0.0))
            .set("y", y + 3.0)
            .set("width", BAR_W)
            .set("height", 14)
            .set("class", "track"),
    );
    g.append(
        Rectangle::new()
            .set("x", x(0.0))
            .set("y", y + 3.0)
            .set("width", x(r.percent) - x(0.0))
            .set("height", 14)
            .set("class", "bar"),
    );
    // The whisker: the interval (an exact share has none).
    if let Share::Sampled(ci) | Share::Interval(ci, _) = r.share {
        let (lo, hi) = (x(ci[0]), x(ci[1]));
        let mid = y + 10.0;
        g.append(Line::new().set("x1", lo).set("x2", hi).set("y1", mid).set("y2", mid).set("class", "ci"));
        for e in [lo, hi] {
            g.append(
                Line::new()
                    .set("x1", e)
                    .set("x2", e)
                    .set("y1", mid - 5.0)
                    .set("y2", mid + 5.0)
                    .set("class", "ci"),
            );
        }
    }
    if let Some(t) = r.target {
        g.append(
            Line::new()
                .set("x1", x(t))
                .set("x2", x(t))
                .set("y1", y)
                .set("y2", y + 20.0)
                .set("class", "target"),
        );
    }
    g.append(
        Text::new(format!("{value}  {}", r.note))
            .set("x", LABEL_W + BAR_W + 8.0)
            .set("y", y + 15.0)
            .set("class", "bvalue"),
    );
    g
}

/// One bar of an amount chart: a count or a duration, drawn against the largest of its chart.
pub struct Amount {
    pub label: String,
    pub value: f64,
    /// The value as the text report writes it (`12`, `3.4 h`).
    pub text: String,
    pub class: &'static str,
}

/// Horizontal bars of amounts (statement counts, recorded time), scaled to the largest; the
/// value is written after each bar. All zero: empty tracks, each labelled `0`.
pub fn amounts(rows: &[Amount]) -> String {
    // Narrow (two sit side by side): label, bar, value.
    const LABEL_W: f64 = 190.0;
    const BAR_W: f64 = 260.0;
    let width = LABEL_W + BAR_W + 110.0;
    let height = ROW_H * rows.len() as f64 + 8.0;
    let max = rows.iter().map(|r| r.value).fold(0.0, f64::max);
    let mut doc = svg::Document::new()
        .set("class", "chart")
        .set("viewBox", (0, 0, width, height))
        .set("width", width)
        .set("role", "img");
    for (i, r) in rows.iter().enumerate() {
        let y = 4.0 + ROW_H * i as f64;
        let w = if max > 0.0 { BAR_W * r.value / max } else { 0.0 };
        let mut g = Group::new().set("class", format!("row {}", r.class));
        g.append(Title::new(format!("{}: {}", r.label, r.text)));
        g.append(
            Text::new(r.label.clone()).set("x", LABEL_W - 8.0).set("y", y + 15.0).set("class", "blabel"),
        );
        g.append(
            Rectangle::new()
                .set("x", LABEL_W)
                .set("y", y + 3.0)
                .set("width", BAR_W)
                .set("height", 14)
                .set("class", "track"),
        );
        g.append(
            Rectangle::new()
                .set("x", LABEL_W)
                .set("y", y + 3.0)
                .set("width", w)
                .set("height", 14)
                .set("class", "bar"),
        );
        g.append(
            Text::new(r.text.clone())
                .set("x", LABEL_W + BAR_W + 8.0)
                .set("y", y + 15.0)
                .set("class", "bvalue"),
        );
        doc.append(g);
    }
    doc.to_string()
}

fn clock(ms: u64) -> String {
    format!("{}:{:02}.{:03}", ms / 60_000, (ms / 1000) % 60, ms % 1000)
}

/// Estimated width in px of `text` at the timeline's 11 px label font (a little generous, so
/// that labels laid out apart stay apart in any sans-serif font).
fn label_width(text: &str) -> f64 {
    text.chars().count() as f64 * 6.6 + 6.0
}

/// Lay labels out in lanes so that none overlaps another: each label (its anchor x and width)
/// goes into the first lane whose last label ends before it starts; a label that would run off
/// the right edge is drawn ending at its anchor instead. Returns (lane, left x) per label, in the
/// order given; `items` must be sorted by anchor.
fn lanes(items: &[(f64, f64)], right: f64) -> Vec<(usize, f64)> {
    let mut ends: Vec<f64> = Vec::new();
    items
        .iter()
        .map(|&(x, w)| {
            let left = if x + 3.0 + w > right { x - 3.0 - w } else { x + 3.0 };
            let lane = match ends.iter().position(|&e| e + 4.0 <= left) {
                Some(l) => l,
                None => {
                    ends.push(f64::MIN);
                    ends.len() - 1
                }
            };
            ends[lane] = left + w;
            (lane, left)
        })
        .collect()
}

/// A moment the timeline marks: time, CSS class, label, tooltip.
struct Moment {
    t_ms: u64,
    class: &'static str,
    label: String,
    title: String,
}

/// The moments of a contact the engine marked (`sim::Mark`): MENU answers, the agent's answer,
/// transfers, conference, disposition, ROD requests and MAX button presses.
fn moments(p: &Compiled, steps: &[TraceStep]) -> Vec<Moment> {
    let mut v: Vec<Moment> = steps
        .iter()
        .filter_map(|st| {
            let (t_ms, class, label) = match st.mark.as_ref()? {
                Mark::Menu { input, at_ms } => (
                    *at_ms,
                    "mk-menu",
                    match input {
                        Some(d) => format!("{} “{d}”", st.action.as_deref().unwrap_or("MENU")),
                        None => format!("{}: no input", st.action.as_deref().unwrap_or("MENU")),
                    },
                ),
                Mark::Answer => (st.t_ms, "mk-answer", "answer".to_string()),
                Mark::TransferAgent => (st.t_ms, "mk-transfer", "transfer → agent".to_string()),
                Mark::TransferExternal => (st.t_ms, "mk-transfer", "transfer → external".to_string()),
                Mark::Conference => (st.t_ms, "mk-conference", "conference".to_string()),
                Mark::Disposition => (st.t_ms, "mk-disposition", "disposition".to_string()),
                Mark::Rod { supervisor } => {
                    (st.t_ms, "mk-rod", if *supervisor { "supervisor ROD" } else { "ROD" }.to_string())
                }
                Mark::Press(b) => (st.t_ms, "mk-press", format!("press {}", p.button_names[b.index()])),
            };
            Some(Moment { t_ms, class, label, title: format!("{} {}", clock(st.t_ms), st.text) })
        })
        .collect();
    // Stable: same-time moments keep the engine's order.
    v.sort_by_key(|m| m.t_ms);
    v
}

/// One contact as a timeline: segments (IVR, queue, agent, external); recordings coloured by
/// initiator (agent-only dashed), each followed by the rule that ended it (`R6`, `R10`, …, full
/// words in its tooltip); recorded statements; the Do Not Record moment across every row; and
/// the marked moments — MENU answers, the agent's answer, transfers, conference, disposition,
/// ROD, MAX presses — as ticks with labels laid out in lanes so that no two overlap.
pub fn timeline(p: &Compiled, o: &Outcome, steps: &[TraceStep]) -> String {
    let left = 110.0;
    let w = 640.0;
    let right = left + w + 16.0;
    let end = o.duration_ms.max(1) as f64;
    let x = |ms: u64| left + w * (ms as f64 / end).min(1.0);
    const ROW: f64 = 26.0;
    const LANE: f64 = 16.0;
    let row_y = |k: usize| 5.0 + ROW * k as f64;

    // The rule that ended each recording, in lanes under the recordings row.
    let mut ended: Vec<(f64, &Recording)> = o.recordings.iter().map(|r| (x(r.to_ms), r)).collect();
    ended.sort_by(|a, b| a.0.total_cmp(&b.0));
    let ended_at =
        lanes(&ended.iter().map(|(ex, r)| (*ex, label_width(r.ended_by.code()))).collect::<Vec<_>>(), right);
    let ended_lanes = ended_at.iter().map(|(l, _)| l + 1).max().unwrap_or(1);
    let moments = moments(p, steps);
    let at = lanes(&moments.iter().map(|m| (x(m.t_ms), label_width(&m.label))).collect::<Vec<_>>(), right);
    let moment_lanes = at.iter().map(|(l, _)| l + 1).max().unwrap_or(1);

    // Rows: call (0), recordings (1), ended by (lanes), statements, moments (lanes).
    let y_ended = row_y(2) - 4.0;
    let y_stmt = y_ended + LANE * ended_lanes as f64 + 6.0;
    let y_moments = y_stmt + ROW;
    let height = y_moments + LANE * moment_lanes as f64 + 26.0;
    let mut doc = svg::Document::new()
        .set("class", "timeline")
        .set("viewBox", (0, 0, right + 4.0, height))
        .set("width", right + 4.0)
        .set("role", "img");
    for (label, y) in [
        ("call", row_y(0)),
        ("recordings", row_y(1)),
        ("ended by", y_ended),
        ("statements", y_stmt),
        ("moments", y_moments),
    ] {
        doc.append(Text::new(label).set("x", left - 8.0).set("y", y + 13.0).set("class", "blabel"));
    }
    let bar = |from: u64, to: u64, y: f64, class: String, title: String| {
        Group::new().add(Title::new(title)).add(
            Rectangle::new()
                .set("x", x(from))
                .set("y", y)
                .set("width", (x(to) - x(from)).max(2.0))
                .set("height", 18)
                .set("class", class),
        )
    };
    // Segments, with the queue as the gap before an agent segment.
    let mut prev_end: Option<u64> = None;
    for s in &o.segments {
        if let Some(e) = prev_end
            && s.from_ms > e
            && s.kind != SegmentKind::Ivr
        {
            doc.append(bar(
                e,
                s.from_ms,
                row_y(0),
                "seg seg-queue".into(),
                format!("queue {} – {}", clock(e), clock(s.from_ms)),
            ));
        }
        let agent = s.agent.map_or(String::new(), |a| format!(" {}", p.agents[a.index()].id));
        doc.append(bar(
            s.from_ms,
            s.to_ms,
            row_y(0),
            format!("seg seg-{}", s.kind.as_str()),
            format!("{}{agent} {} – {}", s.kind.as_str(), clock(s.from_ms), clock(s.to_ms)),
        ));
        prev_end = Some(s.to_ms);
    }
    if o.abandoned
        && let Some(e) = prev_end
        && e < o.duration_ms
    {
        doc.append(bar(e, o.duration_ms, row_y(0), "seg seg-queue".into(), "queue (abandoned)".into()));
    }
    for r in &o.recordings {
        let who = match r.initiator {
            Initiator::Studio => "studio",
            Initiator::Rod => "rod",
            Initiator::Policy(_) => "policy",
        };
        let mode = if r.mode == Mode::AgentOnly { " mode-agent-only" } else { "" };
        doc.append(bar(
            r.from_ms,
            r.to_ms,
            row_y(1),
            format!("rec rec-{who}{mode}"),
            format!(
                "{} by {} (segment {}) {} – {}, ended: {}",
                r.mode.as_str(),
                crate::sim::outcome::initiator_name(p, r.initiator),
                r.segment,
                clock(r.from_ms),
                clock(r.to_ms),
                format_args!("{} {}", r.ended_by.code(), r.ended_by.words())
            ),
        ));
    }
    for ((ex, r), (lane, lx)) in ended.iter().zip(&ended_at) {
        let y = y_ended + LANE * *lane as f64;
        doc.append(
            Group::new()
                .set("class", "ended")
                .add(Title::new(format!(
                    "recording ended at {}: {} {}",
                    clock(r.to_ms),
                    r.ended_by.code(),
                    r.ended_by.words()
                )))
                // A tick in the label's own lane only, so it crosses no other label.
                .add(Line::new().set("x1", *ex).set("x2", *ex).set("y1", y + 1.0).set("y2", y + 14.0))
                .add(Text::new(r.ended_by.code()).set("x", *lx).set("y", y + 12.0)),
        );
    }
    for s in &o.statements {
        let class = if s.saved { "stmt stmt-saved" } else { "stmt stmt-lost" };
        doc.append(bar(
            s.from_ms,
            s.to_ms,
            y_stmt,
            class.into(),
            format!(
                "statement {} – {}, ended by {}, {}",
                clock(s.from_ms),
                clock(s.to_ms),
                s.ended_by.as_str(),
                if s.saved { "saved" } else { "lost" }
            ),
        ));
    }
    for (m, (lane, lx)) in moments.iter().zip(&at) {
        let mx = x(m.t_ms);
        let y = y_moments + LANE * *lane as f64;
        doc.append(
            Group::new()
                .set("class", format!("moment {}", m.class))
                .add(Title::new(m.title.clone()))
                .add(Line::new().set("x1", mx).set("x2", mx).set("y1", y + 1.0).set("y2", y + 14.0))
                .add(Text::new(m.label.clone()).set("x", *lx).set("y", y + 12.0)),
        );
    }
    if let Some(t) = o.dnr_at_ms {
        doc.append(
            Group::new()
                .set("class", "dnr")
                .add(Title::new(format!("Do Not Record at {}", clock(t))))
                .add(Line::new().set("x1", x(t)).set("x2", x(t)).set("y1", 0).set("y2", height - 20.0))
                .add(Text::new("DNR").set("x", x(t) + 3.0).set("y", row_y(0) + 13.0)),
        );
    }
    // Time axis: start, middle, end.
    let y = height - 6.0;
    for (ms, anchor) in [(0, "start"), (o.duration_ms / 2, "middle"), (o.duration_ms, "end")] {
        doc.append(
            Text::new(clock(ms)).set("x", x(ms)).set("y", y).set("class", "tick").set("text-anchor", anchor),
        );
    }
    doc.to_string()
}

/// The timeline's legend: each colour and mark, and each rule that can end a recording.
pub fn timeline_legend() -> Vec<Key> {
    let mut keys: Vec<Key> = [
        ("seg-ivr", "IVR segment"),
        ("seg-queue", "queue"),
        ("seg-agent", "agent segment"),
        ("seg-external", "external segment (transfer to a number)"),
        ("rec-studio", "recorded by Studio actions"),
        ("rec-rod", "recorded on demand (ROD)"),
        ("rec-policy", "recorded by a policy"),
        ("mode-agent-only", "agent only (caller not recorded)"),
        ("stmt-saved", "recorded statement, saved"),
        ("stmt-lost", "recorded statement, lost"),
        ("sw-dnr", "Do Not Record set"),
        ("mk-menu", "MENU answer (digit or no input)"),
        ("mk-answer", "agent answers"),
        ("mk-transfer", "transfer"),
        ("mk-conference", "conference"),
        ("mk-disposition", "disposition"),
        ("mk-rod", "ROD requested"),
        ("mk-press", "MAX button press"),
    ]
    .into_iter()
    .map(|(class, text)| Key { class, text: text.to_string() })
    .collect();
    for e in RecEnd::ALL {
        keys.push(Key { class: "sw-ended", text: format!("ended by {}: {}", e.code(), e.words()) });
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_keep_labels_apart_and_inside_the_right_edge() {
        // Three labels close together: each a lane of its own; one far right flips left of its anchor.
        let got = lanes(&[(10.0, 50.0), (20.0, 50.0), (30.0, 10.0), (100.0, 20.0), (195.0, 30.0)], 200.0);
        assert_eq!(got[0], (0, 13.0));
        assert_eq!(got[1].0, 1);
        assert_eq!(got[2].0, 2);
        assert_eq!(got[3], (0, 103.0), "after the first label ends, lane 0 is free again");
        assert_eq!(got[4], (0, 162.0), "drawn ending at its anchor: 195 - 3 - 30");
    }
}
