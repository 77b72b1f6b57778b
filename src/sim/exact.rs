//! Exact analysis (`simulate --exact`): the probability of everything the sampled report
//! counts, computed by enumerating the engine's random choices instead of drawing them.
//!
//! Input: a [`Compiled`] program. Output: an [`Exact`] — per report key (`recorded.any`,
//! `findings.recorded_without_consent`, `coverage.branches.consent/1`, …) a probability, as a
//! fraction where it is exact, plus what kept any part from being exact.
//!
//! Method (docs/exact.md): the same engine runs the contact again and again (one verdict,
//! many views — no second interpreter). Its source of chance is [`Exploring`]: every
//! *discrete* draw (`chance`, `index`, `weighted`: MENU inputs, traffic-branched actions,
//! policy sampling, agent picks, agent events, press sequences, direction / ANI / DNIS) is a
//! branch point of a choice tree. A run replays a prefix of choices; at the first draw past
//! the prefix it records the draw's outcomes and their probabilities, takes the first and goes
//! on; the other outcomes become prefixes of later runs (depth-first search; a run starts from
//! the engine state saved after the last draw it shares with the run before, not from
//! arrival: [`Source::resume`]). Each
//! run ends in one leaf, whose probability is the product of the chosen outcomes'
//! probabilities, kept as a fraction (`num-rational`). The leaf's outcome is tallied by the
//! report's own [`Tally`]; a key's probability is the sum over leaves of mass × count.
//!
//! What is not exact, and said so ([`Exact::not_exact`]):
//! - **Random durations** (`exp`, `uniform`: queue wait, patience, talk) are kept symbolic and
//!   split at the engine's comparisons in closed form (`sim::thresholds`, SEMANTICS A-29):
//!   exact (a time after an action of random length on either side of a fixed one: split at
//!   points learned by exploring again, [`MAX_SPLIT_POINTS`]). Where that has no closed form
//!   here (events inside a random talk, two random times pending at once) the first run
//!   that needs it says why ([`Source::cannot`]) and the analysis is redone *hybrid*: the
//!   durations are sampled `samples` times (keyed draws, as `simulate`),
//!   the discrete choices are still enumerated exactly for each sample, and each probability
//!   is the mean over the samples with a 99.9% interval valid for any number of samples
//!   (`stats::mean_interval_01`).
//! - **Snippet `random()`** and a Snippet's choice on an unknown value are drawn outside the
//!   keyed draws: hybrid as above (they vary with the sample).
//! - **Loops** (a MENU repeating on no input) make the tree infinite: a state that repeats on
//!   its own path is a loop, solved as linear equations (and `--sensitivity` through them by
//!   the derivative of that system); a loop whose state grows is cut where a path's
//!   probability falls below [`CUT`], its mass reported as `residual`; every probability then
//!   lies in `[p, p + residual]`.
//! - More than [`MAX_RUNS`] runs, or more than [`MAX_WORK`] steps of work (the engine's actions
//!   and events, and each run's path and fraction: long paths cost more than their runs): an
//!   error, never a hang.
//!
//! **Merging across paths** (docs/exact.md): a state whose whole subtree is explored, with no
//! back edge from inside it to a state above, is stored (`Store`, at most
//! [`MAX_STORED_BYTES`]); a later run that comes to an equal state ends there (a reference),
//! and [`commit`] counts everything below the stored state once more per reference, adding the
//! reference's own open recording's and statement's lengths and settled coverage (`sim::live`)
//! as rewards. No probability changes; only the runs, leaves and classes explored drop (a test compares every
//! example both ways: `exact::explore_unmerged`). Off under `--sensitivity` and hybrid.

use std::collections::HashMap;

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, ToPrimitive, Zero};

use super::aggregate::Tally;
use super::compile::Compiled;
use super::driver;
use super::outcome::Outcome;
use super::rng::{Draws, Purpose, Source};

/// Runs of the engine (leaves of the choice tree, over all samples) before exact analysis
/// stops with an error (docs/limits.md).
pub const MAX_RUNS: u64 = 1_000_000;

/// Steps of work of one exact analysis (all its runs, samples and explorations together)
/// before it stops with an error, as [`MAX_RUNS`] does (docs/limits.md). A step is an action
/// or an event the engine runs (a resumed run's replay included) or a unit of Snippet and
/// template work (`snippet::MAX_CONTACT_WORK`), each run adds 50 ([`RUN_WORK`]) and the
/// length of its path of choices and the 64-bit words of its probability's fraction — what
/// its arithmetic, its copies and the sums over the leaves cost, which grows with the path.
/// The runs alone do not bound the time: a bounded random time against a 1 s hold loop
/// splits once per turn, and each run's path, and fraction, grows with the turns. Counted,
/// not timed, so the result never depends on the machine; chosen so that the slowest kind of
/// step measured (fractions of long paths) stays within about 30 s of one core of a 2-core
/// machine (docs/exact.md "Budget").
pub const MAX_WORK: u64 = 250_000_000;

/// The steps of work a run counts besides its own ([`MAX_WORK`]): its tally, class and
/// bookkeeping cost about as much as 50 actions of the engine.
const RUN_WORK: u64 = 50;

/// What an exploration may spend: runs of the engine and steps of work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub runs: u64,
    pub work: u64,
}

impl Budget {
    /// [`MAX_RUNS`] and [`MAX_WORK`].
    pub const DEFAULT: Budget = Budget { runs: MAX_RUNS, work: MAX_WORK };
}

/// A path whose probability falls below this is not explored (2⁻⁵⁰ ≈ 8.9e-16): only loops make
/// such paths, and their total mass is reported as the residual.
pub const CUT: f64 = 1.0 / (1u64 << 50) as f64;

/// The error probability of the hybrid mode's intervals (99.9%; `stats::mean_interval_01`).
const DELTA: f64 = 0.001;

/// The source of chance of exact analysis: replays `prefix`, then branches.
#[derive(Clone, Debug)]
pub struct Exploring {
    /// Outcome index of each branch point to replay, in the order the run meets them.
    prefix: Vec<u32>,
    /// Outcomes taken in this run (the prefix, then the new ones).
    path: Vec<u32>,
    /// Probability of the path so far, and the same as an f64 (compared with [`CUT`] without
    /// converting a fraction whose terms grow with the path).
    mass: BigRational,
    mass_f: f64,
    /// Outcomes of new branch points not taken in this run: (position in `path`, outcome).
    alternatives: Vec<(usize, u32)>,
    /// This run fell below [`CUT`] at a new branch point: it is not a leaf, its mass is in
    /// `residual` already, and it only runs to its end.
    cut: bool,
    /// Purposes whose draws were cut in this run.
    cut_at: Vec<Purpose>,
    /// Purposes drawn as continuous values (durations, times) in this run.
    continuous: Vec<Purpose>,
    /// `--sensitivity`: every weighted or yes/no draw of the run — its purpose, the outcome
    /// taken and the outcome probabilities (uniform picks are not traffic weights).
    track: bool,
    visits: Vec<Visit>,
    /// The outcome probabilities of each draw as fractions, computed once per purpose and
    /// parameters (a weighted draw's cumulative weights, a yes/no draw's probability, a uniform
    /// pick's size): replays meet the same draws again and again.
    cache: HashMap<(u32, u64), (Vec<f64>, std::sync::Arc<Probs>)>,
    /// Merge equal states (loops, below): off when a Snippet reads the clock, and when a
    /// sample is explored again after its loops could not be solved.
    merge: bool,
    /// Path length at the last checkpoint: the next is due after a new draw.
    last_checkpoint: usize,
    /// The states this run has been in since its last draw, one per checkpoint.
    checkpoints: Vec<Checkpoint>,
    /// Hash of an encoded state → the last of `checkpoints` with that hash (the others are
    /// chained by [`Checkpoint::same_hash`]); states are compared byte for byte, each stored
    /// once, in its checkpoint.
    seen: HashMap<u64, usize, crate::source::hash::FxBuild>,
    /// This run came back to the state of `checkpoints[i]`: it ends there, a back edge (after
    /// the first `back_at` choices).
    back_edge: Option<usize>,
    back_at: usize,
    /// With `back_edge`: per open recording and statement, the recorded-time total it goes to
    /// and the ms it recorded since that state (a reward: `engine::fingerprint` leaves its
    /// length out).
    back_ms: Rewards<u64>,
    /// Cut outcomes of this run: (position in `path`, mass) — each is scaled by the visits of
    /// the loop it lies in when loops are solved.
    cuts: Vec<(usize, BigRational)>,
    /// Random durations are symbolic (threshold splitting, `sim::thresholds`); off when a
    /// sample is explored again with sampled durations.
    symbolic: bool,
    /// Why this run could not keep its durations symbolic (the first reason; with the
    /// duration drawn, when a draw was the reason).
    cannot: Option<(String, Option<Purpose>)>,
    /// A threshold probability of this run has no exact fraction (an exponential's CDF):
    /// taken as its f64's exact value.
    irrational: bool,
    /// What this source was at each state the engine saved in this run ([`Source::saved`]):
    /// a later run whose choices share the first `Mark::path` resumes from there.
    marks: Vec<Mark>,
    /// Path length at the last save: the next is due after a new draw.
    last_save: usize,
    /// Save nothing and resume nothing: every run replays its prefix from arrival (a test
    /// compares the two).
    replay: bool,
    /// The draw being decided is one of a talk's symbolic times ([`Source::split`]): its
    /// outcomes are never cut — such splits are finite (the talk ends), so a path made unlikely
    /// by them is no loop, and cutting it would report a residual and a loop that are not there.
    uncut: bool,
    /// Merge equal states across paths (memoisation: docs/exact.md "Merging across paths"):
    /// a run that comes to a state whose whole subtree an earlier run explored ends there, and
    /// that subtree's result is counted again for it. Off with `merge` off, under
    /// `--sensitivity` and with sampled durations (hybrid).
    memo: bool,
    /// The states whose subtrees are explored and self-contained, this sample.
    store: Store,
    /// This run came to `store.states[i]`: it ends there (a *reference*), with its open
    /// recording and statement then (their lengths may differ from the stored ones': rewards).
    ref_to: Option<(usize, crate::sim::rng::OpenRec)>,
    /// With `ref_to`: the settled coverage of this run there.
    ref_settled: Vec<u8>,
    /// Split points of the random times of actions of random length, per duration purpose
    /// (counter; absolute clock ms, ascending): learned by earlier explorations of this
    /// analysis ([`Source::learn`]), fixed during this one.
    learned: Learned,
    /// The most orders of a talk's items split exactly ([`MAX_ORDERS`], [`FEW_ORDERS`]).
    max_orders: f64,
    /// Split points this run found it needs ([`Source::learn`]): the exploration stops and
    /// starts again with them.
    needs: Vec<(u32, u64)>,
}

/// Split points per duration purpose (its counter; absolute clock ms, ascending).
type Learned = Vec<(u32, Vec<u64>)>;

/// The most split points exact analysis learns for the random times of actions of random
/// length, over all of them (docs/limits.md): each one learned means exploring again, so past
/// it the analysis is hybrid, the reason named.
pub const MAX_SPLIT_POINTS: usize = 16;

/// Bytes of encoded states (and their paths) the store of merged states may hold per sample
/// (docs/limits.md): past it, no further state is stored (those met later are explored again,
/// as before merging was built; the result is the same, only more runs are needed).
pub const MAX_STORED_BYTES: usize = 256 << 20;

/// States whose whole subtree has been explored, with no loop leaving it (a back edge from
/// inside to a state above): a later run that comes to an equal state ends there.
#[derive(Clone, Debug, Default)]
struct Store {
    states: Vec<Stored>,
    /// Hash of an encoded state → the last stored state with that hash (the others are chained
    /// by [`Stored::same_hash`]); compared byte for byte.
    index: HashMap<u64, usize, crate::source::hash::FxBuild>,
    bytes: usize,
    /// [`MAX_STORED_BYTES`] was reached.
    full: bool,
}

#[derive(Clone, Debug)]
struct Stored {
    state: Vec<u8>,
    same_hash: Option<usize>,
    /// The open recording and statement there (their lengths are rewards, not in `state`),
    /// and the settled coverage of the path that reached it first.
    rec: crate::sim::rng::OpenRec,
    settled: Vec<u8>,
}

/// Per open interval whose length is a reward (the recording, the statement:
/// [`crate::sim::rng::OpenRec`]), the recorded-time total it goes to and how many ms it adds.
type Rewards<T> = [Option<(usize, T)>; 2];

impl Store {
    fn find(&self, hash: u64, state: &[u8]) -> Option<usize> {
        let mut at = self.index.get(&hash).copied();
        while let Some(i) = at {
            if self.states[i].state == state {
                return Some(i);
            }
            at = self.states[i].same_hash;
        }
        None
    }

    /// Store checkpoint `c` (its subtree is explored).
    fn insert(&mut self, c: &Checkpoint) {
        let size = c.state.len() + c.settled.len() + 4 * c.pos + 160;
        if self.full || self.bytes + size > MAX_STORED_BYTES {
            self.full = true;
            return;
        }
        if self.find(c.hash, &c.state).is_some() {
            return;
        }
        self.bytes += size;
        let same_hash = self.index.insert(c.hash, self.states.len());
        self.states.push(Stored {
            state: c.state.clone(),
            same_hash,
            rec: c.rec,
            settled: c.settled.clone(),
        });
    }
}

/// The source's part of a saved state: everything a run builds is appended to, so lengths
/// say what it was (and the mass, which is multiplied).
#[derive(Clone, Debug)]
struct Mark {
    path: usize,
    mass: BigRational,
    mass_f: f64,
    continuous: usize,
    visits: usize,
    checkpoints: usize,
    last_checkpoint: usize,
}

