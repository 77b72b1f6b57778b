//! Invariants of the simulator that hold for every script (SEMANTICS §5): contact *i* depends
//! only on (seed, i, script, tenant, traffic), never on the contacts simulated before it.
//!
//! - a batch equals the concatenation of single-contact runs (per-contact state is reset as a
//!   whole: issue 9, the ASSIGN → `Global:` statement-id leak);
//! - `explain --call i` shows exactly line *i* of `--calls-out` (one engine, one driver).

mod common;

use recflow::model::{Dist, Tenant, Traffic};
use recflow::sim::{self, Compiled};

fn script(actions: &str) -> recflow::script::Script {
    let text = format!("script: t\nactions:\n{actions}");
    recflow::script::load_str("t.yaml", &text).unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

fn traffic() -> Traffic {
    let mut t = Traffic::default();
    t.durations.queue_wait = Dist::Fixed(30.0);
    t.durations.patience = Dist::Fixed(300.0);
    t.durations.talk = Dist::Fixed(240.0);
    t
}

/// The issue-9 reproduction: an ASSIGN copies the statement id into a `Global:` variable, so
/// every contact's statement is saved — in a 200-contact batch as in each single explain.
#[test]
fn assign_copy_of_statement_id_saves_every_contact_in_a_batch() {
    let s = script(
        "  - {id: b, type: BEGIN, next: q}
  - {id: q, type: REQAGENT, properties: {Skill: Sales}, next: hold}
  - {id: hold, type: MUSIC, properties: {SecondstoPlay: 30}, next: hold}
  - {id: ans, type: ONANSWER, next: start}
  - {id: start, type: LOGRECORDINGPRO, properties: {Record: Start, RecordType: Call, UseRecordingStatementId: True}, next: save}
  - {id: save, type: ASSIGN, properties: {Variable: 'Global:_recordingStatementId', Value: '{RecordingStatementId}'}, next: again}
  - {id: again, type: ASSIGN, properties: {Variable: 'Global:_copy', Value: '{RecordingStatementId}'}, next: w}
  - {id: w, type: WAIT, properties: {Seconds: 1000}}
",
    );
    let p = Compiled::compile(&s, &Tenant::default(), &traffic());
    let report = sim::simulate(&p, 200, |_| {});
    assert_eq!(report.statements.captured, 200);
    assert_eq!((report.statements.saved, report.statements.lost), (200, 0));
    for i in [0, 1, 2, 199] {
        let ex = sim::explain::explain(&p, i);
        assert!(ex.outcome.statements.iter().all(|st| st.saved), "contact {i}");
    }
}

/// A traffic that takes every event path: ROD, transfers, dispositions, conference, presses of
/// the statement buttons the examples use.
fn busy_traffic() -> Traffic {
    let mut t = Traffic::default();
    t.agent.rod = 0.1;
    t.agent.transfer_agent = 0.2;
    t.agent.transfer_external = 0.1;
    t.agent.disposition = 0.3;
    t.agent.conference = 0.1;
    t.agent.presses = vec![recflow::model::PressSequence {
        p: 0.5,
        buttons: vec!["Start Recorded Statement".into(), "Stop Recorded Statement".into()],
    }];
    t
}

/// The `--calls-out` lines of contacts `0..calls` (one batch, 2 threads).
fn batch_lines(p: &Compiled, calls: u64) -> Vec<String> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let mut text = String::new();
    let mut sink = |s: &str| {
        text.push_str(s);
        Ok(())
    };
    pool.install(|| sim::simulate_chunks(p, calls, Some(&mut sink), |_| {})).1.unwrap();
    text.lines().map(str::to_string).collect()
}

/// For every example: line *i* of a batch's `--calls-out` is exactly contact *i* run alone
/// (`explain --call i`'s outcome, serialised the same way), and the batch's report equals the
/// sum of the single-contact runs.
#[test]
fn batch_equals_single_contact_runs_for_every_example() {
    let calls = 300;
    for path in common::example_scripts() {
        let script = match recflow::script::load_path(&path) {
            Ok(s) => s,
            Err(_) => continue, // a deliberately broken example is the loader tests' business
        };
        let p = Compiled::compile(&script, &Tenant::default(), &busy_traffic());
        let lines = batch_lines(&p, calls);
        assert_eq!(lines.len() as u64, calls, "{}", path.display());
        let mut singles = sim::Tally::new(p.policies.len());
        for (i, line) in lines.iter().enumerate() {
            let ex = sim::explain::explain(&p, i as u64);
            let mut alone = String::new();
            ex.outcome.write_json(&p, &mut alone);
            assert_eq!(&alone, line, "{}: contact {i}", path.display());
            singles.add(&ex.outcome);
        }
        let batch = sim::tally(&p, 0..calls, |_| {});
        assert_eq!(
            recflow::report::simulation::report_json(&batch.report(&p)),
            recflow::report::simulation::report_json(&singles.report(&p)),
            "{}",
            path.display()
        );
    }
}

/// The driver API `--precision` builds on: running a range chunk by chunk (any split) gives the
/// same tally as one run.
#[test]
fn chunk_by_chunk_equals_one_run() {
    let script = recflow::script::load_path("scripts/max-recorded-statements.yaml".as_ref()).unwrap();
    let p = Compiled::compile(&script, &Tenant::default(), &busy_traffic());
    let whole = sim::tally(&p, 0..10_000, |_| {});
    let mut parts = sim::Tally::new(p.policies.len());
    for r in [0..1, 1..4096, 4096..5000, 5000..10_000] {
        parts.merge(&sim::tally(&p, r, |_| {}));
    }
    let json = |t: &sim::Tally| recflow::report::simulation::report_json(&t.report(&p));
    assert_eq!(json(&whole), json(&parts));
}
