//! Scenario tests at the library level (issue 22): the scripted source of chance in the engine.
//!
//! - an empty plan is the sampled engine (same outcome, same timeline, every contact);
//! - each `given` key fixes what it names: MENU inputs visit by visit, CAPTURE digits, ANI and
//!   direction (policy filters), variables, queue wait, talk, agent events at their times;
//! - proptest: on generated scripts, the case `explain --as-test` prints for contact *i*
//!   passes when run (issue 22 point 5 / done-when).

#[macro_use]
mod common;

use std::path::Path;

use proptest::test_runner::{Config as Cases, TestCaseError, TestRng, TestRunner};
use recflow::model::{Tenant, Traffic};
use recflow::scenario::{self, file, run};
use recflow::sim::{self, Compiled};
use recflow::source::Source;

/// Parse a test file's text for `script` and run its cases against `program`: the results.
fn run_cases(script: &recflow::script::Script, program: Compiled, text: &str) -> Vec<run::CaseResult> {
    let f = file::parse(Path::new("t.test.yaml"), Source::new("t.test.yaml", text.to_string()))
        .unwrap_or_else(|e| panic!("{}\n{text}", e.render_plain(100)));
    let mut suite = scenario::prepare(&f, script, program, None).unwrap_or_else(|e| {
        panic!("{}\n{text}", recflow::source::LoadErrors { errors: e }.render_plain(100))
    });
    run::run(&mut suite, &f, "s.yaml", None)
}

