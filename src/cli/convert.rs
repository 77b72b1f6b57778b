//! `recflow convert SCRIPT --to yaml|studio-json [-o FILE]`: load a script in either format and
//! write it in the other (or the same, canonicalised) to stdout or, atomically, to a file.

use super::args::{ConvertArgs, ConvertTarget};
use super::{ExitKind, load_or_report, output, write_stdout};
use crate::script::export;

pub fn run(a: &ConvertArgs) -> std::io::Result<ExitKind> {
    let Some(script) = load_or_report(&a.script) else { return Ok(ExitKind::BadInput) };
    let text = match a.to {
        ConvertTarget::Yaml => export::to_yaml(&script),
        ConvertTarget::StudioJson => export::to_studio_json(&script),
    };
    match &a.output {
        Some(path) => {
            if let Err(e) = output::write_atomic(path, text.as_bytes()) {
                eprintln!("recflow: cannot write `{}`: {e}", path.display());
                return Ok(ExitKind::BadInput);
            }
            Ok(ExitKind::Ok)
        }
        None => {
            write_stdout(&text)?;
            Ok(ExitKind::Ok)
        }
    }
}
