//! The one deterministic parallel driver: the only code that runs the engine.
//!
//! Input: a [`Compiled`] program (or two, for `diff`), a range of contact indices and a sink
//! factory. Output: one sink per *chunk* of contacts, handed to the caller's `emit` in contact
//! order. Every consumer of simulated contacts is a sink on this driver (ripgrep: the searcher
//! pushes into a `Sink`, the printers implement it):
//!
//! | sink | lives in | what it keeps per chunk |
//! |---|---|---|
//! | [`Tally`](super::aggregate::Tally) | `sim/aggregate.rs` | the v1 report's counters |
//! | [`Lines`](super::aggregate::Lines) | `sim/aggregate.rs` | tally + the chunk's `--calls-out` JSONL |
//! | `Classes` | `diff/run.rs` | outcome-class counts (`snapshot`, `diff`) |
//! | `Part` (a [`PairSink`]) | `diff/run.rs` | class transitions old → new |
//! | `HeatPart` | `report/heat.rs` | per-action visits and recording state |
//! | [`Trace`](super::explain) | `sim/explain.rs` | one contact's outcome and timeline |
//!
//! Determinism: chunk boundaries are multiples of the chunk size counted from contact 0, so they
//! depend only on contact indices, never on threads; each chunk runs on a fresh engine whose
//! per-contact state is reset for every contact; chunks are emitted in order. So the emitted
//! sequence is identical for any `--jobs`, and running a range chunk by chunk (`--precision`:
//! call [`run`] on consecutive ranges until a condition holds) gives the same sinks as one call.
//!
//! Memory: at most [`window`] chunks are in flight (the bounded reorder window): finished
//! chunks wait for the earlier ones, then are emitted and dropped. Memory is therefore
//! `window × chunk × (size of one contact's sink data)`, independent of the number of contacts.

use std::ops::Range;

use rayon::prelude::*;

use super::compile::Compiled;
use super::engine::{Engine, Observer};
use super::outcome::Outcome;
use super::rng::{Sampled, Source};

/// Contacts per chunk for sinks that keep counters (report, classes, heat).
pub const CHUNK: u64 = 4096;

/// Receives the contacts of one chunk, in contact order.
pub trait Sink: Send {
    /// What the engine must report while running a contact (`()`: nothing, at no cost).
    type Observer: Observer + Default + Send;
    /// One contact: its outcome and what the observer saw (the sink clears what it takes).
    fn contact(&mut self, out: &Outcome, seen: &mut Self::Observer);
}

/// Receives one contact simulated under two programs (`diff`: same caller, old and new script).
pub trait PairSink: Send {
    fn contact(&mut self, old: &Outcome, new: &Outcome);
}

/// Chunks in flight at once: enough to keep every worker of the current pool busy while the
/// oldest chunk finishes, small enough that memory stays flat. Does not affect output.
pub fn window() -> u64 {
    (4 * rayon::current_num_threads() as u64).max(8)
}

/// Simulate `contacts` (current rayon pool) in chunks of `chunk` contacts, each into a sink from
/// `new_sink`, and hand the sinks to `emit` in contact order. Stops at the first error `emit`
/// returns (no later chunk is emitted).
pub fn run<S: Sink, E>(
    p: &Compiled,
    contacts: Range<u64>,
    chunk: u64,
    new_sink: impl Fn() -> S + Sync,
    emit: impl FnMut(S) -> Result<(), E>,
) -> Result<(), E> {
    run_with(p, &Sampled, contacts, chunk, new_sink, emit)
}

/// [`run`] with the decisions of `source` (a test case's [`Scripted`](super::rng::Scripted)
/// plan) taken first and draws for the rest: `recflow test` and `explain --as-test` run their
/// contacts here, through the same engine and sinks as `simulate`.
pub fn run_with<'p, D: Source<'p> + Sync, S: Sink, E>(
    p: &'p Compiled,
    source: &D,
    contacts: Range<u64>,
    chunk: u64,
    new_sink: impl Fn() -> S + Sync,
    emit: impl FnMut(S) -> Result<(), E>,
) -> Result<(), E> {
    schedule(
        contacts,
        chunk,
        |range| {
            let mut engine = Engine::with_source(p, S::Observer::default(), source.clone());
            let mut out = Outcome::default();
            let mut sink = new_sink();
            for id in range {
                engine.run(id, &mut out);
                sink.contact(&out, engine.observer());
            }
            sink
        },
        emit,
    )
}

