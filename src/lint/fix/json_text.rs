//! Edits → text splices on a CXone Studio JSON script (FORMATS §2), through the spans of the
//! loader's JSON parser.
//!
//! A new action becomes three new members — `actions["<id>"]` (`actionId`, `name`, `label`,
//! `x`/`y` beside the action it belongs with, and the `libraryId` the script already uses for
//! that type, if any), `properties["<id>"]` and `branches["<id>"]` — appended to those objects
//! in the file's own indentation. A rewire replaces one `to` value (or appends a `default`
//! branch object); a property edit replaces one `value`; a removed `recflowAllow` entry takes
//! its own text. Every other byte — unmodelled fields, key order, number spelling, layout —
//! stays as it was, so the fixed file re-imports into Studio like the original.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Edit, NewAction, Splice, Unsupported};
use crate::script::{PropValue, Script, Span};
use crate::source::json::{self, Json, JsonStr, JsonValue};

type Members<'a> = &'a [(JsonStr, Json)];

fn members(v: &Json) -> Option<Members<'_>> {
    match &v.value {
        JsonValue::Object(m) => Some(m),
        _ => None,
    }
}

fn member<'a>(m: Members<'a>, key: &str) -> Option<&'a Json> {
    m.iter().find(|(k, _)| k.text == key).map(|(_, v)| v)
}

fn unsupported(what: impl Into<String>) -> Unsupported {
    Unsupported(what.into())
}

pub(super) fn splices(script: &Script, edits: &[Edit]) -> Result<Vec<Splice>, Unsupported> {
    let text: &str = &script.source.text;
    let root = json::parse(text).map_err(|_| unsupported("the JSON does not parse"))?;
    let top = members(&root).ok_or_else(|| unsupported("not a JSON object"))?;
    let section = |name: &str| member(top, name).ok_or_else(|| unsupported(format!("no `{name}` object")));
    let actions = section("actions")?;
    let mut out = Vec::new();
    // Canvas position of each action (existing, then added), and how many were put beside it.
    let mut pos: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for a in &script.actions {
        let get = |k: &str| a.studio.as_ref().and_then(|s| s.action.get(k)).and_then(Value::as_i64);
        pos.insert(a.id.clone(), (get("x").unwrap_or(0), get("y").unwrap_or(0)));
    }
    let mut beside: BTreeMap<String, i64> = BTreeMap::new();
    let mut new_actions = Vec::new();
    let mut new_props = Vec::new();
    let mut new_branches = Vec::new();
    for e in edits {
        match e {
            Edit::AddAction(n) => {
                let (x, y) = pos.get(&n.near).copied().unwrap_or((0, 0));
                let k = beside.entry(n.near.clone()).or_insert(0);
                *k += 1;
                // To the right of its neighbour, stacked downwards when several share one.
                let at = (x + 240, y + 120 * (*k - 1));
                pos.insert(n.id.clone(), at);
                new_actions.push((n.id.clone(), action_object(script, n, at)));
                if !n.properties.is_empty() {
                    new_props.push((n.id.clone(), properties_object(n)));
                }
                if let Some(next) = &n.next {
                    new_branches.push((
                        n.id.clone(),
                        json!([{"to": next, "label": "Default", "type": "default", "index": 0}]),
                    ));
                }
            }
            Edit::Rewire { action, branch, to } => {
                out.push(rewire(text, section("branches")?, action, branch, to)?)
            }
            Edit::SetProperty { action, name, value } => {
                let p = property(section("properties")?, action, name)?;
                let v = member(members(p).ok_or_else(|| unsupported("property is not an object"))?, "value")
                    .ok_or_else(|| unsupported("property without value"))?;
                out.push(Splice { offset: v.span.offset, len: v.span.len, text: quote(value) });
            }
            Edit::SnippetInsert { action, at, text: ins } => {
                let p = property(section("properties")?, action, "Data")?;
                let v = member(members(p).ok_or_else(|| unsupported("property is not an object"))?, "value")
                    .ok_or_else(|| unsupported("property without value"))?;
                let JsonValue::Str(s) = &v.value else { return Err(unsupported("Data is not a string")) };
                if ins.contains(['"', '\\']) || ins.chars().any(char::is_control) {
                    return Err(unsupported("Snippet text that needs escaping"));
                }
                out.push(Splice { offset: s.map.to_source(*at), len: 0, text: ins.clone() });
            }
            Edit::RemoveAllow { action, index } => {
                let a = member(
                    members(actions).ok_or_else(|| unsupported("`actions` is not an object"))?,
                    action,
                )
                .ok_or_else(|| unsupported(format!("no action `{action}`")))?;
                let am = members(a).ok_or_else(|| unsupported("action is not an object"))?;
                let i = am
                    .iter()
                    .position(|(k, _)| k.text == crate::script::studio_json::ALLOW_KEY)
                    .ok_or_else(|| unsupported("no recflowAllow"))?;
                let JsonValue::Array(items) = &am[i].1.value else {
                    return Err(unsupported("recflowAllow is not an array"));
                };
                if *index >= items.len() {
                    return Err(unsupported("no such allow entry"));
                }
                out.push(if items.len() == 1 {
                    let spans: Vec<Span> = am
                        .iter()
                        .map(|(k, v)| Span::new(k.span.offset, v.span.end() - k.span.offset))
                        .collect();
                    remove_item(&spans, i, a.span)
                } else {
                    remove_item(&items.iter().map(|v| v.span).collect::<Vec<_>>(), *index, am[i].1.span)
                });
            }
        }
    }
    for (container, add) in [("actions", new_actions), ("properties", new_props), ("branches", new_branches)]
    {
        if add.is_empty() {
            continue;
        }
        let obj = section(container)?;
        out.push(append_members(text, obj, &add)?);
    }
    Ok(out)
}

