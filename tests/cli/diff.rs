//! `recflow diff`: outcome classes compared contact by contact (FORMATS §7).
//!
//! Fixtures in `tests/fixtures/diff/`: `consent.yaml` (decline → DONOTRECORD → agent),
//! `consent-no-dnr.yaml` (the DONOTRECORD removed from the decline branch, and an unrelated
//! greeting PLAY added), `consent-greeting.yaml` (only the greeting added).

mod exact;
mod exercised;
mod subscripts;

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;
use recflow::diff::{self, OutcomeClass};
use recflow::model::{Tenant, Traffic};
use recflow::sim::{Compiled, driver};

use crate::common::recflow;

const OLD: &str = "tests/fixtures/diff/consent.yaml";
const NO_DNR: &str = "tests/fixtures/diff/consent-no-dnr.yaml";
const GREETING: &str = "tests/fixtures/diff/consent-greeting.yaml";

fn load(path: &str) -> recflow::script::Script {
    recflow::script::load_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("fixture loads")
}

fn traffic(calls: u64) -> Traffic {
    Traffic { calls, ..Traffic::default() }
}

/// Diff two fixture scripts under the embedded tenant and `calls` calls.
fn run_diff(old: &str, new: &str, calls: u64) -> diff::DiffReport {
    let (a, b) = (load(old), load(new));
    let (tenant, traffic) = (Tenant::default(), traffic(calls));
    let (pa, pb) = (Compiled::compile(&a, &tenant, &traffic), Compiled::compile(&b, &tenant, &traffic));
    diff::diff(&a, &pa, &b, &pb, calls)
}

#[test]
fn removing_dnr_changes_exactly_the_declining_contacts() {
    let calls = 2000;
    let d = run_diff(OLD, NO_DNR, calls);
    // The contacts that declined in the old run, counted independently of the diff runner.
    let script = load(OLD);
    let program = Compiled::compile(&script, &Tenant::default(), &traffic(calls));
    let mut declined = Vec::new();
    for id in 0..calls {
        let out = driver::one(&program, id);
        if out.dnr_at_ms.is_some() {
            declined.push(id);
        }
    }
    assert!(declined.len() > 500, "the fixture has decliners: {}", declined.len());
    assert_eq!(d.changed, declined.len() as u64, "changed = contacts that declined in the old run");
    assert_eq!(d.changed, d.old.dnr);
    assert_eq!(d.transitions.iter().map(|t| t.calls).sum::<u64>(), d.changed);
    for t in &d.transitions {
        assert_eq!(t.from, "dnr", "only declining contacts move: {t:?}");
        assert!(
            t.examples.iter().all(|e| declined.binary_search(e).is_ok()),
            "examples are decliners: {t:?}"
        );
        // The removed DONOTRECORD shows where the paths part.
        assert!(
            t.diverge
                .iter()
                .any(|dv| dv.after.as_deref() == Some("consent") && dv.old == ["dnr"] && dv.new.is_empty())
        );
    }
    let names: Vec<&str> = d.transitions.iter().map(|t| t.to.as_str()).collect();
    // Answered decliners are now recorded by the policy; those who abandoned in the queue (or
    // talked less than the short-call limit, R12) are simply not recorded. The recorded ones
    // declined consent: the new class names the violation (issue 19).
    assert_eq!(names, ["policy:Default/full@agent, !recorded_without_consent", "none"]);
    assert_eq!(d.new.initiators.policy, d.transitions[0].calls);
}

#[test]
fn a_change_that_only_shifts_times_is_no_change() {
    let d = run_diff(OLD, GREETING, 1000);
    assert_eq!(d.changed, 0);
    assert!(d.transitions.is_empty());
    // ... although the structural diff sees the new action and the rewired BEGIN.
    let ids: Vec<&str> = d.script_changes.iter().map(|c| c.action.as_str()).collect();
    assert_eq!(ids, ["begin", "welcome"]);
}

#[test]
fn self_diff_of_every_example_script_is_zero() {
    let mut n = 0;
    for path in crate::common::yaml_examples() {
        let rel = format!("scripts/{}", path.file_name().unwrap().to_string_lossy());
        let d = run_diff(&rel, &rel, 500);
        assert_eq!(d.changed, 0, "{rel}");
        assert!(d.script_changes.is_empty(), "{rel}");
        assert_eq!(d.old, d.new, "{rel}");
        n += 1;
    }
    assert!(n >= 5, "example scripts found: {n}");
}

