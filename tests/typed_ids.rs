//! Typed indices never wrap (issue 9 point 7): lint's branch indices were `u16`, so the
//! counterexample path through branch 65 537 of a CASE named branch 1. A CASE that large loads
//! (≈ 140 000 YAML nodes, under the 250 000 script limit), so the index must be wide enough.

use recflow::lint::analysis::Step;

#[test]
fn a_path_through_a_case_branch_past_65535_names_that_branch() {
    const BRANCHES: usize = 70_000;
    const TAKEN: usize = 65_537; // `as u16` would make this 1
    let mut branches = String::new();
    for i in 0..BRANCHES {
        let target = if i == TAKEN { "stmt" } else { "bye" };
        branches.push_str(&format!("v{i}: {target}, "));
    }
    let text = format!(
        "script: s
actions:
  - {{id: begin, type: BEGIN, next: pick}}
  - {{id: pick, type: CASE, properties: {{Variable: v}}, branches: {{{branches}default: bye}}}}
  - id: stmt
    type: LOGRECORDINGPRO
    properties: {{Record: Start, UseRecordingStatementId: true}}
    next: say
  - {{id: say, type: PLAY, next: bye}}
  - {{id: bye, type: HANGUP}}
"
    );
    // (`say`: a statement ended at once by HANGUP records nothing and is not lost, A-21.)
    let script =
        recflow::script::load_str("s.yaml", &text).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let found = recflow::lint::lint(&script, &Default::default());
    let s001 = found.iter().find(|d| d.code == "S001").expect("the unsaved statement is found");
    assert_eq!(s001.path_ids(&script), ["begin", "pick", "stmt", "say"]);
    let chosen = s001.path.iter().find_map(|step| match step {
        Step::Action { action, branch } if script.action(*action).id == "pick" => Some(branch.clone()),
        _ => None,
    });
    assert_eq!(chosen, Some(Some(format!("v{TAKEN}"))));
}
