//! recflow — offline analysis of NICE CXone Studio call scripts.
//!
//! The question recflow answers is always the same: *which calls, and which parts of each
//! call, will actually be recorded — and is that legal?* The crate is a pipeline of stages,
//! each a module with one typed output:
//!
//! | stage | module | input → output |
//! |---|---|---|
//! | plumbing | [`source`] | file text → spans, sources with a line index, located load errors, spanned YAML / JSON trees, did-you-mean |
//! | load | [`script`] | YAML / Studio JSON text → [`script::Script`] (every value keeps its span) |
//! | snippet | [`snippet`] | SNIPPET `Data` text → parsed / compiled programs |
//! | flow | [`flow`] | `Script` → [`flow::Flow`] (petgraph graph of actions and branches) |
//! | lint | [`lint`] | `Script` (+ `Flow`, tenant) → `Vec<lint::Diagnostic>`: properties proven over every path |
//! | render | [`report`] | `Script` / `Flow` → DOT, Mermaid, converted scripts, reports |
//! | cli | [`cli`] | command line → the stages above; the only module that touches the terminal |
//!
//! ```no_run
//! let script = recflow::script::load_path("scripts/consent-gdpr.yaml".as_ref())?;
//! let flow = recflow::flow::Flow::new(&script);
//! println!("{}", recflow::report::graph::to_dot(&script, &flow));
//! # Ok::<(), recflow::script::LoadErrors>(())
//! ```
pub mod cli;
pub mod diff;
pub mod flow;
pub mod library;
pub mod lint;
pub mod model;
pub mod report;
pub mod schema;
pub mod script;
pub mod sim;
pub mod snapshot;
pub mod snippet;
pub mod source;
pub mod stats;
