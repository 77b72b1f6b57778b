//! "Did you mean …?": the one typo suggester every loader uses (script keys, action types,
//! property values, tenant / traffic keys and names).
//!
//! Input: a word and the valid candidates. Output: the closest candidate if it is close enough to
//! be a likely typo. Distance is optimal string alignment (Levenshtein plus adjacent swaps, so
//! `tlak` is one edit from `talk`) from `strsim`, case-insensitive, on at most the first 64
//! characters of each word so that hostile input cannot make a suggestion cost more than a
//! 64 × 64 table.

/// Longest prefix (in characters) compared: enough for any real name, bounded for hostile ones.
const MAX_CHARS: usize = 64;

/// The closest candidate to `word`, if at most ⌊len/3⌋ edits away (at least 1, at most 3).
/// Ties go to a candidate the word is a prefix of (`Of` → `Off`, not `On`), then to the first.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w: String = word.to_lowercase().chars().take(MAX_CHARS).collect();
    let w_len = w.chars().count();
    let limit = (w_len / 3).clamp(1, 3);
    let mut best: Option<(usize, bool, &str)> = None;
    for c in candidates {
        let cl: String = c.to_lowercase().chars().take(MAX_CHARS).collect();
        // The distance is at least the difference in length: skip hopeless candidates cheaply.
        if cl.chars().count().abs_diff(w_len) > limit {
            continue;
        }
        let d = strsim::osa_distance(&w, &cl);
        let key = (d, !cl.starts_with(&w));
        if d <= limit && best.is_none_or(|(bd, bp, _)| key < (bd, bp)) {
            best = Some((key.0, key.1, c));
        }
    }
    best.map(|(_, _, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_likely_typos_only() {
        assert_eq!(did_you_mean("Strat", ["Start", "Stop"]), Some("Start"));
        assert_eq!(did_you_mean("actoins", ["actions", "begin"]), Some("actions"));
        assert_eq!(did_you_mean("zzzzzz", ["Start", "Stop"]), None);
        assert_eq!(did_you_mean("Of", ["On", "Off"]), Some("Off"));
        assert_eq!(did_you_mean("qeue", ["queue", "q", "begin"]), Some("queue"));
        assert_eq!(did_you_mean("precent", ["percent", "priority", "name"]), Some("percent"));
        assert_eq!(did_you_mean("talks", ["talk", "menu"]), Some("talk"));
        assert_eq!(did_you_mean("tlak", ["menu", "play", "talk"]), Some("talk"));
        assert_eq!(did_you_mean("ab", ["menu", "play"]), None);
        // Hostile length: bounded work, still an answer.
        assert_eq!(did_you_mean(&"x".repeat(100_000), ["talk"]), None);
    }
}
