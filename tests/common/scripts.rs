//! Script texts that a library-level test and a command-line test (`tests/cli/`) both run, kept
//! here once so the two binaries test the same script.

/// A phone script that records: BEGIN → Record Start → PLAY → END, without its `script:` line
/// (the tests add `script:` and `media:` in front). Used by `tests/script_kind.rs` and
/// `tests/cli/simulate/script_kind.rs`.
pub const RECORDING_SCRIPT: &str = "actions:
  - id: begin
    type: BEGIN
    next: rec
  - id: rec
    type: LOGRECORDINGPRO
    properties: {Record: Start}
    next: hello
  - id: hello
    type: PLAY
    properties: {Phrase: Hello.}
    next: done
  - id: done
    type: END
";

/// Two MENUs and a WAIT of `SECONDS` (replaced by the test): the durations that must not wrap.
/// Used by `tests/load_hardening.rs` and `tests/cli/simulate/load_hardening.rs`.
pub const MENUS_AND_WAIT: &str = "\
script: t
actions:
  - {id: begin, type: BEGIN, next: m1}
  - {id: m1, type: MENU, properties: {Phrase: a}, next: m2}
  - {id: m2, type: MENU, properties: {Phrase: b}, next: w}
  - {id: w, type: WAIT, properties: {Seconds: SECONDS}, next: e}
  - {id: e, type: HANGUP}
";

/// The code of the unknown-property load warning.
pub const UNKNOWN_PROPERTY: &str = "load::unknown-property";

/// CAPTURE's property list was read from its help page; `MaxDigit` is a misspelling and
/// `Colour` is nobody's property. Used by `tests/unknown_property.rs` and
/// `tests/cli/lint/unknown_property.rs`.
pub const UNKNOWN_PROPERTY_TYPO: &str = "script: t
actions:
  - {id: b, type: BEGIN, next: c}
  - id: c
    type: CAPTURE
    properties: {Variable: acct, MaxDigit: 4, inter_digit_timeout: 3}
    next: e
  - id: d
    type: DONOTRECORD
    properties: {Colour: red}
  - {id: e, type: END}
";

/// A chain of `n` actions: every 4th a statement Start whose id is never saved (an S001 error
/// with a path from BEGIN), a CASE (a decision) every 50th, an unmodelled type every 97th.
/// Issue 21 F03 / F04: `tests/hostile.rs` lints it from the command line (output size),
/// `tests/lint_analysis.rs` counts what building its paths costs.
pub fn mixed_chain(n: usize) -> String {
    let mut s = String::from("script: big-mixed\nactions:\n  - {id: b, type: BEGIN, next: a0}\n");
    for i in 0..n {
        let next = if i + 1 < n { format!("a{}", i + 1) } else { "end".into() };
        s.push_str(&if i % 4 == 1 {
            format!("  - {{id: a{i}, type: LOGRECORDINGPRO, properties: {{Record: Start, UseRecordingStatementId: true}}, next: {next}}}\n")
        } else if i % 50 == 7 {
            format!("  - {{id: a{i}, type: CASE, properties: {{Variable: v{i}}}, branches: {{x: {next}, default: {next}}}}}\n")
        } else if i % 97 == 3 {
            format!("  - {{id: a{i}, type: WORKFLOWEXECUTE, next: {next}}}\n")
        } else {
            format!("  - {{id: a{i}, type: PLAY, properties: {{Phrase: \"message {i}\"}}, next: {next}}}\n")
        });
    }
    s.push_str("  - {id: end, type: HANGUP}\n");
    s
}
