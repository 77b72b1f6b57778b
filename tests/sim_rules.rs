//! One named test per recording rule R1–R15 and per assumption A-n of SEMANTICS.md, each
//! asserting real per-contact outcomes of a small inline script under a small tenant/traffic.

mod common;

use common::sim::{fixed_traffic as traffic, script};
use recflow::model::{Agent, Dist, DnrPolicy, Match, Policy, PressSequence, Tenant, Traffic};
use recflow::sim::engine::TraceStep;
use recflow::sim::ids::{AgentId, PolicyId};
use recflow::sim::outcome::{EndedBy, Finding, Initiator, Mode, SegmentKind};
use recflow::sim::{Compiled, Outcome};

// ---- helpers ------------------------------------------------------------------------------

fn agent(id: &str, recordable: bool) -> Agent {
    Agent { id: id.into(), team: "T".into(), skills: None, can_be_recorded: recordable }
}

fn policy(name: &str, percent: f64) -> Policy {
    Policy {
        name: name.into(),
        priority: None,
        percent,
        matches: Match::default(),
        continue_after_external_transfer: false,
        continue_after_disposition: false,
    }
}

/// Two recordable agents `a`, `b`; one policy `P` at `percent`.
fn tenant(percent: f64) -> Tenant {
    Tenant {
        agents: vec![agent("a", true), agent("b", true)],
        recording_policies: vec![policy("P", percent)],
        do_not_record_policies: vec![],
        short_call_seconds: 4.0,
    }
}

fn run(s: &recflow::script::Script, tenant: &Tenant, traffic: &Traffic, id: u64) -> Outcome {
    let p = Compiled::compile(s, tenant, traffic);
    recflow::sim::driver::one(&p, id)
}

fn explain(
    s: &recflow::script::Script,
    tenant: &Tenant,
    traffic: &Traffic,
    id: u64,
) -> (Outcome, Vec<TraceStep>) {
    let p = Compiled::compile(s, tenant, traffic);
    let ex = recflow::sim::explain::explain(&p, id);
    (ex.outcome, ex.steps)
}

/// (segment kind, mode, initiator, from, to) of every recording.
fn recs(o: &Outcome) -> Vec<(SegmentKind, Mode, Initiator, u64, u64)> {
    o.recordings.iter().map(|r| (o.kind_of(r), r.mode, r.initiator, r.from_ms, r.to_ms)).collect()
}

fn path(s: &recflow::script::Script, o: &Outcome) -> Vec<String> {
    o.path.iter().map(|&i| s.actions[i.index()].id.clone()).collect()
}

const QUEUE: &str = "
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}, next: hold}
  - {id: hold, type: MUSIC, next: hold}
";

use Initiator::{Policy as Pol, Rod, Studio};
use Mode::{AgentOnly, Full};
use SegmentKind::{Agent as Ag, External, Ivr};

// ---- R1 / consent ---------------------------------------------------------------------------

#[test]
fn r1_dnr_blocks_policies_rod_studio_and_statements() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: dnr}}
  - {{id: dnr, type: DONOTRECORD, next: start}}
  - {{id: start, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: rao}}
  - {{id: rao, type: RECORDAGENTONLY, next: queue}}
  - {{id: onanswer, type: ONANSWER, next: st}}
  - {{id: st, type: LOGRECORDINGPRO, properties: {{Record: Start, UseRecordingStatementId: True}}, next: w}}
  - {{id: w, type: WAIT, properties: {{Seconds: 5}}, next: hold}}
{QUEUE}"
    ));
    let mut tr = traffic();
    tr.agent.rod = 1.0;
    tr.agent.supervisor_rod = 1.0;
    let o = run(&s, &tenant(100.0), &tr, 0);
    assert_eq!(o.dnr_at_ms, Some(0));
    assert!(o.recordings.is_empty(), "{:?}", o.recordings);
    assert!(o.statements.is_empty());
    assert!(o.has(Finding::RodBlocked));
}

#[test]
fn r1_consent_annotation_alone_does_not_set_dnr() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: consent}}
  - {{id: consent, type: MENU, consent: {{accept: [\"1\"]}}, branches: {{\"1\": queue, \"2\": queue, default: queue}}}}
{QUEUE}"
    ));
    for id in 0..20 {
        let o = run(&s, &tenant(100.0), &traffic(), id);
        assert_eq!(o.dnr_at_ms, None);
        // A caller who gives no input waits the MENU's Timeout (5 s) more.
        let late = o.duration_ms > 276_000;
        let from = if late { 41_000 } else { 36_000 };
        assert_eq!(recs(&o), vec![(Ag, Full, Pol(PolicyId(0)), from, from + 240_000)]);
    }
}

// ---- R2 / A-5 --------------------------------------------------------------------------------

#[test]
fn r2_agent_that_cannot_be_recorded_is_not_recorded_by_policy() {
    let s = script(&format!("  - {{id: begin, type: BEGIN, next: queue}}\n{QUEUE}"));
    let mut t = tenant(100.0);
    t.agents = vec![agent("ceo", false)];
    let o = run(&s, &t, &traffic(), 0);
    assert!(o.recordings.is_empty());
    assert!(o.policy_matched[0], "the policy still matched (R15 counts it)");
}

#[test]
fn a5_unrecordable_agent_blocks_studio_and_rod_too() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: start}}
  - {{id: start, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: queue}}
{QUEUE}"
    ));
    let mut t = tenant(100.0);
    t.agents = vec![agent("ceo", false)];
    let mut tr = traffic();
    tr.agent.rod = 1.0;
    let o = run(&s, &t, &tr, 0);
    assert!(o.recordings.is_empty(), "{:?}", recs(&o));
    assert!(o.has(Finding::RodBlocked));
}

// ---- R3 / R4 / A-6 ---------------------------------------------------------------------------

#[test]
fn r3_studio_armed_at_answer_means_policies_are_not_evaluated() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: start}}
  - {{id: start, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: queue}}
{QUEUE}"
    ));
    let o = run(&s, &tenant(100.0), &traffic(), 0);
    assert_eq!(recs(&o), vec![(Ag, Full, Studio, 30_000, 270_000)]);
}

