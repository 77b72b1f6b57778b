//! Snippet parser: tokens ([`super::lexer`]) → [`Ast`] (names still as text, every node with its
//! byte span in the snippet text).
//!
//! Recursive descent, one function per precedence level. The parser stops at the first token it
//! cannot use and reports that token's span and what was expected. Nesting (blocks, parentheses,
//! unary operators) and expression height are limited so that a hostile snippet can neither
//! overflow the parser's stack nor the interpreter's.

use super::SyntaxError;
use super::lexer::{Tok, Token, ident_len, lex};

/// Deepest allowed nesting of blocks, parentheses and unary operators together.
pub const MAX_NESTING: usize = 64;
/// Tallest allowed expression tree (`1+1+1+…` grows it by one per operator).
pub const MAX_EXPR_HEIGHT: u32 = 256;

/// A parsed Snippet program.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ast {
    pub body: Vec<Stmt>,
    /// Byte offset of the start of each line (line 1 starts at 0); for runtime error messages.
    pub line_starts: Vec<usize>,
    /// Constructs that load but are not modelled (they yield unknown values at run time), in
    /// source order. The loader reports each as a located warning.
    pub warnings: Vec<Warning>,
}

/// A construct recflow reads but does not model, at a byte span of the snippet text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub offset: usize,
    pub len: usize,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    /// Span of the whole statement head (for blocks: up to the end of its first line).
    pub offset: usize,
    pub len: usize,
}

/// One step of a member path after the variable: `.name` or `[index]`.
#[derive(Clone, Debug, PartialEq)]
pub enum Seg {
    /// `.name` (member names are case-sensitive, as the dynamic data objects page says).
    Member(String),
    /// `[i]` followed by more members (an element of an array of objects).
    Index(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// `ASSIGN x = e`, `x = e`, `x[i] = e`, `obj.a.b = e`, `obj.items[2].name = e`.
    /// `members` is the member path after `target`; `index` a final `[i]` (element of a
    /// `|`-separated array).
    Assign {
        target: Name,
        members: Vec<Seg>,
        index: Option<Expr>,
        value: Expr,
    },
    /// `DYNAMIC name` or `DYNAMIC name = value` (a dynamic data object).
    Dynamic {
        name: Name,
        value: Option<Expr>,
    },
    /// `IF c { } ELSE { }`; `els` is empty without ELSE.
    If {
        cond: Expr,
        then: Vec<Stmt>,
        els: Vec<Stmt>,
    },
    /// `SWITCH e { CASE v { } … DEFAULT { } }`.
    Switch {
        subject: Expr,
        cases: Vec<(Expr, Vec<Stmt>)>,
        default: Option<Vec<Stmt>>,
    },
    /// `SELECT { CASE cond { } … DEFAULT { } }`: the first true CASE runs.
    Select {
        cases: Vec<(Expr, Vec<Stmt>)>,
        default: Option<Vec<Stmt>>,
    },
    /// `FOR i = a TO b [STEP s] { }`.
    For {
        var: Name,
        from: Expr,
        to: Expr,
        step: Option<Expr>,
        body: Vec<Stmt>,
    },
    /// `FOREACH x IN arr { }`.
    ForEach {
        var: Name,
        array: Expr,
        body: Vec<Stmt>,
    },
    /// `WHILE cond { }`.
    While {
        cond: Expr,
        body: Vec<Stmt>,
    },
    /// `FUNCTION name(a, b) { … }`: callable before and after its definition.
    Function {
        name: Name,
        params: Vec<Name>,
        body: Vec<Stmt>,
    },
    /// `RETURN` or `RETURN value`.
    Return(Option<Expr>),
    Break,
    Trace(Expr),
    /// A call on its own line: `f(x)`, `proxy.MakeRestRequest(...)`.
    Call(Expr),
    /// A statement recflow reads but does not model (e.g. `USES`); the message says what.
    Unmodelled(String),
}

/// A variable name as written (`x`, `Global:x`), with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    pub text: String,
    pub offset: usize,
    pub len: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub offset: usize,
    pub len: usize,
    /// Height of the tree below (a leaf is 1); bounded by [`MAX_EXPR_HEIGHT`].
    pub height: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A number literal, kept as written (`007` stays `007` when assigned).
    Num(String),
    /// A string literal split into text and `{…}` parts.
    Str(Vec<Part>),
    Var(String),
    /// `a.name`: a member of a dynamic data object.
    Member(Box<Expr>, String),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `a[i]` (1-based element of a `|`-separated array, or of an array of objects).
    Index(Box<Expr>, Box<Expr>),
    /// `f(a, b)` or `a.f(b)` (the receiver becomes the first argument; `method` says which form).
    Call {
        name: String,
        args: Vec<Expr>,
        method: bool,
    },
}

