//! Stage 1 — **load**: script text (native YAML, or CXone Studio JSON) → [`Script`].
//!
//! Input: a path or a string. Output: a checked [`Script`] whose every action, property and
//! branch keeps its [`Span`], or [`LoadErrors`] (all errors of the file at once, each with
//! file:line:column). Loading never panics and is bounded in time and memory whatever the input.
//!
//! - `yaml.rs`: native YAML (FORMATS §1) → [`raw::RawScript`] (serde-saphyr, with spans);
//! - `studio_json.rs`: Studio JSON (FORMATS §2) → [`raw::RawScript`];
//! - `build.rs`: `RawScript` → `Script`: type normalisation, typed properties, every semantic check;
//! - `export.rs`: `Script` → YAML / Studio JSON text (`recflow convert`).

mod build;
pub mod catalogue;
pub mod export;
pub mod model;
pub mod raw;
mod studio_json;
mod yaml;

/// Load errors live in the shared plumbing module; re-exported so `script::error::…` keeps working.
pub use crate::source::error;

use std::path::Path;

pub use crate::source::{LoadError, LoadErrorKind, LoadErrors};
pub use model::*;

pub use crate::source::{MAX_FILE_BYTES, read_text};

/// Load a script file; the format is chosen by extension (`.json` → Studio JSON) or, failing
/// that, by content (a first non-blank `{` → Studio JSON, else YAML).
pub fn load_path(path: &Path) -> Result<Script, LoadErrors> {
    let name = path.display().to_string();
    let text = read_text(path)?;
    load_str(&name, &text)
}

/// Load a script from text; `name` is used in diagnostics and to pick the format.
pub fn load_str(name: &str, text: &str) -> Result<Script, LoadErrors> {
    let source = Source::new(name, text);
    let raw = if is_studio_json(name, text) { studio_json::parse(&source)? } else { yaml::parse(&source)? };
    build::build(raw)
}

fn is_studio_json(name: &str, text: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".json")
        || (!lower.ends_with(".yaml") && !lower.ends_with(".yml") && text.trim_start().starts_with('{'))
}