#[test]
fn r4_ivr_start_records_ivr_only_when_media_follows() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: start}}
  - {{id: start, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: hello}}
  - {{id: hello, type: PLAY, properties: {{Phrase: Hello}}, next: queue}}
{QUEUE}"
    ));
    // IVR 0–3 s recorded by Studio; it stops at REQAGENT; the policy (0%) decides the agent.
    let o = run(&s, &tenant(0.0), &traffic(), 0);
    assert_eq!(recs(&o), vec![(Ivr, Full, Studio, 0, 3_000)]);
    let o = run(&s, &tenant(100.0), &traffic(), 0);
    assert_eq!(recs(&o), vec![(Ivr, Full, Studio, 0, 3_000), (Ag, Full, Pol(PolicyId(0)), 33_000, 273_000)]);
    let (_, steps) = explain(&s, &tenant(100.0), &traffic(), 0);
    assert!(
        steps.iter().any(|st| st.rule == Some("A-6")
            && st.text.contains("not armed")
            && st.text.contains("PLAY `hello`")),
        "{steps:#?}"
    );
}

#[test]
fn a6_start_without_media_before_reqagent_arms_studio() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: start}}
  - {{id: start, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: w}}
  - {{id: w, type: WAIT, properties: {{Seconds: 2}}, next: queue}}
{QUEUE}"
    ));
    let (o, steps) = explain(&s, &tenant(0.0), &traffic(), 0);
    assert_eq!(recs(&o), vec![(Ivr, Full, Studio, 0, 2_000), (Ag, Full, Studio, 32_000, 272_000)]);
    assert!(steps.iter().any(|st| st.rule == Some("A-6") && st.text.starts_with("armed")));
}

#[test]
fn r4_start_while_queued_only_arms() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}, next: start}
  - {id: start, type: LOGRECORDINGPRO, properties: {Record: Start}, next: hold}
  - {id: hold, type: MUSIC, next: hold}
",
    );
    let o = run(&s, &tenant(0.0), &traffic(), 0);
    assert_eq!(recs(&o), vec![(Ag, Full, Studio, 30_000, 270_000)]);
}

// ---- R5 / A-7 / A-8 --------------------------------------------------------------------------

#[test]
fn r5_record_agent_only_arms_whatever_follows() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: rao}}
  - {{id: rao, type: RECORDAGENTONLY, next: hello}}
  - {{id: hello, type: PLAY, next: queue}}
{QUEUE}"
    ));
    let o = run(&s, &tenant(100.0), &traffic(), 0);
    assert_eq!(recs(&o), vec![(Ag, AgentOnly, Studio, 33_000, 273_000)]);
}

#[test]
fn a7_the_later_of_start_and_agent_only_decides_the_mode() {
    let make = |first: &str, second: &str| {
        script(&format!(
            "  - {{id: begin, type: BEGIN, next: one}}
  - {{id: one, {first}, next: two}}
  - {{id: two, {second}, next: queue}}
{QUEUE}"
        ))
    };
    let start = "type: LOGRECORDINGPRO, properties: {Record: Start}";
    let rao = "type: RECORDAGENTONLY";
    let o = run(&make(rao, start), &tenant(0.0), &traffic(), 0);
    assert_eq!(recs(&o), vec![(Ag, Full, Studio, 30_000, 270_000)]);
    let o = run(&make(start, rao), &tenant(0.0), &traffic(), 0);
    assert_eq!(recs(&o), vec![(Ag, AgentOnly, Studio, 30_000, 270_000)]);
}

#[test]
fn a8_rod_during_agent_only_recording_is_a_no_op() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: rao}}\n  - {{id: rao, type: RECORDAGENTONLY, next: queue}}\n{QUEUE}"
    ));
    let mut tr = traffic();
    tr.agent.rod = 1.0;
    let o = run(&s, &tenant(0.0), &tr, 0);
    assert_eq!(recs(&o), vec![(Ag, AgentOnly, Studio, 30_000, 270_000)]);
    assert!(!o.has(Finding::RodBlocked));
}

// ---- R6 ----------------------------------------------------------------------------------

#[test]
fn r6_stop_turns_policies_off_for_the_contact_but_rod_resumes() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: stop}}
  - {{id: stop, type: LOGRECORDINGPRO, properties: {{Record: Stop}}, next: queue}}
{QUEUE}"
    ));
    let mut tr = traffic();
    tr.agent.transfer_agent = 1.0;
    let o = run(&s, &tenant(100.0), &tr, 0);
    assert_eq!(o.segments.len(), 3, "ivr, agent, agent after transfer");
    assert!(o.recordings.is_empty(), "{:?}", recs(&o));
    tr.agent.rod = 1.0;
    tr.agent.transfer_agent = 0.0;
    let o = run(&s, &tenant(100.0), &tr, 0);
    assert_eq!(o.recordings.len(), 1);
    assert_eq!(o.recordings[0].initiator, Rod);
}

#[test]
fn r6_stop_during_the_call_stops_the_policy_recording() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: queue}}
  - {{id: oa, type: ONANSWER, next: w}}
  - {{id: w, type: WAIT, properties: {{Seconds: 10}}, next: stop}}
  - {{id: stop, type: LOGRECORDINGPRO, properties: {{Record: Stop}}}}
{QUEUE}"
    ));
    let o = run(&s, &tenant(100.0), &traffic(), 0);
    assert_eq!(recs(&o), vec![(Ag, Full, Pol(PolicyId(0)), 30_000, 40_000)]);
}

// ---- R7 ----------------------------------------------------------------------------------

#[test]
fn r7_rod_takes_over_a_policy_recording_at_that_instant() {
    let s = script(&format!("  - {{id: begin, type: BEGIN, next: queue}}\n{QUEUE}"));
    let mut tr = traffic();
    tr.agent.rod = 1.0;
    for id in 0..10 {
        let o = run(&s, &tenant(100.0), &tr, id);
        let r = recs(&o);
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!((r[0].2, r[0].3), (Pol(PolicyId(0)), 30_000));
        assert_eq!((r[1].2, r[1].4), (Rod, 270_000));
        assert_eq!(r[0].4, r[1].3, "the ROD interval opens where the policy interval ends");
        assert!(r[0].4 > 30_000 && r[0].4 < 270_000, "ROD time inside the talk");
    }
}

// ---- R8 / A-9 / A-10 -----------------------------------------------------------------------

