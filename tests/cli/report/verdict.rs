//! Issue 24, Build 1: the top of the HTML report answers the auditor. The page opens with the
//! verdict — the very lines `recflow simulate` prints, rebuilt here from the page and compared
//! byte for byte — then "what this run assumed": every file with its sha256 (or the embedded
//! default), the traffic in words and the command that writes the same page again. Statement
//! counts and recorded time have charts; every chart has a legend; outcome rows are grouped
//! as in the text report; R15 is explained where "started by policies" and "effective" differ.

use sha2::Digest as _;

use crate::common::recflow;

/// The page's text with minijinja's HTML escapes undone.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// Everything between `open` and the next `close`, from `at` on.
fn between<'a>(s: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        let Some(j) = after.find(close) else { break };
        out.push(&after[..j]);
        rest = &after[j + close.len()..];
    }
    out
}

/// The verdict blocks of a page as text: the heading, `  MARK TEXT`, `      COMMAND` lines.
fn verdict_text(page: &str) -> Vec<String> {
    let section = &page[page.find("<section class=\"verdict\"").expect("a verdict section")..];
    let section = &section[..section.find("</section>").unwrap()];
    let mut blocks = Vec::new();
    for block in section.split("<div class=\"vblock\">").skip(1) {
        let mut s = String::new();
        // One script: the card's title is the heading; several: the card says "Verdict" and each
        // script's block the rest of its heading.
        let head = unescape(between(block, "class=\"vhead\">", "</")[0]);
        s += &if head.starts_with("Verdict") { head } else { format!("Verdict {head}") };
        s.push('\n');
        for li in between(block, "\"><span class=\"mark\">", "</li>") {
            let (mark, rest) = li.split_once("</span> ").unwrap();
            let mut parts = rest.split("<br><code class=\"cmd\">");
            s += &format!("  {mark} {}\n", unescape(parts.next().unwrap()));
            for c in parts {
                s += &format!("      {}\n", unescape(c.trim_end_matches("</code>")));
            }
        }
        blocks.push(s);
    }
    blocks
}

/// The verdict block of `recflow simulate`'s text report.
fn simulate_verdict(args: &[&str]) -> String {
    let o = recflow().arg("simulate").args(args).output().unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    let start = text.find("Verdict (").expect("a verdict block");
    let block = &text[start..];
    block[..block.find("\n\n").unwrap() + 1].to_string()
}

fn report(args: &[&str], out: &std::path::Path) -> String {
    let o = recflow().arg("report").args(args).arg("-o").arg(out).output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(out).unwrap()
}

fn sha256(path: &str) -> String {
    let bytes = std::fs::read(crate::common::repo(path)).unwrap();
    sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_page_opens_with_the_text_reports_verdict_lines() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["scripts/mistake-consent-leak.yaml", "--traffic", "examples/traffic-consent-no-input.yaml"];
    let calls = ["--calls", "600", "--seed", "4"];
    let page = report(&[&args[..], &calls[..]].concat(), &dir.path().join("r.html"));
    let text = simulate_verdict(&[&args[..], &calls[..]].concat());
    assert!(text.contains("✗ ") && text.contains("(lint C001, C003)"), "a violation to show: {text}");
    assert_eq!(verdict_text(&page), vec![text]);
    // The card says "Verdict" once: its title is the text report's heading.
    let card = &page[page.find("<section class=\"verdict\"").unwrap()..];
    let card = &card[..card.find("</section>").unwrap()];
    assert_eq!(card.matches("Verdict").count(), 1, "{card}");
    assert!(card.contains("<h2 class=\"vhead\">Verdict (600 simulated contacts)</h2>"), "{card}");
    // First thing after the title: before what was assumed, the charts and the flow.
    let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("{needle} missing"));
    assert!(at("<section class=\"verdict\"") < at("<section class=\"assumed\""));
    assert!(at("<section class=\"assumed\"") < at("<svg class=\"chart\""));
    assert!(at("<section class=\"assumed\"") < at("<svg class=\"flow\""));

    // A change shows both runs' verdicts, old first, each as `simulate` prints it.
    let (old, new) = ("scripts/consent-gdpr.yaml", "scripts/mistake-consent-leak.yaml");
    let page = report(&[old, new, "--calls", "300"], &dir.path().join("d.html"));
    let blocks = verdict_text(&page);
    assert_eq!(
        blocks,
        vec![simulate_verdict(&[old, "--calls", "300"]), simulate_verdict(&[new, "--calls", "300"])]
    );
    assert!(page.contains(
        "<h3>old: <code>scripts&#x2f;consent-gdpr.yaml</code> <span class=\"vhead\">(300 simulated contacts)</span></h3>"
    ));
    let card = &page[page.find("<section class=\"verdict\"").unwrap()..];
    assert_eq!(card[..card.find("</section>").unwrap()].matches("Verdict").count(), 1);
}

