//! 95% intervals (Wilson score) of the simulation's shares: they cover the true share of a
//! model whose answer is known about 95% of the time; `diff` compares paired runs.

mod common;

use common::sim::{STATS_SCRIPT as SCRIPT, stats_world};
use recflow::model::{Tenant, Traffic};
use recflow::sim::{self, Compiled};

fn world(percent: f64, seed: u64) -> (Tenant, Traffic) {
    stats_world("Sample", percent, seed)
}

fn inside(x: f64, ci: [f64; 2]) -> bool {
    ci[0] <= x && x <= ci[1]
}

/// 400 independent runs (seeds) of 150 calls: the Studio share (true 30%), the policy's
/// effective percent (true 30% + 70% × 40% = 58%) and the IVR share (true 0%: the edge where a
/// Wald interval has zero width) are each inside their 95% interval in 92–98% of the runs
/// (binomial(400, 0.95) lies in that band with probability > 99.5%; the seeds are fixed, so the
/// test is deterministic).
#[test]
fn ci95_covers_the_true_share_about_95_percent_of_the_time() {
    let script = recflow::script::load_str("stats.yaml", SCRIPT).unwrap();
    let runs = 400;
    let (mut studio, mut effective, mut ivr) = (0, 0, 0);
    for seed in 0..runs {
        let (tenant, traffic) = world(40.0, 1000 + seed);
        let p = Compiled::compile(&script, &tenant, &traffic);
        let r = sim::simulate(&p, 150, |_| {});
        studio += u32::from(inside(30.0, r.ci95.initiators.studio));
        effective += u32::from(inside(58.0, r.policies[0].ci95));
        ivr += u32::from(inside(0.0, r.ci95.recorded.ivr));
    }
    let share = |k: u32| f64::from(k) / runs as f64;
    for (name, k) in [("studio", studio), ("effective", effective)] {
        let c = share(k);
        assert!((0.92..=0.98).contains(&c), "{name}: the 95% interval covered the truth in {c} of runs");
    }
    // At a true 0% the observed count is always 0 and Wilson's interval starts at 0.
    assert_eq!(ivr, runs as u32);
}

/// The human report prints `49.7% [46.6, 52.8]`-style intervals beside every share, and the
/// JSON carries `ci95` beside each policy's effective percent and a mirrored `ci95` object.
#[test]
fn reports_print_intervals_beside_shares() {
    let script = recflow::script::load_str("stats.yaml", SCRIPT).unwrap();
    let (tenant, traffic) = world(40.0, 1);
    let p = Compiled::compile(&script, &tenant, &traffic);
    let r = sim::simulate(&p, 1000, |_| {});
    let human = recflow::report::simulation::report_human(&r, "stats.yaml", "");
    let studio = human.lines().find(|l| l.contains("Studio actions")).unwrap();
    let expect = format!(
        "{:.1}% [{:.1}, {:.1}]",
        100.0 * r.initiators.studio as f64 / 1000.0,
        r.ci95.initiators.studio[0],
        r.ci95.initiators.studio[1]
    );
    assert!(studio.contains(&expect), "{studio:?} lacks {expect:?}");
    let policy = human.lines().find(|l| l.contains("Sample")).unwrap();
    assert!(policy.contains(&recflow::stats::fmt_ci(r.policies[0].ci95)), "{policy}");
    let json: serde_json::Value =
        serde_json::from_str(&recflow::report::simulation::report_json(&r)).unwrap();
    let ci = &json["policies"][0]["ci95"];
    assert!(ci[0].as_f64().unwrap() < json["policies"][0]["effective_percent"].as_f64().unwrap());
    assert!(json["ci95"]["findings"]["stuck"].is_array());
    assert_eq!(json["recorded"]["any"].as_u64(), Some(r.recorded.any), "FORMATS §5 names stay");
}

/// `diff` compares *paired* runs (the same contacts): a policy moved from 40% to 42% over 300
/// calls moves a few contacts, all one way — the paired interval excludes 0, so it is not
/// noise (the old Wilson-overlap comparison called it noise); removing the Studio recording
/// (30% → 0%) is not noise either. Moving both ways evenly is (`stats` unit tests).
#[test]
fn diff_uses_paired_intervals() {
    let old = recflow::script::load_str("stats.yaml", SCRIPT).unwrap();
    let new = recflow::script::load_str("stats.yaml", &SCRIPT.replace("'1': studio", "'1': queue")).unwrap();
    let (t40, traffic) = world(40.0, 1);
    let (t42, _) = world(42.0, 1);
    let run = |a, ta, b, tb| {
        let d = recflow::diff::diff(
            a,
            &Compiled::compile(a, ta, &traffic),
            b,
            &Compiled::compile(b, tb, &traffic),
            300,
        );
        recflow::diff::render::human(&d, "old.yaml", "new.yaml", "")
    };
    let row = |text: &str, label: &str| {
        text.lines().find(|l| l.trim_start().starts_with(label)).unwrap_or_default().to_string()
    };
    let small = run(&old, &t40, &old, &t42);
    let policy = row(&small, "initiators.policy");
    assert!(policy.contains(" pp, p ") && !policy.ends_with("within noise"), "{small}");
    assert!(small.contains("Newcombe 1998, method 10"), "{small}");
    let big = run(&old, &t40, &new, &t40);
    let studio = row(&big, "initiators.studio");
    assert!(studio.contains("-") && !studio.ends_with("within noise"), "{big}");
}
