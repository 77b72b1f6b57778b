//! The verdict a report opens with (issue 19 point 3, issue 24 point 1): one structure, many
//! views. `simulation::verdict` (a sampled [`Report`](crate::sim::Report)) and
//! `exact::verdict` (an [`Exact`](crate::sim::exact::Exact) analysis) decide the lines — per
//! class, one per finding kind that occurred, or one saying the class is clear — from the
//! findings catalogue (`sim::findings`); the text reports print them with [`Verdict::write_text`]
//! and the HTML report shows the same lines. No view decides anything of its own.

use std::fmt::Write as _;

use serde::Serialize;

use crate::sim::findings::Class;

/// The verdict of one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// `Verdict (1000 simulated contacts)`, `Verdict (exact probability per contact)`.
    pub heading: String,
    pub lines: Vec<Line>,
}

/// One verdict line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Line {
    /// `violation` / `warning` / `notice`.
    pub class: &'static str,
    /// `✗` / `⚠` / `ℹ` for a finding kind, `✓` for a clear class.
    pub mark: &'static str,
    /// Whether a finding of this class occurred (false: the line says the class is clear).
    pub found: bool,
    /// The line after its mark: `46 contacts (4.6% [3.5, 6.1]) recorded without consent …`.
    pub text: String,
    /// Commands that show example contacts (`recflow explain SCRIPT --call 3 …`).
    pub commands: Vec<String>,
}

impl Line {
    /// A finding line of `class`.
    pub fn found(class: Class, text: String, commands: Vec<String>) -> Line {
        Line { class: class.as_str(), mark: class.mark(), found: true, text, commands }
    }

    /// The line of a class nothing was found in (`no violation`, `no warning (probability 0)`).
    pub fn clear(class: Class, text: String) -> Line {
        Line { class: class.as_str(), mark: "✓", found: false, text, commands: Vec::new() }
    }
}

impl Verdict {
    /// The text block: the heading, `  MARK TEXT` per line, each command indented below it.
    pub fn write_text(&self, s: &mut String) {
        let _ = writeln!(s, "{}", self.heading);
        for l in &self.lines {
            let _ = writeln!(s, "  {} {}", l.mark, l.text);
            for c in &l.commands {
                let _ = writeln!(s, "      {c}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_heading_then_marked_lines_with_their_commands() {
        let v = Verdict {
            heading: "Verdict (10 simulated contacts)".into(),
            lines: vec![
                Line::found(
                    Class::Violation,
                    "2 contacts bad".into(),
                    vec!["recflow explain a --call 1".into()],
                ),
                Line::clear(Class::Warning, "no warning".into()),
            ],
        };
        let mut s = String::new();
        v.write_text(&mut s);
        assert_eq!(
            s,
            "Verdict (10 simulated contacts)\n  ✗ 2 contacts bad\n      recflow explain a --call 1\n  ✓ no warning\n"
        );
    }

    /// One helper gives every verdict line its predicting rules (sampled and exact alike).
    #[test]
    fn the_predicting_rules_suffix_comes_from_the_catalogue() {
        use crate::sim::findings::Finding;
        assert_eq!(Finding::RecordedWithoutConsent.kind().predicting_suffix(), " (lint C001, C003)");
        assert_eq!(Finding::RodBlocked.kind().predicting_suffix(), "");
    }
}
