//! `recflow simulate --precision P [--max-calls N]`: simulate until every share's 95% interval
//! is within ±P points — the same stop and bytes for any `--jobs` — capped by `--max-calls`;
//! bad values are usage errors. The intervals themselves are library tests
//! (`tests/sim_intervals.rs`).

use recflow::model::{Tenant, Traffic};
use recflow::sim::Compiled;

use crate::common::recflow;

/// `--precision P` stops at the first checkpoint (1000 × 2^k) where the widest 95% half-width
/// is ≤ P — the same checkpoint, report and bytes for `--jobs 1` and `--jobs 4` — and the
/// checkpoint before it had not reached P.
#[test]
fn precision_stop_is_the_same_for_jobs_1_and_4() {
    let run = |jobs: &str| {
        let o = recflow()
            .args([
                "simulate",
                "scripts/consent-gdpr.yaml",
                "--precision",
                "1.5",
                "--format",
                "json",
                "--jobs",
                jobs,
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o.stdout
    };
    let one = run("1");
    assert_eq!(one, run("4"), "--jobs changed the output");
    let v: serde_json::Value = serde_json::from_slice(&one).unwrap();
    let calls = v["calls"].as_u64().unwrap();
    assert!(
        recflow::sim::precision::checkpoints(1_000_000).any(|c| c == calls),
        "{calls} is not a checkpoint"
    );
    assert_eq!(v["precision"]["reached"], true);
    assert!(v["precision"]["widest_half_width"].as_f64().unwrap() <= 1.5);
    // The previous checkpoint was not precise enough (so the run did not stop late).
    let script = recflow::script::load_path("scripts/consent-gdpr.yaml".as_ref()).unwrap();
    let p = Compiled::compile(&script, &Tenant::default(), &Traffic::default());
    assert!(calls > 1000, "1.5 points needs more than 1000 calls here");
    let before = recflow::sim::tally(&p, 0..calls / 2, |_| {});
    assert!(before.widest_half_width() > 1.5, "{}", before.widest_half_width());
    // The widest half-width is the half-width of the widest printed interval.
    let r = recflow::sim::tally(&p, 0..calls, |_| {});
    assert!(r.widest_half_width() <= 1.5);
}

/// `--max-calls` caps a target that cannot be reached: the report says so, exit 0; bad values
/// and `--precision` with `--calls` are usage errors (exit 2).
#[test]
fn precision_is_capped_by_max_calls_and_validated() {
    let o = recflow()
        .args([
            "simulate",
            "scripts/consent-gdpr.yaml",
            "--precision",
            "0.01",
            "--max-calls",
            "3000",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["calls"].as_u64(), Some(3000));
    assert_eq!(v["precision"]["reached"], false);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--max-calls 3000"));
    for bad in [&["--precision", "0"][..], &["--precision", "nan"], &["--precision", "1", "--calls", "10"]] {
        let o = recflow().args(["simulate", "scripts/consent-gdpr.yaml"]).args(bad).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
    }
}
