//! Invariants of the simulator that hold for every script (SEMANTICS §5): contact *i* depends
//! only on (seed, i, script, tenant, traffic), never on the contacts simulated before it.
//!
//! - a batch equals the concatenation of single-contact runs (per-contact state is reset as a
//!   whole: issue 9, the ASSIGN → `Global:` statement-id leak);
//! - `explain --call i` shows exactly line *i* of `--calls-out` (one engine, one driver).

mod common;

use common::sim::{batch_lines, busy_traffic, fixed_traffic as traffic, script};

use recflow::model::{Tenant, Traffic};
use recflow::sim::{self, Compiled};

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
        let mut singles = sim::Tally::new(&p);
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
    let mut parts = sim::Tally::new(&p);
    for r in [0..1, 1..4096, 4096..5000, 5000..10_000] {
        parts.merge(&sim::tally(&p, r, |_| {}));
    }
    let json = |t: &sim::Tally| recflow::report::simulation::report_json(&t.report(&p));
    assert_eq!(json(&whole), json(&parts));
}

/// Issue 10.3: agents are indexed wider than `u16`. With 65 536 agents where only the last one
/// (index 65 535, the old "unknown agent" marker) has the skill, every contact is answered by
/// it, and a policy naming an agent the tenant does not have never records it; with 66 000
/// agents, agents past 65 535 answer too.
#[test]
fn agents_past_65535_answer_and_unknown_agents_never_match() {
    use recflow::model::{Agent, Match, Policy};
    let s = script(
        "  - {id: b, type: BEGIN, next: q}
  - {id: q, type: REQAGENT, properties: {Skill: S}, next: hold}
  - {id: hold, type: MUSIC, properties: {SecondstoPlay: 30}, next: hold}
",
    );
    let agent = |i: usize, skills: Option<Vec<String>>| Agent {
        id: format!("a{i}"),
        team: "T".into(),
        skills,
        can_be_recorded: true,
    };
    let nobody = Policy {
        name: "nobody".into(),
        priority: None,
        percent: 100.0,
        matches: Match { agents: vec!["no-such-agent".into()], ..Match::default() },
        continue_after_external_transfer: false,
        continue_after_disposition: false,
    };
    let mut agents: Vec<Agent> = (0..65_535).map(|i| agent(i, Some(vec!["Other".into()]))).collect();
    agents.push(agent(65_535, Some(vec!["S".into()])));
    let tenant = Tenant {
        agents,
        recording_policies: vec![nobody],
        do_not_record_policies: vec![],
        short_call_seconds: 0.0,
    };
    let p = Compiled::compile(&s, &tenant, &traffic());
    let report = sim::simulate(&p, 50, |_| {});
    assert_eq!(report.recorded.any, 0, "a policy for an unknown agent recorded a contact");
    let o = sim::driver::one(&p, 0);
    assert_eq!(p.agents[o.segments[1].agent.expect("answered").index()].id, "a65535");

    let tenant = Tenant { agents: (0..66_000).map(|i| agent(i, None)).collect(), ..tenant };
    let p = Compiled::compile(&s, &tenant, &traffic());
    let high =
        (0..400).filter(|&i| sim::driver::one(&p, i).segments[1].agent.unwrap().index() >= 65_536).count();
    assert!(high > 0, "no contact was answered by an agent past 65 535");
}

/// Generated scripts (issue 9.3): a chain of IVR blocks, an ONANSWER chain and an ONSIGNAL
/// chain, each block drawn from the vocabulary that touches per-contact state — consent MENUs,
/// SNIPPET and ASSIGN copies of the statement id into `Global:`, recording starts/stops,
/// statement starts, MAX buttons — under traffic with ROD, transfers, dispositions and button
/// presses.
mod generated {
    use std::fmt::Write;

    /// One block of the vocabulary; `i` makes its ids unique, `next` is where it continues.
    fn block(y: &mut String, kind: u8, i: usize, next: &str) {
        let _ = match kind {
            0 => writeln!(
                y,
                "  - {{id: a{i}, type: MENU, properties: {{Phrase: 'Press 1 to agree to recording, 2 to decline.'}}, branches: {{'1': {next}, '2': a{i}-no, default: {next}}}}}
  - {{id: a{i}-no, type: LOGRECORDINGPRO, properties: {{Record: Stop}}, next: {next}}}"
            ),
            1 => writeln!(
                y,
                "  - {{id: a{i}, type: SNIPPET, properties: {{Data: 'ASSIGN Global:_recordingStatementId = RecordingStatementId'}}, next: {next}}}"
            ),
            2 => writeln!(
                y,
                "  - {{id: a{i}, type: ASSIGN, properties: {{Variable: 'Global:_recordingStatementId', Value: '{{RecordingStatementId}}'}}, next: {next}}}"
            ),
            3 => writeln!(y, "  - {{id: a{i}, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: {next}}}"),
            4 => writeln!(
                y,
                "  - {{id: a{i}, type: LOGRECORDINGPRO, properties: {{Record: Start, RecordType: Call, UseRecordingStatementId: True}}, next: {next}}}"
            ),
            5 => writeln!(y, "  - {{id: a{i}, type: LOGRECORDINGPRO, properties: {{Record: Stop}}, next: {next}}}"),
            6 => writeln!(
                y,
                "  - {{id: a{i}, type: INDICATE, properties: {{Name: B{b}, State: On, ActionType: Signal, Parameters: [v{b}]}}, next: {next}}}",
                b = i % 2
            ),
            _ => writeln!(y, "  - {{id: a{i}, type: PLAY, properties: {{Phrase: Block {i}.}}, next: {next}}}"),
        };
    }

