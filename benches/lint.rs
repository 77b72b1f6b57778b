//! Lint benchmark: a generated script of ~10 000 actions (1 000 independent 4-way diamonds with
//! retry loops, buttons and event handlers — 4^1000 paths), linted with every rule.
//!
//! Run: `cargo bench --bench lint` (release profile). Prints the action count, the number of
//! `(action, state)` pairs the analysis explored, and the median lint time of several runs.

#[path = "../tests/support/lint_gen.rs"]
mod lint_gen;

use std::time::{Duration, Instant};

fn main() {
    let blocks: usize = std::env::args().filter_map(|a| a.parse().ok()).next().unwrap_or(998);
    let text = lint_gen::script(blocks);
    let t0 = Instant::now();
    let script = recflow::script::load_str("generated.yaml", &text).expect("generated script loads");
    let load = t0.elapsed();
    let t1 = Instant::now();
    let prepared = recflow::lint::Prepared::new(&script, None);
    let analysis = t1.elapsed();
    let mut times: Vec<Duration> = Vec::new();
    let mut findings = 0;
    for _ in 0..7 {
        let t = Instant::now();
        let found = recflow::lint::lint(&script, &recflow::lint::Config::default());
        times.push(t.elapsed());
        findings = found.len();
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "lint bench: {} actions, {} (action, state) pairs, {findings} findings; load {:.1} ms; analysis alone {:.1} ms; lint median {:.1} ms (min {:.1}, max {:.1})",
        script.actions.len(),
        prepared.reach.len(),
        load.as_secs_f64() * 1e3,
        analysis.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
    );
    assert!(median < Duration::from_millis(200), "lint took {median:?} (budget 200 ms)");
}
