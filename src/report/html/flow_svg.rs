//! The flow of a script as an SVG drawing for the HTML report.
//!
//! Layout: `layout-rs` (a pure-Rust Sugiyama-style layered layout, so the reader needs no
//! Graphviz). It places one box per action and routes every wired branch; we capture its
//! geometry through a [`RenderBackend`] and draw the picture ourselves with the `svg` crate, so
//! each action is exactly one `<g class="node" data-node="I">` (I = action index) that the
//! report's script can find, colour and highlight. User text (ids, captions) only ever goes into
//! text nodes (escaped by the `svg` crate), never into attributes: the `svg` crate does not
//! escape quotes in attribute values.

use std::collections::BTreeMap;

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;
use svg::Node as _;
use svg::node::element::{Definitions, Group, Marker, Path, Rectangle, Text, Title};

use crate::flow::Flow;
use crate::report::graph::{Role, nodes, type_line};
use crate::script::Script;

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
}

const FONT: usize = 13;

/// A routed edge: (`from:to` properties, spline points, label).
type Routed = (String, Vec<(Point, Point)>, String);

/// What layout-rs drew, captured instead of rendered.
#[derive(Default)]
struct Capture {
    /// Node index → (top-left, size).
    boxes: BTreeMap<usize, (Point, Point)>,
    /// (edge properties `from:to`, path, label).
    arrows: Vec<Routed>,
}

impl RenderBackend for Capture {
    fn draw_rect(
        &mut self,
        xy: Point,
        size: Point,
        _: &StyleAttr,
        properties: Option<String>,
        _: Option<ClipHandle>,
    ) {
        if let Some(i) = properties.and_then(|p| p.parse().ok()) {
            self.boxes.insert(i, (xy, size));
        }
    }
    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
    fn draw_text(&mut self, _: Point, _: &str, _: &StyleAttr) {}
    fn draw_arrow(
        &mut self,
        path: &[(Point, Point)],
        _: bool,
        _: (bool, bool),
        _: &StyleAttr,
        properties: Option<String>,
        text: &str,
    ) {
        self.arrows.push((properties.unwrap_or_default(), path.to_vec(), text.to_string()));
    }
    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

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

/// SVG path `d` of a layout-rs arrow (the same cubic-spline encoding its own SVG backend uses:
/// the first pair is the exit vector, the following pairs entry vectors).
fn path_d(path: &[(Point, Point)]) -> String {
    use std::fmt::Write as _;
    let mut d = String::new();
    if path.len() < 2 {
        return d;
    }
    let _ = write!(
        d,
        "M {:.1} {:.1} C {:.1} {:.1}, {:.1} {:.1}, {:.1} {:.1}",
        path[0].0.x,
        path[0].0.y,
        path[0].1.x,
        path[0].1.y,
        path[1].0.x,
        path[1].0.y,
        path[1].1.x,
        path[1].1.y
    );
    for p in &path[2..] {
        let _ = write!(d, " S {:.1} {:.1}, {:.1} {:.1}", p.0.x, p.0.y, p.1.x, p.1.y);
    }
    d
}

/// Draw the flow. `info` is indexed by action (may be empty: no traffic). `id` prefixes the
/// element ids so that two graphs can live in one page.
pub fn flow_svg(script: &Script, flow: &Flow, info: &[NodeInfo], id: &str) -> String {
    let all = nodes(script, flow);
    let none = NodeInfo::default();
    let info_of = |i: usize| info.get(i).unwrap_or(&none);
    let mut vg = VisualGraph::new(Orientation::TopToBottom);
    let handles: Vec<_> = (0..all.len())
        .map(|i| {
            let text = lines(script, i, info_of(i)).join("\n");
            let size = layout::core::geometry::get_size_for_str(&text, FONT);
            let size = Point::new(size.x * 0.62 + 24.0, size.y * 1.25 + 12.0);
            let look = StyleAttr::simple();
            vg.add_node(Element::create_with_properties(
                ShapeKind::Box(text),
                look,
                Orientation::LeftToRight,
                size,
                i.to_string(),
            ))
        })
        .collect();
    for (i, a) in script.actions.iter().enumerate() {
        // One edge per (target, exercised or not): a branch no contact took is drawn apart.
        let zero = |k: usize| info_of(i).unexercised.get(k).copied().unwrap_or(false);
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
                .map(|(_, x)| x.name.as_str())
                .collect();
            let mut label = if names == ["default"] { String::new() } else { names.join(" / ") };
            let mut props = format!("{i}:{}", key.0);
            if key.1 {
                label = format!("{}: 0 contacts", names.join(" / "));
                props.push_str(":unexercised");
            }
            let arrow = Arrow::simple_with_properties(&label, props);
            vg.add_edge(arrow, handles[i], handles[key.0]);
        }
    }
    let mut cap = Capture::default();
    if !all.is_empty() {
        vg.do_it(false, false, false, &mut cap);
    }

