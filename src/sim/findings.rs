//! The one catalogue of run-time findings (FORMATS §5 `findings`, Round 3 "Findings"): what
//! `simulate`, `explain`, `diff`, `snapshot` and `report` can say about a contact, as data.
//!
//! Like lint's rule table (`lint/registry.rs`), one list — [`findings!`] below — names every
//! kind once: its code, its report name (public contract, never renamed), its class
//! (violation / warning / notice), what it means, which lint rules predict it, and its
//! documentation. From that list come the [`Finding`] enum the engine sets on an `Outcome`
//! (a bit per kind), [`Finding::ALL`] in report order, the report's `findings` keys, the
//! human report's help text, `recflow rules` (static rules and run-time findings together)
//! and the generated `docs/rules/F*.md` pages. Nothing else keeps a list of finding kinds.
//!
//! Adding a kind: one entry at the end of the table (the order is the JSON key order and the
//! code order), then set it in the engine with `out.add(Finding::NewKind)`; every renderer and
//! the docs pick it up. Regenerate the pages with
//! `RECFLOW_UPDATE_DOCS=1 cargo test --test lint_docs`.

use crate::lint::registry::RuleId;

/// How bad a finding is (Round 3 "class"). Ordered worst first, so `a <= b` reads "a is at
/// least as bad as b" (`simulate --fail-on`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// A recording that breaks consent, PCI or statement rules.
    Violation,
    /// The script misbehaves (stuck, runaway loop, indicator left on, fallback value).
    Warning,
    /// Working as intended but worth knowing (`rod_blocked`: DNR doing its job).
    Notice,
}

impl Class {
    pub const ALL: [Class; 3] = [Class::Violation, Class::Warning, Class::Notice];

    pub fn as_str(self) -> &'static str {
        match self {
            Class::Violation => "violation",
            Class::Warning => "warning",
            Class::Notice => "notice",
        }
    }

    /// The verdict mark the human report puts before a line of this class.
    pub fn mark(self) -> &'static str {
        match self {
            Class::Violation => "✗",
            Class::Warning => "⚠",
            Class::Notice => "ℹ",
        }
    }

    /// `violation` / `warning` / `notice`, as typed on the command line.
    pub fn parse(s: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl std::fmt::Display for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of the catalogue.
pub struct Kind {
    pub finding: Finding,
    /// Stable code (`F001`…), beside the lint rules' codes in `recflow rules`.
    pub code: &'static str,
    /// The report name (FORMATS §5 key; public contract).
    pub name: &'static str,
    pub class: Class,
    /// What the contacts did, after "N contacts": the human report's verdict line.
    pub verdict: &'static str,
    /// One line: what it means (the human report's help text, `recflow rules`).
    pub summary: &'static str,
    /// The lint rules that predict it on some path (lint ⇔ simulate agreement, issue 19).
    pub predicted_by: &'static [RuleId],
    /// Markdown body of the documentation page (headings `## What it means`, `## Why it
    /// matters`, `## What to do`).
    pub doc: &'static str,
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.name)
    }
}

macro_rules! findings {
    ($( $variant:ident $code:literal $name:literal $class:ident [$($rule:ident),*]
        $verdict:literal $summary:literal $doc:literal; )*) => {
        /// A finding of one contact: one bit of the `Outcome`'s set, one entry of [`KINDS`].
        /// The discriminant is the entry's position in [`KINDS`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum Finding {
            $($variant,)*
        }

        /// Every finding kind, in report order (the order of the report's `findings` keys).
        pub static KINDS: &[Kind] = &[
            $(Kind {
                finding: Finding::$variant,
                code: $code,
                name: $name,
                class: Class::$class,
                verdict: $verdict,
                summary: $summary,
                predicted_by: &[$(RuleId::$rule),*],
                doc: $doc,
            },)*
        ];

        impl Finding {
            /// In report order.
            pub const ALL: &'static [Finding] = &[$(Finding::$variant,)*];
            /// The class of each kind, in report order (for the const [`CLASS_MASKS`]).
            const CLASSES: &'static [Class] = &[$(Class::$class,)*];
        }
    };
}

