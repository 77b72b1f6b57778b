//! Stage — **render**: scripts, flows and results → text (DOT, Mermaid, reports, HTML). Pure
//! functions returning `String`s; the CLI decides where they go.
//!
//! - `graph.rs`: [`Script`](crate::script::Script) + [`Flow`](crate::flow::Flow) → DOT / Mermaid
//!   (`recflow graph`), clusters per called script;
//! - `heat.rs`: the `HeatPart` sink on the simulation driver → per-action traffic share and
//!   recording state (`graph --heat`);
//! - `simulation.rs`: the v1 [`Report`](crate::sim::Report) and `explain` timelines → human /
//!   JSON / YAML;
//! - `assumptions.rs`: the traffic and tenant a run assumed, in words;
//! - `verdict.rs`: the verdict a report opens with, decided once (sampled or exact) and shown
//!   by the text and HTML views;
//! - `html/`: `recflow report` — one self-contained HTML page over the results above.

pub mod assumptions;
pub mod exact;
pub mod graph;
pub mod heat;
pub mod html;
pub mod simulation;
pub mod verdict;
