//! Exact analysis draws which *class* of alike agents answers (`Compiled::agent_classes`,
//! docs/exact.md "Merging across paths"): agents with the same team, recordability, skills and
//! policy matches, in a script that never reads `AGENTID`, are one class, weighted by its size.
//! Every probability, expectation, residual and reason must be what the pick among all agents
//! gives (the classes cleared) — only the runs may drop — and an agent anything tells apart
//! keeps its own class.

mod common;

use common::sim::{busy_traffic, fixed_traffic, load, script};
use recflow::model::{Tenant, Traffic, parse_tenant};
use recflow::script::Script;
use recflow::sim::Compiled;
use recflow::sim::exact::{self, Exact};

/// Everything of an analysis but how much exploring it took and its f64 values, which
/// [`close`] compares (hybrid means add the leaves' values in another order by class).
fn result(e: &Exact) -> String {
    let strict = |v: &[recflow::sim::exact::Value]| -> Vec<(Vec<String>, Option<String>)> {
        v.iter().map(|v| (v.path.clone(), v.rational.clone())).collect()
    };
    format!(
        "{} {:?} {:?} {} {:?} {:?} {:?} {:?} {:?} {}",
        e.exact,
        strict(&e.probabilities),
        strict(&e.expected),
        e.samples,
        e.residual_rational,
        e.not_exact,
        e.sensitivity,
        e.loops,
        e.loop_note,
        e.closed_form_f64
    )
}

/// The f64 values of two analyses agree to 1e-9 (relative).
fn close(a: &Exact, b: &Exact, what: &str) {
    let near = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1e-3);
    assert!(near(a.residual, b.residual), "{what}: residual");
    for (x, y) in a.probabilities.iter().chain(&a.expected).zip(b.probabilities.iter().chain(&b.expected)) {
        assert!(near(x.value, y.value), "{what}: {:?} {} vs {}", x.path, x.value, y.value);
        let (i, j) = (x.interval.unwrap_or_default(), y.interval.unwrap_or_default());
        assert!(near(i[0], j[0]) && near(i[1], j[1]), "{what}: {:?} {i:?} vs {j:?}", x.path);
    }
}

fn tenant(path: &str) -> Tenant {
    let text = std::fs::read_to_string(common::repo(path)).expect("tenant file");
    parse_tenant(path, &text, None).unwrap_or_else(|e| panic!("{}", e.render_plain(100))).0
}

/// The classes of skill `k`, as agent ids.
fn classes(p: &Compiled, k: usize) -> Vec<Vec<&str>> {
    p.agent_classes[k]
        .members
        .iter()
        .map(|m| m.iter().map(|a| p.agents[a.index()].id.as_str()).collect())
        .collect()
}

/// By class and by agent, `p` gives the same result, in fewer runs where classes group.
fn same_by_class_and_by_agent(p: &Compiled, samples: u64, what: &str) -> (Exact, Exact) {
    let by_class = exact::explore(p, samples).unwrap_or_else(|e| panic!("{what}: {e:?}"));
    let mut each = p.clone();
    each.agent_classes.clear();
    let by_agent = exact::explore(&each, samples).unwrap_or_else(|e| panic!("{what}: {e:?}"));
    // (Hybrid: as many samples both ways — the pick by agent must not have met the run budget.)
    assert_eq!(by_agent.samples, samples.min(by_agent.samples.max(1)), "{what}");
    if by_agent.residual > 0.0 || by_class.residual > 0.0 {
        // A loop through transfers between agents is cut (its state grows: who holds the
        // contact, the times pending). The cut trees differ — by class a path is one class's,
        // with its mass — so each gives [p, p + residual]: the two must overlap.
        let (ra, rc) = (by_agent.residual, by_class.residual);
        assert!(ra < 1e-9 && rc < 1e-9, "{what}: residuals {ra} / {rc}");
        for (x, y) in by_class.probabilities.iter().zip(&by_agent.probabilities) {
            assert!(
                x.value <= y.value + ra + 1e-12 && y.value <= x.value + rc + 1e-12,
                "{what}: {:?} [{}, + {rc}] vs [{}, + {ra}]",
                x.path,
                x.value,
                y.value,
            );
        }
    } else {
        assert_eq!(result(&by_class), result(&by_agent), "{what}");
        close(&by_class, &by_agent, what);
    }
    assert!(
        by_class.runs <= by_agent.runs,
        "{what}: {} runs by class, {} by agent",
        by_class.runs,
        by_agent.runs
    );
    (by_class, by_agent)
}

#[test]
fn alike_agents_are_one_class_and_agents_anything_tells_apart_are_not() {
    let s = load("scripts/consent-gdpr.yaml");
    let p = Compiled::compile(&s, &tenant("examples/tenant-sales-qa.yaml"), &fixed_traffic());
    let sales = p.skills.iter().position(|k| k == "Sales").expect("Sales skill");
    // alice and bob: team Sales-A, recordable, Sales only, no policy names them. carol has
    // another skill too; ceo is named by the Do Not Record policy; dave cannot be recorded.
    assert_eq!(classes(&p, sales), [vec!["alice", "bob"], vec!["carol"], vec!["ceo"], vec!["dave"]]);
    assert_eq!(p.agent_classes[sales].cumulative, [2.0, 3.0, 4.0, 5.0]);
    // The default tenant's 20 agents are alike.
    let p = Compiled::compile(&s, &Tenant::default(), &fixed_traffic());
    assert!(p.agent_classes.iter().all(|c| c.members.len() == 1 && c.members[0].len() == 20));
}

