//! Snippet dataflow for lint: [`Ast`] → which variables each assignment reads, and whether a
//! variable's value is certainly copied into a `Global:` variable.
//!
//! Works on the AST (names as text) so that lint needs no [`super::Symbols`]. Names compare the
//! way the interpreter resolves them: case-insensitively, with `Global:x` distinct from `x`.

use std::collections::BTreeSet;

use super::compile::key_of;
use super::parser::{Ast, Expr, ExprKind, Part, Stmt, StmtKind};

/// One write to a variable (ASSIGN target or loop variable), in source order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    /// The variable written, as spelled (`Global:_recordingStatementId`).
    pub target: String,
    /// Variables the new value may be derived from, including `{var}` substitutions in string
    /// literals, array indexes, and the target itself for `arr[i] = v` (the other elements stay).
    /// First-seen order, no duplicates (case-insensitive).
    pub sources: Vec<String>,
    /// `Some(v)` when the new value is exactly `v`'s value: `t = v`, `t = (v)` or `t = "{v}"`.
    pub copy_of: Option<String>,
    /// Span of the statement in the snippet text.
    pub offset: usize,
    pub len: usize,
}

fn collect_vars(e: &Expr, out: &mut Vec<String>) {
    let mut push = |n: &str| {
        if !out.iter().any(|o| key_of(o) == key_of(n)) {
            out.push(n.to_string());
        }
    };
    match &e.kind {
        ExprKind::Num(_) => {}
        ExprKind::Var(n) => push(n),
        ExprKind::Str(parts) => {
            for p in parts {
                if let Part::Var { name, .. } = p {
                    push(name);
                }
            }
        }
        ExprKind::Unary(_, a) => collect_vars(a, out),
        ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => {
            collect_vars(a, out);
            collect_vars(b, out);
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|a| collect_vars(a, out)),
    }
}

/// The variable whose value `e` is exactly, if any.
fn exact_copy(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Var(n) => Some(n),
        ExprKind::Str(parts) => match &parts[..] {
            [Part::Var { name, .. }] => Some(name),
            _ => None,
        },
        _ => None,
    }
}

fn walk_assignments(stmts: &[Stmt], out: &mut Vec<Assignment>) {
    for s in stmts {
        let mut add = |target: &str, srcs: &[&Expr], copy: Option<&str>| {
            let mut sources = Vec::new();
            srcs.iter().for_each(|e| collect_vars(e, &mut sources));
            out.push(Assignment {
                target: target.to_string(),
                sources,
                copy_of: copy.map(str::to_string),
                offset: s.offset,
                len: s.len,
            });
        };
        match &s.kind {
            StmtKind::Assign { target, index: None, value } => add(&target.text, &[value], exact_copy(value)),
            StmtKind::Assign { target, index: Some(i), value } => {
                let itself = Expr { kind: ExprKind::Var(target.text.clone()), offset: 0, len: 0, height: 1 };
                add(&target.text, &[value, i, &itself], None)
            }
            StmtKind::For { var, from, to, body } => {
                add(&var.text, &[from, to], None);
                walk_assignments(body, out);
            }
            StmtKind::ForEach { var, array, body } => {
                add(&var.text, &[array], None);
                walk_assignments(body, out);
            }
            StmtKind::If { then, els, .. } => {
                walk_assignments(then, out);
                walk_assignments(els, out);
            }
            StmtKind::Switch { cases, default, .. } => {
                cases.iter().for_each(|(_, b)| walk_assignments(b, out));
                if let Some(d) = default {
                    walk_assignments(d, out);
                }
            }
            StmtKind::Break | StmtKind::Trace(_) => {}
        }
    }
}

/// Set of variable keys that hold an exact copy of the tracked value; `None` = unreachable.
type State = Option<BTreeSet<String>>;

fn meet(a: State, b: State) -> State {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(a), Some(b)) => Some(a.intersection(&b).cloned().collect()),
    }
}

/// States at the normal end of a block and at its BREAKs.
struct Out {
    normal: State,
    brk: State,
}