/// The outcome probabilities of one draw, as fractions and as the f64 the cut compares.
#[derive(Debug)]
struct Probs {
    exact: Vec<BigRational>,
    float: Vec<f64>,
}

impl Probs {
    fn new(exact: Vec<BigRational>) -> Probs {
        let float = exact.iter().map(|q| q.to_f64().unwrap_or(0.0)).collect();
        Probs { exact, float }
    }
}

/// `a × b` not reduced: a path's mass is only multiplied, compared and, at its leaf, added in
/// (which reduces); a gcd at every draw was most of the cost of a run.
fn times(a: &BigRational, b: &BigRational) -> BigRational {
    BigRational::new_raw(a.numer() * b.numer(), a.denom() * b.denom())
}

/// A weighted or yes/no draw of a run (`--sensitivity`): its position in the path, purpose,
/// the outcome taken and the outcome probabilities.
type Visit = (usize, Purpose, u32, Vec<BigRational>);

/// One state of a run, after a draw.
#[derive(Clone, Debug)]
struct Checkpoint {
    /// Draws before it (its position in the path).
    pos: usize,
    /// The path's probability there.
    mass: BigRational,
    /// The script thread's next action.
    at: Option<crate::script::ActionIx>,
    /// The encoded state and the end of each of its parts (`engine::fingerprint`).
    state: Vec<u8>,
    parts: Vec<(&'static str, usize)>,
    /// The open recording and statement there (their lengths are not in `state`).
    rec: crate::sim::rng::OpenRec,
    /// The settled coverage counters there (u32 each, ascending: `engine::fingerprint`).
    settled: Vec<u8>,
    /// The state's hash, and the checkpoint before it with the same hash.
    hash: u64,
    same_hash: Option<usize>,
}

impl Default for Exploring {
    fn default() -> Self {
        Exploring {
            prefix: Vec::new(),
            path: Vec::new(),
            mass: BigRational::one(),
            mass_f: 1.0,
            alternatives: Vec::new(),
            cut: false,
            cut_at: Vec::new(),
            continuous: Vec::new(),
            track: false,
            visits: Vec::new(),
            cache: HashMap::new(),
            merge: false,
            last_checkpoint: 0,
            checkpoints: Vec::new(),
            seen: HashMap::default(),
            back_edge: None,
            back_at: 0,
            back_ms: [None; 2],
            cuts: Vec::new(),
            symbolic: false,
            cannot: None,
            irrational: false,
            marks: Vec::new(),
            last_save: 0,
            replay: false,
            memo: false,
            store: Store::default(),
            ref_to: None,
            ref_settled: Vec::new(),
            uncut: false,
            learned: Vec::new(),
            max_orders: FEW_ORDERS,
            needs: Vec::new(),
        }
    }
}

impl Exploring {
    /// One discrete draw with outcome probabilities `probs` (zeros allowed, summing to 1).
    fn decide(&mut self, purpose: Purpose, p: &Probs) -> usize {
        let (probs, float) = (&p.exact, &p.float);
        let pos = self.path.len();
        if let Some(&k) = self.prefix.get(pos) {
            self.mass = times(&self.mass, &probs[k as usize]);
            self.mass_f *= float[k as usize];
            self.path.push(k);
            return k as usize;
        }
        let likeliest =
            || (0..probs.len()).max_by(|&a, &b| probs[a].cmp(&probs[b]).then(b.cmp(&a))).unwrap_or(0);
        if self.cut || self.back_edge.is_some() || self.ref_to.is_some() {
            let k = likeliest();
            self.path.push(k as u32);
            return k;
        }
        let mut chosen: Option<(usize, f64)> = None;
        for (k, pk) in probs.iter().enumerate() {
            if pk.is_zero() {
                continue;
            }
            let child_f = self.mass_f * float[k];
            if child_f < CUT && !self.uncut {
                self.cuts.push((pos, times(&self.mass, pk)));
                if !self.cut_at.contains(&purpose) {
                    self.cut_at.push(purpose);
                }
            } else if chosen.is_none() {
                chosen = Some((k, child_f));
            } else {
                self.alternatives.push((pos, k as u32));
            }
        }
        let k = match chosen {
            Some((k, child_f)) => {
                self.mass = times(&self.mass, &probs[k]);
                self.mass_f = child_f;
                k
            }
            None => {
                self.cut = true;
                likeliest()
            }
        };
        self.path.push(k as u32);
        k
    }

    /// The cached outcome probabilities under `key` (and `cumulative`, compared: a purpose
    /// keeps its weights, but a cache must not rely on it), else `make`'s.
    fn probabilities(
        &mut self,
        key: (u32, u64),
        cumulative: &[f64],
        make: impl FnOnce() -> Vec<BigRational>,
    ) -> std::sync::Arc<Probs> {
        match self.cache.get(&key) {
            Some((c, probs)) if c.as_slice() == cumulative => probs.clone(),
            _ => {
                let probs = std::sync::Arc::new(Probs::new(make()));
                self.cache.insert(key, (cumulative.to_vec(), probs.clone()));
                probs
            }
        }
    }
}

impl Source<'_> for Exploring {
    fn reset(&mut self) {
        self.path.clear();
        self.mass = BigRational::one();
        self.mass_f = 1.0;
        self.alternatives.clear();
        self.cut = false;
        self.cut_at.clear();
        self.continuous.clear();
        self.visits.clear();
        self.last_checkpoint = 0;
        self.checkpoints.clear();
        self.seen.clear();
        self.back_edge = None;
        self.ref_to = None;
        self.cuts.clear();
        self.cannot = None;
        self.needs.clear();
        self.irrational = false;
        self.marks.clear();
        self.last_save = 0;
    }

    const RESUMES: bool = true;

    fn save_due(&self) -> bool {
        // Past a cut or a back edge the run makes no new branch point: nothing resumes there.
        !self.replay
            && !self.cut
            && self.back_edge.is_none()
            && self.ref_to.is_none()
            && self.path.len() > self.last_save
    }

    fn saved(&mut self, n: usize) {
        self.marks.truncate(n);
        self.marks.push(Mark {
            path: self.path.len(),
            mass: self.mass.clone(),
            mass_f: self.mass_f,
            continuous: self.continuous.len(),
            visits: self.visits.len(),
            checkpoints: self.checkpoints.len(),
            last_checkpoint: self.last_checkpoint,
        });
        self.last_save = self.path.len();
    }

    fn resume(&mut self) -> Option<usize> {
        // The prefix's last choice is the one no run has taken yet; the choices before it are
        // the last run's (depth-first order), so are its saved states up to there. The run
        // goes on from the latest of them as a replay of the prefix would have reached it: a
        // replayed choice adds no alternative, cut or residual, so those start empty.
        let pos = self.prefix.len().checked_sub(1)?;
        let i = self.marks.iter().rposition(|m| m.path <= pos)?;
        self.marks.truncate(i + 1);
        let m = &self.marks[i];
        debug_assert!(self.path.len() >= m.path && self.path[..m.path] == self.prefix[..m.path]);
        self.path.truncate(m.path);
        self.mass.clone_from(&m.mass);
        self.mass_f = m.mass_f;
        self.alternatives.clear();
        self.cut = false;
        self.cut_at.clear();
        self.continuous.truncate(m.continuous);
        self.visits.truncate(m.visits);
        // Last first: each is the head of its hash's chain when it goes.
        while self.checkpoints.len() > m.checkpoints {
            let Some(c) = self.checkpoints.pop() else { break };
            match c.same_hash {
                Some(j) => self.seen.insert(c.hash, j),
                None => self.seen.remove(&c.hash),
            };
        }
        self.last_checkpoint = m.last_checkpoint;
        self.back_edge = None;
        self.ref_to = None;
        self.cuts.clear();
        self.needs.clear();
        self.last_save = m.path;
        Some(i)
    }

    const MERGES: bool = true;
    const SYMBOLIC: bool = true;

    fn symbolic(&self) -> bool {
        self.symbolic
    }

    fn max_orders(&self) -> f64 {
        self.max_orders
    }

    fn threshold(&mut self, p: Purpose, q: &super::thresholds::Prob) -> bool {
        let below = match &q.exact {
            Some(x) => x.clone(),
            None => {
                self.irrational = true;
                BigRational::from_float(q.f).unwrap_or_else(BigRational::zero)
            }
        };
        self.decide(p, &Probs::new(vec![BigRational::one() - &below, below])) == 1
    }

    fn split(&mut self, p: Purpose, q: &[super::thresholds::Prob]) -> usize {
        let mut probs: Vec<BigRational> = q
            .iter()
            .map(|q| match &q.exact {
                Some(x) => x.clone(),
                None => {
                    self.irrational = true;
                    BigRational::from_float(q.f).unwrap_or_else(BigRational::zero)
                }
            })
            .collect();
        // f64 closed forms (a queue race's pieces, `thresholds::race`) sum to 1 only up to
        // rounding: the last outcome takes the rest of the mass exactly, so none is lost.
        if q.iter().any(|q| q.exact.is_none())
            && let Some(last) = probs.iter().rposition(|x| !x.is_zero())
        {
            let rest: BigRational = probs[..last].iter().sum();
            probs[last] = (BigRational::one() - rest).max(BigRational::zero());
        }
        self.uncut = true;
        let k = self.decide(p, &Probs::new(probs));
        self.uncut = false;
        k
    }

    fn cannot(&mut self, why: String) {
        if self.symbolic && self.cannot.is_none() {
            self.cannot = Some((why, None));
        }
    }

    fn split_points(&self, p: Purpose) -> &[u64] {
        self.learned.iter().find(|(c, _)| *c == p.counter).map_or(&[], |(_, v)| v.as_slice())
    }

    fn learn(&mut self, p: Purpose, at: u64) -> bool {
        // A point already learned is applied wherever it lies inside the random time's cell,
        // so it is never needed again: refused, so that exploring again always learns something.
        if !self.symbolic || self.split_points(p).contains(&at) {
            return false;
        }
        // A run past a cut, a back edge or a stored state only goes on to its end, its values
        // unused: what it meets there is not needed (learning it would explore everything again).
        if self.cut || self.back_edge.is_some() || self.ref_to.is_some() {
            return true;
        }
        if self.needs.contains(&(p.counter, at)) {
            return true;
        }
        let learned: usize = self.learned.iter().map(|(_, v)| v.len()).sum();
        if learned + self.needs.len() >= MAX_SPLIT_POINTS {
            return false;
        }
        self.needs.push((p.counter, at));
        true
    }

    fn checkpoint_due(&self) -> bool {
        // A cut run only goes on to its end (it is no leaf): its states are not needed.
        self.merge
            && !self.cut
            && self.path.len() > self.last_checkpoint
            && self.back_edge.is_none()
            && self.ref_to.is_none()
    }

