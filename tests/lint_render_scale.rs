//! Issue 10.6: lint rendering is linear. A generated 20 000-action script with 4 500 warnings
//! renders in every format (human, JSON, SARIF), also when the whole
//! script is one line (minified Studio JSON). Each location comes from the source's one line
//! index; the old renderers scanned from the start of the file for every label (human: 67 s).
//! Release numbers: `cargo bench --bench lint_render`.

use recflow::lint::{Config, lint, render};

/// 15 500 chained PLAYs and 4 500 orphan PLAYs (each one `unreachable-action` warning).
pub fn generated(orphans: usize, total: usize) -> String {
    let chain = total - orphans;
    let mut s = String::from("script: big\nactions:\n  - {id: begin, type: BEGIN, next: p0}\n");
    for i in 0..chain {
        let next = if i + 1 < chain { format!("p{}", i + 1) } else { "end".into() };
        s.push_str(&format!(
            "  - id: p{i}\n    type: PLAY\n    properties: {{Phrase: \"message {i}\"}}\n    next: {next}\n"
        ));
    }
    for j in 0..orphans {
        s.push_str(&format!(
            "  - id: u{j}\n    type: PLAY\n    properties: {{Phrase: \"orphan {j}\"}}\n    next: p{j}\n"
        ));
    }
    s.push_str("  - {id: end, type: HANGUP}\n");
    s
}

/// Lint once, render in every format within the bound; returns the findings.
fn check_renders(script: &recflow::script::Script) -> Vec<recflow::lint::Diagnostic> {
    let found = lint(script, &Config::default());
    assert_eq!(found.len(), 4_500, "one unreachable-action warning per orphan");
    let results = [(script, found.as_slice())];
    for (format, render) in [
        ("human", Box::new(|| render::human(script, &found, 100, false)) as Box<dyn Fn() -> String>),
        ("json", Box::new(|| render::json(&results))),
        ("sarif", Box::new(|| render::sarif(&results))),
    ] {
        // No clock here (timed tests are flaky on shared machines): at this size the old
        // quadratic renderers took minutes, so a regression shows as a test that does not finish
        // in CI; the numbers are measured by `cargo bench --bench lint_render`.
        let text = render();
        assert!(text.contains("u4499"), "{format} names the last orphan");
    }
    found
}

/// Also a stack-depth regression: the busy-loop rule's SCC search recursed once per chained
/// action and overflowed a test thread's 2 MiB stack on this script.
#[test]
fn lint_renders_4500_findings_of_a_20000_action_script_fast() {
    let text = generated(4_500, 20_000);
    let script = recflow::script::load_str("big.yaml", &text).unwrap();
    let found = check_renders(&script);
    // Locations are right: the last orphan's finding is at its `type:` line.
    let json: serde_json::Value =
        serde_json::from_str(&render::json(&[(&script, found.as_slice())])).unwrap();
    let last = json["diagnostics"].as_array().unwrap().iter().find(|d| d["action"] == "u4499").unwrap();
    let line = text.lines().position(|l| l.contains("id: u4499")).unwrap() + 1;
    assert_eq!(last["line"], line + 1, "labelled at the `type:` below the id");
}

#[test]
fn lint_renders_fast_when_the_script_is_one_long_line() {
    let yaml = recflow::script::load_str("big.yaml", &generated(4_500, 20_000)).unwrap();
    let pretty = recflow::script::export::to_studio_json(&yaml);
    let v: serde_json::Value = serde_json::from_str(&pretty).unwrap();
    let minified = serde_json::to_string(&v).unwrap();
    assert!(!minified.contains('\n'));
    let script = recflow::script::load_str("big.json", &minified).unwrap();
    let found = check_renders(&script);
    // Human excerpts are cropped around each label, not the whole multi-megabyte line.
    let human = render::human(&script, &found[..10], 100, false);
    assert!(human.len() < 10 * 2_000, "{} bytes for 10 findings", human.len());
}