findings! {
    RecordedBeforeDnr "F001" "recorded_before_dnr" Violation [C002, C003]
        "recorded before Do Not Record was set"
        "recorded before Do Not Record was set (kept; A-17)"
        "## What it means\nDONOTRECORD ran after something had already recorded the contact. \
         DONOTRECORD stops the active recording, but what was recorded before it is kept (A-17).\n\n\
         ## Why it matters\nThe caller asked not to be recorded (or the script decided so) too late: \
         part of the call is stored although it should not be.\n\n\
         ## What to do\nRun DONOTRECORD before anything records: before the agent answers (C002) and \
         before any IVR LOGRECORDINGPRO Start (C003).\n";
    SensitiveWhileRecording "F002" "sensitive_while_recording" Violation [P001]
        "asked for sensitive input while recorded"
        "sensitive MENU ran while the call was recorded (R14)"
        "## What it means\nA MENU that asks for sensitive input (card number, CVV, PIN: `Sensitive`, \
         or inferred from its prompt) ran while a recording of the call was active (R14).\n\n\
         ## Why it matters\nPCI DSS forbids storing card verification data; the recording now holds it.\n\n\
         ## What to do\nStop or pause the recording (LOGRECORDINGPRO Stop) before the sensitive MENU and \
         start it again after.\n";
    IndicatorLeftOn "F003" "indicator_left_on" Warning [M001]
        "ended with a MAX indicator still On"
        "a MAX button was still On at the end (§4)"
        "## What it means\nAn INDICATE turned a MAX button On and nothing turned it Off before the \
         contact ended (SEMANTICS §4).\n\n\
         ## Why it matters\nThe agent's next contact starts with a stale indicator.\n\n\
         ## What to do\nTurn the button Off in ONRELEASE on every path.\n";
    StepLimit "F004" "step_limit" Warning [G002]
        "stopped at the step limit (runaway loop)"
        "the script ran 10 000 actions: a runaway loop"
        "## What it means\nThe contact ran 10 000 actions and was ended by the simulator (SEMANTICS §2).\n\n\
         ## Why it matters\nIn CXone such a contact loops until the platform stops it.\n\n\
         ## What to do\nGive the loop an exit or a wait (G002 shows the cycle).\n";
    RodBlocked "F005" "rod_blocked" Notice []
        "had a recording on demand refused (DNR or agent)"
        "recording on demand refused by DNR or the agent (R1/R2)"
        "## What it means\nAn agent or supervisor asked to record on demand and the request was \
         refused: Do Not Record was set (R1) or the agent may not be recorded (R2).\n\n\
         ## Why it matters\nNothing is wrong: the rules did their job. It is listed so that a \
         reviewer knows agents asked.\n\n\
         ## What to do\nNothing, unless the refusal is unexpected.\n";
    Stuck "F006" "stuck" Warning [M003]
        "stuck on an unwired branch in the IVR"
        "an unwired branch ended the IVR: the caller hung up"
        "## What it means\nIn the IVR the script took a branch that is not wired; nothing moves the \
         call on and the caller hangs up.\n\n\
         ## Why it matters\nCallers are lost before they reach an agent.\n\n\
         ## What to do\nWire the branch (M003 names the action without a default).\n";
    MediaAfterRelease "F007" "media_after_release" Warning [M005]
        "ran caller media after release"
        "MENU/PLAY/MUSIC after ONRELEASE was skipped (A-3)"
        "## What it means\nA MENU, PLAY or MUSIC ran after the call was released; it is skipped \
         (A-3), and a MENU takes its default branch.\n\n\
         ## Why it matters\nThe caller is gone: whatever the prompt was for does not happen.\n\n\
         ## What to do\nMove caller media before the release (M005).\n";
    TemplatedFallback "F008" "templated_fallback" Warning []
        "used a templated value's fallback"
        "a `{var}` property was invalid at run time; its documented default was used"
        "## What it means\nA typed property written with `{var}` (a Timeout, a Record value, ...) \
         rendered to a value the action cannot use, so the documented fallback was used (the report's \
         `templated_fallback` lists the actions).\n\n\
         ## Why it matters\nThe action did something other than the author meant, silently.\n\n\
         ## What to do\nMake sure the variable holds a valid value on every path.\n";
    RecordedWithoutConsent "F009" "recorded_without_consent" Violation [C001, C003]
        "recorded without consent"
        "recorded although the consent answer was not an accept input"
        "## What it means\nThe script asks for recording consent, and the contact's answer (its \
         last one, when it is asked more than once) did not accept — it **declined** (a digit \
         with its own branch), gave **no input**, pressed an **unlisted digit**, or was **not \
         asked** (its path skipped every consent question) — yet the caller was recorded: a full \
         recording (by a policy, Studio or an agent's ROD; IVR, agent or external segment) ran \
         while that question was asked or after the answer. One that was over before the \
         question was asked (stopped by DONOTRECORD — `recorded_before_dnr` — or a Stop, or an \
         IVR recording ended at REQAGENT) is not judged by that answer (A-24). The report breaks \
         the contacts down by answer and by initiator (`consent.recorded_without_consent`). Only \
         scripts with a consent question are judged; an agent-only recording does not record the \
         caller and is not counted.\n\n\
         ## Why it matters\nRecording a caller who did not consent is unlawful under GDPR and \
         most two-party-consent laws.\n\n\
         ## What to do\nRun DONOTRECORD (or RECORDAGENTONLY) on every declined outcome — \
         `default` (no input, unlisted digits) included — before REQAGENT (C001), and do not \
         start recording before the answer (C003).\n";
    RecordedBeforeConsent "F010" "recorded_before_consent" Violation [C003]
        "recorded from before consent on through a refusal"
        "a recording started before the consent answer went on after consent was refused"
        "## What it means\nA recording had started before the consent question was answered \
         (typically an IVR LOGRECORDINGPRO Start), the answer refused, and nothing stopped or \
         discarded the recording when it did. Such contacts are also `recorded_without_consent`.\n\n\
         ## Why it matters\nThe caller's refusal did not stop a recording already running.\n\n\
         ## What to do\nAsk consent before any Start (C003), or stop the recording \
         (DONOTRECORD) on every refusing branch.\n";
    StatementLost "F011" "statement_lost" Violation [S001, S002]
        "lost a recorded statement (id not saved)"
        "a recorded statement's id was not saved in a Global: variable (R13)"
        "## What it means\nA recorded statement (LOGRECORDINGPRO with UseRecordingStatementId) \
         was captured, but when its id left `RecordingStatementId` no `Global:` variable held it \
         (R13): the statement exists but nothing can find it.\n\n\
         ## Why it matters\nA recorded statement is usually proof of an agreement (a payment \
         authorisation, a verbal contract); one nobody can retrieve is as good as none.\n\n\
         ## What to do\nCopy `RecordingStatementId` into a `Global:` variable right after the \
         statement Start, before anything overwrites it (S001, S002).\n";
    WorkLimit "F012" "work_limit" Warning [G002]
        "ended by the work limit"
        "Snippet/template work passed 200 000 units: the contact was ended"
        "## What it means\nThe contact's Snippet runs and `{var}` template renders together did more than \
         200 000 units of work (one per expression step, loop pass or template part, one per byte built; \
         `snippet::MAX_CONTACT_WORK`, about 6 ms), and the simulator ended the contact at the action that \
         passed the budget (`explain` shows it: *finding [s] work limit*).\n\n\
         ## Why it matters\nA SNIPPET or ASSIGN that loops back to itself, or a loop that computes far more \
         than a call needs, makes every contact slow in CXone too; in the simulator it would cost seconds \
         per contact (issue 21, F01).\n\n\
         ## What to do\nGive the loop an exit or a wait (G002 shows a busy loop), and keep Snippet loops \
         short (docs/limits.md).\n";
}

