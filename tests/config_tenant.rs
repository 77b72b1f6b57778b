//! Tenant files (FORMATS §3): valid files → exact structs, key-by-key defaults, every
//! validation error kind (snapshots `config__*` show file:line:column), hostile inputs.

#[macro_use]
mod common;

use common::config::{consent_script, render};
use recflow::model::{Agent, Direction, DnrPolicy, Match, Policy, Tenant, default_tenant_yaml, parse_tenant};
use recflow::script::LoadErrorKind;

fn ok(text: &str) -> Tenant {
    match parse_tenant("tenant.yaml", text, None) {
        Ok((t, w)) => {
            assert!(w.is_empty(), "unexpected warnings:\n{}", render(&w));
            t
        }
        Err(e) => panic!("unexpected errors:\n{}", e.render_plain(100)),
    }
}

fn errors(text: &str) -> recflow::script::LoadErrors {
    match parse_tenant("tenant.yaml", text, None) {
        Ok((t, _)) => panic!("expected errors, got {t:?}"),
        Err(e) => e,
    }
}

fn agent(id: &str, team: &str, skills: Option<&[&str]>, rec: bool) -> Agent {
    Agent {
        id: id.into(),
        team: team.into(),
        skills: skills.map(|s| s.iter().map(|s| s.to_string()).collect()),
        can_be_recorded: rec,
    }
}

#[test]
fn sales_qa_example_parses_to_exact_struct() {
    let text = include_str!("../examples/tenant-sales-qa.yaml");
    let t = ok(text);
    let expected = Tenant {
        agents: vec![
            agent("alice", "Sales-A", Some(&["Sales"]), true),
            agent("bob", "Sales-A", Some(&["Sales"]), true),
            agent("carol", "Sales-B", Some(&["Sales", "Support"]), true),
            agent("ceo", "Executives", Some(&["Sales"]), true),
            agent("dave", "Sales-B", Some(&["Sales"]), false),
        ],
        recording_policies: vec![
            Policy {
                name: "Sales QA".into(),
                priority: Some(1),
                percent: 50.0,
                matches: Match {
                    direction: vec![Direction::Inbound],
                    skills: vec!["Sales".into()],
                    ..Match::default()
                },
                continue_after_external_transfer: false,
                continue_after_disposition: false,
            },
            Policy {
                name: "Compliance".into(),
                priority: Some(2),
                percent: 100.0,
                matches: Match { teams: vec!["Sales-B".into()], ..Match::default() },
                continue_after_external_transfer: true,
                continue_after_disposition: false,
            },
        ],
        do_not_record_policies: vec![DnrPolicy {
            name: "Executives".into(),
            matches: Match { agents: vec!["ceo".into()], ..Match::default() },
        }],
        short_call_seconds: 4.0,
    };
    assert_eq!(t, expected);
}

#[test]
fn other_example_tenants_are_valid() {
    let t = ok(include_str!("../examples/tenant-dnr-outbound.yaml"));
    assert_eq!(t.agents, Tenant::default().agents);
    assert_eq!(t.recording_policies[0].matches.direction, vec![Direction::Inbound]);
    assert!(t.recording_policies[0].continue_after_disposition);
    assert_eq!(t.do_not_record_policies[0].matches.direction, vec![Direction::Outbound]);
}

#[test]
fn embedded_default_yaml_equals_default() {
    assert_eq!(ok(default_tenant_yaml()), Tenant::default());
    assert_eq!(ok(default_tenant_yaml()).digest(), Tenant::default().digest());
}

#[test]
fn empty_file_and_empty_mapping_are_the_default() {
    assert_eq!(ok(""), Tenant::default());
    assert_eq!(ok("# only a comment\n"), Tenant::default());
    assert_eq!(ok("{}"), Tenant::default());
}

#[test]
fn keys_left_out_keep_their_defaults_one_by_one() {
    let t = ok("short_call_seconds: 10\n");
    assert_eq!(t, Tenant { short_call_seconds: 10.0, ..Tenant::default() });

    let t = ok("agents: [{id: solo}]\n");
    assert_eq!(t.agents, vec![agent("solo", "default", None, true)]);
    assert_eq!(t.recording_policies, Tenant::default().recording_policies);

    // Inside a policy, left-out keys take the policy defaults (percent 100, no filters, false).
    let t = ok("recording_policies: [{name: Only}]\n");
    assert_eq!(
        t.recording_policies,
        vec![Policy {
            name: "Only".into(),
            priority: None,
            percent: 100.0,
            matches: Match::default(),
            continue_after_external_transfer: false,
            continue_after_disposition: false,
        }]
    );
    assert_eq!(t.agents.len(), 20);

    // An empty list is a value, not "left out": no recording policies at all.
    assert!(ok("recording_policies: []\n").recording_policies.is_empty());
}