/// Part of a string literal or [`super::Template`] text.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Text(String),
    /// `{name}` or `{obj.member}`; offset/len of the name inside the text it was split from.
    Var {
        name: String,
        offset: usize,
        len: usize,
    },
    /// `{expression}` (the help's `"text{b+10*c}"`).
    Expr(Box<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Neg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    /// `%`
    Mod,
    /// `^`
    Pow,
    /// `\` (integer division)
    IntDiv,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    And,
    Or,
}

/// Length of a dotted name at the start of `s`: `x`, `Global:x`, `obj.a.b` (0 when none).
fn path_len(s: &str) -> usize {
    let mut n = ident_len(s);
    if n == 0 {
        return 0;
    }
    while s[n..].starts_with('.') {
        let m = ident_len(&s[n + 1..]);
        if m == 0 || s[n + 1..].starts_with(|c: char| c.is_ascii_digit()) {
            break;
        }
        n += 1 + m;
    }
    n
}

/// Split text into literal parts and `{…}` references. `{name}` and `{obj.member}` become
/// [`Part::Var`]; any other `{…}` that parses as an expression becomes [`Part::Expr`]; a `{` that
/// starts neither is literal text. Offsets are relative to `text`, shifted by `base`.
pub fn split_template(text: &str, base: usize) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    while let Some(n) = text[i..].find('{') {
        let open = i + n;
        let name_start = open + 1;
        let nl = path_len(&text[name_start..]);
        let flush = |lit: &mut String, parts: &mut Vec<Part>| {
            if !lit.is_empty() {
                parts.push(Part::Text(std::mem::take(lit)));
            }
        };
        if nl > 0 && text[name_start + nl..].starts_with('}') {
            lit.push_str(&text[i..open]);
            flush(&mut lit, &mut parts);
            parts.push(Part::Var {
                name: text[name_start..name_start + nl].to_string(),
                offset: base + name_start,
                len: nl,
            });
            i = name_start + nl + 1;
            continue;
        }
        // `{expression}`: up to the first `}` on the same line.
        let close = text[name_start..].find(['}', '\n', '{']).map(|k| name_start + k);
        if let Some(close) = close.filter(|&c| text.as_bytes()[c] == b'}' && c > name_start)
            && let Ok(e) = parse_expr_at(&text[name_start..close], base + name_start)
        {
            lit.push_str(&text[i..open]);
            flush(&mut lit, &mut parts);
            parts.push(Part::Expr(Box::new(e)));
            i = close + 1;
            continue;
        }
        lit.push_str(&text[i..name_start]);
        i = name_start;
    }
    lit.push_str(&text[i..]);
    if !lit.is_empty() {
        parts.push(Part::Text(lit));
    }
    parts
}

/// Parse `text` (which sits at byte `base` of the snippet) as one whole expression.
fn parse_expr_at(text: &str, base: usize) -> Result<Expr, SyntaxError> {
    let mut toks = lex(text);
    if toks.iter().any(|t| matches!(t.tok, Tok::Newline | Tok::Error(_))) {
        return Err(SyntaxError { offset: base, len: 0, message: String::new(), help: None });
    }
    // Token offsets become snippet offsets; `base` maps them back into `text`.
    for t in &mut toks {
        t.offset += base;
    }
    let mut p = Parser { src: text, base, toks, pos: 0, depth: 0, loops: 0, funcs: 0, warnings: Vec::new() };
    let e = p.expr()?;
    if p.peek().tok != Tok::Eof {
        return Err(SyntaxError { offset: base, len: 0, message: String::new(), help: None });
    }
    Ok(e)
}

