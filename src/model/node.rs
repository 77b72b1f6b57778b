//! YAML text → a small spanned node tree, for the tenant and traffic validators.
//!
//! Input: a [`Source`]. Output: the root [`Node`] (every node keeps the byte span of where it
//! is used in the file) or one `load::syntax` [`LoadError`] with file:line:column.
//!
//! Why a generic tree instead of `#[derive(Deserialize)]` structs: the validators want to
//! report *every* problem of a file at once (unknown keys, wrong types, out-of-range numbers),
//! each at its own location, and serde stops at the first error and loses spans inside
//! flatten/untagged. So serde-saphyr only builds this tree (with tight budgets: config files
//! are small, so deep nesting and alias bombs are refused early), and `tenant.rs` /
//! `traffic.rs` walk it.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, NonFiniteFloatPolicy};

use crate::script::model::{Source, Span};
use crate::script::{LoadError, LoadErrorKind};

/// Deepest nesting accepted in a tenant / traffic file. The deepest real key is four levels
/// down (`recording_policies[0].match.skills[0]`), so this is generous; it also bounds the
/// recursion of the tree builder.
pub(crate) const MAX_DEPTH: usize = 24;

/// One YAML node with its span (where it is referenced; for an alias, the `*name` token).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    pub value: Value,
    pub span: Span,
    /// Where the value is defined (differs from `span` for aliases); used to read the text
    /// of plain scalars exactly as written (`+15550100`, `007`).
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
    /// Entries in file order; duplicate keys are kept (the validators report them).
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// What kind of value this is, for "expected X, found Y" messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The text of a scalar used as a name / key / id: strings as they are, numbers as
    /// written in the file (so `+15550100` keeps its `+` and `2` is the id `"2"`).
    /// `None` for null, booleans, lists and mappings.
    pub fn scalar_text(&self, src: &Source) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(raw_text(src, self.defined).unwrap_or_else(|| i.to_string())),
            Value::Float(f) => Some(raw_text(src, self.defined).unwrap_or_else(|| f.to_string())),
            _ => None,
        }
    }

    /// A number (integer or float) as f64.
    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }
}

/// The source text of a plain numeric scalar, if the span covers one.
fn raw_text(src: &Source, span: Span) -> Option<String> {
    let text = src.text.get(span.offset..span.end())?.trim();
    let plain = !text.is_empty()
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.' | '_'));
    plain.then(|| text.to_string())
}

/// Parse `source` into a node tree.
pub(crate) fn parse(source: &Source) -> Result<Node, LoadError> {
    let mut alias_limits = serde_saphyr::options::AliasLimits::default();
    alias_limits.max_total_replayed_events = 20_000;
    alias_limits.max_replay_stack_depth = 16;
    alias_limits.max_alias_expansions_per_anchor = 1_000;
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_nodes: 200_000,
            max_events: 1_000_000,
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
    };
    let text: &str = &source.text;
    if text.trim().is_empty() {
        // An empty file is an empty mapping: every key takes its default.
        return Ok(Node { value: Value::Map(Vec::new()), span: Span::new(0, 0), defined: Span::new(0, 0) });
    }
    let mut root =
        serde_saphyr::from_str_with_options::<Node>(text, options).map_err(|e| syntax_error(source, &e))?;
    widen_flow_spans(&mut root, text);
    Ok(root)
}

/// serde-saphyr gives a collection the span of its start token (`{`, `[`, or empty). Widen flow collections
/// (`{...}`, `[...]`, usually on one line) to their closing bracket so a label underlines the
/// whole value; block collections keep a point span (a label over many lines helps nobody).
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

fn syntax_error(source: &Source, e: &serde_saphyr::Error) -> LoadError {
    let e = e.without_snippet();
    let loc = e.location();
    let mut message = e.to_string();
    // serde-saphyr appends " at line L column C"; the label shows the place instead.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let span = loc.map_or(Span::new(0, 0), |l| location_span(source, l));
    LoadError::new(LoadErrorKind::Syntax, format!("YAML syntax error: {message}"))
        .with_source(source)
        .with_label(span, "here")
        .with_help(
            "fix the YAML syntax; tenant and traffic files are YAML mappings (docs/tenant-and-traffic.md)",
        )
}

