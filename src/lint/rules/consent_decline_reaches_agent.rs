//! ## What it does
//! Checks every path from a consent question (a MENU with `consent: {accept: [...]}`, or one
//! inferred as such) to the moment an agent answers. A *declined* outcome — any digit not in
//! `accept`, and no input (`default`) — must pass through DONOTRECORD (or RECORDAGENTONLY, to
//! record only the agent side) before the agent answers. A consent question asked after the
//! agent answered (in ONANSWER or ONSIGNAL) is checked up to the release: a declined outcome
//! must reach DONOTRECORD before the call ends, or the recording that runs from the answer goes
//! on recording a caller who said no (A-22; C003 flags the question's place itself).
//!
//! ## Why is this bad?
//! A caller who declined recording gets recorded anyway: by recording policies, by a Studio
//! recording, or by an agent's recording on demand. Only DONOTRECORD stops all of them (R1);
//! under GDPR that recording is unlawful.
//!
//! ## Example
//! ```yaml
//! - id: consent
//!   type: MENU
//!   consent: {accept: ["1"]}
//!   properties: {Phrase: "Press 1 to allow recording, 2 to decline."}
//!   branches: {"1": queue, "2": dnr, default: queue}   # no input goes straight to the agent
//! ```
//!
//! ## Use instead
//! ```yaml
//!   branches: {"1": queue, "2": dnr, default: dnr}     # every declined outcome runs DONOTRECORD
//! - id: dnr
//!   type: DONOTRECORD
//!   next: queue
//! ```
//!
//! `lint --fix` wires a leaking branch to a DONOTRECORD another branch of the same MENU already
//! runs when that DONOTRECORD goes on to the same action (as above: `default: dnr`); otherwise it
//! inserts a new DONOTRECORD (`dnr-<menu id>`) in front of the branch's target.

use crate::lint::analysis::{Phase, Point};
use crate::lint::diagnostic::Severity;
use crate::lint::fix::{Applicability, Edit, Fix, Ids, NewAction, reachable_from};
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic, last_on_path};
use crate::script::Kind;

/// C001: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::C001,
    code: "C001",
    name: "consent-decline-reaches-agent",
    severity: Severity::Error,
    summary: "a declined / no-input consent answer reaches the agent without DONOTRECORD or RECORDAGENTONLY",
    source: include_str!("consent_decline_reaches_agent.rs"),
    file: "consent_decline_reaches_agent.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    // A refusal before the answer, at the answer; one given after it (a consent question in
    // ONANSWER or ONSIGNAL, A-22), at the release of an answered call: the recording that runs
    // from the answer goes on after the caller declined. (A refusal before the answer that
    // reaches the release too is the same finding: one per declined branch, `lint::dedup`.)
    let answered_releases =
        cx.reach.releases.iter().copied().filter(|&n| cx.reach.state(n).phase == Phase::Agent);
    for n in cx.reach.answers.iter().copied().chain(answered_releases) {
        let s = cx.reach.state(n);
        let Some(declined) = s.declined else { continue };
        if s.dnr || (s.armed.is_some() && s.agent_only) {
            continue;
        }
        let menu = declined.menu.ix();
        let a = cx.script.action(menu);
        let Some(consent) = &cx.facts.consent[menu.index()] else { continue };
        let (span, outcome) = match declined.branch.and_then(|b| a.branches.get(b as usize)) {
            Some(b) if b.name == "default" => {
                (b.name_span, "no input or an unlisted digit (`default`)".to_string())
            }
            Some(b) => (b.name_span, format!("answer `{}`", b.name)),
            None => (super::action_span(a), "no input".to_string()),
        };
        let inferred = consent.inferred.as_ref().map_or(String::new(), |w| format!(" ({w})"));
        let path = cx.reach.path_actions(n);
        // Asked after the agent answered (A-22): the path reaches the answer before the question.
        let nodes = cx.reach.node_path(n);
        let asked_at = nodes.iter().rposition(|&k| cx.reach.point(k) == Point::Action(menu));
        let after_answer =
            asked_at.is_some_and(|i| nodes[..i].iter().any(|&k| cx.reach.point(k) == Point::Answer));
        let message = if after_answer {
            format!(
                "declined consent is recorded on without DONOTRECORD: {outcome} at consent question `{}`{inferred}, asked after the agent answered",
                a.id
            )
        } else {
            format!(
                "declined consent reaches an agent without DONOTRECORD: {outcome} at consent question `{}`{inferred}",
                a.id
            )
        };
        let mut d = Diagnostic::new(&RULE, menu, span, message)
        .label("declined here; no DONOTRECORD follows on some path")
        .help(
            "run DONOTRECORD on every declined outcome before REQAGENT (or RECORDAGENTONLY to record only \
             the agent side); wire `default` (no input) as declined too",
        )
        .path(cx.script, cx.reach, n);
        if let Some(req) = last_on_path(cx.script, &path, |k| matches!(k, Kind::ReqAgent { .. })) {
            d = d.secondary(
                super::action_span(cx.script.action(req)),
                "the agent answers after this REQAGENT, with recording allowed",
            );
        }
        out.push(d);
    }
}

