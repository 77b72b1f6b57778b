//! A lint finding: what (message), where and why (labels), what to do (help), and for path
//! rules the counterexample path.

use std::fmt;

use super::analysis::{NodeId, Reach, Step};
use super::registry::Rule;
use crate::script::{ActionIx, Script, Span};

/// Severity of a rule (its default) and of each finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A labelled span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// A region in a named file: where a finding of a linked library points outside its own file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The file's name as loaded ([`crate::source::Source::name`]).
    pub file: std::sync::Arc<str>,
    /// 1-based; columns in characters, the end exclusive.
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// The places of a finding of a linked library (RUNSUB / RUNSCRIPT, `lint::linked`) in the
/// files of the scripts its path crosses. Computed once, when the findings are split per file,
/// so every renderer (human, JSON, SARIF) names the same file:line per step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CrossFile {
    /// Every path step's action in its own file, index for index with [`Diagnostic::path`]
    /// (`None` for an event step).
    pub steps: Vec<Option<Place>>,
    /// Secondary labels that lie in another file than the finding's (moved out of `secondary`,
    /// whose spans are all in the finding's own file), with their text.
    pub labels: Vec<(Place, String)>,
}

/// One finding of one rule.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// The rule that found it (its file's `RULE`); `code` and `name` are copies for renderers.
    pub rule: &'static Rule,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The action the finding is about (where `allow:` suppresses it).
    pub action: ActionIx,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: String,
    /// The counterexample path (empty for rules that are not about paths).
    pub path: Vec<Step>,
    /// How `lint --fix` repairs it, when its rule knows (issue 14; `fix.rs`).
    pub fix: Option<super::fix::Fix>,
    /// Set for a finding of a linked library whose path or labels reach other files; `None`
    /// for one script (its spans say everything).
    pub cross: Option<Box<CrossFile>>,
}

impl Diagnostic {
    /// A finding of `rule` about `action`, labelled at `span`, with the rule's default severity.
    pub fn new(rule: &'static Rule, action: ActionIx, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            code: rule.code,
            name: rule.name,
            severity: rule.severity,
            message: message.into(),
            action,
            primary: Label { span, text: String::new() },
            secondary: Vec::new(),
            help: String::new(),
            path: Vec::new(),
            fix: None,
            cross: None,
        }
    }

    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.primary.text = text.into();
        self
    }

    pub fn secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        if !self.secondary.iter().any(|l| l.span == span) && span != self.primary.span {
            self.secondary.push(Label { span, text: text.into() });
        }
        self
    }

    pub fn help(mut self, text: impl Into<String>) -> Self {
        self.help = text.into();
        self
    }

    pub fn with_fix(mut self, fix: Option<super::fix::Fix>) -> Self {
        self.fix = fix;
        self
    }

    pub fn path(mut self, script: &Script, reach: &Reach, node: NodeId) -> Self {
        // The finding's own action is never elided from its path.
        self.path = reach.path_keeping(script, node, Some(self.action));
        self
    }

    /// Where the path was elided, for JSON: (number of ids before the cut, actions cut).
    pub fn path_elided(&self) -> Vec<(usize, u32)> {
        let mut ids = 0;
        let mut out = Vec::new();
        for s in &self.path {
            match s {
                Step::Action { .. } => ids += 1,
                Step::Event(_) => {}
                Step::Elided(n) => out.push((ids, *n)),
            }
        }
        out
    }

    /// Action ids of the path (the JSON / SARIF form).
    pub fn path_ids(&self, script: &Script) -> Vec<String> {
        self.path
            .iter()
            .filter_map(|s| match s {
                Step::Action { action, .. } => Some(script.action(*action).id.clone()),
                Step::Event(_) | Step::Elided(_) => None,
            })
            .collect()
    }

    /// The path as one line for humans: `begin → consent [2] → queue → (agent answers)`.
    pub fn path_text(&self, script: &Script) -> String {
        let parts: Vec<String> = self
            .path
            .iter()
            .map(|s| match s {
                Step::Action { action, branch: Some(b) } => format!("{} [{b}]", script.action(*action).id),
                Step::Action { action, branch: None } => script.action(*action).id.clone(),
                Step::Event(e) => format!("({e})"),
                Step::Elided(n) => elided_text(*n),
            })
            .collect();
        parts.join(" → ")
    }
}

/// How an elided straight run reads in a path: `… 37 actions …`.
pub fn elided_text(n: u32) -> String {
    format!("… {n} action{} …", if n == 1 { "" } else { "s" })
}