/// Parse a whole text as one expression (the IF action's `Expression`), with the warnings of
/// constructs read but not modelled. A syntax error points at the first token that cannot be
/// used, as in a snippet.
pub fn parse_expression(text: &str) -> Result<(Expr, Vec<Warning>), SyntaxError> {
    let toks = lex(text);
    if let Some(t) = toks.iter().find(|t| matches!(t.tok, Tok::Newline | Tok::Error(_))) {
        let message = match t.tok {
            Tok::Error(m) => m.to_string(),
            _ => "an expression is one line: expected the end of the expression".to_string(),
        };
        return Err(SyntaxError { offset: t.offset, len: t.len, message, help: None });
    }
    let mut p =
        Parser { src: text, base: 0, toks, pos: 0, depth: 0, loops: 0, funcs: 0, warnings: Vec::new() };
    let e = p.expr()?;
    let next = p.peek();
    if next.tok != Tok::Eof {
        return Err(SyntaxError {
            offset: next.offset,
            len: next.len,
            message: format!(
                "expected the end of the expression, found `{}`",
                &text[next.offset..next.offset + next.len]
            ),
            help: Some("an IF `Expression` is one expression, e.g. `TOTAL > 0 & ANI != \"\"`".into()),
        });
    }
    Ok((e, p.warnings))
}

/// Unescape the body of a `$"…"` string: `\n`, `\r`, `\t`, `\\`, `\"`; any other escaped
/// character stands for itself.
fn unescape(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

const STATEMENT_START: &str = "a statement (`name = value`, ASSIGN, DYNAMIC, IF, SELECT, SWITCH, FOR, FOREACH, \
     WHILE, FUNCTION, RETURN, BREAK, TRACE or `//` comment)";

/// Parse a whole snippet.
pub fn parse(src: &str) -> Result<Ast, SyntaxError> {
    let mut p =
        Parser { src, base: 0, toks: lex(src), pos: 0, depth: 0, loops: 0, funcs: 0, warnings: Vec::new() };
    let body = p.block_items(false)?;
    let mut line_starts = vec![0];
    line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
    Ok(Ast { body, line_starts, warnings: p.warnings })
}

struct Parser<'s> {
    src: &'s str,
    /// Snippet offset of `src[0]` (non-zero when parsing a `{…}` inside a string).
    base: usize,
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
    /// Number of enclosing loops (BREAK outside a loop is a syntax error).
    loops: usize,
    /// Number of enclosing FUNCTION bodies (a FUNCTION inside a FUNCTION is refused).
    funcs: usize,
    warnings: Vec<Warning>,
}

type PResult<T> = Result<T, SyntaxError>;

fn describe(src: &str, t: &Token) -> String {
    match t.tok {
        Tok::Eof => "the end of the snippet".into(),
        Tok::Newline => "the end of the line".into(),
        Tok::Error(_) => format!("`{}`", &src[t.offset..t.offset + t.len]),
        Tok::Str => "a string".into(),
        _ => {
            let text = &src[t.offset..t.offset + t.len];
            if text.chars().count() > 30 {
                format!("`{}…`", text.chars().take(30).collect::<String>())
            } else {
                format!("`{text}`")
            }
        }
    }
}

impl<'s> Parser<'s> {
    fn peek(&self) -> Token {
        self.toks[self.pos]
    }

    fn bump(&mut self) -> Token {
        let t = self.toks[self.pos];
        if t.tok != Tok::Eof {
            self.pos += 1;
        }
        t
    }

