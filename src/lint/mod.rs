//! Stage — **lint**: [`Script`] (+ its [`Flow`], optionally a [`Tenant`]) → `Vec<`[`Diagnostic`]`>`.
//!
//! Lint proves consent and ordering properties over **every path** of a script, event handlers
//! included (spec: LINT.md). It runs in four steps:
//!
//! 1. [`infer`]: facts computed once — consent MENUs and sensitive MENUs (annotated, or inferred
//!    for Studio JSON, which has no annotations), variable copies, MAX buttons;
//! 2. [`analysis`]: an abstract interpretation over `(action, abstract recording state)` pairs to a
//!    fixed point, breadth-first so every pair keeps the shortest path that reaches it;
//! 3. the rules ([`registry::RULES`], one file each under `rules/`, each exporting its own
//!    `RULE` — code, name, severity, summary next to its documentation): queries over the
//!    reachable pairs (or over the graph, for structural rules), each finding with its
//!    `&'static Rule`, labels, help and a counterexample path;
//! 4. [`lint`]: rule selection (`--select` / `--ignore`), `allow:` suppressions and X001, sorting;
//!    each finding carries the [`fix::Fix`] its rule knows, if any ([`fix`] applies and proves them).
//!
//! [`render`] turns findings into human text (miette), JSON (FORMATS §7) or SARIF 2.1.0;
//! [`linked`] lints a library of scripts (RUNSUB / RUNSCRIPT) as one and splits the findings per
//! file; `fix/` holds the text editors `lint --fix` uses to keep a file's formatting.
//!
//! ```no_run
//! let script = recflow::script::load_path("scripts/consent-gdpr.yaml".as_ref())?;
//! let found = recflow::lint::lint(&script, &recflow::lint::Config::default());
//! print!("{}", recflow::lint::render::human(&script, &found, 100, false));
//! # Ok::<(), recflow::script::LoadErrors>(())
//! ```

pub mod analysis;
pub mod diagnostic;
pub mod fix;
pub mod infer;
pub mod linked;
pub mod registry;
pub mod render;
pub mod rules;
pub mod templated;

pub use diagnostic::{Diagnostic, Label, Severity};
pub use registry::{RULES, Rule, RuleId, VOICE_ONLY};

use crate::flow::Flow;
use crate::model::Tenant;
use crate::script::{ActionIx, Script};

/// What a rule sees.
pub struct Ctx<'a> {
    pub script: &'a Script,
    pub flow: &'a Flow,
    pub facts: &'a infer::Facts,
    pub reach: &'a analysis::Reach,
    pub options: analysis::Options,
    /// The tenant given with `--tenant` (O004 only runs with one).
    pub tenant: Option<&'a Tenant>,
}

/// Which rules run, and with which tenant.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Rule selectors (code, name, or code prefix like `C` / `C00`); empty = all rules.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub tenant: Option<Tenant>,
    /// Keep every action of a path (`--full-paths`); else long straight runs are elided.
    pub full_paths: bool,
}

/// A selector that names no rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` names no lint rule (use a code like C001, a name like consent-decline-reaches-agent, or a prefix like C); `recflow rules` lists them"
)]
pub struct UnknownRule(pub String);

impl Config {
    /// Check the selectors (bad usage is exit 2).
    pub fn validate(&self) -> Result<(), UnknownRule> {
        for s in self.select.iter().chain(&self.ignore) {
            if !RULES.iter().any(|r| r.matches_selector(s)) {
                return Err(UnknownRule(s.clone()));
            }
        }
        Ok(())
    }

    /// Is the rule enabled by `--select` / `--ignore`?
    pub fn enabled(&self, rule: &Rule) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| rule.matches_selector(s)))
            && !self.ignore.iter().any(|s| rule.matches_selector(s))
    }
}

/// Everything the rules share, computed once per script.
pub struct Prepared {
    pub flow: Flow,
    pub facts: infer::Facts,
    pub reach: analysis::Reach,
    pub options: analysis::Options,
}

