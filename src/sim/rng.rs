//! Keyed random draws: every draw of a contact is addressed by *(seed, contact, purpose,
//! occurrence)*, never by the order in which the script consumes draws.
//!
//! Why: `diff` compares contact *i* of two script versions. If draws were taken in consumption
//! order, adding a PLAY before a MENU would hand that MENU a different random number and
//! reshuffle every caller. Here the MENU `consent` always reads its own slot of the contact's
//! stream, whatever runs before it.
//!
//! Layout: one ChaCha8 stream per contact (`set_stream(contact)`) supplies the contact's
//! 128-bit key; the n-th draw of a purpose is a keyed hash of (key, FNV-1a(purpose), n) through
//! the murmur3 64-bit finaliser. Why not seek the ChaCha stream per draw: every seek makes
//! rand_chacha regenerate a 4-block buffer (256 bytes) for 8 bytes used, which made the RNG most
//! of a contact's cost; one ChaCha block per contact plus a few multiply-xorshifts per draw
//! keeps the per-contact loop above a million contacts per second per core.
//!
//! The contact's key is the first 16 bytes of block 0 of ChaCha8 stream `contact`, keyed by
//! `ChaCha8Rng::seed_from_u64(seed)`. Computed here as that one block, in plain scalar code
//! ([`chacha8_block0`]): rand_chacha always computes four blocks and re-keys its buffer on every
//! stream change, which cost a sixth of a contact. The words are the same (tested against
//! rand_chacha).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::script::ActionIx;
use crate::sim::ids::{ButtonId, NumberId};
use crate::sim::vars::VarId;

/// A draw purpose, resolved at compile time: the FNV-1a hash of its key string (`"queue_wait"`,
/// `"menu:consent"`, `"policy:Sales QA"`...) and the index of its occurrence counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Purpose {
    pub(crate) hash: u64,
    pub(crate) counter: u32,
}

/// Interns purpose keys into [`Purpose`]s with dense counter indices.
#[derive(Debug, Default, Clone)]
pub struct Purposes {
    keys: Vec<String>,
    /// Key → counter: interning stays O(1) per key with thousands of MENUs / policies.
    index: std::collections::HashMap<String, usize>,
}

