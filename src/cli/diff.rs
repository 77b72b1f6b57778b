//! `recflow diff OLD NEW`: run both scripts on identical callers and show how the change moves
//! recording outcomes, contact by contact (FORMATS §7).

use super::args::{DiffArgs, DiffFormat, ModelArgs};
use super::simulate::{load_world, pool};
use super::{ExitKind, report_load_errors, write_stdout};
use crate::diff;
use crate::sim::Compiled;

/// The model options as command-line flags, to repeat in the commands a report suggests.
/// `--calls` is left out for `explain` (contact i does not depend on the number of calls).
pub fn flags(m: &ModelArgs, with_calls: bool) -> String {
    let mut s = String::new();
    if let Some(t) = &m.tenant {
        s += &format!(" --tenant {}", t.display());
    }
    if let Some(t) = &m.traffic {
        s += &format!(" --traffic {}", t.display());
    }
    if let Some(c) = m.calls.filter(|_| with_calls) {
        s += &format!(" --calls {c}");
    }
    if let Some(seed) = m.seed {
        s += &format!(" --seed {seed}");
    }
    s
}

pub fn run(a: DiffArgs) -> std::io::Result<ExitKind> {
    // Each side with the scripts it calls (its own folder first): a change in a subscript moves
    // the outcomes, and the structural diff names the subscript's actions (`script:id`).
    let options = a.model.library.options();
    let load = |p: &std::path::Path| match super::simulate::load_linked(p, &options) {
        Ok(x) => Some(x),
        Err(errs) => {
            report_load_errors(&errs);
            None
        }
    };
    let Some((old, old_linked)) = load(&a.old) else { return Ok(ExitKind::BadInput) };
    let Some((new, new_linked)) = load(&a.new) else { return Ok(ExitKind::BadInput) };
    // One world (tenant, traffic) for both scripts. The files are checked against the old
    // script (traffic `inputs` must name its MENUs), or else the new one: an edit may add or
    // remove a MENU that the traffic file describes.
    let (tenant, traffic) = match load_world(&a.model, &old) {
        Ok(w) => w,
        Err(errs) => match load_world(&a.model, &new) {
            Ok(w) => w,
            Err(_) => {
                report_load_errors(&errs);
                return Ok(ExitKind::BadInput);
            }
        },
    };
    let compile = |s: &crate::script::Script, l: &Option<crate::library::link::Linked>| match l {
        Some(l) => Compiled::compile_linked(l, &tenant, &traffic),
        None => Compiled::compile(s, &tenant, &traffic),
    };
    let po = compile(&old, &old_linked);
    let pn = compile(&new, &new_linked);
    let calls = traffic.calls;
    let report = pool(a.model.jobs)?.install(|| diff::diff(&old, &po, &new, &pn, calls));
    let text = match a.format {
        DiffFormat::Json => diff::render::json(&report),
        DiffFormat::Human => diff::render::human(
            &report,
            &a.old.display().to_string(),
            &a.new.display().to_string(),
            &flags(&a.model, false),
        ),
    };
    write_stdout(&text)?;
    Ok(if a.fail_on_change && report.changed > 0 { ExitKind::Findings } else { ExitKind::Ok })
}
