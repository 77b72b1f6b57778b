//! Editor support (docs/editor.md): the JSON Schemas under `schemas/` are current (generated
//! from `recflow::schema`), every example validates against its schema, and every example YAML
//! starts with its `# yaml-language-server: $schema=...` line.
//!
//! After changing a file format: `RECFLOW_UPDATE_SCHEMAS=1 cargo test --test schemas`.

mod common;

use common::root;

use std::path::{Path, PathBuf};

fn files(dir: &str, prefix: &str, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            // `*.test.yaml` files sit next to the scripts but have their own schema.
            let test_file = name.ends_with(".test.yaml");
            name.starts_with(prefix) && name.ends_with(ext) && (test_file == (ext == ".test.yaml"))
        })
        .collect();
    v.sort();
    v
}

fn studio_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            studio_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

#[test]
fn committed_schemas_are_current() {
    let update = std::env::var_os("RECFLOW_UPDATE_SCHEMAS").is_some();
    for (name, text) in recflow::schema::all() {
        let path = root().join("schemas").join(name);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "schemas/{name} is not current: run `RECFLOW_UPDATE_SCHEMAS=1 cargo test --test schemas` and commit it"
        );
    }
}

fn validator(name: &str) -> jsonschema::Validator {
    let text = recflow::schema::all().into_iter().find(|(n, _)| *n == name).unwrap().1;
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn check(v: &jsonschema::Validator, path: &Path, value: &serde_json::Value) {
    let errors: Vec<String> =
        v.iter_errors(value).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{} does not validate:\n{}", path.display(), errors.join("\n"));
}

fn yaml(path: &Path) -> (String, serde_json::Value) {
    let text = std::fs::read_to_string(path).unwrap();
    let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    (text, value)
}

#[test]
fn every_example_validates_and_names_its_schema() {
    let sets = [
        ("scripts", "", ".yaml", "script.schema.json"),
        ("examples", "tenant-", ".yaml", "tenant.schema.json"),
        ("examples", "traffic-", ".yaml", "traffic.schema.json"),
        ("scripts", "", ".test.yaml", "test.schema.json"),
    ];
    let mut checked = 0;
    for (dir, prefix, ext, schema) in sets {
        let v = validator(schema);
        let line = format!("# yaml-language-server: $schema=../schemas/{schema}");
        for path in files(dir, prefix, ext) {
            let (text, value) = yaml(&path);
            assert_eq!(
                text.lines().next(),
                Some(line.as_str()),
                "{} must start with `{line}` (editors find the schema by it)",
                path.display()
            );
            check(&v, &path, &value);
            checked += 1;
        }
    }
    let v = validator("studio-json.schema.json");
    let mut studio = Vec::new();
    studio_files(&root().join("scripts/studio-json"), &mut studio);
    for path in &studio {
        let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        check(&v, path, &value);
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} examples found");
}

/// The schemas reject what the loaders reject: an unknown key, a percent over 100, an action
/// without a type.
#[test]
fn schemas_reject_what_the_loaders_refuse() {
    let bad = |schema: &str, doc: &str| {
        let value: serde_json::Value = serde_saphyr::from_str(doc).unwrap();
        assert!(!validator(schema).is_valid(&value), "{schema} accepted {doc}");
        assert!(
            match schema {
                "script.schema.json" => recflow::script::load_str("bad.yaml", doc).is_err(),
                _ => true,
            },
            "the loader accepted {doc}"
        );
    };
    bad("script.schema.json", "script: x\nactions:\n  - {id: a, type: BEGIN, nxet: b}\n");
    bad("script.schema.json", "script: x\nactions:\n  - {id: a}\n");
    bad("tenant.schema.json", "recording_policies:\n  - {name: P, percent: 150}\n");
    bad("traffic.schema.json", "calls: 10\ncolls: 3\n");
    bad("test.schema.json", "script: a.yaml\ncases:\n  - {name: x, expect: {recorded: partly}}\n");
    bad("test.schema.json", "script: a.yaml\ncases:\n  - {name: x, gvien: {}}\n");
}

/// Issue 24 point 6: the script schema knows the action types (the catalogue's names) and the
/// closed property values (`catalogue::CLOSED_PROPERTIES`): a misspelt type or value fails
/// validation — `type: MENUU` loads as an unknown pass-through action (a warning), `Record:
/// Strat` is a load error — while any spelling the loader reads, a YAML boolean where it reads
/// one, and a `{var}` template where it resolves one still validate.
#[test]
fn script_schema_knows_action_types_and_closed_values() {
    let v = validator("script.schema.json");
    let doc = |action: &str| {
        let text = format!("script: x\nactions:\n  - {{id: b, type: BEGIN, next: a}}\n  - {action}\n");
        let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
        (text, value)
    };
    let bad = |action: &str| {
        let (text, value) = doc(action);
        assert!(!v.is_valid(&value), "the schema accepted {action}");
        text
    };
    let good = |action: &str| {
        let (text, value) = doc(action);
        let errors: Vec<String> =
            v.iter_errors(&value).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{action}: {errors:?}");
        recflow::script::load_str("good.yaml", &text)
            .unwrap_or_else(|e| panic!("the loader refused {action}: {}", e.render_plain(100)));
    };
    // The loader warns about an unknown type; the editor marks it.
    let text = bad("{id: a, type: MENUU, properties: {Phrase: Hi}}");
    assert!(recflow::script::load_str("bad.yaml", &text).is_ok(), "an unknown type only warns");
    // The loader refuses a value outside the set; so does the schema.
    let text = bad("{id: a, type: LOGRECORDINGPRO, properties: {Record: Strat}}");
    assert!(recflow::script::load_str("bad.yaml", &text).is_err());
    bad("{id: a, type: INDICATE, properties: {Name: B, State: Onn}}");
    bad("{id: a, type: logRecordingPro, properties: {record: Strat}}");
    bad("{id: a, type: LOGRECORDINGPRO, properties: {Record: Start, RecordType: '{t}'}}");
    // What the loader reads.
    good("{id: a, type: LOGRECORDINGPRO, properties: {Record: '{how}'}}");
    good("{id: a, type: LOGRECORDINGPRO, properties: {Record: ' stop ', UseRecordingStatementId: true}}");
    good("{id: a, type: Log Recording Pro, properties: {record: START, use_recording_statement_id: yes}}");
    good("{id: a, type: do_not_record}");
    good("{id: a, type: MENU, properties: {Phrase: Hi, Sensitive: 'False'}, branches: {default: a}}");
    good("{id: a, type: INDICATE, properties: {Name: B, State: 'off'}}");
    // Every closed value and synonym of the catalogue table loads and validates, in any case;
    // the same value misspelt is refused by both.
    let types = recflow::script::catalogue::CATALOGUE;
    for c in recflow::script::catalogue::CLOSED_PROPERTIES {
        assert!(types.iter().any(|t| t.name == c.action), "{} is not a catalogue type", c.action);
        // What the type needs besides the property (LOGRECORDINGPRO's Record, INDICATE's Name).
        let rest = match (c.action, c.property) {
            ("LOGRECORDINGPRO", "Record") => "",
            ("LOGRECORDINGPRO", _) => ", Record: Start",
            ("INDICATE", _) => ", Name: B",
            _ => "",
        };
        for value in c.values.iter().chain(c.synonyms) {
            for spelt in [value.to_string(), value.to_ascii_uppercase(), value.to_ascii_lowercase()] {
                good(&format!(
                    "{{id: a, type: {}, properties: {{{}: '{spelt}'{rest}}}}}",
                    c.action, c.property
                ));
            }
            let text = bad(&format!(
                "{{id: a, type: {}, properties: {{{}: '{value}x'{rest}}}}}",
                c.action, c.property
            ));
            assert!(
                recflow::script::load_str("bad.yaml", &text).is_err(),
                "the loader read {}: {value}x",
                c.property
            );
        }
    }
}

/// Every bundled script under `scripts/` (subfolders too: multi-script examples) validates
/// against the schema of its format.
#[test]
fn every_bundled_script_validates_against_the_enums() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut all = Vec::new();
    walk(&root().join("scripts"), &mut all);
    all.sort();
    let (yaml_v, json_v) = (validator("script.schema.json"), validator("studio-json.schema.json"));
    let mut checked = 0;
    for path in &all {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".test.yaml") {
            continue;
        }
        if name.ends_with(".yaml") {
            let (_, value) = yaml(path);
            check(&yaml_v, path, &value);
        } else if name.ends_with(".json") {
            let value: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            check(&json_v, path, &value);
        } else {
            continue;
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} scripts found");
}

