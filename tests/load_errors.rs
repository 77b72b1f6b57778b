//! One fixture per load-error kind, each with a snapshot of the rendered diagnostic
//! (`load__<kind>` in `snapshots/`), plus assertions on code, location and count.

use recflow::script::{self, LoadErrorKind, LoadErrors};

fn load_err(name: &str, yaml: &str) -> LoadErrors {
    match script::load_str(name, yaml) {
        Ok(_) => panic!("{name} loaded but should not:\n{yaml}"),
        Err(e) => e,
    }
}

/// Load, check every error has `kind` and the primary labels sit at `at` (line, column),
/// and snapshot the rendered diagnostics.
fn check(snapshot: &str, yaml: &str, kind: LoadErrorKind, at: &[(usize, usize)]) -> LoadErrors {
    let errs = load_err("script.yaml", yaml);
    let kinds: Vec<_> = errs.errors.iter().map(|e| e.kind).collect();
    assert!(kinds.iter().all(|k| *k == kind), "{snapshot}: kinds {kinds:?}\n{}", errs.render_plain(100));
    let locs: Vec<_> = errs.errors.iter().map(|e| e.line_col().unwrap()).collect();
    assert_eq!(locs, at, "{snapshot}:\n{}", errs.render_plain(100));
    let rendered = errs.render_plain(100);
    for (l, c) in at {
        assert!(rendered.contains(&format!("script.yaml:{l}:{c}")), "{rendered}");
    }
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false, description => yaml}, {
        insta::assert_snapshot!(snapshot, rendered);
    });
    errs
}

#[test]
fn empty() {
    check("load__empty", "# nothing here\n\n", LoadErrorKind::Empty, &[(1, 1)]);
}

#[test]
fn syntax() {
    let yaml = "script: t\nactions:\n  - id: a\n    type: [BEGIN\n";
    let e = check("load__syntax", yaml, LoadErrorKind::Syntax, &[(4, 11)]);
    assert!(e.errors[0].message.starts_with("invalid YAML"));
}

#[test]
fn wrong_type() {
    let yaml = "\
script: t
actions:
  - id: b
    type: [BEGIN, MENU]
    next: c
  - id: c
    type: PLAY
    properties:
      Phrase: {text: hello}
    branches: [c]
";
    check("load__wrong_type", yaml, LoadErrorKind::WrongType, &[(4, 11), (9, 15), (10, 15)]);
}

#[test]
fn missing_keys() {
    let yaml = "\
description: no name
actions:
  - type: BEGIN
  - id: x
";
    check("load__missing_key", yaml, LoadErrorKind::WrongType, &[(1, 1), (3, 5), (4, 9)]);
}

#[test]
fn unknown_key() {
    let yaml = "\
script: t
acitons: []
actions:
  - id: b
    type: BEGIN
    nxet: b
";
    let e = check("load__unknown_key", yaml, LoadErrorKind::UnknownKey, &[(2, 1), (6, 5)]);
    assert!(e.errors[0].help.as_deref().unwrap().contains("did you mean `actions`?"));
    assert!(e.errors[1].help.as_deref().unwrap().contains("did you mean `next`?"));
}

