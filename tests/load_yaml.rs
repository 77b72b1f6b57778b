//! Loader happy path: the example scripts load into the right `Script`.

use recflow::script::{self, Kind, Record, RecordType, Script};

fn text_at(s: &Script, span: script::Span) -> &str {
    &s.source.text[span.offset..span.end()]
}

#[test]
fn consent_gdpr_loads() {
    let s = script::load_path(std::path::Path::new("scripts/consent-gdpr.yaml")).unwrap();
    assert_eq!(s.name, "consent-gdpr");
    assert_eq!(s.description.as_deref(), Some("Ask consent, then route to Sales"));
    let ids: Vec<&str> = s.actions.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["begin", "consent", "dnr", "record", "queue", "hold"]);
    assert_eq!(s.begin(), s.find("begin").unwrap());

    let consent = s.action(s.find("consent").unwrap());
    let Kind::Menu(m) = &consent.kind else { panic!("not a MENU: {:?}", consent.kind) };
    assert_eq!(m.phrase, "Press 1 to allow recording, press 2 to decline.");
    assert_eq!(m.variable, "MRES");
    assert_eq!(m.max_digits, None, "MaxDigits not written: the input is not cut (A-25)");
    assert_eq!(m.timeout, 5.0);
    assert_eq!(m.sensitive, None);
    assert_eq!(consent.label.as_deref(), Some("Recording consent"));
    assert_eq!(consent.consent.as_ref().unwrap().accept, ["1"]);
    let names: Vec<&str> = consent.branches.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["1", "2", "default"]);
    assert_eq!(consent.branch("1").unwrap().target, s.find("record"));
    assert_eq!(consent.branch("2").unwrap().target, s.find("dnr"));
    assert_eq!(text_at(&s, consent.branch("2").unwrap().target_span), "dnr");
    assert_eq!(text_at(&s, consent.branch("1").unwrap().name_span), "\"1\"");

    let record = s.action(s.find("record").unwrap());
    let Kind::LogRecordingPro(l) = &record.kind else { panic!() };
    assert_eq!((l.record, l.record_type, l.use_statement_id), (Record::Start, RecordType::Call, false));
    assert_eq!(text_at(&s, record.property_span("record")), "Start");
    assert_eq!(text_at(&s, record.type_span), "LOGRECORDINGPRO");
    assert_eq!(text_at(&s, record.id_span), "record");
    assert!(text_at(&s, record.span).starts_with("id: record"));
    assert!(text_at(&s, record.span).ends_with("next: queue"));

    let queue = s.action(s.find("queue").unwrap());
    assert!(matches!(&queue.kind, Kind::ReqAgent { skill, target_agent: None } if skill == "Sales"));
    let hold = s.action(s.find("hold").unwrap());
    assert!(matches!(hold.kind, Kind::Music { seconds } if seconds == 0.0));
    assert_eq!(hold.branch("default").unwrap().target, s.find("hold"));
    assert_eq!(text_at(&s, hold.branch("default").unwrap().name_span), "next");
    assert!(matches!(s.action(s.find("dnr").unwrap()).kind, Kind::DoNotRecord));

    let (line, col) = s.source.line_col(record.type_span.offset);
    assert_eq!((line, col), (25, 11));
}

#[test]
fn integer_and_string_ids_are_the_same() {
    let s = script::load_str(
        "t.yaml",
        "script: t\nactions:\n  - {id: 1, type: BEGIN, next: \"2\"}\n  - {id: \"2\", type: Hangup}\n",
    )
    .unwrap();
    assert_eq!(s.actions[0].branch("default").unwrap().target, s.find("2"));
    assert_eq!(s.find("1"), Some(s.begin()));
    assert!(matches!(s.actions[1].kind, Kind::Hangup));
}

fn all_types() -> Script {
    script::load_path(std::path::Path::new("tests/fixtures/all-types.yaml"))
        .unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

fn get<'a>(s: &'a Script, id: &str) -> &'a script::Action {
    s.action(s.find(id).unwrap_or_else(|| panic!("no action {id}")))
}

