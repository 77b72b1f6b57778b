//! Snippet lexer: source text → flat token list (with byte offsets).
//!
//! Lexing never fails: a character that starts no token becomes a [`Tok::Error`] token, so the
//! parser reports it only when it reaches it and the reported error is always the *first* token
//! that cannot be parsed, in text order. Newlines are tokens because statements end at the end of
//! a line; `//` comments and other whitespace are dropped.

/// Token kinds. Text (identifier names, string bodies, number spellings) is sliced from the source
/// with the token's offset and length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    /// A name: `x`, `IF`, `Global:name` (one token, prefix included).
    Ident,
    /// `12`, `1.5` (no sign, no exponent).
    Number,
    /// `"..."` or `'...'`; the token spans both quotes.
    Str,
    /// `$"..."`: a string with backslash escapes (`\n`, `\t`, `\"`, `\\`); spans `$` to the quote.
    EscStr,
    /// `#2024-01-01#` (a date literal); spans both `#`.
    Date,
    Newline,
    Eof,
    LParen,
    RParen,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Plus,
    Minus,
    Star,
    Slash,
    /// `%` (modulo)
    Percent,
    /// `^` (power)
    Caret,
    /// `\` (integer division)
    Backslash,
    /// `=` (assignment at the start of a statement, comparison inside an expression).
    Assign,
    /// `==`
    EqEq,
    /// `!=` or `<>`
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    /// `&` or `&&`
    Amp,
    /// `|` or `||`
    Pipe,
    Bang,
    /// Something that is not a token; `msg` says what is wrong.
    Error(&'static str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub offset: usize,
    pub len: usize,
}

pub(crate) fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

pub(crate) fn is_ident_char(c: char) -> bool {
    // `$` may appear inside names (the functions help allows it), not at the start (`$"…"`).
    c == '_' || c == '$' || c.is_alphanumeric()
}

/// Length in bytes of an identifier at the start of `s` (0 when none). `Global:name` counts as
/// one identifier (the scope prefix is matched case-insensitively).
pub(crate) fn ident_len(s: &str) -> usize {
    let mut chars = s.char_indices();
    match chars.next() {
        Some((_, c)) if is_ident_start(c) => {}
        _ => return 0,
    }
    let end = s.find(|c: char| !is_ident_char(c)).unwrap_or(s.len());
    if end == 6 && s[..6].eq_ignore_ascii_case("global") && s[6..].starts_with(':') {
        let rest = &s[7..];
        if rest.chars().next().is_some_and(is_ident_start) {
            return 7 + rest.find(|c: char| !is_ident_char(c)).unwrap_or(rest.len());
        }
    }
    end
}