/// `"Data"` → the property object of an action, by (case-insensitive) name.
fn property<'a>(props: &'a Json, action: &str, name: &str) -> Result<&'a Json, Unsupported> {
    let of = member(members(props).ok_or_else(|| unsupported("`properties` is not an object"))?, action)
        .ok_or_else(|| unsupported(format!("no properties for `{action}`")))?;
    let list: Vec<&Json> = match &of.value {
        JsonValue::Object(m) => m.iter().map(|(_, v)| v).collect(),
        JsonValue::Array(items) => items.iter().collect(),
        _ => return Err(unsupported("properties of an action are not an object")),
    };
    list.into_iter()
        .find(|p| {
            members(p)
                .and_then(|m| member(m, "name"))
                .is_some_and(|n| matches!(&n.value, JsonValue::Str(s) if s.text.eq_ignore_ascii_case(name)))
        })
        .ok_or_else(|| unsupported(format!("`{action}` has no property `{name}`")))
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

fn action_object(script: &Script, n: &NewAction, (x, y): (i64, i64)) -> Value {
    let mut o = json!({"actionId": n.id, "name": n.type_name, "label": n.label, "x": x, "y": y});
    // The libraryId this script's Studio already uses for the type, when one action shows it.
    let library = script
        .actions
        .iter()
        .filter(|a| a.kind.canonical_name() == Some(n.type_name.as_str()))
        .find_map(|a| a.studio.as_ref().and_then(|s| s.action.get("libraryId")).cloned());
    if let Some(l) = library {
        o["libraryId"] = l;
    }
    o
}

fn properties_object(n: &NewAction) -> Value {
    let mut m = serde_json::Map::new();
    for (i, (name, v)) in n.properties.iter().enumerate() {
        let value = match v {
            PropValue::Text(t) => json!(t),
            PropValue::List(items) => json!(items),
        };
        m.insert(i.to_string(), json!({"name": name, "value": value}));
    }
    Value::Object(m)
}

fn line_prefix(text: &str, at: usize) -> &str {
    let ls = text[..at].rfind('\n').map_or(0, |i| i + 1);
    &text[ls..at]
}

