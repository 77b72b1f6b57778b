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

use super::compile::{
    CExpr, CFunc, CKind, CSeg, CStmt, CTarget, ObjOp, Program, TPart, Template, VarId, Vars, scope_of,
};
use super::funcs::{self, Func, Out};
use super::parser::{BinOp, UnOp};

/// Loop iterations (FOR, FOREACH and WHILE together) allowed in one run of a program.
pub const MAX_LOOP_ITERATIONS: u32 = 10_000;
/// Longest value a snippet may build (Studio's largest `MaxStringSize`, Limit32K).
pub const MAX_VALUE_LEN: usize = 32 * 1024;
/// Work units (expression nodes evaluated + bytes of text built) allowed in one run: the whole
/// contact's budget.
pub const MAX_WORK: u64 = MAX_CONTACT_WORK;
/// Work units allowed per contact over all program runs and template renders together. A unit
/// costs ~25-30 ns, so a contact's Snippet and template work stays under ~6 ms (issue 21, F01:
/// 50 000 000 let one contact take over a second). The simulator ends a contact that passes it
/// (`work_limit` finding, at the action that did).
pub const MAX_CONTACT_WORK: u64 = 200_000;
/// Longest member path built at run time (`obj.list[12].name`), in bytes.
pub const MAX_PATH_LEN: usize = 1024;
/// Member values created at run time (run-time indexes) kept per contact; further ones are dropped.
pub const MAX_RUNTIME_MEMBERS: usize = 1024;
/// Deepest chain of FUNCTION calls (recursion included).
pub const MAX_CALL_DEPTH: usize = 64;

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
    /// The result of an external call or unmodelled construct.
    Unknown,
}

enum Flow<'a> {
    Normal,
    Break,
    Return(Val<'a>),
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
/// Longest printed number: `-` and the 309 digits of `f64::MAX`, written out in full.
const NUM_TEXT_MAX: usize = 320;

pub(crate) struct NumText {
    buf: [u8; NUM_TEXT_MAX],
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
        let mut t = NumText { buf: [0; NUM_TEXT_MAX], len: 0 };
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
        // Every finite number is written out in digits (`1e52` would not read back as a number:
        // the language has no exponent syntax, issue 21 F17); the buffer holds `f64::MAX`.
        debug_assert!(ok.is_ok(), "{x} fits the number buffer");
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
        Val::Unknown => None,
    }
}

/// The text of a value; numbers are formatted into `nt`; unknown is `""`.
fn text_of<'b>(v: &'b Val<'_>, nt: &'b mut Option<NumText>) -> &'b str {
    match v {
        Val::Num(x) => nt.insert(NumText::new(*x)).as_str(),
        Val::Lit(_, s) | Val::Str(s) => s,
        Val::Buf(s) => s,
        Val::Unknown => "",
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

/// What rendering a [`Template`] produced besides its text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    /// A substituted value was unknown (the text holds what was known; branch by weights).
    pub unknown: bool,
    /// The text was cut at [`MAX_VALUE_LEN`] bytes, or the contact's work budget ran out.
    pub truncated: bool,
}

impl Template {
    /// Append the rendered text to `out` (does not clear it). Obeys the Snippet caps: at most
    /// [`MAX_VALUE_LEN`] bytes are appended (the rest is cut, as CXone cuts over-long values),
    /// and the work (one unit per part plus one per byte) is charged to the contact's budget;
    /// once [`MAX_CONTACT_WORK`] is spent, templates render as nothing.
    pub fn render_into(&self, vars: &mut Vars, out: &mut String) -> Rendered {
        let mut r = Run::new(None, vars);
        let start = out.len();
        let mut rendered = Rendered::default();
        match r.render(self, vars, out, start, false) {
            Ok(unknown) => rendered.unknown = unknown,
            Err(_) => {
                rendered.truncated = true;
                let mut end = (start + MAX_VALUE_LEN).min(out.len());
                while !out.is_char_boundary(end) {
                    end -= 1;
                }
                out.truncate(if r.work > r.limit { start } else { end });
            }
        }
        r.finish(vars);
        rendered
    }
}

impl super::compile::Condition {
    /// Evaluate against `vars`: `Ok(Some(b))` true / false (Snippet truthiness: empty, `false`
    /// and zero are false), `Ok(None)` when the value is unknown (an external call's result),
    /// `Err` on a runtime error (division by zero, an unknown method, the work budget). The
    /// work is charged to the contact's budget like a template render.
    pub fn eval(&self, vars: &mut Vars) -> Result<Option<bool>, RuntimeError> {
        let mut r = Run::new(None, vars);
        let res = r.eval(&self.expr, vars);
        let out = match res {
            Ok(Val::Unknown) => Ok(None),
            Ok(v) => {
                let b = match &v {
                    Val::Num(x) | Val::Lit(x, _) => *x != 0.0,
                    Val::Str(s) => is_truthy(s),
                    Val::Buf(s) => is_truthy(s),
                    Val::Unknown => false,
                };
                recycle(&mut vars.pool, v);
                Ok(Some(b))
            }
            Err(e) => Err(e),
        };
        r.finish(vars);
        out
    }
}

/// Per-run counters.
struct Run<'p> {
    prog: Option<&'p Program>,
    iterations: u32,
    work: u64,
    /// Work allowed in this run: [`MAX_WORK`], or less when the contact's budget is nearly spent.
    limit: u64,
    depth: usize,
}

