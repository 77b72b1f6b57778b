//! Load errors: everything that stops a script (or tenant / traffic file) from loading.
//!
//! Each error carries a stable code, a message (what), labelled spans (where and why) and
//! help (what to do); they render with miette as file:line:column plus the source excerpt.
//! All errors of a file are collected and reported at once ([`LoadErrors`]).

use miette::{Diagnostic, LabeledSpan, Severity};
use std::fmt;

use super::span::{Source, Span};

/// Stable kinds of load error; the code shown is `load::<kebab-name>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LoadErrorKind {
    /// The file could not be read (missing path, permission, a directory).
    Io,
    /// Too large to load.
    TooLarge,
    /// Not UTF-8 text.
    NotUtf8,
    /// Empty file, or no content.
    Empty,
    /// YAML / JSON syntax error, or a structure limit (nesting depth, alias expansion).
    Syntax,
    /// A value of the wrong shape (a list where a string belongs, a missing required key).
    WrongType,
    /// A key the format does not have (top level, action level).
    UnknownKey,
    DuplicateId,
    DanglingBranch,
    MissingBegin,
    DuplicateBegin,
    DuplicateEvent,
    InvalidProperty,
    TooManyParameters,
    InvalidBranch,
    SnippetSyntax,
    /// A Snippet construct recflow reads but does not model (warning; unknown values at run
    /// time), or a call of a function nobody defines (warning with a suggestion).
    SnippetUnmodelled,
    /// A RUNSUB / RUNSCRIPT / SPAWN `ScriptName` that names no script recflow can find.
    UnknownScript,
    /// Tenant / traffic validation.
    InvalidConfig,
    /// Warning: an action type the catalogue (docs/actions.md) does not list.
    UnknownType,
    /// Warning: a branch name the action's CXone help does not list.
    UnknownBranch,
    /// Warning: a typed property holding a `{var}` template (resolved only at run time).
    TemplatedValue,
    /// Warning: an IF `Expression` recflow cannot evaluate (traffic-weighted branch).
    IfUnmodelled,
    /// Warning: a property the action's CXone help page does not list (catalogue entries
    /// whose property list was read from the page only).
    UnknownProperty,
}

impl LoadErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            LoadErrorKind::Io => "load::io",
            LoadErrorKind::TooLarge => "load::too-large",
            LoadErrorKind::NotUtf8 => "load::not-utf8",
            LoadErrorKind::Empty => "load::empty",
            LoadErrorKind::Syntax => "load::syntax",
            LoadErrorKind::WrongType => "load::wrong-type",
            LoadErrorKind::UnknownKey => "load::unknown-key",
            LoadErrorKind::DuplicateId => "load::duplicate-id",
            LoadErrorKind::DanglingBranch => "load::dangling-branch",
            LoadErrorKind::MissingBegin => "load::missing-begin",
            LoadErrorKind::DuplicateBegin => "load::duplicate-begin",
            LoadErrorKind::DuplicateEvent => "load::duplicate-event",
            LoadErrorKind::InvalidProperty => "load::invalid-property",
            LoadErrorKind::TooManyParameters => "load::too-many-parameters",
            LoadErrorKind::InvalidBranch => "load::invalid-branch",
            LoadErrorKind::SnippetSyntax => "load::snippet-syntax",
            LoadErrorKind::SnippetUnmodelled => "load::snippet-unmodelled",
            LoadErrorKind::UnknownScript => "load::unknown-script",
            LoadErrorKind::InvalidConfig => "load::invalid-config",
            LoadErrorKind::UnknownType => "load::unknown-type",
            LoadErrorKind::UnknownBranch => "load::unknown-branch",
            LoadErrorKind::TemplatedValue => "load::templated-value",
            LoadErrorKind::IfUnmodelled => "load::if-unmodelled",
            LoadErrorKind::UnknownProperty => "load::unknown-property",
        }
    }
}

/// One load error. Build with [`LoadError::new`] and the `with_*` methods.
#[derive(Clone, Debug)]
pub struct LoadError {
    pub kind: LoadErrorKind,
    pub message: String,
    /// `None` for errors with no text to point at (e.g. a missing file).
    pub source: Option<Source>,
    /// The first label is primary.
    pub labels: Vec<(Span, String)>,
    pub help: Option<String>,
    pub severity: Severity,
}

impl LoadError {
    pub fn new(kind: LoadErrorKind, message: impl Into<String>) -> Self {
        LoadError {
            kind,
            message: message.into(),
            source: None,
            labels: Vec::new(),
            help: None,
            severity: Severity::Error,
        }
    }

    pub fn with_source(mut self, source: &Source) -> Self {
        self.source = Some(source.clone());
        self
    }

    /// Add a label; the first one added is the primary label.
    pub fn with_label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push((span, text.into()));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// `file:line:column` of the primary label (or just the file name).
    pub fn location(&self) -> String {
        match (&self.source, self.labels.first()) {
            (Some(src), Some((span, _))) => {
                let (l, c) = src.line_col(span.offset);
                format!("{}:{l}:{c}", src.name)
            }
            (Some(src), None) => src.name.to_string(),
            (None, _) => String::new(),
        }
    }

    /// 1-based line and column of the primary label, if any.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let src = self.source.as_ref()?;
        let (span, _) = self.labels.first()?;
        Some(src.line_col(span.offset))
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LoadError {}

impl Diagnostic for LoadError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| &s.text as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.source.is_none() || self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().enumerate().map(|(i, (span, text))| {
            let text = (!text.is_empty()).then(|| text.clone());
            if i == 0 {
                LabeledSpan::new_primary_with_span(text, *span)
            } else {
                LabeledSpan::new_with_span(text, *span)
            }
        })))
    }
}

