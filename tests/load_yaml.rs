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
    assert_eq!(m.max_digits, 1);
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