#[test]
fn output_is_the_same_for_any_number_of_threads() {
    // More calls than one work chunk, so several chunks are merged.
    let calls = recflow::sim::aggregate::CHUNK * 2 + 123;
    let render = |jobs: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().expect("pool");
        pool.install(|| diff::render::json(&run_diff(OLD, NO_DNR, calls)))
    };
    let one = render(1);
    assert_eq!(one, render(3));
    let d: serde_json::Value = serde_json::from_str(&one).expect("json");
    assert_eq!(d["new"]["calls"], calls);
}

#[test]
fn outcome_class_of_a_simulated_contact_ignores_times() {
    let (a, b) = (load(OLD), load(GREETING));
    let (tenant, traffic) = (Tenant::default(), traffic(50));
    let (pa, pb) = (Compiled::compile(&a, &tenant, &traffic), Compiled::compile(&b, &tenant, &traffic));
    let mut shifted = 0;
    for id in 0..50 {
        let (oa, ob) = (driver::one(&pa, id), driver::one(&pb, id));
        assert_eq!(OutcomeClass::of(&oa), OutcomeClass::of(&ob), "contact {id}");
        shifted += usize::from(oa.recordings.iter().zip(&ob.recordings).any(|(x, y)| x.from_ms != y.from_ms));
    }
    assert!(shifted > 0, "the greeting shifts recording times");
}

#[test]
fn human_and_json_output() {
    snap!({
        assert_cmd_snapshot!("diff__human", recflow().args(["diff", OLD, NO_DNR, "--calls", "300"]));
        assert_cmd_snapshot!(
            "diff__json",
            recflow().args(["diff", OLD, NO_DNR, "--calls", "300", "--format", "json"])
        );
        assert_cmd_snapshot!(
            "diff__human_no_change",
            recflow().args(["diff", OLD, GREETING, "--calls", "300"])
        );
    });
}

#[test]
fn fail_on_change_exit_codes() {
    let status = |args: &[&str]| recflow().args(args).output().expect("runs").status.code();
    assert_eq!(status(&["diff", OLD, NO_DNR, "--calls", "200", "--fail-on-change"]), Some(1));
    assert_eq!(
        status(&["diff", OLD, NO_DNR, "--calls", "200"]),
        Some(0),
        "without the flag changes are not a failure"
    );
    assert_eq!(status(&["diff", OLD, GREETING, "--calls", "200", "--fail-on-change"]), Some(0), "times only");
    assert_eq!(status(&["diff", OLD, OLD, "--fail-on-change"]), Some(0), "self-diff");
    assert_eq!(status(&["diff", OLD, NO_DNR, "--format", "json", "--fail-on-change"]), Some(1));
    assert_eq!(status(&["diff", OLD, "tests/fixtures/diff/missing.yaml"]), Some(2), "unloadable input");
}

/// Issue 19 point 7: the headline says how each finding count moved, and `--fail-on-change`
/// fails on a violation that appeared.
#[test]
fn the_headline_names_the_violation_that_appeared() {
    let (code, out, err) = crate::common::run(&[
        "diff",
        "tests/fixtures/diff/consent.yaml",
        "tests/fixtures/diff/consent-no-dnr.yaml",
        "--calls",
        "300",
        "--fail-on-change",
    ]);
    assert_eq!(code, 1, "{err}");
    let verdict = out.split("\n\n").nth(1).unwrap();
    assert!(
        verdict.starts_with("Verdict (contacts: old → new)\n  ✗ recorded_without_consent: 0 → "),
        "{out}"
    );
    assert!(err.contains("violations appeared or grew: recorded_without_consent: 0 → "), "{err}");
    let (_, out, _) = crate::common::run(&[
        "diff",
        "tests/fixtures/diff/consent.yaml",
        "tests/fixtures/diff/consent.yaml",
        "--calls",
        "50",
    ]);
    assert!(out.contains("\nVerdict: no finding count moved\n"), "{out}");
}
