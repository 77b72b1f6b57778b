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

/// One path's knowledge: the keys of the variables that hold an exact copy of the tracked value.
type Holders = BTreeSet<String>;

/// The possible [`Holders`] at a program point, one per distinct path state (empty =
/// unreachable). Kept path-sensitive so that `IF … { Global:x = v } ELSE { Global:y = v }` still
/// counts as "some global holds it on every path".
type States = Vec<Holders>;

/// More distinct path states than this collapse into their intersection (still a sound "must").
const MAX_STATES: usize = 32;

fn normalize(mut s: States) -> States {
    s.sort();
    s.dedup();
    if s.len() > MAX_STATES {
        let mut it = s.into_iter();
        let first = it.next().unwrap_or_default();
        let meet = it.fold(first, |acc, h| acc.intersection(&h).cloned().collect());
        s = vec![meet];
    }
    s
}

/// States at the normal end of a block and at its BREAKs.
struct Out {
    normal: States,
    brk: States,
}

fn flow(stmts: &[Stmt], mut s: States) -> Out {
    let mut brk: States = Vec::new();
    for st in stmts {
        if s.is_empty() {
            break;
        }
        match &st.kind {
            StmtKind::Assign { target, index, value } => {
                let key = key_of(&target.text);
                for h in &mut s {
                    let copies = index.is_none() && exact_copy(value).is_some_and(|c| h.contains(&key_of(c)));
                    if copies {
                        h.insert(key.clone());
                    } else {
                        h.remove(&key);
                    }
                }
                s = normalize(s);
            }
            StmtKind::Trace(_) => {}
            StmtKind::Break => {
                brk.append(&mut s);
            }
            StmtKind::If { then, els, .. } => {
                let mut a = flow(then, s.clone());
                let mut b = flow(els, s);
                brk.append(&mut a.brk);
                brk.append(&mut b.brk);
                a.normal.append(&mut b.normal);
                s = normalize(a.normal);
            }
            StmtKind::Switch { cases, default, .. } => {
                let mut normal = Vec::new();
                let arms = cases.iter().map(|(_, b)| b.as_slice()).chain([default.as_deref().unwrap_or(&[])]);
                for arm in arms {
                    let mut o = flow(arm, s.clone());
                    brk.append(&mut o.brk);
                    normal.append(&mut o.normal);
                }
                s = normalize(normal);
            }
            StmtKind::For { var, body, .. } | StmtKind::ForEach { var, body, .. } => {
                let at_least_once = matches!(st.kind, StmtKind::For { .. });
                let key = key_of(&var.text);
                let kill = |mut v: States| {
                    v.iter_mut().for_each(|h| {
                        h.remove(&key);
                    });
                    normalize(v)
                };
                let mut cur = kill(s);
                let mut seen = cur.clone();
                let mut exit: States = if at_least_once { Vec::new() } else { cur.clone() };
                // Explore iterations until no new loop-head state appears (bounded; on the bound
                // everything collapses into one intersection, which stays a sound "must").
                for round in 0.. {
                    let mut o = flow(body, cur);
                    exit.append(&mut o.brk);
                    exit.extend(o.normal.iter().cloned());
                    let next: States = kill(o.normal).into_iter().filter(|h| !seen.contains(h)).collect();
                    if next.is_empty() {
                        break;
                    }
                    if round == 8 {
                        exit.extend(next);
                        exit.append(&mut seen);
                        exit = normalize(exit);
                        let all = exit.drain(..).reduce(|a, b| a.intersection(&b).cloned().collect());
                        exit = all.into_iter().collect();
                        break;
                    }
                    seen.extend(next.iter().cloned());
                    seen = normalize(seen);
                    cur = next;
                }
                s = normalize(exit);
            }
        }
    }
    Out { normal: s, brk: normalize(brk) }
}

impl Ast {
    /// Every write to a variable, in source order (nested blocks included).
    pub fn assignments(&self) -> Vec<Assignment> {
        let mut out = Vec::new();
        walk_assignments(&self.body, &mut out);
        out
    }

    /// `Global:` variables that each hold exactly the value `var` had when the snippet started,
    /// on every path through the snippet that ends normally (copies through locals count:
    /// `t = RecordingStatementId` then `Global:x = t`). Keys are lower case (`global:x`).
    pub fn globals_holding(&self, var: &str) -> Vec<String> {
        let start: Holders = [key_of(var)].into();
        let end = flow(&self.body, vec![start]).normal;
        let all = end.into_iter().reduce(|a, b| a.intersection(&b).cloned().collect());
        all.unwrap_or_default().into_iter().filter(|k| k.starts_with("global:")).collect()
    }

    /// True when, on every path through the snippet, some `Global:` variable ends up holding
    /// `var`'s value (lint S001: "is `RecordingStatementId` copied into a `Global:` here?").
    /// `Global:_id = RecordingStatementId` and `ASSIGN Global:_id = "{RecordingStatementId}"`
    /// both count; a copy inside an IF without the same copy in its ELSE does not.
    pub fn copies_into_global(&self, var: &str) -> bool {
        let start: Holders = [key_of(var)].into();
        let end = flow(&self.body, vec![start]).normal;
        !end.is_empty() && end.iter().all(|h| h.iter().any(|k| k.starts_with("global:")))
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
