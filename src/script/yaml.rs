//! Stage 1a — native YAML (FORMATS §1) → [`RawScript`].
//!
//! Input: the script text. Output: a [`RawScript`] whose every key and value keeps its byte
//! [`Span`], or the syntax / shape errors of the file (YAML syntax, wrong types, unknown or
//! missing keys). Semantic checks (ids, branches, property values) are `build.rs`'s job so
//! that Studio JSON gets the same ones.
//!
//! The shared YAML tree ([`yaml_tree`](crate::source::yaml_tree), profile [`Profile::Script`]) parses the text into
//! spanned [`Node`]s; typed structs with `#[serde(flatten)]` would lose the locations, and we
//! want every scalar's exact source text anyway (`id: 2`, `State: on`, `y:` as a key). The
//! tree's depth is bounded by serde-saphyr's budget (`max_depth`), so our own recursion over it
//! is bounded too.

use super::model::{Format, PropValue, Source, Span, StudioAction, TextMap};
use super::raw::{RawAction, RawAllow, RawBranch, RawProperty, RawScript, Spanned};
use crate::source::yaml_tree::{self, Node, Profile, Value};
use crate::source::{LoadError, LoadErrorKind, LoadErrors, did_you_mean};

pub(crate) const TOP_KEYS: &[&str] = &["script", "description", "media", "purpose", "actions", "studio"];
pub(crate) const ACTION_KEYS: &[&str] =
    &["id", "type", "label", "properties", "branches", "next", "consent", "allow", "studio"];
/// Keys of the top-level `studio:` mapping (Studio JSON header and other top-level members).
const STUDIO_TOP_KEYS: &[&str] =
    &["header", "header_unset", "header_order", "root", "root_unset", "root_order"];
/// Keys of an action's `studio:` mapping (its Studio JSON pieces as read).
const STUDIO_ACTION_KEYS: &[&str] = &["action", "action_unset", "action_order", "properties", "branches"];
const CONSENT_KEYS: &[&str] = &["accept"];
const ALLOW_KEYS: &[&str] = &["rule", "reason"];

/// Parse YAML text into the spanned node tree with the script budget; syntax errors and
/// budget breaches become `load::syntax` errors with the parser's line:column.
pub(crate) fn parse_tree(source: &Source) -> Result<Node, LoadError> {
    yaml_tree::parse(source, Profile::Script)
}

/// Span of a node as referenced (an alias points at `*name`).
fn span(n: &Node) -> Span {
    n.span
}

/// Start and end byte of a node and everything inside it (a collection's own span is only
/// its start; a flow collection's closing bracket is included).
fn extent(n: &Node, src: &str) -> (usize, usize) {
    let s = span(n);
    let (mut lo, mut hi) = (s.offset, s.end());
    let mut widen = |c: &Node| {
        let (a, b) = extent(c, src);
        lo = lo.min(a);
        hi = hi.max(b);
    };
    match &n.value {
        Value::Seq(items) => items.iter().for_each(&mut widen),
        Value::Map(entries) => entries.iter().for_each(|(k, v)| {
            widen(k);
            widen(v);
        }),
        _ => return (lo, hi),
    }
    let close = match (src.as_bytes().get(s.offset), &n.value) {
        (Some(b'['), Value::Seq(_)) => b']',
        (Some(b'{'), Value::Map(_)) => b'}',
        _ => return (lo, hi),
    };
    let rest = src.as_bytes().get(hi..).unwrap_or_default();
    let skip = rest.iter().take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b',')).count();
    if rest.get(skip) == Some(&close) {
        hi += skip + 1;
    }
    (lo, hi)
}

fn full_span(n: &Node, src: &str) -> Span {
    let (a, b) = extent(n, src);
    Span::new(a, b.saturating_sub(a))
}

fn describe(n: &Value) -> &'static str {
    match n {
        Value::Null => "an empty value",
        Value::Bool(_) => "a boolean",
        Value::Int(_) | Value::Float(_) => "a number",
        Value::Str(_) => "a string",
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
    }
}

/// Walks the node tree, collecting every shape error.
struct Walker<'a> {
    source: &'a Source,
    errors: Vec<LoadError>,
}

