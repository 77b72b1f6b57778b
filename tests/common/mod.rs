//! Helpers shared by every test binary, so no test file carries its own copy: running the
//! `recflow` binary, the one walker over the example folders, repository paths, the insta
//! settings (snapshots live in the top-level `snapshots/`), and the helpers of the tenant /
//! traffic tests (`config`), the simulator tests (`sim`), the Snippet tables (`snippet`), and the
//! script texts a library test and a CLI test share (`scripts`).
//!
//! A top-level test file says `#[macro_use] mod common;`; a test binary in a folder of its own
//! (`tests/cli/main.rs`) says `#[macro_use] #[path = "../common/mod.rs"] mod common;`.
//! Not every binary uses every helper, hence the `allow`s.
#![allow(dead_code, unused_macros, unused_imports)]

#[macro_use]
pub mod config;
pub mod generated;
pub mod scripts;
pub mod sim;
pub mod snippet;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (what relative paths in tests are relative to: cargo runs every test
/// binary there).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `rel` below the repository root, as an absolute path.
pub fn repo(rel: &str) -> PathBuf {
    root().join(rel)
}

/// The `recflow` binary, run in the repository root with colour off (tests read plain text).
pub fn recflow() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_recflow"));
    c.current_dir(root());
    c.env("NO_COLOR", "1");
    // Piped output does not wrap unless COLUMNS says so (issue 24): tests choose it.
    c.env_remove("COLUMNS");
    c
}

/// `recflow` run inside `dir`, so that what it prints shows paths relative to `dir`.
pub fn recflow_in(dir: &Path) -> Command {
    let mut c = recflow();
    c.current_dir(dir);
    c
}

/// Run `recflow args…` and return what it did.
pub fn output(args: &[&str]) -> Output {
    recflow().args(args).output().expect("run recflow")
}

/// Run `recflow args…`: (exit code, stdout, stderr); a signal is exit code -1.
pub fn run(args: &[&str]) -> (i32, String, String) {
    split(output(args))
}

/// Run `recflow args…` inside `dir` (paths it prints are relative to `dir`): (exit code, stdout,
/// stderr).
pub fn run_in(args: &[&str], dir: &Path) -> (i32, String, String) {
    split(recflow_in(dir).args(args).output().expect("run recflow"))
}

/// (exit code, stdout, stderr) of a finished process; a signal is exit code -1.
pub fn split(out: Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

fn is_script(p: &Path) -> bool {
    matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml" | "json")) && !is_test_file(p)
}

/// A `recflow test` file (`*.test.yaml`): next to the scripts, but not a script.
pub fn is_test_file(p: &Path) -> bool {
    recflow::scenario::is_test_file(p)
}

/// The `recflow test` files of the bundled `scripts/` folder, sorted.
pub fn example_test_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo("scripts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| is_test_file(p))
        .collect();
    v.sort();
    v
}

/// Every script file (`.yaml`, `.yml`, `.json`) below `dir`, subfolders included, sorted, so
/// that new examples are covered by the tests that walk them without editing the tests. With
/// [`scripts_in`], the one walker: tests never read a script folder on their own.
pub fn script_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if is_script(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The script files directly in `dir` (subfolders left out), sorted.
pub fn scripts_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && is_script(p))
        .collect();
    v.sort();
    v
}

/// Every file of the bundled `scripts/` folder and its subfolders (YAML and Studio JSON).
pub fn example_scripts() -> Vec<PathBuf> {
    script_files(&repo("scripts"))
}

/// The YAML examples directly in `scripts/` (not the Studio JSON twins, not the subscript
/// folders), sorted.
pub fn yaml_examples() -> Vec<PathBuf> {
    scripts_in(&repo("scripts")).into_iter().filter(|p| p.extension().is_some_and(|x| x != "json")).collect()
}

/// The Studio JSON twins in `scripts/studio-json/`, sorted.
pub fn studio_json_examples() -> Vec<PathBuf> {
    scripts_in(&repo("scripts/studio-json"))
}

/// The examples of both formats that stand alone (`scripts/` and `scripts/studio-json/`, not
/// the subscript folders), sorted by folder then name.
pub fn single_examples() -> Vec<PathBuf> {
    let mut v = yaml_examples();
    v.extend(studio_json_examples());
    v
}

/// Regex matching a literal path (insta filters are regexes).
pub fn literal(path: &Path) -> String {
    path.display()
        .to_string()
        .chars()
        .flat_map(|c| if "\\.+*?()|[]{}^$#&-~".contains(c) { vec!['\\', c] } else { vec![c] })
        .collect()
}

/// The insta settings every snapshot uses: the top-level `snapshots/` folder and the snapshot's
/// own name (no module prefix), so a test can move between files and binaries without its
/// snapshot moving.
pub fn insta_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(repo("snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s
}

/// Run `$body` with [`insta_settings`]; with a path first, that path is shown as `[TEMP]`.
macro_rules! snap {
    ($tmp:expr, $body:block) => {{
        let mut s = $crate::common::insta_settings();
        s.add_filter(&$crate::common::literal($tmp), "[TEMP]");
        s.bind(|| $body);
    }};
    ($body:block) => {{
        $crate::common::insta_settings().bind(|| $body);
    }};
}
