//! `recflow graph`: DOT and Mermaid rendering — snapshots of two examples, what stands out
//! (recording actions, entries, unwired branches), and label escaping checked by Graphviz
//! itself (when `dot` is installed) and by a Mermaid syntax validator.

mod common;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use recflow::flow::Flow;
use recflow::report::graph::{to_dot, to_mermaid};
use recflow::script::{self, Script};

fn example(name: &str) -> Script {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts").join(name);
    script::load_path(&p).unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

fn dot(s: &Script) -> String {
    to_dot(s, &Flow::new(s))
}

fn mermaid(s: &Script) -> String {
    to_mermaid(s, &Flow::new(s))
}

/// Labels with everything that breaks naive DOT / Mermaid output, an unwired branch, an
/// unmodelled action and an unreachable one.
const HARD: &str = r##"script: "hard \"labels\""
actions:
  - id: begin
    type: BEGIN
    next: ask
  - id: ask
    type: MENU
    label: "Say \"yes\" <now> & then | pipe # hash [x] {y} (z) `tick` ;semi\nsecond line ünï 😀 \\ back"
    properties: {Phrase: "Card? #", Sensitive: True}
    branches:
      "1": custom
      "#": ~
      default: end
  - id: custom
    type: Play Prompt Ext
    label: "a --> b ]] \"x\" |y|"
    next: end
  - id: end
    type: END
  - id: orphan
    type: DONOTRECORD
    label: never reached
"##;

fn hard() -> Script {
    script::load_str("hard.yaml", HARD).unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

#[test]
fn snapshots_of_two_examples() {
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        let gdpr = example("consent-gdpr.yaml");
        insta::assert_snapshot!("graph__consent_gdpr_dot", dot(&gdpr));
        insta::assert_snapshot!("graph__consent_gdpr_mermaid", mermaid(&gdpr));
        let max = example("max-recorded-statements.yaml");
        insta::assert_snapshot!("graph__max_recorded_statements_dot", dot(&max));
        insta::assert_snapshot!("graph__max_recorded_statements_mermaid", mermaid(&max));
        let h = hard();
        insta::assert_snapshot!("graph__hard_labels_dot", dot(&h));
        insta::assert_snapshot!("graph__hard_labels_mermaid", mermaid(&h));
    });
}

#[test]
fn recording_actions_entries_and_unwired_branches_stand_out() {
    let s = example("pci-stop-resume.yaml");
    let d = dot(&s);
    // LOGRECORDINGPRO Start / Stop get their colours and their detail in the label.
    assert!(d.contains("label=\"record-ivr\\nLOGRECORDINGPRO Start\\nRecord the IVR\", shape=box, penwidth=2, fillcolor=\"#c6efce\""), "{d}");
    assert!(
        d.contains(
            "LOGRECORDINGPRO Stop\\nStop before card details\", shape=box, penwidth=2, fillcolor=\"#ffd8a8\""
        ),
        "{d}"
    );
    assert!(d.contains("MENU (sensitive)"), "{d}");
    assert!(d.contains("legend_recstart"), "{d}");

    let m = example("max-recorded-statements.yaml");
    let d = dot(&m);
    // Event entries have a double border; BEGIN is the start oval.
    assert!(d.contains("label=\"answered\\nONANSWER\\nAgent answered\", shape=box, style=\"rounded,filled\", peripheries=2"), "{d}");
    assert!(d.contains("label=\"begin\\nBEGIN\", shape=oval"), "{d}");
    assert!(d.contains("LOGRECORDINGPRO Start (statement)"), "{d}");
    let mm = mermaid(&m);
    assert!(mm.contains("a3[[\"answered<br/>ONANSWER<br/>Agent answered\"]]:::event"), "{mm}");
    assert!(mm.contains("a0([\"begin<br/>BEGIN\"]):::begin"), "{mm}");

    let h = hard();
    let d = dot(&h);
    // The unwired `#` branch: a dashed edge to a "not wired" node.
    assert!(d.contains("a1 -> u1_1 [label=\"#\", style=dashed"), "{d}");
    assert!(d.contains("u1_1 [label=\"not wired\""), "{d}");
    // The unreachable DONOTRECORD is greyed; the unmodelled type is dashed.
    assert!(d.contains("a4 [label=\"orphan\\nDONOTRECORD\\nnever reached\", shape=octagon"), "{d}");
    assert!(d.contains("fontcolor=\"#9e9e9e\", tooltip=\"unreachable"), "{d}");
    assert!(d.contains("style=\"filled,dashed\""), "{d}");
    let mm = mermaid(&h);
    assert!(mm.contains("a1 -.->|\"#35;\"| u1_1((\"not wired\")):::unwired"), "{mm}");
    assert!(mm.contains("class a4 unreachable"), "{mm}");
}