impl Walker<'_> {
    fn err(&mut self, e: LoadError) {
        self.errors.push(e.with_source(self.source));
    }

    fn wrong_type(&mut self, n: &Node, what: &str, expected: &str) {
        let span = full_span(n, &self.source.text);
        self.err(
            LoadError::new(
                LoadErrorKind::WrongType,
                format!("{what} must be {expected}, found {}", describe(&n.value)),
            )
            .with_label(span, format!("expected {expected}"))
            .with_help(format!("write {what} as {expected} (see docs/script-format.md)")),
        );
    }

    /// Source text of a plain scalar (what the user typed: `2`, `on`, `1.50`), else the decoded
    /// string. Aliases use the anchored definition.
    fn scalar_text(&self, n: &Node) -> Option<String> {
        match &n.value {
            Value::Str(s) => Some(s.clone()),
            Value::Null => {
                let s = n.defined;
                let raw = self.source.text.get(s.offset..s.end()).unwrap_or("");
                // `~` / `null` written out stay as text; an absent value is empty.
                Some(if raw == "~" || raw.eq_ignore_ascii_case("null") {
                    String::new()
                } else {
                    raw.to_owned()
                })
            }
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
                let s = n.defined;
                let raw = self.source.text.get(s.offset..s.end()).map(str::to_owned);
                Some(raw.filter(|r| !r.is_empty()).unwrap_or_else(|| match &n.value {
                    Value::Bool(b) => b.to_string(),
                    Value::Int(i) => i.to_string(),
                    Value::Float(f) => f.to_string(),
                    _ => String::new(),
                }))
            }
            Value::Seq(_) | Value::Map(_) => None,
        }
    }

    fn key_text(&self, k: &Node) -> String {
        self.scalar_text(k).unwrap_or_default()
    }

    /// A required-ish scalar (id, type, label, ...): text and span, or a wrong-type error.
    fn scalar(&mut self, n: &Node, what: &str) -> Option<Spanned<String>> {
        self.scalar_checked(n, what, false)
    }

    /// Like [`Self::scalar`], for values that cannot be empty (`id`, `type`, `script`, `rule`).
    fn required(&mut self, n: &Node, what: &str) -> Option<Spanned<String>> {
        self.scalar_checked(n, what, true)
    }

    fn scalar_checked(&mut self, n: &Node, what: &str, non_empty: bool) -> Option<Spanned<String>> {
        match self.scalar_text(n) {
            Some(t) if !(matches!(n.value, Value::Null) || non_empty && t.trim().is_empty()) => {
                Some(Spanned::new(t, span(n)))
            }
            Some(_) => {
                self.err(
                    LoadError::new(LoadErrorKind::WrongType, format!("{what} is empty"))
                        .with_label(span(n), "empty value")
                        .with_help(format!("give {what} a value")),
                );
                None
            }
            None => {
                self.wrong_type(n, what, "a string");
                None
            }
        }
    }

    fn unknown_key(&mut self, key: &Node, name: &str, place: &str, valid: &[&str]) {
        let mut e = LoadError::new(LoadErrorKind::UnknownKey, format!("unknown key `{name}` in {place}"))
            .with_label(span(key), "not a key recflow knows here");
        let list = valid.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        e = match did_you_mean(name, valid.iter().copied()) {
            Some(m) => e.with_help(format!("did you mean `{m}`? valid keys: {list}")),
            None => e.with_help(format!("valid keys: {list}")),
        };
        self.err(e);
    }

    fn script(&mut self, root: &Node) -> Option<RawScript> {
        let Value::Map(entries) = &root.value else {
            let what = "a script";
            self.wrong_type(root, what, "a mapping with keys `script`, `description` and `actions`");
            return None;
        };
        let mut name = None;
        let mut description = None;
        let mut actions = Vec::new();
        let mut actions_span = None;
        let mut studio_patch = None;
        let (mut media, mut purpose) = (None, None);
        for (k, v) in entries {
            let key = self.key_text(k);
            match key.as_str() {
                "script" => name = self.required(v, "`script` (the script name)"),
                "description" => match &v.value {
                    Value::Null => {}
                    _ => description = self.scalar(v, "`description`").map(|s| s.value),
                },
                // Script kind (issue 11 point 6); blank or null says nothing.
                "media" => match &v.value {
                    Value::Null => {}
                    _ => {
                        media = self
                            .scalar(v, "`media`")
                            .map(|s| s.value)
                            .filter(|s| !s.trim().is_empty())
                            .map(|s| super::model::ScriptKind::normalize(s.trim()))
                    }
                },
                "purpose" => match &v.value {
                    Value::Null => {}
                    _ => {
                        purpose = self
                            .scalar(v, "`purpose`")
                            .map(|s| s.value.trim().to_string())
                            .filter(|s| !s.is_empty())
                    }
                },
                "studio" => studio_patch = self.studio_top(v),
                "actions" => {
                    actions_span = Some(span(k));
                    match &v.value {
                        Value::Seq(items) => {
                            for item in items {
                                if let Some(a) = self.action(item) {
                                    actions.push(a);
                                }
                            }
                        }
                        Value::Null => {}
                        _ => self.wrong_type(v, "`actions`", "a list of actions"),
                    }
                }
                _ => self.unknown_key(k, &key, "the script", TOP_KEYS),
            }
        }
        if name.is_none() && !entries.iter().any(|(k, _)| self.key_text(k) == "script") {
            let first = entries.first().map_or(Span::default(), |(k, _)| span(k));
            self.err(
                LoadError::new(LoadErrorKind::WrongType, "the script has no `script` key (its name)")
                    .with_label(first, "the top-level mapping starts here")
                    .with_help("add `script: <name>` at the top of the file"),
            );
        }
        // The keys win; a kept Studio header fills what they do not say.
        let from_header = studio_patch
            .as_ref()
            .and_then(|p| p.header.as_ref())
            .map(|h| super::studio_json::kind_of_header(&h.set))
            .unwrap_or_default();
        let kind = super::model::ScriptKind {
            media: media.or(from_header.media),
            purpose: purpose.or(from_header.purpose),
        };
        Some(RawScript {
            source: self.source.clone(),
            format: Format::Yaml,
            name,
            description,
            actions,
            studio_header: None,
            studio_root: None,
            studio_patch,
            kind,
            actions_span: actions_span
                .unwrap_or_else(|| entries.first().map_or(Span::default(), |(k, _)| span(k))),
        })
    }

    fn action(&mut self, n: &Node) -> Option<RawAction> {
        let Value::Map(entries) = &n.value else {
            self.wrong_type(n, "an action", "a mapping with `id` and `type`");
            return None;
        };
        let whole = full_span(n, &self.source.text);
        let mut id = None;
        let mut type_name = None;
        let mut label = None;
        let mut properties = Vec::new();
        let mut branches = Vec::new();
        let mut consent = None;
        let mut allow = Vec::new();
        let mut studio = None;
        let mut ok = true;
        for (k, v) in entries {
            let key = self.key_text(k);
            match key.as_str() {
                "id" => {
                    id = self.required(v, "an action `id`");
                    ok &= id.is_some();
                }
                "type" => {
                    type_name = self.required(v, "an action `type`");
                    ok &= type_name.is_some();
                }
                "label" => {
                    if !matches!(v.value, Value::Null) {
                        label = self.scalar(v, "`label`").map(|s| s.value);
                    }
                }
                "properties" => match &v.value {
                    Value::Map(props) => {
                        for (pk, pv) in props {
                            if let Some(p) = self.property(pk, pv) {
                                properties.push(p);
                            }
                        }
                    }
                    Value::Null => {}
                    _ => self.wrong_type(v, "`properties`", "a mapping of property names to values"),
                },
                "branches" => match &v.value {
                    Value::Map(bs) => {
                        for (bk, bv) in bs {
                            if let Some(b) = self.branch(bk, bv) {
                                branches.push(b);
                            }
                        }
                    }
                    Value::Null => {}
                    _ => self.wrong_type(v, "`branches`", "a mapping of branch names to action ids"),
                },
                "next" => {
                    // `next: x` is `branches: {default: x}`, in file order (a clash with
                    // `branches.default` is reported at the later of the two); the name span
                    // is the `next` key.
                    let target = self.target(v);
                    branches.push(RawBranch { name: Spanned::new("default".to_owned(), span(k)), target });
                }
                "consent" => consent = self.consent(v),
                "allow" => allow = self.allow(v),
                "studio" => studio = self.studio_action(v),
                _ => self.unknown_key(k, &key, "an action", ACTION_KEYS),
            }
        }
        let at = entries.first().map_or(whole, |(k, _)| span(k));
        if id.is_none() && !entries.iter().any(|(k, _)| self.key_text(k) == "id") {
            ok = false;
            self.err(
                LoadError::new(LoadErrorKind::WrongType, "action has no `id`")
                    .with_label(at, "this action")
                    .with_help("give every action a unique `id` (a string or an integer)"),
            );
        }
        if type_name.is_none() && !entries.iter().any(|(k, _)| self.key_text(k) == "type") {
            ok = false;
            self.err(
                LoadError::new(LoadErrorKind::WrongType, "action has no `type`")
                    .with_label(id.as_ref().map_or(at, |i| i.span), "this action")
                    .with_help("give every action a Studio `type`, e.g. `type: MENU`"),
            );
        }
        if !ok {
            return None;
        }
        Some(RawAction {
            id: id?,
            span: whole,
            type_name: type_name?,
            label,
            properties,
            branches,
            consent,
            allow,
            studio,
        })
    }

    /// A `studio:` value as JSON (it holds Studio JSON pieces kept for a lossless round trip).
    fn studio_object(&mut self, v: &Node, what: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
        match to_json(v, &self.source.text) {
            serde_json::Value::Object(m) => Some(m),
            serde_json::Value::Null => None,
            _ => {
                self.wrong_type(v, what, "a mapping");
                None
            }
        }
    }

    /// Top-level `studio:` (`header`, `root`, each the changes over a fresh export, with
    /// `header_unset` / `header_order` / `root_unset` / `root_order`; docs/studio-json.md).
    fn studio_top(&mut self, v: &Node) -> Option<Box<super::model::TopPatch>> {
        let mut m = self.studio_object(v, "`studio`")?;
        self.studio_keys(v, &m, STUDIO_TOP_KEYS);
        let header = take_patch(&mut m, "header");
        let root = take_patch(&mut m, "root");
        (header.is_some() || root.is_some()).then(|| Box::new(super::model::TopPatch { header, root }))
    }

    /// An action's `studio:` (`action` as changes over a fresh export, with `action_unset` /
    /// `action_order`; `properties` and `branches` as Studio wrote them).
    fn studio_action(&mut self, v: &Node) -> Option<Box<StudioAction>> {
        let mut m = self.studio_object(v, "an action's `studio`")?;
        self.studio_keys(v, &m, STUDIO_ACTION_KEYS);
        let patch = take_patch(&mut m, "action").unwrap_or_default();
        Some(Box::new(StudioAction {
            action: JsonMap::new(),
            properties: m.remove("properties"),
            branches: m.remove("branches"),
            action_patch: Some(patch),
        }))
    }

    fn studio_keys(&mut self, v: &Node, m: &JsonMap, valid: &[&str]) {
        if let Value::Map(entries) = &v.value {
            for (k, _) in entries {
                let key = self.key_text(k);
                if !valid.contains(&key.as_str()) {
                    self.unknown_key(k, &key, "`studio`", valid);
                }
            }
        }
        let _ = m;
    }

    fn property(&mut self, k: &Node, v: &Node) -> Option<RawProperty> {
        let name = Spanned::new(self.key_text(k), span(k));
        let (value, map) = match &v.value {
            Value::Seq(items) => {
                let mut list = Vec::new();
                for item in items {
                    match self.scalar_text(item) {
                        Some(t) => list.push(t),
                        None => {
                            self.wrong_type(
                                item,
                                &format!("an item of property `{}`", name.value),
                                "a string",
                            );
                            return None;
                        }
                    }
                }
                (PropValue::List(list), TextMap::default())
            }
            Value::Map(_) => {
                self.wrong_type(v, &format!("property `{}`", name.value), "a string or a list of strings");
                return None;
            }
            _ => {
                let text = self.scalar_text(v).unwrap_or_default();
                let map = text_map(&self.source.text, v.defined, &text);
                (PropValue::Text(text), map)
            }
        };
        let vspan = match &v.value {
            Value::Seq(_) => full_span(v, &self.source.text),
            // An empty value (`Tooltip:`) points just after the key.
            Value::Null if span(v).len == 0 => Span::new(span(k).end(), 0),
            _ => span(v),
        };
        Some(RawProperty { name, value, span: vspan, map })
    }

    fn target(&mut self, v: &Node) -> Option<Spanned<String>> {
        match &v.value {
            Value::Null => None,
            Value::Seq(_) | Value::Map(_) => {
                self.wrong_type(v, "a branch target", "an action id (or empty for not wired)");
                None
            }
            _ => self.scalar_text(v).map(|t| Spanned::new(t, span(v))),
        }
    }

    fn branch(&mut self, k: &Node, v: &Node) -> Option<RawBranch> {
        if matches!(k.value, Value::Seq(_) | Value::Map(_)) {
            self.wrong_type(k, "a branch name", "a string");
            return None;
        }
        let name = Spanned::new(self.key_text(k), span(k));
        if matches!(v.value, Value::Seq(_) | Value::Map(_)) {
            self.wrong_type(v, &format!("the target of branch `{}`", name.value), "an action id");
            return None;
        }
        let target = self.target(v);
        Some(RawBranch { name, target })
    }

    fn consent(&mut self, v: &Node) -> Option<Spanned<Vec<String>>> {
        let Value::Map(entries) = &v.value else {
            self.wrong_type(v, "`consent`", "a mapping like `{accept: [\"1\"]}`");
            return None;
        };
        let mut accept = None;
        for (k, val) in entries {
            let key = self.key_text(k);
            if key != "accept" {
                self.unknown_key(k, &key, "`consent`", CONSENT_KEYS);
                continue;
            }
            match &val.value {
                Value::Seq(items) => {
                    let mut list = Vec::new();
                    for item in items {
                        match item.value {
                            Value::Seq(_) | Value::Map(_) | Value::Null => {
                                self.wrong_type(item, "a `consent.accept` item", "a digit string");
                            }
                            _ => list.extend(self.scalar_text(item)),
                        }
                    }
                    accept = Some(list);
                }
                Value::Map(_) | Value::Null => {
                    self.wrong_type(val, "`consent.accept`", "a list of digit strings");
                }
                _ => accept = self.scalar_text(val).map(|t| vec![t]),
            }
        }
        let Some(accept) = accept else {
            if !entries.iter().any(|(k, _)| self.key_text(k) == "accept") {
                self.err(
                    LoadError::new(LoadErrorKind::WrongType, "`consent` has no `accept` list")
                        .with_label(full_span(v, &self.source.text), "here")
                        .with_help("write `consent: {accept: [\"1\"]}`: the digits that mean yes"),
                );
            }
            return None;
        };
        Some(Spanned::new(accept, full_span(v, &self.source.text)))
    }

    fn allow(&mut self, v: &Node) -> Vec<RawAllow> {
        let Value::Seq(items) = &v.value else {
            if !matches!(v.value, Value::Null) {
                self.wrong_type(v, "`allow`", "a list like `[{rule: C001, reason: \"...\"}]`");
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let Value::Map(entries) = &item.value else {
                self.wrong_type(item, "an `allow` entry", "a mapping `{rule: CODE, reason: \"...\"}`");
                continue;
            };
            let mut rule = None;
            let mut reason = None;
            for (k, val) in entries {
                let key = self.key_text(k);
                match key.as_str() {
                    "rule" => rule = self.required(val, "`allow.rule`"),
                    "reason" => {
                        if !matches!(val.value, Value::Null) {
                            reason = self.scalar(val, "`allow.reason`");
                        }
                    }
                    _ => self.unknown_key(k, &key, "an `allow` entry", ALLOW_KEYS),
                }
            }
            match rule {
                Some(rule) => out.push(RawAllow { rule, reason, span: full_span(item, &self.source.text) }),
                None if !entries.iter().any(|(k, _)| self.key_text(k) == "rule") => self.err(
                    LoadError::new(LoadErrorKind::WrongType, "`allow` entry has no `rule`")
                        .with_label(full_span(item, &self.source.text), "here")
                        .with_help("write `{rule: C001, reason: \"why this is fine\"}`"),
                ),
                None => {}
            }
        }
        out
    }
}

