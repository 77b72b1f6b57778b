//! Spans and sources: where a value came from, and how to turn that into file:line:column.
//!
//! Input: a file's name and text. Output: a [`Source`] (cheap to clone: the text is shared) with
//! a line index built once on first use, so locating N diagnostics costs one pass over the file
//! plus N binary searches (issue 10.6: every renderer shares it), and [`Span`]s (byte ranges)
//! that every loaded value keeps.

use std::sync::{Arc, OnceLock};

/// Byte range into a source text. `Span::default()` (0, 0) means "no location"
/// (e.g. a value synthesised by a default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub offset: usize,
    pub len: usize,
}

impl Span {
    pub const fn new(offset: usize, len: usize) -> Self {
        Span { offset, len }
    }
    pub fn end(&self) -> usize {
        self.offset + self.len
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        miette::SourceSpan::new(s.offset.into(), s.len)
    }
}

/// The text a script (or tenant / traffic file) was loaded from, with its display name (the
/// path as given).
#[derive(Clone, Debug)]
pub struct Source {
    /// Shared (not `String`) so that a `LoadError` carrying a `Source` stays small.
    pub name: Arc<str>,
    pub text: Arc<str>,
    /// Byte offsets of line starts, built on first use and shared by every clone.
    lines: Arc<OnceLock<Arc<[usize]>>>,
}

impl Source {
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        Source { name: name.into(), text: text.into(), lines: Arc::default() }
    }

    /// Byte offsets where each line starts (the first is 0); computed once per source.
    pub fn line_starts(&self) -> &Arc<[usize]> {
        self.lines.get_or_init(|| line_starts(&self.text))
    }

    /// 0-based line containing a byte offset (offsets past the end belong to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&s| s <= offset) - 1
    }

    /// 1-based (line, column) of a byte offset; column counts characters.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_of(offset);
        let start = self.line_starts()[line];
        (line + 1, self.text[start..offset].chars().count() + 1)
    }

    /// A miette source carrying the file name, for diagnostics.
    pub fn named(&self) -> miette::NamedSource<Arc<str>> {
        miette::NamedSource::new(self.name.clone(), self.text.clone())
    }
}

/// Byte offsets where each line of `text` starts (the first is 0).
pub fn line_starts(text: &str) -> Arc<[usize]> {
    std::iter::once(0)
        .chain(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1))
        .collect()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Maps byte offsets inside a decoded string value (e.g. a YAML block scalar) back to byte
/// offsets in the source file. Pieces are `(value_offset, source_offset)` pairs sorted by
/// `value_offset`; an offset maps through the last piece at or before it, so a piece is needed
/// wherever the decoded text and the source stop running in parallel (start of each line of a
/// block scalar, after each escape sequence in a quoted string).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextMap {
    pub pieces: Vec<(usize, usize)>,
}

impl TextMap {
    /// A value that is a verbatim copy of the source starting at `source_offset`.
    pub fn verbatim(source_offset: usize) -> Self {
        TextMap { pieces: vec![(0, source_offset)] }
    }

    pub fn to_source(&self, value_offset: usize) -> usize {
        match self.pieces.partition_point(|&(v, _)| v <= value_offset) {
            0 => self.pieces.first().map_or(0, |&(_, s)| s),
            i => {
                let (v, s) = self.pieces[i - 1];
                s + (value_offset - v)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_lines_and_characters() {
        let s = Source::new("f", "ab\nçd\n\nx");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(2), (1, 3));
        assert_eq!(s.line_col(3), (2, 1));
        // `ç` is two bytes: the column after it is 2, and an offset inside it floors to it.
        assert_eq!(s.line_col(5), (2, 2));
        assert_eq!(s.line_col(4), (2, 1));
        assert_eq!(s.line_col(7), (3, 1));
        assert_eq!(s.line_col(8), (4, 1));
        assert_eq!(s.line_col(999), (4, 2));
    }
}
