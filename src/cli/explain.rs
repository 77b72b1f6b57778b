//! `recflow explain SCRIPT --call I`: one contact's timeline, from the same engine `simulate`
//! runs (with its trace on).

use super::args::ExplainFormat;
use super::config::{Explain, Term};
use super::world::load_world;
use super::{ExitKind, write_human, write_stdout};
use crate::report::simulation as render;
use crate::sim::explain::explain;

pub fn run(term: &Term, a: &Explain) -> std::io::Result<ExitKind> {
    let Some(world) = load_world(term, &a.script, &a.model) else { return Ok(ExitKind::BadInput) };
    let program = world.program();
    let ex = explain(&program, a.call);
    match a.format {
        ExplainFormat::Human => {
            write_human(&render::explain_human(&program, &ex, &a.script.display().to_string()), false)?
        }
        ExplainFormat::Json => write_stdout(&render::explain_json(&program, &ex))?,
    }
    Ok(ExitKind::Ok)
}
