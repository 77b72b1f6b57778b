//! Exact analysis of random durations by threshold splitting (`sim::thresholds`, docs/exact.md
//! "Random durations: threshold splitting", SEMANTICS A-29): closed forms checked to 1e-12,
//! computed here independently of the code under test, and the honest fallback to sampling
//! where no closed form is used.

mod common;

use common::sim::{agrees_with_sampling, exact_value as value, fixed_traffic, script};
use recflow::model::{Dist, Tenant, Traffic, parse_traffic};
use recflow::script::Script;
use recflow::sim::Compiled;
use recflow::sim::exact;

fn traffic(s: &Script, inputs: &str, queue_wait: Dist, patience: Dist, talk: Dist) -> Traffic {
    let mut t =
        parse_traffic("traffic.yaml", inputs, s).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    t.durations = fixed_traffic().durations;
    t.durations.queue_wait = queue_wait;
    t.durations.patience = patience;
    t.durations.talk = talk;
    t
}

/// A consent MENU whose `default` (no input, 5%) goes straight to REQAGENT; `2` declines
/// (DONOTRECORD). The default tenant's policy records every agent segment at 100%. After
/// REQAGENT the thread ends: the caller waits in the queue with nothing else going on.
const CONSENT_LEAK: &str = "  - {id: begin, type: BEGIN, next: consent}
  - {id: consent, type: MENU, consent: {accept: ['1']}, branches: {'1': queue, '2': dnr, default: queue}}
  - {id: dnr, type: DONOTRECORD, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}}
";

const INPUTS: &str = "inputs: {consent: {'1': 0.8, '2': 0.15, none: 0.05}}";

/// Issue 23's closed form: queue wait exp(30 s) against patience exp(300 s), fixed talk. The
/// caller is answered when the wait comes first: P = λw / (λw + λp) = (1/30) / (1/30 + 1/300)
/// = 10/11, so recorded without consent = 0.05 × 10/11 = 1/22 and abandoned = 1/11 — exact,
/// with their fractions (every input of the closed form is rational).
#[test]
fn exponential_wait_against_exponential_patience_records_exactly_5_percent_of_10_in_11() {
    let s = script(CONSENT_LEAK);
    let t = traffic(&s, INPUTS, Dist::Exp(30.0), Dist::Exp(300.0), Dist::Fixed(240.0));
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let e = exact::explore(&p, 1000).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert!(e.not_exact.is_empty(), "{:?}", e.not_exact);
    assert_eq!(e.samples, 1, "no duration is sampled");
    assert!(!e.closed_form_f64);
    let (lw, lp) = (1.0 / 30.0, 1.0 / 300.0);
    let answered = lw / (lw + lp);
    let v = value(&e, "findings.recorded_without_consent");
    assert!((v.value - 0.05 * answered).abs() < 1e-12, "{}", v.value);
    assert_eq!(v.rational.as_deref(), Some("1/22"));
    let a = value(&e, "abandoned");
    assert!((a.value - (1.0 - answered)).abs() < 1e-12, "{}", a.value);
    assert_eq!(a.rational.as_deref(), Some("1/11"));
}

/// The same with the issue's own script, whose caller waits in a hold loop (MUSIC 30 s,
/// repeated) after the consent question: each turn splits the random answer time at the loop's
/// next action; the turns repeat a state (the exponential is memoryless, and the consent
/// answer's times are kept by their order, not their distance from the clock), so the loop is
/// solved: exact, 1/22 to 1e-12.
#[test]
fn the_issues_script_with_its_hold_loop_is_exact_and_records_1_in_22_without_consent() {
    let s = common::sim::load("scripts/mistake-consent-leak.yaml");
    let t = traffic(&s, INPUTS, Dist::Exp(30.0), Dist::Exp(300.0), Dist::Fixed(240.0));
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let e = exact::explore(&p, 1000).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert_eq!(e.residual, 0.0);
    assert_eq!(e.loops, vec!["hold".to_string()]);
    let want = 0.05 * (1.0 / 30.0) / (1.0 / 30.0 + 1.0 / 300.0);
    let v = value(&e, "findings.recorded_without_consent");
    assert!((v.value - want).abs() < 1e-12, "{} vs {want}", v.value);
    assert!((value(&e, "abandoned").value - 1.0 / 11.0).abs() < 1e-12);
}

/// A fixed queue wait w = 30 s against exponential patience (mean m = 300 s): the caller
/// abandons when patience runs out first, P = 1 − e^(−w/m). Exact for the model, but the CDF
/// is evaluated in f64: no fractions.
#[test]
fn fixed_wait_against_exponential_patience_abandons_with_its_cdf() {
    let s = script(CONSENT_LEAK);
    let t = traffic(&s, INPUTS, Dist::Fixed(30.0), Dist::Exp(300.0), Dist::Fixed(240.0));
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let e = exact::explore(&p, 1000).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert!(e.closed_form_f64);
    let want = 1.0 - (-30.0f64 / 300.0).exp();
    let a = value(&e, "abandoned");
    assert!((a.value - want).abs() < 1e-12, "{} vs {want}", a.value);
    assert!(e.probabilities.iter().all(|v| v.rational.is_none()), "no long fraction of an f64");
    let v = value(&e, "findings.recorded_without_consent");
    assert!((v.value - 0.05 * (1.0 - want)).abs() < 1e-12);
    // The other way round: exponential wait (mean 30 s) against a fixed patience of 60 s:
    // abandoned when the wait is longer, e^(−60/30).
    let t = traffic(&s, INPUTS, Dist::Exp(30.0), Dist::Fixed(60.0), Dist::Fixed(240.0));
    let e = exact::explore(&Compiled::compile(&s, &Tenant::default(), &t), 1000).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert!((value(&e, "abandoned").value - (-2.0f64).exp()).abs() < 1e-12);
}

