//! YAML text → a generic spanned node tree, shared by every YAML loader.
//!
//! Input: a [`Source`] and a [`Profile`]. Output: the root [`Node`] (every node keeps the byte
//! span where it is used and where it is defined) or one `load::syntax` [`LoadError`] labelled
//! at the parser's line:column.
//!
//! Both the script loader (`script/yaml.rs`, profile [`Profile::Script`]) and the tenant /
//! traffic loaders (`model/node.rs` → `tenant.rs`, `traffic.rs`, `check.rs`, profile
//! [`Profile::Config`]) use it. serde-saphyr only builds this tree; the loaders walk it so they
//! can report every problem of a file at its own location (typed `#[derive(Deserialize)]`
//! structs stop at the first error and lose spans inside flatten/untagged).
//!
//! The profiles differ where the file kinds really differ: budgets (scripts are large, config
//! files are small), scalar resolution (config files keep `007` a string and only `true` /
//! `false` booleans, pass duplicate keys and `.inf` through to the validator), the wording of
//! syntax errors, and whether flow collections get their whole `{...}` / `[...]` span. The
//! tree's depth is bounded by serde-saphyr's budget (`max_depth`), so the builder's recursion
//! and the loaders' recursion over the tree are bounded too.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, NonFiniteFloatPolicy};

use super::error::{LoadError, LoadErrorKind};
use super::span::{Source, Span};

// The script budgets, shared with the Studio JSON parser (`source::json`): one budget for both
// formats (issue 21, F07).
use super::{SCRIPT_MAX_DEPTH, SCRIPT_MAX_NODES};
/// Script alias expansion budget (billion-laughs protection): events replayed from aliases.
const SCRIPT_MAX_REPLAYED_EVENTS: usize = 100_000;

/// Deepest nesting accepted in a tenant / traffic file. The deepest real key is four levels
/// down (`recording_policies[0].match.skills[0]`), so this is generous.
pub(crate) const CONFIG_MAX_DEPTH: usize = 24;
/// Tenant / traffic node budget: room for 40 000 ANI and 40 000 DNIS weights (two nodes each).
pub(crate) const CONFIG_MAX_NODES: usize = 200_000;
/// Tenant / traffic event budget (every scalar, start and end of a collection is an event).
const CONFIG_MAX_EVENTS: usize = 1_000_000;
/// Tenant / traffic alias budgets (billion-laughs protection).
const CONFIG_MAX_ALIASES: usize = 1_000;
const CONFIG_MAX_REPLAYED_EVENTS: usize = 20_000;

/// Which kind of file is parsed: selects budgets, scalar rules and error wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Profile {
    /// A native YAML script (FORMATS §1).
    Script,
    /// A tenant or traffic file.
    Config,
}

/// One YAML node with its span (where it is referenced; for an alias, the `*name` token).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    pub value: Value,
    pub span: Span,
    /// Where the value is defined (differs from `span` for aliases); used to read the text
    /// of scalars exactly as written (`+15550100`, `007`, `on`).
    pub defined: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in file order; duplicate keys are kept when the profile passes them through.
    Map(Vec<(Node, Node)>),
}

/// Parse `source` into a node tree with `profile`'s budget and scalar rules; syntax errors
/// and budget breaches become one `load::syntax` error.
pub(crate) fn parse(source: &Source, profile: Profile) -> Result<Node, LoadError> {
    let text: &str = &source.text;
    let mut root = serde_saphyr::from_str_with_options::<Node>(text, options(profile))
        .map_err(|e| syntax_error(source, &e, profile))?;
    if profile == Profile::Config {
        widen_flow_spans(&mut root, text);
    }
    Ok(root)
}

fn options(profile: Profile) -> serde_saphyr::Options {
    match profile {
        Profile::Script => serde_saphyr::options! {
            budget: serde_saphyr::budget! {
                max_depth: SCRIPT_MAX_DEPTH,
                max_nodes: SCRIPT_MAX_NODES,
                max_events: 4 * SCRIPT_MAX_NODES,
                max_documents: 1,
            },
            alias_limits: serde_saphyr::alias_limits! {
                max_total_replayed_events: SCRIPT_MAX_REPLAYED_EVENTS,
                max_replay_stack_depth: 16,
            },
            with_snippet: false,
        },
        Profile::Config => {
            let mut alias_limits = serde_saphyr::options::AliasLimits::default();
            alias_limits.max_total_replayed_events = CONFIG_MAX_REPLAYED_EVENTS;
            alias_limits.max_replay_stack_depth = 16;
            alias_limits.max_alias_expansions_per_anchor = 1_000;
            serde_saphyr::options! {
                budget: serde_saphyr::budget! {
                    max_depth: CONFIG_MAX_DEPTH,
                    flow_nesting_limit: CONFIG_MAX_DEPTH,
                    max_aliases: CONFIG_MAX_ALIASES,
                    max_anchors: CONFIG_MAX_ALIASES,
                    max_nodes: CONFIG_MAX_NODES,
                    max_events: CONFIG_MAX_EVENTS,
                    max_documents: 1,
                },
                alias_limits: alias_limits,
                duplicate_keys: DuplicateKeyPolicy::PassThrough,
                non_finite_float_policy: NonFiniteFloatPolicy::PassThrough,
                leading_zero_numbers_as_strings: true,
                // Only true/false are booleans: a policy named `N` or `Off` stays a string
                // (the validators accept yes/no/on/off where a boolean is expected).
                strict_booleans: true,
                with_snippet: false,
            }
        }
    }
}