/// All load errors of one file, reported together.
#[derive(Clone, Debug)]
pub struct LoadErrors {
    pub errors: Vec<LoadError>,
}

/// Warnings of one kind and one cause (same code, help and primary label text) beyond this many
/// are printed once, with a line counting the others (issue 21: 5 000 actions of one unknown
/// type printed 5 000 full reports, ~1 minute). JSON and SARIF keep every one.
pub const GROUP_WARNINGS_AFTER: usize = 3;

/// `warnings` grouped by kind and cause, in order of first appearance: each group's first
/// warning and the others like it.
pub fn group_warnings(warnings: &[LoadError]) -> Vec<(&LoadError, Vec<&LoadError>)> {
    let key = |w: &LoadError| {
        let name = w.source.as_ref().map(|s| s.name.to_string());
        (w.kind.code(), name, w.help.clone(), w.labels.first().map(|(_, t)| t.clone()))
    };
    let mut at: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    let mut groups: Vec<(&LoadError, Vec<&LoadError>)> = Vec::new();
    for w in warnings {
        match at.entry(key(w)) {
            std::collections::hash_map::Entry::Occupied(e) => groups[*e.get()].1.push(w),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(groups.len());
                groups.push((w, Vec::new()));
            }
        }
    }
    groups
}

/// Width meaning "do not wrap" (output that is not a terminal, with `COLUMNS` unset).
pub const NO_WRAP: usize = usize::MAX;

/// miette's graphical handler as recflow uses it: messages and help wrapped at `width` at
/// spaces only, never inside a word, so a path (`scripts/tenant-consent-gdpr.yaml:20:11`), a
/// command or code stays on one line whole (issue 24); [`NO_WRAP`] does not wrap at all.
pub fn report_handler(theme: miette::GraphicalTheme, width: usize) -> miette::GraphicalReportHandler {
    miette::GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_wrap_lines(width != NO_WRAP)
        .with_break_words(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
}

impl LoadErrors {
    pub fn one(e: LoadError) -> Self {
        LoadErrors { errors: vec![e] }
    }

    /// Render every error as miette would (graphical, no colour) at the given width:
    /// the form used in tests and when stderr is not a terminal.
    pub fn render_plain(&self, width: usize) -> String {
        let handler = report_handler(miette::GraphicalTheme::unicode_nocolor(), width);
        let mut out = String::new();
        for e in &self.errors {
            let named = NamedErr(e);
            let _ = handler.render_report(&mut out, &named);
        }
        out
    }
}

impl From<LoadError> for LoadErrors {
    fn from(e: LoadError) -> Self {
        LoadErrors::one(e)
    }
}

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.errors.len() {
            1 => write!(f, "{}", self.errors[0]),
            n => write!(f, "{n} errors"),
        }
    }
}

impl std::error::Error for LoadErrors {}

/// Wraps a [`LoadError`] so that miette shows the file name: the source code is a
/// [`NamedSource`] built on the fly.
pub struct NamedErr<'a>(pub &'a LoadError);

impl fmt::Debug for NamedErr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
    }
}
impl fmt::Display for NamedErr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.0, f)
    }
}
impl std::error::Error for NamedErr<'_> {}

impl Diagnostic for NamedErr<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0.code()
    }
    fn severity(&self) -> Option<Severity> {
        self.0.severity()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0.help()
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.0.source.as_ref().map(|_| self as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        // A secondary label far from the primary one on a long line would widen the cropped
        // excerpt past what miette can lay out: leave it out (the message still says it all).
        let src = self.0.source.clone();
        let primary = self.0.labels.first().map(|(s, _)| s.offset);
        let labels = self.0.labels()?;
        Some(Box::new(labels.filter(move |l| {
            let (Some(src), Some(p)) = (&src, primary) else { return true };
            l.primary() || src.label_fits(p, l.offset())
        })))
    }
}

impl miette::SourceCode for NamedErr<'_> {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let src = self.0.source.as_ref().ok_or(miette::MietteError::OutOfBounds)?;
        src.read_span(span, context_lines_before, context_lines_after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 24: a diagnostic at 40 columns wraps at spaces only; a long hyphenated path stays
    /// on one line (miette's default split `scripts/tenant-consent-` / `gdpr…`), and
    /// [`NO_WRAP`] keeps the help on one line.
    #[test]
    fn diagnostics_never_split_paths() {
        let path = "scripts/tenant-consent-gdpr-recording-policy.yaml:20:11";
        let diag = miette::MietteDiagnostic::new("bad branch")
            .with_help(format!("the subscript at {path} and subscript/routing.yaml:20:11 both say so"));
        let mut out = String::new();
        report_handler(miette::GraphicalTheme::unicode_nocolor(), 40).render_report(&mut out, &diag).unwrap();
        assert!(out.lines().any(|l| l.trim_end().ends_with(path)), "{out}");
        assert!(out.contains("subscript/routing.yaml:20:11"), "{out}");
        assert!(out.lines().count() >= 4, "wrapped: {out}");
        let mut out = String::new();
        report_handler(miette::GraphicalTheme::unicode_nocolor(), NO_WRAP)
            .render_report(&mut out, &diag)
            .unwrap();
        assert!(out.contains(&format!("{path} and subscript/routing.yaml:20:11 both say so")), "{out}");
    }
}
