//! `recflow report`: one self-contained HTML page (inline CSS, SVG and script; no network
//! request, so it opens from a `file:` URL or an e-mail attachment) with what a QA lead or a
//! compliance officer needs to sign off a script: the model it was simulated under, the
//! outcome shares and policy target vs effective as bar charts with 95% intervals, the flow
//! drawn as SVG (shaded by traffic share, recording roles marked as `graph` marks them), the
//! lint findings with their counterexample path (select one → the path lights up on the graph),
//! and an example contact per outcome class as a timeline with the `explain` command that
//! reproduces it. `report OLD NEW` shows the diff: transitions with counts and intervals, and
//! both graphs with the changed actions marked.
//!
//! The page is a `minijinja` template (`report.html`, autoescaped); the charts and graphs are
//! SVG built with the `svg` crate ([`charts`], [`flow_svg`]), the graph laid out by [`layered`].
//! Everything here reads the library's public results (report, classes, heat, lint, diff): the
//! HTML adds no model of its own.

pub mod charts;
mod exact;
pub mod flow_svg;
mod layered;

use serde::Serialize;

use crate::diff::{DiffReport, OutcomeClass};
use crate::flow::Flow;
use crate::model::{Tenant, Traffic};
use crate::report::heat::{self, Heat};
use crate::report::verdict::Verdict;
use crate::script::Script;
use crate::sim::{Compiled, Report};
use crate::stats::{Ci, wilson};
use charts::{Amount, Bar, Key, RowGroup, Share};
use flow_svg::NodeInfo;

/// Example contacts shown per outcome class (the largest classes first).
pub const MAX_CLASSES: usize = 8;

/// One script's inputs to the report.
pub struct Input<'a> {
    /// The path as the user gave it (repeated in `explain` commands).
    pub path: String,
    pub script: &'a Script,
    pub program: &'a Compiled,
    /// Lint with this tenant (the one given with `--tenant`), as `recflow lint` would.
    pub lint_tenant: Option<&'a Tenant>,
    /// The library `script` was linked from, when the script calls others (RUNSUB / RUNSCRIPT,
    /// docs/subscripts.md): `script` and `program` are then the linked ones, the header lists
    /// every called file, and lint findings are located in their own files.
    pub linked: Option<&'a crate::library::link::Linked>,
    /// `report --exact`: the exact analysis of `program` (`sim::exact`), whose probabilities
    /// replace the sampled shares of the section (bars, policies, the flow's shading).
    pub exact: Option<&'a crate::sim::exact::Exact>,
}

/// A file a run read (issue 24 point 1: "what this run assumed"), as the command line named it.
pub struct FileUsed {
    /// `script`, `called by main.yaml`, `tenant`, `traffic`.
    pub role: String,
    /// The path as given or as the library loaded it; for a model without a file, what was used
    /// instead (`embedded default …`).
    pub name: String,
    /// Hex sha256 of the file's bytes; `None` for an embedded default or built-in traffic.
    pub sha256: Option<String>,
}

/// What the command line knows and the library does not: the files read and the command that
/// writes the same page again.
pub struct Assumed {
    pub files: Vec<FileUsed>,
    pub command: String,
}

/// The model every script of the page ran under.
pub struct Model<'a> {
    pub tenant: &'a Tenant,
    pub traffic: &'a Traffic,
    /// Model options to repeat in `explain` commands (` --seed 3 --tenant t.yaml`).
    pub flags: String,
    /// Set when `--precision` chose the number of calls: (target, calls it took).
    pub precision: Option<(f64, u64)>,
    pub assumed: Assumed,
}

#[derive(Serialize)]
struct Header {
    scripts: Vec<String>,
    /// Per script that calls others: `main.yaml: consent.yaml (digest), routing.yaml (digest)`,
    /// the files and digests of its snapshot fingerprint (`snapshot::Fingerprint::with_scripts`).
    called: Vec<String>,
    seed: u64,
    calls: u64,
    tenant: String,
    traffic: String,
    version: &'static str,
    precision: Option<String>,
    /// Every file read, with its sha256 (role, name, digest or `None`).
    files: Vec<(String, String, Option<String>)>,
    /// The traffic's assumptions in words (`report::assumptions`).
    traffic_words: Vec<String>,
    tenant_words: Vec<String>,
    /// The command that writes this page again.
    command: String,
    /// `report --exact`: the shares are exact probabilities.
    exact: bool,
}

