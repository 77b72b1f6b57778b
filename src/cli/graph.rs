//! `recflow graph SCRIPT [--format dot|mermaid]`: load a script, draw its flow to stdout (with
//! every script it reaches by RUNSUB / RUNSCRIPT as clusters, docs/graph.md).

use super::args::GraphFormat;
use super::config::{Graph, Term};
use super::world::{load_script, load_world};
use super::{ExitKind, write_stdout};
use crate::flow::Flow;
use crate::report::graph;

pub fn run(term: &Term, a: &Graph) -> std::io::Result<ExitKind> {
    if a.heat {
        return run_heat(term, a);
    }
    let Some(script) = load_script(term, &a.script) else { return Ok(ExitKind::BadInput) };
    // A script that calls others (RUNSUB / RUNSCRIPT) is drawn with every script it reaches.
    let lib = match crate::library::load_with(script, &a.script, &a.model.library) {
        Ok(lib) => lib,
        Err(errs) => {
            term.load_errors(&errs);
            return Ok(ExitKind::BadInput);
        }
    };
    term.warnings(&lib.warnings);
    if !lib.is_single() {
        let text = match a.format {
            GraphFormat::Dot => graph::to_dot_library(&lib),
            GraphFormat::Mermaid => graph::to_mermaid_library(&lib),
        };
        write_stdout(&text)?;
        return Ok(ExitKind::Ok);
    }
    let script = lib.scripts.into_iter().next().expect("a library has its entry").script;
    let flow = Flow::new(&script);
    let text = match a.format {
        GraphFormat::Dot => graph::to_dot(&script, &flow),
        GraphFormat::Mermaid => graph::to_mermaid(&script, &flow),
    };
    write_stdout(&text)?;
    Ok(ExitKind::Ok)
}

/// `--heat`: simulate with the model options, then draw the flow shaded by traffic.
fn run_heat(term: &Term, a: &Graph) -> std::io::Result<ExitKind> {
    let Some(world) = load_world(term, &a.script, &a.model) else { return Ok(ExitKind::BadInput) };
    let program = world.program();
    let heat = a.model.pool()?.install(|| crate::report::heat::collect(&world.script, &program));
    // Across scripts: each copy of a called script in its own cluster (the linked script's
    // RUNSUB / RETURN / RUNSCRIPT edges are its branches, so they carry their traffic).
    let clusters = world.linked.as_ref().map(crate::report::heat::clusters).unwrap_or_default();
    let text = match a.format {
        GraphFormat::Dot => crate::report::heat::to_dot_clustered(&world.script, &heat, &clusters),
        GraphFormat::Mermaid => crate::report::heat::to_mermaid_clustered(&world.script, &heat, &clusters),
    };
    write_stdout(&text)?;
    Ok(ExitKind::Ok)
}
