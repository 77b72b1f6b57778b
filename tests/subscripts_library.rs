//! Issue 13, resolution and linking: which file a `ScriptName` names, the located error for a
//! target that is not found (snapshot), templated targets, `--scripts` / `--scripts-map`, the
//! recursion limit, and the linked script's shape.

mod common;

use common::repo;

use std::path::{Path, PathBuf};

use miette::Severity;
use recflow::library::link::{LinkOp, link};
use recflow::library::{self, MAX_DEPTH, Options, ScriptId};
use recflow::script::LoadErrorKind;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const SUB: &str = "script: sub\nactions:\n  - id: begin\n    type: BEGIN\n    next: r\n  - id: r\n    type: RETURN\n    properties: {ReturnValue: \"{p1}\"}\n";

#[test]
fn example_folder_resolves_by_stem() {
    let lib =
        library::load(&repo("scripts/tenant-consent-subscript/main.yaml"), &Options::default()).unwrap();
    let names: Vec<&str> = lib.scripts.iter().map(|e| e.script.name.as_str()).collect();
    assert_eq!(names, ["main", "consent", "routing"]);
    let calls = &lib.scripts[0].calls;
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].target, Some(ScriptId(1)));
    assert_eq!(calls[0].return_var, "consentAnswer");
    assert_eq!(calls[0].params, ["Sales"]);
    assert_eq!(calls[1].target, Some(ScriptId(2)));
    assert!(lib.warnings.is_empty());
}

#[test]
fn studio_json_twins_resolve_by_stem_too() {
    let lib =
        library::load(&repo("scripts/tenant-consent-subscript/studio-json/main.json"), &Options::default())
            .unwrap();
    let files: Vec<String> =
        lib.scripts.iter().map(|e| e.path.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(files, ["main.json", "consent.json", "routing.json"]);
}

#[test]
fn resolves_by_declared_name_when_no_stem_matches() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        "main.yaml",
        "script: main\nactions:\n  - id: begin\n    type: BEGIN\n    next: c\n  - id: c\n    type: RUNSUB\n    properties: {ScriptName: Sub}\n",
    );
    write(dir.path(), "file-with-another-name.yaml", SUB);
    let lib = library::load(&main, &Options::default()).unwrap();
    assert_eq!(lib.scripts[1].path.file_name().unwrap(), "file-with-another-name.yaml");
}

#[test]
fn scripts_dirs_are_searched_after_the_callers_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let main = write(
        &a,
        "main.yaml",
        "script: main\nactions:\n  - id: begin\n    type: BEGIN\n    next: c\n  - id: c\n    type: RUNSUB\n    properties: {ScriptName: sub}\n",
    );
    write(&b, "sub.yaml", SUB);
    let err = library::load(&main, &Options::default()).unwrap_err();
    assert_eq!(err.errors[0].kind, LoadErrorKind::UnknownScript);
    let lib = library::load(&main, &Options { dirs: vec![b.clone()], map: vec![] }).unwrap();
    assert_eq!(lib.scripts[1].path, b.join("sub.yaml"));
}

#[test]
fn missing_target_is_a_located_error_with_did_you_mean() {
    let main = repo("tests/fixtures/subscripts/missing/main.yaml");
    let errs = library::load(&main, &Options::default()).unwrap_err();
    assert_eq!(errs.errors.len(), 1);
    let e = &errs.errors[0];
    assert_eq!(e.kind, LoadErrorKind::UnknownScript);
    assert_eq!(e.line_col(), Some((9, 30)));
    let rendered = errs.render_plain(400).replace(env!("CARGO_MANIFEST_DIR"), "[repo]");
    assert!(rendered.contains("did you mean `consent`?"), "{rendered}");
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("subscripts__missing_target", rendered);
    });
}

