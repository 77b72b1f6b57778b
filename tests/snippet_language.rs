//! The Snippet language as CXone's help pages describe it (issue 12): a table of programs in the
//! style of the help's examples, each with the variables it must leave behind. Every built-in
//! function appears at least once; unmodelled constructs give unknown values and located
//! warnings; genuine errors stay errors. The reference is docs/snippet.md.

mod common;

use common::snippet::{Case, Ran, get, table_failures};
use recflow::snippet::{Program, Symbols, Template, Vars, parse};

/// Parse, compile and run `src` with `init` variables set first (clock at the simulated epoch
/// plus 90 seconds, seed 7).
fn run(src: &str, init: &[(&str, &str)]) -> Result<Ran, String> {
    common::snippet::run_at(src, init, Some((90_000, 7)))
}

const PROGRAMS: &[Case] = &[
    // ---- dynamic data objects ----
    (
        "dynamic declare and members",
        "DYNAMIC beowulf\nbeowulf.name = \"Beowulf\"\nbeowulf.occupation = \"Hero\"\nx = beowulf.name",
        &[],
        &[("x", "Beowulf"), ("beowulf.occupation", "Hero")],
    ),
    (
        "member names are case-sensitive",
        "DYNAMIC o\no.Files = 'a'\nx = o.files\ny = o.Files",
        &[],
        &[("x", ""), ("y", "a")],
    ),
    ("variable part ignores case", "DYNAMIC Cust\ncust.id = 5\nx = CUST.id + 1", &[], &[("x", "6")]),
    (
        "nested members",
        "DYNAMIC c\nc.addr.city = 'Oslo'\nc.addr.zip = '0150'\nx = c.addr.city + ' ' + c.addr.zip",
        &[],
        &[("x", "Oslo 0150")],
    ),
    (
        "array of objects, constant index",
        "DYNAMIC c\nc.phones[1].num = '555'\nc.phones[2].num = '777'\nx = c.phones[2].num\nn = c.phones.count()",
        &[],
        &[("x", "777"), ("n", "2")],
    ),
    (
        "array of objects, run-time index",
        "DYNAMIC c\nFOR i = 1 TO 3 {\n  c.items[i].qty = i * 10\n}\nx = c.items[2].qty\nn = c.items.count()\ny = c.items[3].qty",
        &[],
        &[("x", "20"), ("n", "3"), ("y", "30")],
    ),
    (
        "run-time index reads a constant-index write",
        "DYNAMIC c\nc.list[2].v = 'b'\ni = 2\nx = c.list[i].v",
        &[],
        &[("x", "b")],
    ),
    ("member in a template", "DYNAMIC c\nc.name = 'Ann'\nmsg = \"hi {c.name}\"", &[], &[("msg", "hi Ann")]),
    ("DYNAMIC clears the object", "DYNAMIC c\nc.a = 1\nDYNAMIC c\nx = c.a", &[], &[("x", "")]),
    (
        "DYNAMIC from JSON",
        "DYNAMIC j = '{\"name\": \"Ann\", \"age\": 41, \"tags\": [\"a\", \"b\"], \"kids\": [{\"n\": \"x\"}]}'\nx = j.name\ny = j.age + 1\nt = j.tags\nk = j.kids[1].n",
        &[],
        &[("x", "Ann"), ("y", "42"), ("t", "a|b"), ("k", "x")],
    ),
    (
        "parsejson into an object",
        "text = '{\"a\": {\"b\": \"deep\"}}'\no = parsejson(text)\nx = o.a.b",
        &[],
        &[("x", "deep")],
    ),
    (
        "asjson of an object",
        "DYNAMIC o\no.b = '2'\no.a = 'x'\nj = o.asjson()",
        &[],
        &[("j", "{\"a\":\"x\",\"b\":\"2\"}")],
    ),
    ("asjson of a value", "x = 'say \"hi\"'\nj = x.asjson()", &[], &[("j", "\"say \\\"hi\\\"\"")]),
    ("count of a member array text", "DYNAMIC o\no.list = 'a|b|c'\nn = o.list.count()", &[], &[("n", "3")]),
    ("member element read", "DYNAMIC o\no.list = 'a|b|c'\nx = o.list[2]", &[], &[("x", "b")]),
    (
        "member element write",
        "DYNAMIC o\no.list = 'a|b|c'\no.list[2] = 'B'\nx = o.list",
        &[],
        &[("x", "a|B|c")],
    ),
    ("Global member", "DYNAMIC Global:g\nGlobal:g.id = 'z'\nx = Global:g.id", &[], &[("x", "z")]),
    // ---- functions ----
    ("function with RETURN", "FUNCTION Add(a, b) {\n  RETURN a + b\n}\nx = Add(2, 3)", &[], &[("x", "5")]),
    ("call before definition", "x = twice(21)\nFUNCTION twice(n) {\n  RETURN n * 2\n}", &[], &[("x", "42")]),
    (
        "locals do not leak",
        "a = 'outer'\nFUNCTION f(a) {\n  t = a + '!'\n  RETURN t\n}\nx = f('in')",
        &[],
        &[("x", "in!"), ("a", "outer"), ("t", "")],
    ),
    (
        "function reads script variables",
        "greeting = 'hi'\nFUNCTION greet(n) {\n  RETURN greeting + ' ' + n\n}\nx = greet('Bo')",
        &[],
        &[("x", "hi Bo")],
    ),
    (
        "function writes a global",
        "FUNCTION save(v) {\n  Global:saved = v\n}\nsave('k1')\nx = Global:saved",
        &[],
        &[("x", "k1")],
    ),
    (
        "recursion",
        "FUNCTION fact(n) {\n  IF n <= 1 {\n    RETURN 1\n  }\n  RETURN n * fact(n - 1)\n}\nx = fact(6)",
        &[],
        &[("x", "720")],
    ),
    ("RETURN without value", "FUNCTION f() {\n  RETURN\n}\nx = 'a' + f()", &[], &[("x", "a")]),
    (
        "function with dynamic object",
        "FUNCTION mk(n) {\n  DYNAMIC o\n  o.n = n\n  RETURN o.n + 1\n}\nx = mk(4)",
        &[],
        &[("x", "5")],
    ),
    ("method call of a user function is the built-in", "x = 'abc'.length()", &[], &[("x", "3")]),
    ("RETURN at top level ends the snippet", "x = 1\nRETURN\nx = 2", &[], &[("x", "1")]),
    // ---- control flow ----
    ("WHILE", "i = 0\ns = ''\nWHILE i < 3 {\n  i = i + 1\n  s = \"{s}{i}\"\n}", &[], &[("s", "123")]),
    (
        "WHILE with BREAK",
        "i = 0\nWHILE 1 {\n  i = i + 1\n  IF i = 5 {\n    BREAK\n  }\n}",
        &[],
        &[("i", "5")],
    ),
    (
        "SELECT first true",
        "x = 15\nSELECT {\n  CASE x > 20 { r = 'big' }\n  CASE x > 10 { r = 'mid' }\n  DEFAULT { r = 'small' }\n}",
        &[],
        &[("r", "mid")],
    ),
    (
        "SELECT default",
        "x = 1\nSELECT {\n  CASE x > 20 { r = 'big' }\n  DEFAULT { r = 'small' }\n}",
        &[],
        &[("r", "small")],
    ),
    (
        "SWITCH",
        "SWITCH lang {\n  CASE 'en' { g = 'Hello' }\n  CASE 'fr' { g = 'Bonjour' }\n  DEFAULT { g = '?' }\n}",
        &[("lang", "FR")],
        &[("g", "Bonjour")],
    ),
    (
        "nested IF in ELSE (the help's chain)",
        "A = 2\nB = 2\nIF A > B {\n  r = 'gt'\n}\nELSE {\n  IF A = B {\n    r = 'eq'\n  }\n  ELSE {\n    r = 'lt'\n  }\n}",
        &[],
        &[("r", "eq")],
    ),
    ("FOR with STEP", "s = ''\nFOR i = 1 TO 9 STEP 3 {\n  s = \"{s}{i}\"\n}", &[], &[("s", "147")]),
    ("FOR with negative STEP", "s = ''\nFOR i = 5 TO 1 STEP -2 {\n  s = \"{s}{i}\"\n}", &[], &[("s", "531")]),
    ("FOREACH", "n = 0\nFOREACH x IN 'a|b|c' {\n  n = n + 1\n}", &[], &[("n", "3")]),
    (
        "BREAK in FOREACH",
        "s = ''\nFOREACH x IN 'a|b|c' {\n  IF x = 'c' {\n    BREAK\n  }\n  s = s + x\n}",
        &[],
        &[("s", "ab")],
    ),
    ("TRACE does not change variables", "x = 1\nTRACE \"x is {x}\"", &[], &[("x", "1")]),
    (
        "comments",
        "// line comment\nx = 1 // trailing\n/* block\ncomment */\ny = 2",
        &[],
        &[("x", "1"), ("y", "2")],
    ),
    ("keywords any case", "if 1 = 1 {\n  assign x = 'y'\n} else {\n  x = 'n'\n}", &[], &[("x", "y")]),
    // ---- strings and expressions ----
    ("{expression} substitution", "b = 2\nc = 3\nx = \"text{b+10*c}\"", &[], &[("x", "text32")]),
    ("{function call} substitution", "n = 'abc'\nx = \"{n.upper()}-{left(n, 1)}\"", &[], &[("x", "ABC-a")]),
    ("escape string", "x = $\"a\\tb\\\"c\\\\\"", &[], &[("x", "a\tb\"c\\")]),
    ("escape string with newline", "x = $\"1\\n2\"\nn = x.length()", &[], &[("n", "3")]),
    (
        "modulo, power, integer division",
        "a = 17 % 5\nb = 2 ^ 10\nc = 17 \\ 5\nd = -2 ^ 2",
        &[],
        &[("a", "2"), ("b", "1024"), ("c", "3"), ("d", "-4")],
    ),
    ("date literal", "d = #2024-01-31#\nx = dateadd('month', d, 1)", &[], &[("x", "2024-02-29 00:00:00")]),
    // ---- string built-ins ----
    (
        "left both forms",
        "a = left(ANI, 3)\nb = ANI.left(3)",
        &[("ANI", "5551234")],
        &[("a", "555"), ("b", "555")],
    ),
    ("right", "a = right('abcdef', 2)\nb = 'abc'.right(9)", &[], &[("a", "ef"), ("b", "abc")]),
    ("mid", "a = mid('abcdef', 2, 3)\nb = 'abcdef'.mid(5)", &[], &[("a", "bcd"), ("b", "ef")]),
    ("substr", "a = 'abcdef'.substr(3, 2)", &[], &[("a", "cd")]),
    (
        "len and length",
        "a = len('abc')\nb = 'héllo'.length()\nc = ANI.length",
        &[("ANI", "12345")],
        &[("a", "3"), ("b", "5"), ("c", "5")],
    ),
    (
        "IF ANI.length > 5 (method form without parentheses)",
        "IF ANI.length > 5 {\n  r = 'long'\n} ELSE {\n  r = 'short'\n}",
        &[("ANI", "5551234")],
        &[("r", "long")],
    ),
    (
        "upper lower",
        "a = upper('abc')\nb = 'ABC'.lower()\nc = ucase('x')\nd = lcase('Y')",
        &[],
        &[("a", "ABC"), ("b", "abc"), ("c", "X"), ("d", "y")],
    ),
    (
        "trims",
        "a = '  x  '.trim()\nb = ltrim('  x ')\nc = rtrim(' x  ')",
        &[],
        &[("a", "x"), ("b", "x "), ("c", " x")],
    ),
    ("indexof", "a = 'hello'.indexof('l')\nb = indexof('hello', 'z')", &[], &[("a", "3"), ("b", "0")]),
    (
        "contains startswith endswith",
        "a = 'hello'.contains('ell')\nb = 'hello'.startswith('he')\nc = endswith('hello', 'lo')\nd = 'hello'.endswith('x')",
        &[],
        &[("a", "1"), ("b", "1"), ("c", "1"), ("d", "0")],
    ),
    (
        "replace",
        "a = replace('a-b-c', '-', '+')\nb = 'aaa'.replace('a', 'bb')",
        &[],
        &[("a", "a+b+c"), ("b", "bbbbbb")],
    ),
    ("split and count", "a = 'a,b,c'.split(',')\nn = a.count()", &[], &[("a", "a|b|c"), ("n", "3")]),
    (
        "padleft padright",
        "a = '7'.padleft(3, '0')\nb = padright('ab', 4, '.')",
        &[],
        &[("a", "007"), ("b", "ab..")],
    ),
    ("isnumeric", "a = '12.5'.isnumeric()\nb = isnumeric('12a')", &[], &[("a", "1"), ("b", "0")]),
    ("isdate", "a = '2024-02-29'.isdate()\nb = isdate('2023-02-29')", &[], &[("a", "1"), ("b", "0")]),
    (
        "format",
        "a = format(1234.5, '#,##0.00')\nb = '3.14159'.format('0.0')\nc = format(7, '000')",
        &[],
        &[("a", "1,234.50"), ("b", "3.1"), ("c", "007")],
    ),
    // ---- number built-ins ----
    (
        "abs ceiling floor",
        "a = abs(-3)\nb = ceiling(2.1)\nc = floor(2.9)\nd = ceil(-2.5)",
        &[],
        &[("a", "3"), ("b", "3"), ("c", "2"), ("d", "-2")],
    ),
    (
        "round",
        "a = round(2.5)\nb = round(3.14159, 2)\nc = round(-2.5)",
        &[],
        &[("a", "3"), ("b", "3.14"), ("c", "-3")],
    ),
    ("max min", "a = max(3, 9)\nb = min(3, 9)", &[], &[("a", "9"), ("b", "3")]),
    ("random is deterministic and in range", "a = random(10)\nok = a >= 0 & a < 10", &[], &[("ok", "1")]),
    // ---- date/time built-ins on the simulated clock ----
    ("now is the simulated clock", "n = now()", &[], &[("n", "2026-01-05 09:01:30")]),
    (
        "asdate astime asdatetime",
        "d = '2024-03-05 14:07:09'\na = d.asdate()\nb = d.astime()\nc = d.asdatetime('dd/MM/yyyy HH:mm')",
        &[],
        &[("a", "2024-03-05"), ("b", "14:07:09"), ("c", "05/03/2024 14:07")],
    ),
    (
        "asisodatetime asutc",
        "d = '3/5/2024 2:07 PM'\na = d.asisodatetime()\nb = d.asutc()",
        &[],
        &[("a", "2024-03-05T14:07:00.000Z"), ("b", "2024-03-05 14:07:00")],
    ),
    (
        "dateadd units",
        "d = '2024-12-31 23:00:00'\na = dateadd('hour', d, 2)\nb = dateadd('day', d, -1)\nc = dateadd('year', d, 1)",
        &[],
        &[("a", "2025-01-01 01:00:00"), ("b", "2024-12-30 23:00:00"), ("c", "2025-12-31 23:00:00")],
    ),
    (
        "datediff",
        "a = datediff('day', '2024-01-01', '2024-03-01')\nb = datediff('month', '2024-01-15', '2024-03-01')\nc = datediff('minute', now(), dateadd('hour', now(), 1))",
        &[],
        &[("a", "60"), ("b", "2"), ("c", "60")],
    ),
    (
        "datepart dow",
        "d = '2024-03-05 14:07:09'\nm = datepart('month', d)\nh = datepart('hour', d)\nw = d.dow()\nx = asdatedow(now())",
        &[],
        &[("m", "3"), ("h", "14"), ("w", "2"), ("x", "1")],
    ),
    (
        "datebuild datetimebuild",
        "a = datebuild(2024, 2, 29)\nb = datetimebuild(2024, 2, 29, 23, 59, 58)",
        &[],
        &[("a", "2024-02-29"), ("b", "2024-02-29 23:59:58")],
    ),
    (
        "business hours check",
        "h = datepart('hour', now())\nIF h >= 8 & h < 17 {\n  open = 1\n} ELSE {\n  open = 0\n}",
        &[],
        &[("open", "1")],
    ),
    // ---- external calls and unknown values ----
    (
        "GetRESTProxy is unknown",
        "proxy = GetRESTProxy()\nresp = proxy.MakeRestRequest('https://x', '', 0, 'GET')\nname = resp.name",
        &[],
        &[("proxy", "?"), ("resp", "?"), ("name", "?")],
    ),
    ("savetodb is unknown", "r = savetodb('t', 'x')", &[], &[("r", "?")]),
    (
        "unknown propagates through operators",
        "p = GetRESTProxy()\nx = p + 1\ny = 'a' + p\nz = p.length()",
        &[],
        &[("x", "?"), ("y", "?"), ("z", "?")],
    ),
    (
        "unknown is absorbed by AND/OR",
        "p = GetRESTProxy()\na = 0 & p\nb = 1 | p",
        &[],
        &[("a", "0"), ("b", "1")],
    ),
    (
        "FOREACH over unknown is skipped",
        "p = GetRESTProxy()\nn = 0\nFOREACH x IN p {\n  n = n + 1\n}",
        &[],
        &[("n", "0")],
    ),
    ("assigning a known value clears unknown", "x = GetRESTProxy()\nx = 'k'", &[], &[("x", "k")]),
    (
        "unknown member of unknown object, known member written later",
        "DYNAMIC r\nr = GetRESTProxy()\nr.extra = 'e'\na = r.extra\nb = r.other",
        &[],
        &[("a", "e"), ("b", "?")],
    ),
    ("USES is read and skipped", "USES \"proxy.dll\"\nx = 1", &[], &[("x", "1")]),
    ("unknown template substitution", "p = GetRESTProxy()\nmsg = \"id {p}\"", &[], &[("msg", "?")]),
];

