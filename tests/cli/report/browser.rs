//! The HTML report in a real browser (headless Chromium), asserting what a person sees (issue 24
//! Build 4): it renders with no console error and no network request; the flow has one SVG node
//! per action, every edge labelled and no label drawn over a node box; no shown text is smaller
//! than 10 px at 1400 px; no timeline label covers another; at 390 px the page does not scroll
//! sideways; selecting a lint finding lights up exactly its counterexample path, in amber, the
//! rest faded. Reports: a small script, a 36-action IVR (`docs/screenshots/bank-ivr.yaml`) and a
//! change OLD → NEW. Screenshots go to `target/report-screenshots/` for review.
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
    // What a person sees, measured before anything is clicked.
    function shown(e) { return e.getClientRects().length > 0; }
    function what(e) { return e.tagName + "." + (e.getAttribute("class") || "") + " “" + e.textContent.trim().slice(0, 40) + "”"; }
    // Text smaller than 10 px as drawn: an SVG text's font size times its SVG's scale on screen.
    var small = [];
    document.querySelectorAll("svg text").forEach(function (t) {
      if (!shown(t) || !t.textContent.trim()) { return; }
      var m = t.getScreenCTM();
      var px = parseFloat(getComputedStyle(t).fontSize) * (m ? Math.sqrt(m.a * m.a + m.b * m.b) : 1);
      if (px < 9.95) { small.push(what(t) + " " + px.toFixed(1) + "px"); }
    });
    document.querySelectorAll("body *").forEach(function (e) {
      if (e.closest("svg") || !shown(e)) { return; }
      var direct = Array.prototype.some.call(e.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
      var px = parseFloat(getComputedStyle(e).fontSize);
      if (direct && px < 9.95) { small.push(what(e) + " " + px.toFixed(1) + "px"); }
    });
    // Edge labels drawn over a node box.
    var graphs = [];
    document.querySelectorAll("svg.flow").forEach(function (svg) {
      var boxes = Array.prototype.map.call(svg.querySelectorAll("g.node .box"), function (b) { return b.getBoundingClientRect(); });
      var labels = svg.querySelectorAll("text.elabel");
      var over = [];
      labels.forEach(function (l) {
        var r = l.getBoundingClientRect();
        boxes.forEach(function (b) {
          var w = Math.min(r.right, b.right) - Math.max(r.left, b.left), h = Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top);
          if (w > 1 && h > 1) { over.push(l.textContent.trim()); }
        });
      });
      var edges = svg.querySelectorAll("g.edge").length;
      var labelled = Array.prototype.filter.call(labels, function (l) { return l.textContent.trim() !== ""; }).length;
      graphs.push({ id: svg.id, nodes: svg.querySelectorAll("g.node").length, edges: edges, labelled: labelled, over: over });
    });
    // Timeline labels overlapping each other.
    var tl = [];
    document.querySelectorAll("svg.timeline").forEach(function (svg) {
      var rs = Array.prototype.map.call(svg.querySelectorAll("g.moment text, g.ended text"), function (t) { return [t, t.getBoundingClientRect()]; });
      for (var i = 0; i < rs.length; i++) { for (var j = i + 1; j < rs.length; j++) {
        var a = rs[i][1], b = rs[j][1];
        if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5) {
          tl.push(rs[i][0].textContent + " / " + rs[j][0].textContent);
        }
      } }
    });
    var width = { scroll: document.documentElement.scrollWidth, inner: window.innerWidth };
    // What sticks out on the right (the outermost such elements), to name the culprit.
    var wide = [];
    document.querySelectorAll("body *").forEach(function (e) {
      var r = e.getBoundingClientRect();
      var spills = getComputedStyle(e).overflowX === "visible" && r.left + e.scrollWidth > window.innerWidth + 0.5;
      if ((r.right <= window.innerWidth + 0.5 && !spills) || wide.length >= 8) { return; }
      // Inside a box that scrolls (or clips) sideways it does not widen the page.
      for (var a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== "visible") { return; }
      }
      wide.push(what(e) + " " + Math.round(r.right));
    });
    var clicks = [];
    document.querySelectorAll("ul.findings").forEach(function (ul) {
      var li = ul.querySelector("li");
      var want = li.dataset.nodes.split(" ").filter(function (x) { return x !== ""; });
      li.click();
      var svg = document.getElementById(ul.dataset.graph);
      var lit = Array.prototype.map.call(svg.querySelectorAll("g.node.hl"), function (g) { return g.dataset.node; });
      // The colours of the selected path: its edges, arrowheads and boxes amber, the rest faded.
      var css = function (sel, prop) { var e = svg.querySelector(sel); return e ? getComputedStyle(e)[prop] : ""; };
      var colours = {
        edge: css(".edge.hl .line", "stroke"), head: css(".edge.hl .ah", "fill"),
        box: css(".node.hl .box", "stroke"), faded: css(".node:not(.hl)", "opacity")
      };
      clicks.push({ graph: ul.dataset.graph, want: want, lit: lit, selected: li.classList.contains("selected"), colours: colours });
    });
    var resources = performance.getEntriesByType("resource").map(function (r) { return r.name; });
    var pre = document.createElement("pre");
    pre.id = "recflow-test";
    var json = JSON.stringify({ errors: errors, resources: resources, graphs: graphs, clicks: clicks, small: small, timeline: tl, width: width, wide: wide });
    pre.textContent = json;
    // Inside the narrow frame of a phone-width check: hand the result to the page around it.
    if (window.parent !== window) { window.parent.postMessage(json, "*"); }
    document.body.appendChild(pre);
  });
})();
</script>"#;