impl Prepared {
    pub fn new(script: &Script, tenant: Option<&Tenant>) -> Prepared {
        let flow = Flow::new(script);
        let facts = infer::Facts::new(script);
        let options = Prepared::options(tenant);
        let reach = analysis::analyze(script, &facts);
        Prepared { flow, facts, reach, options }
    }

    /// Analysis options from the tenant (`--tenant`), if any.
    pub fn options(tenant: Option<&Tenant>) -> analysis::Options {
        analysis::Options {
            policies_record: tenant.is_none_or(|t| t.recording_policies.iter().any(|p| p.percent > 0.0)),
        }
    }
}

/// Lint one script: every enabled rule, then suppressions, sorted by position and code.
pub fn lint(script: &Script, config: &Config) -> Vec<Diagnostic> {
    let mut out = suppress(script, config, unsuppressed(script, config));
    sort(&mut out);
    out
}

/// Every finding of the enabled rules before `allow:` entries suppress any (no X001): what
/// lint derived from the script. The lint ⇔ simulate agreement compares simulate with this —
/// an `allow:` acknowledges a finding, it does not make the recording lawful.
pub fn unsuppressed(script: &Script, config: &Config) -> Vec<Diagnostic> {
    let mut prepared = Prepared::new(script, config.tenant.as_ref());
    prepared.reach.full_paths = config.full_paths;
    let cx = Ctx {
        script,
        flow: &prepared.flow,
        facts: &prepared.facts,
        reach: &prepared.reach,
        options: prepared.options,
        tenant: config.tenant.as_ref(),
    };
    let mut found = Vec::new();
    for rule in RULES {
        if rule.id != RuleId::X001 && config.enabled(rule) && rule.applies_to(script) {
            (rule.check)(&cx, &mut found);
        }
    }
    dedup(&mut found);
    let ids = std::cell::RefCell::new(None);
    for d in &mut found {
        d.fix = fix::build(&cx, d, &ids);
    }
    found
}

/// One finding per (code, primary span): a rule that reaches the same place by several states
/// reports it once (with the shortest path, found first).
fn dedup(found: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::BTreeSet::new();
    found.retain(|d| seen.insert((d.code, d.primary.span)));
}

/// Apply `allow:` entries; report the ones that suppressed nothing (X001).
fn suppress(script: &Script, config: &Config, found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut used: Vec<Vec<bool>> = script.actions.iter().map(|a| vec![false; a.allow.len()]).collect();
    let mut out = Vec::with_capacity(found.len());
    for d in found {
        let a = script.action(d.action);
        let hit = a
            .allow
            .iter()
            .position(|al| al.rule.eq_ignore_ascii_case(d.code) || al.rule.eq_ignore_ascii_case(d.name));
        match hit {
            Some(i) => used[d.action.index()][i] = true,
            None => out.push(d),
        }
    }
    if config.enabled(&rules::unused_suppression::RULE) {
        for ix in script.indices() {
            let a = script.action(ix);
            for (i, al) in a.allow.iter().enumerate() {
                if used[ix.index()][i] {
                    continue;
                }
                out.extend(rules::unused_suppression::report(script, config, ix, al));
            }
        }
    }
    out
}

/// Sort by position (primary span), then code.
pub fn sort(found: &mut [Diagnostic]) {
    found.sort_by(|a, b| {
        (a.primary.span.offset, a.code, a.primary.span.len).cmp(&(
            b.primary.span.offset,
            b.code,
            b.primary.span.len,
        ))
    });
}

/// Helper for rules: the first action of a kind on a node path, searching backwards.
pub(crate) fn last_on_path(
    script: &Script,
    path: &[ActionIx],
    pred: impl Fn(&crate::script::Kind) -> bool,
) -> Option<ActionIx> {
    path.iter().rev().copied().find(|&ix| pred(&script.action(ix).kind))
}
