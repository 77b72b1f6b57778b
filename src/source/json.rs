//! A small JSON parser that keeps the span of every value (serde_json keeps none).
//!
//! Input: JSON text. Output: a [`Json`] tree whose every value, object key and string knows its
//! byte range in the text (and, for strings, where each decoded byte came from: a [`TextMap`]),
//! or one [`JsonError`] with the byte offset of the first thing that cannot be parsed.
//!
//! Recursive descent over bytes, bounded by [`MAX_DEPTH`] nesting levels so that hostile input
//! (`[[[[…`) cannot overflow the stack, and by [`MAX_NODES`] values so that a huge export is
//! refused before its tree exhausts memory; linear in the input size; never panics. Both are the
//! YAML script budgets.

use super::span::{Span, TextMap};

/// Deepest nesting of arrays / objects accepted (Studio exports nest 4 levels): the YAML
/// script limit, so a script that loads in one format loads in the other.
pub const MAX_DEPTH: usize = super::SCRIPT_MAX_DEPTH;
/// Most values (scalars, arrays, objects) in one text: the YAML script *event* budget (4 × its
/// node budget). A JSON value is an event of the parse (Studio writes ~13 per action, where the
/// YAML form has ~4 nodes), so a 20 000-action export loads as its YAML form does, and a 22 MiB
/// export of 1 M actions (13 M values) is refused at 1 M instead of exhausting memory.
pub const MAX_NODES: usize = 4 * super::SCRIPT_MAX_NODES;

/// A JSON value with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Json {
    pub value: JsonValue,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum JsonValue {
    Null,
    Bool(bool),
    /// The number as written (validated JSON number syntax).
    Number(String),
    Str(JsonStr),
    Array(Vec<Json>),
    /// Members in file order; duplicate keys are kept (the caller decides what they mean).
    Object(Vec<(JsonStr, Json)>),
}

/// A decoded string, its span (quotes included) and where its bytes came from.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonStr {
    pub text: String,
    pub span: Span,
    pub map: TextMap,
}

/// A syntax error at a byte offset.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonError {
    pub offset: usize,
    pub len: usize,
    pub message: String,
}

impl Json {
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            JsonValue::Null => "null",
            JsonValue::Bool(_) => "a boolean",
            JsonValue::Number(_) => "a number",
            JsonValue::Str(_) => "a string",
            JsonValue::Array(_) => "an array",
            JsonValue::Object(_) => "an object",
        }
    }

    /// Convert to a `serde_json::Value` (for data kept only for round-trips). A number that
    /// serde_json would write back differently (`1e400`, integers beyond 64 bits, `1e5`) is
    /// kept as its text ([`number_as_text`]), so it is written back as it was read.
    pub fn to_serde(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.value {
            JsonValue::Null => Value::Null,
            JsonValue::Bool(b) => Value::Bool(*b),
            JsonValue::Number(n) => number_value(n),
            JsonValue::Str(s) => Value::String(s.text.clone()),
            JsonValue::Array(items) => Value::Array(items.iter().map(Json::to_serde).collect()),
            JsonValue::Object(members) => {
                Value::Object(members.iter().map(|(k, v)| (k.text.clone(), v.to_serde())).collect())
            }
        }
    }
}

/// Marks a `serde_json::Value::String` that stands for a number token kept as its text
/// (issue 21, F10): a private-use character no Studio string starts with.
pub const NUMBER_TEXT: char = '\u{e000}';

/// A JSON number token as a `serde_json::Value`: a `Number` when serde_json writes it back as
/// the same text, else the text itself behind [`NUMBER_TEXT`] (serde_json without arbitrary
/// precision holds 64-bit integers and finite doubles, and normalises `1e5` to `100000.0`).
pub fn number_value(token: &str) -> serde_json::Value {
    match token.parse::<serde_json::Number>() {
        Ok(n) if n.to_string() == token => serde_json::Value::Number(n),
        _ => serde_json::Value::String(format!("{NUMBER_TEXT}{token}")),
    }
}

/// The number text a [`number_value`] string stands for.
pub fn number_as_text(s: &str) -> Option<&str> {
    s.strip_prefix(NUMBER_TEXT)
}

