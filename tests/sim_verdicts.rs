//! Issue 19: the simulator judges every contact — its recordings against its consent answer
//! (`recorded_without_consent` with its answer and initiators, `recorded_before_consent`),
//! its recorded statements (`statement_lost`) — and the report carries the classes and the
//! verdict block. Each test forces one answer with a traffic input of weight 1.

mod common;

use common::sim::{fixed_traffic, script};
use recflow::model::{PressSequence, Tenant, Traffic, Weighted};
use recflow::script::Script;
use recflow::sim::findings::{CLASS_MASKS, Class, KINDS};
use recflow::sim::outcome::{BY_POLICY, BY_STUDIO, ConsentAnswer, Finding};
use recflow::sim::{Compiled, Outcome};

/// Consent MENU `consent` (accept "1"): "1" → queue, "2" → `two`, default → `dflt`; then an
/// agent. `two` / `dflt` name what the declining branches run before the queue.
fn consent_script(two: &str, dflt: &str, before: &str) -> Script {
    script(&format!(
        "  - {{id: begin, type: BEGIN, next: {first}}}
  - {{id: start, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: consent}}
  - id: consent
    type: MENU
    consent: {{accept: ['1']}}
    branches: {{'1': queue, '2': {two}, default: {dflt}}}
  - {{id: dnr, type: DONOTRECORD, next: queue}}
  - {{id: rao, type: RECORDAGENTONLY, next: queue}}
  - {{id: queue, type: REQAGENT, next: hold}}
  - {{id: hold, type: MUSIC, next: hold}}
",
        first = if before == "start" { "start" } else { "consent" }
    ))
}

fn answering(input: Option<&str>) -> Traffic {
    let mut t = fixed_traffic();
    t.inputs = vec![("consent".into(), Weighted { items: vec![(input.map(str::to_string), 1.0)] })];
    t
}

fn one(s: &Script, t: &Traffic) -> Outcome {
    recflow::sim::driver::one(&Compiled::compile(s, &Tenant::default(), t), 0)
}

#[test]
fn a_declined_answer_that_reaches_a_recorded_agent_is_recorded_without_consent() {
    // "2" goes straight to the queue: the 100% default policy records the agent segment.
    let o = one(&consent_script("queue", "dnr", ""), &answering(Some("2")));
    assert_eq!(o.consent, Some(ConsentAnswer::Declined));
    assert!(o.has(Finding::RecordedWithoutConsent));
    assert_eq!(o.without_consent_by, BY_POLICY);
    assert!(!o.has(Finding::RecordedBeforeConsent));
    let s = consent_script("queue", "dnr", "");
    assert_eq!(o.finding_at[Finding::RecordedWithoutConsent as usize], Some(s.find("consent").unwrap()));
}

#[test]
fn no_input_and_unlisted_digits_are_told_apart() {
    let s = consent_script("dnr", "queue", "");
    let none = one(&s, &answering(None));
    assert_eq!(none.consent, Some(ConsentAnswer::NoInput));
    assert!(none.has(Finding::RecordedWithoutConsent));
    let nine = one(&s, &answering(Some("9")));
    assert_eq!(nine.consent, Some(ConsentAnswer::UnlistedDigit));
    assert!(nine.has(Finding::RecordedWithoutConsent));
    // The listed "2" runs DONOTRECORD: not recorded, no finding.
    let two = one(&s, &answering(Some("2")));
    assert_eq!(two.consent, Some(ConsentAnswer::Declined));
    assert!(two.recordings.is_empty() && !two.has(Finding::RecordedWithoutConsent));
}

#[test]
fn accepted_and_agent_only_are_not_violations() {
    let s = consent_script("rao", "rao", "");
    let yes = one(&s, &answering(Some("1")));
    assert_eq!(yes.consent, Some(ConsentAnswer::Accepted));
    assert!(!yes.recordings.is_empty() && yes.finding_bits() == 0);
    // RECORDAGENTONLY after a refusal records the agent side only: the caller is not recorded.
    let no = one(&s, &answering(Some("2")));
    assert!(!no.recordings.is_empty(), "the agent side is recorded");
    assert!(!no.has(Finding::RecordedWithoutConsent), "{:?}", no.recordings);
}

#[test]
fn a_recording_started_before_the_question_and_not_stopped_is_recorded_before_consent() {
    // Start in the IVR, then "2" goes on to the queue: the IVR recording runs through the
    // refusal (and the policy records the agent).
    let o = one(&consent_script("queue", "dnr", "start"), &answering(Some("2")));
    assert!(o.has(Finding::RecordedBeforeConsent) && o.has(Finding::RecordedWithoutConsent));
    assert_eq!(o.without_consent_by & BY_STUDIO, BY_STUDIO);
    // Stopped at the refusal by DONOTRECORD: what came before is recorded_before_dnr only.
    let o = one(&consent_script("dnr", "dnr", "start"), &answering(Some("2")));
    assert!(o.has(Finding::RecordedBeforeDnr));
    assert!(!o.has(Finding::RecordedBeforeConsent) && !o.has(Finding::RecordedWithoutConsent));
}

