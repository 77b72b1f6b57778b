//! [`Script`] → script text: native YAML (FORMATS §1) or CXone Studio JSON (FORMATS §2).
//!
//! Input: a loaded [`Script`] (from either format). Output: text that loads back into an
//! equivalent `Script` — same ids, types, properties as written, branches in order, targets,
//! captions and annotations — so a converted script lints, simulates and draws exactly like its
//! source (`recflow convert`, docs/studio-json.md). Output is deterministic: it depends only on
//! the script, never on hash order.
//!
//! Studio JSON → Studio JSON and Studio JSON → YAML → Studio JSON are lossless: the Studio
//! pieces recflow does not model travel on the script (and in YAML under `studio:` keys) and
//! export rewrites only what the model changed. What does not survive: YAML comments.

use std::collections::VecDeque;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::build::normalize_branch;
use super::model::{Action, Kind, PropValue, Script, ScriptKind, StudioAction, StudioPatch};
use super::studio_json::{ALLOW_KEY, CONSENT_KEY};

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
    if let Some(m) = &script.kind.media {
        let _ = writeln!(out, "media: {}", yaml_scalar(m, Ctx::Text));
    }
    if let Some(p) = &script.kind.purpose {
        let _ = writeln!(out, "purpose: {}", yaml_scalar(p, Ctx::Text));
    }
    // Studio pieces are written as the changes over what a fresh export writes (so a YAML →
    // JSON → YAML trip gives back the YAML, and a real export keeps its extras), in block YAML.
    let mut top = String::new();
    if let Some(h) = &script.studio_header {
        yaml_patch(&mut top, 2, "header", diff_object(&studio_header(script, None), h));
    }
    if let Some(r) = &script.studio_root {
        yaml_patch(&mut top, 2, "root", diff_object(&fresh_root(), r));
    }
    if !top.is_empty() {
        out.push_str("studio:\n");
        out.push_str(&top);
    }
    if script.actions.is_empty() {
        out.push_str("actions: []\n");
        return out;
    }
    out.push_str("actions:\n");
    let layout = layout(script);
    for (i, a) in script.actions.iter().enumerate() {
        yaml_action(&mut out, script, a, layout[i]);
    }
    out
}

/// The top-level placeholders of a freshly exported document.
fn fresh_root() -> Map<String, Value> {
    ["header", "actions", "properties", "branches"]
        .iter()
        .map(|k| (k.to_string(), Value::Object(Map::new())))
        .collect()
}

/// An action's Studio pieces as block YAML at `indent`: the action object as changes over a
/// fresh export of it, `properties` / `branches` as read when a fresh export would write them
/// differently. Empty when a fresh export writes exactly what was read.
fn studio_yaml(script: &Script, a: &Action, xy: (i64, i64), indent: usize) -> String {
    let mut out = String::new();
    let Some(st) = a.studio.as_deref() else { return out };
    yaml_patch(&mut out, indent, "action", diff_object(&action_object(a, None, xy), &st.action));
    if !same_json(st.properties.as_ref(), property_entries(a, None).as_ref())
        && let Some(p) = &st.properties
    {
        yaml_block_entry(&mut out, indent, "properties", p);
    }
    if !same_json(st.branches.as_ref(), branch_base(script, a, &st.action).as_ref())
        && let Some(b) = &st.branches
    {
        yaml_block_entry(&mut out, indent, "branches", b);
    }
    out
}

/// The branch entries a fresh export writes, with the targets as numbers when the action's
/// `actionId` is one (a Studio export's style): what an action's YAML `studio:` leaves out.
fn branch_base(script: &Script, a: &Action, action: &Map<String, Value>) -> Option<Value> {
    let mut base = branch_entries(script, a, None)?;
    if matches!(action.get("actionId"), Some(Value::Number(_)))
        && let Value::Array(entries) = &mut base
    {
        for e in entries {
            if let Some(to) = e.get_mut("to")
                && let Some(n) =
                    to.as_str().filter(|t| is_canonical_int(t)).and_then(|t| t.parse::<i64>().ok())
            {
                *to = Value::from(n);
            }
        }
    }
    Some(base)
}

