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
      // Edge labels drawn over each other (those shown).
      var lr = Array.prototype.filter.call(labels, shown).map(function (l) { return [l.textContent.trim(), l.getBoundingClientRect()]; });
      var crossed = [];
      for (var i = 0; i < lr.length; i++) { for (var j = i + 1; j < lr.length; j++) {
        var a = lr[i][1], b = lr[j][1];
        if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5) {
          crossed.push(lr[i][0] + " / " + lr[j][0]);
        }
      } }
      // Edges: one g.edge per drawn edge; a part of an edge continued inside a group does not count.
      var edges = svg.querySelectorAll("g.edge:not(.gpart)").length;
      var labelled = Array.prototype.filter.call(labels, function (l) { return l.textContent.trim() !== ""; }).length;
      // Called-script groups: title, member action ids, collapsed; then one group collapsed or
      // expanded by its title and back, measuring what changed.
      var groups = Array.prototype.map.call(svg.querySelectorAll("g.group"), function (g) {
        return { title: g.querySelector(".gtitle").textContent.trim(),
          members: Array.prototype.map.call(g.querySelectorAll("g.node .nid"), function (t) { return t.textContent.trim(); }),
          collapsed: g.classList.contains("collapsed") };
      });
      var toggle = null, g0 = svg.querySelector("g.group");
      if (g0) {
        var state = function () {
          var f = g0.querySelector(".gframe").getBoundingClientRect();
          var grow = function (r) { return { left: r.left - 2, right: r.right + 2, top: r.top - 2, bottom: r.bottom + 2 }; };
          var meet = function (a, b) { return Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5; };
          // Arrowheads into the group that are shown: on its frame when collapsed, else inside.
          var heads = Array.prototype.filter.call(svg.querySelectorAll('g.edge[data-gin="' + g0.dataset.group + '"] .ah, g.group[data-group="' + g0.dataset.group + '"] .gpart .ah'), shown);
          var attached = heads.length > 0 && heads.every(function (h) { return meet(grow(h.getBoundingClientRect()), f); });
          // No box outside a group over a group's frame, no two frames over each other.
          var frames = Array.prototype.map.call(svg.querySelectorAll("g.group > .gframe"), function (r) { return r.getBoundingClientRect(); });
          var tops = Array.prototype.map.call(svg.querySelectorAll("g.nodes > g.node .box"), function (r) { return r.getBoundingClientRect(); });
          var clash = 0;
          frames.forEach(function (a, i) {
            tops.forEach(function (b) { if (meet(a, b)) { clash++; } });
            frames.slice(i + 1).forEach(function (b) { if (meet(a, b)) { clash++; } });
          });
          return { collapsed: g0.classList.contains("collapsed"), frame: f.height, svg: svg.getBoundingClientRect().height,
            shown: Array.prototype.filter.call(g0.querySelectorAll("g.node"), shown).length, attached: attached, clash: clash,
            mark: g0.querySelector(".gmark").textContent.trim(), expanded: g0.querySelector(".gtoggle").getAttribute("aria-expanded") };
        };
        var flip = function () { g0.querySelector(".gtoggle").dispatchEvent(new MouseEvent("click", { bubbles: true })); };
        var before = state(); flip(); var after = state(); flip();
        toggle = { before: before, after: after, back: state() };
      }
      graphs.push({ id: svg.id, nodes: svg.querySelectorAll("g.node").length, edges: edges, labelled: labelled, over: over,
        crossed: crossed, groups: groups, toggle: toggle });
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
      // With every group collapsed, the groups the path goes through are lit instead.
      var inGroups = null, bar = document.querySelector('.zoombar[data-graph="' + ul.dataset.graph + '"]');
      var all = bar && bar.querySelector('button[data-groups="collapse"]');
      if (all) {
        all.click();
        var lit_groups = Array.prototype.map.call(svg.querySelectorAll("g.group.hl"), function (g) { return g.dataset.group; });
        var want_groups = Array.prototype.filter.call(svg.querySelectorAll("g.group"), function (g) {
          return want.some(function (n) { return g.querySelector('.node[data-node="' + n + '"]') !== null; });
        }).map(function (g) { return g.dataset.group; });
        var frame = css(".group.hl .gframe", "stroke");
        bar.querySelector('button[data-groups="expand"]').click();
        inGroups = { lit: lit_groups, want: want_groups, frame: frame, after: svg.querySelectorAll("g.group.hl").length };
      }
      clicks.push({ graph: ul.dataset.graph, want: want, lit: lit, selected: li.classList.contains("selected"), colours: colours, groups: inGroups });
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
    /// Pairs of shown edge labels drawn over each other.
    crossed: Vec<String>,
    /// The called-script groups: title, the ids of the actions inside, collapsed.
    groups: Vec<(String, Vec<String>, bool)>,
    /// The first group as drawn, then collapsed or expanded by its title, then back.
    toggle: Option<[GroupState; 3]>,
}

