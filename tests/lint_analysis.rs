//! The analysis stays bounded: states per action are bounded by the lattice, not by the number
//! of paths (diamonds) or loop iterations; and the counterexample path is the shortest one.

#[path = "support/lint_gen.rs"]
mod lint_gen;

use recflow::flow::Flow;
use recflow::lint::{analysis, infer::Facts};

fn reach_of(text: &str) -> (usize, analysis::Reach) {
    let script =
        recflow::script::load_str("gen.yaml", text).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let flow = Flow::new(&script);
    let facts = Facts::new(&script, &flow);
    (script.actions.len(), analysis::analyze(&script, &facts))
}

#[test]
fn diamonds_and_loops_keep_the_state_count_linear() {
    // 4^k paths through k blocks; the pair count must grow linearly with k.
    let (a10, r10) = reach_of(&lint_gen::script(10));
    let (a40, r40) = reach_of(&lint_gen::script(40));
    assert!(!r10.truncated && !r40.truncated);
    let per10 = r10.len() as f64 / a10 as f64;
    let per40 = r40.len() as f64 / a40 as f64;
    // A handful of states per action, and no growth with the number of diamonds.
    assert!(per40 < 40.0, "{} pairs for {a40} actions", r40.len());
    assert!(per40 <= per10 * 1.5, "states per action grew from {per10:.1} to {per40:.1}");
    // Every action of the chain is reached.
    let max_per_action = r40.by_action.iter().map(Vec::len).max().unwrap();
    assert!(max_per_action < 400, "one action has {max_per_action} states");
}

#[test]
fn small_scripts_keep_provenance_and_stay_bounded() {
    // 4 blocks = 12 recording actions: the precise mode (one state per source).
    let (a4, r4) = reach_of(&lint_gen::script(4));
    assert!(r4.len() < a4 * 200, "{} pairs for {a4} actions", r4.len());
}

#[test]
fn counterexample_is_the_shortest_path() {
    // Two ways to reach the unsaved statement: a long one (through three PLAYs) and a short one.
    let text = "script: s
actions:
  - {id: begin, type: BEGIN, next: pick}
  - {id: pick, type: CASE, properties: {Variable: v}, branches: {long: p1, default: stmt}}
  - {id: p1, type: PLAY, next: p2}
  - {id: p2, type: PLAY, next: p3}
  - {id: p3, type: PLAY, next: stmt}
  - id: stmt
    type: LOGRECORDINGPRO
    properties: {Record: Start, UseRecordingStatementId: true}
    next: bye
  - {id: bye, type: HANGUP}
";
    let script = recflow::script::load_str("s.yaml", text).unwrap();
    let found = recflow::lint::lint(&script, &Default::default());
    let s001 = found.iter().find(|d| d.code == "S001").expect("S001");
    assert_eq!(s001.path_ids(&script), ["begin", "pick", "stmt", "bye"]);
}