#[test]
fn what_this_run_assumed_names_every_file_with_its_sha256_and_the_traffic_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let script = "scripts/consent-gdpr.yaml";
    let traffic = "examples/traffic-consent-no-input.yaml";
    let page = report(&[script, "--traffic", traffic, "--calls", "200"], &out);
    let assumed = &page[page.find("<section class=\"assumed\"").unwrap()..];
    let assumed = unescape(&assumed[..assumed.find("</section>").unwrap()]);
    for (role, file) in [("script", script), ("traffic", traffic)] {
        let row = format!(
            "<tr><td>{role}</td><td class=\"mono\">{file}</td><td class=\"mono sha\">{}</td></tr>",
            sha256(file)
        );
        assert!(assumed.contains(&row), "{row}\n{assumed}");
    }
    assert!(
        assumed.contains("<td>tenant</td><td class=\"mono\">embedded default (recflow defaults tenant)</td><td class=\"mono sha\">— (no file)</td>"),
        "{assumed}"
    );
    // The traffic file's answers in words, and the default durations.
    assert!(assumed.contains("MENU consent answered:"), "{assumed}");
    assert!(assumed.contains("no input"), "{assumed}");
    // Code in the sentences is code on the page, not Markdown backticks shown as they are.
    assert!(assumed.contains("(both take <code>default</code>)"), "{assumed}");
    assert!(!assumed.contains('`'), "backticks shown literally: {assumed}");
    assert!(assumed.contains("talk exponential, mean 240 s"), "{assumed}");
    assert!(assumed.contains("recording policies:") || assumed.contains("no recording policy"), "{assumed}");

    // The command on the page writes the same bytes again.
    let cmd = between(&assumed, "<pre class=\"cmd\"><code>", "</code>")[0].to_string();
    assert!(cmd.starts_with("recflow report scripts/consent-gdpr.yaml --traffic "), "{cmd}");
    assert!(cmd.ends_with(" --calls 200 -o r.html"), "{cmd}");
    std::fs::rename(&out, dir.path().join("first.html")).unwrap();
    // Run from the repository (the script paths are relative to it), writing into `dir`.
    let (words, _) = cmd.rsplit_once(" -o ").unwrap();
    let words: Vec<&str> = words.split(' ').skip(1).collect();
    let o = recflow().args(&words).arg("-o").arg(&out).output().unwrap();
    assert!(o.status.success(), "{cmd}: {}", String::from_utf8_lossy(&o.stderr));
    let again = std::fs::read_to_string(&out).unwrap();
    assert!(again == std::fs::read_to_string(dir.path().join("first.html")).unwrap(), "{cmd}: other bytes");

    // Without a traffic file: the embedded default, and its open-outcome shares in words.
    let page = unescape(&report(&[script, "--calls", "100"], &out));
    assert!(
        page.contains("<td>traffic</td><td class=\"mono\">embedded default (recflow defaults traffic)</td>")
    );
    assert!(page.contains("every MENU: its wired digits share 93% equally, no input 5%"));
}

