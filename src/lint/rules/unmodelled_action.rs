//! ## What it does
//! Reports an action whose type recflow does not model (anything outside the FORMATS.md table:
//! e.g. `SETSKILL`, `EMAIL`, `REST API`).
//!
//! ## Why is this bad?
//! It is not an error. The message says what recflow does with the type, from the action
//! catalogue (docs/actions.md): a *pass-through* type takes its `default` branch and changes
//! nothing; a *traffic-branched* one (CHECKCALLSUP, HOURS, CAPTURE, …) is explored on every
//! wired branch by lint and takes a branch by traffic `branches:` weights in simulate. Types the
//! catalogue evaluates (PERMITCALL, SUPPRESSCALL, RETURN end the thread) get no note. But if the action can end the call, transfer it or affect recording, the
//! lint and simulation results do not account for it.
//!
//! ## Example
//! ```yaml
//! - id: crm
//!   type: SETSKILL
//!   next: queue
//! ```
//!
//! ## Use instead
//! Nothing to change if the action does not affect recording or routing; otherwise model its
//! effect with modelled actions, or suppress with `allow: [{rule: G003, reason: "..."}]`.

use crate::lint::diagnostic::Severity;
use crate::lint::registry::{Rule, RuleId};
use crate::lint::{Ctx, Diagnostic};
use crate::script::Kind;

/// G003: this file's rule — code, name, default severity and summary; its documentation is the
/// `//!` block above. Listed in [`crate::lint::registry::RULES`].
pub static RULE: Rule = Rule {
    id: RuleId::G003,
    code: "G003",
    name: "unmodelled-action",
    severity: Severity::Info,
    summary: "an action type recflow does not model (pass-through or traffic-branched)",
    source: include_str!("unmodelled_action.rs"),
    file: "unmodelled_action.rs",
    check,
};

pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for ix in cx.script.indices() {
        let a = cx.script.action(ix);
        if !matches!(a.kind, Kind::Other) {
            continue;
        }
        // An IF whose Expression recflow evaluates is modelled (docs/variables.md); one it
        // cannot evaluate keeps this note (beside its `load::if-unmodelled` warning).
        if crate::script::runtime::is_if(a) && crate::script::runtime::if_expression(a).is_ok() {
            continue;
        }
        // A catalogue type recflow evaluates (PERMITCALL, SUPPRESSCALL, RETURN: the thread ends
        // there) is modelled: no note (issue 25: G003 named them "pass-through").
        if !crate::script::runtime::is_if(a)
            && a.spec.is_some_and(|s| s.sim == crate::script::catalogue::Sim::Evaluated)
        {
            continue;
        }
        let branched = a.branches.iter().any(|b| b.name != "default");
        let treatment = crate::script::catalogue::treatment(a.spec, branched);
        let traffic = crate::model::traffic::is_traffic_branched(a);
        out.push(
            Diagnostic::new(
                &RULE,
                ix,
                super::action_span(a),
                match a.spec {
                    Some(s) => format!("`{}` is not modelled: {treatment}", s.name),
                    None => format!(
                        "`{}` is a type recflow's catalogue does not list: {treatment}",
                        a.type_name
                    ),
                },
            )
            .label(if traffic {
                "its branch comes from the traffic file"
            } else {
                "takes its default branch, changes nothing"
            })
            .help("check that it does not end, transfer or record the call; suppress with an `allow:` entry once reviewed"),
        );
    }
}
