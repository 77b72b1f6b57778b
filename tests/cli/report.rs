//! `recflow report` (deterministic, self-contained), `recflow completions`, `recflow man`.

mod browser;
mod flow;
mod subscripts;

use crate::common::recflow;

#[test]
fn report_is_byte_identical_for_any_jobs_and_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let mut pages = Vec::new();
    for jobs in ["1", "4"] {
        let out = dir.path().join(format!("r{jobs}.html"));
        let o = recflow()
            .args([
                "report",
                "scripts/consent-gdpr.yaml",
                "scripts/mistake-consent-leak.yaml",
                "--jobs",
                jobs,
                "-o",
            ])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        pages.push(std::fs::read_to_string(&out).unwrap());
    }
    assert_eq!(pages[0], pages[1]);
    let page = &pages[0];
    // Nothing that would load from elsewhere.
    for needle in ["src=\"http", "href=\"http", "@import", "url(http", "<link "] {
        assert!(!page.contains(needle), "the page references `{needle}`");
    }
    assert!(page.contains("default-src 'none'"));
    // One flow graph per script; the change's transitions section.
    assert_eq!(page.matches("<svg class=\"flow\"").count(), 2);
    assert!(page.contains("Transitions (outcome class old → new)"));
}

#[test]
fn report_refuses_bad_input_with_exit_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let o = recflow().args(["report", "no/such/script.yaml", "-o"]).arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
}

#[test]
fn completions_for_every_shell_and_a_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = recflow().args(["completions", shell]).output().unwrap();
        assert!(o.status.success(), "{shell}");
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(text.contains("simulate") && text.contains("report"), "{shell}: {text}");
    }
    let o = recflow().arg("man").output().unwrap();
    assert!(o.status.success());
    let man = String::from_utf8(o.stdout).unwrap();
    assert!(man.starts_with(".ie") || man.contains(".TH recflow"), "{}", &man[..200.min(man.len())]);
    for opt in ["\\-\\-precision", "\\-\\-calls\\-out", "\\-\\-output"] {
        let plain = opt.replace('\\', "");
        assert!(man.contains(opt) || man.contains(&plain), "man page lacks {plain}");
    }
}

/// Issue 19 point 7: the report of a change (`report OLD NEW`) opens its diff with the verdict
/// moves of the text diff's headline — every finding whose contact count moved, `old → new`,
/// with its class, a violation that appeared marked worse.
#[test]
fn report_of_a_change_shows_how_each_verdict_moved() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("change.html");
    let (old, new, traffic) = (
        "scripts/consent-gdpr.yaml",
        "scripts/mistake-consent-leak.yaml",
        "examples/traffic-consent-no-input.yaml",
    );
    let common = ["--traffic", traffic, "--calls", "1000"];
    let o = recflow().args(["report", old, new, "-o"]).arg(&out).args(common).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = std::fs::read_to_string(&out).unwrap();
    // The text diff of the same runs: its headline lines `  ✗ name: 0 → 46  [violation]`.
    let d = recflow().args(["diff", old, new]).args(common).output().unwrap();
    let text = String::from_utf8_lossy(&d.stdout);
    let moves: Vec<(String, String, String, String)> = text
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let (mark, rest) = l.split_once(' ')?;
            if !["✗", "✓", "•"].contains(&mark) {
                return None;
            }
            let (name, rest) = rest.split_once(": ")?;
            let (counts, class) = rest.split_once("  [")?;
            Some((
                mark.to_string(),
                name.to_string(),
                counts.to_string(),
                class.trim_end_matches(']').to_string(),
            ))
        })
        .collect();
    assert!(
        moves.iter().any(|(mark, name, _, class)| mark == "✗"
            && name == "recorded_without_consent"
            && class == "violation"),
        "the leak makes a violation appear: {text}"
    );
    assert!(page.contains("<h3>Verdict (contacts: old → new)</h3>"));
    for (mark, name, counts, class) in &moves {
        let row = format!(
            "<td>{mark}</td><td class=\"mono\">{name}</td><td class=\"num\">{counts}</td><td>{class}</td>"
        );
        assert!(page.contains(&row), "the report lacks `{row}`");
    }
    assert_eq!(page.matches("<tr class=\"worse\">").count(), moves.iter().filter(|m| m.0 == "✗").count());
}
