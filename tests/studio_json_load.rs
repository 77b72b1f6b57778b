//! Studio JSON import (FORMATS §2): the mapping, errors at the JSON's line:column, and hostile
//! input (garbage, deep nesting, huge files, every truncation) that must never panic or hang.

use proptest::prelude::*;
use recflow::script::{self, Format, Kind, LoadErrorKind, LoadErrors, PropValue, Script};

fn load(text: &str) -> Script {
    script::load_str("studio.json", text).unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

fn load_err(text: &str) -> LoadErrors {
    match script::load_str("studio.json", text) {
        Ok(_) => panic!("loaded but should not:\n{text}"),
        Err(e) => e,
    }
}

fn snapshot(name: &str, text: &str) {
    let rendered = load_err(text).render_plain(100);
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name, format!("{text}\n---\n{rendered}"));
    });
}

/// A script the way Studio exports it: numeric string ids, layout, typed branches.
const STUDIO: &str = r#"{
  "header": {"scriptName": "Inbound Sales", "scriptType": "Phone", "version": 12},
  "actions": {
    "1": {"actionId": "1", "name": "BEGIN", "label": "Begin", "x": 40, "y": 40, "libraryId": 0},
    "2": {"actionId": 2, "name": "MENU", "label": "Consent", "x": 40, "y": 160},
    "3": {"actionId": "3", "name": "Do Not Record", "label": "", "x": 240, "y": 160},
    "4": {"actionId": "4", "name": "LogRecordingPro", "x": 40, "y": 280},
    "5": {"actionId": "5", "name": "REQAGENT", "x": 40, "y": 400},
    "6": {"actionId": "6", "name": "SNIPPET", "x": 240, "y": 400},
    "7": {"actionId": "7", "name": "SETSKILL"}
  },
  "properties": {
    "2": {"0": {"name": "Phrase", "value": "Press 1 to allow recording.\nPress 2 to decline."},
          "1": {"name": "Sensitive", "value": "False"}},
    "4": {"0": {"name": "Record", "value": "Start"}, "1": {"name": "RecordType", "value": "Call"}},
    "5": {"0": {"name": "Skill", "value": "Sales"}},
    "6": {"0": {"name": "Data", "value": "ASSIGN Global:x = \"a\"\nTRACE Global:x"}},
    "7": [{"name": "Skill", "value": ["Sales", "Support"]}]
  },
  "branches": {
    "1": [{"to": "2", "label": "Default", "type": "default", "index": 0}],
    "2": [{"to": 4, "label": "1", "type": "case", "index": 0},
          {"to": "3", "label": "2", "type": "case", "index": 1},
          {"to": -1, "label": "3", "type": "case", "index": 2},
          {"to": "3", "label": "Default", "type": "default", "index": 3}],
    "3": [{"to": "5", "label": "Default", "type": "default", "index": 0}],
    "4": [{"to": "5", "label": "Default", "type": "default", "index": 0}],
    "5": [{"to": "6", "label": "Default", "type": "default", "index": 0}],
    "6": [{"to": "7", "label": "Default", "type": "default", "index": 0},
          {"to": -1, "label": "Error", "type": "branch", "index": 1}]
  }
}"#;

#[test]
fn studio_export_maps_to_the_script_model() {
    let s = load(STUDIO);
    assert_eq!(s.name, "Inbound Sales");
    assert_eq!(s.format, Format::StudioJson);
    let ids: Vec<&str> = s.actions.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6", "7"]);
    let menu = &s.actions[1];
    assert_eq!(menu.label.as_deref(), Some("Consent"));
    let Kind::Menu(m) = &menu.kind else { panic!("{:?}", menu.kind) };
    assert_eq!(m.phrase, "Press 1 to allow recording.\nPress 2 to decline.");
    assert_eq!(m.sensitive, Some(false));
    // Branch names from `label` (case) / `default`; `to: -1` is not wired; a numeric `to` is an id.
    let br: Vec<(&str, Option<&str>)> =
        menu.branches.iter().map(|b| (b.name.as_str(), b.target.map(|t| s.action(t).id.as_str()))).collect();
    assert_eq!(br, [("1", Some("4")), ("2", Some("3")), ("3", None), ("default", Some("3"))]);
    assert!(matches!(s.actions[2].kind, Kind::DoNotRecord));
    // Studio's empty labels mean "no caption".
    assert_eq!(s.actions[2].label, None);
    assert!(matches!(s.actions[3].kind, Kind::LogRecordingPro(_)));
    let Kind::ReqAgent { skill, .. } = &s.actions[4].kind else { panic!() };
    assert_eq!(skill, "Sales");
    let snippet = &s.actions[5];
    assert_eq!(snippet.branch("Error").unwrap().target, None);
    // Unmodelled types are kept with their properties (list values included).
    assert!(matches!(s.actions[6].kind, Kind::Other));
    assert_eq!(s.actions[6].properties[0].value, PropValue::List(vec!["Sales".into(), "Support".into()]));
    // Layout and unknown header fields are kept for the round trip.
    assert_eq!(s.actions[0].studio.as_ref().unwrap().action["x"], 40);
    assert_eq!(s.studio_header.as_ref().unwrap()["scriptType"], "Phone");
}

