//! Stage — **snippet**: the Snippet language subset (FORMATS §6). (Filled by the Snippet work.)
//!
//! Agreed API (see the Snippet issue): `parse(src) -> Result<Ast, SyntaxError>` at load time;
//! `Program::compile(&Ast, &mut Symbols)` once per script; `Program::run(&self, &mut Vars)` per
//! execution; `Template` for `{var}` substitution shared by ASSIGN and CASE.

/// A parsed Snippet program (names still as text).
#[derive(Clone, Debug, Default)]
pub struct Ast {}

/// A syntax error at a byte offset of the snippet text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub len: usize,
    pub message: String,
}

pub fn parse(_src: &str) -> Result<Ast, SyntaxError> {
    Ok(Ast {})
}
