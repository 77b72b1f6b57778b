//! Exact analysis (`sim::exact`, `simulate --exact`): closed-form cases, the honesty of what is
//! not exact, and the run budget. The cross-check against sampled runs of every example is in
//! `tests/cli/simulate/exact.rs` (it goes through the command line, subscripts included).

mod common;

use common::generated;

use common::sim::{exact_value as value, fixed_traffic, script};
use recflow::model::{Dist, Tenant, Traffic, parse_traffic};
use recflow::script::Script;
use recflow::sim::Compiled;
use recflow::sim::exact::{self, Exact};

fn with_inputs(s: &Script, base: Traffic, inputs: &str) -> Traffic {
    let mut t =
        parse_traffic("traffic.yaml", inputs, s).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    t.durations = base.durations;
    t
}

/// The MENU `ask` {1: 0.3, 2: 0.2, none: 0.5} that repeats on no input, after action `before`
/// (one YAML flow mapping with `id: first` and `next: ask`; empty: none).
fn looping_menu(before: &str) -> Compiled {
    let (next, before) =
        if before.is_empty() { ("ask", String::new()) } else { ("first", format!("  - {before}\n")) };
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: {next}}}
{before}  - {{id: ask, type: MENU, branches: {{'1': one, '2': two, default: ask}}}}
  - {{id: one, type: HANGUP}}
  - {{id: two, type: HANGUP}}
"
    ));
    let traffic = with_inputs(&s, fixed_traffic(), "inputs: {ask: {'1': 0.3, '2': 0.2, none: 0.5}}");
    Compiled::compile(&s, &Tenant::default(), &traffic)
}

/// The outer MENU `o` ({1 → `i`, 2 → `done`, no input → `o`}) and the inner `i` ({1 → `o`,
/// 2 → `x`, no input → `i`}), with traffic `inputs`.
fn loop_in_a_loop(inputs: &str) -> Compiled {
    let s = script(
        "  - {id: begin, type: BEGIN, next: o}
  - {id: o, type: MENU, branches: {'1': i, '2': done, default: o}}
  - {id: i, type: MENU, branches: {'1': o, '2': x, default: i}}
  - {id: done, type: HANGUP}
  - {id: x, type: HANGUP}
",
    );
    let traffic = with_inputs(&s, fixed_traffic(), inputs);
    Compiled::compile(&s, &Tenant::default(), &traffic)
}

/// A MENU that repeats on no input: {1: 0.3, 2: 0.2, none: 0.5}. Each turn of the loop is the
/// same state (the clock aside), so the loop is solved as a linear equation: the caller
/// reaches `two` first with probability exactly 0.2 / (0.3 + 0.2) = 2/5, with no residual.
#[test]
fn a_menu_looping_on_no_input_reaches_2_first_with_probability_exactly_2_in_5() {
    let p = looping_menu("");
    let e = exact::explore(&p, 1).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert_eq!(e.residual, 0.0);
    assert_eq!(e.residual_rational.as_deref(), Some("0"));
    assert_eq!(value(&e, "coverage.actions.two").rational.as_deref(), Some("2/5"));
    assert_eq!(value(&e, "coverage.actions.one").rational.as_deref(), Some("3/5"));
    assert_eq!(value(&e, "coverage.actions.ask").rational.as_deref(), Some("1"));
    assert_eq!(e.loops, vec!["ask".to_string()]);
    assert!(
        e.loop_note.as_deref().is_some_and(|n| n.contains("1 loop") && n.contains("A-28")),
        "{:?}",
        e.loop_note
    );
    // A handful of runs, not a hundred: the loop is not unrolled.
    assert!(e.runs < 10, "{} runs", e.runs);
}

/// Without merging (the exploration the solved loop replaces), the same MENU is unrolled
/// until paths fall below 2^-50: the value is within 1e-12 of 2/5, and the residual bounds it.
#[test]
fn a_loop_that_is_not_solved_is_cut_and_its_residual_bounds_the_value() {
    // `now()` in a Snippet reads the absolute clock: no two turns are the same state.
    let p = looping_menu("{id: first, type: SNIPPET, properties: {Data: 'ASSIGN t = now()'}, next: ask}");
    let e = exact::explore(&p, 1).unwrap();
    let two = value(&e, "coverage.actions.two");
    assert!(!e.exact, "a cut loop is not exact");
    assert!(e.loops.is_empty());
    assert!(e.residual > 0.0 && e.residual < 1e-12, "residual {}", e.residual);
    assert!((two.value - 0.4).abs() < 1e-12, "{}", two.value);
    assert!(two.value <= 0.4 && 0.4 <= two.value + e.residual + 1e-16);
    assert!(e.not_exact.iter().any(|w| w.contains("loops") && w.contains("menu:ask")), "{:?}", e.not_exact);
    assert!(e.not_exact.iter().any(|w| w.contains("now()")), "{:?}", e.not_exact);
}

/// Two MENUs that send a silent caller to each other: A {1: 0.25, none: 0.75 → B},
/// B {1: 0.4, none: 0.6 → A}. By hand: P(A's `1` first) = 0.25 / (1 − 0.75 × 0.6) = 5/11,
/// P(B's `1` first) = 0.75 × 0.4 / 0.55 = 6/11.
#[test]
fn two_menus_looping_into_each_other_are_solved_as_one_system() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: a}
  - {id: a, type: MENU, branches: {'1': a1, default: b}}
  - {id: b, type: MENU, branches: {'1': b1, default: a}}
  - {id: a1, type: HANGUP}
  - {id: b1, type: HANGUP}
