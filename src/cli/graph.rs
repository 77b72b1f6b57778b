//! `recflow graph SCRIPT [--format dot|mermaid]`: load a script, draw its flow to stdout (with
//! every script it reaches by RUNSUB / RUNSCRIPT as clusters, docs/graph.md).

use super::args::{GraphArgs, GraphFormat};
use super::{ExitKind, load_or_report, write_stdout};
use crate::flow::Flow;
use crate::report::graph;

pub fn run(a: &GraphArgs) -> std::io::Result<ExitKind> {
    if a.heat {
        return run_heat(a);
    }
    let Some(script) = load_or_report(&a.script) else { return Ok(ExitKind::BadInput) };
    // A script that calls others (RUNSUB / RUNSCRIPT) is drawn with every script it reaches.
    let lib = match crate::library::load_with(script, &a.script, &a.model.library.options()) {
        Ok(lib) => lib,
        Err(errs) => {
            super::report_load_errors(&errs);
            return Ok(ExitKind::BadInput);
        }
    };
    super::config::report_warnings(&lib.warnings);
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
fn run_heat(a: &GraphArgs) -> std::io::Result<ExitKind> {
    let Some(model) = super::simulate::load_model(&a.script, &a.model) else { return Ok(ExitKind::BadInput) };
    let program = model.program();
    let heat = super::simulate::pool(a.model.jobs)?
        .install(|| crate::report::heat::collect(&model.script, &program));
    // Across scripts: each copy of a called script in its own cluster (the linked script's
    // RUNSUB / RETURN / RUNSCRIPT edges are its branches, so they carry their traffic).
    let clusters = model.linked.as_ref().map(crate::report::heat::clusters).unwrap_or_default();
    let text = match a.format {
        GraphFormat::Dot => crate::report::heat::to_dot_clustered(&model.script, &heat, &clusters),
        GraphFormat::Mermaid => crate::report::heat::to_mermaid_clustered(&model.script, &heat, &clusters),
    };
    write_stdout(&text)?;
    Ok(ExitKind::Ok)
}
