//! Stage — **snippet**: the Snippet language (FORMATS §6, SEMANTICS §2; reference and CXone help
//! sources in `docs/snippet.md`).
//!
//! Input: the `Data` text of a SNIPPET action, and every templated property text (`{name}`,
//! `{obj.member}`, `{expression}`). Output: a parsed [`Ast`] at load time (a [`SyntaxError`] is a
//! load error; [`Ast::warnings`] are constructs read but not modelled, reported as located load
//! warnings), a compiled [`Program`] / [`Template`] per script, and per execution the updated
//! [`Vars`] or a [`RuntimeError`] (the simulator then takes the SNIPPET's `Error` branch with the
//! message in `_ERR`).
//!
//! | module | input → output |
//! |---|---|
//! | [`lexer`] | text → tokens (byte spans) |
//! | [`parser`] | tokens → [`Ast`] (+ warnings) |
//! | [`compile`] | [`Ast`] + [`Symbols`] → [`Program`] (every name and constant member path a [`VarId`] slot, every function resolved); text → [`Template`] |
//! | [`eval`] | [`Program`] + [`Vars`] → `Result<(), RuntimeError>`; [`Template::render_into`] |
//! | [`funcs`] | the built-in functions ([`Func`]), the simulated clock, external services |
//! | [`dataflow`] | [`Ast`] → [`Assignment`]s, "copied into a `Global:`?" (through members, FUNCTIONs), unknown calls |
//!
//! **Public API for the simulator and the catalogue** (IF `Expression`, `{var}` in properties):
//! - parse an expression or a property: [`Template::compile`] (`"{x > 5}"` is an expression);
//! - evaluate with variables: [`Template::render_into`]`(&mut vars, &mut out) -> `[`Rendered`]
//!   (`unknown`: a substituted value was unknown → choose the branch by traffic weights;
//!   `truncated`: cut at [`MAX_VALUE_LEN`] or the contact's [`MAX_CONTACT_WORK`] budget is spent);
//! - the unknown value: [`Vars::is_unknown`] / [`Vars::set_unknown`] (external calls such as
//!   `GetRESTProxy()` produce it); [`Vars::take_unmodelled`] counts unmodelled constructs met;
//! - per contact: [`Vars::reset`], [`Vars::set_seed`] (choices on unknown values, `random()`),
//!   [`Vars::set_clock_ms`] (`now()` = [`SIM_EPOCH_SECS`] + the contact's time);
//! - warnings: [`Ast::warnings`], [`Ast::unknown_calls`] (did-you-mean), mapped into the script
//!   file by `script::snippet_warnings`.
//!
//! Compile once, run many: running does no parsing and no name lookup (member paths with
//! run-time indexes excepted), and a warm run allocates nothing (string buffers are reused from
//! [`Vars`]). One budget per contact bounds snippets and templates together (issue 10 point 1).
//!
//! ```
//! use recflow::snippet::{parse, Program, Symbols, Vars};
//! let ast = parse("n = 0\nFOREACH x IN \"a|b|c\" {\n  n = n + 1\n}\nGlobal:msg = 'saw {n}'")?;
//! let mut symbols = Symbols::new();
//! let program = Program::compile(&ast, &mut symbols);
//! let mut vars = Vars::new(&symbols);
//! program.run(&mut vars).unwrap();
//! assert_eq!(vars.get(symbols.get("global:MSG").unwrap()), "saw 3");
//! # Ok::<(), recflow::snippet::SyntaxError>(())
//! ```

pub mod compile;
pub mod dataflow;
pub mod eval;
pub mod funcs;
pub mod lexer;
pub mod parser;

pub use compile::{CONTACT_WIDE, Condition, Program, Symbols, Template, VarId, Vars};
pub use dataflow::{Assignment, UnknownCall};
pub use eval::{
    MAX_CALL_DEPTH, MAX_CONTACT_WORK, MAX_LOOP_ITERATIONS, MAX_VALUE_LEN, MAX_WORK, Rendered, RuntimeError,
    compare_values, format_number, is_truthy, parse_number,
};
pub use funcs::{Func, SIM_EPOCH_SECS, did_you_mean, is_external};
pub use parser::{
    Ast, BinOp, Expr, ExprKind, MAX_EXPR_HEIGHT, MAX_NESTING, Name, Part, Seg, Stmt, StmtKind, UnOp, Warning,
    parse_expression,
};

/// A syntax error at a byte span of the snippet text: the first token that cannot be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    /// Byte offset in the snippet text (the loader maps it into the script file).
    pub offset: usize,
    /// Length in bytes of the offending token (0 at the end of the text).
    pub len: usize,
    /// What was expected and what was found.
    pub message: String,
    /// What to do about it, when there is something useful to say.
    pub help: Option<String>,
}

/// Parse a snippet (at load time). Never panics; nesting is limited to [`MAX_NESTING`].
pub fn parse(src: &str) -> Result<Ast, SyntaxError> {
    parser::parse(src)
}
