//! Issue 23 point 6 at full size, in a release build (not a test: 10⁶ sampled contacts per
//! script take minutes in a debug test build; CI runs the same check at 20 000 contacts in
//! `tests/cli/simulate/exact.rs` and `tests/sim_exact.rs`):
//!
//!     cargo run --release --example exact_crosscheck            # 1 000 000 contacts
//!     cargo run --release --example exact_crosscheck -- 100000  # fewer
//!
//! For every example script (`scripts/*.yaml`, `scripts/studio-json/*.json`), 24 generated
//! scripts (a fixed proptest seed: `tests/common/generated.rs`) and the same 24 with a MENU that
//! loops on no input or an unlisted digit in front, under three models —
//!
//! - `fixed`: fixed queue wait, patience and talk (exact, or cut loops with a residual);
//! - `exp`: exponential queue wait (mean 30 s), patience (300 s) and talk (240 s): exact by
//!   threshold splitting (docs/exact.md; the sampled engine's ms rounding, A-29, is far below
//!   the interval's width);
//! - `busy`: two agents, and the same durations with ROD, supervisor ROD, transfers to an agent and to an external number,
//!   dispositions and a conference (their times are uniform in the talk: hybrid, up to 200
//!   samples of the durations within 500 000 runs of the engine; the 99.9% interval over the
//!   samples, `stats::mean_interval_01`, holds for any number of them)
//!
//! — it explores the exact probabilities (`sim::exact`) and simulates N contacts, and checks key
//! by key that the exact value (its interval `[lo, hi + residual]` when not exact) meets
//! the 99.9% Wilson interval of the sampled count. It prints one line per script and model and
//! a total: at the 99.9% level about 1 in 1 000 keys whose probability is strictly between 0
//! and 1 falls outside by chance.

use std::fmt::Write as _;

use recflow::model::{Tenant, Traffic};
use recflow::sim::{Compiled, exact};

#[path = "../tests/common/generated.rs"]
#[allow(dead_code)]
mod generated;

/// `wilson999` and `fixed_traffic`, shared with the tests.
#[path = "../tests/common/sim.rs"]
#[allow(dead_code)]
mod sim;

/// What `tests/common/sim.rs` resolves paths with (the example runs in the repository root).
#[allow(dead_code)]
fn repo(rel: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(rel)
}

use sim::{fixed_traffic as fixed, wilson999};

/// Two agents (the default tenant's first two: which agent answers, and who takes a transfer, are
/// uniform picks, so 20 agents multiply the leaves by up to 400) and every agent event.
fn busy() -> (Tenant, Traffic) {
    let mut tenant = Tenant::default();
    tenant.agents.truncate(2);
    let mut t = fixed();
    t.agent.rod = 0.1;
    t.agent.supervisor_rod = 0.05;
    t.agent.transfer_agent = 0.2;
    t.agent.transfer_external = 0.1;
    t.agent.disposition = 0.3;
    t.agent.conference = 0.1;
    (tenant, t)
}

/// Exponential queue wait, patience and talk, no agent events: exact by threshold splitting.
fn exponential() -> Traffic {
    let mut t = fixed();
    t.durations.queue_wait = recflow::model::Dist::Exp(30.0);
    t.durations.patience = recflow::model::Dist::Exp(300.0);
    t.durations.talk = recflow::model::Dist::Exp(240.0);
    t
}

