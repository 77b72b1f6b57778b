//! Traffic files (FORMATS §4): valid files → exact structs, key-by-key defaults, every
//! validation error kind (snapshots `config__*` show file:line:column), hostile inputs.

#[macro_use]
mod common;

use common::config::{consent_script, render};
use recflow::model::{
    AgentBehaviour, Direction, Dist, Durations, PressSequence, Traffic, Weighted, default_traffic_yaml,
    parse_traffic, parse_traffic_with_warnings,
};
use recflow::script::{LoadErrorKind, LoadErrors};

fn ok(text: &str) -> Traffic {
    match parse_traffic_with_warnings("traffic.yaml", text, &consent_script()) {
        Ok((t, w)) => {
            assert!(w.is_empty(), "unexpected warnings:\n{}", render(&w));
            t
        }
        Err(e) => panic!("unexpected errors:\n{}", e.render_plain(100)),
    }
}

fn errors(text: &str) -> LoadErrors {
    match parse_traffic("traffic.yaml", text, &consent_script()) {
        Ok(t) => panic!("expected errors, got {t:?}"),
        Err(e) => e,
    }
}

fn snap_errors(name: &str, text: &str) -> LoadErrors {
    let e = errors(text);
    config_snap!(name, format!("{text}\n---\n{}", e.render_plain(100)));
    e
}

#[test]
fn busy_day_example_parses_to_exact_struct() {
    let t = ok(include_str!("../examples/traffic-busy-day.yaml"));
    let expected = Traffic {
        calls: 10000,
        seed: 1,
        direction: Weighted { items: vec![(Direction::Inbound, 1.0)] },
        ani: Weighted { items: vec![("+15550100".into(), 1.0)] },
        dnis: Weighted { items: vec![("+15550199".into(), 1.0)] },
        inputs: vec![(
            "consent".into(),
            Weighted { items: vec![(Some("1".into()), 0.8), (Some("2".into()), 0.15), (None, 0.05)] },
        )],
        branches: Vec::new(),
        durations: Durations {
            menu: Dist::Fixed(6.0),
            play: Dist::Fixed(3.0),
            music: Dist::Fixed(10.0),
            queue_wait: Dist::Exp(30.0),
            patience: Dist::Exp(300.0),
            talk: Dist::Exp(240.0),
            ivr_patience: None,
        },
        agent: AgentBehaviour {
            rod: 0.05,
            supervisor_rod: 0.01,
            transfer_agent: 0.1,
            transfer_external: 0.02,
            conference: 0.03,
            disposition: 0.5,
            presses: vec![PressSequence {
                p: 0.3,
                buttons: vec!["Start Recorded Statement".into(), "Stop Recorded Statement".into()],
            }],
            presses_given: true,
        },
        explore: false,
    };
    assert_eq!(t, expected);
}

#[test]
fn embedded_default_yaml_equals_default() {
    assert_eq!(ok(default_traffic_yaml()), Traffic::default());
    assert_eq!(ok(default_traffic_yaml()).digest(), Traffic::default().digest());
}

#[test]
fn defaults_are_as_formats_says() {
    let t = Traffic::default();
    assert_eq!((t.calls, t.seed), (1000, 1));
    assert_eq!(t.direction.items, vec![(Direction::Inbound, 1.0)]);
    assert!(t.ani.items.is_empty() && t.dnis.items.is_empty() && t.inputs.is_empty());
    assert_eq!(t.durations.menu, Dist::Fixed(6.0));
    assert_eq!(t.durations.play, Dist::Fixed(3.0));
    assert_eq!(t.durations.queue_wait, Dist::Exp(30.0));
    assert_eq!(t.durations.patience, Dist::Exp(300.0));
    assert_eq!(t.durations.talk, Dist::Exp(240.0));
    assert_eq!(t.agent, AgentBehaviour::default());
    assert_eq!(t.agent.rod + t.agent.transfer_agent + t.agent.disposition, 0.0);
}

