//! Exact analysis only (`sim::exact`, docs/exact.md "Random durations: threshold splitting",
//! SEMANTICS A-29): the agent events and MAX presses of a *fixed* talk kept symbolic.
//!
//! The sampled engine draws each event of the talk (ROD, supervisor ROD, transfers,
//! disposition, conference) and each press of a press sequence at a uniform time inside the
//! talk (`events.rs`, `inside_talk`); a sequence's presses are the sorted times. Once the
//! discrete "happens" draws are done, the talk's k event and press times are therefore iid
//! uniform on the talk (t, t + T), a sequence's presses their order statistics. Exact analysis
//! keeps them as one *group* of pending times, in [`Slot`]s: every item of a slot is uniform on
//! its [lo, hi), independently. The scheduler's comparisons place them:
//!
//! - against a fixed time c inside a slot (the script thread's next action, another event):
//!   each distinguishable item falls before c with (c − lo) / (hi − lo), independently (one
//!   branch each); a press sequence's m pending presses split by how many fall before c,
//!   Binomial(m, (c − lo) / (hi − lo)) (its first n presses, in order). The slot becomes
//!   [lo, c) and [c, hi);
//! - in a slot with no fixed time before its end, the first of its j items is each item with
//!   probability 1/j (a press sequence: its next press, with m/j for its m pending ones); it
//!   fires at the conditional mean of the minimum, lo + (hi − lo)/(j + 1), rounded to the ms
//!   and kept strictly inside the slot with room for the others; the others are then iid
//!   uniform on [X, hi), X that time.
//!
//! All of those are exact fractions. The clock value X is a stand-in: the probabilities never
//! depend on it, and recorded seconds, affine in it, are exact up to its rounding. So a
//! time *relative to* X (a handler's thread running from X, an action lasting d ms after it:
//! X + d) is only compared where the comparison holds for every value X can take ([`Float`]).
//! Where it falls on either side of a fixed time c and X is the first item of a slot of fixed
//! bounds — or the end of an action of random length, `events.rs` — X + d < c ⇔ X < c − d: the
//! source learns that point ([`Source::learn`]) and the analysis explores again, splitting the
//! slot there as at a fixed time ([`Engine::resolve_talk`]), so that the comparison holds on each
//! side. Otherwise — and in every other case this does not cover — the source is told it
//! [`cannot`](Source::cannot) (the analysis is then redone with sampled durations, the reason
//! named). Nothing here runs in `simulate`'s per-contact loop: every call is behind the
//! constant [`Source::SYMBOLIC`].

use super::events::EvKind;
use super::{Engine, Observer};
use crate::sim::outcome::{Initiator, Outcome};
use crate::sim::rng::{Purpose, Source};
use crate::sim::thresholds::{self, Prob};
use num_rational::BigRational;

/// `Ev::at` of a talk event whose time is still symbolic, in slot `k` of [`Talk::cells`]:
/// `GROUP_AT + k`. Later than every real time (and below `events::SYM_AT`), so the scheduler
/// never picks it before [`Engine::resolve_talk`] has given it a time.
pub(super) const GROUP_AT: u64 = u64::MAX - (1 << 20);

/// A clock value that stands for a random time: `rep` for X, X in (lo, hi).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Float {
    pub(super) rep: u64,
    pub(super) lo: u64,
    pub(super) hi: u64,
    /// X is the end of an action of random length with this duration purpose (`events.rs`,
    /// `resolve_thread`): a comparison on either side of a fixed time then names the point X
    /// must be split at ([`Source::learn`]). Not in the state's encoding: it only names that
    /// point, and a run that needs one is not used (the analysis explores again).
    pub(super) key: Option<Purpose>,
}

/// Pending talk times, each uniform on [lo, hi) independently. `from`: `lo` is itself the
/// random time of the item that fired last from this slot (the others come after it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Slot {
    pub(super) lo: u64,
    pub(super) hi: u64,
    pub(super) from: Option<Float>,
}

impl Slot {
    /// The least value `lo` can stand for.
    fn min(&self) -> u64 {
        self.from.map_or(self.lo, |f| f.lo)
    }
}