    /// A chain of `kinds` starting at `first`, ending at `end`; ids from `base`.
    fn chain(y: &mut String, kinds: &[u8], base: usize, first: &str, end: &str) {
        let id = |j: usize| if j == 0 { first.to_string() } else { format!("a{}", base + j) };
        for (j, &k) in kinds.iter().enumerate() {
            let next = if j + 1 == kinds.len() { end.to_string() } else { id(j + 1) };
            let mut b = String::new();
            block(&mut b, k, base + j, &next);
            // The first block carries the chain's entry id.
            y.push_str(&b.replacen(&format!("id: a{}", base + j), &format!("id: {}", id(j)), 1));
        }
        if kinds.is_empty() {
            let _ = writeln!(y, "  - {{id: {first}, type: WAIT, properties: {{Seconds: 1}}, next: {end}}}");
        }
    }

    pub fn script(ivr: &[u8], answer: &[u8], signal: &[u8]) -> String {
        let mut y = String::from("script: generated\nactions:\n  - {id: begin, type: BEGIN, next: ivr}\n");
        chain(&mut y, ivr, 100, "ivr", "queue");
        y.push_str(
            "  - {id: queue, type: REQAGENT, properties: {Skill: Sales}, next: hold}
  - {id: hold, type: MUSIC, properties: {SecondstoPlay: 30}, next: hold}
  - {id: answered, type: ONANSWER, next: ans}
  - {id: talk, type: WAIT, properties: {Seconds: 60}, next: talk}
  - {id: signal, type: ONSIGNAL, next: sig}
",
        );
        chain(&mut y, answer, 200, "ans", "talk");
        chain(&mut y, signal, 300, "sig", "talk");
        y.push_str(
            "  - {id: released, type: ONRELEASE, next: off0}
  - {id: off0, type: INDICATE, properties: {Name: B0, State: Off}, next: bye}
  - {id: bye, type: END}
",
        );
        y
    }
}

/// Traffic that takes every event path of the generated scripts, presses their buttons, and
/// answers the consent MENUs both ways.
fn generated_traffic() -> Traffic {
    let mut t = busy_traffic();
    t.agent.presses = vec![
        recflow::model::PressSequence { p: 0.4, buttons: vec!["B0".into(), "B1".into()] },
        recflow::model::PressSequence { p: 0.3, buttons: vec!["B1".into(), "B0".into(), "B1".into()] },
    ];
    t
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// Issue 9.3 on generated scripts: line *i* of the batch's `--calls-out` is contact *i* run
    /// alone (`driver::one` and `explain`, which must agree), and the batch tally is the sum of
    /// the single-contact runs.
    #[test]
    fn generated_batch_equals_single_contact_runs(
        ivr in proptest::collection::vec(0u8..8, 0..6),
        answer in proptest::collection::vec(0u8..8, 0..5),
        signal in proptest::collection::vec(0u8..8, 0..4),
    ) {
        let text = generated::script(&ivr, &answer, &signal);
        let s = recflow::script::load_str("g.yaml", &text)
            .unwrap_or_else(|e| panic!("{}\n{text}", e.render_plain(100)));
        let p = Compiled::compile(&s, &Tenant::default(), &generated_traffic());
        let calls = 120;
        let lines = batch_lines(&p, calls);
        proptest::prop_assert_eq!(lines.len() as u64, calls);
        let mut singles = sim::Tally::new(&p);
        for (i, line) in lines.iter().enumerate() {
            let one = sim::driver::one(&p, i as u64);
            let mut alone = String::new();
            one.write_json(&p, &mut alone);
            proptest::prop_assert_eq!(&alone, line, "contact {} of\n{}", i, text);
            let mut explained = String::new();
            sim::explain::explain(&p, i as u64).outcome.write_json(&p, &mut explained);
            proptest::prop_assert_eq!(&explained, line, "explain --call {} of\n{}", i, text);
            singles.add(&one);
        }
        let batch = sim::tally(&p, 0..calls, |_| {});
        let json = |t: &sim::Tally| recflow::report::simulation::report_json(&t.report(&p));
        proptest::prop_assert_eq!(json(&batch), json(&singles), "{}", text);
    }
}
