//! Snippet interpreter: [`Program`] + [`Vars`] → updated [`Vars`] or a [`RuntimeError`].
//!
//! A tree walk over the compiled program. Values are strings (Studio has no other type), but an
//! intermediate value stays a number ([`Val::Num`]) or a borrowed slice ([`Val::Str`]) as long as
//! it can; owned buffers come from and go back to the pool in [`Vars`], so a warm run allocates
//! nothing. Every run is bounded: at most [`MAX_LOOP_ITERATIONS`] loop iterations in total, no
//! value longer than [`MAX_VALUE_LEN`] bytes, at most [`MAX_WORK`] units of work (one per
//! expression node plus one per byte of text built); the parser bounds the nesting depth.

use std::cmp::Ordering;
use std::fmt::{self, Write as _};

use super::compile::{CExpr, CKind, CStmt, Func, Program, VarId, Vars};
use super::parser::{BinOp, UnOp};

/// Loop iterations (FOR and FOREACH together) allowed in one run of a program.
pub const MAX_LOOP_ITERATIONS: u32 = 100_000;
/// Longest value a snippet may build (Studio's largest `MaxStringSize`, Limit32K).
pub const MAX_VALUE_LEN: usize = 32 * 1024;
/// Work units (expression nodes evaluated + bytes of text built) allowed in one run.
pub const MAX_WORK: u64 = 20_000_000;

/// A runtime error; the simulator takes the SNIPPET's `Error` branch with `message` in `_ERR`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RuntimeError {
    pub message: String,
}

