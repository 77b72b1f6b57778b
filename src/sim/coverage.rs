//! Coverage: which actions and wired branches the simulated contacts took (FORMATS round 3,
//! report key `coverage`).
//!
//! Input: each contact's [`Outcome`] — its `path` (actions run) and `branches` (wired branches
//! taken, recorded by the engine's `goto` as compiled [`BranchIx`]es). Output: [`Coverage`]
//! counts (part of every [`Tally`](super::Tally), so every command that simulates has them and
//! nobody recounts) and the report's [`CoverageReport`].
//!
//! Counts are *contacts*, not visits: a MUSIC loop run ten times counts its contact once. Keys
//! are action ids (`ID`) and `ID/BRANCH`; the actions of a linked subscript are `script:ID`, and
//! the copies of one subscript (one per RUNSUB call site) share a key, so a contact that runs
//! two copies counts once. Per contact the work is one array increment per action and branch
//! taken, deduplicated with a stamp per key (no hashing, no allocation).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::compile::{Compiled, CoverageMap};
use super::outcome::Outcome;

/// Contacts per action key and per wired-branch key of one program.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    map: Arc<CoverageMap>,
    /// Whether every action is its own key (no linked copies share ids): then the path's
    /// action indices are the keys and the lookup is skipped.
    identity: bool,
    /// Per action key ([`CoverageMap::actions`]).
    actions: Vec<Count>,
    /// Per [`BranchIx`](super::compile::BranchIx).
    branches: Vec<Count>,
}

/// Contacts that took one key, and the last contact (+1) counted: per-contact counting without
/// clearing anything. Side by side, so counting a key touches one cache line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Count {
    contacts: u64,
    stamp: u64,
}

/// Equal counts (the stamps are scratch).
impl PartialEq for Coverage {
    fn eq(&self, o: &Coverage) -> bool {
        let counts = |v: &[Count]| v.iter().map(|c| c.contacts).collect::<Vec<_>>();
        counts(&self.actions) == counts(&o.actions) && counts(&self.branches) == counts(&o.branches)
    }
}

impl Eq for Coverage {}

/// Count key `k` once for the contact stamped `stamp`.
#[inline(always)]
fn count(counts: &mut [Count], k: usize, stamp: u64) {
    if let Some(c) = counts.get_mut(k)
        && c.stamp != stamp
    {
        c.stamp = stamp;
        c.contacts += 1;
    }
}

impl Coverage {
    pub fn new(p: &Compiled) -> Coverage {
        let (a, b) = (p.coverage.actions.len(), p.coverage.branches.len());
        Coverage {
            map: p.coverage.clone(),
            identity: p.coverage.action_key.iter().enumerate().all(|(i, k)| *k as usize == i),
            actions: vec![Count::default(); a],
            branches: vec![Count::default(); b],
        }
    }

    #[inline]
    pub fn add(&mut self, o: &Outcome) {
        self.add_as(o, o.id + 1);
    }

    /// [`Coverage::add`] for a contact told apart by `stamp` (> 0, never used before) instead
    /// of its id: `recflow test` runs many cases as contact 0.
    #[inline]
    pub fn add_as(&mut self, o: &Outcome, stamp: u64) {
        let actions = &mut self.actions[..];
        if self.identity {
            for &ix in &o.path {
                count(actions, ix.index(), stamp);
            }
        } else {
            for &ix in &o.path {
                count(actions, self.map.action_key[ix.index()] as usize, stamp);
            }
        }
        let branches = &mut self.branches[..];
        for &b in &o.branches {
            count(branches, b.index(), stamp);
        }
    }

    pub fn merge(&mut self, o: &Coverage) {
        if self.actions.len() < o.actions.len() {
            self.actions.resize(o.actions.len(), Count::default());
        }
        if self.branches.len() < o.branches.len() {
            self.branches.resize(o.branches.len(), Count::default());
        }
        if self.map.actions.is_empty() {
            self.map = o.map.clone();
            self.identity = o.identity;
        }
        for (a, b) in self.actions.iter_mut().zip(&o.actions) {
            a.contacts += b.contacts;
        }
        for (a, b) in self.branches.iter_mut().zip(&o.branches) {
            a.contacts += b.contacts;
        }
    }

    /// The contact counts per action key, then per branch (exact analysis tells classes of
    /// contacts apart by them).
    pub fn counts(&self) -> impl Iterator<Item = u64> + '_ {
        self.actions.iter().chain(&self.branches).map(|c| c.contacts)
    }

    /// Contacts that took branch `key` (`ID/BRANCH`); `None` when the program has no such
    /// wired branch.
    pub fn branch(&self, key: &str) -> Option<u64> {
        let i = self.map.branches.iter().position(|(k, _, _)| k == key)?;
        Some(self.branches.get(i).map_or(0, |c| c.contacts))
    }

    /// Contacts that ran action `id`; `None` when the program has no such action.
    pub fn action(&self, id: &str) -> Option<u64> {
        let i = self.map.actions.iter().position(|k| k == id)?;
        Some(self.actions.get(i).map_or(0, |c| c.contacts))
    }

    /// The report's `coverage`.
    pub fn report(&self) -> CoverageReport {
        let count = |v: &[Count], i: usize| v.get(i).map_or(0, |c| c.contacts);
        CoverageReport {
            actions: self
                .map
                .actions
                .iter()
                .enumerate()
                .map(|(i, k)| (k.clone(), count(&self.actions, i)))
                .collect(),
            branches: self
                .map
                .branches
                .iter()
                .enumerate()
                .map(|(i, (k, _, _))| (k.clone(), count(&self.branches, i)))
                .collect(),
            unexercised: self
                .map
                .branches
                .iter()
                .enumerate()
                .filter(|(i, _)| count(&self.branches, *i) == 0)
                .map(|(_, (k, _, _))| k.clone())
                .collect(),
        }
    }

    /// The unexercised wired branches with the action index and branch position of their
    /// first occurrence (for file:line), in script order.
    pub fn unexercised(&self) -> Vec<(&str, crate::script::ActionIx, usize)> {
        self.map
            .branches
            .iter()
            .enumerate()
            .filter(|(i, _)| self.branches.get(*i).is_none_or(|c| c.contacts == 0))
            .map(|(_, (k, a, pos))| (k.as_str(), *a, *pos as usize))
            .collect()
    }
}

/// The report's `coverage` (FORMATS round 3): contacts per action id and per wired branch
/// (`ID/BRANCH`; the no-input branch of a MENU is its `default`), and the wired branches no
/// contact took, in script order.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CoverageReport {
    pub actions: BTreeMap<String, u64>,
    pub branches: BTreeMap<String, u64>,
    pub unexercised: Vec<String>,
}

impl CoverageReport {
    /// (exercised, wired) branches.
    pub fn branch_counts(&self) -> (usize, usize) {
        (self.branches.len() - self.unexercised.len(), self.branches.len())
    }

    /// Exercised branches in percent of the wired ones (100 when there are none).
    pub fn percent(&self) -> f64 {
        let (hit, all) = self.branch_counts();
        if all == 0 { 100.0 } else { 100.0 * hit as f64 / all as f64 }
    }
}
