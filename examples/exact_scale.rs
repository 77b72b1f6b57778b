//! Issue 23 point 7: the time of `simulate --exact` on a generated 1 000-action script, in a
//! release build (not a test):
//!
//!     cargo run --release --example exact_scale
//!
//! The script: BEGIN, then 4 MENUs in a row (or as many as the first argument says), each with three branches (`1`, `2`, and
//! `default`: no input or another digit) into three chains of PLAY / ASSIGN / IF (an IF on a
//! value the script assigned: evaluated, no draw) that join before the next MENU; then a
//! consent MENU, DONOTRECORD or LOGRECORDINGPRO Start, REQAGENT and hold music — 1 000 actions.
//! Fixed durations, so the analysis is exact. What costs is not the number of actions but the
//! number of leaves of the choice tree (the product of the draws' outcomes along a path: 4 per
//! MENU under the default traffic — two digits, no input, an unlisted digit — times the 20
//! agents who may answer); the script is also written to `target/exact-scale.yaml` so that
//! `recflow simulate target/exact-scale.yaml --exact --traffic FIXED` repeats it.
//!
//! Prints the actions, runs, leaves, classes, the states stored and merged across paths
//! (docs/exact.md "Merging across paths") and the median wall time of 5 explorations (one
//! thread: wall ≈ CPU on an idle machine).
//!
//!     cargo run --release --example exact_scale -- 20
//!
//! the same 1 000 actions with 20 MENUs in a row (4²⁰ paths through them: only merging across
//! paths makes that fit the run budget).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use recflow::model::{Dist, Tenant, Traffic};
use recflow::sim::{Compiled, exact};

const ACTIONS: usize = 1000;

fn script(menus: usize) -> String {
    // Fixed actions: begin, consent, dnr, record, queue, hold = 6; per MENU: the MENU itself.
    let per_chain = (ACTIONS - 6 - menus) / (3 * menus);
    let extra = ACTIONS - 6 - menus - 3 * menus * per_chain;
    let mut y = String::from("script: exact-scale\nactions:\n  - {id: begin, type: BEGIN, next: m0}\n");
    for m in 0..menus {
        let after = if m + 1 == menus { "consent".to_string() } else { format!("m{}", m + 1) };
        let _ = writeln!(
            y,
            "  - {{id: m{m}, type: MENU, properties: {{Phrase: Press 1 or 2}}, branches: {{'1': m{m}b0x0, '2': m{m}b1x0, default: m{m}b2x0}}}}"
        );
        for b in 0..3 {
            // The last chain of the last MENU takes the actions left over.
            let n = per_chain + if m + 1 == menus && b == 2 { extra } else { 0 };
            for k in 0..n {
                let id = format!("m{m}b{b}x{k}");
                let next = if k + 1 == n { after.clone() } else { format!("m{m}b{b}x{}", k + 1) };
                match k % 3 {
                    0 => {
                        let _ = writeln!(
                            y,
                            "  - {{id: {id}, type: PLAY, properties: {{Phrase: Step {k}}}, next: {next}}}"
                        );
                    }
                    1 => {
                        let _ = writeln!(
                            y,
                            "  - {{id: {id}, type: ASSIGN, properties: {{Variable: v{m}, Value: '{k}'}}, next: {next}}}"
                        );
                    }
                    _ => {
                        let _ = writeln!(
                            y,
                            "  - {{id: {id}, type: IF, properties: {{Expression: 'v{m} = \"{}\"'}}, branches: {{'True': {next}, 'False': {next}}}}}",
                            k - 1
                        );
                    }
                }
            }
        }
    }
    y.push_str(
        "  - {id: consent, type: MENU, consent: {accept: ['1']}, properties: {Phrase: Press 1 to allow recording}, branches: {'1': record, '2': dnr, default: dnr}}
  - {id: dnr, type: DONOTRECORD, next: queue}
  - {id: record, type: LOGRECORDINGPRO, properties: {Record: Start, RecordType: Call}, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}, next: hold}
  - {id: hold, type: MUSIC, properties: {SecondstoPlay: 30}, next: hold}
",
    );
    y
}

fn main() {
    let menus: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(4).clamp(1, 80);
    let text = script(menus);
    let _ = std::fs::create_dir_all("target");
    let _ = std::fs::write("target/exact-scale.yaml", &text);
    let s = recflow::script::load_str("exact-scale.yaml", &text)
        .unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let mut traffic = Traffic::default();
    traffic.durations.queue_wait = Dist::Fixed(30.0);
    traffic.durations.patience = Dist::Fixed(300.0);
    traffic.durations.talk = Dist::Fixed(240.0);
    let p = Compiled::compile(&s, &Tenant::default(), &traffic);
    let mut times: Vec<Duration> = Vec::new();
    let mut last = None;
    for _ in 0..5 {
        let t = Instant::now();
        let e = exact::explore(&p, 1).expect("within the run budget");
        times.push(t.elapsed());
        last = Some(e);
    }
    times.sort();
    let e = last.unwrap();
    let any = e.probabilities.iter().find(|v| v.path == ["recorded", "any"]).unwrap();
    println!(
        "{} actions, {menus} MENUs + consent: exact = {}, {} runs, {} leaves, {} classes, {} states stored, {} runs merged; recorded.any = {}; median of 5: {:.3} s",
        s.actions.len(),
        e.exact,
        e.runs,
        e.leaves,
        e.classes,
        e.stored,
        e.merged,
        any.rational.as_deref().unwrap_or("?"),
        times[2].as_secs_f64()
    );
}