impl Purposes {
    pub fn intern(&mut self, key: &str) -> Purpose {
        let counter = match self.index.get(key) {
            Some(&i) => i,
            None => {
                self.keys.push(key.to_string());
                self.index.insert(key.to_string(), self.keys.len() - 1);
                self.keys.len() - 1
            }
        };
        Purpose { hash: crate::source::fnv1a64(key.as_bytes()), counter: counter as u32 }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The key a purpose was interned from (`"menu:consent"`, `"talk"`): what exact analysis
    /// names when a draw keeps it from being exact.
    pub fn key(&self, p: Purpose) -> &str {
        self.keys.get(p.counter as usize).map_or("?", String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The random source of one contact. Reused across contacts by a worker (`reset`).
#[derive(Clone)]
pub struct Draws {
    /// The ChaCha8 state of block 0 for `ChaCha8Rng::seed_from_u64(seed)` after the two
    /// column quarter rounds that do not read the stream words ([`chacha8_start`]): the same
    /// for every contact, so computed once.
    chacha_start: [u32; 16],
    key: (u64, u64),
    /// The occurrence hash of every purpose's first draw (`n = 0`), the same for all purposes
    /// of a contact: computed once per contact instead of once per draw.
    first: u64,
    counters: Vec<u32>,
}

/// ChaCha's "expand 32-byte k".
const SIGMA: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];

#[inline(always)]
fn quarter(x: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(16);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(12);
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(8);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(7);
}

/// ChaCha8 block 0 under `key` before its stream words are known: the initial state (block
/// counter in words 12–13 = 0, rand_chacha's layout; stream words 14–15 left 0) after the column
/// quarter rounds on (0, 4, 8, 12) and (1, 5, 9, 13), which read neither stream word.
fn chacha8_start(key: &[u32; 8]) -> [u32; 16] {
    let mut x = [
        SIGMA[0], SIGMA[1], SIGMA[2], SIGMA[3], key[0], key[1], key[2], key[3], key[4], key[5], key[6],
        key[7], 0, 0, 0, 0,
    ];
    quarter(&mut x, 0, 4, 8, 12);
    quarter(&mut x, 1, 5, 9, 13);
    x
}

/// The first four words of ChaCha8 block 0 of stream `stream`, from [`chacha8_start`] of the key.
#[inline]
fn chacha8_block0(start: &[u32; 16], stream: u64) -> [u32; 4] {
    let mut x = *start;
    x[14] = stream as u32;
    x[15] = (stream >> 32) as u32;
    // 8 rounds: four double rounds (columns, then diagonals); the first two column quarter
    // rounds are already in `start`.
    quarter(&mut x, 2, 6, 10, 14);
    quarter(&mut x, 3, 7, 11, 15);
    for round in 0..4 {
        if round > 0 {
            quarter(&mut x, 0, 4, 8, 12);
            quarter(&mut x, 1, 5, 9, 13);
            quarter(&mut x, 2, 6, 10, 14);
            quarter(&mut x, 3, 7, 11, 15);
        }
        quarter(&mut x, 0, 5, 10, 15);
        quarter(&mut x, 1, 6, 11, 12);
        quarter(&mut x, 2, 7, 8, 13);
        quarter(&mut x, 3, 4, 9, 14);
    }
    // Words 0–3 of the initial state are the constants.
    [
        x[0].wrapping_add(SIGMA[0]),
        x[1].wrapping_add(SIGMA[1]),
        x[2].wrapping_add(SIGMA[2]),
        x[3].wrapping_add(SIGMA[3]),
    ]
}

/// The hash of the `n`-th occurrence of a purpose under the contact key's second half.
#[inline]
fn occurrence(key1: u64, n: u32) -> u64 {
    fmix64(key1 ^ u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// murmur3's 64-bit finaliser: full avalanche of every input bit.
fn fmix64(mut z: u64) -> u64 {
    z ^= z >> 33;
    z = z.wrapping_mul(0xff51_afd7_ed55_8ccd);
    z ^= z >> 33;
    z = z.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    z ^ (z >> 33)
}

impl Draws {
    pub fn new(seed: u64, purposes: usize) -> Self {
        let bytes = ChaCha8Rng::seed_from_u64(seed).get_seed();
        let mut chacha_key = [0u32; 8];
        for (w, b) in chacha_key.iter_mut().zip(bytes.chunks_exact(4)) {
            *w = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        Draws { chacha_start: chacha8_start(&chacha_key), key: (0, 0), first: 0, counters: vec![0; purposes] }
    }

    /// Start contact `contact`: its own stream, every occurrence counter back to 0.
    pub fn reset(&mut self, contact: u64) {
        // The first two u64 of the contact's ChaCha8 stream (low word first, as rand_chacha's
        // `next_u64`).
        let w = chacha8_block0(&self.chacha_start, contact);
        let word = |lo: u32, hi: u32| u64::from(lo) | (u64::from(hi) << 32);
        self.key = (word(w[0], w[1]), word(w[2], w[3]));
        self.first = occurrence(self.key.1, 0);
        self.counters.fill(0);
    }

    /// The next raw 64-bit draw of `p` for this contact.
    pub fn next_u64(&mut self, p: Purpose) -> u64 {
        let c = &mut self.counters[p.counter as usize];
        let n = *c;
        *c = c.wrapping_add(1);
        let occurrence = if n == 0 { self.first } else { occurrence(self.key.1, n) };
        fmix64(self.key.0 ^ p.hash ^ occurrence)
    }

    /// Uniform in [0, 1), 53 bits.
    pub fn unit(&mut self, p: Purpose) -> f64 {
        // Through i64 (the value fits in 53 bits): one conversion instruction, same value.
        ((self.next_u64(p) >> 11) as i64) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in (0, 1): never exactly 0 (for `ln`, and open talk intervals).
    pub fn open_unit(&mut self, p: Purpose) -> f64 {
        (((self.next_u64(p) >> 11) as i64) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `prob` (0 never, 1 always).
    pub fn chance(&mut self, p: Purpose, prob: f64) -> bool {
        if prob <= 0.0 {
            return false;
        }
        if prob >= 1.0 {
            return true;
        }
        self.unit(p) < prob
    }

    /// Uniform index in 0..n (n > 0), by multiply-shift (unbiased enough for n ≪ 2^32).
    pub fn index(&mut self, p: Purpose, n: usize) -> usize {
        ((u128::from(self.next_u64(p)) * n as u128) >> 64) as usize
    }

    /// The state of `o` (the same engine's draws, saved earlier in the contact), reusing this
    /// one's buffer: exact analysis resumes a run from a saved state (`sim::exact`).
    pub fn copy_from(&mut self, o: &Draws) {
        let Draws { chacha_start, key, first, counters } = self;
        (*chacha_start, *key, *first) = (o.chacha_start, o.key, o.first);
        counters.clone_from(&o.counters);
    }

    /// The contact's key and every purpose's draws so far, appended to `out` (exact analysis:
    /// the next draw of a purpose depends on how many it has made).
    pub fn encode_state(&self, out: &mut Vec<u8>) {
        for w in [self.key.0, self.key.1] {
            out.extend_from_slice(&w.to_le_bytes());
        }
        for c in &self.counters {
            out.extend_from_slice(&c.to_le_bytes());
        }
    }

    /// Index into cumulative weights (last = total).
    pub fn weighted(&mut self, p: Purpose, cumulative: &[f64]) -> usize {
        let total = *cumulative.last().unwrap_or(&0.0);
        let x = self.unit(p) * total;
        cumulative.iter().position(|&c| x < c).unwrap_or(cumulative.len().saturating_sub(1))
    }
}

/// What is open at a checkpoint of exact analysis (`sim::exact`) whose length is a reward, not
/// part of the state (the state encoding leaves it out: `engine::fingerprint`): the open
/// recording and the open recorded statement, each as (the recorded-time total its length goes
/// to — 0 full, 1 agent only, 2 IVR, 3 statements: `Tally`'s order —, when it started); and the
/// clock now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenRec {
    /// The open recording (in a segment), then the open statement.
    pub open: [Option<(usize, u64)>; 2],
    pub now: u64,
}

impl OpenRec {
    /// Nothing open.
    pub fn is_empty(&self) -> bool {
        self.open.iter().all(Option::is_none)
    }

    /// Each open interval's total and how long it has run so far.
    pub fn lengths(&self) -> [Option<(usize, u64)>; 2] {
        self.open.map(|o| o.map(|(total, from)| (total, self.now - from)))
    }
}

/// Where a contact's chance comes from (STYLE round 3: one engine, several sources of chance).
///
/// The engine asks for each decision the outside world makes by purpose (`sim/rng.rs` keys the
/// draws); a source may *fix* some of them first. [`Sampled`] fixes nothing: every method is the
/// default `None`, a constant the optimiser folds, so `simulate`'s per-contact loop does exactly
/// what it did before sources existed (no lookup, no allocation). [`Scripted`] fixes what a test
/// case's `given` names (`recflow test`, `explain --as-test`) and leaves everything else to the
/// keyed draws — which is why a value fixed to what the draw would have given changes nothing
/// else in the contact: the other draws are addressed by purpose, not by order.
///
/// `'p` is the lifetime of the plan (and of the compiled program): what a source returns
/// borrows from it, never from the engine.
pub trait Source<'p>: Clone + Send {
    /// Start a contact: per-contact cursors (visit counts) back to 0.
    #[inline(always)]
    fn reset(&mut self) {}
    /// The scripted plan, read where the engine meets a decision that is not per action
    /// (arrival, queue, talk, agent events). `None`: everything is drawn.
    #[inline(always)]
    fn plan(&self) -> Option<&'p Plan> {
        None
    }
    /// The input of this visit of MENU `ix`: `Some(None)` no input, `Some(Some(digits))`, or
    /// `None` to draw it.
    #[inline(always)]
    fn menu(&mut self, _ix: ActionIx) -> Option<Option<&'p str>> {
        None
    }
    /// The branch (index into the action's choices) of this visit of traffic-branched action
    /// `ix` (CAPTURE, RESTAPI, HOURS, an IF on an unknown value…), with the variable a CAPTURE
    /// writes; `None` to draw it.
    #[inline(always)]
    fn branch(&mut self, _ix: ActionIx) -> Option<(u32, Option<(VarId, &'p str)>)> {
        None
    }

    /// Exact analysis merges equal states (`sim::exact`): the engine then hands the source a
    /// canonical encoding of its state ([`Source::checkpoint`]). `false` for every other
    /// source, a constant: the sampled engine never encodes anything.
    const MERGES: bool = false;
    /// Whether the engine should encode its state now (a draw was taken since the last time).
    #[inline(always)]
    fn checkpoint_due(&self) -> bool {
        false
    }
    /// The engine's state here, encoded (`state`), at the script thread's next action `at`;
    /// `rec` is the open recording and statement, whose lengths the encoding leaves out (rewards,
    /// `engine::fingerprint`). `true` ends the contact's run now: the state repeats an earlier
    /// one of the same run.
    #[inline(always)]
    fn checkpoint(
        &mut self,
        _state: &[u8],
        _parts: &[(&'static str, usize)],
        _at: Option<ActionIx>,
        _rec: OpenRec,
    ) -> bool {
        false
    }

    /// Exact analysis: the most orders of one talk's agent events and presses that threshold
    /// splitting enumerates (`sim::exact::MAX_ORDERS`); past it the talk's times are sampled.
    #[inline(always)]
    fn max_orders(&self) -> f64 {
        0.0
    }

    /// Exact analysis keeps random durations symbolic (`sim::thresholds`): the engine then
    /// asks [`Source::threshold`] at each comparison instead of drawing. `false` for every
    /// other source, a constant: the sampled engine never looks.
    const SYMBOLIC: bool = false;
    /// Whether this run keeps random durations symbolic (exact analysis explores again with
    /// sampled durations when it cannot).
    #[inline(always)]
    fn symbolic(&self) -> bool {
        false
    }
    /// A symbolic duration compared with a threshold: `true` ("below") with probability `q`.
    #[inline(always)]
    fn threshold(&mut self, _p: Purpose, _q: &crate::sim::thresholds::Prob) -> bool {
        false
    }
    /// Symbolic times placed among several outcomes (how many of a talk's uniform times fall
    /// before a fixed time, which of them comes first: `engine::talk`): outcome `k` with
    /// probability `q[k]` (they sum to 1). The sampled engine never asks.
    #[inline(always)]
    fn split(&mut self, _p: Purpose, _q: &[crate::sim::thresholds::Prob]) -> usize {
        0
    }
    /// Symbolic durations cannot go on here, because `why`: the run goes on (its values are
    /// not used) and exact analysis explores again with sampled durations.
    #[inline(always)]
    fn cannot(&mut self, _why: String) {}
    /// Exact analysis: the points (absolute clock ms, ascending) at which the random time of
    /// an action of random length with duration purpose `p` is split before the script thread
    /// resumes (`engine::events`, `resolve_thread`) — learned from earlier explorations, in which
    /// a time after it fell on either side of a fixed one ([`Source::learn`]). Empty for every
    /// other source.
    #[inline(always)]
    fn split_points(&self, _p: Purpose) -> &[u64] {
        &[]
    }
    /// Exact analysis: a time after an action of random length (purpose `p`) falls on either
    /// side of a fixed time unless that random time is split at `at` (absolute clock ms). `true`:
    /// the source learns the point (this run's values are not used; the analysis explores again
    /// with it); `false`: it learns no more (the caller says [`Source::cannot`]).
    #[inline(always)]
    fn learn(&mut self, _p: Purpose, _at: u64) -> bool {
        false
    }
    /// Exact analysis runs one contact again and again, each run sharing a prefix of choices
    /// with the one before: the engine then saves its state after new draws
    /// ([`Source::save_due`], [`Source::saved`]) and starts a run from the latest saved state
    /// its choices share ([`Source::resume`]) instead of replaying the prefix from arrival.
    /// `false` for every other source, a constant: the sampled engine never saves anything.
    const RESUMES: bool = false;
    /// Whether the engine should save its state now (a draw was taken since the last save).
    #[inline(always)]
    fn save_due(&self) -> bool {
        false
    }
    /// The engine saved its state as save number `n` of this run (0-based; the ones from `n`
    /// on of an earlier run are gone): the source keeps its own state for it.
    #[inline(always)]
    fn saved(&mut self, _n: usize) {}
    /// At the start of a run: the save to start from (the source has put itself back to its
    /// state then, and forgotten the later ones), or `None` to start at arrival (the source
    /// is reset).
    #[inline(always)]
    fn resume(&mut self) -> Option<usize> {
        None
    }

    // Every random draw of the engine goes through these five, so a source can answer a draw
    // itself. The defaults are the keyed draws ([`Draws`]), inlined: `Sampled` and `Scripted`
    // draw exactly as before. `sim::exact`'s `Exploring` source answers the discrete ones
    // (`chance`, `index`, `weighted`) by enumerating their outcomes, one run per outcome.

    /// True with probability `prob` ([`Draws::chance`]).
    #[inline(always)]
    fn chance(&mut self, d: &mut Draws, p: Purpose, prob: f64) -> bool {
        d.chance(p, prob)
    }
    /// Uniform in 0..n ([`Draws::index`]).
    #[inline(always)]
    fn index(&mut self, d: &mut Draws, p: Purpose, n: usize) -> usize {
        d.index(p, n)
    }
    /// An index into cumulative weights ([`Draws::weighted`]).
    #[inline(always)]
    fn weighted(&mut self, d: &mut Draws, p: Purpose, cumulative: &[f64]) -> usize {
        d.weighted(p, cumulative)
    }
    /// Exact analysis: which class of alike agents answers (`Compiled::agent_classes`),
    /// weighted by the classes' `cumulative` sizes — a uniform pick among the agents, up to
    /// what nothing tells apart. Not a traffic weight (`--sensitivity` leaves it out). The
    /// engine asks only when [`Source::MERGES`].
    #[inline(always)]
    fn class(&mut self, d: &mut Draws, p: Purpose, cumulative: &[f64]) -> usize {
        d.weighted(p, cumulative)
    }
    /// Uniform in [0, 1) for a continuous duration ([`Draws::unit`]).
    #[inline(always)]
    fn unit(&mut self, d: &mut Draws, p: Purpose) -> f64 {
        d.unit(p)
    }
    /// Uniform in (0, 1) for a continuous duration or time ([`Draws::open_unit`]).
    #[inline(always)]
    fn open_unit(&mut self, d: &mut Draws, p: Purpose) -> f64 {
        d.open_unit(p)
    }
}

/// Every decision drawn from the traffic model (`simulate`, `explain`, `diff`, …).
#[derive(Clone, Copy, Debug, Default)]
pub struct Sampled;

impl Source<'_> for Sampled {}

/// Whether an agent event happens, as a test case fixes it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Happen {
    /// Drawn from traffic (the case does not say).
    #[default]
    Drawn,
    Never,
    /// It happens, at this many ms after the answer (`None`: at a drawn time). Like a drawn
    /// event it falls strictly inside the talk (SEMANTICS §2).
    At(Option<u64>),
}

/// The agent events a plan may fix, in [`Plan::happen`] order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentEvent {
    TransferAgent,
    TransferExternal,
    Conference,
    Disposition,
    Rod,
    SupervisorRod,
}

impl AgentEvent {
    pub const ALL: [AgentEvent; 6] = [
        AgentEvent::TransferAgent,
        AgentEvent::TransferExternal,
        AgentEvent::Conference,
        AgentEvent::Disposition,
        AgentEvent::Rod,
        AgentEvent::SupervisorRod,
    ];
}

/// Fixed values of one action, visit by visit.
#[derive(Clone, Debug, PartialEq)]
pub struct Visits<T> {
    /// The action (every copy of it, when a linked subscript is called from several places:
    /// the visits are counted across the copies, in the order the contact runs them).
    pub actions: Vec<ActionIx>,
    /// Visit `k` takes `values[k]`; past the end the value is drawn — unless `every`, when
    /// the one value is taken at every visit.
    pub values: Vec<T>,
    pub every: bool,
}

impl<T> Visits<T> {
    fn at(&self, visit: u32) -> Option<&T> {
        if self.every { self.values.first() } else { self.values.get(visit as usize) }
    }
}

/// A fixed branch of a traffic-branched action: the choice index, and the variable and
/// digits a CAPTURE writes.
pub type BranchPick = (u32, Option<(VarId, Box<str>)>);

/// A scripted contact: what a test case's `given` fixes, resolved against one compiled
/// program (ids to indices, seconds to ms, names to [`VarId`]s / [`ButtonId`]s) before any
/// contact runs. Built by `crate::scenario`; read by the engine through [`Scripted`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub direction: Option<crate::model::Direction>,
    pub ani: Option<NumberId>,
    pub dnis: Option<NumberId>,
    /// Set at arrival, after the system variables (so `ANI` given as a variable wins).
    pub variables: Vec<(VarId, String)>,
    /// MENU inputs: `None` is no input.
    pub menus: Vec<Visits<Option<Box<str>>>>,
    /// Branches of traffic-branched actions (CAPTURE, RESTAPI, …): choice index and the
    /// variable a CAPTURE's digits go to.
    pub branches: Vec<Visits<BranchPick>>,
    /// Queue wait before an agent answers (ms); the caller then never abandons.
    pub answers_after: Option<u64>,
    /// Talk time (ms).
    pub talk: Option<u64>,
    /// when the caller hangs up if still in the IVR (ms after arrival); `Some(None)`:
    /// never. `None`: as the traffic says (`durations.ivr_patience`).
    pub ivr_patience: Option<Option<u64>>,
    /// Per [`AgentEvent`].
    pub happen: [Happen; 6],
    /// The agent's button presses (ms after answer, button); `Some` replaces traffic presses.
    pub presses: Option<Vec<(u64, ButtonId)>>,
    /// Results of external calls in Snippets, by lower-case function name, in call order.
    pub external: Vec<(Box<str>, Vec<Box<str>>)>,
}

/// The source of a test case: its [`Plan`] first, keyed draws for the rest.
#[derive(Clone, Debug)]
pub struct Scripted<'p> {
    plan: &'p Plan,
    /// Visits so far of each `plan.menus` / `plan.branches` entry in this contact.
    menu_visits: Vec<u32>,
    branch_visits: Vec<u32>,
}

impl<'p> Scripted<'p> {
    pub fn new(plan: &'p Plan) -> Self {
        Scripted { plan, menu_visits: vec![0; plan.menus.len()], branch_visits: vec![0; plan.branches.len()] }
    }
}

impl<'p> Source<'p> for Scripted<'p> {
    fn reset(&mut self) {
        self.menu_visits.iter_mut().for_each(|v| *v = 0);
        self.branch_visits.iter_mut().for_each(|v| *v = 0);
    }
    fn plan(&self) -> Option<&'p Plan> {
        Some(self.plan)
    }
    fn menu(&mut self, ix: ActionIx) -> Option<Option<&'p str>> {
        let plan = self.plan;
        let k = plan.menus.iter().position(|m| m.actions.contains(&ix))?;
        let visit = self.menu_visits[k];
        self.menu_visits[k] += 1;
        plan.menus[k].at(visit).map(|v| v.as_deref())
    }
    fn branch(&mut self, ix: ActionIx) -> Option<(u32, Option<(VarId, &'p str)>)> {
        let plan = self.plan;
        let k = plan.branches.iter().position(|m| m.actions.contains(&ix))?;
        let visit = self.branch_visits[k];
        self.branch_visits[k] += 1;
        plan.branches[k].at(visit).map(|(c, w)| (*c, w.as_ref().map(|(v, s)| (*v, &**s))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-block key is exactly what rand_chacha's stream gives: the contact keys (and so
    /// every draw and every report) are unchanged.
    #[test]
    fn the_contact_key_is_rand_chachas_first_two_words() {
        use rand::Rng;
        let mut contacts = vec![0, 1, 2, 3, 4, 5, 63, 64, 4095, 4096, 1 << 32, (1 << 32) + 7, u64::MAX];
        contacts.extend((0..2000u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15)));
        for seed in [0, 1, 7, 42, u64::MAX, 0xDEAD_BEEF_0123_4567] {
            let mut d = Draws::new(seed, 1);
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            for &c in &contacts {
                rng.set_word_pos(0);
                rng.set_stream(c);
                let want = (rng.next_u64(), rng.next_u64());
                d.reset(c);
                assert_eq!(d.key, want, "seed {seed}, contact {c}");
            }
        }
    }

    #[test]
    fn a_purpose_reads_the_same_values_whatever_was_drawn_before() {
        let mut ps = Purposes::default();
        let menu = ps.intern("menu:consent");
        let talk = ps.intern("talk");
        let mut a = Draws::new(7, ps.len());
        let mut b = Draws::new(7, ps.len());
        a.reset(3);
        b.reset(3);
        let _ = b.next_u64(talk);
        let _ = b.next_u64(talk);
        assert_eq!(a.next_u64(menu), b.next_u64(menu));
        assert_eq!(a.next_u64(menu), b.next_u64(menu));
        b.reset(4);
        a.reset(3);
        assert_ne!(a.next_u64(menu), b.next_u64(menu), "contacts have their own streams");
    }
}