impl Program {
    /// Run once against `vars` (locals and globals are read and written in place).
    pub fn run(&self, vars: &mut Vars) -> Result<(), RuntimeError> {
        vars.ensure(self.slots, &self.globals);
        let mut r = Run::new(Some(self), vars);
        let res = r.block(&self.body, vars);
        r.finish(vars);
        match res? {
            Flow::Return(v) => recycle(&mut vars.pool, v),
            Flow::Normal | Flow::Break => {}
        }
        Ok(())
    }
}

impl<'p> Run<'p> {
    fn new(prog: Option<&'p Program>, vars: &Vars) -> Run<'p> {
        let left = MAX_CONTACT_WORK.saturating_sub(vars.contact_work.get());
        Run { prog, iterations: 0, work: 0, limit: MAX_WORK.min(left), depth: 0 }
    }

    fn finish(&self, vars: &Vars) {
        vars.contact_work.set(vars.contact_work.get().saturating_add(self.work));
    }

    fn err(&self, at: u32, msg: impl fmt::Display) -> RuntimeError {
        match self.prog {
            Some(p) => RuntimeError { message: format!("{msg} (snippet line {})", p.line_of(at)) },
            None => RuntimeError { message: msg.to_string() },
        }
    }

    fn unknown_function(&self, name: &str, at: u32) -> RuntimeError {
        let user: Vec<String> =
            self.prog.map(|p| p.funcs.iter().map(|f| f.name.to_string()).collect()).unwrap_or_default();
        match funcs::did_you_mean(name, &user) {
            Some(s) => self.err(at, format_args!("unknown function `{name}` (did you mean `{s}`?)")),
            None => self.err(at, format_args!("unknown function `{name}`")),
        }
    }

    fn over_budget(&self, at: u32) -> RuntimeError {
        if self.limit < MAX_WORK {
            self.err(at, format_args!("the contact's work budget ({MAX_CONTACT_WORK} units) is spent"))
        } else {
            self.err(at, "the snippet did too much work in one run")
        }
    }

    fn tick(&mut self, units: u64, at: u32) -> Result<(), RuntimeError> {
        self.work += units;
        if self.work > self.limit { Err(self.over_budget(at)) } else { Ok(()) }
    }

    fn charge(&mut self, bytes: usize, at: u32) -> Result<(), RuntimeError> {
        if bytes > MAX_VALUE_LEN {
            return Err(self.err(at, format_args!("value too long (over {MAX_VALUE_LEN} bytes)")));
        }
        self.tick(bytes as u64, at)
    }

    fn iteration(&mut self, at: u32) -> Result<(), RuntimeError> {
        self.iterations += 1;
        if self.iterations > MAX_LOOP_ITERATIONS {
            return Err(
                self.err(at, format_args!("loop limit exceeded: more than {MAX_LOOP_ITERATIONS} iterations"))
            );
        }
        self.tick(1, at)
    }

    /// A deterministic choice among `n` for a decision on an unknown value.
    fn coin(&mut self, vars: &mut Vars, n: usize) -> usize {
        vars.draws += 1;
        funcs::choose(vars.seed, vars.draws, n)
    }

    fn truthy(&mut self, v: &Val<'_>, vars: &mut Vars) -> bool {
        match v {
            Val::Num(x) | Val::Lit(x, _) => *x != 0.0,
            Val::Str(s) => is_truthy(s),
            Val::Buf(s) => is_truthy(s),
            Val::Unknown => self.coin(vars, 2) == 0,
        }
    }

    fn block(&mut self, stmts: &'p [CStmt], vars: &mut Vars) -> Result<Flow<'p>, RuntimeError> {
        for s in stmts {
            match self.stmt(s, vars)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    /// Every value assigned obeys [`MAX_VALUE_LEN`], whatever built it: a long literal is as
    /// over-long as a long concatenation (issue 21, F20; computed text is charged where built).
    fn capped(&mut self, v: Val<'p>, vars: &mut Vars, at: u32) -> Result<Val<'p>, RuntimeError> {
        let len = match &v {
            Val::Str(s) | Val::Lit(_, s) => s.len(),
            Val::Buf(b) => b.len(),
            _ => 0,
        };
        if len > MAX_VALUE_LEN {
            recycle(&mut vars.pool, v);
            return Err(self.err(at, format_args!("value too long (over {MAX_VALUE_LEN} bytes)")));
        }
        Ok(v)
    }

    /// Store a value into a slot, recycling the slot's old buffer.
    fn store(vars: &mut Vars, target: VarId, v: Val<'_>) {
        let i = target.index();
        if matches!(v, Val::Unknown) {
            vars.values[i].clear();
            vars.unknown[i] = true;
            return;
        }
        let mut buf = match v {
            Val::Buf(b) => b,
            v => {
                let mut b = take(&mut vars.pool);
                push_val(&mut b, &v);
                b
            }
        };
        std::mem::swap(&mut vars.values[i], &mut buf);
        vars.unknown[i] = false;
        give(&mut vars.pool, buf);
    }

    /// Build the key of a run-time member path into a buffer taken from `vars`.
    fn dyn_key(&mut self, root: &str, segs: &'p [CSeg], vars: &mut Vars) -> Result<String, RuntimeError> {
        let mut key = std::mem::take(&mut vars.key_buf);
        key.clear();
        key.push_str(root);
        for s in segs.iter() {
            match s {
                CSeg::Lit(t) => key.push_str(t),
                CSeg::Index(e) => {
                    let v = self.eval(e, vars)?;
                    let n = self.index_number(&v, e.at)?;
                    recycle(&mut vars.pool, v);
                    key.push('[');
                    key.push_str(NumText::new(n as f64).as_str());
                    key.push(']');
                }
            }
            if key.len() > MAX_PATH_LEN {
                vars.key_buf = key;
                return Err(self.err(0, format_args!("member path too long (over {MAX_PATH_LEN} bytes)")));
            }
        }
        Ok(key)
    }

    fn read_slot(vars: &mut Vars, id: VarId) -> Val<'p> {
        let i = id.index();
        if vars.unknown.get(i).copied().unwrap_or(false) {
            return Val::Unknown;
        }
        let v = vars.values.get(i).map_or("", String::as_str);
        if v.is_empty() {
            return Val::Str("");
        }
        let mut b = take(&mut vars.pool);
        b.push_str(v);
        Val::Buf(b)
    }

    fn stmt(&mut self, s: &'p CStmt, vars: &mut Vars) -> Result<Flow<'p>, RuntimeError> {
        match s {
            CStmt::Assign { target, index: None, value } => {
                let v = self.eval(value, vars)?;
                let v = self.capped(v, vars, value.at)?;
                match target {
                    CTarget::Slot(id) => Self::store(vars, *id, v),
                    CTarget::Dyn(root, segs) => {
                        let key = self.dyn_key(root, segs, vars)?;
                        self.store_key(vars, key, v);
                    }
                }
            }
            CStmt::Assign { target, index: Some(ix), value } => {
                let v = self.eval(value, vars)?;
                let v = self.capped(v, vars, value.at)?;
                let i = self.eval(ix, vars)?;
                let n = self.index_number(&i, ix.at)?;
                recycle(&mut vars.pool, i);
                let id = match target {
                    CTarget::Slot(id) => *id,
                    CTarget::Dyn(root, segs) => {
                        // `obj.list[i][n] = v` with a run-time path: the element is a member.
                        let mut key = self.dyn_key(root, segs, vars)?;
                        key.push('[');
                        key.push_str(NumText::new(n as f64).as_str());
                        key.push(']');
                        self.store_key(vars, key, v);
                        return Ok(Flow::Normal);
                    }
                };
                if matches!(v, Val::Unknown) {
                    Self::store(vars, id, Val::Unknown);
                    return Ok(Flow::Normal);
                }
                // The element write rebuilds the whole `|` text: charge every element visited
                // and refuse an index whose separators alone exceed the value cap (issue 10).
                let cur_len = vars.values[id.index()].len();
                let count = element_count(&vars.values[id.index()]);
                if n > MAX_VALUE_LEN + 1 {
                    return Err(self.err(
                        ix.at,
                        format_args!(
                            "array index {n} too large: the array would exceed {MAX_VALUE_LEN} bytes"
                        ),
                    ));
                }
                self.tick(count.max(n) as u64 + cur_len as u64, ix.at)?;
                let mut nt = None;
                let new = text_of(&v, &mut nt);
                let mut out = take(&mut vars.pool);
                let cur = vars.values[id.index()].as_str();
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
                let r = self.charge(out.len(), ix.at);
                recycle(&mut vars.pool, v);
                if let Err(e) = r {
                    give(&mut vars.pool, out);
                    return Err(e);
                }
                Self::store(vars, id, Val::Buf(out));
            }
            CStmt::Object { root, key, json, at } => {
                self.clear_object(*root, key, vars);
                if let Some(j) = json {
                    let v = self.eval(j, vars)?;
                    match v {
                        Val::Unknown => Self::store(vars, *root, Val::Unknown),
                        v => {
                            let mut nt = None;
                            let text = text_of(&v, &mut nt).to_string();
                            recycle(&mut vars.pool, v);
                            self.load_json(*root, key, &text, vars, *at)?;
                        }
                    }
                }
            }
            CStmt::If { cond, then, els } => {
                let v = self.eval(cond, vars)?;
                let t = self.truthy(&v, vars);
                recycle(&mut vars.pool, v);
                return self.block(if t { then } else { els }, vars);
            }
            CStmt::Switch { subject, cases, default } => {
                let subj = self.eval(subject, vars)?;
                let mut chosen: &'p [CStmt] = default;
                if matches!(subj, Val::Unknown) {
                    // Unknown subject: every arm (DEFAULT included) equally likely.
                    let k = self.coin(vars, cases.len() + 1);
                    if let Some((_, b)) = cases.get(k) {
                        chosen = b;
                    }
                } else {
                    for (case, body) in cases.iter() {
                        let c = self.eval(case, vars)?;
                        let hit = !matches!(c, Val::Unknown) && self.compare(&subj, &c) == Ordering::Equal;
                        recycle(&mut vars.pool, c);
                        if hit {
                            chosen = body;
                            break;
                        }
                    }
                }
                recycle(&mut vars.pool, subj);
                return self.block(chosen, vars);
            }
            CStmt::Select { cases, default } => {
                let mut chosen: &'p [CStmt] = default;
                for (case, body) in cases.iter() {
                    let c = self.eval(case, vars)?;
                    let hit = self.truthy(&c, vars);
                    recycle(&mut vars.pool, c);
                    if hit {
                        chosen = body;
                        break;
                    }
                }
                return self.block(chosen, vars);
            }
            CStmt::For { var, from, to, step, body, at } => {
                let a = self.eval(from, vars)?;
                let b = self.eval(to, vars)?;
                let st = match step {
                    Some(e) => Some(self.eval(e, vars)?),
                    None => None,
                };
                if matches!(a, Val::Unknown) || matches!(b, Val::Unknown) || matches!(st, Some(Val::Unknown))
                {
                    // Unknown bounds: the loop is skipped (documented).
                    return Ok(Flow::Normal);
                }
                let (Some(x), Some(y)) = (num_of(&a), num_of(&b)) else {
                    let bad = if num_of(&a).is_none() { show(&a) } else { show(&b) };
                    return Err(self.err(*at, format_args!("FOR needs numbers, got {bad}")));
                };
                let step_val = match &st {
                    Some(v) => match num_of(v) {
                        Some(s) if s != 0.0 && s.is_finite() => Some(s),
                        _ => {
                            return Err(self.err(
                                *at,
                                format_args!("FOR STEP must be a non-zero number, got {}", show(v)),
                            ));
                        }
                    },
                    None => None,
                };
                recycle(&mut vars.pool, a);
                recycle(&mut vars.pool, b);
                if let Some(v) = st {
                    recycle(&mut vars.pool, v);
                }
                // Without STEP: inclusive, at least once, counting down when the end is below
                // the start. With STEP: while the counter has not passed the end.
                let (step, span) = match step_val {
                    None => (if y >= x { 1.0 } else { -1.0 }, (y - x).abs().floor()),
                    Some(s) => {
                        let n = ((y - x) / s).floor();
                        if n < 0.0 {
                            return Ok(Flow::Normal);
                        }
                        (s, n)
                    }
                };
                let mut k = 0.0;
                loop {
                    self.iteration(*at)?;
                    let slot = &mut vars.values[var.index()];
                    slot.clear();
                    slot.push_str(NumText::new(x + k * step).as_str());
                    vars.unknown[var.index()] = false;
                    match self.block(body, vars)? {
                        Flow::Normal => {}
                        Flow::Break => break,
                        r @ Flow::Return(_) => return Ok(r),
                    }
                    k += 1.0;
                    if k > span {
                        break;
                    }
                }
            }
            CStmt::ForEach { var, array, body, at } => {
                let v = self.eval(array, vars)?;
                if matches!(v, Val::Unknown) {
                    return Ok(Flow::Normal);
                }
                // Copy: the body may change the array variable while we walk it.
                let items = match v {
                    Val::Buf(b) => b,
                    v => {
                        let mut b = take(&mut vars.pool);
                        push_val(&mut b, &v);
                        b
                    }
                };
                let mut result = Ok(Flow::Normal);
                if !items.is_empty() {
                    for item in items.split('|') {
                        if let Err(e) = self.iteration(*at) {
                            result = Err(e);
                            break;
                        }
                        vars.set(*var, item);
                        match self.block(body, vars) {
                            Ok(Flow::Normal) => {}
                            Ok(Flow::Break) => break,
                            other => {
                                result = other;
                                break;
                            }
                        }
                    }
                }
                give(&mut vars.pool, items);
                return result;
            }
            CStmt::While { cond, body, at } => loop {
                let c = self.eval(cond, vars)?;
                // An unknown condition ends the loop (documented): no guess can be bounded.
                let go = !matches!(c, Val::Unknown) && self.truthy(&c, vars);
                recycle(&mut vars.pool, c);
                if !go {
                    break;
                }
                self.iteration(*at)?;
                match self.block(body, vars)? {
                    Flow::Normal => {}
                    Flow::Break => break,
                    r @ Flow::Return(_) => return Ok(r),
                }
            },
            CStmt::Return(v) => {
                let v = match v {
                    Some(e) => self.eval(e, vars)?,
                    None => Val::Str(""),
                };
                return Ok(Flow::Return(v));
            }
            CStmt::Break => return Ok(Flow::Break),
            CStmt::Trace(e) => {
                let v = self.eval(e, vars)?;
                if let Some(t) = &mut vars.trace {
                    let mut nt = None;
                    t.push(if matches!(v, Val::Unknown) {
                        "(unknown)".into()
                    } else {
                        text_of(&v, &mut nt).to_string()
                    });
                }
                recycle(&mut vars.pool, v);
            }
            CStmt::Eval(e) => {
                let v = self.eval(e, vars)?;
                recycle(&mut vars.pool, v);
            }
            CStmt::Unmodelled => vars.unmodelled += 1,
        }
        Ok(Flow::Normal)
    }

    /// Store into a member path known only at run time.
    fn store_key(&mut self, vars: &mut Vars, key: String, v: Val<'_>) {
        if let Some(&id) = vars.paths.get(key.as_str()) {
            vars.key_buf = key;
            Self::store(vars, id, v);
            return;
        }
        let unknown = matches!(v, Val::Unknown);
        let mut nt = None;
        let text = text_of(&v, &mut nt);
        match vars.extra.get_mut(key.as_str()) {
            Some((slot, u, _)) => {
                slot.clear();
                slot.push_str(text);
                *u = unknown;
                vars.key_buf = key;
            }
            None => {
                if vars.extra.len() < MAX_RUNTIME_MEMBERS {
                    let scope = scope_of(&key);
                    vars.extra.insert(key, (text.to_string(), unknown, scope));
                }
            }
        }
        recycle(&mut vars.pool, v);
    }

    /// `DYNAMIC x`: the object and every member this program or an earlier run created is
    /// empty again.
    fn clear_object(&mut self, root: VarId, key: &str, vars: &mut Vars) {
        Self::store(vars, root, Val::Str(""));
        if let Some(ms) = self.prog.and_then(|p| p.members.get(&root)) {
            for m in ms {
                Self::store(vars, *m, Val::Str(""));
            }
        }
        if !vars.extra.is_empty() {
            for (k, (v, u, _)) in vars.extra.iter_mut() {
                if k.len() > key.len() && k.starts_with(key) && matches!(k.as_bytes()[key.len()], b'.' | b'[')
                {
                    v.clear();
                    *u = false;
                }
            }
        }
    }

    /// `DYNAMIC x = '{"a": 1}'` / `x = parsejson(text)`: load JSON members; text that is not a
    /// JSON object or array becomes the object's own value.
    fn load_json(
        &mut self,
        root: VarId,
        key: &str,
        text: &str,
        vars: &mut Vars,
        at: u32,
    ) -> Result<(), RuntimeError> {
        self.charge(text.len(), at)?;
        let parsed: Result<serde_json::Value, _> = serde_json::from_str(text);
        match parsed {
            Ok(v @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
                let mut path = key.to_string();
                self.load_value(&v, &mut path, vars, at, 0)
            }
            _ => {
                let mut b = take(&mut vars.pool);
                b.push_str(text);
                Self::store(vars, root, Val::Buf(b));
                Ok(())
            }
        }
    }

    fn load_value(
        &mut self,
        v: &serde_json::Value,
        path: &mut String,
        vars: &mut Vars,
        at: u32,
        depth: usize,
    ) -> Result<(), RuntimeError> {
        self.tick(1, at)?;
        if depth > 32 {
            return Err(self.err(at, "JSON nested too deep (over 32 levels)"));
        }
        let len = path.len();
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    path.push('.');
                    path.push_str(k);
                    self.load_value(x, path, vars, at, depth + 1)?;
                    path.truncate(len);
                }
            }
            serde_json::Value::Array(items) => {
                let mut joined = String::new();
                for (i, x) in items.iter().enumerate() {
                    path.push('[');
                    path.push_str(&(i + 1).to_string());
                    path.push(']');
                    self.load_value(x, path, vars, at, depth + 1)?;
                    path.truncate(len);
                    if !x.is_object() && !x.is_array() {
                        if i > 0 {
                            joined.push('|');
                        }
                        joined.push_str(&json_scalar(x));
                    }
                }
                if len > 0 && !path.ends_with(']') && !joined.is_empty() {
                    self.store_key(vars, path.clone(), Val::Buf(joined));
                }
            }
            scalar => {
                let text = json_scalar(scalar);
                self.store_key(vars, path.clone(), Val::Buf(text));
            }
        }
        Ok(())
    }

    /// Count of an array member (`obj.items.count()`): elements of its `|` text, or the
    /// highest `[n]` member set at run time; for a plain variable, its `|` elements.
    fn object_op(&mut self, op: ObjOp, key: &str, id: VarId, vars: &mut Vars) -> Val<'p> {
        if vars.unknown.get(id.index()).copied().unwrap_or(false) {
            return Val::Unknown;
        }
        let own = vars.values.get(id.index()).map_or("", String::as_str);
        match op {
            ObjOp::Count => {
                if !own.is_empty() {
                    return Val::Num(element_count(own) as f64);
                }
                let mut max = 0usize;
                let mut see = |k: &str, v: &str| {
                    if v.is_empty()
                        || k.len() <= key.len() + 1
                        || !k.starts_with(key)
                        || k.as_bytes()[key.len()] != b'['
                    {
                        return;
                    }
                    let rest = &k[key.len() + 1..];
                    if let Some(n) = rest.split(']').next().and_then(|d| d.parse::<usize>().ok()) {
                        max = max.max(n);
                    }
                };
                for (k, sid) in &vars.paths {
                    see(k, vars.values.get(sid.index()).map_or("", String::as_str));
                }
                for (k, (v, _, _)) in &vars.extra {
                    see(k, v);
                }
                Val::Num(max as f64)
            }
            ObjOp::AsJson => {
                let mut members: Vec<(String, String)> = Vec::new();
                for (k, sid) in &vars.paths {
                    let v = vars.values.get(sid.index()).map_or("", String::as_str);
                    if !v.is_empty()
                        && k.len() > key.len()
                        && k.starts_with(key)
                        && k.as_bytes()[key.len()] == b'.'
                    {
                        members.push((k[key.len() + 1..].to_string(), v.to_string()));
                    }
                }
                for (k, (v, _, _)) in &vars.extra {
                    if !v.is_empty()
                        && k.len() > key.len()
                        && k.starts_with(key)
                        && k.as_bytes()[key.len()] == b'.'
                    {
                        members.push((k[key.len() + 1..].to_string(), v.clone()));
                    }
                }
                let mut b = take(&mut vars.pool);
                if members.is_empty() {
                    funcs::json_string(own, &mut b);
                } else {
                    members.sort();
                    b.push_str(&members_json(&members));
                }
                Val::Buf(b)
            }
        }
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

    /// Render a template into `out` (from `start`); `Ok(true)` when a part was unknown.
    /// `strict`: over-long text is an error (Snippet strings) rather than cut (properties).
    fn render(
        &mut self,
        t: &'p Template,
        vars: &mut Vars,
        out: &mut String,
        start: usize,
        strict: bool,
    ) -> Result<bool, RuntimeError> {
        let mut unknown = false;
        for p in &t.parts {
            // One unit per part plus one per byte it adds (charged as it goes, so a render cut
            // at the cap still pays for what it copied).
            self.tick(1, 0)?;
            let before = out.len();
            match p {
                TPart::Text(s) => out.push_str(s),
                TPart::Var(id) => {
                    if vars.unknown.get(id.index()).copied().unwrap_or(false) {
                        unknown = true;
                    }
                    out.push_str(vars.values.get(id.index()).map_or("", String::as_str));
                }
                TPart::Expr(e) => {
                    let v = self.eval(e, vars)?;
                    if matches!(v, Val::Unknown) {
                        unknown = true;
                    }
                    push_val(out, &v);
                    recycle(&mut vars.pool, v);
                }
            }
            self.tick((out.len() - before) as u64, 0)?;
            let n = out.len() - start;
            if n > MAX_VALUE_LEN {
                let _ = strict;
                return Err(self.err(0, format_args!("value too long (over {MAX_VALUE_LEN} bytes)")));
            }
        }
        Ok(unknown)
    }

    fn eval(&mut self, e: &'p CExpr, vars: &mut Vars) -> Result<Val<'p>, RuntimeError> {
        self.tick(1, e.at)?;
        Ok(match &e.kind {
            CKind::Const(s) => Val::Str(s),
            CKind::Number(x, s) => Val::Lit(*x, s),
            CKind::Var(id) => Self::read_slot(vars, *id),
            CKind::Path(id, anc) => {
                let v = Self::read_slot(vars, *id);
                if matches!(&v, Val::Str(""))
                    && anc.iter().any(|a| vars.unknown.get(a.index()).copied().unwrap_or(false))
                {
                    Val::Unknown
                } else {
                    v
                }
            }
            CKind::DynPath(root, segs) => {
                let key = self.dyn_key(root, segs, vars)?;
                let v = if let Some(&id) = vars.paths.get(key.as_str()) {
                    Self::read_slot(vars, id)
                } else if let Some((v, u, _)) = vars.extra.get(key.as_str()) {
                    if *u {
                        Val::Unknown
                    } else {
                        let mut b = take(&mut vars.pool);
                        b.push_str(v);
                        Val::Buf(b)
                    }
                } else {
                    let root_id = vars.paths.get(super::compile::root_key(&key)).copied();
                    match root_id {
                        Some(r) if vars.unknown[r.index()] => Val::Unknown,
                        _ => Val::Str(""),
                    }
                };
                vars.key_buf = key;
                v
            }
            CKind::Template(t) => {
                let mut b = take(&mut vars.pool);
                match self.render(t, vars, &mut b, 0, true) {
                    Ok(false) => Val::Buf(b),
                    Ok(true) => {
                        give(&mut vars.pool, b);
                        Val::Unknown
                    }
                    Err(err) => {
                        give(&mut vars.pool, b);
                        return Err(RuntimeError {
                            message: format!(
                                "{} (snippet line {})",
                                err.message.trim_end_matches(" (snippet line 1)"),
                                self.prog.map_or(1, |p| p.line_of(e.at))
                            ),
                        });
                    }
                }
            }
            CKind::Unary(UnOp::Not, a) => {
                let v = self.eval(a, vars)?;
                if matches!(v, Val::Unknown) {
                    return Ok(Val::Unknown);
                }
                let t = self.truthy(&v, vars);
                recycle(&mut vars.pool, v);
                Val::Num(if t { 0.0 } else { 1.0 })
            }
            CKind::Unary(UnOp::Neg, a) => {
                let v = self.eval(a, vars)?;
                if matches!(v, Val::Unknown) {
                    return Ok(Val::Unknown);
                }
                let x = self.number(&v, e.at, "cannot negate")?;
                recycle(&mut vars.pool, v);
                Val::Num(-x)
            }
            CKind::Binary(op @ (BinOp::And | BinOp::Or), a, b) => {
                let want = *op == BinOp::Or;
                let v = self.eval(a, vars)?;
                let va = if matches!(v, Val::Unknown) { None } else { Some(self.truthy(&v, vars)) };
                recycle(&mut vars.pool, v);
                if va == Some(want) {
                    return Ok(Val::Num(if want { 1.0 } else { 0.0 }));
                }
                let w = self.eval(b, vars)?;
                let vb = if matches!(w, Val::Unknown) { None } else { Some(self.truthy(&w, vars)) };
                recycle(&mut vars.pool, w);
                match (va, vb) {
                    (_, Some(x)) if x == want => Val::Num(if want { 1.0 } else { 0.0 }),
                    (Some(_), Some(x)) => Val::Num(if x { 1.0 } else { 0.0 }),
                    _ => Val::Unknown,
                }
            }
            CKind::Binary(op, a, b) => {
                let x = self.eval(a, vars)?;
                let y = self.eval(b, vars)?;
                if matches!(x, Val::Unknown) || matches!(y, Val::Unknown) {
                    recycle(&mut vars.pool, x);
                    recycle(&mut vars.pool, y);
                    return Ok(Val::Unknown);
                }
                self.binary(*op, x, y, vars, e.at)?
            }
            CKind::Index(a, i) => {
                let base = self.eval(a, vars)?;
                let iv = self.eval(i, vars)?;
                if matches!(base, Val::Unknown) || matches!(iv, Val::Unknown) {
                    recycle(&mut vars.pool, base);
                    recycle(&mut vars.pool, iv);
                    return Ok(Val::Unknown);
                }
                let n = self.index_number(&iv, i.at)?;
                recycle(&mut vars.pool, iv);
                let mut nt = None;
                let r = element_range(text_of(&base, &mut nt), n);
                Self::slice(base, r, &mut vars.pool)
            }
            CKind::Call(f, args) => self.call(*f, args, vars, e.at)?,
            CKind::User(i, args) => self.call_user(*i as usize, args, vars, e.at)?,
            CKind::External(name, args) => {
                for a in args.iter() {
                    let v = self.eval(a, vars)?;
                    recycle(&mut vars.pool, v);
                }
                // A test case's result for this call (`given.external`), else unknown.
                match vars.next_mock(name) {
                    Some((k, n)) => {
                        let mut buf = take(&mut vars.pool);
                        buf.push_str(&vars.mocks[k].1[n]);
                        Val::Buf(buf)
                    }
                    None => {
                        vars.unmodelled += 1;
                        Val::Unknown
                    }
                }
            }
            CKind::Object(op, key, id) => {
                let v = self.object_op(*op, key, *id, vars);
                if let Val::Buf(b) = &v
                    && let Err(err) = self.charge(b.len(), e.at)
                {
                    recycle(&mut vars.pool, v);
                    return Err(err);
                }
                v
            }
            CKind::Method(name, args) => {
                let recv = self.eval(&args[0], vars)?;
                if !matches!(recv, Val::Unknown) {
                    recycle(&mut vars.pool, recv);
                    return Err(self.unknown_function(name, e.at));
                }
                for a in args[1..].iter() {
                    let v = self.eval(a, vars)?;
                    recycle(&mut vars.pool, v);
                }
                vars.unmodelled += 1;
                Val::Unknown
            }
            CKind::Unknown(name) => return Err(self.unknown_function(name, e.at)),
        })
    }

    /// The sub-string `range` of `v` (empty when `None`), borrowing when `v` is borrowed.
    fn slice<'a>(v: Val<'a>, range: Option<(usize, usize)>, pool: &mut Vec<String>) -> Val<'a> {
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
            Val::Unknown => Val::Unknown,
        }
    }