/// An intermediate value.
#[derive(Debug)]
enum Val<'a> {
    Num(f64),
    /// A number literal: its value and its spelling.
    Lit(f64, &'a str),
    Str(&'a str),
    Buf(String),
}

enum Flow {
    Normal,
    Break,
}

fn take(pool: &mut Vec<String>) -> String {
    pool.pop().unwrap_or_default()
}

fn give(pool: &mut Vec<String>, mut s: String) {
    // The pool only ever holds as many buffers as were in use at once; the cap is a safety net.
    if pool.len() < 64 {
        s.clear();
        pool.push(s);
    }
}

fn recycle(pool: &mut Vec<String>, v: Val<'_>) {
    if let Val::Buf(s) = v {
        give(pool, s);
    }
}

/// Text of a number as the Snippet prints it: integral values without a decimal point, others
/// with at most 15 significant digits and no trailing zeros. Lives on the stack.
pub(crate) struct NumText {
    buf: [u8; 48],
    len: usize,
}

impl fmt::Write for NumText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            return Err(fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl NumText {
    pub(crate) fn new(x: f64) -> NumText {
        let mut t = NumText { buf: [0; 48], len: 0 };
        if x == x.trunc() && x.abs() < 1e15 {
            // Hot path (counters, digits): hand-rolled integer formatting.
            let mut n = x.abs() as u64;
            let mut digits = [0u8; 20];
            let mut k = digits.len();
            loop {
                k -= 1;
                digits[k] = b'0' + (n % 10) as u8;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            if x < 0.0 && x.abs() as u64 != 0 {
                t.buf[0] = b'-';
                t.len = 1;
            }
            let d = &digits[k..];
            t.buf[t.len..t.len + d.len()].copy_from_slice(d);
            t.len += d.len();
            return t;
        }
        let ok = if x.abs() >= 1e15 || !x.is_finite() {
            write!(t, "{x}")
        } else {
            let mag = x.abs().log10().floor() as i32;
            let prec = (14 - mag).clamp(0, 17) as usize;
            write!(t, "{x:.prec$}")
        };
        if ok.is_err() {
            // Beyond 48 digits (|x| ≥ 1e47): scientific notation rather than 300 digits.
            t.len = 0;
            let _ = write!(t, "{x:e}");
            return t;
        }
        if t.as_str().contains('.') {
            while t.len > 0 && t.buf[t.len - 1] == b'0' {
                t.len -= 1;
            }
            if t.len > 0 && t.buf[t.len - 1] == b'.' {
                t.len -= 1;
            }
        }
        if t.as_str() == "-0" {
            t.buf[0] = b'0';
            t.len = 1;
        }
        t
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII from the formatter is ever written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("0")
    }
}

/// Format a number the way the Snippet prints it (`2`, `0.5`, `-3.25`).
pub fn format_number(x: f64) -> String {
    NumText::new(x).as_str().to_string()
}

/// A string is a number when it is `[+-]digits[.digits]` exactly (no spaces, no exponent).
pub fn parse_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let int_start = i;
    let mut int = 0u64;
    while i < b.len() && b[i].is_ascii_digit() {
        int = int.wrapping_mul(10).wrapping_add(u64::from(b[i] - b'0'));
        i += 1;
    }
    if i == int_start {
        return None;
    }
    if i == b.len() && i - int_start <= 15 {
        // Hot path: a plain integer is exact in f64 up to 15 digits.
        let v = int as f64;
        return Some(if b[0] == b'-' { -v } else { v });
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == frac_start {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Truthiness: empty, `false` (any case) and anything numerically zero are false.
pub fn is_truthy(s: &str) -> bool {
    !(s.is_empty() || s.eq_ignore_ascii_case("false") || parse_number(s) == Some(0.0))
}

/// Case-insensitive string order (the comparison operators on non-numbers).
pub fn compare_text(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.bytes().map(|c| c.to_ascii_lowercase()).cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    } else {
        a.chars().flat_map(char::to_lowercase).cmp(b.chars().flat_map(char::to_lowercase))
    }
}

/// Snippet comparison of two values: numeric when both are numbers, else [`compare_text`].
pub fn compare_values(a: &str, b: &str) -> Ordering {
    match (parse_number(a), parse_number(b)) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => compare_text(a, b),
    }
}

fn num_of(v: &Val<'_>) -> Option<f64> {
    match v {
        Val::Num(x) | Val::Lit(x, _) => Some(*x),
        Val::Str(s) => parse_number(s),
        Val::Buf(s) => parse_number(s),
    }
}

fn truthy(v: &Val<'_>) -> bool {
    match v {
        Val::Num(x) | Val::Lit(x, _) => *x != 0.0,
        Val::Str(s) => is_truthy(s),
        Val::Buf(s) => is_truthy(s),
    }
}

/// The text of a value; numbers are formatted into `nt`.
fn text_of<'b>(v: &'b Val<'_>, nt: &'b mut Option<NumText>) -> &'b str {
    match v {
        Val::Num(x) => nt.insert(NumText::new(*x)).as_str(),
        Val::Lit(_, s) | Val::Str(s) => s,
        Val::Buf(s) => s,
    }
}

fn push_val(out: &mut String, v: &Val<'_>) {
    let mut nt = None;
    out.push_str(text_of(v, &mut nt));
}

/// A value quoted for an error message (shortened).
fn show(v: &Val<'_>) -> String {
    let mut nt = None;
    let s = text_of(v, &mut nt);
    if s.chars().count() > 40 {
        format!("\"{}…\"", s.chars().take(40).collect::<String>())
    } else {
        format!("\"{s}\"")
    }
}

/// Byte range of the 1-based `index`-th `|`-separated element of `s` (`None` when out of range;
/// an empty string has no elements).
fn element_range(s: &str, index: usize) -> Option<(usize, usize)> {
    if s.is_empty() || index == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..index {
        start += s[start..].find('|')? + 1;
    }
    let end = s[start..].find('|').map_or(s.len(), |n| start + n);
    Some((start, end))
}

/// Number of elements of a `|`-separated array (`""` has none).
pub fn element_count(s: &str) -> usize {
    if s.is_empty() { 0 } else { s.matches('|').count() + 1 }
}

/// Per-run counters.
struct Run<'p> {
    prog: &'p Program,
    iterations: u32,
    work: u64,
}

