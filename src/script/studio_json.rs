//! CXone Studio JSON (FORMATS §2) → [`RawScript`].
//!
//! Input: the JSON text Studio's script API returns, `{header, actions, properties, branches}`.
//! Output: a [`RawScript`] in which every id, type, property and branch keeps its span in the
//! JSON, or [`LoadErrors`] for syntax and shape errors (each with the JSON's line:column).
//! Semantic checks (dangling targets, duplicate ids, property values, ...) are `build.rs`'s job,
//! shared with the YAML loader.
//!
//! Mapping (docs/studio-json.md):
//! - `header.scriptName` → name, `header.description` → description; the whole header is kept
//!   as read in `studio_header`, the other top-level members in `studio_root`.
//! - `actions["<id>"] = {actionId, name, label, ...}`: the key is the id, `name` the type,
//!   `label` the caption; `recflowConsent` / `recflowAllow` carry recflow's annotations. The
//!   action object, `properties[id]` and `branches[id]` are also kept as read
//!   ([`StudioAction`]) so that export is lossless (`export.rs`).
//! - `properties["<id>"] = {"0": {name, value}, ...}` (an array of `{name, value}` is accepted
//!   too); values are strings or lists; numbers and booleans are taken as their text.
//! - `branches["<id>"] = [{to, label, type, index}, ...]`: `type` `default` → branch `default`;
//!   `case` / `branch` (or any other type) → the `label`; order by `index` (else array order);
//!   `to` of `-1` / `null` = not wired (a
//!   string `"-1"` names an action when one has that id).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::model::{Format, PropValue, ScriptKind, Source, Span, StudioAction, TextMap};
use super::raw::{RawAction, RawAllow, RawBranch, RawProperty, RawScript, Spanned};
use crate::source::json::{self, Json, JsonStr, JsonValue};
use crate::source::{LoadError, LoadErrorKind, LoadErrors};

/// Action field carrying the `consent: {accept: [...]}` annotation (Studio has none).
pub const CONSENT_KEY: &str = "recflowConsent";
/// Action field carrying the `allow: [{rule, reason}]` suppressions.
pub const ALLOW_KEY: &str = "recflowAllow";

pub(crate) fn parse(source: &Source) -> Result<RawScript, LoadErrors> {
    let root = json::parse(&source.text).map_err(|e| {
        let kind = if source.text.trim_start_matches('\u{feff}').trim().is_empty() {
            LoadErrorKind::Empty
        } else {
            LoadErrorKind::Syntax
        };
        LoadError::new(kind, format!("invalid JSON: {}", e.message))
            .with_source(source)
            .with_label(Span::new(e.offset, e.len), "here")
            .with_help("a Studio JSON script is one object: {\"header\": …, \"actions\": …, \"properties\": …, \"branches\": …}")
    })?;
    let mut cx = Cx { source, errors: Vec::new() };
    // Duplicate keys anywhere are refused, as the YAML loader refuses them: JSON leaves their
    // meaning open and a last-wins reading silently drops data (issue 10.11).
    cx.duplicate_keys(&root);
    if !cx.errors.is_empty() {
        return Err(LoadErrors { errors: cx.errors });
    }
    let raw = cx.script(&root);
    if cx.errors.is_empty() { Ok(raw) } else { Err(LoadErrors { errors: cx.errors }) }
}

struct Cx<'a> {
    source: &'a Source,
    errors: Vec<LoadError>,
}

/// An id as a string: `"2"` and `2` are the same id.
fn id_text(v: &Json) -> Option<String> {
    match &v.value {
        JsonValue::Str(s) => Some(s.text.clone()),
        JsonValue::Number(n) => Some(n.clone()),
        _ => None,
    }
}

/// Members of an object keyed `"0"`, `"1"`, ... in numeric key order (file order otherwise).
fn in_key_order(m: &[(JsonStr, Json)]) -> Vec<&Json> {
    let mut v: Vec<(Option<u64>, &Json)> = m.iter().map(|(k, e)| (k.text.parse::<u64>().ok(), e)).collect();
    if v.iter().all(|(k, _)| k.is_some()) {
        v.sort_by_key(|(k, _)| *k);
    }
    v.into_iter().map(|(_, e)| e).collect()
}

