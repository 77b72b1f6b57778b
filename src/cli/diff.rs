//! `recflow diff OLD NEW`: run both scripts on identical callers and show how the change moves
//! recording outcomes, contact by contact (FORMATS §7).

use super::args::DiffFormat;
use super::config::{Diff, Term};
use super::world::{compile, load_linked, load_tenant_traffic};
use super::{ExitKind, write_stdout};
use crate::diff;

pub fn run(term: &Term, a: &Diff) -> std::io::Result<ExitKind> {
    // Each side with the scripts it calls (its own folder first): a change in a subscript moves
    // the outcomes, and the structural diff names the subscript's actions (`script:id`).
    let load = |p: &std::path::Path| match load_linked(term, p, &a.model.library) {
        Ok(x) => {
            // Its load warnings (issue 25: they vanished); a call-suppression script has no
            // calls to compare.
            term.warnings(&x.0.warnings);
            (!super::world::refuse_suppression(p, &x.0)).then_some(x)
        }
        Err(errs) => {
            term.load_errors(&errs);
            None
        }
    };
    let Some((old, old_linked)) = load(&a.old) else { return Ok(ExitKind::BadInput) };
    let Some((new, new_linked)) = load(&a.new) else { return Ok(ExitKind::BadInput) };
    // One world (tenant, traffic) for both scripts. The files are checked against the old
    // script (traffic `inputs` must name its MENUs), or else the new one: an edit may add or
    // remove a MENU that the traffic file describes.
    let (tenant, traffic) = match load_tenant_traffic(term, &a.model, &old) {
        Ok(w) => w,
        Err(errs) => match load_tenant_traffic(term, &a.model, &new) {
            Ok(w) => w,
            Err(_) => {
                term.load_errors(&errs);
                return Ok(ExitKind::BadInput);
            }
        },
    };
    let po = compile(&old, old_linked.as_ref(), &tenant, &traffic);
    let pn = compile(&new, new_linked.as_ref(), &tenant, &traffic);
    let calls = traffic.calls;
    if a.exact {
        return exact(a, (&po, &pn), calls);
    }
    let mut report = a.model.pool()?.install(|| diff::diff(&old, &po, &new, &pn, calls));
    report.set_min_exercised(a.min_exercised);
    let text = match a.format {
        DiffFormat::Json => diff::render::json(&report),
        DiffFormat::Human => diff::render::human(
            &report,
            &a.old.display().to_string(),
            &a.new.display().to_string(),
            &a.model.flags(false),
        ),
    };
    match a.format {
        DiffFormat::Human => super::write_human(&text, false)?,
        DiffFormat::Json => write_stdout(&text)?,
    }
    let worse: Vec<String> = report
        .verdicts
        .iter()
        .filter(|m| m.worse_violation())
        .map(|m| format!("{}: {} → {}", m.finding, m.old, m.new))
        .collect();
    if a.fail_on_change && !worse.is_empty() {
        eprintln!("recflow: --fail-on-change: violations appeared or grew: {}", worse.join(", "));
    }
    if a.fail_on_change && !report.unexercised_changes.is_empty() {
        let keys: Vec<&str> = report.unexercised_changes.iter().map(|r| r.change.as_str()).collect();
        eprintln!(
            "recflow: --fail-on-change: cannot show that nothing changed: not exercised by this traffic: {}; \
             try `--traffic explore`",
            keys.join(", ")
        );
    }
    Ok(if a.fail_on_change && report.fails() { ExitKind::Findings } else { ExitKind::Ok })
}

/// `diff --exact`: both programs explored (`sim::exact`), their probabilities compared key by key.
fn exact(
    a: &Diff,
    (po, pn): (&crate::sim::Compiled, &crate::sim::Compiled),
    calls: u64,
) -> std::io::Result<ExitKind> {
    use crate::report::exact as render;
    use crate::sim::exact;
    let mut results = Vec::new();
    for p in [po, pn] {
        match exact::explore(p, calls) {
            Ok(r) => results.push(r),
            Err(e) => {
                eprintln!("recflow: --exact: {}", e.message(Some(&p.name)));
                return Ok(ExitKind::BadInput);
            }
        }
    }
    let (old, new) = (&results[0], &results[1]);
    let (changes, unexercised) = exact::compare(old, new);
    let (os, ns) = (a.old.display().to_string(), a.new.display().to_string());
    match a.format {
        DiffFormat::Json => {
            write_stdout(&render::diff_json((old, &os), (new, &ns), po.seed, &changes, &unexercised))?
        }
        DiffFormat::Human => {
            super::write_human(&render::diff_human((old, &os), (new, &ns), &changes, &unexercised), false)?
        }
    }
    if a.fail_on_change && !changes.is_empty() {
        eprintln!("recflow: --fail-on-change: {} probabilities changed", changes.len());
        return Ok(ExitKind::Findings);
    }
    Ok(ExitKind::Ok)
}
