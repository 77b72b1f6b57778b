//! Hostile input: whatever the bytes, loading returns an error (never panics, never overflows
//! the stack) within bounded time. Each case also checks the error kind users will see.

use recflow::script::{self, LoadErrorKind, LoadErrors};

/// Load `text` and return the errors. No clock: the sizes below make a super-linear regression
/// a test that does not finish in CI, and `cargo bench` measures the real numbers (timed
/// assertions are flaky on a shared machine).
fn load_err(name: &str, text: &str) -> LoadErrors {
    let r = script::load_str(name, text);
    match r {
        Ok(s) => panic!("{name}: loaded {} actions", s.actions.len()),
        Err(e) => {
            // Rendering must not panic either (spans inside the text).
            let _ = e.render_plain(100);
            e
        }
    }
}

fn kinds(e: &LoadErrors) -> Vec<LoadErrorKind> {
    e.errors.iter().map(|e| e.kind).collect()
}

#[test]
fn empty_file() {
    for text in ["", "\n\n", "   \t\n", "# only a comment\n", "---\n", "---\n...\n"] {
        let e = load_err("empty.yaml", text);
        assert_eq!(kinds(&e), [LoadErrorKind::Empty], "{text:?}");
        assert!(e.errors[0].message.contains("is empty"));
    }
}

#[test]
fn not_yaml() {
    let e = load_err("prose.yaml", "Dear team, please find the script attached.\n");
    assert_eq!(kinds(&e), [LoadErrorKind::WrongType]);
    assert!(e.errors[0].message.contains("must be a mapping"), "{}", e.errors[0].message);

    let e = load_err("broken.yaml", "script: [unclosed\nactions: {\n");
    assert_eq!(kinds(&e), [LoadErrorKind::Syntax]);

    let e = load_err("list.yaml", "- a\n- b\n");
    assert_eq!(kinds(&e), [LoadErrorKind::WrongType]);

    // Two documents: only one script per file.
    let e = load_err("two.yaml", "script: a\n---\nscript: b\n");
    assert_eq!(kinds(&e), [LoadErrorKind::Syntax]);
}

#[test]
fn binary_garbage() {
    // Deterministic pseudo-random bytes, made into text the way a lossy reader would.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let text = String::from_utf8_lossy(&bytes);
    let e = load_err("garbage.yaml", &text);
    assert!(!e.errors.is_empty());
    let with_nul = "script: t\0\nactions: []\n";
    let _ = script::load_str("nul.yaml", with_nul);
}

#[test]
fn non_utf8_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bin.yaml");
    std::fs::write(&path, [0xff, 0xfe, 0x00, 0x41, 0x80, 0x81]).unwrap();
    let e = script::load_path(&path).unwrap_err();
    assert_eq!(kinds(&e), [LoadErrorKind::NotUtf8]);
    let _ = e.render_plain(100);
}

#[test]
fn missing_path() {
    let e = script::load_path(std::path::Path::new("/nonexistent/dir/script.yaml")).unwrap_err();
    assert_eq!(kinds(&e), [LoadErrorKind::Io]);
    assert!(e.errors[0].message.contains("/nonexistent/dir/script.yaml"));
    let dir = tempfile::tempdir().unwrap();
    let e = script::load_path(dir.path()).unwrap_err();
    assert_eq!(kinds(&e), [LoadErrorKind::Io]);
    assert!(e.errors[0].message.contains("is a directory"));
}

