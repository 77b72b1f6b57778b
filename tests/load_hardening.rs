//! Issue 10 (hardening), points 2, 10 and 11: values that cannot be modelled are located load
//! errors, variable names mean the same with and without braces, and the small surprises
//! (duplicate JSON keys, "ok" after a failed load, a budget message in Rust debug syntax,
//! `--help` into a full disk, an empty phone number) are gone. The two only the command line
//! shows ("ok" after a failed load, `--help` into a full disk) are in `tests/cli/errors.rs`.

mod common;

use common::output as recflow;
use recflow::model::parse_traffic;
use recflow::script::{Kind, load_str};

fn script(actions: &str) -> recflow::script::Script {
    load_str("t.yaml", &format!("script: t\nactions:\n{actions}"))
        .unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

// ---- 10.10: `{v}` and `v` name the same variable ---------------------------------------

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
    let s = script(
        "  - {id: begin, type: BEGIN, next: c}\n  - {id: c, type: CASE, properties: {Variable: \"{a}{b}\"}, next: e}\n  - {id: e, type: HANGUP}\n",
    );
    assert!(matches!(&s.actions[1].kind, Kind::Case { variable } if variable == "{a}{b}"));
}

#[test]
fn menu_variable_braced_is_the_bare_variable() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: m}\n  - {id: m, type: MENU, properties: {Phrase: hi, Variable: \"{choice}\"}, next: e}\n  - {id: e, type: HANGUP}\n",
    );
    assert!(matches!(&s.actions[1].kind, Kind::Menu(m) if m.variable == "choice"));
}

// ---- 10.11: small surprises --------------------------------------------------------------

#[test]
fn duplicate_keys_in_studio_json_are_rejected_with_both_locations() {
    let text = r#"{"header": {"name": "t"},
 "actions": {"1": {"type": "BEGIN"}, "2": {"type": "HANGUP", "type": "PLAY"}},
 "branches": {"1": [{"name": "Default", "target": "2"}]}}"#;
    let e = load_str("t.json", text).expect_err("duplicate keys must not load");
    let first = &e.errors[0];
    assert!(first.message.contains("duplicate key `type`"), "{}", first.message);
    assert_eq!(first.line_col(), Some((2, 62)), "at the second `type`");
    assert_eq!(first.labels.len(), 2, "the first occurrence is labelled too");
}

#[test]
fn an_over_budget_tenant_gets_a_sentence() {
    let mut t = String::from("agents:\n");
    for i in 0..70_000 {
        t.push_str(&format!("  - {{id: a{i}}}\n"));
    }
    let e = recflow::model::parse_tenant("big.yaml", &t, None).expect_err("over the node budget");
    let m = &e.errors[0].message;
    assert!(m.contains("more than 200000 YAML nodes"), "{m}");
    assert!(!m.contains('{') && !m.contains("Nodes"), "no Rust debug syntax: {m}");
}

#[test]
fn an_empty_phone_number_is_rejected() {
    let s = script("  - {id: begin, type: BEGIN}\n");
    for key in ["ani", "dnis"] {
        let e = parse_traffic("t.yaml", &format!("{key}: {{\"\": 1, \"+1555\": 1}}\n"), &s).expect_err(key);
        assert!(e.errors[0].message.contains("empty phone number"), "{}", e.errors[0].message);
        assert_eq!(e.errors[0].line_col(), Some((1, key.len() + 4)));
    }
}

// ---- 10.2: durations that cannot fit the simulated clock -----------------------------------

const MENUS_AND_WAIT: &str = "\
script: t
actions:
  - {id: begin, type: BEGIN, next: m1}
  - {id: m1, type: MENU, properties: {Phrase: a}, next: m2}
  - {id: m2, type: MENU, properties: {Phrase: b}, next: w}
  - {id: w, type: WAIT, properties: {Seconds: SECONDS}, next: e}
  - {id: e, type: HANGUP}
";

#[test]
fn durations_longer_than_ten_years_are_located_range_errors() {
    let s = load_str("t.yaml", &MENUS_AND_WAIT.replace("SECONDS", "1")).unwrap();
    for (text, col) in [
        ("durations: {menu: 1e18}\n", 19),
        ("durations: {talk: {exp: 1e12}}\n", 25),
        ("durations: {queue_wait: {uniform: [0, 1e300]}}\n", 39),
        ("durations: {play: 315576000.5}\n", 19),
    ] {
        let e = parse_traffic("t.yaml", text, &s).expect_err(text);
        assert!(e.errors[0].message.contains("10 years"), "{text}: {}", e.errors[0].message);
        assert_eq!(e.errors[0].line_col(), Some((1, col)), "{text}");
    }
    let e = recflow::model::parse_tenant("t.yaml", "short_call_seconds: 1e300\n", None).expect_err("tenant");
    assert!(e.errors[0].message.contains("10 years"), "{}", e.errors[0].message);
    // The bound itself is fine.
    parse_traffic("t.yaml", "durations: {menu: 315576000, talk: {exp: 315576000}}\n", &s).unwrap();
}

#[test]
fn wait_seconds_1e300_is_refused_at_its_location() {
    for (value, ok) in [("1e300", false), ("315576001", false), ("315576000", true), ("inf", false)] {
        let r = load_str("t.yaml", &MENUS_AND_WAIT.replace("SECONDS", value));
        match (r, ok) {
            (Ok(_), true) => {}
            (Err(e), false) => {
                assert!(e.errors[0].message.contains("10 years"), "{value}: {}", e.errors[0].message);
                assert_eq!(e.errors[0].line_col(), Some((6, 47)), "{value}");
            }
            (r, _) => panic!("{value}: {:?}", r.err()),
        }
    }
}

#[test]
fn the_longest_durations_add_up_without_wrapping() {
    // Two MENUs and a WAIT of 10 years each: the contact lasts exactly 30 years (it used to
    // wrap: later actions ran earlier and duration_ms was near 2^64).
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("s.yaml");
    std::fs::write(&script, MENUS_AND_WAIT.replace("SECONDS", "315576000")).unwrap();
    let traffic = dir.path().join("t.yaml");
    std::fs::write(&traffic, "durations: {menu: 315576000}\ninputs: {m1: {none: 1}, m2: {none: 1}}\n")
        .unwrap();
    let calls = dir.path().join("calls.jsonl");
    let o = recflow(&[
        "simulate",
        script.to_str().unwrap(),
        "--traffic",
        traffic.to_str().unwrap(),
        "--calls",
        "3",
        "--calls-out",
        calls.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for line in std::fs::read_to_string(&calls).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["duration_ms"], 3 * 315_576_000_000u64, "{line}");
    }
}