    fn binary(
        &mut self,
        op: BinOp,
        x: Val<'p>,
        y: Val<'p>,
        vars: &mut Vars,
        at: u32,
    ) -> Result<Val<'p>, RuntimeError> {
        let pool = &mut vars.pool;
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
                    if let Err(e) = self.charge(out.len(), at) {
                        give(pool, out);
                        return Err(e);
                    }
                    return Ok(Val::Buf(out));
                }
            }
            BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod | BinOp::Pow | BinOp::IntDiv => {
                let what = match op {
                    BinOp::Sub => "cannot subtract",
                    BinOp::Mul => "cannot multiply",
                    BinOp::Pow => "cannot raise to a power",
                    BinOp::Mod => "cannot take the remainder",
                    _ => "cannot divide",
                };
                let a = self.number(&x, at, what)?;
                let b = self.number(&y, at, what)?;
                match op {
                    BinOp::Sub => self.finite(a - b, at)?,
                    BinOp::Mul => self.finite(a * b, at)?,
                    BinOp::Pow => self.finite(a.powf(b), at)?,
                    _ if b == 0.0 => return Err(self.err(at, "division by zero")),
                    BinOp::Mod => self.finite(a % b, at)?,
                    BinOp::IntDiv => self.finite((a / b).trunc(), at)?,
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

    fn call(
        &mut self,
        f: Func,
        args: &'p [CExpr],
        vars: &mut Vars,
        at: u32,
    ) -> Result<Val<'p>, RuntimeError> {
        let (lo, hi) = f.arity();
        if args.len() < lo || args.len() > hi {
            return Err(
                self.err(at, format_args!("wrong number of arguments to `{}` (use {})", f.name(), f.usage()))
            );
        }
        let mut vals: [Val<'p>; 6] =
            [Val::Unknown, Val::Unknown, Val::Unknown, Val::Unknown, Val::Unknown, Val::Unknown];
        let mut unknown = false;
        for (k, a) in args.iter().enumerate() {
            let v = self.eval(a, vars)?;
            unknown |= matches!(v, Val::Unknown);
            vals[k] = v;
        }
        let release =
            |vals: [Val<'p>; 6], pool: &mut Vec<String>| vals.into_iter().for_each(|v| recycle(pool, v));
        if unknown || f == Func::ParseJson {
            release(vals, &mut vars.pool);
            if f == Func::ParseJson {
                vars.unmodelled += 1;
            }
            return Ok(Val::Unknown);
        }
        // Fast paths that keep borrowed slices.
        if f == Func::Trim && matches!(vals[0], Val::Str(_) | Val::Lit(..)) {
            let mut nt = None;
            let s = text_of(&vals[0], &mut nt);
            let start = s.len() - s.trim_start().len();
            let end = s.trim_end().len().max(start);
            let v = std::mem::replace(&mut vals[0], Val::Unknown);
            return Ok(Self::slice(v, Some((start, end)), &mut vars.pool));
        }
        let mut nts: [Option<NumText>; 6] = [None, None, None, None, None, None];
        let mut out = take(&mut vars.pool);
        let result = {
            let mut texts: [&str; 6] = [""; 6];
            for (k, (v, nt)) in vals.iter().zip(nts.iter_mut()).enumerate().take(args.len()) {
                texts[k] = text_of(v, nt);
            }
            let mut env = funcs::Env { clock_secs: vars.clock_secs, seed: vars.seed, draws: &mut vars.draws };
            funcs::apply(f, &texts[..args.len()], &mut out, &mut env)
        };
        release(vals, &mut vars.pool);
        match result {
            Ok(Out::Num(x)) => {
                give(&mut vars.pool, out);
                self.finite(x, at)
            }
            Ok(Out::Text) => {
                if let Err(e) = self.charge(out.len(), at) {
                    give(&mut vars.pool, out);
                    return Err(e);
                }
                Ok(Val::Buf(out))
            }
            Ok(Out::Unknown) => {
                give(&mut vars.pool, out);
                Ok(Val::Unknown)
            }
            Err(msg) => {
                give(&mut vars.pool, out);
                Err(self.err(at, msg))
            }
        }
    }

    /// Call a FUNCTION of this program: evaluate the arguments, save the function's local slots
    /// (so recursion and the caller's values survive), bind parameters, run, restore.
    fn call_user(
        &mut self,
        i: usize,
        args: &'p [CExpr],
        vars: &mut Vars,
        at: u32,
    ) -> Result<Val<'p>, RuntimeError> {
        let Some(f): Option<&'p CFunc> = self.prog.and_then(|p| p.funcs.get(i)) else {
            return Err(self.err(at, "unknown function"));
        };
        if self.depth >= MAX_CALL_DEPTH {
            return Err(self
                .err(at, format_args!("FUNCTION calls nested deeper than {MAX_CALL_DEPTH} (`{}`)", f.name)));
        }
        let base = vars.stack.len();
        // Arguments first (they read the caller's values), kept on the stack above the saves.
        for a in args.iter() {
            let v = self.eval(a, vars)?;
            let unknown = matches!(v, Val::Unknown);
            let buf = match v {
                Val::Buf(b) => b,
                v => {
                    let mut b = take(&mut vars.pool);
                    push_val(&mut b, &v);
                    b
                }
            };
            vars.stack.push((buf, unknown));
        }
        // Save every local slot, leaving it empty.
        for l in f.locals.iter() {
            let fresh = take(&mut vars.pool);
            let old = std::mem::replace(&mut vars.values[l.index()], fresh);
            let u = std::mem::replace(&mut vars.unknown[l.index()], false);
            vars.stack.push((old, u));
        }
        // Bind parameters (missing arguments are empty, extra ones ignored).
        for (k, p) in f.params.iter().enumerate() {
            if let Some((b, u)) = vars.stack.get_mut(base + k) {
                let v = std::mem::take(b);
                let u = *u;
                let old = std::mem::replace(&mut vars.values[p.index()], v);
                give(&mut vars.pool, old);
                vars.unknown[p.index()] = u;
            }
        }
        self.depth += 1;
        let r = self.block(&f.body, vars);
        self.depth -= 1;
        // Restore the caller's locals (in reverse), then drop the argument entries.
        for l in f.locals.iter().rev() {
            if let Some((old, u)) = vars.stack.pop() {
                let cur = std::mem::replace(&mut vars.values[l.index()], old);
                give(&mut vars.pool, cur);
                vars.unknown[l.index()] = u;
            }
        }
        while vars.stack.len() > base {
            if let Some((b, _)) = vars.stack.pop() {
                give(&mut vars.pool, b);
            }
        }
        Ok(match r? {
            Flow::Return(v) => v,
            Flow::Normal | Flow::Break => Val::Str(""),
        })
    }
}

