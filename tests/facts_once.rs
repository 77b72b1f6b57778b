//! Issue 9 point 4 / issue 11 point 6: consent and sensitive-input facts are decided once, at
//! load (`src/script/facts.rs`), and lint and simulate read the same facts — so they agree in
//! both directions: lint flags P001 exactly when simulate reports `sensitive_while_recording`.

use recflow::model::{Tenant, Traffic};
use recflow::sim::{Compiled, simulate};

/// A recorded call that reaches `MENU m` (with `props`) before queueing.
fn recorded_menu(props: &str) -> String {
    format!(
        "script: s\nactions:\n  - {{id: b, type: BEGIN, next: r}}\n  - id: r\n    type: LOGRECORDINGPRO\n    properties: {{Record: Start}}\n    next: m\n  - id: m\n    type: MENU\n    properties: {props}\n    next: q\n  - id: q\n    type: REQAGENT\n    properties: {{Skill: Sales}}\n    next: h\n  - {{id: h, type: HANGUP}}\n"
    )
}

/// (lint reports P001, simulate's `sensitive_while_recording` count of 40 contacts).
fn both(name: &str, text: &str) -> (bool, u64) {
    let script = recflow::script::load_str(name, text).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let lint = recflow::lint::lint(&script, &Default::default()).iter().any(|d| d.code == "P001");
    let program = Compiled::compile(&script, &Tenant::default(), &Traffic::default());
    let report = simulate(&program, 40, |_| {});
    (lint, report.findings.get(recflow::sim::findings::Finding::SensitiveWhileRecording))
}

#[test]
fn security_code_menu_is_p001_in_lint_and_sensitive_in_simulate() {
    // (case, MENU properties, sensitive?) — the answer must be the same in lint and simulate.
    let cases = [
        ("phrase", "{Phrase: Please enter your security code}", true),
        ("pin", "{Phrase: Key in your PIN now}", true),
        ("annotated", "{Phrase: Press 1, Sensitive: True}", true),
        ("benign", "{Phrase: Press 1 for sales}", false),
        ("account", "{Phrase: Enter your account number}", false),
        ("substring", "{Phrase: Press 1 for spinning classes}", false),
        ("annotated-off", "{Phrase: Enter your security code, Sensitive: False}", false),
    ];
    for (case, props, sensitive) in cases {
        let (lint, sim) = both("s.yaml", &recorded_menu(props));
        assert_eq!(lint, sensitive, "{case}: lint P001");
        assert_eq!(sim > 0, sensitive, "{case}: simulate sensitive_while_recording = {sim}");
        if sensitive {
            assert_eq!(sim, 40, "{case}: every recorded contact hears the prompt");
        }
    }
}

#[test]
fn card_prompt_in_sequence_is_seen_by_both() {
    // `Phrase` is a caption; `Sequence` is what is played: its `%`-TTS entries and its audio
    // file names are read.
    for (case, props) in [
        ("tts", "{Phrase: caption only, Sequence: [\"%Please enter your card number\", \"beep.wav\"]}"),
        ("audio", "{Sequence: [\"prompts\\\\credit-card.wav\"]}"),
        ("cvv", "{Sequence: \"%Now the CVV on the back\"}"),
    ] {
        assert_eq!(both("s.yaml", &recorded_menu(props)), (true, 40), "{case}");
    }
    // The same through a Studio JSON document (list-valued Sequence as exported).
    let json = r#"{"header": {"scriptName": "card", "mediaType": 4},
 "actions": {"1": {"actionId": 1, "name": "BEGIN"}, "2": {"actionId": 2, "name": "LOGRECORDINGPRO"},
             "3": {"actionId": 3, "name": "MENU"}, "4": {"actionId": 4, "name": "HANGUP"}},
 "properties": {"2": {"0": {"name": "Record", "value": "Start"}},
                "3": {"0": {"name": "Phrase", "value": "Card"},
                      "1": {"name": "Sequence", "value": ["\"%Say or key your card number\""]}}},
 "branches": {"1": [{"to": 2, "label": "Default", "type": "default", "index": 0}],
              "2": [{"to": 3, "label": "Default", "type": "default", "index": 0}],
              "3": [{"to": 4, "label": "Default", "type": "default", "index": 0}]}}"#;
    assert_eq!(both("card.json", json), (true, 40), "studio json");
}

#[test]
fn consent_question_is_decided_at_load_and_lint_reads_it() {
    let text = "script: c
actions:
  - {id: b, type: BEGIN, next: ask}
  - id: ask
    type: MENU
    properties: {Phrase: This call may be recorded. Press 2 to opt out.}
    branches: {'1': queue, '2': dnr, default: queue}
  - {id: dnr, type: DONOTRECORD, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}, next: hold}
  - {id: hold, type: MUSIC, next: hold}
";
    let script = recflow::script::load_str("c.yaml", text).unwrap();
    let ask = script.find("ask").unwrap();
    let fact = script.action(ask).facts.consent.clone().expect("consent decided at load");
    assert_eq!(fact.accept, ["1", "default"]);
    assert!(fact.inferred.as_deref().unwrap().contains("`2` leads to DONOTRECORD"), "{fact:?}");
    // Lint's view is the load-time fact, not a second inference.
    let facts = recflow::lint::infer::Facts::new(&script);
    assert_eq!(facts.consent[ask.index()].as_ref(), Some(&fact));
    // Not a consent question: no branch avoids the DONOTRECORD.
    let none = text.replace("'1': queue", "'1': dnr").replace("default: queue", "default: dnr");
    let script = recflow::script::load_str("c.yaml", &none).unwrap();
    assert!(script.action(script.find("ask").unwrap()).facts.consent.is_none());
}

#[test]
fn linked_scripts_decide_consent_through_runsub() {
    // The decline branch calls a subscript that does DONOTRECORD: alone the entry script has no
    // consent question; linked (facts decided again over the linked flow) it has one.
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("main.yaml");
    std::fs::write(
        &main,
        "script: main
actions:
  - {id: b, type: BEGIN, next: ask}
  - id: ask
    type: MENU
    properties: {Phrase: Press 2 to opt out of recording.}
    branches: {'1': queue, '2': optout}
  - {id: optout, type: RUNSUB, properties: {ScriptName: optout}, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}, next: hold}
  - {id: hold, type: MUSIC, next: hold}
",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("optout.yaml"),
        "script: optout\nactions:\n  - {id: b, type: BEGIN, next: d}\n  - {id: d, type: DONOTRECORD, next: r}\n  - {id: r, type: RETURN}\n",
    )
    .unwrap();
    let lib = recflow::library::load(&main, &Default::default()).unwrap();
    let alone = lib.entry();
    assert!(alone.action(alone.find("ask").unwrap()).facts.consent.is_none());
    let linked = recflow::library::link::link(&lib).unwrap();
    let s = &linked.script;
    let fact = s.action(s.find("ask").unwrap()).facts.consent.clone().expect("linked consent");
    assert_eq!(fact.accept, ["1"]);
}
