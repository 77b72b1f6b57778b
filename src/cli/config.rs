//! Tenant / traffic files on the command line: `recflow defaults tenant|traffic` prints the
//! embedded defaults, and the `*_or_report` helpers load `--tenant` / `--traffic` for any
//! command (embedded default when the flag is absent; errors and warnings to stderr).

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::args::{DefaultsArgs, DefaultsWhat};
use super::{ExitKind, report_load_errors, write_stdout};
use crate::model::{self, Tenant};
use crate::script::{LoadError, Script};

pub fn run_defaults(a: &DefaultsArgs) -> std::io::Result<ExitKind> {
    let text = match a.what {
        DefaultsWhat::Tenant => model::default_tenant_yaml(),
        DefaultsWhat::Traffic => model::default_traffic_yaml(),
    };
    write_stdout(text)?;
    Ok(ExitKind::Ok)
}

/// `--tenant FILE` (or the embedded default when `None`), checked against `script`. Load
/// errors are printed and give `None` (exit 2); warnings are printed and loading goes on.
pub fn tenant_or_report(path: Option<&Path>, script: Option<&Script>) -> Option<Tenant> {
    let Some(path) = path else { return Some(Tenant::default()) };
    match model::load_tenant(path, script) {
        Ok((tenant, warnings)) => {
            report_warnings(&warnings);
            Some(tenant)
        }
        Err(errs) => {
            report_load_errors(&errs);
            None
        }
    }
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
            let _ = handler.render_report(&mut out, &crate::source::NamedErr(e));
        }
        out
    } else {
        errs.render_plain(100)
    };
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
