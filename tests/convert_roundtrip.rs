//! `recflow convert` law: a converted script behaves exactly like its source.
//!
//! YAML → Studio JSON → YAML gives an equivalent [`Script`] (same ids, types, typed and written
//! properties, branches in order, targets, captions, annotations), and the texts are stable
//! (converting again gives byte-identical output). Checked on generated scripts (proptest) and
//! on every file in `scripts/`.

mod common;

use std::fmt::Write as _;

use proptest::prelude::*;
use recflow::script::{self, Kind, OnOff, Record, Script, export};

/// Everything that decides how a script behaves, as text: two scripts with the same canon
/// lint, simulate and draw the same.
fn canon(s: &Script) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "name={:?} description={:?}", s.name, s.description);
    for a in &s.actions {
        let _ = writeln!(o, "action id={:?} label={:?}", a.id, a.label);
        let _ = writeln!(o, "  kind={}", kind(a));
        if let Some(c) = &a.consent {
            let _ = writeln!(o, "  consent={:?}", c.accept);
        }
        for al in &a.allow {
            let _ = writeln!(o, "  allow {:?} {:?}", al.rule, al.reason);
        }
        for p in &a.properties {
            let _ = writeln!(o, "  prop {:?}={:?}", p.name, p.value);
        }
        for b in &a.branches {
            let target = b.target.map(|t| s.action(t).id.as_str());
            let _ = writeln!(o, "  branch {:?} -> {:?}", b.name, target);
        }
    }
    o
}

fn kind(a: &recflow::script::Action) -> String {
    match &a.kind {
        Kind::Menu(m) => format!(
            "MENU phrase={:?} var={:?} digits={:?} timeout={} inter-digit={} sensitive={:?}",
            m.phrase, m.variable, m.max_digits, m.timeout, m.inter_digit_timeout, m.sensitive
        ),
        Kind::Play { phrase } => format!("PLAY {phrase:?}"),
        Kind::Music { seconds } => format!("MUSIC {seconds}"),
        Kind::Wait { seconds } => format!("WAIT {seconds}"),
        Kind::Assign { variable, value } => format!("ASSIGN {variable:?}={value:?}"),
        Kind::Snippet(sn) => format!("SNIPPET {:?}", sn.data),
        Kind::Case { variable } => format!("CASE {variable:?}"),
        Kind::ReqAgent { skill, target_agent } => format!("REQAGENT {skill:?} {target_agent:?}"),
        Kind::Indicate(i) => format!(
            "INDICATE {:?} {} {:?} {:?} {:?}",
            i.name,
            if i.state == OnOff::On { "On" } else { "Off" },
            i.action_type,
            i.parameters,
            i.tooltip
        ),
        Kind::LogRecordingPro(l) => format!(
            "LOGRECORDINGPRO {} statement={}",
            if l.record == Record::Start { "Start" } else { "Stop" },
            l.use_statement_id
        ),
        Kind::Other => format!("OTHER {:?}", script::normalize_type(&a.type_name)),
        k => k.canonical_name().unwrap_or("?").to_owned(),
    }
}

fn load(name: &str, text: &str) -> Script {
    script::load_str(name, text)
        .unwrap_or_else(|e| panic!("{name} does not load:\n{}\n---\n{text}", e.render_plain(100)))
}

/// YAML → JSON → YAML: equivalent scripts, stable texts. Returns the JSON text.
fn check_roundtrip(source: &Script) -> String {
    let json = export::to_studio_json(source);
    let from_json = load("converted.json", &json);
    assert_eq!(canon(source), canon(&from_json), "Studio JSON changed the script:\n{json}");
    let yaml = export::to_yaml(&from_json);
    let from_yaml = load("converted.yaml", &yaml);
    assert_eq!(canon(source), canon(&from_yaml), "YAML changed the script:\n{yaml}");
    // Converting again is byte-identical (deterministic, idempotent).
    assert_eq!(export::to_yaml(&from_yaml), yaml);
    assert_eq!(export::to_yaml(source), yaml);
    assert_eq!(export::to_studio_json(&from_json), json);
    json
}

