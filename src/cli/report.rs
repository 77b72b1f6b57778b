//! `recflow report SCRIPT... -o FILE.html` (and `report OLD NEW`): the self-contained HTML
//! report (docs/report.md). Two scripts are a change OLD → NEW unless `--separate`.

use super::ExitKind;
use super::config::{Report, Term};
use super::output::write_atomic;
use super::world::{compile, load_linked, load_tenant_traffic};
use crate::report::html::{self, Assumed, FileUsed, Input, Model};
use crate::sim::Compiled;

/// `sha256sum` of a file as it is on disk now (what a reader checks the page against).
fn sha256(path: &std::path::Path) -> std::io::Result<String> {
    use sha2::Digest as _;
    let bytes = std::fs::read(path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot read `{}`: {e}", path.display())))?;
    Ok(sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect())
}

/// A word for a POSIX shell: as is when it is plain, else single-quoted.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "_-./=+:,@%".contains(c));
    if plain { s.to_string() } else { format!("'{}'", s.replace('\'', r"'\''")) }
}

/// Every file the page's numbers depend on, with its sha256, and the command that writes the
/// same page again (with files of those digests): the scripts, `--separate`, every model option
/// given, `-o` with the output's file name.
fn assumed(a: &Report, linked: &[Option<crate::library::link::Linked>]) -> std::io::Result<Assumed> {
    let mut files = Vec::new();
    for (path, l) in a.scripts.iter().zip(linked) {
        files.push(FileUsed {
            role: "script".into(),
            name: path.display().to_string(),
            sha256: Some(sha256(path)?),
        });
        // The scripts it calls, as linked (every file of the library but the entry).
        for (_, src) in l.iter().flat_map(|l| l.files.files.iter().skip(1)) {
            let name = src.name.to_string();
            files.push(FileUsed {
                role: format!("called by {}", path.display()),
                sha256: Some(sha256(std::path::Path::new(&name))?),
                name,
            });
        }
    }
    let m = &a.model;
    files.push(match &m.tenant {
        Some(t) => {
            FileUsed { role: "tenant".into(), name: t.display().to_string(), sha256: Some(sha256(t)?) }
        }
        None => FileUsed {
            role: "tenant".into(),
            name: "embedded default (recflow defaults tenant)".into(),
            sha256: None,
        },
    });
    files.push(match &m.traffic {
        Some(t) if t.as_os_str() == crate::model::traffic::EXPLORE => {
            FileUsed { role: "traffic".into(), name: "built-in `explore`".into(), sha256: None }
        }
        Some(t) => {
            FileUsed { role: "traffic".into(), name: t.display().to_string(), sha256: Some(sha256(t)?) }
        }
        None => FileUsed {
            role: "traffic".into(),
            name: "embedded default (recflow defaults traffic)".into(),
            sha256: None,
        },
    });
    let mut cmd = vec!["recflow".to_string(), "report".to_string()];
    cmd.extend(a.scripts.iter().map(|p| shell_word(&p.display().to_string())));
    if a.separate {
        cmd.push("--separate".into());
    }
    for d in &m.library.dirs {
        cmd.push(format!("--scripts {}", shell_word(&d.display().to_string())));
    }
    for (name, file) in &m.library.map {
        cmd.push(format!("--scripts-map {}", shell_word(&format!("{name}={}", file.display()))));
    }
    if let Some(t) = &m.tenant {
        cmd.push(format!("--tenant {}", shell_word(&t.display().to_string())));
    }
    if let Some(t) = &m.traffic {
        cmd.push(format!("--traffic {}", shell_word(&t.display().to_string())));
    }
    // `--calls` / `--seed` only as given: the `explain` commands on the page repeat the given
    // flags, so spelling out a default would write another page. The traffic's words on the
    // page state both values.
    if let Some(c) = m.calls {
        cmd.push(format!("--calls {c}"));
    }
    if let Some(s) = m.seed {
        cmd.push(format!("--seed {s}"));
    }
    if let Some(p) = a.precision {
        cmd.push(format!("--precision {} --max-calls {}", p.target, p.max_calls));
    }
    if a.exact {
        cmd.push("--exact".into());
    }
    // The file name only: where a reader writes the page again is theirs to choose, and the
    // page's bytes do not depend on the folder it was written to.
    let name = a
        .output
        .file_name()
        .map_or_else(|| a.output.display().to_string(), |n| n.to_string_lossy().into_owned());
    cmd.push(format!("-o {}", shell_word(&name)));
    Ok(Assumed { files, command: cmd.join(" ") })
}

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
                        "recflow: --exact: {}: sample instead (without --exact), or with random durations \
                         give fewer --calls",
                        e.message(Some(&p.name))
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
    let assumed = assumed(a, &linked)?;
    let model = Model { tenant: &tenant, traffic: &traffic, flags: a.model.flags(false), precision, assumed };
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
