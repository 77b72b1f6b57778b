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
    /// Line and column indexes, built on first use and shared by every clone (one pointer:
    /// a `LoadError` carries a `Source` and must stay small).
    index: Arc<Index>,
}

#[derive(Debug, Default)]
struct Index {
    /// Byte offsets of line starts.
    lines: OnceLock<Arc<[usize]>>,
    /// Column checkpoints inside long lines (see [`Source::line_col`]).
    columns: OnceLock<Vec<(usize, usize)>>,
}

impl Source {
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        Source { name: name.into(), text: text.into(), index: Arc::default() }
    }

    /// Byte offsets where each line starts (the first is 0); computed once per source.
    pub fn line_starts(&self) -> &Arc<[usize]> {
        self.index.lines.get_or_init(|| line_starts(&self.text))
    }

    /// 0-based line containing a byte offset (offsets past the end belong to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&s| s <= offset) - 1
    }

    /// 1-based (line, column) of a byte offset; column counts characters. A binary search in
    /// the line index, then counting characters from the line start — or, on a line longer
    /// than [`COLUMN_STEP`] (minified JSON is one line), from the nearest checkpoint before
    /// the offset: each call costs O(log n + COLUMN_STEP) whatever the line length (issue 10.6).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_of(offset);
        let mut start = self.line_starts()[line];
        let mut col = 0;
        if offset - start > COLUMN_STEP {
            let cps = self.index.columns.get_or_init(|| column_checkpoints(&self.text, self.line_starts()));
            let i = cps.partition_point(|&(b, _)| b <= offset);
            if i > 0 && cps[i - 1].0 > start {
                (start, col) = cps[i - 1];
            }
        }
        (line + 1, col + self.text[start..offset].chars().count() + 1)
    }

    /// Keep a secondary label at `offset` beside a primary one at `primary`? Not when it is far
    /// away on a long line: the cropped excerpt ([`miette::SourceCode::read_span`] below)
    /// cannot show both, and miette cannot lay out the whole line.
    pub fn label_fits(&self, primary: usize, offset: usize) -> bool {
        if primary.abs_diff(offset) <= LONG_LINE {
            return true;
        }
        let idx = self.line_starts();
        let line = self.line_of(offset.min(self.text.len()));
        let end = idx.get(line + 1).map_or(self.text.len(), |&s| s - 1);
        end - idx[line] <= LONG_LINE
    }
}

/// Lines longer than this (minified JSON, hostile input) are cropped around the labels when
/// rendered: miette lays a line out in full and panics past column 65 535.
pub const LONG_LINE: usize = 1000;
/// Bytes of context kept on each side of a label on a cropped line.
const CROP: usize = 80;
/// Distance in bytes between column checkpoints on long lines.
pub const COLUMN_STEP: usize = 4096;

/// `(byte offset, characters since the line start)` about every [`COLUMN_STEP`] bytes of every
/// line longer than that, in offset order.
fn column_checkpoints(text: &str, line_starts: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (l, &start) in line_starts.iter().enumerate() {
        let end = line_starts.get(l + 1).map_or(text.len(), |&s| s - 1);
        let (mut at, mut col) = (start, 0);
        while end - at > COLUMN_STEP {
            let next = floor_char_boundary(text, at + COLUMN_STEP);
            col += text[at..next].chars().count();
            at = next;
            out.push((at, col));
        }
    }
    out
}

/// Every renderer (load errors, lint findings) reads excerpts through the source's line index
/// instead of miette's `str` source, which scans from the start of the file for every label
/// (quadratic in the number of findings, issue 10.6). Long lines are cropped around the span.
impl miette::SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        self.excerpt(span, context_lines_before, context_lines_after, 0)
    }
}

impl Source {
    /// The excerpt miette shows for `span` (see the `SourceCode` impl). miette merges two
    /// labels' excerpts into one when the first's `line() + line_count()` reaches the second's
    /// line; `merge_gap` extra lines make excerpts up to that many lines apart merge (miette's
    /// own `str` source reports an absolute line count, so it merges excerpts any distance
    /// apart — a whole file between two labels).
    pub fn excerpt<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
        merge_gap: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let text: &str = &self.text;
        if span.offset() > text.len() {
            return Err(miette::MietteError::OutOfBounds);
        }
        let idx = self.line_starts();
        let line_of = |offset: usize| idx.partition_point(|&s| s <= offset) - 1;
        let line_end = |line: usize| idx.get(line + 1).map_or(text.len(), |&s| s - 1);
        let start = span.offset();
        let end = (start + span.len()).min(text.len());
        let first_line = line_of(start);
        let last_line = line_of(if end > start { end - 1 } else { start });
        let contents = |ws: usize, we: usize, line: usize, column: usize, count: usize| {
            Box::new(miette::MietteSpanContents::new_named(
                self.name.to_string(),
                &text.as_bytes()[ws..we],
                (ws, we - ws).into(),
                line,
                column,
                count + merge_gap,
            )) as Box<dyn miette::SpanContents<'a> + 'a>
        };
        let long = (first_line..=last_line).any(|l| line_end(l) - idx[l] > LONG_LINE);
        if long {
            // Show only the labelled region with a little context, without neighbouring lines.
            let ls = idx[first_line];
            let mut ws = start.saturating_sub(CROP).max(ls);
            while !text.is_char_boundary(ws) {
                ws -= 1;
            }
            let mut we = (end + CROP).min(line_end(last_line));
            while !text.is_char_boundary(we) {
                we += 1;
            }
            let column = if context_lines_before == 0 { start - ls } else { ws - ls };
            return Ok(contents(ws, we, first_line, column, last_line - first_line + 1));
        }
        if context_lines_before == 0 && context_lines_after == 0 {
            // As miette's own sources: exactly the span, with its line and byte column.
            return Ok(contents(start, end, first_line, start - idx[first_line], last_line - first_line + 1));
        }
        let from = first_line.saturating_sub(context_lines_before);
        let to = (last_line + context_lines_after).min(idx.len() - 1);
        let ws = idx[from];
        let we = idx.get(to + 1).copied().unwrap_or(text.len());
        Ok(contents(ws, we, from, 0, to - from + 1))
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