#[test]
fn a_script_that_reads_agentid_keeps_every_agent_apart() {
    let s = script(
        "  - {id: b, type: BEGIN, next: q}
  - {id: q, type: REQAGENT, properties: {Skill: Sales}, next: h}
  - {id: h, type: MUSIC, next: h}
  - {id: a, type: ONANSWER, next: who}
  - {id: who, type: CASE, properties: {Variable: AGENTID}, branches: {agent1: rec, default: end}}
  - {id: rec, type: LOGRECORDINGPRO, properties: {Record: Start}, next: end}
  - {id: end, type: END}
",
    );
    // Four alike agents, no policy: only the script records, and only for agent1.
    let agents = "agents: [{id: agent1, team: t}, {id: agent2, team: t}, {id: agent3, team: t}, {id: agent4, team: t}]\n";
    let tenant =
        parse_tenant("tenant.yaml", agents, None).unwrap_or_else(|e| panic!("{}", e.render_plain(100))).0;
    let p = Compiled::compile(&s, &tenant, &fixed_traffic());
    assert!(p.agent_classes.is_empty(), "AGENTID is read: no classes");
    let e = exact::explore(&p, 1).expect("explores");
    // (The tenant's default policy records everyone; Studio records agent1's contacts.)
    let studio = common::sim::exact_value(&e, "initiators.studio");
    assert_eq!(studio.rational.as_deref(), Some("1/4"), "{studio:?}");
    // The same script without the CASE on AGENTID: the four are one class.
    let s = script(
        "  - {id: b, type: BEGIN, next: q}
  - {id: q, type: REQAGENT, properties: {Skill: Sales}, next: h}
  - {id: h, type: MUSIC, next: h}
",
    );
    let p = Compiled::compile(&s, &tenant, &fixed_traffic());
    assert_eq!(p.agent_classes.len(), 1);
    assert_eq!(p.agent_classes[0].members.len(), 1);
}

#[test]
fn by_class_equals_by_agent_on_every_example_tenant_and_traffic() {
    let scripts: Vec<Script> = [
        "scripts/consent-gdpr.yaml",
        "scripts/consent-policies.yaml",
        "scripts/mistake-consent-leak.yaml",
        "scripts/max-recorded-statements.yaml",
        "scripts/mistake-dnr-after-answer.yaml",
        "scripts/policies-only.yaml",
    ]
    .iter()
    .map(|p| load(p))
    .collect();
    let tenants = [
        Tenant::default(),
        tenant("examples/tenant-sales-qa.yaml"),
        tenant("examples/tenant-dnr-outbound.yaml"),
    ];
    let mut busy_fixed = busy_traffic();
    busy_fixed.durations = fixed_traffic().durations;
    let traffics: [(&str, Traffic); 3] =
        [("fixed", fixed_traffic()), ("busy, fixed durations", busy_fixed), ("default", Traffic::default())];
    let mut fewer = 0;
    for s in &scripts {
        for (ti, t) in tenants.iter().enumerate() {
            for (name, traffic) in &traffics {
                // The busy traffic transfers to another agent: by agent, 20 × 19 pairs of agents
                // times every order of the talk's items pass the run budget (and the analysis
                // falls back to hybrid, where by class it is exact). Three agents there.
                let mut t = t.clone();
                if name.starts_with("busy") {
                    // (Transfers back and forth between three agents apart make the one slow
                    // case, 400 000 runs by agent: its tenant's first two, alike, suffice.)
                    let slow = ti == 1 && s.name == "mistake-dnr-after-answer";
                    t.agents.truncate(if slow { 2 } else { 3 });
                }
                let p = Compiled::compile(s, &t, traffic);
                let what = format!("{} / tenant {ti} / {name}", s.name);
                let (by_class, by_agent) = same_by_class_and_by_agent(&p, 20, &what);
                fewer += usize::from(by_class.runs < by_agent.runs);
            }
        }
    }
    assert!(fewer >= scripts.len() * 3, "classes group the default tenant's agents: {fewer}");
}

#[test]
fn a_transfer_to_another_agent_avoids_the_current_one_by_class() {
    // Two alike agents and one apart: a transfer from the answering agent goes to one of the
    // other two, each with 1/2, whichever class answered. With a policy on team B only, the
    // transferred segment is recorded when it reaches carol.
    let tenant = parse_tenant(
        "tenant.yaml",
        "agents:
  - {id: alice, team: A}
  - {id: bob, team: A}
  - {id: carol, team: B}
recording_policies:
  - {name: B only, percent: 100, match: {teams: [B]}}
",
        None,
    )
    .unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
    .0;
    let s = script(
        "  - {id: b, type: BEGIN, next: q}
  - {id: q, type: REQAGENT, next: h}
  - {id: h, type: MUSIC, next: h}
",
    );
    let mut traffic = fixed_traffic();
    traffic.agent.transfer_agent = 1.0;
    let p = Compiled::compile(&s, &tenant, &traffic);
    let (e, _) = same_by_class_and_by_agent(&p, 1, "transfer");
    // Answered by carol (1/3): recorded. By alice or bob (2/3): the transfer reaches carol
    // with 1/2 (bob or alice otherwise). 1/3 + 2/3 · 1/2 = 2/3.
    let any = common::sim::exact_value(&e, "recorded.any");
    assert_eq!(any.rational.as_deref(), Some("2/3"), "{any:?}");
}