#[test]
fn deep_nesting_flow() {
    let depth = 20_000;
    let text = format!("script: t\nactions: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let e = load_err("deep.yaml", &text);
    assert_eq!(kinds(&e), [LoadErrorKind::Syntax], "{}", e.render_plain(100));
    assert_eq!(e.errors[0].message, "invalid YAML: nesting deeper than 64 levels");
    let text = format!("script: t\nactions: {}\n", "{a: ".repeat(depth));
    let e = load_err("deep2.yaml", &text);
    assert_eq!(kinds(&e), [LoadErrorKind::Syntax]);
}

#[test]
fn deep_nesting_block() {
    // 20 000 nested block sequences ("- - - - ...") and block mappings.
    let depth = 20_000;
    let text = format!("script: t\nactions:\n{}x\n", "- ".repeat(depth));
    let e = load_err("deep-block.yaml", &text);
    assert_eq!(kinds(&e), [LoadErrorKind::Syntax], "{}", e.render_plain(100));
    let mut text = String::from("script: t\nactions:\n");
    for i in 0..2_000 {
        text.push_str(&" ".repeat(i + 1));
        text.push_str("a:\n");
    }
    let e = load_err("deep-map.yaml", &text);
    assert_eq!(kinds(&e), [LoadErrorKind::Syntax]);
}

#[test]
fn alias_bomb() {
    // Billion laughs: 9 levels of 10 aliases each would expand to 10^9 nodes.
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    text.push_str("script: t\nactions: *a9\n");
    let e = load_err("bomb.yaml", &text);
    assert_eq!(kinds(&e), [LoadErrorKind::Syntax], "{}", e.render_plain(100));
    assert!(e.errors[0].help.as_deref().unwrap().contains("limits"));
    assert!(e.errors[0].message.contains("alias bomb"), "{}", e.errors[0].message);
}

#[test]
fn aliases_within_limits_still_work() {
    let text = "\
script: t
actions:
  - {id: b, type: BEGIN, next: m}
  - id: m
    type: MENU
    properties: {Phrase: &p Press 1}
    branches: {\"1\": p}
  - id: p
    type: PLAY
    properties: {Phrase: *p}
";
    let s = script::load_str("alias.yaml", text).unwrap();
    assert!(matches!(&s.actions[2].kind, script::Kind::Play { phrase } if phrase == "Press 1"));
}

/// A big script (generated, not committed). The size here keeps the debug test fast; the
/// 50 MB measurement is in docs/script-format.md (`cargo run --release --example load_large`).
#[test]
fn large_file_is_bounded() {
    let text = large_script(1024 * 1024);
    let r = script::load_str("large.yaml", &text);
    let s = r.unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    assert!(s.actions.len() > 10_000, "{}", s.actions.len());

    // A single 8 MB scalar is just a long phrase.
    let long = format!(
        "script: t\nactions:\n  - {{id: b, type: BEGIN, next: p}}\n  - id: p\n    type: PLAY\n    properties:\n      Phrase: {}\n",
        "x".repeat(8 * 1024 * 1024)
    );
    let s = script::load_str("long.yaml", &long).unwrap();
    assert!(matches!(&s.actions[1].kind, script::Kind::Play { phrase } if phrase.len() == 8 * 1024 * 1024));
}

/// Past the node budget a script is refused with a clear message rather than eating memory.
#[test]
fn too_many_nodes_is_refused() {
    let text = format!("script: t\nactions: [{}]\n", "1, ".repeat(300_000));
    let e = load_err("nodes.yaml", &text);
    assert_eq!(kinds(&e), [LoadErrorKind::Syntax], "{}", e.render_plain(100));
    assert_eq!(e.errors[0].message, "invalid YAML: more than 250000 YAML nodes");
}

/// A valid script of about `bytes` bytes: a chain of PLAY actions.
pub fn large_script(bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 200);
    s.push_str("script: large\nactions:\n  - {id: begin, type: BEGIN, next: 0}\n");
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(&format!(
            "  - id: {i}\n    type: PLAY\n    properties: {{Phrase: \"Message number {i}\"}}\n    next: {}\n",
            i + 1
        ));
        i += 1;
    }
    s.push_str(&format!("  - {{id: {i}, type: HANGUP}}\n"));
    s
}