#[test]
fn filters_accept_a_single_string_and_numbers_keep_their_spelling() {
    let t = ok(
        "do_not_record_policies:\n  - name: Hotline\n    match: {numbers: +15550100, direction: Outbound}\n",
    );
    let m = &t.do_not_record_policies[0].matches;
    assert_eq!(m.numbers, vec!["+15550100".to_string()]);
    assert_eq!(m.direction, vec![Direction::Outbound]);
    let t = ok("agents: [{id: 7, team: 42}]\n");
    assert_eq!(t.agents[0].id, "7");
    assert_eq!(t.agents[0].team, "42");
}

#[test]
fn digest_is_stable_and_sensitive() {
    // Fixed value: the digest must not change across runs, platforms or releases.
    assert_eq!(Tenant::default().digest(), Tenant::default().digest());
    config_snap!("config__tenant_default_digest", Tenant::default().digest());
    let mut t = Tenant::default();
    t.recording_policies[0].percent = 99.0;
    assert_ne!(t.digest(), Tenant::default().digest());
    let mut t = Tenant::default();
    t.agents[3].can_be_recorded = false;
    assert_ne!(t.digest(), Tenant::default().digest());
    let mut t = Tenant::default();
    t.agents[0].skills = Some(vec![]);
    assert_ne!(t.digest(), Tenant::default().digest());
}

// ---- validation errors: one snapshot per kind ----

fn snap_errors(name: &str, text: &str) -> recflow::script::LoadErrors {
    let e = errors(text);
    let out = format!("{text}\n---\n{}", e.render_plain(100));
    config_snap!(name, out);
    e
}

#[test]
fn unknown_keys_at_every_level() {
    let e = snap_errors(
        "config__tenant_unknown_key",
        "agent: []\nrecording_policies:\n  - name: A\n    precent: 50\n    match: {skill: [Sales]}\nagents:\n  - {id: a, recordable: false}\n",
    );
    assert_eq!(e.errors.len(), 4);
    assert!(e.errors.iter().all(|e| e.kind == LoadErrorKind::UnknownKey));
    assert_eq!(e.errors[0].line_col(), Some((1, 1)));
    assert!(e.errors[1].help.as_deref().unwrap().starts_with("did you mean `percent`?"));
}

#[test]
fn wrong_types() {
    let e = snap_errors(
        "config__tenant_wrong_type",
        "agents: {id: a}\nrecording_policies:\n  - name: [x]\n    continue_after_disposition: maybe\nshort_call_seconds: soon\n",
    );
    assert!(e.errors.iter().all(|e| e.kind == LoadErrorKind::WrongType), "{}", e.render_plain(100));
    assert_eq!(e.errors.len(), 4);
}

#[test]
fn percent_out_of_range() {
    let e = snap_errors(
        "config__tenant_percent",
        "recording_policies:\n  - {name: Too much, percent: 150}\n  - {name: Negative, percent: -1}\n",
    );
    assert_eq!(e.errors.len(), 2);
    assert_eq!(e.errors[0].line_col(), Some((2, 31)));
    assert_eq!(e.errors[1].line_col(), Some((3, 31)));
}

#[test]
fn negative_and_non_finite_numbers() {
    let e = snap_errors("config__tenant_negative", "short_call_seconds: -4\n");
    assert_eq!(e.errors[0].kind, LoadErrorKind::InvalidConfig);
    let e = errors("short_call_seconds: .inf\n");
    assert!(e.errors[0].message.contains("finite"));
    let e = errors("recording_policies: [{name: N, percent: .nan}]\n");
    assert_eq!(e.errors.len(), 1);
}

#[test]
fn duplicate_policy_names_point_at_both() {
    let e = snap_errors(
        "config__tenant_duplicate_policy",
        "recording_policies:\n  - {name: Sales QA, percent: 50}\n  - {name: sales qa, percent: 20}\ndo_not_record_policies:\n  - {name: Sales QA}\n",
    );
    assert_eq!(e.errors.len(), 2);
    // Reported at the later one, the first one as a secondary label.
    assert_eq!(e.errors[0].line_col(), Some((3, 12)));
    assert_eq!(e.errors[0].labels.len(), 2);
    assert_eq!(e.errors[1].line_col(), Some((5, 12)));
}