",
    );
    let traffic =
        with_inputs(&s, fixed_traffic(), "inputs: {a: {'1': 0.25, none: 0.75}, b: {'1': 0.4, none: 0.6}}");
    let p = Compiled::compile(&s, &Tenant::default(), &traffic);
    let e = exact::explore(&p, 1).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert_eq!(value(&e, "coverage.actions.a1").rational.as_deref(), Some("5/11"));
    assert_eq!(value(&e, "coverage.actions.b1").rational.as_deref(), Some("6/11"));
    assert_eq!(value(&e, "coverage.actions.b").rational.as_deref(), Some("3/4"));
    assert!(!e.loops.is_empty());
}

/// A loop inside a loop: outer O {1: 0.2 → inner, 2: 0.3 → done, none: 0.5 → O}, inner
/// I {1: 0.5 → back to O, 2: 0.25 → x, none: 0.25 → I}. By hand: from O the caller reaches I
/// before `done` with 0.2 / 0.5 = 2/5; from I, `x` with 1/3, O again with 2/3; so
/// P(x) = a with a = 2/5 × (1/3 + 2/3 × a), a = 2/11, and P(done) = 9/11.
#[test]
fn a_loop_inside_a_loop_is_solved_against_the_hand_computed_closed_form() {
    let p =
        loop_in_a_loop("inputs: {o: {'1': 0.2, '2': 0.3, none: 0.5}, i: {'1': 0.5, '2': 0.25, none: 0.25}}");
    let e = exact::explore(&p, 1).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert_eq!(value(&e, "coverage.actions.x").rational.as_deref(), Some("2/11"));
    assert_eq!(value(&e, "coverage.actions.done").rational.as_deref(), Some("9/11"));
    assert_eq!(value(&e, "coverage.actions.i").rational.as_deref(), Some("2/5"));
    assert_eq!(e.residual, 0.0);
}

/// The looping MENU with a recording started before it (examples/loop-menu-recording.yaml):
/// each turn records 11 s more (no input: the 6 s prompt and the 5 s timeout), which the state
/// leaves out — recorded time is a reward added up per turn — so the loop is solved. By hand:
/// P(`two`) = 0.2 / 0.5 = 2/5; the turns that go round again number 0.5 / (1 − 0.5) = 1 on
/// average, and the answered turn records 6 s: 11 × 1 + 6 = 17 s of IVR recording per contact.
#[test]
fn a_loop_whose_recorded_time_grows_is_solved_with_the_time_as_a_reward() {
    let p = looping_menu(
        "{id: first, type: LOGRECORDINGPRO, properties: {Record: Start, RecordType: Call}, next: ask}",
    );
    let e = exact::explore(&p, 1).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert_eq!(e.residual, 0.0);
    assert_eq!(e.loops, vec!["ask".to_string()]);
    assert_eq!(value(&e, "coverage.actions.two").rational.as_deref(), Some("2/5"));
    assert_eq!(value(&e, "coverage.actions.one").rational.as_deref(), Some("3/5"));
    assert_eq!(value(&e, "recorded.ivr").rational.as_deref(), Some("1"));
    let (no_input_turn, answered_turn, again) = (11.0, 6.0, 0.5);
    let turns_again = again / (1.0 - again);
    let want = no_input_turn * turns_again + answered_turn;
    let find = |path: &str| {
        e.expected
            .iter()
            .find(|v| v.path.join(".") == path)
            .unwrap_or_else(|| panic!("no expected `{path}` in {:?}", e.expected))
    };
    let ivr = find("recorded_seconds.ivr");
    assert!((ivr.value - want).abs() < 1e-9, "{} s, want {want} s", ivr.value);
    assert_eq!(ivr.rational.as_deref(), Some("17"));
    assert_eq!(find("recorded_seconds.full").value, 0.0);
}

/// The MENU prompt (`durations.menu`) and the no-input `Timeout` of the loop tests below, in
/// seconds: a turn answered lasts `PROMPT`, one with no input `PROMPT + TIMEOUT`.
const PROMPT: f64 = 6.0;
const TIMEOUT: f64 = 4.0;

/// `actions` (YAML, `Timeout: {TIMEOUT}` in every MENU's properties: `{timeout}`) with fixed
/// durations, `durations.menu` = [`PROMPT`], and traffic `inputs`.
fn timed(actions: &str, inputs: &str) -> Compiled {
    let s = script(&actions.replace("{timeout}", &format!("Timeout: {TIMEOUT}")));
    let mut base = fixed_traffic();
    base.durations.menu = Dist::Fixed(PROMPT);
    let traffic = with_inputs(&s, base, inputs);
    Compiled::compile(&s, &Tenant::default(), &traffic)
}

/// The expected value at `path` (`recorded_seconds.ivr`).
fn expected<'e>(e: &'e Exact, path: &str) -> &'e exact::Value {
    e.expected
        .iter()
        .find(|v| v.path.join(".") == path)
        .unwrap_or_else(|| panic!("no expected `{path}` in {:?}", e.expected))
}

/// `p`'s exact analysis, where the loops are solved: exact, residual 0, no reason given — and
/// every probability inside the interval `[p, p + residual]` of the cut run (no state merged,
/// the loops unrolled to 2^-50, as before they were solved), which is not exact.
fn solved_where_it_was_cut(p: &Compiled) -> Exact {
    let e = exact::explore(p, 1).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert!(e.not_exact.is_empty(), "{:?}", e.not_exact);
    assert_eq!(e.residual, 0.0);
    assert!(!e.loops.is_empty());
    let cut = exact::explore_cut(p, 1, exact::MAX_RUNS).unwrap();
    assert!(!cut.exact && cut.residual > 0.0 && cut.loops.is_empty(), "{:?}", cut.not_exact);
    assert_eq!(e.probabilities.len(), cut.probabilities.len());
    for (v, c) in e.probabilities.iter().zip(&cut.probabilities) {
        assert_eq!(v.path, c.path);
        assert!(
            c.value - 1e-15 <= v.value && v.value <= c.value + cut.residual + 1e-15,
            "`{}`: solved {} outside the cut run's [{}, {} + {}]",
            v.path.join("."),
            v.value,
            c.value,
            c.value,
            cut.residual
        );
    }
    // Cut paths record nothing: the cut run's expectations are lower bounds.
    for (v, c) in e.expected.iter().zip(&cut.expected) {
        assert!(c.value <= v.value + 1e-9, "`{}`: {} < cut {}", v.path.join("."), v.value, c.value);
    }
    e
}

