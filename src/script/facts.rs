//! Facts about an action decided once, at load, and read by both lint and simulate (issue 9.4
//! / 11.6): so the two can never disagree about them. [`annotate`] runs after a script's
//! actions are built (`build.rs`) and again over a linked script (`library::link`, where RUNSUB
//! and RETURN are wired through), and stores them in [`Action::facts`].
//!
//! - the **prompt text** of an action: every prompt property the catalogue lists for its type
//!   (`Phrase`, `Sequence`), a `Sequence`'s `%`-TTS entries as their text and its audio files
//!   as the words of their names (`card-number.wav` → "card number");
//! - whether an input-collecting action is **sensitive** (R14): `Sensitive: True` written, or
//!   inferred from its prompt text with one word list ([`SENSITIVE_WORDS`]);
//! - whether a MENU is a **consent question** and which inputs accept ([`ConsentQuestion`]):
//!   the `consent:` annotation, else inferred from the flow (some branches lead to DONOTRECORD /
//!   RECORDAGENTONLY before another MENU or a REQAGENT, some do not);
//! - the variable LOGRECORDINGPRO writes a statement id into ([`STATEMENT_VAR`], R13);
//! - the media class of an action comes from the catalogue (`Action::is_media`,
//!   `Action::is_ivr_media`): one column, read by lint (O001, M005) and the simulator.

use super::model::{Action, ActionIx, Kind, PropValue};

/// The variable LOGRECORDINGPRO writes a statement id into (R13).
pub const STATEMENT_VAR: &str = "RecordingStatementId";

/// The words that make a prompt sensitive (R14 inference), matched as whole words: card data as
/// PCI DSS means it. Account numbers are not card data (mark such a MENU `Sensitive: True` when
/// yours are).
pub const SENSITIVE_WORDS: &[&str] =
    &["card number", "credit card", "security code", "card", "cvv", "cvc", "pin"];

/// The facts of one action (see the module header), stored on [`Action::facts`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionFacts {
    /// A MENU that asks for recording consent (annotated or inferred).
    pub consent: Option<ConsentQuestion>,
    /// A MENU that collects sensitive input (R14).
    pub sensitive: Option<Sensitive>,
}

/// A MENU that asks for recording consent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentQuestion {
    /// Branch names (inputs) that accept; every other outcome, no input included, declines.
    pub accept: Vec<String>,
    /// `None` when annotated (`consent: {accept: [...]}`); else why it was inferred.
    pub inferred: Option<String>,
}

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

/// Decide every action's facts. Branch targets must be resolved (indices into `actions`).
pub fn annotate(actions: &mut [Action]) {
    let mut marks = Marks { stamp: vec![0; actions.len()], generation: 0 };
    let found: Vec<ActionFacts> = (0..actions.len())
        .map(|i| ActionFacts { consent: consent(actions, i, &mut marks), sensitive: sensitive(&actions[i]) })
        .collect();
    for (a, f) in actions.iter_mut().zip(found) {
        a.facts = f;
    }
}

/// Visited marks shared by the per-branch searches (a generation counter instead of a fresh
/// `Vec<bool>` per search keeps inference linear on big scripts).
struct Marks {
    stamp: Vec<u32>,
    generation: u32,
}

/// The consent question of action `i`: annotated, else inferred (a MENU some of whose branches
/// lead, without passing another MENU or a REQAGENT, to DONOTRECORD or RECORDAGENTONLY, and some
/// not; the branches that don't are the accept inputs).
fn consent(actions: &[Action], i: usize, marks: &mut Marks) -> Option<ConsentQuestion> {
    let a = &actions[i];
    if !matches!(a.kind, Kind::Menu(_)) {
        return None;
    }
    if let Some(c) = &a.consent {
        return Some(ConsentQuestion { accept: c.accept.clone(), inferred: None });
    }
    let mut accept = Vec::new();
    let mut declines: Option<(&str, &'static str)> = None;
    for b in &a.branches {
        let Some(t) = b.target else { continue };
        match leads_to_decline(actions, t, marks) {
            Some(what) => {
                declines.get_or_insert((&b.name, what));
            }
            None => accept.push(b.name.clone()),
        }
    }
    let (branch, what) = declines?;
    if accept.is_empty() {
        return None;
    }
    Some(ConsentQuestion {
        accept,
        inferred: Some(format!("inferred consent question: its branch `{branch}` leads to {what}")),
    })
}

fn leads_to_decline(actions: &[Action], from: ActionIx, marks: &mut Marks) -> Option<&'static str> {
    marks.generation += 1;
    let g = marks.generation;
    let mut stack = vec![from];
    while let Some(ix) = stack.pop() {
        let Some(stamp) = marks.stamp.get_mut(ix.index()) else { continue };
        if std::mem::replace(stamp, g) == g {
            continue;
        }
        let a = &actions[ix.index()];
        match a.kind {
            Kind::DoNotRecord => return Some("DONOTRECORD"),
            Kind::RecordAgentOnly => return Some("RECORDAGENTONLY"),
            Kind::Menu(_) | Kind::ReqAgent { .. } => continue,
            // Pushed in branch (file) order, as the flow graph's successors were: the same
            // search order, so the reported decline action does not change.
            _ => stack.extend(a.branches.iter().filter_map(|b| b.target)),
        }
    }
    None
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