/// Append `"key": value` members at the end of an object, in its indentation (compact when the
/// object is on one line).
fn append_members(text: &str, obj: &Json, add: &[(String, Value)]) -> Result<Splice, Unsupported> {
    let m = members(obj).ok_or_else(|| unsupported("not an object"))?;
    let pretty = m
        .first()
        .map(|(k, _)| line_prefix(text, k.span.offset))
        .filter(|p| p.chars().all(char::is_whitespace));
    let mut s = String::new();
    for (key, v) in add {
        match pretty {
            Some(ind) => {
                let body = serde_json::to_string_pretty(v)
                    .expect("values serialize")
                    .replace('\n', &format!("\n{ind}"));
                s.push_str(&format!(",\n{ind}{}: {body}", quote(key)));
            }
            None => s.push_str(&format!(
                ", {}: {}",
                quote(key),
                serde_json::to_string(v).expect("values serialize")
            )),
        }
    }
    match m.last() {
        Some((_, last)) => Ok(Splice { offset: last.span.end(), len: 0, text: s }),
        None => {
            // `{}`: the members go inside the braces.
            let s = s.trim_start_matches(',').trim_start().to_string();
            Ok(Splice { offset: obj.span.offset + 1, len: 0, text: s })
        }
    }
}

/// Remove item `i` of a list of sibling spans (members or elements) with one separating comma;
/// the only item leaves its container empty.
fn remove_item(items: &[Span], i: usize, container: Span) -> Splice {
    if i > 0 {
        let start = items[i - 1].end();
        Splice { offset: start, len: items[i].end() - start, text: String::new() }
    } else if items.len() > 1 {
        Splice { offset: items[0].offset, len: items[1].offset - items[0].offset, text: String::new() }
    } else {
        let inner = container.offset + 1;
        Splice { offset: inner, len: container.end().saturating_sub(1) - inner, text: String::new() }
    }
}

fn rewire(text: &str, branches: &Json, action: &str, branch: &str, to: &str) -> Result<Splice, Unsupported> {
    let bm = members(branches).ok_or_else(|| unsupported("`branches` is not an object"))?;
    let Some(list) = member(bm, action) else {
        if branch != "default" {
            return Err(unsupported(format!("`{action}` has no branches")));
        }
        let add = json!([{"to": to, "label": "Default", "type": "default", "index": 0}]);
        return append_members(text, branches, &[(action.to_string(), add)]);
    };
    let JsonValue::Array(items) = &list.value else { return Err(unsupported("branches are not an array")) };
    let name_of = |o: Members| {
        let s = |k| {
            member(o, k).and_then(|v| match &v.value {
                JsonValue::Str(s) => Some(s.text.clone()),
                JsonValue::Number(n) => Some(n.clone()),
                _ => None,
            })
        };
        if s("type").is_some_and(|t| t.eq_ignore_ascii_case("default")) {
            Some("default".to_string())
        } else {
            s("label")
        }
    };
    for it in items {
        let Some(o) = members(it) else { continue };
        if name_of(o).as_deref() != Some(branch) {
            continue;
        }
        let t = member(o, "to").ok_or_else(|| unsupported("branch without `to`"))?;
        // Keep the file's spelling of ids: a number stays a number.
        let v = if matches!(t.value, JsonValue::Number(_)) && to.parse::<u64>().is_ok() {
            to.to_string()
        } else {
            quote(to)
        };
        return Ok(Splice { offset: t.span.offset, len: t.span.len, text: v });
    }
    if branch != "default" {
        return Err(unsupported(format!("`{action}` has no branch `{branch}`")));
    }
    let add = json!({"to": to, "label": "Default", "type": "default", "index": items.len()});
    let ind = items
        .first()
        .map(|f| line_prefix(text, f.span.offset))
        .filter(|p| p.chars().all(char::is_whitespace));
    let body = match ind {
        Some(ind) => format!(
            ",\n{ind}{}",
            serde_json::to_string_pretty(&add).expect("values serialize").replace('\n', &format!("\n{ind}"))
        ),
        None => format!(", {add}"),
    };
    match items.last() {
        Some(last) => Ok(Splice { offset: last.span.end(), len: 0, text: body }),
        None => Ok(Splice { offset: list.span.offset + 1, len: 0, text: add.to_string() }),
    }
}
