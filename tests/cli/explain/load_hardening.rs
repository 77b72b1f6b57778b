//! Issue 10 point 10 seen from `recflow explain`: `{v}` and `v` name the same variable, so the
//! contact takes the CASE branch the ASSIGN set (the rest of issue 10's hardening is in
//! `tests/load_hardening.rs`).

use recflow::script::{Kind, load_str};

use crate::common::output as recflow;

const CASE_BRACED: &str = "\
script: t
actions:
  - {id: begin, type: BEGIN, next: set}
  - {id: set, type: ASSIGN, properties: {Variable: \"{v}\", Value: x}, next: c}
  - id: c
    type: CASE
    properties: {Variable: \"{v}\"}
    branches: {x: hit, default: miss}
  - {id: hit, type: HANGUP}
  - {id: miss, type: HANGUP}
";

#[test]
fn case_variable_braced_and_bare_name_the_same_variable() {
    let braced = load_str("t.yaml", CASE_BRACED).unwrap();
    let bare = load_str("t.yaml", &CASE_BRACED.replace("\"{v}\"", "v")).unwrap();
    for s in [&braced, &bare] {
        let c = &s.actions[s.find("c").unwrap().index()];
        assert!(matches!(&c.kind, Kind::Case { variable } if variable == "v"), "{:?}", c.kind);
        let set = &s.actions[s.find("set").unwrap().index()];
        assert!(matches!(&set.kind, Kind::Assign { variable, .. } if variable == "v"), "{:?}", set.kind);
    }
    // The simulated contact takes the `x` branch (it used to take `default`).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.yaml");
    std::fs::write(&path, CASE_BRACED).unwrap();
    let o = recflow(&["explain", "--call", "0", path.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("c → hit"), "{out}");
    // A name built at run time (`{a}{b}`) is kept as written.
    let s = load_str(
        "t.yaml",
        "script: t\nactions:\n  - {id: begin, type: BEGIN, next: c}\n  - {id: c, type: CASE, properties: {Variable: \"{a}{b}\"}, next: e}\n  - {id: e, type: HANGUP}\n",
    )
    .unwrap();
    assert!(matches!(&s.actions[1].kind, Kind::Case { variable } if variable == "{a}{b}"));
}