    fn text(&self, t: &Token) -> &'s str {
        self.slice(t.offset, t.offset + t.len)
    }

    /// The snippet text between two snippet offsets.
    fn slice(&self, from: usize, to: usize) -> &'s str {
        &self.src[from - self.base..to - self.base]
    }

    fn is_kw(&self, t: &Token, kw: &str) -> bool {
        t.tok == Tok::Ident && self.text(t).eq_ignore_ascii_case(kw)
    }

    /// `t` with its offset relative to `src`.
    fn local(&self, t: Token) -> Token {
        Token { offset: t.offset - self.base, ..t }
    }

    /// The error for an unusable token: a lexer error explains itself, otherwise "expected X,
    /// found Y".
    fn err_at(&self, t: Token, expected: &str) -> SyntaxError {
        let message = match t.tok {
            Tok::Error(msg) => format!("{msg}: {}", describe(self.src, &self.local(t))),
            _ => format!("expected {expected}, found {}", describe(self.src, &self.local(t))),
        };
        SyntaxError { offset: t.offset, len: t.len, message, help: None }
    }

    fn err_help(&self, t: Token, expected: &str, help: &str) -> SyntaxError {
        let mut e = self.err_at(t, expected);
        if !matches!(t.tok, Tok::Error(_)) {
            e.help = Some(help.to_string());
        }
        e
    }

    fn skip_newlines(&mut self) {
        while self.peek().tok == Tok::Newline {
            self.pos += 1;
        }
    }

    fn expect(&mut self, tok: Tok, expected: &str) -> PResult<Token> {
        let t = self.peek();
        if t.tok == tok { Ok(self.bump()) } else { Err(self.err_at(t, expected)) }
    }

    fn enter(&mut self, at: Token) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(SyntaxError {
                offset: at.offset,
                len: at.len,
                message: format!("nesting too deep (more than {MAX_NESTING} levels)"),
                help: Some("split the snippet into simpler statements".into()),
            });
        }
        Ok(())
    }

    /// Statements until `}` (when `in_block`) or the end of the snippet.
    fn block_items(&mut self, in_block: bool) -> PResult<Vec<Stmt>> {
        let mut out = Vec::new();
        loop {
            self.skip_newlines();
            let t = self.peek();
            match t.tok {
                Tok::Eof if !in_block => return Ok(out),
                Tok::Eof => return Err(self.err_at(t, "`}` to close the block")),
                Tok::RBrace if in_block => return Ok(out),
                _ => {}
            }
            out.push(self.statement()?);
            // A statement ends at the end of its line; a block may close on the same line.
            let t = self.peek();
            match t.tok {
                Tok::Newline | Tok::Eof => {}
                Tok::RBrace if in_block => {}
                _ => {
                    return Err(self.err_help(
                        t,
                        "the end of the line",
                        "each statement goes on its own line; keywords begin a line",
                    ));
                }
            }
        }
    }

    /// `{ statements }`, with `{` on this line or the next.
    fn block(&mut self, after: &str) -> PResult<Vec<Stmt>> {
        if self.peek().tok == Tok::Newline {
            self.pos += 1;
        }
        let open = self.peek();
        if open.tok != Tok::LBrace {
            return Err(self.err_help(
                open,
                &format!("`{{` to open the block after {after}"),
                "blocks always need braces; `{` may be on the same line or the next",
            ));
        }
        self.bump();
        self.enter(open)?;
        let body = self.block_items(true)?;
        self.depth -= 1;
        self.expect(Tok::RBrace, "`}`")?;
        Ok(body)
    }

    fn name(&mut self, expected: &str) -> PResult<Name> {
        let t = self.peek();
        if t.tok != Tok::Ident || is_reserved(self.text(&t)) {
            return Err(self.err_at(t, expected));
        }
        self.bump();
        Ok(Name { text: self.text(&t).to_string(), offset: t.offset, len: t.len })
    }

    fn statement(&mut self) -> PResult<Stmt> {
        let t = self.peek();
        let start = t.offset;
        let kind = if t.tok != Tok::Ident {
            return Err(self.err_at(t, STATEMENT_START));
        } else {
            let word = self.text(&t).to_ascii_uppercase();
            match word.as_str() {
                "ASSIGN" => {
                    self.bump();
                    self.assignment()?
                }
                "DYNAMIC" => {
                    self.bump();
                    let name = self.name("a name after DYNAMIC")?;
                    let value = if self.peek().tok == Tok::Assign {
                        self.bump();
                        Some(self.expr()?)
                    } else {
                        None
                    };
                    StmtKind::Dynamic { name, value }
                }
                "IF" => {
                    self.bump();
                    let cond = self.expr()?;
                    let then = self.block("the IF condition")?;
                    // ELSE may follow `}` on the same line or on the next one.
                    let save = self.pos;
                    self.skip_newlines();
                    let els = if self.is_kw(&self.peek(), "ELSE") {
                        self.bump();
                        if self.is_kw(&self.peek(), "IF") {
                            // The decision-making help: no multiple ELSE; nest an IF in ELSE.
                            return Err(self.err_help(
                                self.peek(),
                                "`{` after ELSE",
                                "there is no ELSE IF: nest an IF inside the ELSE block",
                            ));
                        }
                        self.block("ELSE")?
                    } else {
                        self.pos = save;
                        Vec::new()
                    };
                    StmtKind::If { cond, then, els }
                }
                "SWITCH" => {
                    self.bump();
                    let subject = self.expr()?;
                    let (cases, default) = self.case_block("SWITCH")?;
                    StmtKind::Switch { subject, cases, default }
                }
                "SELECT" => {
                    self.bump();
                    let (cases, default) = self.case_block("SELECT")?;
                    StmtKind::Select { cases, default }
                }
                "FOR" => {
                    self.bump();
                    let var = self.name("the loop variable name after FOR")?;
                    self.expect(Tok::Assign, "`=` after the FOR variable")?;
                    let from = self.expr()?;
                    let to_kw = self.peek();
                    if !self.is_kw(&to_kw, "TO") {
                        return Err(self.err_at(to_kw, "TO"));
                    }
                    self.bump();
                    let to = self.expr()?;
                    let step = if self.is_kw(&self.peek(), "STEP") {
                        self.bump();
                        Some(self.expr()?)
                    } else {
                        None
                    };
                    self.loops += 1;
                    let body = self.block("FOR … TO …")?;
                    self.loops -= 1;
                    StmtKind::For { var, from, to, step, body }
                }
                "FOREACH" => {
                    self.bump();
                    let var = self.name("the element variable name after FOREACH")?;
                    let in_kw = self.peek();
                    if !self.is_kw(&in_kw, "IN") {
                        return Err(self.err_at(in_kw, "IN"));
                    }
                    self.bump();
                    let array = self.expr()?;
                    self.loops += 1;
                    let body = self.block("FOREACH … IN …")?;
                    self.loops -= 1;
                    StmtKind::ForEach { var, array, body }
                }
                "WHILE" => {
                    self.bump();
                    let cond = self.expr()?;
                    self.loops += 1;
                    let body = self.block("the WHILE condition")?;
                    self.loops -= 1;
                    StmtKind::While { cond, body }
                }
                "FUNCTION" => {
                    if self.funcs > 0 {
                        return Err(self.err_help(
                            t,
                            STATEMENT_START,
                            "define functions at the top level of the snippet, not inside another FUNCTION",
                        ));
                    }
                    self.bump();
                    let name = self.name("a function name after FUNCTION")?;
                    let mut params = Vec::new();
                    if self.peek().tok == Tok::LParen {
                        let open = self.bump();
                        self.enter(open)?;
                        if self.peek().tok != Tok::RParen {
                            loop {
                                params.push(self.name("a parameter name")?);
                                if self.peek().tok == Tok::Comma {
                                    self.bump();
                                } else {
                                    break;
                                }
                            }
                        }
                        self.depth -= 1;
                        self.expect(Tok::RParen, "`,` or `)` after a parameter")?;
                    }
                    let (loops, funcs) = (self.loops, self.funcs);
                    self.loops = 0;
                    self.funcs += 1;
                    let body = self.block("the FUNCTION head")?;
                    (self.loops, self.funcs) = (loops, funcs);
                    StmtKind::Function { name, params, body }
                }
                "RETURN" => {
                    self.bump();
                    let value = match self.peek().tok {
                        Tok::Newline | Tok::Eof | Tok::RBrace => None,
                        _ => Some(self.expr()?),
                    };
                    StmtKind::Return(value)
                }
                "USES" => {
                    // `USES "proxy.dll"`: a web service proxy; nothing to model, calls through it
                    // are external and yield unknown values.
                    self.bump();
                    while !matches!(self.peek().tok, Tok::Newline | Tok::Eof | Tok::RBrace) {
                        self.bump();
                    }
                    let end = self.toks[self.pos - 1].offset + self.toks[self.pos - 1].len;
                    let message =
                        "USES (web service proxy) is not modelled; calls through it yield unknown values";
                    self.warnings.push(Warning { offset: start, len: end - start, message: message.into() });
                    StmtKind::Unmodelled(message.into())
                }
                "BREAK" => {
                    if self.loops == 0 {
                        return Err(SyntaxError {
                            offset: t.offset,
                            len: t.len,
                            message: "BREAK outside a FOR, FOREACH or WHILE loop".into(),
                            help: Some("BREAK leaves the innermost loop; there is none here".into()),
                        });
                    }
                    self.bump();
                    StmtKind::Break
                }
                "TRACE" => {
                    self.bump();
                    StmtKind::Trace(self.expr()?)
                }
                "ELSE" => {
                    return Err(self.err_help(
                        t,
                        STATEMENT_START,
                        "ELSE must follow the `}` that closes an IF block",
                    ));
                }
                "CASE" | "DEFAULT" => {
                    return Err(self.err_help(
                        t,
                        STATEMENT_START,
                        "CASE and DEFAULT belong inside a SWITCH or SELECT block",
                    ));
                }
                _ if is_reserved(&word) => return Err(self.err_at(t, STATEMENT_START)),
                _ => self.assignment_or_call()?,
            }
        };
        let end = self.toks[self.pos.saturating_sub(1)].offset + self.toks[self.pos.saturating_sub(1)].len;
        let line_end = self
            .slice(start, self.base + self.src.len())
            .find('\n')
            .map_or(self.base + self.src.len(), |n| start + n);
        let end = end.min(line_end).max(start);
        Ok(Stmt { kind, offset: start, len: end - start })
    }

    /// A line starting with a name: an assignment (`x = …`, `obj.a[2].b = …`) or a call
    /// statement (`f(x)`, `proxy.MakeRestRequest(…)`).
    fn assignment_or_call(&mut self) -> PResult<StmtKind> {
        let save = self.pos;
        let next = self.toks.get(self.pos + 1).map(|t| t.tok);
        if next == Some(Tok::LParen) || next == Some(Tok::Dot) {
            // Decide by parsing as an expression: a call ends the statement, anything else is
            // re-read as an assignment target.
            let e = self.expr();
            if let Ok(e) = e
                && matches!(e.kind, ExprKind::Call { .. })
                && matches!(self.peek().tok, Tok::Newline | Tok::Eof | Tok::RBrace)
            {
                return Ok(StmtKind::Call(e));
            }
            self.pos = save;
            self.depth = self.depth.min(MAX_NESTING);
        }
        self.assignment()
    }

    fn assignment(&mut self) -> PResult<StmtKind> {
        let target = self.name("a variable name to assign to")?;
        let mut members = Vec::new();
        let mut index = None;
        loop {
            match self.peek().tok {
                Tok::Dot => {
                    self.bump();
                    let m = self.peek();
                    if m.tok != Tok::Ident {
                        return Err(self.err_at(m, "a member name after `.`"));
                    }
                    self.bump();
                    if let Some(i) = index.take() {
                        members.push(Seg::Index(i));
                    }
                    members.push(Seg::Member(self.text(&m).to_string()));
                }
                Tok::LBracket => {
                    let open = self.bump();
                    self.enter(open)?;
                    let i = self.expr()?;
                    self.depth -= 1;
                    self.expect(Tok::RBracket, "`]`")?;
                    if let Some(prev) = index.replace(i) {
                        members.push(Seg::Index(prev));
                    }
                }
                _ => break,
            }
            if members.len() > MAX_NESTING {
                let t = self.peek();
                return Err(self.err_at(t, "`=` (member path too long)"));
            }
        }
        let eq = self.peek();
        if eq.tok != Tok::Assign {
            return Err(self.err_help(
                eq,
                &format!("`=` after `{}`", target.text),
                "an assignment is `name = value` (or `ASSIGN name = value`)",
            ));
        }
        self.bump();
        let value = self.expr()?;
        Ok(StmtKind::Assign { target, members, index, value })
    }

    /// `{ CASE v { } … DEFAULT { } }` of a SWITCH or SELECT.
    #[allow(clippy::type_complexity)]
    fn case_block(&mut self, what: &str) -> PResult<(Vec<(Expr, Vec<Stmt>)>, Option<Vec<Stmt>>)> {
        if self.peek().tok == Tok::Newline {
            self.pos += 1;
        }
        let open = self.expect(Tok::LBrace, &format!("`{{` to open the {what} block"))?;
        self.enter(open)?;
        let mut cases = Vec::new();
        let mut default = None;
        loop {
            self.skip_newlines();
            let t = self.peek();
            if t.tok == Tok::RBrace {
                self.bump();
                break;
            }
            if self.is_kw(&t, "CASE") {
                if default.is_some() {
                    return Err(self.err_help(
                        t,
                        "`}` (DEFAULT is the last arm)",
                        "put DEFAULT after every CASE",
                    ));
                }
                self.bump();
                let v = self.expr()?;
                let body = self.block("CASE")?;
                cases.push((v, body));
            } else if self.is_kw(&t, "DEFAULT") {
                if default.is_some() {
                    return Err(self.err_at(t, &format!("`}}` (a {what} has one DEFAULT)")));
                }
                self.bump();
                default = Some(self.block("DEFAULT")?);
            } else {
                return Err(self.err_at(t, &format!("CASE, DEFAULT or `}}` inside {what}")));
            }
        }
        self.depth -= 1;
        Ok((cases, default))
    }

    // ---- expressions, lowest precedence first ----

    pub fn expr(&mut self) -> PResult<Expr> {
        self.binary_level(0)
    }

    fn binary_level(&mut self, level: usize) -> PResult<Expr> {
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut lhs = self.binary_level(level + 1)?;
        loop {
            let t = self.peek();
            let Some(op) = LEVELS[level].iter().find(|(k, _)| *k == t.tok).map(|&(_, op)| op) else {
                return Ok(lhs);
            };
            self.bump();
            let rhs = self.binary_level(level + 1)?;
            lhs = self.node(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), t)?;
        }
    }

    /// Build a composite node spanning its children; enforce the height limit.
    fn node(&self, kind: ExprKind, op: Token) -> PResult<Expr> {
        let (mut lo, mut hi, mut h) = (op.offset, op.offset + op.len, 0);
        let mut see = |e: &Expr| {
            lo = lo.min(e.offset);
            hi = hi.max(e.offset + e.len);
            h = h.max(e.height);
        };
        match &kind {
            ExprKind::Unary(_, e) | ExprKind::Member(e, _) => see(e),
            ExprKind::Binary(_, a, b) | ExprKind::Index(a, b) => {
                see(a);
                see(b)
            }
            ExprKind::Call { args, .. } => args.iter().for_each(see),
            _ => {}
        }
        if h >= MAX_EXPR_HEIGHT {
            return Err(SyntaxError {
                offset: op.offset,
                len: op.len,
                message: format!("expression too complex (more than {MAX_EXPR_HEIGHT} operators deep)"),
                help: Some("split it into several assignments".into()),
            });
        }
        Ok(Expr { kind, offset: lo, len: hi - lo, height: h + 1 })
    }

    fn unary(&mut self) -> PResult<Expr> {
        let t = self.peek();
        let op = match t.tok {
            Tok::Bang => UnOp::Not,
            Tok::Minus => UnOp::Neg,
            _ => return self.power(),
        };
        self.bump();
        self.enter(t)?;
        let e = self.unary()?;
        self.depth -= 1;
        self.node(ExprKind::Unary(op, Box::new(e)), t)
    }

    /// `a ^ b` binds tighter than unary minus' operand list and is right-associative.
    fn power(&mut self) -> PResult<Expr> {
        let base = self.postfix()?;
        let t = self.peek();
        if t.tok != Tok::Caret {
            return Ok(base);
        }
        self.bump();
        self.enter(t)?;
        let exp = self.unary()?;
        self.depth -= 1;
        self.node(ExprKind::Binary(BinOp::Pow, Box::new(base), Box::new(exp)), t)
    }

    fn postfix(&mut self) -> PResult<Expr> {
        let mut e = self.primary()?;
        loop {
            let t = self.peek();
            match t.tok {
                Tok::Dot => {
                    self.bump();
                    let m = self.peek();
                    if m.tok != Tok::Ident {
                        return Err(self.err_at(m, "a member or function name after `.`"));
                    }
                    self.bump();
                    let name = self.text(&m).to_string();
                    if self.peek().tok == Tok::LParen {
                        let mut args = vec![e];
                        self.call_args(&mut args, &name)?;
                        e =
                            self.node(ExprKind::Call { name, args, method: true }, self.toks[self.pos - 1])?;
                    } else {
                        e = self.node(ExprKind::Member(Box::new(e), name), m)?;
                    }
                }
                Tok::LBracket => {
                    self.bump();
                    self.enter(t)?;
                    let i = self.expr()?;
                    self.depth -= 1;
                    let close = self.expect(Tok::RBracket, "`]` to close the index")?;
                    e = self.node(ExprKind::Index(Box::new(e), Box::new(i)), close)?;
                }
                _ => return Ok(e),
            }
        }
    }

    /// `( args )` — appends to `args`.
    fn call_args(&mut self, args: &mut Vec<Expr>, name: &str) -> PResult<()> {
        let open = self.peek();
        if open.tok != Tok::LParen {
            return Err(self.err_help(
                open,
                &format!("`(` after `{name}`"),
                "functions are called with parentheses, e.g. `x.length()`",
            ));
        }
        self.bump();
        self.enter(open)?;
        self.skip_newlines();
        if self.peek().tok != Tok::RParen {
            loop {
                args.push(self.expr()?);
                self.skip_newlines();
                if self.peek().tok == Tok::Comma {
                    self.bump();
                    self.skip_newlines();
                } else {
                    break;
                }
            }
        }
        self.depth -= 1;
        self.expect(Tok::RParen, "`,` or `)` in the argument list")?;
        Ok(())
    }

    fn primary(&mut self) -> PResult<Expr> {
        let t = self.peek();
        let leaf = |kind| Expr { kind, offset: t.offset, len: t.len, height: 1 };
        match t.tok {
            Tok::Number => {
                self.bump();
                Ok(leaf(ExprKind::Num(self.text(&t).to_string())))
            }
            Tok::Str => {
                self.bump();
                let body = self.slice(t.offset + 1, t.offset + t.len - 1);
                Ok(leaf(ExprKind::Str(split_template(body, t.offset + 1))))
            }
            Tok::EscStr => {
                self.bump();
                // Escapes first, then `{…}`; offsets inside are approximate (escapes shift them).
                let body = unescape(self.slice(t.offset + 2, t.offset + t.len - 1));
                let parts = split_template(&body, t.offset + 2)
                    .into_iter()
                    .map(|p| match p {
                        Part::Var { name, .. } => Part::Var { name, offset: t.offset, len: t.len },
                        other => other,
                    })
                    .collect();
                Ok(leaf(ExprKind::Str(parts)))
            }
            Tok::Date => {
                self.bump();
                let body = self.slice(t.offset + 1, t.offset + t.len - 1).trim().to_string();
                Ok(leaf(ExprKind::Str(vec![Part::Text(body)])))
            }
            Tok::Ident if !is_reserved(self.text(&t)) => {
                self.bump();
                let name = self.text(&t).to_string();
                if self.peek().tok == Tok::LParen && !name.contains(':') {
                    let mut args = Vec::new();
                    self.call_args(&mut args, &name)?;
                    let close = self.toks[self.pos - 1];
                    let mut e = self.node(ExprKind::Call { name, args, method: false }, close)?;
                    e.len = close.offset + close.len - t.offset;
                    e.offset = t.offset;
                    Ok(e)
                } else {
                    Ok(leaf(ExprKind::Var(name)))
                }
            }
            Tok::LParen => {
                self.bump();
                self.enter(t)?;
                let e = self.expr()?;
                self.depth -= 1;
                self.expect(Tok::RParen, "`)` or an operator")?;
                Ok(e)
            }
            _ => Err(self.err_at(t, "a value (number, string, variable, function call or `(`)")),
        }
    }
}

