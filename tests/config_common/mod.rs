//! Shared helpers for the tenant / traffic tests: a small script built by hand (so these tests
//! do not depend on the YAML loader), the insta settings, and error rendering.
#![allow(dead_code)]

use recflow::script::model::{
    Action, ActionIx, Branch, Format, Kind, LogRecordingPro, Menu, PropValue, Property, Record, RecordType,
    Script, Source, Span,
};

/// The FORMATS §1 example script (MENU `consent` with branches 1, 2, default; REQAGENT Sales).
pub const CONSENT_YAML: &str = include_str!("../../scripts/consent-gdpr.yaml");

fn span_of(text: &str, needle: &str, skip: usize) -> Span {
    let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}` not in script"));
    Span::new(at + skip, needle.len() - skip)
}

fn action(
    text: &str,
    id: &str,
    type_name: &str,
    kind: Kind,
    branches: &[(&str, &str)],
    ids: &[&str],
) -> Action {
    let id_span = span_of(text, &format!("id: {id}\n"), 4);
    let id_span = Span::new(id_span.offset, id.len());
    let mut properties = Vec::new();
    if let Kind::ReqAgent { skill, .. } = &kind {
        let s = span_of(text, &format!("Skill: {skill}"), 7);
        properties.push(Property {
            name: "Skill".into(),
            name_span: Span::new(s.offset - 7, 5),
            value: PropValue::Text(skill.clone()),
            span: s,
        });
    }
    Action {
        id: id.into(),
        id_span,
        span: id_span,
        type_name: type_name.into(),
        type_span: id_span,
        kind,
        label: None,
        properties,
        branches: branches
            .iter()
            .map(|(name, to)| Branch {
                name: (*name).into(),
                name_span: id_span,
                target: ids.iter().position(|i| i == to).map(|i| ActionIx(i as u32)),
                target_span: id_span,
            })
            .collect(),
        consent: None,
        allow: Vec::new(),
        studio_extra: None,
    }
}

/// `scripts/consent-gdpr.yaml`, built by hand with real spans into its text.
pub fn consent_script() -> Script {
    let text = CONSENT_YAML;
    let ids = ["begin", "consent", "dnr", "record", "queue", "hold"];
    let menu = Kind::Menu(Menu {
        phrase: "Press 1 to allow recording, press 2 to decline.".into(),
        variable: "MRES".into(),
        max_digits: 1,
        timeout: 5.0,
        sensitive: None,
    });
    let actions = vec![
        action(text, "begin", "BEGIN", Kind::Begin, &[("default", "consent")], &ids),
        action(text, "consent", "MENU", menu, &[("1", "record"), ("2", "dnr"), ("default", "dnr")], &ids),
        action(text, "dnr", "DONOTRECORD", Kind::DoNotRecord, &[("default", "queue")], &ids),
        action(
            text,
            "record",
            "LOGRECORDINGPRO",
            Kind::LogRecordingPro(LogRecordingPro {
                record: Record::Start,
                record_type: RecordType::Call,
                use_statement_id: false,
            }),
            &[("default", "queue")],
            &ids,
        ),
        action(
            text,
            "queue",
            "REQAGENT",
            Kind::ReqAgent { skill: "Sales".into(), target_agent: None },
            &[("default", "hold")],
            &ids,
        ),
        action(text, "hold", "MUSIC", Kind::Music { seconds: 0.0 }, &[("default", "hold")], &ids),
    ];
    Script {
        name: "consent-gdpr".into(),
        description: None,
        source: Source::new("scripts/consent-gdpr.yaml", text),
        format: Format::Yaml,
        actions,
        studio_header: None,
    }
}

/// Render errors (or warnings) the way the tests snapshot them.
pub fn render(errors: &[recflow::script::LoadError]) -> String {
    recflow::script::LoadErrors { errors: errors.to_vec() }.render_plain(100)
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!($name, $value);
        })
    };
}
