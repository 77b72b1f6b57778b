//! `simulate --exact`: the report, its JSON keys, flag conflicts, and the cross-check of every
//! example against a sampled run of the same model.

use crate::common::{self, output as recflow};

/// Fixed queue wait, patience and talk (the durations `--exact` needs to be exact).
const FIXED: &str = "durations: {queue_wait: 30, patience: 300, talk: 240}\n";

fn fixed_traffic() -> tempfile::NamedTempFile {
    let f = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    std::fs::write(f.path(), FIXED).unwrap();
    f
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = recflow(args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn exact_human_report_prints_fractions_without_intervals() {
    let t = fixed_traffic();
    let out = recflow(&[
        "simulate",
        "scripts/consent-gdpr.yaml",
        "--exact",
        "--traffic",
        t.path().to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    common::insta_settings().bind(|| insta::assert_snapshot!("simulate_exact_consent_gdpr_human", text));
    assert!(text.contains("Exact: every probability below is exact"));
    assert!(!text.contains('['), "no interval brackets in an exact report");
}

/// One verdict, many views: the exact report opens with the sampled report's verdict lines
/// (same catalogue text and predicting rules), with exact probabilities — and a class with no
/// finding says "probability 0", not a bare "none".
#[test]
fn exact_human_report_opens_with_the_verdict() {
    let t = fixed_traffic();
    let tp = t.path().to_str().unwrap();
    let out = recflow(&["simulate", "scripts/mistake-consent-leak.yaml", "--exact", "--traffic", tp]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let verdict = text.find("Verdict (exact probability per contact)").expect("a verdict block");
    assert!(verdict < text.find("recorded (probability per contact)").unwrap(), "the verdict comes first");
    assert!(
        text.contains("  ✗ 7% = 7/100 of contacts recorded without consent (lint C001, C003)  [violation recorded_without_consent]"),
        "{text}"
    );
    assert!(text.contains("  ✓ no warning (probability 0)"), "{text}");
    // Sampled durations (ROD at a uniform time inside a random talk: no closed form used):
    // estimated, with the interval, and "none" bounded by the samples.
    let out = recflow(&[
        "simulate",
        "scripts/mistake-consent-leak.yaml",
        "--exact",
        "--calls",
        "20",
        "--traffic",
        "examples/traffic-random-talk-events.yaml",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Verdict (estimated probability per contact)"), "{text}");
    assert!(text.contains("] (99.9%) of contacts recorded without consent"), "{text}");
    assert!(text.contains("  ✓ no warning in any of the 20 samples"), "{text}");
}

#[test]
fn exact_json_has_probabilities_and_rationals_under_the_report_keys() {
    let t = fixed_traffic();
    let tp = t.path().to_str().unwrap();
    let e = json(&[
        "simulate",
        "scripts/mistake-consent-leak.yaml",
        "--exact",
        "--traffic",
        tp,
        "--format",
        "json",
    ]);
    assert_eq!(e["exact"], true);
    let p = &e["probabilities"];
    // Default inputs: wired digits share 93%, no input 5%, an unlisted digit 2%; no input and
    // the unlisted digit take `default` to the agent, whom the 100% policy records.
    assert_eq!(e["rational"]["findings"]["recorded_without_consent"], "7/100");
    assert_eq!(p["findings"]["recorded_without_consent"], 0.07);
    assert_eq!(e["rational"]["recorded"]["any"], "107/200");
    assert_eq!(p["dnr"], 0.465);
    assert_eq!(p["abandoned"], 0.0);
    assert_eq!(e["rational"]["consent"]["answers"]["no_input"], "1/20");
    assert_eq!(e["residual"], 0.0);
    assert_eq!(e["not_exact"], serde_json::json!([]));
    assert!(e.get("interval999").is_none());
    // The same keys as the sampled report's counts.
    let s = json(&[
        "simulate",
        "scripts/mistake-consent-leak.yaml",
        "--calls",
        "10",
        "--traffic",
        tp,
        "--format",
        "json",
    ]);
    for section in ["recorded", "initiators", "findings", "classes"] {
        let exact: Vec<&String> = p[section].as_object().unwrap().keys().collect();
        let counts: Vec<&String> = s[section].as_object().unwrap().keys().collect();
        assert_eq!(exact, counts, "{section}");
    }
    // YAML carries the same.
    let out = recflow(&[
        "simulate",
        "scripts/mistake-consent-leak.yaml",
        "--exact",
        "--traffic",
        tp,
        "--format",
        "yaml",
    ]);
    let y = String::from_utf8(out.stdout).unwrap();
    assert!(y.contains("exact: true") && y.contains("recorded_without_consent: 7/100"), "{y}");
}

#[test]
fn exact_with_random_durations_says_not_exact_and_gives_intervals() {
    // ROD at a uniform time inside a random talk: no closed form used, so sampled.
    let uniform = "examples/traffic-random-talk-events.yaml";
    let e = json(&[
        "simulate",
        "scripts/consent-gdpr.yaml",
        "--exact",
        "--calls",
        "200",
        "--traffic",
        uniform,
        "--format",
        "json",
    ]);
    assert_eq!(e["exact"], false);
    assert!(e.get("rational").is_none(), "no fractions when durations were sampled");
    let why = e["not_exact"][0].as_str().unwrap();
    assert!(why.contains("not split exactly") && why.contains("inside a random talk (exp(240 s))"), "{why}");
    let sampled = e["not_exact"][1].as_str().unwrap();
    assert!(sampled.contains("`talk`") && sampled.contains("sampled (200 samples)"), "{sampled}");
    let ci = e["interval999"]["recorded"]["any"].as_array().unwrap();
    assert!(ci[0].as_f64().unwrap() < ci[1].as_f64().unwrap());
    assert_eq!(e["explored"]["samples"], 200);
    // The human report says it first.
    let out =
        recflow(&["simulate", "scripts/consent-gdpr.yaml", "--exact", "--calls", "50", "--traffic", uniform]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Not exact:\n  - random durations are not split exactly"), "{text}");
}

#[test]
fn exact_conflicts_with_precision_and_calls_out() {
    for extra in [&["--precision", "0.5"][..], &["--calls-out", "x.jsonl"][..]] {
        let mut args = vec!["simulate", "scripts/consent-gdpr.yaml", "--exact"];
        args.extend_from_slice(extra);
        let out = recflow(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with"));
    }
}

#[test]
fn exact_fail_on_reads_the_probabilities() {
    let t = fixed_traffic();
    let tp = t.path().to_str().unwrap();
    let out = recflow(&[
        "simulate",
        "scripts/mistake-consent-leak.yaml",
        "--exact",
        "--traffic",
        tp,
        "--fail-on",
        "violation",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a violation with probability 7%"));
    let out = recflow(&[
        "simulate",
        "scripts/consent-gdpr.yaml",
        "--exact",
        "--traffic",
        tp,
        "--fail-on",
        "violation",
    ]);
    assert_eq!(out.status.code(), Some(0));
}

/// The count at `path` in a sampled report (`policies` rows by name).
fn count(report: &serde_json::Value, path: &[String]) -> Option<u64> {
    let mut v = report;
    for k in path {
        v = match v {
            serde_json::Value::Array(rows) => rows.iter().find(|r| r["name"] == k.as_str())?,
            _ => v.get(k)?,
        };
    }
    v.as_u64()
}

fn leaves(v: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, f64)>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                path.push(k.clone());
                leaves(x, path, out);
                path.pop();
            }
        }
        x => out.push((path.clone(), x.as_f64().unwrap())),
    }
}

/// Every example script, fixed durations: each exact probability lies inside the 99.9% Wilson
/// interval of a 20 000-contact sampled run of the same model (the same key of the report's
/// counts). Every one is exact — the statement scripts too, whose MAX presses fall at uniform
/// times inside the fixed talk (threshold splitting, `engine::talk`): no hybrid interval is
/// needed. Deterministic (seed 1).
#[test]
fn every_example_exact_probability_lies_in_the_sampled_interval() {
    let t = fixed_traffic();
    let mut scripts = common::single_examples();
    scripts.push(common::repo("scripts/tenant-consent-subscript/main.yaml"));
    scripts.push(common::repo("scripts/tenant-consent-subscript/mistake-main.yaml"));
    let checked = check_against_sampled(&scripts, t.path().to_str().unwrap());
    assert!(checked > 500, "{checked} probabilities checked");
}

/// The statement scripts with their own traffic (the agent presses Start then Stop on half of
/// the calls, examples/traffic-statement-presses.yaml) and a fixed talk: exact, and inside the
/// sampled interval.
#[test]
fn statement_presses_in_a_fixed_talk_are_exact_and_lie_in_the_sampled_interval() {
    let presses = std::fs::read_to_string(common::repo("examples/traffic-statement-presses.yaml")).unwrap();
    let f = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    std::fs::write(f.path(), format!("{FIXED}{presses}")).unwrap();
    let scripts =
        ["scripts/max-recorded-statements.yaml", "scripts/mistake-statement-lost.yaml"].map(common::repo);
    let checked = check_against_sampled(&scripts, f.path().to_str().unwrap());
    assert!(checked > 100, "{checked} probabilities checked");
}

/// The queue race of a uniform against an exponential, an exponential against a uniform, and
/// two uniforms (split into pieces in closed form, `sim::thresholds::race`): exact, with no
/// sampled duration, and each probability inside the 99.9% Wilson interval of 20 000 sampled
/// contacts — with the consent scripts' hold loop (MUSIC in the queue) comparing the answer's
/// and the abandonment's times on every turn. The uniform example file is one of them.
#[test]
fn the_three_queue_race_shapes_are_exact_and_lie_in_the_sampled_interval() {
    let scripts = ["scripts/consent-gdpr.yaml", "scripts/mistake-consent-leak.yaml"].map(common::repo);
    let mut checked = check_against_sampled(&scripts, "examples/traffic-uniform-wait.yaml");
    for race in [
        "queue_wait: {uniform: [0, 60]}, patience: {exp: 300}",
        "queue_wait: {exp: 30}, patience: {uniform: [10, 120]}",
        "queue_wait: {uniform: [0, 60]}, patience: {uniform: [20, 200]}",
    ] {
        let f = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
        std::fs::write(f.path(), format!("durations: {{{race}, talk: 240}}\n")).unwrap();
        checked += check_against_sampled(&scripts, f.path().to_str().unwrap());
    }
    assert!(checked > 300, "{checked} probabilities checked");
}

/// Each script under traffic `tp`: `--exact` is exact (no sampled duration), and each of its
/// probabilities lies inside the 99.9% Wilson interval of 20 000 sampled contacts. Returns
/// the number of probabilities checked.
fn check_against_sampled(scripts: &[std::path::PathBuf], tp: &str) -> usize {
    const N: u64 = 20_000;
    let n = N.to_string();
    let mut checked = 0;
    for path in scripts {
        let sp = path.to_str().unwrap();
        let e = json(&["simulate", sp, "--exact", "--traffic", tp, "--format", "json"]);
        assert_eq!(e["exact"], true, "{sp}: {}", e["not_exact"]);
        assert!(e.get("interval999").is_none(), "{sp}: nothing sampled");
        let s = json(&["simulate", sp, "--traffic", tp, "--calls", &n, "--format", "json"]);
        let mut probs = Vec::new();
        leaves(&e["probabilities"], &mut Vec::new(), &mut probs);
        for (key, p) in &probs {
            let Some(k) = count(&s, key) else {
                panic!("{sp}: `{}` is not a count of the report", key.join("."))
            };
            let (lo, hi) = common::sim::wilson999(k, N);
            assert!(
                lo - 1e-12 <= *p && *p <= hi + 1e-12,
                "{sp}: `{}`: exact {p} outside [{lo}, {hi}] of {k}/{N} sampled",
                key.join(".")
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn sensitivity_needs_exact_and_is_listed_in_json() {
    let out = recflow(&["simulate", "scripts/consent-gdpr.yaml", "--sensitivity"]);
    assert_eq!(out.status.code(), Some(2));
    let t = fixed_traffic();
    let e = json(&[
        "simulate",
        "scripts/mistake-consent-leak.yaml",
        "--exact",
        "--sensitivity",
        "--traffic",
        t.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    let rows = e["sensitivity"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["draw"] == "menu:consent" && r["outcome"] == "none" && r["rational"] == "93/95"),
        "{rows:?}"
    );
    // Not exact (random durations sampled: ROD inside a random talk): said on stderr, nothing
    // listed.
    let out = recflow(&[
        "simulate",
        "scripts/mistake-consent-leak.yaml",
        "--exact",
        "--sensitivity",
        "--calls",
        "20",
        "--traffic",
        "examples/traffic-random-talk-events.yaml",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--sensitivity: not computed"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Sensitivity:"));
}

/// A MENU that repeats on no input, through the command line: the loop is solved, the header
/// and the "Loops:" line say so, the JSON lists where its state repeats and gives `2/5`, and
/// `--sensitivity` is computed through the loop (stderr says nothing).
#[test]
fn exact_solved_loop_is_named_in_the_report_and_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("loop.yaml");
    std::fs::write(
        &script,
        "script: loop\nactions:\n  - {id: begin, type: BEGIN, next: ask}\n  - {id: ask, type: MENU, branches: {'1': one, '2': two, default: ask}}\n  - {id: one, type: HANGUP}\n  - {id: two, type: HANGUP}\n",
    )
    .unwrap();
    let traffic = dir.path().join("traffic.yaml");
    std::fs::write(&traffic, format!("{FIXED}inputs: {{ask: {{'1': 0.3, '2': 0.2, none: 0.5}}}}\n")).unwrap();
    let (s, t) = (script.to_str().unwrap(), traffic.to_str().unwrap());
    let out = recflow(&["simulate", s, "--exact", "--traffic", t, "--sensitivity"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().next().unwrap().ends_with(", 1 loop solved exactly"), "{text}");
    assert!(text.contains("Exact: every probability below is exact"), "{text}");
    assert!(
        text.contains("Loops: 1 loop solved exactly as linear equations (the state repeats at `ask`)"),
        "{text}"
    );
    // Computed through the loop (no violation here, so no line of it).
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("not computed"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&["simulate", s, "--exact", "--traffic", t, "--format", "json"]);
    assert_eq!(v["exact"], true);
    assert_eq!(v["loops_solved"], serde_json::json!(["ask"]));
    assert_eq!(v["rational"]["coverage"]["actions"]["two"], "2/5");
    assert_eq!(v["residual"], 0.0);
}

/// `--sensitivity` through a solved loop, on the command line: examples/loop-consent.yaml's
/// consent question repeats on no input; its decline still reaches the recording agent.
#[test]
fn exact_sensitivity_through_a_solved_loop() {
    let out = recflow(&[
        "simulate",
        "examples/loop-consent.yaml",
        "--exact",
        "--sensitivity",
        "--traffic",
        "examples/traffic-loop-menu.yaml",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1 loop solved exactly"), "{text}");
    assert!(text.contains("menu:ask = 2") && text.contains("= 3/2"), "{text}");
    assert!(text.contains("menu:ask = 1") && text.contains("= -8/7"), "{text}");
    assert!(!text.contains("menu:ask = none"), "{text}");
}
