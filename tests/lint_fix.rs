//! `recflow lint --fix` (issue 14): every fix on its rule's fixture, in YAML and in Studio JSON,
//! with its before → after diff as a snapshot and the proof — the fixed script loads, the fixed
//! findings are gone, no new finding appears, `recflow diff OLD FIXED` moves only the contacts
//! the fix is about, and a second `--fix` changes nothing.

mod common;

use common::root;

use recflow::diff;
use recflow::lint::fix::{self, Applicability};
use recflow::lint::{self, Config, Diagnostic};
use recflow::model::{Tenant, Traffic};
use recflow::script::{self, Script};
use recflow::sim::Compiled;

#[path = "support/lint_gen.rs"]
#[allow(dead_code)]
mod lint_gen;

fn fixture(code: &str) -> Script {
    let dir = root().join("tests/fixtures/lint");
    let file = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&format!("{code}-"))))
        .expect("a fixture per rule");
    let text = std::fs::read_to_string(&file).expect("read");
    script::load_str(&format!("{code}.yaml"), &text).expect("fixture loads")
}

/// The same script as a Studio JSON file (what `recflow convert --to studio-json` writes).
fn as_studio_json(s: &Script) -> Script {
    let name = s.source.name.replace(".yaml", ".json");
    script::load_str(&name, &script::export::to_studio_json(s)).expect("converted script loads")
}

fn count(found: &[Diagnostic], code: &str) -> usize {
    found.iter().filter(|d| d.code == code).count()
}

fn key(s: &Script, d: &Diagnostic) -> (String, String) {
    (d.code.to_string(), s.action(d.action).id.clone())
}

/// The proof of issue 14 point 4, on one script; returns the fixed script.
fn prove(before: &Script, code: &str) -> Script {
    let config = Config::default();
    let old = lint::lint(before, &config);
    assert!(count(&old, code) > 0, "{code} fires on its fixture");
    let fixed = fix::fix_script(before, &config, true);
    assert!(fixed.applied.iter().any(|a| a.code == code), "a {code} fix was applied: {:?}", fixed.applied);
    // It loads (from its text, as a user's next run would).
    let reloaded =
        script::load_str(&before.source.name, &fixed.script.source.text).expect("fixed script loads");
    let new = lint::lint(&reloaded, &config);
    assert!(count(&new, code) < count(&old, code), "{code} fires less after the fix");
    assert!(new.len() < old.len(), "fewer findings");
    let old_keys: Vec<_> = old.iter().map(|d| key(before, d)).collect();
    for d in &new {
        assert!(old_keys.contains(&key(&reloaded, d)), "new finding after the fix: {} {}", d.code, d.message);
    }
    // Idempotent.
    let again = fix::fix_script(&reloaded, &config, true);
    assert!(again.applied.is_empty(), "second --fix applies nothing: {:?}", again.applied);
    assert_eq!(&*again.script.source.text, &*reloaded.source.text);
    reloaded
}

fn outcome_diff(old: &Script, new: &Script, calls: u64) -> diff::DiffReport {
    outcome_diff_with(old, new, Traffic { calls, ..Traffic::default() })
}

