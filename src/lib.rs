//! recflow — offline analysis of NICE CXone Studio call scripts.
//!
//! The question recflow answers is always the same: *which calls, and which parts of each
//! call, will actually be recorded — and is that legal?* The crate is a pipeline of stages,
//! each a module with one typed output:
//!
//! | stage | module | input → output |
//! |---|---|---|
//! | plumbing | [`source`] | file text → spans, sources with a line index, located load errors, spanned YAML / JSON trees, did-you-mean |
//! | load | [`script`] | YAML / Studio JSON text → [`script::Script`] (every value keeps its span; facts such as consent and sensitive prompts decided once) |
//! | library | [`library`] | entry script → every script it reaches by RUNSUB / RUNSCRIPT, linked into one script |
//! | model | [`model`] | tenant / traffic text → [`model::Tenant`], [`model::Traffic`] |
//! | snippet | [`snippet`] | SNIPPET `Data` and `{…}` templates → parsed / compiled programs |
//! | flow | [`flow`] | `Script` → [`flow::Flow`] (petgraph graph of actions and branches) |
//! | lint | [`lint`] | `Script` (+ `Flow`, tenant) → `Vec<lint::Diagnostic>`: properties proven over every path |
//! | sim | [`sim`] | `Script` + `Tenant` + `Traffic` → [`sim::Compiled`] → per-contact [`sim::Outcome`]s through the one driver into sinks → [`sim::Report`] |
//! | diff | [`diff`] | two scripts, one model → outcome-class transitions + structural diff |
//! | snapshot | [`snapshot`] | a script's outcomes → a canonical, reviewable YAML file |
//! | render | [`report`] | `Script` / `Flow` / results → DOT, Mermaid, heat, text / JSON reports, HTML |
//! | cli | [`cli`] | command line → the stages above; the only module that touches the terminal |
//!
//! Helpers: [`stats`] (interval estimates for shares), [`schema`] (JSON Schemas of the outputs).
//! `docs/architecture.md` draws the stages, the simulation driver and its sinks.
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
pub mod scenario;
pub mod schema;
pub mod script;
pub mod sim;
pub mod snapshot;
pub mod snippet;
pub mod source;
pub mod stats;
