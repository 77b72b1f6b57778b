//! [`Script`] → script text: native YAML (FORMATS §1) or CXone Studio JSON (FORMATS §2).
//!
//! Input: a loaded [`Script`] (from either format). Output: text that loads back into an
//! equivalent `Script` — same ids, types, properties as written, branches in order, targets,
//! captions and annotations — so a converted script lints, simulates and draws exactly like its
//! source (`recflow convert`, docs/studio-json.md). Output is deterministic: it depends only on
//! the script, never on hash order.
//!
//! What does not survive a conversion: YAML comments, Studio layout data when going to YAML
//! (YAML has no place for it; `to_studio_json` then lays the actions out afresh), and Studio
//! header fields when going to YAML.

use std::collections::VecDeque;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::model::{Action, Kind, PropValue, Script};
use super::studio_json::{ALLOW_KEY, CONSENT_KEY, TOP_LEVEL_KEY};

// ---------------------------------------------------------------------------------------------
// YAML
// ---------------------------------------------------------------------------------------------

/// The script as canonical native YAML: `script`, `description`, then one mapping per action
/// (`id`, `type`, `label`, `consent`, `allow`, `properties`, `next` / `branches`). A branch that
/// is not wired is written as `~` so that it stays a branch (a CASE or MENU outcome that ends
/// the thread is not the same as one that falls to `default`).
pub fn to_yaml(script: &Script) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "script: {}", yaml_scalar(&script.name, Ctx::Text));
    // Blank values are absent in YAML (the loader refuses `label: ""`).
    if let Some(d) = script.description.as_ref().filter(|d| !d.trim().is_empty()) {
        let _ = writeln!(out, "description: {}", yaml_value(d, 0));
    }
    if script.actions.is_empty() {
        out.push_str("actions: []\n");
        return out;
    }
    out.push_str("actions:\n");
    for a in &script.actions {
        yaml_action(&mut out, script, a);
    }
    out
}

fn type_name(a: &Action) -> &str {
    a.kind.canonical_name().unwrap_or(&a.type_name)
}

fn target_id<'s>(script: &'s Script, b: &super::model::Branch) -> Option<&'s str> {
    b.target.map(|t| script.action(t).id.as_str())
}

fn yaml_action(out: &mut String, script: &Script, a: &Action) {
    let _ = writeln!(out, "  - id: {}", yaml_scalar(&a.id, Ctx::Id));
    let _ = writeln!(out, "    type: {}", yaml_scalar(type_name(a), Ctx::Text));
    if let Some(l) = a.label.as_ref().filter(|l| !l.trim().is_empty()) {
        let _ = writeln!(out, "    label: {}", yaml_value(l, 4));
    }
    if let Some(c) = &a.consent {
        let _ = writeln!(out, "    consent: {{accept: {}}}", yaml_flow_list(&c.accept));
    }
    if !a.allow.is_empty() {
        out.push_str("    allow:\n");
        for al in &a.allow {
            let _ = writeln!(
                out,
                "      - rule: {}\n        reason: {}",
                yaml_scalar(&al.rule, Ctx::Text),
                yaml_value(&al.reason, 8)
            );
        }
    }
    if !a.properties.is_empty() {
        out.push_str("    properties:\n");
        for p in &a.properties {
            let key = yaml_scalar(&p.name, Ctx::Text);
            match &p.value {
                PropValue::Text(t) => {
                    let _ = writeln!(out, "      {key}: {}", yaml_prop_value(t, 6));
                }
                PropValue::List(items) => {
                    let _ = writeln!(out, "      {key}: {}", yaml_flow_list(items));
                }
            }
        }
    }
    match a.branches.as_slice() {
        [] => {}
        [b] if b.name == "default" && b.target.is_some() => {
            let _ = writeln!(out, "    next: {}", yaml_scalar(target_id(script, b).unwrap_or("~"), Ctx::Id));
        }
        branches => {
            out.push_str("    branches:\n");
            for b in branches {
                let target = target_id(script, b).map_or_else(|| "~".to_owned(), |t| yaml_scalar(t, Ctx::Id));
                let _ = writeln!(out, "      {}: {target}", yaml_scalar(&b.name, Ctx::Text));
            }
        }
    }
}