/// Write kept number texts back as numbers: every `"\u{e000}TEXT"` string in serde_json output
/// becomes `TEXT` (the text is a JSON number token, so no escape can be inside it).
pub fn unquote_number_texts(json: &str) -> std::borrow::Cow<'_, str> {
    let marker = format!("\"{NUMBER_TEXT}");
    if !json.contains(&marker) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len());
    let mut rest = json;
    while let Some(at) = rest.find(&marker) {
        out.push_str(&rest[..at]);
        let after = &rest[at + marker.len()..];
        let end = after.find('"').unwrap_or(after.len());
        out.push_str(&after[..end]);
        rest = after.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Parse a complete JSON text (one value, surrounded by optional whitespace; a leading UTF-8
/// byte-order mark is skipped).
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut p = Parser { s: text.as_bytes(), text, i: 0, nodes: 0 };
    if text.starts_with('\u{feff}') {
        p.i = 3;
    }
    p.ws();
    if p.i >= p.s.len() {
        return Err(p.err(0, "expected a JSON value, found the end of the file"));
    }
    let v = p.value(0)?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.err(1, "unexpected text after the end of the JSON value"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    /// Values parsed so far (against [`MAX_NODES`]).
    nodes: usize,
}

impl Parser<'_> {
    fn err(&self, len: usize, message: impl Into<String>) -> JsonError {
        let len = len.min(self.s.len().saturating_sub(self.i));
        JsonError { offset: self.i, len, message: message.into() }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    /// Describe the byte at the cursor for an error message.
    fn found(&self) -> String {
        match self.text.get(self.i..).and_then(|t| t.chars().next()) {
            None => "the end of the file".into(),
            Some(c) if c.is_control() => format!("{c:?}"),
            Some(c) => format!("`{c}`"),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(self.err(
                1,
                format!("more than {MAX_NODES} JSON values: over the script budget (docs/limits.md)"),
            ));
        }
        let start = self.i;
        let value = match self.s.get(self.i) {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => JsonValue::Str(self.string()?),
            Some(b't') => self.word("true", JsonValue::Bool(true))?,
            Some(b'f') => self.word("false", JsonValue::Bool(false))?,
            Some(b'n') => self.word("null", JsonValue::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.err(1, format!("expected a JSON value, found {}", self.found()))),
        };
        Ok(Json { value, span: Span::new(start, self.i - start) })
    }

    fn word(&mut self, w: &str, v: JsonValue) -> Result<JsonValue, JsonError> {
        if self.s[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            Ok(v)
        } else {
            let end = self.s[self.i..].iter().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(0).max(1);
            Err(self.err(end, format!("unknown word; JSON values are strings, numbers, objects, arrays, `true`, `false` or `null` (found {})", self.found())))
        }
    }

    fn digits(&mut self) -> usize {
        let from = self.i;
        while let Some(b'0'..=b'9') = self.s.get(self.i) {
            self.i += 1;
        }
        self.i - from
    }

    fn number(&mut self) -> Result<JsonValue, JsonError> {
        let start = self.i;
        if self.s[self.i] == b'-' {
            self.i += 1;
        }
        let int_start = self.i;
        let n = self.digits();
        if n == 0 {
            return Err(self.err(1, format!("expected a digit, found {}", self.found())));
        }
        if n > 1 && self.s[int_start] == b'0' {
            self.i = int_start;
            return Err(self.err(n, "numbers cannot have leading zeros"));
        }
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.err(1, format!("expected a digit after `.`, found {}", self.found())));
            }
        }
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.s.get(self.i) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.err(1, format!("expected a digit in the exponent, found {}", self.found())));
            }
        }
        Ok(JsonValue::Number(self.text[start..self.i].to_owned()))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.s.get(self.i) {
                Some(b) if b.is_ascii_hexdigit() => (*b as char).to_digit(16).unwrap_or(0),
                _ => return Err(self.err(1, "expected 4 hex digits after `\\u`")),
            };
            v = v * 16 + d;
            self.i += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<JsonStr, JsonError> {
        let start = self.i;
        self.i += 1; // opening quote
        let mut text = String::new();
        let mut map = TextMap { pieces: vec![(0, self.i)] };
        // Start of the current verbatim run.
        let mut run = self.i;
        loop {
            match self.s.get(self.i) {
                None => {
                    self.i = start;
                    return Err(self.err(1, "string is never closed (missing `\"`)"));
                }
                Some(b'"') => {
                    text.push_str(&self.text[run..self.i]);
                    self.i += 1;
                    break;
                }
                Some(b'\\') => {
                    text.push_str(&self.text[run..self.i]);
                    let esc_at = self.i;
                    self.i += 1;
                    let c = match self.s.get(self.i) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.i += 1;
                            let hi = self.hex4()?;
                            self.i -= 1;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                // A high surrogate must be followed by `\uDC00`..`\uDFFF`.
                                if self.s.get(self.i + 1..self.i + 3) != Some(b"\\u") {
                                    self.i = esc_at;
                                    return Err(self.err(6, "unpaired surrogate in `\\u` escape"));
                                }
                                self.i += 3;
                                let lo = self.hex4()?;
                                self.i -= 1;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    self.i = esc_at;
                                    return Err(self.err(12, "unpaired surrogate in `\\u` escape"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            match char::from_u32(code) {
                                Some(c) => c,
                                None => {
                                    self.i = esc_at;
                                    return Err(self.err(6, "unpaired surrogate in `\\u` escape"));
                                }
                            }
                        }
                        _ => {
                            self.i = esc_at;
                            return Err(self.err(
                                2,
                                "unknown escape; JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                            ));
                        }
                    };
                    self.i += 1;
                    text.push(c);
                    run = self.i;
                    map.pieces.push((text.len(), self.i));
                }
                Some(&b) if b < 0x20 => {
                    return Err(
                        self.err(1, "control character in a string (write it as an escape, e.g. \\n)")
                    );
                }
                Some(_) => self.i += 1,
            }
        }
        // Drop a trailing piece that maps the empty tail (keeps maps minimal).
        if map.pieces.len() > 1 && map.pieces.last().is_some_and(|&(v, _)| v == text.len()) {
            map.pieces.pop();
        }
        Ok(JsonStr { text, span: Span::new(start, self.i - start), map })
    }

    fn enter(&self, depth: usize) -> Result<(), JsonError> {
        if depth >= MAX_DEPTH {
            Err(self.err(1, format!("JSON nested more than {MAX_DEPTH} levels deep")))
        } else {
            Ok(())
        }
    }

    fn array(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        self.enter(depth)?;
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(JsonValue::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(JsonValue::Array(items));
                }
                _ => {
                    return Err(
                        self.err(1, format!("expected `,` or `]` in an array, found {}", self.found()))
                    );
                }
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        self.enter(depth)?;
        self.i += 1;
        let mut members = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(JsonValue::Object(members));
        }
        loop {
            self.ws();
            if self.s.get(self.i) != Some(&b'"') {
                return Err(self.err(1, format!("expected a \"quoted\" key, found {}", self.found())));
            }
            let key = self.string()?;
            self.ws();
            if self.s.get(self.i) != Some(&b':') {
                return Err(self.err(1, format!("expected `:` after the key, found {}", self.found())));
            }
            self.i += 1;
            self.ws();
            let v = self.value(depth + 1)?;
            members.push((key, v));
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(JsonValue::Object(members));
                }
                _ => {
                    return Err(
                        self.err(1, format!("expected `,` or `}}` in an object, found {}", self.found()))
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_values() {
        let t = r#" {"a": [1, -2.5e3, true, null], "b\n": "x\"y"} "#;
        let j = parse(t).unwrap();
        let JsonValue::Object(m) = &j.value else { panic!() };
        assert_eq!(&t[j.span.offset..j.span.end()], t.trim());
        assert_eq!(m[1].0.text, "b\n");
        let JsonValue::Str(s) = &m[1].1.value else { panic!() };
        assert_eq!(s.text, "x\"y");
        assert_eq!(&t[s.span.offset..s.span.end()], r#""x\"y""#);
        // `y` is decoded offset 2; in the source it follows the escape.
        assert_eq!(&t[s.map.to_source(2)..s.map.to_source(2) + 1], "y");
        let JsonValue::Array(a) = &m[0].1.value else { panic!() };
        assert_eq!(a[1].value, JsonValue::Number("-2.5e3".into()));
        assert_eq!(&t[a[2].span.offset..a[2].span.end()], "true");
    }

    #[test]
    fn unicode_escapes() {
        let j = parse(r#""\u00e9\ud83d\ude00é""#).unwrap();
        let JsonValue::Str(s) = j.value else { panic!() };
        assert_eq!(s.text, "é😀é");
        assert!(parse(r#""\ud83d""#).is_err());
        assert!(parse(r#""\ude00x""#).is_err());
    }

    #[test]
    fn errors_have_offsets() {
        let e = parse("{\"a\": 1,\n \"b\" 2}").unwrap_err();
        assert_eq!(e.offset, 14);
        assert!(e.message.contains("expected `:`"), "{}", e.message);
        assert_eq!(parse("[1, 2").unwrap_err().offset, 5);
        assert_eq!(parse("\"abc").unwrap_err().offset, 0);
        assert!(parse("01").is_err());
        assert!(parse("1 2").is_err());
        assert!(parse("").is_err());
        assert!(parse("tru").is_err());
        assert!(parse("\"a\tb\"").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert_eq!(MAX_DEPTH, 64);
        let e = parse(&deep).unwrap_err();
        assert!(e.message.contains("nested"));
        assert_eq!(e.offset, MAX_DEPTH);
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    /// Issue 21 F07: the node budget stops a huge export early, with a located error.
    #[test]
    fn too_many_values_is_an_error() {
        let many = format!("[{}]", vec!["0"; MAX_NODES].join(","));
        let e = parse(&many).unwrap_err();
        assert!(e.message.contains("more than 1000000 JSON values"), "{}", e.message);
        assert_eq!(e.offset, 1 + 2 * (MAX_NODES - 1));
        let ok = format!("[{}]", vec!["0"; MAX_NODES - 1].join(","));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn garbage_never_panics() {
        for t in [
            "\u{feff}{}",
            "{",
            "}",
            "[,]",
            "{\"a\"}",
            "\"\\",
            "\"\\u12",
            "-",
            "1.",
            "1e",
            "\u{0}",
            "nul",
            "{\"a\":1,}",
        ] {
            let _ = parse(t);
        }
        assert!(parse("\u{feff}{}").is_ok());
    }
}