#[test]
fn every_example_script_round_trips() {
    let files = common::example_scripts();
    assert!(files.len() >= 12, "expected the example scripts, found {files:?}");
    for f in files {
        let s = script::load_path(&f).unwrap_or_else(|e| panic!("{}: {}", f.display(), e.render_plain(100)));
        check_roundtrip(&s);
    }
}

/// `scripts/studio-json/X.json` is `scripts/X.yaml` in Studio form: same behaviour.
#[test]
fn studio_json_examples_match_their_yaml() {
    let root = common::repo("scripts");
    let mut n = 0;
    for f in common::studio_json_examples() {
        let yaml = root.join(f.file_stem().unwrap()).with_extension("yaml");
        if !yaml.exists() {
            continue;
        }
        let a = script::load_path(&f).unwrap();
        let b = script::load_path(&yaml).unwrap();
        assert_eq!(canon(&a), canon(&b), "{} differs from {}", f.display(), yaml.display());
        assert_eq!(a.format, script::Format::StudioJson);
        n += 1;
    }
    assert!(n >= 2, "at least two Studio JSON examples have a YAML twin");
}

/// Layout and header data of a Studio export survive a JSON → JSON conversion.
#[test]
fn studio_layout_and_header_survive() {
    let text = r#"{"header": {"scriptName": "s", "scriptVersion": 7, "folder": "\\Sales"},
 "actions": {"1": {"actionId": "1", "name": "BEGIN", "x": 12, "y": 34, "libraryId": 5, "skin": {"c": 1}},
             "2": {"actionId": "2", "name": "END"}},
 "properties": {},
 "branches": {"1": [{"to": "2", "label": "Default", "type": "default", "index": 0}]},
 "metadata": {"exportedBy": "studio"}}"#;
    let s = load("in.json", text);
    let out = export::to_studio_json(&s);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["header"]["scriptVersion"], 7);
    assert_eq!(v["header"]["folder"], "\\Sales");
    assert_eq!(v["actions"]["1"]["x"], 12);
    assert_eq!(v["actions"]["1"]["libraryId"], 5);
    assert_eq!(v["actions"]["1"]["skin"]["c"], 1);
    assert_eq!(v["metadata"]["exportedBy"], "studio");
    assert_eq!(v["branches"]["1"][0]["to"], "2");
    check_roundtrip(&s);
}

// ---------------------------------------------------------------------------------------------
// Generated scripts
// ---------------------------------------------------------------------------------------------

/// Free text, including what YAML and JSON find hard: quotes, `#`, `:`, brackets, line breaks,
/// tabs, unicode, reserved words, numbers with leading zeros.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9 ]{1,12}",
        3 => r#"[a-zA-Z0-9 :#"'\\|<>&{}\[\],.!?*%@`~=éü😀\n\t-]{0,16}"#,
        1 => prop::sample::select(vec![
            "", "True", "false", "On", "off", "yes", "null", "~", "007", "1.50", "2", "-3", " lead",
            "trail ", "a\r\nb", "line1\nline2\n", "\n\nx", "x\n\n", "  indented\nnot", "# hash", "- dash",
            "key: value", "[list]", "{map}", "&anchor", "*alias", "!tag", "|", ">", "@", "'", "\"",
        ])
        .prop_map(str::to_owned),
    ]
}

/// Text with something other than blanks (labels, descriptions: the loader refuses blank ones).
fn nonblank() -> impl Strategy<Value = String> {
    text().prop_map(|t| if t.trim().is_empty() { format!("{t}x") } else { t })
}

/// Valid Snippet programs, with varied layout (block scalar or not).
fn snippet_data() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "ASSIGN Global:_recordingStatementId = RecordingStatementId",
        "ASSIGN Global:_recordingStatementId = RecordingStatementId\n",
        "// save it\nASSIGN Global:x = RecordingStatementId\n\n",
        "IF x = 1 {\n  ASSIGN y = \"a#b\"\n} ELSE {\n  ASSIGN y = 'c: d'\n}",
        "  ASSIGN n = 2\nTRACE n",
        "",
    ])
    .prop_map(str::to_owned)
}