#[test]
fn keys_left_out_keep_their_defaults_one_by_one() {
    assert_eq!(ok(""), Traffic::default());
    assert_eq!(
        ok(include_str!("../examples/traffic-minimal.yaml")),
        Traffic { calls: 500, ..Traffic::default() }
    );
    // `durations` with only `talk` keeps the other durations.
    let t = ok("durations:\n  talk: {uniform: [30, 90]}\n");
    assert_eq!(
        t,
        Traffic {
            durations: Durations { talk: Dist::Uniform(30.0, 90.0), ..Durations::default() },
            ..Traffic::default()
        }
    );
    // `agent` with only `rod` keeps the other probabilities.
    let t = ok("agent: {rod: 0.25}\n");
    assert_eq!(t.agent, AgentBehaviour { rod: 0.25, ..AgentBehaviour::default() });
    let t = ok(include_str!("../examples/traffic-short-calls.yaml"));
    assert_eq!(t.durations.menu, Dist::Fixed(6.0));
    assert_eq!(t.durations.patience, Dist::Exp(20.0));
}

#[test]
fn ids_and_digits_as_numbers_or_strings_are_the_same() {
    let script = numeric_menu_script();
    let a = parse_traffic("t.yaml", "inputs: {2: {1: 3, none: 1}}\n", &script).unwrap();
    let b = parse_traffic("t.yaml", "inputs: {\"2\": {\"1\": 3, ~: 1}}\n", &script).unwrap();
    assert_eq!(a, b);
    assert_eq!(
        a.inputs,
        vec![("2".to_string(), Weighted { items: vec![(Some("1".into()), 3.0), (None, 1.0)] })]
    );
    let e = parse_traffic("t.yaml", "inputs: {2: {1: 1}, \"2\": {1: 1}}\n", &script).unwrap_err();
    assert_eq!(e.errors.len(), 1);
    assert!(e.errors[0].message.contains("duplicate key `2`"));
}

/// The consent script with the MENU's id renamed to `2` (a Studio-style numeric id).
fn numeric_menu_script() -> recflow::script::Script {
    let mut s = consent_script();
    s.actions[1].id = "2".into();
    s
}

#[test]
fn weights_keep_file_order_drop_zeros_and_need_not_sum_to_one() {
    let t = ok("direction: {outbound: 3, inbound: 1}\nani: {\"+1\": 2, \"+2\": 0, \"+3\": 6}\n");
    assert_eq!(t.direction.items, vec![(Direction::Outbound, 3.0), (Direction::Inbound, 1.0)]);
    assert_eq!(t.ani.items, vec![("+1".to_string(), 2.0), ("+3".to_string(), 6.0)]);
    assert!(ok("ani: {}\n").ani.items.is_empty());
}

#[test]
fn digest_is_stable_and_sensitive() {
    config_snap!("config__traffic_default_digest", Traffic::default().digest());
    let t = ok("calls: 1000\n");
    assert_eq!(t.digest(), Traffic::default().digest());
    assert_ne!(ok("seed: 2\n").digest(), Traffic::default().digest());
    assert_ne!(ok("durations: {talk: {exp: 240.0001}}\n").digest(), Traffic::default().digest());
    assert_ne!(ok("durations: {talk: 240}\n").digest(), Traffic::default().digest());
}

// ---- validation errors: one snapshot per kind ----

#[test]
fn unknown_keys_at_every_level() {
    let e = snap_errors(
        "config__traffic_unknown_key",
        "call: 10\ndirection: {inbound: 1, sideways: 1}\ndurations: {tlak: 5}\nagent: {rods: 0.1, presses: [{p: 0.1, buttons: [A], when: 3}]}\n",
    );
    assert_eq!(e.errors.len(), 5, "{}", e.render_plain(100));
    assert!(e.errors.iter().all(|e| e.kind == LoadErrorKind::UnknownKey));
    assert!(e.errors[0].help.as_deref().unwrap().contains("did you mean `calls`?"));
    assert!(e.errors[2].help.as_deref().unwrap().contains("did you mean `talk`?"));
}

