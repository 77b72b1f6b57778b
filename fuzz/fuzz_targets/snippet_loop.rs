//! Fuzz a Snippet run in a loop, as a SNIPPET wired back to itself runs in one contact (issue 21,
//! F01): any bytes → a program that parses is run again and again on one contact's variables.
//! The contact's work budget must end it: the work charged stays within the budget (plus at
//! most one charge's overshoot), every run after that fails fast, and a new contact starts with
//! a fresh budget.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recflow::snippet::{MAX_CONTACT_WORK, MAX_VALUE_LEN, Program, Symbols, Vars, parse};

/// The most one tick can add past the budget: an array write rebuilding a 32 KiB value.
const OVERSHOOT: u64 = 4 * MAX_VALUE_LEN as u64;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(ast) = parse(&text) else { return };
    let mut symbols = Symbols::new();
    let program = Program::compile(&ast, &mut symbols);
    let mut vars = Vars::new(&symbols);
    for _ in 0..200 {
        let _ = program.run(&mut vars);
        assert!(vars.work() <= MAX_CONTACT_WORK + OVERSHOOT, "work {} past the budget", vars.work());
        if vars.work() > MAX_CONTACT_WORK {
            // Spent: the next run charges next to nothing and fails.
            let before = vars.work();
            let again = program.run(&mut vars);
            assert!(again.is_err() || vars.work() == before, "a run after the budget did work");
            break;
        }
    }
    vars.reset();
    assert_eq!(vars.work(), 0, "a new contact has a fresh budget");
});
