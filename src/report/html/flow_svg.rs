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

use super::layered::{self, LOOP_W};
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

/// A called script's copy drawn as a group (a framed cluster with its name), from
/// [`crate::report::heat::clusters`]: actions `first..first + len`.
pub use crate::report::heat::Cluster;

/// Groups start collapsed when the script has more actions than this (the page would be large:
/// the 50-call library is 2 052 actions); below it they start expanded. Either way each group's
/// header collapses or expands it.
pub const COLLAPSE_OVER: usize = 150;

/// Inside a group: padding, the header's height, and the height of a collapsed group.
const GPAD: f64 = 12.0;
const GHEAD: f64 = 30.0;
const GCOLLAPSED: f64 = 50.0;
/// Advance of a character of an edge label (11 px) and of a group title (13 px, bold): wide
/// enough for DejaVu Sans, the widest common system-ui font.
const LABEL_CHAR: f64 = 7.0;
const TITLE_CHAR: f64 = 8.4;

fn label_width(l: &str) -> f64 {
    if l.is_empty() { 0.0 } else { l.chars().count() as f64 * LABEL_CHAR + 2.0 }
}

/// The path of an edge through `p` with its arrowhead at the last point (the line stops short of
/// the tip, so the head keeps its size and colour).
fn edge_shapes(p: &[(f64, f64)]) -> (String, Path) {
    let last = p.len() - 1;
    let up = p[last].1 < p[last - 1].1;
    let dir = (0.0, if up { -1.0 } else { 1.0 });
    let mut q = p.to_vec();
    q[last].1 -= dir.1 * 8.0;
    (path_d(&q), arrowhead(p[last], dir))
}

/// The self-loop of a node whose box is at `(x, y)`, `(bw, bh)`: path and arrowhead.
fn self_loop(x: f64, y: f64, bw: f64, bh: f64) -> (String, Path) {
    let (rx, y0, y1) = (x + bw, y + bh * 0.3, y + bh * 0.7);
    let d = format!(
        "M {rx:.1} {y0:.1} C {:.1} {:.1}, {:.1} {:.1}, {:.1} {y1:.1}",
        rx + LOOP_W - 4.0,
        y0 - 6.0,
        rx + LOOP_W - 4.0,
        y1 + 6.0,
        rx + 9.0
    );
    (d, arrowhead((rx, y1), (-1.0, 0.0)))
}

/// `rank base off` of a [`layered::Y`] for the page's script (`t` top, `b` rank bottom, a number:
/// that top-level node's bottom).
fn y_attr(y: layered::Y) -> String {
    let base = match y.base {
        layered::Base::Top => "t".to_string(),
        layered::Base::RankBottom => "b".to_string(),
        layered::Base::NodeBottom(v) => v.to_string(),
    };
    format!("{} {base} {:.1}", y.rank, y.off)
}

fn edge_group(e: &Edge) -> Group {
    Group::new()
        .set("class", if e.unexercised { "edge unexercised" } else { "edge" })
        .set("data-from", e.from.to_string())
        .set("data-to", e.to.to_string())
}

fn label_text(e: &Edge, at: (f64, f64)) -> Text {
    Text::new(e.label.clone())
        .set("x", format!("{:.1}", at.0))
        .set("y", format!("{:.1}", at.1))
        .set("class", if e.unexercised { "elabel unexercised" } else { "elabel" })
        .set("data-from", e.from.to_string())
        .set("data-to", e.to.to_string())
}

