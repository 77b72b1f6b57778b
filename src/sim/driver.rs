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

use std::collections::VecDeque;
use std::ops::Range;
use std::sync::{Condvar, Mutex, MutexGuard};

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

/// Contact `id` run again and again on one engine whose chance comes from `source`, on the
/// calling thread: exact analysis (`sim::exact`) replays a different prefix of choices in each
/// run. After every run `next` sees the outcome and the engine (to read and set its source)
/// and says whether to run again. One thread, so the order of runs — and the output — is
/// fixed.
pub fn rerun<'p, D: Source<'p>>(
    p: &'p Compiled,
    source: D,
    id: u64,
    mut next: impl FnMut(&Outcome, &mut Engine<'p, (), D>) -> bool,
) {
    let mut engine = Engine::with_source(p, (), source);
    let mut out = Outcome::default();
    loop {
        engine.run(id, &mut out);
        if !next(&out, &mut engine) {
            return;
        }
    }
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
#[cfg(test)]
fn chunks(contacts: Range<u64>, chunk: u64) -> impl Iterator<Item = Range<u64>> {
    let all = Chunks::new(contacts, chunk);
    (0..all.len()).map(move |i| all.get(i))
}

/// The chunks of a range, by index (so that any thread can take "the next one").
#[derive(Clone, Debug)]
struct Chunks {
    contacts: Range<u64>,
    chunk: u64,
    /// Index of the chunk the range starts in, counted from contact 0.
    first: u64,
}

impl Chunks {
    fn new(contacts: Range<u64>, chunk: u64) -> Chunks {
        let chunk = chunk.max(1);
        Chunks { first: contacts.start / chunk, contacts, chunk }
    }

    fn len(&self) -> u64 {
        if self.contacts.start >= self.contacts.end {
            return 0;
        }
        (self.contacts.end - 1) / self.chunk - self.first + 1
    }

    /// Chunk `i` (`i < len`).
    fn get(&self, i: u64) -> Range<u64> {
        let k = self.first + i;
        let from = k.saturating_mul(self.chunk).max(self.contacts.start);
        let to = (k.saturating_add(1)).saturating_mul(self.chunk).min(self.contacts.end);
        from..to
    }
}

/// What the threads of one [`schedule`] share, under one lock.
struct State<T> {
    /// Chunks handed out so far (the next to run is chunk `next`).
    next: u64,
    /// Chunks emitted so far (their results are gone): at most [`window`] chunks past this
    /// one are handed out, so at most a window of results is alive.
    emitted: u64,
    /// The results of chunks `base..next`, in chunk order; `None` while one runs.
    slots: VecDeque<Option<T>>,
    base: u64,
    /// The caller stopped (an `emit` error) or a worker panicked: nobody takes more chunks.
    stop: bool,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    /// Signalled when a result arrives or a chunk is emitted (a window slot frees up).
    changed: Condvar,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wait<'a>(&self, g: MutexGuard<'a, State<T>>) -> MutexGuard<'a, State<T>> {
        self.changed.wait(g).unwrap_or_else(|e| e.into_inner())
    }

    /// Hand out the next chunk if there is one and the window has room.
    fn claim(&self, st: &mut State<T>, n: u64, window: u64) -> Option<u64> {
        if st.stop || st.next >= n || st.next >= st.emitted + window {
            return None;
        }
        st.next += 1;
        st.slots.push_back(None);
        Some(st.next - 1)
    }

    /// Store the result of chunk `i`.
    fn store(&self, i: u64, t: T) {
        let mut st = self.lock();
        let at = (i - st.base) as usize;
        st.slots[at] = Some(t);
        drop(st);
        self.changed.notify_all();
    }
}

/// Marks the run stopped if a worker unwinds, so that the caller does not wait for its chunk
/// forever (the scope then re-raises the panic).
struct StopOnUnwind<'a, T>(&'a Shared<T>);

impl<T> Drop for StopOnUnwind<'_, T> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.lock().stop = true;
            self.0.changed.notify_all();
        }
    }
}

