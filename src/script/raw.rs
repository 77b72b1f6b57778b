//! The loaders' common intermediate form: what a file *says*, before any checking.
//!
//! `yaml.rs` and `studio_json.rs` only turn text into a [`RawScript`] (syntax errors are theirs);
//! `build.rs` turns a `RawScript` into a checked [`super::Script`] (every semantic load error is
//! its job), so both formats get exactly the same checks and the same messages.

use super::model::{Format, PropValue, Source, Span};

#[derive(Clone, Debug)]
pub struct RawScript {
    pub source: Source,
    pub format: Format,
    pub name: Option<Spanned<String>>,
    pub description: Option<String>,
    pub actions: Vec<RawAction>,
    pub studio_header: Option<serde_json::Map<String, serde_json::Value>>,
    pub studio_root: Option<serde_json::Map<String, serde_json::Value>>,
    pub studio_patch: Option<Box<super::model::TopPatch>>,
    pub kind: super::model::ScriptKind,
    /// Span to point at for whole-script errors (e.g. missing BEGIN): the `actions` key.
    pub actions_span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

#[derive(Clone, Debug)]
pub struct RawAction {
    /// Already a string (`2` → `"2"`).
    pub id: Spanned<String>,
    pub span: Span,
    pub type_name: Spanned<String>,
    pub label: Option<String>,
    pub properties: Vec<RawProperty>,
    pub branches: Vec<RawBranch>,
    pub consent: Option<Spanned<Vec<String>>>,
    pub allow: Vec<RawAllow>,
    pub studio: Option<Box<super::model::StudioAction>>,
}

#[derive(Clone, Debug)]
pub struct RawProperty {
    pub name: Spanned<String>,
    pub value: PropValue,
    pub span: Span,
    /// For text values: where each byte of the decoded text came from (block scalars, escapes).
    pub map: super::model::TextMap,
}

#[derive(Clone, Debug)]
pub struct RawBranch {
    /// As written (`Default`, `1`, `Error`).
    pub name: Spanned<String>,
    /// Target action id as written; `None` = not wired.
    pub target: Option<Spanned<String>>,
}

#[derive(Clone, Debug)]
pub struct RawAllow {
    pub rule: Spanned<String>,
    pub reason: Option<Spanned<String>>,
    pub span: Span,
}