#[derive(Serialize)]
struct Legend {
    class: &'static str,
    fill: &'static str,
    stroke: &'static str,
    text: &'static str,
}

#[derive(Serialize)]
struct FindingView {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: String,
    /// The file the finding is in: the script's path, or a called script's file.
    file: String,
    line: usize,
    column: usize,
    help: String,
    /// The counterexample path as action ids, for reading.
    path: String,
    /// The same as node indices (`3 7 9`), for the page's script.
    nodes: String,
}

#[derive(Serialize)]
struct ExampleView {
    class: String,
    /// The class name in words (`recorded on demand, in full, on the agent segment`).
    words: String,
    calls: u64,
    percent: String,
    ci: String,
    contact: u64,
    explain: String,
    timeline: String,
}

#[derive(Serialize)]
struct Section {
    name: String,
    path: String,
    /// Element id of its graph.
    graph_id: String,
    /// The verdict lines of this script's run, as the text report prints them.
    verdict: Verdict,
    /// The verdict's heading without its leading `Verdict ` (`(1000 simulated contacts)`), for a
    /// page with several scripts: the card's title already says "Verdict".
    verdict_detail: String,
    summary: String,
    summary_legend: Vec<Key>,
    policies: Option<String>,
    /// R15 in words when "started by policies" and a policy's effective share differ.
    r15: Option<String>,
    statements: String,
    recorded_time: String,
    graph: String,
    /// Called-script groups drawn in the flow (collapsible), 0 for a script that calls nothing.
    groups: usize,
    legend: Vec<Legend>,
    /// The script's load warnings (`file:line:col code: message`), as `recflow lint` prints
    /// them (issue 25: the page showed none).
    warnings: Vec<String>,
    findings: Vec<FindingView>,
    examples: Vec<ExampleView>,
    /// Classes beyond [`MAX_CLASSES`], not shown.
    more_classes: usize,
    /// `report --exact`: whether the section's shares are exact, and why not.
    exact: Option<exact::ExactView>,
}

#[derive(Serialize)]
struct TransitionView {
    from: String,
    to: String,
    calls: u64,
    percent: String,
    ci: String,
    examples: String,
    explain_old: String,
    explain_new: String,
    changed_on_path: String,
}

/// One finding kind whose contact count moved (issue 19 point 7), as the text diff's headline.
#[derive(Serialize)]
struct VerdictView {
    /// `✗` a violation appeared or grew, `✓` fewer contacts, `•` more of a non-violation.
    mark: &'static str,
    /// `worse` / `better` / `moved` (the row's CSS class).
    trend: &'static str,
    finding: &'static str,
    class: &'static str,
    old: u64,
    new: u64,
}

#[derive(Serialize)]
struct DiffView {
    old_path: String,
    new_path: String,
    /// How each finding count moved, worst class first; empty: none moved.
    verdicts: Vec<VerdictView>,
    changed: u64,
    calls: u64,
    percent: String,
    ci: String,
    script_changes: Vec<String>,
    transitions: Vec<TransitionView>,
    /// Changes no contact reached (`ID/BRANCH` or `ID`, with the contacts of each run).
    unexercised: Vec<String>,
}

#[derive(Serialize)]
struct Page {
    title: String,
    /// The legend of every timeline on the page.
    timeline_legend: Vec<Key>,
    header: Header,
    sections: Vec<Section>,
    diff: Option<DiffView>,
}

const TEMPLATE: &str = include_str!("report.html");

fn pct(n: u64, of: u64) -> f64 {
    if of == 0 { 0.0 } else { 100.0 * n as f64 / of as f64 }
}

fn ci_text(c: Ci) -> String {
    crate::stats::fmt_ci(c)
}

/// The group headings of the outcome chart and the labels of its "Started by" rows, as the text
/// report (`report::simulation::report_human`) prints them; sampled and exact sections share them.
pub(super) const RECORDED: &str = "Recorded (contacts)";
pub(super) const STARTED: &str =
    "Started by (contacts with a recording each started; a contact may have several)";
pub(super) const CALLS: &str = "Calls";
pub(super) const FINDINGS: &str = "Findings (contacts with each)";
pub(super) const STARTED_BY: [&str; 3] = ["Studio actions", "recording on demand", "recording policies"];

