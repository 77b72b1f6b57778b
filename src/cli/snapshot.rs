//! `recflow snapshot SCRIPT... [--check | --accept] [--dir DIR]`: committed recording
//! snapshots of scripts, checked in CI.
//!
//! - no flag: print each snapshot to stdout (several as YAML documents separated by `---`);
//! - `--check`: never writes; compares each script's fresh snapshot with `<dir>/<stem>.yaml`,
//!   prints a unified diff for each mismatch and the command that accepts it; exit 1 when any
//!   snapshot is missing or differs;
//! - `--accept`: writes each snapshot atomically (temp file + rename); an unchanged file is
//!   left untouched.
//!
//! Exit 2 when a script, tenant or traffic file cannot be loaded (the other scripts are still
//! processed and reported), or when two scripts would share one snapshot file.

use std::fmt::Write as _;
use std::path::Path;

use super::config::{Snapshot, SnapshotMode, Term};
use super::output::write_atomic;
use super::world::load_world;
use super::{ExitKind, write_stdout};
use crate::snapshot::{self, Check, Fingerprint};

/// Snapshot every script (two scripts sharing a snapshot file were refused in `config.rs`).
pub fn run(term: &Term, a: &Snapshot) -> std::io::Result<ExitKind> {
    let pool = a.model.pool()?;
    let dir_flag = if a.dir == Path::new(snapshot::DEFAULT_DIR) {
        String::new()
    } else {
        format!(" --dir {}", a.dir.display())
    };
    let model_flags = a.model.flags(true);
    let (mut bad, mut changed, mut missing, mut same, mut written) = (0, 0, 0, 0, 0);
    let mut printed = 0;
    for (script, target) in &a.scripts {
        let Some(world) = load_world(term, script, &a.model) else {
            bad += 1;
            continue;
        };
        let program = world.program();
        let fp = Fingerprint::of(&world.tenant, &world.traffic).with_scripts(world.linked.as_ref());
        let text = pool.install(|| snapshot::render(&program, &fp));
        let accept = format!("recflow snapshot {}{dir_flag}{model_flags} --accept", script.display());
        let mut out = String::new();
        if a.mode == SnapshotMode::Check {
            match snapshot::check(target, &text)? {
                Check::Same => {
                    same += 1;
                    let _ = writeln!(out, "ok       {} ({})", script.display(), target.display());
                }
                Check::Missing => {
                    missing += 1;
                    let _ =
                        writeln!(out, "MISSING  {}: no snapshot at `{}`", script.display(), target.display());
                    let _ = writeln!(out, "         create it with: {accept}");
                }
                Check::Changed { diff } => {
                    changed += 1;
                    let _ = writeln!(
                        out,
                        "CHANGED  {}: recording outcomes differ from `{}`",
                        script.display(),
                        target.display()
                    );
                    out.push_str(&diff);
                    let _ = writeln!(
                        out,
                        "         review the diff above; if the change is intended, accept it with:"
                    );
                    let _ = writeln!(out, "         {accept}");
                }
            }
        } else if a.mode == SnapshotMode::Accept {
            let old = std::fs::read_to_string(target).ok();
            if old.as_deref() == Some(text.as_str()) {
                same += 1;
                let _ = writeln!(out, "unchanged {}", target.display());
            } else {
                if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        std::io::Error::new(e.kind(), format!("cannot create `{}`: {e}", parent.display()))
                    })?;
                }
                write_atomic(target, text.as_bytes())?;
                written += 1;
                let verb = if old.is_some() { "updated" } else { "created" };
                let _ = writeln!(out, "{verb:<9} {}", target.display());
            }
        } else {
            if printed > 0 {
                out.push_str("---\n");
            }
            out.push_str(&text);
            printed += 1;
        }
        write_stdout(&out)?;
    }

    let total = a.scripts.len();
    if a.mode == SnapshotMode::Check {
        let mut s = format!("\n{total} snapshot(s): {same} ok, {changed} changed, {missing} missing");
        if bad > 0 {
            s += &format!(", {bad} could not be loaded");
        }
        s.push('\n');
        if changed + missing > 0 {
            let _ = writeln!(
                s,
                "accept all after review: recflow snapshot {}{dir_flag}{model_flags} --accept",
                a.scripts.iter().map(|(p, _)| p.display().to_string()).collect::<Vec<_>>().join(" ")
            );
        }
        write_stdout(&s)?;
    } else if a.mode == SnapshotMode::Accept {
        write_stdout(&format!("{written} written, {same} unchanged\n"))?;
    }
    Ok(if bad > 0 {
        ExitKind::BadInput
    } else if changed + missing > 0 {
        ExitKind::Findings
    } else {
        ExitKind::Ok
    })
}
