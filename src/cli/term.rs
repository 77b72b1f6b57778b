//! The terminal: colour and width, decided once (in [`Term::detect`], before any work) and then
//! only read; load errors and warnings rendered on stderr; stdout written so that a closed pipe
//! surfaces as `BrokenPipe` (which `main` treats as success).
//!
//! Colour follows `--color` (`auto` by default) and <https://no-color.org>: under `auto`,
//! `NO_COLOR` set (to anything) turns it off, and otherwise each stream is coloured only when it
//! is a terminal, so tests and pipes get plain text; `always` / `never` override both.
//!
//! Width (issue 24): `COLUMNS` when set to a positive number, else the terminal's width for a
//! stream that is a terminal, else no wrapping at all (a pipe or a CI log keeps every line
//! whole, for grep and copy-paste). Wrapping is at spaces only: never inside a path, a command
//! or code, and never at a hyphen.

use std::io::{IsTerminal, Write};

use super::args::ColorChoice;
use crate::script::{LoadError, LoadErrors};
use crate::source::error::GROUP_WARNINGS_AFTER;

/// Width library callers and tests render diagnostics at (wide enough that paths and messages
/// rarely wrap).
pub const WIDTH: usize = 100;

pub use crate::source::error::NO_WRAP;

/// How recflow writes to the terminal, decided once per run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    /// Colour lint findings on stdout.
    pub stdout_color: bool,
    /// Colour load errors and warnings on stderr.
    pub stderr_color: bool,
    /// stderr is a terminal: long runs may draw a progress bar there (colour or not).
    pub stderr_tty: bool,
    /// Width lint findings and other wrapped stdout text are rendered at ([`NO_WRAP`] when
    /// stdout is not a terminal and `COLUMNS` is unset).
    pub width: usize,
    /// Width load errors and warnings on stderr are rendered at (same rule, for stderr).
    pub stderr_width: usize,
}

impl Term {
    /// Apply `--color` to what the environment says: `NO_COLOR` and which streams are terminals.
    pub fn detect(choice: ColorChoice) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some();
        let (stdout_tty, stderr_tty) = (std::io::stdout().is_terminal(), std::io::stderr().is_terminal());
        let columns = std::env::var("COLUMNS").ok();
        let size = |tty: bool, of: &dyn Fn() -> Option<(terminal_size::Width, terminal_size::Height)>| {
            if tty { of().map(|(w, _)| w.0 as usize) } else { None }
        };
        let stdout_size = size(stdout_tty, &|| terminal_size::terminal_size_of(std::io::stdout()));
        let stderr_size = size(stderr_tty, &|| terminal_size::terminal_size_of(std::io::stderr()));
        Term {
            width: wrap_width(columns.as_deref(), stdout_size),
            stderr_width: wrap_width(columns.as_deref(), stderr_size),
            ..Self::decide(choice, no_color, stdout_tty, stderr_tty)
        }
    }

    /// The decision itself, apart from the environment (unit-tested).
    fn decide(choice: ColorChoice, no_color: bool, stdout_tty: bool, stderr_tty: bool) -> Self {
        let color = |tty: bool| match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        Term {
            stdout_color: color(stdout_tty),
            stderr_color: color(stderr_tty),
            stderr_tty,
            width: NO_WRAP,
            stderr_width: NO_WRAP,
        }
    }

    /// Plain text everywhere, no progress bar (what a pipe gets).
    pub fn plain() -> Self {
        Term {
            stdout_color: false,
            stderr_color: false,
            stderr_tty: false,
            width: NO_WRAP,
            stderr_width: NO_WRAP,
        }
    }

    /// Load errors (or warnings) as text: miette's graphical report when stderr is coloured,
    /// else the plain `file:line:column` rendering.
    fn render(&self, errs: &LoadErrors) -> String {
        if self.stderr_color {
            let handler =
                crate::source::error::report_handler(miette::GraphicalTheme::unicode(), self.stderr_width);
            let mut out = String::new();
            for e in &errs.errors {
                let _ = handler.render_report(&mut out, &crate::source::NamedErr(e));
            }
            out
        } else {
            errs.render_plain(self.stderr_width)
        }
    }

    /// Print load errors to stderr; more than one ends with a line counting them.
    pub fn load_errors(&self, errs: &LoadErrors) {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(terminal_safe(&self.render(errs), self.stderr_color).as_bytes());
        if errs.errors.len() > 1 {
            let _ = writeln!(err, "recflow: {} errors; nothing was loaded", errs.errors.len());
        }
    }

    /// Print warnings to stderr, rendered like load errors (nothing when there are none).
    /// Warnings of one kind and cause past [`GROUP_WARNINGS_AFTER`] are shown once, then
    /// counted: `… and 4 999 more like this (load::unknown-type), the next at a.yaml:20:11`.
    pub fn warnings(&self, warnings: &[LoadError]) {
        if warnings.is_empty() {
            return;
        }
        let mut text = String::new();
        for (first, more) in crate::source::error::group_warnings(warnings) {
            let shown = if more.len() > GROUP_WARNINGS_AFTER { 0 } else { more.len() };
            let errors = std::iter::once(first).chain(more[..shown].iter().copied()).cloned().collect();
            text.push_str(&self.render(&LoadErrors { errors }));
            if let Some(next) = more.get(shown) {
                text.push_str(&format!(
                    "  … and {} more like this ({}), the next at {}; `lint --format json` lists every one\n",
                    more.len() - shown,
                    first.kind.code(),
                    next.location()
                ));
            }
        }
        let _ = std::io::stderr().lock().write_all(terminal_safe(&text, self.stderr_color).as_bytes());
    }
}