/// Outcome shares of a report as bars, grouped and labelled as the text report groups them
/// (`report::simulation::report_human`), then the contacts with each finding that occurred.
fn summary_groups(r: &Report) -> Vec<RowGroup> {
    let n = r.calls;
    let c = &r.ci95;
    let bar = |label: &str, k: u64, ci: Ci, class: &'static str| Bar {
        label: label.into(),
        percent: pct(k, n),
        share: Share::Sampled(ci),
        note: format!("{k} of {n}"),
        target: None,
        class,
    };
    let mut groups = vec![
        RowGroup {
            title: RECORDED.into(),
            rows: vec![
                bar("any call recording", r.recorded.any, c.recorded.any, "bar-recorded"),
                bar("full (agent/external)", r.recorded.full, c.recorded.full, "bar-recorded"),
                bar("agent only", r.recorded.agent_only, c.recorded.agent_only, "bar-recorded"),
                bar("IVR segment", r.recorded.ivr, c.recorded.ivr, "bar-recorded"),
                bar("not recorded", r.recorded.none, c.recorded.none, "bar-none"),
            ],
        },
        RowGroup {
            title: STARTED.into(),
            rows: vec![
                bar(STARTED_BY[0], r.initiators.studio, c.initiators.studio, "bar-studio"),
                bar(STARTED_BY[1], r.initiators.rod, c.initiators.rod, "bar-rod"),
                bar(STARTED_BY[2], r.initiators.policy, c.initiators.policy, "bar-policy"),
            ],
        },
        RowGroup {
            title: CALLS.into(),
            rows: {
                let mut rows = vec![
                    bar("Do Not Record set", r.dnr, c.dnr, "bar-dnr"),
                    bar("abandoned in queue", r.abandoned, c.abandoned, "bar-none"),
                ];
                // Only when the traffic models IVR hang-ups.
                if let (Some(k), Some(ci)) = (r.hung_up_in_ivr, c.hung_up_in_ivr) {
                    rows.push(bar("hung up in the IVR", k, ci, "bar-none"));
                }
                rows
            },
        },
    ];
    let findings: Vec<Bar> = crate::sim::outcome::Finding::ALL
        .iter()
        .filter(|f| r.findings.get(**f) > 0)
        .map(|&f| bar(f.as_str(), r.findings.get(f), c.findings.get(f), "bar-finding"))
        .collect();
    if !findings.is_empty() {
        groups.push(RowGroup { title: FINDINGS.into(), rows: findings });
    }
    groups
}

/// The legend of the outcomes chart: a swatch per colour it uses, the whisker.
fn summary_legend(groups: &[RowGroup]) -> Vec<Key> {
    let meaning = |class: &str| match class {
        "bar-recorded" => "recorded",
        "bar-none" => "not recorded / abandoned",
        "bar-studio" => "started by Studio actions",
        "bar-rod" => "started by recording on demand (agent or supervisor)",
        "bar-policy" => "started by a recording policy",
        "bar-dnr" => "Do Not Record set",
        _ => "contacts with this finding",
    };
    let mut keys: Vec<Key> = Vec::new();
    for r in groups.iter().flat_map(|g| &g.rows) {
        if !keys.iter().any(|k| k.class == r.class) {
            keys.push(Key { class: r.class, text: meaning(r.class).into() });
        }
    }
    match groups.iter().flat_map(|g| &g.rows).next().map(|b| &b.share) {
        Some(Share::Sampled(_)) => {
            keys.push(Key { class: "sw-ci", text: "95% interval of the share (whisker)".into() })
        }
        Some(Share::Interval(..)) => keys.push(Key {
            class: "sw-ci",
            text: "interval the probability lies in (whisker; not exact)".into(),
        }),
        Some(Share::Exact(_)) | None => {}
    }
    keys
}

/// Recorded statements (R13) by what became of them, as the text report's
/// `Recorded statements:` line.
fn statement_amounts(r: &Report) -> Vec<Amount> {
    let st = &r.statements;
    let row = |label: &str, v: u64, class: &'static str| Amount {
        label: label.into(),
        value: v as f64,
        text: v.to_string(),
        class,
    };
    vec![
        row("captured", st.captured, "bar-stmt"),
        row("saved (id kept in a Global:)", st.saved, "bar-recorded"),
        row("lost (id not saved)", st.lost, "bar-finding"),
    ]
}

