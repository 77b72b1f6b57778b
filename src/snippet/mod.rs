//! Stage — **snippet**: the Snippet language subset (FORMATS §6, SEMANTICS §2).
//!
//! Input: the `Data` text of a SNIPPET action (and plain `{var}` texts: ASSIGN `Value`, CASE
//! `Variable`, phrases). Output: a parsed [`Ast`] at load time (a [`SyntaxError`] is a load error),
//! a compiled [`Program`] / [`Template`] per script, and per execution the updated [`Vars`] or a
//! [`RuntimeError`] (the simulator then takes the SNIPPET's `Error` branch with the message in
//! `_ERR`). The user-facing language reference is `docs/snippet.md`.
//!
//! | module | input → output |
//! |---|---|
//! | [`lexer`] | text → tokens (byte spans) |
//! | [`parser`] | tokens → [`Ast`] |
//! | [`compile`] | [`Ast`] + [`Symbols`] → [`Program`] (every name a [`VarId`] slot); text → [`Template`] |
//! | [`eval`] | [`Program`] + [`Vars`] → `Result<(), RuntimeError>` |
//! | [`dataflow`] | [`Ast`] → [`Assignment`]s and "copied into a `Global:`?" for lint |
//!
//! Compile once, run many: running does no parsing and no name lookup, and a warm run allocates
//! nothing (string buffers are reused from [`Vars`]).
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

pub use compile::{Program, Symbols, Template, VarId, Vars};
pub use dataflow::{Assignment, UnknownCall};
pub use eval::{
    MAX_CALL_DEPTH, MAX_CONTACT_WORK, MAX_LOOP_ITERATIONS, MAX_VALUE_LEN, MAX_WORK, Rendered, RuntimeError,
    compare_values, format_number, is_truthy, parse_number,
};
pub use funcs::{Func, SIM_EPOCH_SECS, did_you_mean, is_external};
pub use parser::{
    Ast, BinOp, Expr, ExprKind, MAX_EXPR_HEIGHT, MAX_NESTING, Name, Part, Seg, Stmt, StmtKind, UnOp, Warning,
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