/// `n` sampled contacts of `p`: the 99.9% (normal) intervals of the mean recorded seconds per
/// contact and of the mean statement seconds, from each contact's own record (`--calls-out`).
fn sampled_seconds(p: &Compiled, n: u64) -> [(f64, f64); 2] {
    let lines = common::sim::batch_lines(p, n);
    assert_eq!(lines.len() as u64, n);
    let seconds = |c: &serde_json::Value, key: &str| -> f64 {
        c[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["to_ms"].as_u64().unwrap() - r["from_ms"].as_u64().unwrap()) as f64 / 1000.0)
            .sum()
    };
    let contacts: Vec<serde_json::Value> = lines.iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    ["recordings", "statements"].map(|key| {
        let xs: Vec<f64> = contacts.iter().map(|c| seconds(c, key)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let h = 3.290_526_731_491_926 * (var / n as f64).sqrt();
        (mean - h, mean + h)
    })
}

/// A recorded statement opened (and its id saved) before the looping MENU stays open on every
/// turn: its length, like an open recording's, is a reward and not part of the state, so the
/// loop is solved (before: the statement's start was in the state, and the loop was cut at
/// 2^-50). By hand: the caller goes round again q / (1 − q) times on average, each turn with no
/// input lasting PROMPT + TIMEOUT, and the answered turn PROMPT: the statement records
/// (PROMPT + TIMEOUT) · q / (1 − q) + PROMPT seconds per contact (examples/loop-menu-statement.yaml
/// with the default timings: 17 s).
#[test]
fn a_loop_with_a_statement_open_is_solved_with_its_length_as_a_reward() {
    let (one, two, q) = (0.3, 0.2, 0.5);
    let p = timed(
        "  - {id: begin, type: BEGIN, next: st}
  - {id: st, type: LOGRECORDINGPRO, properties: {Record: Start, RecordType: Call, UseRecordingStatementId: True}, next: save}
  - {id: save, type: ASSIGN, properties: {Variable: 'Global:stmt', Value: '{RecordingStatementId}'}, next: ask}
  - {id: ask, type: MENU, properties: {{timeout}}, branches: {'1': one, '2': two, default: ask}}
  - {id: one, type: HANGUP}
  - {id: two, type: HANGUP}
",
        &format!("inputs: {{ask: {{'1': {one}, '2': {two}, none: {q}}}}}"),
    );
    let e = solved_where_it_was_cut(&p);
    assert_eq!(e.loops, vec!["ask".to_string()]);
    let two_first = two / (one + two);
    assert!((value(&e, "coverage.actions.two").value - two_first).abs() < 1e-12);
    let want = (PROMPT + TIMEOUT) * q / (1.0 - q) + PROMPT;
    let got = expected(&e, "recorded_seconds.statements").value;
    assert!((got - want).abs() < 1e-9, "{got} s of statement, want {want} s");
    for (key, want) in [("statements.captured", 1.0), ("statements.saved", 1.0), ("statements.lost", 0.0)] {
        assert!((expected(&e, key).value - want).abs() < 1e-12, "{key}");
    }
    assert_eq!(expected(&e, "recorded_seconds.ivr").value, 0.0);
    let [_, (lo, hi)] = sampled_seconds(&p, 20_000);
    assert!(lo <= got && got <= hi, "exact {got} s outside the sampled [{lo}, {hi}]");
}

/// The outer MENU `o` ({1 → the inner `i`, 2 → `done`, no input → `o`}) and the inner `i` ({1 →
/// `o`, 2 → `x`, no input → `i`}), after a recording Start and a statement Start (its id saved):
/// both stay open across both loops, with inputs `(a1, a2, a0)` at `o` and `(b1, b2, b0)` at `i`.
fn nested_loops_recording(a: (f64, f64, f64), b: (f64, f64, f64)) -> Compiled {
    timed(
        "  - {id: begin, type: BEGIN, next: rec}
  - {id: rec, type: LOGRECORDINGPRO, properties: {Record: Start, RecordType: Call}, next: st}
  - {id: st, type: LOGRECORDINGPRO, properties: {Record: Start, RecordType: Call, UseRecordingStatementId: True}, next: save}
  - {id: save, type: ASSIGN, properties: {Variable: 'Global:stmt', Value: '{RecordingStatementId}'}, next: o}
  - {id: o, type: MENU, properties: {{timeout}}, branches: {'1': i, '2': done, default: o}}
  - {id: i, type: MENU, properties: {{timeout}}, branches: {'1': o, '2': x, default: i}}
  - {id: done, type: HANGUP}
  - {id: x, type: HANGUP}
",
        &format!(
            "inputs: {{o: {{'1': {}, '2': {}, none: {}}}, i: {{'1': {}, '2': {}, none: {}}}}}",
            a.0, a.1, a.2, b.0, b.1, b.2
        ),
    )
}