/// Errors on a very long line (minified input) render cropped, without panicking, and still
/// name the right line:column.
#[test]
fn long_line_renders() {
    let mut items = vec!["{id: a, type: BEGIN, next: x}".to_owned(), "{id: x, type: PLAY}".to_owned()];
    for i in 0..5_000 {
        items.push(format!("{{id: p{i}, type: PLAY, properties: {{Phrase: hello}}}}"));
    }
    items.push("{id: x, type: HANGUP}".to_owned());
    let text = format!("script: t\nactions: [{}]\n", items.join(", "));
    let e = load_err("long.yaml", &text);
    assert_eq!(kinds(&e), [LoadErrorKind::DuplicateId]);
    let col = text.rfind("{id: x").unwrap() - text.find("actions").unwrap() + 1 + 5;
    assert_eq!(e.errors[0].line_col(), Some((2, col)));
    assert!(col > 65_535);
    let rendered = e.render_plain(100);
    assert!(rendered.contains(&format!("long.yaml:2:{col}")), "{rendered}");
    assert!(rendered.contains("{id: x, type: HANGUP}"), "{rendered}");
    assert!(rendered.len() < 2_000, "{rendered}");
}

/// Thousands of mistakes: loading stays fast (bounded "did you mean" searches) and the report
/// is capped at 100 errors plus a count of the rest.
#[test]
fn many_errors_are_capped() {
    let mut text = String::from("script: t\nactions:\n  - {id: b, type: BEGIN, next: p0}\n");
    for i in 0..3_000 {
        text.push_str(&format!("  - {{id: p{i}, type: PLAY, next: nowhere{i}}}\n"));
    }
    let e = load_err("many.yaml", &text);
    assert_eq!(e.errors.len(), 101);
    assert!(e.errors[..100].iter().all(|e| e.kind == LoadErrorKind::DanglingBranch));
    assert_eq!(e.errors[100].message, "2900 more errors not shown (recflow reports the first 100)");
    assert_eq!(e.errors[0].line_col(), Some((4, 32)));
    let rendered = e.render_plain(100);
    assert!(
        rendered.ends_with("help: fix the errors above and load the file again\n"),
        "{}",
        &rendered[rendered.len() - 300..]
    );
}

/// A CASE with 60 000 branches loads in bounded time (no quadratic duplicate check).
#[test]
fn case_with_many_branches() {
    let mut text = String::from(
        "script: t\nactions:\n  - {id: b, type: BEGIN, next: c}\n  - id: c\n    type: CASE\n    branches:\n",
    );
    for i in 0..60_000 {
        text.push_str(&format!("      v{i}: b\n"));
    }
    let s = script::load_str("case.yaml", &text).unwrap();
    assert_eq!(s.actions[1].branches.len(), 60_000);
}

/// Errors far into a big file render in one pass over it, and a secondary label thousands of
/// lines away is shown as its own excerpt rather than every line in between.
#[test]
fn errors_deep_in_a_big_file_render_fast_and_compact() {
    let mut text = "# padding comment line, forty bytes long\n".repeat(100_000);
    text.push_str("script: t\nactions:\n  - {id: b, type: BEGIN, next: p0}\n  - {id: dup, type: PLAY}\n");
    for i in 0..3_000 {
        text.push_str(&format!("  - {{id: p{i}, type: PLAY, next: p{}}}\n", i + 1));
    }
    text.push_str("  - {id: dup, type: HANGUP}\n");
    for i in 0..150 {
        text.push_str(&format!("  - {{id: x{i}, type: PLAY, next: nowhere{i}}}\n"));
    }
    let e = load_err("big.yaml", &text);
    assert_eq!(e.errors.len(), 101);
    let rendered = e.render_plain(100);
    let dup = e.errors.iter().find(|e| e.kind == LoadErrorKind::DuplicateId).unwrap();
    assert_eq!(dup.line_col(), Some((103_005, 10)));
    let one = recflow::script::LoadErrors::one(dup.clone()).render_plain(100);
    assert!(one.contains("big.yaml:103005:10"), "{one}");
    assert!(one.contains("first defined here"), "{one}");
    assert!(one.lines().count() < 30, "{one}");
    assert!(rendered.contains("p2999"));
}
