//! Tenant / traffic files on the command line: `recflow defaults tenant|traffic` prints the
//! embedded defaults; [`report_warnings`] prints tenant / traffic warnings (not errors: no
//! "nothing was loaded" line, exit status unaffected).

use std::io::{IsTerminal, Write};

use super::args::{DefaultsArgs, DefaultsWhat};
use super::{Outcome, write_stdout};
use crate::model;
use crate::script::LoadError;

pub fn run_defaults(a: &DefaultsArgs) -> std::io::Result<Outcome> {
    let text = match a.what {
        DefaultsWhat::Tenant => model::default_tenant_yaml(),
        DefaultsWhat::Traffic => model::default_traffic_yaml(),
    };
    write_stdout(text)?;
    Ok(Outcome::Ok)
}

/// Print warnings to stderr like load errors (coloured only on a terminal).
pub fn report_warnings(warnings: &[LoadError]) {
    if warnings.is_empty() {
        return;
    }
    let errs = crate::script::LoadErrors { errors: warnings.to_vec() };
    let text = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode()).with_width(100);
        let mut out = String::new();
        for e in &errs.errors {
            let _ = handler.render_report(&mut out, &crate::script::error::NamedErr(e));
        }
        out
    } else {
        errs.render_plain(100)
    };
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// `--tenant FILE` (or the embedded default when `None`), checked against `script` when given;
/// errors are printed (→ exit 2: `None`). Used by `lint --tenant`.
// Restored on the `diff` branch so that `lint` (which calls it) and `config` build together.
pub fn tenant_or_report(
    path: Option<&std::path::Path>,
    script: Option<&crate::script::Script>,
) -> Option<model::Tenant> {
    let Some(path) = path else { return Some(model::Tenant::default()) };
    match model::load_tenant(path, script) {
        Ok((tenant, warnings)) => {
            report_warnings(&warnings);
            Some(tenant)
        }
        Err(errs) => {
            super::report_load_errors(&errs);
            None
        }
    }
}
