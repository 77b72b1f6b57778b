//! `recflow explain SCRIPT --call I`: one contact's timeline, from the same engine `simulate`
//! runs (with its trace on).

use super::args::{ExplainArgs, ExplainFormat};
use super::simulate::load_model;
use super::{ExitKind, write_stdout};
use crate::report::simulation as render;
use crate::sim::explain::explain;

pub fn run(a: ExplainArgs) -> std::io::Result<ExitKind> {
    let Some(model) = load_model(&a.script, &a.model) else { return Ok(ExitKind::BadInput) };
    let program = model.program();
    let ex = explain(&program, a.call);
    let text = match a.format {
        ExplainFormat::Human => render::explain_human(&program, &ex, &a.script.display().to_string()),
        ExplainFormat::Json => render::explain_json(&program, &ex),
    };
    write_stdout(&text)?;
    Ok(ExitKind::Ok)
}