/// The patch `key` of a `studio:` mapping with its `KEY_unset` / `KEY_order` lists (`None` when
/// none of the three is there).
fn take_patch(m: &mut JsonMap, key: &str) -> Option<super::model::StudioPatch> {
    let names = |v: Option<serde_json::Value>| -> Vec<String> {
        match v {
            Some(serde_json::Value::Array(items)) => {
                items.into_iter().filter_map(|i| i.as_str().map(str::to_owned)).collect()
            }
            _ => Vec::new(),
        }
    };
    let set = m.remove(key);
    let unset = m.remove(&format!("{key}_unset"));
    let order = m.remove(&format!("{key}_order"));
    if set.is_none() && unset.is_none() && order.is_none() {
        return None;
    }
    Some(super::model::StudioPatch {
        set: match set {
            Some(serde_json::Value::Object(o)) => o,
            _ => JsonMap::new(),
        },
        unset: names(unset),
        order: names(order),
    })
}

/// Parse native YAML into a [`RawScript`].
type JsonMap = serde_json::Map<String, serde_json::Value>;

/// A YAML node as JSON. `studio:` values are written as JSON flow collections, so every
/// string is quoted and numbers, booleans and nulls read back as themselves.
///
/// A number is read from its text in `source` when that text is a JSON number: `1e400` and
/// integers beyond 64 bits keep their text (issue 21, F10: they came back as `null` / a float).
fn to_json(n: &Node, source: &str) -> serde_json::Value {
    use serde_json::Value as J;
    let token = || {
        let t = source.get(n.span.offset..n.span.end())?.trim();
        let json_number = !t.is_empty()
            && t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
            && crate::source::json::parse(t).is_ok();
        json_number.then(|| crate::source::json::number_value(t))
    };
    match &n.value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => token().unwrap_or_else(|| {
            i64::try_from(*i)
                .map(J::from)
                .or_else(|_| u64::try_from(*i).map(J::from))
                .unwrap_or_else(|_| J::from(*i as f64))
        }),
        Value::Float(f) => {
            token().unwrap_or_else(|| serde_json::Number::from_f64(*f).map_or(J::Null, J::Number))
        }
        Value::Str(s) => J::String(s.clone()),
        Value::Seq(items) => J::Array(items.iter().map(|i| to_json(i, source)).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match &k.value {
                        Value::Str(s) => s.clone(),
                        other => {
                            match to_json(
                                &Node { value: other.clone(), span: k.span, defined: k.defined },
                                source,
                            ) {
                                J::String(s) => s,
                                j => j.to_string(),
                            }
                        }
                    };
                    (key, to_json(v, source))
                })
                .collect(),
        ),
    }
}