#[test]
fn outcome_rows_are_grouped_and_every_chart_has_a_legend() {
    let dir = tempfile::tempdir().unwrap();
    let page =
        report(&["scripts/max-recorded-statements.yaml", "--calls", "300"], &dir.path().join("r.html"));
    let section = &page[page.find("<section class=\"script\"").unwrap()..];
    // The text report's groups, in its order, as headings inside the outcomes chart.
    let heads: Vec<&str> = section
        .split("<text class=\"ghead\"")
        .skip(1)
        .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim())
        .collect();
    assert_eq!(
        heads,
        [
            "Recorded (contacts)",
            "Started by (contacts with a recording each started; a contact may have several)",
            "Calls",
            "Findings (contacts with each)"
        ][..heads.len()]
    );
    assert!(heads.len() >= 3, "{heads:?}");
    // Statement counts and recorded time have their own charts, with the text report's values.
    let text = String::from_utf8(
        recflow()
            .args(["simulate", "scripts/max-recorded-statements.yaml", "--calls", "300"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let line = text.lines().find(|l| l.starts_with("Recorded statements: ")).unwrap();
    let captured = line.split(' ').nth(2).unwrap();
    assert!(section.contains("<h3>Recorded statements (R13), all contacts</h3>"));
    assert!(section.contains(&format!("<title>captured: {captured}</title>")), "{line}");
    let time = text.lines().find(|l| l.starts_with("Recorded time: full ")).unwrap();
    let full = time["Recorded time: full ".len()..].split(',').next().unwrap();
    assert!(section.contains(&format!("<title>full (agent/external): {full}</title>")), "{time}");
    // Every chart (outcomes, policies, statements, recorded time) is preceded by a legend.
    let charts = section.matches("<div class=\"chartbox\">").count();
    assert!(charts >= 3, "{charts}");
    for chunk in section.split("<div class=\"chartbox\">").take(charts) {
        let tail = &chunk[chunk.len().saturating_sub(2000)..];
        assert!(tail.contains("<div class=\"legend\">"), "a chart without a legend after: {tail}");
    }
}

/// The R15 sentence appears exactly when a policy's effective share and "started by recording
/// policies" differ in the text report: with the sales-QA tenant (Studio records, policies
/// match only some contacts) they do; with the default tenant's one 100% policy and traffic in
/// which every caller reaches an agent they do not.
#[test]
fn started_by_policies_and_effective_are_explained_when_they_differ() {
    let dir = tempfile::tempdir().unwrap();
    let everyone_answered = dir.path().join("answered.yaml");
    std::fs::write(&everyone_answered, "durations: {queue_wait: 1, patience: 100000}\n").unwrap();
    let everyone_answered = everyone_answered.to_str().unwrap();
    let mut shown = Vec::new();
    for args in [
        &["scripts/consent-policies.yaml", "--tenant", "examples/tenant-sales-qa.yaml", "--calls", "400"][..],
        &["scripts/policies-only.yaml", "--traffic", everyone_answered, "--calls", "400"][..],
    ] {
        let page = unescape(&report(args, &dir.path().join("r.html")));
        let text = String::from_utf8(recflow().arg("simulate").args(args).output().unwrap().stdout).unwrap();
        let started = text.lines().find(|l| l.trim_start().starts_with("recording policies ")).unwrap();
        let started: f64 = started.split_whitespace().nth(3).unwrap().trim_end_matches('%').parse().unwrap();
        let effective: Vec<f64> = text
            .lines()
            .filter(|l| l.starts_with("  ") && l.contains(" target ") && l.contains(" effective "))
            .map(|l| {
                l.split(" effective ").nth(1).unwrap().split('%').next().unwrap().trim().parse().unwrap()
            })
            .collect();
        assert!(!effective.is_empty(), "{text}");
        let differs = effective.iter().any(|e| (e - started).abs() >= 0.05);
        let note = page.contains("Why “started by policies” and “effective” differ:");
        assert_eq!(note, differs, "{args:?}: started {started}, effective {effective:?}");
        if note {
            assert!(page.contains(&format!("“Started by recording policies” ({started:.1}%)")));
        }
        shown.push(note);
    }
    assert_eq!(shown, [true, false], "one case of each");
}