/// Draw the flow. `info` is indexed by action (may be empty: no traffic). `id` prefixes the
/// element ids so that two graphs can live in one page. `groups`: the copies of called scripts
/// (empty for a script that calls nothing), each drawn as a collapsible frame.
///
/// With groups the layout is per group, then placed: each group's actions are laid out on their
/// own, and the top level lays out the entry script's actions and one box per group; edges into
/// or out of a group are routed to its frame and continue inside to their action. Collapsing a
/// group only changes the height of its rank, so the page's script restacks the ranks (every y is
/// written as a [`layered::Y`]) without laying anything out again.
pub fn flow_svg(script: &Script, flow: &Flow, info: &[NodeInfo], id: &str, groups: &[Cluster]) -> String {
    let all = nodes(script, flow);
    let n = all.len();
    let none = NodeInfo::default();
    let info_of = |i: usize| info.get(i).unwrap_or(&none).clone();
    let texts: Vec<Vec<String>> = (0..n).map(|i| lines(script, i, info.get(i).unwrap_or(&none))).collect();
    let boxes: Vec<(f64, f64)> = texts.iter().map(|l| box_size(l)).collect();
    let edges = edges_of(script, &info_of);
    let label_w: Vec<f64> = edges.iter().map(|e| label_width(&e.label)).collect();
    let mut looped = vec![false; n];
    for e in edges.iter().filter(|e| e.from == e.to) {
        looped[e.from] = true;
    }
    let sizes: Vec<(f64, f64)> =
        boxes.iter().zip(&looped).map(|(&(w, h), &l)| (if l { w + LOOP_W } else { w }, h)).collect();

    // Membership, then each group laid out on its own.
    const TOP: usize = usize::MAX;
    let mut group_of = vec![TOP; n];
    for (g, c) in groups.iter().enumerate() {
        for slot in group_of.iter_mut().skip(c.first).take(c.len) {
            *slot = g;
        }
    }
    let collapse = !groups.is_empty() && n > COLLAPSE_OVER;
    let inner_of =
        |e: &Edge| (group_of[e.from] == group_of[e.to] && group_of[e.from] != TOP).then(|| group_of[e.from]);
    struct Inner {
        lay: layered::Layout,
        edges: Vec<usize>,
        size: (f64, f64),
    }
    let inners: Vec<Inner> = groups
        .iter()
        .enumerate()
        .map(|(g, c)| {
            let ids: Vec<usize> = (0..edges.len()).filter(|&k| inner_of(&edges[k]) == Some(g)).collect();
            let pairs: Vec<(usize, usize)> =
                ids.iter().map(|&k| (edges[k].from - c.first, edges[k].to - c.first)).collect();
            let lw: Vec<f64> = ids.iter().map(|&k| label_w[k]).collect();
            let lay = layered::layout(&sizes[c.first..c.first + c.len], &pairs, &lw);
            let title_w = (group_title(c).chars().count() as f64) * TITLE_CHAR + 30.0;
            // Without the space under the last rank, but for its labels (a self-loop's).
            let last = lay.label_rows.last().map_or(0.0, |&k| k as f64 * layered::LABEL_ROW);
            let inner_h = lay.height - lay.gaps.last().copied().unwrap_or(0.0) + last;
            let size = (lay.width.max(title_w) + 2.0 * GPAD, GHEAD + inner_h + GPAD);
            Inner { lay, edges: ids, size }
        })
        .collect();

    // The top level: the actions outside every group, then one node per group.
    let mut top_ix = vec![TOP; n];
    let mut top_sizes: Vec<(f64, f64)> = Vec::new();
    for i in 0..n {
        if group_of[i] == TOP {
            top_ix[i] = top_sizes.len();
            top_sizes.push(sizes[i]);
        }
    }
    let group_base = top_sizes.len();
    for inner in &inners {
        top_sizes.push((inner.size.0, if collapse { GCOLLAPSED } else { inner.size.1 }));
    }
    let top_of = |i: usize| if group_of[i] == TOP { top_ix[i] } else { group_base + group_of[i] };
    let top_edges: Vec<usize> = (0..edges.len()).filter(|&k| inner_of(&edges[k]).is_none()).collect();
    let top_pairs: Vec<(usize, usize)> =
        top_edges.iter().map(|&k| (top_of(edges[k].from), top_of(edges[k].to))).collect();
    let top_lw: Vec<f64> = top_edges.iter().map(|&k| label_w[k]).collect();
    let lay = layered::layout(&top_sizes, &top_pairs, &top_lw);

    // Where every action is drawn (groups as laid out at the top, expanded or not).
    let group_at = |g: usize| lay.pos[group_base + g];
    let pos: Vec<(f64, f64)> = (0..n)
        .map(|i| match group_of[i] {
            TOP => lay.pos[top_ix[i]],
            g => {
                let (gx, gy) = group_at(g);
                let (x, y) = inners[g].lay.pos[i - groups[g].first];
                (gx + GPAD + x, gy + GHEAD + y)
            }
        })
        .collect();

    // A point on a group's frame as drawn expanded (what is inside is only shown then).
    let frame_point = |g: usize, x: f64, top: bool| {
        let gy = group_at(g).1;
        (x, if top { gy } else { gy + inners[g].size.1 })
    };

    let pad = 20.0;
    let (w, h) = (lay.width + 2.0 * pad, lay.height + 2.0 * pad);
    let mut doc = svg::Document::new()
        .set("class", "flow")
        .set("id", id.to_string())
        .set("viewBox", (-pad, -pad, w.round(), h.round()))
        .set("width", w.round())
        .set("height", h.round())
        .set("role", "img");
    let relayout = !groups.is_empty();
    if relayout {
        let join = |v: &[f64]| v.iter().map(|x| format!("{x:.1}")).collect::<Vec<_>>().join(" ");
        doc = doc.set("data-gaps", join(&lay.gaps)).set("data-top0", join(&lay.tops));
    }
    // Parts drawn inside each group (they move and hide with it).
    let mut inside: Vec<Vec<Box<dyn svg::Node>>> = (0..groups.len()).map(|_| Vec::new()).collect();
    let mut inside_labels: Vec<Vec<Text>> = (0..groups.len()).map(|_| Vec::new()).collect();

    // Top-level edges, continued inside a group to the action they join.
    let mut group_edges = Group::new().set("class", "edges");
    let mut group_labels = Group::new().set("class", "elabels");
    for (t, &k) in top_edges.iter().enumerate() {
        let e = &edges[k];
        let r = &lay.routes[t];
        let mut g = edge_group(e);
        if e.from == e.to {
            let (x, y) = pos[e.from];
            let (bw, bh) = boxes[e.from];
            let (d, head) = self_loop(x, y, bw, bh);
            g.append(Path::new().set("d", d).set("class", "line"));
            g.append(head);
            if relayout {
                g = g.set("data-shift", lay.rank[top_ix[e.from]]);
            }
        } else {
            let (d, mut head) = edge_shapes(&r.points);
            let (gf, gt) = (group_of[e.from], group_of[e.to]);
            if gt != TOP {
                // Into a group: collapsed, the arrow ends on its frame; expanded, it continues
                // to its action (the frame's arrowhead is hidden).
                g = g.set("data-gin", gt);
                if !collapse {
                    head = head.set("class", "ah off");
                }
                let last = r.points.len() - 1;
                let from_above = r.ys[last].base == layered::Base::Top;
                let at = frame_point(gt, r.points[last].0, from_above);
                let short = (at.0, if from_above { at.1 - 8.0 } else { at.1 + 8.0 });
                let (mx, my) = port(pos[e.to], boxes[e.to], at.0, from_above);
                let (d2, head2) = edge_shapes(&[short, at, (mx, my)]);
                let mut x = edge_group(e).set("class", "edge gpart");
                x.append(Path::new().set("d", d2).set("class", "line"));
                x.append(head2);
                inside[gt].push(Box::new(x));
            }
            if gf != TOP {
                // Out of a group: from its action to the frame.
                let from_below = r.ys[0].base != layered::Base::Top;
                let at = frame_point(gf, r.points[0].0, !from_below);
                let (mx, my) = port(pos[e.from], boxes[e.from], at.0, !from_below);
                let mut x = edge_group(e).set("class", "edge gpart");
                x.append(Path::new().set("d", path_d(&[(mx, my), at])).set("class", "line"));
                inside[gf].push(Box::new(x));
            }
            g.append(Path::new().set("d", d).set("class", "line"));
            g.append(head);
            if relayout {
                let xs: Vec<String> = r.points.iter().map(|p| format!("{:.1}", p.0)).collect();
                let ys: Vec<String> = r.ys.iter().map(|&y| y_attr(y)).collect();
                g = g.set("data-xs", xs.join(" ")).set("data-ys", ys.join(" "));
            }
        }
        group_edges.append(g);
        if !e.label.is_empty() {
            let mut l = label_text(e, r.label_at);
            if relayout {
                l = l.set("data-ly", y_attr(r.label_y));
            }
            group_labels.append(l);
        }
    }
    // Edges inside each group, as its own layout routed them.
    for (gi, inner) in inners.iter().enumerate() {
        let (gx, gy) = group_at(gi);
        let (ox, oy) = (gx + GPAD, gy + GHEAD);
        for (t, &k) in inner.edges.iter().enumerate() {
            let e = &edges[k];
            let r = &inner.lay.routes[t];
            let mut g = edge_group(e);
            let (d, head) = if e.from == e.to {
                let (x, y) = pos[e.from];
                self_loop(x, y, boxes[e.from].0, boxes[e.from].1)
            } else {
                let p: Vec<(f64, f64)> = r.points.iter().map(|&(x, y)| (x + ox, y + oy)).collect();
                edge_shapes(&p)
            };
            g.append(Path::new().set("d", d).set("class", "line"));
            g.append(head);
            inside[gi].push(Box::new(g));
            if !e.label.is_empty() {
                inside_labels[gi].push(label_text(e, (r.label_at.0 + ox, r.label_at.1 + oy)));
            }
        }
    }
    doc.append(group_edges);

    let mut top_nodes = Group::new().set("class", "nodes");
    let mut member_nodes: Vec<Vec<Group>> = (0..groups.len()).map(|_| Vec::new()).collect();
    for (i, nd) in all.iter().enumerate() {
        let (x, y) = pos[i];
        let (bw, bh) = boxes[i];
        let inf = info_of(i);
        let (fill, stroke) = nd.role.colours();
        let heat_fill = inf.share.map(crate::report::heat::heat_colour);
        let mut class = format!("node role-{}", nd.role.class());
        if !nd.reachable {
            class.push_str(" unreachable");
        }
        if inf.changed {
            class.push_str(" changed");
        }
        let mut g = Group::new().set("class", class).set("data-node", i);
        if relayout && group_of[i] == TOP {
            let v = top_ix[i];
            g = g
                .set("data-tv", v)
                .set("data-rank", lay.rank[v])
                .set("data-shift", lay.rank[v])
                .set("data-h", format!("{:.1}", sizes[i].1));
        }
        let a = nd.action;
        g.append(Title::new(format!("{} — {}", a.id, type_line(a))));
        // Fill: traffic share when known (as `graph --heat`); the role shows in the border and
        // a colour band on the left (as `graph` colours it).
        g.append(
            Rectangle::new()
                .set("x", x)
                .set("y", y)
                .set("width", bw)
                .set("height", bh)
                .set("rx", if matches!(nd.role, Role::Begin | Role::Event) { 12 } else { 4 })
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
        match group_of[i] {
            TOP => top_nodes.append(g),
            gi => member_nodes[gi].push(g),
        }
    }
    doc.append(top_nodes);

    // The groups: frame, header (the toggle), then what is inside.
    for (gi, c) in groups.iter().enumerate() {
        let v = group_base + gi;
        let (gx, gy) = group_at(gi);
        let (gw, gh) = inners[gi].size;
        let mut g = Group::new()
            .set("class", if collapse { "group collapsed" } else { "group" })
            .set("data-group", gi)
            .set("data-first", c.first)
            .set("data-len", c.len)
            .set("data-tv", v)
            .set("data-rank", lay.rank[v])
            .set("data-shift", lay.rank[v])
            .set("data-h", format!("{gh:.1}"))
            .set("data-hc", format!("{GCOLLAPSED:.1}"));
        g.append(Title::new(format!("{} — {} actions", c.title, c.len)));
        g.append(
            Rectangle::new()
                .set("x", gx)
                .set("y", gy)
                .set("width", gw)
                .set("height", if collapse { GCOLLAPSED } else { gh })
                .set("rx", 8)
                .set("class", "gframe"),
        );
        let mut head = Group::new()
            .set("class", "gtoggle")
            .set("tabindex", 0)
            .set("role", "button")
            .set("aria-expanded", if collapse { "false" } else { "true" });
        head.append(
            Rectangle::new()
                .set("x", gx)
                .set("y", gy)
                .set("width", gw)
                .set("height", GHEAD - 6.0)
                .set("rx", 8)
                .set("class", "ghead"),
        );
        head.append(
            Text::new(if collapse { "▸" } else { "▾" })
                .set("x", gx + 10.0)
                .set("y", gy + 17.0)
                .set("class", "gmark"),
        );
        head.append(Text::new(group_title(c)).set("x", gx + 26.0).set("y", gy + 17.0).set("class", "gtitle"));
        g.append(head);
        g.append(
            Text::new(format!("{} actions inside — select the title to expand", c.len))
                .set("x", gx + 26.0)
                .set("y", gy + 40.0)
                .set("class", "gmore"),
        );
        let mut body = Group::new().set("class", "ginner");
        for x in inside[gi].drain(..) {
            body.append(x);
        }
        for x in member_nodes[gi].drain(..) {
            body.append(x);
        }
        for x in inside_labels[gi].drain(..) {
            body.append(x);
        }
        g.append(body);
        doc.append(g);
    }
    // Labels last: drawn over edges that pass by.
    doc.append(group_labels);
    doc.to_string()
}

/// A group's title: the called script, its file and which copy (one per RUNSUB call site).
fn group_title(c: &Cluster) -> String {
    c.title.clone()
}

/// Where an edge continuing inside a group meets its action: on the box's top (`top`) or
/// bottom, at `x` kept inside the box.
fn port(at: (f64, f64), bx: (f64, f64), x: f64, top: bool) -> (f64, f64) {
    let px = x.clamp(at.0 + 10.0, at.0 + bx.0 - 10.0);
    (px, if top { at.1 } else { at.1 + bx.1 })
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
