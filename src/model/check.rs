//! Shared validation helpers for tenant and traffic files: walk a [`Node`] tree, collect every
//! error (and warning) of the file with its span, so the user sees all problems at once.

use crate::source::{LoadError, LoadErrorKind, LoadErrors, did_you_mean, fnv1a64};
use crate::source::{Source, Span};

use super::node::{Node, Value};

/// Collects diagnostics for one file.
pub(crate) struct Ctx<'s> {
    pub src: &'s Source,
    pub errors: Vec<LoadError>,
    pub warnings: Vec<LoadError>,
}

impl<'s> Ctx<'s> {
    pub fn new(src: &'s Source) -> Self {
        Ctx { src, errors: Vec::new(), warnings: Vec::new() }
    }

    /// Start an error with this file as its source and one primary label.
    pub fn err(
        &self,
        kind: LoadErrorKind,
        msg: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> LoadError {
        LoadError::new(kind, msg).with_source(self.src).with_label(span, label)
    }

    pub fn push(&mut self, e: LoadError) {
        self.errors.push(e);
    }

    pub fn warn(&mut self, e: LoadError) {
        self.warnings.push(e.warning());
    }

    /// `Err` with every error when there is any; otherwise the warnings.
    pub fn finish(self) -> Result<Vec<LoadError>, LoadErrors> {
        if self.errors.is_empty() { Ok(self.warnings) } else { Err(LoadErrors { errors: self.errors }) }
    }

    /// Report a wrong type: `what` names the key ("`percent`"), `expected` the shape.
    pub fn wrong_type(&mut self, node: &Node, what: &str, expected: &str, help: &str) {
        let e = self
            .err(
                LoadErrorKind::WrongType,
                format!("{what} must be {expected}, found {}", node.type_name()),
                node.span,
                format!("expected {expected}"),
            )
            .with_help(help.to_string());
        self.push(e);
    }

    /// The entries of a mapping, or a wrong-type error. `null` (a key with nothing after it)
    /// counts as an empty mapping.
    pub fn map<'n>(&mut self, node: &'n Node, what: &str, help: &str) -> Option<&'n [(Node, Node)]> {
        match &node.value {
            Value::Map(m) => Some(m),
            Value::Null => Some(&[]),
            _ => {
                self.wrong_type(node, what, "a mapping", help);
                None
            }
        }
    }

    /// The items of a list, or a wrong-type error. `null` counts as an empty list.
    pub fn seq<'n>(&mut self, node: &'n Node, what: &str, help: &str) -> Option<&'n [Node]> {
        match &node.value {
            Value::Seq(s) => Some(s),
            Value::Null => Some(&[]),
            _ => {
                self.wrong_type(node, what, "a list", help);
                None
            }
        }
    }

    /// Key text of a mapping entry (strings, and numbers as written). Reports other keys.
    pub fn key_text(&mut self, key: &Node, context: &str) -> Option<String> {
        match key.scalar_text(self.src) {
            Some(k) => Some(k),
            None => {
                let e = self
                    .err(
                        LoadErrorKind::WrongType,
                        format!("a key in {context} must be a string, found {}", key.type_name()),
                        key.span,
                        "expected a string key",
                    )
                    .with_help("write keys as plain words or quoted strings");
                self.push(e);
                None
            }
        }
    }

    /// Walk a mapping with a fixed key set: reports unknown keys (with "did you mean") and
    /// duplicate keys, and returns the known entries as `(key, value)` in file order.
    pub fn fields<'n>(
        &mut self,
        entries: &'n [(Node, Node)],
        valid: &[&'static str],
        context: &str,
    ) -> Vec<(&'static str, &'n Node, &'n Node)> {
        let mut out: Vec<(&'static str, &'n Node, &'n Node)> = Vec::new();
        for (k, v) in entries {
            let Some(text) = self.key_text(k, context) else { continue };
            match valid.iter().find(|&&name| name == text) {
                Some(&name) => {
                    if let Some((_, first, _)) = out.iter().find(|(n, _, _)| *n == name) {
                        let e = self
                            .err(
                                LoadErrorKind::InvalidConfig,
                                format!("duplicate key `{name}` in {context}"),
                                k.span,
                                "given again here",
                            )
                            .with_label(first.span, "first given here")
                            .with_help("give each key once");
                        self.push(e);
                    } else {
                        out.push((name, k, v));
                    }
                }
                None => self.unknown_key(k, &text, valid, context),
            }
        }
        out
    }

    pub fn unknown_key(&mut self, key: &Node, text: &str, valid: &[&str], context: &str) {
        let mut help = format!("valid keys in {context}: {}", valid.join(", "));
        if let Some(best) = did_you_mean(text, valid.iter().copied()) {
            help = format!("did you mean `{best}`? {help}");
        }
        let e = self
            .err(
                LoadErrorKind::UnknownKey,
                format!("unknown key `{text}` in {context}"),
                key.span,
                "unknown key",
            )
            .with_help(help);
        self.push(e);
    }

    /// A finite, non-negative number.
    /// A number of seconds: [`Ctx::non_negative`] and at most [`MAX_SECONDS`] (10 years), so
    /// that the simulated clock cannot overflow (issue 10.2).
    ///
    /// [`MAX_SECONDS`]: crate::source::MAX_SECONDS
    pub fn seconds(&mut self, node: &Node, what: &str, help: &str) -> Option<f64> {
        let x = self.non_negative(node, what, help)?;
        if x > crate::source::MAX_SECONDS {
            let e = self
                .err(
                    LoadErrorKind::InvalidConfig,
                    format!(
                        "{what} is {x:e} seconds, more than the {} seconds (10 years) one duration may last",
                        crate::source::MAX_SECONDS
                    ),
                    node.span,
                    "too long",
                )
                .with_help(format!("{help} (durations are limited to 10 years: docs/limits.md)"));
            self.push(e);
            return None;
        }
        Some(x)
    }

    pub fn non_negative(&mut self, node: &Node, what: &str, help: &str) -> Option<f64> {
        let Some(x) = node.as_f64() else {
            self.wrong_type(node, what, "a number", help);
            return None;
        };
        if !x.is_finite() {
            let e = self
                .err(
                    LoadErrorKind::InvalidConfig,
                    format!("{what} must be a finite number"),
                    node.span,
                    "not finite",
                )
                .with_help(help.to_string());
            self.push(e);
            return None;
        }
        if x < 0.0 {
            let e = self
                .err(
                    LoadErrorKind::InvalidConfig,
                    format!("{what} must not be negative"),
                    node.span,
                    "negative",
                )
                .with_help(help.to_string());
            self.push(e);
            return None;
        }
        Some(x)
    }

    /// A number in `lo..=hi`.
    pub fn in_range(&mut self, node: &Node, what: &str, lo: f64, hi: f64, help: &str) -> Option<f64> {
        let Some(x) = node.as_f64() else {
            self.wrong_type(node, what, "a number", help);
            return None;
        };
        if !x.is_finite() || x < lo || x > hi {
            let e = self
                .err(
                    LoadErrorKind::InvalidConfig,
                    format!("{what} must be between {lo} and {hi}, found {}", fmt_num(x)),
                    node.span,
                    format!("outside {lo}..{hi}"),
                )
                .with_help(help.to_string());
            self.push(e);
            return None;
        }
        Some(x)
    }

    /// A probability (0..1).
    pub fn probability(&mut self, node: &Node, what: &str) -> Option<f64> {
        self.in_range(
            node,
            what,
            0.0,
            1.0,
            "a probability is a number from 0 (never) to 1 (every contact), e.g. 0.25",
        )
    }

    /// `true` / `false`; also the YAML 1.1 spellings `yes` / `no` / `on` / `off` (any case).
    pub fn bool(&mut self, node: &Node, what: &str) -> Option<bool> {
        match &node.value {
            Value::Bool(b) => Some(*b),
            Value::Str(s) if ["yes", "on"].iter().any(|t| s.eq_ignore_ascii_case(t)) => Some(true),
            Value::Str(s) if ["no", "off"].iter().any(|t| s.eq_ignore_ascii_case(t)) => Some(false),
            _ => {
                self.wrong_type(node, what, "true or false", "write true or false");
                None
            }
        }
    }

    /// A string (numbers are accepted as written: an id `2` is the string `"2"`).
    pub fn string(&mut self, node: &Node, what: &str) -> Option<String> {
        match node.scalar_text(self.src) {
            Some(s) => Some(s),
            None => {
                self.wrong_type(node, what, "a string", "write a plain word or a quoted string");
                None
            }
        }
    }

    /// A list of strings; a single string counts as a list of one.
    pub fn strings(&mut self, node: &Node, what: &str) -> Option<Vec<(String, Span)>> {
        if let Some(s) = node.scalar_text(self.src) {
            return Some(vec![(s, node.span)]);
        }
        let items = self.seq(node, what, "write a list of strings, e.g. [Sales, Support]")?;
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            match self.string(item, &format!("each item of {what}")) {
                Some(s) => out.push((s, item.span)),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

/// Shortest decimal text of a number (integers without a fraction).
pub(crate) fn fmt_num(x: f64) -> String {
    if x.is_finite() && x == x.trunc() && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x}") }
}

/// Canonical writer for digests: length-prefixed strings, exact float bits, so two different
/// values never serialise alike.
#[derive(Default)]
pub(crate) struct Canon {
    pub out: String,
}

impl Canon {
    pub fn tag(&mut self, t: &str) -> &mut Self {
        self.out.push_str(t);
        self.out.push(';');
        self
    }
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.out.push_str(&format!("s{}:{s};", s.len()));
        self
    }
    pub fn num(&mut self, x: f64) -> &mut Self {
        // `+ 0.0` turns -0.0 into 0.0: equal values, equal digests.
        self.out.push_str(&format!("f{:016x};", (x + 0.0).to_bits()));
        self
    }
    pub fn int(&mut self, x: i128) -> &mut Self {
        self.out.push_str(&format!("i{x};"));
        self
    }
    pub fn digest(&self) -> String {
        format!("{:016x}", fnv1a64(self.out.as_bytes()))
    }
}