    // Bounds of everything drawn.
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut grow = |p: Point| {
        x0 = x0.min(p.x);
        y0 = y0.min(p.y);
        x1 = x1.max(p.x);
        y1 = y1.max(p.y);
    };
    for (xy, size) in cap.boxes.values() {
        grow(*xy);
        grow(xy.add(*size));
    }
    for (_, path, _) in &cap.arrows {
        for (a, b) in path {
            grow(*a);
            grow(*b);
        }
    }
    if x0 > x1 {
        (x0, y0, x1, y1) = (0.0, 0.0, 10.0, 10.0);
    }
    let pad = 20.0;

    let mut doc = svg::Document::new()
        .set("class", "flow")
        .set("id", id.to_string())
        .set("viewBox", (x0 - pad, y0 - pad, x1 - x0 + 2.0 * pad, y1 - y0 + 2.0 * pad))
        .set("width", (x1 - x0 + 2.0 * pad).round())
        .set("role", "img");
    doc.append(
        Definitions::new().add(
            Marker::new()
                .set("id", format!("{id}-arrow"))
                .set("viewBox", "0 0 10 10")
                .set("refX", 9)
                .set("refY", 5)
                .set("markerWidth", 7)
                .set("markerHeight", 7)
                .set("orient", "auto-start-reverse")
                .add(Path::new().set("d", "M 0 0 L 10 5 L 0 10 z").set("class", "arrowhead")),
        ),
    );
    let mut edges = Group::new().set("class", "edges");
    for (props, path, label) in &cap.arrows {
        let (from, to) = props.split_once(':').unwrap_or(("", ""));
        let (to, class) = match to.strip_suffix(":unexercised") {
            Some(to) => (to, "edge unexercised"),
            None => (to, "edge"),
        };
        let mut g = Group::new()
            .set("class", class)
            .set("data-from", from.to_string())
            .set("data-to", to.to_string());
        g.append(Path::new().set("d", path_d(path)).set("marker-end", format!("url(#{id}-arrow)")));
        if !label.is_empty()
            && let Some(mid) = path.get(path.len() / 2)
        {
            g.append(
                Text::new(label.clone()).set("x", mid.0.x + 4.0).set("y", mid.0.y).set("class", "elabel"),
            );
        }
        edges.append(g);
    }
    doc.append(edges);
    let mut group = Group::new().set("class", "nodes");
    for (i, n) in all.iter().enumerate() {
        let Some((xy, size)) = cap.boxes.get(&i) else { continue };
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
                .set("x", xy.x)
                .set("y", xy.y)
                .set("width", size.x)
                .set("height", size.y)
                .set("rx", if matches!(n.role, Role::Begin | Role::Event) { 12 } else { 4 })
                .set("fill", heat_fill.unwrap_or_else(|| fill.to_string()))
                .set("stroke", stroke)
                .set("class", "box"),
        );
        g.append(
            Rectangle::new()
                .set("x", xy.x)
                .set("y", xy.y)
                .set("width", 7)
                .set("height", size.y)
                .set("fill", stroke)
                .set("class", "band"),
        );
        let ls = lines(script, i, inf);
        let lh = size.y / (ls.len() as f64 + 0.6);
        for (k, l) in ls.iter().enumerate() {
            g.append(
                Text::new(l.clone())
                    .set("x", xy.x + size.x / 2.0 + 3.0)
                    .set("y", xy.y + lh * (k as f64 + 1.0))
                    .set("class", if k == 0 { "nid" } else { "ntext" }),
            );
        }
        group.append(g);
    }
    doc.append(group);
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
