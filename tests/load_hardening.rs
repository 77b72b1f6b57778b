//! Issue 10 (hardening), points 2, 10 and 11: values that cannot be modelled are located load
//! errors, variable names mean the same with and without braces, and the small surprises
//! (duplicate JSON keys, "ok" after a failed load, a budget message in Rust debug syntax,
//! `--help` into a full disk, an empty phone number) are gone. The tests that run the binary are
//! in the CLI binary: "ok" after a failed load and `--help` into a full disk in
//! `tests/cli/errors.rs`, braced CASE variables in `tests/cli/explain/load_hardening.rs`, 30-year
//! contacts in `tests/cli/simulate/load_hardening.rs`.

mod common;

use common::scripts::MENUS_AND_WAIT;
use recflow::model::parse_traffic;
use recflow::script::{Kind, load_str};

fn script(actions: &str) -> recflow::script::Script {
    load_str("t.yaml", &format!("script: t\nactions:\n{actions}"))
        .unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

// ---- 10.10: `{v}` and `v` name the same variable ---------------------------------------

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
