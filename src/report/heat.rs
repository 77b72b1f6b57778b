//! `recflow graph --heat`: the flow shaded by simulated traffic.
//!
//! Input: a [`Script`] and its compiled [`Compiled`]. Output: [`Heat`] — per action, the share
//! of contacts that ran it and the recording state when each contact first ran it; per edge,
//! the share of contacts that took it — rendered as DOT or Mermaid.
//!
//! The recording state at a node is the initiator of the call recording active when the
//! contact *first* ran the action (studio / rod / policy / none), as the engine saw it
//! (the [`Visits`] observer of the engine): an action that starts a recording shows the state before it.
//! Edges are counted from consecutive actions of a contact's path that a wired branch joins;
//! jumps made by events (answer, release, signal) are not edges and are not counted. Several
//! branches of one action that lead to the same target are drawn as one edge, labelled with all
//! their names. Counts are per contact (a MUSIC loop run ten times counts once).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::graph::{dot_escape, mermaid_escape};
use crate::script::{ActionIx, Script, normalize_type};
use crate::sim::coverage::Coverage;
use crate::sim::driver::{self, Sink};
use crate::sim::engine::Visits;
use crate::sim::outcome::Initiator;
use crate::sim::{Compiled, Outcome};

/// Recording states, in label order for ties.
const STATES: [&str; 4] = ["none", "studio", "rod", "policy"];

fn state_ix(i: Option<Initiator>) -> usize {
    match i {
        None => 0,
        Some(Initiator::Studio) => 1,
        Some(Initiator::Rod) => 2,
        Some(Initiator::Policy(_)) => 3,
    }
}

/// Traffic over a script's flow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Heat {
    pub calls: u64,
    pub seed: u64,
    /// Per action: contacts that ran it at least once.
    pub visited: Vec<u64>,
    /// Per action: recording state (none, studio, rod, policy) at each contact's first run.
    pub state: Vec<[u64; 4]>,
    /// (from action, to action) → contacts that took a branch from one to the other.
    pub edges: BTreeMap<(u32, u32), u64>,
    /// Per action, per branch (script order): a wired branch no contact took (coverage, read
    /// from the run's [`Coverage`]; every linked copy of a subscript branch shares its key).
    /// Drawn apart from the other branches to the same target, dashed, labelled `0 contacts`.
    pub unexercised: Vec<Vec<bool>>,
}

impl Heat {
    fn new(actions: usize, calls: u64, seed: u64) -> Heat {
        Heat { calls, seed, visited: vec![0; actions], state: vec![[0; 4]; actions], ..Heat::default() }
    }

    fn merge(&mut self, o: Heat) {
        for (a, b) in self.visited.iter_mut().zip(&o.visited) {
            *a += b;
        }
        for (a, b) in self.state.iter_mut().zip(&o.state) {
            for k in 0..4 {
                a[k] += b[k];
            }
        }
        for (k, v) in o.edges {
            *self.edges.entry(k).or_default() += v;
        }
    }
}

/// Simulate contacts `0..program.calls` (current rayon pool) and collect the heat.
pub fn collect(script: &Script, program: &Compiled) -> Heat {
    let n = script.actions.len();
    // Wired branch targets per action, to tell branch steps from event jumps.
    let targets: Vec<Vec<ActionIx>> =
        script.actions.iter().map(|a| a.branches.iter().filter_map(|b| b.target).collect()).collect();
    let mut total = Heat::new(n, program.calls, program.seed);
    let mut coverage = Coverage::new(program);
    let new_part = || HeatPart {
        heat: Heat::new(n, 0, 0),
        targets: &targets,
        seen: vec![0; n],
        pairs: Vec::new(),
        coverage: Coverage::new(program),
    };
    let _ = driver::run(program, 0..program.calls, driver::CHUNK, new_part, |part| {
        total.merge(part.heat);
        coverage.merge(&part.coverage);
        Ok::<(), std::convert::Infallible>(())
    });
    total.unexercised = unexercised_branches(script, &coverage);
    total
}

/// Per action, per branch: wired, and taken by no contact of `coverage`'s run.
pub fn unexercised_branches(script: &Script, coverage: &Coverage) -> Vec<Vec<bool>> {
    let zero: std::collections::BTreeSet<&str> =
        coverage.unexercised().into_iter().map(|(k, _, _)| k).collect();
    script
        .actions
        .iter()
        .map(|a| {
            a.branches
                .iter()
                .map(|b| {
                    b.target.is_some()
                        && !zero.is_empty()
                        && zero.contains(format!("{}/{}", a.id, b.name).as_str())
                })
                .collect()
        })
        .collect()
}

/// The heat of one chunk of contacts (a driver sink observing each action run).
struct HeatPart<'a> {
    heat: Heat,
    /// Wired branch targets per action, to tell branch steps from event jumps.
    targets: &'a [Vec<ActionIx>],
    /// Last contact (+1) that ran each action: per-contact counting.
    seen: Vec<u64>,
    pairs: Vec<(u32, u32)>,
    /// Coverage of the chunk (the one count of branches taken; heat only reads it).
    coverage: Coverage,
}

