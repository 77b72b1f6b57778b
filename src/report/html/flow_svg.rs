//! The flow of a script as an SVG drawing for the HTML report.
//!
//! Layout: [`layered`](super::layered) (our own near-linear layered layout: a 20 000-action
//! script lays out in well under a second). Each action is exactly one
//! `<g class="node" data-node="I">` (I = action index) that the report's script can find,
//! colour and highlight; each edge one `<g class="edge" data-from data-to>` with its path, its
//! arrowhead (a plain polygon, so a highlighted edge keeps a normal-sized head) and its label:
//! the branch names (`1`, `no input / other`, a CASE value, `default`) and, with traffic, the
//! share of contacts that took it. A self-loop is a small loop on the node's right side. User
//! text (ids, captions, branch names) only ever goes into text nodes (escaped by the `svg`
//! crate), never into attributes: the `svg` crate does not escape quotes in attribute values.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use svg::Node as _;
use svg::node::element::{Group, Path, Rectangle, Text, Title};

use super::layered;
use crate::flow::Flow;
use crate::report::graph::{Role, nodes, type_line};
use crate::script::{Action, Kind, Script};

/// Per-action extras drawn on a node.
#[derive(Clone, Debug, Default)]
pub struct NodeInfo {
    /// Share of contacts that ran the action (0–100), when there is traffic.
    pub share: Option<f64>,
    /// `recording: policy 62% / none 38%`, when there is traffic.
    pub state: Option<String>,
    /// Marked as changed (diff report).
    pub changed: bool,
    /// Per branch (script order): wired and taken by no contact — drawn as its own dashed
    /// edge labelled `0 contacts` (coverage).
    pub unexercised: Vec<bool>,
    /// Target action → share of all contacts (0–100) that went from this action to it, when
    /// there is traffic.
    pub edge_share: BTreeMap<usize, f64>,
}

/// Width of the space a self-loop takes on the right of its node.
const LOOP_W: f64 = 34.0;
/// Approximate advance of a character: node id (13 px, bold) and other lines (11.5 px).
const ID_CHAR: f64 = 8.0;
const TEXT_CHAR: f64 = 6.6;
const LINE_H: f64 = 16.0;

/// The text lines of a node: id, type (+ detail), caption; traffic lines when known.
fn lines(script: &Script, i: usize, info: &NodeInfo) -> Vec<String> {
    let a = &script.actions[i];
    let mut v = vec![a.id.clone(), type_line(a)];
    if let Some(l) = a.label.as_deref().filter(|l| !l.trim().is_empty()) {
        v.push(l.chars().take(40).collect());
    }
    if let Some(s) = info.share {
        v.push(format!("{s:.1}% of contacts"));
    }
    if let Some(s) = &info.state {
        v.push(s.clone());
    }
    v
}

fn box_size(ls: &[String]) -> (f64, f64) {
    let w = ls
        .iter()
        .enumerate()
        .map(|(k, l)| l.chars().count() as f64 * if k == 0 { ID_CHAR } else { TEXT_CHAR })
        .fold(0.0, f64::max);
    ((w + 30.0).max(70.0).round(), (ls.len() as f64 * LINE_H + 12.0).round())
}

/// How a branch is named on its edge: a MENU's `default` is taken on no input or an unwired
/// digit (SEMANTICS.md §2), so it says so.
fn branch_text<'a>(a: &Action, name: &'a str) -> &'a str {
    match (&a.kind, name) {
        (Kind::Menu(_), "default") => "no input / other",
        _ => name,
    }
}

/// One drawn edge: target, unexercised, label.
struct Edge {
    from: usize,
    to: usize,
    unexercised: bool,
    label: String,
}