/// The width to wrap at: `COLUMNS` (`columns`) when it is a positive number, else the
/// terminal's width (`terminal`, `None` when the stream is not a terminal), else [`NO_WRAP`].
fn wrap_width(columns: Option<&str>, terminal: Option<usize>) -> usize {
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| w > 0)
        .or(terminal.filter(|&w| w > 0))
        .unwrap_or(NO_WRAP)
}

/// `text` wrapped at `width` columns at spaces only (never inside a word, so never inside a
/// path, a command or code, and never at a hyphen), each line after the first indented by
/// `indent`; [`NO_WRAP`] leaves it on one line.
pub fn wrap(text: &str, width: usize, first: &str, indent: &str) -> String {
    if width == NO_WRAP {
        return format!("{first}{text}");
    }
    let opts = textwrap::Options::new(width.max(first.len() + 1).max(indent.len() + 1))
        .initial_indent(first)
        .subsequent_indent(indent)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::fill(text, opts)
}

/// Text for a terminal, whatever a script put in it (issue 21, F11/F12): control characters
/// (C0 but newline and tab, DEL, C1) and the bidirectional overrides and isolates (U+202A-202E,
/// U+2066-2069, U+200E/200F, U+061C) are written as `\u{1b}` escapes, so a script's names,
/// phrases or excerpts cannot set the terminal title, clear the screen or reorder what a
/// reviewer reads. With `color`, recflow's own SGR colour sequences (`ESC [ digits ; m`) pass.
pub fn terminal_safe(text: &str, color: bool) -> std::borrow::Cow<'_, str> {
    fn unsafe_char(c: char) -> bool {
        (c.is_control() && c != '\n' && c != '\t') || crate::source::is_bidi_control(c)
    }
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' && color {
            // An SGR sequence (colour): ESC [ then digits and `;`, ending in `m`.
            let body = &rest[1..];
            if let Some(params) = body.strip_prefix('[') {
                let n = params.bytes().take_while(|b| b.is_ascii_digit() || *b == b';').count();
                if params.as_bytes().get(n) == Some(&b'm') {
                    out.push_str(&rest[..2 + n + 1]);
                    rest = &rest[2 + n + 1..];
                    continue;
                }
            }
        }
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

/// [`write_stdout`] for human-readable output: [`terminal_safe`] first.
pub fn write_human(text: &str, color: bool) -> std::io::Result<()> {
    write_stdout(&terminal_safe(text, color))
}

/// Write to stdout; a closed pipe surfaces as `BrokenPipe`, which `main` treats as success.
pub fn write_stdout(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 21 F11/F12: a script's control characters and bidi overrides never reach the
    /// terminal raw; recflow's own colours do.
    #[test]
    fn terminal_text_escapes_controls_and_bidi() {
        let hostile = "a\u{1b}]0;pwned\u{7}b\u{1b}[2Jc\u{202e}d\re\u{9b}f";
        let plain = terminal_safe(hostile, false);
        assert_eq!(plain, "a\\u{1b}]0;pwned\\u{7}b\\u{1b}[2Jc\\u{202e}d\\u{d}e\\u{9b}f");
        let colored = terminal_safe("\u{1b}[1;31merror\u{1b}[0m \u{1b}[2J", true);
        assert_eq!(colored, "\u{1b}[1;31merror\u{1b}[0m \\u{1b}[2J");
        assert!(matches!(terminal_safe("plain\n\ttext", false), std::borrow::Cow::Borrowed(_)));
    }

    /// Issue 24: COLUMNS wins, then the terminal; a pipe with COLUMNS unset does not wrap.
    #[test]
    fn width_from_columns_terminal_or_none() {
        assert_eq!(wrap_width(Some("40"), Some(120)), 40);
        assert_eq!(wrap_width(Some("junk"), Some(120)), 120);
        assert_eq!(wrap_width(Some("0"), None), NO_WRAP);
        assert_eq!(wrap_width(None, None), NO_WRAP);
    }

    /// Issue 24: wrapping breaks at spaces only, never at a hyphen or inside a path.
    #[test]
    fn wrap_keeps_paths_whole() {
        let text =
            "see scripts/tenant-consent-gdpr-recording.yaml:20:11 and subscript/routing.yaml:20:11 now";
        let wrapped = wrap(text, 30, "", "  ");
        assert!(wrapped.lines().count() >= 3, "{wrapped}");
        for word in text.split(' ') {
            assert!(
                wrapped.lines().any(|l| l.split_whitespace().any(|w| w == word)),
                "{word} split:\n{wrapped}"
            );
        }
        assert_eq!(wrap(text, NO_WRAP, "> ", ""), format!("> {text}"));
    }

    #[test]
    fn color_choice_overrides_no_color_and_ttys() {
        use ColorChoice::*;
        // auto: terminals only, NO_COLOR wins.
        assert!(Term::decide(Auto, false, true, true).stdout_color);
        assert!(!Term::decide(Auto, true, true, true).stdout_color);
        let t = Term::decide(Auto, false, false, true);
        assert!(!t.stdout_color && t.stderr_color);
        // always / never ignore both.
        let t = Term::decide(Always, true, false, false);
        assert!(t.stdout_color && t.stderr_color && !t.stderr_tty);
        let t = Term::decide(Never, false, true, true);
        assert!(!t.stdout_color && !t.stderr_color && t.stderr_tty);
    }
}
