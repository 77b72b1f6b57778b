//! `recflow defaults tenant|traffic`: print the embedded default tenant or traffic file, the
//! files every command uses when `--tenant` / `--traffic` are not given.

use super::args::DefaultsWhat;
use super::{ExitKind, write_stdout};
use crate::model;

pub fn run(what: DefaultsWhat) -> std::io::Result<ExitKind> {
    let text = match what {
        DefaultsWhat::Tenant => model::default_tenant_yaml(),
        DefaultsWhat::Traffic => model::default_traffic_yaml(),
    };
    write_stdout(text)?;
    Ok(ExitKind::Ok)
}
