//! `recflow graph`: a script's flow as Graphviz DOT or Mermaid.
//!
//! Input: a [`Script`] and its [`Flow`]. Output: DOT / Mermaid text (deterministic: nodes in
//! script order, edges in branch order). Each node shows the action id, its type and caption.
//! Recording actions stand out with their own colour and shape (DONOTRECORD, LOGRECORDINGPRO
//! Start / Stop, RECORDAGENTONLY, recorded statements); BEGIN and the event entry points
//! (ONANSWER, ONRELEASE, ONSIGNAL) are drawn as entries; a branch that is not wired is a dashed
//! edge to a small "not wired" node; actions no entry reaches are greyed. Edges carry their
//! branch name, except the single `default` edge of a `next:` action. A legend lists the
//! styles the script uses. Every label is escaped for its format (docs/graph.md).
//!
//! A script that calls others (RUNSUB / RUNSCRIPT, docs/subscripts.md) is drawn from its
//! [`Library`] by [`to_dot_library`] / [`to_mermaid_library`]: every reached script once, in its
//! own cluster, joined by call edges. A script that calls nothing never takes that path.

use std::fmt::Write as _;

use crate::flow::{Entry, Flow};
use crate::library::{CallKind, Library, is_return};
use crate::script::{Action, Kind, Record, Script};

/// How an action is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Role {
    Begin,
    Event,
    Dnr,
    Start,
    Stop,
    AgentOnly,
    StatementStart,
    StatementStop,
    Sensitive,
    Consent,
    /// RUNSUB / RUNSCRIPT / SPAWN: control goes to another script (docs/subscripts.md).
    Call,
    /// RETURN: back to the calling script after its RUNSUB.
    Return,
    End,
    Unmodelled,
    Plain,
}

impl Role {
    pub(crate) fn of(a: &Action, is_event_entry: bool) -> Role {
        match &a.kind {
            Kind::Begin => Role::Begin,
            _ if is_event_entry => Role::Event,
            Kind::DoNotRecord => Role::Dnr,
            Kind::RecordAgentOnly => Role::AgentOnly,
            Kind::LogRecordingPro(l) => match (l.use_statement_id, l.record) {
                (false, Record::Start) => Role::Start,
                (false, Record::Stop) => Role::Stop,
                (true, Record::Start) => Role::StatementStart,
                (true, Record::Stop) => Role::StatementStop,
            },
            Kind::Menu(m) if m.sensitive == Some(true) => Role::Sensitive,
            Kind::Menu(_) if a.consent.is_some() => Role::Consent,
            Kind::End | Kind::Hangup => Role::End,
            // Calls between scripts are modelled (linked at load, docs/subscripts.md), not
            // pass-throughs: drawn in their own style so the call edges stand out.
            Kind::Other if CallKind::of(a).is_some() => Role::Call,
            Kind::Other if is_return(a) => Role::Return,
            Kind::Other => Role::Unmodelled,
            _ => Role::Plain,
        }
    }

    /// Legend text; `None` for roles that need no explanation.
    pub(crate) fn legend(self) -> Option<&'static str> {
        Some(match self {
            Role::Begin => "start (BEGIN)",
            Role::Event => "event entry (ONANSWER / ONRELEASE / ONSIGNAL)",
            Role::Dnr => "DONOTRECORD: nothing records the call",
            Role::Start => "LOGRECORDINGPRO Start",
            Role::Stop => "LOGRECORDINGPRO Stop",
            Role::AgentOnly => "RECORDAGENTONLY: agent side only",
            Role::StatementStart => "recorded statement Start",
            Role::StatementStop => "recorded statement Stop",
            Role::Sensitive => "sensitive input (Sensitive: True)",
            Role::Consent => "recording consent question",
            Role::Call => "call another script (RUNSUB / RUNSCRIPT / SPAWN)",
            Role::Return => "RETURN to the calling script",
            Role::Unmodelled => "unmodelled action (pass-through)",
            Role::End | Role::Plain => return None,
        })
    }

    pub(crate) fn class(self) -> &'static str {
        match self {
            Role::Begin => "begin",
            Role::Event => "event",
            Role::Dnr => "dnr",
            Role::Start => "recstart",
            Role::Stop => "recstop",
            Role::AgentOnly => "agentonly",
            Role::StatementStart => "stmtstart",
            Role::StatementStop => "stmtstop",
            Role::Sensitive => "sensitive",
            Role::Consent => "consent",
            Role::Call => "call",
            Role::Return => "return",
            Role::End => "endnode",
            Role::Unmodelled => "unmodelled",
            Role::Plain => "plain",
        }
    }

    /// (fill, stroke) colours, shared by both formats.
    pub(crate) fn colours(self) -> (&'static str, &'static str) {
        match self {
            Role::Begin => ("#d9f2d9", "#2e7d32"),
            Role::Event => ("#e8e0f8", "#5e35b1"),
            Role::Dnr => ("#f8c4c4", "#b00020"),
            Role::Start => ("#c6efce", "#1b5e20"),
            Role::Stop => ("#ffd8a8", "#e65100"),
            Role::AgentOnly => ("#bde0fe", "#1565c0"),
            Role::StatementStart | Role::StatementStop => ("#fff3b0", "#9a7b00"),
            Role::Sensitive => ("#fde2e4", "#ad1457"),
            Role::Consent => ("#e0f7fa", "#00838f"),
            // The purple of the call edges between clusters.
            Role::Call | Role::Return => ("#ede7f6", "#5e35b1"),
            Role::End => ("#eeeeee", "#616161"),
            Role::Unmodelled => ("#ffffff", "#9e9e9e"),
            Role::Plain => ("#ffffff", "#424242"),
        }
    }
}

