//! Snippet compiler: [`Ast`] + [`Symbols`] → [`Program`] / text → [`Template`].
//!
//! Every variable name is resolved once to a [`VarId`] slot (case-insensitive; `Global:x` is its
//! own scope), every function name to a [`Func`], every number literal is pre-parsed. Running a
//! compiled program ([`super::eval`]) therefore does no parsing of code and no name lookup. Also
//! home of [`Vars`], the per-contact variable store whose buffers are reused from run to run.

use std::collections::HashMap;

use super::parser::{Ast, BinOp, Expr, ExprKind, Part, Stmt, StmtKind, UnOp, split_template};

/// A variable slot. Ids are dense indices `0..symbols.len()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VarId(pub u32);

impl VarId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Interned variable names. Lookup ignores case; `Global:x` and `x` are different variables.
#[derive(Clone, Debug, Default)]
pub struct Symbols {
    by_key: HashMap<String, VarId>,
    names: Vec<String>,
    global: Vec<bool>,
}

/// `Global:` prefix, any case, followed by a name → the name after the prefix.
fn strip_global(name: &str) -> Option<&str> {
    let (head, rest) = name.split_at_checked(7)?;
    head.eq_ignore_ascii_case("global:").then_some(rest)
}

pub(crate) fn key_of(name: &str) -> String {
    let name = name.trim();
    match strip_global(name) {
        Some(rest) => format!("global:{}", rest.trim().to_lowercase()),
        None => name.to_lowercase(),
    }
}

impl Symbols {
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of `name`, creating it on first sight. The first spelling seen is kept for
    /// display (with the scope prefix normalised to `Global:`).
    pub fn intern(&mut self, name: &str) -> VarId {
        let key = key_of(name);
        if let Some(&id) = self.by_key.get(&key) {
            return id;
        }
        let id = VarId(self.names.len() as u32);
        let name = name.trim();
        let (display, global) = match strip_global(name) {
            Some(rest) => (format!("Global:{}", rest.trim()), true),
            None => (name.to_string(), false),
        };
        self.names.push(display);
        self.global.push(global);
        self.by_key.insert(key, id);
        id
    }

    pub fn get(&self, name: &str) -> Option<VarId> {
        self.by_key.get(&key_of(name)).copied()
    }

    /// Display name; `""` for an id this table did not create.
    pub fn name(&self, id: VarId) -> &str {
        self.names.get(id.index()).map_or("", String::as_str)
    }

    pub fn is_global(&self, id: VarId) -> bool {
        self.global.get(id.index()).copied().unwrap_or(false)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// All ids in creation order.
    pub fn ids(&self) -> impl Iterator<Item = VarId> + '_ {
        (0..self.names.len() as u32).map(VarId)
    }
}

/// Variable values of one contact: one `String` per [`VarId`] (unset = empty), plus scratch
/// buffers the interpreter reuses so that steady-state runs do not allocate, plus the optional
/// TRACE sink.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    pub(crate) values: Vec<String>,
    pub(crate) global: Vec<bool>,
    pub(crate) pool: Vec<String>,
    pub(crate) trace: Option<Vec<String>>,
}

impl Vars {
    /// Sized to the symbols interned so far; grows when a program or `set` needs more.
    pub fn new(symbols: &Symbols) -> Self {
        let mut v = Vars::default();
        v.sync(symbols);
        v
    }

    /// Make room for every symbol interned since construction (keeps existing values).
    pub fn sync(&mut self, symbols: &Symbols) {
        let n = symbols.len();
        if self.values.len() < n {
            self.values.resize_with(n, String::new);
        }
        self.global.resize(self.values.len(), false);
        for (i, g) in symbols.global.iter().enumerate() {
            self.global[i] = *g;
        }
    }

    pub(crate) fn ensure(&mut self, n: usize, globals: &[VarId]) {
        if self.values.len() < n {
            self.values.resize_with(n, String::new);
            self.global.resize(n, false);
        }
        for g in globals {
            self.global[g.index()] = true;
        }
    }