#[test]
fn every_modelled_type_loads_with_typed_properties() {
    use script::{Kind, OnOff, PropValue};
    let s = all_types();
    assert_eq!(s.name, "all-types");
    assert_eq!(s.actions.len(), 19);
    let canon: Vec<Option<&str>> = s.actions.iter().map(|a| a.kind.canonical_name()).collect();
    assert_eq!(
        canon,
        [
            Some("BEGIN"),
            Some("MENU"),
            Some("PLAY"),
            Some("MUSIC"),
            Some("WAIT"),
            Some("ASSIGN"),
            Some("SNIPPET"),
            Some("CASE"),
            Some("REQAGENT"),
            Some("INDICATE"),
            Some("DONOTRECORD"),
            Some("RECORDAGENTONLY"),
            Some("LOGRECORDINGPRO"),
            Some("HANGUP"),
            Some("END"),
            Some("ONANSWER"),
            Some("ONRELEASE"),
            Some("ONSIGNAL"),
            None
        ]
    );

    let Kind::Menu(m) = &get(&s, "menu").kind else { panic!() };
    assert_eq!(m.phrase, "Press 1 to be recorded, 2 if you'd rather not");
    assert_eq!(
        (m.variable.as_str(), m.max_digits, m.timeout, m.sensitive),
        ("CHOICE", Some(2), 7.5, Some(false))
    );
    let menu = get(&s, "menu");
    let names: Vec<&str> = menu.branches.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["1", "2", "#", "default"]);
    assert_eq!(menu.branch("#").unwrap().target, None);
    assert_eq!(text_at(&s, menu.branch("default").unwrap().name_span), "Default");
    assert_eq!(text_at(&s, menu.property_span("PHRASE")), "'Press 1 to be recorded, 2 if you''d rather not'");
    assert_eq!(menu.label.as_deref(), Some("Main menu"));

    assert!(matches!(&get(&s, "play").kind, Kind::Play { phrase } if phrase == "Hello"));
    assert!(matches!(get(&s, "music").kind, Kind::Music { seconds } if seconds == 30.0));
    assert!(matches!(get(&s, "wait").kind, Kind::Wait { seconds } if seconds == 5.0));
    assert!(
        matches!(&get(&s, "assign").kind, Kind::Assign { variable, value } if variable == "greeting" && value == "Hi {name}")
    );

    let snippet = get(&s, "snippet");
    let Kind::Snippet(sn) = &snippet.kind else { panic!() };
    assert_eq!(sn.data, "ASSIGN count = 1\nTRACE \"n={count}\"\n");
    let at = sn.map.to_source(sn.data.find("TRACE").unwrap());
    assert!(s.source.text[at..].starts_with("TRACE \"n={count}\""));
    assert_eq!(s.source.line_col(at), (43, 9));
    let names: Vec<&str> = snippet.branches.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["default", "Error"]);
    assert_eq!(snippet.branch("Error").unwrap().target, s.find("end"));

    assert!(matches!(&get(&s, "case").kind, Kind::Case { variable } if variable == "count"));
    let names: Vec<&str> = get(&s, "case").branches.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["1", "gold", "default"]);

    assert!(matches!(&get(&s, "agent").kind,
        Kind::ReqAgent { skill, target_agent: Some(t) } if skill == "Sales" && t == "alice"));

    let Kind::Indicate(ind) = &get(&s, "indicate").kind else { panic!() };
    assert_eq!(ind.name, "Recording");
    assert_eq!(ind.state, OnOff::Off);
    assert_eq!(ind.action_type, "Signal");
    assert_eq!(ind.parameters, ["a", "b", "3"]);
    assert_eq!(ind.tooltip.as_deref(), Some("shown to agent"));

    let log = get(&s, "log");
    let Kind::LogRecordingPro(l) = &log.kind else { panic!() };
    assert_eq!((l.record, l.record_type, l.use_statement_id), (Record::Stop, RecordType::Call, true));
    // Unknown properties are kept, in file order, with their spans.
    let props: Vec<&str> = log.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(props, ["record", "RecordType", "UseRecordingStatementId", "Custom"]);
    assert_eq!(log.properties[3].value, PropValue::Text("kept".into()));
    assert_eq!(text_at(&s, log.properties[3].span), "kept");
    assert_eq!(text_at(&s, log.properties[3].name_span), "Custom");
    assert_eq!(log.allow.len(), 1);
    assert_eq!((log.allow[0].rule.as_str(), log.allow[0].reason.as_str()), ("C001", "stop is intended here"));

    let menu_consent = get(&s, "menu").consent.as_ref().unwrap();
    assert_eq!(text_at(&s, menu_consent.span), "{accept: [\"1\"]}");

    assert!(get(&s, "hangup").branches.is_empty());
    assert_eq!(get(&s, "answer").branch("default").unwrap().target, None);
    assert_eq!(s.event(script::Event::Signal), s.find("signal"));
    assert_eq!(s.event(script::Event::Release), s.find("release"));

    let other = get(&s, "other");
    assert!(matches!(other.kind, Kind::Other));
    assert_eq!(other.type_name, "Workflow Execute");
    let names: Vec<&str> = other.branches.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["OnSuccess", "OnError"]);

    // Integer id 1 is the BEGIN; `next: "menu"` resolved.
    assert_eq!(s.begin(), s.find("1").unwrap());
    assert_eq!(text_at(&s, s.actions[0].id_span), "1");
    assert_eq!(s.actions[0].branch("default").unwrap().target, s.find("menu"));
}

