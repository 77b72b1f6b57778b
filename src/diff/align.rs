//! Sequence alignment (longest common subsequence) for two small sequences: the paths of one
//! contact under the old and the new script, and the lines of a snapshot file.
//!
//! Common prefix and suffix are trimmed first; the middle is aligned with an O(n·m) table when
//! it has at most [`MAX_CELLS`] cells, else reported as one replaced block. Work and memory are
//! therefore bounded whatever the input.

/// Largest table (cells) the aligner builds; larger middles become one replaced block.
pub const MAX_CELLS: usize = 4_000_000;

/// One step of an alignment of `a` (old) with `b` (new), in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `a[i] == b[j]`.
    Same(usize, usize),
    /// `a[i]` is only in the old sequence.
    Del(usize),
    /// `b[j]` is only in the new sequence.
    Ins(usize),
}

/// Align `a` with `b`. Deletions come before insertions within a replaced block.
pub fn align<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Op> {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..].iter().rev().zip(b[pre..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut ops: Vec<Op> = (0..pre).map(|i| Op::Same(i, i)).collect();
    let (n, m) = (ma.len(), mb.len());
    if n == 0 || m == 0 || n.saturating_mul(m) > MAX_CELLS {
        ops.extend((0..n).map(|i| Op::Del(pre + i)));
        ops.extend((0..m).map(|j| Op::Ins(pre + j)));
    } else {
        // lcs[i][j] = LCS length of ma[i..] and mb[j..] (row-major, (n+1)×(m+1)).
        let w = m + 1;
        let mut lcs = vec![0u32; (n + 1) * w];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * w + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && ma[i] == mb[j] {
                ops.push(Op::Same(pre + i, pre + j));
                i += 1;
                j += 1;
            } else if j == m || (i < n && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
                ops.push(Op::Del(pre + i));
                i += 1;
            } else {
                ops.push(Op::Ins(pre + j));
                j += 1;
            }
        }
    }
    let (ea, eb) = (a.len() - suf, b.len() - suf);
    ops.extend((0..suf).map(|k| Op::Same(ea + k, eb + k)));
    ops
}

/// A maximal run of differences: `a[old]` replaced by `b[new]` (either may be empty), placed
/// after `a[..old.start]` / `b[..new.start]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hunk {
    pub old: std::ops::Range<usize>,
    pub new: std::ops::Range<usize>,
}

/// The runs of differences of an alignment, in order.
pub fn hunks(ops: &[Op]) -> Vec<Hunk> {
    let mut out: Vec<Hunk> = Vec::new();
    let (mut i, mut j) = (0usize, 0usize);
    let mut open: Option<Hunk> = None;
    for op in ops {
        match *op {
            Op::Same(x, y) => {
                if let Some(h) = open.take() {
                    out.push(h);
                }
                i = x + 1;
                j = y + 1;
            }
            Op::Del(x) => {
                let h = open.get_or_insert(Hunk { old: i..i, new: j..j });
                h.old.end = x + 1;
                i = x + 1;
            }
            Op::Ins(y) => {
                let h = open.get_or_insert(Hunk { old: i..i, new: j..j });
                h.new.end = y + 1;
                j = y + 1;
            }
        }
    }
    out.extend(open);
    out
}

/// A unified-style line diff of two texts (`--- old` / `+++ new` headers, `@@` hunks with
/// `context` lines around each change). Empty when the texts are equal.
pub fn unified(old_name: &str, new_name: &str, old: &str, new: &str, context: usize) -> String {
    use std::fmt::Write as _;
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = align(&a, &b);
    let hs = hunks(&ops);
    if hs.is_empty() && old == new {
        return String::new();
    }
    let mut s = String::new();
    let _ = writeln!(s, "--- {old_name}");
    let _ = writeln!(s, "+++ {new_name}");
    // Group hunks whose context windows touch.
    let mut groups: Vec<(usize, usize)> = Vec::new(); // (first hunk, last hunk)
    for (k, h) in hs.iter().enumerate() {
        match groups.last_mut() {
            Some((_, last)) if h.old.start <= hs[*last].old.end + 2 * context => *last = k,
            _ => groups.push((k, k)),
        }
    }
    for (first, last) in groups {
        let (h0, h1) = (&hs[first], &hs[last]);
        let a0 = h0.old.start.saturating_sub(context);
        let b0 = h0.new.start - (h0.old.start - a0);
        let a1 = (h1.old.end + context).min(a.len());
        let b1 = h1.new.end + (a1 - h1.old.end);
        let _ = writeln!(s, "@@ -{},{} +{},{} @@", a0 + 1, a1 - a0, b0 + 1, b1.min(b.len()) - b0);
        let mut i = a0;
        for h in &hs[first..=last] {
            while i < h.old.start {
                let _ = writeln!(s, " {}", a[i]);
                i += 1;
            }
            for line in &a[h.old.clone()] {
                let _ = writeln!(s, "-{line}");
            }
            for line in &b[h.new.clone()] {
                let _ = writeln!(s, "+{line}");
            }
            i = h.old.end;
        }
        // Trailing context: the lines after the last hunk are the same in both texts.
        for line in &a[i..a1] {
            let _ = writeln!(s, " {line}");
        }
    }
    if hs.is_empty() {
        // Same lines, different line endings or final newline.
        let _ = writeln!(s, "(the files differ only in line endings or the final newline)");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_an_insertion_and_a_deletion() {
        let a = ["begin", "consent", "dnr", "queue", "hold"];
        let b = ["begin", "hello", "consent", "queue", "hold"];
        let hs = hunks(&align(&a, &b));
        assert_eq!(hs, vec![Hunk { old: 1..1, new: 1..2 }, Hunk { old: 2..3, new: 3..3 }]);
    }

    #[test]
    fn equal_sequences_have_no_hunks() {
        let a = [1, 2, 3];
        assert!(hunks(&align(&a, &a)).is_empty());
        assert_eq!(hunks(&align::<i32>(&[], &[1])), vec![Hunk { old: 0..0, new: 0..1 }]);
    }

    #[test]
    fn unified_diff_shows_context_and_changes() {
        let old = "a\nb\nc\nd\ne\nf\ng\n";
        let new = "a\nb\nc\nD\ne\nf\ng\nh\n";
        let d = unified("old", "new", old, new, 1);
        assert_eq!(d, "--- old\n+++ new\n@@ -3,3 +3,3 @@\n c\n-d\n+D\n e\n@@ -7,1 +7,2 @@\n g\n+h\n");
        assert_eq!(unified("o", "n", old, old, 3), "");
    }
}