/// Fix: a DONOTRECORD on the declined branch, before whatever it led to. Safe — only contacts
/// that took this declined branch pass through it — unless the branch can lead back to the
/// consent question (a retry loop): a caller who then accepts would stay unrecorded, so the fix
/// is unsafe there.
pub(crate) fn fix(cx: &Ctx, d: &Diagnostic, ids: &mut Ids) -> Option<Fix> {
    let menu = d.action;
    let a = cx.script.action(menu);
    let b = a.branches.iter().find(|b| b.name_span == d.primary.span)?;
    let target = b.target?;
    let loops_back = reachable_from(cx, target)[menu.index()];
    let applicability = if loops_back { Applicability::Unsafe } else { Applicability::Safe };
    // Issue 25: another branch of the same MENU may already run a DONOTRECORD that goes on to
    // the very action this branch leaks to. Wiring the leaking branch to it is the same flow as
    // inserting a second one (DONOTRECORD, then `target`), without a duplicate; `lint --fix`
    // proves it with the outcome diff like any fix.
    let existing = a.branches.iter().filter_map(|o| o.target).find(|&t| {
        let x = cx.script.action(t);
        matches!(x.kind, Kind::DoNotRecord)
            && x.branches.iter().any(|n| n.name == "default" && n.target == Some(target))
            && x.branches
                .iter()
                .all(|n| n.name == "default" || n.target.is_none() || n.target == Some(target))
    });
    if let Some(dnr) = existing {
        let dnr = cx.script.action(dnr).id.clone();
        return Some(Fix {
            applicability,
            message: format!(
                "wire branch `{}` of `{}` to the existing DONOTRECORD `{dnr}` (it goes on to `{}`)",
                b.name,
                a.id,
                cx.script.action(target).id
            ),
            edits: vec![Edit::Rewire { action: a.id.clone(), branch: b.name.clone(), to: dnr }],
        });
    }
    let id = ids.fresh(&format!("dnr-{}", a.id));
    let outcome = if b.name == "default" { "no input".to_string() } else { format!("pressing {}", b.name) };
    Some(Fix {
        applicability,
        message: format!("insert DONOTRECORD `{id}` on branch `{}` of `{}`", b.name, a.id),
        edits: vec![
            Edit::AddAction(NewAction {
                id: id.clone(),
                type_name: "DONOTRECORD".into(),
                label: format!("Do not record (declined by {outcome})"),
                properties: Vec::new(),
                next: Some(cx.script.action(target).id.clone()),
                near: a.id.clone(),
            }),
            Edit::Rewire { action: a.id.clone(), branch: b.name.clone(), to: id },
        ],
    })
}
