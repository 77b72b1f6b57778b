//! One file per rule. Each file starts with the rule's documentation (`//!`, fixed headings),
//! then exports `pub static RULE: Rule` (id, code, name, default severity, summary, check), and
//! has `pub(crate) fn check(cx: &Ctx, out: &mut Vec<Diagnostic>)` whose findings are made with
//! `Diagnostic::new(&RULE, ...)`. `registry.rs` lists the `RULE`s; a rule with a `lint --fix`
//! repair also has `fix` (dispatched by [`RuleId`](super::RuleId) in `fix.rs`). Shared helpers
//! for rules are below.

pub mod agent_only_not_before_routing;
pub mod case_misses_signal_value;
pub mod case_missing_default;
pub mod consent_decline_reaches_agent;
pub mod dnr_after_answer;
pub mod indicator_left_on;
pub mod ivr_start_ends_at_queue;
pub mod loop_without_exit;
pub mod media_after_release;
pub mod recording_action_after_dnr;
pub mod recording_before_consent;
pub mod sensitive_input_while_recording;
pub mod signal_without_onsignal;
pub mod statement_id_not_saved;
pub mod statement_id_saved_to_local;
pub mod statement_stop_without_start;
pub mod stop_disables_policies;
pub mod studio_start_inflates_policy;
pub mod unmodelled_action;
pub mod unreachable_action;
pub mod unused_suppression;

use crate::script::{Action, ActionIx, Kind, Script, Span};

/// The narrowest span naming an action: its `type` value (else its id, else the whole action).
pub(crate) fn action_span(a: &Action) -> Span {
    if a.type_span.len > 0 {
        a.type_span
    } else if a.id_span.len > 0 {
        a.id_span
    } else {
        a.span
    }
}

/// `PLAY `hello`` — how messages name an action.
pub(crate) fn describe(script: &Script, ix: ActionIx) -> String {
    let a = script.action(ix);
    let ty = a.kind.canonical_name().map_or_else(|| a.type_name.clone(), str::to_string);
    format!("{ty} `{}`", a.id)
}

pub(crate) fn is_call_start(kind: &Kind) -> bool {
    matches!(kind, Kind::LogRecordingPro(l) if !l.use_statement_id && l.record == crate::script::Record::Start)
}

pub(crate) fn is_statement_stop(kind: &Kind) -> bool {
    matches!(kind, Kind::LogRecordingPro(l) if l.use_statement_id && l.record == crate::script::Record::Stop)
}