#[test]
fn wrong_types() {
    let e = snap_errors(
        "config__traffic_wrong_type",
        "calls: many\nseed: 1.5\ndirection: inbound\ninputs: {consent: [1, 2]}\nagent: {presses: {p: 1}}\n",
    );
    assert_eq!(e.errors.len(), 5, "{}", e.render_plain(100));
    assert!(e.errors.iter().all(|e| e.kind == LoadErrorKind::WrongType));
}

#[test]
fn negative_and_non_finite_numbers() {
    let e = snap_errors(
        "config__traffic_negative",
        "calls: -5\ndurations:\n  menu: -1\n  talk: {exp: .inf}\n  queue_wait: {uniform: [-1, 3]}\nani: {\"+1\": -2}\n",
    );
    assert_eq!(e.errors.len(), 5, "{}", e.render_plain(100));
    assert_eq!(e.errors[0].line_col(), Some((1, 8)));
    assert_eq!(e.errors[1].line_col(), Some((3, 9)));
}

#[test]
fn probabilities_outside_0_1() {
    let e = snap_errors(
        "config__traffic_probability",
        "agent:\n  rod: 1.5\n  conference: -0.1\n  disposition: .nan\n",
    );
    assert_eq!(e.errors.len(), 3);
}

#[test]
fn weights_that_do_not_sum_to_a_positive_number() {
    let e = snap_errors(
        "config__traffic_weights",
        "direction: {inbound: 0, outbound: 0}\ninputs:\n  consent: {\"1\": 0, none: 0}\ndnis: {\"+1\": 0}\n",
    );
    assert_eq!(e.errors.len(), 3);
    assert!(e.errors[0].message.contains("sum to a positive number"));
}

#[test]
fn inputs_naming_no_menu() {
    let e =
        snap_errors("config__traffic_inputs_no_menu", "inputs:\n  consnt: {\"1\": 1}\n  queue: {\"1\": 1}\n");
    assert_eq!(e.errors.len(), 2);
    let help = e.errors[0].help.as_deref().unwrap();
    assert!(
        help.contains("did you mean `consent`?")
            && help.contains("MENU ids in script `consent-gdpr`: consent")
    );
    assert!(e.errors[1].message.contains("REQAGENT action, not a MENU"));
    assert_eq!(e.errors[0].line_col(), Some((2, 3)));
}

#[test]
fn inputs_digit_without_branch_is_accepted_with_a_warning() {
    let text = "inputs:\n  consent: {\"1\": 0.5, \"7\": 0.25, none: 0.25}\n";
    let (t, w) = parse_traffic_with_warnings("traffic.yaml", text, &consent_script()).unwrap();
    assert_eq!(t.inputs[0].1.items[1], (Some("7".to_string()), 0.25));
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].severity, miette::Severity::Warning);
    config_snap!("config__traffic_unwired_digit_warning", format!("{text}\n---\n{}", render(&w)));
    // The plain API accepts the file.
    assert!(parse_traffic("traffic.yaml", text, &consent_script()).is_ok());
    // `default` is not an input.
    let e = errors("inputs: {consent: {default: 1}}\n");
    assert!(e.errors[0].message.contains("not a caller input"));
}

#[test]
fn press_sequences() {
    let e = snap_errors(
        "config__traffic_presses",
        "agent:\n  presses:\n    - {p: 0.6, buttons: [Start]}\n    - {p: 0.5, buttons: [Stop]}\n    - {p: 2, buttons: []}\n    - {buttons: [X]}\n",
    );
    assert_eq!(e.errors.len(), 4, "{}", e.render_plain(100));
    assert!(e.errors[0].message.contains("sum to 1.1"));
    let t = ok("agent:\n  presses:\n    - {p: 0.5, buttons: [Start, Stop]}\n    - {p: 0.5, buttons: Stop}\n");
    assert_eq!(t.agent.presses.len(), 2);
    assert_eq!(t.agent.presses[1].buttons, vec!["Stop".to_string()]);
}