/// Binary operators by precedence level, lowest first (`^` is handled above unary minus).
const LEVELS: [&[(Tok, BinOp)]; 5] = [
    &[(Tok::Pipe, BinOp::Or)],
    &[(Tok::Amp, BinOp::And)],
    &[
        (Tok::Assign, BinOp::Eq),
        (Tok::EqEq, BinOp::Eq),
        (Tok::Ne, BinOp::Ne),
        (Tok::Lt, BinOp::Lt),
        (Tok::Gt, BinOp::Gt),
        (Tok::Le, BinOp::Le),
        (Tok::Ge, BinOp::Ge),
    ],
    &[(Tok::Plus, BinOp::Add), (Tok::Minus, BinOp::Sub)],
    &[
        (Tok::Star, BinOp::Mul),
        (Tok::Slash, BinOp::Div),
        (Tok::Percent, BinOp::Mod),
        (Tok::Backslash, BinOp::IntDiv),
    ],
];

/// Keywords cannot be variable names.
pub fn is_reserved(word: &str) -> bool {
    const KW: [&str; 19] = [
        "ASSIGN", "IF", "ELSE", "SWITCH", "SELECT", "CASE", "DEFAULT", "FOR", "TO", "FOREACH", "IN", "WHILE",
        "BREAK", "TRACE", "DYNAMIC", "FUNCTION", "RETURN", "USES", "STEP",
    ];
    KW.iter().any(|k| k.eq_ignore_ascii_case(word))
}
