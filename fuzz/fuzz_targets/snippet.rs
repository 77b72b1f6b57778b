//! Fuzz the Snippet language: any bytes → `parse` returns (Ok or a SyntaxError whose span lies
//! inside the text), and a parsed program compiles, runs twice and renders as a Template without
//! panicking; the interpreter's limits keep every run short.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recflow::snippet::{Program, Symbols, Template, Vars, parse};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match parse(&text) {
        Ok(ast) => {
            let _ = ast.assignments();
            let _ = ast.copies_into_global("RecordingStatementId");
            let mut symbols = Symbols::new();
            let program = Program::compile(&ast, &mut symbols);
            let mut vars = Vars::new(&symbols);
            let _ = program.run(&mut vars);
            let _ = program.run(&mut vars);
        }
        Err(e) => assert!(e.offset + e.len <= text.len()),
    }
    let mut symbols = Symbols::new();
    let t = Template::compile(&text, &mut symbols);
    let mut out = String::new();
    t.render_into(&mut Vars::new(&symbols), &mut out);
});
