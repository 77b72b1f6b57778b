//! Measure the two scale fixes of issue 10 in a release build (not a test):
//!
//!     cargo run --release --example scale_bench
//!
//! 1. load + compile of a traffic file with 40 000 ANI numbers (issue 10.4; was > 60 s);
//! 2. lint render time of a generated 20 000-action script with 4 500 warnings, in the human,
//!    JSON and SARIF formats (issue 10.6; human was 67.7 s, SARIF did not finish in 120 s).
//!
//! Prints the median of 5 runs of each. Times depend on the machine and its load.

use std::time::{Duration, Instant};

#[path = "../tests/lint_render_scale.rs"]
#[allow(dead_code)]
mod scale;

fn median(mut f: impl FnMut()) -> Duration {
    let mut t: Vec<Duration> = (0..5)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    t[2]
}

fn main() {
    let script = recflow::script::load_str(
        "s.yaml",
        "script: s\nactions:\n  - {id: begin, type: BEGIN, next: e}\n  - {id: e, type: HANGUP}\n",
    )
    .unwrap();
    let mut traffic = String::from("ani:\n");
    for i in 0..40_000 {
        traffic.push_str(&format!("  \"+1555{i:07}\": 1\n"));
    }
    let load = median(|| {
        let t = recflow::model::parse_traffic("t.yaml", &traffic, &script).unwrap();
        let _ = recflow::sim::Compiled::compile(&script, &recflow::model::Tenant::default(), &t);
    });
    println!("40 000 ANI numbers: parse + compile {:.1} ms (median of 5)", load.as_secs_f64() * 1e3);

    let big = recflow::script::load_str("big.yaml", &scale::generated(4_500, 20_000)).unwrap();
    let found = recflow::lint::lint(&big, &recflow::lint::Config::default());
    let results = [(&big, found.as_slice())];
    let lint_ms = median(|| {
        let _ = recflow::lint::lint(&big, &recflow::lint::Config::default());
    });
    println!("20 000 actions, {} findings: lint {:.1} ms", found.len(), lint_ms.as_secs_f64() * 1e3);
    for (name, d) in [
        ("human", median(|| drop(recflow::lint::render::human(&big, &found, 100, false)))),
        ("json", median(|| drop(recflow::lint::render::json(&results)))),
        ("sarif", median(|| drop(recflow::lint::render::sarif(&results)))),
    ] {
        println!("  render {name}: {:.1} ms", d.as_secs_f64() * 1e3);
    }
}