#[test]
fn duplicate_agent_ids() {
    let e = snap_errors(
        "config__tenant_duplicate_agent",
        "agents:\n  - {id: alice}\n  - {id: bob}\n  - {id: Alice}\n",
    );
    assert_eq!(e.errors.len(), 1);
    assert_eq!(e.errors[0].line_col(), Some((4, 10)));
}

#[test]
fn direction_priority_and_missing_names() {
    let e = snap_errors(
        "config__tenant_policy_fields",
        "recording_policies:\n  - name: A\n    priority: 1.5\n    match: {direction: [inbound, sideways]}\n  - {percent: 10}\n",
    );
    assert_eq!(e.errors.len(), 3, "{}", e.render_plain(100));
    assert!(e.errors[0].message.contains("`priority` must be an integer"));
    assert!(e.errors[1].message.contains("sideways"));
    assert!(e.errors[2].message.contains("no `name`"));
}

#[test]
fn duplicate_keys_and_empty_agents() {
    let e = snap_errors(
        "config__tenant_duplicate_key",
        "short_call_seconds: 4\nagents: []\nshort_call_seconds: 5\n",
    );
    assert_eq!(e.errors.len(), 2);
}

#[test]
fn all_errors_of_a_file_at_once() {
    let e = errors(
        "agents: [{id: a}, {id: a}]\nrecording_policies: [{name: P, percent: 101}, {name: P}]\nshort_call_seconds: -1\nextra: 1\n",
    );
    assert_eq!(e.errors.len(), 5, "{}", e.render_plain(100));
}

// ---- warnings that need the script ----

#[test]
fn agents_whose_skills_no_reqagent_uses_are_warnings() {
    let script = consent_script();
    let text = "agents:\n  - {id: alice, skills: [Sales]}\n  - {id: sam, skills: [Support, Billing]}\n  - {id: any}\nrecording_policies:\n  - {name: Support QA, match: {skills: [support], agents: [nobody]}}\n";
    let (t, w) = parse_tenant("tenant.yaml", text, Some(&script)).unwrap();
    assert_eq!(t.agents.len(), 3);
    assert!(w.iter().all(|w| w.severity == miette::Severity::Warning));
    assert_eq!(w.len(), 3, "{}", render(&w));
    config_snap!("config__tenant_unused_skills_warning", format!("{text}\n---\n{}", render(&w)));
    // Without a script only the tenant-internal check (unknown agent in a filter) remains.
    let (_, w) = parse_tenant("tenant.yaml", text, None).unwrap();
    assert_eq!(w.len(), 1);
}

#[test]
fn reqagent_skill_without_agent_is_a_warning_in_the_script() {
    let script = consent_script();
    let (_, w) =
        parse_tenant("tenant.yaml", "agents: [{id: sam, skills: [Support]}]\n", Some(&script)).unwrap();
    assert_eq!(w.len(), 2, "{}", render(&w));
    let in_script = w.iter().find(|w| w.message.contains("no agent of tenant")).unwrap();
    assert_eq!(in_script.location(), "scripts/consent-gdpr.yaml:30:25");
    config_snap!("config__tenant_skill_without_agent_warning", render(&w));
}

#[test]
fn default_tenant_has_no_warnings_for_the_example_script() {
    let (_, w) = parse_tenant("tenant.yaml", default_tenant_yaml(), Some(&consent_script())).unwrap();
    assert!(w.is_empty());
    let (_, w) =
        parse_tenant("t.yaml", include_str!("../examples/tenant-sales-qa.yaml"), Some(&consent_script()))
            .unwrap();
    assert!(w.is_empty(), "{}", render(&w));
}

// ---- hostile inputs: errors, never panics ----

#[test]
fn hostile_inputs_are_errors_not_panics() {
    let cases: Vec<(&str, String)> = vec![
        ("scalar", "just text".into()),
        ("list", "- a\n- b\n".into()),
        ("garbage", "\u{0}\u{1}\u{7f}: [}{".into()),
        ("tabs", "agents:\n\t- {id: a}\n".into()),
        ("deep", format!("agents: {}{}", "[".repeat(5000), "]".repeat(5000))),
        ("deep-block", (0..200).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect()),
        (
            "alias-bomb",
            "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                .into(),
        ),
        ("two-docs", "agents: []\n---\nagents: []\n".into()),
        ("huge-number", "short_call_seconds: 1e999\n".into()),
        ("huge-int", "recording_policies: [{name: a, priority: 99999999999999999999999}]\n".into()),
    ];
    for (name, text) in cases {
        let r = std::panic::catch_unwind(|| parse_tenant("hostile.yaml", &text, None));
        match r {
            Ok(Err(e)) => {
                assert!(!e.errors.is_empty(), "{name}");
                let out = e.render_plain(100);
                assert!(out.contains("hostile.yaml"), "{name}: {out}");
            }
            Ok(Ok(t)) => panic!("{name}: accepted: {t:?}"),
            Err(_) => panic!("{name}: panicked"),
        }
    }
}

