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