    fn checkpoint(
        &mut self,
        state: &[u8],
        parts: &[(&'static str, usize)],
        at: Option<crate::script::ActionIx>,
        rec: crate::sim::rng::OpenRec,
    ) -> bool {
        let pos = self.path.len();
        self.last_checkpoint = pos;
        // The state's parts; after them, the settled coverage (not compared: a reward).
        let (state, settled) = state.split_at(parts.last().map_or(state.len(), |&(_, e)| e));
        let hash = {
            use std::hash::Hasher;
            let mut h = crate::source::hash::FxHasher::default();
            h.write(state);
            h.finish()
        };
        let head = self.seen.get(&hash).copied();
        let mut same = head;
        // The same state, and the same open recording and statement (a state whose recording
        // started elsewhere is another one, though no such pair is known to occur: a recording
        // that closed after recording anything is in the state).
        let same_rec = |c: &Checkpoint| c.rec.open == rec.open;
        while let Some(j) = same {
            if self.checkpoints[j].state == state && same_rec(&self.checkpoints[j]) {
                break;
            }
            same = self.checkpoints[j].same_hash;
        }
        if let Some(i) = same {
            // A return that is certain (no draw on the way had another outcome) is no loop the
            // equations can solve: the run goes on (and the step limit ends it).
            if self.cut {
                return true;
            }
            if self.mass < self.checkpoints[i].mass {
                self.back_edge = Some(i);
                self.back_at = pos;
                let then = self.checkpoints[i].rec;
                self.back_ms = rec.open.map(|o| o.map(|(total, _)| (total, rec.now - then.now)));
                return true;
            }
            return false;
        }
        // Not on this path, but explored from another one, with everything that can follow:
        // a reference to it ends the run (its subtree's result counts again, for this path).
        if self.memo
            && let Some(i) = self.store.find(hash, state)
        {
            self.ref_to = Some((i, rec));
            self.ref_settled.clear();
            self.ref_settled.extend_from_slice(settled);
            return true;
        }
        self.seen.insert(hash, self.checkpoints.len());
        self.checkpoints.push(Checkpoint {
            pos,
            mass: self.mass.clone(),
            at,
            state: state.to_vec(),
            parts: parts.to_vec(),
            rec,
            settled: settled.to_vec(),
            hash,
            same_hash: head,
        });
        false
    }

    fn chance(&mut self, _d: &mut Draws, p: Purpose, prob: f64) -> bool {
        // The sampled draw's edge cases: never at 0 or below, always at 1 or above.
        if prob <= 0.0 || prob >= 1.0 || prob.is_nan() {
            return prob >= 1.0;
        }
        let probs = self.probabilities((p.counter, prob.to_bits()), &[], || {
            let q = rational(prob, 1.0);
            vec![BigRational::one() - &q, q]
        });
        let k = self.decide(p, &probs);
        if self.track {
            self.visits.push((self.path.len() - 1, p, k as u32, probs.exact.clone()));
        }
        k == 1
    }

    fn index(&mut self, _d: &mut Draws, p: Purpose, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let probs = self.probabilities((p.counter, n as u64), &[], || {
            vec![BigRational::new(BigInt::one(), BigInt::from(n)); n]
        });
        self.decide(p, &probs)
    }

    fn weighted(&mut self, _d: &mut Draws, p: Purpose, cumulative: &[f64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(0.0);
        // As `Draws::weighted`: no positive weight means the last entry.
        if cumulative.len() <= 1 || total.is_nan() || total <= 0.0 {
            return cumulative.len().saturating_sub(1);
        }
        let weights = self.probabilities((p.counter, u64::MAX), cumulative, || {
            let mut prev = 0.0;
            let mut weights: Vec<BigRational> = cumulative
                .iter()
                .map(|&c| {
                    let w = (c - prev).max(0.0);
                    prev = c;
                    if w > 0.0 { rational(w, total) } else { BigRational::zero() }
                })
                .collect();
            let sum: BigRational = weights.iter().fold(BigRational::zero(), |a, w| a + w);
            for w in &mut weights {
                *w = &*w / &sum;
            }
            weights
        });
        let k = self.decide(p, &weights);
        if self.track {
            self.visits.push((self.path.len() - 1, p, k as u32, weights.exact.clone()));
        }
        k
    }

    fn class(&mut self, _d: &mut Draws, p: Purpose, cumulative: &[f64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(0.0);
        if cumulative.len() <= 1 || total <= 0.0 {
            return 0;
        }
        // Class sizes are whole numbers: the fractions are exact. Cached apart from the traffic
        // weights' draws of the same purpose (`weighted`'s key).
        let sizes = self.probabilities((p.counter, u64::MAX - 1), cumulative, || {
            let mut prev = 0.0;
            cumulative
                .iter()
                .map(|&c| {
                    let w = c - prev;
                    prev = c;
                    BigRational::new(BigInt::from(w as u64), BigInt::from(total as u64))
                })
                .collect()
        });
        self.decide(p, &sizes)
    }

    fn unit(&mut self, d: &mut Draws, p: Purpose) -> f64 {
        self.continuous(p);
        d.unit(p)
    }

    fn open_unit(&mut self, d: &mut Draws, p: Purpose) -> f64 {
        self.continuous(p);
        d.open_unit(p)
    }
}

impl Exploring {
    /// A duration drawn while durations are symbolic: threshold splitting has no place for it.
    fn continuous(&mut self, p: Purpose) {
        if self.symbolic && self.cannot.is_none() {
            self.cannot = Some((String::new(), Some(p)));
        }
        if !self.continuous.contains(&p) {
            self.continuous.push(p);
        }
    }
}

/// `x` (> 0) as a fraction: the simplest fraction with a denominator up to 10⁷ within
/// `scale × 2⁻⁴⁸` of it (weights are decimals in YAML, and sums and quotients of them in f64
/// carry rounding of a few ulps: 0.93 / 3 reads as 31/100), else the exact binary value of the
/// f64. The denominator bound keeps an arbitrary real from matching a fraction by chance
/// (every real has fractions within 1/q² of it).
pub fn rational(x: f64, scale: f64) -> BigRational {
    let tol = scale.abs().max(x.abs()) * (1.0 / (1u64 << 48) as f64);
    // Continued fraction convergents h/k of x.
    let (mut h0, mut h1): (i128, i128) = (0, 1);
    let (mut k0, mut k1): (i128, i128) = (1, 0);
    let mut r = x;
    for _ in 0..64 {
        let a = r.floor();
        if !a.is_finite() || a > 1e15 {
            break;
        }
        let ai = a as i128;
        let (h2, k2) = (ai * h1 + h0, ai * k1 + k0);
        (h0, h1, k0, k1) = (h1, h2, k1, k2);
        if k1 > 10_000_000 {
            break;
        }
        if (x - h1 as f64 / k1 as f64).abs() <= tol {
            return BigRational::new(BigInt::from(h1), BigInt::from(k1));
        }
        let frac = r - a;
        if frac <= 0.0 {
            break;
        }
        r = 1.0 / frac;
    }
    BigRational::from_float(x).unwrap_or_else(BigRational::zero)
}

/// One key's probability (or expectation).
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    /// The key's path in the report (`["recorded", "any"]`).
    pub path: Vec<String>,
    pub value: f64,
    /// The exact fraction (`"1/22"`), when the whole analysis is exact.
    pub rational: Option<String>,
    /// The same fraction as a number (`diff --exact` subtracts them).
    pub ratio: Option<BigRational>,
    /// Hybrid mode: the 99.9% interval `[lo, hi]` of the mean over the duration samples
    /// (`stats::mean_interval_01`: valid for any number of samples, inside [0, 1]).
    pub interval: Option<[f64; 2]>,
}

/// The result of [`explore`].
#[derive(Clone, Debug)]
pub struct Exact {
    /// Every probability is exact: no random duration, no Snippet randomness, no residual.
    pub exact: bool,
    /// Probabilities, in report key order (contact shares: each in [0, 1]).
    pub probabilities: Vec<Value>,
    /// Expected values per contact (statements, recorded seconds): not probabilities.
    pub expected: Vec<Value>,
    /// Runs of the engine (leaves, plus runs that ended below the cut).
    pub runs: u64,
    /// Leaves of the choice tree, and distinct tallies among them.
    pub leaves: u64,
    pub classes: usize,
    /// Merging across paths: states whose explored subtree was stored, and runs that ended at
    /// one of them instead of exploring it again (each counts that subtree once more).
    pub stored: u64,
    pub merged: u64,
    /// Samples of the random durations (1 when none was drawn).
    pub samples: u64,
    /// Mass below [`CUT`], not explored (per sample, averaged).
    pub residual: f64,
    pub residual_rational: Option<String>,
    /// What kept parts from being exact, one sentence each.
    pub not_exact: Vec<String>,
    /// `--sensitivity` (exact runs only; empty otherwise). Through solved loops too: the
    /// derivative of the loops' linear system.
    pub sensitivity: Vec<Sensitivity>,
    /// Loops solved exactly: the actions where their states repeat (ids, sorted).
    pub loops: Vec<String>,
    /// The report's sentence about them, when there are any.
    pub loop_note: Option<String>,
    /// Random durations were split at thresholds where an exponential's CDF gave the
    /// probability: exact for the continuous-time model, evaluated in f64 — no fractions.
    pub closed_form_f64: bool,
}

/// [`explore`] gave up: the choice tree needs more than [`MAX_RUNS`] runs, or more than
/// [`MAX_WORK`] steps of work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManyRuns {
    /// Runs of the engine and steps of work spent when it stopped (the runs of the
    /// exploration that stopped; the work of the whole analysis).
    pub runs: u64,
    pub work: u64,
    /// The budget that was passed, and its value.
    pub limit: Limit,
}

/// Which part of a [`Budget`] an exploration passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    Runs(u64),
    Work(u64),
}

impl TooManyRuns {
    /// What `simulate`, `diff` and `report --exact` say (after `recflow: --exact: `), with the
    /// script's name when there are several.
    pub fn message(&self, on: Option<&str>) -> String {
        let on = on.map(|n| format!(" on {n}")).unwrap_or_default();
        match self.limit {
            Limit::Runs(max) => {
                format!(
                    "stopped after {} runs of the engine{on} (the limit is {max}, docs/limits.md)",
                    self.runs
                )
            }
            Limit::Work(max) => format!(
                "exact analysis needs more than {max} steps of the engine{on} (the work budget, \
                 docs/limits.md): stopped after {} runs and {} steps",
                self.runs, self.work
            ),
        }
    }
}

/// A sum of fractions, most of them with one of a few denominators (a leaf's mass is not
/// reduced: the product of its draws' denominators, which the leaves of a class mostly share):
/// the numerators are added per denominator, and the terms reduced and added once, at the end.
/// A term whose denominator divides a kept one's, or is a multiple of it, joins that term
/// without a gcd: the unreduced masses of paths that extend one another (the turns of a hold
/// loop) have such nested denominators, and reducing a sum of fractions of ten thousand bits
/// at every term was most of the cost of a long exploration.
#[derive(Default)]
struct Sum {
    /// (denominator, numerator) per kept term.
    terms: Vec<(BigInt, BigInt)>,
    /// The term the last addition joined: tried first (terms come in depth-first order).
    last: usize,
}

impl Sum {
    /// Add `c × r`.
    fn add(&mut self, r: &BigRational, c: u64) {
        let n = if c == 1 { r.numer().clone() } else { r.numer() * BigInt::from(c) };
        self.add_term(r.denom(), n);
    }

    /// Add `n / d` (`d` > 0).
    fn add_term(&mut self, d: &BigInt, n: BigInt) {
        if let Some(i) = self.terms.iter().position(|(e, _)| e == d) {
            self.terms[i].1 += n;
            self.last = i;
            return;
        }
        let order = std::iter::once(self.last).chain((0..self.terms.len()).filter(|&i| i != self.last));
        for i in order.take(self.terms.len()) {
            if join(&mut self.terms[i], d, &n) {
                self.last = i;
                return;
            }
        }
        // Many unrelated denominators (loops scale masses): fold them into one reduced term.
        if self.terms.len() >= 16 {
            let t = self.total();
            self.terms = vec![(t.denom().clone(), t.numer().clone())];
        }
        self.terms.push((d.clone(), n));
        self.last = self.terms.len() - 1;
    }

    /// Add `c × r` for a signed `c`.
    fn add_signed(&mut self, r: &BigRational, c: i64) {
        self.add_term(r.denom(), r.numer() * BigInt::from(c));
    }

    fn total(&self) -> BigRational {
        let (mut num, mut den) = (BigInt::zero(), BigInt::one());
        for (d, n) in &self.terms {
            let g = gcd(&den, d);
            num = num * (d / &g) + n * (&den / &g);
            den = den / g * d;
        }
        ratio(num, den)
    }
}

/// The greatest common divisor of `a` and `b` (≥ 0). `num-bigint`'s (Stein's, bit by bit) takes
/// one pass over the longer number per bit of it when the other is short — a path's mass is a
/// long numerator over a power of two times a few small factors, and reducing it with
/// `BigRational::new` was most of the cost of a long exploration. So: the factors of two are
/// taken out by shifts, and a long number against a short one by a remainder (Euclid's step)
/// until both are short or of a similar length.
fn gcd(a: &BigInt, b: &BigInt) -> BigInt {
    use num_bigint::BigUint;
    let (a, b) = (a.magnitude(), b.magnitude());
    if a.is_zero() || b.is_zero() {
        return BigInt::from(a + b);
    }
    let twos = a.trailing_zeros().unwrap_or(0).min(b.trailing_zeros().unwrap_or(0));
    let (mut a, mut b): (BigUint, BigUint) =
        (a >> a.trailing_zeros().unwrap_or(0), b >> b.trailing_zeros().unwrap_or(0));
    loop {
        if a < b {
            std::mem::swap(&mut a, &mut b);
        }
        if b.is_zero() {
            break;
        }
        if let (Some(x), Some(y)) = (a.to_u64(), b.to_u64()) {
            a = BigUint::from(x.gcd(&y));
            break;
        }
        if a.bits() < b.bits() + 64 {
            a = a.gcd(&b);
            break;
        }
        a %= &b;
    }
    BigInt::from(a << twos)
}

/// `n / d` reduced, as `BigRational::new` gives it (the sign on the numerator), with [`gcd`].
fn ratio(n: BigInt, d: BigInt) -> BigRational {
    let g = gcd(&n, &d);
    let (n, d) = if g.is_one() { (n, d) } else { (n / &g, d / g) };
    if d.sign() == num_bigint::Sign::Minus {
        BigRational::new_raw(-n, -d)
    } else {
        BigRational::new_raw(n, d)
    }
}

/// `a × b`, reduced with [`gcd`].
fn product(a: &BigRational, b: &BigRational) -> BigRational {
    ratio(a.numer() * b.numer(), a.denom() * b.denom())
}

/// `(e, m) += n / d` without a gcd when one denominator divides the other (one division, of
/// a cost in the quotient's length); false, and nothing changed, when neither does.
fn join((e, m): &mut (BigInt, BigInt), d: &BigInt, n: &BigInt) -> bool {
    use std::cmp::Ordering;
    match d.bits().cmp(&e.bits()) {
        Ordering::Greater => {
            let (q, rest) = d.div_rem(e);
            if !rest.is_zero() {
                return false;
            }
            *m *= q;
            *m += n;
            e.clone_from(d);
            true
        }
        _ => {
            let (q, rest) = e.div_rem(d);
            if !rest.is_zero() {
                return false;
            }
            *m += n * q;
            true
        }
    }
}

/// Leaves with equal tallies (durations aside), merged.
struct Group {
    tally: Tally,
    /// Exact total mass (over samples): added up in `sum`, reduced once at the end.
    mass: BigRational,
    sum: Sum,
    /// Hybrid: mass per sample.
    per_sample: Vec<(u32, f64)>,
    /// `--sensitivity`: Σ d mass / dθ over the group's leaves, per (purpose counter, outcome).
    sensitivity: std::collections::BTreeMap<(u32, u32), BigRational>,
}

/// The counters of a one-contact tally that say which class it is (recorded time aside: a
/// reward, accumulated separately).
fn class_key(t: &Tally) -> Vec<u64> {
    let mut k = vec![
        t.any,
        t.full,
        t.agent_only,
        t.ivr,
        t.studio,
        t.rod,
        t.policy,
        t.dnr,
        t.abandoned,
        t.hung_up_in_ivr,
        t.captured,
        t.saved,
        t.lost,
        t.unmodelled_snippet,
    ];
    k.extend_from_slice(&t.findings);
    k.extend_from_slice(&t.policy_matched);
    k.extend_from_slice(&t.policy_recorded);
    k.push(u64::MAX);
    k.extend_from_slice(&t.unmodelled);
    k.push(u64::MAX);
    k.extend_from_slice(&t.templated_fallback);
    k.push(u64::MAX);
    k.extend_from_slice(&t.consent_answers);
    k.extend_from_slice(&t.without_by_answer);
    k.extend_from_slice(&t.without_by);
    k.extend_from_slice(&t.class_contacts);
    // Coverage sparsely: a run touches a few hundred of a large script's thousands of
    // counters. (index, count) of each counter above 0; the part before has the same length
    // for every tally of one program once its lists of variable length are read (each ends in
    // u64::MAX, which no count reaches), so equal keys are still equal tallies.
    for (i, c) in t.coverage.counts().enumerate() {
        if c > 0 {
            k.push(i as u64);
            k.push(c);
        }
    }
    k
}

/// Explore `p`'s choice tree: exactly when no run draws a random duration, else over `samples`
/// samples of the durations (contacts `0..samples` of the program's seed).
pub fn explore(p: &Compiled, samples: u64) -> Result<Exact, TooManyRuns> {
    explore_with(p, samples, MAX_RUNS, false)
}

/// Steps of work so far ([`MAX_WORK`]), in every exploration of this process: read only by
/// the progress display, as [`RUNS_SO_FAR`].
pub static WORK_SO_FAR: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Runs of the engine so far, in every exploration of this process: read only by `simulate
/// --exact`'s progress display on a terminal (never by a result, so outputs stay the same).
pub static RUNS_SO_FAR: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// [`explore`] with a run budget of `max_runs` instead of [`MAX_RUNS`].
pub fn explore_within(p: &Compiled, samples: u64, max_runs: u64) -> Result<Exact, TooManyRuns> {
    explore_with(p, samples, max_runs, false)
}

/// [`explore_within`], and with `sensitivity` the derivative of every violation finding's
/// probability per unit of each traffic probability ([`Exact::sensitivity`]; exact runs only).
pub fn explore_with(
    p: &Compiled,
    samples: u64,
    max_runs: u64,
    sensitivity: bool,
) -> Result<Exact, TooManyRuns> {
    explore_budget(p, samples, Budget { runs: max_runs, work: MAX_WORK }, sensitivity)
}

/// [`explore_with`] within `budget` (a test's small work budget; not a user option).
#[doc(hidden)]
pub fn explore_budget(
    p: &Compiled,
    samples: u64,
    budget: Budget,
    sensitivity: bool,
) -> Result<Exact, TooManyRuns> {
    explore_runs(p, samples, budget, sensitivity, false, Merging::Paths)
}

/// [`explore_within`] without merging states across paths (loops are still solved): the
/// result is the same, with more runs (a test compares the two; not a user option).
#[doc(hidden)]
pub fn explore_unmerged(p: &Compiled, samples: u64, max_runs: u64) -> Result<Exact, TooManyRuns> {
    explore_runs(p, samples, Budget { runs: max_runs, work: MAX_WORK }, false, false, Merging::Loops)
}

/// [`explore_within`] merging no states at all: loops are unrolled and cut at [`CUT`], as
/// before they were solved (a test compares a solved loop with its cut run; not a user option).
#[doc(hidden)]
pub fn explore_cut(p: &Compiled, samples: u64, max_runs: u64) -> Result<Exact, TooManyRuns> {
    explore_runs(p, samples, Budget { runs: max_runs, work: MAX_WORK }, false, false, Merging::Nothing)
}

/// Which equal states exploration merges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Merging {
    /// None: loops are cut at [`CUT`].
    Nothing,
    /// A state equal to one on the run's own path: loops, solved.
    Loops,
    /// Loops, and a state equal to one explored from another path (docs/exact.md "Merging
    /// across paths").
    Paths,
}