/// A uniform queue wait U(a, b) = U(10, 60 s) against exponential patience (mean m = 300 s):
/// the race splits into three pieces (abandons before a, abandons in [a, b), answered in
/// [a, b)), each in closed form: abandoned = 1 − (m/(b − a))(e^(−a/m) − e^(−b/m)) (the
/// answer's density e^(−x/m)/(b − a) on [a, b)). Exact (f64 closed form).
#[test]
fn uniform_wait_against_exponential_patience_is_exact_by_its_pieces() {
    let s = script(CONSENT_LEAK);
    let t = traffic(&s, INPUTS, Dist::Uniform(10.0, 60.0), Dist::Exp(300.0), Dist::Fixed(240.0));
    let e = exact::explore(&Compiled::compile(&s, &Tenant::default(), &t), 50).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert!(e.not_exact.is_empty() && e.closed_form_f64 && e.samples == 1);
    let (a, b, m) = (10.0f64, 60.0f64, 300.0f64);
    let answered = m / (b - a) * ((-a / m).exp() - (-b / m).exp());
    let v = value(&e, "abandoned").value;
    assert!((v - (1.0 - answered)).abs() < 1e-12, "{v} vs {}", 1.0 - answered);
    let v = value(&e, "findings.recorded_without_consent").value;
    assert!((v - 0.05 * answered).abs() < 1e-12, "{v}");
}

/// The mirror image: exponential wait (mean m = 30 s) against a uniform patience U(10, 120 s):
/// the caller abandons at x in [a, b) with density e^(−x/m)/(b − a), so abandoned =
/// (m/(b − a))(e^(−a/m) − e^(−b/m)).
#[test]
fn exponential_wait_against_uniform_patience_is_exact_by_its_pieces() {
    let s = script(CONSENT_LEAK);
    let t = traffic(&s, INPUTS, Dist::Exp(30.0), Dist::Uniform(10.0, 120.0), Dist::Fixed(240.0));
    let e = exact::explore(&Compiled::compile(&s, &Tenant::default(), &t), 50).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    let (a, b, m) = (10.0f64, 120.0f64, 30.0f64);
    let abandoned = m / (b - a) * ((-a / m).exp() - (-b / m).exp());
    let v = value(&e, "abandoned").value;
    assert!((v - abandoned).abs() < 1e-12, "{v} vs {abandoned}");
}

/// Two uniforms, W ~ U(0, 60 s) and P ~ U(20, 200 s): P(P < W) = ∫20^60 (1/180)(60 − x)/60 dx
/// = 800/10800 = 2/27, every piece a fraction, so the result is one: recorded without consent
/// = 0.05 × 25/27 = 5/108. The same with the issue's script, whose hold loop (MUSIC) splits
/// the pending answer's and abandonment's bounded cells on every turn until they end.
#[test]
fn two_uniforms_race_exactly_in_fractions_with_and_without_a_hold_loop() {
    for s in [script(CONSENT_LEAK), common::sim::load("scripts/mistake-consent-leak.yaml")] {
        let t = traffic(&s, INPUTS, Dist::Uniform(0.0, 60.0), Dist::Uniform(20.0, 200.0), Dist::Fixed(240.0));
        let e = exact::explore(&Compiled::compile(&s, &Tenant::default(), &t), 50).unwrap();
        assert!(e.exact, "{:?}", e.not_exact);
        assert!(!e.closed_form_f64, "every input is a fraction");
        assert_eq!(value(&e, "abandoned").rational.as_deref(), Some("2/27"));
        assert_eq!(value(&e, "findings.recorded_without_consent").rational.as_deref(), Some("5/108"));
        assert!((value(&e, "abandoned").value - 2.0 / 27.0).abs() < 1e-15);
    }
}

/// `examples/traffic-uniform-wait.yaml` (a uniform queue wait 0–60 s, the default exponential
/// patience 300 s and talk) with consent-gdpr: exact, abandoned = 1 − 5 (1 − e^(−0.2)) (the
/// example docs/exact.md shows), nothing sampled.
#[test]
fn the_uniform_wait_example_is_exact() {
    let s = common::sim::load("scripts/consent-gdpr.yaml");
    let text = std::fs::read_to_string(common::repo("examples/traffic-uniform-wait.yaml")).unwrap();
    let t = parse_traffic("traffic-uniform-wait.yaml", &text, &s)
        .unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let e = exact::explore(&Compiled::compile(&s, &Tenant::default(), &t), 1000).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert!(e.not_exact.is_empty());
    assert_eq!(e.samples, 1);
    assert!(e.probabilities.iter().all(|v| v.interval.is_none()));
    let want = 1.0 - 5.0 * (1.0 - (-0.2f64).exp());
    let v = value(&e, "abandoned").value;
    assert!((v - want).abs() < 1e-12, "{v} vs {want}");
}

/// Agent events at uniform times inside a random talk: each is a fraction of the talk, a
/// second random time that depends on the first — hybrid, and the reason says so.
#[test]
fn agent_events_inside_a_random_talk_fall_back_to_sampling_and_say_why() {
    let s = script(CONSENT_LEAK);
    let mut t = traffic(&s, INPUTS, Dist::Fixed(30.0), Dist::Fixed(300.0), Dist::Exp(240.0));
    t.agent.rod = 0.1;
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let e = exact::explore(&p, 20).unwrap();
    assert!(!e.exact);
    let why = e.not_exact.join("\n");
    assert!(why.contains("inside a random talk (exp(240 s))"), "{why}");
}