/// Must-analysis: which variables hold the tracked value on every path through `stmts`.
fn flow(stmts: &[Stmt], mut s: BTreeSet<String>) -> Out {
    let mut brk: State = None;
    for st in stmts {
        match &st.kind {
            StmtKind::Assign { target, index, value } => {
                let key = key_of(&target.text);
                let copies = index.is_none() && exact_copy(value).is_some_and(|c| s.contains(&key_of(c)));
                if copies {
                    s.insert(key);
                } else {
                    s.remove(&key);
                }
            }
            StmtKind::Trace(_) => {}
            StmtKind::Break => return Out { normal: None, brk: meet(brk, Some(s)) },
            StmtKind::If { then, els, .. } => {
                let a = flow(then, s.clone());
                let b = flow(els, s);
                brk = meet(brk, meet(a.brk, b.brk));
                match meet(a.normal, b.normal) {
                    Some(n) => s = n,
                    None => return Out { normal: None, brk },
                }
            }
            StmtKind::Switch { cases, default, .. } => {
                let mut normal: State = None;
                let arms = cases.iter().map(|(_, b)| b.as_slice()).chain([default.as_deref().unwrap_or(&[])]);
                for arm in arms {
                    let o = flow(arm, s.clone());
                    brk = meet(brk, o.brk);
                    normal = meet(normal, o.normal);
                }
                match normal {
                    Some(n) => s = n,
                    None => return Out { normal: None, brk },
                }
            }
            StmtKind::For { var, body, .. } | StmtKind::ForEach { var, body, .. } => {
                let at_least_once = matches!(st.kind, StmtKind::For { .. });
                let key = key_of(&var.text);
                let mut entry = s.clone();
                entry.remove(&key);
                let mut exit: State = if at_least_once { None } else { Some(entry.clone()) };
                // Iterate to a fixed point of the loop-head state (it only shrinks).
                loop {
                    let o = flow(body, entry.clone());
                    exit = meet(exit, o.brk);
                    exit = meet(exit, o.normal.clone());
                    let Some(mut next) = o.normal else { break };
                    next.remove(&key);
                    let next: BTreeSet<String> = entry.intersection(&next).cloned().collect();
                    if next == entry {
                        break;
                    }
                    entry = next;
                }
                match exit {
                    Some(n) => s = n,
                    None => return Out { normal: None, brk },
                }
            }
        }
    }
    Out { normal: Some(s), brk }
}

impl Ast {
    /// Every write to a variable, in source order (nested blocks included).
    pub fn assignments(&self) -> Vec<Assignment> {
        let mut out = Vec::new();
        walk_assignments(&self.body, &mut out);
        out
    }

    /// `Global:` variables that hold exactly the value `var` had when the snippet started, on
    /// every path through the snippet that ends normally (copies through locals count:
    /// `t = RecordingStatementId` then `Global:x = t`). Keys are lower case (`global:x`).
    pub fn globals_holding(&self, var: &str) -> Vec<String> {
        let start: BTreeSet<String> = [key_of(var)].into();
        match flow(&self.body, start).normal {
            Some(s) => s.into_iter().filter(|k| k.starts_with("global:")).collect(),
            None => Vec::new(),
        }
    }

    /// True when, on every path through the snippet, some `Global:` variable ends up holding
    /// `var`'s value (lint S001: "is `RecordingStatementId` copied into a `Global:` here?").
    /// `Global:_id = RecordingStatementId` and `ASSIGN Global:_id = "{RecordingStatementId}"`
    /// both count; a copy inside an IF without the same copy in its ELSE does not.
    pub fn copies_into_global(&self, var: &str) -> bool {
        !self.globals_holding(var).is_empty()
    }

    /// Spans (offset, len) of every TRACE statement, in source order.
    pub fn traces(&self) -> Vec<(usize, usize)> {
        fn walk(stmts: &[Stmt], out: &mut Vec<(usize, usize)>) {
            for s in stmts {
                match &s.kind {
                    StmtKind::Trace(_) => out.push((s.offset, s.len)),
                    StmtKind::If { then, els, .. } => {
                        walk(then, out);
                        walk(els, out);
                    }
                    StmtKind::Switch { cases, default, .. } => {
                        cases.iter().for_each(|(_, b)| walk(b, out));
                        if let Some(d) = default {
                            walk(d, out);
                        }
                    }
                    StmtKind::For { body, .. } | StmtKind::ForEach { body, .. } => walk(body, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.body, &mut out);
        out
    }
}