/// Where a scalar goes: `Id` lets canonical integers stay plain (`2` and `"2"` are the same
/// id); `Text` quotes anything YAML would not read back as that exact string; `Flow` is inside
/// `[...]`, where `,` also needs quotes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Id,
    Text,
    Flow,
}

/// Words that YAML 1.1 or 1.2 reads as booleans or null when plain.
const RESERVED: &[&str] = &["y", "yes", "n", "no", "true", "false", "on", "off", "null", "~"];

fn is_canonical_int(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty()
        && digits.len() <= 15
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" && s == "0" || !digits.starts_with('0'))
}

fn plain_ok(s: &str, ctx: Ctx) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if !(first.is_alphabetic() || first == '_' || first == '/') {
        return false;
    }
    if s.ends_with(' ') || RESERVED.iter().any(|w| s.eq_ignore_ascii_case(w)) {
        return false;
    }
    s.chars().all(|c| {
        c.is_alphanumeric()
            || matches!(c, ' ' | '_' | '-' | '.' | '/' | '(' | ')' | '\'' | '!' | '?' | ';' | '+' | '=')
            || (c == ',' && ctx != Ctx::Flow)
    })
}

/// A single-line scalar: plain when that reads back as the same string, else double-quoted.
fn yaml_scalar(s: &str, ctx: Ctx) -> String {
    if plain_ok(s, ctx) || (ctx == Ctx::Id && is_canonical_int(s)) {
        s.to_owned()
    } else {
        yaml_double_quoted(s)
    }
}

/// A double-quoted YAML scalar; escapes everything YAML treats specially (controls, line
/// separators, the byte-order mark) so any Rust string survives.
pub fn yaml_double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if (c as u32) < 0x20 || ('\u{7f}'..='\u{9f}').contains(&c) => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            '\u{feff}' | '\u{fffe}' | '\u{ffff}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A text value at a key indented by `indent`: a `|` block scalar when it spans several lines
/// and a literal block can carry it exactly, else a single-line scalar.
fn yaml_value(s: &str, indent: usize) -> String {
    block_scalar(s, indent).unwrap_or_else(|| yaml_scalar(s, Ctx::Text))
}

/// A property value. Studio writes numbers and booleans as text (`"30"`, `"True"`, `"On"`);
/// they stay plain (`SecondstoPlay: 30`, `Sensitive: True`) because the loader keeps the text of
/// a plain scalar exactly as written. `null` / `~` (which read as empty) and anything else YAML
/// could read differently are quoted.
fn yaml_prop_value(s: &str, indent: usize) -> String {
    let bool_word = ["true", "false", "on", "off", "yes", "no"].iter().any(|w| s.eq_ignore_ascii_case(w));
    if bool_word || is_plain_number(s) { s.to_owned() } else { yaml_value(s, indent) }
}

/// `12`, `-3`, `2.5`: decimal numbers without leading zeros, short enough for any YAML reader.
fn is_plain_number(s: &str) -> bool {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    is_canonical_int(int)
        && if frac.is_empty() {
            !s.ends_with('.')
        } else {
            frac.len() <= 6 && frac.bytes().all(|b| b.is_ascii_digit())
        }
        && s.len() <= 15
}