impl Finding {
    /// Number of kinds.
    pub const COUNT: usize = Finding::ALL.len();
}

/// Per [`Class`] (`Class as usize`): the bits of an `Outcome`'s finding set of that class, so
/// "does this contact have a violation?" is one AND.
pub const CLASS_MASKS: [u32; 3] = {
    let mut m = [0u32; 3];
    let mut i = 0;
    while i < Finding::CLASSES.len() {
        m[Finding::CLASSES[i] as usize] |= 1 << i;
        i += 1;
    }
    m
};

// The `Outcome`'s finding set is a `u32`: one bit per kind.
const _: () = assert!(Finding::COUNT <= 32, "more finding kinds than bits in Outcome's set");

impl Finding {
    /// The catalogue entry.
    pub fn kind(self) -> &'static Kind {
        &KINDS[self as usize]
    }

    /// The report name (`recorded_before_dnr`, ...).
    pub fn as_str(self) -> &'static str {
        self.kind().name
    }

    pub fn class(self) -> Class {
        self.kind().class
    }

    /// The kind with this report name or code (case-insensitive): for what a user typed.
    pub fn lookup(name_or_code: &str) -> Option<Finding> {
        let k = name_or_code.trim();
        KINDS
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(k) || f.code.eq_ignore_ascii_case(k))
            .map(|f| f.finding)
    }
}