fn json_scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// JSON text of sorted `(member path, value)` pairs (`a.b` nests, `x[2]` indexes arrays).
fn members_json(members: &[(String, String)]) -> String {
    let mut root = serde_json::Value::Object(serde_json::Map::new());
    for (path, value) in members {
        let mut cur = &mut root;
        let mut steps: Vec<(String, Option<usize>)> = Vec::new();
        for seg in path.split('.') {
            let (name, rest) = seg.split_once('[').unwrap_or((seg, ""));
            steps.push((name.to_string(), None));
            for ix in rest.split('[') {
                if let Ok(n) = ix.trim_end_matches(']').parse::<usize>() {
                    steps.push((String::new(), Some(n.clamp(1, 4096) - 1)));
                }
            }
        }
        for (name, ix) in steps {
            cur = match ix {
                None => {
                    if !cur.is_object() {
                        *cur = serde_json::Value::Object(serde_json::Map::new());
                    }
                    let serde_json::Value::Object(m) = cur else { break };
                    m.entry(name).or_insert(serde_json::Value::Null)
                }
                Some(n) => {
                    if !cur.is_array() {
                        *cur = serde_json::Value::Array(Vec::new());
                    }
                    let serde_json::Value::Array(a) = cur else { break };
                    if a.len() <= n {
                        a.resize(n + 1, serde_json::Value::Null);
                    }
                    &mut a[n]
                }
            };
        }
        if cur.is_null() {
            *cur = serde_json::Value::String(value.clone());
        }
    }
    root.to_string()
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
        assert_eq!(format_number(1e300), format!("1{}", "0".repeat(300)));
        assert_eq!(format_number(-f64::MAX).len(), 310);
        assert_eq!(format_number(-0.000001), "-0.000001");
    }

    /// Issue 21 F17: whatever a computation gives, its printed form reads back as the same number
    /// (`1e52` was printed and then read as text, so `b = a + 1` concatenated).
    #[test]
    fn printed_numbers_read_back() {
        let big = (0..10).fold(1.0f64, |x, _| x * 1e51);
        for x in [1e52, big.min(f64::MAX), 1e300, -f64::MAX, f64::MAX, 12345.678, -0.25, 1e15, 1e47] {
            let text = format_number(x);
            let back = parse_number(&text).unwrap_or_else(|| panic!("{x} printed as {text}, not a number"));
            assert!(back == x || (back - x).abs() <= x.abs() * 1e-14, "{x} -> {text} -> {back}");
        }
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