#[test]
fn templated_target_is_a_warning_and_scripts_map_pins_it() {
    let dir = tempfile::tempdir().unwrap();
    let main = write(
        dir.path(),
        "main.yaml",
        "script: main\nactions:\n  - id: begin\n    type: BEGIN\n    next: c\n  - id: c\n    type: RUNSUB\n    properties: {ScriptName: \"{next}\"}\n",
    );
    let sub = write(dir.path(), "sub.yaml", SUB);
    let lib = library::load(&main, &Options::default()).unwrap();
    assert_eq!(lib.warnings.len(), 1);
    assert_eq!(lib.warnings[0].severity, Severity::Warning);
    assert_eq!(lib.scripts.len(), 1);
    assert!(lib.is_single());
    let map = vec![Options::parse_map(&format!("{{next}}={}", sub.display())).unwrap()];
    let lib = library::load(&main, &Options { dirs: vec![], map }).unwrap();
    assert!(lib.warnings.is_empty());
    assert_eq!(lib.scripts.len(), 2);
    assert!(Options::parse_map("no-equals-sign").is_err());
}

#[test]
fn recursion_is_allowed_up_to_the_depth_limit() {
    let dir = tempfile::tempdir().unwrap();
    // a calls b, b calls a: allowed; linking stops at MAX_DEPTH and that RUNSUB ends the thread.
    let a = write(
        dir.path(),
        "a.yaml",
        "script: a\nactions:\n  - id: begin\n    type: BEGIN\n    next: c\n  - id: c\n    type: RUNSUB\n    properties: {ScriptName: b}\n    next: r\n  - id: r\n    type: RETURN\n",
    );
    write(
        dir.path(),
        "b.yaml",
        "script: b\nactions:\n  - id: begin\n    type: BEGIN\n    next: c\n  - id: c\n    type: RUNSUB\n    properties: {ScriptName: a}\n    next: r\n  - id: r\n    type: RETURN\n",
    );
    let lib = library::load(&a, &Options::default()).unwrap();
    assert_eq!(lib.scripts.len(), 2);
    let linked = link(&lib).unwrap();
    assert_eq!(linked.parts.len() as u32, MAX_DEPTH + 1);
    assert_eq!(linked.parts.iter().map(|p| p.depth).max(), Some(MAX_DEPTH));
    let too_deep: Vec<_> = linked.ops.iter().filter(|o| matches!(o, Some(LinkOp::TooDeep))).collect();
    assert_eq!(too_deep.len(), 1);
    // Simulated, a contact descends MAX_DEPTH RUNSUBs, the one beyond the limit ends the thread
    // (explain says so), and nothing hangs or overflows.
    let p = recflow::sim::Compiled::compile_linked(
        &linked,
        &recflow::model::Tenant::default(),
        &recflow::model::Traffic::default(),
    );
    let ex = recflow::sim::explain::explain(&p, 0);
    let calls = ex.outcome.path.iter().filter(|&&ix| p.id(ix).ends_with('c')).count();
    assert_eq!(calls as u32, MAX_DEPTH + 1, "every RUNSUB on the way down ran once");
    assert!(
        ex.steps.iter().any(|s| s.text.contains("beyond the depth limit")),
        "{:#?}",
        ex.steps.iter().map(|s| &s.text).collect::<Vec<_>>()
    );
    assert_eq!(ex.outcome.path.iter().filter(|&&ix| p.id(ix).ends_with(":r") || p.id(ix) == "r").count(), 0);
}

#[test]
fn linked_example_keeps_entry_ids_and_prefixes_the_others() {
    let lib =
        library::load(&repo("scripts/tenant-consent-subscript/main.yaml"), &Options::default()).unwrap();
    let linked = link(&lib).unwrap();
    let s = &linked.script;
    assert_eq!(s.action(s.begin()).id, "begin");
    assert!(s.find("consent:ask").is_some());
    assert!(s.find("routing:queue").is_some());
    // RUNSUB now leads to the subscript's BEGIN; its RETURN back to `route`.
    let ask = s.find("ask").unwrap();
    assert_eq!(s.action(ask).branch("default").unwrap().target, s.find("consent:begin"));
    let done = s.find("consent:done").unwrap();
    assert_eq!(s.action(done).branch("default").unwrap().target, s.find("route"));
    // Every span names its own file.
    let (file, line, _) = linked.files.position(s.action(s.find("routing:queue").unwrap()).span.offset);
    assert!(file.ends_with("routing.yaml"), "{file}");
    assert_eq!(line, 19);
    // Handler sets: the entry's (no events), then routing's (ONRELEASE).
    assert_eq!(linked.handlers.len(), 2);
    assert_eq!(linked.handlers[1].release, s.find("routing:released"));
}
