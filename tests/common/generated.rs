//! Small generated scripts for property tests (issue 19 point 5, issue 22 point 5): a BEGIN,
//! an IVR chain of consent MENUs, DONOTRECORDs, recording and statement actions with random
//! forward wiring, REQAGENT with hold music, and an ONANSWER chain. Used by
//! `tests/lint_crosscheck.rs` (lint ⇔ simulate) and `tests/scenario.rs` (`explain --as-test`
//! cases pass).

use std::fmt::Write;

use proptest::prelude::*;
use proptest::sample::Index;

/// One block: its kind and, for each of its (up to three) outgoing edges, which later block
/// it goes to and whether a DONOTRECORD runs on the way.
#[derive(Debug, Clone)]
pub struct Block {
    kind: u8,
    to: [(Index, bool); 3],
}

pub fn block() -> impl Strategy<Value = Block> {
    let edge = (any::<Index>(), proptest::bool::weighted(0.3));
    (0u8..12, [edge.clone(), edge.clone(), edge]).prop_map(|(kind, to)| Block { kind, to })
}

/// A chain of blocks `{p}0..` ending at `exit`: each edge of block j goes to a later block
/// (or `exit`), through its own DONOTRECORD when the edge says so.
fn chain(y: &mut String, p: &str, blocks: &[Block], exit: &str) {
    let n = blocks.len();
    let id = |k: usize| if k == n { exit.to_string() } else { format!("{p}{k}") };
    for (j, b) in blocks.iter().enumerate() {
        let mut t = |e: usize| {
            let (ix, dnr) = &b.to[e];
            let target = id(j + 1 + ix.index(n - j));
            if *dnr {
                let _ = writeln!(y, "  - {{id: {p}{j}-dnr{e}, type: DONOTRECORD, next: {target}}}");
                format!("{p}{j}-dnr{e}")
            } else {
                target
            }
        };
        let (t0, t1, t2) = (t(0), t(1), t(2));
        let me = format!("{p}{j}");
        let copy = |var: &str| format!("'ASSIGN {var} = RecordingStatementId'");
        let _ = match b.kind {
            0 => writeln!(
                y,
                "  - {{id: {me}, type: MENU, consent: {{accept: ['1']}}, properties: {{Phrase: 'Press 1 or 2.'}}, branches: {{'1': {t0}, '2': {t1}, default: {t2}}}}}"
            ),
            1 => writeln!(
                y,
                "  - {{id: {me}, type: MENU, properties: {{Phrase: 'Press 1 to agree to recording, 2 to decline.'}}, branches: {{'1': {t0}, '2': {t1}, default: {t2}}}}}"
            ),
            2 => writeln!(y, "  - {{id: {me}, type: DONOTRECORD, next: {t0}}}"),
            3 => writeln!(
                y,
                "  - {{id: {me}, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: {t0}}}"
            ),
            4 => writeln!(
                y,
                "  - {{id: {me}, type: LOGRECORDINGPRO, properties: {{Record: Start, RecordType: Call, UseRecordingStatementId: True}}, next: {t0}}}"
            ),
            5 => writeln!(
                y,
                "  - {{id: {me}, type: LOGRECORDINGPRO, properties: {{Record: Stop}}, next: {t0}}}"
            ),
            6 => writeln!(
                y,
                "  - {{id: {me}, type: LOGRECORDINGPRO, properties: {{Record: Stop, RecordType: Call, UseRecordingStatementId: True}}, next: {t0}}}"
            ),
            7 => writeln!(
                y,
                "  - {{id: {me}, type: ASSIGN, properties: {{Variable: 'Global:stmt', Value: '{{RecordingStatementId}}'}}, next: {t0}}}"
            ),
            8 => writeln!(
                y,
                "  - {{id: {me}, type: ASSIGN, properties: {{Variable: stmt, Value: '{{RecordingStatementId}}'}}, next: {t0}}}"
            ),
            9 => writeln!(
                y,
                "  - {{id: {me}, type: SNIPPET, properties: {{Data: {}}}, next: {t0}}}",
                copy("Global:stmt")
            ),
            10 => writeln!(
                y,
                "  - {{id: {me}, type: SNIPPET, properties: {{Data: {}}}, next: {t0}}}",
                copy("stmt")
            ),
            _ => {
                writeln!(y, "  - {{id: {me}, type: PLAY, properties: {{Phrase: 'Block {j}.'}}, next: {t0}}}")
            }
        };
    }
}

/// BEGIN, the IVR chain, REQAGENT (hold music), then an ONANSWER chain ending in END.
pub fn script(ivr: &[Block], answer: &[Block]) -> String {
    let mut y = String::from("script: generated\nactions:\n");
    let first = if ivr.is_empty() { "queue" } else { "i0" };
    let _ = writeln!(y, "  - {{id: begin, type: BEGIN, next: {first}}}");
    chain(&mut y, "i", ivr, "queue");
    y.push_str(
        "  - {id: queue, type: REQAGENT, properties: {Skill: Sales}, next: hold}
  - {id: hold, type: MUSIC, properties: {SecondstoPlay: 30}, next: hold}
",
    );
    let first = if answer.is_empty() { "done" } else { "a0" };
    let _ = writeln!(y, "  - {{id: answered, type: ONANSWER, next: {first}}}");
    chain(&mut y, "a", answer, "done");
    y.push_str("  - {id: done, type: END}\n");
    y
}