#[test]
fn r8_best_priority_matching_policy_decides() {
    let s = script(&format!("  - {{id: begin, type: BEGIN, next: queue}}\n{QUEUE}"));
    let mut t = tenant(0.0);
    let mut support = policy("Support", 100.0);
    support.priority = Some(1);
    support.matches.skills = vec!["support".into()];
    let mut sales_none = policy("SalesNone", 0.0);
    sales_none.priority = Some(2);
    sales_none.matches.skills = vec!["SALES".into()];
    let mut all = policy("All", 100.0);
    all.priority = Some(3);
    t.recording_policies = vec![all, support, sales_none];
    // Skill Sales: Support does not match; SalesNone (priority 2) beats All (3) → 0%.
    let o = run(&s, &t, &traffic(), 0);
    assert!(o.recordings.is_empty(), "{:?}", recs(&o));
    let p = Compiled::compile(&s, &t, &traffic());
    let matched: Vec<&str> =
        p.policies.iter().zip(&o.policy_matched).filter(|(_, m)| **m).map(|(p, _)| p.name.as_str()).collect();
    assert_eq!(matched, vec!["SalesNone", "All"]);
}

#[test]
fn a10_unnumbered_policies_come_after_numbered_in_file_order() {
    let s = script(&format!("  - {{id: begin, type: BEGIN, next: queue}}\n{QUEUE}"));
    let mut t = tenant(0.0);
    let mut numbered = policy("Numbered", 100.0);
    numbered.priority = Some(5);
    t.recording_policies = vec![policy("First", 0.0), policy("Second", 100.0), numbered];
    let o = run(&s, &t, &traffic(), 0);
    assert_eq!(recs(&o), vec![(Ag, Full, Pol(PolicyId(0)), 30_000, 270_000)]);
    let p = Compiled::compile(&s, &t, &traffic());
    assert_eq!(p.policies[0].name, "Numbered");
    // Without the numbered one, "First" (0%) decides: file order.
    t.recording_policies.pop();
    assert!(run(&s, &t, &traffic(), 0).recordings.is_empty());
}

#[test]
fn a9_policy_sample_is_drawn_once_per_contact() {
    let s = script(&format!("  - {{id: begin, type: BEGIN, next: queue}}\n{QUEUE}"));
    let mut tr = traffic();
    tr.agent.transfer_agent = 1.0;
    let (mut both, mut neither) = (0, 0);
    for id in 0..200 {
        let o = run(&s, &tenant(50.0), &tr, id);
        assert_eq!(o.segments.len(), 3);
        match o.recordings.len() {
            2 => both += 1,
            0 => neither += 1,
            n => panic!("contact {id}: {n} recordings: a sampled-in contact stays in"),
        }
    }
    assert!(both > 60 && neither > 60, "{both} / {neither}");
}

// ---- R9 ----------------------------------------------------------------------------------

#[test]
fn r9_dnr_policy_beats_recording_policies_but_not_studio() {
    let s = script(&format!("  - {{id: begin, type: BEGIN, next: queue}}\n{QUEUE}"));
    let mut t = tenant(100.0);
    t.do_not_record_policies = vec![DnrPolicy {
        name: "Execs".into(),
        matches: Match { teams: vec!["t".into()], ..Match::default() },
    }];
    assert!(run(&s, &t, &traffic(), 0).recordings.is_empty());
    let studio = script(&format!(
        "  - {{id: begin, type: BEGIN, next: start}}
  - {{id: start, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: queue}}
{QUEUE}"
    ));
    assert_eq!(recs(&run(&studio, &t, &traffic(), 0)), vec![(Ag, Full, Studio, 30_000, 270_000)]);
}

// ---- R10 / A-11 / A-20 / A-19 ----------------------------------------------------------------

#[test]
fn r10_studio_continues_across_an_agent_transfer_one_interval_per_segment() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: start}}
  - {{id: start, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: queue}}
{QUEUE}"
    ));
    let mut tr = traffic();
    tr.agent.transfer_agent = 1.0;
    let o = run(&s, &tenant(0.0), &tr, 0);
    let r = recs(&o);
    assert_eq!(r.len(), 2);
    assert_eq!((r[0].0, r[0].2, r[1].0, r[1].2), (Ag, Studio, Ag, Studio));
    assert_eq!((o.recordings[0].segment, o.recordings[1].segment), (1, 2));
    assert_eq!(r[0].4, r[1].3);
    assert_ne!(o.segments[1].agent, o.segments[2].agent, "transferred to another agent");
}

#[test]
fn r10_policy_is_re_evaluated_for_the_new_agent() {
    let s = script(&format!("  - {{id: begin, type: BEGIN, next: queue}}\n{QUEUE}"));
    let mut t = tenant(0.0);
    let mut only_a = policy("OnlyA", 100.0);
    only_a.matches.agents = vec!["a".into()];
    t.recording_policies = vec![only_a];
    let mut tr = traffic();
    tr.agent.transfer_agent = 1.0;
    for id in 0..20 {
        let o = run(&s, &t, &tr, id);
        let agents: Vec<Option<AgentId>> = o.segments.iter().map(|s| s.agent).collect();
        let recorded: Vec<u32> = o.recordings.iter().map(|r| r.segment).collect();
        // Agent 0 (`a`) is recorded by the policy, agent `b` is not, in whichever segment.
        let expected: Vec<u32> = (1..3).filter(|&i| agents[i as usize] == Some(AgentId(0))).collect();
        assert_eq!(recorded, expected, "contact {id}");
    }
}

#[test]
fn a11_policy_stops_at_an_external_transfer_unless_it_continues() {
    let s = script(&format!("  - {{id: begin, type: BEGIN, next: queue}}\n{QUEUE}"));
    let mut tr = traffic();
    tr.agent.transfer_external = 1.0;
    let o = run(&s, &tenant(100.0), &tr, 0);
    assert_eq!(o.segments[2].kind, External);
    assert_eq!(o.recordings.len(), 1);
    assert_eq!(o.kind_of(&o.recordings[0]), Ag);
    let mut t = tenant(100.0);
    t.recording_policies[0].continue_after_external_transfer = true;
    let o = run(&s, &t, &tr, 0);
    let kinds: Vec<SegmentKind> = o.recordings.iter().map(|r| o.kind_of(r)).collect();
    assert_eq!(kinds, vec![Ag, External]);
    assert_eq!(o.recordings[1].to_ms, 270_000);
}