/// [`explore_with`]; `replay`: every run starts at arrival and replays its prefix of choices,
/// instead of resuming from a state an earlier run saved (the result is the same: a test
/// compares them). Random durations symbolic first (threshold splitting) — again with the
/// split points a run found it needs, as long as it needs new ones ([`MAX_SPLIT_POINTS`]) —;
/// where that cannot go, the whole analysis again with them sampled (hybrid), saying why.
fn explore_runs(
    p: &Compiled,
    samples: u64,
    budget: Budget,
    sensitivity: bool,
    replay: bool,
    merging: Merging,
) -> Result<Exact, TooManyRuns> {
    // Work spent by every exploration below (the work budget is the whole analysis's).
    let mut work = 0u64;
    // Split points of actions of random length, learned exploration by exploration (at most
    // `MAX_SPLIT_POINTS`: each exploration that needs more learns at least one, or says why not).
    let mut learned: Learned = Vec::new();
    // The most orders of a talk's items split exactly: many first; where that passes the run
    // or work budget, few (the talk's times are then sampled, hybrid, instead of no answer).
    let mut max_orders = MAX_ORDERS;
    let why = loop {
        let symbolic = Symbolic { learned: &learned, max_orders };
        let found =
            match explore_as(p, samples, (budget, &mut work), sensitivity, (replay, merging), Some(symbolic))
            {
                Err(_) if max_orders > FEW_ORDERS && super::engine::most_orders(p).1 > FEW_ORDERS => {
                    // Its own work budget: the exploration with many orders spent this one's.
                    max_orders = FEW_ORDERS;
                    work = 0;
                    continue;
                }
                found => found?,
            };
        match found {
            Ok(e) => return Ok(e),
            Err(Fallback::Learn(points)) => {
                for (counter, at) in points {
                    match learned.iter_mut().find(|(c, _)| *c == counter) {
                        Some((_, v)) => v.push(at),
                        None => learned.push((counter, vec![at])),
                    }
                }
                learned.sort_by_key(|(c, _)| *c);
                for (_, v) in &mut learned {
                    v.sort_unstable();
                    v.dedup();
                }
            }
            Err(Fallback::Cannot(why)) => break why,
        }
    };
    let mut e = match explore_as(p, samples, (budget, &mut work), sensitivity, (replay, merging), None)? {
        Ok(e) => e,
        Err(_) => unreachable!("sampled durations never need symbolic ones"),
    };
    e.not_exact.insert(
        0,
        format!("random durations are not split exactly at their thresholds (docs/exact.md): {why}"),
    );
    Ok(e)
}

/// The most orders of one talk's agent events and presses that threshold splitting
/// enumerates at first ([`explore_runs`]; docs/limits.md): 200 000 takes ~120 000 runs and under
/// a second for the statement scripts (10 items); past it, or where the first exploration passes
/// the run budget, [`FEW_ORDERS`].
pub const MAX_ORDERS: f64 = 200_000.0;

/// The most orders split exactly where [`MAX_ORDERS`] passed the run budget (6! = 720: the six
/// agent behaviours at once); past it the talk's times are sampled (hybrid, reason named).
pub const FEW_ORDERS: f64 = 720.0;

/// How far threshold splitting goes in one exploration: the split points of actions of random
/// length learned so far, and the most orders of a talk's items it enumerates.
#[derive(Clone, Copy)]
struct Symbolic<'a> {
    learned: &'a Learned,
    max_orders: f64,
}

/// Why an exploration with symbolic durations stopped before its end.
enum Fallback {
    /// A time after an action of random length needs these split points of it (duration
    /// purpose counter, absolute ms): explore again with them.
    Learn(Vec<(u32, u64)>),
    /// Threshold splitting cannot go on, because of this: explore again with sampled durations.
    Cannot(String),
}