    /// Current value; `""` when unset or unknown.
    pub fn get(&self, id: VarId) -> &str {
        self.values.get(id.index()).map_or("", String::as_str)
    }

    /// Set a value (reuses the slot's buffer). Growing for an id beyond the current size does
    /// not know whether it is global: call [`Vars::sync`] for that.
    pub fn set(&mut self, id: VarId, value: &str) {
        let i = id.index();
        if i >= self.values.len() {
            self.values.resize_with(i + 1, String::new);
            self.global.resize(i + 1, false);
        }
        let slot = &mut self.values[i];
        slot.clear();
        slot.push_str(value);
    }

    /// Every variable back to empty (per contact); capacity is kept.
    pub fn reset(&mut self) {
        self.values.iter_mut().for_each(String::clear);
        if let Some(t) = &mut self.trace {
            t.clear();
        }
    }

    /// Only the non-`Global:` variables back to empty.
    pub fn reset_locals(&mut self) {
        for (v, g) in self.values.iter_mut().zip(&self.global) {
            if !g {
                v.clear();
            }
        }
    }

    /// `Global:` variables with their values (ids ascending; empty ones included).
    pub fn iter_globals(&self) -> impl Iterator<Item = (VarId, &str)> + '_ {
        self.values
            .iter()
            .zip(&self.global)
            .enumerate()
            .filter(|(_, (_, g))| **g)
            .map(|(i, (v, _))| (VarId(i as u32), v.as_str()))
    }

    /// All variables with their values (ids ascending).
    pub fn iter(&self) -> impl Iterator<Item = (VarId, &str)> + '_ {
        self.values.iter().enumerate().map(|(i, v)| (VarId(i as u32), v.as_str()))
    }

    /// Start collecting TRACE output (off by default: TRACE then only evaluates its expression).
    pub fn enable_trace(&mut self) {
        self.trace.get_or_insert_with(Vec::new);
    }

    /// TRACE lines collected since the last call (empty when tracing is off).
    pub fn take_trace(&mut self) -> Vec<String> {
        self.trace.as_mut().map(std::mem::take).unwrap_or_default()
    }
}

/// Built-in functions (see docs/snippet.md). Call as `x.f(a)` or `f(x, a)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Length,
    Upper,
    Lower,
    Trim,
    Contains,
    IndexOf,
    Substr,
    Count,
    Replace,
    IsNumeric,
}

impl Func {
    pub fn lookup(name: &str) -> Option<Func> {
        const TABLE: [(&str, Func); 10] = [
            ("length", Func::Length),
            ("upper", Func::Upper),
            ("lower", Func::Lower),
            ("trim", Func::Trim),
            ("contains", Func::Contains),
            ("indexof", Func::IndexOf),
            ("substr", Func::Substr),
            ("count", Func::Count),
            ("replace", Func::Replace),
            ("isnumeric", Func::IsNumeric),
        ];
        TABLE.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|&(_, f)| f)
    }

    pub fn name(self) -> &'static str {
        match self {
            Func::Length => "length",
            Func::Upper => "upper",
            Func::Lower => "lower",
            Func::Trim => "trim",
            Func::Contains => "contains",
            Func::IndexOf => "indexof",
            Func::Substr => "substr",
            Func::Count => "count",
            Func::Replace => "replace",
            Func::IsNumeric => "isnumeric",
        }
    }

    /// Allowed argument counts, receiver included.
    pub(crate) fn arity(self) -> (usize, usize) {
        match self {
            Func::Length | Func::Upper | Func::Lower | Func::Trim | Func::Count | Func::IsNumeric => (1, 1),
            Func::Contains | Func::IndexOf => (2, 2),
            Func::Substr => (2, 3),
            Func::Replace => (3, 3),
        }
    }
}

/// Compiled expression. `at` is the byte offset in the snippet (for runtime error messages).
#[derive(Clone, Debug)]
pub(crate) struct CExpr {
    pub kind: CKind,
    pub at: u32,
}

