//! ## What it does
//! With `--tenant`, flags a Studio recording (LOGRECORDINGPRO Start or RECORDAGENTONLY) that
//! reaches an agent answer while a recording policy matching that skill targets less than 100%.
//!
//! ## Why is this bad?
//! Studio recording comes before the recording policies and is added to them (R3, R15): a policy
//! set to record 50% of Sales calls ends up recording every call that went through the Start. The
//! effective percentage is not the one the policy shows.
//!
//! ## Example
//! ```yaml
//! # tenant: recording_policies: [{name: Sales QA, percent: 50, match: {skills: [Sales]}}]
//! - id: record
//!   type: LOGRECORDINGPRO
//!   properties: {Record: Start}
//!   next: queue
//! - id: queue
//!   type: REQAGENT
//!   properties: {Skill: Sales}
//! ```
//!
//! ## Use instead
//! Let the policy decide (route straight to REQAGENT, no Start), or raise the policy to 100% and
//! record by script only where you mean to. `simulate --tenant` shows the effective percentage.

use crate::lint::analysis::Phase;
use crate::lint::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic, last_on_path};
use crate::script::Kind;

/// O004: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::O004,
    code: "O004",
    name: "studio-start-inflates-policy",
    severity: Severity::Info,
    summary: "Studio recording reaches the agent while a tenant policy records less than 100%",
    source: include_str!("studio_start_inflates_policy.rs"),
    file: "studio_start_inflates_policy.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(tenant) = cx.tenant else { return };
    // Answers with Studio armed, plus Starts run while the agent is connected.
    let candidates = cx.reach.answers.iter().copied().chain(cx.script.indices().flat_map(|ix| {
        let start = super::is_call_start(&cx.script.action(ix).kind);
        cx.reach.by_action[ix.index()].iter().copied().filter(move |&n| {
            let s = cx.reach.state(n);
            start && s.phase == Phase::Agent && !s.released && !s.dnr
        })
    }));
    for n in candidates {
        let s = cx.reach.state(n);
        let arming = match cx.reach.point(n) {
            crate::lint::analysis::Point::Action(ix) => ix,
            _ if !s.dnr
                && let Some(armed) = s.armed =>
            {
                armed.ix()
            }
            _ => continue,
        };
        let path = cx.reach.path_actions(n);
        let req = last_on_path(cx.script, &path, |k| matches!(k, Kind::ReqAgent { .. }));
        let skill = req.and_then(|r| match &cx.script.action(r).kind {
            Kind::ReqAgent { skill, .. } => Some(skill.clone()),
            _ => None,
        });
        let below: Vec<String> = tenant
            .recording_policies
            .iter()
            .filter(|p| p.percent < 100.0)
            .filter(|p| {
                p.matches.skills.is_empty()
                    || skill
                        .as_ref()
                        .is_some_and(|sk| p.matches.skills.iter().any(|x| x.eq_ignore_ascii_case(sk)))
            })
            .map(|p| format!("`{}` ({}%)", p.name, p.percent))
            .collect();
        if below.is_empty() {
            continue;
        }
        let on_skill = skill.as_ref().map_or(String::new(), |s| format!(" on skill `{s}`"));
        let mut d = Diagnostic::new(
            &RULE,
            arming,
            super::action_span(cx.script.action(arming)),
            format!(
                "Studio recording reaches the agent{on_skill} while policy {} records less: the effective share will be higher",
                below.join(", ")
            ),
        )
        .label("records every call that passes here, in addition to policies")
        .help("let the policy decide (no Studio Start before REQAGENT), or account for Studio recordings in the policy target (R15)")
        .path(cx.script, cx.reach, n);
        if let Some(r) = req {
            d = d.secondary(super::action_span(cx.script.action(r)), "the agent answers after this REQAGENT");
        }
        out.push(d);
    }
}