/// Run `work` on the chunks of `contacts` on every thread of the current rayon pool and emit
/// the results in chunk order, on the calling thread.
///
/// No barrier: every thread takes the next chunk as soon as it is done with one (a shared
/// counter), as long as it is less than [`window`] chunks ahead of the oldest chunk not yet
/// emitted; the calling thread emits whatever is next in order and otherwise runs chunks too.
/// Waiting is on a condition variable, never a spin. One thread: a plain loop.
fn schedule<T: Send, E>(
    contacts: Range<u64>,
    chunk: u64,
    work: impl Fn(Range<u64>) -> T + Sync,
    mut emit: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let all = Chunks::new(contacts, chunk);
    let n = all.len();
    // The calling thread works too when it is one of the pool's threads.
    let threads = rayon::current_num_threads() as u64;
    let helpers = if rayon::current_thread_index().is_some() { threads - 1 } else { threads };
    let helpers = helpers.min(n.saturating_sub(1));
    if helpers == 0 {
        for i in 0..n {
            emit(work(all.get(i)))?;
        }
        return Ok(());
    }
    let window = window();
    let shared = Shared {
        state: Mutex::new(State { next: 0, emitted: 0, slots: VecDeque::new(), base: 0, stop: false }),
        changed: Condvar::new(),
    };
    let (shared, all, work) = (&shared, &all, &work);
    rayon::in_place_scope(|scope| {
        for _ in 0..helpers {
            scope.spawn(move |_| {
                let _stop = StopOnUnwind(shared);
                let mut st = shared.lock();
                loop {
                    if st.stop || st.next >= n {
                        return;
                    }
                    match shared.claim(&mut st, n, window) {
                        Some(i) => {
                            drop(st);
                            shared.store(i, work(all.get(i)));
                            st = shared.lock();
                        }
                        None => st = shared.wait(st),
                    }
                }
            });
        }
        let _stop = StopOnUnwind(shared);
        let mut st = shared.lock();
        loop {
            if matches!(st.slots.front(), Some(Some(_))) {
                let Some(Some(t)) = st.slots.pop_front() else { unreachable!() };
                st.base += 1;
                drop(st);
                let res = emit(t);
                st = shared.lock();
                st.emitted += 1;
                if res.is_err() {
                    st.stop = true;
                }
                drop(st);
                shared.changed.notify_all();
                res?;
                st = shared.lock();
            } else if st.emitted >= n || st.stop {
                // Done, or a worker panicked (the scope re-raises it).
                return Ok(());
            } else if let Some(i) = shared.claim(&mut st, n, window) {
                drop(st);
                shared.store(i, work(all.get(i)));
                st = shared.lock();
            } else {
                st = shared.wait(st);
            }
        }
    })
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

    /// An `emit` error stops the run: no later chunk is emitted, and the error comes back
    /// (with several threads taking chunks ahead of the emitter).
    #[test]
    fn an_emit_error_stops_at_that_chunk() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let mut seen = Vec::new();
        let res = pool.install(|| {
            schedule(
                0..10_000,
                10,
                |r| r.start,
                |start| {
                    seen.push(start);
                    if start == 500 { Err(start) } else { Ok(()) }
                },
            )
        });
        assert_eq!(res, Err(500));
        assert_eq!(seen, (0..=50).map(|i| i * 10).collect::<Vec<u64>>());
    }

    /// A panicking chunk does not leave the emitter waiting for it: the panic reaches the
    /// caller.
    #[test]
    fn a_panicking_chunk_reaches_the_caller() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.install(|| {
                schedule(
                    0..1_000,
                    1,
                    |r| {
                        assert!(r.start != 37, "chunk 37 fails");
                        r.start
                    },
                    |_| Ok::<(), ()>(()),
                )
            })
        }));
        assert!(caught.is_err());
    }

    /// The same emitted sequence on 1, 2 and 5 threads (chunk results in contact order).
    #[test]
    fn the_emitted_sequence_does_not_depend_on_threads() {
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut got = Vec::new();
            pool.install(|| {
                schedule(
                    3..10_003,
                    64,
                    |r| r.clone().map(|i| i.wrapping_mul(0x9E37_79B9)).fold(0u64, u64::wrapping_add),
                    |x| {
                        got.push(x);
                        Ok::<(), ()>(())
                    },
                )
            })
            .unwrap();
            got
        };
        let one = run(1);
        assert_eq!(one.len(), 157);
        assert_eq!(run(2), one);
        assert_eq!(run(5), one);
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
