//! The one table of lint rules: code, name, default severity, one-line summary, documentation,
//! and the check. Codes are stable and never reused (LINT.md).
//!
//! Each rule's documentation is the `//!` block at the top of its file (`rules/<name>.rs`), with
//! the fixed headings `## What it does`, `## Why is this bad?`, `## Example`, `## Use instead`.
//! The table embeds each file with `include_str!` and [`Rule::doc`] extracts that block, so
//! rustdoc, `recflow rules CODE` and `docs/rules/CODE.md` all show the same text.

use super::Ctx;
use super::diagnostic::{Diagnostic, Severity};
use super::rules;

/// A lint rule.
pub struct Rule {
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

/// X001's code: run after every other rule, over the suppressions.
pub const UNUSED_SUPPRESSION: &str = "X001";

macro_rules! rules {
    ($( $code:literal $name:literal $sev:ident $module:ident $summary:literal; )*) => {
        /// Every rule, in code order.
        pub static RULES: &[Rule] = &[
            $(Rule {
                code: $code,
                name: $name,
                severity: Severity::$sev,
                summary: $summary,
                source: include_str!(concat!("rules/", stringify!($module), ".rs")),
                file: concat!(stringify!($module), ".rs"),
                check: rules::$module::check,
            },)*
        ];
    };
}

rules! {
    "C001" "consent-decline-reaches-agent" Error consent_decline_reaches_agent
        "a declined / no-input consent answer reaches the agent without DONOTRECORD or RECORDAGENTONLY";
    "C002" "dnr-after-answer" Error dnr_after_answer
        "DONOTRECORD runs after an agent may have answered";
    "C003" "recording-before-consent" Warning recording_before_consent
        "LOGRECORDINGPRO Start runs before the consent question is answered";
    "C004" "recording-action-after-dnr" Warning recording_action_after_dnr
        "LOGRECORDINGPRO Start / RECORDAGENTONLY only ever runs after DONOTRECORD (it can never record)";
    "O001" "ivr-start-ends-at-queue" Warning ivr_start_ends_at_queue
        "an IVR LOGRECORDINGPRO Start is followed by IVR media before REQAGENT: it stops at the queue";
    "O002" "stop-disables-policies" Warning stop_disables_policies
        "LOGRECORDINGPRO Stop with no later Start before REQAGENT: policies will not record the agent";
    "O003" "agent-only-not-before-routing" Warning agent_only_not_before_routing
        "RECORDAGENTONLY is not immediately before REQAGENT";
    "O004" "studio-start-inflates-policy" Info studio_start_inflates_policy
        "Studio recording reaches the agent while a tenant policy records less than 100%";
    "S001" "statement-id-not-saved" Error statement_id_not_saved
        "a recorded statement's id is not copied into a Global: variable before it is overwritten";
    "S002" "statement-id-saved-to-local" Warning statement_id_saved_to_local
        "a recorded statement's id is copied only into a non-Global variable";
    "S003" "statement-stop-without-start" Warning statement_stop_without_start
        "a statement Stop runs with no recorded statement open";
    "M001" "indicator-left-on" Warning indicator_left_on
        "a MAX button turned On is not turned Off by ONRELEASE on some path";
    "M002" "signal-without-onsignal" Error signal_without_onsignal
        "a Signal button is declared but the script has no ONSIGNAL";
    "M003" "case-missing-default" Warning case_missing_default
        "a CASE / MENU / REQAGENT (or IVR action) has no default branch wired: the contact could get stuck";
    "M004" "case-misses-signal-value" Warning case_misses_signal_value
        "a CASE on SPn has no branch for a value a MAX button sends";
    "M005" "media-after-release" Error media_after_release
        "MENU / PLAY / MUSIC reachable after ONRELEASE (skipped: the caller is gone)";
    "P001" "sensitive-input-while-recording" Error sensitive_input_while_recording
        "a sensitive MENU (card, CVV, PIN) can run while the call is recorded";
    "G001" "unreachable-action" Warning unreachable_action
        "no path from BEGIN or any event action reaches the action";
    "G002" "loop-without-exit" Warning loop_without_exit
        "a cycle that never waits and never exits (busy loop)";
    "G003" "unmodelled-action" Info unmodelled_action
        "an action type recflow does not model (treated as pass-through)";
    "X001" "unused-suppression" Warning unused_suppression
        "an `allow:` entry that suppressed nothing";
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

/// The rule with this code or name (case-insensitive).
pub fn rule(code_or_name: &str) -> Option<&'static Rule> {
    let key = code_or_name.trim();
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
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
        out.push_str(&super::fix::rule_fix_doc(self.code));
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
            f = super::fix::rule_fix(r.code).map_or("", |a| a.as_str()),
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

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
