//! Snippet compiler: [`Ast`] + [`Symbols`] → [`Program`] / text → [`Template`].
//!
//! Every variable name is resolved once to a [`VarId`] slot (case-insensitive; `Global:x` is its
//! own scope), every member path with constant indexes (`cust.name`, `cust.phones[1].num`) to a
//! slot of its own, every function name to a [`Func`] or a user FUNCTION index, every number
//! literal is pre-parsed. Running a compiled program ([`super::eval`]) therefore does no parsing
//! of code and no name lookup. Also home of [`Vars`], the per-contact variable store whose
//! buffers are reused from run to run.

use std::cell::Cell;
use std::collections::{BTreeSet, HashMap, HashSet};

use super::funcs::Func;
use super::parser::{Ast, BinOp, Expr, ExprKind, Part, Seg, Stmt, StmtKind, UnOp, split_template};

/// A variable slot. Ids are dense indices `0..symbols.len()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VarId(pub u32);

impl VarId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Interned variable names. Lookup ignores case; `Global:x` and `x` are different variables.
/// Member paths are interned too (`cust.name`): the variable part ignores case, member names do
/// not (CXone's dynamic data objects page: member names are case-sensitive).
#[derive(Clone, Debug, Default)]
pub struct Symbols {
    by_key: HashMap<String, VarId>,
    names: Vec<String>,
    global: Vec<bool>,
    /// Variable scope names are interned in (0 = the contact's main scope). A RUNSUB copy of a
    /// subscript has its own scope, so its locals are separate slots; `Global:` variables and the
    /// contact-wide system variables ([`CONTACT_WIDE`]) are shared (docs/subscripts.md).
    scope: u32,
}

/// System variables that belong to the contact, not to a script: never scoped by [`Symbols`].
pub const CONTACT_WIDE: &[&str] = &[
    "ani",
    "dnis",
    "contactid",
    "masterid",
    "skill",
    "skillname",
    "agentid",
    "recordingstatementid",
    "sp1",
    "sp2",
    "sp3",
    "sp4",
    "sp5",
    "sp6",
    "sp7",
    "sp8",
    "sp9",
];

/// `Global:` prefix, any case, followed by a name → the name after the prefix.
fn strip_global(name: &str) -> Option<&str> {
    let (head, rest) = name.split_at_checked(7)?;
    head.eq_ignore_ascii_case("global:").then_some(rest)
}

/// The lookup key of a name or member path: the variable part lower case (`global:` prefixed),
/// the member path after the first `.` or `[` verbatim.
pub(crate) fn key_of(name: &str) -> String {
    let name = name.trim();
    let split = name.find(['.', '[']).unwrap_or(name.len());
    let (head, tail) = name.split_at(split);
    match strip_global(head) {
        Some(rest) => format!("global:{}{tail}", rest.trim().to_lowercase()),
        None => format!("{}{tail}", head.to_lowercase()),
    }
}

/// The variable a key belongs to (the key up to its first `.` or `[`).
pub(crate) fn root_key(key: &str) -> &str {
    &key[..key.find(['.', '[']).unwrap_or(key.len())]
}

/// The RUNSUB scope a run-time member key belongs to: its root's scope mark
/// (`cust\u{1}3.a[2]` → 3), 0 for the main script and `Global:` objects.
pub(crate) fn scope_of(key: &str) -> u32 {
    root_key(key).rsplit_once('\u{1}').and_then(|(_, n)| n.parse().ok()).unwrap_or(0)
}

impl Symbols {
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of `name`, creating it on first sight. The first spelling seen is kept for
    /// display (with the scope prefix normalised to `Global:`).
    pub fn intern(&mut self, name: &str) -> VarId {
        let key = self.scoped_key(name);
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
        self.by_key.get(&self.scoped_key(name)).copied()
    }

    /// Every variable interned in `scope` (a RUNSUB copy's locals), in id order.
    pub fn scope_ids(&self, scope: u32) -> Vec<VarId> {
        let mark = format!("\u{1}{scope}");
        let mut ids: Vec<VarId> =
            self.by_key.iter().filter(|(k, _)| root_key(k).ends_with(&mark)).map(|(_, id)| *id).collect();
        ids.sort();
        ids
    }

    /// Intern (and look up) names in this scope from now on (see [`Symbols::scope`]).
    pub fn set_scope(&mut self, scope: u32) {
        self.scope = scope;
    }