/// Recorded time across nested loops: each turn's ms is a reward on its back edge, taken (its
/// probability from the nearest loop state above it) × (that state's expected visits) times
/// on average — the inner loop state is visited several times per turn of the outer one, and
/// its visits count each (before: cut at 2^-50, "recorded time grows on the turns of a loop
/// nested in or chained to another"). By hand, with x_o and x_i the expected visits of the two
/// MENUs: x_i = a1 · x_o / (1 − b0), x_o = 1 + a0 · x_o + b1 · x_i, so x_o = 1 / (1 − a0 − a1 ·
/// b1 / (1 − b0)); each visit lasts PROMPT, plus TIMEOUT when there is no input, and the
/// recording and the statement record all of it: x_o · (PROMPT + a0 · TIMEOUT) + x_i ·
/// (PROMPT + b0 · TIMEOUT) seconds per contact; P(x) = b2 · x_i, P(done) = a2 · x_o.
#[test]
fn recorded_time_across_nested_loops_is_solved_through_the_loop_states_visits() {
    for (a, b, compare_cut) in [
        // Unlikely turns: the cut run's tree stays small.
        ((0.1, 0.85, 0.05), (0.1, 0.8, 0.1), true),
        ((0.2, 0.3, 0.5), (0.5, 0.25, 0.25), false),
    ] {
        let p = nested_loops_recording(a, b);
        let e = if compare_cut {
            solved_where_it_was_cut(&p)
        } else {
            let e = exact::explore(&p, 1).unwrap();
            assert!(e.exact && e.residual == 0.0, "{:?}", e.not_exact);
            e
        };
        let x_o = 1.0 / (1.0 - a.2 - a.0 * b.0 / (1.0 - b.2));
        let x_i = a.0 * x_o / (1.0 - b.2);
        assert!((value(&e, "coverage.actions.x").value - b.1 * x_i).abs() < 1e-12);
        assert!((value(&e, "coverage.actions.done").value - a.1 * x_o).abs() < 1e-12);
        let want = x_o * (PROMPT + a.2 * TIMEOUT) + x_i * (PROMPT + b.2 * TIMEOUT);
        for key in ["recorded_seconds.ivr", "recorded_seconds.statements"] {
            let got = expected(&e, key).value;
            assert!((got - want).abs() < 1e-9, "{a:?} {b:?}: {key} {got} s, want {want} s");
        }
        let [(lo, hi), (slo, shi)] = sampled_seconds(&p, 20_000);
        assert!(lo <= want && want <= hi, "{a:?} {b:?}: exact {want} s outside the sampled [{lo}, {hi}]");
        assert!(slo <= want && want <= shi, "{a:?} {b:?}: exact {want} s outside the sampled [{slo}, {shi}]");
    }
}

/// Chained loops: two MENUs that send a silent caller to each other, A {1: a1 → hang up, no
/// input: 1 − a1 → B}, B {1: b1 → hang up, no input: 1 − b1 → A}, with a statement open across
/// both. By hand: x_A = 1 / (1 − (1 − a1)(1 − b1)), x_B = (1 − a1) · x_A, and the statement
/// records x_A · (PROMPT + (1 − a1) · TIMEOUT) + x_B · (PROMPT + (1 − b1) · TIMEOUT) seconds.
#[test]
fn a_statement_open_across_chained_loops_is_solved() {
    let (a1, b1) = (0.25, 0.4);
    let p = timed(
        "  - {id: begin, type: BEGIN, next: st}
  - {id: st, type: LOGRECORDINGPRO, properties: {Record: Start, RecordType: Call, UseRecordingStatementId: True}, next: save}
  - {id: save, type: ASSIGN, properties: {Variable: 'Global:stmt', Value: '{RecordingStatementId}'}, next: a}
  - {id: a, type: MENU, properties: {{timeout}}, branches: {'1': a1, default: b}}
  - {id: b, type: MENU, properties: {{timeout}}, branches: {'1': b1, default: a}}
  - {id: a1, type: HANGUP}
  - {id: b1, type: HANGUP}
",
        &format!("inputs: {{a: {{'1': {a1}, none: {}}}, b: {{'1': {b1}, none: {}}}}}", 1.0 - a1, 1.0 - b1),
    );
    let e = solved_where_it_was_cut(&p);
    let x_a = 1.0 / (1.0 - (1.0 - a1) * (1.0 - b1));
    let x_b = (1.0 - a1) * x_a;
    assert!((value(&e, "coverage.actions.a1").value - a1 * x_a).abs() < 1e-12);
    let want = x_a * (PROMPT + (1.0 - a1) * TIMEOUT) + x_b * (PROMPT + (1.0 - b1) * TIMEOUT);
    let got = expected(&e, "recorded_seconds.statements").value;
    assert!((got - want).abs() < 1e-9, "{got} s, want {want} s");
    let [_, (lo, hi)] = sampled_seconds(&p, 20_000);
    assert!(lo <= got && got <= hi, "exact {got} s outside the sampled [{lo}, {hi}]");
}

/// The same loop with a Snippet that counts the turns: the variable differs on each turn, so
/// no turn repeats a state. The loop is cut at 2^-50 as before, and the report names the
/// action and the part of the state that grows (the variables, not the recorded time).
#[test]
fn a_loop_with_a_turn_counter_is_cut_and_says_why() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: rec}
  - {id: rec, type: LOGRECORDINGPRO, properties: {Record: Start, RecordType: Call}, next: ask}
  - {id: ask, type: MENU, branches: {'1': one, '2': two, default: count}}
  - {id: count, type: SNIPPET, properties: {Data: 'ASSIGN n = n + 1'}, next: ask}
  - {id: one, type: HANGUP}
  - {id: two, type: HANGUP}
",
    );
    let traffic = with_inputs(&s, fixed_traffic(), "inputs: {ask: {'1': 0.3, '2': 0.2, none: 0.5}}");
    let p = Compiled::compile(&s, &Tenant::default(), &traffic);
    let e = exact::explore(&p, 1).unwrap();
    assert!(!e.exact);
    assert!(e.loops.is_empty());
    assert!(e.residual > 0.0 && e.residual < 1e-12, "residual {}", e.residual);
    assert!((value(&e, "coverage.actions.two").value - 0.4).abs() < 1e-12);
    assert!(
        e.not_exact.iter().any(|w| w.contains("loop at action `") && w.contains("the script's variables")),
        "{:?}",
        e.not_exact
    );
    assert!(!e.not_exact.iter().any(|w| w.contains("recorded time")), "{:?}", e.not_exact);
}