#[test]
fn a_path_that_skips_the_consent_question_is_not_asked() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: route}
  - {id: route, type: MENU, branches: {'1': consent, '2': queue}}
  - {id: consent, type: MENU, consent: {accept: ['1']}, branches: {'1': queue, '2': dnr, default: dnr}}
  - {id: dnr, type: DONOTRECORD, next: queue}
  - {id: queue, type: REQAGENT, next: hold}
  - {id: hold, type: MUSIC, next: hold}
",
    );
    let mut t = fixed_traffic();
    t.inputs = vec![("route".into(), Weighted { items: vec![(Some("2".into()), 1.0)] })];
    let o = one(&s, &t);
    assert_eq!(o.consent, Some(ConsentAnswer::NotAsked));
    assert!(o.has(Finding::RecordedWithoutConsent));
    assert_eq!(o.finding_at[Finding::RecordedWithoutConsent as usize], None);
}

#[test]
fn a_script_without_consent_question_is_not_judged_for_consent() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: queue}
  - {id: queue, type: REQAGENT, next: hold}
  - {id: hold, type: MUSIC, next: hold}
",
    );
    let p = Compiled::compile(&s, &Tenant::default(), &fixed_traffic());
    let o = recflow::sim::driver::one(&p, 0);
    assert!(!o.recordings.is_empty());
    assert_eq!((o.consent, o.finding_bits()), (None, 0));
    assert!(recflow::sim::simulate(&p, 50, |_| {}).consent.is_none());
}

#[test]
fn a_lost_statement_is_a_finding() {
    let s = common::sim::load("scripts/mistake-statement-lost.yaml");
    let mut t = fixed_traffic();
    t.agent.presses = vec![PressSequence {
        p: 1.0,
        buttons: vec!["Start Recorded Statement".into(), "Stop Recorded Statement".into()],
    }];
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let r = recflow::sim::simulate(&p, 200, |_| {});
    assert!(r.statements.lost > 0);
    let lost_contacts = (0..200)
        .filter(|&i| recflow::sim::driver::one(&p, i).statements.iter().any(|st| !st.saved))
        .count() as u64;
    assert_eq!(r.findings.get(Finding::StatementLost), lost_contacts);
    assert_eq!(r.classes.violation, lost_contacts);
}

#[test]
fn the_report_breaks_consent_down_and_lists_verdicts_worst_first() {
    let s = consent_script("queue", "dnr", "");
    let mut t = fixed_traffic();
    t.inputs = vec![(
        "consent".into(),
        Weighted { items: vec![(Some("1".into()), 0.5), (Some("2".into()), 0.3), (None, 0.2)] },
    )];
    t.agent.rod = 0.3;
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let r = recflow::sim::simulate(&p, 400, |_| {});
    let c = r.consent.as_ref().unwrap();
    assert_eq!(c.questions, ["consent"]);
    assert_eq!(c.answers.0.iter().sum::<u64>(), 400);
    let w = &c.recorded_without_consent;
    // "2" reaches the agent without DNR; no input runs DNR.
    assert_eq!(w.by_answer.get(ConsentAnswer::Declined), r.findings.get(Finding::RecordedWithoutConsent));
    assert_eq!(w.by_answer.get(ConsentAnswer::NoInput), 0);
    assert!(w.by_initiator.policy > 0);
    // ROD refused under DNR (the no-input callers): a notice, listed after the violation.
    let classes: Vec<&str> = r.verdicts.iter().map(|v| v.class).collect();
    let mut sorted = classes.clone();
    sorted.sort_by_key(|c| Class::ALL.iter().position(|k| k.as_str() == *c));
    assert_eq!(classes, sorted);
    assert_eq!(r.verdicts[0].finding, "recorded_without_consent");
    assert_eq!(r.verdicts[0].predicted_by, ["C001", "C003"]);
    assert_eq!(r.verdicts[0].examples.len(), 2);
    assert!(r.verdicts[0].examples[0] < r.verdicts[0].examples[1]);
    assert_eq!(r.classes.violation, r.findings.get(Finding::RecordedWithoutConsent));
}

#[test]
fn class_masks_follow_the_catalogue() {
    for k in KINDS {
        for c in Class::ALL {
            assert_eq!(CLASS_MASKS[c as usize] & (1 << k.finding as u8) != 0, k.class == c, "{}", k.name);
        }
    }
}

#[test]
fn verdicts_are_the_same_for_any_jobs() {
    let s = consent_script("queue", "queue", "start");
    let t = answering(Some("2"));
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let four = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
    let a = one_thread.install(|| recflow::sim::simulate(&p, 9000, |_| {}));
    let b = four.install(|| recflow::sim::simulate(&p, 9000, |_| {}));
    assert_eq!(a, b);
    assert!(!a.verdicts.is_empty());
}