#[test]
fn help_style_programs_leave_the_expected_variables() {
    assert!(PROGRAMS.len() >= 80, "{} programs", PROGRAMS.len());
    let failures = table_failures(PROGRAMS, run);
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// (program, message fragment): genuine errors still take the SNIPPET's `Error` branch.
const ERRORS: &[(&str, &str)] = &[
    ("x = 1 / 0", "division by zero"),
    ("x = 7 % 0", "division by zero"),
    ("x = lenght('abc')", "unknown function `lenght` (did you mean `length`?)"),
    ("x = 'abc'.uper()", "unknown function `uper` (did you mean `upper`?)"),
    ("x = nosuchthing(1)", "unknown function `nosuchthing`"),
    ("WHILE 1 {\n  x = 1\n}", "loop limit exceeded"),
    ("FUNCTION f(n) {\n  RETURN f(n + 1)\n}\nx = f(1)", "nested deeper than 64"),
    ("x = left('abc')", "wrong number of arguments to `left` (use left(x, n) or x.left(n))"),
    ("x = left('abc', 'z')", "left length: \"z\" is not a number"),
    ("x = dateadd('day', 'not a date', 1)", "dateadd: no date"),
    ("x = datebuild(2023, 2, 29)", "not a valid date"),
    ("FOR i = 1 TO 5 STEP 0 {\n}", "STEP must be a non-zero number"),
    ("a[40000] = 'x'", "array index 40000 too large"),
];

#[test]
fn genuine_errors_stay_errors() {
    let mut failures = Vec::new();
    for (src, want) in ERRORS {
        match run(src, &[]) {
            Ok(_) => failures.push(format!("{src:?}: ran, expected an error containing {want:?}")),
            Err(e) if !e.contains(want) => failures.push(format!("{src:?}: {e:?}, expected {want:?}")),
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unmodelled_constructs_warn_at_their_location_and_count_at_run_time() {
    let src = "x = 1\nUSES \"proxy.dll\"\np = GetRESTProxy()\nr = p.MakeRestRequest('u', '', 0, 'GET')";
    let ast = parse(src).unwrap();
    assert_eq!(ast.warnings.len(), 1);
    let w = &ast.warnings[0];
    assert_eq!(&src[w.offset..w.offset + w.len], "USES \"proxy.dll\"");
    assert!(w.message.contains("not modelled"), "{}", w.message);
    let r = run(src, &[]).unwrap();
    // USES, GetRESTProxy() and the method call on the unknown proxy.
    assert_eq!(r.unmodelled, 3);
    assert_eq!(get(&r, "r"), "?");
    // A run without external calls counts nothing.
    assert_eq!(run("x = left('abc', 1)", &[]).unwrap().unmodelled, 0);
}

#[test]
fn misspelt_functions_are_found_with_suggestions() {
    let src = "x = lenght(ANI)\ny = ANI.uper()\nz = resp.someApiCall()\nFUNCTION lookupAccount() {\n  RETURN 1\n}\nw = lookupAcount()";
    let ast = parse(src).unwrap();
    let calls = ast.unknown_calls();
    let got: Vec<(&str, Option<&str>)> =
        calls.iter().map(|c| (c.name.as_str(), c.suggestion.as_deref())).collect();
    assert_eq!(
        got,
        vec![("lenght", Some("length")), ("uper", Some("upper")), ("lookupAcount", Some("lookupAccount"))]
    );
    assert_eq!(&src[calls[0].offset..calls[0].offset + calls[0].len], "lenght(ANI)");
}

#[test]
fn decisions_on_unknown_values_are_deterministic_per_seed_and_use_every_arm() {
    let src = "p = GetRESTProxy()\nIF p = 'ok' {\n  r = 'then'\n} ELSE {\n  r = 'else'\n}\nSWITCH p {\n  CASE 1 { s = 'one' }\n  DEFAULT { s = 'other' }\n}";
    let ast = parse(src).unwrap();
    let mut symbols = Symbols::new();
    let program = Program::compile(&ast, &mut symbols);
    let (r, s) = (symbols.get("r").unwrap(), symbols.get("s").unwrap());
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..64 {
        let mut a = Vars::new(&symbols);
        a.set_seed(seed);
        program.run(&mut a).unwrap();
        let mut b = Vars::new(&symbols);
        b.set_seed(seed);
        program.run(&mut b).unwrap();
        assert_eq!((a.get(r), a.get(s)), (b.get(r), b.get(s)), "seed {seed}");
        seen.insert((a.get(r).to_string(), a.get(s).to_string()));
    }
    assert_eq!(seen.len(), 4, "{seen:?}");
}

#[test]
fn dataflow_follows_functions_and_members() {
    let cases: &[(&str, bool)] = &[
        ("FUNCTION save() {\n  Global:_id = RecordingStatementId\n}\nsave()", true),
        ("FUNCTION id() {\n  RETURN RecordingStatementId\n}\nGlobal:_id = id()", true),
        ("FUNCTION pass(v) {\n  RETURN v\n}\nGlobal:_id = pass(RecordingStatementId)", true),
        ("FUNCTION other(v) {\n  RETURN 'x'\n}\nGlobal:_id = other(RecordingStatementId)", false),
        ("DYNAMIC o\no.id = RecordingStatementId\nGlobal:_id = o.id", true),
        ("DYNAMIC o\no.id = RecordingStatementId\nDYNAMIC o\nGlobal:_id = o.id", false),
        ("DYNAMIC Global:o\nGlobal:o.id = RecordingStatementId", true),
        ("FUNCTION f(RecordingStatementId) {\n  Global:_id = RecordingStatementId\n}\nf('x')", false),
        ("FUNCTION save() {\n  Global:_id = RecordingStatementId\n}\nIF x {\n  save()\n}", false),
        ("Global:_id = RecordingStatementId\nFUNCTION clear() {\n  Global:_id = ''\n}\nclear()", false),
    ];
    for (src, want) in cases {
        let ast = parse(src).unwrap();
        assert_eq!(ast.copies_into_global("RecordingStatementId"), *want, "{src}");
    }
    let ast = parse("FUNCTION f(a) {\n  t = a\n  Global:x = t\n}\nDYNAMIC o\no.k = v").unwrap();
    let targets: Vec<String> = ast.assignments().into_iter().map(|a| a.target).collect();
    assert_eq!(targets, vec!["f()::t", "Global:x", "o", "o.k"]);
}

#[test]
fn templates_take_members_and_expressions() {
    let mut symbols = Symbols::new();
    let ast = parse("DYNAMIC cust\ncust.name = 'Ann'\nn = 4").unwrap();
    let program = Program::compile(&ast, &mut symbols);
    let t = Template::compile("{cust.name} has {n * 2} calls, {ANI.length} digits", &mut symbols);
    let ani = symbols.intern("ANI");
    let mut vars = Vars::new(&symbols);
    vars.set(ani, "5551234");
    program.run(&mut vars).unwrap();
    let mut out = String::new();
    let r = t.render_into(&mut vars, &mut out);
    assert_eq!(out, "Ann has 8 calls, 7 digits");
    assert!(!r.unknown && !r.truncated);
}

// ---- issue 10 point 1: caps and work budget for every template (one mechanism) ----

/// `ASSIGN v = "{v}{v}"` in a loop: the value stops at 32 KiB instead of doubling until the
/// process aborts; every render is charged.
#[test]
fn issue10_assign_template_doubling_is_capped() {
    let mut symbols = Symbols::new();
    let v = symbols.intern("v");
    let t = Template::compile("{v}{v}", &mut symbols);
    let mut vars = Vars::new(&symbols);
    vars.set(v, "ab");
    let mut out = String::new();
    let mut truncated = 0;
    for _ in 0..200 {
        out.clear();
        if t.render_into(&mut vars, &mut out).truncated {
            truncated += 1;
        }
        let o = out.clone();
        vars.set(v, &o);
        assert!(vars.get(v).len() <= recflow::snippet::MAX_VALUE_LEN);
    }
    assert!(truncated > 0);
    // The budget stops it: at most one render's charge past the contact's budget.
    assert!(vars.work() > 0);
    assert!(vars.work() <= recflow::snippet::MAX_CONTACT_WORK + 2 * recflow::snippet::MAX_VALUE_LEN as u64);
}

/// An ASSIGN with 100 000 `{v}` references is charged one unit per reference plus its bytes and
/// stops at the cap; a contact that keeps rendering it runs out of budget and renders nothing.
#[test]
fn issue10_assign_template_with_100k_references_is_charged() {
    let mut symbols = Symbols::new();
    let v = symbols.intern("v");
    let t = Template::compile(&"{v}".repeat(100_000), &mut symbols);
    let mut vars = Vars::new(&symbols);
    vars.set(v, &"x".repeat(1000));
    let mut out = String::new();
    let r = t.render_into(&mut vars, &mut out);
    assert!(r.truncated);
    assert!(out.len() <= recflow::snippet::MAX_VALUE_LEN);
    let one = vars.work();
    assert!(one >= 33, "charged {one}");
    // Repeated renders in one contact exhaust the contact's budget: then nothing is rendered.
    let mut empty = false;
    for _ in 0..100_000 {
        out.clear();
        t.render_into(&mut vars, &mut out);
        if out.is_empty() {
            empty = true;
            break;
        }
    }
    assert!(empty, "budget never ran out (work {})", vars.work());
    // A new contact starts with a fresh budget.
    vars.reset();
    vars.set(v, "y");
    out.clear();
    t.render_into(&mut vars, &mut out);
    assert!(!out.is_empty());
}

/// `FOR … { a[30000] = "x" }` is charged for the elements it rebuilds: the run stops on the work
/// budget instead of costing most of a second per contact.
#[test]
fn issue10_array_writes_are_charged_for_what_they_do() {
    let e = run("FOR i = 1 TO 100000 {\n  a[30000] = 'x'\n}", &[]).err().unwrap_or_default();
    assert!(e.contains("too much work") || e.contains("budget"), "{e}");
    // Small arrays are cheap and correct.
    let r = run("FOR i = 1 TO 5 {\n  a[i] = i\n}", &[]).unwrap();
    assert_eq!(get(&r, "a"), "1|2|3|4|5");
}

/// A snippet and the templates of one contact share the contact's budget.
#[test]
fn issue10_snippets_and_templates_share_the_contact_budget() {
    let ast =
        parse("s = 'x'\nFOR i = 1 TO 14 {\n  s = s + s\n}\nFOR k = 1 TO 2000 {\n  t = s + ''\n}").unwrap();
    let mut symbols = Symbols::new();
    let program = Program::compile(&ast, &mut symbols);
    let mut vars = Vars::new(&symbols);
    let mut errors = 0;
    for _ in 0..10 {
        if program.run(&mut vars).is_err() {
            errors += 1;
        }
    }
    assert!(errors > 0, "work {}", vars.work());
    assert!(vars.work() <= recflow::snippet::MAX_CONTACT_WORK + recflow::snippet::MAX_VALUE_LEN as u64 * 2);
}
