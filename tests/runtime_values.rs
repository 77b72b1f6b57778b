//! Values known only at run time (issue 11 points 2 and 4): the IF action evaluates its
//! `Expression`, the contact's system variables (docs/variables.md), and `{var}` templates in
//! typed properties resolved per contact with a documented fallback and the finding
//! `templated_fallback`; lint explores every value a templated recording property can take.

mod common;

use common::sim::batch_lines as lines;
use recflow::model::{Tenant, Traffic, parse_tenant, parse_traffic};
use recflow::script::export::yaml_double_quoted;
use recflow::script::{LoadErrorKind, Script};
use recflow::sim::{self, Compiled, Report};

const DIR: &str = "tests/fixtures/runtime";

fn load(name: &str) -> Script {
    let path = format!("{DIR}/{name}");
    recflow::script::load_path(path.as_ref()).unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

fn load_str(text: &str) -> Script {
    recflow::script::load_str("inline.yaml", text).unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

fn traffic(s: &Script, text: &str) -> Traffic {
    parse_traffic("traffic.yaml", text, s).unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

fn report(p: &Compiled, calls: u64, jobs: usize) -> Report {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().unwrap();
    let (tally, res) = pool.install(|| sim::simulate_chunks(p, calls, None, |_| {}));
    res.unwrap();
    tally.report(p)
}

/// Did contact `c` run action `id`?
fn visits(p: &Compiled, c: u64, id: &str) -> bool {
    let ix = recflow::script::ActionIx(p.ids.iter().position(|i| i == id).unwrap() as u32);
    sim::explain::explain(p, c).outcome.path.contains(&ix)
}

/// The text of every `variable` step of contact `c`'s explain timeline.
fn variable_steps(p: &Compiled, c: u64) -> Vec<String> {
    sim::explain::explain(p, c).steps.into_iter().filter(|s| s.kind == "variable").map(|s| s.text).collect()
}

// ---- point 2: IF --------------------------------------------------------------------------------

/// IF takes True exactly for the callers its Expression selects: `ANI = "+15550100"` with traffic
/// weighing that number 0.25 sends a quarter of the contacts to the Start, and IF is not counted
/// as unmodelled.
#[test]
fn if_takes_true_or_false_from_its_expression() {
    let s = load("if-ani.yaml");
    let t = traffic(&s, "ani: {\"+15550100\": 0.25, \"+15550111\": 0.75}\n");
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let n = 8000;
    let started = (0..n).filter(|&c| visits(&p, c, "record")).count() as f64 / n as f64;
    // 4 standard deviations of a share near 0.25 over 8000 contacts ≈ 1.9 pp.
    assert!((started - 0.25).abs() < 0.02, "True share {started}");
    let r = report(&p, n, 2);
    assert!(r.unmodelled.is_empty(), "an evaluated IF is not unmodelled: {:?}", r.unmodelled);
    assert_eq!(r.findings.get(recflow::sim::findings::Finding::Stuck), 0);
    // Each contact's branch follows its own ANI: the timeline says which and why.
    for c in 0..50 {
        let ex = sim::explain::explain(&p, c);
        let line = ex.steps.iter().find(|s| s.text.starts_with("IF ")).expect("IF step").text.clone();
        assert_eq!(line.ends_with("→ True"), visits(&p, c, "record"), "contact {c}: {line}");
    }
}

/// Without traffic `ani`, ANI is empty and the same IF is always False; an expression made of
/// constants is decided the same way for every contact.
#[test]
fn if_is_deterministic_for_constant_values() {
    let s = load("if-ani.yaml");
    let p = Compiled::compile(&s, &Tenant::default(), &Traffic::default());
    assert!((0..200).all(|c| !visits(&p, c, "record")));
    let s = load_str(&IF_TEMPLATE.replace("EXPR", "(1 + 2) * 3 = 9 & \"abc\" != \"\""));
    let p = Compiled::compile(&s, &Tenant::default(), &Traffic::default());
    assert!((0..200).all(|c| visits(&p, c, "yes")));
}

const IF_TEMPLATE: &str = r#"script: if-inline
actions:
  - id: begin
    type: BEGIN
    next: pre
  - id: pre
    type: SNIPPET
    properties:
      Data: |
        TOTAL = 3
        svc = GetRESTProxy()
        answer = svc.lookup(ANI)
    next: check
  - id: check
    type: IF
    properties: {Expression: 'EXPR'}
    branches: {True: yes, False: no}
  - {id: yes, type: PLAY, next: done}
  - {id: no, type: PLAY, next: done}
  - {id: done, type: HANGUP}
"#;

/// The IF help page writes `TOTAL=>0` for "greater than or equal"; recflow reads `=>` / `=<` as
/// `>=` / `<=` (help.nicecxone.com/Content/studio/actionscx/if/if.htm).
#[test]
fn if_reads_the_help_pages_arrow_operators() {
    for (expr, yes) in [("TOTAL=>0", true), ("TOTAL=>4", false), ("TOTAL=<3", true), ("TOTAL >= 3", true)] {
        let s = load_str(&IF_TEMPLATE.replace("EXPR", expr));
        assert!(s.warnings.is_empty(), "{expr}: {:?}", s.warnings);
        let p = Compiled::compile(&s, &Tenant::default(), &Traffic::default());
        assert_eq!(visits(&p, 0, "yes"), yes, "{expr}");
    }
}

/// An IF recflow cannot evaluate (a function it does not know) loads with a located warning
/// `load::if-unmodelled`, takes the traffic-weighted branch and is counted under `unmodelled`,
/// never as `stuck`; traffic `branches:` weighs its True / False.
#[test]
fn unevaluable_if_is_traffic_branched_with_a_located_warning() {
    let s = load("if-unknown-function.yaml");
    let w: Vec<_> = s.warnings.iter().filter(|w| w.kind == LoadErrorKind::IfUnmodelled).collect();
    assert_eq!(w.len(), 1, "{:?}", s.warnings);
    assert_eq!(w[0].kind.code(), "load::if-unmodelled");
    assert_eq!(w[0].line_col(), Some((11, 19)), "points at `isvip(` in the Expression");
    assert!(w[0].message.contains("isvip"), "{}", w[0].message);

    let p = Compiled::compile(&s, &Tenant::default(), &Traffic::default());
    let r = report(&p, 2000, 2);
    assert_eq!(r.unmodelled.get("check"), Some(&2000));
    assert_eq!(r.findings.get(recflow::sim::findings::Finding::Stuck), 0);
    let both = (0..200).filter(|&c| visits(&p, c, "record")).count();
    assert!(both > 60 && both < 140, "uniform over True / False without weights: {both}");

    let t = traffic(&s, "branches:\n  check: {\"True\": 1, \"False\": 0}\n");
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    assert!((0..200).all(|c| visits(&p, c, "record")));
}

/// An IF on a value recflow cannot know (the result of an external call) is decided by traffic
/// weights too, and counted as unmodelled; a syntax recflow cannot read is a warning, not an error.
#[test]
fn if_on_an_unknown_value_uses_traffic_weights() {
    let s = load_str(&IF_TEMPLATE.replace("EXPR", "answer = \"gold\""));
    assert!(s.warnings.iter().all(|w| w.kind != LoadErrorKind::IfUnmodelled), "{:?}", s.warnings);
    let t = traffic(&s, "branches:\n  check: {\"True\": 3, \"False\": 1}\n");
    let p = Compiled::compile(&s, &Tenant::default(), &t);
    let n = 4000;
    let yes = (0..n).filter(|&c| visits(&p, c, "yes")).count() as f64 / n as f64;
    assert!((yes - 0.75).abs() < 0.03, "True share {yes}");
    assert_eq!(report(&p, n, 1).unmodelled.get("check"), Some(&n));

    let s = load_str(&IF_TEMPLATE.replace("EXPR", "TOTAL > > 1"));
    assert!(s.warnings.iter().any(|w| w.kind == LoadErrorKind::IfUnmodelled), "{:?}", s.warnings);
}

// ---- point 2: system variables ------------------------------------------------------------------

const SYSVARS: &str = r#"script: sysvars
actions:
  - id: begin
    type: BEGIN
    next: before
  - id: before
    type: ASSIGN
    properties: {Variable: seen, Value: "ani={ANI} dnis={DNIS} id={CONTACTID} master={MASTERID} skill={SKILL} agent={AGENTID}"}
    next: byani
  - id: byani
    type: CASE
    properties: {Variable: ANI}
    branches: {"+15550100": queue, default: queue}
  - id: queue
    type: REQAGENT
    properties: {Skill: Billing}
    next: queued
  - id: queued
    type: ASSIGN
    properties: {Variable: seen, Value: "skill={SKILL} name={SKILLNAME} agent={AGENTID}"}
    next: hold
  - id: hold
    type: MUSIC
    next: hold
  - id: answer
    type: ONANSWER
    next: after
  - id: after
    type: ASSIGN
    properties: {Variable: seen, Value: "agent={AGENTID} skill={SKILLNAME}"}
    next: done
  - {id: done, type: END}
"#;

const TENANT: &str = "agents:\n  - {id: ann, team: t, skills: [Sales], can_be_recorded: true}\n  - {id: bob, team: t, skills: [Billing], can_be_recorded: true}\n";

/// ANI / DNIS come from traffic, CONTACTID = MASTERID = the contact index, SKILL / SKILLNAME are
/// set at REQAGENT, AGENTID is empty before the answer and the answering agent's id after it.
#[test]
fn system_variables_have_their_documented_values() {
    let s = load_str(SYSVARS);
    let (tenant, _) =
        parse_tenant("tenant.yaml", TENANT, Some(&s)).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let t = traffic(
        &s,
        "ani: {\"+15550100\": 1}\ndnis: {\"+15550199\": 1}\ndurations: {queue_wait: 5, patience: 600}\n",
    );
    let p = Compiled::compile(&s, &tenant, &t);
    for c in [0u64, 7, 123] {
        let v = variable_steps(&p, c);
        assert_eq!(
            v[0],
            format!("ASSIGN seen = \"ani=+15550100 dnis=+15550199 id={c} master={c} skill= agent=\""),
            "contact {c}"
        );
        assert_eq!(v[1], "ASSIGN seen = \"skill=Billing name=Billing agent=\"", "contact {c}");
        assert_eq!(v[2], "ASSIGN seen = \"agent=bob skill=Billing\"", "contact {c}: the Billing agent");
    }
    // CASE branches on ANI like on any variable.
    let ex = sim::explain::explain(&p, 3);
    assert!(ex.steps.iter().any(|s| s.text == "CASE ANI = \"+15550100\" → queue"), "{:#?}", ex.steps);
}

/// A script that reads no system variable gets no slot for them (nothing extra to set per
/// contact, nothing extra in explain).
#[test]
fn system_variables_cost_nothing_when_unused() {
    let s = load("if-ani.yaml");
    let p = Compiled::compile(&s, &Tenant::default(), &Traffic::default());
    assert!(p.sysvars.dnis.is_none() && p.sysvars.agent_id.is_none() && p.sysvars.skill.is_none());
    assert!(p.sysvars.ani.is_some() && p.sysvars.contact_id.is_some(), "the IF reads ANI and CONTACTID");
}

// ---- point 4: {var} in typed properties --------------------------------------------------------

/// The values resolve per contact: `WAIT {secs}` waits 7 s, `Record {mode}` starts or stops as the
/// caller chose, `REQAGENT {skill}` queues for Sales; MUSIC `{secs}` plays 7 s.
#[test]
fn templated_values_resolve_per_contact() {
    let s = load("templated.yaml");
    let p = Compiled::compile(&s, &Tenant::default(), &Traffic::default());
    for c in 0..40 {
        let ex = sim::explain::explain(&p, c);
        let text = |prefix: &str| {
            ex.steps.iter().find(|s| s.text.starts_with(prefix)).map(|s| (s.t_ms, s.text.clone()))
        };
        let (menu_t, menu) = text("MENU").unwrap();
        let (wait_t, wait) = text("WAIT").unwrap();
        assert_eq!(wait, "WAIT 7000 ms", "contact {c}");
        // Traffic's 6 s, plus the Timeout (its fallback, 5 s) when the caller gives no input (A-24).
        let menu_ms = if menu.starts_with("MENU: input none") { 11_000 } else { 6_000 };
        assert_eq!(wait_t, menu_t + menu_ms, "contact {c}: {menu}");
        let rec =
            ex.steps.iter().find(|s| s.action.as_deref() == Some("rec") && s.kind == "recording").unwrap();
        if visits(&p, c, "stop") {
            assert!(rec.text.contains("Stop"), "contact {c}: {}", rec.text);
        } else {
            assert!(rec.text.contains("Start"), "contact {c}: {}", rec.text);
        }
        assert!(text("REQAGENT skill `Sales`").is_some(), "contact {c}");
        assert_eq!(text("MUSIC").unwrap().1, "MUSIC 7000 ms");
        assert_eq!(variable_steps(&p, c).last().unwrap(), &format!("ASSIGN routed = \"Sales for {c}\""));
    }
}

/// A value still invalid at run time (`Record` = `Pause`) takes the documented fallback (Start)
/// and adds the finding `templated_fallback` for the action — in the contact's line, the report
/// (`templated_fallback: {rec: N}`, N = the contacts that pressed 3) and the human report.
#[test]
fn invalid_templated_value_takes_its_fallback_and_is_a_finding() {
    let s = load("templated.yaml");
    let p = Compiled::compile(&s, &Tenant::default(), &Traffic::default());
    let n = 3000;
    let r = report(&p, n, 2);
    let pressed3 = (0..n).filter(|&c| visits(&p, c, "pause")).count() as u64;
    assert!(pressed3 > 800, "uniform over 1/2/3: {pressed3}");
    assert_eq!(r.templated_fallback.len(), 1, "{:?}", r.templated_fallback);
    assert_eq!(r.templated_fallback.get("rec"), Some(&pressed3));
    let json = recflow::report::simulation::report_json(&r);
    assert!(json.contains("\"templated_fallback\""), "{json}");
    for (c, line) in lines(&p, 300).iter().enumerate() {
        assert_eq!(
            line.contains("\"templated_fallback\""),
            visits(&p, c as u64, "pause"),
            "contact {c}: {line}"
        );
    }
    let ex = sim::explain::explain(&p, (0..n).find(|&c| visits(&p, c, "pause")).unwrap());
    assert!(
        ex.steps.iter().any(|s| s.kind == "finding"
            && s.text == "Record = \"Pause\" is not a valid value at run time: the fallback Start is used (templated_fallback)"),
        "{:#?}",
        ex.steps
    );
    assert!(ex.steps.iter().any(|s| s.text.contains("LOGRECORDINGPRO Start")), "the fallback Start ran");
}

/// Reports of scripts without templated properties have no `templated_fallback` map of
/// actions (its count under `findings`, a key of the findings catalogue since issue 19, is 0),
/// and a templated MENU `MaxDigits` left unset falls back on every contact.
#[test]
fn templated_fallback_is_left_out_when_nothing_fell_back() {
    let s = load("if-ani.yaml");
    let p = Compiled::compile(&s, &Tenant::default(), &Traffic::default());
    let r = report(&p, 200, 1);
    let json = recflow::report::simulation::report_json(&r);
    assert!(!json.contains("\"templated_fallback\": {"), "{json}");
    assert_eq!(r.findings.get(recflow::sim::findings::Finding::TemplatedFallback), 0);

    let text =
        std::fs::read_to_string(format!("{DIR}/templated.yaml")).unwrap().replace("        digits = 1\n", "");
    let s = load_str(&text);
    let p = Compiled::compile(&s, &Tenant::default(), &Traffic::default());
    let r = report(&p, 500, 1);
    assert_eq!(r.templated_fallback.get("ask"), Some(&500));
    assert_eq!(r.findings.get(recflow::sim::findings::Finding::TemplatedFallback), 500);
}

/// explain ≡ simulate for contacts that take the fallback: line *i* of `--calls-out` is exactly
/// contact *i* run alone; the report is byte-identical for 1 and 4 threads.
#[test]
fn explain_equals_simulate_for_fallback_contacts() {
    let s = load("templated.yaml");
    let p = Compiled::compile(&s, &Tenant::default(), &Traffic::default());
    let batch = lines(&p, 300);
    let mut fell_back = 0;
    for (i, line) in batch.iter().enumerate() {
        let mut alone = String::new();
        sim::explain::explain(&p, i as u64).outcome.write_json(&p, &mut alone);
        assert_eq!(&alone, line, "contact {i}");
        fell_back += usize::from(line.contains("templated_fallback"));
    }
    assert!(fell_back > 50, "{fell_back}");
    let one = recflow::report::simulation::report_json(&report(&p, 5000, 1));
    let four = recflow::report::simulation::report_json(&report(&p, 5000, 4));
    assert_eq!(one, four);
}

/// A templated value that resolves to `v` gives the same contact as the literal `v`.
#[test]
fn templated_equals_literal() {
    let templated = std::fs::read_to_string(format!("{DIR}/templated.yaml")).unwrap();
    let literal = templated
        .replace("{Seconds: \"{secs}\"}", "{Seconds: 7}")
        .replace("{SecondstoPlay: \"{secs}\"}", "{SecondstoPlay: 7}")
        .replace("{Skill: \"{skill}\"}", "{Skill: Sales}")
        .replace(", MaxDigits: \"{digits}\"", ", MaxDigits: 1");
    assert_ne!(templated, literal);
    // A tenant whose agents list Sales: the skill named at run time is one recflow knows, so
    // the answering agent is drawn exactly as for the literal (docs/variables.md).
    let tenant = |s: &Script| parse_tenant("tenant.yaml", TENANT, Some(s)).unwrap().0;
    let (sa, sb) = (load_str(&templated), load_str(&literal));
    let a = Compiled::compile(&sa, &tenant(&sa), &Traffic::default());
    let b = Compiled::compile(&sb, &tenant(&sb), &Traffic::default());
    let (la, lb) = (lines(&a, 200), lines(&b, 200));
    for (x, y) in la.iter().zip(&lb) {
        if !x.contains("templated_fallback") {
            assert_eq!(x, y);
        }
    }
}

/// A templated skill routes to the agents of the skill it names at run time, even one the script
/// never names literally.
#[test]
fn templated_skill_routes_to_the_named_skill() {
    let text = SYSVARS.replace("{Skill: Billing}", "{Skill: \"{which}\"}").replace(
        "    next: byani\n",
        "    next: pick\n  - id: pick\n    type: ASSIGN\n    properties: {Variable: which, Value: Sales}\n    next: byani\n",
    );
    let s = load_str(&text);
    let (tenant, _) =
        parse_tenant("tenant.yaml", TENANT, Some(&s)).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let t = traffic(&s, "durations: {queue_wait: 5, patience: 600}\n");
    let p = Compiled::compile(&s, &tenant, &t);
    for c in 0..20 {
        let v = variable_steps(&p, c);
        assert_eq!(v.last().unwrap(), "ASSIGN seen = \"agent=ann skill=Sales\"", "contact {c}: {v:?}");
    }
}

/// The load warning stays, and says the value is resolved at run time; a templated `Record`,
/// `State` or `UseRecordingStatementId` loads (it used to be a load error).
#[test]
fn templated_values_load_with_a_run_time_warning() {
    let s = load("templated.yaml");
    let w: Vec<_> = s.warnings.iter().filter(|w| w.kind == LoadErrorKind::TemplatedValue).collect();
    assert_eq!(w.len(), 4, "MaxDigits, Seconds, Record, SecondstoPlay: {:?}", s.warnings);
    assert!(w.iter().all(|w| w.message.contains("resolved at run time")), "{w:?}");
    let s = load_str(
        "script: t\nactions:\n  - {id: b, type: BEGIN, next: i}\n  - id: i\n    type: INDICATE\n    properties: {Name: Pause, State: \"{st}\"}\n    next: r\n  - id: r\n    type: LOGRECORDINGPRO\n    properties: {Record: Start, UseRecordingStatementId: \"{flag}\"}\n    next: e\n  - {id: e, type: END}\n",
    );
    assert_eq!(s.warnings.iter().filter(|w| w.kind == LoadErrorKind::TemplatedValue).count(), 2);
}

/// Lint treats a templated `Record` as unknown and explores both values: it reports what a Start
/// causes (O001, and P001 on the card-number MENU) and what a Stop causes (O002). A literal Start
/// or Stop gives only its own findings.
#[test]
fn lint_explores_every_value_of_a_templated_record() {
    let codes = |text: &str| -> Vec<&'static str> {
        let s = load_str(text);
        let mut c: Vec<_> = recflow::lint::lint(&s, &Default::default()).iter().map(|d| d.code).collect();
        c.sort();
        c.dedup();
        c
    };
    let text = std::fs::read_to_string(format!("{DIR}/templated-record.yaml")).unwrap();
    assert_eq!(codes(&text), ["O001", "O002", "P001"]);
    assert_eq!(codes(&text.replace("\"{mode}\"", "Start")), ["O001", "P001"]);
    assert_eq!(codes(&text.replace("\"{mode}\"", "Stop")), ["O002"]);
}

/// G003 (unmodelled action) no longer reports an IF whose Expression recflow evaluates; it still
/// reports one it cannot evaluate.
#[test]
fn evaluated_if_is_not_an_unmodelled_action() {
    let g003 =
        |s: &Script| recflow::lint::lint(s, &Default::default()).iter().filter(|d| d.code == "G003").count();
    assert_eq!(g003(&load("if-ani.yaml")), 0);
    assert_eq!(g003(&load("if-unknown-function.yaml")), 1);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 96, ..Default::default() })]

    /// Robustness: any IF Expression and any value behind a templated property loads (at worst
    /// with warnings) and simulates without panicking; explain ≡ simulate still holds, and a
    /// contact either used the value or reported `templated_fallback`.
    #[test]
    fn any_expression_and_templated_value_simulates(
        expr in "[ -~]{0,40}|\\PC{0,12}",
        value in "[ -~]{0,12}|\\PC{0,6}|(Start|Stop|On|Off|7|0|-1|1e9|True)",
    ) {
        let yaml = format!(
            "script: p\nactions:\n  - {{id: b, type: BEGIN, next: s}}\n  - id: s\n    type: ASSIGN\n    properties: {{Variable: v, Value: {}}}\n    next: i\n  - id: i\n    type: IF\n    properties: {{Expression: {}}}\n    branches: {{True: w, False: r}}\n  - id: w\n    type: WAIT\n    properties: {{Seconds: \"{{v}}\"}}\n    next: r\n  - id: r\n    type: LOGRECORDINGPRO\n    properties: {{Record: \"{{v}}\", UseRecordingStatementId: \"{{v}}\"}}\n    next: n\n  - id: n\n    type: INDICATE\n    properties: {{Name: \"{{v}}\", State: \"{{v}}\"}}\n    next: q\n  - id: q\n    type: REQAGENT\n    properties: {{Skill: \"{{v}}\"}}\n    next: h\n  - {{id: h, type: MUSIC, properties: {{SecondstoPlay: \"{{v}}\"}}, next: e}}\n  - {{id: e, type: END}}\n",
            yaml_double_quoted(&value),
            yaml_double_quoted(&expr),
        );
        let script = recflow::script::load_str("p.yaml", &yaml).unwrap_or_else(|e| panic!("{}\n{yaml}", e.render_plain(100)));
        let p = Compiled::compile(&script, &Tenant::default(), &Traffic::default());
        let batch = lines(&p, 4);
        for (i, line) in batch.iter().enumerate() {
            let mut alone = String::new();
            sim::explain::explain(&p, i as u64).outcome.write_json(&p, &mut alone);
            proptest::prop_assert_eq!(&alone, line);
        }
        let _ = recflow::lint::lint(&script, &Default::default());
    }
}