impl Program {
    /// Run once against `vars` (locals and globals are read and written in place).
    pub fn run(&self, vars: &mut Vars) -> Result<(), RuntimeError> {
        vars.ensure(self.slots, &self.globals);
        let mut r = Run { prog: self, iterations: 0, work: 0 };
        r.block(&self.body, vars).map(|_| ())
    }
}

impl<'p> Run<'p> {
    fn err(&self, at: u32, msg: impl fmt::Display) -> RuntimeError {
        RuntimeError { message: format!("{msg} (snippet line {})", self.prog.line_of(at)) }
    }

    fn charge(&mut self, bytes: usize, at: u32) -> Result<(), RuntimeError> {
        if bytes > MAX_VALUE_LEN {
            return Err(self.err(at, format_args!("value too long (over {MAX_VALUE_LEN} bytes)")));
        }
        self.work += bytes as u64;
        if self.work > MAX_WORK {
            return Err(self.err(at, "the snippet did too much work in one run"));
        }
        Ok(())
    }

    fn iteration(&mut self, at: u32) -> Result<(), RuntimeError> {
        self.iterations += 1;
        if self.iterations > MAX_LOOP_ITERATIONS {
            return Err(
                self.err(at, format_args!("loop limit exceeded: more than {MAX_LOOP_ITERATIONS} iterations"))
            );
        }
        Ok(())
    }

    fn block(&mut self, stmts: &'p [CStmt], vars: &mut Vars) -> Result<Flow, RuntimeError> {
        for s in stmts {
            if let Flow::Break = self.stmt(s, vars)? {
                return Ok(Flow::Break);
            }
        }
        Ok(Flow::Normal)
    }

    /// Store an owned buffer into a slot, recycling the slot's old buffer.
    fn store(vars: &mut Vars, target: VarId, mut buf: String) {
        std::mem::swap(&mut vars.values[target.index()], &mut buf);
        give(&mut vars.pool, buf);
    }

