//! `recflow graph SCRIPT [--format dot|mermaid]`: load a script, draw its flow to stdout.

use super::args::{GraphArgs, GraphFormat};
use super::{ExitKind, load_or_report, write_stdout};
use crate::flow::Flow;
use crate::report::graph;

pub fn run(a: &GraphArgs) -> std::io::Result<ExitKind> {
    if a.heat {
        return run_heat(a);
    }
    let Some(script) = load_or_report(&a.script) else { return Ok(ExitKind::BadInput) };
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
    let text = match a.format {
        GraphFormat::Dot => crate::report::heat::to_dot(&model.script, &heat),
        GraphFormat::Mermaid => crate::report::heat::to_mermaid(&model.script, &heat),
    };
    write_stdout(&text)?;
    Ok(ExitKind::Ok)
}