const SIGNAL_SCRIPT: &str = "
  - {id: begin, type: BEGIN, next: queue}
  - {id: queue, type: REQAGENT, properties: {Skill: Sales}, next: hold}
  - {id: hold, type: MUSIC, next: hold}
  - {id: oa, type: ONANSWER, next: btn}
  - {id: btn, type: INDICATE, properties: {Name: Statement, State: On, Parameters: [start]}, next: wait}
  - {id: wait, type: WAIT, properties: {Seconds: 1000}, next: wait}
  - {id: sig, type: ONSIGNAL, next: case}
  - {id: case, type: CASE, properties: {Variable: SP1}, branches: {start: st, default: wait}}
  - {id: st, type: LOGRECORDINGPRO, properties: {Record: Start, UseRecordingStatementId: True}, next: save}
  - {id: save, type: ASSIGN, properties: {Variable: 'Global:rs', Value: '{RecordingStatementId}'}, next: wait}
  - {id: rel, type: ONRELEASE, next: off}
  - {id: off, type: INDICATE, properties: {Name: Statement, State: Off}}
";

#[test]
fn a20_no_presses_after_an_external_transfer() {
    let s = script(SIGNAL_SCRIPT);
    let mut tr = traffic();
    tr.agent.transfer_external = 1.0;
    tr.agent.presses = vec![PressSequence { p: 1.0, buttons: vec!["statement".into()] }];
    let (mut before, mut after) = (0, 0);
    for id in 0..100 {
        let o = run(&s, &tenant(0.0), &tr, id);
        let ext = o.segments.iter().find(|s| s.kind == External).expect("external segment").from_ms;
        match o.statements.first() {
            Some(st) => {
                assert!(st.from_ms < ext, "contact {id}: a press after the external transfer ran");
                before += 1;
            }
            None => after += 1,
        }
    }
    assert!(before > 20 && after > 20, "{before} / {after}");
}

#[test]
fn a19_onanswer_fires_once_even_after_a_transfer() {
    let s = script(SIGNAL_SCRIPT);
    let mut tr = traffic();
    tr.agent.transfer_agent = 1.0;
    let o = run(&s, &tenant(0.0), &tr, 0);
    assert_eq!(o.segments.len(), 3);
    assert_eq!(path(&s, &o).iter().filter(|a| *a == "oa").count(), 1);
}

// ---- R11 / A-12 / A-13 -------------------------------------------------------------------

#[test]
fn r11_disposition_stops_policy_recording_unless_it_continues() {
    let s = script(&format!("  - {{id: begin, type: BEGIN, next: queue}}\n{QUEUE}"));
    let mut tr = traffic();
    tr.agent.disposition = 1.0;
    tr.agent.transfer_agent = 1.0;
    let o = run(&s, &tenant(100.0), &tr, 3);
    let mut t = tenant(100.0);
    t.recording_policies[0].continue_after_disposition = true;
    let kept = run(&s, &t, &tr, 3);
    let total = |o: &Outcome| o.recordings.iter().map(|r| r.to_ms - r.from_ms).sum::<u64>();
    assert_eq!(total(&kept), 240_000, "continue_after_disposition: the whole talk");
    assert!(total(&o) < 240_000 && total(&o) > 0, "stopped at the disposition: {:?}", recs(&o));
}

#[test]
fn a12_disposition_stops_policies_by_default_and_they_are_not_re_evaluated() {
    let s = script(&format!("  - {{id: begin, type: BEGIN, next: queue}}\n{QUEUE}"));
    let mut tr = traffic();
    tr.agent.disposition = 1.0;
    tr.agent.transfer_agent = 1.0;
    for id in 0..30 {
        let o = run(&s, &tenant(100.0), &tr, id);
        let transfer_at = o.segments[2].from_ms;
        let r = &o.recordings;
        // Disposition before the transfer: the new agent segment is not recorded.
        if r[0].segment == 1 && r[0].to_ms < transfer_at {
            assert!(r.iter().all(|x| x.segment == 1), "contact {id}: {:?}", recs(&o));
        }
    }
}

#[test]
fn a13_disposition_does_not_stop_studio_or_rod() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: start}}
  - {{id: start, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: queue}}
{QUEUE}"
    ));
    let mut tr = traffic();
    tr.agent.disposition = 1.0;
    let o = run(&s, &tenant(100.0), &tr, 0);
    assert_eq!(recs(&o), vec![(Ag, Full, Studio, 30_000, 270_000)]);
}

// ---- R12 / A-14 --------------------------------------------------------------------------

#[test]
fn r12_short_calls_discard_policy_recordings() {
    let s = script(&format!("  - {{id: begin, type: BEGIN, next: queue}}\n{QUEUE}"));
    let mut tr = traffic();
    tr.durations.talk = Dist::Fixed(3.0);
    assert!(run(&s, &tenant(100.0), &tr, 0).recordings.is_empty());
    tr.durations.talk = Dist::Fixed(4.0);
    assert_eq!(run(&s, &tenant(100.0), &tr, 0).recordings.len(), 1);
}

#[test]
fn a14_short_calls_keep_studio_recordings() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: rao}}\n  - {{id: rao, type: RECORDAGENTONLY, next: queue}}\n{QUEUE}"
    ));
    let mut tr = traffic();
    tr.durations.talk = Dist::Fixed(3.0);
    assert_eq!(recs(&run(&s, &tenant(100.0), &tr, 0)), vec![(Ag, AgentOnly, Studio, 30_000, 33_000)]);
}

// ---- R13 / A-15 / A-16 / A-18 ------------------------------------------------------------

fn statement_script(save: &str) -> recflow::script::Script {
    script(&format!(
        "  - {{id: begin, type: BEGIN, next: queue}}
  - {{id: oa, type: ONANSWER, next: st}}
  - {{id: st, type: LOGRECORDINGPRO, properties: {{Record: Start, UseRecordingStatementId: True}}, next: save}}
  - {{id: save, type: ASSIGN, properties: {{Variable: '{save}', Value: '{{RecordingStatementId}}'}}, next: w}}
  - {{id: w, type: WAIT, properties: {{Seconds: 10}}, next: stop}}
  - {{id: stop, type: LOGRECORDINGPRO, properties: {{Record: Stop, UseRecordingStatementId: True}}, next: w2}}
  - {{id: w2, type: WAIT, properties: {{Seconds: 1000}}}}
{QUEUE}"
    ))
}