fn failures(results: &[run::CaseResult]) -> String {
    results
        .iter()
        .filter(|r| !r.passed())
        .map(|r| format!("{}: {:?}\n{}", r.name, r.failures, r.timeline.as_deref().unwrap_or("")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An empty plan draws everything: contact i of a case is contact i of `simulate` / `explain`
/// (outcome and timeline), on every example.
#[test]
fn an_empty_plan_is_the_sampled_engine() {
    for path in common::single_examples() {
        let script = recflow::script::load_path(&path).unwrap();
        let p = Compiled::compile(&script, &Tenant::default(), &Traffic::default());
        let plan = sim::rng::Plan::default();
        for call in 0..40 {
            let sampled = sim::explain::explain(&p, call);
            let (scripted, _) = run::contact(&p, &plan, call);
            assert_eq!(sampled.steps, scripted.steps, "{} contact {call}", path.display());
            let mut a = String::new();
            let mut b = String::new();
            sampled.outcome.write_json(&p, &mut a);
            scripted.outcome.write_json(&p, &mut b);
            assert_eq!(a, b, "{} contact {call}", path.display());
        }
    }
}

const CAPTURE: &str = "script: cap
actions:
  - {id: begin, type: BEGIN, next: ask}
  - {id: ask, type: MENU, properties: {Phrase: 'Press 1 or 2.'}, branches: {'1': card, '2': card, default: card}}
  - id: card
    type: CAPTURE
    properties: {Variable: CARDNUM}
    branches: {MaxDigits: thanks, Timeout: retry, Terminator: thanks}
  - {id: retry, type: PLAY, properties: {Phrase: 'Try again.'}, next: ask}
  - {id: thanks, type: PLAY, properties: {Phrase: 'Thanks.'}, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}, next: hold}
  - {id: hold, type: MUSIC, next: hold}
";

const VARIABLE: &str = "script: v
actions:
  - {id: begin, type: BEGIN, next: vip}
  - {id: vip, type: CASE, properties: {Variable: 'Global:vip'}, branches: {'1': record, default: queue}}
  - {id: record, type: LOGRECORDINGPRO, properties: {Record: Start, RecordType: Call}, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}, next: hold}
  - {id: hold, type: MUSIC, next: hold}
";

/// MENU inputs visit by visit, CAPTURE digits into its variable (MaxDigits) and `none`
/// (Timeout); the visit counts start again with each case.
#[test]
fn inputs_are_taken_visit_by_visit() {
    let script = recflow::script::load_str("cap.yaml", CAPTURE).unwrap();
    let p = Compiled::compile(&script, &Tenant::default(), &Traffic::default());
    let text = "script: cap.yaml
cases:
  - name: the caller times out once, then enters the card
    given:
      inputs: {ask: ['1', '2'], card: [none, '4111']}
    expect:
      visits: [ask, card, retry, ask, card, thanks, queue]
      variables: {MRES: '2', CARDNUM: '4111'}
  - name: the same again (visit counts are per contact)
    given:
      inputs: {ask: ['1', '2'], card: [none, '4111']}
    expect:
      visits: [ask, card, retry, ask, card, thanks]
  - name: one value is every visit
    given:
      inputs: {ask: '2', card: '99'}
    expect:
      visits: [ask, card, thanks]
      not_visits: [retry]
      variables: {MRES: '2', CARDNUM: '99'}
";
    let results = run_cases(&script, p, text);
    assert_eq!(results.len(), 3);
    assert!(results.iter().all(|r| r.passed()), "{}", failures(&results));
}

/// ANI and direction reach the policy filters; variables are set at arrival; the queue wait,
/// talk and agent events happen when the case says.
#[test]
fn caller_and_agent_are_fixed() {
    let tenant_text = "recording_policies:
  - {name: VIP line, percent: 100, match: {numbers: ['+15550001']}}
  - {name: Outbound, percent: 100, match: {direction: [outbound], numbers: ['+15550002']}}
agents:
  - {id: a1, team: T, skills: [Sales, Support]}
";
    let (tenant, _) = recflow::model::parse_tenant("t.yaml", tenant_text, None).unwrap();
    let policies = common::sim::load("scripts/policies-only.yaml");
    let p = Compiled::compile(&policies, &tenant, &Traffic::default());
    let agent = "agent: {answers_after: 10, talk: 100, transfer: none, rod: false, disposition: false, supervisor_rod: false}";
    let text = format!(
        "script: policies-only.yaml
cases:
  - name: the VIP number is recorded by its policy
    given: {{inputs: {{department: '1'}}, ani: '+15550001', {agent}}}
    expect: {{recorded: full}}
  - name: another number is not
    given: {{inputs: {{department: '1'}}, ani: '+15559999', {agent}}}
    expect: {{recorded: none}}
  - name: the outbound policy needs the outbound direction
    given: {{inputs: {{department: '1'}}, ani: '+15550002', direction: outbound, {agent}}}
    expect: {{recorded: full}}
  - name: inbound from that number is not recorded
    given: {{inputs: {{department: '1'}}, ani: '+15550002', direction: inbound, {agent}}}
    expect: {{recorded: none}}
"
    );
    let results = run_cases(&policies, p, &text);
    assert_eq!(results.len(), 4);
    assert!(results.iter().all(|r| r.passed()), "{}", failures(&results));

    // Variables are set at arrival: a CASE on one takes the branch the case names.
    let script = recflow::script::load_str("v.yaml", VARIABLE).unwrap();
    let p = Compiled::compile(&script, &Tenant::default(), &Traffic::default());
    let text = "script: v.yaml
cases:
  - name: a VIP is recorded by Studio
    given: {variables: {'Global:vip': '1'}}
    expect: {visits: [vip, record], variables: {'Global:vip': '1'}}
  - name: anybody else is not
    expect: {not_visits: [record]}
";
    let results = run_cases(&script, p, text);
    assert!(results.iter().all(|r| r.passed()), "{}", failures(&results));

    let script = common::sim::load("scripts/consent-gdpr.yaml");
    let p = Compiled::compile(&script, &Tenant::default(), &Traffic::default());
    // Times: the contact's timeline shows the wait, the talk and the transfer at 30 s.
    let f = file::parse(
        Path::new("t.test.yaml"),
        Source::new(
            "t.test.yaml",
            "script: s.yaml\ncases:\n  - name: t\n    given:\n      inputs: {consent: 1}\n      \
             agent: {answers_after: 12.5, talk: 90, transfer: {to: agent, at: 30}, rod: false}\n",
        ),
    )
    .unwrap();
    let suite = scenario::prepare(&f, &script, p, None).unwrap();
    let (ex, _) = run::contact(&suite.program, &suite.cases[0].plan, 0);
    let text: Vec<String> = ex.steps.iter().map(|s| format!("{} {}", s.t_ms, s.text)).collect();
    let joined = text.join("\n");
    assert!(joined.contains("an agent answers after 12500 ms"), "{joined}");
    assert!(joined.contains("talk 90000 ms"), "{joined}");
    let answer = ex.outcome.segments[1].from_ms;
    assert_eq!(ex.outcome.segments.len(), 3, "{joined}");
    assert_eq!(ex.outcome.segments[2].from_ms, answer + 30_000, "transfer 30 s after the answer");
    assert_eq!(ex.outcome.duration_ms, answer + 90_000);
}

/// Issue 22 point 5: on generated scripts (consent MENUs, DNR, recording and statement actions,
/// an ONANSWER chain), under default and explore traffic, the case `explain --as-test` prints
/// for contact i passes when run by `recflow test`. 48 scripts × 2 traffics × 6 contacts.
#[test]
fn as_test_cases_of_generated_scripts_pass() {
    let strategy = (
        proptest::collection::vec(common::generated::block(), 0..7),
        proptest::collection::vec(common::generated::block(), 0..4),
    );
    let cases = Cases { cases: 48, failure_persistence: None, ..Cases::default() };
    let rng = TestRng::deterministic_rng(cases.rng_algorithm);
    let mut runner = TestRunner::new_with_rng(cases, rng);
    let checked = std::cell::Cell::new(0u32);
    let result = runner.run(&strategy, |(ivr, answer)| {
        let text = common::generated::script(&ivr, &answer);
        let script = recflow::script::load_str("g.yaml", &text).unwrap();
        for traffic in [Traffic::default(), Traffic::explore()] {
            let p = Compiled::compile(&script, &Tenant::default(), &traffic);
            let mut file = String::from("script: g.yaml\ncases:\n");
            for call in 0..6 {
                file.push_str(&scenario::as_test::case_yaml(&p, call, "g.yaml"));
            }
            let results = run_cases(&script, p, &file);
            let bad = failures(&results);
            if !bad.is_empty() {
                return Err(TestCaseError::fail(format!("{bad}\n{file}\n{text}")));
            }
            checked.set(checked.get() + results.len() as u32);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert_eq!(checked.get(), 48 * 2 * 6);
}

/// A-27 in test files: `given.ivr_patience` fixes when the caller hangs up if still in the IVR
/// (seconds after arrival, or `false`: never, whatever the traffic says), and
/// `expect.hung_up_in_ivr` checks it; `explain --as-test` of a contact whose caller hung up in
/// the IVR pins the drawn patience, so the printed case reproduces the hang-up and passes.
#[test]
fn a27_a_case_fixes_and_checks_the_callers_ivr_patience() {
    let script = common::sim::load("tests/fixtures/crosscheck/statement-lost-in-ivr.yaml");
    // No IVR patience in the traffic: a case can still make the caller hang up in the greeting.
    let p = Compiled::compile(&script, &Tenant::default(), &Traffic::default());
    let text = "script: s.yaml
cases:
  - name: a caller who hangs up during the greeting loses the statement
    given: {ivr_patience: 1.5}
    expect: {hung_up_in_ivr: true, abandoned: false, findings: [statement_lost], statements: {saved: 0, lost: 1}}
  - name: a caller who hears the greeting out keeps it
    given: {ivr_patience: 60}
    expect: {hung_up_in_ivr: false, statements: {saved: 1, lost: 0}}
  - name: without the key nobody hangs up in the IVR
    expect: {hung_up_in_ivr: false}
  - name: a wrong expectation fails, named
    given: {ivr_patience: 1.5}
    expect: {hung_up_in_ivr: false}
";
    let results = run_cases(&script, p, text);
    assert_eq!(results.len(), 4);
    assert!(results[..3].iter().all(|r| r.passed()), "{}", failures(&results[..3]));
    let miss = &results[3].failures;
    assert_eq!(miss.len(), 1, "{miss:?}");
    assert_eq!(
        (miss[0].key.as_str(), miss[0].expected.as_str(), miss[0].actual.as_str()),
        ("hung_up_in_ivr", "false", "true")
    );

    // The traffic makes every caller hang up after 1.5 s; `ivr_patience: false` overrides it.
    let mut traffic = Traffic::default();
    traffic.durations.ivr_patience = Some(recflow::model::Dist::Fixed(1.5));
    let p = Compiled::compile(&script, &Tenant::default(), &traffic);
    let text = "script: s.yaml
cases:
  - name: the traffic's patience applies
    expect: {hung_up_in_ivr: true}
  - name: false means never
    given: {ivr_patience: false}
    expect: {hung_up_in_ivr: false, statements: {saved: 1, lost: 0}}
";
    let results = run_cases(&script, p.clone(), text);
    assert!(results.iter().all(|r| r.passed()), "{}", failures(&results));

    // `explain --as-test` pins the drawn patience and expects the hang-up; the case passes.
    let case = scenario::as_test::case_yaml(&p, 0, "s.yaml");
    assert!(case.contains("      ivr_patience: 1.5\n"), "{case}");
    assert!(case.contains("      hung_up_in_ivr: true\n"), "{case}");
    let results = run_cases(&script, p, &format!("script: s.yaml\ncases:\n{case}"));
    assert!(results[0].passed(), "{}", failures(&results));
    // Without a drawn patience the printed case says nothing about it (older files unchanged).
    let p = Compiled::compile(&script, &Tenant::default(), &Traffic::default());
    let case = scenario::as_test::case_yaml(&p, 0, "s.yaml");
    assert!(!case.contains("ivr_patience") && !case.contains("hung_up_in_ivr"), "{case}");
}

/// Hostile test files load to located errors or run, never panic: huge numbers, the last
/// contact index, deep nesting, wrong types everywhere, an empty file.
#[test]
fn hostile_test_files_never_panic() {
    let script = common::sim::load("scripts/consent-gdpr.yaml");
    let texts = [
        "",
        "script: s.yaml\ncases:\n  - name: x\n    call: 18446744073709551615\n    seed: 18446744073709551615\n",
        "script: s.yaml\ncases:\n  - name: x\n    given: {agent: {talk: 1e300, answers_after: -1, presses: [{at: .nan, button: 3}]}}\n",
        "script: s.yaml\ncases:\n  - name: x\n    given: {inputs: {consent: [[1]], begin: {a: b}}, variables: [1], external: 3}\n",
        "script: s.yaml\ncases: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
        "script: [s.yaml]\ncases: {}\n",
        "script: s.yaml\ncases:\n  - name: x\n    given: {agent: {transfer: [{to: moon}, {at: 3}], rod: {at: x}}}\n    expect: {statements: {saved: -1}, recorded: 3}\n",
        "script: s.yaml\ncases:\n  - name: x\n    given: {agent: {talk: 0.0005, presses: [{at: 0, button: x}], transfer: {to: agent, at: 0}}}\n",
    ];
    for text in texts {
        let f = match file::parse(Path::new("h.test.yaml"), Source::new("h.test.yaml", text.to_string())) {
            Ok(f) => f,
            Err(e) => {
                assert!(!e.errors.is_empty());
                let _ = e.render_plain(100);
                continue;
            }
        };
        let p = Compiled::compile(&script, &Tenant::default(), &Traffic::default());
        match scenario::prepare(&f, &script, p, None) {
            Ok(mut suite) => {
                let results = run::run(&mut suite, &f, "s.yaml", None);
                assert_eq!(results.len(), f.cases.len());
            }
            Err(errors) => {
                let _ = recflow::source::LoadErrors { errors }.render_plain(100);
            }
        }
    }
}