/// Equal including the order of object keys (`Value`'s `==` ignores it).
fn same_json(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same_ordered(a, b),
        (None, None) => true,
        _ => false,
    }
}

fn same_ordered(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|((ka, va), (kb, vb))| ka == kb && same_ordered(va, vb))
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_ordered(x, y))
        }
        (a, b) => a == b,
    }
}

/// `target` as changes over `fresh` (`None`: the same object, key order included).
///
/// A key `fresh` does not write is put back before the next key of `set` that `fresh` has: when
/// that is not where `target` has it, the key `fresh` has right after it in `target` joins `set`
/// (even with the same value) as an anchor; only when that is not enough either (`fresh`'s keys
/// in another order) is the whole key `order` written.
fn diff_object(fresh: &Map<String, Value>, target: &Map<String, Value>) -> Option<StudioPatch> {
    let unset: Vec<String> = fresh.keys().filter(|k| !target.contains_key(k.as_str())).cloned().collect();
    let changed = |k: &str, v: &Value| !same_json(fresh.get(k), Some(v));
    let pick = |keep: &dyn Fn(&str, &Value) -> bool| -> Map<String, Value> {
        target.iter().filter(|(k, v)| keep(k, v)).map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    let mut patch = StudioPatch { set: pick(&|k, v| changed(k, v)), unset, order: Vec::new() };
    let restores = |p: &StudioPatch| apply_patch(fresh.clone(), p).keys().eq(target.keys());
    if !restores(&patch) {
        let keys: Vec<&String> = target.keys().collect();
        let anchors: Vec<&str> = (0..keys.len())
            .filter(|&i| !fresh.contains_key(keys[i].as_str()))
            .filter_map(|i| keys[i + 1..].iter().find(|k| fresh.contains_key(k.as_str())).map(|k| k.as_str()))
            .collect();
        let anchored = StudioPatch {
            set: pick(&|k, v| changed(k, v) || anchors.contains(&k)),
            unset: patch.unset.clone(),
            order: Vec::new(),
        };
        patch = if restores(&anchored) {
            anchored
        } else {
            StudioPatch { order: target.keys().cloned().collect(), ..patch }
        };
    }
    let empty = patch.set.is_empty() && patch.unset.is_empty() && patch.order.is_empty();
    (!empty).then_some(patch)
}

/// `fresh` with `patch` applied (the inverse of [`diff_object`]): unset keys dropped, changed
/// values replaced in place, new keys inserted before the next key of `set` that `fresh` has
/// (else at the end), then the keys put in `order` when it is given.
fn apply_patch(fresh: Map<String, Value>, patch: &StudioPatch) -> Map<String, Value> {
    let mut out: Vec<(String, Value)> =
        fresh.into_iter().filter(|(k, _)| !patch.unset.iter().any(|u| u == k)).collect();
    let keys: Vec<&String> = patch.set.keys().collect();
    for (i, (k, v)) in patch.set.iter().enumerate() {
        if let Some(slot) = out.iter_mut().find(|(o, _)| o == k) {
            slot.1 = v.clone();
            continue;
        }
        // Later keys of `set` not inserted yet that are already in `out` came from `fresh`.
        let before = keys[i + 1..].iter().find_map(|n| out.iter().position(|(o, _)| o == *n));
        match before {
            Some(at) => out.insert(at, (k.clone(), v.clone())),
            None => out.push((k.clone(), v.clone())),
        }
    }
    if !patch.order.is_empty() {
        let rank = |k: &str| patch.order.iter().position(|o| o == k).unwrap_or(usize::MAX);
        out.sort_by_key(|(k, _)| rank(k));
    }
    out.into_iter().collect()
}

/// Apply the `studio:` changes a YAML script was read with (see [`StudioPatch`]): each over
/// what a fresh export of the built script writes. The loader calls it once, after building.
pub fn resolve_studio(script: &mut Script) {
    if let Some(top) = script.studio_patch.take() {
        if let Some(p) = &top.header {
            script.studio_header = Some(apply_patch(studio_header(script, None), p));
        }
        if let Some(p) = &top.root {
            script.studio_root = Some(apply_patch(fresh_root(), p));
        }
    }
    if !script.actions.iter().any(|a| a.studio.as_ref().is_some_and(|s| s.action_patch.is_some())) {
        return;
    }
    let layout = layout(script);
    for (i, &xy) in layout.iter().enumerate() {
        let Some(patch) = script.actions[i].studio.as_mut().and_then(|s| s.action_patch.take()) else {
            continue;
        };
        let action = apply_patch(action_object(&script.actions[i], None, xy), &patch);
        // Branches left out of the YAML are the ones a fresh export writes in the action's style.
        let branches = match script.actions[i].studio.as_ref() {
            Some(st) if st.branches.is_none() => branch_base(script, &script.actions[i], &action),
            _ => None,
        };
        if let Some(st) = script.actions[i].studio.as_mut() {
            st.action = action;
            if branches.is_some() {
                st.branches = branches;
            }
        }
    }
}

fn type_name(a: &Action) -> &str {
    a.kind.canonical_name().unwrap_or(&a.type_name)
}

fn target_id<'s>(script: &'s Script, b: &super::model::Branch) -> Option<&'s str> {
    b.target.map(|t| script.action(t).id.as_str())
}

