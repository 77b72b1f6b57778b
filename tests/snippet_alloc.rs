//! Compile once, run many: a warm Snippet run allocates nothing (string buffers are reused from
//! `Vars`). Counted with a wrapping global allocator, on the test's own thread only (the test
//! harness allocates on its threads while it waits).

#[path = "common/alloc.rs"]
mod alloc;

use recflow::snippet::{Program, Symbols, Template, Vars, parse};

#[test]
fn warm_runs_do_not_allocate() {
    let src = "IF MRES = 1 {\n  consent = 'yes'\n  Global:_id = RecordingStatementId\n} ELSE {\n  consent = 'no'\n}\n\
               n = n + 1\nSWITCH skill.lower() {\n  CASE 'sales' { q = 'S' }\n  DEFAULT { q = 'G' }\n}\n\
               msg = \"caller {ANI} consent {consent} try {n}\"\ns = ''\nFOREACH x IN 'a|b|c' {\n  s = s + x.upper()\n}\n\
               t = msg.substr(1, 6).trim() + arr[2]\narr[2] = 'x'\nFOR i = 1 TO 3 {\n  TRACE i\n}";
    let ast = parse(src).unwrap();
    let mut symbols = Symbols::new();
    let inputs = ["MRES", "RecordingStatementId", "skill", "ANI", "arr"].map(|n| symbols.intern(n));
    let program = Program::compile(&ast, &mut symbols);
    let tpl = Template::compile("Hi {ANI} ({q})", &mut symbols);
    let mut vars = Vars::new(&symbols);
    let mut out = String::with_capacity(64);
    let mut one_run = |vars: &mut Vars| {
        for (id, v) in inputs.iter().zip(["1", "st-1", "Sales", "+1555", "a|b|c"]) {
            vars.set(*id, v);
        }
        program.run(vars).unwrap();
        out.clear();
        tpl.render_into(vars, &mut out);
    };
    // Buffers rotate between slots and the pool; their capacities settle after a few hundred runs.
    for _ in 0..500 {
        one_run(&mut vars);
        vars.reset();
    }
    let allocs = alloc::allocations_in(|| {
        for _ in 0..1000 {
            one_run(&mut vars);
            vars.reset();
        }
    });
    assert_eq!(allocs, 0, "warm runs allocated {allocs} times");
    one_run(&mut vars);
    assert_eq!(vars.get(symbols.get("s").unwrap()), "ABC");
    assert_eq!(out, "Hi +1555 (S)");
}

/// Issue 12: a snippet with a dynamic object, a FUNCTION call and built-in calls is also
/// allocation-free when warm (locals are saved and restored through pooled buffers).
#[test]
fn warm_runs_with_objects_and_functions_do_not_allocate() {
    let src = "DYNAMIC cust\ncust.ani = ANI\ncust.area = left(ANI, 5)\nFUNCTION tier(area) {\n  IF area = '+1555' { RETURN 'gold' }\n  RETURN 'standard'\n}\n\
               cust.tier = tier(cust.area)\nvisits = visits + 1\ngreeting = \"Hi {cust.tier} caller, visit {visits}\"";
    let ast = parse(src).unwrap();
    let mut symbols = Symbols::new();
    let ani = symbols.intern("ANI");
    let program = Program::compile(&ast, &mut symbols);
    let mut vars = Vars::new(&symbols);
    let one_run = |vars: &mut Vars, i: u32| {
        vars.set(ani, if i.is_multiple_of(2) { "+15551234" } else { "+44207946" });
        program.run(vars).unwrap();
    };
    for i in 0..500 {
        one_run(&mut vars, i);
        vars.reset();
    }
    let allocs = alloc::allocations_in(|| {
        for i in 0..1000 {
            one_run(&mut vars, i);
            vars.reset();
        }
    });
    assert_eq!(allocs, 0, "warm runs allocated {allocs} times");
    one_run(&mut vars, 0);
    assert_eq!(vars.get(symbols.get("greeting").unwrap()), "Hi gold caller, visit 1");
}
