//! The analysis stays bounded: states per action are bounded by the lattice, not by the number
//! of paths (diamonds) or loop iterations; and the counterexample path is the shortest one.

mod common;
#[path = "support/lint_gen.rs"]
mod lint_gen;

use recflow::lint::{analysis, infer::Facts};

fn reach_of(text: &str) -> (usize, analysis::Reach) {
    let script =
        recflow::script::load_str("gen.yaml", text).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let facts = Facts::new(&script);
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
    next: say
  - {id: say, type: PLAY, next: bye}
  - {id: bye, type: HANGUP}
";
    // (`say`: the statement records for a while; one ended at once by HANGUP is none, A-21. The
    // shortest loss: the caller hangs up during `say`.)
    let script = recflow::script::load_str("s.yaml", text).unwrap();
    let found = recflow::lint::lint(&script, &Default::default());
    let s001 = found.iter().find(|d| d.code == "S001").expect("S001");
    assert_eq!(s001.path_ids(&script), ["begin", "pick", "stmt", "say"]);
}

#[test]
fn consent_and_sensitive_menus_are_inferred_and_say_so() {
    // No `consent:` annotation: branch 2 leads to DONOTRECORD before REQAGENT, branch 1 does not.
    let text = "script: inferred
actions:
  - {id: begin, type: BEGIN, next: rec}
  - id: rec
    type: LOGRECORDINGPRO
    properties: {Record: Start}
    next: ask
  - id: ask
    type: MENU
    properties: {Phrase: Press 1 to accept recording or 2 to refuse.}
    branches: {'1': queue, '2': dnr, default: queue}
  - {id: dnr, type: DONOTRECORD, next: queue}
  - {id: queue, type: REQAGENT, next: hold}
  - {id: hold, type: MUSIC, next: hold}
";
    let script = recflow::script::load_str("i.yaml", text).unwrap();
    let facts = Facts::new(&script);
    let ask = script.find("ask").unwrap();
    let c = facts.consent[ask.index()].as_ref().expect("inferred consent question");
    assert_eq!(c.accept, ["1", "default"]);
    assert_eq!(c.inferred.as_deref(), Some("inferred consent question: its branch `2` leads to DONOTRECORD"));
    let found = recflow::lint::lint(&script, &Default::default());
    let c003 = found.iter().find(|d| d.code == "C003").expect("C003 on the Start before the question");
    assert!(
        c003.message.contains("inferred consent question: its branch `2` leads to DONOTRECORD"),
        "{}",
        c003.message
    );
    // A plain menu (no branch to DONOTRECORD) is not a consent question.
    assert!(facts.consent[script.find("begin").unwrap().index()].is_none());

    // A Studio export without recflow's annotation: the consent MENU is inferred.
    let text = std::fs::read_to_string("scripts/studio-json/studio-export-consent.json").unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for a in v["actions"].as_object_mut().unwrap().values_mut() {
        a.as_object_mut().unwrap().remove("recflowConsent");
    }
    let json = recflow::script::load_str("export.json", &serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let jf = Facts::new(&json);
    let menu = json.find("3").unwrap();
    let c = jf.consent[menu.index()].as_ref().expect("inferred");
    assert_eq!(c.accept, ["1"]);
    assert!(c.inferred.as_deref().unwrap().contains("leads to DONOTRECORD"));
}

#[test]
fn sensitive_phrases() {
    use recflow::lint::infer::sensitive_phrase;
    assert_eq!(sensitive_phrase("Please enter your 16 digit card number."), Some("card number"));
    assert_eq!(sensitive_phrase("Enter the CVV on the back"), Some("cvv"));
    assert_eq!(sensitive_phrase("Key in your PIN"), Some("pin"));
    assert_eq!(sensitive_phrase("the three-digit security code"), Some("security code"));
    assert_eq!(sensitive_phrase("Spinning wheel, opinion poll"), None);
    assert_eq!(sensitive_phrase("Enter your account number"), None);
}

/// Issue 21, F03: `Reach::path_keeping` builds a path by jumping over straight runs and counting
/// the elided middle; it must give exactly the steps of walking every node back to BEGIN
/// (`path_keeping_walk`, the old form). Checked at every reachable pair of every example, lint
/// fixture and linked multi-file example (paths that change files), generated diamond / loop
/// scripts (many decisions: the middle is cut; loops: the kept action met more than once) and a
/// long mixed chain (long straight runs), each with no kept action, the pair's own action, and
/// an action from the middle of its path.
#[test]
fn indexed_paths_are_the_walked_paths() {
    let mut scripts: Vec<recflow::script::Script> = Vec::new();
    let mut files = common::example_scripts();
    files.extend(common::scripts_in(&common::repo("tests/fixtures/lint")));
    files.extend(common::scripts_in(&common::repo("tests/fixtures/crosscheck")));
    for f in files {
        if let Ok(s) = recflow::script::load_path(&f) {
            scripts.push(s);
        }
    }
    for entry in [
        "scripts/tenant-consent-subscript/mistake-main.yaml",
        "tests/fixtures/subscripts/statement/main.yaml",
    ] {
        use recflow::library::{self, Options, link::link};
        let lib = library::load(&common::repo(entry), &Options::default()).expect("library loads");
        scripts.push(link(&lib).expect("links").script);
    }
    for text in [lint_gen::script(3), lint_gen::script(12), common::scripts::mixed_chain(400)] {
        scripts.push(recflow::script::load_str("gen.yaml", &text).expect("loads"));
    }
    let (mut compared, mut cut, mut elided, mut crossing) = (0, 0, 0, 0);
    for script in &scripts {
        let facts = Facts::new(script);
        let reach = analysis::analyze(script, &facts);
        // Every pair of small analyses; a stride through large ones.
        let stride = (reach.len() / 4_000).max(1);
        for id in (0..reach.len()).step_by(stride) {
            let id = id as analysis::NodeId;
            let on_path = reach.path_actions(id);
            let own = match reach.point(id) {
                analysis::Point::Action(a) => Some(a),
                _ => None,
            };
            for keep in [None, own, on_path.get(on_path.len() / 2).copied()] {
                let fast = reach.path_keeping(script, id, keep);
                let walked = reach.path_keeping_walk(script, id, keep);
                assert_eq!(fast, walked, "{} pair {id} keeping {keep:?}", script.source.name);
                compared += 1;
                cut += (fast.len() > analysis::MAX_PATH_STEPS) as usize;
                elided += fast.iter().any(|s| matches!(s, analysis::Step::Elided(_))) as usize;
                crossing += on_path.windows(2).any(|w| {
                    let file =
                        |a: recflow::script::ActionIx| script.action(a).id.split_once(':').map(|(f, _)| f);
                    file(w[0]) != file(w[1])
                }) as usize;
            }
        }
    }
    // Not vacuous: long paths cut in the middle, elided runs, and paths across files were compared.
    assert!(
        compared > 10_000 && cut > 100 && elided > 1_000 && crossing > 10,
        "{compared} {cut} {elided} {crossing}"
    );
}
/// Issue 21, F03: building a finding's path costs a bounded number of jumps, not its length nor
/// its number of decisions. `mixed_chain` has a statement finding every 4 actions, each with a
/// path from BEGIN (a CASE every 50 actions): 4× the chain is 4× the findings and at most 5× the
/// path work (a path past its 12th decision costs a few dozen jumps, one before it less), where
/// walking each path (the old form) was 16×.
#[test]
fn path_building_is_linear_in_the_findings() {
    let work = |n: usize| {
        let script = recflow::script::load_str("big.yaml", &common::scripts::mixed_chain(n)).expect("loads");
        let before = analysis::path_work();
        let found = recflow::lint::lint(&script, &recflow::lint::Config::default());
        (found.len(), analysis::path_work() - before)
    };
    let (small_found, small) = work(2_000);
    let (big_found, big) = work(8_000);
    assert!(big_found >= 4 * small_found - 10, "{small_found} → {big_found} findings");
    assert!(big < 5 * small, "path work grew from {small} to {big} for 4× the findings");
    // And per finding it is small: a few dozen nodes.
    assert!(big < 100 * big_found as u64, "{big} nodes visited for {big_found} paths");
}
