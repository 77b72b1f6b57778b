//! Snippet syntax errors inside a script file: the loader maps the snippet's byte offset back to
//! the exact file line:column (YAML block scalars, quoted scalars), and a valid snippet loads
//! with a runnable AST. The issue-12 end-to-end check (a Studio JSON Snippet simulated and
//! explained) is in `tests/cli/explain.rs`.

use recflow::script::{self, Kind, LoadErrorKind};
use recflow::snippet::{Program, Symbols, Vars};

fn first_error(name: &str, yaml: &str) -> (usize, usize, String, String) {
    let errs = script::load_str(name, yaml).expect_err("should not load");
    let e = &errs.errors[0];
    assert_eq!(e.kind, LoadErrorKind::SnippetSyntax, "{}", errs.render_plain(100));
    let (line, col) = e.line_col().expect("located");
    (line, col, e.message.clone(), errs.render_plain(100))
}

const BLOCK: &str = "\
script: t
actions:
  - {id: b, type: BEGIN, next: s}
  - id: s
    type: SNIPPET
    properties:
      Data: |
        // save the id
        Global:_id = RecordingStatementId
        IF attempts > 3 {
          route = (1 + 2
        }
    branches: {default: e, Error: e}
  - {id: e, type: END}
";

#[test]
fn syntax_error_in_block_scalar_points_at_file_line_column() {
    // `(1 + 2` is unclosed: the first bad token is the end of line 11 (column 25).
    let (line, col, message, rendered) = first_error("t.yaml", BLOCK);
    assert_eq!((line, col), (11, 25), "{rendered}");
    assert!(message.contains("expected `)` or an operator, found the end of the line"), "{message}");
    assert!(rendered.contains("t.yaml:11:25"), "{rendered}");
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("snippet__syntax_in_block_scalar", rendered);
    });
}

#[test]
fn syntax_error_on_a_token_points_at_the_token() {
    let yaml = BLOCK.replace("route = (1 + 2", "route = 1 2");
    let (line, col, message, _) = first_error("t.yaml", &yaml);
    // `2` at column 21 of line 11 (8 spaces of block indentation + "  route = 1 ").
    assert_eq!((line, col), (11, 21));
    assert!(message.contains("expected the end of the line, found `2`"), "{message}");
}

#[test]
fn syntax_error_in_quoted_scalar_points_into_the_quotes() {
    let yaml = "\
script: t
actions:
  - {id: b, type: BEGIN, next: s}
  - id: s
    type: SNIPPET
    properties: {Data: \"x = 1\\nBREAK\"}
    next: e
  - {id: e, type: END}
";
    let (line, col, message, rendered) = first_error("t.yaml", yaml);
    // BREAK starts after `x = 1\n` (the escape is 2 characters in the file).
    assert_eq!((line, col), (6, 32), "{rendered}");
    assert!(message.contains("BREAK outside a FOR, FOREACH or WHILE loop"), "{message}");
}

#[test]
fn valid_snippet_loads_and_runs() {
    let yaml = BLOCK.replace("route = (1 + 2", "route = (1 + 2)");
    let s = script::load_str("t.yaml", &yaml).unwrap();
    let sn = s
        .actions
        .iter()
        .find_map(|a| match &a.kind {
            Kind::Snippet(sn) => Some(sn),
            _ => None,
        })
        .unwrap();
    assert!(sn.ast.copies_into_global("RecordingStatementId"));
    let mut symbols = Symbols::new();
    let p = Program::compile(&sn.ast, &mut symbols);
    let mut vars = Vars::new(&symbols);
    vars.set(symbols.get("RecordingStatementId").unwrap(), "st-1");
    vars.set(symbols.get("attempts").unwrap(), "4");
    p.run(&mut vars).unwrap();
    assert_eq!(vars.get(symbols.get("Global:_id").unwrap()), "st-1");
    assert_eq!(vars.get(symbols.get("route").unwrap()), "3");
}

/// Unmodelled constructs and unknown functions load with located warnings (not load errors).
#[test]
fn unmodelled_snippet_constructs_are_located_warnings() {
    let yaml = "script: t\nactions:\n  - {id: b, type: BEGIN, next: s}\n  - id: s\n    type: SNIPPET\n    properties:\n      Data: |\n        x = 1\n        USES \"proxy.dll\"\n        y = lenght(x)\n";
    let s = script::load_str("t.yaml", yaml).unwrap();
    let w = script::snippet_warnings(&s);
    assert_eq!(w.len(), 2, "{w:?}");
    assert_eq!(w[0].line_col(), Some((9, 9)));
    assert!(w[0].message.contains("USES"), "{}", w[0].message);
    assert_eq!(w[1].line_col(), Some((10, 13)));
    let rendered = format!("{:?}", w[1]);
    assert!(rendered.contains("did you mean `length`?"), "{rendered}");
}