/// Recorded time per mode, summed over all contacts, as the text report's `Recorded time:`.
fn time_amounts(r: &Report) -> Vec<Amount> {
    let rs = &r.recorded_seconds;
    let row = |label: &str, secs: f64, class: &'static str| Amount {
        label: label.into(),
        value: secs,
        text: crate::report::simulation::hours(secs),
        class,
    };
    vec![
        row("full (agent/external)", rs.full, "bar-recorded"),
        row("agent only", rs.agent_only, "bar-agent-only"),
        row("IVR", rs.ivr, "bar-ivr"),
        row("recorded statements", rs.statements, "bar-stmt"),
    ]
}

/// R15 in words, with the numbers of the bars drawn (sampled or exact alike), when a policy's
/// effective share and "started by recording policies" differ: the two count different things.
fn r15_note(groups: &[RowGroup], policies: &[Bar]) -> Option<String> {
    let share = |label: &str| {
        groups.iter().flat_map(|g| &g.rows).find(|b| b.label == label).map_or(0.0, |b| b.percent)
    };
    let started = share(STARTED_BY[2]);
    let far = policies.iter().find(|p| (p.percent - started).abs() >= 0.05)?;
    Some(format!(
        "“Started by recording policies” ({started:.1}%) counts the contacts in which a policy itself started a \
         recording; a policy's “effective” share ({} {:.1}%) counts the contacts it matches that ended up \
         recorded in agent or external segments by any initiator — a Studio action or recording on demand \
         included (R15) — so the two differ whenever Studio or ROD records contacts a policy matches, or a \
         policy matches only some contacts. Studio actions started a recording in {:.1}% of contacts, \
         recording on demand in {:.1}%.",
        far.label,
        far.percent,
        share(STARTED_BY[0]),
        share(STARTED_BY[1]),
    ))
}

/// Policies: target (marker) vs effective (bar with interval).
fn policy_bars(r: &Report) -> Vec<Bar> {
    r.policies
        .iter()
        .map(|p| Bar {
            label: p.name.clone(),
            percent: p.effective_percent,
            share: Share::Sampled(p.ci95),
            note: format!(
                "target {:.1}%, {} of {} matching recorded",
                p.target_percent, p.recorded, p.matched
            ),
            target: Some(p.target_percent),
            class: "bar-policy",
        })
        .collect()
}

fn node_info(heat: &Heat, changed: &[String], script: &Script) -> Vec<NodeInfo> {
    script
        .actions
        .iter()
        .enumerate()
        .map(|(i, a)| NodeInfo {
            share: (heat.calls > 0).then(|| pct(heat.visited[i], heat.calls)),
            state: (heat.visited[i] > 0).then(|| heat::state_line(&heat.state[i])),
            changed: changed.iter().any(|c| c == &a.id),
            unexercised: heat.unexercised.get(i).cloned().unwrap_or_default(),
            edge_share: if heat.calls > 0 {
                heat.edges
                    .range((i as u32, 0)..=(i as u32, u32::MAX))
                    .map(|(&(_, to), &c)| (to as usize, pct(c, heat.calls)))
                    .collect()
            } else {
                Default::default()
            },
        })
        .collect()
}

/// An outcome class in words, from the class itself (not its name): who recorded which
/// segments in which mode, Do Not Record, statements, findings.
fn class_words(c: &OutcomeClass, p: &Compiled) -> String {
    use crate::diff::class::{By, KIND_AGENT, KIND_EXTERNAL, KIND_IVR, RecMode};
    let mut parts: Vec<String> = c
        .recorded
        .iter()
        .map(|r| {
            let who = match r.by {
                By::Studio => "Studio actions".to_string(),
                By::Rod => "recording on demand".to_string(),
                By::Policy(i) => {
                    format!("policy {}", p.policies.get(i.index()).map_or("?", |x| x.name.as_str()))
                }
            };
            let mode = match r.mode {
                RecMode::Full => "in full (caller and agent)",
                RecMode::AgentOnly => "agent only",
            };
            let kinds: Vec<&str> = [(KIND_AGENT, "agent"), (KIND_EXTERNAL, "external"), (KIND_IVR, "IVR")]
                .into_iter()
                .filter(|(b, _)| r.kinds & b != 0)
                .map(|(_, n)| n)
                .collect();
            format!(
                "{who} recorded the {} segment{} {mode}",
                kinds.join(" and "),
                if kinds.len() == 1 { "" } else { "s" }
            )
        })
        .collect();
    if c.recorded.is_empty() {
        parts.push("not recorded".into());
    }
    if c.dnr {
        parts.push("Do Not Record set".into());
    }
    if c.statements_saved > 0 {
        parts.push(format!("{} recorded statement(s) saved", c.statements_saved));
    }
    if c.statements_lost > 0 {
        parts.push(format!("{} recorded statement(s) lost", c.statements_lost));
    }
    for &f in crate::sim::outcome::Finding::ALL {
        if c.has(f) {
            parts.push(format!("finding {} ({})", f.as_str(), f.class()));
        }
    }
    parts.join("; ")
}

