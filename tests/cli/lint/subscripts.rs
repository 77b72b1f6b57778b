//! Issue 13, lint output across files: a counterexample path through linked subscripts names
//! each step at its own file:line in every output — human (`steps:` line), JSON (`steps`) and
//! SARIF (`codeFlows` thread-flow locations and `relatedLocations` in each file); `recflow lint DIR`
//! lints each entry script with the folder as its library and reports each finding once.
//!
//! The subject is the mistake variant of `scripts/tenant-consent-subscript/`: C001 in
//! `consent-no-input-leak.yaml` (the MENU's `default` branch skips DONOTRECORD), whose path runs
//! main → consent subscript → back to main → routing script (RUNSCRIPT) → agent.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{recflow_in, repo};

fn example_dir() -> PathBuf {
    repo("scripts/tenant-consent-subscript")
}

/// `recflow lint --format FORMAT FILE` run in `dir` (so file names are relative, as a CI job
/// would give them); returns (exit code, stdout).
fn lint_in(dir: &Path, format: &str, file: &str) -> (i32, String) {
    let out = recflow_in(dir).args(["lint", "--format", format, file]).output().expect("recflow runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The C001 path of the mistake variant: (file, line) of each action step, in order.
const C001_STEPS: &[(&str, usize)] = &[
    ("mistake-main.yaml", 8),           // begin
    ("mistake-main.yaml", 11),          // greet
    ("mistake-main.yaml", 15),          // ask (RUNSUB)
    ("consent-no-input-leak.yaml", 6),  // consent-no-input-leak:begin
    ("consent-no-input-leak.yaml", 10), // consent-no-input-leak:ask [default]
    ("consent-no-input-leak.yaml", 23), // consent-no-input-leak:declined
    ("consent-no-input-leak.yaml", 31), // consent-no-input-leak:done (RETURN)
    ("mistake-main.yaml", 19),          // route (RUNSCRIPT)
    ("routing.yaml", 7),                // routing:begin
    ("routing.yaml", 10),               // routing:check [default]
    ("routing.yaml", 20),               // routing:queue (REQAGENT)
    ("routing.yaml", 24),               // routing:hold
];

/// A code flow's steps with each shared `run.threadFlowLocations` entry (`{"index": k}`)
/// resolved to the location it names.
fn flow_steps(doc: &Value, r: &Value) -> Vec<Value> {
    let shared = doc["runs"][0]["threadFlowLocations"].as_array().expect("threadFlowLocations");
    r["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .expect("thread flow")
        .iter()
        .map(|l| match l["index"].as_u64() {
            Some(k) => shared[k as usize].clone(),
            None => l.clone(),
        })
        .collect()
}

fn region(loc: &Value) -> (String, usize) {
    let p = &loc["physicalLocation"];
    (
        p["artifactLocation"]["uri"].as_str().expect("uri").to_owned(),
        p["region"]["startLine"].as_u64().expect("startLine") as usize,
    )
}

#[test]
fn sarif_code_flow_and_related_locations_point_into_each_file() {
    let (code, out) = lint_in(&example_dir(), "sarif", "mistake-main.yaml");
    assert_eq!(code, 1, "C001 is an error: {out}");
    let doc: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    let results = doc["runs"][0]["results"].as_array().expect("results");
    let c001: Vec<&Value> = results.iter().filter(|r| r["ruleId"] == "C001").collect();
    assert_eq!(c001.len(), 1, "{out}");
    let r = c001[0];
    // The finding itself is in the subscript's file, at the MENU's `default` branch.
    assert_eq!(region(&r["locations"][0]), ("consent-no-input-leak.yaml".into(), 18));

    // codeFlows: every step at its own file:line (not the finding's file, not the entry's).
    let flow = flow_steps(&doc, r);
    let got: Vec<(String, usize)> = flow.iter().map(|l| region(&l["location"])).collect();
    let want: Vec<(String, usize)> = C001_STEPS.iter().map(|(f, l)| ((*f).to_owned(), *l)).collect();
    assert_eq!(got, want);
    assert_eq!(flow[4]["location"]["message"]["text"], "consent-no-input-leak:ask");

    // relatedLocations: the REQAGENT label in routing.yaml, and the path steps of the other two
    // files, each in its own file; ids are 1..n.
    let related = r["relatedLocations"].as_array().expect("related locations");
    let by_text = |t: &str| related.iter().find(|l| l["message"]["text"] == t).map(region);
    assert_eq!(
        by_text("the agent answers after this REQAGENT, with recording allowed"),
        Some(("routing.yaml".into(), 20))
    );
    assert_eq!(by_text("path step 3: ask"), Some(("mistake-main.yaml".into(), 15)));
    assert_eq!(by_text("path step 8: route"), Some(("mistake-main.yaml".into(), 19)));
    assert_eq!(by_text("path step 11: routing:queue"), Some(("routing.yaml".into(), 20)));
    // Steps in the finding's own file are the finding's region's neighbours, not "related".
    assert!(related.iter().all(|l| region(l).0 != "consent-no-input-leak.yaml"), "{related:#?}");
    let ids: Vec<u64> = related.iter().map(|l| l["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, (1..=related.len() as u64).collect::<Vec<_>>());
}

#[test]
fn json_steps_carry_each_steps_file_and_line() {
    let (code, out) = lint_in(&example_dir(), "json", "mistake-main.yaml");
    assert_eq!(code, 1, "{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let d = doc["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "C001").expect("C001");
    assert_eq!(d["file"], "consent-no-input-leak.yaml");
    let steps = d["steps"].as_array().expect("steps");
    let got: Vec<(String, usize)> = steps
        .iter()
        // A step in the finding's own file leaves `file` out (issue 21, F04).
        .map(|s| {
            (
                s["file"].as_str().unwrap_or(d["file"].as_str().unwrap()).to_owned(),
                s["line"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    let want: Vec<(String, usize)> = C001_STEPS.iter().map(|(f, l)| ((*f).to_owned(), *l)).collect();
    assert_eq!(got, want);
    for s in steps {
        assert_ne!(s.get("file"), Some(&d["file"]), "a step in the finding's file repeats it: {s}");
    }
    assert!(steps.iter().any(|s| s.get("file").is_some()), "steps in other files name theirs");
    // `steps` and `path` name the same actions; the branch taken is kept where it matters.
    let ids: Vec<&str> = steps.iter().map(|s| s["action"].as_str().unwrap()).collect();
    let path: Vec<&str> = d["path"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(ids, path);
    assert_eq!(steps[4]["branch"], "default");
    assert!(steps[0].get("branch").is_none());
}

#[test]
fn human_output_labels_each_step_with_its_own_file_line() {
    let lib = recflow::library::load(&example_dir().join("mistake-main.yaml"), &Default::default()).unwrap();
    let linked = recflow::library::link::link(&lib).unwrap();
    let per_file = recflow::lint::linked::lint(&linked, &Default::default());
    let f = per_file.iter().find(|f| f.found.iter().any(|d| d.code == "C001")).expect("C001 found");
    // Wide, so no step is wrapped across lines.
    let text = recflow::lint::render::human(&f.view, &f.found, 2000, false);
    let steps = text.lines().find(|l| l.contains("steps: ")).expect("a steps line");
    let labelled: Vec<String> = C001_STEPS.iter().map(|(f, l)| format!("({f}:{l})")).collect();
    let mut rest = steps;
    for want in &labelled {
        let at =
            rest.find(want.as_str()).unwrap_or_else(|| panic!("{want} missing or out of order in {steps}"));
        rest = &rest[at + want.len()..];
    }
    // The excerpt is the subscript's own file at the finding's line.
    assert!(text.contains("consent-no-input-leak.yaml:18:7]"), "{text}");
}

#[test]
fn studio_json_twin_points_into_each_json_file() {
    let (code, out) = lint_in(&example_dir().join("studio-json"), "sarif", "mistake-main.json");
    assert_eq!(code, 1, "{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let r = doc["runs"][0]["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "C001").unwrap();
    assert_eq!(region(&r["locations"][0]).0, "consent-no-input-leak.json");
    let flow = flow_steps(&doc, r);
    let files: Vec<String> = flow.iter().map(|l| region(&l["location"]).0).collect();
    let mut distinct = files.clone();
    distinct.dedup();
    assert_eq!(
        distinct,
        ["mistake-main.json", "consent-no-input-leak.json", "mistake-main.json", "routing.json"]
    );
    // Each step's line is inside its own file (a JSON export is one action per few lines).
    for l in flow {
        let (file, line) = region(&l["location"]);
        let text = std::fs::read_to_string(example_dir().join("studio-json").join(&file)).unwrap();
        assert!(line >= 1 && line <= text.lines().count(), "{file}:{line}");
    }
}

#[test]
fn lint_dir_lints_each_entry_once() {
    let out = crate::common::recflow()
        .args(["lint", "scripts/tenant-consent-subscript", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ds = v["diagnostics"].as_array().unwrap();
    let errors: Vec<_> = ds.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "{ds:#?}");
    assert_eq!(errors[0]["file"], "scripts/tenant-consent-subscript/consent-no-input-leak.yaml");
    assert_eq!(errors[0]["line"], 18);
    // Every (code, file, line) once, though routing.yaml is reached from both entries.
    let mut keys: Vec<String> =
        ds.iter().map(|d| format!("{} {} {}", d["code"], d["file"], d["line"])).collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n);
}