#[test]
fn r13_statement_is_saved_only_when_a_global_holds_its_id() {
    let o = run(&statement_script("Global:_recordingStatementId"), &tenant(0.0), &traffic(), 7);
    assert_eq!(o.statements.len(), 1);
    let st = o.statements[0];
    assert_eq!((st.from_ms, st.to_ms, st.saved, st.ended_by), (30_000, 40_000, true, EndedBy::Stop));
    let o = run(&statement_script("localCopy"), &tenant(0.0), &traffic(), 7);
    assert!(!o.statements[0].saved, "a local copy does not save it");
}

#[test]
fn a15_statement_actions_neither_start_nor_stop_call_recording() {
    let o = run(&statement_script("Global:x"), &tenant(0.0), &traffic(), 0);
    assert!(o.recordings.is_empty());
    let o = run(&statement_script("Global:x"), &tenant(100.0), &traffic(), 0);
    assert_eq!(
        recs(&o),
        vec![(Ag, Full, Pol(PolicyId(0)), 30_000, 270_000)],
        "the statement Stop does not stop the policy"
    );
}

#[test]
fn a16_each_start_writes_a_fresh_id_and_supersedes_the_open_statement() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: queue}}
  - {{id: oa, type: ONANSWER, next: st}}
  - {{id: st, type: LOGRECORDINGPRO, properties: {{Record: Start, UseRecordingStatementId: True}}, next: save}}
  - {{id: save, type: ASSIGN, properties: {{Variable: 'Global:a', Value: '{{RecordingStatementId}}'}}, next: w}}
  - {{id: w, type: WAIT, properties: {{Seconds: 10}}, next: st2}}
  - {{id: st2, type: LOGRECORDINGPRO, properties: {{Record: Start, UseRecordingStatementId: True}}, next: w2}}
  - {{id: w2, type: WAIT, properties: {{Seconds: 1000}}}}
{QUEUE}"
    ));
    let o = run(&s, &tenant(0.0), &traffic(), 5);
    assert_eq!(o.statements.len(), 2);
    assert_eq!((o.statements[0].ended_by, o.statements[0].saved), (EndedBy::Superseded, true));
    assert_eq!((o.statements[1].ended_by, o.statements[1].saved), (EndedBy::CallEnd, false));
    assert_eq!(o.statements[1].to_ms, 270_000);
    assert_ne!(o.statements[0].n, o.statements[1].n);
}

#[test]
fn r13_a_plain_logrecordingpro_clears_the_id_before_it_is_saved() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: queue}}
  - {{id: oa, type: ONANSWER, next: st}}
  - {{id: st, type: LOGRECORDINGPRO, properties: {{Record: Start, UseRecordingStatementId: True}}, next: plain}}
  - {{id: plain, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: save}}
  - {{id: save, type: ASSIGN, properties: {{Variable: 'Global:a', Value: '{{RecordingStatementId}}'}}, next: w}}
  - {{id: w, type: WAIT, properties: {{Seconds: 1000}}}}
{QUEUE}"
    ));
    let o = run(&s, &tenant(0.0), &traffic(), 0);
    assert_eq!(o.statements.len(), 1);
    assert!(!o.statements[0].saved);
}

#[test]
fn a18_no_statement_while_dnr_is_set() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: queue}}
  - {{id: oa, type: ONANSWER, next: st}}
  - {{id: st, type: LOGRECORDINGPRO, properties: {{Record: Start, UseRecordingStatementId: True}}, next: w}}
  - {{id: w, type: WAIT, properties: {{Seconds: 10}}, next: dnr}}
  - {{id: dnr, type: DONOTRECORD, next: st2}}
  - {{id: st2, type: LOGRECORDINGPRO, properties: {{Record: Start, UseRecordingStatementId: True}}, next: w2}}
  - {{id: w2, type: WAIT, properties: {{Seconds: 1000}}}}
{QUEUE}"
    ));
    let o = run(&s, &tenant(0.0), &traffic(), 0);
    assert_eq!(o.statements.len(), 1, "the second Start, after DNR, opens nothing");
    assert_eq!((o.statements[0].to_ms, o.statements[0].ended_by), (40_000, EndedBy::Dnr));
}

// ---- R14 ---------------------------------------------------------------------------------

#[test]
fn r14_sensitive_menu_while_recording_is_reported_and_stop_avoids_it() {
    let make = |before: &str| {
        script(&format!(
            "  - {{id: begin, type: BEGIN, next: start}}
  - {{id: start, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: {before}}}
  - {{id: stop, type: LOGRECORDINGPRO, properties: {{Record: Stop}}, next: card}}
  - {{id: card, type: MENU, properties: {{Phrase: Enter your card number, Sensitive: True}}, branches: {{default: queue}}}}
{QUEUE}"
        ))
    };
    assert!(run(&make("card"), &tenant(0.0), &traffic(), 0).has(Finding::SensitiveWhileRecording));
    assert!(!run(&make("stop"), &tenant(0.0), &traffic(), 0).has(Finding::SensitiveWhileRecording));
}

// ---- R15 ---------------------------------------------------------------------------------

#[test]
fn r15_effective_percent_counts_studio_recordings_of_matching_contacts() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: start}}
  - {{id: start, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: queue}}
{QUEUE}"
    ));
    let mut tr = traffic();
    tr.calls = 200;
    let p = Compiled::compile(&s, &tenant(10.0), &tr);
    let r = recflow::sim::simulate(&p, 200, |_| {});
    assert_eq!(r.policies[0].target_percent, 10.0);
    assert_eq!((r.policies[0].matched, r.policies[0].recorded), (200, 200));
    assert_eq!(r.policies[0].effective_percent, 100.0);
    assert_eq!(r.initiators.policy, 0);
}

// ---- A-1 .., §2 ------------------------------------------------------------------