#[test]
fn output_is_deterministic() {
    // Two independent loads of the same file draw byte-identical graphs.
    let (a, b) = (example("max-recorded-statements.yaml"), example("max-recorded-statements.yaml"));
    assert_eq!(dot(&a), dot(&b));
    assert_eq!(mermaid(&a), mermaid(&b));
}

// ---------------------------------------------------------------------------------------------
// Graphviz: the real parser is the judge (skipped when `dot` is not installed).
// ---------------------------------------------------------------------------------------------

fn run_dot(text: &str, format: &str) -> Option<String> {
    let mut child = match Command::new("dot")
        .arg(format!("-T{format}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(_) => return None,
    };
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "dot rejected the graph: {stderr}\n{text}");
    assert!(!stderr.contains("syntax error") && !stderr.contains("Warning"), "dot warned: {stderr}\n{text}");
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn graphviz_accepts_every_graph_and_keeps_labels_intact() {
    if Command::new("dot").arg("-V").output().is_err() {
        eprintln!(
            "note: graphviz `dot` is not installed; skipping the Graphviz check (apt-get install graphviz)"
        );
        return;
    }
    let mut scripts: Vec<Script> = Vec::new();
    for p in common::yaml_examples() {
        scripts.push(script::load_path(&p).unwrap());
    }
    scripts.push(hard());
    for s in &scripts {
        run_dot(&dot(s), "canon").unwrap();
    }
    // In the SVG each label line is a <text> element: the lines must be the original text.
    let h = hard();
    let svg = run_dot(&dot(&h), "svg").unwrap();
    let texts = svg_texts(&svg);
    let caption = h.actions[1].label.as_deref().unwrap();
    let expected: Vec<String> =
        format!("ask\nMENU (sensitive)\n{caption}").lines().map(str::to_owned).collect();
    assert!(
        texts.windows(expected.len()).any(|w| w == expected.as_slice()),
        "Graphviz did not draw the label verbatim:\n{expected:?}\nin {texts:?}"
    );
    assert!(texts.iter().any(|t| t == "a --> b ]] \"x\" |y|"), "{texts:?}");
    let json = run_dot(&dot(&h), "json").unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["name"], "hard \"labels\"");
}

/// Text content of every `<text>` element of an SVG, XML entities decoded.
fn svg_texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let body = &rest[start..];
        let open_end = body.find('>').unwrap() + 1;
        let close = body.find("</text>").unwrap();
        out.push(xml_unescape(&body[open_end..close]));
        rest = &body[close..];
    }
    out
}

