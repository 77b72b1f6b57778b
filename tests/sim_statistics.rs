//! Statistical laws of the simulation (100 000 contacts; a few seconds at opt-level 1).

mod common;

use common::sim::{STATS_SCRIPT as SCRIPT, stats_world};
use recflow::model::Traffic;
use recflow::sim::{self, Compiled};

fn world(percent: f64) -> (recflow::model::Tenant, Traffic) {
    stats_world("Half", percent, Traffic::default().seed)
}

#[test]
fn r15_half_policy_plus_30_percent_studio_records_65_percent() {
    let script = recflow::script::load_str("stats.yaml", SCRIPT).unwrap();
    let (tenant, traffic) = world(50.0);
    let p = Compiled::compile(&script, &tenant, &traffic);
    let r = sim::simulate(&p, 100_000, |_| {});
    let share = r.recorded.any as f64 / r.calls as f64;
    assert!((share - 0.65).abs() < 0.01, "recorded {share}");
    assert_eq!(r.policies[0].matched, 100_000);
    assert!((r.policies[0].effective_percent - 65.0).abs() < 1.0, "{:?}", r.policies[0]);
    let studio = r.initiators.studio as f64 / 100_000.0;
    assert!((studio - 0.3).abs() < 0.01, "studio {studio}");
}

#[test]
fn percent_sampling_is_unbiased() {
    let script =
        recflow::script::load_str("stats.yaml", &SCRIPT.replace("'1': studio", "'1': queue")).unwrap();
    for percent in [3.0, 37.0, 90.0] {
        let (tenant, traffic) = world(percent);
        let p = Compiled::compile(&script, &tenant, &traffic);
        let r = sim::simulate(&p, 40_000, |_| {});
        let share = 100.0 * r.recorded.any as f64 / r.calls as f64;
        assert!((share - percent).abs() < 0.75, "{percent}%: {share}");
    }
}