/// [`run`] for two programs compiled with the same tenant and traffic: contact *i* meets the
/// same caller in both (draws are keyed by contact and purpose).
pub fn run_pair<S: PairSink, E>(
    old: &Compiled,
    new: &Compiled,
    contacts: Range<u64>,
    chunk: u64,
    new_sink: impl Fn() -> S + Sync,
    emit: impl FnMut(S) -> Result<(), E>,
) -> Result<(), E> {
    schedule(
        contacts,
        chunk,
        |range| {
            let (mut eo, mut en) = (Engine::new(old), Engine::new(new));
            let (mut oo, mut on) = (Outcome::default(), Outcome::default());
            let mut sink = new_sink();
            for id in range {
                eo.run(id, &mut oo);
                en.run(id, &mut on);
                sink.contact(&oo, &on);
            }
            sink
        },
        emit,
    )
}

/// One contact's outcome (a one-contact [`run`]): what `explain` and `diff`'s examples show.
pub fn one(p: &Compiled, id: u64) -> Outcome {
    struct Keep(Outcome);
    impl Sink for Keep {
        type Observer = ();
        fn contact(&mut self, out: &Outcome, _: &mut ()) {
            self.0.clone_from(out);
        }
    }
    let mut kept = Outcome::default();
    let _ = run(
        p,
        id..id.saturating_add(1),
        1,
        || Keep(Outcome::default()),
        |k| {
            kept = k.0;
            Ok::<(), ()>(())
        },
    );
    kept
}

/// The chunks of `contacts`: boundaries at multiples of `chunk` counted from contact 0.
fn chunks(contacts: Range<u64>, chunk: u64) -> impl Iterator<Item = Range<u64>> {
    let chunk = chunk.max(1);
    let mut at = contacts.start;
    std::iter::from_fn(move || {
        if at >= contacts.end {
            return None;
        }
        let end = ((at / chunk).saturating_add(1)).saturating_mul(chunk).min(contacts.end);
        let r = at..end;
        at = end;
        Some(r)
    })
}

/// Run `work` on the chunks of `contacts`, [`window`] chunks at a time in parallel, and emit
/// the results in chunk order.
fn schedule<T: Send, E>(
    contacts: Range<u64>,
    chunk: u64,
    work: impl Fn(Range<u64>) -> T + Sync,
    mut emit: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let window = window() as usize;
    let mut all = chunks(contacts, chunk).peekable();
    let mut batch: Vec<Range<u64>> = Vec::with_capacity(window);
    while all.peek().is_some() {
        batch.clear();
        batch.extend(all.by_ref().take(window));
        let parts: Vec<T> = batch.par_iter().map(|r| work(r.clone())).collect();
        for part in parts {
            emit(part)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Issue 10.7: the reorder window bounds the chunks alive at once, whatever the number of
    /// contacts (so `--calls-out` memory does not grow with `--calls`).
    #[test]
    fn at_most_a_window_of_chunks_is_alive() {
        static ALIVE: AtomicUsize = AtomicUsize::new(0);
        static PEAK: AtomicUsize = AtomicUsize::new(0);
        struct Counted(u64);
        impl Drop for Counted {
            fn drop(&mut self) {
                ALIVE.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let mut order = Vec::new();
        pool.install(|| {
            schedule(
                0..100_000,
                7,
                |r| {
                    let n = ALIVE.fetch_add(1, Ordering::SeqCst) + 1;
                    PEAK.fetch_max(n, Ordering::SeqCst);
                    Counted(r.start)
                },
                |c| {
                    order.push(c.0);
                    Ok::<(), ()>(())
                },
            )
        })
        .unwrap();
        assert!(PEAK.load(Ordering::SeqCst) <= 12, "peak {}", PEAK.load(Ordering::SeqCst));
        assert!(order.windows(2).all(|w| w[0] < w[1]), "emitted in contact order");
        assert_eq!(order.len(), 100_000usize.div_ceil(7));
    }

    #[test]
    fn chunk_boundaries_depend_only_on_contact_indices() {
        let all: Vec<_> = chunks(0..10, 4).collect();
        assert_eq!(all, vec![0..4, 4..8, 8..10]);
        // A range that starts mid-chunk is cut at the same absolute boundaries.
        let part: Vec<_> = chunks(5..13, 4).collect();
        assert_eq!(part, vec![5..8, 8..12, 12..13]);
        assert_eq!(chunks(3..3, 4).count(), 0);
        assert_eq!(chunks(u64::MAX - 1..u64::MAX, 4096).count(), 1);
    }
}
