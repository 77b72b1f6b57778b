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
    if a.as_test {
        let name = a.script.display().to_string();
        let mut text = format!(
            "# contact {} of {name} as a `recflow test` case: paste it under `cases:` in a test file with\n\
             # `script: {name}` (path relative to the test file){}; keep or drop what matters (docs/testing.md)\n",
            a.call,
            model_note(&a.model)
        );
        text.push_str(&crate::scenario::as_test::case_yaml(&program, a.call, &name));
        write_stdout(&text)?;
        return Ok(ExitKind::Ok);
    }
    let ex = explain(&program, a.call);
    match a.format {
        ExplainFormat::Human => {
            write_human(&render::explain_human(&program, &ex, &a.script.display().to_string()), false)?
        }
        ExplainFormat::Json => write_stdout(&render::explain_json(&program, &ex))?,
    }
    Ok(ExitKind::Ok)
}

/// The tenant / traffic files the case needs too (`tenant:` / `traffic:` keys of the file).
fn model_note(m: &super::config::ModelOptions) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &m.tenant {
        parts.push(format!("`tenant: {}`", t.display()));
    }
    if let Some(t) = &m.traffic {
        parts.push(format!("`traffic: {}`", t.display()));
    }
    if parts.is_empty() { String::new() } else { format!(" and {}", parts.join(", ")) }
}