/// The second line of a node: the type, with the detail that matters for recording.
pub(crate) fn type_line(a: &Action) -> String {
    let name = a.kind.canonical_name().unwrap_or(&a.type_name);
    match &a.kind {
        Kind::LogRecordingPro(l) => {
            let what = match l.record {
                Record::Start => "Start",
                Record::Stop => "Stop",
            };
            if l.use_statement_id { format!("{name} {what} (statement)") } else { format!("{name} {what}") }
        }
        Kind::Menu(m) if m.sensitive == Some(true) => format!("{name} (sensitive)"),
        Kind::Menu(_) if a.consent.is_some() => {
            let accept = a.consent.as_ref().map(|c| c.accept.join(", ")).unwrap_or_default();
            format!("{name} (consent: accept {accept})")
        }
        Kind::ReqAgent { skill, .. } => format!("{name} {skill}"),
        Kind::Indicate(i) => {
            let state = match i.state {
                crate::script::OnOff::On => "On",
                crate::script::OnOff::Off => "Off",
            };
            format!("{name} {state}")
        }
        _ => name.to_owned(),
    }
}

/// Node text as lines: id, type (+ detail), caption when there is one.
fn node_lines(a: &Action) -> Vec<String> {
    let mut lines = vec![a.id.clone(), type_line(a)];
    if let Some(l) = a.label.as_deref().filter(|l| !l.trim().is_empty()) {
        lines.push(l.to_owned());
    }
    if let Kind::Indicate(i) = &a.kind {
        lines.push(format!("“{}”", i.name));
    }
    lines
}

/// An action whose only branch is a wired `default` (`next:`): its edge needs no label.
fn is_only_next(a: &Action) -> bool {
    matches!(a.branches.as_slice(), [b] if b.name == "default" && b.target.is_some())
}

pub(crate) struct Node<'a> {
    pub(crate) action: &'a Action,
    pub(crate) role: Role,
    pub(crate) reachable: bool,
}

pub(crate) fn nodes<'a>(script: &'a Script, flow: &Flow) -> Vec<Node<'a>> {
    let reachable = flow.reachable();
    script
        .indices()
        .map(|ix| {
            let entry = flow.entries.iter().any(|&(e, i)| i == ix && matches!(e, Entry::Event(_)));
            let action = script.action(ix);
            Node { action, role: Role::of(action, entry), reachable: reachable[ix.index()] }
        })
        .collect()
}

/// Roles to explain in the legend, in a fixed order.
pub(crate) fn legend_roles(nodes: &[Node]) -> Vec<Role> {
    let mut roles: Vec<Role> = nodes.iter().map(|n| n.role).filter(|r| r.legend().is_some()).collect();
    roles.sort();
    roles.dedup();
    roles
}

// ---------------------------------------------------------------------------------------------
// DOT
// ---------------------------------------------------------------------------------------------

