//! `simulate --precision P`: simulate until every reported share is known to ±P percentage
//! points (95% Wilson half-width), on a fixed schedule of checkpoints.
//!
//! The schedule is part of the contract (docs/simulate.md): checkpoints at 1 000 × 2^k contacts
//! (1 000, 2 000, 4 000, …), the last one capped at `--max-calls`. After each checkpoint the
//! widest half-width among the shares the report prints ([`Tally::widest_half_width`]) is
//! compared with P; the run stops at the first checkpoint where it is ≤ P, or at `--max-calls`.
//! Contacts `0..n` are simulated by the one driver ([`tally`] on consecutive ranges, merged),
//! whose tallies do not depend on the number of threads — so the stop, the number of calls and
//! every byte of the report are the same for any `--jobs`. Doubling keeps the overshoot below
//! 2× the calls strictly needed while re-checking only log₂(n/1000) times.

use super::aggregate::{Tally, tally};
use super::compile::Compiled;

/// The first checkpoint.
pub const FIRST: u64 = 1000;
/// `--max-calls` default.
pub const DEFAULT_MAX_CALLS: u64 = 1_000_000;

/// How a `--precision` run ended.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Precision {
    /// The target half-width P, in percentage points.
    pub target: f64,
    /// The widest 95% half-width reached, in percentage points (3 decimals).
    pub widest_half_width: f64,
    /// false: `max_calls` was reached before the target.
    pub reached: bool,
    pub max_calls: u64,
}

/// The checkpoints of the schedule: 1000, 2000, 4000, … capped at `max_calls` (at least 1).
pub fn checkpoints(max_calls: u64) -> impl Iterator<Item = u64> {
    let max = max_calls.max(1);
    let mut next = Some(FIRST.min(max));
    std::iter::from_fn(move || {
        let n = next?;
        next = if n >= max { None } else { Some(n.saturating_mul(2).min(max)) };
        Some(n)
    })
}

/// Simulate on the schedule until the widest half-width is ≤ `target` percentage points or
/// `max_calls` contacts ran (current rayon pool). `progress` gets the contacts done so far.
pub fn tally_to_precision(
    p: &Compiled,
    target: f64,
    max_calls: u64,
    mut progress: impl FnMut(u64),
) -> (Tally, Precision) {
    let mut total = Tally::new(p);
    let mut done = 0;
    let mut widest = f64::INFINITY;
    for n in checkpoints(max_calls) {
        let part = tally(p, done..n, |k| progress(done + k));
        total.merge(&part);
        done = n;
        widest = total.widest_half_width();
        if widest <= target {
            break;
        }
    }
    let precision = Precision {
        target,
        widest_half_width: (widest * 1000.0).round() / 1000.0,
        reached: widest <= target,
        max_calls,
    };
    (total, precision)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkpoints_double_from_1000_and_stop_at_the_cap() {
        assert_eq!(checkpoints(10_000).collect::<Vec<_>>(), [1000, 2000, 4000, 8000, 10_000]);
        assert_eq!(checkpoints(4000).collect::<Vec<_>>(), [1000, 2000, 4000]);
        assert_eq!(checkpoints(300).collect::<Vec<_>>(), [300]);
        assert_eq!(checkpoints(0).collect::<Vec<_>>(), [1]);
    }
}