impl Sink for HeatPart<'_> {
    type Observer = Visits;
    fn contact(&mut self, out: &Outcome, seen: &mut Visits) {
        self.coverage.add(out);
        let id = out.id;
        let visits = &seen.0;
        self.pairs.clear();
        for (k, &(ix, rec)) in visits.iter().enumerate() {
            let i = ix.index();
            if self.seen[i] != id + 1 {
                self.seen[i] = id + 1;
                self.heat.visited[i] += 1;
                self.heat.state[i][state_ix(rec)] += 1;
            }
            if let Some(&(next, _)) = visits.get(k + 1)
                && self.targets[i].contains(&next)
            {
                self.pairs.push((ix.0, next.0));
            }
        }
        self.pairs.sort_unstable();
        self.pairs.dedup();
        for p in &self.pairs {
            *self.heat.edges.entry(*p).or_default() += 1;
        }
    }
}

fn pct(n: u64, of: u64) -> f64 {
    if of == 0 { 0.0 } else { 100.0 * n as f64 / of as f64 }
}

/// `recording: policy 62% / studio 30% / none 8%` (largest first; zero shares left out).
pub(crate) fn state_line(s: &[u64; 4]) -> String {
    let total: u64 = s.iter().sum();
    let mut parts: Vec<(u64, usize)> =
        s.iter().enumerate().filter(|(_, n)| **n > 0).map(|(k, n)| (*n, k)).collect();
    parts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let text: Vec<String> =
        parts.iter().map(|(n, k)| format!("{} {:.0}%", STATES[*k], pct(*n, total))).collect();
    format!("recording: {}", text.join(" / "))
}

/// Fill colour for a share of contacts: white (0%) to orange-red (100%).
pub(crate) fn heat_colour(share: f64) -> String {
    let t = (share / 100.0).clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(255.0, 244.0), mix(255.0, 120.0), mix(255.0, 80.0))
}

fn node_lines(script: &Script, heat: &Heat, i: usize) -> Vec<String> {
    let a = &script.actions[i];
    let ty = a.kind.canonical_name().map_or_else(|| normalize_type(&a.type_name), str::to_string);
    let mut lines = vec![match &a.label {
        Some(l) => format!("{} · {l}", a.id),
        None => a.id.clone(),
    }];
    lines.push(ty);
    if heat.visited[i] == 0 {
        lines.push("not visited".into());
    } else {
        lines.push(format!("{:.1}% of contacts", pct(heat.visited[i], heat.calls)));
        lines.push(state_line(&heat.state[i]));
    }
    lines
}

/// Edges to draw: (from, to, branch names joined, contacts), in action / branch order. A wired
/// branch no contact took is an edge of its own with 0 contacts (drawn dashed), even when other
/// branches share its target.
fn edges(script: &Script, heat: &Heat) -> Vec<(usize, usize, String, u64)> {
    let mut out: Vec<(usize, usize, String, u64)> = Vec::new();
    for (i, a) in script.actions.iter().enumerate() {
        let first = out.len();
        for (k, b) in a.branches.iter().enumerate() {
            let Some(t) = b.target else { continue };
            let t = t.index();
            let zero = heat.unexercised.get(i).and_then(|u| u.get(k)).copied().unwrap_or(false);
            let counted = heat.edges.get(&(i as u32, t as u32)).copied().unwrap_or(0);
            let n = if zero { 0 } else { counted };
            match out[first..].iter_mut().find(|e| e.0 == i && e.1 == t && (e.3 == 0) == zero) {
                Some(e) => {
                    e.2.push_str(" / ");
                    e.2.push_str(&b.name);
                }
                None => out.push((i, t, b.name.clone(), n)),
            }
        }
    }
    out
}

fn edge_label(names: &str, n: u64, calls: u64) -> String {
    // A branch no contact took is named, even `default` (coverage: it was not exercised).
    if n == 0 && calls > 0 {
        return format!("{names}: 0 contacts");
    }
    let share = format!("{:.1}%", pct(n, calls));
    if names == "default" { share } else { format!("{names}: {share}") }
}

/// A run of contiguous actions drawn as one cluster (a copy of a called script in a linked
/// script, docs/subscripts.md).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    pub first: usize,
    pub len: usize,
    /// Unique id part (`cluster_<name>` in DOT, `<name>` in Mermaid): `p<copy>_<script>`.
    pub name: String,
    pub title: String,
}

/// Clusters of a linked script: one per copy of a called script (each RUNSUB call site has
/// its own copy, so its traffic is its own), titled `script (file) — RUNSUB from caller:id`.
pub fn clusters(linked: &crate::library::link::Linked) -> Vec<Cluster> {
    let mut out = Vec::new();
    for (k, p) in linked.parts.iter().enumerate().skip(1) {
        let first = p.first as usize;
        let a = &linked.script.actions[first];
        // A copy's ids are `script:id`; its script name is the part before the colon.
        let script = a.id.split_once(':').map_or(a.id.as_str(), |(s, _)| s);
        let file = linked
            .files
            .files
            .get(p.script.index())
            .map(|(_, src)| {
                std::path::Path::new(&*src.name)
                    .file_name()
                    .map_or_else(|| src.name.to_string(), |f| f.to_string_lossy().into_owned())
            })
            .unwrap_or_default();
        let safe: String = script.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        out.push(Cluster {
            first,
            len: p.len as usize,
            name: format!("p{k}_{safe}"),
            title: format!("{script} ({file}), copy {k}"),
        });
    }
    out
}