fn yaml_action(out: &mut String, script: &Script, a: &Action, xy: (i64, i64)) {
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
    let studio = studio_yaml(script, a, xy, 6);
    if !studio.is_empty() {
        out.push_str("    studio:\n");
        out.push_str(&studio);
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

/// A patch as block YAML at `indent`: `key` (the changed keys), `key_unset`, `key_order`.
fn yaml_patch(out: &mut String, indent: usize, key: &str, patch: Option<StudioPatch>) {
    let Some(p) = patch else { return };
    if !p.set.is_empty() {
        yaml_block_entry(out, indent, key, &Value::Object(p.set));
    }
    let list = |v: Vec<String>| Value::Array(v.into_iter().map(Value::String).collect());
    if !p.unset.is_empty() {
        yaml_block_entry(out, indent, &format!("{key}_unset"), &list(p.unset));
    }
    if !p.order.is_empty() {
        yaml_block_entry(out, indent, &format!("{key}_order"), &list(p.order));
    }
}

/// `key: value` at `indent` in block YAML, nested mappings and sequences one per line; it
/// reads back (`yaml::to_json`) as the same JSON, key order included.
fn yaml_block_entry(out: &mut String, indent: usize, key: &str, v: &Value) {
    let pad = " ".repeat(indent);
    let key = yaml_scalar(key, Ctx::Text);
    match v {
        Value::Object(m) if !m.is_empty() => {
            let _ = writeln!(out, "{pad}{key}:");
            for (k, v) in m {
                yaml_block_entry(out, indent + 2, k, v);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let _ = writeln!(out, "{pad}{key}:");
            for item in items {
                yaml_block_item(out, indent + 2, item);
            }
        }
        v => {
            let _ = writeln!(out, "{pad}{key}: {}", yaml_json_scalar(v));
        }
    }
}

/// One `- item` of a block sequence at `indent` (a mapping or sequence starts on the dash line).
fn yaml_block_item(out: &mut String, indent: usize, v: &Value) {
    let pad = " ".repeat(indent);
    let mut body = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, v) in m {
                yaml_block_entry(&mut body, indent + 2, k, v);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                yaml_block_item(&mut body, indent + 2, item);
            }
        }
        v => {
            let _ = writeln!(out, "{pad}- {}", yaml_json_scalar(v));
            return;
        }
    }
    out.push_str(&pad);
    out.push_str("- ");
    out.push_str(&body[indent + 2..]);
}