fn findings(input: &Input<'_>) -> Vec<FindingView> {
    let config = crate::lint::Config { tenant: input.lint_tenant.cloned(), ..Default::default() };
    // Findings grouped with the script their spans are in (`None`: the input's script itself) and
    // its file: for a linked library one view per file with findings, as `recflow lint` splits them.
    let groups: Vec<(Option<Script>, String, Vec<crate::lint::Diagnostic>)> = match input.linked {
        None => vec![(None, input.path.clone(), crate::lint::lint(input.script, &config))],
        Some(l) => crate::lint::linked::lint(l, &config)
            .into_iter()
            .map(|f| {
                let file = f.view.source.name.to_string();
                (Some(f.view), file, f.found)
            })
            .collect(),
    };
    let script = input.script;
    groups
        .iter()
        .flat_map(|(view, file, found)| found.iter().map(move |d| (view.as_ref().unwrap_or(script), file, d)))
        .map(|(view, file, d)| {
            let (line, column) = view.source.line_col(d.primary.span.offset);
            let ids = d.path_ids(script);
            let nodes: Vec<String> =
                ids.iter().filter_map(|id| script.find(id)).map(|ix| ix.index().to_string()).collect();
            // A finding without a path highlights the action it is about.
            let nodes = if nodes.is_empty() { vec![d.action.index().to_string()] } else { nodes };
            FindingView {
                code: d.code,
                name: d.name,
                severity: d.severity.as_str(),
                message: d.message.clone(),
                file: file.clone(),
                line,
                column,
                help: d.help.clone(),
                path: if ids.is_empty() { script.action(d.action).id.clone() } else { ids.join(" → ") },
                nodes: nodes.join(" "),
            }
        })
        .collect()
}

fn section(input: &Input<'_>, model: &Model<'_>, k: usize, changed: &[String]) -> Section {
    let (script, p) = (input.script, input.program);
    let classes = crate::diff::classify(p, p.calls);
    let report = classes.tally.report(p);
    let flow = Flow::new(script);
    let graph_id = format!("g{k}");
    let info = match input.exact {
        Some(e) => exact::node_info(e, changed, script),
        None => node_info(&heat::collect(script, p), changed, script),
    };
    let clusters = input.linked.map(heat::clusters).unwrap_or_default();
    let graph = flow_svg::flow_svg(script, &flow, &info, &graph_id, &clusters);
    let legend = flow_svg::legend(script, &flow)
        .into_iter()
        .map(|(class, fill, stroke, text)| Legend { class, fill, stroke, text })
        .collect();
    // Largest classes first; ties by name (the map's order).
    let mut by_size: Vec<(&OutcomeClass, &crate::diff::run::Count)> = classes.counts.iter().collect();
    by_size.sort_by_key(|(_, c)| std::cmp::Reverse(c.calls));
    let more_classes = by_size.len().saturating_sub(MAX_CLASSES);
    let examples = by_size
        .into_iter()
        .take(MAX_CLASSES)
        .filter_map(|(class, count)| {
            let contact = *count.examples.first()?;
            let ex = crate::sim::explain::explain(p, contact);
            Some(ExampleView {
                class: class.name(p),
                words: class_words(class, p),
                calls: count.calls,
                percent: format!("{:.1}%", pct(count.calls, report.calls)),
                ci: ci_text(wilson(count.calls, report.calls)),
                contact,
                explain: format!("recflow explain {} --call {contact}{}", input.path, model.flags),
                timeline: charts::timeline(p, &ex.outcome, &ex.steps),
            })
        })
        .collect();
    let policy_rows = match input.exact {
        Some(e) => exact::policy_bars(e, &report),
        None => policy_bars(&report),
    };
    let groups = match input.exact {
        Some(e) => exact::summary_groups(e),
        None => summary_groups(&report),
    };
    let r15 = r15_note(&groups, &policy_rows);
    let policies = (!policy_rows.is_empty())
        .then(|| charts::bars(&[RowGroup { title: String::new(), rows: policy_rows }]));
    // One verdict, many views: the text report's lines, from the same run as the bars.
    let verdict = match input.exact {
        Some(e) => crate::report::exact::verdict(e),
        None => crate::report::simulation::verdict(&report, &input.path, &model.flags),
    };
    let (statements, recorded_time) = match input.exact {
        Some(e) => (exact::statement_amounts(e), exact::time_amounts(e)),
        None => (statement_amounts(&report), time_amounts(&report)),
    };
    Section {
        name: script.name.clone(),
        path: input.path.clone(),
        graph_id,
        verdict_detail: verdict.heading.strip_prefix("Verdict ").unwrap_or(&verdict.heading).to_string(),
        verdict,
        summary: charts::bars(&groups),
        summary_legend: summary_legend(&groups),
        policies,
        r15,
        statements: charts::amounts(&statements),
        recorded_time: charts::amounts(&recorded_time),
        graph,
        groups: clusters.len(),
        legend,
        warnings: script
            .warnings
            .iter()
            .map(|w| format!("{} {}: {}", w.location(), w.kind.code(), w.message))
            .collect(),
        findings: findings(input),
        examples,
        more_classes,
        exact: input.exact.map(exact::view),
    }
}

