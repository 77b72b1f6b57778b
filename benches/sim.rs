//! Simulation throughput: contacts per second on every scripts/ example (one core, the engine
//! loop alone), and a 1 000 000-contact run of scripts/max-recorded-statements.yaml (all cores,
//! aggregation included).
//!
//! Run: `cargo bench --bench sim` (release profile). `cargo bench --bench sim -- quick` runs
//! 100 000 contacts per script instead of 300 000.

use std::time::Instant;

use recflow::model::{PressSequence, Tenant, Traffic};
use recflow::sim::{self, Compiled};

fn traffic() -> Traffic {
    let mut t = Traffic::default();
    t.agent.rod = 0.05;
    t.agent.transfer_agent = 0.1;
    t.agent.disposition = 0.2;
    t.agent.presses = vec![PressSequence {
        p: 0.5,
        buttons: vec!["Start Recorded Statement".into(), "Stop Recorded Statement".into()],
    }];
    t
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let per_script: u64 = if quick { 100_000 } else { 300_000 };
    let mut files: Vec<_> = std::fs::read_dir("scripts")
        .expect("run from the crate root")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        // Scenario test files (`*.test.yaml`) sit beside the scripts; they are not scripts.
        .filter(|p| !recflow::scenario::is_test_file(p))
        .collect();
    files.sort();
    println!("{:<40} {:>14}", "script (1 core, engine only)", "contacts/s");
    for path in &files {
        let script = recflow::script::load_path(path).expect("example loads");
        let p = Compiled::compile(&script, &Tenant::default(), &traffic());
        let one_core = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
        let start = Instant::now();
        let tally = one_core.install(|| sim::tally(&p, 0..per_script, |_| {}));
        let rate = per_script as f64 / start.elapsed().as_secs_f64();
        println!("{:<40} {:>14.0}", path.file_name().unwrap().to_string_lossy(), rate);
        std::hint::black_box(&tally);
    }

    let script = recflow::script::load_path("scripts/max-recorded-statements.yaml".as_ref()).expect("loads");
    let p = Compiled::compile(&script, &Tenant::default(), &traffic());
    let threads = rayon::current_num_threads();
    let start = Instant::now();
    let report = sim::simulate(&p, 1_000_000, |_| {});
    let secs = start.elapsed().as_secs_f64();
    println!(
        "max-recorded-statements.yaml: 1 000 000 contacts in {secs:.2} s on {threads} threads = {:.0} contacts/s \
         ({} statements captured)",
        1e6 / secs,
        report.statements.captured
    );
}