/// Escape text for a DOT double-quoted string used as a label: `"` and `\` are escaped (a
/// backslash would otherwise start `\n`, `\N`, `\G`...), line breaks become `\n` (centred line)
/// and other control characters a space. `<`, `>`, `&`, `|`, `{`, `}` need nothing: they are
/// special only in HTML and record labels, which recflow never uses.
pub fn dot_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn dot_label(lines: &[String]) -> String {
    lines.iter().map(|l| dot_escape(l)).collect::<Vec<_>>().join("\\n")
}

fn dot_shape(role: Role) -> &'static str {
    match role {
        Role::Begin => "shape=oval, penwidth=3",
        Role::Event => "shape=box, style=\"rounded,filled\", peripheries=2, penwidth=2",
        Role::Dnr => "shape=octagon, penwidth=2",
        Role::Start | Role::Stop | Role::AgentOnly => "shape=box, penwidth=2",
        Role::StatementStart | Role::StatementStop => "shape=note, penwidth=2",
        Role::Sensitive => "shape=box, style=\"filled,bold\", penwidth=2",
        Role::Consent => "shape=box, penwidth=2",
        // cds: a box with an arrow point; the margin keeps a caption clear of the point.
        Role::Call => "shape=cds, penwidth=2, margin=\"0.3,0.055\"",
        Role::Return => "shape=invhouse, penwidth=2",
        Role::End => "shape=box, style=\"rounded,filled\"",
        Role::Unmodelled => "shape=box, style=\"filled,dashed\"",
        Role::Plain => "shape=box",
    }
}

/// Write one script's nodes and branch edges; node ids are `{prefix}a{i}` (unwired branch
/// markers `{prefix}u{i}_{k}`), each line indented by `pad`. The entry script uses an empty
/// prefix and two spaces, so a single script's output is the one it always was.
fn dot_body(out: &mut String, nodes: &[Node], prefix: &str, pad: &str) {
    for (i, n) in nodes.iter().enumerate() {
        let (fill, stroke) = n.role.colours();
        let mut attrs = format!(
            "label=\"{}\", {}, fillcolor=\"{fill}\", color=\"{stroke}\"",
            dot_label(&node_lines(n.action)),
            dot_shape(n.role)
        );
        if !n.reachable {
            attrs
                .push_str(", fontcolor=\"#9e9e9e\", tooltip=\"unreachable: no path from BEGIN or an event\"");
        }
        let _ = writeln!(out, "{pad}{prefix}a{i} [{attrs}];");
    }
    for (i, n) in nodes.iter().enumerate() {
        let only_next = is_only_next(n.action);
        for (k, b) in n.action.branches.iter().enumerate() {
            let label = dot_escape(&b.name);
            match b.target {
                Some(t) if only_next => {
                    let _ = writeln!(out, "{pad}{prefix}a{i} -> {prefix}a{};", t.index());
                }
                Some(t) => {
                    let _ = writeln!(out, "{pad}{prefix}a{i} -> {prefix}a{} [label=\"{label}\"];", t.index());
                }
                None => {
                    let _ = writeln!(
                        out,
                        "{pad}{prefix}u{i}_{k} [label=\"not wired\", shape=plaintext, style=\"\", fontsize=9, fontcolor=\"#9e9e9e\"];"
                    );
                    let _ = writeln!(
                        out,
                        "{pad}{prefix}a{i} -> {prefix}u{i}_{k} [label=\"{label}\", style=dashed, color=\"#9e9e9e\", fontcolor=\"#9e9e9e\"];"
                    );
                }
            }
        }
    }
}