/// A JSON scalar (or empty collection) as YAML that reads back as the same JSON: strings plain
/// when YAML reads them back as that text, else double-quoted with YAML's escapes.
fn yaml_json_scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        // A number kept as its text (issue 21, F10) is written as that number — unless YAML
        // cannot read it as one (`1e400` overflows a double and recflow's YAML reader refuses
        // non-finite floats): that one stays a marked string, which reads back as the same.
        Value::String(s) => match crate::source::json::number_as_text(s) {
            Some(number) if number.parse::<f64>().is_ok_and(f64::is_finite) => number.to_string(),
            Some(_) => yaml_double_quoted(s),
            None => yaml_scalar(s, Ctx::Text),
        },
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

fn yaml_flow_list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| yaml_scalar(s, Ctx::Flow)).collect();
    format!("[{}]", parts.join(", "))
}

// ---------------------------------------------------------------------------------------------
// Studio JSON
// ---------------------------------------------------------------------------------------------

/// The script as Studio JSON `{header, actions, properties, branches}`, pretty-printed.
///
/// Lossless: what the script kept from a Studio document ([`Script::studio_header`],
/// [`Script::studio_root`], each action's [`StudioAction`]) is the starting point, and only
/// what the model says differently is rewritten — so an unchanged script gives back its input
/// value for value (numeric ids stay numbers, `ports` / `elbows` / empty property entries /
/// extra per-property fields / tied `index` values stay). Actions without Studio pieces (from
/// YAML) are laid out afresh. Output depends only on the script, never on hash order.
pub fn to_studio_json(script: &Script) -> String {
    let text = serde_json::to_string_pretty(&Value::Object(studio_document(script))).unwrap_or_default();
    // Numbers kept as their text (`1e400`, integers beyond 64 bits) go back as written (F10).
    let mut text = crate::source::json::unquote_number_texts(&text).into_owned();
    text.push('\n');
    text
}

/// The Studio JSON document of a script (see [`to_studio_json`]).
pub fn studio_document(script: &Script) -> Map<String, Value> {
    let layout = layout(script);
    let header = studio_header(script, script.studio_header.as_ref());
    let mut actions = Map::new();
    let mut properties = Map::new();
    let mut branches = Map::new();
    for (i, a) in script.actions.iter().enumerate() {
        let st = a.studio.as_deref();
        actions.insert(a.id.clone(), Value::Object(action_object(a, st, layout[i])));
        if let Some(p) = property_entries(a, st.and_then(|s| s.properties.as_ref())) {
            properties.insert(a.id.clone(), p);
        }
        if let Some(b) = branch_entries(script, a, st.and_then(|s| s.branches.as_ref())) {
            branches.insert(a.id.clone(), b);
        }
    }
    let mut root = script.studio_root.clone().unwrap_or_default();
    // A section that was not an object (e.g. `"properties": null`) stays as read while empty.
    let mut put = |key: &str, section: Map<String, Value>| match root.get_mut(key) {
        Some(slot) if section.is_empty() && !slot.is_object() => {}
        Some(slot) => *slot = Value::Object(section),
        None => {
            root.insert(key.to_owned(), Value::Object(section));
        }
    };
    put("header", header);
    put("actions", actions);
    put("properties", properties);
    put("branches", branches);
    root
}

/// Blank text and null both mean "absent" (the loaders treat them so).
fn blank_or(v: Option<&Value>) -> Option<&str> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
        _ => None,
    }
}

