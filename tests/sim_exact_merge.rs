//! Exact analysis merges equal states across paths (`sim::exact`, docs/exact.md "Merging across
//! paths"): a run that comes to a state whose whole subtree an earlier run explored ends there,
//! and the stored subtree's result counts again. The result must be the same as without merging
//! (`exact::explore_unmerged`, loops still solved) — every probability, expectation, residual and
//! reason, byte for byte — only the runs, leaves and classes explored may drop.

mod common;

use common::sim::{exact_value as value, fixed_traffic, script};
use recflow::model::{Tenant, Traffic, parse_traffic};
use recflow::script::Script;
use recflow::sim::Compiled;
use recflow::sim::exact::{self, Exact};

fn with_inputs(s: &Script, base: Traffic, inputs: &str) -> Traffic {
    let mut t =
        parse_traffic("traffic.yaml", inputs, s).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    t.durations = base.durations;
    t
}

/// Everything of an analysis but how much exploring it took.
fn result(e: &Exact) -> String {
    format!(
        "{} {:?} {:?} {} {:?} {:?} {:?} {:?} {:?} {:?} {}",
        e.exact,
        e.probabilities,
        e.expected,
        e.samples,
        e.residual,
        e.residual_rational,
        e.not_exact,
        e.sensitivity,
        e.loops,
        e.loop_note,
        e.closed_form_f64
    )
}

/// Merged and unmerged analyses of `p` agree; returns the merged one.
fn same_both_ways(p: &Compiled, samples: u64, what: &str) -> Exact {
    let merged = exact::explore(p, samples).unwrap_or_else(|e| panic!("{what}: {e:?}"));
    let unmerged =
        exact::explore_unmerged(p, samples, exact::MAX_RUNS).unwrap_or_else(|e| panic!("{what}: {e:?}"));
    assert_eq!(result(&merged), result(&unmerged), "{what}");
    // (Where loops are cut, a sample whose references need a reward is explored again without
    // merging: more runs, the same result.)
    assert!(
        merged.runs <= unmerged.runs || merged.residual > 0.0,
        "{what}: {} runs merged, {} not",
        merged.runs,
        unmerged.runs
    );
    assert_eq!(unmerged.merged, 0, "{what}");
    merged
}

/// The chain below with a recording started before it (`recording`), its inputs as there.
fn menu_chain_with(n: usize, recording: bool) -> Compiled {
    let mut actions = String::from(if recording {
        "  - {id: begin, type: BEGIN, next: rec}
  - {id: rec, type: LOGRECORDINGPRO, properties: {Record: Start, RecordType: Call}, next: m0}
"
    } else {
        "  - {id: begin, type: BEGIN, next: m0}\n"
    });
    let mut inputs = String::from("inputs:\n");
    for m in 0..n {
        let next = if m + 1 == n { "consent".to_string() } else { format!("m{}", m + 1) };
        actions.push_str(&format!(
            "  - {{id: m{m}, type: MENU, branches: {{'1': m{m}a, '2': m{m}b, default: {next}}}}}
  - {{id: m{m}a, type: PLAY, next: {next}}}
  - {{id: m{m}b, type: PLAY, next: {next}}}
"
        ));
        inputs.push_str(&format!("  m{m}: {{'1': 0.5, '2': 0.25, none: 0.125, '9': 0.125}}\n"));
    }
    actions.push_str(
        "  - {id: consent, type: MENU, consent: {accept: ['1']}, branches: {'1': queue, '2': queue, default: queue}}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}, next: hold}
  - {id: hold, type: MUSIC, properties: {SecondstoPlay: 30}, next: hold}
",
    );
    inputs.push_str("  consent: {'1': 0.75, '2': 0.25}\n");
    let s = script(&actions);
    let traffic = with_inputs(&s, fixed_traffic(), &inputs);
    Compiled::compile(&s, &Tenant::default(), &traffic)
}

/// `n` MENUs in a row, each {1: a PLAY, 2: another PLAY, no input or another digit: straight
/// on} into the next; after the last, a consent MENU whose decline still reaches an agent the
/// default 100% policy records. Each MENU's branches differ, so two paths that took different
/// branches have different coverage — but the branches of a MENU passed can never be taken
/// again, so the states after it are the same (`engine::fingerprint`: only coverage that can
/// still change is in the state).
fn menu_chain(n: usize) -> Compiled {
    menu_chain_with(n, false)
}

