//! Measure loading of large generated scripts (not a test: run it in release).
//!
//!     cargo run --release --example load_large [MB]
//!
//! Prints, for each shape of a file of about MB megabytes (default 50), the time `load_str`
//! takes, its outcome, and the process's peak resident memory so far.

use std::time::Instant;

fn peak_rss_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_owned())
        })
        .map_or("?".into(), |kb| format!("{} MB", kb.parse::<u64>().map_or(0, |k| k / 1024)))
}

fn chain(bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 200);
    s.push_str("script: large\nactions:\n  - {id: begin, type: BEGIN, next: 0}\n");
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(&format!(
            "  - id: {i}\n    type: PLAY\n    properties: {{Phrase: \"Message number {i}\"}}\n    next: {}\n",
            i + 1
        ));
        i += 1;
    }
    s.push_str(&format!("  - {{id: {i}, type: HANGUP}}\n"));
    s
}

fn one_scalar(bytes: usize) -> String {
    format!(
        "script: t\nactions:\n  - {{id: b, type: BEGIN, next: p}}\n  - id: p\n    type: PLAY\n    properties:\n      Phrase: {}\n",
        "x".repeat(bytes)
    )
}

fn comments(bytes: usize) -> String {
    let mut s = "# a comment line that says nothing at all, repeated\n".repeat(bytes / 52);
    s.push_str("script: t\nactions:\n  - {id: b, type: BEGIN}\n");
    s
}

fn main() {
    let mb: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    let bytes = mb * 1024 * 1024;
    for (shape, text) in [
        ("action chain", chain(bytes)),
        ("one long scalar", one_scalar(bytes)),
        ("comments", comments(bytes)),
    ] {
        let t = Instant::now();
        let r = recflow::script::load_str("large.yaml", &text);
        let took = t.elapsed();
        let outcome = match r {
            Ok(s) => format!("loaded, {} actions", s.actions.len()),
            Err(e) => format!("refused: {}", e.errors[0].message),
        };
        println!(
            "{shape:16} {:6.1} MB  {:8.2?}  peak RSS {:>8}  {outcome}",
            text.len() as f64 / 1048576.0,
            took,
            peak_rss_mb()
        );
    }
}
