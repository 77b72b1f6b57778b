//! Shared plumbing below every stage: where text came from and how to talk about it.
//!
//! `script` (scripts) and `model` (tenant / traffic files) both build on this module, and
//! nothing here knows about either (ruff keeps `ruff_source_file` apart from its linter the
//! same way). Input: file text. Output: spans, sources, located errors, spanned trees.
//!
//! - `span.rs`: [`Span`] (byte range), [`Source`] (name + text + a line index built once),
//!   [`TextMap`] (decoded string offsets → source offsets);
//! - `error.rs`: [`LoadError`] / [`LoadErrors`] — located, coded, rendered with miette;
//! - `yaml_tree.rs`: YAML text → spanned node tree (serde-saphyr), for every YAML loader;
//! - `json.rs`: JSON text → spanned JSON tree (for Studio JSON);
//! - `suggest.rs`: the one [`did_you_mean`];
//! - [`read_text`]: a file → text, with the size cap and UTF-8 check every loader shares;
//! - `hash.rs`: the one FNV-1a ([`fnv1a64`]).

pub mod error;
pub mod hash;
pub(crate) mod json;
pub mod span;
pub mod suggest;
pub(crate) mod yaml_tree;

pub use error::{LoadError, LoadErrorKind, LoadErrors, NamedErr};
pub use hash::fnv1a64;
pub use span::{Source, Span, TextMap};
pub use suggest::did_you_mean;

use std::path::Path;

/// A bidirectional formatting character — the overrides and embeddings (U+202A-202E), the
/// isolates (U+2066-2069) and the marks (U+200E/200F, U+061C): what lets text in a script
/// reorder what is shown around it (issue 21, F12). The terminal and the HTML report show them
/// as visible `\u{202e}` escapes.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// `text` with every [`is_bidi_control`] character written as a visible `\u{202e}` escape.
pub fn escape_bidi_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_bidi_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_bidi_control(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Longest duration any one value may give, in seconds: 10 years of 365.25 days (issue 10.2).
/// Traffic durations (fixed, `exp` mean, `uniform` bounds), `short_call_seconds`, and the
/// seconds properties of scripts (WAIT `Seconds`, MUSIC `SecondstoPlay`, MENU `Timeout`) above
/// it are range errors at load; a random draw above it (an `exp` tail) is cut to it. With every
/// step of a contact at most this long, the millisecond clock (u64, 584 million years) cannot
/// overflow within any contact's step budget; the engine's clock arithmetic saturates anyway.
pub const MAX_SECONDS: f64 = 315_576_000.0;
/// [`MAX_SECONDS`] in milliseconds.
pub const MAX_MS: u64 = 315_576_000_000;

/// Deepest nesting accepted in a script, YAML or Studio JSON (a script needs 6 levels;
/// serde-saphyr's default is 64).
pub const SCRIPT_MAX_DEPTH: usize = 64;
/// Script node budget, YAML or Studio JSON (every value: scalar, list, mapping / object): ~15
/// nodes per action leaves room for scripts of ~15 000 actions, and bounds the memory of the
/// node tree well under 100 MB.
pub const SCRIPT_MAX_NODES: usize = 250_000;

/// Largest file (script, tenant, traffic) recflow loads (bytes). Larger files are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

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
    let too_large = |len: String| {
        LoadError::new(
            LoadErrorKind::TooLarge,
            format!("`{name}` is {len} bytes; recflow loads files up to {MAX_FILE_BYTES} bytes"),
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len().to_string()));
    }
    // Devices, FIFOs and /proc files report a length of 0 (or a wrong one): the size check above
    // cannot be trusted, so the read itself stops one byte past the cap (issue 21, F06).
    let mut bytes = Vec::new();
    {
        use std::io::Read;
        let file = std::fs::File::open(path).map_err(io)?;
        if let Ok(meta) = file.metadata() {
            remember_input(path, &meta);
        }
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(format!("more than {MAX_FILE_BYTES}")));
    }
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

/// The identity of a file: device and inode on Unix (so a hard link or a symlink is the same
/// file), the canonical path elsewhere.
#[derive(Clone, PartialEq, Eq)]
struct FileKey {
    #[cfg(unix)]
    dev_ino: (u64, u64),
    #[cfg(not(unix))]
    canonical: std::path::PathBuf,
}

impl FileKey {
    fn of(path: &Path, meta: &std::fs::Metadata) -> Option<Self> {
        #[cfg(unix)]
        {
            let _ = path;
            use std::os::unix::fs::MetadataExt;
            // Devices and FIFOs are streams, not files an output could destroy.
            meta.is_file().then(|| FileKey { dev_ino: (meta.dev(), meta.ino()) })
        }
        #[cfg(not(unix))]
        {
            if !meta.is_file() {
                return None;
            }
            std::fs::canonicalize(path).ok().map(|canonical| FileKey { canonical })
        }
    }
}

/// Every regular file [`read_text`] read in this process, with the path it was named by: the
/// inputs of the run, which no output of the same run may overwrite (issue 21, F08).
static INPUTS: std::sync::Mutex<Vec<(FileKey, std::path::PathBuf)>> = std::sync::Mutex::new(Vec::new());

fn remember_input(path: &Path, meta: &std::fs::Metadata) {
    if let Some(key) = FileKey::of(path, meta) {
        let mut inputs = INPUTS.lock().unwrap_or_else(|e| e.into_inner());
        if !inputs.iter().any(|(k, _)| *k == key) {
            inputs.push((key, path.to_path_buf()));
        }
    }
}

/// If `path` (after symlinks; hard links too) is a file this run read as input, the path the
/// input was named by. Outputs call this before they replace anything.
pub fn input_named_by(path: &Path) -> Option<std::path::PathBuf> {
    let meta = std::fs::metadata(path).ok()?;
    let key = FileKey::of(path, &meta)?;
    let inputs = INPUTS.lock().unwrap_or_else(|e| e.into_inner());
    inputs.iter().find(|(k, _)| *k == key).map(|(_, p)| p.clone())
}