/// A hold loop in the queue (MUSIC 30 s, then a 3 s PLAY, round again) while the answer time
/// is random: each turn splits the pending answer at the loop's next action. With two
/// exponentials the first of them is exponential (mean 300/11 s) and memoryless, so every turn
/// is the same state and the loop is solved as a linear equation: the caller hears `again`
/// with P(M > 30 s) = e^(−1.1), and abandons with 1/11.
#[test]
fn a_hold_loop_against_an_exponential_answer_time_is_solved_as_a_loop() {
    let s = script(HOLD_LOOP);
    let t = traffic(&s, "{}", Dist::Exp(30.0), Dist::Exp(300.0), Dist::Fixed(240.0));
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let e = exact::explore(&p, 1000).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert_eq!(e.residual, 0.0);
    assert!(e.closed_form_f64);
    let first_mean: f64 = 1.0 / (1.0 / 30.0 + 1.0 / 300.0);
    let again = value(&e, "coverage.actions.again");
    assert!((again.value - (-30.0 / first_mean).exp()).abs() < 1e-12, "{}", again.value);
    assert!((value(&e, "abandoned").value - 1.0 / 11.0).abs() < 1e-12);
    assert!(e.loops.iter().any(|a| a == "hold" || a == "again"), "{:?}", e.loops);
    // A few runs per agent who may answer (20 in the default tenant): the loop is not
    // unrolled (unrolled until 2^-50 it would take some 35 turns per agent).
    assert!(e.runs < 100, "{} runs: the loop is not unrolled", e.runs);
}

/// The same loop with a fixed patience of 300 s: the answer is W given W ≤ 300 s, a bounded
/// cell that shrinks each turn, so the turns differ — and end when it is used up (no cut, no
/// residual). `again` is heard when W > 30 s: e^(−1).
#[test]
fn a_hold_loop_against_a_bounded_answer_time_ends_when_the_cell_is_used_up() {
    let s = script(HOLD_LOOP);
    let t = traffic(&s, "{}", Dist::Exp(30.0), Dist::Fixed(300.0), Dist::Fixed(240.0));
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let e = exact::explore(&p, 1000).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert_eq!(e.residual, 0.0);
    assert!((value(&e, "coverage.actions.again").value - (-1.0f64).exp()).abs() < 1e-12);
    assert!((value(&e, "abandoned").value - (-10.0f64).exp()).abs() < 1e-12);
}

const HOLD_LOOP: &str = "  - {id: begin, type: BEGIN, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}, next: hold}
  - {id: hold, type: MUSIC, properties: {SecondstoPlay: 30}, next: again}
  - {id: again, type: PLAY, next: hold}
";

/// R12: a policy recording of a call shorter than the tenant's short-call threshold (4 s) is
/// discarded. With an exponential talk (mean 60 s) the release is split at the threshold:
/// recorded none = P(T < 4 s) = 1 − e^(−4/60), and the expected recorded seconds are
/// E[T; T ≥ 4 s] = (4 + 60) e^(−4/60) s (exact up to the ms the clock value is rounded to).
#[test]
fn r12_short_calls_with_an_exponential_talk_are_its_cdf_at_the_threshold() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}}
",
    );
    let t = traffic(&s, "{}", Dist::Fixed(30.0), Dist::Fixed(300.0), Dist::Exp(60.0));
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let e = exact::explore(&p, 1000).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    let short = 1.0 - (-4.0f64 / 60.0).exp();
    let none = value(&e, "recorded.none");
    assert!((none.value - short).abs() < 1e-12, "{} vs {short}", none.value);
    let secs = e.expected.iter().find(|v| v.path == ["recorded_seconds", "full"]).unwrap();
    let want = 64.0 * (-4.0f64 / 60.0).exp();
    assert!((secs.value - want).abs() < 1e-3, "{} vs {want}", secs.value);
}

// ---- The talk's agent events and presses with a fixed talk (`engine::talk`) ----

/// The default tenant (one 100% policy, 20 agents) and a fixed talk of 240 s; `agent` sets the
/// talk's behaviours.
fn talk_world(s: &Script, agent: impl FnOnce(&mut Traffic)) -> exact::Exact {
    let mut t = traffic(s, "{}", Dist::Fixed(30.0), Dist::Fixed(300.0), Dist::Fixed(240.0));
    agent(&mut t);
    let p = Compiled::compile(s, &Tenant::default(), &t);
    exact::explore(&p, 50).unwrap()
}

const T: f64 = 240.0;

/// One ROD at a uniform time in the 240 s talk against a Studio Stop at a fixed c = 60 s
/// (ONANSWER: Start, WAIT 60 s, Stop). Before the Stop, Studio already records (the ROD changes
/// nothing, and the Stop ends it); after it, ROD records from then on. So a ROD recording
/// exists with P(X > c) = 1 − c/T = 3/4, times the 10% who ask for ROD: 3/40, exact. ROD
/// records T − X given X > c, whose mean is (T − c)/2 = 90 s: 0.1 × 3/4 × 90 = 6.75 s per
/// contact (the clock value of X is the conditional mean, A-29).
#[test]
fn a_rod_at_a_uniform_time_against_a_studio_stop_at_a_fixed_time_is_c_over_t() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}}
  - {id: answered, type: ONANSWER, next: start}
  - {id: start, type: LOGRECORDINGPRO, properties: {Record: Start}, next: wait}
  - {id: wait, type: WAIT, properties: {Seconds: 60}, next: stop}
  - {id: stop, type: LOGRECORDINGPRO, properties: {Record: Stop}}
",
    );
    let e = talk_world(&s, |t| t.agent.rod = 0.1);
    assert!(e.exact, "{:?}", e.not_exact);
    assert_eq!(e.samples, 1, "no duration is sampled");
    let c = 60.0;
    let v = value(&e, "initiators.rod");
    assert!((v.value - 0.1 * (1.0 - c / T)).abs() < 1e-12, "{}", v.value);
    assert_eq!(v.rational.as_deref(), Some("3/40"));
    let secs = e.expected.iter().find(|v| v.path == ["recorded_seconds", "full"]).unwrap();
    // Studio records the first 60 s of every contact, ROD the rest after a later ROD.
    let want = 60.0 + 0.1 * (1.0 - c / T) * (T - c) / 2.0;
    assert!((secs.value - want).abs() < 1e-3, "{} vs {want}", secs.value);
}