/// A group as drawn: collapsed, its frame's and the drawing's height, its actions shown, whether
/// the arrowheads into it are on it, boxes or frames drawn over frames, its ▸/▾ and aria-expanded.
#[derive(Debug, PartialEq)]
struct GroupState {
    collapsed: bool,
    frame: f64,
    svg: f64,
    shown: u64,
    attached: bool,
    clash: u64,
    mark: String,
    expanded: String,
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
    /// With every group collapsed: the groups lit, those the path goes through, the lit frame's
    /// colour, and the groups still lit once expanded again.
    groups: Option<(Vec<String>, Vec<String>, String, u64)>,
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
                crossed: strs(&g["crossed"]),
                groups: g["groups"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| {
                        (
                            x["title"].as_str().unwrap().to_string(),
                            strs(&x["members"]),
                            x["collapsed"].as_bool().unwrap(),
                        )
                    })
                    .collect(),
                toggle: (!g["toggle"].is_null()).then(|| {
                    ["before", "after", "back"].map(|k| {
                        let t = &g["toggle"][k];
                        GroupState {
                            collapsed: t["collapsed"].as_bool().unwrap(),
                            frame: t["frame"].as_f64().unwrap(),
                            svg: t["svg"].as_f64().unwrap(),
                            shown: n(&t["shown"]),
                            attached: t["attached"].as_bool().unwrap(),
                            clash: n(&t["clash"]),
                            mark: t["mark"].as_str().unwrap().to_string(),
                            expanded: t["expanded"].as_str().unwrap().to_string(),
                        }
                    })
                }),
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
                groups: (!c["groups"].is_null()).then(|| {
                    let g = &c["groups"];
                    (
                        strs(&g["lit"]),
                        strs(&g["want"]),
                        g["frame"].as_str().unwrap().to_string(),
                        n(&g["after"]),
                    )
                }),
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

/// At 390 px (a phone): the page does not scroll sideways, and charts keep their text size (they
/// scroll inside their own box instead of shrinking).
fn assert_phone(browser: &Path, html: &Path, name: &str) {
    let phone = check_in_browser(browser, html, name, 390);
    assert_eq!(phone.width.1, 390, "{name}: the phone frame is 390 px wide");
    assert!(phone.width.0 <= phone.width.1, "{name}: scrolls sideways: {:?} {:?}", phone.width, phone.wide);
    assert!(phone.small.is_empty(), "{name}: text under 10 px: {:?}", phone.small);
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
        assert!(g.crossed.is_empty(), "{name} {}: edge labels over each other: {:?}", g.id, g.crossed);
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
    assert_phone(&browser, &single, "report-single-390");

    // A 36-action IVR: every edge labelled, nothing over a box, nothing too small.
    let large = dir.join("report-large.html");
    write_report(&["report", "docs/screenshots/bank-ivr.yaml"], &large);
    let c = check_in_browser(&browser, &large, "report-large", 1400);
    assert_eq!(c.graphs[0].nodes, 36);
    assert_legible(&c, "report-large");

    // A busy CASE: nine long branch names under one box (the placement before issue 24's last
    // round drew 8 pairs of these labels over each other).
    let tiers = [
        "gold-customer",
        "silver-customer",
        "bronze-customer",
        "platinum",
        "new-caller",
        "returning",
        "vip-line",
        "staff-line",
        "partner",
    ];
    let mut case = String::from(
        "script: case9\nactions:\n  - {id: begin, type: BEGIN, next: k}\n  - id: k\n    type: CASE\n    properties: {Variable: tier}\n    branches: {",
    );
    for (i, t) in tiers.iter().enumerate() {
        case += &format!("{t}: t{i}, ");
    }
    case += "default: t9}\n";
    for i in 0..10 {
        case += &format!("  - {{id: t{i}, type: HANGUP}}\n");
    }
    let case_script = dir.join("case9.yaml");
    std::fs::write(&case_script, case).unwrap();
    let busy = dir.join("report-case9.html");
    write_report(&["report", case_script.to_str().unwrap()], &busy);
    let c = check_in_browser(&browser, &busy, "report-case9", 1400);
    assert_eq!((c.graphs[0].nodes, c.graphs[0].edges), (12, 11));
    assert_legible(&c, "report-case9");

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
    assert_phone(&browser, &change, "report-diff-390");
}

/// Issue 24, Build 2: a script that calls others draws each called script's copy as a labelled
/// group holding its actions; selecting the group's title collapses it to one box (edges then end
/// on the box, the drawing gets shorter, nothing overlaps) and again expands it exactly as it was;
/// a finding whose path runs through groups lights the path's actions, and, with the groups
/// collapsed, the groups it runs through.
#[test]
fn called_scripts_are_collapsible_groups_in_headless_chromium() {
    let Some(browser) = browser() else {
        assert!(std::env::var_os("CI").is_none(), "no Chromium found under CI");
        eprintln!("SKIPPED: no Chromium-family browser on PATH (install `chromium` or set RECFLOW_BROWSER)");
        return;
    };
    let folder = "scripts/tenant-consent-subscript";
    let page = out_dir().join("report-groups.html");
    write_report(&["report", &format!("{folder}/mistake-main.yaml")], &page);
    let c = check_in_browser(&browser, &page, "report-groups", 1400);
    assert_legible(&c, "report-groups");
    let g = &c.graphs[0];
    let count = |f: &str| actions(&format!("{folder}/{f}.yaml"));
    assert_eq!(g.nodes, count("mistake-main") + count("consent-no-input-leak") + count("routing"));
    // One group per called script (each RUNSUB call site has its own copy), named with its file,
    // holding exactly that script's actions; a flow this small starts expanded.
    let titles: Vec<&str> = g.groups.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(
        titles,
        ["consent-no-input-leak (consent-no-input-leak.yaml), copy 1", "routing (routing.yaml), copy 2"]
    );
    for ((title, members, collapsed), (script, file)) in
        g.groups.iter().zip([("consent-no-input-leak", "consent-no-input-leak"), ("routing", "routing")])
    {
        assert_eq!(members.len(), count(file), "{title}: {members:?}");
        assert!(members.iter().all(|m| m.starts_with(&format!("{script}:"))), "{title}: {members:?}");
        assert!(!collapsed, "{title}: a small flow starts expanded");
    }
    // Collapsed by its title: one short box, its actions hidden, the arrows into it end on it,
    // the drawing shorter; expanded again: as drawn at first.
    let [before, after, back] = g.toggle.as_ref().expect("a group to toggle");
    assert!(!before.collapsed && after.collapsed && !back.collapsed);
    assert_eq!((before.mark.as_str(), after.mark.as_str()), ("▾", "▸"));
    assert_eq!((before.expanded.as_str(), after.expanded.as_str()), ("true", "false"));
    assert_eq!(before.shown as usize, count("consent-no-input-leak"));
    assert_eq!(after.shown, 0, "collapsed: its actions are hidden");
    assert!(after.frame < before.frame / 3.0, "collapsed to one box: {before:?} → {after:?}");
    assert!(
        after.svg < before.svg - (before.frame - after.frame) * 0.9,
        "the drawing closes up: {before:?} → {after:?}"
    );
    assert!(before.attached && after.attached, "arrows into the group end on it: {before:?} {after:?}");
    assert_eq!((before.clash, after.clash, back.clash), (0, 0, 0), "no box over a group's frame");
    assert!((back.svg - before.svg).abs() < 1.0 && back.frame == before.frame && back.shown == before.shown);
    // C001's path runs from the entry script through both groups: its actions light up, and with
    // every group collapsed, exactly the groups it runs through (amber frames).
    let k = &c.clicks[0];
    assert_eq!(sorted_unique(k.lit.clone()), sorted_unique(k.want.clone()));
    let (lit, want, frame, after) = k.groups.as_ref().expect("the groups of the path");
    assert_eq!(want, &["0", "1"], "the path runs through both groups");
    assert_eq!(lit, want, "collapsed groups on the path are lit");
    assert_eq!(frame, "rgb(255, 171, 0)");
    assert_eq!(*after, 0, "expanded again, the path's actions are lit, not the groups");
}