#[derive(Clone, Debug)]
pub(crate) enum CKind {
    /// A `{}`-free string constant.
    Const(Box<str>),
    /// A number literal: its value, and its spelling (used when it is assigned: `007`).
    Number(f64, Box<str>),
    Var(VarId),
    /// A string literal with `{var}` parts.
    Template(Template),
    Unary(UnOp, Box<CExpr>),
    Binary(BinOp, Box<CExpr>, Box<CExpr>),
    Index(Box<CExpr>, Box<CExpr>),
    Call(Func, Box<[CExpr]>),
    /// A call of a function that does not exist: a runtime error when evaluated.
    Unknown(Box<str>),
}

#[derive(Clone, Debug)]
pub(crate) enum CStmt {
    Assign { target: VarId, index: Option<CExpr>, value: CExpr },
    If { cond: CExpr, then: Box<[CStmt]>, els: Box<[CStmt]> },
    Switch { subject: CExpr, cases: Box<[(CExpr, Box<[CStmt]>)]>, default: Box<[CStmt]> },
    For { var: VarId, from: CExpr, to: CExpr, body: Box<[CStmt]>, at: u32 },
    ForEach { var: VarId, array: CExpr, body: Box<[CStmt]> },
    Break,
    Trace(CExpr),
}

/// A compiled Snippet program: run it many times with [`Program::run`].
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub(crate) body: Box<[CStmt]>,
    /// Number of slots the program needs in [`Vars`].
    pub(crate) slots: usize,
    pub(crate) globals: Vec<VarId>,
    pub(crate) writes: Vec<VarId>,
    pub(crate) line_starts: Vec<usize>,
}

struct Compiler<'a> {
    symbols: &'a mut Symbols,
    writes: Vec<VarId>,
}

impl Compiler<'_> {
    fn var(&mut self, name: &str) -> VarId {
        self.symbols.intern(name)
    }

    fn write(&mut self, name: &str) -> VarId {
        let id = self.var(name);
        if !self.writes.contains(&id) {
            self.writes.push(id);
        }
        id
    }

    fn block(&mut self, stmts: &[Stmt]) -> Box<[CStmt]> {
        stmts.iter().map(|s| self.stmt(s)).collect()
    }

    fn stmt(&mut self, s: &Stmt) -> CStmt {
        match &s.kind {
            StmtKind::Assign { target, index, value } => CStmt::Assign {
                target: self.write(&target.text),
                index: index.as_ref().map(|e| self.expr(e)),
                value: self.expr(value),
            },
            StmtKind::If { cond, then, els } => {
                CStmt::If { cond: self.expr(cond), then: self.block(then), els: self.block(els) }
            }
            StmtKind::Switch { subject, cases, default } => CStmt::Switch {
                subject: self.expr(subject),
                cases: cases.iter().map(|(v, b)| (self.expr(v), self.block(b))).collect(),
                default: default.as_deref().map(|b| self.block(b)).unwrap_or_default(),
            },
            StmtKind::For { var, from, to, body } => CStmt::For {
                var: self.write(&var.text),
                from: self.expr(from),
                to: self.expr(to),
                body: self.block(body),
                at: s.offset as u32,
            },
            StmtKind::ForEach { var, array, body } => {
                CStmt::ForEach { var: self.write(&var.text), array: self.expr(array), body: self.block(body) }
            }
            StmtKind::Break => CStmt::Break,
            StmtKind::Trace(e) => CStmt::Trace(self.expr(e)),
        }
    }

    fn expr(&mut self, e: &Expr) -> CExpr {
        let kind = match &e.kind {
            ExprKind::Num(text) => CKind::Number(text.parse().unwrap_or(0.0), text.as_str().into()),
            ExprKind::Str(parts) => match Template::from_parts(parts, self.symbols) {
                t if t.parts.is_empty() => CKind::Const("".into()),
                t => match &t.parts[..] {
                    [TPart::Text(s)] => CKind::Const(s.clone()),
                    _ => CKind::Template(t),
                },
            },
            ExprKind::Var(name) => CKind::Var(self.var(name)),
            ExprKind::Unary(op, a) => CKind::Unary(*op, Box::new(self.expr(a))),
            ExprKind::Binary(op, a, b) => CKind::Binary(*op, Box::new(self.expr(a)), Box::new(self.expr(b))),
            ExprKind::Index(a, i) => CKind::Index(Box::new(self.expr(a)), Box::new(self.expr(i))),
            ExprKind::Call { name, args } => match Func::lookup(name) {
                Some(f) => CKind::Call(f, args.iter().map(|a| self.expr(a)).collect()),
                None => CKind::Unknown(name.as_str().into()),
            },
        };
        CExpr { kind, at: e.offset as u32 }
    }
}

