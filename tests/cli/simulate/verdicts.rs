//! `simulate`: the verdict block the human report opens with, `--fail-on`, and `explain`'s
//! closing findings line (issue 19 points 3 and 6).

use crate::common::run;

const LEAK: &str = "scripts/mistake-consent-leak.yaml";
const NO_INPUT: &str = "examples/traffic-consent-no-input.yaml";

#[test]
fn the_report_opens_with_the_verdict_and_two_explain_commands() {
    let (code, out, err) = run(&["simulate", LEAK, "--traffic", NO_INPUT]);
    assert_eq!(code, 0, "{err}");
    let head: Vec<&str> = out.lines().take(8).collect();
    assert_eq!(head[2], "Verdict (1000 simulated contacts)", "{out}");
    assert!(head[3].starts_with("  ✗ ") && head[3].contains("recorded without consent — no input"), "{out}");
    assert!(head[3].contains("at consent; by policy") && head[3].contains("(lint C001, C003)"), "{out}");
    let explains: Vec<&&str> = head.iter().filter(|l| l.contains("recflow explain")).collect();
    assert_eq!(explains.len(), 2, "{out}");
    assert!(explains[0].ends_with(&format!("--traffic {NO_INPUT}")), "{out}");
    assert!(out.contains("  ✓ no warning\n  ✓ no notice\n"), "{out}");
}

#[test]
fn fail_on_violation_exits_1_only_when_a_violation_occurred() {
    let (code, _, err) = run(&["simulate", LEAK, "--traffic", NO_INPUT, "--fail-on", "violation"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--fail-on violation:") && err.contains("with a violation"), "{err}");
    // Without --fail-on, findings never change the exit status.
    assert_eq!(run(&["simulate", LEAK, "--traffic", NO_INPUT]).0, 0);
    // A warning only (indicator left on) fails `--fail-on warning`, not `--fail-on violation`.
    let warn = "scripts/mistake-indicator-left-on.yaml";
    assert_eq!(run(&["simulate", warn, "--fail-on", "violation"]).0, 0);
    assert_eq!(run(&["simulate", warn, "--fail-on", "warning"]).0, 1);
    assert_eq!(run(&["simulate", "scripts/consent-gdpr.yaml", "--fail-on", "warning"]).0, 0);
    let (code, _, err) = run(&["simulate", LEAK, "--fail-on", "notice"]);
    assert_eq!(code, 2, "notice is no --fail-on class: {err}");
}

#[test]
fn explain_closes_with_every_finding_of_the_timeline_and_its_class() {
    let (code, out, err) = run(&["explain", "tests/fixtures/runtime/templated.yaml", "--call", "2"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("(templated_fallback)"), "the timeline shows it: {out}");
    assert!(out.contains("\nfindings: templated_fallback (warning)\n"), "{out}");
    let (_, out, _) = run(&["explain", LEAK, "--traffic", NO_INPUT, "--call", "3"]);
    assert!(out.contains("finding   [consent] recorded_without_consent: consent answer no_input"), "{out}");
    assert!(out.contains("\nfindings: recorded_without_consent (violation)\n"), "{out}");
}
