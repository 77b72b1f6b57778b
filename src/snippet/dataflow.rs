//! Snippet dataflow for lint: [`Ast`] → which variables each assignment reads, and whether a
//! variable's value is certainly copied into a `Global:` variable.
//!
//! Works on the AST (names as text) so that lint needs no [`super::Symbols`]. Names compare the
//! way the interpreter resolves them: case-insensitively, with `Global:x` distinct from `x`.

use std::collections::BTreeSet;

use super::compile::{collect_functions, function_locals, key_of, local_prefix, root_key};
use super::funcs::{Func, did_you_mean, is_external};
use super::parser::{Ast, Expr, ExprKind, Name, Part, Seg, Stmt, StmtKind};

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

/// The text of a member path with constant indexes (`cust.phones[1].num`), or of a variable.
pub(crate) fn path_text(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Var(n) => Some(n.clone()),
        ExprKind::Member(base, m) => Some(format!("{}.{m}", path_text(base)?)),
        ExprKind::Index(base, i) if matches!(base.kind, ExprKind::Member(..) | ExprKind::Index(..)) => {
            match &i.kind {
                ExprKind::Num(n) if n.parse::<u64>().is_ok() => Some(format!("{}[{n}]", path_text(base)?)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The root variable of a path expression, if it is one.
fn path_root(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Var(n) => Some(n),
        ExprKind::Member(b, _) | ExprKind::Index(b, _) => path_root(b),
        _ => None,
    }
}

/// The text an assignment target names: `x`, `obj.a.b`, `obj.items[2].name`; with a run-time
/// index, only the variable (`obj`).
fn target_text(target: &Name, members: &[Seg]) -> (String, bool) {
    let mut t = target.text.clone();
    for m in members {
        match m {
            Seg::Member(n) => {
                t.push('.');
                t.push_str(n);
            }
            Seg::Index(e) => match &e.kind {
                ExprKind::Num(n) if n.parse::<u64>().is_ok() => {
                    t.push('[');
                    t.push_str(n);
                    t.push(']');
                }
                _ => return (target.text.clone(), false),
            },
        }
    }
    (t, true)
}

fn push_var(out: &mut Vec<String>, n: &str) {
    if !out.iter().any(|o| key_of(o) == key_of(n)) {
        out.push(n.to_string());
    }
}

fn collect_vars(e: &Expr, out: &mut Vec<String>) {
    let push = |out: &mut Vec<String>, n: &str| push_var(out, n);
    match &e.kind {
        ExprKind::Num(_) => {}
        ExprKind::Var(n) => push(out, n),
        ExprKind::Member(..) => match path_text(e) {
            Some(p) => push(out, &p),
            None => {
                if let Some(r) = path_root(e) {
                    push(out, r)
                }
                if let ExprKind::Member(b, _) = &e.kind {
                    collect_vars(b, out);
                }
            }
        },
        ExprKind::Str(parts) => {
            for p in parts {
                match p {
                    Part::Var { name, .. } => push(out, name),
                    Part::Expr(x) => collect_vars(x, out),
                    Part::Text(_) => {}
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

/// The variable (or member path) whose value `e` is exactly, if any.
fn exact_copy(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Var(_) | ExprKind::Member(..) => path_text(e),
        ExprKind::Str(parts) => match &parts[..] {
            [Part::Var { name, .. }] => Some(name.clone()),
            [Part::Expr(x)] => exact_copy(x),
            _ => None,
        },
        _ => None,
    }
}

fn walk_assignments(stmts: &[Stmt], scope: Option<&(String, BTreeSet<String>)>, out: &mut Vec<Assignment>) {
    let scoped = |n: &str| -> String {
        match scope {
            Some((prefix, locals)) if locals.contains(root_key(&key_of(n))) => format!("{prefix}{n}"),
            _ => n.to_string(),
        }
    };
    for s in stmts {
        let mut add = |target: &str, srcs: &[&Expr], copy: Option<String>| {
            let mut sources = Vec::new();
            srcs.iter().for_each(|e| collect_vars(e, &mut sources));
            out.push(Assignment {
                target: scoped(target),
                sources: sources.iter().map(|v| scoped(v)).collect(),
                copy_of: copy.map(|c| scoped(&c)),
                offset: s.offset,
                len: s.len,
            });
        };
        match &s.kind {
            StmtKind::Assign { target, members, index: None, value } => {
                let (t, exact) = target_text(target, members);
                let itself = Expr { kind: ExprKind::Var(target.text.clone()), offset: 0, len: 0, height: 1 };
                if exact { add(&t, &[value], exact_copy(value)) } else { add(&t, &[value, &itself], None) }
            }
            StmtKind::Assign { target, members, index: Some(i), value } => {
                let (t, _) = target_text(target, members);
                let itself = Expr { kind: ExprKind::Var(t.clone()), offset: 0, len: 0, height: 1 };
                add(&t, &[value, i, &itself], None)
            }
            StmtKind::Dynamic { name, value } => {
                let v: Vec<&Expr> = value.iter().collect();
                add(&name.text, &v, None)
            }
            StmtKind::For { var, from, to, body, .. } => {
                add(&var.text, &[from, to], None);
                walk_assignments(body, scope, out);
            }
            StmtKind::ForEach { var, array, body } => {
                add(&var.text, &[array], None);
                walk_assignments(body, scope, out);
            }
            StmtKind::While { body, .. } => walk_assignments(body, scope, out),
            StmtKind::If { then, els, .. } => {
                walk_assignments(then, scope, out);
                walk_assignments(els, scope, out);
            }
            StmtKind::Switch { cases, default, .. } | StmtKind::Select { cases, default } => {
                cases.iter().for_each(|(_, b)| walk_assignments(b, scope, out));
                if let Some(d) = default {
                    walk_assignments(d, scope, out);
                }
            }
            StmtKind::Function { name, params, body } => {
                let sc = (local_prefix(&name.text), function_locals(params, body));
                walk_assignments(body, Some(&sc), out);
            }
            StmtKind::Return(_)
            | StmtKind::Break
            | StmtKind::Trace(_)
            | StmtKind::Call(_)
            | StmtKind::Unmodelled(_) => {}
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
/// FUNCTION calls followed this deep; deeper calls forget everything (a sound "must").
const MAX_INLINE: usize = 6;
/// The holder key meaning "the value a FUNCTION returns".
const RET: &str = "\u{0}return";

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

/// States at the normal end of a block, at its BREAKs and at its RETURNs.
struct Out {
    normal: States,
    brk: States,
    ret: States,
}

/// The FUNCTIONs of the snippet and where the analysis is (inside which FUNCTION, how deep).
struct Ctx<'a> {
    funcs: Vec<(String, &'a Stmt)>,
    scope: Option<(String, BTreeSet<String>)>,
    depth: usize,
}

impl Ctx<'_> {
    fn key(&self, name: &str) -> String {
        if let Some((prefix, locals)) = &self.scope {
            let k = key_of(name);
            if locals.contains(root_key(&k)) {
                return key_of(&format!("{prefix}{name}"));
            }
        }
        key_of(name)
    }
}

/// Forget `key` and every member below it.
fn kill(h: &mut Holders, key: &str) {
    h.retain(|k| {
        !(k == key || (k.starts_with(key) && matches!(k.as_bytes().get(key.len()), Some(b'.' | b'['))))
    });
}

fn user_calls<'e>(e: &'e Expr, ctx: &Ctx<'_>, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Call { name, args, method } => {
            args.iter().for_each(|a| user_calls(a, ctx, out));
            if !method && ctx.funcs.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
                out.push(e);
            }
        }
        ExprKind::Unary(_, a) | ExprKind::Member(a, _) => user_calls(a, ctx, out),
        ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => {
            user_calls(a, ctx, out);
            user_calls(b, ctx, out);
        }
        ExprKind::Str(parts) => parts.iter().for_each(|p| {
            if let Part::Expr(x) = p {
                user_calls(x, ctx, out)
            }
        }),
        _ => {}
    }
}

/// The effect of calling FUNCTION `call` on `s`: returns the states after the call, with
/// [`RET`] held when the returned value is the tracked one.
fn call_flow(call: &Expr, s: States, ctx: &mut Ctx<'_>) -> States {
    let ExprKind::Call { name, args, .. } = &call.kind else { return s };
    let Some(&(_, def)) = ctx.funcs.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) else { return s };
    let StmtKind::Function { name: fname, params, body } = &def.kind else { return s };
    if ctx.depth >= MAX_INLINE {
        return s.into_iter().map(|_| Holders::new()).collect();
    }
    let sc = (local_prefix(&fname.text), function_locals(params, body));
    // Bind parameters in the callee's scope.
    let mut entry = s;
    for h in &mut entry {
        let mut bound = Vec::new();
        for (k, p) in params.iter().enumerate() {
            let holds = args.get(k).and_then(exact_copy).is_some_and(|c| h.contains(&ctx.key(&c)));
            bound.push((key_of(&format!("{}{}", sc.0, p.text)), holds));
        }
        h.retain(|k| !k.starts_with(&sc.0));
        for (k, holds) in bound {
            if holds {
                h.insert(k);
            }
        }
    }
    let saved = ctx.scope.replace(sc.clone());
    ctx.depth += 1;
    let o = flow(body, normalize(entry), ctx);
    ctx.depth -= 1;
    ctx.scope = saved;
    let mut end = o.normal;
    end.extend(o.ret);
    for h in &mut end {
        h.retain(|k| !k.starts_with(&sc.0) || k == RET);
    }
    normalize(end)
}

/// Apply the effects of every FUNCTION call inside `e` (return values ignored).
fn effects(e: &Expr, mut s: States, ctx: &mut Ctx<'_>) -> States {
    let mut calls = Vec::new();
    user_calls(e, ctx, &mut calls);
    for c in calls {
        s = call_flow(c, s, ctx);
        s.iter_mut().for_each(|h| {
            h.remove(RET);
        });
    }
    s
}

fn flow(stmts: &[Stmt], mut s: States, ctx: &mut Ctx<'_>) -> Out {
    let mut brk: States = Vec::new();
    let mut ret: States = Vec::new();
    for st in stmts {
        if s.is_empty() {
            break;
        }
        match &st.kind {
            StmtKind::Assign { target, members, index, value } => {
                // `t = f(x)`: the call's own effects, then whether it returned the value.
                let direct_call = matches!(&value.kind, ExprKind::Call { name, method: false, .. }
                    if ctx.funcs.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)));
                if direct_call {
                    if let ExprKind::Call { args, .. } = &value.kind {
                        for a in args {
                            s = effects(a, s, ctx);
                        }
                    }
                    s = call_flow(value, s, ctx);
                } else {
                    s = effects(value, s, ctx);
                }
                if let Some(i) = index {
                    s = effects(i, s, ctx);
                }
                let (text, exact) = target_text(target, members);
                let key = ctx.key(&text);
                for h in &mut s {
                    let copies = exact
                        && index.is_none()
                        && (if direct_call {
                            h.contains(RET)
                        } else {
                            exact_copy(value).is_some_and(|c| h.contains(&ctx.key(&c)))
                        });
                    if exact {
                        kill(h, &key);
                    } else {
                        // A run-time member path may be any member of the object.
                        kill(h, &ctx.key(&target.text));
                    }
                    if copies {
                        h.insert(key.clone());
                    }
                    h.remove(RET);
                }
                s = normalize(s);
            }
            StmtKind::Dynamic { name, value } => {
                if let Some(v) = value {
                    s = effects(v, s, ctx);
                }
                let key = ctx.key(&name.text);
                s.iter_mut().for_each(|h| kill(h, &key));
                s = normalize(s);
            }
            StmtKind::Trace(e) | StmtKind::Call(e) => s = effects(e, s, ctx),
            StmtKind::Unmodelled(_) | StmtKind::Function { .. } => {}
            StmtKind::Break => {
                brk.append(&mut s);
            }
            StmtKind::Return(v) => {
                if let Some(v) = v {
                    s = effects(v, s, ctx);
                    if let Some(c) = exact_copy(v) {
                        let k = ctx.key(&c);
                        for h in &mut s {
                            if h.contains(&k) {
                                h.insert(RET.to_string());
                            }
                        }
                    }
                }
                ret.append(&mut s);
            }
            StmtKind::If { cond, then, els } => {
                s = effects(cond, s, ctx);
                let mut a = flow(then, s.clone(), ctx);
                let mut b = flow(els, s, ctx);
                brk.append(&mut a.brk);
                brk.append(&mut b.brk);
                ret.append(&mut a.ret);
                ret.append(&mut b.ret);
                a.normal.append(&mut b.normal);
                s = normalize(a.normal);
            }
            StmtKind::Switch { cases, default, .. } | StmtKind::Select { cases, default } => {
                if let StmtKind::Switch { subject, .. } = &st.kind {
                    s = effects(subject, s, ctx);
                }
                let mut normal = Vec::new();
                let arms = cases.iter().map(|(_, b)| b.as_slice()).chain([default.as_deref().unwrap_or(&[])]);
                for arm in arms {
                    let mut o = flow(arm, s.clone(), ctx);
                    brk.append(&mut o.brk);
                    ret.append(&mut o.ret);
                    normal.append(&mut o.normal);
                }
                s = normalize(normal);
            }
            StmtKind::For { body, .. } | StmtKind::ForEach { body, .. } | StmtKind::While { body, .. } => {
                let at_least_once = matches!(st.kind, StmtKind::For { .. });
                let var_key = match &st.kind {
                    StmtKind::For { var, .. } | StmtKind::ForEach { var, .. } => Some(ctx.key(&var.text)),
                    _ => None,
                };
                let killv = |mut v: States| {
                    if let Some(key) = &var_key {
                        v.iter_mut().for_each(|h| kill(h, key));
                    }
                    normalize(v)
                };
                let mut cur = killv(s);
                let mut seen = cur.clone();
                let mut exit: States = if at_least_once { Vec::new() } else { cur.clone() };
                // Explore iterations until no new loop-head state appears (bounded; on the bound
                // everything collapses into one intersection, which stays a sound "must").
                for round in 0.. {
                    let mut o = flow(body, cur, ctx);
                    exit.append(&mut o.brk);
                    ret.append(&mut o.ret);
                    exit.extend(o.normal.iter().cloned());
                    let next: States = killv(o.normal).into_iter().filter(|h| !seen.contains(h)).collect();
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
    Out { normal: s, brk: normalize(brk), ret: normalize(ret) }
}

/// A call of a function that neither CXone's built-ins, the external services recflow knows,
/// nor the snippet's FUNCTIONs define (lint: a misspelt function name, with a suggestion).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownCall {
    pub name: String,
    pub offset: usize,
    pub len: usize,
    /// The closest known name (edit distance ≤ 2), if any.
    pub suggestion: Option<String>,
}

impl Ast {
    /// Every write to a variable, in source order (nested blocks and FUNCTION bodies included;
    /// a FUNCTION's locals are named `f()::x`). Member writes name the member path
    /// (`cust.id`).
    pub fn assignments(&self) -> Vec<Assignment> {
        let mut out = Vec::new();
        walk_assignments(&self.body, None, &mut out);
        out
    }

    fn end_states(&self, var: &str) -> States {
        let mut funcs = Vec::new();
        collect_functions(&self.body, &mut funcs);
        let mut ctx = Ctx { funcs, scope: None, depth: 0 };
        let start: Holders = [key_of(var)].into();
        let o = flow(&self.body, vec![start], &mut ctx);
        // RETURN outside a FUNCTION ends the snippet normally.
        let mut end = o.normal;
        end.extend(o.ret);
        normalize(end)
    }

    /// `Global:` variables that each hold exactly the value `var` had when the snippet started,
    /// on every path through the snippet that ends normally (copies through locals, members of
    /// dynamic objects and FUNCTION calls count: `t = RecordingStatementId` then
    /// `Global:x = t`). Keys are lower case (`global:x`).
    pub fn globals_holding(&self, var: &str) -> Vec<String> {
        let end = self.end_states(var);
        let all = end.into_iter().reduce(|a, b| a.intersection(&b).cloned().collect());
        all.unwrap_or_default().into_iter().filter(|k| k.starts_with("global:")).collect()
    }

    /// True when, on every path through the snippet, some `Global:` variable ends up holding
    /// `var`'s value (lint S001: "is `RecordingStatementId` copied into a `Global:` here?").
    /// `Global:_id = RecordingStatementId` and `ASSIGN Global:_id = "{RecordingStatementId}"`
    /// both count; a copy inside an IF without the same copy in its ELSE does not.
    pub fn copies_into_global(&self, var: &str) -> bool {
        let end = self.end_states(var);
        !end.is_empty() && end.iter().all(|h| h.iter().any(|k| k.starts_with("global:")))
    }

    /// Calls of functions nobody defines, with did-you-mean suggestions.
    pub fn unknown_calls(&self) -> Vec<UnknownCall> {
        let mut funcs = Vec::new();
        collect_functions(&self.body, &mut funcs);
        let user: Vec<String> = funcs
            .iter()
            .map(|(n, s)| match &s.kind {
                StmtKind::Function { name, .. } => name.text.clone(),
                _ => n.clone(),
            })
            .collect();
        let mut out = Vec::new();
        fn expr(e: &Expr, user: &[String], out: &mut Vec<UnknownCall>) {
            match &e.kind {
                ExprKind::Call { name, args, method } => {
                    args.iter().for_each(|a| expr(a, user, out));
                    let l = name.to_lowercase();
                    let known = Func::lookup(&l).is_some()
                        || is_external(&l)
                        || user.iter().any(|u| u.eq_ignore_ascii_case(&l));
                    // An unknown method may belong to an object from a CXone service; only a
                    // near miss of a known name is reported for methods.
                    let suggestion = did_you_mean(name, user);
                    if !known && (!method || suggestion.is_some()) {
                        out.push(UnknownCall {
                            name: name.clone(),
                            offset: e.offset,
                            len: e.len,
                            suggestion,
                        });
                    }
                }
                ExprKind::Unary(_, a) | ExprKind::Member(a, _) => expr(a, user, out),
                ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => {
                    expr(a, user, out);
                    expr(b, user, out);
                }
                ExprKind::Str(parts) => parts.iter().for_each(|p| {
                    if let Part::Expr(x) = p {
                        expr(x, user, out)
                    }
                }),
                _ => {}
            }
        }
        fn stmts(ss: &[Stmt], user: &[String], out: &mut Vec<UnknownCall>) {
            for s in ss {
                match &s.kind {
                    StmtKind::Assign { members, index, value, .. } => {
                        for m in members {
                            if let Seg::Index(e) = m {
                                expr(e, user, out)
                            }
                        }
                        if let Some(i) = index {
                            expr(i, user, out)
                        }
                        expr(value, user, out)
                    }
                    StmtKind::Dynamic { value: Some(v), .. } => expr(v, user, out),
                    StmtKind::If { cond, then, els } => {
                        expr(cond, user, out);
                        stmts(then, user, out);
                        stmts(els, user, out);
                    }
                    StmtKind::Switch { subject, cases, default } => {
                        expr(subject, user, out);
                        for (c, b) in cases {
                            expr(c, user, out);
                            stmts(b, user, out);
                        }
                        if let Some(d) = default {
                            stmts(d, user, out)
                        }
                    }
                    StmtKind::Select { cases, default } => {
                        for (c, b) in cases {
                            expr(c, user, out);
                            stmts(b, user, out);
                        }
                        if let Some(d) = default {
                            stmts(d, user, out)
                        }
                    }
                    StmtKind::For { from, to, step, body, .. } => {
                        expr(from, user, out);
                        expr(to, user, out);
                        if let Some(st) = step {
                            expr(st, user, out)
                        }
                        stmts(body, user, out)
                    }
                    StmtKind::ForEach { array, body, .. } => {
                        expr(array, user, out);
                        stmts(body, user, out)
                    }
                    StmtKind::While { cond, body } => {
                        expr(cond, user, out);
                        stmts(body, user, out)
                    }
                    StmtKind::Function { body, .. } => stmts(body, user, out),
                    StmtKind::Return(Some(e)) | StmtKind::Trace(e) | StmtKind::Call(e) => expr(e, user, out),
                    _ => {}
                }
            }
        }
        stmts(&self.body, &user, &mut out);
        out
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
                    StmtKind::Switch { cases, default, .. } | StmtKind::Select { cases, default } => {
                        cases.iter().for_each(|(_, b)| walk(b, out));
                        if let Some(d) = default {
                            walk(d, out);
                        }
                    }
                    StmtKind::For { body, .. }
                    | StmtKind::ForEach { body, .. }
                    | StmtKind::While { body, .. }
                    | StmtKind::Function { body, .. } => walk(body, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.body, &mut out);
        out
    }
}
