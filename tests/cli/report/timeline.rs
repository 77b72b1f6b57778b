//! Issue 24, Build 3: the example timelines mark what happened — MENU answers, the agent's
//! answer, transfers, dispositions, ROD, MAX presses — with labels laid out so that none
//! overlaps another, and every recording interval carries the rule that ended it (`R6` for a
//! LOGRECORDINGPRO Stop, `R1` for DONOTRECORD, `R10` for a transfer, …). A legend explains every
//! colour and mark, and the class names (`rod/full@agent`) are spelled out.

use crate::common::recflow;

fn report(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let o = recflow().arg("report").args(args).arg("-o").arg(&out).output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(&out).unwrap()
}

/// Every `<svg class="timeline" …>…</svg>` of a page.
fn timelines(page: &str) -> Vec<&str> {
    page.split("<svg class=\"timeline\"").skip(1).map(|t| &t[..t.find("</svg>").unwrap()]).collect()
}

/// The labels of the groups of `class` in a timeline: (x, y, text).
fn labels(svg: &str, class: &str) -> Vec<(f64, f64, String)> {
    svg.split(&format!("<g class=\"{class}"))
        .skip(1)
        .map(|g| {
            let t = &g[g.find("<text").unwrap()..];
            let num = |a: &str| -> f64 {
                let s = &t[t.find(&format!(" {a}=\"")).unwrap() + a.len() + 3..];
                s[..s.find('"').unwrap()].parse().unwrap()
            };
            let text = t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim().to_string();
            (num("x"), num("y"), text)
        })
        .collect()
}

#[test]
fn each_recording_shows_the_rule_that_ended_it() {
    for (script, rule) in [
        ("scripts/pci-stop-resume.yaml", "R6"),
        ("scripts/mistake-dnr-after-answer.yaml", "R1"),
        ("scripts/consent-gdpr.yaml", "R10"),
    ] {
        let page = report(&[script, "--traffic", "explore", "--calls", "2000"]);
        let mut seen = Vec::new();
        for svg in timelines(&page) {
            let recordings = svg.matches("class=\"rec rec-").count();
            let ended = labels(svg, "ended");
            assert_eq!(ended.len(), recordings, "{script}: one `ended by` label per recording");
            for (_, _, code) in &ended {
                assert!(
                    ["end", "R1", "R4", "R6", "R7", "R10", "R11", "A-7"].contains(&code.as_str()),
                    "{code}"
                );
                seen.push(code.clone());
            }
        }
        assert!(seen.iter().any(|c| c == rule), "{script}: no recording ended by {rule}: {seen:?}");
    }
}

#[test]
fn moments_are_marked_with_labels_that_do_not_overlap() {
    let page = report(&[
        "scripts/consent-gdpr.yaml",
        "--traffic",
        "examples/traffic-busy-day.yaml",
        "--calls",
        "2000",
    ]);
    let mut classes = std::collections::BTreeSet::new();
    for svg in timelines(&page) {
        for class in
            ["mk-menu", "mk-answer", "mk-transfer", "mk-disposition", "mk-rod", "mk-press", "mk-conference"]
        {
            if svg.contains(&format!("class=\"moment {class}\"")) {
                classes.insert(class);
            }
        }
        // Labels in the same lane (same y) are apart, by a width at least as generous as the
        // layout's (the browser test measures the drawn boxes).
        for kind in ["moment", "ended"] {
            let mut ls = labels(svg, kind);
            ls.sort_by(|a, b| (a.1, a.0).partial_cmp(&(b.1, b.0)).unwrap());
            for w in ls.windows(2) {
                if w[0].1 == w[1].1 {
                    let end = w[0].0 + w[0].2.chars().count() as f64 * 6.6 + 6.0;
                    assert!(end <= w[1].0, "{kind} labels overlap: {w:?}");
                }
            }
        }
    }
    // The busy day's examples show MENU answers, the agent's answer, transfers and MAX presses.
    for class in ["mk-menu", "mk-answer", "mk-transfer", "mk-press"] {
        assert!(classes.contains(class), "no {class} in any timeline: {classes:?}");
    }
    assert!(page.contains("consent “1”"), "the MENU answer names its digit");
    // The legend names every mark and every rule that ends a recording; class names are explained.
    for text in
        ["MENU answer (digit or no input)", "ended by R6: LOGRECORDINGPRO Stop", "ended by R10: a transfer"]
    {
        assert!(page.contains(text), "legend lacks {text}");
    }
    assert!(page.contains(
        "<code>rod/full@agent</code> reads “recording on demand recorded the agent segment in full”"
    ));
    assert!(page.contains("Studio actions recorded the agent segment in full (caller and agent)"));
}