#[test]
fn a1_action_durations() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: m}
  - {id: m, type: MENU, properties: {Timeout: 99}, branches: {default: p}}
  - {id: p, type: PLAY, next: mu}
  - {id: mu, type: MUSIC, next: mu7}
  - {id: mu7, type: MUSIC, properties: {SecondstoPlay: 7}, next: w}
  - {id: w, type: WAIT, properties: {Seconds: 2}, next: a}
  - {id: a, type: ASSIGN, properties: {Variable: x, Value: y}, next: queue}
  - {id: queue, type: REQAGENT, next: e}
  - {id: e, type: END}
",
    );
    let o = run(&s, &tenant(0.0), &traffic(), 0);
    // MENU 6 + its Timeout 99 (no digit branch: no input, A-25) + PLAY 3 + MUSIC 10 (the whole
    // file, A-26) + MUSIC 7 + WAIT 2 = 127 s of IVR; END before answer ends it.
    assert_eq!(o.segments[0].to_ms, 127_000);
    assert_eq!(o.duration_ms, 127_000);
}

/// a MENU lasts `durations.menu`, plus its `Timeout` when no input comes (then it takes
/// `OnTimeout`), plus its `InterDigitTimeout` after an input short of `MaxDigits`; a written
/// `MaxDigits` cuts a longer input; unlinked digits take `OnInvalid`. `Timeout: 20` and
/// `Timeout: 5` are different calls (issue 25).
#[test]
fn a25_menu_timeout_inter_digit_timeout_and_max_digits() {
    let menu = |props: &str, input: Option<&str>| {
        let s = script(&format!(
            "  - {{id: begin, type: BEGIN, next: m}}
  - {{id: m, type: MENU, properties: {{{props}}}, branches: {{\"1\": one, \"12\": twelve, default: other, OnTimeout: late, OnInvalid: wrong}}}}
  - {{id: one, type: END}}
  - {{id: twelve, type: END}}
  - {{id: other, type: END}}
  - {{id: late, type: END}}
  - {{id: wrong, type: END}}
"
        ));
        let mut tr = traffic();
        tr.inputs =
            vec![("m".into(), recflow::model::Weighted { items: vec![(input.map(str::to_owned), 1.0)] })];
        let o = run(&s, &tenant(0.0), &tr, 0);
        (o.duration_ms, path(&s, &o)[2].clone())
    };
    // No input: durations.menu (6 s) + Timeout, then OnTimeout.
    assert_eq!(menu("Timeout: 20", None), (26_000, "late".into()));
    assert_eq!(menu("Timeout: 5", None), (11_000, "late".into()));
    assert_eq!(menu("Phrase: hi", None), (11_000, "late".into()), "Timeout absent = 5 s");
    assert_eq!(menu("Timeout: 0", None), (6_000, "late".into()));
    // Digits: no Timeout; MaxDigits not written takes the input as given.
    assert_eq!(menu("Timeout: 20", Some("12")), (6_000, "twelve".into()));
    // A written MaxDigits cuts the input: "12" with MaxDigits 1 is "1".
    assert_eq!(menu("MaxDigits: 1", Some("12")), (6_000, "one".into()));
    // Short of MaxDigits: the MENU waits InterDigitTimeout for another digit (not after `#`).
    assert_eq!(menu("MaxDigits: 2, InterDigitTimeout: 3", Some("1")), (9_000, "one".into()));
    assert_eq!(menu("MaxDigits: 2, InterDigitTimeout: 3", Some("12")), (6_000, "twelve".into()));
    assert_eq!(menu("MaxDigits: 1, InterDigitTimeout: 3", Some("1")), (6_000, "one".into()));
    // Digits with no branch: OnInvalid.
    assert_eq!(menu("Timeout: 20", Some("9")), (6_000, "wrong".into()));
    // Templated values are resolved per contact like literal ones.
    let s = script(
        "  - {id: begin, type: BEGIN, next: set}
  - {id: set, type: ASSIGN, properties: {Variable: t, Value: '20'}, next: m}
  - {id: m, type: MENU, properties: {Timeout: '{t}'}, branches: {default: e}}
  - {id: e, type: END}
",
    );
    assert_eq!(run(&s, &tenant(0.0), &traffic(), 0).duration_ms, 26_000);
    // Without OnTimeout / OnInvalid wired, both go to `default`; named results are never drawn
    // as digits (only `1` and no input / an unlisted digit are possible here).
    let s = script(
        "  - {id: begin, type: BEGIN, next: m}
  - {id: m, type: MENU, branches: {\"1\": e, default: e, OnError: err}}
  - {id: e, type: END}
  - {id: err, type: END}
",
    );
    let p = Compiled::compile(&s, &tenant(0.0), &traffic());
    for i in 0..200 {
        let o = recflow::sim::driver::one(&p, i);
        assert!(matches!(o.duration_ms, 6_000 | 11_000), "contact {i}: {}", o.duration_ms);
        assert_eq!(path(&s, &o)[2], "e", "contact {i}: OnError is not a digit");
    }
}

/// MUSIC `SecondstoPlay` positive plays that long and takes `default`; 0 or absent plays
/// the whole file, traffic `durations.music` (10 s by default), and takes `OnComplete`.
/// traffic `durations.ivr_patience` — the caller hangs up this long after arrival if the
/// call is still in the IVR (no REQAGENT yet): the call is released there (ONRELEASE runs), the
/// contact counts `hung_up_in_ivr` (not `abandoned`). REQAGENT ends it: a queued caller hangs
/// up only at `patience`. Absent: no caller hangs up in the IVR, and nothing is drawn.
#[test]
fn a27_ivr_patience_hangs_up_during_ivr_media_only() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: greet}}
  - {{id: greet, type: PLAY, properties: {{Phrase: Welcome.}}, next: more}}
  - {{id: more, type: PLAY, properties: {{Phrase: Please hold.}}, next: queue}}
  - {{id: gone, type: ONRELEASE, next: bye}}
  - {{id: bye, type: ASSIGN, properties: {{Variable: x, Value: '1'}}}}
{QUEUE}"
    ));
    let with = |ivr: Option<Dist>| {
        let mut tr = traffic();
        tr.durations.ivr_patience = ivr;
        tr
    };
    // 4.5 s: during `more` (3 s – 6 s): released there, ONRELEASE runs.
    let (o, steps) = explain(&s, &tenant(0.0), &with(Some(Dist::Fixed(4.5))), 0);
    assert!(o.hung_up_in_ivr && !o.abandoned);
    assert_eq!(o.duration_ms, 4_500);
    assert_eq!(path(&s, &o), ["begin", "greet", "more", "gone", "bye"]);
    assert!(
        steps.iter().any(|t| t.rule == Some("A-27") && t.text.contains("hangs up during the IVR")),
        "{steps:?}"
    );
    // 7 s: the caller is queued at 6 s; the IVR patience no longer applies — the agent answers
    // at 36 s (queue wait 30 s < patience 300 s) and the talk runs its 240 s.
    let o = run(&s, &tenant(0.0), &with(Some(Dist::Fixed(7.0))), 0);
    assert!(!o.hung_up_in_ivr && !o.abandoned);
    assert_eq!(o.duration_ms, 6_000 + 30_000 + 240_000);
    // Absent: the same contact as before the key existed.
    let o = run(&s, &tenant(0.0), &with(None), 0);
    assert!(!o.hung_up_in_ivr);
    assert_eq!(o.duration_ms, 6_000 + 30_000 + 240_000);
    // Sampled: an exp IVR patience hangs up some callers (those whose patience < 6 s), each
    // counted once in the report, which has the key only when the traffic sets it.
    let p = Compiled::compile(&s, &tenant(0.0), &with(Some(Dist::Exp(6.0))));
    let r = recflow::sim::simulate(&p, 1000, |_| {});
    let hung = r.hung_up_in_ivr.expect("modelled: the report says how many");
    // P(exp(6) < 6) = 1 - e^-1 ≈ 0.632.
    assert!((580..690).contains(&hung), "{hung}");
    assert!(r.ci95.hung_up_in_ivr.is_some());
    let p = Compiled::compile(&s, &tenant(0.0), &with(None));
    let r = recflow::sim::simulate(&p, 100, |_| {});
    assert_eq!((r.hung_up_in_ivr, r.ci95.hung_up_in_ivr), (None, None));
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("hung_up_in_ivr"), "absent from the JSON when not modelled");
    // A MENU whose branch taken is not wired (stuck, the caller hears it out and hangs up at
    // its end): a caller whose IVR patience runs out during it hangs up then, and the contact
    // is not stuck; one whose patience outlasts it is.
    let stuck = script(
        "  - {id: begin, type: BEGIN, next: ask}
  - {id: ask, type: MENU, properties: {Phrase: Press 1.}, branches: {'1': begin}}
",
    );
    let silent = |ivr: f64| {
        let mut tr = with(Some(Dist::Fixed(ivr)));
        tr.inputs.push(("ask".into(), recflow::model::Weighted { items: vec![(None, 1.0)] }));
        tr
    };
    let o = run(&stuck, &tenant(0.0), &silent(2.0), 0);
    assert!(o.hung_up_in_ivr && !o.has(Finding::Stuck), "{:?}", o.findings().collect::<Vec<_>>());
    assert_eq!(o.duration_ms, 2_000);
    let o = run(&stuck, &tenant(0.0), &silent(60.0), 0);
    assert!(!o.hung_up_in_ivr && o.has(Finding::Stuck));
    assert_eq!(o.duration_ms, 11_000, "MENU 6 s + Timeout 5 s (no input)");
    // `--exact`: a fixed IVR patience is no random draw — the analysis stays exact, and every
    // contact hangs up; an exp one is split where the engine compares it (threshold
    // splitting, A-29): exactly P(exp(6 s) < 6 s) = 1 − e^(−1), nothing sampled.
    let prob = |e: &recflow::sim::exact::Exact| {
        let v = e.probabilities.iter().find(|v| v.path == ["hung_up_in_ivr"]).expect("the key");
        (v.value, v.rational.clone())
    };
    let p = Compiled::compile(&s, &tenant(0.0), &with(Some(Dist::Fixed(4.5))));
    let e = recflow::sim::exact::explore(&p, 1).unwrap();
    assert!(e.exact);
    assert_eq!(prob(&e), (1.0, Some("1".to_string())));
    let p = Compiled::compile(&s, &tenant(0.0), &with(Some(Dist::Exp(6.0))));
    let e = recflow::sim::exact::explore(&p, 200).unwrap();
    assert!(e.exact && e.not_exact.is_empty(), "{:?}", e.not_exact);
    assert_eq!(e.samples, 1, "no duration is sampled");
    assert!((prob(&e).0 - (1.0 - (-1.0f64).exp())).abs() < 1e-12, "{:?}", prob(&e));
}