#[test]
fn json_and_yaml_twins_load_the_same() {
    let yaml = r#"script: twin
actions:
  - id: 1
    type: BEGIN
    next: 2
  - id: 2
    type: CASE
    properties: {Variable: SP1}
    branches: {Go: 3, Stop: ~, default: 3}
  - id: 3
    type: END
"#;
    let json = r#"{"header": {"scriptName": "twin"},
 "actions": {"1": {"actionId": "1", "name": "BEGIN"}, "2": {"actionId": "2", "name": "CASE"},
             "3": {"actionId": "3", "name": "END"}},
 "properties": {"2": {"0": {"name": "Variable", "value": "SP1"}}},
 "branches": {"1": [{"to": "2", "type": "default"}],
              "2": [{"to": "3", "label": "Go", "type": "case"}, {"to": -1, "label": "Stop", "type": "case"},
                    {"to": "3", "label": "Default", "type": "default"}]}}"#;
    let (a, b) = (script::load_str("t.yaml", yaml).unwrap(), load(json));
    let view = |s: &Script| {
        s.actions
            .iter()
            .map(|a| {
                let br: Vec<_> = a
                    .branches
                    .iter()
                    .map(|b| (b.name.clone(), b.target.map(|t| s.action(t).id.clone())))
                    .collect();
                (a.id.clone(), a.kind.canonical_name(), br)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(view(&a), view(&b));
}

#[test]
fn syntax_errors_point_at_the_json() {
    snapshot(
        "studio__syntax_trailing_comma",
        "{\n  \"header\": {\"scriptName\": \"x\"},\n  \"actions\": {},\n}\n",
    );
    snapshot("studio__syntax_unclosed_string", "{\n  \"header\": {\"scriptName\": \"x}\n}\n");
    snapshot("studio__syntax_bad_escape", "{\"header\": {\"scriptName\": \"a\\qb\"}}");
}

#[test]
fn shape_errors_point_at_the_json() {
    snapshot(
        "studio__shape_errors",
        r#"{"header": {"scriptName": ["not", "a", "string"]},
 "actions": {"1": {"actionId": "1", "name": "BEGIN"},
             "2": {"actionId": "3", "name": "END"},
             "4": {"label": "no type"}},
 "properties": {"1": {"0": {"name": "Phrase", "value": {"deep": true}}},
                "9": {}},
 "branches": {"1": [{"to": "2", "type": "case"}, {"label": "Default"}]}}"#,
    );
}

#[test]
fn semantic_errors_come_from_the_shared_checks() {
    // Dangling target, duplicate event, wrong branch for the type: same checks as YAML,
    // located in the JSON.
    snapshot(
        "studio__semantic_errors",
        r#"{"header": {"scriptName": "s"},
 "actions": {"1": {"actionId": "1", "name": "BEGIN"},
             "2": {"actionId": "2", "name": "ONANSWER"},
             "3": {"actionId": "3", "name": "OnAnswer"},
             "4": {"actionId": "4", "name": "PLAY"}},
 "branches": {"1": [{"to": "5", "label": "Default", "type": "default"}],
              "4": [{"to": "1", "label": "Busy", "type": "branch"}]}}"#,
    );
}

#[test]
fn snippet_errors_point_inside_the_json_string() {
    // The Snippet error's column is found through the JSON escapes (`\"` and `\n`).
    let text = "{\"header\": {\"scriptName\": \"s\"},\n \"actions\": {\"1\": {\"actionId\": \"1\", \"name\": \"BEGIN\"}, \"2\": {\"actionId\": \"2\", \"name\": \"SNIPPET\"}},\n \"properties\": {\"2\": {\"0\": {\"name\": \"Data\", \"value\": \"ASSIGN x = \\\"a\\\"\\nIF x = { }\"}}}}";
    let e = load_err(text);
    assert_eq!(e.errors[0].kind, LoadErrorKind::SnippetSyntax, "{}", e.render_plain(100));
    let (line, col) = e.errors[0].line_col().unwrap();
    let src_line = text.lines().nth(line - 1).unwrap();
    let at: String = src_line.chars().skip(col - 1).collect();
    assert!(at.starts_with('{') || at.starts_with("= {"), "points at {at:?} ({line}:{col})");
    snapshot("studio__snippet_error", text);
}

