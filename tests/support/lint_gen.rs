//! Generated scripts for the lint state-bound test and the lint benchmark: `blocks` IVR blocks
//! in a chain, each a diamond (a CASE choosing between a LOGRECORDINGPRO Start, a Stop, a
//! DONOTRECORD-free PLAY and a statement Start) that joins again, with a retry loop back to the
//! block's CASE from a MENU; then REQAGENT, a hold loop, and ONANSWER / ONSIGNAL / ONRELEASE
//! handlers with MAX buttons. Every block's choices are independent, so a path-enumerating
//! analysis would see 4^blocks paths; a bounded-state one stays linear.

use std::fmt::Write;

/// A script of about `10 * blocks + 20` actions.
pub fn script(blocks: usize) -> String {
    let mut y =
        String::from("script: generated\nactions:\n  - id: begin\n    type: BEGIN\n    next: b0-case\n");
    for i in 0..blocks {
        let next = if i + 1 == blocks { "queue".to_string() } else { format!("b{}-case", i + 1) };
        write!(
            y,
            "  - id: b{i}-case
    type: CASE
    properties: {{Variable: x{i}}}
    branches: {{a: b{i}-start, b: b{i}-stop, c: b{i}-play, default: b{i}-stmt}}
  - id: b{i}-start
    type: LOGRECORDINGPRO
    properties: {{Record: Start}}
    next: b{i}-join
  - id: b{i}-stop
    type: LOGRECORDINGPRO
    properties: {{Record: Stop}}
    next: b{i}-join
  - id: b{i}-play
    type: PLAY
    properties: {{Phrase: Block {i}.}}
    next: b{i}-join
  - id: b{i}-stmt
    type: LOGRECORDINGPRO
    properties: {{Record: Start, UseRecordingStatementId: true}}
    next: b{i}-save
  - id: b{i}-save
    type: ASSIGN
    properties: {{Variable: \"Global:s{i}\", Value: \"{{RecordingStatementId}}\"}}
    next: b{i}-join
  - id: b{i}-join
    type: ASSIGN
    properties: {{Variable: y{i}, Value: \"{i}\"}}
    next: b{i}-menu
  - id: b{i}-menu
    type: MENU
    properties: {{Phrase: Press 1 to continue, 9 to repeat.}}
    branches: {{\"9\": b{i}-case, \"1\": b{i}-wait, default: b{i}-wait}}
  - id: b{i}-wait
    type: WAIT
    properties: {{Seconds: 1}}
    next: b{i}-show
  - id: b{i}-show
    type: INDICATE
    properties: {{Name: Button {k}, State: On, ActionType: Signal, Parameters: [v{k}]}}
    next: {next}
",
            k = i % 3
        )
        .unwrap();
    }
    y.push_str(
        "  - id: queue
    type: REQAGENT
    properties: {Skill: Sales}
    next: hold
  - id: hold
    type: MUSIC
    next: hold
  - id: answered
    type: ONANSWER
    next: talk
  - id: talk
    type: WAIT
    properties: {Seconds: 60}
    next: talk
  - id: signal
    type: ONSIGNAL
    next: which
  - id: which
    type: CASE
    properties: {Variable: SP1}
    branches: {v0: stmt, v1: stmt-stop, v2: talk, default: talk}
  - id: stmt
    type: LOGRECORDINGPRO
    properties: {Record: Start, UseRecordingStatementId: true}
    next: save
  - id: save
    type: SNIPPET
    properties: {Data: \"ASSIGN Global:_recordingStatementId = RecordingStatementId\"}
    next: talk
  - id: stmt-stop
    type: LOGRECORDINGPRO
    properties: {Record: Stop, UseRecordingStatementId: true}
    next: talk
  - id: released
    type: ONRELEASE
    next: off0
  - id: off0
    type: INDICATE
    properties: {Name: Button 0, State: Off}
    next: off1
  - id: off1
    type: INDICATE
    properties: {Name: Button 1, State: Off}
    next: off2
  - id: off2
    type: INDICATE
    properties: {Name: Button 2, State: Off}
    next: bye
  - id: bye
    type: END
",
    );
    y
}