#[test]
fn a26_music_seconds_to_play_and_durations_music() {
    let music = |secs: &str, music_dist: Option<Dist>| {
        let s = script(&format!(
            "  - {{id: begin, type: BEGIN, next: mu}}
  - {{id: mu, type: MUSIC, properties: {{SecondstoPlay: {secs}}}, branches: {{default: d, OnComplete: c}}}}
  - {{id: d, type: END}}
  - {{id: c, type: END}}
"
        ));
        let mut tr = traffic();
        if let Some(m) = music_dist {
            tr.durations.music = m;
        }
        let o = run(&s, &tenant(0.0), &tr, 0);
        (o.duration_ms, path(&s, &o)[2].clone())
    };
    assert_eq!(music("10", None), (10_000, "d".into()));
    assert_eq!(music("7", None), (7_000, "d".into()));
    assert_eq!(music("0", None), (10_000, "c".into()));
    assert_eq!(music("''", None), (10_000, "c".into()));
    assert_eq!(music("0", Some(Dist::Fixed(42.0))), (42_000, "c".into()));
    assert_eq!(music("7", Some(Dist::Fixed(42.0))), (7_000, "d".into()));
    // A templated value: resolved per contact (7 → 7 s, Default; 0 → the whole file, OnComplete).
    for (value, want) in [("7", (7_000, "d")), ("0", (42_000, "c")), ("x", (42_000, "c"))] {
        let s = script(&format!(
            "  - {{id: begin, type: BEGIN, next: set}}
  - {{id: set, type: ASSIGN, properties: {{Variable: n, Value: '{value}'}}, next: mu}}
  - {{id: mu, type: MUSIC, properties: {{SecondstoPlay: '{{n}}'}}, branches: {{default: d, OnComplete: c}}}}
  - {{id: d, type: END}}
  - {{id: c, type: END}}
"
        ));
        let mut tr = traffic();
        tr.durations.music = Dist::Fixed(42.0);
        let o = run(&s, &tenant(0.0), &tr, 0);
        assert_eq!((o.duration_ms, path(&s, &o)[3].as_str()), want, "SecondstoPlay = {value}");
        assert_eq!(o.has(Finding::TemplatedFallback), value == "x");
    }
}