#[test]
fn state_accepts_yaml_booleans_and_strings() {
    use script::{Kind, OnOff};
    for (v, want) in [
        ("On", OnOff::On),
        ("off", OnOff::Off),
        ("yes", OnOff::On),
        ("no", OnOff::Off),
        ("true", OnOff::On),
        ("False", OnOff::Off),
        ("\"Off\"", OnOff::Off),
    ] {
        let y = format!(
            "script: t\nactions:\n  - {{id: b, type: BEGIN, next: i}}\n  - {{id: i, type: INDICATE, properties: {{State: {v}}}}}\n"
        );
        let s = script::load_str("t.yaml", &y).unwrap();
        let Kind::Indicate(i) = &s.actions[1].kind else { panic!() };
        assert_eq!(i.state, want, "{v}");
    }
}

#[test]
fn type_names_normalise() {
    for t in ["Do Not Record", "DoNotRecord", "DONOTRECORD", "do_not_record", "do-not-record"] {
        let y =
            format!("script: t\nactions:\n  - {{id: b, type: BEGIN, next: d}}\n  - {{id: d, type: {t}}}\n");
        let s = script::load_str("t.yaml", &y).unwrap();
        assert!(matches!(s.actions[1].kind, script::Kind::DoNotRecord), "{t}");
        assert_eq!(s.actions[1].type_name, t);
    }
}

#[test]
fn defaults_apply_when_properties_are_absent_or_empty() {
    use script::Kind;
    let y = "\
script: t
actions:
  - {id: b, type: BEGIN, next: m}
  - {id: m, type: MENU, properties: {Timeout: '', Variable: ~}}
  - {id: q, type: REQAGENT}
  - {id: mu, type: MUSIC}
  - {id: i, type: INDICATE}
  - {id: l, type: LOGRECORDINGPRO, properties: {Record: Start}}
";
    let s = script::load_str("t.yaml", y).unwrap();
    let Kind::Menu(m) = &s.actions[1].kind else { panic!() };
    assert_eq!((m.variable.as_str(), m.max_digits, m.timeout, m.sensitive), ("MRES", None, 5.0, None));
    assert!(matches!(&s.actions[2].kind, Kind::ReqAgent { skill, target_agent: None } if skill == "Default"));
    assert!(matches!(s.actions[3].kind, Kind::Music { seconds } if seconds == 0.0));
    let Kind::Indicate(i) = &s.actions[4].kind else { panic!() };
    assert_eq!((i.state, i.action_type.as_str(), i.parameters.len()), (script::OnOff::On, "Signal", 0));
    let Kind::LogRecordingPro(l) = &s.actions[5].kind else { panic!() };
    assert_eq!((l.record_type, l.use_statement_id), (RecordType::Call, false));
}

#[test]
fn crlf_and_bom_files_load_with_the_same_spans() {
    let text = std::fs::read_to_string("scripts/consent-gdpr.yaml").unwrap().replace('\n', "\r\n");
    let text = format!("\u{feff}{text}");
    let s = script::load_str("crlf.yaml", &text).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let record = s.action(s.find("record").unwrap());
    assert_eq!(text_at(&s, record.type_span), "LOGRECORDINGPRO");
    assert_eq!(s.source.line_col(record.type_span.offset), (25, 11));
    let y = "script: t\r\nactions:\r\n  - {id: b, type: BEGIN, next: s}\r\n  - id: s\r\n    type: SNIPPET\r\n    properties:\r\n      Data: |\r\n        ASSIGN x = 1\r\n        TRACE x\r\n";
    let s = script::load_str("crlf.yaml", y).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let script::Kind::Snippet(sn) = &s.actions[1].kind else { panic!() };
    let at = sn.map.to_source(sn.data.find("TRACE").unwrap());
    assert!(y[at..].starts_with("TRACE x"), "{:?}", sn.data);
}