#[test]
fn hostile_syntax_error_is_located() {
    let e = snap_errors("config__tenant_syntax", "agents:\n  - {id: a\nrecording_policies: []\n");
    assert_eq!(e.errors[0].kind, LoadErrorKind::Syntax);
}

#[test]
fn load_tenant_reads_files_and_reports_missing_ones() {
    let (t, _) = recflow::model::load_tenant("examples/tenant-sales-qa.yaml".as_ref(), None).unwrap();
    assert_eq!(t.agents.len(), 5);
    let e = recflow::model::load_tenant("examples/no-such-tenant.yaml".as_ref(), None).unwrap_err();
    assert_eq!(e.errors[0].kind, LoadErrorKind::Io);
}

#[test]
fn large_files_load_fast() {
    const N_AGENTS: usize = 5_000;
    // 5 000 agents, 2 000 policies filtering on agents: near-linear checks, no quadratic blow-up.
    let mut text = String::from("agents:\n");
    for i in 0..N_AGENTS {
        text += &format!("  - {{id: a{i}, team: t{}, skills: [Sales]}}\n", i % 50);
    }
    text += "recording_policies:\n";
    for i in 0..2_000 {
        text +=
            &format!("  - {{name: p{i}, percent: 10, match: {{agents: [a{i}], teams: [t{}]}}}}\n", i % 50);
    }
    let (t, w) = parse_tenant("big.yaml", &text, Some(&consent_script())).unwrap();
    assert_eq!((t.agents.len(), t.recording_policies.len(), w.len()), (N_AGENTS, 2_000, 0));
}

#[test]
fn c9_only_true_false_are_booleans_but_yes_no_on_off_are_accepted_for_flags() {
    let t = ok(
        "agents:\n  - {id: a, can_be_recorded: no}\n  - {id: b, can_be_recorded: On}\nrecording_policies:\n  - {name: N, continue_after_disposition: yes}\n  - {name: Off, continue_after_external_transfer: TRUE}\n",
    );
    assert!(!t.agents[0].can_be_recorded && t.agents[1].can_be_recorded);
    assert_eq!(t.recording_policies[0].name, "N");
    assert!(t.recording_policies[0].continue_after_disposition);
    assert_eq!(t.recording_policies[1].name, "Off");
    assert!(t.recording_policies[1].continue_after_external_transfer);
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    const TENANT: &str = include_str!("../examples/tenant-sales-qa.yaml");
    const TRAFFIC: &str = include_str!("../examples/traffic-busy-day.yaml");

    /// A valid file with one byte range replaced by random YAML-ish text.
    fn mutate(base: &'static str) -> impl Strategy<Value = String> {
        (0..base.len(), 0..40usize, "[a-z0-9_:{}\\[\\],. \n\"'&*~#!|>-]{0,40}").prop_map(
            move |(at, del, ins)| {
                let at = (0..=at).rev().find(|&i| base.is_char_boundary(i)).unwrap_or(0);
                let end = (at + del..=base.len()).find(|&i| base.is_char_boundary(i)).unwrap_or(base.len());
                format!("{}{}{}", &base[..at], ins, &base[end..])
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn mutated_tenant_files(text in mutate(TENANT)) {
            let script = consent_script();
            match parse_tenant("m.yaml", &text, Some(&script)) {
                Ok(_) => {}
                Err(e) => {
                    prop_assert!(!e.errors.is_empty());
                    // Every error points into the file and renders.
                    for err in &e.errors {
                        prop_assert!(err.line_col().is_some(), "{err:?}");
                    }
                    let _ = e.render_plain(100);
                }
            }
        }

        #[test]
        fn mutated_traffic_files(text in mutate(TRAFFIC)) {
            let script = consent_script();
            if let Err(e) = recflow::model::parse_traffic("m.yaml", &text, &script) {
                for err in &e.errors {
                    prop_assert!(err.line_col().is_some(), "{err:?}");
                }
                let _ = e.render_plain(100);
            }
        }

        #[test]
        fn arbitrary_text(text in "\\PC{0,300}") {
            let _ = parse_tenant("a.yaml", &text, None);
            let _ = recflow::model::parse_traffic("a.yaml", &text, &consent_script());
        }
    }
}