/// The header: `read` (as read from Studio JSON) with name and description set from the model
/// where they differ.
fn studio_header(script: &Script, read: Option<&Map<String, Value>>) -> Map<String, Value> {
    let mut header = read.cloned().unwrap_or_default();
    // The name: kept as read when it says the same (a missing name is the file stem).
    let kept = match blank_or(header.get("scriptName")) {
        Some(n) => n == script.name,
        None => read.is_some(),
    };
    if !kept {
        header.insert("scriptName".into(), Value::String(script.name.clone()));
    }
    if blank_or(header.get("description")) != script.description.as_deref().filter(|d| !d.trim().is_empty()) {
        match &script.description {
            Some(d) => header.insert("description".into(), Value::String(d.clone())),
            None => header.remove("description"),
        };
    }
    // The kind: kept as read when the header says the same, else written from the model
    // (`mediaType` number and `mediaTypeName`, `purposeType`).
    let said = super::studio_json::kind_of_header(&header);
    if said.media != script.kind.media {
        match &script.kind.media {
            Some(m) => {
                if let Some(n) = ScriptKind::media_number(m) {
                    header.insert("mediaType".into(), Value::from(n));
                } else {
                    header.remove("mediaType");
                }
                header.insert("mediaTypeName".into(), Value::String(m.clone()));
            }
            None => {
                header.remove("mediaType");
                header.remove("mediaTypeName");
            }
        }
    }
    if said.purpose != script.kind.purpose {
        match &script.kind.purpose {
            Some(p) => header.insert("purposeType".into(), Value::String(p.clone())),
            None => header.remove("purposeType"),
        };
    }
    header
}

/// A Studio id as JSON: the value as read when it names the same id (`2` stays a number).
fn id_value(old: Option<&Value>, id: &str) -> Value {
    match old {
        Some(v) if json_text(v).as_deref() == Some(id) => v.clone(),
        Some(Value::Number(_)) if is_canonical_int(id) => {
            id.parse::<i64>().map_or_else(|_| json!(id), |n| json!(n))
        }
        _ => json!(id),
    }
}

