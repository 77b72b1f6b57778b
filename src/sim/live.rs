//! Which coverage counters a contact can still set, by where its script thread is (exact
//! analysis only: `engine::fingerprint`). A contact's coverage so far — the actions it ran and
//! the branches it took, each counted once — is part of its tally, so exact analysis keeps it
//! in the state it compares. But an action or branch no path can reach any more is decided:
//! whether the contact took it cannot change, and nothing later reads it. Only the counters that
//! can still be set are kept in the state; the others are *settled* — the history of the path,
//! a reward like recorded time (`sim::exact` adds the difference where two paths merge). So the
//! states after a MENU whose branches go different ways and join again are the same state.
//!
//! The analysis is static and over-approximates: the thread moves only along wired branches
//! (`engine::dispatch`'s `goto`), and the event handlers (ONANSWER, ONRELEASE, ONSIGNAL of every
//! handler set a RUNSCRIPT may make active) may start at any time, so whatever they reach is
//! always live. A RUNSUB's linked copy returns to one place (its own copy per call site), so a
//! RETURN's branch is static too.

use super::compile::{Compiled, Next, Op};

/// Per action, the coverage counters (in [`super::coverage::Coverage::counts`] order: action
/// keys, then branch keys) reachable from it, as bit sets; and those the handlers reach.
#[derive(Clone, Debug, Default)]
pub struct Live {
    words: usize,
    from: Vec<u64>,
    handlers: Vec<u64>,
}

/// The wired branches out of `op`.
fn edges(op: &Op, out: &mut Vec<Next>) {
    match op {
        Op::Pass { next }
        | Op::Play { next, .. }
        | Op::Timed { next, .. }
        | Op::Assign { next, .. }
        | Op::ReqAgent { next, .. }
        | Op::Indicate { next, .. }
        | Op::Record { next, .. }
        | Op::RecordAgentOnly { next }
        | Op::DoNotRecord { next }
        | Op::Call { next, .. }
        | Op::Return { next, .. }
        | Op::RunScript { next, .. } => out.push(*next),
        Op::End | Op::Hangup => {}
        Op::Branched(b) => out.extend(b.choices.iter().map(|c| c.1)),
        Op::Menu(m) => {
            out.extend(m.digits.iter().map(|d| d.1));
            out.extend([m.default, m.no_input, m.invalid]);
        }
        Op::Music { complete, default, .. } => out.extend([*complete, *default]),
        Op::Snippet { next, error, .. } => out.extend([*next, *error]),
        Op::Case { values, default, .. } => {
            out.extend(values.iter().map(|v| v.1));
            out.push(*default);
        }
        Op::If(i) => {
            out.extend([i.on_true, i.on_false]);
            out.extend(i.fallback.choices.iter().map(|c| c.1));
        }
        Op::Templated(t) => edges(&t.inner, out),
    }
}

impl Live {
    pub fn new(p: &Compiled) -> Live {
        let n = p.ops.len();
        let actions = p.coverage.actions.len();
        let counters = actions + p.coverage.branches.len();
        let words = counters.div_ceil(64).max(1);
        let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut own = vec![0u64; n * words];
        let set = |bits: &mut [u64], i: usize| bits[i / 64] |= 1 << (i % 64);
        let mut out = Vec::new();
        for (ix, op) in p.ops.iter().enumerate() {
            if let Some(&k) = p.coverage.action_key.get(ix) {
                set(&mut own[ix * words..(ix + 1) * words], k as usize);
            }
            out.clear();
            edges(op, &mut out);
            for e in out.iter().flatten() {
                set(&mut own[ix * words..(ix + 1) * words], actions + e.branch.index());
                succ[ix].push(e.to.index());
            }
        }
        // Strongly connected components, successors first (petgraph's Tarjan returns them in
        // reverse topological order): each component's set is its own counters and those of
        // the components it reaches.
        let mut g = petgraph::graph::DiGraph::<(), ()>::with_capacity(n, n);
        for _ in 0..n {
            g.add_node(());
        }
        for (a, bs) in succ.iter().enumerate() {
            for &b in bs {
                g.add_edge(petgraph::graph::NodeIndex::new(a), petgraph::graph::NodeIndex::new(b), ());
            }
        }
        let mut from = vec![0u64; n * words];
        let mut acc = vec![0u64; words];
        for scc in petgraph::algo::tarjan_scc(&g) {
            acc.iter_mut().for_each(|w| *w = 0);
            for a in &scc {
                let a = a.index();
                for (w, o) in acc.iter_mut().zip(&own[a * words..(a + 1) * words]) {
                    *w |= o;
                }
                for &b in &succ[a] {
                    for (w, o) in acc.iter_mut().zip(&from[b * words..(b + 1) * words]) {
                        *w |= o;
                    }
                }
            }
            for a in &scc {
                let a = a.index();
                from[a * words..(a + 1) * words].copy_from_slice(&acc);
            }
        }
        let mut handlers = vec![0u64; words];
        let entries =
            p.handler_sets.iter().flatten().chain([&p.on_answer, &p.on_release, &p.on_signal]).flatten();
        for h in entries {
            for (w, o) in handlers.iter_mut().zip(&from[h.index() * words..(h.index() + 1) * words]) {
                *w |= o;
            }
        }
        Live { words, from, handlers }
    }

    /// Whether counter `i` can still be set by a contact whose thread is at `pc`.
    #[inline]
    pub fn can_set(&self, pc: Option<crate::script::ActionIx>, i: usize) -> bool {
        let (w, b) = (i / 64, 1u64 << (i % 64));
        self.handlers.get(w).is_some_and(|x| x & b != 0)
            || pc.is_some_and(|a| self.from.get(a.index() * self.words + w).is_some_and(|x| x & b != 0))
    }
}
