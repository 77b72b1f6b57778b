//! Stage 1 — **load**: script text (native YAML, or CXone Studio JSON) → [`Script`].
//!
//! Input: a path or a string. Output: a checked [`Script`] whose every action, property and
//! branch keeps its [`Span`], or [`LoadErrors`] (all errors of the file at once, each with
//! file:line:column). Loading never panics and is bounded in time and memory whatever the input.
//!
//! - `yaml.rs`: native YAML (FORMATS §1) → [`raw::RawScript`] (serde-saphyr, with spans);
//! - `studio_json.rs`: Studio JSON (FORMATS §2) → [`raw::RawScript`];
//! - `build.rs`: `RawScript` → `Script`: type normalisation, typed properties, every semantic check;
//! - `export.rs`: `Script` → YAML / Studio JSON text (`recflow convert`);
//! - `model.rs`: the [`Script`] / [`Action`] types (with [`ActionIx`]); `raw.rs`: the loaders'
//!   common unchecked form;
//! - `catalogue.rs`: the one table of Studio action types (branches, media class, prompt
//!   properties, how simulate treats each; `docs/actions.md` is generated from it);
//! - `facts.rs`: facts decided once at load and read by lint and simulate (consent questions,
//!   sensitive prompts, the statement-id variable);
//! - `runtime.rs`: what of an action is known only at run time (`{var}` templates, IF).

mod build;
pub use build::snippet_warnings;
pub mod catalogue;
pub mod export;
pub mod facts;
pub mod model;
pub mod raw;
pub mod runtime;
pub(crate) mod studio_json;
pub(crate) mod yaml;

/// Load errors live in the shared plumbing module; re-exported so `script::error::…` keeps working.
pub use crate::source::error;

use std::path::Path;

pub use crate::source::{LoadError, LoadErrorKind, LoadErrors};
pub use model::*;

pub use crate::source::{MAX_FILE_BYTES, read_text};

/// Load a script file; the format is chosen by extension (`.json` → Studio JSON) unless the
/// content disagrees, and by content for other names (a first non-blank `{` → Studio JSON).
pub fn load_path(path: &Path) -> Result<Script, LoadErrors> {
    let name = path.display().to_string();
    let text = read_text(path)?;
    load_str(&name, &text)
}

/// Load a script from text; `name` is used in diagnostics and to pick the format.
pub fn load_str(name: &str, text: &str) -> Result<Script, LoadErrors> {
    let source = Source::new(name, text);
    if let Some(e) = desktop_studio_xml(&source) {
        return Err(LoadErrors { errors: vec![e] });
    }
    let raw = if is_studio_json(name, text) { studio_json::parse(&source)? } else { yaml::parse(&source)? };
    let mut script = build::build(raw)?;
    // YAML `studio:` keys hold changes over a fresh export: applied once the layout is known.
    export::resolve_studio(&mut script);
    Ok(script)
}

/// Desktop Studio XML (`<Actions><ActionStruct><ActionID>…<Action>MENU</Action>…`), the form the
/// script API returns for Desktop-Studio-only scripts (issue 25), detected by content whatever
/// the file's name: recflow does not read it, and says so at the first element instead of
/// failing as YAML ("a script must be a mapping … found a string"). The CXone help pages in the
/// project's search index do not document this XML's elements (docs/studio-json.md), so recflow
/// refuses it rather than guess what each element means.
fn desktop_studio_xml(source: &Source) -> Option<LoadError> {
    let text: &str = &source.text;
    let start = text.len() - text.trim_start_matches('\u{feff}').trim_start().len();
    let t = &text[start..];
    if !t.starts_with('<') {
        return None;
    }
    let markers = ["<Actions", "<ActionStruct", "<ActionID"];
    let at = markers.iter().filter_map(|m| t.find(m)).min()?;
    let offset = start + at;
    let len = t[at..].find('>').map_or(1, |e| e + 1);
    Some(
        LoadError::new(
            LoadErrorKind::WrongType,
            "this is Desktop Studio XML (`<Actions><ActionStruct>…`), a script format recflow does not read",
        )
        .with_source(source)
        .with_label(crate::source::Span::new(offset, len), "Desktop Studio XML starts here")
        .with_help(
            "recflow reads CXone Studio JSON ({header, actions, properties, branches}) and its own YAML: \
             get the script as Studio JSON (what the Studio script API returns for a script saved in \
             CXone Studio, the web Studio), or write it as recflow YAML (docs/studio-json.md, \
             \"Desktop Studio XML\")",
        ),
    )
}

/// Studio JSON or YAML? The extension says, unless the content clearly disagrees (issue 10.9):
/// a `.json` file holding a YAML mapping (`script: ...`) is YAML, and a `.yaml` file holding a
/// Studio export (a JSON object with `header`, or `actions` keyed by id) is Studio JSON. Other
/// names: a leading `{` means Studio JSON.
fn is_studio_json(name: &str, text: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let brace = t.starts_with('{');
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        brace && looks_like_studio_export(t)
    } else if lower.ends_with(".json") {
        // Empty or JSON-looking text stays JSON, so JSON errors are reported in JSON terms.
        brace || t.starts_with('[') || t.is_empty()
    } else {
        brace
    }
}

/// A JSON object with a `header` key or an `actions` object (Studio keys actions by id; the
/// YAML format lists them).
fn looks_like_studio_export(text: &str) -> bool {
    let Ok(root) = crate::source::json::parse(text) else { return false };
    let crate::source::json::JsonValue::Object(members) = &root.value else { return false };
    members.iter().any(|(k, v)| {
        k.text == "header"
            || (k.text == "actions" && matches!(v.value, crate::source::json::JsonValue::Object(_)))
    })
}
