//! Traffic `branches:` (issue 11 point 7, FORMATS §4 round 2): an action whose outcome recflow
//! cannot compute (HOURS, CHECKCALLSUP, an unknown type with named branches) takes a branch by
//! traffic weights, uniformly among its wired result branches when traffic says nothing; such
//! contacts are counted under `unmodelled`, never as `stuck`.

use recflow::model::{Traffic, parse_traffic};
use recflow::script::Script;
use recflow::sim::{self, Compiled, Report};

const SCRIPT: &str = r#"script: branchy
actions:
  - id: begin
    type: BEGIN
    next: hours
  - id: hours
    type: HOURS
    branches: {Open: openplay, Closed: closedplay, Holiday: holidayplay}
  - id: openplay
    type: PLAY
    next: chk
  - id: closedplay
    type: PLAY
    next: chk
  - id: holidayplay
    type: PLAY
    next: chk
  - id: chk
    type: XYZCUSTOM
    branches: {Yes: queue, No: done}
  - id: queue
    type: REQAGENT
    properties: {Skill: Sales}
    next: done
  - id: done
    type: HANGUP
"#;

fn script() -> Script {
    recflow::script::load_str("branchy.yaml", SCRIPT).unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

fn traffic(s: &Script, text: &str) -> Traffic {
    parse_traffic("traffic.yaml", text, s).unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

fn traffic_err(s: &Script, text: &str) -> String {
    match parse_traffic("traffic.yaml", text, s) {
        Ok(_) => panic!("traffic should be refused:\n{text}"),
        Err(e) => e.render_plain(100),
    }
}

fn run(s: &Script, t: &Traffic, calls: u64, jobs: usize) -> Report {
    let p = Compiled::compile(s, &recflow::model::Tenant::default(), t);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().unwrap();
    let (tally, res) = pool.install(|| sim::simulate_chunks(&p, calls, None, |_| {}));
    res.unwrap();
    tally.report(&p)
}

/// Contacts whose path went through action `id`.
fn visits(s: &Script, t: &Traffic, calls: u64, id: &str) -> u64 {
    let p = Compiled::compile(s, &recflow::model::Tenant::default(), t);
    let ix = recflow::script::ActionIx(p.ids.iter().position(|i| i == id).unwrap() as u32);
    (0..calls).filter(|c| sim::explain::explain(&p, *c).outcome.path.contains(&ix)).count() as u64
}

#[test]
fn traffic_weights_are_respected_statistically() {
    let s = script();
    let t =
        traffic(&s, "branches:\n  hours: {Open: 0.7, Closed: 0.2, Holiday: 0.1}\n  chk: {Yes: 1, No: 3}\n");
    let n = 20_000;
    let open = visits(&s, &t, n, "openplay") as f64 / n as f64;
    let closed = visits(&s, &t, n, "closedplay") as f64 / n as f64;
    let queued = visits(&s, &t, n, "queue") as f64 / n as f64;
    // 20 000 draws: 4 standard deviations of a share p is at most 4·sqrt(.25/20000) ≈ 1.4 pp.
    assert!((open - 0.7).abs() < 0.015, "Open share {open}");
    assert!((closed - 0.2).abs() < 0.015, "Closed share {closed}");
    assert!((queued - 0.25).abs() < 0.015, "Yes share {queued}");
}

#[test]
fn uniform_among_wired_result_branches_without_traffic() {
    let s = script();
    let t = Traffic::default();
    let n = 20_000;
    for id in ["openplay", "closedplay", "holidayplay"] {
        let share = visits(&s, &t, n, id) as f64 / n as f64;
        assert!((share - 1.0 / 3.0).abs() < 0.015, "{id} share {share}");
    }
    let yes = visits(&s, &t, n, "queue") as f64 / n as f64;
    assert!((yes - 0.5).abs() < 0.015, "unknown type Yes share {yes}");
}

#[test]
fn branch_names_compare_like_the_catalogue() {
    let s = script();
    // `OnOpen` / `closed` name the script's `Open` / `Closed` (case, `On` prefix ignored).
    let t = traffic(&s, "branches:\n  hours: {OnOpen: 1, closed: 0}\n");
    assert_eq!(visits(&s, &t, 200, "openplay"), 200);
}

#[test]
fn jobs_1_and_4_give_identical_reports() {
    let s = script();
    let t = traffic(&s, "branches:\n  hours: {Open: 0.5, Closed: 0.5}\n");
    let a = recflow::report::simulation::report_json(&run(&s, &t, 5_000, 1));
    let b = recflow::report::simulation::report_json(&run(&s, &t, 5_000, 4));
    assert_eq!(a, b);
}

#[test]
fn unmodelled_counts_contacts_per_action_and_never_stuck() {
    let s = script();
    let t = traffic(&s, "branches:\n  hours: {Open: 1}\n");
    let r = run(&s, &t, 1_000, 2);
    assert_eq!(r.unmodelled.get("hours"), Some(&1_000));
    assert_eq!(r.unmodelled.get("chk"), Some(&1_000));
    assert_eq!(r.findings.get(recflow::sim::findings::Finding::Stuck), 0);
    let json = recflow::report::simulation::report_json(&r);
    assert!(json.contains("\"unmodelled\""), "{json}");
    let human = recflow::report::simulation::report_human(&r, "branchy.yaml", "");
    assert!(human.contains("Unmodelled (branch chosen by traffic weights"), "{human}");
    assert!(!human.contains("stuck"), "{human}");
}

#[test]
fn explain_says_branch_chosen_by_traffic_weights() {
    let s = script();
    let p = Compiled::compile(&s, &recflow::model::Tenant::default(), &Traffic::default());
    let ex = sim::explain::explain(&p, 3);
    let line = ex.steps.iter().find(|st| st.action.as_deref() == Some("hours")).expect("hours step");
    assert!(line.text.contains("HOURS: branch chosen by traffic weights"), "{}", line.text);
    assert_eq!(ex.outcome.unmodelled.len(), 2);
}

#[test]
fn a_script_without_traffic_branched_actions_reports_no_unmodelled_key() {
    let s = recflow::script::load_str(
        "plain.yaml",
        "script: plain\nactions:\n  - {id: begin, type: BEGIN, next: bye}\n  - {id: bye, type: HANGUP}\n",
    )
    .unwrap();
    let r = run(&s, &Traffic::default(), 100, 1);
    assert!(r.unmodelled.is_empty());
    assert!(!recflow::report::simulation::report_json(&r).contains("unmodelled"));
}

#[test]
fn traffic_errors_are_located() {
    let s = script();
    let e = traffic_err(&s, "branches:\n  hurs: {Open: 1}\n");
    assert!(e.contains("traffic.yaml:2:3"), "{e}");
    assert!(e.contains("no action with that id") && e.contains("did you mean `hours`"), "{e}");

    let e = traffic_err(&s, "branches:\n  hours: {Opne: 1}\n");
    assert!(e.contains("traffic.yaml:2:11"), "{e}");
    assert!(e.contains("no wired branch `Opne`") && e.contains("did you mean `Open`"), "{e}");

    let e = traffic_err(&s, "branches:\n  hours: {Open: -1}\n");
    assert!(e.contains("traffic.yaml:2:"), "{e}");
    assert!(e.contains("negative"), "{e}");

    let e = traffic_err(&s, "branches:\n  openplay: {Default: 1}\n");
    assert!(e.contains("traffic.yaml:2:3") && e.contains("whose branch recflow computes itself"), "{e}");
}
