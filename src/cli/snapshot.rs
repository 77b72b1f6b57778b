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

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::args::SnapshotArgs;
use super::diff::flags;
use super::output::write_atomic;
use super::simulate::{load_model, pool};
use super::{ExitKind, write_stdout};
use crate::snapshot::{self, Check, Fingerprint};

pub fn run(a: SnapshotArgs) -> std::io::Result<ExitKind> {
    // Two scripts with one file stem would overwrite each other's snapshot.
    let mut seen: BTreeMap<PathBuf, &Path> = BTreeMap::new();
    for s in &a.scripts {
        let target = snapshot::path_for(&a.dir, s);
        if let Some(first) = seen.insert(target.clone(), s) {
            eprintln!(
                "recflow: `{}` and `{}` would share the snapshot `{}`; snapshot them with different --dir",
                first.display(),
                s.display(),
                target.display()
            );
            return Ok(ExitKind::BadInput);
        }
    }

    let pool = pool(a.model.jobs)?;
    let dir_flag = if a.dir == Path::new(snapshot::DEFAULT_DIR) {
        String::new()
    } else {
        format!(" --dir {}", a.dir.display())
    };
    let model_flags = flags(&a.model, true);
    let (mut bad, mut changed, mut missing, mut same, mut written) = (0, 0, 0, 0, 0);
    let mut printed = 0;
    for script in &a.scripts {
        let Some(model) = load_model(script, &a.model) else {
            bad += 1;
            continue;
        };
        let program = model.program();
        let fp = Fingerprint::of(&model.tenant, &model.traffic).with_scripts(model.linked.as_ref());
        let text = pool.install(|| snapshot::render(&program, &fp));
        let target = snapshot::path_for(&a.dir, script);
        let accept = format!("recflow snapshot {}{dir_flag}{model_flags} --accept", script.display());
        let mut out = String::new();
        if a.check {
            match snapshot::check(&target, &text)? {
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
        } else if a.accept {
            let old = std::fs::read_to_string(&target).ok();
            if old.as_deref() == Some(text.as_str()) {
                same += 1;
                let _ = writeln!(out, "unchanged {}", target.display());
            } else {
                if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        std::io::Error::new(e.kind(), format!("cannot create `{}`: {e}", parent.display()))
                    })?;
                }
                write_atomic(&target, text.as_bytes())?;
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
    if a.check {
        let mut s = format!("\n{total} snapshot(s): {same} ok, {changed} changed, {missing} missing");
        if bad > 0 {
            s += &format!(", {bad} could not be loaded");
        }
        s.push('\n');
        if changed + missing > 0 {
            let _ = writeln!(
                s,
                "accept all after review: recflow snapshot {}{dir_flag}{model_flags} --accept",
                a.scripts.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" ")
            );
        }
        write_stdout(&s)?;
    } else if a.accept {
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