#[test]
fn duplicate_id() {
    let yaml = "\
script: t
actions:
  - {id: begin, type: BEGIN, next: 2}
  - {id: 2, type: PLAY}
  - {id: \"2\", type: HANGUP}
";
    let e = check("load__duplicate_id", yaml, LoadErrorKind::DuplicateId, &[(5, 10)]);
    assert_eq!(e.errors[0].labels.len(), 2);
    assert_eq!(e.errors[0].labels[1].1, "first defined here");
}

#[test]
fn dangling_branch() {
    let yaml = "\
script: t
actions:
  - id: begin
    type: BEGIN
    next: queue
  - id: menu
    type: MENU
    branches: {\"1\": qeue, \"2\": ~, default: nowhere}
  - id: queue
    type: REQAGENT
";
    let e = check("load__dangling_branch", yaml, LoadErrorKind::DanglingBranch, &[(8, 21), (8, 44)]);
    assert!(e.errors[0].help.as_deref().unwrap().contains("did you mean `queue`?"));
}

#[test]
fn missing_begin() {
    let yaml = "script: t\nactions:\n  - {id: a, type: PLAY}\n";
    check("load__missing_begin", yaml, LoadErrorKind::MissingBegin, &[(2, 1)]);
}

#[test]
fn duplicate_begin() {
    let yaml = "script: t\nactions:\n  - {id: a, type: BEGIN}\n  - {id: b, type: Begin}\n";
    check("load__duplicate_begin", yaml, LoadErrorKind::DuplicateBegin, &[(4, 19)]);
}

#[test]
fn duplicate_event() {
    let yaml = "\
script: t
actions:
  - {id: a, type: BEGIN}
  - {id: r1, type: ONRELEASE}
  - {id: s1, type: OnSignal}
  - {id: r2, type: On Release}
  - {id: s2, type: ONSIGNAL}
";
    let e = check("load__duplicate_event", yaml, LoadErrorKind::DuplicateEvent, &[(6, 20), (7, 20)]);
    assert_eq!(e.errors[0].message, "more than one ONRELEASE action");
    assert_eq!(e.errors[0].line_col(), Some((6, 20)));
}

#[test]
fn invalid_property() {
    let yaml = "\
script: t
actions:
  - id: a
    type: BEGIN
    next: rec
  - id: rec
    type: LogRecordingPro
    properties: {Record: Strat}
    next: m
  - id: m
    type: MENU
    properties: {Timeout: soon, MaxDigits: 0, Sensitive: maybe}
  - id: i
    type: INDICATE
    properties: {State: Of}
";
    let e = check(
        "load__invalid_property",
        yaml,
        LoadErrorKind::InvalidProperty,
        &[(8, 26), (12, 27), (12, 44), (12, 58), (15, 25)],
    );
    assert_eq!(e.errors[0].message, "invalid Record value `Strat`: expected Start or Stop");
    assert_eq!(e.errors[0].help.as_deref(), Some("did you mean `Start`?"));
    assert_eq!(e.errors[4].help.as_deref(), Some("did you mean `Off`?"));
}

#[test]
fn too_many_parameters() {
    let yaml = "\
script: t
actions:
  - {id: a, type: BEGIN, next: i}
  - id: i
    type: INDICATE
    properties:
      Name: Agent screen
      Parameters: [a, b, c, d, e, f, g, h, i, j]
";
    check("load__too_many_parameters", yaml, LoadErrorKind::TooManyParameters, &[(8, 19)]);
}

#[test]
fn invalid_branch() {
    let yaml = "\
script: t
actions:
  - {id: a, type: BEGIN, next: q}
  - id: q
    type: REQAGENT
    branches: {default: e, \"1\": e}
  - id: e
    type: END
    next: q
  - id: m
    type: MENU
    branches: {\"1\": q, timeout: q}
  - id: s
    type: SNIPPET
    next: q
    branches: {error: q, Default: e}
";
    // Branch names the catalogue does not list (REQAGENT `1`, a branch on END) are warnings
    // now (lenient loading: CXone stores them); the same branch twice is still an error.
    let e = check("load__invalid_branch", yaml, LoadErrorKind::InvalidBranch, &[(16, 26)]);
    assert_eq!(e.errors[0].message, "action `s` has both `next` and `branches.default`");
    let fixed = yaml
        .replace("    next: q\n    branches: {error: q, Default: e}", "    branches: {error: q, Default: e}");
    let s = recflow::script::load_str("script.yaml", &fixed).unwrap();
    let w: Vec<(LoadErrorKind, Option<(usize, usize)>)> =
        s.warnings.iter().map(|w| (w.kind, w.line_col())).collect();
    assert_eq!(
        w,
        [(LoadErrorKind::UnknownBranch, Some((6, 28))), (LoadErrorKind::UnknownBranch, Some((9, 5)))],
        "MENU `timeout` is OnTimeout; REQAGENT `1` and END's `next` are unknown"
    );
}

/// Lenient loading (issue 11): what CXone accepts loads, with located warnings; `Digit` on
/// PLAY/MUSIC and variables in typed properties are fine.
#[test]
fn lenient_loading_warns_instead_of_refusing() {
    let yaml = "\
script: t
actions:
  - {id: b, type: BEGIN, next: p}
  - id: p
    type: PLAY
    properties: {Phrase: Hi, DetectDTMF: True}
    branches: {default: m, Digit: m}
  - id: m
    type: MENU
    properties: {MaxDigits: \"{MaxDigits}\", Timeout: \"{Timeout}\"}
    branches: {default: c, OnTimeout: c}
  - id: c
    type: CHECKCALLSUP
    branches: {Found: h, NotFound: h}
  - id: w
    type: Workflow Execute
    next: h
  - {id: h, type: HANGUP}
";
    let s = recflow::script::load_str("script.yaml", yaml).unwrap();
    let w: Vec<(LoadErrorKind, Option<(usize, usize)>)> =
        s.warnings.iter().map(|w| (w.kind, w.line_col())).collect();
    assert_eq!(
        w,
        [
            (LoadErrorKind::TemplatedValue, Some((10, 29))),
            (LoadErrorKind::TemplatedValue, Some((10, 53))),
            (LoadErrorKind::UnknownType, Some((16, 11))),
        ]
    );
    assert!(s.warnings.iter().all(|w| w.severity == miette::Severity::Warning && w.help.is_some()));
    let m = s.action(s.find("m").unwrap());
    let recflow::script::Kind::Menu(menu) = &m.kind else { panic!() };
    assert_eq!((menu.max_digits, menu.timeout), (None, 5.0), "templated values take the defaults");
}

/// A Snippet syntax error is a load error pointing into the YAML file at the bad token, through
/// block scalars, double-quoted escapes and single-quoted `''` alike.
#[test]
fn snippet_syntax() {
    let yaml = r#"script: t
actions:
  - {id: b, type: BEGIN, next: s}
  - id: s
    type: SNIPPET
    properties:
      Data: |
        ASSIGN x = 1
        IF x > {
          TRACE x
        }
    branches: {default: q, Error: q}
  - id: q
    type: SNIPPET
    properties:
      Data: "ASSIGN y = \"a\tb\" +\n  TRACE y"
    next: r
  - id: r
    type: SNIPPET
    properties: {Data: 'ASSIGN z = ''it''''s'' FOO'}
"#;
    let e = check("load__snippet_syntax", yaml, LoadErrorKind::SnippetSyntax, &[(9, 16), (16, 35), (20, 42)]);
    // Each label sits on the token the Snippet parser rejected.
    let text = |i: usize| {
        let (span, _) = &e.errors[i].labels[0];
        &yaml[span.offset..span.offset + span.len.max(1)]
    };
    assert_eq!(text(0), "{");
    assert_eq!(text(1), "\\");
    assert!(text(2).starts_with('\''), "{:?}", text(2));
}

fn temp_name(path: &std::path::Path) -> String {
    path.display().to_string()
}

#[test]
fn io_missing_path() {
    let errs = script::load_path(std::path::Path::new("no/such/script.yaml")).unwrap_err();
    assert_eq!(errs.errors[0].kind, LoadErrorKind::Io);
    let rendered = errs.render_plain(100);
    assert!(rendered.contains("cannot read `no/such/script.yaml`"), "{rendered}");
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("load__io", rendered);
    });
}

#[test]
fn not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.yaml");
    std::fs::write(&path, b"script: caf\xe9\nactions: []\n").unwrap();
    let errs = script::load_path(&path).unwrap_err();
    assert_eq!(errs.errors[0].kind, LoadErrorKind::NotUtf8);
    assert_eq!(errs.errors[0].line_col(), Some((1, 12)));
    let rendered = errs.render_plain(100).replace(&temp_name(&path), "[TEMP]/latin1.yaml");
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("load__not_utf8", rendered);
    });
}

#[test]
fn too_large() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    // A sparse file: the size check happens before any byte is read.
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(script::MAX_FILE_BYTES + 1).unwrap();
    let errs = script::load_path(&path).unwrap_err();
    assert_eq!(errs.errors[0].kind, LoadErrorKind::TooLarge);
    let rendered = errs.render_plain(100).replace(&temp_name(&path), "[TEMP]/huge.yaml");
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("load__too_large", rendered);
    });
}

#[test]
fn empty_required_values() {
    let yaml =
        "script: ''\nactions:\n  - {id: b, type: BEGIN}\n  - {id: x, type: }\n  - {id: , type: PLAY}\n";
    let e = load_err("script.yaml", yaml);
    let msgs: Vec<&str> = e.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        msgs,
        ["`script` (the script name) is empty", "an action `type` is empty", "an action `id` is empty"]
    );
    assert!(e.errors.iter().all(|e| e.kind == LoadErrorKind::WrongType));
    assert_eq!(e.errors[1].line_col(), Some((4, 17)));
}

/// YAML and Studio JSON share `build.rs`: the same semantic mistakes give the same codes and
/// messages, whatever the format.
#[test]
fn studio_json_gets_the_same_checks() {
    let yaml = "\
script: t
actions:
  - {id: a, type: BEGIN, next: m}
  - id: m
    type: MENU
    branches: {\"1\": qeue, timeout: a}
  - id: r
    type: LOGRECORDINGPRO
    properties: {Record: Strat}
  - {id: x, type: ONRELEASE}
  - {id: y, type: ONRELEASE}
";
    let json = r#"{"header": {"scriptName": "t"},
 "actions": {"a": {"actionId": "a", "name": "BEGIN"}, "m": {"actionId": "m", "name": "MENU"},
             "r": {"actionId": "r", "name": "LOGRECORDINGPRO"},
             "x": {"actionId": "x", "name": "ONRELEASE"}, "y": {"actionId": "y", "name": "ONRELEASE"}},
 "properties": {"r": {"0": {"name": "Record", "value": "Strat"}}},
 "branches": {"a": [{"to": "m", "label": "Default", "type": "default", "index": 0}],
              "m": [{"to": "qeue", "label": "1", "type": "case", "index": 0},
                    {"to": "a", "label": "timeout", "type": "branch", "index": 1}]}}
"#;
    let summary = |e: LoadErrors| {
        let mut v: Vec<(LoadErrorKind, String)> = e.errors.into_iter().map(|e| (e.kind, e.message)).collect();
        v.sort();
        v
    };
    let from_yaml = summary(load_err("t.yaml", yaml));
    let from_json = summary(load_err("t.json", json));
    // MENU `timeout` is the help's `OnTimeout`: no error (lenient loading).
    assert_eq!(from_yaml.len(), 3, "{from_yaml:?}");
    assert_eq!(from_yaml, from_json);
}