fn dot_head(out: &mut String, name: &str) {
    let _ = writeln!(out, "digraph \"{}\" {{", dot_escape(name));
    let _ = writeln!(
        out,
        "  graph [rankdir=TB, fontname=\"Helvetica\", labelloc=t, label=\"{}\"];",
        dot_escape(name)
    );
    out.push_str("  node [fontname=\"Helvetica\", fontsize=11, style=filled];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
}

fn dot_legend(out: &mut String, roles: &[Role]) {
    if !roles.is_empty() {
        out.push_str("  subgraph cluster_legend {\n    label=\"Legend\"; fontsize=10; color=\"#bdbdbd\";\n");
        for r in roles {
            let (fill, stroke) = r.colours();
            let _ = writeln!(
                out,
                "    legend_{} [label=\"{}\", {}, fillcolor=\"{fill}\", color=\"{stroke}\", fontsize=9];",
                r.class(),
                dot_escape(r.legend().unwrap_or_default()),
                dot_shape(*r)
            );
        }
        // Stack the legend entries vertically.
        let ids: Vec<String> = roles.iter().map(|r| format!("legend_{}", r.class())).collect();
        if ids.len() > 1 {
            let _ = writeln!(out, "    {} [style=invis];", ids.join(" -> "));
        }
        out.push_str("  }\n");
    }
}

/// The flow as a Graphviz digraph (`recflow graph --format dot | dot -Tsvg > flow.svg`).
pub fn to_dot(script: &Script, flow: &Flow) -> String {
    let nodes = nodes(script, flow);
    let mut out = String::new();
    dot_head(&mut out, &script.name);
    dot_body(&mut out, &nodes, "", "  ");
    dot_legend(&mut out, &legend_roles(&nodes));
    out.push_str("}\n");
    out
}

// ---------------------------------------------------------------------------------------------
// Several scripts: the entry script and, as clusters, every script it reaches
// ---------------------------------------------------------------------------------------------

/// One drawn call edge between scripts: (from script, from action, to script, to action, kind).
struct CallEdge {
    from: (usize, usize),
    to: (usize, usize),
    kind: &'static str,
}

/// Node-id prefix of library script `s`: none for the entry (its ids are those of the
/// single-script drawing), `s{s}_` for every other.
fn prefix(s: usize) -> String {
    if s == 0 { String::new() } else { format!("s{s}_") }
}

/// Call edges of a library: RUNSUB → the subscript's BEGIN, each RETURN of that subscript →
/// back to the RUNSUB (whose own `default` edge then shows where the caller continues),
/// RUNSCRIPT → the target's BEGIN. SPAWN and unresolved (templated) calls draw none.
fn call_edges(lib: &Library) -> Vec<CallEdge> {
    let begin =
        |s: &Script| s.indices().find(|&ix| matches!(s.action(ix).kind, Kind::Begin)).map(|ix| ix.index());
    let mut out = Vec::new();
    for (s, e) in lib.scripts.iter().enumerate() {
        for c in &e.calls {
            let Some(t) = c.target else { continue };
            let callee = &lib.get(t).script;
            let Some(b) = begin(callee) else { continue };
            match c.kind {
                CallKind::RunSub => {
                    out.push(CallEdge { from: (s, c.action.index()), to: (t.index(), b), kind: "RUNSUB" });
                    for ix in callee.indices().filter(|&ix| is_return(callee.action(ix))) {
                        out.push(CallEdge {
                            from: (t.index(), ix.index()),
                            to: (s, c.action.index()),
                            kind: "RETURN",
                        });
                    }
                }
                CallKind::RunScript => {
                    out.push(CallEdge { from: (s, c.action.index()), to: (t.index(), b), kind: "RUNSCRIPT" })
                }
                CallKind::Spawn => {}
            }
        }
    }
    out
}

/// Cluster names, unique even when two scripts declare the same name.
fn cluster_names(lib: &Library) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(lib.scripts.len());
    for (s, e) in lib.scripts.iter().enumerate() {
        let base = e.script.name.clone();
        let name = if names.contains(&base) { format!("{base}_{s}") } else { base };
        names.push(name);
    }
    names
}

/// File name shown under a cluster's title.
fn file_name(e: &crate::library::Entry) -> String {
    e.path.file_name().map_or_else(|| e.path.display().to_string(), |f| f.to_string_lossy().into_owned())
}

/// The entry script and every script it reaches (RUNSUB / RUNSCRIPT) as one Graphviz digraph:
/// the entry drawn as for one file, each other script once, in a `subgraph cluster_<script>`,
/// then the call edges (bold, purple; RETURN dashed). See docs/graph.md.
pub fn to_dot_library(lib: &Library) -> String {
    let all: Vec<Vec<Node>> = lib.scripts.iter().map(|e| nodes(&e.script, &Flow::new(&e.script))).collect();
    let names = cluster_names(lib);
    let mut out = String::new();
    dot_head(&mut out, &lib.entry().name);
    dot_body(&mut out, &all[0], "", "  ");
    for (s, e) in lib.scripts.iter().enumerate().skip(1) {
        let _ = writeln!(out, "  subgraph \"cluster_{}\" {{", dot_escape(&names[s]));
        let _ = writeln!(
            out,
            "    label=\"{}\"; fontsize=12; style=\"rounded,dashed\"; color=\"#5e35b1\";",
            dot_escape(&format!("{} ({})", e.script.name, file_name(e)))
        );
        dot_body(&mut out, &all[s], &prefix(s), "    ");
        out.push_str("  }\n");
    }
    for c in call_edges(lib) {
        let style = if c.kind == "RETURN" { ", style=dashed" } else { ", style=bold" };
        let _ = writeln!(
            out,
            "  {}a{} -> {}a{} [label=\"{}\", color=\"#5e35b1\", fontcolor=\"#5e35b1\"{style}];",
            prefix(c.from.0),
            c.from.1,
            prefix(c.to.0),
            c.to.1,
            c.kind
        );
    }
    let every: Vec<Node> = all.into_iter().flatten().collect();
    dot_legend(&mut out, &legend_roles(&every));
    out.push_str("}\n");
    out
}

