//! The diff runner: the old and the new program on identical callers, contact by contact.
//!
//! Input: two [`Compiled`]s compiled with the same tenant and traffic. Output: a [`Diff`] —
//! both aggregate tallies, the number of contacts whose [`OutcomeClass`] changed, and the
//! transitions between classes with example contacts and, for the first example, where its
//! two paths diverge.
//!
//! Contact *i* meets the same caller in both runs because the simulator keys every random draw
//! by (seed, contact, purpose), never by consumption order (FORMATS §7). Work is split into
//! fixed chunks of contact indices run in parallel; per-chunk results are merged in chunk order,
//! so the output is byte-identical for any number of threads. Memory is bounded by the number
//! of distinct transitions times [`MAX_EXAMPLES`], independent of the number of calls.

use std::collections::BTreeMap;

use std::convert::Infallible;

use serde::Serialize;

use super::align::{align, hunks};
use super::class::OutcomeClass;
use super::structural::ActionChange;
use crate::sim::aggregate::{CHUNK, Shares, Tally, share_fields};
use crate::sim::driver::{self, PairSink, Sink};
use crate::sim::{Compiled, Outcome};

/// Example contact ids kept per transition (the lowest ids).
pub const MAX_EXAMPLES: usize = 5;

/// Counts and lowest example ids of one (from, to) pair.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Count {
    pub calls: u64,
    pub examples: Vec<u64>,
}

impl Count {
    fn add(&mut self, id: u64) {
        self.calls += 1;
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push(id);
        }
    }

    /// Merge a later chunk (all its ids are greater than ours).
    fn merge_later(&mut self, o: &Count) {
        self.calls += o.calls;
        let room = MAX_EXAMPLES.saturating_sub(self.examples.len());
        self.examples.extend(o.examples.iter().take(room));
    }
}

/// Class counts of one program's contacts (used by `snapshot`), plus its tally.
#[derive(Clone, Debug)]
pub struct Classes {
    pub tally: Tally,
    /// Class → (contacts, lowest example ids).
    pub counts: BTreeMap<OutcomeClass, Count>,
}

impl Classes {
    fn new(p: &Compiled) -> Self {
        Classes { tally: Tally::new(p), counts: BTreeMap::new() }
    }
}

/// `snapshot` / `diff`: the tally and outcome class of each contact.
impl Sink for Classes {
    type Observer = ();
    fn contact(&mut self, out: &Outcome, _: &mut ()) {
        self.tally.add(out);
        self.counts.entry(OutcomeClass::of(out)).or_default().add(out.id);
    }
}

/// Run one program over contacts `0..calls` and count outcome classes.
pub fn classify(p: &Compiled, calls: u64) -> Classes {
    let mut total = Classes::new(p);
    let _ = driver::run(
        p,
        0..calls,
        CHUNK,
        || Classes::new(p),
        |part| {
            total.tally.merge(&part.tally);
            for (k, v) in part.counts {
                total.counts.entry(k).or_default().merge_later(&v);
            }
            Ok::<(), Infallible>(())
        },
    );
    total
}

/// Where one contact's two paths part: a run of actions only the old path took, replaced by a
/// run only the new path took, after a common action (`None`: at the very start).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Divergence {
    /// Last action both paths ran before they part (Studio id).
    pub after: Option<String>,
    /// Actions only the old path ran there (at most [`MAX_RUN`]; `…` marks a cut).
    pub old: Vec<String>,
    /// Actions only the new path ran there.
    pub new: Vec<String>,
}

/// Longest run of ids shown in a [`Divergence`].
pub const MAX_RUN: usize = 6;
/// Divergences kept per example (the first ones along the path).
pub const MAX_DIVERGENCES: usize = 3;

/// One transition between outcome classes.
#[derive(Clone, Debug, Serialize)]
pub struct Transition {
    pub from: String,
    pub to: String,
    pub calls: u64,
    pub examples: Vec<u64>,
    /// Where the first example's paths diverge (first divergences along the path; empty when
    /// both paths ran the same actions — then the change is inside actions on the path).
    pub diverge: Vec<Divergence>,
    /// Actions of the structural diff that the first example's old or new path ran (in path
    /// order): the edits that can explain this transition.
    pub changed_on_path: Vec<String>,
    #[serde(skip)]
    pub from_class: OutcomeClass,
    #[serde(skip)]
    pub to_class: OutcomeClass,
}

/// The result of a diff run.
#[derive(Clone, Debug)]
pub struct Diff {
    pub old: Tally,
    pub new: Tally,
    pub changed: u64,
    /// By calls (descending), then from / to names.
    pub transitions: Vec<Transition>,
    /// Per contact share ([`crate::sim::aggregate::share_fields`] order): contacts counted in
    /// the old run only and in the new run only (the discordant pairs of the paired comparison).
    pub moved: Vec<[u64; 2]>,
    /// Per policy (program order): the same for "matched and recorded by that policy's agent".
    pub moved_policy: Vec<[u64; 2]>,
}

struct Part {
    old: Tally,
    new: Tally,
    changed: u64,
    pairs: BTreeMap<(OutcomeClass, OutcomeClass), Count>,
    moved: Vec<[u64; 2]>,
    moved_policy: Vec<[u64; 2]>,
}

