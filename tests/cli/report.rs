//! `recflow report` (deterministic, self-contained), `recflow completions`, `recflow man`.

mod browser;
mod exact;
mod flow;
mod subscripts;
mod timeline;
mod verdict;

use crate::common::recflow;

#[test]
fn report_is_byte_identical_for_any_jobs_and_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let mut pages = Vec::new();
    for jobs in ["1", "4"] {
        // The same output name: the page's "reproduce" command names the file.
        let out = dir.path().join(jobs).join("r.html");
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
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
    // `recflow man` prints the top page: the command, and the subcommands it names.
    let o = recflow().arg("man").output().unwrap();
    assert!(o.status.success());
    let top = String::from_utf8(o.stdout).unwrap();
    assert!(top.contains(".TH recflow 1"), "{}", &top[..200.min(top.len())]);
    assert!(top.contains("recflow\\-simulate(1)"), "the top page names the simulate page");
    // Issue 24: not one page of repeated unnamed sections, but a page per subcommand.
    assert_eq!(top.matches(".SH SYNOPSIS").count(), 1, "{top}");
}

/// Issue 24 point 5: `recflow man --out DIR` writes `recflow.1` and one page per subcommand
/// (`recflow-simulate.1`, ...), each named and titled for its subcommand with its own options;
/// every page the top page refers to exists; a file given as DIR is refused with exit 2.
#[test]
fn man_out_writes_one_page_per_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let o = recflow().args(["man", "--out"]).arg(&out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let top = std::fs::read_to_string(out.join("recflow.1")).unwrap();
    let subs = [
        "lint",
        "rules",
        "simulate",
        "explain",
        "test",
        "graph",
        "convert",
        "diff",
        "snapshot",
        "defaults",
        "report",
        "completions",
        "man",
    ];
    for sub in subs {
        let page = std::fs::read_to_string(out.join(format!("recflow-{sub}.1")))
            .unwrap_or_else(|e| panic!("recflow-{sub}.1: {e}"));
        assert!(page.contains(&format!(".TH recflow-{sub} 1 ")), "recflow-{sub}.1 title");
        assert!(
            page.contains(".SH NAME") && page.contains(&format!("recflow\\-{sub}")),
            "recflow-{sub}.1 NAME"
        );
        assert!(top.contains(&format!("recflow\\-{sub}(1)")), "recflow.1 names recflow-{sub}(1)");
    }
    let written = std::fs::read_dir(&out).unwrap().count();
    assert_eq!(written, subs.len() + 1, "recflow.1 and one page per subcommand, no other");
    // Each page documents its own options.
    let simulate = std::fs::read_to_string(out.join("recflow-simulate.1")).unwrap();
    for opt in ["\\-\\-precision", "\\-\\-calls\\-out", "\\-\\-exact"] {
        assert!(simulate.contains(opt), "recflow-simulate.1 lacks {opt}");
    }
    let report = std::fs::read_to_string(out.join("recflow-report.1")).unwrap();
    assert!(report.contains("\\-\\-output") || report.contains("\\-o"), "recflow-report.1 lacks -o");
    // A file is not a directory.
    let file = dir.path().join("f");
    std::fs::write(&file, "x").unwrap();
    let o = recflow().args(["man", "--out"]).arg(&file).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not a directory"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x", "the file is left alone");
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
    assert!(page.contains("findings whose contacts moved (old → new)</h3>"));
    for (mark, name, counts, class) in &moves {
        let row = format!(
            "<td>{mark}</td><td class=\"mono\">{name}</td><td class=\"num\">{counts}</td><td>{class}</td>"
        );
        assert!(page.contains(&row), "the report lacks `{row}`");
    }
    assert_eq!(page.matches("<tr class=\"worse\">").count(), moves.iter().filter(|m| m.0 == "✗").count());
}