// ---------------------------------------------------------------------------------------------
// Mermaid
// ---------------------------------------------------------------------------------------------

/// Escape text for a Mermaid `"..."` label. Mermaid decodes `#name;` / `#code;` entities in
/// labels, so `"`, `#`, `<`, `>`, `&`, `|` and backquote become entities (`#quot;`, `#35;`,
/// `#lt;`, `#gt;`, `#amp;`, `#124;`, `#96;`); line breaks become `<br/>`; other control
/// characters a space. Brackets, braces and unicode are safe inside quotes.
pub fn mermaid_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push_str("<br/>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn mermaid_label(lines: &[String]) -> String {
    lines.iter().map(|l| mermaid_escape(l)).collect::<Vec<_>>().join("<br/>")
}

/// Opening and closing delimiters of a node shape.
fn mermaid_shape(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Begin => ("([", "])"),
        Role::Event => ("[[", "]]"),
        Role::Dnr | Role::Start | Role::Stop | Role::AgentOnly => ("{{", "}}"),
        Role::StatementStart | Role::StatementStop => ("[/", "/]"),
        Role::End => ("(", ")"),
        Role::Call => (">", "]"),
        Role::Return => ("[\\", "/]"),
        Role::Sensitive | Role::Consent | Role::Unmodelled | Role::Plain => ("[", "]"),
    }
}

/// Nodes of one script (ids `{prefix}a{i}`), each line indented by `pad`.
fn mermaid_nodes(out: &mut String, nodes: &[Node], prefix: &str, pad: &str) {
    for (i, n) in nodes.iter().enumerate() {
        let (open, close) = mermaid_shape(n.role);
        let _ = writeln!(
            out,
            "{pad}{prefix}a{i}{open}\"{}\"{close}:::{}",
            mermaid_label(&node_lines(n.action)),
            n.role.class()
        );
    }
}

/// Branch edges of one script; true when a branch is not wired.
fn mermaid_edges(out: &mut String, nodes: &[Node], prefix: &str) -> bool {
    let mut unwired = false;
    for (i, n) in nodes.iter().enumerate() {
        let only_next = is_only_next(n.action);
        for (k, b) in n.action.branches.iter().enumerate() {
            let label = mermaid_escape(&b.name);
            match b.target {
                Some(t) if only_next => {
                    let _ = writeln!(out, "  {prefix}a{i} --> {prefix}a{}", t.index());
                }
                Some(t) => {
                    let _ = writeln!(out, "  {prefix}a{i} -->|\"{label}\"| {prefix}a{}", t.index());
                }
                None => {
                    unwired = true;
                    let _ = writeln!(
                        out,
                        "  {prefix}a{i} -.->|\"{label}\"| {prefix}u{i}_{k}((\"not wired\")):::unwired"
                    );
                }
            }
        }
    }
    unwired
}

