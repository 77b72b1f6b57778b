//! The tenant / traffic view of the shared YAML tree ([`crate::source::yaml_tree`]).
//!
//! Input: a [`Source`]. Output: the root [`Node`] (every node keeps the byte span of where it
//! is used in the file) or one `load::syntax` [`LoadError`] with file:line:column.
//!
//! The tree itself (serde-saphyr visitor, budgets, syntax errors) is shared with the script
//! loader; this module adds what the tenant and traffic validators need on top: an empty
//! file as an empty mapping and the accessors `tenant.rs` / `traffic.rs` / `check.rs` use.

use crate::source::LoadError;
use crate::source::yaml_tree::{self, Profile};
use crate::source::{Source, Span};

pub(crate) use crate::source::yaml_tree::{Node, Value};

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
    if source.text.trim().is_empty() {
        // An empty file is an empty mapping: every key takes its default.
        return Ok(Node { value: Value::Map(Vec::new()), span: Span::new(0, 0), defined: Span::new(0, 0) });
    }
    yaml_tree::parse(source, Profile::Config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::LoadErrorKind;
    use crate::source::yaml_tree::CONFIG_MAX_DEPTH as MAX_DEPTH;

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
        // Each refusal above is a budget hit, not an expansion: the bomb would need 10^9 nodes.
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
