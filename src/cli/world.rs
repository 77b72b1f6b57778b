//! The first step of every command's work: read the files the [`Config`](super::config::Config)
//! names — the script with the scripts it calls, the tenant and traffic files — reporting load
//! errors (exit 2) and warnings on stderr through the run's [`Term`]. A [`World`] is what a
//! simulating command then compiles and runs.

use std::path::Path;

use super::config::ModelOptions;
use super::term::Term;
use crate::library::{self, link::Linked};
use crate::model::{Tenant, Traffic};
use crate::script::{self, LoadErrors, Script};
use crate::sim::Compiled;

/// The simulated world of a command: script, tenant, traffic, with `--calls` / `--seed`
/// applied.
pub struct World {
    /// The script, or the linked script when the entry calls others (RUNSUB / RUNSCRIPT).
    pub script: Script,
    pub tenant: Tenant,
    pub traffic: Traffic,
    /// The library linked into `script`, when the entry calls other scripts.
    pub linked: Option<Linked>,
}

impl World {
    pub fn program(&self) -> Compiled {
        compile(&self.script, self.linked.as_ref(), &self.tenant, &self.traffic)
    }

    /// `file:line` of branch `pos` of action `ix` (in its own file for a linked subscript).
    pub fn branch_location(&self, ix: crate::script::ActionIx, pos: usize) -> String {
        let a = &self.script.actions[ix.index()];
        let span = a.branches.get(pos).map_or(a.id_span, |b| b.name_span);
        match &self.linked {
            Some(l) => {
                let (file, line, _) = l.files.position(span.offset);
                format!("{file}:{line}")
            }
            None => format!("{}:{}", self.script.source.name, self.script.source.line_col(span.offset).0),
        }
    }

    /// The unexercised branches of a run, each with its `file:line` (script order).
    pub fn unexercised(&self, c: &crate::sim::coverage::Coverage) -> Vec<(String, String)> {
        c.unexercised()
            .into_iter()
            .map(|(k, ix, pos)| (k.to_string(), self.branch_location(ix, pos)))
            .collect()
    }
}

/// Compile a script, or its linked form when it calls other scripts.
pub fn compile(script: &Script, linked: Option<&Linked>, tenant: &Tenant, traffic: &Traffic) -> Compiled {
    match linked {
        Some(l) => Compiled::compile_linked(l, tenant, traffic),
        None => Compiled::compile(script, tenant, traffic),
    }
}

/// Load one script file on its own, printing its load errors on failure, and on success its
/// load warnings and the Snippet constructs it reads but does not model.
pub fn load_script(term: &Term, path: &Path) -> Option<Script> {
    match script::load_path(path) {
        Ok(s) => {
            // The load warnings too (issue 25: `graph` and `convert` printed none).
            term.warnings(&s.warnings);
            term.warnings(&script::snippet_warnings(&s));
            Some(s)
        }
        Err(errs) => {
            term.load_errors(&errs);
            None
        }
    }
}

/// The entry script and the scripts it calls (docs/subscripts.md), linked when it calls any.
/// The library's warnings are printed; errors are returned.
pub fn load_linked(
    term: &Term,
    path: &Path,
    options: &library::Options,
) -> Result<(Script, Option<Linked>), LoadErrors> {
    let lib = library::load(path, options)?;
    term.warnings(&lib.warnings);
    if lib.is_single() {
        let entry = lib.scripts.into_iter().next().expect("a library has its entry");
        return Ok((entry.script, None));
    }
    let linked = library::link::link(&lib)?;
    Ok((linked.script.clone(), Some(linked)))
}

/// The tenant and traffic files of `model` (embedded defaults when absent), checked against
/// `script`, with `--calls` / `--seed` applied. Warnings are printed; errors are returned.
pub fn load_tenant_traffic(
    term: &Term,
    model: &ModelOptions,
    script: &Script,
) -> Result<(Tenant, Traffic), LoadErrors> {
    let tenant = match &model.tenant {
        Some(path) => {
            let (tenant, warnings) = crate::model::tenant::load_tenant(path, Some(script))?;
            term.warnings(&warnings);
            tenant
        }
        None => Tenant::default(),
    };
    let mut traffic = match &model.traffic {
        // The built-in name (docs/simulate.md "Explore"); `./explore` names a file.
        Some(path) if path.as_os_str() == crate::model::traffic::EXPLORE => Traffic::explore(),
        Some(path) => {
            let (traffic, warnings) = crate::model::traffic::load_traffic_with_warnings(path, script)?;
            term.warnings(&warnings);
            traffic
        }
        None => Traffic::default(),
    };
    if let Some(calls) = model.calls {
        traffic.calls = calls;
    }
    if let Some(seed) = model.seed {
        traffic.seed = seed;
    }
    Ok((tenant, traffic))
}

/// A call-suppression script (`purposeType: Suppression`, issue 25) is not simulated: CXone runs
/// it before it dials an outbound call, to decide whether to dial (PERMITCALL) or not
/// (SUPPRESSCALL, usually after a CHECKCALLSUP look-up in the suppression table); it has no
/// caller, no agent and nothing to record, so "calls" through it would be invented. Prints why
/// (and what to run instead) and says `true` when the script is one.
pub fn refuse_suppression(path: &Path, script: &Script) -> bool {
    let Some(purpose) = script.kind.purpose.as_deref() else { return false };
    if !purpose.trim().eq_ignore_ascii_case("suppression") {
        return false;
    }
    eprintln!(
        "recflow: `{}` is a call-suppression script (purposeType: {purpose}), not one that handles calls: \
         CXone runs it before dialling an outbound call to decide whether to dial it (PERMITCALL) or not \
         (SUPPRESSCALL); it has no caller, no agent and nothing to record, so recflow does not simulate it. \
         `recflow lint` and `recflow graph` check it; simulate the script that handles the dialled call \
         (docs/actions.md: PERMITCALL, SUPPRESSCALL, CHECKCALLSUP)",
        path.display()
    );
    true
}

/// Everything a simulating command needs for one script, printing load errors (→ exit 2) on
/// failure.
pub fn load_world(term: &Term, path: &Path, model: &ModelOptions) -> Option<World> {
    let (script, linked) = match load_linked(term, path, &model.library) {
        Ok(x) => x,
        Err(errs) => {
            term.load_errors(&errs);
            return None;
        }
    };
    term.warnings(&script.warnings);
    if refuse_suppression(path, &script) {
        return None;
    }
    match load_tenant_traffic(term, model, &script) {
        Ok((tenant, traffic)) => Some(World { script, tenant, traffic, linked }),
        Err(errs) => {
            term.load_errors(&errs);
            None
        }
    }
}

/// `--tenant FILE` for lint (no script to check it against), printing its warnings; load
/// errors are printed and give `None` (exit 2).
pub fn load_lint_tenant(term: &Term, path: &Path) -> Option<Tenant> {
    match crate::model::load_tenant(path, None) {
        Ok((tenant, warnings)) => {
            term.warnings(&warnings);
            Some(tenant)
        }
        Err(errs) => {
            term.load_errors(&errs);
            None
        }
    }
}