/// Tokenise `src`. The result always ends with exactly one [`Tok::Eof`].
pub fn lex(src: &str) -> Vec<Token> {
    let bytes = src.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 3 + 2);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        let two = |t: Tok| Token { tok: t, offset: start, len: 2 };
        let one = |t: Tok| Token { tok: t, offset: start, len: 1 };
        let next = bytes.get(i + 1).copied();
        let tok = match b {
            b' ' | b'\t' | b'\r' | 0x0c => {
                i += 1;
                continue;
            }
            b'\n' => one(Tok::Newline),
            b'/' if next == Some(b'/') => {
                // Comment to the end of the line; the newline itself stays a token.
                i = src[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'(' => one(Tok::LParen),
            b')' => one(Tok::RParen),
            b'{' => one(Tok::LBrace),
            b'}' => one(Tok::RBrace),
            b'[' => one(Tok::LBracket),
            b']' => one(Tok::RBracket),
            b',' => one(Tok::Comma),
            b'.' => one(Tok::Dot),
            b'+' => one(Tok::Plus),
            b'-' => one(Tok::Minus),
            b'*' => one(Tok::Star),
            b'%' => one(Tok::Percent),
            b'^' => one(Tok::Caret),
            b'\\' => one(Tok::Backslash),
            b'/' if next == Some(b'*') => {
                // Block comment; newlines inside it are kept so statements stay on their lines.
                let Some(n) = src[i + 2..].find("*/") else {
                    // Never closed: a syntax error at the `/*`, not a comment that silently
                    // swallows the rest of the program (issue 21, F16).
                    out.push(Token {
                        tok: Tok::Error("unterminated comment: expected a closing `*/`"),
                        offset: start,
                        len: 2,
                    });
                    i = bytes.len();
                    continue;
                };
                let end = i + 2 + n + 2;
                for (k, c) in src[i..end].char_indices() {
                    if c == '\n' {
                        out.push(Token { tok: Tok::Newline, offset: i + k, len: 1 });
                    }
                }
                i = end;
                continue;
            }
            b'/' => one(Tok::Slash),
            b'#' if next == Some(b'"') || next == Some(b'\'') => {
                // `#"{date} 8:00"` (the help's date-time text): the `#` only marks it as a date.
                i += 1;
                continue;
            }
            b'#' => match src[i + 1..].find(['#', '\n']) {
                Some(n) if bytes[i + 1 + n] == b'#' => Token { tok: Tok::Date, offset: start, len: n + 2 },
                _ => Token {
                    tok: Tok::Error("unterminated date: expected a closing `#`"),
                    offset: start,
                    len: 1,
                },
            },
            b'$' if next == Some(b'"') => {
                // Escaped string: a backslash escapes the next character, the closing quote included.
                let mut j = i + 2;
                let mut end = None;
                while j < bytes.len() && bytes[j] != b'\n' {
                    match bytes[j] {
                        b'\\' => j += 2,
                        b'"' => {
                            end = Some(j);
                            break;
                        }
                        _ => j += 1,
                    }
                }
                match end {
                    Some(e) => Token { tok: Tok::EscStr, offset: start, len: e + 1 - start },
                    None => Token {
                        tok: Tok::Error("unterminated string: expected a closing `\"` on the same line"),
                        offset: start,
                        len: 1,
                    },
                }
            }
            b'=' if next == Some(b'=') => two(Tok::EqEq),
            // `=>` / `=<`: the IF help page writes `TOTAL=>0` for "greater than or equal"
            // (help.nicecxone.com/Content/studio/actionscx/if/if.htm). Nothing else can follow
            // `=` with `>` or `<`, so reading them as `>=` / `<=` changes no valid snippet.
            b'=' if next == Some(b'>') => two(Tok::Ge),
            b'=' if next == Some(b'<') => two(Tok::Le),
            b'=' => one(Tok::Assign),
            b'!' if next == Some(b'=') => two(Tok::Ne),
            b'!' => one(Tok::Bang),
            b'<' if next == Some(b'>') => two(Tok::Ne),
            b'<' if next == Some(b'=') => two(Tok::Le),
            b'<' => one(Tok::Lt),
            b'>' if next == Some(b'=') => two(Tok::Ge),
            b'>' => one(Tok::Gt),
            b'&' if next == Some(b'&') => two(Tok::Amp),
            b'&' => one(Tok::Amp),
            b'|' if next == Some(b'|') => two(Tok::Pipe),
            b'|' => one(Tok::Pipe),
            b'"' | b'\'' => {
                // Strings end at the matching quote on the same line.
                let rest = &src[i + 1..];
                match rest.find([b as char, '\n']) {
                    Some(n) if rest.as_bytes()[n] == b => Token { tok: Tok::Str, offset: start, len: n + 2 },
                    _ => Token {
                        tok: Tok::Error(if b == b'"' {
                            "unterminated string: expected a closing `\"` on the same line"
                        } else {
                            "unterminated string: expected a closing `'` on the same line"
                        }),
                        offset: start,
                        len: 1,
                    },
                }
            }
            b'0'..=b'9' => {
                let mut j = i;
                while j < bytes.len() && bytes[j].is_ascii_digit() {
                    j += 1;
                }
                if j + 1 < bytes.len() && bytes[j] == b'.' && bytes[j + 1].is_ascii_digit() {
                    j += 1;
                    while j < bytes.len() && bytes[j].is_ascii_digit() {
                        j += 1;
                    }
                }
                Token { tok: Tok::Number, offset: start, len: j - i }
            }
            _ => {
                let n = ident_len(&src[i..]);
                if n > 0 {
                    Token { tok: Tok::Ident, offset: start, len: n }
                } else {
                    let clen = src[i..].chars().next().map_or(1, char::len_utf8);
                    Token { tok: Tok::Error("unexpected character"), offset: start, len: clen }
                }
            }
        };
        i += tok.len;
        out.push(tok);
    }
    out.push(Token { tok: Tok::Eof, offset: src.len(), len: 0 });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Tok> {
        lex(s).into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn global_prefix_is_one_identifier() {
        let t = lex("GLOBAL:_id = x");
        assert_eq!((t[0].tok, t[0].len), (Tok::Ident, 10));
        assert_eq!(
            kinds("global: x"),
            vec![Tok::Ident, Tok::Error("unexpected character"), Tok::Ident, Tok::Eof]
        );
    }

    #[test]
    fn operators_and_comments() {
        assert_eq!(
            kinds("a <> b // c\n<= >= != == &&"),
            vec![
                Tok::Ident,
                Tok::Ne,
                Tok::Ident,
                Tok::Newline,
                Tok::Le,
                Tok::Ge,
                Tok::Ne,
                Tok::EqEq,
                Tok::Amp,
                Tok::Eof
            ]
        );
    }

    /// Issue 21 F16: `/* never closed` is an error token, and closed comments still vanish.
    #[test]
    fn unterminated_block_comment_is_an_error() {
        assert_eq!(
            kinds("a = 1 /* never closed\nb = 2"),
            vec![
                Tok::Ident,
                Tok::Assign,
                Tok::Number,
                Tok::Error("unterminated comment: expected a closing `*/`"),
                Tok::Eof
            ]
        );
        assert_eq!(kinds("a /* x\n */ b"), vec![Tok::Ident, Tok::Newline, Tok::Ident, Tok::Eof]);
    }

    #[test]
    fn numbers_and_strings() {
        let t = lex("1.5.x 'a\"b' \"x");
        assert_eq!(t[0].len, 3);
        assert_eq!(t[1].tok, Tok::Dot);
        assert_eq!((t[3].tok, t[3].len), (Tok::Str, 5));
        assert!(matches!(t[4].tok, Tok::Error(_)));
    }
}