/// Add one contact's two runs to the discordant counts of each share.
fn count_moved(moved: &mut [[u64; 2]], moved_policy: &mut [[u64; 2]], oo: &Outcome, on: &Outcome) {
    let (bo, bn) = (Shares::bits(oo), Shares::bits(on));
    let mut diff = bo ^ bn;
    while diff != 0 {
        let i = diff.trailing_zeros();
        diff &= diff - 1;
        let side = usize::from(bn & (1 << i) != 0);
        if let Some(m) = moved.get_mut(i as usize) {
            m[side] += 1;
        }
    }
    let (so, sn) = (Shares::of(oo), Shares::of(on));
    let (ro, rn) = (so.full || so.agent_only, sn.full || sn.agent_only);
    for (i, m) in moved_policy.iter_mut().enumerate() {
        let a = ro && oo.policy_matched.get(i).copied().unwrap_or(false);
        let b = rn && on.policy_matched.get(i).copied().unwrap_or(false);
        if a != b {
            m[usize::from(b)] += 1;
        }
    }
}

/// `diff`: both tallies and the class transitions of each contact.
impl PairSink for Part {
    fn contact(&mut self, oo: &Outcome, on: &Outcome) {
        self.old.add(oo);
        self.new.add(on);
        count_moved(&mut self.moved, &mut self.moved_policy, oo, on);
        let (co, cn) = (OutcomeClass::of(oo), OutcomeClass::of(on));
        if co != cn {
            self.changed += 1;
            self.pairs.entry((co, cn)).or_default().add(oo.id);
        }
    }
}

/// Run `old` and `new` on contacts `0..calls` (the current rayon pool), compare each contact's
/// outcome class, and explain each transition with its first example. `changes` is the
/// structural diff of the two scripts (to name the edits an example's paths ran through).
pub fn diff_programs(old: &Compiled, new: &Compiled, calls: u64, changes: &[ActionChange]) -> Diff {
    let new_part = || Part {
        old: Tally::new(old),
        new: Tally::new(new),
        changed: 0,
        pairs: BTreeMap::new(),
        moved: vec![[0; 2]; share_fields().len()],
        moved_policy: vec![[0; 2]; old.policies.len().min(new.policies.len())],
    };
    let mut total = new_part();
    let _ = driver::run_pair(old, new, 0..calls, CHUNK, new_part, |part| {
        total.old.merge(&part.old);
        total.new.merge(&part.new);
        total.changed += part.changed;
        for (a, b) in total.moved.iter_mut().zip(&part.moved) {
            a[0] += b[0];
            a[1] += b[1];
        }
        for (a, b) in total.moved_policy.iter_mut().zip(&part.moved_policy) {
            a[0] += b[0];
            a[1] += b[1];
        }
        for (k, v) in part.pairs {
            total.pairs.entry(k).or_default().merge_later(&v);
        }
        Ok::<(), Infallible>(())
    });

    let mut transitions: Vec<Transition> = total
        .pairs
        .into_iter()
        .map(|((from_class, to_class), c)| {
            let first = c.examples.first().copied().unwrap_or(0);
            let (diverge, changed_on_path) = explain_example(old, new, first, changes);
            Transition {
                from: from_class.name(old),
                to: to_class.name(new),
                calls: c.calls,
                examples: c.examples,
                diverge,
                changed_on_path,
                from_class,
                to_class,
            }
        })
        .collect();
    transitions.sort_by(|a, b| {
        b.calls.cmp(&a.calls).then_with(|| a.from.cmp(&b.from)).then_with(|| a.to.cmp(&b.to))
    });
    Diff {
        old: total.old,
        new: total.new,
        changed: total.changed,
        transitions,
        moved: total.moved,
        moved_policy: total.moved_policy,
    }
}

/// Re-run one contact on both programs; align the two paths by action id.
fn explain_example(
    old: &Compiled,
    new: &Compiled,
    id: u64,
    changes: &[ActionChange],
) -> (Vec<Divergence>, Vec<String>) {
    let path = |p: &Compiled| {
        let o = driver::one(p, id);
        o.path.iter().map(|&ix| p.id(ix).to_string()).collect::<Vec<String>>()
    };
    let (a, b) = (path(old), path(new));
    let ops = align(&a, &b);
    let cut = |ids: &[String]| {
        let mut v: Vec<String> = ids.iter().take(MAX_RUN).cloned().collect();
        if ids.len() > MAX_RUN {
            v.push("…".into());
        }
        v
    };
    let diverge = hunks(&ops)
        .into_iter()
        .take(MAX_DIVERGENCES)
        .map(|h| Divergence {
            after: h.old.start.checked_sub(1).map(|i| a[i].clone()),
            old: cut(&a[h.old.clone()]),
            new: cut(&b[h.new.clone()]),
        })
        .collect();
    // Edited actions the example ran, in path order (old path first, then new-only ones).
    let mut on_path: Vec<String> = Vec::new();
    for id in a.iter().chain(b.iter()) {
        let edited = changes.iter().any(|c| &c.action == id);
        if edited && !on_path.contains(id) {
            on_path.push(id.clone());
        }
    }
    (diverge, on_path)
}
