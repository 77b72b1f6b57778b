//! `recflow convert SCRIPT --to yaml|studio-json [-o FILE]`: load a script in either format and
//! write it in the other (or the same, canonicalised) to stdout or, atomically, to a file.
//! Without `--to`, the format is the one `-o FILE`'s extension names (`.yaml` / `.yml` / `.json`).

use super::args::ConvertTarget;
use super::config::{Convert, Output, Term};
use super::world::load_script;
use super::{ExitKind, output, write_stdout};
use crate::script::{Format, export};

/// Do two paths name the same file (after symlinks; hard links too, on Unix)?
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else { return false };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
    }
}

pub fn run(term: &Term, a: &Convert) -> std::io::Result<ExitKind> {
    let Some(script) = load_script(term, &a.script) else { return Ok(ExitKind::BadInput) };
    let text = match a.to {
        ConvertTarget::Yaml => export::to_yaml(&script),
        ConvertTarget::StudioJson => export::to_studio_json(&script),
    };
    // What convert writes must load again: a text over the size cap or the nesting limit (a
    // deeply nested Studio property written as YAML) would be refused by recflow itself (issue
    // 21, F18). Checked by loading it, so every load limit is covered, not a copy of each.
    let shown = match a.to {
        ConvertTarget::Yaml => "converted.yaml",
        ConvertTarget::StudioJson => "converted.json",
    };
    let reload = if text.len() as u64 > crate::script::MAX_FILE_BYTES {
        Err(format!(
            "the converted script is {} bytes; recflow loads files up to {} bytes",
            text.len(),
            crate::script::MAX_FILE_BYTES
        ))
    } else {
        crate::script::load_str(shown, &text).map(drop).map_err(|e| {
            e.errors.first().map_or_else(|| "it does not load".to_string(), |e| e.message.clone())
        })
    };
    if let Err(why) = reload {
        let why = super::terminal_safe(&why, false);
        eprintln!(
            "recflow convert: refusing to write a script recflow cannot load back: {why}\n  \
             (nothing was written; `{}` itself loads, its {} form does not)",
            a.script.display(),
            match a.to {
                ConvertTarget::Yaml => "YAML",
                ConvertTarget::StudioJson => "Studio JSON",
            }
        );
        return Ok(ExitKind::BadInput);
    }
    let same_format = matches!(
        (script.format, a.to),
        (Format::Yaml, ConvertTarget::Yaml) | (Format::StudioJson, ConvertTarget::StudioJson)
    );
    match &a.output {
        Output::File(path) => {
            // Writing the other format over the input destroys it (the file no longer loads
            // as what its name says, and the original is gone): refuse, also through links
            // (issue 10.9). Same format = canonicalise in place, which is fine.
            if !same_format && same_file(&a.script, path) {
                eprintln!(
                    "recflow: refusing to write {} over the input `{}` (it is the same file as `{}`); \
                     write to another file",
                    match a.to {
                        ConvertTarget::Yaml => "YAML",
                        ConvertTarget::StudioJson => "Studio JSON",
                    },
                    a.script.display(),
                    path.display()
                );
                return Ok(ExitKind::BadInput);
            }
            // Same format over the input: canonicalise in place (checked above for the other
            // format); any other existing file is refused if it is an input (it cannot be here).
            let written = if same_format {
                output::write_over_input(path, text.as_bytes())
            } else {
                output::write_atomic(path, text.as_bytes())
            };
            if let Err(e) = written {
                eprintln!("recflow: {e}");
                return Ok(ExitKind::BadInput);
            }
            Ok(ExitKind::Ok)
        }
        Output::Stdout => {
            write_stdout(&text)?;
            Ok(ExitKind::Ok)
        }
    }
}