/// Graphviz DOT of the heat (`recflow graph --heat | dot -Tsvg > heat.svg`).
pub fn to_dot(script: &Script, heat: &Heat) -> String {
    to_dot_clustered(script, heat, &[])
}

/// As [`to_dot`], the actions of each [`Cluster`] inside a `subgraph cluster_<name>`.
pub fn to_dot_clustered(script: &Script, heat: &Heat, clusters: &[Cluster]) -> String {
    let mut s = String::new();
    let title = format!("{} — share of {} simulated contacts (seed {})", script.name, heat.calls, heat.seed);
    let _ = writeln!(s, "digraph \"{}\" {{", dot_escape(&script.name));
    let _ = writeln!(
        s,
        "  graph [rankdir=TB, fontname=\"Helvetica\", labelloc=t, label=\"{}\"];",
        dot_escape(&title)
    );
    s.push_str("  node [fontname=\"Helvetica\", fontsize=11, shape=box, style=\"rounded,filled\"];\n");
    s.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for i in 0..script.actions.len() {
        let cluster = clusters.iter().find(|c| c.first <= i && i < c.first + c.len);
        let pad = if cluster.is_some() { "    " } else { "  " };
        if let Some(c) = cluster.filter(|c| c.first == i) {
            let _ = writeln!(s, "  subgraph \"cluster_{}\" {{", dot_escape(&c.name));
            let _ = writeln!(
                s,
                "    label=\"{}\"; fontsize=12; style=\"rounded,dashed\"; color=\"#5e35b1\";",
                dot_escape(&c.title)
            );
        }
        let label = node_lines(script, heat, i).iter().map(|l| dot_escape(l)).collect::<Vec<_>>().join("\\n");
        let share = pct(heat.visited[i], heat.calls);
        let extra = if heat.visited[i] == 0 { ", fontcolor=\"#9e9e9e\", color=\"#bdbdbd\"" } else { "" };
        let _ = writeln!(s, "{pad}a{i} [label=\"{label}\", fillcolor=\"{}\"{extra}];", heat_colour(share));
        if cluster.is_some_and(|c| i + 1 == c.first + c.len) {
            s.push_str("  }\n");
        }
    }
    for (from, to, names, n) in edges(script, heat) {
        let width = 1.0 + 4.0 * pct(n, heat.calls) / 100.0;
        let style = if n == 0 { ", style=dashed, color=\"#9e9e9e\"" } else { "" };
        let _ = writeln!(
            s,
            "  a{from} -> a{to} [label=\"{}\", penwidth={width:.1}{style}];",
            dot_escape(&edge_label(&names, n, heat.calls))
        );
    }
    s.push_str("}\n");
    s
}

/// Mermaid flowchart of the heat.
pub fn to_mermaid(script: &Script, heat: &Heat) -> String {
    to_mermaid_clustered(script, heat, &[])
}

/// As [`to_mermaid`], the actions of each [`Cluster`] inside a `subgraph <name>`.
pub fn to_mermaid_clustered(script: &Script, heat: &Heat, clusters: &[Cluster]) -> String {
    let mut s = String::from("flowchart TD\n");
    for i in 0..script.actions.len() {
        let cluster = clusters.iter().find(|c| c.first <= i && i < c.first + c.len);
        let pad = if cluster.is_some() { "    " } else { "  " };
        if let Some(c) = cluster.filter(|c| c.first == i) {
            let _ = writeln!(s, "  subgraph {} [\"{}\"]", c.name, mermaid_escape(&c.title));
        }
        let label =
            node_lines(script, heat, i).iter().map(|l| mermaid_escape(l)).collect::<Vec<_>>().join("<br/>");
        let _ = writeln!(s, "{pad}a{i}[\"{label}\"]");
        if cluster.is_some_and(|c| i + 1 == c.first + c.len) {
            s.push_str("  end\n");
        }
    }
    for (from, to, names, n) in edges(script, heat) {
        let arrow = if n == 0 { "-.->" } else { "-->" };
        let _ = writeln!(
            s,
            "  a{from} {arrow}|\"{}\"| a{to}",
            mermaid_escape(&edge_label(&names, n, heat.calls))
        );
    }
    for i in 0..script.actions.len() {
        let share = pct(heat.visited[i], heat.calls);
        let grey = if heat.visited[i] == 0 { ",color:#9e9e9e,stroke:#bdbdbd" } else { ",stroke:#757575" };
        let _ = writeln!(s, "  style a{i} fill:{}{grey}", heat_colour(share));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_line_orders_by_share() {
        assert_eq!(state_line(&[8, 30, 0, 62]), "recording: policy 62% / studio 30% / none 8%");
        assert_eq!(heat_colour(0.0), "#ffffff");
        assert_eq!(heat_colour(100.0), "#f47850");
    }
}