pub(crate) fn parse(source: &Source) -> Result<RawScript, LoadErrors> {
    if is_blank(&source.text) {
        return Err(LoadError::new(LoadErrorKind::Empty, format!("`{}` is empty", source.name))
            .with_source(source)
            .with_label(Span::new(0, 0), "no script here")
            .with_help("a script needs at least `script: <name>` and `actions: [...]` (see FORMATS §1)")
            .into());
    }
    let root = parse_tree(source)?;
    let mut w = Walker { source, errors: Vec::new() };
    let raw = w.script(&root);
    match raw {
        Some(raw) if w.errors.is_empty() => Ok(raw),
        _ => Err(super::build::sorted(w.errors)),
    }
}

/// Only whitespace, comments and document markers.
fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

/// Build the [`TextMap`] of a decoded scalar `value` whose source node is at `span`.
///
/// Walks the decoded text and the source text together: equal characters advance both;
/// source-only characters (quotes, indentation, line breaks folded away, block headers) are
/// skipped; an escape sequence in a double-quoted scalar produces one decoded character; a
/// decoded character with no source counterpart (a folded line break) maps to the current
/// source position. A new piece starts wherever the two stop running in parallel.
pub(crate) fn text_map(src: &str, span: Span, value: &str) -> TextMap {
    let Some(raw) = src.get(span.offset..span.end()) else {
        return TextMap::verbatim(span.offset);
    };
    if raw == value {
        return TextMap::verbatim(span.offset);
    }
    let double = raw.starts_with('"');
    let single = raw.starts_with('\'');
    let rb = raw.as_bytes();
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut push = |v: usize, s: usize| {
        let abs = span.offset + s;
        match pieces.last() {
            Some(&(pv, ps)) if ps + (v - pv) == abs => {}
            _ => pieces.push((v, abs)),
        }
    };
    // Byte index into raw, past the opening quote so that `''` pairs stay aligned.
    let mut s = usize::from(double || single);
    for (vi, vc) in value.char_indices() {
        loop {
            let Some(sc) = raw[s..].chars().next() else {
                // Source exhausted: map the rest to the end of the node.
                push(vi, raw.len());
                break;
            };
            if double && sc == '\\' && s + 1 < rb.len() {
                let next = raw[s + 1..].chars().next().unwrap_or(' ');
                if next == '\n' || next == '\r' {
                    // Escaped line break: produces nothing; skip it and the next indentation.
                    s += 1;
                    while s < rb.len() && matches!(rb[s], b'\n' | b'\r' | b' ' | b'\t') {
                        s += 1;
                    }
                    continue;
                }
                let len = match next {
                    'x' => 4,
                    'u' => 6,
                    'U' => 10,
                    _ => 1 + next.len_utf8(),
                };
                push(vi, s);
                s = (s + len).min(raw.len());
                while !raw.is_char_boundary(s) {
                    s += 1;
                }
                break;
            }
            if single && sc == '\'' && rb.get(s + 1) == Some(&b'\'') {
                // `''` is one quote in the value: map it to the pair.
                push(vi, s);
                s += 2;
                break;
            }
            if sc == vc {
                push(vi, s);
                s += sc.len_utf8();
                break;
            }
            if matches!(sc, ' ' | '\t' | '\n' | '\r' | '"' | '\'') {
                s += sc.len_utf8();
                continue;
            }
            // No source counterpart (e.g. a folded line break): map here, keep the source.
            push(vi, s);
            break;
        }
    }
    if pieces.is_empty() {
        pieces.push((0, span.offset));
    }
    TextMap { pieces }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decode `node`'s value through serde-saphyr and check that every byte of `needle` in the
    /// decoded value maps to the same text in the file.
    fn check_map(yaml: &str, needle: &str) {
        let src = Source::new("t.yaml", yaml);
        let root = parse_tree(&src).unwrap();
        let Value::Map(entries) = &root.value else { panic!() };
        let v = &entries[0].1;
        let Value::Str(value) = &v.value else { panic!("not a string: {:?}", v.value) };
        let map = text_map(yaml, v.defined, value);
        let at = value.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {value:?}"));
        let s = map.to_source(at);
        assert_eq!(&yaml[s..s + needle.len()], needle, "value {value:?} map {map:?}");
    }

    #[test]
    fn text_map_plain() {
        check_map("Data: ASSIGN x = 1\n", "x = 1");
    }

    #[test]
    fn text_map_plain_multiline() {
        check_map("Data: ASSIGN x = 1\n  ASSIGN y = 2\n", "ASSIGN y");
    }

    #[test]
    fn text_map_single_quoted() {
        check_map("Data: 'x = ''a'' + b'\n", "+ b");
        check_map("Data: 'z = ''it''''s'' FOO'\n", " FOO");
        check_map("Data: '''x'\n", "x");
        // The second quote of `it''s` maps to the second `''` pair, not inside the first.
        let yaml = "Data: 'z = ''it''''s'''\n";
        let src = Source::new("t.yaml", yaml);
        let root = parse_tree(&src).unwrap();
        let Value::Map(entries) = &root.value else { panic!() };
        let Value::Str(value) = &entries[0].1.value else { panic!() };
        assert_eq!(value, "z = 'it''s'");
        let map = text_map(yaml, entries[0].1.defined, value);
        assert_eq!(map.to_source(8), yaml.find("''''s").unwrap() + 2);
    }

    #[test]
    fn text_map_double_quoted_escapes() {
        check_map("Data: \"a\\tb\\n\\u00e9 = \\\"q\\\" zz\"\n", "zz");
        check_map("Data: \"a\\tb\\n\\u00e9 = \\\"q\\\" zz\"\n", "= ");
    }

    #[test]
    fn text_map_literal_block() {
        let y = "Data: |\n  ASSIGN x = 1\n  IF x > 0 {\n    TRACE x\n  }\nnext: 1\n";
        check_map(y, "TRACE x");
        check_map(y, "IF x > 0");
        check_map(y, "}");
    }

    #[test]
    fn text_map_folded_block() {
        let y = "Data: >\n  ASSIGN x = 1\n  more\n\n  ASSIGN y = 2\n";
        check_map(y, "ASSIGN y = 2");
        check_map(y, "more");
    }
}