fn block_scalar(s: &str, indent: usize) -> Option<String> {
    if !s.contains('\n') || s.trim().is_empty() {
        return None;
    }
    let printable = s.chars().all(|c| {
        c == '\n'
            || c == '\t'
            || !(c.is_control()
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'))
    });
    if !printable {
        return None;
    }
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    // Lines of only blanks are ambiguous in a block scalar (indentation vs content).
    if body.split('\n').any(|l| !l.is_empty() && l.trim_matches([' ', '\t']).is_empty()) {
        return None;
    }
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    // Content that starts with a blank or an empty line needs an explicit indentation indicator.
    let indicator = if body.starts_with([' ', '\t', '\n']) { "2" } else { "" };
    let pad = " ".repeat(indent + 2);
    let mut out = format!("|{indicator}{chomp}\n");
    let mut lines = body.split('\n').peekable();
    while let Some(line) = lines.next() {
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
        if lines.peek().is_some() {
            out.push('\n');
        }
    }
    // Kept trailing line breaks (`|+`): one per extra newline.
    for _ in 1..trailing {
        out.push('\n');
    }
    Some(out)
}

fn yaml_flow_list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| yaml_scalar(s, Ctx::Flow)).collect();
    format!("[{}]", parts.join(", "))
}

// ---------------------------------------------------------------------------------------------
// Studio JSON
// ---------------------------------------------------------------------------------------------

/// The script as Studio JSON `{header, actions, properties, branches}`, pretty-printed with a
/// fixed key order (script order for actions; Studio layout data kept from a Studio import,
/// laid out afresh otherwise).
pub fn to_studio_json(script: &Script) -> String {
    let layout = layout(script);
    let mut header = Map::new();
    header.insert("scriptName".into(), Value::String(script.name.clone()));
    if let Some(d) = &script.description {
        header.insert("description".into(), Value::String(d.clone()));
    }
    let mut top_extra = Map::new();
    if let Some(h) = &script.studio_header {
        for (k, v) in h {
            match (k.as_str(), v) {
                (TOP_LEVEL_KEY, Value::Object(m)) => top_extra = m.clone(),
                ("scriptName" | "description", _) => {}
                _ => {
                    header.insert(k.clone(), v.clone());
                }
            }
        }
    }

    let mut actions = Map::new();
    let mut properties = Map::new();
    let mut branches = Map::new();
    for (i, a) in script.actions.iter().enumerate() {
        let mut obj = Map::new();
        obj.insert("actionId".into(), Value::String(a.id.clone()));
        obj.insert("name".into(), Value::String(type_name(a).to_owned()));
        if let Some(l) = &a.label {
            obj.insert("label".into(), Value::String(l.clone()));
        }
        match &a.studio_extra {
            Some(extra) => {
                for (k, v) in extra {
                    if !matches!(k.as_str(), "actionId" | "name" | "label" | CONSENT_KEY | ALLOW_KEY) {
                        obj.insert(k.clone(), v.clone());
                    }
                }
            }
            None => {
                let (x, y) = layout[i];
                obj.insert("x".into(), json!(x));
                obj.insert("y".into(), json!(y));
            }
        }
        if let Some(c) = &a.consent {
            obj.insert(CONSENT_KEY.into(), json!({ "accept": c.accept }));
        }
        if !a.allow.is_empty() {
            let list: Vec<Value> =
                a.allow.iter().map(|al| json!({ "rule": al.rule, "reason": al.reason })).collect();
            obj.insert(ALLOW_KEY.into(), Value::Array(list));
        }
        actions.insert(a.id.clone(), Value::Object(obj));

        if !a.properties.is_empty() {
            let mut props = Map::new();
            for (n, p) in a.properties.iter().enumerate() {
                let value = match &p.value {
                    PropValue::Text(t) => Value::String(t.clone()),
                    PropValue::List(l) => json!(l),
                };
                props.insert(n.to_string(), json!({ "name": p.name, "value": value }));
            }
            properties.insert(a.id.clone(), Value::Object(props));
        }

        if !a.branches.is_empty() {
            let list: Vec<Value> = a
                .branches
                .iter()
                .enumerate()
                .map(|(n, b)| {
                    let to = target_id(script, b).map_or(json!(-1), |t| json!(t));
                    let (ty, label) = if b.name == "default" {
                        ("default", "Default")
                    } else if matches!(a.kind, Kind::Menu(_) | Kind::Case { .. }) {
                        ("case", b.name.as_str())
                    } else {
                        ("branch", b.name.as_str())
                    };
                    json!({ "to": to, "label": label, "type": ty, "index": n })
                })
                .collect();
            branches.insert(a.id.clone(), Value::Array(list));
        }
    }

    let mut root = Map::new();
    root.insert("header".into(), Value::Object(header));
    root.insert("actions".into(), Value::Object(actions));
    root.insert("properties".into(), Value::Object(properties));
    root.insert("branches".into(), Value::Object(branches));
    for (k, v) in top_extra {
        root.entry(k).or_insert(v);
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(root)).unwrap_or_default();
    text.push('\n');
    text
}