#[derive(Clone, Debug)]
struct GenAction {
    ty: String,
    label: Option<String>,
    props: Vec<(String, GenValue)>,
    /// Branch names; targets are chosen once all ids are known.
    branches: Vec<(String, Option<prop::sample::Index>)>,
    consent: Option<Vec<String>>,
    allow: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
enum GenValue {
    Text(String),
    List(Vec<String>),
}

fn t(s: impl Strategy<Value = String>) -> impl Strategy<Value = GenValue> {
    s.prop_map(GenValue::Text)
}

fn sel(v: &[&'static str]) -> impl Strategy<Value = String> + use<> {
    prop::sample::select(v.to_vec()).prop_map(str::to_owned)
}

/// Typed properties valid for the type, each present or not.
fn props_for(ty: &str) -> BoxedStrategy<Vec<(String, GenValue)>> {
    let opt = |name: &'static str, v: BoxedStrategy<GenValue>| {
        prop::option::weighted(0.7, v).prop_map(move |v| v.map(|v| (name.to_owned(), v))).boxed()
    };
    let list: Vec<BoxedStrategy<Option<(String, GenValue)>>> = match ty {
        "MENU" => vec![
            opt("Phrase", t(text()).boxed()),
            opt("Variable", t("[A-Z]{1,6}").boxed()),
            opt("MaxDigits", t(sel(&["1", "4", "16"])).boxed()),
            opt("Timeout", t(sel(&["5", "2.5", "10"])).boxed()),
            opt("Sensitive", t(sel(&["True", "False", "true", "yes"])).boxed()),
        ],
        "PLAY" => vec![opt("Phrase", t(text()).boxed())],
        "MUSIC" => vec![
            opt("MusicFile", t(text()).boxed()),
            opt("SecondstoPlay", t(sel(&["0", "30", "7.5"])).boxed()),
        ],
        "WAIT" => vec![opt("Seconds", t(sel(&["0", "5", "1.25"])).boxed())],
        "ASSIGN" => vec![opt("Variable", t("[A-Za-z_:]{1,10}").boxed()), opt("Value", t(text()).boxed())],
        "SNIPPET" => vec![opt("Data", t(snippet_data()).boxed())],
        "CASE" => vec![opt("Variable", t(sel(&["SP1", "MRES", "x"])).boxed())],
        "REQAGENT" => vec![opt("Skill", t(text()).boxed()), opt("TargetAgent", t(text()).boxed())],
        "INDICATE" => vec![
            opt("Name", t(text()).boxed()),
            opt("State", t(sel(&["On", "Off", "on", "False"])).boxed()),
            opt("ActionType", t(sel(&["Signal"])).boxed()),
            opt("Parameters", prop::collection::vec(text(), 0..=9).prop_map(GenValue::List).boxed()),
            opt("Tooltip", t(text()).boxed()),
        ],
        "LOGRECORDINGPRO" => vec![
            sel(&["Start", "Stop", "start"])
                .prop_map(|v| Some(("Record".to_owned(), GenValue::Text(v))))
                .boxed(),
            opt("RecordType", t(sel(&["Call"])).boxed()),
            opt("UseRecordingStatementId", t(sel(&["True", "False"])).boxed()),
        ],
        _ => vec![
            opt("Custom Setting", t(text()).boxed()),
            opt("Values", prop::collection::vec(text(), 0..4).prop_map(GenValue::List).boxed()),
        ],
    };
    // Plus a property recflow does not model (kept as written in both formats).
    let extra = opt("Note", t(text()).boxed());
    (list, extra).prop_map(|(l, e)| l.into_iter().chain([e]).flatten().collect::<Vec<_>>()).boxed()
}

fn branches_for(ty: &str) -> BoxedStrategy<Vec<(String, Option<prop::sample::Index>)>> {
    let target = || prop::option::weighted(0.8, any::<prop::sample::Index>());
    let names: BoxedStrategy<Vec<String>> = match ty {
        "END" | "HANGUP" => Just(vec![]).boxed(),
        "MENU" => prop::sample::subsequence(vec!["default", "1", "2", "3", "*", "#", "12"], 0..=7)
            .prop_map(|v| v.into_iter().map(str::to_owned).collect())
            .boxed(),
        "SNIPPET" => prop::sample::subsequence(vec!["default", "Error"], 0..=2)
            .prop_map(|v| v.into_iter().map(str::to_owned).collect())
            .boxed(),
        "CASE" => (prop::collection::vec("[A-Za-z0-9#:\" ]{1,8}", 0..4), any::<bool>())
            .prop_map(|(vals, d)| {
                let mut out: Vec<String> = Vec::new();
                for v in vals {
                    let v = v.trim().to_owned();
                    let reserved = v.eq_ignore_ascii_case("default") || v.eq_ignore_ascii_case("error");
                    if !v.is_empty() && !reserved && !out.contains(&v) {
                        out.push(v);
                    }
                }
                if d {
                    out.push("default".into());
                }
                out
            })
            .boxed(),
        t if t.starts_with("X-") => {
            prop::sample::subsequence(vec!["default", "Error", "Busy", "Timeout"], 0..=4)
                .prop_map(|v| v.into_iter().map(str::to_owned).collect())
                .boxed()
        }
        _ => prop::sample::subsequence(vec!["default"], 0..=1)
            .prop_map(|v| v.into_iter().map(str::to_owned).collect())
            .boxed(),
    };
    names
        .prop_flat_map(move |names| {
            let n = names.len();
            (Just(names), prop::collection::vec(target(), n))
        })
        .prop_map(|(names, targets)| names.into_iter().zip(targets).collect())
        .boxed()
}

const TYPES: &[&str] = &[
    "END",
    "HANGUP",
    "MENU",
    "PLAY",
    "MUSIC",
    "WAIT",
    "ASSIGN",
    "SNIPPET",
    "CASE",
    "REQAGENT",
    "ONANSWER",
    "ONRELEASE",
    "ONSIGNAL",
    "INDICATE",
    "LOGRECORDINGPRO",
    "RECORDAGENTONLY",
    "DONOTRECORD",
    "X-Play Prompt Ext",
    "X-SETSKILL",
];

/// Studio spellings of a type: the loader matches ignoring case, spaces and underscores.
fn spelled(ty: &str, variant: u8) -> String {
    if let Some(other) = ty.strip_prefix("X-") {
        return other.to_owned();
    }
    match (ty, variant % 3) {
        ("DONOTRECORD", 1) => "Do Not Record".into(),
        ("LOGRECORDINGPRO", 1) => "LogRecordingPro".into(),
        ("REQAGENT", 2) => "Reqagent".into(),
        (t, 2) => t.to_lowercase(),
        (t, _) => t.to_owned(),
    }
}

fn action() -> impl Strategy<Value = GenAction> {
    (prop::sample::select(TYPES), any::<u8>()).prop_flat_map(|(ty, variant)| {
        let consent = if ty == "MENU" {
            prop::option::of(
                prop::sample::subsequence(vec!["1", "2", "9"], 1..=2)
                    .prop_map(|v| v.into_iter().map(str::to_owned).collect()),
            )
            .boxed()
        } else {
            Just(None).boxed()
        };
        let allow = prop::collection::vec((sel(&["C001", "G001", "O001"]), "[a-z][a-z :#\"]{0,12}"), 0..2);
        (prop::option::of(nonblank()), props_for(ty), branches_for(ty), consent, allow).prop_map(
            move |(label, props, branches, consent, allow)| GenAction {
                ty: spelled(ty, variant),
                label,
                props,
                branches,
                consent,
                allow,
            },
        )
    })
}

#[derive(Clone, Debug)]
struct GenScript {
    name: String,
    description: Option<String>,
    ids: Vec<String>,
    actions: Vec<GenAction>,
}

fn gen_script() -> impl Strategy<Value = GenScript> {
    let id = prop_oneof![
        "[a-z][a-z0-9-]{0,8}",
        "[1-9][0-9]{0,3}",
        sel(&["007", "true", "a b", "x:y", "#1", "ü", "null", "-1", "[x]"]),
    ];
    (
        "[a-zA-Z][a-zA-Z0-9 _:#-]{0,15}",
        prop::option::of(nonblank()),
        prop::collection::vec((id, action()), 0..10),
        branches_for("BEGIN"),
    )
        .prop_map(|(name, description, body, begin_branches)| {
            let mut ids = vec!["begin".to_owned()];
            let mut actions = vec![GenAction {
                ty: "BEGIN".into(),
                label: None,
                props: vec![],
                branches: begin_branches,
                consent: None,
                allow: vec![],
            }];
            let mut events: Vec<String> = Vec::new();
            for (id, mut a) in body {
                let mut id = id;
                while ids.contains(&id) {
                    id.push('_');
                }
                // At most one of each event action: later ones become PLAY.
                let norm = script::normalize_type(&a.ty);
                if norm.starts_with("ON") {
                    if events.contains(&norm) {
                        a.ty = "PLAY".into();
                        a.props.clear();
                    } else {
                        events.push(norm);
                    }
                }
                ids.push(id);
                actions.push(a);
            }
            GenScript { name: name.trim().to_owned() + "s", description, ids, actions }
        })
}

/// A YAML double-quoted string written the JSON way (plus escapes for what YAML does not allow
/// raw): independent of recflow's own YAML writer.
fn q(s: &str) -> String {
    let json = serde_json::to_string(s).unwrap();
    json.chars()
        .map(|c| match c {
            '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => format!("\\u{:04X}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// Render a generated script as YAML, every string quoted by [`q`].
fn render_yaml(g: &GenScript) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "script: {}", q(&g.name));
    if let Some(d) = &g.description {
        let _ = writeln!(o, "description: {}", q(d));
    }
    o.push_str("actions:\n");
    for (i, a) in g.actions.iter().enumerate() {
        let _ = writeln!(o, "  - id: {}\n    type: {}", q(&g.ids[i]), q(&a.ty));
        if let Some(l) = &a.label {
            let _ = writeln!(o, "    label: {}", q(l));
        }
        if let Some(c) = &a.consent {
            let items: Vec<String> = c.iter().map(|s| q(s)).collect();
            let _ = writeln!(o, "    consent: {{accept: [{}]}}", items.join(", "));
        }
        if !a.allow.is_empty() {
            o.push_str("    allow:\n");
            for (r, why) in &a.allow {
                let _ = writeln!(o, "      - {{rule: {}, reason: {}}}", q(r), q(why));
            }
        }
        if !a.props.is_empty() {
            o.push_str("    properties:\n");
            for (n, v) in &a.props {
                let v = match v {
                    GenValue::Text(s) => q(s),
                    GenValue::List(l) => {
                        format!("[{}]", l.iter().map(|s| q(s)).collect::<Vec<_>>().join(", "))
                    }
                };
                let _ = writeln!(o, "      {}: {v}", q(n));
            }
        }
        if !a.branches.is_empty() {
            o.push_str("    branches:\n");
            for (n, target) in &a.branches {
                let target = target.map_or("~".to_owned(), |ix| q(&g.ids[ix.index(g.ids.len())]));
                let _ = writeln!(o, "      {}: {target}", q(n));
            }
        }
    }
    o
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn generated_scripts_round_trip(g in gen_script()) {
        let yaml = render_yaml(&g);
        let source = load("generated.yaml", &yaml);
        prop_assert_eq!(source.actions.len(), g.actions.len());
        check_roundtrip(&source);
    }
}

/// Sanity check of the generator's reach: all the hard cases it is meant to produce load.
#[test]
fn hard_strings_survive_both_formats() {
    let hard = [
        "",
        "True",
        "null",
        "~",
        "007",
        "1.50",
        " lead",
        "trail ",
        "a\r\nb",
        "line1\nline2\n",
        "\n\nx",
        "x\n\n",
        "  indented\nnot",
        "# hash",
        "- dash",
        "key: value",
        "tab\there",
        "quote \" and \\",
        "\u{2028}sep",
        "\u{feff}bom",
        "bell\u{7}",
        "del\u{7f}",
        "é😀",
        "a\n  \nb",
    ];
    let mut yaml = String::from("script: hard\nactions:\n  - id: begin\n    type: BEGIN\n    next: p0\n");
    for (i, h) in hard.iter().enumerate() {
        let _ = writeln!(
            yaml,
            "  - id: p{i}\n    type: PLAY\n    label: {}\n    properties: {{Phrase: {}, Note: [{}]}}\n    next: p{}",
            q(&format!("{h}x")),
            q(h),
            q(h),
            (i + 1) % hard.len()
        );
    }
    let s = load("hard.yaml", &yaml);
    check_roundtrip(&s);
}