/// Legend, class definitions and the unreachable class, for the nodes drawn (`(id, node)`).
fn mermaid_tail(out: &mut String, nodes: &[(String, &Node)], unwired: bool) {
    let plain: Vec<Node> =
        nodes.iter().map(|(_, n)| Node { action: n.action, role: n.role, reachable: n.reachable }).collect();
    let roles = legend_roles(&plain);
    if !roles.is_empty() {
        out.push_str("  subgraph legend [\"Legend\"]\n    direction TB\n");
        for r in &roles {
            let (open, close) = mermaid_shape(*r);
            let _ = writeln!(
                out,
                "    legend_{}{open}\"{}\"{close}:::{}",
                r.class(),
                mermaid_escape(r.legend().unwrap_or_default()),
                r.class()
            );
        }
        out.push_str("  end\n");
    }
    // Class definitions for every role drawn (fixed order).
    let mut used: Vec<Role> = nodes.iter().map(|(_, n)| n.role).collect();
    used.sort();
    used.dedup();
    for r in used {
        let (fill, stroke) = r.colours();
        let width = if matches!(r, Role::Plain | Role::End) { 1 } else { 2 };
        let dash = if r == Role::Unmodelled { ",stroke-dasharray:4 3" } else { "" };
        let _ = writeln!(
            out,
            "  classDef {} fill:{fill},stroke:{stroke},stroke-width:{width}px{dash}",
            r.class()
        );
    }
    if unwired {
        out.push_str("  classDef unwired fill:#ffffff,stroke:#9e9e9e,stroke-dasharray:3 3,color:#9e9e9e\n");
    }
    let unreachable: Vec<&str> =
        nodes.iter().filter(|(_, n)| !n.reachable).map(|(id, _)| id.as_str()).collect();
    if !unreachable.is_empty() {
        out.push_str("  classDef unreachable color:#9e9e9e,stroke-dasharray:2 2\n");
        let _ = writeln!(out, "  class {} unreachable", unreachable.join(","));
    }
}

/// The flow as a Mermaid flowchart (renders on GitHub inside a ```` ```mermaid ```` block).
pub fn to_mermaid(script: &Script, flow: &Flow) -> String {
    let nodes = nodes(script, flow);
    let mut out = String::from("flowchart TD\n");
    mermaid_nodes(&mut out, &nodes, "", "  ");
    let unwired = mermaid_edges(&mut out, &nodes, "");
    let ided: Vec<(String, &Node)> = nodes.iter().enumerate().map(|(i, n)| (format!("a{i}"), n)).collect();
    mermaid_tail(&mut out, &ided, unwired);
    out
}

/// As [`to_dot_library`], as a Mermaid flowchart: each reached script in a `subgraph`
/// (id `s<n>`, titled with the script and file name), call edges drawn thick (`==>`), RETURN
/// dotted.
pub fn to_mermaid_library(lib: &Library) -> String {
    let all: Vec<Vec<Node>> = lib.scripts.iter().map(|e| nodes(&e.script, &Flow::new(&e.script))).collect();
    let mut out = String::from("flowchart TD\n");
    mermaid_nodes(&mut out, &all[0], "", "  ");
    for (s, e) in lib.scripts.iter().enumerate().skip(1) {
        let title = format!("{} ({})", e.script.name, file_name(e));
        let _ = writeln!(out, "  subgraph s{s} [\"{}\"]", mermaid_escape(&title));
        mermaid_nodes(&mut out, &all[s], &prefix(s), "    ");
        out.push_str("  end\n");
    }
    let mut unwired = false;
    for (s, nodes) in all.iter().enumerate() {
        unwired |= mermaid_edges(&mut out, nodes, &prefix(s));
    }
    for c in call_edges(lib) {
        let arrow = if c.kind == "RETURN" { "-.->" } else { "==>" };
        let _ = writeln!(
            out,
            "  {}a{} {arrow}|\"{}\"| {}a{}",
            prefix(c.from.0),
            c.from.1,
            c.kind,
            prefix(c.to.0),
            c.to.1
        );
    }
    let ided: Vec<(String, &Node)> = all
        .iter()
        .enumerate()
        .flat_map(|(s, ns)| ns.iter().enumerate().map(move |(i, n)| (format!("{}a{i}", prefix(s)), n)))
        .collect();
    mermaid_tail(&mut out, &ided, unwired);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_escaping() {
        assert_eq!(dot_escape("say \"hi\"\\n"), "say \\\"hi\\\"\\\\n");
        assert_eq!(dot_escape("a\r\nb\tc"), "a\\nb c");
        assert_eq!(dot_escape("<b> & | {x} é"), "<b> & | {x} é");
    }

    #[test]
    fn mermaid_escaping() {
        assert_eq!(
            mermaid_escape("a \"b\" #1 <x> & y|z `c`"),
            "a #quot;b#quot; #35;1 #lt;x#gt; #amp; y#124;z #96;c#96;"
        );
        assert_eq!(mermaid_escape("l1\nl2 [x] (y) {z} ü"), "l1<br/>l2 [x] (y) {z} ü");
    }
}
