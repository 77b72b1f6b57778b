//! Determinism laws the `diff` command relies on: output is independent of the thread count,
//! contact i is the same in any prefix of a run, and draws are keyed by purpose.

mod common;

use common::sim::{busy_traffic, load};
use recflow::model::{Dist, Tenant, Traffic};
use recflow::sim::{self, Compiled};

/// Report JSON + every contact's JSONL line, on a pool of `jobs` threads.
fn run(p: &Compiled, calls: u64, jobs: usize) -> (String, String) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().unwrap();
    let mut lines = String::new();
    let mut sink = |s: &str| {
        lines.push_str(s);
        Ok(())
    };
    let (tally, res) = pool.install(|| sim::simulate_chunks(p, calls, Some(&mut sink), |_| {}));
    res.unwrap();
    (recflow::report::simulation::report_json(&tally.report(p)), lines)
}

#[test]
fn jobs_1_and_4_are_byte_identical() {
    for script in ["scripts/max-recorded-statements.yaml", "scripts/consent-gdpr.yaml"] {
        let p = Compiled::compile(&load(script), &Tenant::default(), &busy_traffic());
        let one = run(&p, 9_000, 1);
        let four = run(&p, 9_000, 4);
        assert_eq!(one.0, four.0, "{script}: report");
        assert!(one.1 == four.1, "{script}: contacts differ between --jobs 1 and --jobs 4");
        assert_eq!(one.1.lines().count(), 9_000);
    }
}

#[test]
fn contact_i_is_the_same_in_any_prefix() {
    let p =
        Compiled::compile(&load("scripts/max-recorded-statements.yaml"), &Tenant::default(), &busy_traffic());
    let (_, short) = run(&p, 10, 2);
    let (_, long) = run(&p, 5_000, 2);
    let head: Vec<&str> = long.lines().take(10).collect();
    assert_eq!(short.lines().collect::<Vec<_>>(), head);
}

#[test]
fn an_unrelated_play_does_not_reshuffle_menu_choices() {
    let base = "script: k
actions:
  - {id: begin, type: BEGIN, next: m1}
  - {id: m1, type: MENU, branches: {'1': a, '2': a, '3': a}}
  - {id: a, type: MENU, properties: {Variable: second}, branches: {'1': q, '2': q, '3': q}}
  - {id: q, type: REQAGENT, next: hold}
  - {id: hold, type: MUSIC, next: hold}
";
    // The same script with a PLAY before the first MENU and a WAIT between the MENUs.
    let edited = base
        .replace("next: m1}", "next: hello}\n  - {id: hello, type: PLAY, next: m1}")
        .replace("'3': a}}", "'3': w}}\n  - {id: w, type: WAIT, next: a}");
    let a = recflow::script::load_str("a.yaml", base).unwrap();
    let b = recflow::script::load_str("b.yaml", &edited).unwrap();
    let mut traffic = Traffic::default();
    traffic.durations.talk = Dist::Exp(100.0);
    let pa = Compiled::compile(&a, &Tenant::default(), &traffic);
    let pb = Compiled::compile(&b, &Tenant::default(), &traffic);
    let mut differ_in_time = 0;
    for id in 0..500 {
        let (ea, eb) = (sim::explain::explain(&pa, id), sim::explain::explain(&pb, id));
        let (xa, xb, oa, ob) = (ea.steps, eb.steps, ea.outcome, eb.outcome);
        let menus = |steps: &[sim::TraceStep]| -> Vec<String> {
            // The input only: the edit renamed one branch target.
            steps
                .iter()
                .filter(|s| s.text.starts_with("MENU"))
                .map(|s| s.text.split(" → ").next().unwrap().to_string())
                .collect()
        };
        assert_eq!(menus(&xa), menus(&xb), "contact {id}: MENU choices changed");
        // Queue wait and talk are keyed too: the agent segment lasts as long in both.
        let len = |o: &sim::Outcome| {
            o.segments.iter().map(|s| s.to_ms - s.from_ms).collect::<Vec<_>>()[1..].to_vec()
        };
        assert_eq!(len(&oa), len(&ob), "contact {id}");
        differ_in_time += usize::from(oa.duration_ms != ob.duration_ms);
    }
    assert_eq!(differ_in_time, 500, "the edit really shifted every contact in time");
}
