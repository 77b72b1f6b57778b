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

/// The man pages (section 1), file name and roff text: `recflow.1` first — the command, its
/// options and a SUBCOMMANDS list naming `recflow-simulate(1)`, ... — then one page per
/// subcommand, titled and named `recflow-SUB` (clap's display name), each with its own
/// synopsis, description, options and examples.
pub fn man_pages() -> std::io::Result<Vec<(String, String)>> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut pages = Vec::new();
    let render = |man: clap_mangen::Man| -> std::io::Result<(String, String)> {
        let man = man.source(concat!("recflow ", env!("CARGO_PKG_VERSION")));
        let mut out = Vec::new();
        man.render(&mut out)?;
        Ok((man.get_filename(), String::from_utf8_lossy(&out).into_owned()))
    };
    pages.push(render(clap_mangen::Man::new(cmd.clone()))?);
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        pages.push(render(clap_mangen::Man::new(sub.clone()))?);
    }
    Ok(pages)
}

/// `recflow man`: print `recflow.1`; with `--out DIR`, write every page into `DIR` (created if
/// missing; an existing non-directory is refused) and list what was written.
pub fn man(out: Option<&std::path::Path>) -> std::io::Result<ExitKind> {
    let pages = man_pages()?;
    let Some(dir) = out else {
        write_stdout(&pages[0].1)?;
        return Ok(ExitKind::Ok);
    };
    if dir.exists() && !dir.is_dir() {
        eprintln!(
            "recflow: `{}` is not a directory: `man --out` writes one file per page into a directory",
            dir.display()
        );
        return Ok(ExitKind::BadInput);
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot create `{}`: {e}", dir.display())))?;
    let mut listing = String::new();
    for (name, text) in &pages {
        let path = dir.join(name);
        super::output::write_atomic(&path, text.as_bytes())?;
        listing.push_str(&format!("{}\n", path.display()));
    }
    write_stdout(&listing)?;
    Ok(ExitKind::Ok)
}
