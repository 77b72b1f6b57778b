//! Measure loading + rendering a file with many load errors.
//!
//!     cargo run --release --example many_errors [ACTIONS] [PADDING_MB]
//!
//! The file starts with PADDING_MB of comment lines (errors far into a big file cost the most
//! to render), then ACTIONS PLAY actions whose branches all dangle.
use std::time::Instant;
fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let pad: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(0);
    let mut s = "# padding comment line, forty bytes long\n".repeat(pad * 1024 * 1024 / 41);
    s.push_str("script: t\nactions:\n  - {id: b, type: BEGIN, next: p0}\n");
    for i in 0..n {
        s.push_str(&format!("  - {{id: p{i}, type: PLAY, next: nowhere{i}}}\n"));
    }
    let t = Instant::now();
    let e = recflow::script::load_str("many.yaml", &s).unwrap_err();
    let load = t.elapsed();
    let t = Instant::now();
    let out = e.render_plain(100);
    println!(
        "{} bytes, {} errors: load {:?}, render {:?} ({} bytes)",
        s.len(),
        e.errors.len(),
        load,
        t.elapsed(),
        out.len()
    );
}