#[test]
fn distributions() {
    let t = ok("durations: {menu: 2.5, play: {uniform: [1, 1]}, queue_wait: {exp: 0}}\n");
    assert_eq!(t.durations.menu, Dist::Fixed(2.5));
    assert_eq!(t.durations.play, Dist::Uniform(1.0, 1.0));
    assert_eq!(t.durations.queue_wait, Dist::Exp(0.0));
    let e = snap_errors(
        "config__traffic_distribution",
        "durations:\n  menu: {uniform: [8, 2]}\n  talk: {normal: 3}\n  patience: {exp: 1, uniform: [1, 2]}\n  queue_wait: {uniform: [1]}\n  play: {expo: 3}\n",
    );
    assert_eq!(e.errors.len(), 5, "{}", e.render_plain(100));
    assert!(e.errors[0].message.contains("a > b"));
    assert!(e.errors[4].help.as_deref().unwrap().starts_with("did you mean `exp`?"));
}

#[test]
fn duplicate_keys() {
    let e = snap_errors("config__traffic_duplicate_key", "calls: 5\ndurations: {talk: 1}\ncalls: 6\n");
    assert_eq!(e.errors.len(), 1);
    assert_eq!(e.errors[0].labels.len(), 2);
}

#[test]
fn all_errors_of_a_file_at_once() {
    let e = errors("calls: -1\nseed: x\ndirection: {}\ninputs: {nope: {1: 1}}\nagent: {rod: 2}\nbogus: 1\n");
    assert_eq!(e.errors.len(), 6, "{}", e.render_plain(100));
}

// ---- hostile inputs ----

#[test]
fn hostile_inputs_are_errors_not_panics() {
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    let cases: Vec<(&str, String)> = vec![
        ("scalar", "42".into()),
        ("garbage", "\u{feff}\u{0}@@@: ][".into()),
        ("deep-flow", format!("inputs: {}{}", "{a: ".repeat(3000), "}".repeat(3000))),
        ("deep-seq", format!("calls: {}{}", "[".repeat(100_000), "]".repeat(100_000))),
        ("alias-bomb", bomb.into()),
        ("unterminated", "durations: {talk: \"abc".into()),
        ("huge", "calls: 123456789012345678901234567890\n".into()),
    ];
    for (name, text) in cases {
        let r = std::panic::catch_unwind(|| parse_traffic("hostile.yaml", &text, &consent_script()));
        match r {
            Ok(Err(e)) => assert!(e.render_plain(100).contains("hostile.yaml"), "{name}"),
            Ok(Ok(t)) => panic!("{name}: accepted: {t:?}"),
            Err(_) => panic!("{name}: panicked"),
        }
    }
}

#[test]
fn aliases_within_budget_work() {
    let t = ok("durations:\n  menu: &d {uniform: [1, 2]}\n  play: *d\n");
    assert_eq!(t.durations.play, Dist::Uniform(1.0, 2.0));
}

#[test]
fn load_traffic_reads_files() {
    let t =
        recflow::model::load_traffic("examples/traffic-busy-day.yaml".as_ref(), &consent_script()).unwrap();
    assert_eq!(t.calls, 10000);
    let e = recflow::model::load_traffic("examples/missing.yaml".as_ref(), &consent_script()).unwrap_err();
    assert_eq!(e.errors[0].kind, LoadErrorKind::Io);
}

// ---- with scripts loaded by the real loader ----