/// [`explore_runs`], with random durations symbolic (`Some`: the split points learned so far;
/// `Err`: what the first run that needed more found) or sampled (`None`).
fn explore_as(
    p: &Compiled,
    samples: u64,
    (budget, work): (Budget, &mut u64),
    sensitivity: bool,
    (replay, merging): (bool, Merging),
    how: Option<Symbolic>,
) -> Result<Result<Exact, Fallback>, TooManyRuns> {
    let symbolic = how.is_some();
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<Vec<u64>, usize, crate::source::hash::FxBuild> = HashMap::default();
    // Recorded ms (full, agent only, ivr, statements) × mass.
    let mut ms: [Sum; 4] = Default::default();
    // Merging across paths: the settled coverage of references, per counter, × probability
    // (the difference to what their stored states' leaves counted).
    let mut cov: std::collections::BTreeMap<u32, Sum> = Default::default();
    let mut residual = BigRational::zero();
    let mut found = Found::default();
    let (mut runs, mut leaves) = (0u64, 0u64);
    let mut hybrid;
    let mut sample = 0u64;
    // Hybrid: the most runs and work one sample took, so a sample is started only when it fits.
    let (mut widest, mut widest_work) = (0u64, 0u64);
    // States stored for merging across paths, and runs that ended at one.
    let (mut stored, mut merged) = (0u64, 0u64);
    let mut stopped_early = None;
    // A Snippet that reads the clock sees the absolute time: states equal up to the clock
    // are not equal for it, so nothing is merged.
    let clock = p.reads_clock();
    loop {
        let (before, before_work) = (runs, *work);
        let track = sensitivity && sample == 0;
        let mut merge = !clock && merging != Merging::Nothing;
        // Merging across paths: not where derivatives are tracked (a stored subtree's
        // derivatives would have to be composed too) nor with sampled durations (the hybrid
        // per-sample sums are f64, added leaf by leaf).
        let mut memo = merging == Merging::Paths && !sensitivity && symbolic;
        loop {
            let sr = explore_sample(
                p,
                sample,
                (merge, memo, track, replay, how),
                (runs, *work),
                budget,
                &mut groups,
                &mut index,
                &mut found,
            );
            // (Counted before an early end too: the work budget is the whole analysis's, over
            // every exploration that learns a split point or finds it cannot stay symbolic.)
            *work += sr.work;
            if !found.learn.is_empty() {
                return Ok(Err(Fallback::Learn(std::mem::take(&mut found.learn))));
            }
            if let Some(why) = found.cannot.take() {
                return Ok(Err(Fallback::Cannot(why)));
            }
            runs += sr.runs;
            if let Some(limit) = sr.budget_hit {
                return Err(TooManyRuns { runs, work: *work, limit });
            }
            // A reference's recorded-time reward assumes every visit of its state ends in a
            // leaf (no cut below it), and a Snippet's draws make the analysis hybrid: explored
            // again without merging across paths.
            if !sr.refs.is_empty()
                && (found.snippet_draws
                    || (!sr.cuts.is_empty()
                        && sr.refs.iter().any(|r| r.ms.iter().any(Option::is_some) || !r.cov.is_empty())))
            {
                memo = false;
                continue;
            }
            let counts = (sr.stored.len() as u64, sr.refs.len() as u64);
            match commit(p, sr, sample, &mut groups, (&mut ms, &mut cov), &mut residual, &mut found) {
                Ok(n) => {
                    leaves += n;
                    stored += counts.0;
                    merged += counts.1;
                    break;
                }
                // Explored again without merging: loops cut at CUT, as before loops were solved.
                Err(why) => {
                    if !found.unsolved.contains(&why) {
                        found.unsolved.push(why);
                    }
                    merge = false;
                }
            }
        }
        sample += 1;
        widest = widest.max(runs - before);
        widest_work = widest_work.max(*work - before_work);
        // Exact unless something was sampled: then hybrid, over `samples` samples — as many as
        // the run budget holds (said in the report).
        hybrid = !found.continuous.is_empty() || found.snippet_draws;
        if !hybrid || sample >= samples.max(1) {
            break;
        }
        if runs + widest > budget.runs {
            stopped_early = Some(Limit::Runs(budget.runs));
            break;
        }
        if *work + widest_work > budget.work {
            stopped_early = Some(Limit::Work(budget.work));
            break;
        }
    }
    for g in &mut groups {
        g.mass = g.sum.total();
    }
    let ms = ms.map(|m| m.total());
    let cov: std::collections::BTreeMap<u32, BigRational> =
        cov.into_iter().map(|(j, s)| (j, s.total())).filter(|(_, x)| !x.is_zero()).collect();
    // Classes met only in an exploration that was redone without merging have no mass.
    groups.retain(|g| !g.mass.is_zero() || !g.per_sample.is_empty());
    let n = sample;
    let mut e = summarise(
        p,
        groups,
        (ms, cov),
        residual,
        n,
        hybrid,
        &found.cut_at,
        &found.continuous,
        found.snippet_draws,
        runs,
        leaves,
    );
    (e.stored, e.merged) = (stored, merged);
    e.loops = found.loops.iter().cloned().collect();
    if !e.loops.is_empty() {
        e.loop_note = Some(format!(
            "{} solved exactly as linear equations (the state repeats at {}); exact analysis computes \
             them without the step limit (SEMANTICS A-28)",
            if e.loops.len() == 1 { "1 loop".to_string() } else { format!("{} loops", e.loops.len()) },
            e.loops.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    if e.residual > 0.0 {
        if clock {
            e.not_exact.push(
                "loops: a Snippet calls now(), which reads the absolute clock, so no two turns of a loop \
                 are the same state and none was solved"
                    .to_string(),
            );
        }
        for (action, part) in &found.unmerged {
            e.not_exact.push(format!(
                "loop at action `{action}` not solved: {part} differs on each turn, so no turn \
                 repeats an earlier state (cut at 2^-50 instead)"
            ));
        }
    }
    for why in &found.unsolved {
        e.not_exact.push(why.clone());
    }
    // A threshold probability was an exponential's CDF: exact for the model, but evaluated in
    // f64, so the fractions would be the f64s' long binary values — none is given.
    if found.irrational {
        e.closed_form_f64 = true;
        e.residual_rational = None;
        for v in e.probabilities.iter_mut().chain(e.expected.iter_mut()) {
            (v.rational, v.ratio) = (None, None);
        }
        for x in &mut e.sensitivity {
            x.rational.clear();
        }
    }
    if let Some(limit) = stopped_early {
        let budget = match limit {
            Limit::Runs(max) => format!("the budget of {max} runs of the engine"),
            Limit::Work(max) => format!("the work budget of {max} steps of the engine"),
        };
        e.not_exact.push(format!(
            "{n} samples of the {samples} asked (--calls): the next would pass {budget} (docs/limits.md)"
        ));
    }
    Ok(Ok(e))
}

/// States of solved loops per sample above which the loops are not solved (docs/limits.md):
/// the sample is explored again without merging (loops cut at [`CUT`]).
pub const MAX_LOOP_STATES: usize = 500;

/// What the samples' explorations found, beyond the leaves.
#[derive(Default)]
struct Found {
    continuous: Vec<Purpose>,
    cut_at: Vec<Purpose>,
    snippet_draws: bool,
    /// Actions where a solved loop's state repeats (ids).
    loops: std::collections::BTreeSet<String>,
    /// Loops cut instead of solved: (action id, the part of the state that differs per turn).
    unmerged: std::collections::BTreeSet<(String, &'static str)>,
    /// Loops found but not solvable (explored again without merging), one sentence each.
    unsolved: Vec<String>,
    /// Why random durations could not stay symbolic (the exploration is then redone).
    cannot: Option<String>,
    /// Split points a run needs (the exploration is then redone with them; before `cannot`:
    /// a run that needs a point goes on with values it will not use).
    learn: Vec<(u32, u64)>,
    /// Some threshold probability was evaluated in f64 (an exponential's CDF).
    irrational: bool,
}

/// A leaf of one sample, kept until the sample's loops are solved.
struct Leaf {
    group: usize,
    /// The choices of its run (only when merging: to find the loop it lies in).
    path: Vec<u32>,
    mass: BigRational,
    mass_f: f64,
    /// Recorded ms: full, agent only, ivr, statements.
    ms: [u64; 4],
    visits: Vec<Visit>,
}

/// A run that came back to a state it had been in: from that state (after the choices
/// `target`, at probability `target_mass`), it returns with probability `mass / target_mass`.
struct Back {
    target: Vec<u32>,
    target_mass: BigRational,
    at: Option<crate::script::ActionIx>,
    path: Vec<u32>,
    mass: BigRational,
    /// `--sensitivity`: the draws of its run up to the return.
    visits: Vec<Visit>,
    /// Per open recording and statement: the recorded-time total and the ms it recorded on the
    /// way round (above 0).
    ms: Rewards<u64>,
}

/// A run that came to a state explored from another path (`Store`): it counts as a visit of
/// that state.
struct Ref {
    /// Index into [`SampleRuns::stored`].
    target: usize,
    /// The choices before its last, and its probability: shared by the references that
    /// differ only in their last choice (the agents who answer on one turn of a hold loop), so
    /// that references to long paths do not each keep a copy.
    base: std::rc::Rc<RefBase>,
    last: u32,
    /// Per open recording and statement: the recorded-time total it goes to and how many ms
    /// longer than the stored state's it had run (not 0; a reward: its length is not in the
    /// state).
    ms: Rewards<i64>,
    /// Settled coverage counters this run had and the stored state's path had not (+1), and
    /// the other way round (−1).
    cov: Vec<(u32, i64)>,
}

/// What sibling references share: the choices before their last, and their probability.
struct RefBase {
    prefix: Vec<u32>,
    mass: BigRational,
}

impl Ref {
    /// The choices of its run, into `buf`.
    fn path<'a>(&self, buf: &'a mut Vec<u32>) -> &'a [u32] {
        buf.clear();
        buf.extend_from_slice(&self.base.prefix);
        buf.push(self.last);
        buf
    }
}

/// The counters in one settled list and not the other: +1 for `a`'s, −1 for `b`'s.
fn settled_difference(a: &[u8], b: &[u8]) -> Vec<(u32, i64)> {
    let read = |x: &[u8]| -> Vec<u32> {
        x.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
    };
    let (a, b) = (read(a), read(b));
    let mut d: Vec<(u32, i64)> = a.iter().filter(|x| b.binary_search(x).is_err()).map(|&x| (x, 1)).collect();
    d.extend(b.iter().filter(|x| a.binary_search(x).is_err()).map(|&x| (x, -1)));
    d
}

/// One sample's exploration.
#[derive(Default)]
struct SampleRuns {
    /// Its draws were tracked for `--sensitivity`.
    track: bool,
    leaves: Vec<Leaf>,
    backs: Vec<Back>,
    refs: Vec<Ref>,
    /// The stored states (in the order their subtrees were finished): the choices that reached
    /// each first, and their probability.
    stored: Vec<(Vec<u32>, BigRational)>,
    /// Outcomes below [`CUT`]: (the choices before them, mass).
    cuts: Vec<(Vec<u32>, BigRational)>,
    runs: u64,
    /// Work of its runs (steps of the engine, and each run's path and fraction: [`MAX_WORK`]).
    work: u64,
    budget_hit: Option<Limit>,
}

/// Explore sample `sample`'s choice tree by depth-first replay; with `merge`, a run that comes
/// back to a state of its own ends there (a back edge) instead of going round again, and with
/// `memo` too a run that comes to a state whose subtree is explored ends there (a reference).
#[allow(clippy::too_many_arguments)]
fn explore_sample(
    p: &Compiled,
    sample: u64,
    (merge, memo, track, replay, how): (bool, bool, bool, bool, Option<Symbolic>),
    (runs_before, work_before): (u64, u64),
    budget: Budget,
    groups: &mut Vec<Group>,
    index: &mut HashMap<Vec<u64>, usize, crate::source::hash::FxBuild>,
    found: &mut Found,
) -> SampleRuns {
    let mut sr = SampleRuns { track, ..SampleRuns::default() };
    let mut stack: Vec<Vec<u32>> = Vec::new();
    let memo = memo && merge;
    let symbolic = how.is_some();
    let learned = how.map(|h| h.learned.clone()).unwrap_or_default();
    let max_orders = how.map_or(FEW_ORDERS, |h| h.max_orders);
    let source =
        Exploring { track, merge, memo, replay, symbolic, learned, max_orders, ..Exploring::default() };
    // The states on the current path whose subtrees are being explored: (position in the
    // path, no back edge from inside goes above it so far).
    let mut open: Vec<(usize, bool)> = Vec::new();
    driver::rerun(p, source, sample, |out: &Outcome, engine| {
        sr.runs += 1;
        RUNS_SO_FAR.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        found.snippet_draws |= engine.snippet_draws() > 0;
        // The work budget: the run's steps, and its path and fraction (`MAX_WORK`).
        let steps = engine.take_steps();
        let s = engine.source();
        let words = |x: &BigInt| x.bits().div_ceil(64);
        let work = RUN_WORK + steps + s.path.len() as u64 + words(s.mass.numer()) + words(s.mass.denom());
        sr.work += work;
        WORK_SO_FAR.fetch_add(work, std::sync::atomic::Ordering::Relaxed);
        if !s.needs.is_empty() {
            found.learn.clone_from(&s.needs);
            return false;
        }
        if let Some((why, drawn)) = &s.cannot {
            found.cannot = Some(match drawn {
                None => why.clone(),
                Some(q) => format!(
                    "the random duration `{}` is drawn where a fixed time is needed (the script \
                     thread's next action, the caller's IVR hang-up, a time inside the talk): only \
                     the time of one pending event can stay random",
                    p.purposes.key(*q)
                ),
            });
            return false;
        }
        found.irrational |= s.irrational;
        for c in &s.continuous {
            if !found.continuous.contains(c) {
                found.continuous.push(*c);
            }
        }
        for c in &s.cut_at {
            if !found.cut_at.contains(c) {
                found.cut_at.push(*c);
            }
        }
        for (pos, m) in &s.cuts {
            sr.cuts.push((if merge { s.path[..*pos].to_vec() } else { Vec::new() }, m.clone()));
        }
        if merge && !s.cuts.is_empty() {
            diagnose(s, p, &mut found.unmerged);
        }
        if let Some(i) = s.back_edge {
            let c = &s.checkpoints[i];
            sr.backs.push(Back {
                target: s.path[..c.pos].to_vec(),
                target_mass: c.mass.clone(),
                at: c.at,
                path: s.path.clone(),
                mass: s.mass.clone(),
                visits: if track {
                    s.visits.iter().filter(|v| v.0 < s.back_at).cloned().collect()
                } else {
                    Vec::new()
                },
                ms: s.back_ms.map(|o| o.filter(|&(_, d)| d > 0)),
            });
        } else if !s.cut && s.ref_to.is_none() {
            let mut t = Tally::new(p);
            t.add(out);
            let recorded = [t.ms_full, t.ms_agent_only, t.ms_ivr, t.ms_statements];
            (t.ms_full, t.ms_agent_only, t.ms_ivr, t.ms_statements) = (0, 0, 0, 0);
            let key = class_key(&t);
            let group = *index.entry(key).or_insert_with(|| {
                groups.push(Group {
                    tally: t,
                    mass: BigRational::zero(),
                    sum: Sum::default(),
                    per_sample: Vec::new(),
                    sensitivity: std::collections::BTreeMap::new(),
                });
                groups.len() - 1
            });
            sr.leaves.push(Leaf {
                group,
                path: if merge { s.path.clone() } else { Vec::new() },
                mass: s.mass.clone(),
                mass_f: s.mass_f,
                ms: recorded,
                visits: if track { s.visits.clone() } else { Vec::new() },
            });
        }
        if let Some((i, rec)) = s.ref_to {
            let stored = &s.store.states[i];
            let (before, last) = s.path.split_at(s.path.len().saturating_sub(1));
            let base = match sr.refs.last() {
                Some(r)
                    if r.base.prefix == before
                        && r.base.mass.numer() == s.mass.numer()
                        && r.base.mass.denom() == s.mass.denom() =>
                {
                    r.base.clone()
                }
                _ => std::rc::Rc::new(RefBase { prefix: before.to_vec(), mass: s.mass.clone() }),
            };
            sr.refs.push(Ref {
                target: i,
                base,
                last: last.first().copied().unwrap_or(0),
                ms: {
                    let (now, then) = (rec.lengths(), stored.rec.lengths());
                    std::array::from_fn(|k| {
                        let ((total, a), (_, b)) = now[k].zip(then[k])?;
                        let d = a as i64 - b as i64;
                        (d != 0).then_some((total, d))
                    })
                },
                cov: settled_difference(&s.ref_settled, &stored.settled),
            });
        }
        for &(pos, k) in &s.alternatives {
            let mut prefix = s.path[..pos].to_vec();
            prefix.push(k);
            stack.push(prefix);
        }
        if memo {
            // The run's new states open subtrees; a back edge closes none but marks every
            // open one below its target as not self-contained; the next run's prefix (its
            // last choice new) leaves every subtree deeper than its shared part: those are
            // finished, and the self-contained ones are stored.
            let top = open.last().map(|&(pos, _)| pos);
            for c in &s.checkpoints {
                if top.is_none_or(|t| c.pos > t) {
                    open.push((c.pos, true));
                }
            }
            if let Some(i) = s.back_edge {
                let to = s.checkpoints[i].pos;
                for f in open.iter_mut().filter(|f| f.0 > to) {
                    f.1 = false;
                }
            }
            let shared = stack.last().map_or(0, Vec::len);
            while let Some(&(pos, contained)) = open.last() {
                if pos < shared {
                    break;
                }
                open.pop();
                if contained && let Ok(j) = s.checkpoints.binary_search_by_key(&pos, |c| c.pos) {
                    let n = s.store.states.len();
                    s.store.insert(&s.checkpoints[j]);
                    if s.store.states.len() > n {
                        sr.stored.push((s.path[..pos].to_vec(), s.checkpoints[j].mass.clone()));
                    }
                }
            }
        }
        if runs_before + sr.runs >= budget.runs && !stack.is_empty() {
            sr.budget_hit = Some(Limit::Runs(budget.runs));
            return false;
        }
        if work_before + sr.work >= budget.work && !stack.is_empty() {
            sr.budget_hit = Some(Limit::Work(budget.work));
            return false;
        }
        match stack.pop() {
            Some(prefix) => {
                engine.source().prefix = prefix;
                true
            }
            None => false,
        }
    });
    sr
}

/// A run fell below [`CUT`] with merging on: if its last state is at an action it had been at
/// before, the first part of the state that differs between the two says why the loop did
/// not repeat (recorded time grows, a variable counts the turns, …).
fn diagnose(s: &Exploring, p: &Compiled, out: &mut std::collections::BTreeSet<(String, &'static str)>) {
    let Some(last) = s.checkpoints.last() else { return };
    fn where_(c: &Checkpoint) -> &[u8] {
        &c.state[..c.parts.first().map_or(0, |&(_, e)| e)]
    }
    let Some(earlier) = s.checkpoints.iter().rev().skip(1).find(|c| where_(c) == where_(last)) else {
        return;
    };
    let (mut a0, mut b0) = (0, 0);
    for (&(label, a1), &(_, b1)) in earlier.parts.iter().zip(&last.parts) {
        if earlier.state[a0..a1] != last.state[b0..b1] {
            let action =
                last.at.map_or_else(|| "(the end of the script)".to_string(), |a| p.id(a).to_string());
            out.insert((action, label));
            return;
        }
        (a0, b0) = (a1, b1);
    }
}

/// Solve one sample's loops and add its leaves to the groups. Each back edge says: from the
/// state S it returns to (a *loop state*), the process comes back to S with probability q.
/// With x_S the expected number of visits to S (the root visited once), x_S = ρ(S)·x_P + Σ
/// q_r·x_{h(r)}, where P is the nearest loop state above S, ρ(S) the probability of the
/// choices from P to S, and h(r) the nearest loop state above back edge r; a leaf's
/// probability is then ρ(leaf)·x_{h(leaf)}. Solved exactly (Gaussian elimination in
/// fractions). Returns the leaves added, or why the loops cannot be solved (then nothing is
/// added).
fn commit(
    p: &Compiled,
    sr: SampleRuns,
    sample: u64,
    groups: &mut [Group],
    (ms, cov): (&mut [Sum; 4], &mut std::collections::BTreeMap<u32, Sum>),
    residual: &mut BigRational,
    found: &mut Found,
) -> Result<u64, String> {
    // Loop states: the states back edges return to, by the choices that reach them.
    let mut heads: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut head_mass: Vec<BigRational> = Vec::new();
    for b in &sr.backs {
        if !heads.contains_key(&b.target) {
            heads.insert(b.target.clone(), head_mass.len());
            head_mass.push(b.target_mass.clone());
        }
    }
    if heads.len() > MAX_LOOP_STATES {
        return Err(format!(
            "loops: {} loop states in one sample, more than the {MAX_LOOP_STATES} solved (docs/limits.md): \
             cut at 2^-50 instead",
            heads.len()
        ));
    }
    let mut lengths: Vec<usize> = heads.keys().map(Vec::len).collect();
    lengths.sort_unstable_by(|a, b| b.cmp(a));
    lengths.dedup();
    // The nearest loop state at or above the first `len` choices of `path`.
    let innermost = |path: &[u32], len: usize| -> Option<usize> {
        lengths.iter().filter(|&&l| l <= len.min(path.len())).find_map(|&l| heads.get(&path[..l]).copied())
    };
    // Visits per loop state, over its mass: a leaf under loop state h has probability
    // mass × scale[h].
    let mut scale: Vec<BigRational> = Vec::new();
    // `--sensitivity` through the loops: the expected visits x of each loop state, and their
    // derivatives dx[h] per (purpose counter, outcome).
    let mut x_visits: Vec<BigRational> = Vec::new();
    let mut dx: Vec<Derivative> = Vec::new();
    if !heads.is_empty() {
        let n = heads.len();
        let mut rows: Vec<std::collections::BTreeMap<usize, BigRational>> = vec![Default::default(); n];
        let mut rhs = vec![BigRational::zero(); n];
        for (prefix, &i) in &heads {
            *rows[i].entry(i).or_insert_with(BigRational::zero) += BigRational::one();
            match innermost(prefix, prefix.len() - 1) {
                None => rhs[i] += &head_mass[i],
                Some(up) => {
                    *rows[i].entry(up).or_insert_with(BigRational::zero) -= &head_mass[i] / &head_mass[up];
                }
            }
        }
        for b in &sr.backs {
            let t = heads[&b.target];
            let h = innermost(&b.path, b.path.len()).unwrap_or(t);
            *rows[t].entry(h).or_insert_with(BigRational::zero) -= &b.mass / &head_mass[h];
        }
        let matrix = sr.track.then(|| rows.clone());
        let x = solve(rows, rhs).ok_or_else(|| {
            "loops: a loop that no path leaves (the sampled engine ends such contacts at the step \
             limit) cannot be solved: cut at 2^-50 instead"
                .to_string()
        })?;
        if let Some(matrix) = matrix {
            dx = loop_derivatives(&sr, &heads, &head_mass, &innermost, matrix, &x);
            x_visits.clone_from(&x);
        }
        scale = x.iter().zip(&head_mass).map(|(x, m)| x / m).collect();
        for b in &sr.backs {
            if let Some(a) = b.at {
                found.loops.insert(p.id(a).to_string());
            }
        }
    }
    // Merging across paths (docs/exact.md): a stored state S that references came to is
    // visited, besides on its own path, once per reference r (with probability W(r)), and the
    // same things follow each visit — S's subtree is self-contained, so its loops' visits
    // scale with S's. Everything below S therefore counts f(S) = 1 + Σ_r W(r) / W(S) times,
    // where W of a point is its path's mass, times the visits per mass of the nearest loop
    // state above it, times f of every referenced state above it. A reference is made after
    // its state's subtree is finished, so every referenced state above S or above one of its
    // references finished after S: f is computed in the reverse order of finishing.
    let mut memo_of: HashMap<&[u32], usize> = HashMap::new();
    for r in &sr.refs {
        memo_of.entry(sr.stored[r.target].0.as_slice()).or_insert(r.target);
    }
    let mut memo_lengths: Vec<usize> = memo_of.keys().map(|k| k.len()).collect();
    memo_lengths.sort_unstable_by(|a, b| b.cmp(a));
    memo_lengths.dedup();
    let mut f: Vec<Option<BigRational>> = vec![None; sr.stored.len()];
    // Π f over the referenced states at or above the first `len` choices of `path`.
    let memo_factor = |f: &[Option<BigRational>], path: &[u32], len: usize| -> Option<BigRational> {
        let mut acc: Option<BigRational> = None;
        for &l in memo_lengths.iter().filter(|&&l| l <= len.min(path.len())) {
            if let Some(&t) = memo_of.get(&path[..l]) {
                let ft = f[t].as_ref().expect("a referenced state above finished later");
                acc = Some(acc.map_or_else(|| ft.clone(), |a| product(&a, ft)));
            }
        }
        acc
    };
    let loop_scale = |path: &[u32], len: usize| -> Option<&BigRational> {
        if heads.is_empty() { None } else { innermost(path, len).map(|h| &scale[h]) }
    };
    // The mass scaled by the loop and the referenced states above it, `None` when nothing is
    // above (then the mass itself: not copied).
    let scale_weight = |f: &[Option<BigRational>], path: &[u32], len: usize, mass: &BigRational| {
        let mut w: Option<BigRational> = None;
        if let Some(x) = loop_scale(path, len) {
            w = Some(product(mass, x));
        }
        if let Some(x) = memo_factor(f, path, len) {
            w = Some(product(w.as_ref().unwrap_or(mass), &x));
        }
        w
    };
    let weight = |f: &[Option<BigRational>], path: &[u32], len: usize, mass: &BigRational| -> BigRational {
        scale_weight(f, path, len, mass).unwrap_or_else(|| mass.clone())
    };
    let mut by_target: Vec<Vec<usize>> = vec![Vec::new(); sr.stored.len()];
    for (i, r) in sr.refs.iter().enumerate() {
        by_target[r.target].push(i);
    }
    // Kept only for the references with a reward (most have none, and a weight is as long
    // as its path).
    let mut ref_weight: Vec<Option<BigRational>> = vec![None; sr.refs.len()];
    let mut buf = Vec::new();
    for t in (0..sr.stored.len()).rev() {
        if by_target[t].is_empty() {
            continue;
        }
        let (prefix, mass) = &sr.stored[t];
        let w_s = weight(&f, prefix, prefix.len() - 1, mass);
        let mut into = Sum::default();
        for &i in &by_target[t] {
            let r = &sr.refs[i];
            let path = r.path(&mut buf);
            let w = scale_weight(&f, path, path.len(), &r.base.mass);
            into.add(w.as_ref().unwrap_or(&r.base.mass), 1);
            if r.ms.iter().any(Option::is_some) || !r.cov.is_empty() {
                ref_weight[i] = Some(w.unwrap_or_else(|| r.base.mass.clone()));
            }
        }
        // 1 + into / w_s, reduced once.
        let into = into.total();
        let (n, d) = (into.numer() * w_s.denom(), into.denom() * w_s.numer());
        f[t] = Some(ratio(&n + &d, d));
    }
    let memo = !sr.refs.is_empty();
    let scaled = |path: &[u32], len: usize, m: BigRational| -> BigRational {
        match memo.then(|| memo_factor(&f, path, len)).flatten() {
            Some(x) => product(&m, &x),
            None => m,
        }
    };
    // A reference's open recording (or statement) had run d ms longer than the stored
    // state's: each of its visits ends in a leaf (no cut in this sample, else it is explored
    // again without merging), whose recording (statement) is d ms longer than below the
    // stored state.
    // Likewise its settled coverage: each of its leaves counts the counters this run had
    // settled, not those of the stored state's path.
    for (r, w) in sr.refs.iter().zip(&ref_weight) {
        let Some(w) = w else { continue };
        for &(total, d) in r.ms.iter().flatten() {
            ms[total].add_signed(w, d);
        }
        for &(j, d) in &r.cov {
            cov.entry(j).or_default().add_signed(w, d);
        }
    }
    // Recorded time as a reward (PRISM / Storm cumulative rewards). Let c(v) be the ms
    // recorded from arrival to a point v of the explored tree along its path (closed
    // recordings and statements, and the open ones' lengths so far). A contact follows the
    // tree from arrival; each time it reaches the end e_r of a back edge r it goes on as from
    // r's loop state t(r) (the same state), and it ends in a leaf. Its recorded ms are the
    // sum over those pieces, c(e_r) − c(t(r)) for each back edge taken and c(leaf) for the
    // last, which telescopes to c(leaf) + Σ_r (times r is taken) × Δ_r, Δ_r = c(e_r) − c(t(r))
    // — the ms the open recording and statement recorded from t(r) round to e_r on r's own
    // path (the same ones are open at both ends, so nothing closed in between). Expected:
    // Σ_leaves P(leaf)·c(leaf) + Σ_r E[times r is taken]·Δ_r, and r is taken ρ(r)·x_{h(r)}
    // times on average, ρ(r) its probability from the nearest loop state h(r) above its end —
    // for any number of loop states, nested (an inner loop state visited several times per
    // turn of the outer one: x counts every visit) or chained.
    for b in &sr.backs {
        for &(total, d) in b.ms.iter().flatten() {
            let h = innermost(&b.path, b.path.len()).unwrap_or(heads[&b.target]);
            ms[total].add(&scaled(&b.path, b.path.len(), product(&b.mass, &scale[h])), d);
        }
    }
    let loops = !heads.is_empty();
    // The choices before each loop state.
    let mut heads_len = vec![0; heads.len()];
    for (prefix, &i) in &heads {
        heads_len[i] = prefix.len();
    }
    let n = sr.leaves.len() as u64;
    for leaf in sr.leaves {
        // Under loop state h (`--sensitivity`): ρ = mass / mass(h), the choices after h.
        let (m, rho) = match innermost(&leaf.path, leaf.path.len()) {
            Some(h) if loops => {
                (product(&leaf.mass, &scale[h]), sr.track.then(|| (h, &leaf.mass / &head_mass[h])))
            }
            _ => (leaf.mass, None),
        };
        let m = scaled(&leaf.path, leaf.path.len(), m);
        for (acc, v) in ms.iter_mut().zip(leaf.ms) {
            if v > 0 {
                acc.add(&m, v);
            }
        }
        let g = &mut groups[leaf.group];
        // d mass / dθ for θ = "outcome o of this draw, the others scaled in proportion". Not
        // under a loop state: mass × Σ over the path's visits of the draw (1/p_o if o was
        // taken, else −1/(1 − p_o)). Under loop state h, the leaf's probability is ρ · x_h
        // (ρ = mass / mass(h), the choices after h): d = ρ · (x_h · (D(leaf) − D(h)) + dx_h),
        // D the log-derivative of a path's mass (the sum above).
        if sr.track {
            match rho {
                None => {
                    for (k, d) in log_derivative(&leaf.visits, usize::MAX) {
                        *g.sensitivity.entry(k).or_insert_with(BigRational::zero) += &m * d;
                    }
                }
                Some((h, rho)) => {
                    let mut d = log_derivative(&leaf.visits, usize::MAX);
                    for (k, v) in log_derivative(&leaf.visits, heads_len[h]) {
                        *d.entry(k).or_insert_with(BigRational::zero) -= v;
                    }
                    for v in d.values_mut() {
                        *v *= &x_visits[h];
                    }
                    for (k, v) in &dx[h] {
                        *d.entry(*k).or_insert_with(BigRational::zero) += v;
                    }
                    for (k, v) in d {
                        if !v.is_zero() {
                            *g.sensitivity.entry(k).or_insert_with(BigRational::zero) += &rho * v;
                        }
                    }
                }
            }
        }
        let mf = if loops || memo { m.to_f64().unwrap_or(0.0) } else { leaf.mass_f };
        g.sum.add(&m, 1);
        match g.per_sample.last_mut() {
            Some((j, acc)) if u64::from(*j) == sample => *acc += mf,
            _ => g.per_sample.push((sample as u32, mf)),
        }
    }
    // The cut mass, added up without a gcd per path (`Sum`).
    let mut cut = Sum::default();
    cut.add(residual, 1);
    for (prefix, m) in sr.cuts {
        let m = match innermost(&prefix, prefix.len()) {
            Some(h) if loops => product(&m, &scale[h]),
            _ => m,
        };
        cut.add(&scaled(&prefix, prefix.len(), m), 1);
    }
    *residual = cut.total();
    Ok(n)
}

/// d/dθ per (purpose counter, outcome): θ is "outcome o of the draw, the others scaled in
/// proportion" (`--sensitivity`).
type Derivative = std::collections::BTreeMap<(u32, u32), BigRational>;

/// The log-derivative of the mass of the first `below` choices of a run whose draws are
/// `visits`: Σ over its visits of each draw (1/p_o if outcome o was taken, else −1/(1 − p_o)),
/// per (purpose counter, outcome). A yes/no draw varies only its `yes`; a probability of 0 or 1
/// is no traffic weight.
fn log_derivative(visits: &[Visit], below: usize) -> Derivative {
    let mut d = Derivative::new();
    for (_, purpose, taken, probs) in visits.iter().filter(|v| v.0 < below) {
        for (o, po) in probs.iter().enumerate() {
            if po.is_zero() || po.is_one() || (probs.len() == 2 && o == 0) {
                continue;
            }
            let term = if o as u32 == *taken { po.recip() } else { -(BigRational::one() - po).recip() };
            *d.entry((purpose.counter, o as u32)).or_insert_with(BigRational::zero) += term;
        }
    }
    d
}

/// The derivatives of the expected visits `x` of the loop states (`A x = b`, built in
/// [`commit`]): `A dx = db − dA x` per direction θ (Storm / PRISM's parametric engines
/// differentiate the same system). Each entry of A and b is a ratio of path masses, so its
/// derivative is itself times the difference of the two paths' log-derivatives; the right-hand
/// side of row S is therefore, with x held fixed, the derivative of S's own equation:
/// ρ(S) · x_P · (D(S) − D(P)) (or ρ(S) · D(S) from the start) plus, per back edge r into S,
/// ρ(r) · x_h(r) · (D(r) − D(h(r))).
fn loop_derivatives(
    sr: &SampleRuns,
    heads: &HashMap<Vec<u32>, usize>,
    head_mass: &[BigRational],
    innermost: &impl Fn(&[u32], usize) -> Option<usize>,
    matrix: Vec<std::collections::BTreeMap<usize, BigRational>>,
    x: &[BigRational],
) -> Vec<Derivative> {
    let n = head_mass.len();
    // D of each loop state: from the draws of a back edge that returns to it, before it.
    let mut d_head: Vec<Option<Derivative>> = vec![None; n];
    for b in &sr.backs {
        let t = heads[&b.target];
        if d_head[t].is_none() {
            d_head[t] = Some(log_derivative(&b.visits, b.target.len()));
        }
    }
    let d_head: Vec<Derivative> = d_head.into_iter().map(Option::unwrap_or_default).collect();
    // Row S's right-hand side per θ: coefficient × (D(a) − D(b)).
    let mut rows: Vec<Derivative> = vec![Derivative::new(); n];
    let add = |row: &mut Derivative, c: &BigRational, a: &Derivative, b: Option<&Derivative>| {
        for (k, v) in a {
            *row.entry(*k).or_insert_with(BigRational::zero) += c * v;
        }
        for (k, v) in b.into_iter().flatten() {
            *row.entry(*k).or_insert_with(BigRational::zero) -= c * v;
        }
    };
    let mut ordered: Vec<(&Vec<u32>, usize)> = heads.iter().map(|(k, &i)| (k, i)).collect();
    ordered.sort_by_key(|&(_, i)| i);
    for (prefix, i) in ordered {
        match innermost(prefix, prefix.len() - 1) {
            None => add(&mut rows[i], &head_mass[i], &d_head[i], None),
            Some(up) => {
                let c = &head_mass[i] / &head_mass[up] * &x[up];
                add(&mut rows[i], &c, &d_head[i], Some(&d_head[up]));
            }
        }
    }
    for b in &sr.backs {
        let t = heads[&b.target];
        let h = innermost(&b.path, b.path.len()).unwrap_or(t);
        let c = &b.mass / &head_mass[h] * &x[h];
        add(&mut rows[t], &c, &log_derivative(&b.visits, usize::MAX), Some(&d_head[h]));
    }
    let keys: Vec<(u32, u32)> = {
        let mut k: Vec<(u32, u32)> = rows.iter().flat_map(|r| r.keys().copied()).collect();
        k.sort_unstable();
        k.dedup();
        k
    };
    if keys.is_empty() {
        return vec![Derivative::new(); n];
    }
    let rhs: Vec<Vec<BigRational>> = rows
        .iter()
        .map(|r| keys.iter().map(|k| r.get(k).cloned().unwrap_or_else(BigRational::zero)).collect())
        .collect();
    // The matrix was solved for x already, so it is not singular here.
    let Some(dx) = solve_columns(matrix, rhs) else { return vec![Derivative::new(); n] };
    dx.into_iter().map(|col| keys.iter().copied().zip(col).filter(|(_, v)| !v.is_zero()).collect()).collect()
}

/// Solve `rows · x = rhs` (sparse rows) exactly; `None` when the matrix is singular.
fn solve(
    rows: Vec<std::collections::BTreeMap<usize, BigRational>>,
    rhs: Vec<BigRational>,
) -> Option<Vec<BigRational>> {
    let x = solve_columns(rows, rhs.into_iter().map(|b| vec![b]).collect())?;
    Some(x.into_iter().map(|mut c| c.pop().unwrap_or_else(BigRational::zero)).collect())
}

/// Solve `rows · X = rhs` for every column of `rhs` (`rhs[r]`: row `r`'s value in each
/// column) at once, exactly; `None` when the matrix is singular.
fn solve_columns(
    mut rows: Vec<std::collections::BTreeMap<usize, BigRational>>,
    mut rhs: Vec<Vec<BigRational>>,
) -> Option<Vec<Vec<BigRational>>> {
    let n = rows.len();
    for col in 0..n {
        let pivot = (col..n).find(|&r| rows[r].get(&col).is_some_and(|v| !v.is_zero()))?;
        rows.swap(col, pivot);
        rhs.swap(col, pivot);
        let pv = rows[col][&col].clone();
        let prow: Vec<(usize, BigRational)> = rows[col].iter().map(|(&k, v)| (k, v / &pv)).collect();
        let prhs: Vec<BigRational> = rhs[col].iter().map(|b| b / &pv).collect();
        rows[col] = prow.iter().cloned().collect();
        rhs[col].clone_from(&prhs);
        for r in 0..n {
            if r == col {
                continue;
            }
            let Some(f) = rows[r].remove(&col) else { continue };
            for (k, v) in &prow {
                if *k == col {
                    continue;
                }
                let e = rows[r].get(k).cloned().unwrap_or_else(BigRational::zero) - &f * v;
                if e.is_zero() {
                    rows[r].remove(k);
                } else {
                    rows[r].insert(*k, e);
                }
            }
            for (b, pb) in rhs[r].iter_mut().zip(&prhs) {
                if !pb.is_zero() {
                    *b -= &f * pb;
                }
            }
        }
    }
    Some(rhs)
}

#[allow(clippy::too_many_arguments)]
fn summarise(
    p: &Compiled,
    groups: Vec<Group>,
    (ms, cov): ([BigRational; 4], std::collections::BTreeMap<u32, BigRational>),
    residual: BigRational,
    n: u64,
    hybrid: bool,
    cut_at: &[Purpose],
    continuous: &[Purpose],
    snippet_draws: bool,
    runs: u64,
    leaves: u64,
) -> Exact {
    // Deterministic order of groups (the HashMap only indexed them; they are in the order
    // the depth-first search met them, which is fixed).
    let samples = BigRational::from_integer(BigInt::from(n));
    // Every key any class has, in report order: the report of all classes merged.
    let mut all = Tally::new(p);
    for g in &groups {
        all.merge(&g.tally);
    }
    let keys = flatten(&all, p);
    // Each group's counts by report key: coverage (most keys of a large script, few of them
    // above 0 in one group) straight from its counters, by the index of their keys below; the
    // rest from the group's report without coverage.
    let lists: Vec<Vec<(Vec<String>, u64)>> = groups
        .iter()
        .map(|g| {
            let mut t = g.tally.clone();
            t.coverage = super::coverage::Coverage::default();
            flatten(&t, p)
        })
        .collect();
    let exact = !hybrid && residual.is_zero();
    let mut probabilities = Vec::new();
    let mut expected = Vec::new();
    let mut per = vec![0.0f64; n as usize];
    // Sums over groups in one common denominator (the lcm of the groups' masses'): each key's
    // total is then integer products and sums, reduced once — not a gcd per group and key.
    let common = groups.iter().fold(BigInt::one(), |l, g| l.lcm(g.mass.denom()));
    let scaled: Vec<BigInt> = groups.iter().map(|g| g.mass.numer() * (&common / g.mass.denom())).collect();
    // Each group's counts added to their keys' totals (per sample too, when hybrid): one pass
    // over the groups' counts, in group order (so each key's f64 sums have a fixed order).
    let key_ix: HashMap<&[String], usize> =
        keys.iter().enumerate().map(|(i, (k, _))| (k.as_slice(), i)).collect();
    let mut totals = vec![BigInt::zero(); keys.len()];
    let mut per_key: Vec<Vec<f64>> =
        if hybrid { vec![vec![0.0; n as usize]; keys.len()] } else { Vec::new() };
    for ((g, list), scaled) in groups.iter().zip(&lists).zip(&scaled) {
        for (path, c) in list {
            let (Some(&i), true) = (key_ix.get(path.as_slice()), *c > 0) else { continue };
            totals[i] += scaled * BigInt::from(*c);
            if hybrid {
                for &(j, m) in &g.per_sample {
                    per_key[i][j as usize] += m * *c as f64;
                }
            }
        }
    }
    // Coverage counter → key index, as the report names them (`coverage.actions.ID`,
    // `coverage.branches.ID/BRANCH`); a key named twice takes its last counter, as the
    // report's map does.
    let mut cov_ix: Vec<Option<usize>> = Vec::new();
    let mut last: HashMap<usize, usize> = HashMap::new();
    let names = p
        .coverage
        .actions
        .iter()
        .map(|k| ("actions", k))
        .chain(p.coverage.branches.iter().map(|(k, _, _)| ("branches", k)));
    for (j, (kind, k)) in names.enumerate() {
        let path = ["coverage".to_string(), kind.to_string(), k.clone()];
        let i = key_ix.get(&path[..]).copied();
        if let Some(i) = i
            && let Some(prev) = last.insert(i, j)
        {
            cov_ix[prev] = None;
        }
        cov_ix.push(i);
    }
    for (g, scaled) in groups.iter().zip(&scaled) {
        for (j, c) in g.tally.coverage.counts().enumerate() {
            let (Some(Some(i)), true) = (cov_ix.get(j), c > 0) else { continue };
            totals[*i] += scaled * BigInt::from(c);
            if hybrid {
                for &(s, m) in &g.per_sample {
                    per_key[*i][s as usize] += m * c as f64;
                }
            }
        }
    }
    // Merging across paths: the coverage references settled, beyond their stored states'.
    let mut correction: HashMap<usize, BigRational> = HashMap::new();
    for (j, x) in &cov {
        if let Some(Some(i)) = cov_ix.get(*j as usize) {
            *correction.entry(*i).or_insert_with(BigRational::zero) += x;
        }
    }
    drop(key_ix);
    // Sensitivity reads the groups' finding counts (not coverage) by key.
    let sensitive = exact && groups.iter().any(|g| !g.sensitivity.is_empty());
    let flats: Vec<HashMap<Vec<String>, u64>> =
        if sensitive { lists.into_iter().map(|l| l.into_iter().collect()).collect() } else { Vec::new() };
    for (i, (path, _)) in keys.into_iter().enumerate() {
        let total = std::mem::take(&mut totals[i]);
        if hybrid {
            per.copy_from_slice(&per_key[i]);
        }
        let mut mean = BigRational::new(total, common.clone()) / &samples;
        if let Some(x) = correction.get(&i) {
            mean += x / &samples;
        }
        let is_expectation = path.first().is_some_and(|k| k == "statements");
        // Probabilities lie in [0, 1] per sample; expected counts do not (no interval).
        let value = mean.to_f64().unwrap_or(0.0);
        // The per-sample values are f64 sums of leaf masses (1 may be 0.9999999999999999): the
        // interval is widened to hold the exact mean.
        let interval = (hybrid && !is_expectation).then(|| {
            let [lo, hi] = crate::stats::mean_interval_01(&per, DELTA);
            [lo.min(value), hi.max(value)]
        });
        let v = Value {
            value,
            rational: exact.then(|| fraction(&mean)),
            ratio: exact.then(|| mean.clone()),
            interval,
            path,
        };
        if v.path.first().is_some_and(|k| k == "statements") {
            expected.push(v);
        } else {
            probabilities.push(v);
        }
    }
    for (name, m) in ["full", "agent_only", "ivr", "statements"].iter().zip(ms) {
        let secs = m / (&samples * BigRational::from_integer(BigInt::from(1000)));
        expected.push(Value {
            path: vec!["recorded_seconds".into(), name.to_string()],
            value: secs.to_f64().unwrap_or(0.0),
            rational: exact.then(|| fraction(&secs)),
            ratio: exact.then(|| secs.clone()),
            interval: None,
        });
    }
    let mut not_exact = Vec::new();
    let mut sensitivity = Vec::new();
    if sensitive {
        for v in &probabilities {
            let violation = v.path.len() == 2
                && v.path[0] == "findings"
                && super::outcome::Finding::lookup(&v.path[1])
                    .is_some_and(|f| f.class() == super::findings::Class::Violation);
            if !violation || v.value == 0.0 {
                continue;
            }
            let mut d: std::collections::BTreeMap<(u32, u32), BigRational> =
                std::collections::BTreeMap::new();
            for (g, flat) in groups.iter().zip(&flats) {
                let c = flat.get(&v.path).copied().unwrap_or(0);
                if c == 0 {
                    continue;
                }
                for (k, x) in &g.sensitivity {
                    *d.entry(*k).or_insert_with(BigRational::zero) +=
                        x * BigRational::from_integer(BigInt::from(c));
                }
            }
            for ((counter, o), x) in d {
                if x.is_zero() {
                    continue;
                }
                let (draw, outcome) = label(p, counter, o);
                sensitivity.push(Sensitivity {
                    finding: v.path[1].clone(),
                    draw,
                    outcome,
                    derivative: x.to_f64().unwrap_or(0.0),
                    rational: fraction(&x),
                });
            }
        }
    }
    let names = |ps: &[Purpose]| {
        let mut v: Vec<String> = ps.iter().map(|&q| format!("`{}`", p.purposes.key(q))).collect();
        v.sort();
        v.join(", ")
    };
    if !continuous.is_empty() {
        not_exact.push(format!(
            "random durations {} are sampled ({n} samples): \
             each probability is the mean over the samples with a 99.9% interval; the discrete \
             choices are still enumerated exactly for every sample",
            names(continuous)
        ));
    }
    if snippet_draws {
        not_exact.push(format!(
            "a Snippet draws outside the traffic model (`random()`, or a choice on an unknown \
             value): sampled with the durations ({n} samples)"
        ));
    }
    let residual = residual / &samples;
    if !residual.is_zero() {
        not_exact.push(format!(
            "loops: paths less likely than 2^-50 were not explored (at draws {}); their total \
             probability {:e} is the residual, and every probability lies in [p, p + residual]",
            names(cut_at),
            residual.to_f64().unwrap_or(0.0)
        ));
    }
    Exact {
        exact,
        probabilities,
        expected,
        runs,
        leaves,
        classes: groups.len(),
        samples: n,
        residual: residual.to_f64().unwrap_or(0.0),
        residual_rational: (!hybrid).then(|| fraction(&residual)),
        not_exact,
        sensitivity,
        loops: Vec::new(),
        loop_note: None,
        closed_form_f64: false,
        stored: 0,
        merged: 0,
    }
}

/// The draw (its purpose key: `menu:consent`, `policy:Sales QA`, `rod`) and the name of outcome
/// `o` (a MENU input or `none`, a branch, a direction; `yes` for a yes/no draw).
fn label(p: &Compiled, counter: u32, o: u32) -> (String, String) {
    use super::compile::Op;
    let key = p.purposes.key(Purpose { hash: 0, counter }).to_string();
    let is = |q: Purpose| q.counter == counter;
    let o = o as usize;
    for op in &p.ops {
        match op {
            Op::Menu(m) if is(m.choice) => {
                if let Some((values, _)) = &m.inputs {
                    return (key, values.get(o).cloned().flatten().unwrap_or_else(|| "none".into()));
                }
            }
            Op::Branched(b) if is(b.choice) => {
                return (key, b.choices.get(o).map_or_else(|| o.to_string(), |c| c.0.clone()));
            }
            _ => {}
        }
    }
    if is(p.fixed.direction) {
        return (key, p.direction.0.get(o).map_or_else(|| o.to_string(), |d| d.as_str().to_string()));
    }
    for (q, list) in [(p.fixed.ani, &p.ani.0), (p.fixed.dnis, &p.dnis.0)] {
        if is(q) {
            return (key, list.get(o).map_or_else(|| o.to_string(), |n| p.numbers[n.index()].clone()));
        }
    }
    (key, if o == 1 { "yes".into() } else { o.to_string() })
}

/// `--sensitivity`: how a violation finding's probability changes per unit of one traffic
/// probability (outcome `outcome` of draw `draw`, the draw's other outcomes scaled down in
/// proportion), exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct Sensitivity {
    pub finding: String,
    pub draw: String,
    pub outcome: String,
    pub derivative: f64,
    pub rational: String,
}

/// One key of `diff --exact`: its probability before and after (`None`: the key does not
/// exist in that version — an action added or removed), and the difference.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub path: Vec<String>,
    pub old: Option<f64>,
    pub new: Option<f64>,
    /// new − old (a missing side counts 0).
    pub difference: f64,
    /// The exact difference, when both analyses are exact.
    pub rational: Option<String>,
    /// Hybrid: bounds of new − old from the two 99.9% intervals, `[new.lo − old.hi, new.hi −
    /// old.lo]` (the same duration samples in both runs, so the intervals are not independent:
    /// this holds whenever both do).
    pub interval: Option<[f64; 2]>,
}

/// `diff --exact`: every probability key of either version whose value differs (exact: any
/// difference; hybrid: a difference larger than the two intervals together), and the
/// coverage branches whose probability is 0 in both (not exercised by the traffic model).
pub fn compare(old: &Exact, new: &Exact) -> (Vec<Change>, Vec<String>) {
    let mut paths: Vec<&Vec<String>> = old.probabilities.iter().map(|v| &v.path).collect();
    for v in &new.probabilities {
        if !paths.contains(&&v.path) {
            paths.push(&v.path);
        }
    }
    let find = |e: &'_ Exact, path: &Vec<String>| e.probabilities.iter().find(|v| &v.path == path).cloned();
    let (mut changes, mut unexercised) = (Vec::new(), Vec::new());
    for path in paths {
        let (o, n) = (find(old, path), find(new, path));
        let (ov, nv) = (o.as_ref().map_or(0.0, |v| v.value), n.as_ref().map_or(0.0, |v| v.value));
        if path.len() == 3 && path[0] == "coverage" && path[1] == "branches" && ov == 0.0 && nv == 0.0 {
            unexercised.push(path[2].clone());
        }
        let zero = BigRational::zero();
        let ratio = |v: &Option<Value>, e: &Exact| match v {
            Some(v) => v.ratio.clone(),
            None => e.exact.then(|| zero.clone()),
        };
        let exact_difference = match (ratio(&o, old), ratio(&n, new)) {
            (Some(a), Some(b)) => Some(b - a),
            _ => None,
        };
        // A side's interval: its own, or the point when exact (a missing key: 0).
        let bounds = |v: &Option<Value>, x: f64| v.as_ref().and_then(|v| v.interval).unwrap_or([x, x]);
        let interval = match (old.exact && new.exact, bounds(&o, ov), bounds(&n, nv)) {
            (true, _, _) => None,
            (false, [olo, ohi], [nlo, nhi]) => Some([nlo - ohi, nhi - olo]),
        };
        let changed = match (&exact_difference, interval) {
            (Some(d), _) => !d.is_zero() || o.is_none() != n.is_none(),
            (None, Some([lo, hi])) => lo > 0.0 || hi < 0.0 || o.is_none() != n.is_none(),
            (None, None) => ov != nv,
        };
        if changed {
            changes.push(Change {
                path: path.clone(),
                old: o.map(|v| v.value),
                new: n.map(|v| v.value),
                difference: exact_difference.as_ref().and_then(|d| d.to_f64()).unwrap_or(nv - ov),
                rational: exact_difference.as_ref().map(fraction),
                interval,
            });
        }
    }
    (changes, unexercised)
}

/// `num/den` in lowest terms (`0`, `1`, `1/22`).
pub fn fraction(r: &BigRational) -> String {
    if r.denom().is_one() { r.numer().to_string() } else { format!("{}/{}", r.numer(), r.denom()) }
}

/// The integer counters of `t`'s report, by key path: every count the sampled report prints,
/// for a one-contact tally 0 or 1 (statements: how many). Not counts: `version`, `seed`,
/// `calls`, the intervals, the verdict list, recorded seconds (a reward, computed apart).
fn flatten(t: &Tally, p: &Compiled) -> Vec<(Vec<String>, u64)> {
    let report = t.report(p);
    let value = serde_json::to_value(&report).unwrap_or(serde_json::Value::Null);
    let mut out = Vec::new();
    if let serde_json::Value::Object(m) = value {
        for (k, v) in m {
            if matches!(
                k.as_str(),
                "version"
                    | "script"
                    | "seed"
                    | "media"
                    | "calls"
                    | "ci95"
                    | "verdicts"
                    | "recorded_seconds"
                    | "precision"
            ) {
                continue;
            }
            walk(&mut vec![k], &v, &mut out);
        }
    }
    out
}

fn walk(path: &mut Vec<String>, v: &serde_json::Value, out: &mut Vec<(Vec<String>, u64)>) {
    match v {
        serde_json::Value::Number(n) => {
            if let Some(c) = n.as_u64() {
                out.push((path.clone(), c));
            }
        }
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                path.push(k.clone());
                walk(path, v, out);
                path.pop();
            }
        }
        // `policies`: rows keyed by name; other lists (question ids, unexercised) hold no counts.
        serde_json::Value::Array(rows) => {
            for row in rows {
                if let Some(name) = row.get("name").and_then(|n| n.as_str()) {
                    path.push(name.to_string());
                    walk(path, row, out);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}

/// A fraction short enough to read (the human report); a long one (the exact binary value of
/// an f64 weight) is left to the JSON.
pub fn fraction_or_none(s: &str) -> Option<&str> {
    (s.len() <= 32).then_some(s)
}

/// `x` as a percentage for the human report: exact values with up to 12 significant digits.
pub fn percent(x: f64) -> String {
    let pct = x * 100.0;
    if pct == 0.0 || pct == 100.0 {
        return format!("{pct:.0}%");
    }
    let digits = 11 - (pct.abs().log10().floor() as i32).clamp(-20, 2);
    let s = format!("{pct:.*}", digits.max(0) as usize);
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    format!("{s}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_weights_read_as_their_fractions() {
        assert_eq!(fraction(&rational(0.05, 1.0)), "1/20");
        assert_eq!(fraction(&rational(0.93 / 3.0, 1.0)), "31/100");
        assert_eq!(fraction(&rational(1.0 - 0.05 - 0.02, 1.0)), "93/100");
        assert_eq!(fraction(&rational(30.0, 100.0)), "30");
        assert_eq!(fraction(&rational(1.0 / 3.0, 1.0)), "1/3");
        // No simple fraction near: the exact binary value.
        let x = std::f64::consts::PI / 10.0;
        assert_eq!(rational(x, 1.0), BigRational::from_float(x).unwrap());
    }

    #[test]
    fn percentages_keep_twelve_significant_digits() {
        assert_eq!(percent(1.0 / 22.0), "4.54545454545%");
        assert_eq!(percent(0.4), "40%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(1.0), "100%");
    }

    /// A loop no path leaves (every outcome goes round again) gives a singular system: no
    /// solution, so the loop is not solved (explored without merging instead).
    #[test]
    fn a_loop_no_path_leaves_has_no_solution() {
        let r = |n: i64, d: i64| BigRational::new(n.into(), d.into());
        // x = 1/2 + x (a certain return): singular.
        let rows = vec![std::collections::BTreeMap::from([(0, r(1, 1) - r(1, 1))])];
        assert_eq!(solve(rows, vec![r(1, 2)]), None);
        // x = 1/2 + 1/2 x, y = 1/4 x + 1/2 y: x = 1, y = 1/2.
        let rows = vec![
            std::collections::BTreeMap::from([(0, r(1, 2))]),
            std::collections::BTreeMap::from([(0, r(-1, 4)), (1, r(1, 2))]),
        ];
        assert_eq!(solve(rows, vec![r(1, 2), r(0, 1)]), Some(vec![r(1, 1), r(1, 2)]));
    }

    /// Resuming a run from the state an earlier run saved gives what replaying its choices
    /// from arrival gives, byte for byte: every example script, with fixed durations (exact;
    /// `--sensitivity`), with the default traffic and a busy one (hybrid: ROD, transfers,
    /// dispositions, presses), and the looping MENUs (solved, and cut).
    #[test]
    fn resuming_from_saved_states_is_replaying() {
        use crate::model::{Dist, Tenant, Traffic};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("scripts"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|f| {
                f.extension().is_some_and(|x| x == "yaml") && !f.to_string_lossy().ends_with(".test.yaml")
            })
            .collect();
        files.sort();
        files.push(root.join("examples/loop-menu.yaml"));
        files.push(root.join("examples/loop-menu-recording.yaml"));
        assert!(files.len() > 10);
        let mut fixed = Traffic::default();
        fixed.durations.queue_wait = Dist::Fixed(30.0);
        fixed.durations.patience = Dist::Fixed(300.0);
        fixed.durations.talk = Dist::Fixed(240.0);
        let mut busy = Traffic::default();
        busy.agent.rod = 0.1;
        busy.agent.transfer_agent = 0.2;
        busy.agent.transfer_external = 0.1;
        busy.agent.disposition = 0.3;
        busy.agent.conference = 0.1;
        busy.agent.presses = vec![crate::model::PressSequence {
            p: 0.5,
            buttons: vec!["Start Recorded Statement".into(), "Stop Recorded Statement".into()],
        }];
        let mut resumed = 0;
        for f in &files {
            let s = crate::script::load_path(f).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
            for (traffic, samples, sensitivity) in
                [(&fixed, 1, true), (&Traffic::default(), 3, false), (&busy, 2, false)]
            {
                let p = Compiled::compile(&s, &Tenant::default(), traffic);
                for merging in [Merging::Loops, Merging::Paths] {
                    let a = explore_runs(&p, samples, Budget::DEFAULT, sensitivity, false, merging).unwrap();
                    let b = explore_runs(&p, samples, Budget::DEFAULT, sensitivity, true, merging).unwrap();
                    assert_eq!(format!("{a:?}"), format!("{b:?}"), "{} {merging:?}", f.display());
                    resumed += a.runs;
                }
            }
        }
        assert!(resumed > 1000, "{resumed} runs");
    }

    #[test]
    fn the_path_mass_is_the_product_of_the_choices() {
        let mut e = Exploring::default();
        let half = BigRational::new(1.into(), 2.into());
        let third = BigRational::new(1.into(), 3.into());
        let p = Purpose { hash: 0, counter: 0 };
        let halves = Probs::new(vec![half.clone(), half]);
        let thirds = Probs::new(vec![third.clone(), third.clone(), third]);
        assert_eq!(e.decide(p, &halves), 0);
        assert_eq!(e.decide(p, &thirds), 0);
        assert_eq!(e.mass, BigRational::new(1.into(), 6.into()));
        assert_eq!(e.alternatives, vec![(0, 1), (1, 1), (1, 2)]);
        // Replaying a prefix takes its outcomes and multiplies their probabilities.
        e.reset();
        e.prefix = vec![1, 2];
        assert_eq!(e.decide(p, &halves), 1);
        assert_eq!(e.decide(p, &thirds), 2);
        assert!(e.alternatives.is_empty());
        assert_eq!(e.mass, BigRational::new(1.into(), 6.into()));
    }
}