/// One flow picture as drawn: its nodes, edges, non-empty edge labels, and the labels drawn
/// over a node box.
#[derive(Debug)]
struct Graph {
    id: String,
    nodes: usize,
    edges: usize,
    labelled: usize,
    over: Vec<String>,
}

/// A finding clicked: its graph, the nodes it should light, those lit, whether the item is
/// selected, and the computed colours (edge stroke, arrowhead fill, box stroke, faded opacity).
#[derive(Debug)]
struct Click {
    graph: String,
    want: Vec<String>,
    lit: Vec<String>,
    selected: bool,
    colours: [String; 4],
}

struct Checked {
    graphs: Vec<Graph>,
    clicks: Vec<Click>,
    /// Shown text smaller than 10 px (what, size).
    small: Vec<String>,
    /// Timeline labels drawn over each other.
    timeline_overlaps: Vec<String>,
    /// (document scroll width, window width).
    width: (u64, u64),
    /// The outermost elements sticking out on the right.
    wide: Vec<String>,
}

/// Load `html` with the harness at `width` px; assert no error and no network request; return
/// what it saw, and save a screenshot of the page as shipped.
fn check_in_browser(browser: &Path, html: &Path, name: &str, width: u32) -> Checked {
    let page = std::fs::read_to_string(html).unwrap();
    let at = page.find("<head>").expect("a <head>") + "<head>".len();
    let test_page = out_dir().join(format!("{name}.test.html"));
    std::fs::write(&test_page, format!("{}{HARNESS}{}", &page[..at], &page[at..])).unwrap();
    // Headless Chromium's window is at least 500 px wide: a phone width is an iframe that wide
    // (its own viewport, so the page's media queries apply), reporting back by postMessage.
    let (url, window) = if width < 500 {
        let frame = out_dir().join(format!("{name}.frame.html"));
        std::fs::write(&frame, phone_frame(&test_page, width)).unwrap();
        (frame, 500)
    } else {
        (test_page.clone(), width)
    };
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(browser);
    base_args(&mut cmd, profile.path());
    cmd.arg(format!("--window-size={window},2200"));
    cmd.arg("--dump-dom").arg(format!("file://{}", url.display()));
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
    let shown = if width < 500 {
        let frame = out_dir().join(format!("{name}.shot.html"));
        std::fs::write(&frame, phone_frame(html, width)).unwrap();
        frame
    } else {
        html.to_path_buf()
    };
    let mut cmd = Command::new(browser);
    base_args(&mut cmd, profile.path());
    cmd.arg(format!("--window-size={window},2200")).arg(format!("--screenshot={}", shot.display()));
    cmd.arg(format!("file://{}", shown.display()));
    let out = cmd.output().expect("browser runs");
    assert!(shot.is_file(), "no screenshot; stderr:\n{}", String::from_utf8_lossy(&out.stderr));
    eprintln!("screenshot: {}", shot.display());

    let strs = |v: &serde_json::Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
    };
    let n = |v: &serde_json::Value| v.as_u64().unwrap();
    Checked {
        graphs: v["graphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| Graph {
                id: g["id"].as_str().unwrap().to_string(),
                nodes: n(&g["nodes"]) as usize,
                edges: n(&g["edges"]) as usize,
                labelled: n(&g["labelled"]) as usize,
                over: strs(&g["over"]),
            })
            .collect(),
        clicks: v["clicks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| Click {
                graph: c["graph"].as_str().unwrap().to_string(),
                want: strs(&c["want"]),
                lit: strs(&c["lit"]),
                selected: c["selected"].as_bool().unwrap(),
                colours: ["edge", "head", "box", "faded"]
                    .map(|k| c["colours"][k].as_str().unwrap().to_string()),
            })
            .collect(),
        small: strs(&v["small"]),
        timeline_overlaps: strs(&v["timeline"]),
        width: (n(&v["width"]["scroll"]), n(&v["width"]["inner"])),
        wide: strs(&v["wide"]),
    }
}