/// The talk's symbolic state. Always empty when sampling.
#[derive(Clone, Debug, Default)]
pub(super) struct Talk {
    /// Slots in time order (disjoint).
    pub(super) cells: Vec<Slot>,
    /// The clock stands for a random time (an item fired at it, or the thread ran at a time
    /// relative to one).
    pub(super) clock: Option<Float>,
    /// The thread's next action is at a time relative to a random one.
    pub(super) ready: Option<Float>,
    /// The item [`Engine::resolve_talk`] has just let fire: its clock value and what it stands for.
    pub(super) firing: Option<(u64, Float)>,
}

impl Talk {
    pub(super) fn clear(&mut self) {
        self.cells.clear();
        (self.clock, self.ready, self.firing) = (None, None, None);
    }

    pub(super) fn copy_from(&mut self, o: &Talk) {
        self.cells.clone_from(&o.cells);
        (self.clock, self.ready, self.firing) = (o.clock, o.ready, o.firing);
    }

    /// Something for [`Engine::resolve_talk`] to place.
    pub(super) fn active(&self) -> bool {
        !self.cells.is_empty() || self.ready.is_some()
    }

    /// Into a state encoding (`fingerprint.rs`): every time relative to the clock `now`.
    pub(super) fn encode(&self, now: u64, buf: &mut Vec<u8>) {
        let w = |buf: &mut Vec<u8>, x: u64| buf.extend_from_slice(&x.to_le_bytes());
        let float = |buf: &mut Vec<u8>, f: Option<Float>| match f {
            Some(f) => [1, f.rep, f.lo, f.hi]
                .iter()
                .enumerate()
                .for_each(|(i, &x)| w(buf, if i == 0 { x } else { x.wrapping_sub(now) })),
            None => w(buf, 0),
        };
        w(buf, self.cells.len() as u64);
        for s in &self.cells {
            w(buf, s.lo.wrapping_sub(now));
            w(buf, s.hi.wrapping_sub(now));
            float(buf, s.from);
        }
        float(buf, self.clock);
        float(buf, self.ready);
        float(buf, self.firing.map(|(_, f)| f));
    }
}

/// Where a competitor (a time the scheduler compares, at `at`; relative to a random time when
/// `float`) lies against a slot's items.
enum Place {
    /// Before every item: it runs first.
    Before,
    /// After every item.
    After,
    /// A fixed time strictly inside a slot of fixed bounds: split there.
    Split(u64),
    /// Neither for every value the random times can take.
    Cannot,
}

fn place(at: u64, float: Option<Float>, s: &Slot) -> Place {
    match float {
        None => match s.from {
            None if at <= s.lo => Place::Before,
            _ if at >= s.hi => Place::After,
            None => Place::Split(at),
            Some(g) if at <= g.lo => Place::Before,
            Some(_) => Place::Cannot,
        },
        // F = X + d, X in (f.lo, f.hi).
        Some(f) => {
            let d = at.saturating_sub(f.rep);
            if f.lo.saturating_add(d) >= s.hi {
                Place::After
            } else if s.from == Some(f) {
                // The slot's items come after X itself: F = X is before them all.
                if d == 0 { Place::Before } else { Place::Cannot }
            } else if f.hi.saturating_add(d) <= s.min() {
                Place::Before
            } else {
                Place::Cannot
            }
        }
    }
}

/// Whether F (`at`, relative to the random time `f`) is before the fixed time `c`, for every
/// value of X; `None` when that depends on X.
fn float_below(f: Float, at: u64, c: u64) -> Option<bool> {
    let d = at.saturating_sub(f.rep);
    if f.hi.saturating_add(d) <= c {
        Some(true)
    } else if f.lo.saturating_add(d) >= c {
        Some(false)
    } else {
        None
    }
}

/// The most items one talk can hold under the traffic (every behaviour and press sequence that
/// can happen), and their orders: n! over each sequence's length! (its presses keep their
/// order).
pub fn most_orders(p: &crate::sim::Compiled) -> (u64, f64) {
    let seqs = p.presses.iter().filter(|s| s.p > 0.0).map(|s| s.buttons.len() as u64);
    let singles = super::events::behaviours(p, false).map(|_| 1);
    // The multinomial coefficient as a running product of binomials, C(n, k) for each group
    // joining: it only grows, so a huge one is +∞ (refused), never ∞/∞ = NaN (two factorials
    // past 170 items).
    let (mut n, mut orders) = (0u64, 1.0f64);
    for k in singles.chain(seqs) {
        for i in 1..=k {
            n += 1;
            orders *= n as f64 / i as f64;
        }
    }
    (n, orders)
}

