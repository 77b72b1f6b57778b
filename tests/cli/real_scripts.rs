//! Issue 25 end to end: real Studio scripts load warning-free and every message names the real
//! action; `convert` infers `--to` from `-o FILE`; load warnings never vanish (`report`, `graph`,
//! `convert`, the HTML page, lint's summary); Desktop Studio XML is refused with a located
//! message that names the format.

use std::path::Path;

use crate::common::run as recflow;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel).display().to_string()
}

/// A script with one load warning (a type the catalogue does not list) at line 4.
const WARNS: &str = "script: w\nactions:\n  - {id: b, type: BEGIN, next: x}\n  - {id: x, type: Workflow Execute, next: e}\n  - {id: e, type: END}\n";

#[test]
fn convert_infers_the_format_from_the_output_extension() {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("scripts/studio-json/consent-gdpr.json");
    for (ext, yaml) in [("yaml", true), ("yml", true), ("YML", true), ("json", false)] {
        let out = dir.path().join(format!("x.{ext}")).display().to_string();
        let (code, _, err) = recflow(&["convert", &src, "-o", &out]);
        assert_eq!(code, 0, "{ext}: {err}");
        let text = std::fs::read_to_string(&out).unwrap();
        assert_eq!(text.starts_with('{'), !yaml, "{ext}: {text}");
        // Same bytes as with an explicit `--to`.
        let to = if yaml { "yaml" } else { "studio-json" };
        let (_, stdout, _) = recflow(&["convert", &src, "--to", to]);
        assert_eq!(stdout, text, "{ext}");
    }
    // An explicit `--to` wins over the extension.
    let out = dir.path().join("y.json").display().to_string();
    let (code, _, _) = recflow(&["convert", &src, "--to", "yaml", "-o", &out]);
    assert_eq!(code, 0);
    assert!(!std::fs::read_to_string(&out).unwrap().starts_with('{'));
    // No way to tell: a clear usage error (exit 2), nothing written.
    let (code, _, err) = recflow(&["convert", &src]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--to yaml") && err.contains(".json"), "{err}");
    let out = dir.path().join("x.txt").display().to_string();
    let (code, _, err) = recflow(&["convert", &src, "-o", &out]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot tell the format from") && err.contains("x.txt"), "{err}");
    assert!(!Path::new(&out).exists());
}

#[test]
fn report_graph_and_convert_print_load_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "w.yaml", WARNS);
    let located = format!("{f}:4:");
    let (code, _, err) = recflow(&["graph", &f]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("load::unknown-type") && err.contains(&located), "graph: {err}");
    let (code, _, err) = recflow(&["convert", &f, "--to", "studio-json"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("load::unknown-type") && err.contains(&located), "convert: {err}");
    let html = dir.path().join("r.html").display().to_string();
    let (code, _, err) = recflow(&["report", &f, "-o", &html, "--calls", "50"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("load::unknown-type") && err.contains(&located), "report: {err}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<h3>Load warnings</h3>"), "the HTML page shows them");
    // (minijinja escapes `/` in the path: look for the file name and line.)
    assert!(page.contains("load::unknown-type") && page.contains("w.yaml:4:"), "HTML");
    // A script without warnings has no such section.
    let clean = fixture("scripts/studio-json/consent-gdpr.json");
    let (code, _, err) = recflow(&["report", &clean, "-o", &html, "--calls", "50"]);
    assert_eq!(code, 0, "{err}");
    assert!(!std::fs::read_to_string(&html).unwrap().contains("<h3>Load warnings</h3>"));
}

#[test]
fn lint_summary_counts_load_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "w.yaml", WARNS);
    let (_, out, _) = recflow(&["lint", &f]);
    let last = out.lines().rev().find(|l| l.contains(" in 1 script")).unwrap_or_default();
    assert!(last.contains("; 1 load warning (above)"), "{out}");
    assert!(!last.starts_with("ok:"), "never `ok` over a load warning: {last}");
}