/// The consent question is answered with no input 5% of the time; no input goes on to the
/// agent, whom the 100% policy records: recorded without consent = 1/20 exactly, with fixed
/// durations.
#[test]
fn no_input_at_consent_with_fixed_durations_is_recorded_without_consent_exactly_1_in_20() {
    let s = common::sim::load("scripts/mistake-consent-leak.yaml");
    let traffic = with_inputs(&s, fixed_traffic(), "inputs: {consent: {'1': 0.5, '2': 0.45, none: 0.05}}");
    let p = Compiled::compile(&s, &Tenant::default(), &traffic);
    let e = exact::explore(&p, 1).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert!(e.not_exact.is_empty());
    let v = value(&e, "findings.recorded_without_consent");
    assert_eq!(v.rational.as_deref(), Some("1/20"));
    assert!((v.value - 0.05).abs() < 1e-15);
    assert_eq!(value(&e, "consent.answers.no_input").rational.as_deref(), Some("1/20"));
    // Shares that add up to one contact add up exactly.
    let any = value(&e, "recorded.any").rational.clone().unwrap();
    let none = value(&e, "recorded.none").rational.clone().unwrap();
    let sum = parse(&any) + parse(&none);
    assert_eq!(sum, num_rational::BigRational::from_integer(1.into()), "{any} + {none}");
    assert!(e.samples == 1 && e.residual == 0.0);
}

fn parse(s: &str) -> num_rational::BigRational {
    match s.split_once('/') {
        Some((n, d)) => num_rational::BigRational::new(n.parse().unwrap(), d.parse().unwrap()),
        None => num_rational::BigRational::from_integer(s.parse().unwrap()),
    }
}

/// A uniform queue wait (0–60 s) against exponential patience (mean 300 s), the issue's
/// script with its hold loop: the race splits into pieces in closed form
/// (`tests/sim_exact_thresholds.rs`), so the analysis is exact, P(answered) = E[e^(−W/300)] =
/// 5 (1 − e^(−0.2)), and recorded without consent = 0.05 × that, to 1e-12.
#[test]
fn a_uniform_queue_wait_is_exact_and_matches_the_closed_form() {
    let s = common::sim::load("scripts/mistake-consent-leak.yaml");
    let mut base = fixed_traffic();
    base.durations.queue_wait = Dist::Uniform(0.0, 60.0);
    base.durations.patience = Dist::Exp(300.0);
    let traffic = with_inputs(&s, base, "inputs: {consent: {'1': 0.5, '2': 0.45, none: 0.05}}");
    let p = Compiled::compile(&s, &Tenant::default(), &traffic);
    let e = exact::explore(&p, 4000).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert!(e.not_exact.is_empty());
    assert_eq!(e.samples, 1);
    assert!(e.closed_form_f64);
    let answered = 5.0 * (1.0 - (-0.2f64).exp());
    let v = value(&e, "findings.recorded_without_consent");
    assert!(v.rational.is_none() && v.interval.is_none(), "{v:?}");
    assert!((v.value - 0.05 * answered).abs() < 1e-12, "{} vs {}", v.value, 0.05 * answered);
    assert!((value(&e, "abandoned").value - (1.0 - answered)).abs() < 1e-12);
}

/// Issue 23: a hybrid run over few samples. Queue wait uniform(0, 2 s) against patience
/// exp(1000 s), and ROD inside a random talk (hybrid: no closed form for a time inside the
/// talk, so every duration is sampled): P(abandoned) =
/// 1 − 500 (1 − e^(−0.002)) ≈ 0.1%, which none of 8 duration samples shows (mean 0). Its 99.9%
/// interval is still not a point: the upper end is above 0 and above the true 1/1001 (the normal
/// interval gave [0, 0]). Every interval stays in [0, 1] around its value, and a second run gives
/// the same bits.
#[test]
fn an_outcome_no_sample_showed_keeps_an_upper_bound() {
    let s = common::sim::load("scripts/consent-gdpr.yaml");
    let mut traffic = fixed_traffic();
    traffic.durations.queue_wait = Dist::Uniform(0.0, 2.0);
    traffic.durations.patience = Dist::Exp(1000.0);
    traffic.durations.talk = Dist::Exp(240.0);
    traffic.agent.rod = 0.05;
    let p = Compiled::compile(&s, &Tenant::default(), &traffic);
    let e = exact::explore(&p, 8).unwrap();
    assert!(!e.exact);
    assert_eq!(e.samples, 8);
    let a = value(&e, "abandoned");
    assert_eq!(a.value, 0.0, "no sample abandons (seed 1)");
    let [lo, hi] = a.interval.unwrap();
    assert_eq!(lo, 0.0);
    // The KL bound at mean 0 over 8 samples: 1 - 0.00025^(1/8) ≈ 0.645, above the true 0.1%.
    assert!(hi > 0.6 && hi < 0.7, "[{lo}, {hi}]");
    // A sampled run of 200 000 contacts: its share lies under the bound too.
    let sampled = recflow::sim::simulate(&p, 200_000, |_| {}).abandoned as f64 / 200_000.0;
    assert!(sampled > 0.0 && sampled <= hi, "sampled {sampled} vs [{lo}, {hi}]");
    for v in &e.probabilities {
        let [lo, hi] = v.interval.unwrap();
        assert!(0.0 <= lo && lo <= v.value && v.value <= hi && hi <= 1.0, "{:?}", v);
    }
    let again = exact::explore(&p, 8).unwrap();
    assert_eq!(e.probabilities, again.probabilities);
}

/// More leaves than the budget: an error naming the runs, never a hang.
#[test]
fn a_tree_past_the_run_budget_is_an_error() {
    let s = common::sim::load("scripts/consent-gdpr.yaml");
    let p = Compiled::compile(&s, &Tenant::default(), &fixed_traffic());
    // 4 inputs × one class of 20 alike agents = 4 leaves.
    assert_eq!(exact::explore_within(&p, 1, 1000).unwrap().leaves, 4);
    let err = exact::explore_within(&p, 1, 3).unwrap_err();
    assert_eq!(err.runs, 3);
}

