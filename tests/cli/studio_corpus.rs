//! The Studio JSON corpus (`tests/fixtures/studio/`, issue 11 point 10): scripts in the shapes
//! real exports have. Each one loads (warnings allowed), lints, simulates, explains, draws and
//! round-trips losslessly (JSON → JSON and JSON → YAML → JSON equal as parsed JSON).

use std::path::Path;

use recflow::script::{self, export};

use crate::common::run as recflow;

#[test]
fn every_corpus_script_loads_lints_simulates_explains_draws_and_round_trips() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/studio");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 12, "{files:?}");
    for f in &files {
        let path = f.display().to_string();
        let text = std::fs::read_to_string(f).unwrap();
        let s = script::load_path(f).unwrap_or_else(|e| panic!("{path}: {}", e.render_plain(100)));
        let input: serde_json::Value = serde_json::from_str(&text).unwrap();
        let out: serde_json::Value = serde_json::from_str(&export::to_studio_json(&s)).unwrap();
        assert_eq!(out, input, "{path}: JSON → JSON is not lossless");
        let back = script::load_str("x.yaml", &export::to_yaml(&s)).unwrap();
        let out2: serde_json::Value = serde_json::from_str(&export::to_studio_json(&back)).unwrap();
        assert_eq!(out2, input, "{path}: JSON → YAML → JSON is not lossless");
        let (code, out, err) = recflow(&["lint", &path, "--format", "json"]);
        assert!(code == 0 || code == 1, "{path}: lint exit {code}\n{out}{err}");
        // A call-suppression script has no calls: simulate and explain refuse it (issue 25).
        if text.contains("\"purposeType\": \"Suppression\"") {
            for cmd in ["simulate", "explain"] {
                let (code, _, err) =
                    recflow(&[cmd, &path, "--call", "3"][..if cmd == "simulate" { 2 } else { 4 }]);
                assert_eq!(code, 2, "{path}: {cmd}\n{err}");
                assert!(err.contains("call-suppression script"), "{path}: {cmd}\n{err}");
            }
            let (code, _, err) = recflow(&["graph", &path]);
            assert_eq!(code, 0, "{path}: graph\n{err}");
            continue;
        }
        let (code, out, err) = recflow(&["simulate", &path, "--calls", "100", "--format", "json"]);
        assert_eq!(code, 0, "{path}: simulate\n{out}{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["findings"]["stuck"], 0, "{path}: no contact is stuck\n{out}");
        let (code, _, err) = recflow(&["explain", &path, "--call", "3"]);
        assert_eq!(code, 0, "{path}: explain\n{err}");
        let (code, out, err) = recflow(&["graph", &path]);
        assert_eq!(code, 0, "{path}: graph\n{err}");
        assert!(out.contains("digraph") || out.contains("graph"), "{path}");
    }
}

/// Issue 25 point 1: a property Studio writes in real exports (BEGIN `RootFolder`, `ParamCount`)
/// is never a warning, so `lint --strict` accepts every script of the corpus and of
/// `scripts/studio-json/` (a load warning under `--strict` is exit 2).
#[test]
fn strict_accepts_every_real_studio_script() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["tests/fixtures/studio", "scripts/studio-json"] {
        files.extend(std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()));
    }
    files.sort();
    assert!(files.len() >= 16, "{files:?}");
    // The fixture of the shape Studio writes is among them.
    let begin = root.join("tests/fixtures/studio/begin-menu-timeout.json");
    assert!(std::fs::read_to_string(&begin).unwrap().contains("\"RootFolder\""));
    for f in &files {
        let path = f.display().to_string();
        let (code, out, err) = recflow(&["lint", &path, "--strict", "--format", "json"]);
        assert!(code == 0 || code == 1, "{path}: lint --strict exit {code}\n{out}{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["errors"].as_array().map_or(0, Vec::len), 0, "{path}: {out}");
    }
}
