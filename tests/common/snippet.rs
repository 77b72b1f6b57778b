//! Helpers of the Snippet tables (`snippet_programs.rs`, `snippet_language.rs`): run a program
//! with some variables set first, read a variable back, and check a table of
//! (name, program, initial variables, expected variables) reporting every failure at once.

use recflow::snippet::{Program, Symbols, Vars, parse};

/// A program that ran: its symbols, the variables it left, and how many unmodelled constructs
/// it met.
pub struct Ran {
    pub symbols: Symbols,
    pub vars: Vars,
    pub unmodelled: u32,
}

/// Only so `run(..).unwrap_err()` can say what ran instead of failing.
impl std::fmt::Debug for Ran {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ran").field("unmodelled", &self.unmodelled).finish_non_exhaustive()
    }
}

/// (name, program, initial variables, expected variables).
pub type Case = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, &'static str)],
);

/// Parse, compile and run `src` with the `init` variables set first (clock 0, seed 0).
pub fn run(src: &str, init: &[(&str, &str)]) -> Result<Ran, String> {
    run_at(src, init, None)
}

/// [`run`] with the clock and seed set first (`(clock_ms, seed)`).
pub fn run_at(src: &str, init: &[(&str, &str)], clock_seed: Option<(u64, u64)>) -> Result<Ran, String> {
    let ast = parse(src).map_err(|e| format!("syntax error at {}+{}: {}", e.offset, e.len, e.message))?;
    let mut symbols = Symbols::new();
    let ids: Vec<_> = init.iter().map(|(k, _)| symbols.intern(k)).collect();
    let program = Program::compile(&ast, &mut symbols);
    let mut vars = Vars::new(&symbols);
    if let Some((clock, seed)) = clock_seed {
        vars.set_clock_ms(clock);
        vars.set_seed(seed);
    }
    for (id, (_, v)) in ids.iter().zip(init) {
        vars.set(*id, v);
    }
    program.run(&mut vars).map_err(|e| e.message)?;
    let unmodelled = vars.take_unmodelled();
    Ok(Ran { symbols, vars, unmodelled })
}

/// The value of `name`; `?` for an unknown value, empty for a name the program never used.
pub fn get(r: &Ran, name: &str) -> String {
    match r.symbols.get(name) {
        Some(id) if r.vars.is_unknown(id) => "?".into(),
        Some(id) => r.vars.get(id).to_string(),
        None => String::new(),
    }
}

/// Run every case of `table` with `runner` and list every variable that differs from what
/// the case expects (empty when all pass).
pub fn table_failures(
    table: &[Case],
    runner: impl Fn(&str, &[(&str, &str)]) -> Result<Ran, String>,
) -> Vec<String> {
    let mut failures = Vec::new();
    for (name, src, init, expected) in table {
        match runner(src, init) {
            Err(e) => failures.push(format!("{name}: {e}")),
            Ok(r) => {
                for (var, want) in *expected {
                    let got = get(&r, var);
                    if got != *want {
                        failures.push(format!("{name}: {var} = {got:?}, expected {want:?}"));
                    }
                }
            }
        }
    }
    failures
}