    fn stmt(&mut self, s: &'p CStmt, vars: &mut Vars) -> Result<Flow, RuntimeError> {
        match s {
            CStmt::Assign { target, index: None, value } => {
                let Vars { values, pool, .. } = vars;
                let v = self.eval(value, values, pool)?;
                let buf = match v {
                    Val::Buf(b) => b,
                    v => {
                        let mut b = take(pool);
                        push_val(&mut b, &v);
                        b
                    }
                };
                Self::store(vars, *target, buf);
            }
            CStmt::Assign { target, index: Some(ix), value } => {
                let Vars { values, pool, .. } = vars;
                let v = self.eval(value, values, pool)?;
                let i = self.eval(ix, values, pool)?;
                let n = self.index_number(&i, ix.at)?;
                recycle(pool, i);
                let mut nt = None;
                let new = text_of(&v, &mut nt);
                let cur = values[target.index()].as_str();
                let count = element_count(cur);
                let mut out = take(pool);
                let mut elems = cur.split('|');
                for k in 1..=count.max(n) {
                    if k > 1 {
                        out.push('|');
                    }
                    let old = if k <= count { elems.next().unwrap_or("") } else { "" };
                    out.push_str(if k == n { new } else { old });
                    if out.len() > MAX_VALUE_LEN {
                        break;
                    }
                }
                self.charge(out.len(), ix.at)?;
                recycle(pool, v);
                Self::store(vars, *target, out);
            }
            CStmt::If { cond, then, els } => {
                let Vars { values, pool, .. } = vars;
                let v = self.eval(cond, values, pool)?;
                let t = truthy(&v);
                recycle(pool, v);
                return self.block(if t { then } else { els }, vars);
            }
            CStmt::Switch { subject, cases, default } => {
                let Vars { values, pool, .. } = vars;
                let subj = self.eval(subject, values, pool)?;
                let mut chosen: &'p [CStmt] = default;
                for (case, body) in cases.iter() {
                    let c = self.eval(case, values, pool)?;
                    let hit = self.compare(&subj, &c) == Ordering::Equal;
                    recycle(pool, c);
                    if hit {
                        chosen = body;
                        break;
                    }
                }
                recycle(pool, subj);
                return self.block(chosen, vars);
            }
            CStmt::For { var, from, to, body, at } => {
                let Vars { values, pool, .. } = vars;
                let a = self.eval(from, values, pool)?;
                let b = self.eval(to, values, pool)?;
                let (Some(x), Some(y)) = (num_of(&a), num_of(&b)) else {
                    let bad = if num_of(&a).is_none() { show(&a) } else { show(&b) };
                    return Err(self.err(*at, format_args!("FOR needs numbers, got {bad}")));
                };
                recycle(pool, a);
                recycle(pool, b);
                // Inclusive, at least once, counting down when the end is below the start.
                let step = if y >= x { 1.0 } else { -1.0 };
                let span = (y - x).abs().floor();
                let mut k = 0.0;
                loop {
                    self.iteration(*at)?;
                    let slot = &mut vars.values[var.index()];
                    slot.clear();
                    slot.push_str(NumText::new(x + k * step).as_str());
                    if let Flow::Break = self.block(body, vars)? {
                        break;
                    }
                    k += 1.0;
                    if k > span {
                        break;
                    }
                }
            }
            CStmt::ForEach { var, array, body } => {
                let Vars { values, pool, .. } = vars;
                let v = self.eval(array, values, pool)?;
                // Copy: the body may change the array variable while we walk it.
                let items = match v {
                    Val::Buf(b) => b,
                    v => {
                        let mut b = take(pool);
                        push_val(&mut b, &v);
                        b
                    }
                };
                let at = array.at;
                let mut result = Ok(Flow::Normal);
                if !items.is_empty() {
                    for item in items.split('|') {
                        if let Err(e) = self.iteration(at) {
                            result = Err(e);
                            break;
                        }
                        vars.set(*var, item);
                        match self.block(body, vars) {
                            Ok(Flow::Normal) => {}
                            Ok(Flow::Break) => break,
                            Err(e) => {
                                result = Err(e);
                                break;
                            }
                        }
                    }
                }
                give(&mut vars.pool, items);
                result?;
            }
            CStmt::Break => return Ok(Flow::Break),
            CStmt::Trace(e) => {
                let Vars { values, pool, trace, .. } = vars;
                let v = self.eval(e, values, pool)?;
                if let Some(t) = trace {
                    let mut nt = None;
                    t.push(text_of(&v, &mut nt).to_string());
                }
                recycle(pool, v);
            }
        }
        Ok(Flow::Normal)
    }

    /// A 1-based array index.
    fn index_number(&self, v: &Val<'_>, at: u32) -> Result<usize, RuntimeError> {
        match num_of(v) {
            Some(x) if x >= 1.0 && x == x.trunc() && x <= f64::from(u32::MAX) => Ok(x as usize),
            _ => {
                Err(self.err(at, format_args!("array index must be a whole number from 1, got {}", show(v))))
            }
        }
    }

    fn compare(&self, a: &Val<'_>, b: &Val<'_>) -> Ordering {
        if let (Some(x), Some(y)) = (num_of(a), num_of(b)) {
            return x.partial_cmp(&y).unwrap_or(Ordering::Equal);
        }
        let (mut n1, mut n2) = (None, None);
        compare_text(text_of(a, &mut n1), text_of(b, &mut n2))
    }

    fn number(&self, v: &Val<'_>, at: u32, what: &str) -> Result<f64, RuntimeError> {
        num_of(v).ok_or_else(|| self.err(at, format_args!("{what}: {} is not a number", show(v))))
    }

