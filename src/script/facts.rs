//! Facts about an action decided once, at load, and read by both lint and simulate (issue 9.4
//! / 11.6): so the two can never disagree about them.
//!
//! - the **prompt text** of an action: every prompt property the catalogue lists for its type
//!   (`Phrase`, `Sequence`), a `Sequence`'s `%`-TTS entries as their text and its audio files
//!   as the words of their names (`card-number.wav` → "card number");
//! - whether an input-collecting action is **sensitive** (R14): `Sensitive: True` written, or
//!   inferred from its prompt text with one word list ([`SENSITIVE_WORDS`]);
//! - the variable LOGRECORDINGPRO writes a statement id into ([`STATEMENT_VAR`], R13).
//!
//! Consent inference needs the script's flow graph and stays in `lint::infer` (it reads the
//! prompt-independent shape: branches leading to DONOTRECORD / RECORDAGENTONLY).

use super::model::{Action, Kind, PropValue};

/// The variable LOGRECORDINGPRO writes a statement id into (R13).
pub const STATEMENT_VAR: &str = "RecordingStatementId";

/// The words that make a prompt sensitive (R14 inference), matched as whole words: card data as
/// PCI DSS means it. Account numbers are not card data (mark such a MENU `Sensitive: True` when
/// yours are).
pub const SENSITIVE_WORDS: &[&str] =
    &["card number", "credit card", "security code", "card", "cvv", "cvc", "pin"];

/// Why an action collects sensitive input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sensitive {
    /// `Sensitive: True` is written.
    Annotated,
    /// Inferred: the prompt mentions this word.
    Inferred(&'static str),
}

/// The text an action plays or shows: its prompt properties joined by newlines.
pub fn prompt_text(a: &Action) -> String {
    let Some(spec) = a.spec else { return String::new() };
    let mut out = String::new();
    for name in spec.prompts {
        let Some(p) = a.properties.iter().find(|p| p.name.eq_ignore_ascii_case(name)) else { continue };
        let entries: Vec<&str> = match &p.value {
            PropValue::Text(t) => vec![t.as_str()],
            PropValue::List(l) => l.iter().map(String::as_str).collect(),
        };
        for e in entries {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&sequence_entry_text(e));
        }
    }
    out
}

/// One prompt entry as words: `%text` (TTS) → text; `"file.wav"` (audio) → the file name's
/// words; anything else as written.
fn sequence_entry_text(e: &str) -> String {
    let t = e.trim().trim_matches('"');
    if let Some(tts) = t.strip_prefix('%') {
        return tts.trim_matches('"').to_owned();
    }
    let lower = t.to_ascii_lowercase();
    if [".wav", ".wma", ".mp3"].iter().any(|x| lower.ends_with(x)) {
        let stem = t.rsplit(['\\', '/']).next().unwrap_or(t);
        let stem = &stem[..stem.rfind('.').unwrap_or(stem.len())];
        return stem.replace(['-', '_', '.'], " ");
    }
    t.to_owned()
}

/// The first sensitive word in a text, if any (whole words, case-insensitive).
pub fn sensitive_phrase(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    SENSITIVE_WORDS.iter().copied().find(|w| {
        lower.match_indices(w).any(|(i, _)| {
            let before = lower[..i].chars().next_back();
            let after = lower[i + w.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

/// Whether a MENU collects sensitive input: `Sensitive` as written, else inferred from every
/// prompt property.
pub fn sensitive(a: &Action) -> Option<Sensitive> {
    let Kind::Menu(m) = &a.kind else { return None };
    match m.sensitive {
        Some(true) => Some(Sensitive::Annotated),
        Some(false) => None,
        None => sensitive_phrase(&prompt_text(a)).map(Sensitive::Inferred),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_entries_read_as_words() {
        assert_eq!(
            sequence_entry_text("%Please enter your security code"),
            "Please enter your security code"
        );
        assert_eq!(sequence_entry_text("\"prompts\\card-number.wav\""), "card number");
        assert_eq!(sensitive_phrase("Enter your PIN now"), Some("pin"));
        assert_eq!(sensitive_phrase("spinning"), None);
        assert_eq!(sensitive_phrase("your security code"), Some("security code"));
    }
}