impl Program {
    /// Resolve every name of `ast` to a slot in `symbols`.
    pub fn compile(ast: &Ast, symbols: &mut Symbols) -> Program {
        let mut c = Compiler { symbols, writes: Vec::new() };
        let body = c.block(&ast.body);
        let writes = c.writes;
        let slots = c.symbols.len();
        let globals = c.symbols.ids().filter(|&id| c.symbols.is_global(id)).collect();
        Program { body, slots, globals, writes, line_starts: ast.line_starts.clone() }
    }

    /// Variables the program may assign (ASSIGN targets and loop variables), in source order.
    pub fn writes(&self) -> &[VarId] {
        &self.writes
    }

    /// 1-based line of a byte offset in the snippet text.
    pub(crate) fn line_of(&self, offset: u32) -> usize {
        self.line_starts.partition_point(|&s| s <= offset as usize).max(1)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TPart {
    Text(Box<str>),
    Var(VarId),
}

/// Text with `{var}` substitution (ASSIGN `Value`, CASE `Variable`, MENU phrases, and every
/// Snippet string literal). A `{` not followed by `name}` is literal text; an unset variable
/// renders as nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Template {
    pub(crate) parts: Vec<TPart>,
    reads: Vec<VarId>,
}

impl Template {
    pub fn compile(text: &str, symbols: &mut Symbols) -> Template {
        Template::from_parts(&split_template(text, 0), symbols)
    }

    fn from_parts(parts: &[Part], symbols: &mut Symbols) -> Template {
        let mut t = Template::default();
        for p in parts {
            match p {
                Part::Text(s) => t.parts.push(TPart::Text(s.as_str().into())),
                Part::Var { name, .. } => {
                    let id = symbols.intern(name);
                    if !t.reads.contains(&id) {
                        t.reads.push(id);
                    }
                    t.parts.push(TPart::Var(id));
                }
            }
        }
        t
    }

    /// Append the rendered text to `out` (does not clear it).
    pub fn render_into(&self, vars: &Vars, out: &mut String) {
        self.render_values(&vars.values, out)
    }

    pub(crate) fn render_values(&self, values: &[String], out: &mut String) {
        for p in &self.parts {
            match p {
                TPart::Text(s) => out.push_str(s),
                TPart::Var(id) => out.push_str(values.get(id.index()).map_or("", String::as_str)),
            }
        }
    }

    /// Rendered length in bytes (without rendering).
    pub(crate) fn rendered_len(&self, values: &[String]) -> usize {
        self.parts
            .iter()
            .map(|p| match p {
                TPart::Text(s) => s.len(),
                TPart::Var(id) => values.get(id.index()).map_or(0, String::len),
            })
            .sum()
    }

    /// Variables the template substitutes, in first-use order.
    pub fn reads(&self) -> &[VarId] {
        &self.reads
    }

    /// `Some(text)` when the template has no substitutions.
    pub fn as_literal(&self) -> Option<&str> {
        match &self.parts[..] {
            [] => Some(""),
            [TPart::Text(s)] => Some(s),
            _ => None,
        }
    }
}