/// The generated script with a MENU in front that repeats on no input or an unlisted digit.
fn with_loop(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("  - {id: begin, type: BEGIN, next: ") {
            let first = rest.trim_end_matches('}');
            let _ = writeln!(out, "  - {{id: begin, type: BEGIN, next: again}}");
            let _ = writeln!(
                out,
                "  - {{id: again, type: MENU, branches: {{'1': {first}, '2': {first}, default: again}}}}"
            );
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

struct Checked {
    keys: u64,
    inner: u64,
    outside: Vec<String>,
}

fn check(
    s: &recflow::script::Script,
    (tenant, traffic): &(Tenant, Traffic),
    n: u64,
    samples: u64,
) -> Result<(exact::Exact, Checked), String> {
    let p = Compiled::compile(s, tenant, traffic);
    // Hybrid: as many duration samples as 500 000 runs of the engine hold (at most `samples`).
    let e = exact::explore_within(&p, samples, 500_000)
        .map_err(|e| format!("past the run budget ({} runs)", e.runs))?;
    let sampled = serde_json::to_value(recflow::sim::simulate(&p, n, |_| {})).unwrap();
    let mut c = Checked { keys: 0, inner: 0, outside: Vec::new() };
    for v in &e.probabilities {
        let mut x = &sampled;
        for k in &v.path {
            x = match x {
                serde_json::Value::Array(rows) => {
                    rows.iter().find(|r| r["name"] == k.as_str()).unwrap_or(&serde_json::Value::Null)
                }
                _ => &x[k],
            };
        }
        let Some(k) = x.as_u64() else { return Err(format!("`{}` is not a count", v.path.join("."))) };
        let (lo, hi) = wilson999(k, n);
        let [lo_e, hi_e] = v.interval.unwrap_or([v.value, v.value]);
        let (elo, ehi) = (lo_e, hi_e + e.residual);
        c.keys += 1;
        if v.value > 0.0 && v.value < 1.0 {
            c.inner += 1;
        }
        if ehi < lo - 1e-12 || elo > hi + 1e-12 {
            c.outside.push(format!("{} exact {} vs {k}/{n} [{lo:.6}, {hi:.6}]", v.path.join("."), v.value));
        }
    }
    Ok((e, c))
}

fn main() {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let mut scripts: Vec<(String, recflow::script::Script)> = Vec::new();
    for dir in ["scripts", "scripts/studio-json"] {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p.to_string_lossy();
                (name.ends_with(".yaml") && !name.ends_with(".test.yaml")) || name.ends_with(".json")
            })
            .collect();
        files.sort();
        for f in files {
            let s = recflow::script::load_path(&f)
                .unwrap_or_else(|e| panic!("{}: {}", f.display(), e.render_plain(100)));
            scripts.push((f.display().to_string(), s));
        }
    }
    {
        use proptest::strategy::{Strategy, ValueTree};
        use proptest::test_runner::{Config, TestRng, TestRunner};
        let strategy = (
            proptest::collection::vec(generated::block(), 0..6),
            proptest::collection::vec(generated::block(), 0..3),
        );
        let config = Config::default();
        let mut runner =
            TestRunner::new_with_rng(config.clone(), TestRng::deterministic_rng(config.rng_algorithm));
        for k in 0..24 {
            let (ivr, answer) = strategy.new_tree(&mut runner).unwrap().current();
            let text = generated::script(&ivr, &answer);
            for (name, text) in [
                (format!("generated #{k}"), text.clone()),
                (format!("generated #{k} + loop"), with_loop(&text)),
            ] {
                let s = recflow::script::load_str("g.yaml", &text)
                    .unwrap_or_else(|e| panic!("{}\n{text}", e.render_plain(100)));
                scripts.push((name, s));
            }
        }
    }
    println!("exact vs {n} sampled contacts (99.9% Wilson interval), key by key");
    println!(
        "{:<44} {:<6} {:<22} {:>6} {:>6} {:>8}",
        "script", "model", "exact?", "keys", "(0,1)", "outside"
    );
    let (mut keys, mut inner, mut outside, mut unchecked) = (0u64, 0u64, 0u64, 0u64);
    for (name, s) in &scripts {
        for (model, world) in [
            ("fixed", (Tenant::default(), fixed())),
            ("exp", (Tenant::default(), exponential())),
            ("busy", busy()),
        ] {
            match check(s, &world, n, 200) {
                Ok((e, c)) => {
                    let how = if e.exact && !e.loops.is_empty() {
                        "exact, loop solved".to_string()
                    } else if e.exact {
                        "exact".to_string()
                    } else if e.probabilities.iter().any(|v| v.interval.is_some()) {
                        let loops = if e.loops.is_empty() { "" } else { ", loop" };
                        format!("hybrid ({} samples{loops})", e.samples)
                    } else {
                        format!("residual {:.1e}", e.residual)
                    };
                    println!(
                        "{name:<44} {model:<6} {how:<22} {:>6} {:>6} {:>8}",
                        c.keys,
                        c.inner,
                        c.outside.len()
                    );
                    for o in &c.outside {
                        println!("    outside: {o}");
                    }
                    keys += c.keys;
                    inner += c.inner;
                    outside += c.outside.len() as u64;
                }
                Err(why) => {
                    println!("{name:<44} {model:<6} not checked: {why}");
                    unchecked += 1;
                }
            }
        }
    }
    println!(
        "total: {keys} keys checked ({inner} with a probability strictly between 0 and 1), {outside} outside \
         (about {:.1} expected by chance at 99.9%); {unchecked} script × model pairs not checked",
        inner as f64 / 1000.0
    );
}