/// Two events racing inside the talk, both certain: ROD and a transfer to an external number.
/// After the transfer the agent's ROD no longer happens, so a ROD recording exists
/// exactly when the ROD comes first: each of two iid uniform times is the first with 1/2.
#[test]
fn two_events_racing_in_a_fixed_talk_are_each_first_with_one_half() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}}
",
    );
    let e = talk_world(&s, |t| {
        t.agent.rod = 1.0;
        t.agent.transfer_external = 1.0;
    });
    assert!(e.exact, "{:?}", e.not_exact);
    let v = value(&e, "initiators.rod");
    assert!((v.value - 0.5).abs() < 1e-12, "{}", v.value);
    assert_eq!(v.rational.as_deref(), Some("1/2"));
    // And three: add a disposition (R11: it ends policy recording, not ROD). The ROD still
    // records exactly when it comes before the transfer, 1/2, whatever the disposition does.
    let e = talk_world(&s, |t| {
        t.agent.rod = 1.0;
        t.agent.transfer_external = 1.0;
        t.agent.disposition = 1.0;
    });
    assert!(e.exact, "{:?}", e.not_exact);
    assert_eq!(value(&e, "initiators.rod").rational.as_deref(), Some("1/2"));
}

/// The MAX recorded-statement sequence (Start, then Stop, p = 1/2) against the release: both
/// presses fall inside the talk, so every pressing contact captures and saves its statement,
/// and the statement lasts U(2) − U(1) of two uniform times, whose mean is T/3 = 80 s:
/// 0.5 × 80 = 40 s per contact.
#[test]
fn a_two_press_statement_sequence_against_the_release_lasts_a_third_of_the_talk() {
    let s = common::sim::load("scripts/max-recorded-statements.yaml");
    let e = talk_world(&s, |t| {
        t.agent.presses = vec![recflow::model::PressSequence {
            p: 0.5,
            buttons: vec!["Start Recorded Statement".into(), "Stop Recorded Statement".into()],
        }];
        t.agent.presses_given = true;
    });
    assert!(e.exact, "{:?}", e.not_exact);
    assert_eq!(value(&e, "coverage.actions.statement-stop").rational.as_deref(), Some("1/2"));
    let secs = e.expected.iter().find(|v| v.path == ["recorded_seconds", "statements"]);
    let secs = secs.unwrap_or_else(|| panic!("{:?}", e.expected.iter().map(|v| &v.path).collect::<Vec<_>>()));
    assert!((secs.value - 0.5 * T / 3.0).abs() < 1e-3, "{}", secs.value);
}

/// The same sequence against an ONANSWER action at a fixed time c = 60 s: the buttons are
/// turned On only then (WAIT 60 s, then the INDICATEs). N, the number of the two presses
/// before c, is Binomial(2, q = c/T = 1/4). A press before c finds its button Off and does
/// nothing. So the Start works when N = 0, (1 − q)² = 9/16, and the Stop (whose press is the
/// later one) when N ≤ 1, 1 − q² = 15/16; times the 1/2 who press.
#[test]
fn a_two_press_sequence_against_an_onanswer_action_at_a_fixed_time_is_binomial() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}}
  - {id: answered, type: ONANSWER, next: wait}
  - {id: wait, type: WAIT, properties: {Seconds: 60}, next: show-start}
  - {id: show-start, type: INDICATE, properties: {Name: Start, State: On, ActionType: Signal, Parameters: [StartStatement]}, next: show-stop}
  - {id: show-stop, type: INDICATE, properties: {Name: Stop, State: On, ActionType: Signal, Parameters: [StopStatement]}}
  - {id: signal, type: ONSIGNAL, next: which}
  - {id: which, type: CASE, properties: {Variable: SP1}, branches: {StartStatement: statement-start, StopStatement: statement-stop}}
  - {id: statement-start, type: LOGRECORDINGPRO, properties: {Record: Start, UseRecordingStatementId: True}, next: save}
  - {id: save, type: SNIPPET, properties: {Data: 'ASSIGN Global:_id = RecordingStatementId'}}
  - {id: statement-stop, type: LOGRECORDINGPRO, properties: {Record: Stop, UseRecordingStatementId: True}}
",
    );
    let e = talk_world(&s, |t| {
        t.agent.presses =
            vec![recflow::model::PressSequence { p: 0.5, buttons: vec!["Start".into(), "Stop".into()] }];
        t.agent.presses_given = true;
    });
    assert!(e.exact, "{:?}", e.not_exact);
    let q = 60.0 / T;
    let start = value(&e, "coverage.actions.statement-start");
    assert!((start.value - 0.5 * (1.0 - q) * (1.0 - q)).abs() < 1e-12, "{}", start.value);
    assert_eq!(start.rational.as_deref(), Some("9/32"));
    let stop = value(&e, "coverage.actions.statement-stop");
    assert!((stop.value - 0.5 * (1.0 - q * q)).abs() < 1e-12, "{}", stop.value);
    assert_eq!(stop.rational.as_deref(), Some("15/32"));
}

/// An ONSIGNAL handler that plays a prompt (3 s) and then starts or stops a statement.
const HANDLER_AFTER_PRESS: &str = "  - {id: begin, type: BEGIN, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}}
  - {id: answered, type: ONANSWER, next: show-start}
  - {id: show-start, type: INDICATE, properties: {Name: Start, State: On, ActionType: Signal, Parameters: [StartStatement]}, next: show-stop}
  - {id: show-stop, type: INDICATE, properties: {Name: Stop, State: On, ActionType: Signal, Parameters: [StopStatement]}}
  - {id: signal, type: ONSIGNAL, next: prompt}
  - {id: prompt, type: PLAY, next: which}
  - {id: which, type: CASE, properties: {Variable: SP1}, branches: {StartStatement: statement-start, StopStatement: statement-stop}}
  - {id: statement-start, type: LOGRECORDINGPRO, properties: {Record: Start, UseRecordingStatementId: True}}
  - {id: statement-stop, type: LOGRECORDINGPRO, properties: {Record: Stop, UseRecordingStatementId: True}}