    /// The key of a name in the current scope: scope 0 keys are plain [`key_of`]; other scopes
    /// mark the variable part (`answer\u{1}3`) unless the name is global or contact-wide.
    /// Dynamic data objects are keyed the same way (their run-time member keys start with it),
    /// so a subscript's object is its own per call, like its plain locals.
    pub(crate) fn scoped_key(&self, name: &str) -> String {
        let key = key_of(name);
        if self.scope == 0 || key.starts_with("global:") {
            return key;
        }
        let root = root_key(&key);
        if CONTACT_WIDE.contains(&root) {
            return key;
        }
        format!("{root}\u{1}{}{}", self.scope, &key[root.len()..])
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

/// Variable values of one contact: one `String` per [`VarId`] (unset = empty) with an
/// "unknown" flag, member values created at run time (dynamic indexes), scratch buffers the
/// interpreter reuses so that steady-state runs do not allocate, the simulated clock, the
/// per-contact work budget, and the optional TRACE sink.
#[derive(Clone, Debug, Default)]
pub struct Vars {
    pub(crate) values: Vec<String>,
    pub(crate) unknown: Vec<bool>,
    pub(crate) global: Vec<bool>,
    pub(crate) pool: Vec<String>,
    pub(crate) trace: Option<Vec<String>>,
    /// Path key → slot for every member path the symbols know (for run-time indexes).
    pub(crate) paths: HashMap<String, VarId>,
    /// Member values whose path exists only at run time: key → (value, unknown, the RUNSUB
    /// scope of its root, [`scope_of`], read once when the member is created).
    pub(crate) extra: HashMap<String, (String, bool, u32)>,
    /// Saved locals of the FUNCTION calls in progress (restored on return).
    pub(crate) stack: Vec<(String, bool)>,
    /// Scratch for building run-time path keys.
    pub(crate) key_buf: String,
    /// Simulated clock: seconds since 1970-01-01 (see [`Vars::set_clock_ms`]).
    pub(crate) clock_secs: i64,
    /// Seed of this contact's deterministic choices (`random()`, branches on unknown values).
    pub(crate) seed: u64,
    pub(crate) draws: u64,
    /// Work charged to this contact so far (every program run and template render).
    pub(crate) contact_work: Cell<u64>,
    /// Unmodelled constructs met since the last [`Vars::take_unmodelled`].
    pub(crate) unmodelled: u32,
    /// A test case's results of external calls (`recflow test`, `given.external`): lower-case
    /// function name → results in call order, and how many each has given this contact. Empty
    /// outside tests: then an external call is unknown, as always.
    pub(crate) mocks: Vec<(Box<str>, Vec<Box<str>>)>,
    pub(crate) mock_pos: Vec<u32>,
}

impl Vars {
    /// Sized to the symbols interned so far; grows when a program or `set` needs more.
    pub fn new(symbols: &Symbols) -> Self {
        let mut v = Vars { clock_secs: super::funcs::SIM_EPOCH_SECS, ..Vars::default() };
        v.sync(symbols);
        v
    }

    /// Make room for every symbol interned since construction (keeps existing values).
    pub fn sync(&mut self, symbols: &Symbols) {
        let n = symbols.len();
        if self.values.len() < n {
            self.values.resize_with(n, String::new);
        }
        self.unknown.resize(self.values.len(), false);
        self.global.resize(self.values.len(), false);
        for (i, g) in symbols.global.iter().enumerate() {
            self.global[i] = *g;
        }
        for (k, id) in &symbols.by_key {
            if k.contains(['.', '[']) && !self.paths.contains_key(k) {
                self.paths.insert(k.clone(), *id);
            }
        }
    }

    pub(crate) fn ensure(&mut self, n: usize, globals: &[VarId]) {
        if self.values.len() < n {
            self.values.resize_with(n, String::new);
            self.global.resize(n, false);
            self.unknown.resize(n, false);
        }
        for g in globals {
            self.global[g.index()] = true;
        }
    }

    /// Current value; `""` when unset or unknown.
    pub fn get(&self, id: VarId) -> &str {
        self.values.get(id.index()).map_or("", String::as_str)
    }

    /// True when the variable holds an *unknown* value (the result of an external call such as
    /// `GetRESTProxy()`, or of a construct recflow does not model). A branch on it is chosen by
    /// traffic weights, not by its (empty) text.
    pub fn is_unknown(&self, id: VarId) -> bool {
        self.unknown.get(id.index()).copied().unwrap_or(false)
    }

    /// Mark a variable unknown (its text becomes empty).
    pub fn set_unknown(&mut self, id: VarId) {
        self.set(id, "");
        self.unknown[id.index()] = true;
    }

    /// Set a value (reuses the slot's buffer). Growing for an id beyond the current size does
    /// not know whether it is global: call [`Vars::sync`] for that.
    pub fn set(&mut self, id: VarId, value: &str) {
        let i = id.index();
        if i >= self.values.len() {
            self.values.resize_with(i + 1, String::new);
            self.global.resize(i + 1, false);
            self.unknown.resize(i + 1, false);
        }
        let slot = &mut self.values[i];
        slot.clear();
        slot.push_str(value);
        self.unknown[i] = false;
    }

    /// Every variable back to empty (per contact); capacity is kept.
    pub fn reset(&mut self) {
        self.values.iter_mut().for_each(String::clear);
        self.unknown.iter_mut().for_each(|u| *u = false);
        self.extra.values_mut().for_each(|(v, u, _)| {
            v.clear();
            *u = false;
        });
        if let Some(t) = &mut self.trace {
            t.clear();
        }
        self.contact_work.set(0);
        self.unmodelled = 0;
        self.draws = 0;
        self.mock_pos.iter_mut().for_each(|n| *n = 0);
    }

    /// The per-contact state of `o` (a copy of this engine's variables saved earlier in the
    /// same contact), reusing this one's buffers: exact analysis resumes a run from a saved
    /// state (`sim::exact`). Not copied: what is fixed per program or test case (the path
    /// index, the mocked results) and the scratch (buffer pool, key buffer), cleared before use.
    pub fn copy_from(&mut self, o: &Vars) {
        let Vars {
            values,
            unknown,
            global,
            pool: _,
            trace,
            paths: _,
            extra,
            stack,
            key_buf: _,
            clock_secs,
            seed,
            draws,
            contact_work,
            unmodelled,
            mocks: _,
            mock_pos,
        } = self;
        values.clone_from(&o.values);
        unknown.clone_from(&o.unknown);
        global.clone_from(&o.global);
        trace.clone_from(&o.trace);
        extra.clone_from(&o.extra);
        stack.clone_from(&o.stack);
        (*clock_secs, *seed, *draws, *unmodelled) = (o.clock_secs, o.seed, o.draws, o.unmodelled);
        contact_work.set(o.contact_work.get());
        mock_pos.clone_from(&o.mock_pos);
    }

    /// Results for external calls, by lower-case function name, consumed in call order per
    /// contact (`recflow test`'s `given.external`).
    pub fn set_mocks(&mut self, mocks: &[(Box<str>, Vec<Box<str>>)]) {
        self.mocks = mocks.to_vec();
        self.mock_pos = vec![0; mocks.len()];
    }

    /// The next mocked result of external function `name` (lower case), if the test case
    /// gave one not consumed yet.
    pub(crate) fn next_mock(&mut self, name: &str) -> Option<(usize, usize)> {
        let k = self.mocks.iter().position(|(n, _)| **n == *name)?;
        let n = self.mock_pos[k] as usize;
        if n < self.mocks[k].1.len() {
            self.mock_pos[k] += 1;
            Some((k, n))
        } else {
            None
        }
    }

    /// A RUNSUB copy's locals back to empty (docs/subscripts.md): the slots `ids` interned in
    /// `scope`, and the object members created at run time under that scope's keys (dynamic
    /// indexes, JSON loads), so the subscript's objects are fresh on every call. Allocates
    /// and parses nothing: each run-time member knows its root's scope from when it was made.
    pub fn clear_scope(&mut self, ids: &[VarId], scope: u32) {
        for &v in ids {
            self.set(v, "");
        }
        if scope != 0 && !self.extra.is_empty() {
            for (v, u, s) in self.extra.values_mut() {
                if *s == scope {
                    v.clear();
                    *u = false;
                }
            }
        }
    }

    /// Only the non-`Global:` variables back to empty.
    pub fn reset_locals(&mut self) {
        for ((v, g), u) in self.values.iter_mut().zip(&self.global).zip(self.unknown.iter_mut()) {
            if !g {
                v.clear();
                *u = false;
            }
        }
    }

    /// Set the simulated clock for this contact: a fixed epoch
    /// ([`super::SIM_EPOCH`], a Monday 09:00:00) plus `ms` (the contact's arrival time plus
    /// the time simulated so far). `now()` and the other date functions read it.
    pub fn set_clock_ms(&mut self, ms: u64) {
        self.clock_secs =
            super::funcs::SIM_EPOCH_SECS.saturating_add((ms / 1000).min(i64::MAX as u64 / 2) as i64);
    }

    /// Seed of this contact's deterministic choices (`random()`, an IF/CASE inside a snippet on
    /// an unknown value). The simulator passes a value derived from its seed and the contact.
    pub fn set_seed(&mut self, seed: u64) {
        self.seed = seed;
        self.draws = 0;
    }

    /// Number of unmodelled constructs (external calls, `USES`, conversions recflow does not
    /// model) met since the last call; resets the count.
    pub fn take_unmodelled(&mut self) -> u32 {
        std::mem::take(&mut self.unmodelled)
    }

    /// Work charged to this contact so far (all program runs and template renders).
    pub fn work(&self) -> u64 {
        self.contact_work.get()
    }

    /// Everything a later program run, template render or variable read of this contact can
    /// depend on, appended to `out` in a canonical byte form (exact analysis compares states
    /// by it: `sim::exact`). Left out: the buffer pool and key scratch (cleared before every
    /// use), the path index and `Global:` flags (fixed per program), the mocked results
    /// (fixed per test case; their positions are in), and the explain trace. The work so far
    /// is in as a separate part ([`Vars::work`]): the caller labels it.
    pub fn encode_state(&self, out: &mut Vec<u8>) {
        let Vars {
            values,
            unknown,
            global: _,
            pool: _,
            trace: _,
            paths: _,
            extra,
            stack,
            key_buf: _,
            clock_secs,
            seed,
            draws,
            contact_work: _,
            unmodelled,
            mocks: _,
            mock_pos,
        } = self;
        let text = |out: &mut Vec<u8>, s: &str| {
            out.extend_from_slice(&(s.len() as u64).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        };
        out.extend_from_slice(&(values.len() as u64).to_le_bytes());
        for (v, u) in values.iter().zip(unknown) {
            text(out, v);
            out.push(u8::from(*u));
        }
        let mut keys: Vec<&String> = extra.keys().collect();
        keys.sort();
        out.extend_from_slice(&(keys.len() as u64).to_le_bytes());
        for k in keys {
            let (v, u, scope) = &extra[k];
            text(out, k);
            text(out, v);
            out.push(u8::from(*u));
            out.extend_from_slice(&scope.to_le_bytes());
        }
        out.extend_from_slice(&(stack.len() as u64).to_le_bytes());
        for (v, u) in stack {
            text(out, v);
            out.push(u8::from(*u));
        }
        for w in [*clock_secs as u64, *seed, *draws, u64::from(*unmodelled)] {
            out.extend_from_slice(&w.to_le_bytes());
        }
        for n in mock_pos {
            out.extend_from_slice(&n.to_le_bytes());
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

/// Compiled expression. `at` is the byte offset in the snippet (for runtime error messages).
#[derive(Clone, Debug)]
pub(crate) struct CExpr {
    pub kind: CKind,
    pub at: u32,
}

/// One step of a member path with a run-time index.
#[derive(Clone, Debug)]
pub(crate) enum CSeg {
    /// `.name` or a constant `[n]`, already rendered (`.name`, `[2]`).
    Lit(Box<str>),
    Index(CExpr),
}

#[derive(Clone, Debug)]
pub(crate) enum CKind {
    /// A `{}`-free string constant.
    Const(Box<str>),
    /// A number literal: its value, and its spelling (used when it is assigned: `007`).
    Number(f64, Box<str>),
    Var(VarId),
    /// A member path with constant indexes: its slot, and the slots of its shorter prefixes
    /// (an unknown prefix makes an unset member unknown too).
    Path(VarId, Box<[VarId]>),
    /// A member path with run-time indexes: the variable's key, then the steps.
    DynPath(Box<str>, Box<[CSeg]>),
    /// A string literal with `{…}` parts.
    Template(Template),
    Unary(UnOp, Box<CExpr>),
    Binary(BinOp, Box<CExpr>, Box<CExpr>),
    Index(Box<CExpr>, Box<CExpr>),
    Call(Func, Box<[CExpr]>),
    /// A call of a FUNCTION of this snippet (index into [`Program::funcs`]).
    User(u32, Box<[CExpr]>),
    /// A call that reaches a CXone service (`GetRESTProxy()`, `MakeRestRequest`, `savetodb`…):
    /// the arguments are evaluated, the result is unknown.
    External(Box<str>, Box<[CExpr]>),
    /// `obj.count()` style member count / `obj.asjson()` of a dynamic data object.
    Object(ObjOp, Box<str>, VarId),
    /// A method nobody defines: unknown on an unknown receiver, else a runtime error.
    Method(Box<str>, Box<[CExpr]>),
    /// A call of a function that does not exist: a runtime error when evaluated.
    Unknown(Box<str>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ObjOp {
    /// Elements of an array of objects (`obj.items.count()`) or characters… see eval.
    Count,
    AsJson,
}

#[derive(Clone, Debug)]
pub(crate) enum CTarget {
    Slot(VarId),
    /// A member path with run-time indexes.
    Dyn(Box<str>, Box<[CSeg]>),
}

#[derive(Clone, Debug)]
pub(crate) enum CStmt {
    Assign {
        target: CTarget,
        index: Option<CExpr>,
        value: CExpr,
    },
    /// `DYNAMIC x` (clears the object's members) / `x = parsejson(…)`: `members` are the member
    /// slots of `root` this program knows; `json` the text to load into them.
    Object {
        root: VarId,
        key: Box<str>,
        json: Option<CExpr>,
        at: u32,
    },
    If {
        cond: CExpr,
        then: Box<[CStmt]>,
        els: Box<[CStmt]>,
    },
    Switch {
        subject: CExpr,
        cases: Box<[(CExpr, Box<[CStmt]>)]>,
        default: Box<[CStmt]>,
    },
    Select {
        cases: Box<[(CExpr, Box<[CStmt]>)]>,
        default: Box<[CStmt]>,
    },
    For {
        var: VarId,
        from: CExpr,
        to: CExpr,
        step: Option<CExpr>,
        body: Box<[CStmt]>,
        at: u32,
    },
    ForEach {
        var: VarId,
        array: CExpr,
        body: Box<[CStmt]>,
        at: u32,
    },
    While {
        cond: CExpr,
        body: Box<[CStmt]>,
        at: u32,
    },
    Return(Option<CExpr>),
    Break,
    Trace(CExpr),
    Eval(CExpr),
    Unmodelled,
}

/// A compiled FUNCTION.
#[derive(Clone, Debug)]
pub(crate) struct CFunc {
    pub name: Box<str>,
    pub params: Box<[VarId]>,
    /// Every slot local to the function (parameters included), saved and restored per call.
    pub locals: Box<[VarId]>,
    pub body: Box<[CStmt]>,
}

/// A compiled Snippet program: run it many times with [`Program::run`].
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub(crate) body: Vec<CStmt>,
    pub(crate) funcs: Vec<CFunc>,
    /// Number of slots the program needs in [`Vars`].
    pub(crate) slots: usize,
    pub(crate) globals: Vec<VarId>,
    pub(crate) writes: Vec<VarId>,
    pub(crate) line_starts: Vec<usize>,
    /// Member slots of each dynamic data object root (`DYNAMIC x` clears them).
    pub(crate) members: HashMap<VarId, Vec<VarId>>,
    /// The program calls `now()`: what it computes depends on the absolute simulated clock
    /// (exact analysis merges no states of such a script: `sim::exact`).
    pub(crate) reads_clock: bool,
}

/// The names local to a FUNCTION: its parameters and every non-`Global:` variable it assigns,
/// loops over or declares (keys, see [`key_of`]). Shared with the lint data flow.
pub(crate) fn function_locals(params: &[super::parser::Name], body: &[Stmt]) -> BTreeSet<String> {
    fn walk(stmts: &[Stmt], out: &mut BTreeSet<String>) {
        for s in stmts {
            let mut add = |n: &str| {
                let k = key_of(n);
                if !k.starts_with("global:") {
                    out.insert(root_key(&k).to_string());
                }
            };
            match &s.kind {
                StmtKind::Assign { target, .. } => add(&target.text),
                StmtKind::Dynamic { name, .. } => add(&name.text),
                StmtKind::For { var, body, .. } | StmtKind::ForEach { var, body, .. } => {
                    add(&var.text);
                    walk(body, out);
                }
                StmtKind::If { then, els, .. } => {
                    walk(then, out);
                    walk(els, out);
                }
                StmtKind::Switch { cases, default, .. } | StmtKind::Select { cases, default } => {
                    cases.iter().for_each(|(_, b)| walk(b, out));
                    if let Some(d) = default {
                        walk(d, out);
                    }
                }
                StmtKind::While { body, .. } => walk(body, out),
                _ => {}
            }
        }
    }
    let mut out: BTreeSet<String> = params.iter().map(|p| root_key(&key_of(&p.text)).to_string()).collect();
    walk(body, &mut out);
    out
}

/// The prefix that makes a FUNCTION's local `x` a slot of its own (`f()::x`).
pub(crate) fn local_prefix(func: &str) -> String {
    format!("{}()::", func.to_lowercase())
}

/// Every FUNCTION of a program (top level or inside IF blocks), by lower-case name; the first
/// definition of a name wins.
pub(crate) fn collect_functions<'a>(stmts: &'a [Stmt], out: &mut Vec<(String, &'a Stmt)>) {
    for s in stmts {
        match &s.kind {
            StmtKind::Function { name, .. } => {
                let k = name.text.to_lowercase();
                if !out.iter().any(|(n, _)| *n == k) {
                    out.push((k, s));
                }
            }
            StmtKind::If { then, els, .. } => {
                collect_functions(then, out);
                collect_functions(els, out);
            }
            _ => {}
        }
    }
}

struct Compiler<'a> {
    symbols: &'a mut Symbols,
    writes: Vec<VarId>,
    /// The ids in `writes` / in the lists of `members`, so compiling stays linear in the
    /// program's size (issue 21, F02: 200 000 assignments compiled in 13.6 s by scanning).
    written: HashSet<VarId>,
    member_of: HashSet<(VarId, VarId)>,
    /// FUNCTION names (lower case) → index.
    funcs: Vec<String>,
    /// Inside a FUNCTION: its local-slot prefix and local names.
    scope: Option<(String, BTreeSet<String>)>,
    members: HashMap<VarId, Vec<VarId>>,
    /// Keys of the variables this program uses as dynamic data objects (DYNAMIC, member writes,
    /// `parsejson`): on them `x.length` is a member, elsewhere the method form of `length()`.
    objects: BTreeSet<String>,
    /// A `now()` call was compiled ([`Program::reads_clock`]).
    clock: bool,
}

impl<'a> Compiler<'a> {
    /// A compiler writing into `symbols`, knowing the program's FUNCTION names (`funcs`, lower
    /// case; empty for a template or an IF condition).
    fn new(symbols: &'a mut Symbols, funcs: Vec<String>) -> Self {
        Compiler {
            symbols,
            writes: Vec::new(),
            written: HashSet::new(),
            member_of: HashSet::new(),
            funcs,
            scope: None,
            members: HashMap::new(),
            objects: BTreeSet::new(),
            clock: false,
        }
    }
}

/// Keys of every variable `stmts` declares DYNAMIC, writes a member of, or loads JSON into.
fn object_roots(stmts: &[Stmt], out: &mut BTreeSet<String>) {
    for s in stmts {
        match &s.kind {
            StmtKind::Dynamic { name, .. } => {
                out.insert(key_of(&name.text));
            }
            StmtKind::Assign { target, members, value, .. } => {
                let json = matches!(&value.kind, ExprKind::Call { name, .. } if name.eq_ignore_ascii_case("parsejson"));
                if !members.is_empty() || json {
                    out.insert(key_of(&target.text));
                }
            }
            StmtKind::If { then, els, .. } => {
                object_roots(then, out);
                object_roots(els, out);
            }
            StmtKind::Switch { cases, default, .. } | StmtKind::Select { cases, default } => {
                cases.iter().for_each(|(_, b)| object_roots(b, out));
                if let Some(d) = default {
                    object_roots(d, out);
                }
            }
            StmtKind::For { body, .. }
            | StmtKind::ForEach { body, .. }
            | StmtKind::While { body, .. }
            | StmtKind::Function { body, .. } => object_roots(body, out),
            _ => {}
        }
    }
}

impl Compiler<'_> {
    /// The slot name of `name` in the current scope (function locals get their own slots).
    fn scoped(&self, name: &str) -> String {
        if let Some((prefix, locals)) = &self.scope {
            let k = key_of(name);
            if locals.contains(root_key(&k)) {
                return format!("{prefix}{}", name.trim());
            }
        }
        name.trim().to_string()
    }

    fn var(&mut self, name: &str) -> VarId {
        let n = self.scoped(name);
        self.symbols.intern(&n)
    }

    fn write(&mut self, name: &str) -> VarId {
        let id = self.var(name);
        self.written(id);
        id
    }

    /// Record `id` as written by the program (not inside a FUNCTION), once, in source order.
    fn written(&mut self, id: VarId) {
        if self.scope.is_none() && self.written.insert(id) {
            self.writes.push(id);
        }
    }

    fn block(&mut self, stmts: &[Stmt]) -> Box<[CStmt]> {
        stmts.iter().filter_map(|s| self.stmt(s)).collect()
    }

    /// A member path with constant indexes → its slot (recording it as a member of its root);
    /// `None` when an index is computed at run time.
    fn static_path(&mut self, root: &str, segs: &[PathSeg<'_>]) -> Option<(VarId, Vec<VarId>)> {
        let mut name = self.scoped(root);
        let root_id = self.symbols.intern(&name);
        let mut ancestors = vec![root_id];
        for (k, seg) in segs.iter().enumerate() {
            match seg {
                PathSeg::Member(m) => {
                    name.push('.');
                    name.push_str(m);
                }
                PathSeg::Index(e) => match const_index(e) {
                    Some(n) => {
                        name.push('[');
                        name.push_str(&n.to_string());
                        name.push(']');
                    }
                    None => return None,
                },
            }
            let id = self.symbols.intern(&name);
            if self.member_of.insert((root_id, id)) {
                self.members.entry(root_id).or_default().push(id);
            }
            if k + 1 < segs.len() {
                ancestors.push(id);
            }
        }
        let id = self.symbols.intern(&name);
        Some((id, ancestors))
    }

    fn dyn_segs(&mut self, segs: &[PathSeg<'_>]) -> Box<[CSeg]> {
        segs.iter()
            .map(|s| match s {
                PathSeg::Member(m) => CSeg::Lit(format!(".{m}").into()),
                PathSeg::Index(e) => match const_index(e) {
                    Some(n) => CSeg::Lit(format!("[{n}]").into()),
                    None => CSeg::Index(self.expr(e)),
                },
            })
            .collect()
    }

    fn stmt(&mut self, s: &Stmt) -> Option<CStmt> {
        let at = s.offset as u32;
        Some(match &s.kind {
            StmtKind::Assign { target, members, index, value } => {
                // `x = parsejson(text)` loads a dynamic data object.
                if members.is_empty()
                    && index.is_none()
                    && let ExprKind::Call { name, args, .. } = &value.kind
                    && name.eq_ignore_ascii_case("parsejson")
                    && args.len() == 1
                {
                    let root = self.write(&target.text);
                    let key = self.symbols.scoped_key(&self.scoped(&target.text)).into();
                    return Some(CStmt::Object { root, key, json: Some(self.expr(&args[0])), at });
                }
                let segs: Vec<PathSeg<'_>> = members.iter().map(PathSeg::from).collect();
                let target = if segs.is_empty() {
                    CTarget::Slot(self.write(&target.text))
                } else {
                    let root = self.write(&target.text);
                    match self.static_path(&target.text, &segs) {
                        Some((id, _)) => {
                            self.written(id);
                            CTarget::Slot(id)
                        }
                        None => {
                            let _ = root;
                            CTarget::Dyn(
                                self.symbols.scoped_key(&self.scoped(&target.text)).into(),
                                self.dyn_segs(&segs),
                            )
                        }
                    }
                };
                CStmt::Assign { target, index: index.as_ref().map(|e| self.expr(e)), value: self.expr(value) }
            }
            StmtKind::Dynamic { name, value } => {
                let root = self.write(&name.text);
                let key = self.symbols.scoped_key(&self.scoped(&name.text)).into();
                CStmt::Object { root, key, json: value.as_ref().map(|v| self.expr(v)), at }
            }
            StmtKind::If { cond, then, els } => {
                CStmt::If { cond: self.expr(cond), then: self.block(then), els: self.block(els) }
            }
            StmtKind::Switch { subject, cases, default } => CStmt::Switch {
                subject: self.expr(subject),
                cases: cases.iter().map(|(v, b)| (self.expr(v), self.block(b))).collect(),
                default: default.as_deref().map(|b| self.block(b)).unwrap_or_default(),
            },
            StmtKind::Select { cases, default } => CStmt::Select {
                cases: cases.iter().map(|(v, b)| (self.expr(v), self.block(b))).collect(),
                default: default.as_deref().map(|b| self.block(b)).unwrap_or_default(),
            },
            StmtKind::For { var, from, to, step, body } => CStmt::For {
                var: self.write(&var.text),
                from: self.expr(from),
                to: self.expr(to),
                step: step.as_ref().map(|e| self.expr(e)),
                body: self.block(body),
                at,
            },
            StmtKind::ForEach { var, array, body } => CStmt::ForEach {
                var: self.write(&var.text),
                array: self.expr(array),
                body: self.block(body),
                at,
            },
            StmtKind::While { cond, body } => {
                CStmt::While { cond: self.expr(cond), body: self.block(body), at }
            }
            StmtKind::Function { .. } => return None,
            StmtKind::Return(v) => CStmt::Return(v.as_ref().map(|e| self.expr(e))),
            StmtKind::Break => CStmt::Break,
            StmtKind::Trace(e) => CStmt::Trace(self.expr(e)),
            StmtKind::Call(e) => CStmt::Eval(self.expr(e)),
            StmtKind::Unmodelled(_) => CStmt::Unmodelled,
        })
    }

    fn path_expr(&mut self, e: &Expr) -> Option<CKind> {
        let mut segs = Vec::new();
        let root = Self::as_path_outer(e, &mut segs)?;
        if segs.is_empty() {
            return None;
        }
        Some(match self.static_path(root, &segs) {
            Some((id, anc)) => CKind::Path(id, anc.into()),
            None => CKind::DynPath(self.symbols.scoped_key(&self.scoped(root)).into(), self.dyn_segs(&segs)),
        })
    }

    /// Like [`Self::as_path`] for the outermost node: it must end in a member.
    fn as_path_outer<'e>(e: &'e Expr, segs: &mut Vec<PathSeg<'e>>) -> Option<&'e str> {
        let ExprKind::Member(base, m) = &e.kind else { return None };
        let r = Self::as_path_inner(base, segs)?;
        segs.push(PathSeg::Member(m));
        Some(r)
    }

    fn as_path_inner<'e>(e: &'e Expr, segs: &mut Vec<PathSeg<'e>>) -> Option<&'e str> {
        match &e.kind {
            ExprKind::Var(n) => Some(n),
            ExprKind::Member(base, m) => {
                let r = Self::as_path_inner(base, segs)?;
                segs.push(PathSeg::Member(m));
                Some(r)
            }
            ExprKind::Index(base, i) => {
                let r = Self::as_path_inner(base, segs)?;
                segs.push(PathSeg::Index(i));
                Some(r)
            }
            _ => None,
        }
    }

    fn args(&mut self, args: &[Expr]) -> Box<[CExpr]> {
        args.iter().map(|a| self.expr(a)).collect()
    }

    fn expr(&mut self, e: &Expr) -> CExpr {
        let kind = match &e.kind {
            ExprKind::Num(text) => CKind::Number(text.parse().unwrap_or(0.0), text.as_str().into()),
            ExprKind::Str(parts) => match Template::from_parts(parts, self) {
                t if t.parts.is_empty() => CKind::Const("".into()),
                t => match &t.parts[..] {
                    [TPart::Text(s)] => CKind::Const(s.clone()),
                    _ => CKind::Template(t),
                },
            },
            ExprKind::Var(name) => CKind::Var(self.var(name)),
            // `x.length` on a variable that is not an object: the method form of `length()`.
            ExprKind::Member(base, m)
                if matches!(&base.kind, ExprKind::Var(v) if !self.objects.contains(&key_of(v)))
                    && Func::lookup(m).is_some_and(|f| f.arity().0 <= 1) =>
            {
                CKind::Call(Func::lookup(m).unwrap_or(Func::Length), Box::new([self.expr(base)]))
            }
            ExprKind::Member(base, m) => match self.path_expr(e) {
                Some(k) => k,
                // `x.length` without parentheses: the method form of a one-argument built-in.
                None => match Func::lookup(m) {
                    Some(f) if f.arity().0 <= 1 => CKind::Call(f, Box::new([self.expr(base)])),
                    _ => CKind::External(m.to_lowercase().into(), Box::new([self.expr(base)])),
                },
            },
            ExprKind::Unary(op, a) => CKind::Unary(*op, Box::new(self.expr(a))),
            ExprKind::Binary(op, a, b) => CKind::Binary(*op, Box::new(self.expr(a)), Box::new(self.expr(b))),
            ExprKind::Index(a, i) => CKind::Index(Box::new(self.expr(a)), Box::new(self.expr(i))),
            ExprKind::Call { name, args, method } => self.call(name, args, *method),
        };
        self.clock |= matches!(kind, CKind::Call(Func::Now, _));
        CExpr { kind, at: e.offset as u32 }
    }

    fn call(&mut self, name: &str, args: &[Expr], method: bool) -> CKind {
        let lname = name.to_lowercase();
        // A FUNCTION of this snippet wins over a built-in of the same name.
        if let Some(i) = self.funcs.iter().position(|f| *f == lname)
            && !method
        {
            return CKind::User(i as u32, self.args(args));
        }
        // `obj.count()` / `obj.asjson()` on a member path or a dynamic object root.
        if method && matches!(lname.as_str(), "count" | "asjson") && args.len() == 1 {
            let mut segs = Vec::new();
            let root = match &args[0].kind {
                ExprKind::Var(n) => Some(n.as_str()),
                ExprKind::Member(..) => Self::as_path_outer(&args[0], &mut segs),
                _ => None,
            };
            if let Some(root) = root {
                let op = if lname == "count" { ObjOp::Count } else { ObjOp::AsJson };
                if let Some((id, _)) = self.static_path(root, &segs) {
                    // The key the slot was interned under (the display name in this scope).
                    let key = self.symbols.scoped_key(self.symbols.name(id));
                    let key = if self.symbols.is_global(id) && !key.starts_with("global:") {
                        format!("global:{key}")
                    } else {
                        key
                    };
                    return CKind::Object(op, key.into(), id);
                }
            }
        }
        if let Some(f) = Func::lookup(&lname) {
            return CKind::Call(f, self.args(args));
        }
        if super::funcs::is_external(&lname) {
            return CKind::External(lname.into(), self.args(args));
        }
        if method {
            // A method we do not know (`resp.someMethod()`) may belong to an object from a CXone
            // service: unknown result when the receiver is unknown, else an error.
            return CKind::Method(name.into(), self.args(args));
        }
        CKind::Unknown(name.into())
    }
}

/// A path step borrowed from the AST.
pub(crate) enum PathSeg<'e> {
    Member(&'e str),
    Index(&'e Expr),
}

impl<'e> From<&'e Seg> for PathSeg<'e> {
    fn from(s: &'e Seg) -> Self {
        match s {
            Seg::Member(m) => PathSeg::Member(m),
            Seg::Index(e) => PathSeg::Index(e),
        }
    }
}

/// A whole-number index literal (`[2]`).
fn const_index(e: &Expr) -> Option<u64> {
    match &e.kind {
        ExprKind::Num(t) => t.parse::<u64>().ok().filter(|&n| n >= 1 && n <= u32::MAX as u64),
        _ => None,
    }
}

impl Program {
    /// Resolve every name of `ast` to a slot in `symbols`.
    pub fn compile(ast: &Ast, symbols: &mut Symbols) -> Program {
        let mut defs = Vec::new();
        collect_functions(&ast.body, &mut defs);
        let mut c = Compiler::new(symbols, defs.iter().map(|(n, _)| n.clone()).collect());
        object_roots(&ast.body, &mut c.objects);
        let body = c.block(&ast.body).into_vec();
        let mut funcs = Vec::with_capacity(defs.len());
        for (_, s) in &defs {
            let StmtKind::Function { name, params, body } = &s.kind else { continue };
            let locals = function_locals(params, body);
            let prefix = local_prefix(&name.text);
            c.scope = Some((prefix, locals.clone()));
            let params: Box<[VarId]> = params.iter().map(|p| c.var(&p.text)).collect();
            let cbody = c.block(body);
            let mut local_ids: Vec<VarId> = locals.iter().map(|l| c.var(l)).collect();
            for l in &locals {
                let id = c.var(l);
                if let Some(ms) = c.members.get(&id) {
                    local_ids.extend(ms.iter().copied());
                }
            }
            local_ids.sort();
            local_ids.dedup();
            c.scope = None;
            funcs.push(CFunc {
                name: name.text.as_str().into(),
                params,
                locals: local_ids.into(),
                body: cbody,
            });
        }
        let writes = c.writes;
        let members = c.members;
        let slots = c.symbols.len();
        let globals = c.symbols.ids().filter(|&id| c.symbols.is_global(id)).collect();
        let reads_clock = c.clock;
        Program {
            body,
            funcs,
            slots,
            globals,
            writes,
            line_starts: ast.line_starts.clone(),
            members,
            reads_clock,
        }
    }

    /// The program calls `now()` (the absolute simulated clock).
    pub fn reads_clock(&self) -> bool {
        self.reads_clock
    }

    /// Variables the program may assign (ASSIGN targets, member paths and loop variables; not
    /// FUNCTION locals), in source order.
    pub fn writes(&self) -> &[VarId] {
        &self.writes
    }

    /// 1-based line of a byte offset in the snippet text.
    pub(crate) fn line_of(&self, offset: u32) -> usize {
        self.line_starts.partition_point(|&s| s <= offset as usize).max(1)
    }
}

#[derive(Clone, Debug)]
pub(crate) enum TPart {
    Text(Box<str>),
    Var(VarId),
    Expr(CExpr),
}

/// Text with `{…}` substitution (ASSIGN `Value`, CASE `Variable`, MENU phrases, every templated
/// property, and every Snippet string literal): `{name}`, `{obj.member}` or `{expression}`. A
/// `{` that starts none of these is literal text; an unset variable renders as nothing.
/// Rendering obeys the same caps as a Snippet: the result is at most
/// [`super::MAX_VALUE_LEN`] bytes and its work is charged to the contact's budget.
#[derive(Clone, Debug, Default)]
pub struct Template {
    pub(crate) parts: Vec<TPart>,
    reads: Vec<VarId>,
}

impl PartialEq for Template {
    fn eq(&self, other: &Self) -> bool {
        self.reads == other.reads
            && self.parts.len() == other.parts.len()
            && self.parts.iter().zip(&other.parts).all(|(a, b)| match (a, b) {
                (TPart::Text(x), TPart::Text(y)) => x == y,
                (TPart::Var(x), TPart::Var(y)) => x == y,
                _ => false,
            })
    }
}

/// A compiled boolean expression (the IF action's `Expression`): parsed and resolved once, then
/// evaluated per contact with [`Condition::eval`] (no parsing, no name lookup).
#[derive(Clone, Debug)]
pub struct Condition {
    pub(crate) expr: CExpr,
}

impl Condition {
    /// Compile a parsed expression ([`super::parser::parse_expression`]).
    pub fn compile(e: &Expr, symbols: &mut Symbols) -> Condition {
        let mut c = Compiler::new(symbols, Vec::new());
        Condition { expr: c.expr(e) }
    }

    /// The first call in `e` that recflow cannot evaluate: a function that is neither a
    /// built-in nor a known external service (an IF has no FUNCTIONs of its own). Returns its
    /// name, offset and length in the expression text.
    pub fn unsupported(e: &Expr) -> Option<(String, usize, usize)> {
        match &e.kind {
            ExprKind::Call { name, args, method } => {
                let l = name.to_lowercase();
                let known = Func::lookup(&l).is_some() || super::funcs::is_external(&l) || *method;
                if !known {
                    return Some((name.clone(), e.offset, e.len));
                }
                args.iter().find_map(Condition::unsupported)
            }
            ExprKind::Unary(_, a) | ExprKind::Member(a, _) => Condition::unsupported(a),
            ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => {
                Condition::unsupported(a).or_else(|| Condition::unsupported(b))
            }
            ExprKind::Str(parts) => parts.iter().find_map(|p| match p {
                Part::Expr(x) => Condition::unsupported(x),
                _ => None,
            }),
            ExprKind::Num(_) | ExprKind::Var(_) => None,
        }
    }
}

impl Template {
    pub fn compile(text: &str, symbols: &mut Symbols) -> Template {
        let mut c = Compiler::new(symbols, Vec::new());
        Template::from_parts(&split_template(text, 0), &mut c)
    }

    fn from_parts(parts: &[Part], c: &mut Compiler<'_>) -> Template {
        let mut t = Template::default();
        // `reads` keeps first-use order; the set keeps a long template linear (F02).
        let mut read = HashSet::new();
        for p in parts {
            match p {
                Part::Text(s) => t.parts.push(TPart::Text(s.as_str().into())),
                Part::Var { name, .. } if !name.contains('.') => {
                    let id = c.var(name);
                    if read.insert(id) {
                        t.reads.push(id);
                    }
                    t.parts.push(TPart::Var(id));
                }
                Part::Var { name, offset, len } => {
                    // `{obj.member}`: a member path.
                    let mut segs = Vec::new();
                    let mut it = name.split('.');
                    let root = it.next().unwrap_or_default();
                    segs.extend(it.map(PathSeg::Member));
                    // `{ANI.length}`: the method form of a built-in on a plain variable.
                    if let [PathSeg::Member(m)] = segs[..]
                        && let Some(f) = Func::lookup(m).filter(|f| f.arity().0 <= 1)
                        && !c.objects.contains(&key_of(root))
                    {
                        let id = c.var(root);
                        let arg = CExpr { kind: CKind::Var(id), at: *offset as u32 };
                        t.parts.push(TPart::Expr(CExpr {
                            kind: CKind::Call(f, Box::new([arg])),
                            at: *offset as u32,
                        }));
                        continue;
                    }
                    let kind = match c.static_path(root, &segs) {
                        Some((id, anc)) => {
                            if read.insert(id) {
                                t.reads.push(id);
                            }
                            CKind::Path(id, anc.into())
                        }
                        None => CKind::Const("".into()),
                    };
                    let _ = len;
                    t.parts.push(TPart::Expr(CExpr { kind, at: *offset as u32 }));
                }
                Part::Expr(e) => {
                    let ce = c.expr(e);
                    t.parts.push(TPart::Expr(ce));
                }
            }
        }
        t
    }

    /// Variables the template substitutes by name, in first-use order.
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