fn edges_of(script: &Script, info_of: &dyn Fn(usize) -> NodeInfo) -> Vec<Edge> {
    let mut edges = Vec::new();
    for (i, a) in script.actions.iter().enumerate() {
        let inf = info_of(i);
        // One edge per (target, exercised or not): a branch no contact took is drawn apart.
        let zero = |k: usize| inf.unexercised.get(k).copied().unwrap_or(false);
        let mut seen: Vec<(usize, bool)> = Vec::new();
        for (k, b) in a.branches.iter().enumerate() {
            let Some(t) = b.target else { continue };
            let key = (t.index(), zero(k));
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let names: Vec<&str> = a
                .branches
                .iter()
                .enumerate()
                .filter(|(j, x)| x.target.map(|y| y.index()) == Some(key.0) && zero(*j) == key.1)
                .map(|(_, x)| branch_text(a, x.name.as_str()))
                .collect();
            let only_next = a.branches.len() == 1 && names == ["default"];
            let label = if key.1 {
                format!("{}: 0 contacts", names.join(" / "))
            } else {
                let share = inf.edge_share.get(&key.0).map(|s| format!("{s:.1}%"));
                match (only_next, share) {
                    // With traffic, an edge no contact took says so; without, a `next:` is plain.
                    (true, None) if inf.share.is_some() => "0 contacts".to_string(),
                    (true, None) => String::new(),
                    (true, Some(s)) => s,
                    (false, None) => names.join(" / "),
                    (false, Some(s)) => format!("{} · {s}", names.join(" / ")),
                }
            };
            edges.push(Edge { from: i, to: key.0, unexercised: key.1, label });
        }
    }
    edges
}

/// `d` of a polyline drawn as vertical-tangent cubic curves (a smooth layered-graph edge).
fn path_d(p: &[(f64, f64)]) -> String {
    let mut d = String::new();
    let _ = write!(d, "M {:.1} {:.1}", p[0].0, p[0].1);
    for w in p.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if (x0 - x1).abs() < 0.05 {
            let _ = write!(d, " L {x1:.1} {y1:.1}");
        } else {
            let m = (y0 + y1) / 2.0;
            let _ = write!(d, " C {x0:.1} {m:.1}, {x1:.1} {m:.1}, {x1:.1} {y1:.1}");
        }
    }
    d
}

/// An arrowhead with its tip at `tip`, pointing along `dir` (unit vector).
fn arrowhead(tip: (f64, f64), dir: (f64, f64)) -> Path {
    let (l, h) = (9.0, 4.5);
    let base = (tip.0 - dir.0 * l, tip.1 - dir.1 * l);
    let n = (-dir.1, dir.0);
    Path::new().set("class", "ah").set(
        "d",
        format!(
            "M {:.1} {:.1} L {:.1} {:.1} L {:.1} {:.1} z",
            tip.0,
            tip.1,
            base.0 + n.0 * h,
            base.1 + n.1 * h,
            base.0 - n.0 * h,
            base.1 - n.1 * h
        ),
    )
}

