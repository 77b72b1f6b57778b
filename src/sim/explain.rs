//! `explain`: one contact's timeline — a one-contact run of the driver with a [`Trace`] sink,
//! whose engine observer records the timeline. The same driver and engine run `simulate`, so
//! the timeline always matches what `simulate` counted (and `--calls-out` wrote) for that
//! contact (`tests/sim_invariants.rs`).

use super::compile::Compiled;
use super::driver::{self, Sink};
use super::engine::{Timeline, TraceStep};
use super::outcome::Outcome;

pub struct Explanation {
    pub outcome: Outcome,
    pub steps: Vec<TraceStep>,
}

/// The sink of `explain`: the contact's outcome and timeline.
#[derive(Default)]
pub struct Trace {
    pub outcome: Outcome,
    pub steps: Vec<TraceStep>,
}

impl Sink for Trace {
    type Observer = Timeline;
    fn contact(&mut self, out: &Outcome, seen: &mut Timeline) {
        self.outcome.clone_from(out);
        self.steps = std::mem::take(&mut seen.0);
    }
}

pub fn explain(p: &Compiled, contact: u64) -> Explanation {
    let mut kept = Trace::default();
    let _ = driver::run(p, contact..contact.saturating_add(1), 1, Trace::default, |t| {
        kept = t;
        Ok::<(), std::convert::Infallible>(())
    });
    Explanation { outcome: kept.outcome, steps: kept.steps }
}
