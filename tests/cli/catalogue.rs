//! Issue 11, points 1, 5 and 9 end to end: the catalogue's terminal and named-result actions,
//! lenient loading with `--strict`, and load failures visible in every lint output.

use crate::common::run as recflow;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

const GOOD: &str = "script: good\nactions:\n  - {id: b, type: BEGIN, next: e}\n  - {id: e, type: END}\n";
const BROKEN: &str = "script: bad\nactions:\n  - {id: b, type: BEGIN, next: nowhere}\n";

/// A CHECKCALLSUP whose only branches are `Found` / `NotFound` is no dead end: no contact is
/// `stuck` in simulate and lint reports no M003.
const SUPPRESSION: &str = r#"{"header": {"scriptName": "suppress", "mediaType": 4, "purposeType": "Suppression"},
 "actions": {"1": {"actionId": 1, "name": "BEGIN"}, "2": {"actionId": 2, "name": "CHECKCALLSUP"},
             "3": {"actionId": 3, "name": "SUPPRESSCALL"}, "4": {"actionId": 4, "name": "PERMITCALL"}},
 "properties": {"2": {"0": {"name": "DataValue", "value": "{ANI}"}}},
 "branches": {"1": [{"to": 2, "label": "Default", "type": "default", "index": 0}],
              "2": [{"to": 3, "label": "Found", "type": "branch", "index": 0},
                    {"to": 4, "label": "NotFound", "type": "branch", "index": 1}]}}
"#;

#[test]
fn named_result_actions_and_terminal_types_are_not_dead_ends() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "suppress.json", SUPPRESSION);
    // A call-suppression script is not simulated (issue 25: it has no calls); the same flow in
    // a General script shows that CHECKCALLSUP → PERMITCALL / SUPPRESSCALL is no dead end.
    let (code, _, err) = recflow(&["simulate", &f, "--calls", "200"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("call-suppression script") && err.contains("PERMITCALL"), "{err}");
    let general = write(&dir, "general.json", &SUPPRESSION.replace("\"Suppression\"", "\"General\""));
    let (code, out, err) = recflow(&["simulate", &general, "--calls", "200", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["findings"]["stuck"], 0, "{out}");
    let (code, out, err) = recflow(&["lint", &f, "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let codes: Vec<&str> =
        v["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(!codes.contains(&"M003"), "{codes:?}");
    assert_eq!(v["warnings"].as_array().unwrap().len(), 0, "every type here is in the catalogue");
}

#[test]
fn load_failures_show_in_every_lint_output() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(&dir, "good.yaml", GOOD);
    let bad = write(&dir, "bad.yaml", BROKEN);
    let missing = dir.path().join("missing.yaml").display().to_string();

    let (code, out, err) = recflow(&["lint", &good, &bad, &missing]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(!out.starts_with("ok"), "a failed load never reads as ok: {out}");
    assert!(out.contains("2 scripts could not be loaded"), "{out}");
    assert!(err.contains("load::dangling-branch"), "{err}");

    let (code, out, _) = recflow(&["lint", &good, &bad, &missing, "--format", "json"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{out}");
    let e = errors.iter().find(|e| e["code"] == "load::dangling-branch").unwrap();
    assert_eq!(
        (e["file"].as_str().unwrap(), e["line"].as_u64(), e["column"].as_u64()),
        (bad.as_str(), Some(3), Some(32))
    );
    assert!(errors.iter().any(|e| e["code"] == "load::io" && e["file"] == missing.as_str()));

    let (code, out, _) = recflow(&["lint", &good, &bad, "--format", "sarif"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let inv = &v["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["descriptor"]["id"], "load::dangling-branch");
    assert_eq!(notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 3);

    // All good: the run is successful and says ok.
    let (code, out, _) = recflow(&["lint", &good, "--format", "sarif"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn strict_turns_load_warnings_into_errors() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "w.yaml",
        "script: w\nactions:\n  - {id: b, type: BEGIN, next: x}\n  - {id: x, type: Workflow Execute, next: e}\n  - {id: e, type: END}\n",
    );
    let (code, out, err) = recflow(&["lint", &f, "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["warnings"][0]["code"], "load::unknown-type");
    assert_eq!((v["warnings"][0]["line"].as_u64(), v["warnings"][0]["column"].as_u64()), (Some(4), Some(19)));
    assert!(err.contains("load::unknown-type"), "{err}");
    let (code, out, _) = recflow(&["lint", &f, "--strict", "--format", "json"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["errors"][0]["code"], "load::unknown-type");
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 0);
}

/// Facts once (issue 9.4 / 11.6): a MENU asking for a "security code" while recording is P001
/// in lint and `sensitive_while_recording` in simulate; so is a card-number prompt placed in
/// `Sequence` (a `%`-TTS entry) rather than `Phrase`.
#[test]
fn lint_and_simulate_agree_on_sensitive_prompts() {
    for (name, props) in [
        ("phrase", "{Phrase: Please enter your security code}"),
        ("sequence", "{Phrase: caption only, Sequence: [\"%Please enter your card number\", \"beep.wav\"]}"),
        ("audio", "{Sequence: [\"prompts\\\\credit-card.wav\"]}"),
    ] {
        let yaml = format!(
            "script: s\nactions:\n  - {{id: b, type: BEGIN, next: r}}\n  - id: r\n    type: LOGRECORDINGPRO\n    properties: {{Record: Start}}\n    next: m\n  - id: m\n    type: MENU\n    properties: {props}\n    next: q\n  - id: q\n    type: REQAGENT\n    properties: {{Skill: Sales}}\n    next: h\n  - {{id: h, type: HANGUP}}\n"
        );
        let dir = tempfile::tempdir().unwrap();
        let f = write(&dir, "s.yaml", &yaml);
        let (_, out, err) = recflow(&["lint", &f, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}{err}"));
        let codes: Vec<&str> =
            v["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
        assert!(codes.contains(&"P001"), "{name}: lint {codes:?}");
        let (code, out, err) = recflow(&["simulate", &f, "--calls", "50", "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["findings"]["sensitive_while_recording"], 50, "{name}: simulate {out}");
    }
}
