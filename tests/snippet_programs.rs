//! Table-driven tests of the Snippet language: program → resulting variables; syntax errors →
//! exact spans; runtime errors → messages. The language reference is docs/snippet.md.

mod common;

use common::snippet::{Case, get, run, table_failures};
use recflow::snippet::{Program, Symbols, Template, Vars, parse};

const PROGRAMS: &[Case] = &[
    (
        "assign keyword optional",
        "ASSIGN a = 1\nb = 'two'\nassign c = a",
        &[],
        &[("a", "1"), ("b", "two"), ("c", "1")],
    ),
    ("names ignore case", "Total = 5\nTOTAL = total + 1", &[], &[("total", "6")]),
    (
        "number literal keeps spelling",
        "a = 007\nb = 1.50\nc = 007 + 0",
        &[],
        &[("a", "007"), ("b", "1.50"), ("c", "7")],
    ),
    (
        "integral numbers print without point",
        "a = 4 / 2\nb = 1 / 4\nc = 0.1 + 0.2\nd = 10 / 3",
        &[],
        &[("a", "2"), ("b", "0.25"), ("c", "0.3"), ("d", "3.33333333333333")],
    ),
    (
        "precedence",
        "a = 2 + 3 * 4\nb = (2 + 3) * 4\nc = 10 - 4 - 3\nd = -2 * 3\ne = 1 + 1 = 2 & 3 > 2 | 0",
        &[],
        &[("a", "14"), ("b", "20"), ("c", "3"), ("d", "-6"), ("e", "1")],
    ),
    (
        "plus adds numbers, else concatenates",
        "a = 1 + 2\nb = '1' + '2'\nc = 'a' + 1\nd = x + 1",
        &[],
        &[("a", "3"), ("b", "3"), ("c", "a1"), ("d", "1")],
    ),
    (
        "string substitution",
        "name = 'Ann'\nn = 2\ns = \"Hi {name}, {n} calls {unknown}{ not a var }\"",
        &[],
        &[("s", "Hi Ann, 2 calls { not a var }")],
    ),
    ("substitution of globals", "Global:who = 'x'\nmsg = 'was {Global:who}'", &[], &[("msg", "was x")]),
    (
        "numeric comparison when both are numbers",
        "a = '10' > '9'\nb = '2.0' = 2\nc = 007 == 7",
        &[],
        &[("a", "1"), ("b", "1"), ("c", "1")],
    ),
    (
        "string comparison otherwise, ignoring case",
        "a = 'abc' < 'abd'\nb = 'YES' = 'yes'\nc = '10' > 'a9'\nd = 'b' <> 'B'",
        &[],
        &[("a", "1"), ("b", "1"), ("c", "0"), ("d", "0")],
    ),
    ("not equal spellings", "a = 1 != 2\nb = 1 <> 1", &[], &[("a", "1"), ("b", "0")]),
    (
        "truthiness",
        "IF '' | 0 | '0.0' | 'FALSE' {\n  t = 'yes'\n} ELSE {\n  t = 'no'\n}\nu = !'x'\nv = !''",
        &[],
        &[("t", "no"), ("u", "0"), ("v", "1")],
    ),
    ("and/or short-circuit", "a = 0 & (1 / 0)\nb = 1 | (1 / 0)", &[], &[("a", "0"), ("b", "1")]),
    (
        "if else with braces on the next line",
        "IF x = 1\n{\n  r = 'one'\n}\nELSE\n{\n  r = 'other'\n}",
        &[("x", "2")],
        &[("r", "other")],
    ),
    (
        "nested if",
        "IF a {\n  IF b {\n    r = 'ab'\n  } ELSE {\n    r = 'a'\n  }\n}",
        &[("a", "1"), ("b", "0")],
        &[("r", "a")],
    ),
    (
        "keywords ignore case",
        "if 1 {\n  x = 1\n} else {\n  x = 2\n}\nfor i = 1 to 2 {\n  y = i\n}",
        &[],
        &[("x", "1"), ("y", "2")],
    ),
    ("one-line blocks", "IF 1 { x = 'a' }", &[], &[("x", "a")]),
    (
        "switch picks case",
        "SWITCH d {\n  CASE 1 { r = 'one' }\n  CASE '2' { r = 'two' }\n  DEFAULT { r = 'other' }\n}",
        &[("d", "2")],
        &[("r", "two")],
    ),
    (
        "switch case compares numerically",
        "SWITCH d {\n  CASE 2 { r = 'two' }\n}",
        &[("d", "2.0")],
        &[("r", "two")],
    ),
    (
        "switch default",
        "SWITCH d {\n  CASE 1 { r = 'one' }\n  DEFAULT { r = 'other' }\n}",
        &[("d", "9")],
        &[("r", "other")],
    ),
    (
        "switch without match or default",
        "r = 'kept'\nSWITCH d {\n  CASE 1 { r = 'one' }\n}",
        &[("d", "9")],
        &[("r", "kept")],
    ),
    (
        "for counts up inclusive",
        "s = ''\nFOR i = 1 TO 4 {\n  s = \"{s}{i}\"\n}",
        &[],
        &[("s", "1234"), ("i", "4")],
    ),
    ("plus adds digit strings", "s = ''\nFOR i = 1 TO 4 {\n  s = s + i\n}", &[], &[("s", "10")]),
    (
        "for counts down when end is below start",
        "s = ''\nFOR i = 3 TO 1 {\n  s = '{s}{i}'\n}",
        &[],
        &[("s", "321")],
    ),
    ("for runs at least once", "n = 0\nFOR i = 5 TO 5 {\n  n = n + 1\n}", &[], &[("n", "1")]),
    (
        "for bounds are evaluated once",
        "n = 3\nc = 0\nFOR i = 1 TO n {\n  n = 10\n  c = c + 1\n}",
        &[],
        &[("c", "3")],
    ),
    (
        "for variable cannot skip iterations",
        "c = 0\nFOR i = 1 TO 3 {\n  i = 100\n  c = c + 1\n}",
        &[],
        &[("c", "3")],
    ),
    (
        "break leaves the innermost loop",
        "s = ''\nFOR i = 1 TO 3 {\n  FOR j = 1 TO 3 {\n    IF j = 2 { BREAK }\n    s = s + '{i}{j},'\n  }\n}",
        &[],
        &[("s", "11,21,31,")],
    ),
    (
        "break in switch leaves the loop",
        "n = 0\nFOR i = 1 TO 9 {\n  SWITCH i {\n    CASE 3 { BREAK }\n  }\n  n = i\n}",
        &[],
        &[("n", "2")],
    ),
    (
        "foreach walks elements",
        "s = ''\nFOREACH x IN 'a|b|c' {\n  s = x + s\n}",
        &[],
        &[("s", "cba"), ("x", "c")],
    ),
    ("foreach over empty runs zero times", "n = 0\nFOREACH x IN '' {\n  n = 1\n}", &[], &[("n", "0")]),
    (
        "foreach copies the array",
        "arr = '1|2'\nn = 0\nFOREACH x IN arr {\n  arr = ''\n  n = n + x\n}",
        &[],
        &[("n", "3")],
    ),
    (
        "array index is 1-based",
        "arr = 'a|b|c'\nx = arr[2]\ny = arr[4]\nbig = arr[3000000]\nz = 'solo'[1]",
        &[],
        &[("x", "b"), ("y", ""), ("z", "solo"), ("big", "")],
    ),
    (
        "array element assignment",
        "arr = 'a|b|c'\narr[2] = 'X'\nnew[3] = 'c'\none[1] = 'a'",
        &[],
        &[("arr", "a|X|c"), ("new", "||c"), ("one", "a")],
    ),
    (
        "functions, method style",
        "s = '  Hello World  '\nt = s.trim()\nl = t.length()\nu = t.upper()\nw = t.lower()\nc = t.contains('World')\nk = t.contains('world')\ni = t.indexof('o')\nj = t.indexof('zz')\nsub = t.substr(7, 3)\nrest = t.substr(7)\nn = 'a|b|c'.count()\nz = ''.count()\nr = t.replace('o', '0')\nq = '12'.isnumeric()\np = 'x'.isnumeric()",
        &[],
        &[
            ("t", "Hello World"),
            ("l", "11"),
            ("u", "HELLO WORLD"),
            ("w", "hello world"),
            ("c", "1"),
            ("k", "0"),
            ("i", "5"),
            ("j", "0"),
            ("sub", "Wor"),
            ("rest", "World"),
            ("n", "3"),
            ("z", "0"),
            ("r", "Hell0 W0rld"),
            ("q", "1"),
            ("p", "0"),
        ],
    ),
    (
        "functions, call style and chains",
        "a = upper('x')\nb = 'ab'.upper().length()\nc = LENGTH('héllo')\nd = name.trim().lower() = 'ann'",
        &[("name", " ANN ")],
        &[("a", "X"), ("b", "2"), ("c", "5"), ("d", "1")],
    ),
    (
        "globals are their own scope",
        "x = 'local'\nGlobal:x = 'global'\ny = x\nz = GLOBAL:X",
        &[],
        &[("x", "local"), ("Global:x", "global"), ("y", "local"), ("z", "global")],
    ),
    (
        "statement id copied into a global",
        "Global:_recordingStatementId = RecordingStatementId",
        &[("RecordingStatementId", "st-42")],
        &[("global:_RECORDINGSTATEMENTID", "st-42")],
    ),
    (
        "comments everywhere",
        "// header\nx = 1 // trailing\n// IF broken {\ny = '//not a comment'",
        &[],
        &[("x", "1"), ("y", "//not a comment")],
    ),
    ("crlf line endings", "x = 1\r\nIF x {\r\n  y = 2\r\n}\r\n", &[], &[("y", "2")]),
    ("trace has no effect on variables", "TRACE 'x is {x}'\nx = 1", &[], &[("x", "1")]),
    (
        "unary minus and not bind tightest",
        "a = -2 + 5\nb = !0 + 1\nc = - -3",
        &[],
        &[("a", "3"), ("b", "2"), ("c", "3")],
    ),
];