    fn finite(&self, x: f64, at: u32) -> Result<Val<'static>, RuntimeError> {
        if x.is_finite() { Ok(Val::Num(x)) } else { Err(self.err(at, "number out of range")) }
    }

    fn eval<'a>(
        &mut self,
        e: &'a CExpr,
        values: &'a [String],
        pool: &mut Vec<String>,
    ) -> Result<Val<'a>, RuntimeError>
    where
        'p: 'a,
    {
        self.work += 1;
        if self.work > MAX_WORK {
            return Err(self.err(e.at, "the snippet did too much work in one run"));
        }
        Ok(match &e.kind {
            CKind::Const(s) => Val::Str(s),
            CKind::Number(x, s) => Val::Lit(*x, s),
            CKind::Var(id) => Val::Str(values.get(id.index()).map_or("", String::as_str)),
            CKind::Template(t) => {
                let n = t.rendered_len(values);
                self.charge(n, e.at)?;
                let mut b = take(pool);
                t.render_values(values, &mut b);
                Val::Buf(b)
            }
            CKind::Unary(UnOp::Not, a) => {
                let v = self.eval(a, values, pool)?;
                let t = truthy(&v);
                recycle(pool, v);
                Val::Num(if t { 0.0 } else { 1.0 })
            }
            CKind::Unary(UnOp::Neg, a) => {
                let v = self.eval(a, values, pool)?;
                let x = self.number(&v, e.at, "cannot negate")?;
                recycle(pool, v);
                Val::Num(-x)
            }
            CKind::Binary(BinOp::And, a, b) => {
                let v = self.eval(a, values, pool)?;
                let t = truthy(&v);
                recycle(pool, v);
                if !t {
                    return Ok(Val::Num(0.0));
                }
                let w = self.eval(b, values, pool)?;
                let t = truthy(&w);
                recycle(pool, w);
                Val::Num(if t { 1.0 } else { 0.0 })
            }
            CKind::Binary(BinOp::Or, a, b) => {
                let v = self.eval(a, values, pool)?;
                let t = truthy(&v);
                recycle(pool, v);
                if t {
                    return Ok(Val::Num(1.0));
                }
                let w = self.eval(b, values, pool)?;
                let t = truthy(&w);
                recycle(pool, w);
                Val::Num(if t { 1.0 } else { 0.0 })
            }
            CKind::Binary(op, a, b) => {
                let x = self.eval(a, values, pool)?;
                let y = self.eval(b, values, pool)?;
                self.binary(*op, x, y, pool, e.at)?
            }
            CKind::Index(a, i) => {
                let base = self.eval(a, values, pool)?;
                let iv = self.eval(i, values, pool)?;
                let n = self.index_number(&iv, i.at)?;
                recycle(pool, iv);
                let mut nt = None;
                let r = element_range(text_of(&base, &mut nt), n);
                self.slice(base, r, pool)
            }
            CKind::Call(f, args) => self.call(*f, args, values, pool, e.at)?,
            CKind::Unknown(name) => return Err(self.err(e.at, format_args!("unknown function `{name}`"))),
        })
    }

    /// The sub-string `range` of `v` (empty when `None`), borrowing when `v` is borrowed.
    fn slice<'a>(&self, v: Val<'a>, range: Option<(usize, usize)>, pool: &mut Vec<String>) -> Val<'a> {
        let (s, e) = range.unwrap_or((0, 0));
        match v {
            Val::Str(t) | Val::Lit(_, t) => Val::Str(&t[s..e]),
            Val::Buf(mut b) => {
                b.truncate(e);
                b.drain(..s);
                Val::Buf(b)
            }
            Val::Num(x) => {
                let mut b = take(pool);
                b.push_str(&NumText::new(x).as_str()[s..e]);
                Val::Buf(b)
            }
        }
    }

    fn binary<'a>(
        &mut self,
        op: BinOp,
        x: Val<'a>,
        y: Val<'a>,
        pool: &mut Vec<String>,
        at: u32,
    ) -> Result<Val<'a>, RuntimeError> {
        let r = match op {
            BinOp::Add => {
                if let (Some(a), Some(b)) = (num_of(&x), num_of(&y)) {
                    self.finite(a + b, at)?
                } else {
                    // Concatenation, appending to the left buffer when it is already owned.
                    let mut out = match x {
                        Val::Buf(b) => b,
                        x => {
                            let mut b = take(pool);
                            push_val(&mut b, &x);
                            b
                        }
                    };
                    push_val(&mut out, &y);
                    recycle(pool, y);
                    self.charge(out.len(), at)?;
                    return Ok(Val::Buf(out));
                }
            }
            BinOp::Sub | BinOp::Mul | BinOp::Div => {
                let what = match op {
                    BinOp::Sub => "cannot subtract",
                    BinOp::Mul => "cannot multiply",
                    _ => "cannot divide",
                };
                let a = self.number(&x, at, what)?;
                let b = self.number(&y, at, what)?;
                match op {
                    BinOp::Sub => self.finite(a - b, at)?,
                    BinOp::Mul => self.finite(a * b, at)?,
                    _ if b == 0.0 => return Err(self.err(at, "division by zero")),
                    _ => self.finite(a / b, at)?,
                }
            }
            _ => {
                let o = self.compare(&x, &y);
                let t = match op {
                    BinOp::Eq => o == Ordering::Equal,
                    BinOp::Ne => o != Ordering::Equal,
                    BinOp::Lt => o == Ordering::Less,
                    BinOp::Gt => o == Ordering::Greater,
                    BinOp::Le => o != Ordering::Greater,
                    _ => o != Ordering::Less,
                };
                Val::Num(if t { 1.0 } else { 0.0 })
            }
        };
        recycle(pool, x);
        recycle(pool, y);
        Ok(r)
    }

    fn call<'a>(
        &mut self,
        f: Func,
        args: &'a [CExpr],
        values: &'a [String],
        pool: &mut Vec<String>,
        at: u32,
    ) -> Result<Val<'a>, RuntimeError>
    where
        'p: 'a,
    {
        let (lo, hi) = f.arity();
        if args.len() < lo || args.len() > hi {
            return Err(
                self.err(at, format_args!("wrong number of arguments to `{}` (use {})", f.name(), usage(f)))
            );
        }
        let recv = self.eval(&args[0], values, pool)?;
        let mut nt = None;
        let r = match f {
            Func::Length => Val::Num(text_of(&recv, &mut nt).chars().count() as f64),
            Func::Count => Val::Num(element_count(text_of(&recv, &mut nt)) as f64),
            Func::IsNumeric => Val::Num(if num_of(&recv).is_some() { 1.0 } else { 0.0 }),
            Func::Upper | Func::Lower => {
                let s = text_of(&recv, &mut nt);
                let mut b = take(pool);
                if s.is_ascii() {
                    b.push_str(s);
                    if f == Func::Upper { b.make_ascii_uppercase() } else { b.make_ascii_lowercase() }
                } else {
                    for c in s.chars() {
                        if f == Func::Upper { b.extend(c.to_uppercase()) } else { b.extend(c.to_lowercase()) }
                    }
                }
                self.charge(b.len(), at)?;
                Val::Buf(b)
            }
            Func::Trim => {
                let s = text_of(&recv, &mut nt);
                let start = s.len() - s.trim_start().len();
                let end = s.trim_end().len().max(start);
                return Ok(self.slice(recv, Some((start, end)), pool));
            }
            Func::Contains | Func::IndexOf => {
                let needle = self.eval(&args[1], values, pool)?;
                let mut nt2 = None;
                let (h, n) = (text_of(&recv, &mut nt), text_of(&needle, &mut nt2));
                let r = match h.find(n) {
                    Some(i) if f == Func::IndexOf => h[..i].chars().count() as f64 + 1.0,
                    Some(_) => 1.0,
                    None => 0.0,
                };
                recycle(pool, needle);
                Val::Num(r)
            }
            Func::Substr => {
                let sv = self.eval(&args[1], values, pool)?;
                let start = self.number(&sv, at, "substr start")?;
                recycle(pool, sv);
                let len = match args.get(2) {
                    Some(a) => {
                        let lv = self.eval(a, values, pool)?;
                        let l = self.number(&lv, at, "substr length")?;
                        recycle(pool, lv);
                        l.max(0.0)
                    }
                    None => f64::INFINITY,
                };
                let s = text_of(&recv, &mut nt);
                // 1-based start in characters; positions before 1 are clipped.
                let first = start.floor().max(1.0);
                let last = (start.floor() + len.floor()).max(first);
                let byte_at = |k: f64| {
                    if k >= s.len() as f64 + 1.0 {
                        return s.len();
                    }
                    s.char_indices().nth(k as usize - 1).map_or(s.len(), |(i, _)| i)
                };
                let (b0, b1) = (byte_at(first), byte_at(last));
                return Ok(self.slice(recv, Some((b0, b1.max(b0))), pool));
            }
            Func::Replace => {
                let from = self.eval(&args[1], values, pool)?;
                let to = self.eval(&args[2], values, pool)?;
                let (mut n1, mut n2) = (None, None);
                let (pat, rep) = (text_of(&from, &mut n1), text_of(&to, &mut n2));
                let s = text_of(&recv, &mut nt);
                let mut b = take(pool);
                if pat.is_empty() {
                    b.push_str(s);
                } else {
                    let mut rest = s;
                    while let Some(i) = rest.find(pat) {
                        b.push_str(&rest[..i]);
                        b.push_str(rep);
                        rest = &rest[i + pat.len()..];
                        if b.len() > MAX_VALUE_LEN {
                            break;
                        }
                    }
                    b.push_str(rest);
                }
                self.charge(b.len(), at)?;
                recycle(pool, from);
                recycle(pool, to);
                Val::Buf(b)
            }
        };
        recycle(pool, recv);
        Ok(r)
    }
}