fn outcome_diff_with(old: &Script, new: &Script, traffic: Traffic) -> diff::DiffReport {
    let tenant = Tenant::default();
    let calls = traffic.calls;
    let (po, pn) = (Compiled::compile(old, &tenant, &traffic), Compiled::compile(new, &tenant, &traffic));
    diff::diff(old, &po, new, &pn, calls)
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

/// Fix a rule's fixture in both formats: snapshot the diffs, prove both, and check that both
/// formats get the same fix (same findings left, same outcome change).
fn fix_both(code: &str) -> (Script, Script) {
    let yaml = fixture(code);
    let fixed_yaml = prove(&yaml, code);
    let text_diff = |a: &Script, b: &Script| {
        diff::align::unified(&a.source.name, &b.source.name, &a.source.text, &b.source.text, 2)
    };
    snap!(format!("lint_fix_{code}_yaml"), text_diff(&yaml, &fixed_yaml));
    let json = as_studio_json(&yaml);
    let fixed_json = prove(&json, code);
    snap!(format!("lint_fix_{code}_studio_json"), text_diff(&json, &fixed_json));
    let codes = |s: &Script| lint::lint(s, &Config::default()).iter().map(|d| key(s, d)).collect::<Vec<_>>();
    assert_eq!(codes(&fixed_json).len(), codes(&fixed_yaml).len(), "both formats fixed alike");
    (yaml, fixed_yaml)
}

#[test]
fn c001_decliners_move_to_dnr_and_nobody_else_changes() {
    fix_both("C001");
    // The outcome change, on a script whose consent MENU the simulated callers reach (the
    // fixture's leaking MENU sits behind a CASE no caller takes), with callers who say nothing
    // (the default traffic never gives no input).
    let old = script::load_path(&root().join("scripts/mistake-consent-leak.yaml")).expect("loads");
    let new = prove(&old, "C001");
    let traffic = recflow::model::traffic::parse_traffic(
        "traffic.yaml",
        "calls: 2000\ninputs:\n  consent: {\"1\": 0.5, \"2\": 0.3, none: 0.2}\n",
        &old,
    )
    .expect("traffic");
    let d = outcome_diff_with(&old, &new, traffic);
    assert!(d.changed > 0, "the leaking decliners change");
    for t in &d.transitions {
        assert_eq!(t.to, "dnr", "only decliners move, and only to dnr: {t:?}");
    }
}

#[test]
fn c002_dnr_moves_before_the_queue() {
    let (old, new) = fix_both("C002");
    let d = outcome_diff(&old, &new, 1000);
    for t in &d.transitions {
        assert_eq!(t.to, "dnr", "{t:?}");
    }
}

#[test]
fn s001_saves_the_statement_id() {
    let (old, new) = fix_both("S001");
    let d = outcome_diff(&old, &new, 1000);
    for t in &d.transitions {
        assert!(!t.to.contains("lost"), "no statement is lost after the fix: {t:?}");
    }
}

#[test]
fn s002_saves_into_a_global() {
    fix_both("S002");
}

#[test]
fn m001_turns_the_button_off_and_records_the_same() {
    let (old, new) = fix_both("M001");
    // Only the indicator finding goes away: what is recorded stays the same for everyone.
    for t in &outcome_diff(&old, &new, 1000).transitions {
        assert_eq!(t.from.replace(", !indicator_left_on", ""), t.to, "{t:?}");
    }
}

#[test]
fn m001_creates_onrelease_when_missing() {
    let s = script::load_path(&root().join("scripts/mistake-indicator-left-on.yaml")).expect("loads");
    assert!(s.event(recflow::script::Event::Release).is_none());
    let fixed = prove(&s, "M001");
    assert!(fixed.event(recflow::script::Event::Release).is_some());
}

#[test]
fn m003_wires_default_to_the_join() {
    fix_both("M003");
}

#[test]
fn p001_stops_around_the_sensitive_menu() {
    fix_both("P001");
}

#[test]
fn x001_removes_the_suppression_and_changes_nothing() {
    let (old, new) = fix_both("X001");
    assert_eq!(outcome_diff(&old, &new, 500).changed, 0);
}

#[test]
fn unsafe_fixes_wait_for_the_flag() {
    for code in ["P001", "M003", "C002"] {
        let s = fixture(code);
        let safe_only = fix::fix_script(&s, &Config::default(), false);
        assert!(
            safe_only.applied.iter().all(|a| a.applicability == Applicability::Safe),
            "{code}: {:?}",
            safe_only.applied
        );
        assert!(!safe_only.applied.iter().any(|a| a.code == code));
    }
}

#[test]
fn untouched_bytes_stay_byte_identical() {
    // Comments, quoting and layout around the edit survive: the diff is only added lines and
    // the one rewired target.
    let s = script::load_path(&root().join("scripts/mistake-consent-leak.yaml")).expect("loads");
    let fixed = fix::fix_script(&s, &Config::default(), false);
    let old: Vec<&str> = s.source.text.lines().collect();
    let new: Vec<&str> = fixed.script.source.text.lines().collect();
    let removed: Vec<&&str> = old.iter().filter(|l| !new.contains(l)).collect();
    assert_eq!(removed, [&"      default: queue"]);
    // Issue 25: the MENU's own DONOTRECORD (`"2": dnr`, then `queue`) is reused, not duplicated.
    assert!(new.contains(&"      default: dnr"));
    assert_eq!(new.len(), old.len(), "no action added: {}", fixed.script.source.text);
    // The header comment (everything before the first action) is byte-identical.
    let head = |t: &str| t[..t.find("  - id:").expect("an action")].to_string();
    assert_eq!(head(&fixed.script.source.text), head(&s.source.text));
    assert!(fixed.script.source.text.contains("# MISTAKE: the consent question leaks."));
}

#[test]
fn new_ids_never_collide() {
    // A script that already has `dnr-consent` (one that cannot be reused) gets `dnr-consent-2`.
    let text = std::fs::read_to_string(root().join("scripts/mistake-consent-leak.yaml"))
        .expect("read")
        .replace("  - id: dnr\n", "  - id: dnr-consent\n")
        .replace("\"2\": dnr\n", "\"2\": dnr-consent\n")
        // The existing DONOTRECORD goes elsewhere than the leak's target: not reusable.
        .replace(
            "    label: Customer declined\n    next: queue\n",
            "    label: Customer declined\n    next: hold\n",
        );
    let s = script::load_str("leak.yaml", &text).expect("loads");
    let fixed = fix::fix_script(&s, &Config::default(), false);
    assert!(fixed.script.find("dnr-consent-2").is_some(), "{}", fixed.script.source.text);
}

#[test]
fn studio_json_new_actions_get_fresh_numeric_ids_and_layout() {
    let s = script::load_path(&root().join("scripts/studio-json/studio-export-consent.json")).expect("loads");
    // Break it: the consent MENU's Default goes straight to the queue.
    let menu =
        s.actions.iter().find(|a| a.consent.is_some() || matches!(a.kind, recflow::script::Kind::Menu(_)));
    let Some(menu) = menu else { return };
    let dnr = s.actions.iter().find(|a| matches!(a.kind, recflow::script::Kind::DoNotRecord));
    let Some(dnr) = dnr else { return };
    let Some(to) = dnr.branch("default").and_then(|b| b.target) else { return };
    let Some(b) = menu.branch("default").filter(|b| b.target_span.len > 0) else { return };
    // The decline digit too, so no branch of the MENU runs the DONOTRECORD any more: the fix
    // must add one (issue 25: an existing equivalent DONOTRECORD would be reused instead).
    let Some(two) = menu.branch("2").filter(|b| b.target_span.len > 0) else { return };
    let mut text = s.source.text.to_string();
    let mut spans = [b.target_span, two.target_span];
    spans.sort_by_key(|s| std::cmp::Reverse(s.offset));
    for span in spans {
        text.replace_range(span.offset..span.end(), &serde_json::to_string(&s.action(to).id).expect("id"));
    }
    let broken = script::load_str("export.json", &text).expect("loads");
    let fixed = prove(&broken, "C001");
    let max_old = broken.actions.iter().filter_map(|a| a.id.parse::<u64>().ok()).max().unwrap_or(0);
    let added: Vec<_> = fixed.actions.iter().filter(|a| broken.find(&a.id).is_none()).collect();
    assert_eq!(added.len(), 1);
    let id: u64 = added[0].id.parse().expect("numeric id");
    assert!(id > max_old);
    let extra = &added[0].studio.as_ref().expect("layout kept").action;
    assert!(extra.get("x").is_some() && extra.get("y").is_some());
}

#[test]
fn every_mistake_script_is_fixed_to_a_clean_lint() {
    let mut n = 0;
    for p in common::yaml_examples() {
        let name = p.file_name().expect("name").to_string_lossy().to_string();
        if !(name.starts_with("mistake-") && name.ends_with(".yaml")) {
            continue;
        }
        n += 1;
        let s = script::load_path(&p).expect("loads");
        let fixed = fix::fix_script(&s, &Config::default(), true);
        assert!(fixed.changed(), "{name}");
        let reloaded = script::load_str(&name, &fixed.script.source.text).expect("loads");
        let left = lint::lint(&reloaded, &Config::default());
        assert!(left.is_empty(), "{name}: {:?}", left.iter().map(|d| d.code).collect::<Vec<_>>());
        // And as Studio JSON.
        let json = as_studio_json(&s);
        let fixed = fix::fix_script(&json, &Config::default(), true);
        assert!(fixed.remaining.is_empty(), "{name} (Studio JSON)");
    }
    assert!(n >= 5);
}

#[test]
fn json_and_sarif_carry_the_fix() {
    let s = fixture("C001");
    let mut found = lint::lint(&s, &Config::default());
    fix::keep_proven(&s, &Config::default(), &mut found);
    let json: serde_json::Value =
        serde_json::from_str(&lint::render::json(&[(&s, found.as_slice())])).expect("json");
    let d = &json["diagnostics"][0];
    assert_eq!(d["fix"]["applicability"], "safe");
    let edits = d["fix"]["edits"].as_array().expect("edits");
    // Applying the JSON edits (back to front) gives the fixed text.
    let mut text = s.source.text.to_string();
    for e in edits.iter().rev() {
        let (o, l) =
            (e["offset"].as_u64().expect("offset") as usize, e["length"].as_u64().expect("len") as usize);
        text.replace_range(o..o + l, e["content"].as_str().expect("content"));
    }
    let fixed = script::load_str("C001.yaml", &text).expect("loads");
    assert_eq!(count(&lint::lint(&fixed, &Config::default()), "C001"), 0);
    let sarif: serde_json::Value =
        serde_json::from_str(&lint::render::sarif(&[(&s, found.as_slice())])).expect("sarif");
    let change = &sarif["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "C001.yaml");
    assert!(!change["replacements"].as_array().expect("replacements").is_empty());
}

mod generated {
    //! Property: on generated scripts, `--fix` never yields a script that fails to load, never
    //! increases the number of findings, and is idempotent.
    use super::*;
    use proptest::prelude::*;

    use super::lint_gen;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
        #[test]
        fn fix_is_safe_and_idempotent(blocks in 1usize..4, drop_default in any::<bool>(), unsafe_fixes in any::<bool>(), json in any::<bool>()) {
            let mut text = lint_gen::script(blocks);
            if drop_default {
                // A CASE with no default (M003) and a statement Start whose id is never saved (S001).
                text = text.replacen(", default: b0-stmt}", "}", 1).replacen("    next: b0-save\n", "    next: b0-join\n", 1);
            }
            let Ok(mut s) = script::load_str("gen.yaml", &text) else { return Ok(()) };
            if json {
                s = as_studio_json(&s);
            }
            let config = Config::default();
            let before = lint::lint(&s, &config).len();
            let fixed = fix::fix_script(&s, &config, unsafe_fixes);
            let reloaded = script::load_str(&s.source.name, &fixed.script.source.text);
            prop_assert!(reloaded.is_ok());
            let reloaded = reloaded.expect("checked");
            let after = lint::lint(&reloaded, &config).len();
            prop_assert!(after <= before);
            prop_assert_eq!(after + fixed.applied.len() <= before, true);
            let again = fix::fix_script(&reloaded, &config, unsafe_fixes);
            prop_assert!(again.applied.is_empty());
        }
    }
}

/// Issue 25: C001's fix wires the leaking branch to the DONOTRECORD the MENU already runs when
/// it goes on to the same action (equivalent flow, no duplicate), and the outcome diff proves it
/// (the fix is applied: `lint --fix` keeps only proven fixes); a DONOTRECORD that goes elsewhere
/// is not reused.
#[test]
fn c001_fix_reuses_an_equivalent_donotrecord() {
    let s = script::load_path(&root().join("scripts/mistake-consent-leak.yaml")).expect("loads");
    let fixed = fix::fix_script(&s, &Config::default(), false);
    let c001: Vec<_> = fixed.applied.iter().filter(|a| a.code == "C001").collect();
    assert_eq!(c001.len(), 1, "{:?}", fixed.applied);
    assert!(c001[0].message.contains("existing DONOTRECORD `dnr`"), "{}", c001[0].message);
    assert_eq!(fixed.script.actions.len(), s.actions.len());
    assert!(fixed.remaining.iter().all(|d| d.code != "C001"), "{:?}", fixed.remaining);
    let other = script::load_str(
        "leak.yaml",
        &std::fs::read_to_string(root().join("scripts/mistake-consent-leak.yaml")).unwrap().replace(
            "    label: Customer declined\n    next: queue\n",
            "    label: Customer declined\n    next: hold\n",
        ),
    )
    .expect("loads");
    let fixed = fix::fix_script(&other, &Config::default(), false);
    assert!(fixed.script.find("dnr-consent").is_some(), "{}", fixed.script.source.text);
}

// ---- Issue 21 F03: `--fix` and the proofs of offered fixes cost a handful of analyses ----------

/// `n` statement Starts in block style (so the fixes can be written), each followed by a PLAY:
/// `n` S001 findings (the last Start's loss merges with another's in the imprecise mode beyond
/// 12 recording actions, so a fix or two may not prove).
fn many_statements(n: usize) -> Script {
    let mut y = String::from("script: many-statements\nactions:\n  - id: b\n    type: BEGIN\n    next: a0\n");
    for i in 0..n {
        let next = if i + 1 < n { format!("a{}", i + 1) } else { "end".into() };
        y.push_str(&format!(
            "  - id: a{i}\n    type: LOGRECORDINGPRO\n    properties: {{Record: Start, UseRecordingStatementId: true}}\n    next: p{i}\n  - id: p{i}\n    type: PLAY\n    properties: {{Phrase: \"message {i}\"}}\n    next: {next}\n"
        ));
    }
    y.push_str("  - id: end\n    type: HANGUP\n");
    script::load_str("many.yaml", &y).unwrap_or_else(|e| panic!("{}", e.render_plain(100)))
}

/// `--fix` writes all the fixes that hold together in one edit and proves them with one lint,
/// halving a batch that does not hold: the number of analyses grows with the logarithm of the
/// findings, not with their number (it was one re-lint per fix: 500 fixes took 27.6 s).
/// Counted, not timed.
#[test]
fn f03_fix_of_many_findings_costs_logarithmically_many_analyses() {
    let config = Config::default();
    for n in [64usize, 256] {
        let s = many_statements(n);
        let before = lint::analysis::passes();
        let fixed = fix::fix_script(&s, &config, false);
        let passes = lint::analysis::passes() - before;
        assert!(fixed.applied.len() + 2 >= n, "{n}: fixed only {}", fixed.applied.len());
        assert!(fixed.applied.iter().all(|a| a.code == "S001"));
        let log = (n as f64).log2().ceil() as u64;
        eprintln!("{n} findings: {} fixed with {passes} analyses", fixed.applied.len());
        assert!(passes <= 4 * log + 4, "{n} findings: {passes} analyses (one per fix would be {n})");
    }
}

/// Plain `lint` proves the fixes it offers in at most two batches (safe ones, then all) before
/// any single proof: a script with many fixable findings costs a few analyses.
#[test]
fn f03_offered_fixes_are_proven_in_batches() {
    let config = Config::default();
    let s = many_statements(100);
    let mut found = lint::lint(&s, &config);
    let before = lint::analysis::passes();
    fix::keep_proven(&s, &config, &mut found);
    let passes = lint::analysis::passes() - before;
    let offered = found.iter().filter(|d| d.fix.is_some()).count();
    assert!(offered >= 90, "{offered} fixes offered");
    // The safe batch (all of them here; nothing is unsafe), halved around the one or two fixes
    // that do not prove: O(log n) analyses, where one proof per fix would be 64 (the cap).
    eprintln!("{offered} fixes offered, proven with {passes} analyses");
    assert!(passes <= 2 * 7 * 2, "{passes} analyses to prove {offered} fixes");
}
