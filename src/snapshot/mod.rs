//! Stage — **snapshot**: a script's recording outcomes as a canonical, reviewable YAML file.
//!
//! Input: a loaded script, its compiled [`Compiled`] and the model [`Fingerprint`]. Output: the
//! snapshot text (see [`render`]) and, against a committed file, a [`Check`] verdict with a
//! unified line diff.
//!
//! A snapshot holds the model fingerprint (recflow version, seed, calls, tenant and traffic
//! digests, and a digest per called script when the script calls others), the v1 report (FORMATS §5) and the number of contacts in each outcome class
//! ([`crate::diff::OutcomeClass`]), sorted by class name. It is written by hand-rolled,
//! fixed-layout YAML: one value per line, keys in report order, strings always double-quoted,
//! so that a change of outcome shows up as a small line diff in code review, and the text is
//! byte-identical for the same inputs on every platform and any number of threads.
//!
//! ```no_run
//! use recflow::{model::{Tenant, Traffic}, sim::Compiled, snapshot};
//! let script = recflow::script::load_path("scripts/consent-gdpr.yaml".as_ref())?;
//! let (tenant, traffic) = (Tenant::default(), Traffic::default());
//! let program = Compiled::compile(&script, &tenant, &traffic);
//! let text = snapshot::render(&program, &snapshot::Fingerprint::of(&tenant, &traffic));
//! let verdict = snapshot::check(&snapshot::path_for("snapshots/scripts".as_ref(), "scripts/consent-gdpr.yaml".as_ref()), &text);
//! # Ok::<(), recflow::script::LoadErrors>(())
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diff::align::unified;
use crate::diff::classify;
use crate::model::{Tenant, Traffic};
use crate::sim::Compiled;

/// Default snapshot directory, relative to the working directory.
pub const DEFAULT_DIR: &str = "snapshots/scripts";

/// What the outcomes were computed under. Any difference makes a snapshot mismatch, so a
/// snapshot is only ever compared with a run of the same model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    pub recflow: String,
    pub seed: u64,
    pub calls: u64,
    /// Stable digests of the tenant and traffic values ([`Tenant::digest`], [`Traffic::digest`]:
    /// not of file bytes, so a comment that does not change the model does not change them).
    pub tenant: String,
    pub traffic: String,
    /// Every script the entry script reaches by RUNSUB / RUNSCRIPT (docs/subscripts.md), as
    /// (file as loaded, digest of its text), in library order; empty for a script that calls
    /// nothing (its snapshot then has no `scripts:` line, as before subscripts existed). A
    /// change in a called file therefore changes the calling script's fingerprint.
    pub scripts: Vec<(String, String)>,
}

impl Fingerprint {
    pub fn of(tenant: &Tenant, traffic: &Traffic) -> Fingerprint {
        Fingerprint {
            recflow: env!("CARGO_PKG_VERSION").to_string(),
            seed: traffic.seed,
            calls: traffic.calls,
            tenant: tenant.digest(),
            traffic: traffic.digest(),
            scripts: Vec::new(),
        }
    }

    /// Add the called scripts of a linked library: every file but the entry's, with the FNV-1a
    /// digest of its text (bytes as read: unlike the tenant and traffic digests, a comment
    /// in a called file does change it — the file's outcomes are all the snapshot can check).
    pub fn with_scripts(mut self, linked: Option<&crate::library::link::Linked>) -> Fingerprint {
        if let Some(l) = linked {
            // Names relative to the entry script's folder (else the file name), so a snapshot
            // does not depend on where the checkout is or how the entry path was spelled.
            let folder =
                l.files.files.first().and_then(|(_, s)| Path::new(&*s.name).parent().map(Path::to_path_buf));
            self.scripts = l
                .files
                .files
                .iter()
                .skip(1)
                .map(|(_, src)| {
                    let p = Path::new(&*src.name);
                    let name = match folder.as_deref().and_then(|f| p.strip_prefix(f).ok()) {
                        Some(rel) => rel.to_string_lossy().replace('\\', "/"),
                        None => p
                            .file_name()
                            .map_or_else(|| src.name.to_string(), |f| f.to_string_lossy().into_owned()),
                    };
                    // `./consent.yaml` (an entry given as a bare file name): `consent.yaml`.
                    let name = name.strip_prefix("./").map(str::to_owned).unwrap_or(name);
                    (name, format!("{:016x}", crate::source::fnv1a64(src.text.as_bytes())))
                })
                .collect();
        }
        self
    }
}

/// `<dir>/<script file stem>.yaml` (`scripts/consent-gdpr.json` → `<dir>/consent-gdpr.yaml`).
pub fn path_for(dir: &Path, script: &Path) -> PathBuf {
    let stem = script.file_stem().map_or_else(|| "script".into(), |s| s.to_string_lossy().into_owned());
    dir.join(format!("{stem}.yaml"))
}