/// Byte span of a serde-saphyr location (byte offsets when known, else line/column).
fn location_span(source: &Source, loc: serde_saphyr::Location) -> Span {
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

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<Value>::deserialize(d)?;
        Ok(Node { value: s.value, span: to_span(s.referenced), defined: to_span(s.defined) })
    }
}

fn to_span(loc: serde_saphyr::Location) -> Span {
    let span = loc.span();
    match span.byte_offset() {
        Some(off) => Span::new(off as usize, span.byte_len().unwrap_or(0) as usize),
        None => Span::new(0, 0),
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
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(i128::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Node {
        parse(&Source::new("t.yaml", text)).unwrap()
    }

    #[test]
    fn spans_point_at_scalars_and_keys() {
        let text = "a: 1\nbb: [x, \"y\"]\n";
        let n = p(text);
        let Value::Map(m) = &n.value else { panic!("{n:?}") };
        assert_eq!(m.len(), 2);
        assert_eq!(&text[m[1].0.span.offset..m[1].0.span.end()], "bb");
        let Value::Seq(s) = &m[1].1.value else { panic!() };
        assert_eq!(s[0].value, Value::Str("x".into()));
        assert_eq!(&text[s[0].span.offset..s[0].span.end()], "x");
        assert_eq!(m[0].1.value, Value::Int(1));
        assert_eq!(&text[m[0].1.span.offset..m[0].1.span.end()], "1");
    }

    #[test]
    fn numbers_keep_their_spelling_as_text() {
        let src = Source::new("t.yaml", "a: +15550100\nb: 007\nc: 2\n");
        let n = parse(&src).unwrap();
        let Value::Map(m) = &n.value else { panic!() };
        let texts: Vec<_> = m.iter().map(|(_, v)| v.scalar_text(&src).unwrap()).collect();
        assert_eq!(texts, ["+15550100", "007", "2"]);
    }

    #[test]
    fn flow_collections_span_to_their_closing_bracket() {
        let text = "a: {id: a}\nb: []\nc: [x, \"y\" ]\nd:\n  - 1\n";
        let n = p(text);
        let Value::Map(m) = &n.value else { panic!() };
        let spans: Vec<&str> = m.iter().map(|(_, v)| &text[v.span.offset..v.span.end()]).collect();
        assert_eq!(&spans[..3], ["{id: a}", "[]", "[x, \"y\" ]"]);
        assert_eq!(m[3].1.span.len, 0);
    }

    #[test]
    fn only_true_and_false_are_booleans() {
        let n = p("a: N\nb: yes\nc: true\n");
        let Value::Map(m) = &n.value else { panic!() };
        assert_eq!(m[0].1.value, Value::Str("N".into()));
        assert_eq!(m[1].1.value, Value::Str("yes".into()));
        assert_eq!(m[2].1.value, Value::Bool(true));
    }

    fn syntax(text: &str) -> LoadError {
        let e = parse(&Source::new("t.yaml", text)).unwrap_err();
        assert_eq!(e.kind, LoadErrorKind::Syntax, "{e:?}");
        e
    }

    #[test]
    fn budgets_refuse_deep_nesting_and_alias_bombs() {
        let t = std::time::Instant::now();
        syntax(&format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000)));
        syntax(&format!("a: {}1{}", "{b: ".repeat(MAX_DEPTH + 1), "}".repeat(MAX_DEPTH + 1)));
        let block: String = (0..=MAX_DEPTH + 1).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect();
        syntax(&block);
        // Billion laughs: 10^9 leaves if expanded.
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            bomb += &format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(", "));
        }
        syntax(&bomb);
        syntax("a: 1\n---\nb: 2\n");
        assert!(t.elapsed().as_secs() < 5, "budgets must fail fast: {:?}", t.elapsed());
        // Nesting within the budget is fine.
        let ok: String = (0..MAX_DEPTH - 2).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect();
        parse(&Source::new("t.yaml", ok.as_str())).unwrap();
    }

    #[test]
    fn duplicates_and_non_finite_reach_the_validator() {
        let n = p("a: 1\na: .inf\n");
        let Value::Map(m) = &n.value else { panic!() };
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].1.value, Value::Float(f64::INFINITY));
    }
}