/// serde-saphyr gives a collection the span of its start token (`{`, `[`, or empty). Widen flow
/// collections (`{...}`, `[...]`, usually on one line) to their closing bracket so a label
/// underlines the whole value; block collections keep a point span (a label over many lines
/// helps nobody). The script loader computes extents itself and keeps the start-token spans.
fn widen_flow_spans(node: &mut Node, text: &str) {
    let children: Vec<&mut Node> = match &mut node.value {
        Value::Seq(items) => items.iter_mut().collect(),
        Value::Map(entries) => entries.iter_mut().flat_map(|(k, v)| [k, v]).collect(),
        _ => return,
    };
    let mut end = node.span.offset + 1;
    for c in children {
        widen_flow_spans(c, text);
        end = end.max(c.span.end());
    }
    if node.span.len > 1 {
        return;
    }
    let close = match text.as_bytes().get(node.span.offset) {
        Some(b'{') => b'}',
        Some(b'[') => b']',
        _ => return,
    };
    // Skip whitespace, commas and comments up to the closing bracket (quotes end every child
    // scalar's span, so only this punctuation can separate the last child from it).
    let bytes = text.as_bytes();
    let mut i = end.min(bytes.len());
    while i < bytes.len()
        && (bytes[i].is_ascii_whitespace() || bytes[i] == b',' || bytes[i] == b'"' || bytes[i] == b'\'')
    {
        i += 1;
    }
    if bytes.get(i) == Some(&close) {
        node.span.len = i + 1 - node.span.offset;
    }
}

/// A serde-saphyr error as a `load::syntax` [`LoadError`] labelled at its location.
fn syntax_error(source: &Source, e: &serde_saphyr::Error, profile: Profile) -> LoadError {
    match profile {
        Profile::Script => {
            let full = e.to_string();
            let message = strip_location(&full).trim();
            let (message, limit) = friendly_script_message(message);
            let offset = e.location().and_then(|l| script_location_offset(source, &l)).unwrap_or(0);
            let help = if limit {
                "the file exceeds recflow's structure limits (nesting depth, node count, alias \
                 expansion, one document per file); a Studio script never needs that much: check \
                 the file is the script you meant"
            } else {
                "fix the YAML syntax here (FORMATS §1 shows the script format; \
                 `docs/script-format.md` has the details)"
            };
            LoadError::new(LoadErrorKind::Syntax, format!("invalid YAML: {message}"))
                .with_source(source)
                .with_label(Span::new(offset.min(source.text.len()), 0), "here")
                .with_help(help)
        }
        Profile::Config => {
            let e = e.without_snippet();
            let full = e.to_string();
            let message = strip_location(&full);
            let span = e.location().map_or(Span::new(0, 0), |l| config_location_span(source, l));
            // A breached budget is a sentence in the user's terms, not serde-saphyr's
            // `budget breached: Nodes { nodes: 200001 }` (issue 10.11).
            let message = match config_limit_message(message) {
                Some(limit) => format!(
                    "the file is too large for a tenant or traffic file: it has {limit} (see docs/limits.md)"
                ),
                None => format!("YAML syntax error: {message}"),
            };
            LoadError::new(LoadErrorKind::Syntax, message)
                .with_source(source)
                .with_label(span, "here")
                .with_help(
                    "fix the YAML syntax; tenant and traffic files are YAML mappings \
                     (docs/tenant-and-traffic.md)",
                )
        }
    }
}

/// serde-saphyr appends " at line L, column C"; the label shows the place instead.
fn strip_location(full: &str) -> &str {
    full.find(" at line ").map_or(full, |i| &full[..i])
}

