//! Script variables for the simulator: interned names → slots, `{var}` templates, and the
//! SNIPPET bridge.
//!
//! Names are case-insensitive; `Global:x` is a different variable from `x` (SEMANTICS §1).
//! Values are strings. The per-contact store ([`Vars`]) is reused between contacts: `reset`
//! clears values but keeps their buffers, so a contact allocates nothing for its variables.
//!
//! SNIPPET: until the Snippet language (crate::snippet) can run programs, [`SnippetCode`]
//! understands the assignment lines that real recorded-statement scripts use
//! (`ASSIGN Global:x = RecordingStatementId`, `x = "text {y}"`, `x = 5`); any other statement
//! makes the snippet *unsupported*: it then only takes its `default` branch, and `explain`
//! says so. This keeps SNIPPET behind one type so the real interpreter can replace it.

use crate::script;

/// A variable slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VarId(pub u32);

#[derive(Clone, Debug, Default)]
pub struct Symbols {
    names: Vec<String>,
    lower: Vec<String>,
}

impl Symbols {
    pub fn intern(&mut self, name: &str) -> VarId {
        let key = name.trim().to_lowercase();
        if let Some(i) = self.lower.iter().position(|n| *n == key) {
            return VarId(i as u32);
        }
        self.names.push(name.trim().to_string());
        self.lower.push(key);
        VarId((self.names.len() - 1) as u32)
    }
    pub fn name(&self, v: VarId) -> &str {
        &self.names[v.0 as usize]
    }
    pub fn is_global(&self, v: VarId) -> bool {
        self.lower[v.0 as usize].starts_with("global:")
    }
    pub fn len(&self) -> usize {
        self.names.len()
    }
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
    /// Slots of every `Global:` variable (R13 looks for a saved statement id there).
    pub fn globals(&self) -> Vec<VarId> {
        (0..self.len() as u32).map(VarId).filter(|&v| self.is_global(v)).collect()
    }
}

#[derive(Clone, Debug, Default)]
pub struct Vars {
    values: Vec<String>,
}

impl Vars {
    pub fn new(symbols: &Symbols) -> Self {
        Vars { values: vec![String::new(); symbols.len()] }
    }
    pub fn get(&self, v: VarId) -> &str {
        &self.values[v.0 as usize]
    }
    pub fn set(&mut self, v: VarId, value: &str) {
        let slot = &mut self.values[v.0 as usize];
        slot.clear();
        slot.push_str(value);
    }
    pub fn slot_mut(&mut self, v: VarId) -> &mut String {
        &mut self.values[v.0 as usize]
    }
    pub fn reset(&mut self) {
        self.values.iter_mut().for_each(String::clear);
    }
}

/// `{var}` substitution, compiled to literal pieces and variable slots.
#[derive(Clone, Debug, Default)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Clone, Debug)]
enum Part {
    Lit(String),
    Var(VarId),
}

impl Template {
    pub fn compile(text: &str, symbols: &mut Symbols) -> Template {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else { break };
            let name = &rest[open + 1..open + close];
            if name.trim().is_empty() || name.contains('{') {
                parts.push(Part::Lit(rest[..open + close + 1].to_string()));
            } else {
                if open > 0 {
                    parts.push(Part::Lit(rest[..open].to_string()));
                }
                parts.push(Part::Var(symbols.intern(name)));
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Lit(rest.to_string()));
        }
        Template { parts }
    }

    pub fn variable(v: VarId) -> Template {
        Template { parts: vec![Part::Var(v)] }
    }

    pub fn render_into(&self, vars: &Vars, out: &mut String) {
        out.clear();
        for p in &self.parts {
            match p {
                Part::Lit(s) => out.push_str(s),
                Part::Var(v) => out.push_str(vars.get(*v)),
            }
        }
    }
}

/// A compiled SNIPPET (see the module doc for what is supported).
#[derive(Clone, Debug)]
pub enum SnippetCode {
    Assignments(Vec<(VarId, Template)>),
    /// The first statement recflow cannot run yet.
    Unsupported(String),
}

impl SnippetCode {
    pub fn compile(s: &script::Snippet, symbols: &mut Symbols) -> SnippetCode {
        let mut out = Vec::new();
        for line in s.data.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with("//") {
                continue;
            }
            let body = match line.get(..7) {
                Some(p) if p.eq_ignore_ascii_case("assign ") => &line[7..],
                _ => line,
            };
            let Some((lhs, rhs)) = body.split_once('=') else { return SnippetCode::Unsupported(line.into()) };
            let (lhs, rhs) = (lhs.trim(), rhs.trim());
            let name_ok = |n: &str| {
                !n.is_empty()
                    && n.chars().all(|c| c.is_alphanumeric() || c == '_' || c == ':')
                    && !n.starts_with(':')
            };
            if !name_ok(lhs) || rhs.starts_with('=') {
                return SnippetCode::Unsupported(line.into());
            }
            let value = if rhs.len() >= 2
                && ((rhs.starts_with('"') && rhs.ends_with('"'))
                    || (rhs.starts_with('\'') && rhs.ends_with('\'')))
            {
                Template::compile(&rhs[1..rhs.len() - 1], symbols)
            } else if rhs.parse::<f64>().is_ok() {
                Template { parts: vec![Part::Lit(rhs.to_string())] }
            } else if name_ok(rhs) {
                Template::variable(symbols.intern(rhs))
            } else {
                return SnippetCode::Unsupported(line.into());
            };
            out.push((symbols.intern(lhs), value));
        }
        SnippetCode::Assignments(out)
    }
}
