//! `explain`: one contact's timeline. The same engine runs with its trace sink on, so the
//! timeline always matches what `simulate` counted for that contact.

use super::compile::Compiled;
use super::engine::{Engine, TraceStep};
use super::outcome::Outcome;

pub struct Explanation {
    pub outcome: Outcome,
    pub steps: Vec<TraceStep>,
}

pub fn explain(p: &Compiled, contact: u64) -> Explanation {
    let mut engine = Engine::new(p);
    let mut outcome = Outcome::default();
    let steps = engine.explain(contact, &mut outcome);
    Explanation { outcome, steps }
}