impl Kind {
    /// The codes of the lint rules that predict this kind (`["C001", "C003"]`), in table order.
    pub fn predicting_codes(&self) -> Vec<&'static str> {
        self.predicted_by.iter().map(|r| r.rule().code).collect()
    }

    /// ` (lint C001, C003)`, or nothing when no lint rule predicts it: the suffix of a verdict
    /// line (the sampled and the exact report, and every view of them).
    pub fn predicting_suffix(&self) -> String {
        let codes = self.predicting_codes();
        if codes.is_empty() { String::new() } else { format!(" (lint {})", codes.join(", ")) }
    }

    /// The generated `docs/rules/<CODE>.md` page (also `recflow rules CODE`).
    pub fn markdown(&self) -> String {
        let rules = if self.predicted_by.is_empty() {
            "no lint rule (a run-time fact lint cannot see)".to_string()
        } else {
            self.predicted_by
                .iter()
                .map(|r| {
                    let r = r.rule();
                    format!("[{}]({}.md) {}", r.code, r.code, r.name)
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "<!-- generated from src/sim/findings.rs; regenerate: RECFLOW_UPDATE_DOCS=1 cargo test --test lint_docs -->\n\
             # {code} {name}\n\n**Run-time finding** (`simulate`, `explain`, `diff`, `report`). **Class:** {class}. {summary}.\n\n\
             **Predicted by:** {rules}.\n\n{doc}",
            code = self.code,
            name = self.name,
            class = self.class,
            summary = crate::lint::registry::capitalize(self.summary),
            doc = self.doc,
        )
    }
}

/// The run-time half of `recflow rules` and of `docs/rules/README.md`.
pub fn listing() -> String {
    let mut out = String::new();
    for k in KINDS {
        let rules = k.predicting_codes();
        out.push_str(&format!(
            "{}  {:<32} {:<9} {}{}\n",
            k.code,
            k.name,
            k.class.as_str(),
            k.summary,
            if rules.is_empty() { String::new() } else { format!(" [lint: {}]", rules.join(", ")) }
        ));
    }
    out
}

/// The findings table of `docs/rules/README.md`.
pub fn docs_index() -> String {
    let mut out = String::from(
        "\n# Run-time findings\n\n`recflow simulate`, `explain`, `diff`, `snapshot` and `report` judge every simulated contact; \
         each finding kind has a class (`violation`, `warning`, `notice`; `simulate --fail-on CLASS` exits 1 \
         when one of that class or worse occurred) and names the lint rules that predict it.\n\n\
         | code | name | class | predicted by | meaning |\n|---|---|---|---|---|\n",
    );
    for k in KINDS {
        let rules: Vec<String> =
            k.predicted_by.iter().map(|r| format!("[{c}]({c}.md)", c = r.rule().code)).collect();
        out.push_str(&format!(
            "| [{c}]({c}.md) | {n} | {cl} | {r} | {s} |\n",
            c = k.code,
            n = k.name,
            cl = k.class,
            r = rules.join(", "),
            s = k.summary
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_index_the_table_with_unique_codes_and_names() {
        for (i, k) in KINDS.iter().enumerate() {
            assert_eq!(k.finding as usize, i, "{}", k.code);
            assert_eq!(k.code, format!("F{:03}", i + 1), "codes follow the table order");
            assert!(crate::lint::registry::rule(k.code).is_none(), "{} is also a lint code", k.code);
            for h in ["## What it means", "## Why it matters", "## What to do"] {
                assert!(k.doc.contains(h), "{} lacks {h}", k.code);
            }
        }
        let mut names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KINDS.len());
    }

    #[test]
    fn classes_order_worst_first() {
        assert!(Class::Violation < Class::Warning && Class::Warning < Class::Notice);
        assert_eq!(Finding::RodBlocked.class(), Class::Notice);
        assert_eq!(Class::parse("Warning"), Some(Class::Warning));
        assert_eq!(Finding::lookup("f002"), Some(Finding::SensitiveWhileRecording));
    }
}