";

/// Beyond threshold splitting: the ONSIGNAL handler plays a 3 s prompt after the Start press,
/// so the thread's next action is 3 s after a random time, while the Stop press is still
/// pending at a time after that same random time — the two are not independent. The analysis
/// falls back to sampling and says why.
#[test]
fn a_handler_lasting_after_a_random_press_falls_back_to_sampling_and_says_why() {
    let s = script(HANDLER_AFTER_PRESS);
    let e = talk_world(&s, |t| {
        t.agent.presses =
            vec![recflow::model::PressSequence { p: 0.5, buttons: vec!["Start".into(), "Stop".into()] }];
        t.agent.presses_given = true;
    });
    assert!(!e.exact);
    assert_eq!(e.samples, 50);
    let why = e.not_exact.join("\n");
    assert!(why.contains("not split exactly") && why.contains("relative to another random time"), "{why}");
}

/// One press alone, with the handler of the test above: the prompt ends 3 s after the press at
/// U ~ uniform(0, T), T = 240 s, and the release at T comes first when U > T − 3 s — one random
/// time against a fixed one, so the press's slot is split at T − 3 s (a point learned from the
/// first exploration): the statement starts with 0.5 × (T − 3)/T = 79/160, and lasts T − U − 3 s,
/// E = 0.5 × (T − 3)² / (2T) s. And the sampled engine agrees.
#[test]
fn a_handler_lasting_after_a_single_press_is_split_where_the_release_may_come_first() {
    let s = script(HANDLER_AFTER_PRESS);
    let mut t = traffic(&s, "{}", Dist::Fixed(30.0), Dist::Fixed(300.0), Dist::Fixed(T));
    t.agent.presses = vec![recflow::model::PressSequence { p: 0.5, buttons: vec!["Start".into()] }];
    t.agent.presses_given = true;
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let e = exact::explore(&p, 50).unwrap();
    assert!(e.exact && e.not_exact.is_empty(), "{:?}", e.not_exact);
    let d = 3.0;
    let v = value(&e, "coverage.actions.statement-start");
    assert!((v.value - 0.5 * (T - d) / T).abs() < 1e-12, "{}", v.value);
    assert_eq!(v.rational.as_deref(), Some("79/160"));
    let secs = e.expected.iter().find(|v| v.path == ["recorded_seconds", "statements"]).unwrap().value;
    let want = 0.5 * (T - d) * (T - d) / (2.0 * T);
    assert!((secs - want).abs() < 1e-3, "{secs} vs {want}");
    agrees_with_sampling(&e, &p, 100_000);
}

/// The talk's splits make paths as unlikely as they come — five agent behaviours (each
/// certain) before an ONANSWER action 50 ms into the 240 s talk: (50/240 000)^5 ≈ 4e-19 —
/// yet the tree is finite (the talk ends): nothing is cut below 2^-50, no residual, no loop
/// reported, exact. The ROD records exactly when it comes before the external transfer: 1/2.
#[test]
fn unlikely_splits_of_the_talk_are_explored_not_cut() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}}
  - {id: answered, type: ONANSWER, next: wait}
  - {id: wait, type: WAIT, properties: {Seconds: 0.05}}
",
    );
    let mut tenant = Tenant::default();
    tenant.agents.truncate(2);
    let mut t = traffic(&s, "{}", Dist::Fixed(30.0), Dist::Fixed(300.0), Dist::Fixed(240.0));
    let a = &mut t.agent;
    (a.rod, a.transfer_agent, a.transfer_external, a.conference, a.disposition) = (1.0, 1.0, 1.0, 1.0, 1.0);
    let e = exact::explore(&Compiled::compile(&s, &tenant, &t), 50).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert_eq!(e.residual, 0.0);
    assert!(e.not_exact.is_empty(), "{:?}", e.not_exact);
    assert_eq!(value(&e, "initiators.rod").rational.as_deref(), Some("1/2"));
}

/// The traffic of the IVR hang-up tests: fixed durations (PLAY 3 s, MENU 8 s), the given
/// `ivr_patience`, the MENU `m`'s input `2` (not wired) for every caller.
fn ivr_world(s: &Script, ivr_patience: Dist) -> exact::Exact {
    let inputs = if s.actions.iter().any(|a| a.id == "m") { "inputs: {m: {'2': 1.0}}" } else { "inputs: {}" };
    let mut t = traffic(s, inputs, Dist::Fixed(30.0), Dist::Fixed(300.0), Dist::Fixed(240.0));
    t.durations.play = Dist::Fixed(3.0);
    t.durations.menu = Dist::Fixed(8.0);
    t.durations.ivr_patience = Some(ivr_patience);
    let p = Compiled::compile(s, &Tenant::default(), &t);
    exact::explore(&p, 1000).unwrap()
}

/// A random IVR patience is a symbolic hang-up split at the thread's actions: two PLAYs
/// of 3 s before REQAGENT, so the caller hangs up in the IVR when the patience X < 6 s —
/// 1/2 exactly for X ~ uniform(0, 12 s), 1 − e^(−0.6) for X ~ exp(10 s) — and is never sampled.
#[test]
fn a_random_ivr_patience_hangs_up_with_its_cdf_at_the_ivr_s_end() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: a}
  - {id: a, type: PLAY, next: b}
  - {id: b, type: PLAY, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}}
",
    );
    let e = ivr_world(&s, Dist::Uniform(0.0, 12.0));
    assert!(e.exact && e.not_exact.is_empty(), "{:?}", e.not_exact);
    assert_eq!(e.samples, 1, "no duration is sampled");
    let v = value(&e, "hung_up_in_ivr");
    assert!((v.value - 0.5).abs() < 1e-12, "{}", v.value);
    assert_eq!(v.rational.as_deref(), Some("1/2"));
    // Half of them hang up during the first PLAY: the second is heard by 3/4 of callers.
    assert!((value(&e, "coverage.actions.b").value - 0.75).abs() < 1e-12);

    let e = ivr_world(&s, Dist::Exp(10.0));
    assert!(e.exact && e.not_exact.is_empty(), "{:?}", e.not_exact);
    assert_eq!(e.samples, 1);
    let want = 1.0 - (-0.6f64).exp();
    let v = value(&e, "hung_up_in_ivr");
    assert!((v.value - want).abs() < 1e-12, "{} vs {want}", v.value);
    assert!((value(&e, "coverage.actions.b").value - (-0.3f64).exp()).abs() < 1e-12);
}