fn header(inputs: &[&Input<'_>], model: &Model<'_>) -> Header {
    let fp = crate::snapshot::Fingerprint::of(model.tenant, model.traffic);
    let called = inputs
        .iter()
        .filter_map(|i| {
            let files =
                crate::snapshot::Fingerprint::of(model.tenant, model.traffic).with_scripts(i.linked).scripts;
            (!files.is_empty()).then(|| {
                let list: Vec<String> = files.iter().map(|(f, digest)| format!("{f} ({digest})")).collect();
                format!("{}: {}", i.path, list.join(", "))
            })
        })
        .collect();
    Header {
        scripts: inputs.iter().map(|i| i.path.clone()).collect(),
        called,
        seed: fp.seed,
        calls: inputs.first().map_or(fp.calls, |i| i.program.calls),
        tenant: fp.tenant,
        traffic: fp.traffic,
        version: env!("CARGO_PKG_VERSION"),
        precision: model.precision.map(|(p, calls)| {
            format!("--precision {p}: {calls} calls (the `simulate --precision` schedule, up to --max-calls)")
        }),
        files: model
            .assumed
            .files
            .iter()
            .map(|f| (f.role.clone(), f.name.clone(), f.sha256.clone()))
            .collect(),
        traffic_words: crate::report::assumptions::traffic(model.traffic),
        tenant_words: crate::report::assumptions::tenant(model.tenant),
        command: model.assumed.command.clone(),
        exact: inputs.iter().any(|i| i.exact.is_some()),
    }
}

/// Text whose `` `code` `` spans (the Markdown backticks the terminal shows as they are) become
/// `<code>` in HTML: the text is escaped first, then each pair of backticks becomes a `<code>`
/// element; an unpaired backtick stays as it is.
fn code_spans(text: &str) -> String {
    let escaped = minijinja::HtmlEscape(text).to_string();
    let parts: Vec<&str> = escaped.split('`').collect();
    // Backticks: parts.len() - 1; the spans that have both ends are the odd parts up to `2 * pairs`.
    let pairs = (parts.len() - 1) / 2;
    let mut out = String::with_capacity(escaped.len() + 16);
    for (k, part) in parts.iter().enumerate() {
        if k % 2 == 0 {
            out.push_str(part);
        } else if k <= 2 * pairs {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        } else {
            out.push('`');
            out.push_str(part);
        }
    }
    out
}

fn render(page: &Page) -> Result<String, minijinja::Error> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_filter("code", |text: String| minijinja::Value::from_safe_string(code_spans(&text)));
    env.add_template("report.html", TEMPLATE)?;
    let html = env.get_template("report.html")?.render(page)?;
    // Issue 21 F12: a bidi override or isolate from a script (an action id, a label, a phrase, a
    // policy name) is shown as a visible `\u{202e}`, wherever it lands — text, attribute, SVG
    // label, tooltip, `<title>` — so it cannot reorder what the reviewer reads; the page's own
    // text has none. Right-to-left letters themselves stay, isolated by the CSS
    // (`unicode-bidi: isolate` on every element that shows script text).
    Ok(crate::source::escape_bidi_controls(&html).into_owned())
}