/// A scalar as the loaders read it: strings as they are, numbers as written, booleans as
/// `True` / `False`, null as empty.
fn json_text(v: &Value) -> Option<String> {
    match v {
        // A number kept as its text (F10) reads as that text, like any number.
        Value::String(s) => Some(crate::source::json::number_as_text(s).unwrap_or(s).to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

fn action_object(a: &Action, st: Option<&StudioAction>, xy: (i64, i64)) -> Map<String, Value> {
    let mut obj = match st {
        Some(st) => st.action.clone(),
        None => {
            let mut m = Map::new();
            m.insert("actionId".into(), Value::Null);
            m.insert("name".into(), Value::Null);
            m
        }
    };
    let id = id_value(obj.get("actionId"), &a.id);
    if st.is_none() || obj.contains_key("actionId") {
        obj.insert("actionId".into(), id);
    }
    // The name as Studio wrote it (`Do Not Record`, `hang_up`) is kept while it names the same
    // type: the YAML form writes the canonical `DONOTRECORD`, and the round trip JSON → YAML →
    // JSON must give Studio's own text back (issue 21, F10).
    let same_type = obj.get("name").and_then(Value::as_str).is_some_and(|n| {
        n == a.type_name || super::model::normalize_type(n) == super::model::normalize_type(&a.type_name)
    });
    if !same_type {
        let ty = if st.is_some() { a.type_name.as_str() } else { type_name(a) };
        obj.insert("name".into(), json!(ty));
    }
    let read_label = obj.get("label").and_then(json_text).filter(|l| !l.trim().is_empty());
    if read_label.as_deref() != a.label.as_deref().filter(|l| !l.trim().is_empty()) {
        match &a.label {
            Some(l) => obj.insert("label".into(), json!(l)),
            None => obj.remove("label"),
        };
    }
    if st.is_none() {
        obj.insert("x".into(), json!(xy.0));
        obj.insert("y".into(), json!(xy.1));
    }
    let consent = a.consent.as_ref().map(|c| json!({ "accept": c.accept }));
    sync_key(&mut obj, CONSENT_KEY, consent);
    let allow = (!a.allow.is_empty()).then(|| {
        Value::Array(a.allow.iter().map(|al| json!({ "rule": al.rule, "reason": al.reason })).collect())
    });
    sync_key(&mut obj, ALLOW_KEY, allow);
    obj
}

/// Set or remove `key` unless it already holds the same thing.
fn sync_key(obj: &mut Map<String, Value>, key: &str, want: Option<Value>) {
    match want {
        Some(v) if obj.get(key) != Some(&v) => {
            obj.insert(key.to_owned(), v);
        }
        Some(_) => {}
        None => {
            obj.remove(key);
        }
    }
}

fn prop_json(v: &PropValue) -> Value {
    match v {
        PropValue::Text(t) => Value::String(t.clone()),
        PropValue::List(l) => json!(l),
    }
}

/// The value of a property entry as the loader reads it.
fn prop_of(v: &Value) -> Option<PropValue> {
    match v {
        Value::Array(items) => items.iter().map(json_text).collect::<Option<Vec<_>>>().map(PropValue::List),
        v => json_text(v).map(PropValue::Text),
    }
}

/// `properties[id]`: the entries as read, with values rewritten only where the model differs,
/// entries of removed properties dropped and new properties appended.
fn property_entries(a: &Action, old: Option<&Value>) -> Option<Value> {
    let mut used = vec![false; a.properties.len()];
    let find = |name: &str, used: &mut Vec<bool>| {
        let i = a.properties.iter().enumerate().position(|(i, p)| !used[i] && p.name == name)?;
        used[i] = true;
        Some(i)
    };
    // One entry: keep, rewrite its value, or drop it (None).
    let entry = |e: &Value, used: &mut Vec<bool>| -> Option<Value> {
        let Value::Object(m) = e else { return Some(e.clone()) };
        let Some(name) = m.get("name").and_then(Value::as_str) else { return Some(e.clone()) };
        let p = &a.properties[find(name, used)?];
        let same = match (m.get("value"), &p.value) {
            // `1.50` is read as the text "1.50" but kept as the number 1.5.
            (Some(Value::Number(n)), PropValue::Text(t)) => {
                n.to_string() == *t || t.trim().parse::<f64>().ok() == n.as_f64()
            }
            (Some(v), _) => prop_of(v).as_ref() == Some(&p.value),
            (None, _) => p.value == PropValue::Text(String::new()),
        };
        let mut m = m.clone();
        if !same {
            m.insert("value".into(), prop_json(&p.value));
        }
        Some(Value::Object(m))
    };
    let new_entry = |p: &super::model::Property| json!({ "name": p.name, "value": prop_json(&p.value) });
    let out = match old {
        Some(Value::Object(entries)) => {
            let mut out = Map::new();
            for (k, e) in entries {
                if let Some(e) = entry(e, &mut used) {
                    out.insert(k.clone(), e);
                }
            }
            let mut next = entries.keys().filter_map(|k| k.parse::<u64>().ok()).max().map_or(0, |n| n + 1);
            for (i, p) in a.properties.iter().enumerate().filter(|(i, _)| !used[*i]) {
                let _ = i;
                while out.contains_key(&next.to_string()) {
                    next += 1;
                }
                out.insert(next.to_string(), new_entry(p));
                next += 1;
            }
            Value::Object(out)
        }
        Some(Value::Array(entries)) => {
            let mut out: Vec<Value> = entries.iter().filter_map(|e| entry(e, &mut used)).collect();
            out.extend(a.properties.iter().enumerate().filter(|(i, _)| !used[*i]).map(|(_, p)| new_entry(p)));
            Value::Array(out)
        }
        Some(other) if a.properties.is_empty() => other.clone(),
        _ => {
            if a.properties.is_empty() {
                return None;
            }
            let mut out = Map::new();
            for (n, p) in a.properties.iter().enumerate() {
                out.insert(n.to_string(), new_entry(p));
            }
            Value::Object(out)
        }
    };
    Some(out)
}

/// The branch name a Studio branch entry stands for, as the loader reads it.
fn branch_name_of(e: &Value) -> Option<String> {
    let Value::Object(m) = e else { return None };
    let label = match m.get("label") {
        None | Some(Value::Null) => None,
        Some(l) => Some(json_text(l)?),
    };
    let is_default = match m.get("type") {
        Some(Value::String(t)) => t.eq_ignore_ascii_case("default"),
        _ => label.as_ref().is_none_or(|l| l.eq_ignore_ascii_case("default")),
    };
    Some(if is_default { "default".to_owned() } else { normalize_branch(&label?) })
}

/// The target a Studio branch entry names (`None` = not wired), as the loader reads it.
fn branch_target_of(script: &Script, e: &Value) -> Option<String> {
    match e.get("to")? {
        Value::Null => None,
        Value::Number(n) if n.to_string() == "-1" => None,
        Value::String(s) if s == "-1" && script.find("-1").is_none() => None,
        v => json_text(v),
    }
}

/// `branches[id]`: the entries as read (ports, lineType, elbows, labels, tied indexes), with
/// `to` rewritten only where the model's target differs, entries of removed branches dropped
/// and new branches appended.
fn branch_entries(script: &Script, a: &Action, old: Option<&Value>) -> Option<Value> {
    let mut used = vec![false; a.branches.len()];
    let target = |b: &super::model::Branch| target_id(script, b).map(str::to_owned);
    let entry = |e: &Value, used: &mut Vec<bool>| -> Option<Value> {
        let Some(name) = branch_name_of(e) else { return Some(e.clone()) };
        let i = a.branches.iter().enumerate().position(|(i, b)| !used[i] && b.name == name)?;
        used[i] = true;
        let want = target(&a.branches[i]);
        let mut e = e.clone();
        if branch_target_of(script, &e) != want
            && let Value::Object(m) = &mut e
        {
            let to = match &want {
                Some(t) => id_value(m.get("to"), t),
                None if matches!(m.get("to"), Some(Value::String(_))) => json!("-1"),
                None => json!(-1),
            };
            m.insert("to".into(), to);
        }
        Some(e)
    };
    let new_entry = |b: &super::model::Branch, n: usize| {
        let to = target(b).map_or(json!(-1), |t| json!(t));
        let (ty, label) = if b.name == "default" {
            ("default", "Default")
        } else if matches!(a.kind, Kind::Case { .. })
            || matches!(a.kind, Kind::Menu(_)) && super::catalogue::is_digit_string(&b.name)
        {
            // A MENU's digits are cases; its named results (`OnTimeout`) are branches, as
            // Studio writes them.
            ("case", b.name.as_str())
        } else {
            ("branch", b.name.as_str())
        };
        json!({ "to": to, "label": label, "type": ty, "index": n })
    };
    match old {
        Some(Value::Array(entries)) => {
            let mut out: Vec<Value> = entries.iter().filter_map(|e| entry(e, &mut used)).collect();
            let mut next = entries
                .iter()
                .filter_map(|e| e.get("index")?.as_u64())
                .max()
                .map_or(out.len(), |n| n as usize + 1);
            for (i, b) in a.branches.iter().enumerate() {
                if !used[i] {
                    out.push(new_entry(b, next));
                    next += 1;
                }
            }
            Some(Value::Array(out))
        }
        Some(Value::Object(entries)) => {
            let mut out = Map::new();
            for (k, e) in entries {
                if let Some(e) = entry(e, &mut used) {
                    out.insert(k.clone(), e);
                }
            }
            let mut next = entries.len();
            for (i, b) in a.branches.iter().enumerate() {
                if !used[i] {
                    while out.contains_key(&next.to_string()) {
                        next += 1;
                    }
                    out.insert(next.to_string(), new_entry(b, next));
                    next += 1;
                }
            }
            Some(Value::Object(out))
        }
        Some(other) if a.branches.is_empty() => Some(other.clone()),
        _ if a.branches.is_empty() => None,
        _ => Some(Value::Array(a.branches.iter().enumerate().map(|(n, b)| new_entry(b, n)).collect())),
    }
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
