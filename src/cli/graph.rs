//! `recflow graph SCRIPT [--format dot|mermaid]`: load a script, draw its flow to stdout.

use super::args::{GraphArgs, GraphFormat};
use super::{Outcome, load_or_report, write_stdout};
use crate::flow::Flow;
use crate::report::graph;

pub fn run(a: &GraphArgs) -> std::io::Result<Outcome> {
    let Some(script) = load_or_report(&a.script) else { return Ok(Outcome::BadInput) };
    let flow = Flow::new(&script);
    let text = match a.format {
        GraphFormat::Dot => graph::to_dot(&script, &flow),
        GraphFormat::Mermaid => graph::to_mermaid(&script, &flow),
    };
    write_stdout(&text)?;
    Ok(Outcome::Ok)
}