impl<'p, O: Observer, S: Source<'p>> Engine<'p, O, S> {
    /// At the answer, after the talk's events and presses were scheduled at [`GROUP_AT`]: they
    /// are iid uniform on the talk [t, t + talk).
    pub(super) fn talk_opens(&mut self, t: u64, talk: u64) {
        self.c.talk.clear();
        if self.c.events.iter().any(|e| e.at >= GROUP_AT && e.at < super::events::SYM_AT) {
            // Every order of the items is a run of its own: bounded by the most the traffic
            // can put in one talk (decided at the first answer, not after the runs of the
            // talks with fewer items).
            let (n, orders) = most_orders(self.p);
            let most = self.src.max_orders();
            if orders > most {
                // (Fewer than `MAX_ORDERS`: enumerating them all passed the run or work budget first.)
                let budget = if orders <= crate::sim::exact::MAX_ORDERS {
                    " once enumerating all of them has passed the run or work budget (docs/limits.md)"
                } else {
                    ""
                };
                self.talk_cannot(format!(
                    "a talk may hold {n} agent events and presses, in {orders} orders, more than the \
                     {most} threshold splitting enumerates{budget}"
                ));
                return;
            }
            // (A thread's random next action is dropped at this answer: ONANSWER restarts
            // the thread or it parks, A-4.)
            if self.c.sym.is_some_and(|s| !s.thread) {
                self.talk_cannot(
                    "agent events or presses inside the talk while another random time is pending"
                        .to_string(),
                );
                return;
            }
            self.c.talk.cells.push(Slot { lo: t, hi: super::later(t, talk), from: None });
        }
    }

    /// Before the scheduler picks what runs next: place the talk's pending times against the
    /// earliest fixed ones (module docs). Either something fixed runs first, or the first
    /// item gets its clock value and runs first.
    pub(super) fn resolve_talk(&mut self) {
        let thread = self.c.pc.map(|_| {
            let f = if self.c.ready >= self.c.t { self.c.talk.ready } else { self.c.talk.clock };
            (self.c.ready.max(self.c.t), f)
        });
        while let Some(first) = self.c.talk.cells.first().copied() {
            if !self.c.events.iter().any(|e| e.at == GROUP_AT) {
                self.drop_slot(0);
                continue;
            }
            let (mut before, mut cannot, mut split) = (false, false, None::<u64>);
            let fixed = self.c.events.iter().filter(|e| e.at < GROUP_AT).map(|e| (e.at, None));
            for (at, float) in thread.into_iter().chain(fixed) {
                match place(at, float, &first) {
                    Place::Before => before = true,
                    Place::After => {}
                    Place::Split(c) => split = Some(split.map_or(c, |s| s.min(c))),
                    Place::Cannot => cannot = true,
                }
            }
            // A point learned where a time after one of the talk's items fell on either side of a
            // fixed one ([`Engine::float_before`]): the slot is split there as at a fixed time,
            // so the item that fires is on one side of it (a slot of fixed bounds only).
            let purpose = self.talk_purpose();
            if first.from.is_none()
                && let Some(&c) =
                    self.src.split_points(purpose).iter().find(|&&c| c > first.lo && c < first.hi)
            {
                split = Some(split.map_or(c, |s| s.min(c)));
            }
            if cannot {
                return self.talk_cannot(
                    "an agent event or press at a random time inside the talk is compared with a time \
                     relative to another random time (a handler's action lasting after a press or \
                     event): the two are not independent"
                        .to_string(),
                );
            }
            if before {
                break;
            }
            match split {
                Some(c) => self.split_slot(c),
                None => return self.fire_first(),
            }
        }
        // Something fixed or the thread runs next. The thread, at a time relative to a random
        // one, against the fixed events: decided for every value of that time, else split there
        // (learned) or beyond this.
        if let Some((at, Some(f))) = thread {
            let mut k = 0;
            while let Some(e) = self.c.events.get(k).copied() {
                k += 1;
                if e.at < GROUP_AT {
                    self.float_before(f, at, e.at, || {
                        format!(
                            "the script thread's next action is {} ms after a random time (an agent \
                             event or press inside the talk, or the end of an action of random \
                             length), and is compared with a fixed time that this random time may \
                             fall on either side of",
                            at.saturating_sub(f.rep)
                        )
                    });
                }
            }
        }
    }

    /// Whether F (`at`, relative to the random time `f`) is before the fixed time `c` for every
    /// value of it. When that depends on the value (`None`): a random time that ends an action
    /// of random length is split at F = c from the next exploration on (the source learns the
    /// point, [`Source::learn`]); any other — or past the most points learned — is beyond
    /// threshold splitting, because `why`.
    pub(super) fn float_before(
        &mut self,
        f: Float,
        at: u64,
        c: u64,
        why: impl FnOnce() -> String,
    ) -> Option<bool> {
        let below = float_below(f, at, c);
        if below.is_none() {
            // F < c ⇔ X < c − (F − rep): a point strictly inside (lo, hi), since F is on
            // either side.
            let point = c.saturating_sub(at.saturating_sub(f.rep));
            match f.key {
                Some(p) if self.src.learn(p, point) => {}
                Some(_) => self.talk_cannot(format!(
                    "{} (threshold splitting splits such a random time at up to {} points learned \
                     from these comparisons, and this one needs more)",
                    why(),
                    crate::sim::exact::MAX_SPLIT_POINTS
                )),
                None => self.talk_cannot(why()),
            }
        }
        below
    }

    /// The purpose the talk's splits are named by (cuts, `sim::exact`).
    fn talk_purpose(&self) -> Purpose {
        self.p.fixed.talk
    }

    /// Branch over outcomes `q` (no branch when one of them is certain).
    fn choose(&mut self, q: &[Prob]) -> usize {
        let mut possible = q.iter().enumerate().filter(|(_, q)| q.f > 0.0);
        match (possible.next(), possible.next()) {
            (Some((k, _)), None) => k,
            _ => {
                let purpose = self.talk_purpose();
                self.src.split(purpose, q)
            }
        }
    }

    /// The items of the first slot, in the §2 tie order (`(class, sub)`: a press sequence's
    /// presses in order): their indices into `events`.
    fn first_slot_items(&self) -> Vec<usize> {
        let mut items: Vec<usize> =
            (0..self.c.events.len()).filter(|&i| self.c.events[i].at == GROUP_AT).collect();
        items.sort_by_key(|&i| (self.c.events[i].class, self.c.events[i].sub));
        items
    }

    /// Split the first slot [lo, hi) at the fixed time c (lo < c < hi): each item below with
    /// (c − lo)/(hi − lo), a press sequence by how many of its presses are.
    fn split_slot(&mut self, c: u64) {
        let s = self.c.talk.cells[0];
        let q = Prob::rational(BigRational::new((c - s.lo).into(), (s.hi - s.lo).into()));
        let items = self.first_slot_items();
        let mut above: Vec<usize> = Vec::new();
        let mut k = 0;
        while k < items.len() {
            let i = items[k];
            match self.c.events[i].kind {
                EvKind::Press { seq, .. } => {
                    let run = items[k..]
                        .iter()
                        .take_while(
                            |&&j| matches!(self.c.events[j].kind, EvKind::Press { seq: s2, .. } if s2 == seq),
                        )
                        .count();
                    let n = self.choose(&thresholds::binomial_below(run as u32, s.lo, c, s.hi));
                    above.extend_from_slice(&items[k + n..k + run]);
                    k += run;
                }
                _ => {
                    if self.choose(&[q.complement(), q.clone()]) == 0 {
                        above.push(i);
                    }
                    k += 1;
                }
            }
        }
        // Slot 0 becomes [lo, c), slot 1 [c, hi); the later ones move up by one.
        for e in &mut self.c.events {
            if e.at > GROUP_AT && e.at < super::events::SYM_AT {
                e.at += 1;
            }
        }
        for i in above {
            self.c.events[i].at = GROUP_AT + 1;
        }
        self.c.talk.cells[0].hi = c;
        self.c.talk.cells.insert(1, Slot { lo: c, hi: s.hi, from: None });
    }

    /// No fixed time before the first slot's end: its first item comes first — each with 1/j
    /// (a press sequence's next press with m/j) — at the conditional mean of the minimum.
    fn fire_first(&mut self) {
        let s = self.c.talk.cells[0];
        let items = self.first_slot_items();
        let j = items.len() as u64;
        // Whole ms strictly inside the slot for this item and the j − 1 after it.
        if s.hi.saturating_sub(s.lo) < j + 1 {
            return self.talk_cannot(format!(
                "{j} agent events or presses fall in {} ms of the talk: too few whole milliseconds \
                 to give each its own clock value",
                s.hi - s.lo
            ));
        }
        // Candidates: each distinguishable item, and each press sequence's next press with its
        // number of pending presses as weight.
        let mut cands: Vec<(usize, u64)> = Vec::new();
        for &i in &items {
            match (self.c.events[i].kind, cands.last().map(|&(l, _)| self.c.events[l].kind)) {
                (EvKind::Press { seq, .. }, Some(EvKind::Press { seq: last, .. })) if seq == last => {
                    if let Some(c) = cands.last_mut() {
                        c.1 += 1;
                    }
                }
                _ => cands.push((i, 1)),
            }
        }
        let q: Vec<Prob> =
            cands.iter().map(|&(_, w)| Prob::rational(BigRational::new(w.into(), j.into()))).collect();
        let chosen = cands[self.choose(&q)].0;
        let mean = s.lo as f64 + (s.hi - s.lo) as f64 / (j + 1) as f64;
        let x = (mean.round() as u64).clamp(s.lo + 1, s.hi - j);
        // A time after it that falls on either side of a fixed one names the point to split
        // this slot at — where the slot's bounds are fixed (`resolve_talk`).
        let key = s.from.is_none().then(|| self.talk_purpose());
        let f = Float { rep: x, lo: s.min(), hi: s.hi, key };
        self.c.events[chosen].at = x;
        if j == 1 {
            self.drop_slot(0);
        } else {
            self.c.talk.cells[0] = Slot { lo: x, hi: s.hi, from: Some(f) };
        }
        self.c.talk.firing = Some((x, f));
    }

    /// Slot `k` is empty: remove it (the later ones move down by one).
    fn drop_slot(&mut self, k: usize) {
        self.c.talk.cells.remove(k);
        let at = GROUP_AT + k as u64;
        for e in &mut self.c.events {
            if e.at > at && e.at < super::events::SYM_AT {
                e.at -= 1;
            }
        }
    }

    /// An event is about to fire at the clock value `at`: the clock now stands for a random time
    /// when it is the item [`Engine::resolve_talk`] let fire, and is a fixed time otherwise.
    pub(super) fn talk_event(&mut self, at: u64) {
        self.c.talk.clock = match self.c.talk.firing.take() {
            Some((x, f)) if x == at => Some(f),
            _ => None,
        };
    }

    /// The thread is about to run: when it was waiting for a later time, the clock moves to
    /// that time, which is relative to a random one or not as the thread's was.
    pub(super) fn talk_thread(&mut self) {
        if self.c.ready > self.c.t {
            self.c.talk.clock = self.c.talk.ready;
        }
    }

    /// The call was released now: nothing of the talk is pending. R12 compares the connected
    /// time with the short-call threshold; at a release relative to a random time that must
    /// hold for every value of it, when a policy recording depends on it.
    pub(super) fn talk_released(&mut self, out: &Outcome) {
        self.c.talk.cells.clear();
        self.c.talk.firing = None;
        if let (Some(f), Some(first)) = (self.c.talk.clock, self.c.first_answer)
            && out.recordings.iter().any(|r| matches!(r.initiator, Initiator::Policy(_)))
        {
            let threshold = super::later(first, self.p.short_call_ms);
            self.float_before(f, self.c.t, threshold, || {
                "the call is released at a time relative to a random time (an agent event or press \
                 inside the talk, or the end of an action of random length), and R12's short-call \
                 threshold may fall on either side of it"
                    .to_string()
            });
        }
    }

    /// Beyond this: the source is told why, and the run goes on (its values are not used) with
    /// the pending items at fixed times spread over their slots.
    pub(super) fn talk_cannot(&mut self, why: String) {
        self.src.cannot(why);
        for k in 0..self.c.talk.cells.len() {
            let s = self.c.talk.cells[k];
            let at = GROUP_AT + k as u64;
            let mut items: Vec<usize> =
                (0..self.c.events.len()).filter(|&i| self.c.events[i].at == at).collect();
            items.sort_by_key(|&i| (self.c.events[i].class, self.c.events[i].sub));
            let n = items.len() as u64;
            for (m, i) in items.into_iter().enumerate() {
                let x = s.lo + (s.hi - s.lo) * (m as u64 + 1) / (n + 1);
                self.c.events[i].at = x.max(self.c.t);
            }
        }
        self.c.talk.clear();
    }
}