/// A page showing `page` in a `width` px frame, and writing what the harness in it reports into
/// `<pre id="recflow-test">`.
fn phone_frame(page: &Path, width: u32) -> String {
    format!(
        "<!DOCTYPE html><html><body style=\"margin:0\"><iframe src=\"file://{}\" style=\"width:{width}px;height:2150px;border:0\"></iframe>\
         <script>window.addEventListener(\"message\", function (e) {{ var p = document.createElement(\"pre\"); \
         p.id = \"recflow-test\"; p.textContent = e.data; document.body.appendChild(p); }});</script></body></html>",
        page.display()
    )
}

/// What a person sees at 1400 px: every edge labelled and no label over a node box, no text
/// under 10 px, no timeline label over another.
fn assert_legible(c: &Checked, name: &str) {
    for g in &c.graphs {
        assert!(
            g.edges > 0 && g.labelled == g.edges,
            "{name} {}: {} of {} edges labelled",
            g.id,
            g.labelled,
            g.edges
        );
        assert!(g.over.is_empty(), "{name} {}: edge labels over node boxes: {:?}", g.id, g.over);
    }
    assert!(c.small.is_empty(), "{name}: text under 10 px at 1400 px: {:?}", c.small);
    assert!(c.timeline_overlaps.is_empty(), "{name}: timeline labels overlap: {:?}", c.timeline_overlaps);
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

    // One script, at 1400 px and at 390 px (a phone): legible, and no sideways scrolling.
    let single = dir.join("report-single.html");
    write_report(&["report", "scripts/max-recorded-statements.yaml"], &single);
    let c = check_in_browser(&browser, &single, "report-single", 1400);
    assert_eq!(c.graphs.len(), 1);
    assert_eq!(
        (c.graphs[0].id.as_str(), c.graphs[0].nodes),
        ("g0", actions("scripts/max-recorded-statements.yaml"))
    );
    assert_legible(&c, "report-single");
    let phone = check_in_browser(&browser, &single, "report-single-390", 390);
    assert_eq!(phone.width.1, 390, "the phone frame is 390 px wide");
    assert!(
        phone.width.0 <= phone.width.1,
        "390 px: the page scrolls sideways: {:?} {:?}",
        phone.width,
        phone.wide
    );

    // A 36-action IVR: every edge labelled, nothing over a box, nothing too small.
    let large = dir.join("report-large.html");
    write_report(&["report", "docs/screenshots/bank-ivr.yaml"], &large);
    let c = check_in_browser(&browser, &large, "report-large", 1400);
    assert_eq!(c.graphs[0].nodes, 36);
    assert_legible(&c, "report-large");

    // A change OLD → NEW, whose new script has lint findings.
    let old = "scripts/consent-gdpr.yaml";
    let new = "scripts/mistake-consent-leak.yaml";
    let change = dir.join("report-diff.html");
    write_report(&["report", old, new], &change);
    let c = check_in_browser(&browser, &change, "report-diff", 1400);
    let ids: Vec<(&str, usize)> = c.graphs.iter().map(|g| (g.id.as_str(), g.nodes)).collect();
    assert_eq!(ids, vec![("g0", actions(old)), ("g1", actions(new))]);
    assert_legible(&c, "report-diff");
    assert!(c.clicks.iter().any(|k| k.graph == "g1"), "the leaking script has findings: {:?}", c.clicks);
    for k in &c.clicks {
        assert!(k.selected, "{}: the clicked finding is marked selected", k.graph);
        assert!(!k.lit.is_empty(), "{}: selecting a finding lit nothing", k.graph);
        assert_eq!(
            sorted_unique(k.lit.clone()),
            sorted_unique(k.want.clone()),
            "{}: lit = the finding's path",
            k.graph
        );
        // The selected path in amber (#ffab00): edges, their arrowheads, the boxes; the rest faded.
        let amber = "rgb(255, 171, 0)";
        assert_eq!(
            k.colours,
            [amber, amber, amber, "0.35"].map(String::from),
            "{}: selected-path colours",
            k.graph
        );
    }
    let phone = check_in_browser(&browser, &change, "report-diff-390", 390);
    assert_eq!(phone.width.1, 390, "the phone frame is 390 px wide");
    assert!(
        phone.width.0 <= phone.width.1,
        "390 px: the change scrolls sideways: {:?} {:?}",
        phone.width,
        phone.wide
    );
}
