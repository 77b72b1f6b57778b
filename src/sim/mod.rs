//! Stage — **sim**: a seeded discrete-event simulation of calls under the recording rules.
//!
//! Input: a [`Script`](crate::script::Script), a [`Tenant`](crate::model::Tenant) and a
//! [`Traffic`](crate::model::Traffic). Output: one [`Outcome`] per contact (what was recorded,
//! by whom, when; statements; findings; the path) and a streaming aggregate [`Report`]
//! (FORMATS §5); for one contact, an `explain` timeline ([`TraceStep`]s).
//!
//! - `compile.rs`: script + tenant + traffic → [`Compiled`] (indices, small enums, draw purposes);
//! - `rng.rs`: keyed random draws — (seed, contact, purpose), never consumption order;
//! - `engine.rs`: one contact (SEMANTICS.md R1–R15, A-n), with an optional trace;
//! - `outcome.rs`: the per-contact [`Outcome`] and its JSONL line;
//! - `aggregate.rs`: [`Report`], merged across workers in any order with identical results;
//! - `explain.rs`: one contact's timeline.
//!
//! ```no_run
//! use recflow::{model::{Tenant, Traffic}, sim};
//! let script = recflow::script::load_path("scripts/consent-gdpr.yaml".as_ref())?;
//! let program = sim::Compiled::compile(&script, &Tenant::default(), &Traffic::default());
//! let report = sim::simulate(&program, 1000, |_| {});
//! println!("{} of {} calls recorded", report.recorded.any, report.calls);
//! # Ok::<(), recflow::script::LoadErrors>(())
//! ```
//!
//! Determinism: contact *i* depends only on (seed, i, script, tenant, traffic). Workers take
//! chunks of contact indices; reports merge by addition (integer milliseconds) and by minimum
//! (example contact ids), so `--jobs` never changes a byte of output.

pub mod aggregate;
pub mod compile;
pub mod driver;
pub mod engine;
pub mod explain;
pub mod ids;
pub mod linked;
pub mod outcome;
pub mod precision;
pub mod rng;
pub mod vars;

pub use aggregate::{Report, Tally, simulate, simulate_chunks, tally};
pub use compile::Compiled;
pub use driver::{PairSink, Sink};
pub use engine::{Engine, Observer, TraceStep};
pub use outcome::Outcome;