/// Simulate `program` (contacts `0..program.calls`, current rayon pool) and render its snapshot.
pub fn render(program: &Compiled, fp: &Fingerprint) -> String {
    let classes = classify(program, program.calls);
    let report = classes.tally.report(program);
    let mut counts: Vec<(String, u64)> =
        classes.counts.iter().map(|(c, n)| (c.name(program), n.calls)).collect();
    counts.sort();

    let mut s = String::new();
    let _ = writeln!(s, "# recflow recording snapshot: outcomes of script `{}`.", report.script);
    let _ = writeln!(s, "# Generated — review changes, do not edit. See docs/review-in-ci.md.");
    let _ = writeln!(s, "model:");
    let _ = writeln!(s, "  recflow: {}", quote(&fp.recflow));
    let _ = writeln!(s, "  seed: {}", fp.seed);
    let _ = writeln!(s, "  calls: {}", fp.calls);
    let _ = writeln!(s, "  tenant: {}", quote(&fp.tenant));
    let _ = writeln!(s, "  traffic: {}", quote(&fp.traffic));
    if !fp.scripts.is_empty() {
        let _ = writeln!(s, "  scripts:");
        for (name, digest) in &fp.scripts {
            let _ = writeln!(s, "    {}: {}", quote(name), quote(digest));
        }
    }
    let mut value = serde_json::to_value(&report).unwrap_or(Value::Null);
    strip_ci95(&mut value);
    let _ = writeln!(s, "report:");
    if let Value::Object(map) = &value {
        for (k, v) in map {
            // The fingerprint already says these.
            if matches!(k.as_str(), "version" | "seed" | "calls") {
                continue;
            }
            emit(&mut s, 1, k, v);
        }
    }
    let _ = writeln!(s, "classes:");
    if counts.is_empty() {
        s.truncate(s.len() - 1);
        s.push_str(" {}\n");
    }
    for (name, n) in &counts {
        let _ = writeln!(s, "  {}: {n}", quote(name));
    }
    s
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A snapshot records outcomes, not their sampling noise: the 95% intervals (derived from the
/// counts it already holds) would only double every line a change of outcome moves.
fn strip_ci95(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.shift_remove("ci95");
            m.values_mut().for_each(strip_ci95);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_ci95),
        _ => {}
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => quote(s),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

/// Block-style YAML for `key: value` at `depth` (two spaces per level).
fn emit(s: &mut String, depth: usize, key: &str, v: &Value) {
    let pad = "  ".repeat(depth);
    match v {
        Value::Object(m) if !m.is_empty() => {
            let _ = writeln!(s, "{pad}{key}:");
            for (k, x) in m {
                emit(s, depth + 1, k, x);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            let _ = writeln!(s, "{pad}{key}:");
            for item in a {
                match item {
                    Value::Object(m) if !m.is_empty() => {
                        let mut first = true;
                        for (k, x) in m {
                            let mut one = String::new();
                            emit(&mut one, depth + 2, k, x);
                            let inner = "  ".repeat(depth + 2);
                            let one = one.strip_prefix(&inner).unwrap_or(&one).to_string();
                            let lead = if first { format!("{pad}  - ") } else { format!("{pad}    ") };
                            let _ = write!(s, "{lead}{one}");
                            first = false;
                        }
                    }
                    x => {
                        let _ = writeln!(s, "{pad}  - {}", scalar(x));
                    }
                }
            }
        }
        Value::Object(_) => {
            let _ = writeln!(s, "{pad}{key}: {{}}");
        }
        Value::Array(_) => {
            let _ = writeln!(s, "{pad}{key}: []");
        }
        x => {
            let _ = writeln!(s, "{pad}{key}: {}", scalar(x));
        }
    }
}

/// The verdict of comparing a fresh snapshot with the committed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    Same,
    /// No file at the snapshot path.
    Missing,
    /// The outcomes (or the model) changed: a unified diff, committed (`---`) → now (`+++`).
    Changed {
        diff: String,
    },
}

/// Compare `actual` with the snapshot file at `path` (never writes).
pub fn check(path: &Path, actual: &str) -> std::io::Result<Check> {
    let expected = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Check::Missing),
        Err(e) => {
            return Err(std::io::Error::new(e.kind(), format!("cannot read `{}`: {e}", path.display())));
        }
    };
    if expected == actual {
        return Ok(Check::Same);
    }
    let name = path.display().to_string();
    Ok(Check::Changed {
        diff: unified(&format!("{name} (accepted)"), &format!("{name} (now)"), &expected, actual, 3),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emits_block_yaml_for_nested_values() {
        let v: Value = serde_json::from_str(
            r#"{"a": 1, "b": {"c": "x", "d": 2.5}, "e": [{"name": "P", "n": 3}, {"name": "Q", "n": 4}], "f": []}"#,
        )
        .expect("json");
        let mut s = String::new();
        if let Value::Object(m) = &v {
            for (k, x) in m {
                emit(&mut s, 0, k, x);
            }
        }
        assert_eq!(
            s,
            "a: 1\nb:\n  c: \"x\"\n  d: 2.5\ne:\n  - name: \"P\"\n    n: 3\n  - name: \"Q\"\n    n: 4\nf: []\n"
        );
    }

    #[test]
    fn snapshot_path_uses_the_file_stem() {
        assert_eq!(
            path_for(Path::new("snap"), Path::new("a/b/consent.json")),
            Path::new("snap/consent.yaml")
        );
    }
}
