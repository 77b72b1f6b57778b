//! Property tests: no input makes the Snippet parser or interpreter panic or hang.
//! Random bytes, random token soups and random well-formed programs; case counts are modest so
//! the file runs in a few seconds.

use proptest::prelude::*;
use recflow::snippet::{Program, Symbols, Template, Vars, parse};

const TOKENS: &[&str] = &[
    "IF",
    "ELSE",
    "SWITCH",
    "CASE",
    "DEFAULT",
    "FOR",
    "TO",
    "FOREACH",
    "IN",
    "BREAK",
    "TRACE",
    "ASSIGN",
    "x",
    "y",
    "Global:g",
    "global:",
    "arr",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ",",
    ".",
    "length",
    "substr",
    "upper",
    "count",
    "nope",
    "+",
    "-",
    "*",
    "/",
    "=",
    "==",
    "!=",
    "<>",
    "<",
    ">",
    "<=",
    ">=",
    "&",
    "|",
    "!",
    "1",
    "0",
    "2.5",
    "100000",
    "'a|b'",
    "\"{x}\"",
    "'",
    "\"",
    "//",
    "\n",
    "\n",
    "\n",
    "é",
    "\r\n",
    // Issue 12 constructs.
    "DYNAMIC",
    "FUNCTION",
    "RETURN",
    "WHILE",
    "SELECT",
    "STEP",
    "USES",
    "o",
    "o.a",
    "o.a[1].b",
    "o.l[x].n",
    "f(",
    "f(x)",
    "GetRESTProxy()",
    "parsejson('{\"a\":[1,{\"b\":2}]}')",
    "$\"a\\n{x+1}\"",
    "#2024-01-01#",
    "\"{x * 2}\"",
    "\"{o.a}\"",
    "%",
    "^",
    "\\",
    "/*",
    "*/",
    "left(x, 3)",
    "now()",
    "dateadd('day', now(), x)",
    "asjson()",
    "count()",
    "random(3)",
    "format(x, '0.00')",
];

/// Parse; when it parses, compile and run twice (cold and warm). Must finish: the work budget
/// bounds every run (no clock here; timed assertions are flaky on a shared machine).
fn exercise(src: &str) {
    if let Ok(ast) = parse(src) {
        let _ = ast.assignments();
        let _ = ast.copies_into_global("x");
        let mut symbols = Symbols::new();
        let p = Program::compile(&ast, &mut symbols);
        let mut vars = Vars::new(&symbols);
        vars.enable_trace();
        let _ = p.run(&mut vars);
        let _ = p.run(&mut vars);
    }
    let mut symbols = Symbols::new();
    let t = Template::compile(src, &mut symbols);
    let mut out = String::new();
    t.render_into(&mut Vars::new(&symbols), &mut out);
}

fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (0u32..200_000).prop_map(|n| n.to_string()),
        Just("'a|b|c'".to_string()),
        Just("\"x={x} g={Global:g}\"".to_string()),
        Just("''".to_string()),
        prop::sample::select(vec!["x", "y", "i", "Global:g", "arr"]).prop_map(str::to_string),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/", "=", "<>", "<", ">=", "&", "|"]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            inner.clone().prop_map(|a| format!("!{a}")),
            inner.clone().prop_map(|a| format!("-{a}")),
            (inner.clone(), prop::sample::select(vec!["length()", "upper()", "trim()", "count()", "nope()"]))
                .prop_map(|(a, m)| format!("{a}.{m}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}.substr({b}, 2)")),
            (inner.clone(), inner).prop_map(|(a, i)| format!("{a}[{i}]")),
        ]
    })
}

fn program() -> impl Strategy<Value = String> {
    let simple = prop_oneof![
        (prop::sample::select(vec!["x", "y", "Global:g", "arr", "arr[2]", "i"]), value())
            .prop_map(|(t, v)| format!("{t} = {v}")),
        value().prop_map(|v| format!("TRACE {v}")),
        value().prop_map(|v| format!("o.m[2].n = {v}")),
        value().prop_map(|v| format!("o.l[i].n = {v}")),
        value().prop_map(|v| format!("x = f({v})")),
        value().prop_map(|v| format!("p = GetRESTProxy()\nx = p + {v}")),
        value().prop_map(|v| format!("DYNAMIC o = {v}")),
        value().prop_map(|v| format!("RETURN {v}")),
    ];
    let stmts = simple.prop_recursive(4, 32, 4, |inner| {
        let block = prop::collection::vec(inner, 1..4).prop_map(|v| v.join("\n"));
        prop_oneof![
            (value(), block.clone(), block.clone())
                .prop_map(|(c, a, b)| format!("IF {c} {{\n{a}\n}} ELSE {{\n{b}\n}}")),
            (value(), value(), block.clone())
                .prop_map(|(a, b, body)| format!("FOR i = {a} TO {b}\n{{\n{body}\nBREAK\n}}")),
            (value(), value(), block.clone())
                .prop_map(|(a, b, body)| format!("FOR i = {a} TO {b} {{\n{body}\n}}")),
            (value(), block.clone()).prop_map(|(a, body)| format!("FOREACH e IN {a} {{\n{body}\n}}")),
            (value(), block.clone()).prop_map(|(c, body)| format!("WHILE {c} {{\n{body}\n}}")),
            (value(), block.clone(), block.clone())
                .prop_map(|(c, a, d)| format!("SELECT {{\nCASE {c} {{\n{a}\n}}\nDEFAULT {{\n{d}\n}}\n}}")),
            (value(), value(), block.clone(), block).prop_map(|(s, c, a, d)| format!(
                "SWITCH {s} {{\nCASE {c} {{\n{a}\n}}\nDEFAULT {{\n{d}\n}}\n}}"
            )),
        ]
    });
    // A recursive FUNCTION the statements may call (bounded by the call depth limit).
    (prop::collection::vec(stmts, 1..5), any::<bool>()).prop_map(|(v, with_fn)| {
        let body = v.join("\n");
        if with_fn { format!("{body}\nFUNCTION f(a) {{\n  x = f(a + 1)\n  RETURN a\n}}") } else { body }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        exercise(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup_never_panics(toks in prop::collection::vec(prop::sample::select(TOKENS), 0..60)) {
        exercise(&toks.join(" "));
    }

    #[test]
    fn random_programs_parse_and_run_bounded(src in program()) {
        // Well-formed by construction: must parse; running may fail but must end quickly.
        prop_assert!(parse(&src).is_ok(), "did not parse: {}", src);
        exercise(&src);
    }
}