/// Issue 24 point 6 for Studio JSON: a closed-set property (`catalogue::CLOSED_PROPERTIES`) is
/// checked by its name — `properties[id]` sits apart from `actions[id].name` and JSON Schema
/// cannot join the two (docs/editor.md) — with what the Studio JSON loader reads: any case, the
/// synonyms, JSON booleans where a boolean is read, `null` / `""` (the default), `{var}`
/// templates where resolved; a misspelt value fails both the schema and the loader.
#[test]
fn studio_json_schema_knows_closed_values() {
    let v = validator("studio-json.schema.json");
    let doc = |ty: &str, props: &str| -> (String, serde_json::Value) {
        let text = format!(
            r#"{{"header": {{"scriptName": "x"}},
 "actions": {{"1": {{"name": "BEGIN"}}, "2": {{"name": "{ty}"}}}},
 "properties": {{"2": {props}}},
 "branches": {{"1": [{{"to": "2", "type": "default"}}]}}}}"#
        );
        let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        (text, value)
    };
    let bad = |ty: &str, props: &str| {
        let (text, value) = doc(ty, props);
        assert!(!v.is_valid(&value), "the schema accepted {props}");
        assert!(recflow::script::load_str("bad.json", &text).is_err(), "the loader read {props}");
    };
    let good = |ty: &str, props: &str| {
        let (text, value) = doc(ty, props);
        let errors: Vec<String> =
            v.iter_errors(&value).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{props}: {errors:?}");
        recflow::script::load_str("good.json", &text)
            .unwrap_or_else(|e| panic!("the loader refused {props}: {}", e.render_plain(100)));
    };
    bad("LOGRECORDINGPRO", r#"{"0": {"name": "Record", "value": "Strat"}}"#);
    bad("LOGRECORDINGPRO", r#"[{"name": "record", "value": "Strat"}]"#);
    bad("LOGRECORDINGPRO", r#"{"0": {"name": "Record", "value": true}}"#);
    bad("INDICATE", r#"{"0": {"name": "Name", "value": "B"}, "1": {"name": "State", "value": "Onn"}}"#);
    bad(
        "LOGRECORDINGPRO",
        r#"{"0": {"name": "Record", "value": "Start"}, "1": {"name": "RecordType", "value": "{t}"}}"#,
    );
    bad("MENU", r#"{"0": {"name": "Sensitive", "value": 1}}"#);
    good("LOGRECORDINGPRO", r#"{"0": {"name": "Record", "value": "{how}"}}"#);
    good(
        "LOGRECORDINGPRO",
        r#"{"0": {"name": "Record", "value": " stop "}, "1": {"name": "UseRecordingStatementId", "value": true}}"#,
    );
    good(
        "Log Recording Pro",
        r#"[{"name": "RECORD", "value": "START"}, {"name": "RecordType", "value": null}]"#,
    );
    good(
        "MENU",
        r#"{"0": {"name": "Phrase", "value": "Hi"}, "1": {"name": "Sensitive", "value": "False"}, "2": {}}"#,
    );
    good(
        "INDICATE",
        r#"{"0": {"name": "Name", "value": "B", "editor": "text"}, "1": {"name": "State", "value": false}}"#,
    );
    // Other properties of the same action are free (the loader checks them with located errors).
    good("MENU", r#"{"0": {"name": "Phrase", "value": "Hi"}, "1": {"name": "Timeout", "value": 5}}"#);
    for c in recflow::script::catalogue::CLOSED_PROPERTIES {
        let rest = match (c.action, c.property) {
            ("LOGRECORDINGPRO", "Record") => "",
            ("LOGRECORDINGPRO", _) => r#", {"name": "Record", "value": "Start"}"#,
            ("INDICATE", _) => r#", {"name": "Name", "value": "B"}"#,
            _ => "",
        };
        for value in c.values.iter().chain(c.synonyms) {
            for spelt in [value.to_string(), value.to_ascii_uppercase(), value.to_ascii_lowercase()] {
                good(c.action, &format!(r#"[{{"name": "{}", "value": "{spelt}"}}{rest}]"#, c.property));
            }
            bad(c.action, &format!(r#"[{{"name": "{}", "value": "{value}x"}}{rest}]"#, c.property));
        }
        if c.boolean {
            good(c.action, &format!(r#"[{{"name": "{}", "value": true}}{rest}]"#, c.property));
        }
    }
}

/// The Studio JSON schema accepts every Studio JSON file the loader reads: the bundled scripts
/// and the test corpus (`tests/fixtures`), without an unknown-type warning (the schema marks
/// an unknown type, as it is usually a typo).
#[test]
fn studio_json_schema_accepts_what_the_loader_reads() {
    let v = validator("studio-json.schema.json");
    let mut all = Vec::new();
    studio_files(&root().join("scripts"), &mut all);
    studio_files(&root().join("tests"), &mut all);
    all.sort();
    let mut checked = 0;
    for path in &all {
        let Ok(script) = recflow::script::load_path(path) else { continue };
        if script.warnings.iter().any(|w| w.kind.code() == "load::unknown-type") {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        check(&v, path, &value);
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} Studio JSON files load");
}
