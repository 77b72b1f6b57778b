//! Script variables for the simulator: the Snippet language's slots ([`Symbols`] / [`Vars`],
//! case-insensitive names, `Global:x` separate from `x`), `{var}` [`Template`]s for ASSIGN, and
//! compiled SNIPPET programs.
//!
//! The per-contact store is reused between contacts: `reset` clears values but keeps their
//! buffers, so a contact allocates nothing for its variables.

pub use crate::snippet::{Symbols, Template, VarId, Vars};

/// A compiled SNIPPET `Data` program (compiled once per script).
pub type SnippetCode = crate::snippet::Program;

/// Slots of every `Global:` variable (R13 looks for a saved statement id there).
pub fn globals(symbols: &Symbols) -> Vec<VarId> {
    symbols.ids().filter(|&v| symbols.is_global(v)).collect()
}
