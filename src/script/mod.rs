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
pub mod error;
pub mod export;
pub(crate) mod json;
pub mod model;
pub mod raw;
pub(crate) mod studio_json;
mod yaml;
pub(crate) mod yaml_tree;

use std::path::Path;

pub use error::{LoadError, LoadErrorKind, LoadErrors};
pub use model::*;

/// Largest script file recflow loads (bytes). Larger files are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Load a script file; the format is chosen by extension (`.json` → Studio JSON) or, failing
/// that, by content (a first non-blank `{` → Studio JSON, else YAML).
pub fn load_path(path: &Path) -> Result<Script, LoadErrors> {
    let name = path.display().to_string();
    let text = read_text(path)?;
    load_str(&name, &text)
}

/// Read a text file with recflow's limits: size cap, UTF-8 check, clear I/O errors.
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| {
        LoadError::new(LoadErrorKind::Io, format!("cannot read `{name}`: {e}"))
            .with_help("check the path; recflow reads script, tenant and traffic files as given")
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(LoadError::new(LoadErrorKind::Io, format!("`{name}` is a directory, not a file")));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::new(
            LoadErrorKind::TooLarge,
            format!("`{name}` is {} bytes; recflow loads files up to {MAX_FILE_BYTES} bytes", meta.len()),
        ));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        let src = Source::new(name.clone(), text);
        LoadError::new(
            LoadErrorKind::NotUtf8,
            format!("`{name}` is not UTF-8 text (invalid byte at offset {at})"),
        )
        .with_source(&src)
        .with_label(Span::new(at.min(src.text.len()), 0), "invalid UTF-8 here")
        .with_help("save the file as UTF-8; recflow reads YAML scripts and Studio JSON exports")
    })
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
