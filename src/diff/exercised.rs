//! Whether the traffic exercised each change: `diff` never certifies an edit no contact
//! reached (FORMATS round 3: `--min-exercised N`, JSON `unexercised_changes`).
//!
//! Input: the structural diff ([`ActionChange`]s, aligned by action id) and the coverage of
//! both runs (the [`Coverage`] part of each side's tally — counted once by the sink, read
//! here). Output: for every changed branch (`ID/BRANCH`) or otherwise changed, added or removed
//! action (`ID`), the contacts that reached it in OLD and in NEW.
//!
//! A rewired branch is reached when a contact *took that branch*; any other change of an
//! action (type, label, consent, a property) when a contact ran the action; an added action
//! only exists in NEW, a removed one only in OLD. Subscript actions are `script:ID`.

use serde::Serialize;

use super::structural::{ActionChange, ChangeKind};
use crate::sim::coverage::Coverage;

/// How many contacts reached one change in each run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reach {
    /// `ID/BRANCH` for a rewired branch, `ID` for any other change of an action.
    pub change: String,
    /// Contacts that took the branch / ran the action in the old run (0 when it is absent).
    pub old: u64,
    /// ... and in the new run.
    pub new: u64,
}

/// Every change of `changes` with its contacts in both runs, in structural-diff order.
pub fn reach(changes: &[ActionChange], old: &Coverage, new: &Coverage) -> Vec<Reach> {
    let mut out = Vec::new();
    for c in changes {
        let action = |cov: &Coverage| cov.action(&c.action).unwrap_or(0);
        match c.change {
            ChangeKind::Added => out.push(Reach { change: c.action.clone(), old: 0, new: action(new) }),
            ChangeKind::Removed => out.push(Reach { change: c.action.clone(), old: action(old), new: 0 }),
            ChangeKind::Changed => {
                let mut other = false;
                for d in &c.details {
                    match (d.what, &d.name) {
                        ("branch", Some(name)) => {
                            let key = format!("{}/{name}", c.action);
                            let (o, n) = (old.branch(&key).unwrap_or(0), new.branch(&key).unwrap_or(0));
                            out.push(Reach { change: key, old: o, new: n });
                        }
                        _ => other = true,
                    }
                }
                if other {
                    out.push(Reach { change: c.action.clone(), old: action(old), new: action(new) });
                }
            }
        }
    }
    out
}

/// The changes fewer than `min` contacts reached in both runs.
pub fn unexercised(reach: &[Reach], min: u64) -> Vec<Reach> {
    reach.iter().filter(|r| r.old < min && r.new < min).cloned().collect()
}