fn xml_unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(';').unwrap() + i;
        let ent = &rest[i + 1..end];
        let c = match ent {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            n if n.starts_with("#x") => char::from_u32(u32::from_str_radix(&n[2..], 16).unwrap()).unwrap(),
            n => char::from_u32(n[1..].parse().unwrap()).unwrap(),
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Mermaid: a validator for the subset of flowchart syntax recflow writes.
// ---------------------------------------------------------------------------------------------

const SHAPES: &[(&str, &str)] =
    &[("([", "])"), ("[[", "]]"), ("{{", "}}"), ("[/", "/]"), ("((", "))"), ("(", ")"), ("[", "]")];

/// Check one `"..."` label: no raw quote, no raw `<`/`>` other than `<br/>`, every `#` starts
/// an entity `#name;` / `#123;`, no `|`, backquote or line break. Returns the decoded text.
fn check_label(label: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = label;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest.strip_prefix("<br/>") {
            out.push('\n');
            rest = r;
            continue;
        }
        if c == '#' {
            let end = rest.find(';').ok_or_else(|| format!("unterminated entity in {label:?}"))?;
            let name = &rest[1..end];
            let decoded = match name {
                "quot" => '"',
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                n if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                    char::from_u32(n.parse().map_err(|_| format!("bad entity {n}"))?).ok_or("bad code")?
                }
                n => return Err(format!("unknown entity #{n}; in {label:?}")),
            };
            out.push(decoded);
            rest = &rest[end + 1..];
            continue;
        }
        if matches!(c, '"' | '<' | '>' | '|' | '`' | '\n' | '\r') || c.is_control() {
            return Err(format!("raw {c:?} in label {label:?}"));
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    Ok(out)
}

/// Parse `ID<open>"label"<close>` at the start of `s`; returns (id, decoded label, rest).
fn node(s: &str) -> Result<(String, String, &str), String> {
    let id_len = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    let (id, rest) = s.split_at(id_len);
    if id.is_empty() || id.eq_ignore_ascii_case("end") {
        return Err(format!("bad node id in {s:?}"));
    }
    for (open, close) in SHAPES {
        if let Some(r) = rest.strip_prefix(open).and_then(|r| r.strip_prefix('"')) {
            let q = r.find('"').ok_or_else(|| format!("unclosed label in {s:?}"))?;
            let label = check_label(&r[..q])?;
            let after = r[q + 1..]
                .strip_prefix(close)
                .ok_or_else(|| format!("shape not closed by {close} in {s:?}"))?;
            let after = match after.strip_prefix(":::") {
                Some(c) => {
                    let n = c.find(|ch: char| !ch.is_ascii_alphanumeric()).unwrap_or(c.len());
                    &c[n..]
                }
                None => after,
            };
            return Ok((id.to_owned(), label, after));
        }
    }
    Err(format!("node without a quoted label: {s:?}"))
}

/// Validate a whole flowchart; returns the decoded node labels by id.
fn validate_mermaid(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut lines = text.lines();
    if lines.next() != Some("flowchart TD") {
        return Err("must start with `flowchart TD`".into());
    }
    let mut nodes = Vec::new();
    let mut defined = std::collections::BTreeSet::new();
    for line in lines {
        let l = line.trim();
        if l.starts_with("classDef ") || l.starts_with("class ") || l == "end" || l == "direction TB" {
            continue;
        }
        if let Some(r) = l.strip_prefix("subgraph ") {
            // `subgraph ID ["title"]`
            let (id, title) = r.split_once(' ').ok_or("subgraph without a title")?;
            let joined = format!("{id}{title}");
            let (_, _, rest) = node(&joined).map_err(|e| format!("subgraph: {e}"))?;
            if !rest.is_empty() {
                return Err(format!("trailing text after subgraph title: {l}"));
            }
            continue;
        }
        // An edge: `a --> b`, `a -->|"label"| b` or dotted.
        if let Some((from, to)) = l.split_once(" --> ") {
            if !defined.contains(from) || !defined.contains(to) {
                return Err(format!("edge between undefined nodes: {l}"));
            }
            continue;
        }
        if let Some(pos) = l.find(" -->|").or_else(|| l.find(" -.->|")) {
            let from = &l[..pos];
            if !defined.contains(from) {
                return Err(format!("edge from undefined node {from}"));
            }
            let r = &l[pos..];
            let r = r.strip_prefix(" -->|").or_else(|| r.strip_prefix(" -.->|")).unwrap();
            let r = r.strip_prefix('"').ok_or_else(|| format!("edge label not quoted: {l}"))?;
            let q = r.find('"').ok_or("unclosed edge label")?;
            check_label(&r[..q])?;
            let r = r[q + 1..].strip_prefix("| ").ok_or_else(|| format!("edge label not closed: {l}"))?;
            if defined.contains(r) {
                continue;
            }
            let (id, label, rest) = node(r)?;
            if !rest.is_empty() || label != "not wired" {
                return Err(format!("unexpected edge target {r:?}"));
            }
            defined.insert(id);
            continue;
        }
        let (id, label, rest) = node(l)?;
        if !rest.is_empty() {
            return Err(format!("trailing text {rest:?} in {l:?}"));
        }
        defined.insert(id.clone());
        nodes.push((id, label));
    }
    Ok(nodes)
}

#[test]
fn mermaid_output_passes_the_validator_with_labels_intact() {
    let h = hard();
    let nodes = validate_mermaid(&mermaid(&h)).unwrap_or_else(|e| panic!("{e}\n{}", mermaid(&h)));
    let caption = h.actions[1].label.as_deref().unwrap();
    let ask = nodes.iter().find(|(id, _)| id == "a1").unwrap();
    assert_eq!(ask.1, format!("ask\nMENU (sensitive)\n{caption}"));
    let custom = nodes.iter().find(|(id, _)| id == "a2").unwrap();
    assert_eq!(custom.1, "custom\nPlay Prompt Ext\na --> b ]] \"x\" |y|");

    for p in common::yaml_examples() {
        let s = script::load_path(&p).unwrap();
        validate_mermaid(&mermaid(&s)).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    }
}

#[test]
fn the_validator_rejects_broken_labels() {
    assert!(check_label("a \"b").is_err());
    assert!(check_label("a <b>").is_err());
    assert!(check_label("a | b").is_err());
    assert!(check_label("# x").is_err());
    assert!(check_label("a\nb").is_err());
    assert_eq!(check_label("a<br/>#quot;#35;#124;").unwrap(), "a\n\"#|");
    assert!(node("a1[\"x\"]").is_ok());
    assert!(node("a1[x]").is_err());
    assert!(node("end[\"x\"]").is_err());
}
