//! The HTML report in a real browser (headless Chromium): it renders with no console error and
//! no network request, the flow has one SVG node per action, and selecting a lint finding
//! lights up its counterexample path. Screenshots go to `target/report-screenshots/` for review.
//!
//! How: the test writes a copy of each report with a small harness script at the top of
//! `<head>` that records console errors, uncaught errors, CSP violations (the page's policy is
//! `default-src 'none'`, so any attempt to load anything is one) and resource-timing entries,
//! then — after `load` — clicks the first finding of each list and writes what it saw as JSON
//! into the DOM. `chromium --headless --dump-dom` prints that DOM. No DevTools protocol, no
//! driver: one browser process per check.
//!
//! Without a browser the test prints why and passes, except under CI (`CI` set), where a
//! missing browser is a failure: `.ci/run` installs Debian's `chromium`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::recflow;

fn out_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("report-screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A Chromium-family browser on PATH (or `RECFLOW_BROWSER`).
fn browser() -> Option<PathBuf> {
    if let Some(b) = std::env::var_os("RECFLOW_BROWSER") {
        return Some(b.into());
    }
    let names =
        ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless_shell"];
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn base_args(cmd: &mut Command, profile: &Path) {
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--virtual-time-budget=3000",
    ]);
    cmd.arg(format!("--user-data-dir={}", profile.display()));
}

/// Runs first in `<head>`: records errors and network attempts; after load, clicks the first
/// finding of every list and reports as JSON in `<pre id="recflow-test">`.
const HARNESS: &str = r#"<script>
(function () {
  var errors = [];
  var oe = console.error.bind(console);
  console.error = function () { errors.push("console.error: " + Array.prototype.join.call(arguments, " ")); oe.apply(null, arguments); };
  window.addEventListener("error", function (e) { errors.push("error: " + (e.message || e.type)); }, true);
  window.addEventListener("unhandledrejection", function (e) { errors.push("rejection: " + e.reason); });
  document.addEventListener("securitypolicyviolation", function (e) { errors.push("blocked: " + e.blockedURI + " (" + e.violatedDirective + ")"); });
  window.addEventListener("load", function () {
    var graphs = [];
    document.querySelectorAll("svg.flow").forEach(function (svg) {
      graphs.push({ id: svg.id, nodes: svg.querySelectorAll("g.node").length });
    });
    var clicks = [];
    document.querySelectorAll("ul.findings").forEach(function (ul) {
      var li = ul.querySelector("li");
      var want = li.dataset.nodes.split(" ").filter(function (x) { return x !== ""; });
      li.click();
      var svg = document.getElementById(ul.dataset.graph);
      var lit = Array.prototype.map.call(svg.querySelectorAll("g.node.hl"), function (g) { return g.dataset.node; });
      clicks.push({ graph: ul.dataset.graph, want: want, lit: lit, selected: li.classList.contains("selected") });
    });
    var resources = performance.getEntriesByType("resource").map(function (r) { return r.name; });
    var pre = document.createElement("pre");
    pre.id = "recflow-test";
    pre.textContent = JSON.stringify({ errors: errors, resources: resources, graphs: graphs, clicks: clicks });
    document.body.appendChild(pre);
  });
})();
</script>"#;

struct Checked {
    graphs: Vec<(String, usize)>,
    /// (graph, wanted node ids, lit node ids, li selected)
    clicks: Vec<(String, Vec<String>, Vec<String>, bool)>,
}

/// Load `html` with the harness; assert no error and no network request; return what it saw.
fn check_in_browser(browser: &Path, html: &Path, name: &str) -> Checked {
    let page = std::fs::read_to_string(html).unwrap();
    let at = page.find("<head>").expect("a <head>") + "<head>".len();
    let test_page = out_dir().join(format!("{name}.test.html"));
    std::fs::write(&test_page, format!("{}{HARNESS}{}", &page[..at], &page[at..])).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(browser);
    base_args(&mut cmd, profile.path());
    cmd.arg("--dump-dom").arg(format!("file://{}", test_page.display()));
    let out = cmd.output().expect("browser runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find("<pre id=\"recflow-test\">").unwrap_or_else(|| {
        panic!("no test result in the DOM; browser stderr:\n{}", String::from_utf8_lossy(&out.stderr))
    });
    let json = &dom[start + "<pre id=\"recflow-test\">".len()..];
    let json = &json[..json.find("</pre>").unwrap()];
    let json = json.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["errors"], serde_json::json!([]), "{name}: console errors / blocked loads");
    assert_eq!(v["resources"], serde_json::json!([]), "{name}: the page requested resources");

    // The screenshot of the page as shipped (no harness).
    let profile = tempfile::tempdir().unwrap();
    let shot = out_dir().join(format!("{name}.png"));
    let mut cmd = Command::new(browser);
    base_args(&mut cmd, profile.path());
    cmd.arg("--window-size=1400,2200").arg(format!("--screenshot={}", shot.display()));
    cmd.arg(format!("file://{}", html.display()));
    let out = cmd.output().expect("browser runs");
    assert!(shot.is_file(), "no screenshot; stderr:\n{}", String::from_utf8_lossy(&out.stderr));
    eprintln!("screenshot: {}", shot.display());

    let strs = |v: &serde_json::Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
    };
    Checked {
        graphs: v["graphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| (g["id"].as_str().unwrap().to_string(), g["nodes"].as_u64().unwrap() as usize))
            .collect(),
        clicks: v["clicks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["graph"].as_str().unwrap().to_string(),
                    strs(&c["want"]),
                    strs(&c["lit"]),
                    c["selected"].as_bool().unwrap(),
                )
            })
            .collect(),
    }
}

fn write_report(args: &[&str], out: &Path) {
    let o = recflow().args(args).arg("-o").arg(out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn actions(path: &str) -> usize {
    recflow::script::load_path(Path::new(path)).unwrap().actions.len()
}

fn sorted_unique(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

#[test]
fn html_report_renders_in_headless_chromium_with_working_finding_paths() {
    let Some(browser) = browser() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "no Chromium found under CI: .ci/run installs Debian's `chromium` package"
        );
        eprintln!("SKIPPED: no Chromium-family browser on PATH (install `chromium` or set RECFLOW_BROWSER)");
        return;
    };
    let dir = out_dir();

    // One script.
    let single = dir.join("report-single.html");
    write_report(&["report", "scripts/max-recorded-statements.yaml"], &single);
    let c = check_in_browser(&browser, &single, "report-single");
    assert_eq!(c.graphs, vec![("g0".to_string(), actions("scripts/max-recorded-statements.yaml"))]);

    // A change OLD → NEW, whose new script has lint findings.
    let old = "scripts/consent-gdpr.yaml";
    let new = "scripts/mistake-consent-leak.yaml";
    let change = dir.join("report-diff.html");
    write_report(&["report", old, new], &change);
    let c = check_in_browser(&browser, &change, "report-diff");
    assert_eq!(c.graphs, vec![("g0".to_string(), actions(old)), ("g1".to_string(), actions(new))]);
    assert!(c.clicks.iter().any(|k| k.0 == "g1"), "the leaking script has findings: {:?}", c.clicks);
    for (graph, want, lit, selected) in &c.clicks {
        assert!(*selected, "{graph}: the clicked finding is marked selected");
        assert!(!lit.is_empty(), "{graph}: selecting a finding lit nothing");
        assert_eq!(
            sorted_unique(lit.clone()),
            sorted_unique(want.clone()),
            "{graph}: lit = the finding's path"
        );
    }
}