/// Hybrid: samples of the random durations stop where the budget would be passed, and the
/// report says how many were taken of how many asked.
#[test]
fn hybrid_samples_stop_at_the_budget_and_say_so() {
    let s = common::sim::load("scripts/consent-gdpr.yaml");
    // ROD inside the default random talk: hybrid (no closed form used).
    let mut traffic = Traffic::default();
    traffic.agent.rod = 0.05;
    let p = Compiled::compile(&s, &Tenant::default(), &traffic);
    let e = exact::explore_within(&p, 1000, 4000).unwrap();
    assert!(e.samples < 1000 && e.samples > 10, "{}", e.samples);
    assert!(e.runs <= 4000);
    let last = e.not_exact.last().unwrap();
    assert!(last.contains(&format!("{} samples of the 1000 asked", e.samples)), "{last}");
}

/// `--sensitivity`: with inputs {1: 0.465, 2: 0.465, none: 0.05, unlisted 0: 0.02} on the leaky
/// consent question, P(recorded without consent) = p_none + p_0. One more unit of no input,
/// the other inputs scaled down in proportion, adds 1 − p_0 / (1 − p_none) = 93/95; one more
/// unit of "1" takes 0.07 / (1 − 0.465) = 14/107 away.
#[test]
fn sensitivity_of_recorded_without_consent_is_exact() {
    let s = common::sim::load("scripts/mistake-consent-leak.yaml");
    let p = Compiled::compile(&s, &Tenant::default(), &fixed_traffic());
    let e = exact::explore_with(&p, 1, exact::MAX_RUNS, true).unwrap();
    let d = |outcome: &str| {
        e.sensitivity
            .iter()
            .find(|x| {
                x.finding == "recorded_without_consent" && x.draw == "menu:consent" && x.outcome == outcome
            })
            .unwrap_or_else(|| panic!("no sensitivity to `{outcome}`: {:?}", e.sensitivity))
            .rational
            .clone()
    };
    assert_eq!(d("none"), "93/95");
    assert_eq!(d("1"), "-14/107");
    assert_eq!(d("0"), "93/98");
    // Only violation findings, and only when asked.
    assert!(e.sensitivity.iter().all(|x| x.finding == "recorded_without_consent"));
    assert!(exact::explore(&p, 1).unwrap().sensitivity.is_empty());
}

/// Generated scripts (consent MENUs, DONOTRECORDs, Studio and statement Starts/Stops, ASSIGN,
/// SNIPPETs, forward wiring; ONANSWER chains; a hold loop), fixed durations and exponential
/// queue wait, patience and talk (threshold splitting), under the default traffic:
/// every exact probability lies inside the 99.9% Wilson interval of 20 000 sampled
/// contacts of the same model, key by key. A fixed proptest seed: the same 24 scripts every run.
#[test]
fn generated_scripts_exact_probabilities_lie_in_the_sampled_intervals() {
    use proptest::test_runner::{Config as Cases, TestCaseError, TestRng, TestRunner};
    const N: u64 = 20_000;
    let strategy = (
        proptest::collection::vec(generated::block(), 0..6),
        proptest::collection::vec(generated::block(), 0..3),
    );
    let cases = Cases { cases: 24, failure_persistence: None, ..Cases::default() };
    let mut runner = TestRunner::new_with_rng(cases.clone(), TestRng::deterministic_rng(cases.rng_algorithm));
    let checked = std::cell::Cell::new(0u64);
    let result = runner.run(&strategy, |(ivr, answer)| {
        let text = generated::script(&ivr, &answer);
        let s = recflow::script::load_str("g.yaml", &text)
            .unwrap_or_else(|e| panic!("{}\n{text}", e.render_plain(100)));
        // (`--traffic explore` makes every agent event happen at a uniform time: hybrid.)
        // Fixed durations, and exponential queue wait, patience and talk: no duration sampled,
        // by threshold splitting (the sampled engine rounds durations to the ms, A-29: far
        // inside the interval). With random durations the hold loop is a loop; one whose state
        // grows (a statement open across it) is cut at 2^-50: then [p, p + residual] must meet
        // the interval.
        let mut exponential = fixed_traffic();
        exponential.durations.queue_wait = Dist::Exp(30.0);
        exponential.durations.patience = Dist::Exp(300.0);
        exponential.durations.talk = Dist::Exp(240.0);
        for (traffic, cut) in [(fixed_traffic(), 0.0), (exponential, 1e-9)] {
            let p = Compiled::compile(&s, &Tenant::default(), &traffic);
            let e = exact::explore(&p, 1).unwrap();
            let sampled_durations = e.probabilities.iter().any(|v| v.interval.is_some());
            if !(e.exact || !sampled_durations && e.residual < cut) {
                return Err(TestCaseError::fail(format!("not exact: {:?}\n{text}", e.not_exact)));
            }
            let sampled = serde_json::to_value(recflow::sim::simulate(&p, N, |_| {})).unwrap();
            for v in &e.probabilities {
                let mut x = &sampled;
                for k in &v.path {
                    x = match x {
                        serde_json::Value::Array(rows) => {
                            rows.iter().find(|r| r["name"] == k.as_str()).unwrap()
                        }
                        _ => &x[k],
                    };
                }
                let k = x.as_u64().unwrap_or_else(|| panic!("`{}` is not a count\n{text}", v.path.join(".")));
                let (lo, hi) = common::sim::wilson999(k, N);
                if !(lo - 1e-12 <= v.value + e.residual && v.value <= hi + 1e-12) {
                    return Err(TestCaseError::fail(format!(
                        "`{}`: exact {} outside [{lo}, {hi}] of {k}/{N}\n{text}",
                        v.path.join("."),
                        v.value
                    )));
                }
                checked.set(checked.get() + 1);
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(checked.get() > 1000, "{} probabilities checked", checked.get());
}

/// `--sensitivity` through a solved loop, against the closed form: a consent MENU asked again
/// on no input, {1: a = 0.3, 2: b = 0.2, none: 0.5}, whose decline (2) still reaches the
/// agent the 100% policy records. P(recorded without consent) = b / (a + b) = 2/5. One more
/// unit of `2`, the others scaled by (1 − b − ε) / (1 − b): d = a / ((1 − b)(a + b)²) = 3/2;
/// of `1`: −b / ((1 − a)(a + b)²) = −8/7; of no input: a and b scale alike, so 0 (no entry).
#[test]
fn sensitivity_through_a_solved_loop_is_the_closed_form() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: consent}
  - {id: consent, type: MENU, consent: {accept: ['1']}, properties: {Phrase: Press 1 to allow recording}, branches: {'1': queue, '2': queue, default: consent}}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}, next: hold}
  - {id: hold, type: MUSIC, properties: {SecondstoPlay: 30}, next: hold}
",
    );
    let traffic = with_inputs(&s, fixed_traffic(), "inputs: {consent: {'1': 0.3, '2': 0.2, none: 0.5}}");
    let p = Compiled::compile(&s, &Tenant::default(), &traffic);
    let e = exact::explore_with(&p, 1, exact::MAX_RUNS, true).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    assert_eq!(e.loops, vec!["consent".to_string()]);
    assert_eq!(value(&e, "findings.recorded_without_consent").rational.as_deref(), Some("2/5"));
    let d = |outcome: &str| {
        e.sensitivity
            .iter()
            .find(|x| {
                x.finding == "recorded_without_consent" && x.draw == "menu:consent" && x.outcome == outcome
            })
            .map(|x| x.rational.clone())
    };
    assert_eq!(d("2").as_deref(), Some("3/2"), "{:?}", e.sensitivity);
    assert_eq!(d("1").as_deref(), Some("-8/7"), "{:?}", e.sensitivity);
    assert_eq!(d("none"), None, "{:?}", e.sensitivity);
}