/// An unwired branch in the IVR: the caller hears the MENU out (8 s) and hangs up, `stuck` —
/// unless the IVR patience runs out first. The symbolic hang-up is split at the MENU's
/// end: with X ~ uniform(0, 16 s), half are `stuck` and half hang up, exactly.
#[test]
fn a_random_ivr_patience_against_an_unwired_branch_is_split_at_the_action_s_end() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: m}
  - {id: m, type: MENU, branches: {'1': queue}}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}}
",
    );
    let e = ivr_world(&s, Dist::Uniform(0.0, 16.0));
    assert!(e.exact && e.not_exact.is_empty(), "{:?}", e.not_exact);
    let hung = value(&e, "hung_up_in_ivr");
    let stuck = value(&e, "findings.stuck");
    assert_eq!(hung.rational.as_deref(), Some("1/2"), "{}", hung.value);
    assert_eq!(stuck.rational.as_deref(), Some("1/2"), "{}", stuck.value);
}

/// The IVR of [`random_action_durations_in_the_ivr_are_exact`]: an IVR recording started at
/// BEGIN runs through a PLAY and a MENU until REQAGENT, so its expected length is the sum of
/// the two actions' mean durations.
const TIMED_IVR: &str = "  - {id: begin, type: BEGIN, next: rec}
  - {id: rec, type: LOGRECORDINGPRO, properties: {Record: Start, RecordType: Call}, next: a}
  - {id: a, type: PLAY, next: m}
  - {id: m, type: MENU, branches: {'1': queue, '2': queue}}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}}
";

fn timed_ivr(s: &Script, play: Dist, menu: Dist, ivr_patience: Option<Dist>) -> exact::Exact {
    let mut t = traffic(
        s,
        "inputs: {m: {'1': 0.25, '2': 0.75}}",
        Dist::Fixed(30.0),
        Dist::Fixed(300.0),
        Dist::Fixed(240.0),
    );
    (t.durations.play, t.durations.menu, t.durations.ivr_patience) = (play, menu, ivr_patience);
    let p = Compiled::compile(s, &Tenant::default(), &t);
    exact::explore(&p, 1000).unwrap()
}

/// Random `durations.play` / `menu` in an IVR where nothing else is pending: the thread's next
/// action is a random time nothing compares with, so every probability is the one of fixed
/// durations — exact, never sampled — and the IVR recording's expected length is the sum of
/// the means: uniform(2, 8 s) → 5 s, exp(6 s) → 6 s.
#[test]
fn random_action_durations_in_the_ivr_are_exact() {
    let s = script(TIMED_IVR);
    let random = timed_ivr(&s, Dist::Uniform(2.0, 8.0), Dist::Exp(6.0), None);
    assert!(random.exact && random.not_exact.is_empty(), "{:?}", random.not_exact);
    assert_eq!(random.samples, 1, "no duration is sampled");
    let fixed = timed_ivr(&s, Dist::Fixed(5.0), Dist::Fixed(6.0), None);
    assert!(fixed.exact);
    for v in &fixed.probabilities {
        let path = v.path.join(".");
        let r = value(&random, &path);
        assert!((r.value - v.value).abs() < 1e-12, "{path}: {} vs {}", r.value, v.value);
        assert_eq!(r.rational, v.rational, "{path}");
    }
    let secs =
        |e: &exact::Exact| e.expected.iter().find(|v| v.path == ["recorded_seconds", "ivr"]).unwrap().value;
    assert!((secs(&random) - 11.0).abs() < 1e-3, "{}", secs(&random));
    assert!((secs(&fixed) - 11.0).abs() < 1e-9, "{}", secs(&fixed));
}

/// A MUSIC of random length at an unwired branch in the IVR, against a fixed IVR patience of
/// 6 s: the caller hears it out and hangs up (`stuck`) when X < 6 s − 3 s (the PLAY before
/// it), else the patience runs out first — uniform(0, 12 s): 1/4 stuck, 3/4 hung up, exactly.
#[test]
fn a_random_action_at_an_unwired_branch_is_split_at_a_fixed_ivr_patience() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: a}
  - {id: a, type: PLAY, next: tune}
  - {id: tune, type: MUSIC}
",
    );
    let mut t = traffic(&s, "inputs: {}", Dist::Fixed(30.0), Dist::Fixed(300.0), Dist::Fixed(240.0));
    t.durations.play = Dist::Fixed(3.0);
    t.durations.music = Dist::Uniform(0.0, 12.0);
    t.durations.ivr_patience = Some(Dist::Fixed(6.0));
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let e = exact::explore(&p, 1000).unwrap();
    assert!(e.exact && e.not_exact.is_empty(), "{:?}", e.not_exact);
    assert_eq!(value(&e, "findings.stuck").rational.as_deref(), Some("1/4"));
    assert_eq!(value(&e, "hung_up_in_ivr").rational.as_deref(), Some("3/4"));
}