#[test]
fn not_an_object_and_empty() {
    assert_eq!(load_err("").errors[0].kind, LoadErrorKind::Empty);
    assert_eq!(load_err("  \n ").errors[0].kind, LoadErrorKind::Empty);
    assert_eq!(load_err("[1, 2]").errors[0].kind, LoadErrorKind::WrongType);
    assert_eq!(load_err("{\"header\": {}}").errors[0].kind, LoadErrorKind::WrongType);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for open in ["[", "{\"a\":"] {
        let deep = format!("{{\"header\": {}", open.repeat(200_000));
        let e = load_err(&deep);
        assert_eq!(e.errors[0].kind, LoadErrorKind::Syntax);
        assert!(e.errors[0].message.contains("nested more than 64"), "{}", e.errors[0].message);
    }
}

#[test]
fn huge_input_is_linear() {
    // 20 000 actions in a chain, minified on one line (~3.3 MB): loads.
    let n = 20_000;
    let mut actions = Vec::new();
    let mut props = Vec::new();
    let mut branches = Vec::new();
    for i in 1..=n {
        let ty = if i == 1 { "BEGIN" } else { "PLAY" };
        actions.push(format!("\"{i}\":{{\"actionId\":\"{i}\",\"name\":\"{ty}\",\"x\":{i},\"y\":0}}"));
        props.push(format!("\"{i}\":{{\"0\":{{\"name\":\"Phrase\",\"value\":\"Prompt number {i}\"}}}}"));
        let to = if i == n { -1 } else { i as i64 + 1 };
        branches.push(format!(
            "\"{i}\":[{{\"to\":\"{to}\",\"label\":\"Default\",\"type\":\"default\",\"index\":0}}]"
        ));
    }
    let text = format!(
        "{{\"header\":{{\"scriptName\":\"big\"}},\"actions\":{{{}}},\"properties\":{{{}}},\"branches\":{{{}}}}}",
        actions.join(","),
        props.join(","),
        branches.join(",")
    );
    let s = load(&text);
    assert_eq!(s.actions.len(), n);
    assert!(s.actions[n - 1].branches[0].target.is_none());
    // An error at the end of a huge one-line file still renders (cropped) with its column.
    let broken = format!("{}]", &text[..text.len() - 1]);
    let e = load_err(&broken);
    assert_eq!(e.errors[0].line_col(), Some((1, broken.len())));
    let rendered = e.render_plain(100);
    assert!(
        rendered.contains(&format!("studio.json:1:{}", broken.len())),
        "{}",
        &rendered[..rendered.len().min(2000)]
    );
}

#[test]
fn every_truncation_of_a_valid_file_is_a_clean_error() {
    let mut cut = 0;
    while cut < STUDIO.len() {
        if STUDIO.is_char_boundary(cut) {
            let prefix = &STUDIO[..cut];
            if let Err(e) = script::load_str("studio.json", prefix) {
                assert!(!e.errors.is_empty());
                let _ = e.render_plain(100);
            }
        }
        cut += 1;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Arbitrary text never panics; errors always carry a location inside the file.
    #[test]
    fn garbage_never_panics(text in r#"\{[\[\]{}":,0-9a-z\\ \n-]{0,200}"#) {
        if let Err(e) = script::load_str("g.json", &text) {
            for err in &e.errors {
                if let Some((line, _)) = err.line_col() {
                    prop_assert!(line <= text.lines().count().max(1) + 1);
                }
            }
            let _ = e.render_plain(80);
        }
    }

    /// Mutating one byte of a valid export never panics.
    #[test]
    fn mutations_never_panic(pos in 0usize..STUDIO.len(), byte in prop::sample::select(b"{}[]\":,-1a\\ \n".to_vec())) {
        let mut bytes = STUDIO.as_bytes().to_vec();
        bytes[pos] = byte;
        if let Ok(text) = String::from_utf8(bytes) {
            let _ = script::load_str("m.json", &text).map_err(|e| e.render_plain(80));
        }
    }
}