#[test]
fn a2_a_second_onanswer_is_a_load_error() {
    let text = "script: t\nactions:\n  - {id: b, type: BEGIN}\n  - {id: x, type: ONANSWER}\n  - {id: y, type: ONANSWER}\n";
    let err = recflow::script::load_str("t.yaml", text).expect_err("two ONANSWER must not load");
    assert!(err.render_plain(100).contains("ONANSWER"), "{}", err.render_plain(100));
}

#[test]
fn a3_media_after_release_is_skipped_and_reported() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: queue}}
  - {{id: rel, type: ONRELEASE, next: bye}}
  - {{id: bye, type: PLAY, next: end}}
  - {{id: end, type: END}}
{QUEUE}"
    ));
    let o = run(&s, &tenant(0.0), &traffic(), 0);
    assert!(o.has(Finding::MediaAfterRelease));
    assert_eq!(o.duration_ms, 270_000);
    assert_eq!(path(&s, &o).last().map(String::as_str), Some("end"), "the skipped PLAY goes on to END");
}

#[test]
fn a4_without_onanswer_the_thread_parks_at_answer() {
    let s = script(&format!("  - {{id: begin, type: BEGIN, next: queue}}\n{QUEUE}"));
    let o = run(&s, &tenant(0.0), &traffic(), 0);
    // MUSIC at 0, 10, 20, 30 s (the last one starts at the answer instant), then nothing.
    assert_eq!(path(&s, &o), vec!["begin", "queue", "hold", "hold", "hold", "hold"]);
}

#[test]
fn a17_dnr_during_a_recording_stops_it_and_keeps_what_was_recorded() {
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: start}}
  - {{id: start, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: w}}
  - {{id: w, type: WAIT, properties: {{Seconds: 2}}, next: dnr}}
  - {{id: dnr, type: DONOTRECORD, next: queue}}
{QUEUE}"
    ));
    let o = run(&s, &tenant(100.0), &traffic(), 0);
    assert_eq!(recs(&o), vec![(Ivr, Full, Studio, 0, 2_000)]);
    assert!(o.has(Finding::RecordedBeforeDnr));
    assert_eq!(o.dnr_at_ms, Some(2_000));
}

#[test]
fn unwired_branch_in_the_ivr_is_stuck() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: m}
  - {id: m, type: MENU, branches: {\"1\": queue}}
  - {id: queue, type: REQAGENT, next: hold}
  - {id: hold, type: MUSIC, next: hold}
",
    );
    let mut tr = traffic();
    tr.inputs = vec![("m".into(), recflow::model::Weighted { items: vec![(None, 1.0)] })];
    let o = run(&s, &tenant(100.0), &tr, 0);
    assert!(o.has(Finding::Stuck));
    // durations.menu 6 s + the default Timeout 5 s of a MENU with no input.
    assert_eq!(o.duration_ms, 11_000);
    assert_eq!(o.segments.len(), 1);
}

#[test]
fn step_limit_ends_a_busy_loop() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: a}
  - {id: a, type: ASSIGN, properties: {Variable: x, Value: '1'}, next: a}
",
    );
    let o = run(&s, &tenant(100.0), &traffic(), 0);
    assert!(o.has(Finding::StepLimit));
    assert_eq!(o.path.len(), 10_000);
}

#[test]
fn onrelease_restarts_the_thread_after_end_and_buttons_left_on_are_reported() {
    let s = script(
        "  - {id: begin, type: BEGIN, next: queue}
  - {id: queue, type: REQAGENT, next: e}
  - {id: e, type: WAIT, properties: {Seconds: 1}, next: hold}
  - {id: hold, type: MUSIC, next: hold}
  - {id: oa, type: ONANSWER, next: on}
  - {id: on, type: INDICATE, properties: {Name: Rec, State: On}, next: end}
  - {id: end, type: END}
  - {id: rel, type: ONRELEASE, next: bye}
  - {id: bye, type: ASSIGN, properties: {Variable: x, Value: y}}
",
    );
    let o = run(&s, &tenant(0.0), &traffic(), 0);
    let p = path(&s, &o);
    assert_eq!(&p[p.len() - 5..], ["oa", "on", "end", "rel", "bye"]);
    assert!(o.has(Finding::IndicatorLeftOn));
}

#[test]
fn signal_press_runs_onsignal_with_sp1_and_a_case_branch() {
    let s = script(SIGNAL_SCRIPT);
    let mut tr = traffic();
    tr.agent.presses = vec![PressSequence { p: 1.0, buttons: vec!["STATEMENT".into()] }];
    let o = run(&s, &tenant(0.0), &tr, 0);
    assert_eq!(o.statements.len(), 1);
    assert!(o.statements[0].saved);
    assert_eq!((o.statements[0].to_ms, o.statements[0].ended_by), (270_000, EndedBy::CallEnd));
    assert!(!o.has(Finding::IndicatorLeftOn), "ONRELEASE turned it Off");
    assert!(path(&s, &o).iter().any(|a| a == "case"));
}

#[test]
fn events_at_one_millisecond_run_answer_before_release() {
    // Zero talk: the answer and the release share a millisecond; ONANSWER's 0-ms actions
    // run before the release.
    let s = script(&format!(
        "  - {{id: begin, type: BEGIN, next: queue}}
  - {{id: oa, type: ONANSWER, next: start}}
  - {{id: start, type: LOGRECORDINGPRO, properties: {{Record: Start}}, next: w}}
  - {{id: w, type: WAIT, properties: {{Seconds: 100}}}}
{QUEUE}"
    ));
    let mut tr = traffic();
    tr.durations.talk = Dist::Fixed(0.0);
    let o = run(&s, &tenant(0.0), &tr, 0);
    assert!(path(&s, &o).contains(&"start".to_string()));
    assert_eq!(o.duration_ms, 30_000);
    assert!(o.recordings.is_empty(), "zero-length intervals are no recording");
}