/// After a PLAY of random length X ~ uniform(2, 8 s) the thread goes on while the caller's
/// fixed IVR hang-up is still pending: the MENU's end at X + 6 s is compared with it only where
/// that holds for every X. Patience 20 s: always after, so exact (nobody hangs up), the
/// same probabilities as fixed durations.
#[test]
fn a_time_after_a_random_action_is_compared_where_it_holds_for_every_value() {
    let s = script(TIMED_IVR);
    let e = timed_ivr(&s, Dist::Uniform(2.0, 8.0), Dist::Fixed(6.0), Some(Dist::Fixed(20.0)));
    assert!(e.exact && e.not_exact.is_empty(), "{:?}", e.not_exact);
    assert_eq!(value(&e, "hung_up_in_ivr").rational.as_deref(), Some("0"));
    let fixed = timed_ivr(&s, Dist::Fixed(5.0), Dist::Fixed(6.0), Some(Dist::Fixed(20.0)));
    for v in &fixed.probabilities {
        assert_eq!(value(&e, &v.path.join(".")).rational, v.rational, "{}", v.path.join("."));
    }
}

/// Two random times at once are beyond threshold splitting: a random IVR patience pending
/// while a PLAY of random length plays — hybrid, with the reason named.
#[test]
fn a_random_action_duration_beyond_threshold_splitting_falls_back_with_its_reason() {
    let s = script(TIMED_IVR);
    let e = timed_ivr(&s, Dist::Uniform(2.0, 8.0), Dist::Fixed(6.0), Some(Dist::Exp(20.0)));
    assert!(!e.exact);
    assert!(e.not_exact[0].contains("another random time is pending"), "{:?}", e.not_exact);
}

fn ivr_seconds(e: &exact::Exact) -> f64 {
    e.expected.iter().find(|v| v.path == ["recorded_seconds", "ivr"]).unwrap().value
}

/// Issue 23 point 1: after a PLAY of random length X ~ uniform(a, b) = (2, 8 s) the MENU ends
/// at X + 6 s, against the caller's fixed IVR patience c = 10 s: the caller reaches REQAGENT
/// when X + 6 < 10 ⇔ X < 4 — one random duration against a constant, exact: P = (4 − a)/(b − a)
/// = 1/3, hung up 2/3. The IVR recording (from arrival) lasts X + 6 s or 10 s: expected
/// (1/3)(E[X | X < 4] + 6) + (2/3) · 10 = (1/3) · 9 + 20/3 s, exact up to the ms rounding of the
/// pieces' representatives. And the sampled engine agrees.
#[test]
fn a_time_after_a_random_action_on_either_side_of_a_fixed_patience_is_split_there() {
    let s = script(TIMED_IVR);
    let (a, b, c, menu) = (2.0, 8.0, 10.0, 6.0);
    let e = timed_ivr(&s, Dist::Uniform(a, b), Dist::Fixed(menu), Some(Dist::Fixed(c)));
    assert!(e.exact && e.not_exact.is_empty(), "{:?}", e.not_exact);
    assert_eq!(e.samples, 1, "no duration is sampled");
    let reach = (c - menu - a) / (b - a);
    let hung = value(&e, "hung_up_in_ivr");
    assert!((hung.value - (1.0 - reach)).abs() < 1e-12, "{}", hung.value);
    assert_eq!(hung.rational.as_deref(), Some("2/3"));
    assert_eq!(value(&e, "coverage.actions.queue").rational.as_deref(), Some("1/3"));
    let want = reach * ((a + (c - menu)) / 2.0 + menu) + (1.0 - reach) * c;
    assert!((ivr_seconds(&e) - want).abs() < 1e-3, "{} vs {want}", ivr_seconds(&e));
    let mut t = traffic(
        &s,
        "inputs: {m: {'1': 0.25, '2': 0.75}}",
        Dist::Fixed(30.0),
        Dist::Fixed(300.0),
        Dist::Fixed(240.0),
    );
    (t.durations.play, t.durations.menu, t.durations.ivr_patience) =
        (Dist::Uniform(a, b), Dist::Fixed(menu), Some(Dist::Fixed(c)));
    agrees_with_sampling(&e, &Compiled::compile(&s, &Tenant::default(), &t), 100_000);
}

/// The same with an exponential PLAY, X ~ exp(m = 6 s): the caller reaches REQAGENT when
/// X < c − 6 s = 4 s, P = 1 − e^(−4/m) (an exponential's CDF: exact, in f64). The IVR recording
/// lasts X + 6 s then, else 10 s: E = E[X; X < 4] + 6 P + 10 (1 − P), E[X; X < d] =
/// m (1 − e^(−d/m)) − d e^(−d/m).
#[test]
fn an_exponential_action_against_a_fixed_patience_is_its_cdf_at_the_threshold() {
    let s = script(TIMED_IVR);
    let (m, c, menu) = (6.0f64, 10.0, 6.0);
    let e = timed_ivr(&s, Dist::Exp(m), Dist::Fixed(menu), Some(Dist::Fixed(c)));
    assert!(e.exact && e.not_exact.is_empty(), "{:?}", e.not_exact);
    assert!(e.closed_form_f64);
    let d = c - menu;
    let reach = 1.0 - (-d / m).exp();
    let v = value(&e, "coverage.actions.queue").value;
    assert!((v - reach).abs() < 1e-12, "{v} vs {reach}");
    let v = value(&e, "hung_up_in_ivr").value;
    assert!((v - (1.0 - reach)).abs() < 1e-12, "{v}");
    let below = m * (1.0 - (-d / m).exp()) - d * (-d / m).exp();
    let want = below + menu * reach + c * (1.0 - reach);
    assert!((ivr_seconds(&e) - want).abs() < 1e-3, "{} vs {want}", ivr_seconds(&e));
}

/// Two thresholds on the same random time: after the PLAY X ~ uniform(2, 8 s), two fixed
/// MUSICs of 3 s end at X + 3 and X + 6 s, each against the fixed IVR patience of 10 s: the
/// second MUSIC starts when X < 7 (5/6), REQAGENT is reached when X < 4 (1/3). X is split at
/// both points.
#[test]
fn two_thresholds_on_one_random_action_split_it_twice() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: a}
  - {id: a, type: PLAY, next: b}
  - {id: b, type: MUSIC, properties: {SecondstoPlay: 3}, next: c}
  - {id: c, type: MUSIC, properties: {SecondstoPlay: 3}, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}}