/// `--sensitivity` through solved loops, against finite differences: generated scripts (the
/// fixed proptest seed) behind a MENU `again` that repeats on no input or an unlisted digit and
/// hangs up on `2`. Every MENU's inputs are given; for each MENU and outcome, the central
/// difference (P(θ + ε) − P(θ − ε)) / 2ε of each violation's exact probability — the outcome's
/// weight moved by ±ε, the others scaled in proportion — matches the derivative reported
/// (0 when none is).
#[test]
fn sensitivity_through_solved_loops_matches_finite_differences() {
    use proptest::test_runner::{Config as Cases, TestRng, TestRunner};
    const EPS: f64 = 1e-5;
    let strategy = (
        proptest::collection::vec(generated::block(), 0..6),
        proptest::collection::vec(generated::block(), 0..3),
    );
    let cases = Cases { cases: 24, failure_persistence: None, ..Cases::default() };
    let mut runner = TestRunner::new_with_rng(cases.clone(), TestRng::deterministic_rng(cases.rng_algorithm));
    let (checked, nonzero) = (std::cell::Cell::new(0u64), std::cell::Cell::new(0u64));
    let outcomes = ["1", "2", "none", "0"];
    let result = runner.run(&strategy, |(ivr, answer)| {
        let text = generated::script(&ivr, &answer);
        let mut looped = String::new();
        for line in text.lines() {
            match line.strip_prefix("  - {id: begin, type: BEGIN, next: ") {
                Some(rest) => {
                    let first = rest.trim_end_matches('}');
                    looped.push_str("  - {id: begin, type: BEGIN, next: again}\n");
                    looped.push_str(&format!(
                        "  - {{id: again, type: MENU, branches: {{'1': {first}, '2': bye, default: again}}}}\n  - {{id: bye, type: HANGUP}}\n"
                    ));
                }
                None => {
                    looped.push_str(line);
                    looped.push('\n');
                }
            }
        }
        let s = recflow::script::load_str("g.yaml", &looped)
            .unwrap_or_else(|e| panic!("{}\n{looped}", e.render_plain(100)));
        let menus: Vec<String> = s.actions.iter().filter(|a| a.type_name == "MENU").map(|a| a.id.clone()).collect();
        let base = |id: &str| if id == "again" { [0.3, 0.2, 0.4, 0.1] } else { [0.4, 0.3, 0.2, 0.1] };
        // The traffic with MENU `moved`'s outcome `o` moved by `eps` (the others in proportion).
        let compile = |moved: Option<(&str, usize, f64)>| {
            let mut y = String::from("inputs:\n");
            for m in &menus {
                let mut w = base(m);
                if let Some((id, o, eps)) = moved
                    && id == m
                {
                    let scale = (1.0 - w[o] - eps) / (1.0 - w[o]);
                    w = w.map(|x| x * scale);
                    w[o] = base(m)[o] + eps;
                }
                y.push_str(&format!(
                    "  {m}: {{'1': {:e}, '2': {:e}, none: {:e}, '0': {:e}}}\n",
                    w[0], w[1], w[2], w[3]
                ));
            }
            Compiled::compile(&s, &Tenant::default(), &with_inputs(&s, fixed_traffic(), &y))
        };
        let e = exact::explore_with(&compile(None), 1, exact::MAX_RUNS, true).unwrap();
        assert!(e.exact && e.loops.contains(&"again".to_string()), "{:?}\n{looped}", e.not_exact);
        let violations: Vec<&exact::Value> = e
            .probabilities
            .iter()
            .filter(|v| v.path[0] == "findings" && e.sensitivity.iter().any(|x| x.finding == v.path[1]))
            .collect();
        for m in &menus {
            for (o, name) in outcomes.iter().enumerate() {
                let at = |eps: f64| exact::explore(&compile(Some((m, o, eps))), 1).unwrap();
                let (up, down) = (at(EPS), at(-EPS));
                for v in &violations {
                    let p = |x: &Exact| x.probabilities.iter().find(|w| w.path == v.path).map_or(0.0, |w| w.value);
                    let fd = (p(&up) - p(&down)) / (2.0 * EPS);
                    let reported = e
                        .sensitivity
                        .iter()
                        .find(|x| x.finding == v.path[1] && x.draw == format!("menu:{m}") && x.outcome == *name)
                        .map_or(0.0, |x| x.derivative);
                    assert!(
                        (fd - reported).abs() < 1e-6,
                        "{}: d/d menu:{m} = {name}: finite difference {fd}, reported {reported}\n{looped}",
                        v.path.join(".")
                    );
                    checked.set(checked.get() + 1);
                    nonzero.set(nonzero.get() + u64::from(reported != 0.0));
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(
        checked.get() >= 60 && nonzero.get() >= 30,
        "{} checked, {} nonzero",
        checked.get(),
        nonzero.get()
    );
}

/// A talk of many orders (five agent behaviours, supervisor ROD and a two-press sequence: 8
/// items, 8!/2! = 20 160 orders, past the six behaviours' 720) is split exactly — every
/// probability inside the 99.9% interval of a sampled run — and where enumerating them all
/// passes the run budget, the analysis falls back to 720 orders (hybrid) with that reason
/// instead of stopping without an answer.
#[test]
fn a_talk_of_many_orders_is_split_exactly_and_falls_back_past_the_run_budget() {
    let s = common::sim::load("scripts/max-recorded-statements.yaml");
    let mut traffic = common::sim::busy_traffic();
    traffic.durations = fixed_traffic().durations;
    traffic.agent.supervisor_rod = 0.1;
    let p = Compiled::compile(&s, &Tenant::default(), &traffic);
    assert_eq!(recflow::sim::engine::most_orders(&p), (8, 20_160.0));
    let e = exact::explore(&p, 1).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    common::sim::agrees_with_sampling(&e, &p, 20_000);
    // Within a budget smaller than the exact tree: 720 orders, hybrid, and why.
    let small = e.runs / 2;
    let h = exact::explore_within(&p, 20, small).unwrap();
    assert!(!h.exact && h.samples >= 1 && h.runs <= small, "{} samples, {} runs", h.samples, h.runs);
    assert!(
        h.not_exact[0].contains(
            "in 20160 orders, more than the 720 threshold splitting enumerates once enumerating all of them \
             has passed the run or work budget"
        ),
        "{:?}",
        h.not_exact
    );
}

/// More work than the work budget (steps of the engine, and each run's path and fraction):
/// the same error path as the run budget, naming the budget, its value and what was spent —
/// never a hang, and never a clock (the same input stops at the same run on any machine).
#[test]
fn an_exploration_past_the_work_budget_is_an_error() {
    let s = common::sim::load("scripts/consent-gdpr.yaml");
    let p = Compiled::compile(&s, &Tenant::default(), &fixed_traffic());
    let within = |work| exact::explore_budget(&p, 1, exact::Budget { runs: exact::MAX_RUNS, work }, false);
    assert_eq!(within(exact::MAX_WORK).unwrap().leaves, 4);
    let err = within(100).unwrap_err();
    assert_eq!(err.limit, exact::Limit::Work(100));
    assert!(err.work >= 100 && err.runs < 4, "{err:?}");
    let message = err.message(Some("consent-gdpr"));
    assert!(
        message.starts_with("exact analysis needs more than 100 steps of the engine on consent-gdpr (the work budget, docs/limits.md)"),
        "{message}"
    );
    assert!(
        message.contains(&format!("stopped after {} runs and {} steps", err.runs, err.work)),
        "{message}"
    );
    // Deterministic: the same budget stops at the same run.
    assert_eq!(within(100).unwrap_err(), err);
    // The run budget's message is unchanged.
    let runs = exact::explore_within(&p, 1, 3).unwrap_err();
    assert_eq!(runs.limit, exact::Limit::Runs(3));
    assert_eq!(runs.message(None), "stopped after 3 runs of the engine (the limit is 3, docs/limits.md)");
}

/// A bounded random time against a short hold loop: each turn splits it, so the runs and
/// their paths grow with the wait's bound over the turn. The work budget stops it where the
/// run budget would not (its runs are far below `MAX_RUNS`).
#[test]
fn a_bounded_wait_against_a_short_hold_loop_passes_the_work_budget_before_the_runs() {
    // Its hold MUSIC plays 1 s a turn (SecondstoPlay); the queue wait is uniform over 10 minutes.
    let yaml = std::fs::read_to_string(common::repo("scripts/mistake-consent-leak.yaml"))
        .unwrap()
        .replace("{SecondstoPlay: 30}", "{SecondstoPlay: 1}");
    let path = std::env::temp_dir().join(format!("recflow-hold1-{}.yaml", std::process::id()));
    std::fs::write(&path, yaml).unwrap();
    let s = recflow::script::load_path(&path).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let _ = std::fs::remove_file(&path);
    let mut traffic = Traffic::default();
    traffic.durations.queue_wait = Dist::Uniform(0.0, 600.0);
    let p = Compiled::compile(&s, &Tenant::default(), &traffic);
    let full = exact::explore(&p, 1).unwrap();
    assert!(full.runs > 1000, "a 1 s hold loop splits a 600 s wait once per turn: {} runs", full.runs);
    let err = exact::explore_budget(&p, 1, exact::Budget { runs: exact::MAX_RUNS, work: 200_000 }, false)
        .unwrap_err();
    assert_eq!(err.limit, exact::Limit::Work(200_000));
    assert!(err.runs < full.runs);
}