#[test]
fn examples_validate_against_the_loaded_example_scripts() {
    let script = recflow::script::load_path("scripts/consent-gdpr.yaml".as_ref()).unwrap();
    let (t, w) =
        recflow::model::load_traffic_with_warnings("examples/traffic-busy-day.yaml".as_ref(), &script)
            .unwrap();
    assert!(w.is_empty(), "{}", render(&w));
    assert_eq!(t, ok(include_str!("../examples/traffic-busy-day.yaml")));
    let (tenant, w) =
        recflow::model::load_tenant("examples/tenant-sales-qa.yaml".as_ref(), Some(&script)).unwrap();
    assert!(w.is_empty(), "{}", render(&w));
    assert_eq!(tenant.agents.len(), 5);
    // Every example traffic file works with every example script that has no MENU in its inputs.
    for path in common::yaml_examples() {
        let script = recflow::script::load_path(&path).unwrap();
        for traffic in ["examples/traffic-minimal.yaml", "examples/traffic-short-calls.yaml"] {
            recflow::model::load_traffic(traffic.as_ref(), &script)
                .unwrap_or_else(|e| panic!("{traffic} with {}: {}", path.display(), e.render_plain(100)));
        }
        recflow::model::load_tenant("examples/tenant-dnr-outbound.yaml".as_ref(), Some(&script))
            .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.render_plain(100)));
    }
}

#[test]
fn numeric_studio_ids_from_a_loaded_script() {
    // A Studio-style script whose MENU id is the number 2.
    let text = "script: numeric\nactions:\n  - id: 1\n    type: BEGIN\n    next: 2\n  - id: 2\n    type: MENU\n    branches: {\"1\": 3, default: 3}\n  - id: 3\n    type: HANGUP\n";
    let script = recflow::script::load_str("numeric.yaml", text).unwrap();
    let a = parse_traffic("t.yaml", "inputs: {2: {1: 1}}\n", &script).unwrap();
    let b = parse_traffic("t.yaml", "inputs: {\"2\": {\"1\": 1}}\n", &script).unwrap();
    assert_eq!(a, b);
    let e = parse_traffic("t.yaml", "inputs: {3: {1: 1}}\n", &script).unwrap_err();
    assert!(e.errors[0].message.contains("HANGUP action, not a MENU"), "{}", e.render_plain(100));
    assert!(e.errors[0].help.as_deref().unwrap().contains("MENU ids in script `numeric`: 2"));
}

#[test]
fn c8_zero_calls_and_exponent_whole_numbers() {
    assert_eq!(ok("calls: 0\n").calls, 0);
    assert_eq!(ok("calls: 1e4\nseed: 7.0\n"), Traffic { calls: 10_000, seed: 7, ..Traffic::default() });
    assert!(errors("calls: 1.5e0\n").errors[0].message.contains("whole number, found 1.5"));
}

#[test]
fn digest_treats_minus_zero_as_zero() {
    assert_eq!(ok("agent: {rod: -0.0}\n").digest(), Traffic::default().digest());
}

/// `durations.ivr_patience` is optional (absent: callers never hang up in the IVR, and
/// the digest is what it was); set, it takes every duration form and enters the digest; a bad
/// value is a located error naming the key.
#[test]
fn a27_ivr_patience_is_an_optional_duration() {
    assert_eq!(Traffic::default().durations.ivr_patience, None);
    let t = ok("durations: {ivr_patience: {exp: 20}}\n");
    assert_eq!(t.durations.ivr_patience, Some(Dist::Exp(20.0)));
    assert_eq!(t.durations.patience, Dist::Exp(300.0), "`patience` (the queue) is another key");
    assert_ne!(t.digest(), Traffic::default().digest());
    assert_eq!(ok("durations: {ivr_patience: 12}\n").durations.ivr_patience, Some(Dist::Fixed(12.0)));
    assert_eq!(
        ok("durations: {ivr_patience: {uniform: [5, 15]}}\n").durations.ivr_patience,
        Some(Dist::Uniform(5.0, 15.0))
    );
    let e = errors("durations:\n  ivr_patience: -3\n");
    let text = e.render_plain(100);
    assert!(text.contains("ivr_patience") && text.contains("traffic.yaml:2:"), "{text}");
}
