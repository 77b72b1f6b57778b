//! `recflow completions SHELL` and `recflow man`: shell completion scripts (clap_complete) and
//! the roff man page (clap_mangen), both generated from the one clap definition of the command
//! line, so they can never disagree with `--help` (docs/editor.md).

use clap::CommandFactory;

use super::args::Cli;
use super::{ExitKind, write_stdout};

pub fn completions(shell: clap_complete::Shell) -> std::io::Result<ExitKind> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "recflow", &mut out);
    write_stdout(&String::from_utf8_lossy(&out))?;
    Ok(ExitKind::Ok)
}

/// The man page of `recflow` (section 1): the command, then each subcommand's synopsis,
/// description and options, so `man recflow` documents every option in one place.
pub fn man_page() -> std::io::Result<String> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut out)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let man = clap_mangen::Man::new(sub.clone());
        man.render_synopsis_section(&mut out)?;
        man.render_description_section(&mut out)?;
        man.render_options_section(&mut out)?;
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

pub fn man() -> std::io::Result<ExitKind> {
    write_stdout(&man_page()?)?;
    Ok(ExitKind::Ok)
}