/// Issue 23 point 1: a chain of 20 MENUs has 4^20 × 2 × 20 paths (the budget of 10^6 runs is
/// passed without merging), but only a few states per MENU: merged, the runs grow linearly with
/// the chain, and the closed form holds — every MENU's branch `1` with 1/2, `2` with 1/4, its
/// default (no input, another digit) with 1/4; recorded without consent 1/4 (the decline).
#[test]
fn a_chain_of_twenty_menus_is_exact_in_runs_linear_in_its_length() {
    let p = menu_chain(20);
    assert!(exact::explore_unmerged(&p, 1, exact::MAX_RUNS).is_err(), "20 MENUs fit the budget unmerged");
    let e = exact::explore(&p, 1).unwrap();
    assert!(e.exact, "{:?}", e.not_exact);
    for m in 0..20 {
        assert_eq!(value(&e, &format!("coverage.branches.m{m}/1")).rational.as_deref(), Some("1/2"));
        assert_eq!(value(&e, &format!("coverage.branches.m{m}/2")).rational.as_deref(), Some("1/4"));
        assert_eq!(value(&e, &format!("coverage.branches.m{m}/default")).rational.as_deref(), Some("1/4"));
        assert_eq!(value(&e, &format!("coverage.actions.m{m}a")).rational.as_deref(), Some("1/2"));
        assert_eq!(value(&e, &format!("coverage.actions.m{m}")).rational.as_deref(), Some("1"));
    }
    assert_eq!(value(&e, "findings.recorded_without_consent").rational.as_deref(), Some("1/4"));
    assert_eq!(value(&e, "recorded.any").rational.as_deref(), Some("1"));
    // Linear in the chain: runs and stored states for 10 and for 20 MENUs.
    let ten = exact::explore(&menu_chain(10), 1).unwrap();
    assert!(e.runs < 40 * 20 + 200, "{} runs for 20 MENUs", e.runs);
    assert_eq!(e.runs - ten.runs, 2 * (ten.runs - exact::explore(&menu_chain(5), 1).unwrap().runs), "linear");
    // And the same as without merging where that fits (5 MENUs: 4^5 × 2 × 20 runs).
    same_both_ways(&menu_chain(5), 1, "5 MENUs");
}

/// A recording open across the chain runs longer on a path whose caller gave no input (11 s
/// against 6 s): its length is a reward, not in the state, so the paths still merge and the
/// difference is added per reference. Recorded seconds, and everything else, as without merging.
#[test]
fn a_recording_open_across_merged_paths_records_the_same_seconds() {
    let p = menu_chain_with(5, true);
    let e = same_both_ways(&p, 1, "5 MENUs recorded");
    assert!(e.merged > 0 && e.exact);
    let secs: f64 = e.expected.iter().filter(|v| v.path[0] == "recorded_seconds").map(|v| v.value).sum();
    assert!(secs > 240.0, "{secs}");
}

/// Two paths that come to the same action with different pasts that matter must stay apart:
/// a variable each branch sets differently and a CASE reads later; an action one branch ran and
/// the other can still reach (`a`, run again by `m2`'s `1`: its coverage is not settled).
/// Closed forms, and the same as without merging. (A recording only one path started is in
/// the state too; one open on both, of different lengths, merges: the test above.)
#[test]
fn states_equal_but_for_a_past_that_matters_are_not_merged() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: m1}
  - {id: m1, type: MENU, branches: {'1': s1, '2': s2, default: m2}}
  - {id: s1, type: ASSIGN, properties: {Variable: x, Value: one}, next: a}
  - {id: s2, type: ASSIGN, properties: {Variable: x, Value: two}, next: m2}
  - {id: a, type: PLAY, next: m2}
  - {id: m2, type: MENU, branches: {'1': a, '2': case, default: case}}
  - {id: case, type: CASE, properties: {Variable: x}, branches: {one: h1, two: h2, default: h3}}
  - {id: h1, type: HANGUP}
  - {id: h2, type: HANGUP}
  - {id: h3, type: HANGUP}
",
    );
    let traffic = with_inputs(
        &s,
        fixed_traffic(),
        "inputs:\n  m1: {'1': 0.5, '2': 0.25, none: 0.25}\n  m2: {'1': 0.5, '2': 0.25, none: 0.25}\n",
    );
    let p = Compiled::compile(&s, &Tenant::default(), &traffic);
    let e = same_both_ways(&p, 1, "pasts that matter");
    assert!(e.exact, "{:?}", e.not_exact);
    let q = |k: &str| value(&e, k).rational.clone().unwrap_or_default();
    // x is `one` after m1's `1`, `two` after its `2`, unset after no input.
    assert_eq!(q("coverage.branches.case/one"), "1/2");
    assert_eq!(q("coverage.branches.case/two"), "1/4");
    assert_eq!(q("coverage.branches.case/default"), "1/4");
    // `a` runs after m1's `1`, and for anyone else who ever presses `1` at m2 (1/2 of them:
    // the first input that is not a `1` leaves).
    assert_eq!(q("coverage.actions.a"), "3/4");
    assert!(e.runs > 6, "{} runs", e.runs);
}