/// serde-saphyr's message in script users' terms; `true` when a structure limit was hit.
fn friendly_script_message(message: &str) -> (String, bool) {
    let m = message.trim();
    let lower = m.to_ascii_lowercase();
    let limit = |s: String| (s, true);
    if lower.contains("recursion limit") || lower.contains("depth {") {
        limit(format!("nesting deeper than {SCRIPT_MAX_DEPTH} levels"))
    } else if lower.contains("nodes {") {
        limit(format!("more than {SCRIPT_MAX_NODES} YAML nodes"))
    } else if lower.contains("events {") {
        limit(format!("more than {} YAML events", 4 * SCRIPT_MAX_NODES))
    } else if lower.contains("documents {") {
        ("more than one YAML document (`---`); a file holds one script".to_owned(), false)
    } else if lower.contains("alias replay") || lower.contains("aliases {") || lower.contains("anchors {") {
        limit(format!(
            "aliases expand to more than {SCRIPT_MAX_REPLAYED_EVENTS} YAML events (an alias bomb?)"
        ))
    } else if lower.contains("budget") {
        limit(m.to_owned())
    } else if let Some(i) = m.find(", set DuplicateKeyPolicy") {
        (m[..i].to_owned(), false)
    } else if m.is_empty() {
        ("invalid YAML".to_owned(), false)
    } else {
        (m.to_owned(), false)
    }
}

/// A structure-limit breach of a tenant / traffic file in words (`None`: not a limit).
fn config_limit_message(message: &str) -> Option<String> {
    let lower = message.to_ascii_lowercase();
    Some(if lower.contains("recursion limit") || lower.contains("depth {") {
        format!("nesting deeper than {CONFIG_MAX_DEPTH} levels")
    } else if lower.contains("nodes {") {
        format!("more than {CONFIG_MAX_NODES} YAML nodes (each key, value and list item is one)")
    } else if lower.contains("events {") {
        format!("more than {CONFIG_MAX_EVENTS} YAML events")
    } else if lower.contains("aliases {") || lower.contains("anchors {") {
        format!("more than {CONFIG_MAX_ALIASES} anchors or aliases")
    } else if lower.contains("alias replay") || lower.contains("replay") {
        format!("aliases that expand to more than {CONFIG_MAX_REPLAYED_EVENTS} YAML events (an alias bomb?)")
    } else if lower.contains("budget") {
        "more YAML structure than recflow accepts".to_owned()
    } else {
        return None;
    })
}

/// Byte offset of a serde-saphyr location for a script error (its byte offset, else from
/// line/column counted in characters from the line start; `None` past the end).
fn script_location_offset(source: &Source, loc: &serde_saphyr::Location) -> Option<usize> {
    if let Some(b) = loc.span().byte_offset() {
        return Some((b as usize).min(source.text.len()));
    }
    let (line, col) = (loc.line() as usize, loc.column() as usize);
    if line == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..line {
        start = source.text[start..].find('\n').map(|i| start + i + 1)?;
    }
    let rest = &source.text[start..];
    let within = rest.char_indices().nth(col.saturating_sub(1)).map_or(rest.len(), |(i, _)| i);
    Some(start + within)
}

/// Byte span of a serde-saphyr location for a config error (byte offsets when known, else
/// line/column clamped to the line; the end of the file past the last line).
fn config_location_span(source: &Source, loc: serde_saphyr::Location) -> Span {
    let span = loc.span();
    let text: &str = &source.text;
    if let Some(off) = span.byte_offset() {
        let off = (off as usize).min(text.len());
        let len = span.byte_len().unwrap_or(0) as usize;
        let len = len.min(text.len() - off);
        return Span::new(off, len);
    }
    if loc.line() == 0 {
        return Span::new(0, 0);
    }
    // Fall back to line / column (1-based, characters).
    let mut off = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == loc.line() as usize {
            let col = (loc.column() as usize).saturating_sub(1);
            let within = line.char_indices().nth(col).map_or(line.len(), |(b, _)| b);
            return Span::new(off + within, 0);
        }
        off += line.len();
    }
    Span::new(text.len(), 0)
}

/// Byte span of a node location (empty when serde-saphyr has no byte offsets).
fn span_of(loc: &serde_saphyr::Location) -> Span {
    let s = loc.span();
    match s.byte_offset() {
        Some(o) => Span::new(o as usize, s.byte_len().unwrap_or(0) as usize),
        None => Span::default(),
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<Value>::deserialize(d)?;
        Ok(Node { value: s.value, span: span_of(&s.referenced), defined: span_of(&s.defined) })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    // serde-saphyr's `deserialize_any` only produces i64 / u64 / f64 numbers, so the 128-bit
    // visitors are never reached from this tree; they exist for completeness.
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(i128::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element::<Node>()? {
            items.push(n);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = map.next_key::<Node>()? {
            let v = map.next_value::<Node>()?;
            entries.push((k, v));
        }
        Ok(Value::Map(entries))
    }
}
