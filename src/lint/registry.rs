//! The one table of lint rules ([`RULES`]) and the rule type. Codes are stable and never
//! reused (LINT.md).
//!
//! Each rule file (`rules/<name>.rs`) exports its own `pub static RULE: Rule` — code, name,
//! default severity, one-line summary and check — right under its documentation: the `//!`
//! block at the top of the file, with the fixed headings `## What it does`, `## Why is this
//! bad?`, `## Example`, `## Use instead`. The `RULE` embeds its own file with `include_str!`
//! and [`Rule::doc`] extracts that block, so rustdoc, `recflow rules CODE` and
//! `docs/rules/CODE.md` all show the same text. This file only lists the rules, in code order,
//! and derives [`RuleId`] from the same list: findings carry `&'static Rule`, so nothing looks
//! a rule up by its code string at run time (only user input — `recflow rules X`, `allow:` —
//! goes through [`rule`]).

use super::Ctx;
use super::diagnostic::{Diagnostic, Severity};
use super::rules;

/// A lint rule. Each rule file under `rules/` defines its own as `pub static RULE`.
pub struct Rule {
    pub id: RuleId,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// The rule file's source text (its leading `//!` block is the documentation).
    pub source: &'static str,
    /// File name under `src/lint/rules/`.
    pub file: &'static str,
    pub check: fn(&Ctx, &mut Vec<Diagnostic>),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.name)
    }
}

macro_rules! rules {
    ($( $code:ident $module:ident, )*) => {
        /// A rule's identity: its code as a type. The discriminant is the rule's position in
        /// [`RULES`] (a test checks the two orders agree), so a finding finds its rule's table
        /// entry and SARIF `ruleIndex` without searching.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId {
            $($code,)*
        }

        /// Every rule, in code order. Each entry is the `RULE` its own file exports (code, name,
        /// severity and summary sit next to its documentation there).
        pub static RULES: &[&Rule] = &[
            $(&rules::$module::RULE,)*
        ];
    };
}

rules! {
    C001 consent_decline_reaches_agent,
    C002 dnr_after_answer,
    C003 recording_before_consent,
    C004 recording_action_after_dnr,
    O001 ivr_start_ends_at_queue,
    O002 stop_disables_policies,
    O003 agent_only_not_before_routing,
    O004 studio_start_inflates_policy,
    S001 statement_id_not_saved,
    S002 statement_id_saved_to_local,
    S003 statement_stop_without_start,
    M001 indicator_left_on,
    M002 signal_without_onsignal,
    M003 case_missing_default,
    M004 case_misses_signal_value,
    M005 media_after_release,
    P001 sensitive_input_while_recording,
    G001 unreachable_action,
    G002 loop_without_exit,
    G003 unmodelled_action,
    X001 unused_suppression,
}

/// Rules about call recording, consent to it, recorded statements, the MAX recording indicator
/// and IVR audio: they do not fire on a non-voice script (chat, email, SMS, work item, ...),
/// which has no call recording (issue 11 point 6; docs/lint.md, "Script kind"). Kept for every
/// media: M002 / M004 (Signal buttons and CASE values are script wiring, whatever the media),
/// M003, G001-G003 (graph shape) and X001.
pub const VOICE_ONLY: &[&str] = &[
    "C001", "C002", "C003", "C004", "O001", "O002", "O003", "O004", "S001", "S002", "S003", "M001", "M005",
    "P001",
];

/// The rule with this code or name (case-insensitive): for what a user typed (`recflow rules
/// CODE`, `allow:` entries). Code never looks a rule up by string: findings carry their rule.
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    let key = code_or_name.trim();
    RULES.iter().copied().find(|r| r.code.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
}

impl RuleId {
    /// The rule's table entry.
    pub fn rule(self) -> &'static Rule {
        RULES[self as usize]
    }
}

impl Rule {
    /// Does the rule apply to this script (a voice-only rule does not apply to a chat script)?
    pub fn applies_to(&self, script: &crate::script::Script) -> bool {
        script.is_voice() || !VOICE_ONLY.contains(&self.code)
    }

    /// Does a `--select` / `--ignore` entry name this rule: its code, its name, or a code prefix
    /// (`C`, `C00`)?
    pub fn matches_selector(&self, selector: &str) -> bool {
        let s = selector.trim();
        !s.is_empty()
            && (self.name.eq_ignore_ascii_case(s)
                || self.code.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s)))
    }

    /// The documentation: the rule file's leading `//!` block, markdown, then a `## Fix`
    /// section saying whether `lint --fix` repairs the rule's findings and how (`fix.rs`).
    pub fn doc(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else { break };
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            out.push('\n');
        }
        out.push_str("\n## Fix\n");
        out.push_str(&super::fix::rule_fix_doc(self.id));
        out
    }

    /// The generated `docs/rules/<CODE>.md` page.
    pub fn markdown(&self) -> String {
        format!(
            "<!-- generated from src/lint/rules/{file}; regenerate: RECFLOW_UPDATE_DOCS=1 cargo test --test lint_docs -->\n\
             # {code} {name}\n\n**Default severity:** {sev}. {summary}.\n\n{doc}",
            file = self.file,
            code = self.code,
            name = self.name,
            sev = self.severity,
            summary = capitalize(self.summary),
            doc = self.doc()
        )
    }
}

/// The generated `docs/rules/README.md` index.
pub fn docs_index() -> String {
    let mut out = String::from(
        "<!-- generated from src/lint/registry.rs; regenerate: RECFLOW_UPDATE_DOCS=1 cargo test --test lint_docs -->\n\
         # Lint rules\n\n`recflow lint` checks every path of a script; `recflow rules CODE` prints a rule's page.\n\
         Select or ignore rules by code, name or code prefix (`--select C,O001 --ignore G003`); suppress one\n\
         finding with `allow: [{rule: C001, reason: \"...\"}]` on its action.\n\n\
         Findings marked `[*]` are repaired by `recflow lint --fix` (safe fixes) or `--fix --unsafe-fixes`.\n\n\
         | code | name | severity | fix | flags |\n|---|---|---|---|---|\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| [{c}]({c}.md) | {n} | {s} | {f} | {sum} |\n",
            c = r.code,
            n = r.name,
            s = r.severity,
            f = super::fix::rule_fix(r.id).map_or("", |a| a.as_str()),
            sum = r.summary
        ));
    }
    out
}

/// The `recflow rules` listing.
pub fn listing() -> String {
    let mut out = String::new();
    for r in RULES {
        out.push_str(&format!("{}  {:<32} {:<8} {}\n", r.code, r.name, r.severity.as_str(), r.summary));
    }
    out
}

/// `s` with its first letter upper-cased (rule and finding pages share it).
pub(crate) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `RuleId`'s discriminant indexes `RULES` (SARIF `ruleIndex`, `RuleId::rule`): the macro
    /// builds both from one list, and each file's `RULE` names its own id and code.
    #[test]
    fn rule_ids_index_the_table_and_match_their_codes() {
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.id as usize, i, "{}", r.code);
            assert_eq!(format!("{:?}", r.id), r.code);
            assert!(std::ptr::eq(r.id.rule(), *r), "{}", r.code);
        }
    }
}