",
    );
    let mut t = traffic(&s, "inputs: {}", Dist::Fixed(30.0), Dist::Fixed(300.0), Dist::Fixed(240.0));
    t.durations.play = Dist::Uniform(2.0, 8.0);
    t.durations.ivr_patience = Some(Dist::Fixed(10.0));
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let e = exact::explore(&p, 1000).unwrap();
    assert!(e.exact && e.not_exact.is_empty(), "{:?}", e.not_exact);
    let q = |x: f64| (x - 2.0) / 6.0;
    for (key, want, fraction) in [
        ("coverage.actions.c", q(7.0), "5/6"),
        ("coverage.actions.queue", q(4.0), "1/3"),
        ("hung_up_in_ivr", 1.0 - q(4.0), "2/3"),
    ] {
        let v = value(&e, key);
        assert!((v.value - want).abs() < 1e-12, "{key}: {} vs {want}", v.value);
        assert_eq!(v.rational.as_deref(), Some(fraction), "{key}");
    }
    agrees_with_sampling(&e, &p, 100_000);
}

/// An unwired branch after an action of random length: the caller hears the MENU out (8 s),
/// `stuck`, unless the fixed IVR patience (12 s) runs out first — the MENU's end X + 8 s against
/// 12 s, X ~ uniform(0, 6 s) the PLAY before it: stuck when X < 4, 2/3. (Before, the MENU's
/// end was compared at X's representative alone: 3 + 8 < 12, every caller stuck.)
#[test]
fn an_unwired_branch_after_a_random_action_is_split_at_the_fixed_patience() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: a}
  - {id: a, type: PLAY, next: m}
  - {id: m, type: MENU, branches: {'1': queue}}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}}
",
    );
    let mut t =
        traffic(&s, "inputs: {m: {'2': 1.0}}", Dist::Fixed(30.0), Dist::Fixed(300.0), Dist::Fixed(240.0));
    (t.durations.play, t.durations.menu) = (Dist::Uniform(0.0, 6.0), Dist::Fixed(8.0));
    t.durations.ivr_patience = Some(Dist::Fixed(12.0));
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let e = exact::explore(&p, 1000).unwrap();
    assert!(e.exact && e.not_exact.is_empty(), "{:?}", e.not_exact);
    assert_eq!(value(&e, "findings.stuck").rational.as_deref(), Some("2/3"));
    assert_eq!(value(&e, "hung_up_in_ivr").rational.as_deref(), Some("1/3"));
    agrees_with_sampling(&e, &p, 100_000);
}

/// Once REQAGENT drops the IVR hang-up nothing is pending: the queue's times, the hold loop's
/// and the thread's are all relative to the end of the random PLAY, so a hold MUSIC of 29 s
/// against a fixed queue wait of 30 s is decided for every value of it (before: compared as if
/// the answer were at a fixed time, either side, hybrid). The same probabilities as a fixed
/// PLAY.
#[test]
fn times_after_reqagent_are_relative_to_the_random_action_and_exact() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: a}
  - {id: a, type: PLAY, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}, next: hold}
  - {id: hold, type: MUSIC, properties: {SecondstoPlay: 29}, next: hold}
",
    );
    let world = |play: Dist| {
        let mut t = traffic(&s, "inputs: {}", Dist::Fixed(30.0), Dist::Fixed(300.0), Dist::Fixed(240.0));
        t.durations.play = play;
        t.durations.ivr_patience = Some(Dist::Fixed(20.0));
        exact::explore(&Compiled::compile(&s, &Tenant::default(), &t), 1000).unwrap()
    };
    let e = world(Dist::Uniform(2.0, 8.0));
    assert!(e.exact && e.not_exact.is_empty(), "{:?}", e.not_exact);
    let fixed = world(Dist::Fixed(5.0));
    for v in &fixed.probabilities {
        assert_eq!(value(&e, &v.path.join(".")).rational, v.rational, "{}", v.path.join("."));
    }
}

/// Past the most split points learned ([`exact::MAX_SPLIT_POINTS`], 16): after a PLAY of
/// random length X ~ uniform(0, 100 s), eighteen fixed MUSICs of 3 s each end before or after
/// the fixed IVR patience of 60 s — 18 points of X (60 − 3k s) — hybrid, the reason named.
/// Twelve of them (12 points) are exact: REQAGENT at X + 36 s < 60 s, P = 24/100.
#[test]
fn past_the_most_split_points_an_action_of_random_length_falls_back_with_its_reason() {
    let chain = |n: usize| {
        let mut y =
            String::from("  - {id: begin, type: BEGIN, next: a}\n  - {id: a, type: PLAY, next: m1}\n");
        for k in 1..=n {
            let next = if k == n { "queue".to_string() } else { format!("m{}", k + 1) };
            y += &format!("  - {{id: m{k}, type: MUSIC, properties: {{SecondstoPlay: 3}}, next: {next}}}\n");
        }
        y += "  - {id: queue, type: REQAGENT, properties: {Skill: Sales}}\n";
        let s = script(&y);
        let mut t = traffic(&s, "inputs: {}", Dist::Fixed(30.0), Dist::Fixed(300.0), Dist::Fixed(240.0));
        t.durations.play = Dist::Uniform(0.0, 100.0);
        t.durations.ivr_patience = Some(Dist::Fixed(60.0));
        exact::explore(&Compiled::compile(&s, &Tenant::default(), &t), 100).unwrap()
    };
    assert_eq!(exact::MAX_SPLIT_POINTS, 16);
    let e = chain(12);
    assert!(e.exact && e.not_exact.is_empty(), "{:?}", e.not_exact);
    assert_eq!(value(&e, "coverage.actions.queue").rational.as_deref(), Some("6/25"));
    let e = chain(18);
    assert!(!e.exact);
    assert!(
        e.not_exact[0].contains("either side of") && e.not_exact[0].contains("up to 16 points learned"),
        "{:?}",
        e.not_exact
    );
}
