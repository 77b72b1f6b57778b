//! Stage — **sim**: a seeded discrete-event simulation of calls under the recording rules.
//!
//! Input: a [`Script`](crate::script::Script), a [`Tenant`](crate::model::Tenant) and a
//! [`Traffic`](crate::model::Traffic). Output: one [`Outcome`] per contact (what was recorded,
//! by whom, when; statements; findings; the path) and a streaming aggregate [`Report`]
//! (FORMATS §5); for one contact, an `explain` timeline ([`TraceStep`]s).
//!
//! - `compile.rs`: script + tenant + traffic → [`Compiled`] (actions as `script::ActionIx`,
//!   typed table ids from `ids.rs`, small enums, draw purposes); `linked.rs` compiles a linked
//!   library (RUNSUB / RUNSCRIPT) the same way; `vars.rs`: variable slots, `{var}` templates
//!   and compiled SNIPPETs; `sysvars.rs`: system variables (ANI, SKILL, AGENTID, …) written
//!   into the contact's variables when CXone would have them; `templated.rs`: `{var}` in typed
//!   properties and IF's `Expression`, rendered per contact;
//! - `rng.rs`: keyed random draws — (seed, contact, purpose), never consumption order;
//! - `engine/`: one contact (SEMANTICS.md R1–R15, A-n), one concern per file — `mod.rs` the
//!   event loop, `state.rs` the per-contact state in one struct reset as a whole, `events.rs`
//!   call phases and pending events, `dispatch.rs` one script action, `recording.rs` who records
//!   a segment (R2, R7–R12), `studio.rs` Studio's recording actions (R1, R3–R6),
//!   `statements.rs` recorded statements (R13), `observe.rs` what it reports to an [`Observer`]
//!   (nothing, a timeline, visits);
//! - `driver.rs`: **the one driver** — chunks of contacts on the rayon pool, a bounded reorder
//!   window, per-chunk [`Sink`]s emitted in contact order; nothing else runs the engine;
//! - `outcome.rs`: the per-contact [`Outcome`] and its JSONL line;
//! - `aggregate.rs`: the [`Tally`] / `Lines` sinks and the v1 [`Report`];
//! - `coverage.rs`: contacts per action and per wired branch (part of every [`Tally`]), the
//!   report's `coverage`;
//! - `explain.rs`: the `Trace` sink — one contact's timeline;
//! - `precision.rs`: `--precision` — consecutive ranges until every share is known to ±P;
//! - `exact.rs`: `--exact` — the same engine run once per combination of discrete choices
//!   (an `Exploring` source), each run's tally weighted by its probability; `thresholds.rs`:
//!   the closed forms that split random durations at the engine's comparisons; `live.rs`: the
//!   coverage counters a contact can still set from where its thread is (what of its coverage
//!   exact analysis keeps in a state).
//!
//! See `docs/architecture.md` for the diagram of stages and sinks.
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
pub mod coverage;
pub mod driver;
pub mod engine;
pub mod exact;
pub mod explain;
pub mod findings;
pub mod ids;
pub mod linked;
pub mod live;
pub mod outcome;
pub mod precision;
pub mod rng;
pub mod sysvars;
pub mod templated;
pub mod thresholds;
pub mod vars;

pub use aggregate::{Report, Tally, simulate, simulate_chunks, tally};
pub use compile::Compiled;
pub use driver::{PairSink, Sink};
pub use engine::{Engine, Mark, Observer, TraceStep};
pub use outcome::Outcome;