/// The report of one or more scripts, each in its own section.
pub fn report(inputs: &[Input<'_>], model: &Model<'_>) -> Result<String, minijinja::Error> {
    let sections = inputs.iter().enumerate().map(|(k, i)| section(i, model, k, &[])).collect();
    let title = match inputs {
        [one] => format!("recflow report — {}", one.script.name),
        _ => format!("recflow report — {} scripts", inputs.len()),
    };
    let all: Vec<&Input<'_>> = inputs.iter().collect();
    render(&Page {
        title,
        timeline_legend: charts::timeline_legend(),
        header: header(&all, model),
        sections,
        diff: None,
    })
}

/// The report of a change: `old` → `new` (diff of contacts, both graphs with changed actions).
pub fn diff_report(
    old: &Input<'_>,
    new: &Input<'_>,
    model: &Model<'_>,
    d: &DiffReport,
) -> Result<String, minijinja::Error> {
    let changed: Vec<String> = d.script_changes.iter().map(|c| c.action.clone()).collect();
    let n = d.new.calls;
    let transitions = d
        .transitions
        .iter()
        .map(|t| {
            let first = t.examples.first().copied().unwrap_or(0);
            TransitionView {
                from: t.from.clone(),
                to: t.to.clone(),
                calls: t.calls,
                percent: format!("{:.1}%", pct(t.calls, n)),
                ci: ci_text(wilson(t.calls, n)),
                examples: t.examples.iter().map(u64::to_string).collect::<Vec<_>>().join(", "),
                explain_old: format!("recflow explain {} --call {first}{}", old.path, model.flags),
                explain_new: format!("recflow explain {} --call {first}{}", new.path, model.flags),
                changed_on_path: t.changed_on_path.join(", "),
            }
        })
        .collect();
    let script_changes =
        d.script_changes.iter().flat_map(|c| c.human_lines()).map(|l| l.trim_end().to_string()).collect();
    let verdicts = d
        .verdicts
        .iter()
        .map(|m| {
            let (mark, trend) = if m.worse_violation() {
                ("✗", "worse")
            } else if m.new < m.old {
                ("✓", "better")
            } else {
                ("•", "moved")
            };
            VerdictView { mark, trend, finding: m.finding, class: m.class, old: m.old, new: m.new }
        })
        .collect();
    let view = DiffView {
        old_path: old.path.clone(),
        new_path: new.path.clone(),
        verdicts,
        changed: d.changed,
        calls: n,
        percent: format!("{:.1}%", pct(d.changed, n)),
        ci: ci_text(wilson(d.changed, n)),
        script_changes,
        transitions,
        unexercised: d
            .unexercised_changes
            .iter()
            .map(|r| {
                if d.min_exercised > 1 {
                    format!("{} ({} / {})", r.change, r.old, r.new)
                } else {
                    r.change.clone()
                }
            })
            .collect(),
    };
    let sections = vec![section(old, model, 0, &changed), section(new, model, 1, &changed)];
    let title = format!("recflow report — {} → {}", old.path, new.path);
    render(&Page {
        title,
        timeline_legend: charts::timeline_legend(),
        header: header(&[old, new], model),
        sections,
        diff: Some(view),
    })
}

#[cfg(test)]
mod tests {
    use super::code_spans;

    #[test]
    fn backtick_spans_become_code_after_escaping() {
        assert_eq!(
            code_spans("both take `default` when `default` is wired"),
            "both take <code>default</code> when <code>default</code> is wired"
        );
        // Script text inside a span is escaped; an unpaired backtick stays a backtick.
        assert_eq!(code_spans("MENU `<b>&` then ` alone"), "MENU <code>&lt;b&gt;&amp;</code> then ` alone");
        assert_eq!(code_spans("no code"), "no code");
    }
}