/// Draw the flow. `info` is indexed by action (may be empty: no traffic). `id` prefixes the
/// element ids so that two graphs can live in one page.
pub fn flow_svg(script: &Script, flow: &Flow, info: &[NodeInfo], id: &str) -> String {
    let all = nodes(script, flow);
    let none = NodeInfo::default();
    let info_of = |i: usize| info.get(i).unwrap_or(&none).clone();
    let texts: Vec<Vec<String>> =
        (0..all.len()).map(|i| lines(script, i, info.get(i).unwrap_or(&none))).collect();
    let boxes: Vec<(f64, f64)> = texts.iter().map(|l| box_size(l)).collect();
    let edges = edges_of(script, &info_of);
    let mut looped = vec![false; all.len()];
    for e in edges.iter().filter(|e| e.from == e.to) {
        looped[e.from] = true;
    }
    let sizes: Vec<(f64, f64)> =
        boxes.iter().zip(&looped).map(|(&(w, h), &l)| (if l { w + LOOP_W } else { w }, h)).collect();
    let pairs: Vec<(usize, usize)> = edges.iter().map(|e| (e.from, e.to)).collect();
    let lay = layered::layout(&sizes, &pairs);

    let pad = 20.0;
    let (w, h) = (lay.width + 2.0 * pad, lay.height + 2.0 * pad);
    let mut doc = svg::Document::new()
        .set("class", "flow")
        .set("id", id.to_string())
        .set("viewBox", (-pad, -pad, w.round(), h.round()))
        .set("width", w.round())
        .set("height", h.round())
        .set("role", "img");
    let mut group_edges = Group::new().set("class", "edges");
    let mut group_labels = Group::new().set("class", "elabels");
    for (e, r) in edges.iter().zip(&lay.routes) {
        let class = if e.unexercised { "edge unexercised" } else { "edge" };
        let mut g = Group::new()
            .set("class", class)
            .set("data-from", e.from.to_string())
            .set("data-to", e.to.to_string());
        let (label_at, d, tip, dir);
        if e.from == e.to {
            // A loop on the right side: out at 35% of the height, back in at 65%.
            let (x, y) = lay.pos[e.from];
            let (bw, bh) = boxes[e.from];
            let (rx, y0, y1) = (x + bw, y + bh * 0.3, y + bh * 0.7);
            d = format!(
                "M {rx:.1} {y0:.1} C {:.1} {:.1}, {:.1} {:.1}, {:.1} {y1:.1}",
                rx + LOOP_W - 4.0,
                y0 - 6.0,
                rx + LOOP_W - 4.0,
                y1 + 6.0,
                rx + 9.0
            );
            tip = (rx, y1);
            dir = (-1.0, 0.0);
            label_at = (rx + 4.0, y + bh + 12.0);
        } else {
            let p = &r.points;
            let last = p.len() - 1;
            let up = p[last].1 < p[last - 1].1;
            dir = (0.0, if up { -1.0 } else { 1.0 });
            tip = p[last];
            let mut q = p.clone();
            q[last].1 -= dir.1 * 8.0;
            d = path_d(&q);
            label_at = r.label_at;
        }
        g.append(Path::new().set("d", d).set("class", "line"));
        g.append(arrowhead(tip, dir));
        group_edges.append(g);
        if !e.label.is_empty() {
            group_labels.append(
                Text::new(e.label.clone())
                    .set("x", format!("{:.1}", label_at.0))
                    .set("y", format!("{:.1}", label_at.1))
                    .set("class", if e.unexercised { "elabel unexercised" } else { "elabel" })
                    .set("data-from", e.from.to_string())
                    .set("data-to", e.to.to_string()),
            );
        }
    }
    doc.append(group_edges);
    let mut group = Group::new().set("class", "nodes");
    for (i, n) in all.iter().enumerate() {
        let (x, y) = lay.pos[i];
        let (bw, bh) = boxes[i];
        let inf = info_of(i);
        let (fill, stroke) = n.role.colours();
        let heat_fill = inf.share.map(crate::report::heat::heat_colour);
        let mut class = format!("node role-{}", n.role.class());
        if !n.reachable {
            class.push_str(" unreachable");
        }
        if inf.changed {
            class.push_str(" changed");
        }
        let mut g = Group::new().set("class", class).set("data-node", i);
        let a = n.action;
        g.append(Title::new(format!("{} — {}", a.id, type_line(a))));
        // Fill: traffic share when known (as `graph --heat`); the role shows in the border and
        // a colour band on the left (as `graph` colours it).
        g.append(
            Rectangle::new()
                .set("x", x)
                .set("y", y)
                .set("width", bw)
                .set("height", bh)
                .set("rx", if matches!(n.role, Role::Begin | Role::Event) { 12 } else { 4 })
                .set("fill", heat_fill.unwrap_or_else(|| fill.to_string()))
                .set("stroke", stroke)
                .set("class", "box"),
        );
        g.append(
            Rectangle::new()
                .set("x", x)
                .set("y", y)
                .set("width", 7)
                .set("height", bh)
                .set("fill", stroke)
                .set("class", "band"),
        );
        for (k, l) in texts[i].iter().enumerate() {
            g.append(
                Text::new(l.clone())
                    .set("x", x + bw / 2.0 + 3.0)
                    .set("y", y + 2.0 + LINE_H * (k as f64 + 1.0))
                    .set("class", if k == 0 { "nid" } else { "ntext" }),
            );
        }
        group.append(g);
    }
    doc.append(group);
    // Labels last: drawn over edges that pass by.
    doc.append(group_labels);
    doc.to_string()
}

/// The legend entries of a script's roles: (css class, fill, stroke, text).
pub fn legend(script: &Script, flow: &Flow) -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    let all = nodes(script, flow);
    crate::report::graph::legend_roles(&all)
        .into_iter()
        .filter_map(|r| {
            let (f, s) = r.colours();
            r.legend().map(|t| (r.class(), f, s, t))
        })
        .collect()
}