impl Cx<'_> {
    fn error(&mut self, kind: LoadErrorKind, span: Span, message: String, label: &str, help: &str) {
        let mut e = LoadError::new(kind, message).with_source(self.source).with_label(span, label);
        if !help.is_empty() {
            e = e.with_help(help);
        }
        self.errors.push(e);
    }

    fn wrong_type(&mut self, v: &Json, what: &str, expected: &str) {
        self.error(
            LoadErrorKind::WrongType,
            v.span,
            format!("{what} must be {expected}, found {}", v.kind_name()),
            &format!("expected {expected}"),
            "",
        );
    }

    fn object<'j>(&mut self, v: &'j Json, what: &str) -> Option<&'j [(JsonStr, Json)]> {
        match &v.value {
            JsonValue::Object(m) => Some(m),
            _ => {
                self.wrong_type(v, what, "an object");
                None
            }
        }
    }

    fn string(&mut self, v: &Json, what: &str) -> Option<Spanned<String>> {
        match &v.value {
            JsonValue::Str(s) => Some(Spanned::new(s.text.clone(), v.span)),
            _ => {
                self.wrong_type(v, what, "a string");
                None
            }
        }
    }

    /// Report a second occurrence of a key that must be unique in its object.
    fn duplicate(&mut self, key: &JsonStr, first: Span, what: &str) {
        let e = LoadError::new(LoadErrorKind::WrongType, format!("{what} `{}` is given twice", key.text))
            .with_source(self.source)
            .with_label(key.span, "second occurrence")
            .with_label(first, "first occurrence")
            .with_help("merge the two entries into one");
        self.errors.push(e);
    }

    /// Report every key given twice in one object, at its second occurrence (the first as a
    /// secondary label). Recursion is bounded by the JSON parser's depth limit.
    fn duplicate_keys(&mut self, v: &Json) {
        match &v.value {
            JsonValue::Object(members) => {
                let mut seen: std::collections::HashMap<&str, Span> = std::collections::HashMap::new();
                for (k, child) in members {
                    match seen.get(k.text.as_str()) {
                        Some(&first) => {
                            let e = LoadError::new(
                                LoadErrorKind::Syntax,
                                format!("duplicate key `{}` in a JSON object", k.text),
                            )
                            .with_source(self.source)
                            .with_label(k.span, "given again here")
                            .with_label(first, "first given here")
                            .with_help("give each key once: which of the two values is meant is not defined");
                            self.errors.push(e);
                        }
                        None => {
                            seen.insert(&k.text, k.span);
                        }
                    }
                    self.duplicate_keys(child);
                }
            }
            JsonValue::Array(items) => items.iter().for_each(|i| self.duplicate_keys(i)),
            _ => {}
        }
    }

    fn script(&mut self, root: &Json) -> RawScript {
        let mut raw = RawScript {
            source: self.source.clone(),
            format: Format::StudioJson,
            name: None,
            description: None,
            actions: Vec::new(),
            studio_header: None,
            studio_root: None,
            studio_patch: None,
            kind: Default::default(),
            actions_span: Span::new(root.span.offset, 1.min(root.span.len)),
        };
        let Some(members) = self.object(root, "a Studio JSON script") else { return raw };
        let (mut header, mut actions, mut properties, mut branches) = (None, None, None, None);
        // Every top-level member in order; the four sections are placeholders (their content
        // lives in the model), kept as read when they are not objects (`"properties": null`).
        let mut top = Map::new();
        for (k, v) in members {
            let slot = match k.text.as_str() {
                "header" => &mut header,
                "actions" => &mut actions,
                "properties" => &mut properties,
                "branches" => &mut branches,
                _ => {
                    top.insert(k.text.clone(), v.to_serde());
                    continue;
                }
            };
            let placeholder = match v.value {
                JsonValue::Object(_) => Value::Object(Map::new()),
                _ => v.to_serde(),
            };
            top.entry(k.text.clone()).or_insert(placeholder);
            if let Some((first, _)) = slot.replace((k, v)) {
                let first: &JsonStr = first;
                self.duplicate(k, first.span, "top-level key");
            }
        }

        let mut header_map = Map::new();
        if let Some((_, h)) = header
            && let Some(fields) = self.object(h, "`header`")
        {
            for (k, v) in fields {
                header_map.insert(k.text.clone(), v.to_serde());
                match k.text.as_str() {
                    // Blank name / description count as absent (the name then is the file stem).
                    "scriptName" => {
                        raw.name =
                            self.string(v, "`header.scriptName`").filter(|s| !s.value.trim().is_empty())
                    }
                    "description" => match &v.value {
                        JsonValue::Null => {}
                        _ => {
                            raw.description = self
                                .string(v, "`header.description`")
                                .map(|s| s.value)
                                .filter(|d| !d.trim().is_empty())
                        }
                    },
                    _ => {}
                }
            }
        }
        if header.is_some() {
            raw.kind = kind_of_header(&header_map);
            raw.studio_header = Some(header_map);
        }
        raw.studio_root = Some(top);

        let Some((akey, actions)) = actions else {
            self.error(
                LoadErrorKind::WrongType,
                raw.actions_span,
                "a Studio JSON script needs an `actions` object".into(),
                "no `actions` in this object",
                "add \"actions\": {\"1\": {\"actionId\": \"1\", \"name\": \"BEGIN\"}, …}",
            );
            return raw;
        };
        raw.actions_span = akey.span;
        let Some(actions) = self.object(actions, "`actions`") else { return raw };
        for (k, v) in actions {
            if let Some(a) = self.action(k, v) {
                raw.actions.push(a);
            }
        }

        // Action id → index (the first action with that id; `build` reports duplicates).
        let mut index: BTreeMap<String, usize> = BTreeMap::new();
        for (i, a) in raw.actions.iter().enumerate() {
            index.entry(a.id.value.clone()).or_insert(i);
        }
        if let Some((_, props)) = properties
            && !matches!(props.value, JsonValue::Null)
            && let Some(props) = self.object(props, "`properties`")
        {
            let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
            for (k, v) in props {
                if let Some(&first) = seen.get(k.text.as_str()) {
                    self.duplicate(k, first, "properties of action");
                    continue;
                }
                seen.insert(&k.text, k.span);
                let list = self.properties(v);
                match index.get(&k.text) {
                    Some(&i) => {
                        raw.actions[i].properties = list;
                        if let Some(st) = raw.actions[i].studio.as_mut() {
                            st.properties = Some(v.to_serde());
                        }
                    }
                    None => self.error(
                        LoadErrorKind::UnknownKey,
                        k.span,
                        format!("`properties` names action `{}`, which is not in `actions`", k.text),
                        "no such action",
                        "properties are keyed by action id; check the id or add the action",
                    ),
                }
            }
        }

        if let Some((_, brs)) = branches
            && !matches!(brs.value, JsonValue::Null)
            && let Some(brs) = self.object(brs, "`branches`")
        {
            let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
            // A string "-1" is an id when an action has that id, else "not wired".
            let minus_one_is_id = index.contains_key("-1");
            for (k, v) in brs {
                if let Some(&first) = seen.get(k.text.as_str()) {
                    self.duplicate(k, first, "branches of action");
                    continue;
                }
                seen.insert(&k.text, k.span);
                let list = self.branches(v, minus_one_is_id);
                match index.get(&k.text) {
                    Some(&i) => {
                        raw.actions[i].branches = list;
                        if let Some(st) = raw.actions[i].studio.as_mut() {
                            st.branches = Some(v.to_serde());
                        }
                    }
                    None => self.error(
                        LoadErrorKind::InvalidBranch,
                        k.span,
                        format!("`branches` names action `{}`, which is not in `actions`", k.text),
                        "no such action",
                        "branches are keyed by the id of the action they leave; check the id",
                    ),
                }
            }
        }
        raw
    }

    fn action(&mut self, key: &JsonStr, v: &Json) -> Option<RawAction> {
        let fields = self.object(v, &format!("action `{}`", key.text))?;
        if key.text.trim().is_empty() {
            self.error(
                LoadErrorKind::WrongType,
                key.span,
                "an action id is empty".into(),
                "empty id",
                "key each action by its id, e.g. \"2\": {\"actionId\": \"2\", …}",
            );
            return None;
        }
        let id = Spanned::new(key.text.clone(), key.span);
        let mut type_name = None;
        let mut label = None;
        let mut consent = None;
        let mut allow = Vec::new();
        for (k, f) in fields {
            match k.text.as_str() {
                "actionId" => match id_text(f) {
                    Some(aid) if aid == key.text => {}
                    Some(aid) => self.error(
                        LoadErrorKind::WrongType,
                        f.span,
                        format!("`actionId` is `{aid}` but the action is listed under `{}`", key.text),
                        "does not match the key",
                        "an action's `actionId` must equal its key in `actions`",
                    ),
                    None => self.wrong_type(f, "`actionId`", "a string or a number"),
                },
                "name" => type_name = self.string(f, "the action `name` (its type)"),
                // Studio exports often carry `"label": ""`: no caption.
                "label" => match &f.value {
                    JsonValue::Null => {}
                    // Studio writes `0` for some blank captions: a number is its text.
                    _ => match id_text(f) {
                        Some(l) => label = Some(l).filter(|l| !l.trim().is_empty()),
                        None => self.wrong_type(f, "`label`", "a string"),
                    },
                },
                CONSENT_KEY => consent = self.consent(f),
                ALLOW_KEY => allow = self.allow(f),
                _ => {}
            }
        }
        let type_name = match type_name {
            Some(t) if t.value.trim().is_empty() => {
                self.error(
                    LoadErrorKind::WrongType,
                    t.span,
                    format!("action `{}` has an empty `name` (its type)", key.text),
                    "empty value",
                    "give the action type, e.g. \"name\": \"MENU\"",
                );
                return None;
            }
            t => t,
        };
        let Some(type_name) = type_name else {
            self.error(
                LoadErrorKind::WrongType,
                key.span,
                format!("action `{}` has no `name` (its type, e.g. \"MENU\")", key.text),
                "this action",
                "add \"name\": \"<ACTION TYPE>\"",
            );
            return None;
        };
        Some(RawAction {
            id,
            span: v.span,
            type_name,
            label,
            properties: Vec::new(),
            branches: Vec::new(),
            consent,
            allow,
            studio: Some(Box::new(StudioAction {
                action: match v.to_serde() {
                    Value::Object(m) => m,
                    _ => Map::new(),
                },
                properties: None,
                branches: None,
                action_patch: None,
            })),
        })
    }

    fn consent(&mut self, v: &Json) -> Option<Spanned<Vec<String>>> {
        let fields = self.object(v, &format!("`{CONSENT_KEY}`"))?;
        let mut accept = None;
        for (k, f) in fields {
            if k.text != "accept" {
                self.error(
                    LoadErrorKind::UnknownKey,
                    k.span,
                    format!("unknown key `{}` in `{CONSENT_KEY}`", k.text),
                    "unknown key",
                    "the consent annotation has one key: \"accept\": [\"1\"]",
                );
                continue;
            }
            let JsonValue::Array(items) = &f.value else {
                self.wrong_type(f, "`accept`", "an array of digit strings");
                continue;
            };
            let mut list = Vec::new();
            for it in items {
                match id_text(it) {
                    Some(s) => list.push(s),
                    None => self.wrong_type(it, "an `accept` entry", "a string"),
                }
            }
            accept = Some(list);
        }
        match accept {
            Some(list) => Some(Spanned::new(list, v.span)),
            None => {
                self.wrong_type(v, &format!("`{CONSENT_KEY}`"), "an object with `accept`");
                None
            }
        }
    }

    fn allow(&mut self, v: &Json) -> Vec<RawAllow> {
        let JsonValue::Array(items) = &v.value else {
            self.wrong_type(v, &format!("`{ALLOW_KEY}`"), "an array of {\"rule\", \"reason\"} objects");
            return Vec::new();
        };
        let mut out = Vec::new();
        for it in items {
            let Some(fields) = self.object(it, "an allow entry") else { continue };
            let (mut rule, mut reason) = (None, None);
            for (k, f) in fields {
                match k.text.as_str() {
                    "rule" => rule = self.string(f, "`rule`"),
                    "reason" => reason = self.string(f, "`reason`").filter(|r| !r.value.trim().is_empty()),
                    _ => self.error(
                        LoadErrorKind::UnknownKey,
                        k.span,
                        format!("unknown key `{}` in an allow entry", k.text),
                        "unknown key",
                        "an allow entry is {\"rule\": \"C001\", \"reason\": \"why\"}",
                    ),
                }
            }
            match rule {
                Some(rule) => out.push(RawAllow { rule, reason, span: it.span }),
                None => self.wrong_type(it, "an allow entry", "an object with `rule`"),
            }
        }
        out
    }

    fn properties(&mut self, v: &Json) -> Vec<RawProperty> {
        let entries: Vec<&Json> = match &v.value {
            JsonValue::Object(m) => in_key_order(m),
            JsonValue::Array(items) => items.iter().collect(),
            JsonValue::Null => return Vec::new(),
            _ => {
                self.wrong_type(v, "an action's properties", "an object {\"0\": {\"name\", \"value\"}, …}");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for e in entries {
            let Some(fields) = self.object(e, "a property") else { continue };
            let (mut name, mut value) = (None, None);
            for (k, f) in fields {
                match k.text.as_str() {
                    "name" => name = self.string(f, "a property `name`"),
                    "value" => value = Some(f),
                    // Studio exports carry more per-property fields; they do not affect the flow.
                    _ => {}
                }
            }
            let Some(name) = name else {
                // Studio exports carry empty entries (`"6": {}`) for properties left blank.
                let blank = value.is_none_or(|v| match &v.value {
                    JsonValue::Null => true,
                    JsonValue::Str(s) => s.text.is_empty(),
                    _ => false,
                });
                if !blank {
                    self.wrong_type(e, "a property", "an object with `name` and `value`");
                }
                continue;
            };
            let Some(value) = value else {
                out.push(RawProperty {
                    name,
                    value: PropValue::Text(String::new()),
                    span: e.span,
                    map: TextMap::verbatim(e.span.offset),
                });
                continue;
            };
            if let Some((pv, map)) = self.prop_value(value, &name.value) {
                out.push(RawProperty { name, value: pv, span: value.span, map });
            }
        }
        out
    }

    fn prop_value(&mut self, v: &Json, name: &str) -> Option<(PropValue, TextMap)> {
        let scalar = |v: &Json| -> Option<(String, TextMap)> {
            match &v.value {
                JsonValue::Str(s) => Some((s.text.clone(), s.map.clone())),
                JsonValue::Number(n) => Some((n.clone(), TextMap::verbatim(v.span.offset))),
                JsonValue::Bool(b) => {
                    Some((if *b { "True" } else { "False" }.into(), TextMap::verbatim(v.span.offset)))
                }
                JsonValue::Null => Some((String::new(), TextMap::verbatim(v.span.offset))),
                _ => None,
            }
        };
        if let Some((text, map)) = scalar(v) {
            return Some((PropValue::Text(text), map));
        }
        if let JsonValue::Array(items) = &v.value {
            let mut list = Vec::new();
            for it in items {
                match scalar(it) {
                    Some((t, _)) => list.push(t),
                    None => {
                        self.wrong_type(it, &format!("an item of property `{name}`"), "a string");
                        return None;
                    }
                }
            }
            return Some((PropValue::List(list), TextMap::verbatim(v.span.offset)));
        }
        self.wrong_type(v, &format!("property `{name}`"), "a string or a list of strings");
        None
    }

    fn branches(&mut self, v: &Json, minus_one_is_id: bool) -> Vec<RawBranch> {
        let mut entries: Vec<&Json> = match &v.value {
            JsonValue::Array(items) => items.iter().collect(),
            JsonValue::Object(m) => in_key_order(m),
            JsonValue::Null => return Vec::new(),
            _ => {
                self.wrong_type(
                    v,
                    "an action's branches",
                    "an array of {\"to\", \"label\", \"type\"} objects",
                );
                return Vec::new();
            }
        };
        // Studio's branch order is `index`; when every branch has a numeric one, follow it.
        let index = |e: &Json| match &e.value {
            JsonValue::Object(m) => {
                m.iter().find(|(k, _)| k.text == "index").and_then(|(_, v)| match &v.value {
                    JsonValue::Number(n) => n.parse::<i64>().ok(),
                    _ => None,
                })
            }
            _ => None,
        };
        if entries.iter().all(|e| index(e).is_some()) {
            entries.sort_by_key(|e| index(e));
        }
        let mut out = Vec::new();
        for e in entries {
            let Some(fields) = self.object(e, "a branch") else { continue };
            let (mut to, mut label, mut ty) = (None, None, None);
            for (k, f) in fields {
                match k.text.as_str() {
                    "to" => to = Some(f),
                    "label" => label = Some(f),
                    "type" => ty = Some(f),
                    _ => {} // `index` and layout fields: order is the array order.
                }
            }
            let ty = match ty {
                Some(t) if !matches!(t.value, JsonValue::Null) => self.string(t, "a branch `type`"),
                _ => None,
            };
            let label = match label {
                Some(l) => match &l.value {
                    JsonValue::Null => None,
                    _ => match id_text(l) {
                        Some(s) => Some(Spanned::new(s, l.span)),
                        None => {
                            self.wrong_type(l, "a branch `label`", "a string");
                            continue;
                        }
                    },
                },
                None => None,
            };
            let is_default = match &ty {
                Some(t) => t.value.eq_ignore_ascii_case("default"),
                None => label.as_ref().is_none_or(|l| l.value.eq_ignore_ascii_case("default")),
            };
            let name = if is_default {
                let span = ty.as_ref().or(label.as_ref()).map_or(e.span, |s| s.span);
                Spanned::new("default".to_owned(), span)
            } else {
                match label {
                    Some(l) => l,
                    None => {
                        self.error(
                            LoadErrorKind::WrongType,
                            e.span,
                            "a `case` / `branch` branch needs a `label` (the digit, CASE value or result name)"
                                .into(),
                            "no `label`",
                            "e.g. {\"to\": \"5\", \"label\": \"1\", \"type\": \"case\", \"index\": 1}",
                        );
                        continue;
                    }
                }
            };
            let target = match to {
                None => {
                    self.error(
                        LoadErrorKind::WrongType,
                        e.span,
                        "a branch needs `to` (the target action id, or -1 when not wired)".into(),
                        "no `to`",
                        "",
                    );
                    continue;
                }
                Some(t) => match &t.value {
                    JsonValue::Null => None,
                    JsonValue::Number(n) if n == "-1" => None,
                    JsonValue::Str(s) if s.text == "-1" && !minus_one_is_id => None,
                    _ => match id_text(t) {
                        Some(s) => Some(Spanned::new(s, t.span)),
                        None => {
                            self.wrong_type(t, "a branch `to`", "an action id (string or number) or -1");
                            continue;
                        }
                    },
                },
            };
            out.push(RawBranch { name, target });
        }
        out
    }
}

/// The script kind from a Studio header: `mediaTypeName` when it is a non-blank string, else
/// the name of a known `mediaType` number (a number or a numeric string); `purposeType` as
/// written. Anything else (null, an unknown number) says nothing: the script counts as a
/// phone script, the conservative reading (every recording rule applies).
pub(crate) fn kind_of_header(h: &Map<String, serde_json::Value>) -> ScriptKind {
    use Value as V;
    let text = |k: &str| match h.get(k) {
        Some(V::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    let number = match h.get("mediaType") {
        Some(V::Number(n)) => n.as_i64(),
        Some(V::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    let media = text("mediaTypeName")
        .map(|s| ScriptKind::normalize(&s))
        .or_else(|| number.and_then(ScriptKind::media_name).map(str::to_string));
    ScriptKind { media, purpose: text("purposeType") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Result<RawScript, LoadErrors> {
        parse(&Source::new("t.json", text))
    }

    #[test]
    fn maps_the_studio_shape() {
        let t = r#"{"header": {"scriptName": "s", "version": 3},
  "actions": {"1": {"actionId": 1, "name": "BEGIN", "x": 10, "y": 20, "libraryId": 7},
              "2": {"actionId": "2", "name": "MENU", "label": "Consent", "recflowConsent": {"accept": ["1"]}}},
  "properties": {"2": {"0": {"name": "Phrase", "value": "Press\n1"}, "1": {"name": "Parameters", "value": ["a", 2]}}},
  "branches": {"1": [{"to": "2", "label": "Default", "type": "default", "index": 0}],
               "2": [{"to": -1, "label": "1", "type": "case", "index": 0}, {"to": 1, "label": "Default", "type": "default"}]},
  "extra": true}"#;
        let r = raw(t).unwrap();
        assert_eq!(r.name.as_ref().unwrap().value, "s");
        let h = r.studio_header.as_ref().unwrap();
        assert_eq!(h["version"], 3);
        assert_eq!(r.studio_root.as_ref().unwrap()["extra"], true);
        assert_eq!(r.actions.len(), 2);
        let a1 = &r.actions[0];
        assert_eq!(a1.id.value, "1");
        assert_eq!(a1.studio.as_ref().unwrap().action["libraryId"], 7);
        let a2 = &r.actions[1];
        assert_eq!(a2.label.as_deref(), Some("Consent"));
        assert_eq!(a2.consent.as_ref().unwrap().value, vec!["1".to_string()]);
        assert_eq!(a2.properties[0].value, PropValue::Text("Press\n1".into()));
        assert_eq!(a2.properties[1].value, PropValue::List(vec!["a".into(), "2".into()]));
        assert_eq!(a2.branches[0].name.value, "1");
        assert!(a2.branches[0].target.is_none());
        assert_eq!(a2.branches[1].name.value, "default");
        assert_eq!(a2.branches[1].target.as_ref().unwrap().value, "1");
        // Spans point into the JSON.
        let s = a2.type_name.span;
        assert_eq!(&t[s.offset..s.end()], "\"MENU\"");
    }

    #[test]
    fn order_follows_index_and_numeric_keys() {
        let t = r#"{"header": {"scriptName": "s"},
  "actions": {"1": {"name": "MENU"}},
  "properties": {"1": {"1": {"name": "B", "value": "b"}, "0": {"name": "A", "value": "a"}}},
  "branches": {"1": [{"to": -1, "label": "2", "type": "case", "index": 1},
                     {"to": -1, "label": "1", "type": "case", "index": 0}]}}"#;
        let r = raw(t).unwrap();
        let names: Vec<&str> = r.actions[0].properties.iter().map(|p| p.name.value.as_str()).collect();
        assert_eq!(names, ["A", "B"]);
        let br: Vec<&str> = r.actions[0].branches.iter().map(|b| b.name.value.as_str()).collect();
        assert_eq!(br, ["1", "2"]);
    }

    #[test]
    fn shape_errors_point_at_the_json() {
        let t = "{\"header\": {\"scriptName\": 5},\n \"actions\": {\"1\": {\"name\": \"BEGIN\"}},\n \"branches\": {\"9\": []}}";
        let e = raw(t).unwrap_err();
        let locs: Vec<String> = e.errors.iter().map(|e| e.location()).collect();
        assert_eq!(locs, ["t.json:1:27", "t.json:3:15"]);
    }

    #[test]
    fn syntax_error_location() {
        let e = raw("{\n  \"actions\": {\n    \"1\": {\"name\": \"BEGIN\",}\n  }\n}").unwrap_err();
        assert_eq!(e.errors[0].kind, LoadErrorKind::Syntax);
        assert_eq!(e.errors[0].location(), "t.json:3:27");
        assert_eq!(raw("  \n").unwrap_err().errors[0].kind, LoadErrorKind::Empty);
    }
}