fn usage(f: Func) -> &'static str {
    match f {
        Func::Length => "x.length()",
        Func::Upper => "x.upper()",
        Func::Lower => "x.lower()",
        Func::Trim => "x.trim()",
        Func::Contains => "x.contains(text)",
        Func::IndexOf => "x.indexof(text)",
        Func::Substr => "x.substr(start) or x.substr(start, length)",
        Func::Count => "x.count()",
        Func::Replace => "x.replace(old, new)",
        Func::IsNumeric => "x.isnumeric()",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_studio() {
        assert_eq!(format_number(2.0), "2");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(-3.25), "-3.25");
        assert_eq!(format_number(1e15), "1000000000000000");
        assert_eq!(format_number(1.0 / 3.0), "0.333333333333333");
        assert_eq!(format_number(-42.0), "-42");
        assert_eq!(format_number(123456789012345.0), "123456789012345");
        assert_eq!(format_number(1e20), "100000000000000000000");
        assert_eq!(format_number(1e300), "1e300");
        assert_eq!(format_number(-0.000001), "-0.000001");
    }

    #[test]
    fn number_syntax_is_strict() {
        assert_eq!(parse_number("+5"), Some(5.0));
        assert_eq!(parse_number("-0.5"), Some(-0.5));
        assert_eq!(parse_number("-12"), Some(-12.0));
        assert_eq!(parse_number("0012"), Some(12.0));
        assert_eq!(parse_number("12345678901234567890"), Some(12345678901234567890.0));
        for s in ["", " 5", "5 ", "1e3", ".5", "5.", "inf", "NaN", "0x10", "--1"] {
            assert_eq!(parse_number(s), None, "{s}");
        }
    }

    #[test]
    fn truthiness() {
        for s in ["", "0", "0.0", "-0", "false", "FALSE"] {
            assert!(!is_truthy(s), "{s}");
        }
        for s in ["1", "x", "true", "no", " "] {
            assert!(is_truthy(s), "{s}");
        }
    }

    #[test]
    fn elements() {
        assert_eq!(element_range("a|bb|c", 2), Some((2, 4)));
        assert_eq!(element_range("a|bb|c", 4), None);
        assert_eq!(element_range("", 1), None);
        assert_eq!(element_count("a||"), 3);
    }
}
