//! Helpers of the simulator tests: scripts from YAML actions, the traffic files the rule and
//! invariant tests share, and the small "stats" world whose shares are known exactly.

use recflow::model::{Dist, Match, Policy, PressSequence, Tenant, Traffic, Weighted};
use recflow::script::Script;
use recflow::sim::{self, Compiled};

/// A script from YAML actions (the `script:` header is added).
pub fn script(actions: &str) -> Script {
    let text = format!("script: t\nactions:\n{actions}");
    recflow::script::load_str("t.yaml", &text).unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

/// A script file, by path relative to the repository root; load errors panic with their text.
pub fn load(path: &str) -> Script {
    recflow::script::load_path(&super::repo(path)).unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

/// Fixed durations: queue 30 s, patience 300 s, talk 240 s (MENU 6 s and PLAY 3 s as default).
pub fn fixed_traffic() -> Traffic {
    let mut t = Traffic::default();
    t.durations.queue_wait = Dist::Fixed(30.0);
    t.durations.patience = Dist::Fixed(300.0);
    t.durations.talk = Dist::Fixed(240.0);
    t
}

/// A traffic that takes every event path: ROD, transfers, dispositions, conference, presses of
/// the statement buttons the examples use.
pub fn busy_traffic() -> Traffic {
    let mut t = Traffic::default();
    t.agent.rod = 0.1;
    t.agent.transfer_agent = 0.2;
    t.agent.transfer_external = 0.1;
    t.agent.disposition = 0.3;
    t.agent.conference = 0.1;
    t.agent.presses = vec![PressSequence {
        p: 0.5,
        buttons: vec!["Start Recorded Statement".into(), "Stop Recorded Statement".into()],
    }];
    t
}

/// The script of [`stats_world`]: 30% of callers press 1 and Studio records them; everyone
/// then queues for an agent.
pub const STATS_SCRIPT: &str = "script: stats
actions:
  - {id: begin, type: BEGIN, next: ask}
  - {id: ask, type: MENU, branches: {'1': studio, '2': queue}}
  - {id: studio, type: LOGRECORDINGPRO, properties: {Record: Start}, next: queue}
  - {id: queue, type: REQAGENT, next: hold}
  - {id: hold, type: MUSIC, next: hold}
";

/// A world where the shares are known exactly: 30% of callers press 1 (a Studio recording),
/// and a policy named `policy` samples `percent` of agent segments; every caller is answered.
pub fn stats_world(policy: &str, percent: f64, seed: u64) -> (Tenant, Traffic) {
    let tenant = Tenant {
        recording_policies: vec![Policy {
            name: policy.into(),
            priority: Some(1),
            percent,
            matches: Match::default(),
            continue_after_external_transfer: false,
            continue_after_disposition: false,
        }],
        ..Tenant::default()
    };
    let mut traffic = Traffic { seed, ..Traffic::default() };
    traffic.durations.queue_wait = Dist::Fixed(10.0);
    traffic.durations.patience = Dist::Fixed(100_000.0);
    traffic.durations.talk = Dist::Fixed(120.0);
    traffic.inputs =
        vec![("ask".into(), Weighted { items: vec![(Some("1".into()), 0.3), (Some("2".into()), 0.7)] })];
    (tenant, traffic)
}

/// The `--calls-out` lines of contacts `0..calls` (one batch, 2 threads).
pub fn batch_lines(p: &Compiled, calls: u64) -> Vec<String> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let mut text = String::new();
    let mut sink = |s: &str| {
        text.push_str(s);
        Ok(())
    };
    pool.install(|| sim::simulate_chunks(p, calls, Some(&mut sink), |_| {})).1.unwrap();
    text.lines().map(str::to_string).collect()
}

/// A traffic file (temporary) whose `consent` MENU is answered only `1` or `2`: never no input
/// or an unlisted digit, so its `default` branch is not exercised (coverage and diff tests).
pub fn consent_digits_only_traffic() -> tempfile::NamedTempFile {
    let f = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    std::fs::write(f.path(), "inputs:\n  consent: {\"1\": 0.6, \"2\": 0.4}\n").unwrap();
    f
}

/// Wilson interval of `k` in `n` at the two-sided 99.9% level (exact analysis is checked against
/// sampled runs with it: `tests/sim_exact.rs`, `tests/cli/simulate/exact.rs`).
pub fn wilson999(k: u64, n: u64) -> (f64, f64) {
    let z = 3.290_526_731_491_926_f64;
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let d = 1.0 + z * z / n;
    let c = (p + z * z / (2.0 * n)) / d;
    let h = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / d;
    (c - h, c + h)
}

/// The probability at `path` (`findings.recorded_without_consent`) of an exact analysis.
pub fn exact_value<'e>(e: &'e sim::exact::Exact, path: &str) -> &'e sim::exact::Value {
    let want: Vec<&str> = path.split('.').collect();
    e.probabilities
        .iter()
        .find(|v| v.path.iter().map(String::as_str).eq(want.iter().copied()))
        .unwrap_or_else(|| panic!("no probability `{path}`"))
}

/// Every probability of `e` inside the 99.9% Wilson interval of `n` sampled contacts of the
/// same program (the sampled engine rounds durations to the ms, A-29: far inside).
pub fn agrees_with_sampling(e: &sim::exact::Exact, p: &Compiled, n: u64) {
    let sampled = serde_json::to_value(recflow::sim::simulate(p, n, |_| {})).unwrap();
    let mut checked = 0;
    for v in &e.probabilities {
        let mut x = &sampled;
        for k in &v.path {
            x = match x {
                serde_json::Value::Array(rows) => rows.iter().find(|r| r["name"] == k.as_str()).unwrap(),
                _ => &x[k],
            };
        }
        let k = x.as_u64().unwrap_or_else(|| panic!("`{}` is not a count", v.path.join(".")));
        let (lo, hi) = wilson999(k, n);
        assert!(
            lo - 1e-12 <= v.value && v.value <= hi + 1e-12,
            "`{}`: exact {} outside [{lo}, {hi}] of {k}/{n}",
            v.path.join("."),
            v.value
        );
        checked += 1;
    }
    assert!(checked > 20, "{checked} probabilities checked");
}