/// Every example script (`scripts/`, their Studio JSON twins, the looping examples), with fixed
/// durations, the default traffic (exponential durations: threshold splitting, or hybrid for the
/// statement scripts, where nothing is merged) and a busy one (hybrid): the same both ways.
#[test]
fn every_example_is_the_same_merged_and_not() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["scripts", "scripts/studio-json"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let f = e.unwrap().path();
            let name = f.to_string_lossy().to_string();
            if (name.ends_with(".yaml") || name.ends_with(".json")) && !name.ends_with(".test.yaml") {
                files.push(f);
            }
        }
    }
    files.sort();
    for name in ["loop-menu", "loop-menu-recording", "loop-menu-counter", "loop-consent"] {
        files.push(root.join(format!("examples/{name}.yaml")));
    }
    let loop_inputs = "inputs: {ask: {'1': 0.3, '2': 0.2, none: 0.5}}";
    let mut merged = 0;
    for f in &files {
        let s = recflow::script::load_path(f).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
        let looping = f.to_string_lossy().contains("loop-");
        for (traffic, samples) in
            [(fixed_traffic(), 1), (Traffic::default(), 3), (common::sim::busy_traffic(), 2)]
        {
            let traffic = if looping { with_inputs(&s, traffic, loop_inputs) } else { traffic };
            let p = Compiled::compile(&s, &Tenant::default(), &traffic);
            merged += same_both_ways(&p, samples, &f.display().to_string()).merged;
        }
    }
    assert!(files.len() > 15 && merged > 0, "{} files, {merged} merged runs", files.len());
}

/// Generated scripts (`tests/common/generated.rs`: consent MENUs, DONOTRECORDs, recordings and
/// statements, ASSIGN, SNIPPETs, ONANSWER chains, a hold loop), as they are and behind a MENU
/// that loops on no input, with fixed and exponential durations: the same both ways. A fixed
/// proptest seed: the same scripts every run.
#[test]
fn generated_scripts_are_the_same_merged_and_not() {
    use proptest::test_runner::{Config as Cases, TestCaseError, TestRng, TestRunner};
    let strategy = (
        proptest::collection::vec(common::generated::block(), 0..6),
        proptest::collection::vec(common::generated::block(), 0..3),
    );
    let cases = Cases { cases: 24, failure_persistence: None, ..Cases::default() };
    let mut runner = TestRunner::new_with_rng(cases.clone(), TestRng::deterministic_rng(cases.rng_algorithm));
    let merged = std::cell::Cell::new(0u64);
    let result = runner.run(&strategy, |(ivr, answer)| {
        let text = common::generated::script(&ivr, &answer);
        // The same behind a MENU that asks again on no input.
        let looped = text.replacen(
            "  - {id: begin, type: BEGIN, next: ",
            "  - {id: begin, type: BEGIN, next: ask}\n  - {id: ask, type: MENU, branches: {'1': go, '2': go, default: ask}}\n  - {id: go, type: PLAY, next: ",
            1,
        );
        let mut exponential = fixed_traffic();
        exponential.durations.queue_wait = recflow::model::Dist::Exp(30.0);
        exponential.durations.patience = recflow::model::Dist::Exp(300.0);
        exponential.durations.talk = recflow::model::Dist::Exp(240.0);
        for t in [&text, &looped] {
            let s = recflow::script::load_str("g.yaml", t).unwrap_or_else(|e| panic!("{}\n{t}", e.render_plain(100)));
            for traffic in [fixed_traffic(), exponential.clone()] {
                let traffic =
                    if t == &looped { with_inputs(&s, traffic, "inputs: {ask: {'1': 0.3, '2': 0.2, none: 0.5}}") } else { traffic };
                let p = Compiled::compile(&s, &Tenant::default(), &traffic);
                let a = exact::explore(&p, 1).map_err(|e| TestCaseError::fail(format!("{e:?}\n{t}")))?;
                let b = exact::explore_unmerged(&p, 1, exact::MAX_RUNS)
                    .map_err(|e| TestCaseError::fail(format!("{e:?}\n{t}")))?;
                if result(&a) != result(&b) {
                    return Err(TestCaseError::fail(format!("{}\n{}\n{t}", result(&a), result(&b))));
                }
                merged.set(merged.get() + a.merged);
            }
        }
        Ok(())
    });
    result.unwrap();
    assert!(merged.get() > 0, "nothing merged");
}