#[test]
fn programs_produce_expected_variables() {
    let failures = table_failures(PROGRAMS, run);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// (program, offset, len, message fragment).
const SYNTAX_ERRORS: &[(&str, usize, usize, &str)] = &[
    ("x = ", 4, 0, "expected a value"),
    ("x = 1 +\ny = 2", 7, 1, "expected a value"),
    ("IF x = 1\n  y = 2\n}", 11, 1, "expected `{` to open the block after the IF condition"),
    ("IF x {\n  y = 1\n", 15, 0, "expected `}` to close the block"),
    ("x = (1 + 2", 10, 0, "expected `)`"),
    ("x = 1 y = 2", 6, 1, "expected the end of the line"),
    ("x == 1", 2, 2, "expected `=` after `x`"),
    ("x = 'abc", 4, 1, "unterminated string"),
    ("x = 1 # 2", 6, 1, "unterminated date"),
    ("x = 1 @ 2", 6, 1, "unexpected character"),
    ("IF 1 {\n} ELSE IF 2 {\n}", 14, 2, "there is no ELSE IF"),
    ("ELSE {\n}", 0, 4, "expected a statement"),
    ("BREAK", 0, 5, "BREAK outside a FOR, FOREACH or WHILE loop"),
    ("FOR i = 1 5 {\n}", 10, 1, "expected TO"),
    ("FOREACH x 'a|b' {\n}", 10, 5, "expected IN"),
    ("SWITCH x {\n  y = 1\n}", 13, 1, "expected CASE, DEFAULT or `}`"),
    ("SWITCH x {\n  DEFAULT { }\n  CASE 1 { }\n}", 27, 4, "DEFAULT is the last arm"),
    ("x = a.", 6, 0, "expected a member or function name after `.`"),
    ("FUNCTION f() {\n  FUNCTION g() {\n  }\n}", 17, 8, "define functions at the top level"),
    ("IF = 3", 3, 1, "expected a value"),
    ("x = 1\n  + 2", 8, 1, "expected a statement"),
    ("CASE 1 {\n}", 0, 4, "expected a statement"),
];

#[test]
fn syntax_errors_point_at_the_first_bad_token() {
    let mut failures = Vec::new();
    for (src, offset, len, msg) in SYNTAX_ERRORS {
        match parse(src) {
            Ok(_) => failures.push(format!("{src:?}: parsed, expected an error")),
            Err(e) => {
                if (e.offset, e.len) != (*offset, *len)
                    || !format!("{} {:?}", e.message, e.help).contains(msg)
                {
                    failures.push(format!(
                        "{src:?}: got {}+{} {:?} (help {:?}), expected {offset}+{len} containing {msg:?}",
                        e.offset, e.len, e.message, e.help
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_crash() {
    let parens = format!("x = {}1{}", "(".repeat(200), ")".repeat(200));
    assert!(parse(&parens).unwrap_err().message.contains("nesting too deep"));
    let chain = format!("x = 1{}", " + 1".repeat(1000));
    assert!(parse(&chain).unwrap_err().message.contains("expression too complex"));
    let blocks = "IF 1 {\n".repeat(100) + &"}\n".repeat(100);
    assert!(parse(&blocks).unwrap_err().message.contains("nesting too deep"));
    let nots = format!("x = {}1", "!".repeat(10_000));
    assert!(parse(&nots).is_err());
}

/// (program, initial variables, message fragment).
type ErrorCase = (&'static str, &'static [(&'static str, &'static str)], &'static str);

const RUNTIME_ERRORS: &[ErrorCase] = &[
    ("x = 1\ny = x / 0", &[], "division by zero (snippet line 2)"),
    ("x = 'a' - 1", &[], "cannot subtract: \"a\" is not a number"),
    ("x = -'a'", &[], "cannot negate"),
    ("x = frobnicate(1)", &[], "unknown function `frobnicate` (snippet line 1)"),
    ("x = 'a'.nope()", &[], "unknown function `nope`"),
    ("x = 'a'.substr()", &[], "wrong number of arguments to `substr`"),
    (
        "n = 0\nFOR i = 1 TO 200000 {\n  n = n + 1\n}",
        &[],
        "loop limit exceeded: more than 10000 iterations (snippet line 2)",
    ),
    ("FOR i = 1 TO 400 {\n  FOR j = 1 TO 400 {\n    x = 1\n  }\n}", &[], "loop limit exceeded"),
    ("FOR i = 'a' TO 3 {\n}", &[], "FOR needs numbers, got \"a\""),
    ("x = arr[0]", &[], "array index must be a whole number from 1, got \"0\""),
    ("arr['x'] = 1", &[], "array index must be a whole number from 1"),
    ("s = 'xxxxxxxxxxxxxxxx'\nFOR i = 1 TO 20 {\n  s = s + s\n}", &[], "value too long"),
];

#[test]
fn runtime_errors_have_messages() {
    let mut failures = Vec::new();
    for (src, init, msg) in RUNTIME_ERRORS {
        match run(src, init) {
            Ok(_) => failures.push(format!("{src:?}: ran, expected an error")),
            Err(e) if e.contains(msg) => {}
            Err(e) => failures.push(format!("{src:?}: {e:?} does not contain {msg:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn runtime_error_keeps_earlier_assignments() {
    // The simulator sees what ran before the error (the Error branch may read it).
    let ast = parse("a = 1\nb = 1 / 0\nc = 1").unwrap();
    let mut symbols = Symbols::new();
    let p = Program::compile(&ast, &mut symbols);
    let mut vars = Vars::new(&symbols);
    assert!(p.run(&mut vars).is_err());
    assert_eq!(vars.get(symbols.get("a").unwrap()), "1");
    assert_eq!(vars.get(symbols.get("c").unwrap()), "");
}

#[test]
fn globals_survive_reset_locals_and_reset_clears_all() {
    let ast = parse("x = 'l'\nGlobal:g = 'g'").unwrap();
    let mut symbols = Symbols::new();
    let p = Program::compile(&ast, &mut symbols);
    let mut vars = Vars::new(&symbols);
    p.run(&mut vars).unwrap();
    let (x, g) = (symbols.get("x").unwrap(), symbols.get("global:g").unwrap());
    assert!(symbols.is_global(g) && !symbols.is_global(x));
    assert_eq!(vars.iter_globals().collect::<Vec<_>>(), vec![(g, "g")]);
    vars.reset_locals();
    assert_eq!((vars.get(x), vars.get(g)), ("", "g"));
    vars.reset();
    assert_eq!(vars.get(g), "");
    assert_eq!(symbols.name(g), "Global:g");
}

#[test]
fn program_writes_and_symbols() {
    let ast = parse("a = b\nFOR i = 1 TO 2 {\n  Global:A = a\n}\na = 2").unwrap();
    let mut symbols = Symbols::new();
    let p = Program::compile(&ast, &mut symbols);
    let names: Vec<_> = p.writes().iter().map(|&id| symbols.name(id)).collect();
    assert_eq!(names, ["a", "i", "Global:A"]);
    assert_eq!(symbols.get("B"), symbols.get("b"));
    assert_ne!(symbols.get("a"), symbols.get("Global:a"));
}

#[test]
fn vars_grow_for_programs_compiled_later() {
    let mut symbols = Symbols::new();
    let first = Program::compile(&parse("a = 1").unwrap(), &mut symbols);
    let mut vars = Vars::new(&symbols);
    let second = Program::compile(&parse("Global:z = a + 1").unwrap(), &mut symbols);
    first.run(&mut vars).unwrap();
    second.run(&mut vars).unwrap();
    let z = symbols.get("Global:z").unwrap();
    assert_eq!(vars.get(z), "2");
    assert_eq!(vars.iter_globals().map(|(id, _)| id).collect::<Vec<_>>(), vec![z]);
}

#[test]
fn trace_sink_collects_only_when_enabled() {
    let ast = parse("FOR i = 1 TO 2 {\n  TRACE 'i={i}'\n}").unwrap();
    let mut symbols = Symbols::new();
    let p = Program::compile(&ast, &mut symbols);
    let mut vars = Vars::new(&symbols);
    p.run(&mut vars).unwrap();
    assert!(vars.take_trace().is_empty());
    vars.enable_trace();
    p.run(&mut vars).unwrap();
    assert_eq!(vars.take_trace(), ["i=1", "i=2"]);
    assert_eq!(ast.traces().len(), 1);
}

#[test]
fn template_substitutes_like_string_literals() {
    let mut symbols = Symbols::new();
    let t = Template::compile("Hi {Name}, id {Global:id} {notavar!} {", &mut symbols);
    let mut vars = Vars::new(&symbols);
    vars.set(symbols.get("name").unwrap(), "Ann");
    vars.set(symbols.get("global:ID").unwrap(), "7");
    let mut out = String::from(">");
    t.render_into(&mut vars, &mut out);
    assert_eq!(out, ">Hi Ann, id 7 {notavar!} {");
    let reads: Vec<_> = t.reads().iter().map(|&id| symbols.name(id)).collect();
    assert_eq!(reads, ["Name", "Global:id"]);
    assert_eq!(Template::compile("plain", &mut symbols).as_literal(), Some("plain"));
    // The same text as a snippet string literal renders identically.
    let p =
        Program::compile(&parse("out = \"Hi {Name}, id {Global:id} {notavar!} {\"").unwrap(), &mut symbols);
    vars.sync(&symbols);
    p.run(&mut vars).unwrap();
    assert_eq!(vars.get(symbols.get("out").unwrap()), &out[1..]);
}

#[test]
fn dataflow_reports_sources_and_global_copies() {
    let ast = parse(
        "Global:_recordingStatementId = RecordingStatementId\nASSIGN Global:y = \"{RecordingStatementId}\"\nz = 'id: {RecordingStatementId}' + other\narr[i] = v",
    )
    .unwrap();
    let a = ast.assignments();
    assert_eq!(a.len(), 4);
    assert_eq!(a[0].target, "Global:_recordingStatementId");
    assert_eq!(a[0].sources, ["RecordingStatementId"]);
    assert_eq!(a[0].copy_of.as_deref(), Some("RecordingStatementId"));
    assert_eq!((a[0].offset, a[0].len), (0, 51));
    assert_eq!(a[1].sources, ["RecordingStatementId"]);
    assert_eq!(a[1].copy_of.as_deref(), Some("RecordingStatementId"));
    assert_eq!(a[2].sources, ["RecordingStatementId", "other"]);
    assert_eq!(a[2].copy_of, None);
    assert_eq!(a[3].sources, ["v", "i", "arr"]);
    assert!(ast.copies_into_global("recordingstatementid"));
    assert_eq!(ast.globals_holding("RecordingStatementId"), ["global:_recordingstatementid", "global:y"]);
}

#[test]
fn copies_into_global_is_a_must_analysis() {
    let yes = [
        "Global:x = RecordingStatementId",
        "t = RecordingStatementId\nGlobal:x = t",
        "IF a {\n  Global:x = RecordingStatementId\n} ELSE {\n  Global:y = \"{RecordingStatementId}\"\n}",
        "FOR i = 1 TO 3 {\n  Global:x = RecordingStatementId\n}",
        "SWITCH a {\n  CASE 1 { Global:x = RecordingStatementId }\n  DEFAULT { Global:x = RecordingStatementId }\n}",
    ];
    let no = [
        "x = RecordingStatementId",
        "Global:x = RecordingStatementId + ''",
        "IF a {\n  Global:x = RecordingStatementId\n}",
        "Global:x = RecordingStatementId\nGlobal:x = ''",
        "RecordingStatementId = 'new'\nGlobal:x = RecordingStatementId",
        "FOREACH e IN list {\n  Global:x = RecordingStatementId\n}",
        "FOR i = 1 TO 3 {\n  IF i = 2 { BREAK }\n  Global:x = RecordingStatementId\n}",
        "SWITCH a {\n  CASE 1 { Global:x = RecordingStatementId }\n}",
    ];
    for src in yes {
        assert!(parse(src).unwrap().copies_into_global("RecordingStatementId"), "expected a copy: {src}");
    }
    for src in no {
        assert!(!parse(src).unwrap().copies_into_global("RecordingStatementId"), "expected no copy: {src}");
    }
}

#[test]
fn warm_runs_reuse_buffers() {
    // Same program many times: results stay correct with recycled buffers.
    let ast = parse("s = ''\nFOREACH x IN list {\n  s = s + x.upper() + '-'\n}\nn = s.length()").unwrap();
    let mut symbols = Symbols::new();
    let list = symbols.intern("list");
    let p = Program::compile(&ast, &mut symbols);
    let mut vars = Vars::new(&symbols);
    for k in 0..50 {
        vars.reset();
        let l = if k % 2 == 0 { "a|b" } else { "ccc" };
        vars.set(list, l);
        p.run(&mut vars).unwrap();
        let want = if k % 2 == 0 { "A-B-" } else { "CCC-" };
        assert_eq!(vars.get(symbols.get("s").unwrap()), want);
    }
}

/// Value of `out` after running `src`.
fn out(src: &str) -> String {
    get(&run(src, &[]).unwrap(), "out")
}

#[test]
fn assumption_s1_text_comparison_ignores_case_functions_do_not() {
    assert_eq!(out("out = 'YES' = 'yes'"), "1");
    assert_eq!(out("out = 'Abc'.contains('abc')"), "0");
    assert_eq!(out("out = 'Abc'.lower().contains('abc')"), "1");
}

#[test]
fn assumption_s2_booleans_are_1_and_0() {
    assert_eq!(out("out = '{a}{b}{c}'\na = 2 > 1\nb = 1 > 2\nc = !'false'\nout = '{a}{b}{c}'"), "101");
}

#[test]
fn assumption_s3_number_syntax_is_strict() {
    assert_eq!(out("out = ' 5' = '5'"), "0");
    assert_eq!(out("out = '1e3' = '1000'"), "0");
    assert_eq!(out("out = '+5' = '5.0'"), "1");
}

#[test]
fn assumption_s4_arithmetic_on_text_is_an_error_but_plus_concatenates() {
    assert!(run("out = 'a' * 2", &[]).unwrap_err().contains("cannot multiply"));
    assert_eq!(out("out = 'a' + 2"), "a2");
}

#[test]
fn assumption_s5_reads_beyond_the_end_are_empty() {
    assert_eq!(out("out = 'a|b'[3]"), "");
    assert!(run("out = 'a|b'[1.5]", &[]).unwrap_err().contains("array index"));
}

#[test]
fn assumption_s6_positions_count_from_1() {
    assert_eq!(out("out = 'abc'.indexof('a') + 'abc'.substr(1, 1) + 'x|y'[1]"), "1ax");
}

#[test]
fn assumption_s7_too_long_values_are_errors() {
    let e =
        run("s = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'\nFOR i = 1 TO 11 {\n  s = s + s\n}", &[]).unwrap_err();
    assert!(e.contains("value too long (over 32768 bytes)"), "{e}");
}

#[test]
fn assumption_s8_break_outside_loop_is_a_syntax_error() {
    assert!(parse("IF 1 {\n  BREAK\n}").is_err());
    assert!(parse("FOREACH x IN 'a' {\n  IF 1 { BREAK }\n}").is_ok());
}

#[test]
fn assumption_s9_number_literals_keep_their_spelling() {
    assert_eq!(out("out = 0044"), "0044");
    assert_eq!(out("out = 0044 + 0"), "44");
}
