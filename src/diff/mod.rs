//! Stage — **diff**: how a script change moves recording outcomes, contact by contact.
//!
//! Input: two [`Script`](crate::script::Script)s compiled with one tenant and one traffic into
//! two [`Compiled`](crate::sim::Compiled)s. Output: a [`DiffReport`] — the two v1 reports, the
//! number of contacts whose outcome class changed, the transitions between classes (with
//! example contacts and where their paths part), and a structural diff of the scripts.
//!
//! - `class.rs`: [`OutcomeClass`] — what was recorded and why, without times, and its stable
//!   name (`policy:Default/full@agent`, `studio/full@agent+ivr`, `dnr`, `none`, ...);
//! - `structural.rs`: actions added / removed / changed (type, label, consent, properties,
//!   rewired branches), by action id;
//! - `run.rs`: the `Part` pair sink (both programs on identical callers) and the `Classes` sink
//!   (per-class counts of one program, for `snapshot`), run by the one driver
//!   ([`crate::sim::driver`]): deterministic for any number of threads, memory independent of
//!   the number of calls;
//! - `exercised.rs`: how many contacts reached each change in each run (from both runs'
//!   coverage); the changes no contact reached are never certified;
//! - `align.rs`: LCS alignment (paths of one contact; snapshot lines → unified diff);
//! - `render.rs`: FORMATS §7 JSON and the terminal report.
//!
//! ```no_run
//! use recflow::{diff, model::{Tenant, Traffic}, sim::Compiled};
//! let old = recflow::script::load_path("old.yaml".as_ref())?;
//! let new = recflow::script::load_path("new.yaml".as_ref())?;
//! let (tenant, traffic) = (Tenant::default(), Traffic::default());
//! let (po, pn) = (Compiled::compile(&old, &tenant, &traffic), Compiled::compile(&new, &tenant, &traffic));
//! let changes = diff::structural::diff_scripts(&old, &new);
//! let d = diff::run::diff_programs(&po, &pn, traffic.calls, &changes);
//! println!("{} of {} contacts changed outcome class", d.changed, traffic.calls);
//! # Ok::<(), recflow::script::LoadErrors>(())
//! ```

pub mod align;
pub mod class;
pub mod exercised;
pub mod render;
pub mod run;
pub mod structural;

pub use class::OutcomeClass;
pub use render::DiffReport;
pub use run::{Diff, Transition, classify, diff_programs};
pub use structural::{ActionChange, diff_scripts};

use crate::script::Script;
use crate::sim::Compiled;

/// Diff two scripts under one compiled model: run both, compare classes, build the report.
/// `calls` contacts `0..calls`; runs on the current rayon pool.
pub fn diff(old: &Script, po: &Compiled, new: &Script, pn: &Compiled, calls: u64) -> DiffReport {
    let script_changes = diff_scripts(old, new);
    let d = diff_programs(po, pn, calls, &script_changes);
    let reached = exercised::reach(&script_changes, &d.old.coverage, &d.new.coverage);
    let paired = render::paired_rows(&d, po);
    let (old_report, new_report) = (d.old.report(po), d.new.report(pn));
    let mut r = DiffReport {
        version: 1,
        old: old_report,
        new: new_report,
        changed: d.changed,
        transitions: d.transitions,
        script_changes,
        paired,
        min_exercised: 1,
        changes_reached: reached,
        unexercised_changes: Vec::new(),
        verdicts: Vec::new(),
    };
    r.verdicts = render::verdict_moves(&r.old, &r.new);
    r.set_min_exercised(1);
    r
}