#[test]
fn desktop_studio_xml_is_refused_with_a_located_message() {
    let xml = fixture("tests/fixtures/desktop-studio/menu.xml");
    let text = std::fs::read_to_string(&xml).unwrap();
    let line = text.lines().position(|l| l.contains("<Actions>")).unwrap() + 1;
    for cmd in ["lint", "simulate", "convert"] {
        let mut args = vec![cmd, xml.as_str()];
        if cmd == "convert" {
            args.extend(["--to", "yaml"]);
        }
        let (code, _, err) = recflow(&args);
        assert_eq!(code, 2, "{cmd}: {err}");
        assert!(err.contains("Desktop Studio XML"), "{cmd}: {err}");
        assert!(err.contains("Studio JSON"), "{cmd}: says how to get JSON: {err}");
        assert!(!err.contains("must be a mapping"), "{cmd}: not read as YAML: {err}");
        assert!(err.contains(&format!("menu.xml:{line}:")), "{cmd}: located: {err}");
    }
    // Detected by content, whatever the name says.
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "script.yaml", &text);
    let (code, _, err) = recflow(&["lint", &f]);
    assert_eq!(code, 2);
    assert!(err.contains("Desktop Studio XML"), "{err}");
}

#[test]
fn messages_name_the_real_action_type() {
    let supp = fixture("tests/fixtures/studio/suppression.json");
    let (_, out, _) = recflow(&["lint", &supp, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let g003: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "G003")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    // PERMITCALL / SUPPRESSCALL end the thread (evaluated): no "not modelled" note.
    assert!(!g003.iter().any(|m| m.contains("PERMITCALL") || m.contains("SUPPRESSCALL")), "{g003:?}");
    // CHECKCALLSUP is traffic-branched, and the note says so.
    assert!(
        g003.iter()
            .any(|m| m.contains("`CHECKCALLSUP`") && m.contains("traffic") && !m.contains("pass-through")),
        "{g003:?}"
    );
    // explain names PERMITCALL / SUPPRESSCALL where the thread ends (not `END`); the flow is
    // run as a General script (a Suppression one is not simulated).
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(&supp).unwrap().replace("\"Suppression\"", "\"General\"");
    let general = write(&dir, "general.json", &text);
    let mut ends = String::new();
    for call in 1..=12 {
        let (code, out, err) = recflow(&["explain", &general, "--call", &call.to_string()]);
        assert_eq!(code, 0, "{err}");
        ends.push_str(&out);
    }
    assert!(
        ends.contains("PERMITCALL: the thread ends") || ends.contains("SUPPRESSCALL: the thread ends"),
        "{ends}"
    );
    assert!(!ends.contains("END: the thread ends"), "{ends}");
    // A pass-through type is named by its type, not `pass-through`.
    let tts = fixture("tests/fixtures/studio/ttsvoice-play-statement.json");
    let (code, out, err) = recflow(&["explain", &tts, "--call", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("TTSVOICE") && !out.contains("pass-through"), "{out}");
    let (_, out, _) = recflow(&["lint", &tts, "--format", "json"]);
    assert!(out.contains("`TTSVOICE` is not modelled: lint and simulate treat it as pass-through"), "{out}");
}

#[test]
fn simulate_unmodelled_section_names_type_and_caption() {
    let f = fixture("tests/fixtures/studio/hours-checkcallsup.json");
    let (code, out, err) = recflow(&["simulate", &f, "--calls", "200"]);
    assert_eq!(code, 0, "{err}");
    let section: Vec<&str> = out.lines().skip_while(|l| !l.starts_with("Unmodelled")).skip(1).collect();
    assert!(!section.is_empty(), "{out}");
    assert!(section.iter().any(|l| l.contains("CHECKCALLSUP")), "{out}");
    assert!(section.iter().any(|l| l.contains("HOURS")), "{out}");
}

#[test]
fn a_suppression_script_is_not_simulated_and_says_what_it_is_for() {
    let supp = fixture("tests/fixtures/studio/suppression.json");
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html").display().to_string();
    for args in [
        vec!["simulate", supp.as_str()],
        vec!["explain", supp.as_str(), "--call", "1"],
        vec!["diff", supp.as_str(), supp.as_str()],
        vec!["report", supp.as_str(), "-o", html.as_str()],
    ] {
        let (code, out, err) = recflow(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(out.is_empty(), "{args:?}: no report: {out}");
        for needle in
            ["call-suppression script", "purposeType: Suppression", "before dialling an outbound call"]
        {
            assert!(err.contains(needle), "{args:?}: {needle}: {err}");
        }
    }
    assert!(!Path::new(&html).exists());
    // lint and graph check it as before.
    let (code, _, err) = recflow(&["lint", &supp]);
    assert!(code == 0 || code == 1, "{err}");
    let (code, _, err) = recflow(&["graph", &supp]);
    assert_eq!(code, 0, "{err}");
}
