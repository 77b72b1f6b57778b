//! Issue 10.4: loading is O(n log n) in every list a user can make long (ani, dnis, agents,
//! policies, inputs, branches). Generated inputs of the sizes that used to take minutes. The
//! tests assert outcomes, not wall time (timed assertions are flaky on a shared machine): a
//! quadratic loader turns this binary into one that does not finish in CI; `cargo bench`
//! measures the numbers.

use recflow::model::{parse_tenant, parse_traffic};
use recflow::sim::Compiled as Program;

fn script(menus: usize) -> recflow::script::Script {
    let mut s = String::from("script: big\nactions:\n  - {id: begin, type: BEGIN, next: m0}\n");
    for i in 0..menus {
        s.push_str(&format!(
            "  - {{id: m{i}, type: MENU, properties: {{Phrase: pick}}, branches: {{\"1\": m{n}, default: m{n}}}}}\n",
            n = i + 1
        ));
    }
    s.push_str(&format!("  - {{id: m{menus}, type: REQAGENT, properties: {{Skill: s0}}, next: end}}\n"));
    s.push_str("  - {id: end, type: HANGUP}\n");
    recflow::script::load_str("big.yaml", &s).unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

#[test]
fn ani_and_dnis_with_40000_numbers_load_and_compile_fast() {
    let sc = script(1);
    let mut t = String::from("calls: 10\nani:\n");
    for i in 0..40_000 {
        t.push_str(&format!("  \"+1555{i:07}\": 1\n"));
    }
    t.push_str("dnis:\n");
    for i in 0..40_000 {
        t.push_str(&format!("  \"+1666{i:07}\": 2\n"));
    }
    let traffic =
        parse_traffic("big-traffic.yaml", &t, &sc).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let program = Program::compile(&sc, &recflow::model::Tenant::default(), &traffic);
    assert_eq!(traffic.ani.items.len(), 40_000);
    assert_eq!(program.numbers.len(), 80_000, "every distinct number interned once");
}

#[test]
fn ani_numbers_differing_only_in_case_intern_to_one_index() {
    let sc = script(1);
    let traffic = parse_traffic("t.yaml", "ani: {\"sip:Alice\": 1, \"sip:alice\": 1}\n", &sc)
        .unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let p = Program::compile(&sc, &recflow::model::Tenant::default(), &traffic);
    assert_eq!(
        p.ani.0,
        vec![recflow::sim::ids::NumberId(0); 2],
        "case-insensitive interning keeps the first spelling"
    );
    assert_eq!(p.numbers, vec!["sip:Alice".to_string()]);
}

#[test]
fn many_agents_skills_and_policies_load_and_compile_fast() {
    let sc = script(1);
    let n = 10_000;
    let mut t = String::from("agents:\n");
    for i in 0..n {
        t.push_str(&format!("  - {{id: a{i}, team: t{i}, skills: [s{i}]}}\n"));
    }
    t.push_str("recording_policies:\n");
    for i in 0..n / 2 {
        t.push_str(&format!(
            "  - {{name: p{i}, percent: 1, match: {{agents: [a{i}], skills: [s{i}], teams: [t{i}]}}}}\n"
        ));
    }
    let (tenant, _warnings) =
        parse_tenant("big-tenant.yaml", &t, Some(&sc)).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let p = Program::compile(&sc, &tenant, &recflow::model::Traffic::default());
    assert_eq!(p.agents.len(), n);
    assert_eq!(p.policies.len(), n / 2);
    // Agent i has exactly skill s_i: every skill list is that one agent.
    assert!(p.agents_by_skill.iter().all(|l| l.len() == 1));
}

#[test]
fn inputs_for_5000_menus_load_fast() {
    let menus = 5_000;
    let sc = script(menus);
    let mut t = String::from("inputs:\n");
    for i in 0..menus {
        t.push_str(&format!("  m{i}: {{\"1\": 1, none: 1}}\n"));
    }
    let traffic = parse_traffic("t.yaml", &t, &sc).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let _p = Program::compile(&sc, &recflow::model::Tenant::default(), &traffic);
    assert_eq!(traffic.inputs.len(), menus);
}

#[test]
fn a_case_with_20000_branches_loads_fast() {
    let n = 20_000;
    let mut s = String::from(
        "script: c\nactions:\n  - {id: begin, type: BEGIN, next: c}\n  - id: c\n    type: CASE\n    properties: {Variable: v}\n    branches:\n",
    );
    for i in 0..n {
        s.push_str(&format!("      \"v{i}\": end\n"));
    }
    s.push_str("      default: end\n  - {id: end, type: HANGUP}\n");
    let sc = recflow::script::load_str("c.yaml", &s).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let _p = Program::compile(&sc, &recflow::model::Tenant::default(), &recflow::model::Traffic::default());
    assert_eq!(sc.actions[1].branches.len(), n + 1);
}