/// Canvas positions for a script without Studio layout: rows by distance from the entry
/// points (BEGIN, then the event actions), actions of a row side by side in script order.
fn layout(script: &Script) -> Vec<(i64, i64)> {
    let n = script.actions.len();
    let mut depth = vec![usize::MAX; n];
    let mut queue = VecDeque::new();
    let entries =
        script.actions.iter().enumerate().filter(|(_, a)| {
            matches!(a.kind, Kind::Begin | Kind::OnAnswer | Kind::OnRelease | Kind::OnSignal)
        });
    for (i, _) in entries {
        depth[i] = 0;
        queue.push_back(i);
    }
    while let Some(i) = queue.pop_front() {
        for b in &script.actions[i].branches {
            if let Some(t) = b.target
                && depth[t.index()] == usize::MAX
            {
                depth[t.index()] = depth[i] + 1;
                queue.push_back(t.index());
            }
        }
    }
    let max = depth.iter().filter(|&&d| d != usize::MAX).max().copied().unwrap_or(0);
    let mut per_row = vec![0i64; max + 2];
    depth
        .iter()
        .map(|&d| {
            let row = if d == usize::MAX { max + 1 } else { d };
            let col = per_row[row];
            per_row[row] += 1;
            (100 + 220 * col, 100 + 140 * row as i64)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars() {
        assert_eq!(yaml_scalar("begin", Ctx::Id), "begin");
        assert_eq!(yaml_scalar("2", Ctx::Id), "2");
        assert_eq!(yaml_scalar("2", Ctx::Text), "\"2\"");
        assert_eq!(yaml_scalar("02", Ctx::Id), "\"02\"");
        assert_eq!(yaml_scalar("On", Ctx::Text), "\"On\"");
        assert_eq!(yaml_scalar("Press 1, then #", Ctx::Text), "\"Press 1, then #\"");
        assert_eq!(yaml_scalar("a, b", Ctx::Flow), "\"a, b\"");
        assert_eq!(yaml_scalar("key: v", Ctx::Text), "\"key: v\"");
        assert_eq!(yaml_scalar("", Ctx::Text), "\"\"");
        assert_eq!(yaml_double_quoted("a\"b\\\u{1}\u{2028}"), "\"a\\\"b\\\\\\x01\\L\"");
        assert!(is_canonical_int("0") && is_canonical_int("-12") && !is_canonical_int("-0"));
        assert!(
            is_plain_number("2.5")
                && is_plain_number("30")
                && !is_plain_number("1.")
                && !is_plain_number("01")
        );
        assert_eq!(yaml_prop_value("True", 0), "True");
        assert_eq!(yaml_prop_value("null", 0), "\"null\"");
    }

    #[test]
    fn block_scalars() {
        assert_eq!(block_scalar("a\nb\n", 6).unwrap(), "|\n        a\n        b");
        assert_eq!(block_scalar("a\nb", 6).unwrap(), "|-\n        a\n        b");
        assert_eq!(block_scalar("a\n\nb\n\n", 0).unwrap(), "|+\n  a\n\n  b\n");
        assert_eq!(block_scalar("  a\nb\n", 0).unwrap(), "|2\n    a\n  b");
        assert!(block_scalar("one line", 0).is_none());
        assert!(block_scalar("a\r\nb", 0).is_none());
        assert!(block_scalar("a\n  \nb", 0).is_none());
    }
}
