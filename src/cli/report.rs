//! `recflow report SCRIPT... -o FILE.html` (and `report OLD NEW`): the self-contained HTML
//! report (docs/report.md). Two scripts are a change OLD → NEW unless `--separate`.

use super::ExitKind;
use super::config::{Report, Term};
use super::output::write_atomic;
use super::world::{compile, load_linked, load_tenant_traffic};
use crate::report::html::{self, Input, Model};
use crate::sim::Compiled;

pub fn run(term: &Term, a: &Report) -> std::io::Result<ExitKind> {
    // Each script with the scripts it calls (RUNSUB / RUNSCRIPT), linked as `simulate` links them.
    let mut scripts = Vec::new();
    let mut linked = Vec::new();
    for path in &a.scripts {
        match load_linked(term, path, &a.model.library) {
            Ok((s, l)) => {
                // The script's load warnings (issue 25: `report` printed none).
                term.warnings(&s.warnings);
                if super::world::refuse_suppression(path, &s) {
                    return Ok(ExitKind::BadInput);
                }
                if l.is_none() {
                    // Snippet constructs recflow reads but does not model: located warnings.
                    term.warnings(&crate::script::snippet_warnings(&s));
                }
                scripts.push(s);
                linked.push(l);
            }
            Err(errs) => {
                term.load_errors(&errs);
                return Ok(ExitKind::BadInput);
            }
        }
    }
    // One world for every script, checked against the first script that accepts it (as `diff`:
    // traffic `inputs` must name a MENU of the script).
    let mut world = None;
    let mut first_err = None;
    for s in &scripts {
        match load_tenant_traffic(term, &a.model, s) {
            Ok(w) => {
                world = Some(w);
                break;
            }
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    let Some((tenant, mut traffic)) = world else {
        if let Some(e) = first_err {
            term.load_errors(&e);
        }
        return Ok(ExitKind::BadInput);
    };
    let pool = a.model.pool()?;
    // --precision: the number of calls is the largest any script needs on the schedule of
    // `simulate --precision` (so every share on the page meets the target).
    let mut precision = None;
    if let Some(p) = a.precision {
        let mut calls = 0;
        for (s, l) in scripts.iter().zip(&linked) {
            let program = compile(s, l.as_ref(), &tenant, &traffic);
            let (tally, _) = pool.install(|| {
                crate::sim::precision::tally_to_precision(&program, p.target, p.max_calls, |_| {})
            });
            calls = calls.max(tally.calls);
        }
        traffic.calls = calls;
        precision = Some((p.target, calls));
    }
    let programs: Vec<Compiled> =
        scripts.iter().zip(&linked).map(|(s, l)| compile(s, l.as_ref(), &tenant, &traffic)).collect();
    // --exact: each program explored (`sim::exact`; one thread each, as `simulate --exact`).
    let mut exact = Vec::new();
    if a.exact {
        for p in &programs {
            match crate::sim::exact::explore(p, traffic.calls) {
                Ok(e) => exact.push(e),
                Err(e) => {
                    eprintln!(
                        "recflow: --exact: stopped after {} runs of the engine on {} (the limit is {}, \
                         docs/limits.md): sample instead (without --exact), or with random durations \
                         give fewer --calls",
                        e.runs,
                        p.name,
                        crate::sim::exact::MAX_RUNS
                    );
                    return Ok(ExitKind::BadInput);
                }
            }
        }
    }
    let lint_tenant = a.model.tenant.as_ref().map(|_| &tenant);
    let inputs: Vec<Input<'_>> = scripts
        .iter()
        .zip(&programs)
        .zip(&a.scripts)
        .zip(&linked)
        .enumerate()
        .map(|(k, (((script, program), path), linked))| Input {
            path: path.display().to_string(),
            script,
            program,
            lint_tenant,
            linked: linked.as_ref(),
            exact: exact.get(k),
        })
        .collect();
    let model = Model { tenant: &tenant, traffic: &traffic, flags: a.model.flags(false), precision };
    let page = pool.install(|| match inputs.as_slice() {
        [old, new] if !a.separate => {
            let d = crate::diff::diff(old.script, old.program, new.script, new.program, traffic.calls);
            html::diff_report(old, new, &model, &d)
        }
        _ => html::report(&inputs, &model),
    });
    let page = page.map_err(|e| std::io::Error::other(format!("cannot render the report: {e}")))?;
    write_atomic(&a.output, page.as_bytes())
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot write `{}`: {e}", a.output.display())))?;
    eprintln!("recflow: wrote {}", a.output.display());
    Ok(ExitKind::Ok)
}
