//! Rendering findings: human (miette, graphical), JSON (FORMATS §7) and SARIF 2.1.0.
//!
//! Input: the script each finding belongs to and its findings. Output: text. The caller (the
//! CLI) decides where it goes; nothing here touches the terminal.

use std::fmt;

use crate::source::LoadError;
use miette::LabeledSpan;
use serde_json::{Value, json};

use super::analysis::Step;
use super::diagnostic::{Diagnostic, Place, Severity};
use super::fix::{self, Applicability};
use super::registry::RULES;
use crate::script::Script;

/// A finding bound to its source, as miette wants it.
struct Report<'a> {
    d: &'a Diagnostic,
    code: String,
    help: String,
    /// The script's source: excerpts come through its line index (one per source, shared by
    /// every finding), not by scanning the file per label (issue 10.6).
    src: Excerpts<'a>,
}

/// Labels of one finding closer than this many lines share one excerpt (as miette shows them);
/// farther apart, each gets its own instead of the whole file between them.
const MERGE_GAP: usize = 10;

struct Excerpts<'a>(&'a crate::source::Source);

impl miette::SourceCode for Excerpts<'_> {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        self.0.excerpt(span, before, after, MERGE_GAP)
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = std::iter::once(LabeledSpan::new_primary_with_span(
            Some(self.d.primary.text.clone()).filter(|t| !t.is_empty()),
            self.d.primary.span,
        ));
        let secondary = self
            .d
            .secondary
            .iter()
            .filter(|l| self.src.0.label_fits(self.d.primary.span.offset, l.span.offset))
            .map(|l| LabeledSpan::new_with_span(Some(l.text.clone()).filter(|t| !t.is_empty()), l.span));
        Some(Box::new(primary.chain(secondary)))
    }
}

/// Human output: each finding as miette renders it (no colour unless `color`), at `width`.
pub fn human(script: &Script, found: &[Diagnostic], width: usize, color: bool) -> String {
    render_human(script, found, width, color, None, false)
}

/// Findings of one rule with the same message and help (one cause, e.g. 1 500 statement Starts
/// none of which saves its id) past this many are shown once, then counted: `… and 1 499 more
/// like this (S001), the next at a.yaml:20:11` (issue 21, F04). `--full-paths` shows them all;
/// JSON and SARIF always list every one.
pub const GROUP_FINDINGS_AFTER: usize = 3;

/// Human output marking fixable findings as ruff does: `[*]` after the code of a finding
/// `--fix` repairs (also unsafe ones when `unsafe_fixes`), and a `fix:` line under the help.
pub fn human_fixes(
    script: &Script,
    found: &[Diagnostic],
    width: usize,
    color: bool,
    unsafe_fixes: bool,
    group: bool,
) -> String {
    render_human(script, found, width, color, Some(unsafe_fixes), group)
}

fn render_human(
    script: &Script,
    found: &[Diagnostic],
    width: usize,
    color: bool,
    fixes: Option<bool>,
    group: bool,
) -> String {
    let theme =
        if color { miette::GraphicalTheme::unicode() } else { miette::GraphicalTheme::unicode_nocolor() };
    let handler = crate::source::error::report_handler(theme, width).with_links(false);
    let mut out = String::new();
    // Group: (code, message, help) → the findings' indices, in order.
    let mut groups: std::collections::HashMap<(&str, &str, &str), Vec<usize>> =
        std::collections::HashMap::new();
    if group {
        for (i, d) in found.iter().enumerate() {
            groups.entry((d.code, &d.message, &d.help)).or_default().push(i);
        }
    }
    for (i, d) in found.iter().enumerate() {
        let mut tail = String::new();
        if let Some(members) = groups.get(&(d.code, d.message.as_str(), d.help.as_str()))
            && members.len() > GROUP_FINDINGS_AFTER + 1
        {
            if members[0] != i {
                continue;
            }
            let next = &found[members[1]];
            let (line, column) = script.source.line_col(next.primary.span.offset);
            tail = format!(
                "  … and {} more like this ({}), the next at {}:{line}:{column}; `--full-paths` shows each, \
                 `--format json` lists each\n",
                members.len() - 1,
                d.code,
                script.source.name
            );
        }
        let mut help = d.help.clone();
        if !d.path.is_empty() {
            help.push_str("\npath: ");
            help.push_str(&d.path_text(script));
        }
        let mut code = format!("{}({})", d.code, d.name);
        if let (Some(show_unsafe), Some(f)) = (fixes, &d.fix) {
            let on = f.applicability == Applicability::Safe || show_unsafe;
            if on {
                code.push_str(" [*]");
            }
            help.push_str(&format!(
                "\nfix{}: {}",
                match (f.applicability, on) {
                    (Applicability::Safe, _) => "",
                    (Applicability::Unsafe, true) => " (unsafe)",
                    (Applicability::Unsafe, false) => " (unsafe, with --unsafe-fixes)",
                },
                f.message
            ));
        }
        let report = Report { d, code, help, src: Excerpts(&script.source) };
        let _ = handler.render_report(&mut out, &report);
        out.push_str(&tail);
        out.push('\n');
    }
    out
}

/// `N errors, M warnings, K infos` (for the end of human output).
pub fn summary(found: &[&Diagnostic]) -> String {
    let count = |s| found.iter().filter(|d| d.severity == s).count();
    let (e, w, i) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    if e + w + i == 0 {
        return "no findings".to_string();
    }
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let mut parts = vec![plural(e, "error"), plural(w, "warning")];
    if i > 0 {
        parts.push(plural(i, "info"));
    }
    parts.join(", ")
}

/// A fix as text: applicability, message, and (region, inserted text) per replacement.
type FixText = (&'static str, String, Vec<(Value, String)>);

/// The text replacements of a finding's fix, each with its region (1-based lines, columns in
/// characters, end exclusive) and byte offset / length.
fn replacements(script: &Script, d: &Diagnostic) -> Option<FixText> {
    let f = d.fix.as_ref()?;
    let splices = fix::splices(script, f).ok()?;
    let regions = splices
        .into_iter()
        .map(|s| {
            let (line, col) = script.source.line_col(s.offset);
            let (end_line, end_col) = script.source.line_col(s.offset + s.len);
            let region = json!({
                "startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col,
                "byteOffset": s.offset, "byteLength": s.len,
            });
            (region, s.text)
        })
        .collect();
    Some((f.applicability.as_str(), f.message.clone(), regions))
}

fn json_one(script: &Script, d: &Diagnostic) -> Value {
    let (line, column) = script.source.line_col(d.primary.span.offset);
    let fix = replacements(script, d).map(|(applicability, message, rs)| {
        let edits: Vec<Value> = rs
            .into_iter()
            .map(|(r, text)| {
                json!({
                    "line": r["startLine"], "column": r["startColumn"],
                    "end_line": r["endLine"], "end_column": r["endColumn"],
                    "offset": r["byteOffset"], "length": r["byteLength"], "content": text,
                })
            })
            .collect();
        json!({"applicability": applicability, "message": message, "edits": edits})
    });
    let mut v = json!({
        "code": d.code,
        "name": d.name,
        "severity": d.severity.as_str(),
        "message": d.message,
        "file": &*script.source.name,
        "line": line,
        "column": column,
        "action": script.action(d.action).id,
        "path": d.path_ids(script),
        "help": d.help,
    });
    let steps = step_places(script, d);
    if !steps.is_empty() {
        // The path with each step's own file:line (a path through linked subscripts crosses
        // files; `path` keeps the plain ids for readers of FORMATS §7). A step in the finding's
        // own file leaves `file` out: repeating it made the output grow with the length of the
        // file name times the steps (issue 21, F04).
        v["steps"] = steps
            .iter()
            .map(|(id, branch, p)| {
                let mut s = json!({"action": id, "line": p.line, "column": p.column});
                if *p.file != *script.source.name {
                    s["file"] = json!(&*p.file);
                }
                if let Some(b) = branch {
                    s["branch"] = json!(b);
                }
                s
            })
            .collect();
    }
    let elided = d.path_elided();
    if !elided.is_empty() {
        // `path` lists the ids shown; here, where the straight runs between them were cut
        // (after that many ids, that many actions; `lint --full-paths` keeps them all).
        v["path_elided"] = elided.iter().map(|(after, n)| json!({"after": after, "actions": n})).collect();
    }
    if let Some(f) = fix {
        v["fix"] = f;
    }
    v
}

/// JSON output, FORMATS §7: `{"version": 1, "diagnostics": [...]}` over every script linted.
pub fn json(results: &[(&Script, &[Diagnostic])]) -> String {
    json_with_load(results, &LoadProblems::default())
}

/// What loading the scripts reported besides the scripts themselves: the files that could not
/// be loaded (with their errors) and the warnings of those that loaded (FORMATS §7 Round 2).
#[derive(Debug, Default)]
pub struct LoadProblems {
    /// `(path as given, error)`; a file with several errors appears several times.
    pub errors: Vec<(String, LoadError)>,
    pub warnings: Vec<(String, LoadError)>,
}

impl LoadProblems {
    /// Number of distinct files that could not be loaded.
    pub fn failed_files(&self) -> usize {
        let mut files: Vec<&str> = self.errors.iter().map(|(f, _)| f.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        files.len()
    }
}

/// One load error / warning as JSON: `{file, line, column, code, message, help}`.
fn load_json(file: &str, e: &LoadError) -> Value {
    let (line, column) = e.line_col().unwrap_or((1, 1));
    let file = e.source.as_ref().map_or(file.to_owned(), |s| s.name.to_string());
    json!({"file": file, "line": line, "column": column, "code": e.kind.code(), "message": e.message,
           "help": e.help})
}

/// `lint --format json` with the load errors (`errors`) and warnings (`warnings`) of the run.
pub fn json_with_load(results: &[(&Script, &[Diagnostic])], load: &LoadProblems) -> String {
    // Written one finding at a time (the same bytes as pretty-printing the whole document):
    // a tree of every finding's JSON cost 6 GB for 4 800 findings of a 20 000-action script
    // (issue 21, F04); now only one finding's tree exists at a time.
    let mut text = String::from("{\n  \"version\": 1,\n");
    let diagnostics = results.iter().flat_map(|(s, ds)| ds.iter().map(move |d| json_one(s, d)));
    pretty_field(&mut text, "diagnostics", diagnostics, false);
    pretty_field(&mut text, "errors", load.errors.iter().map(|(f, e)| load_json(f, e)), false);
    pretty_field(&mut text, "warnings", load.warnings.iter().map(|(f, e)| load_json(f, e)), true);
    text.push_str("}\n");
    text
}

/// `  "key": [ ...items... ]` as `serde_json::to_string_pretty` writes an array field of a
/// top-level object, one item at a time.
fn pretty_field(out: &mut String, key: &str, items: impl Iterator<Item = Value>, last: bool) {
    out.push_str(&format!("  \"{key}\": ["));
    let mut any = false;
    for v in items {
        out.push_str(if any { ",\n" } else { "\n" });
        any = true;
        let item = serde_json::to_string_pretty(&v).expect("JSON values serialize");
        for (k, line) in item.lines().enumerate() {
            if k > 0 {
                out.push('\n');
            }
            out.push_str("    ");
            out.push_str(line);
        }
    }
    if any {
        out.push_str("\n  ");
    }
    out.push(']');
    out.push_str(if last { "\n" } else { ",\n" });
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn sarif_location(script: &Script, span: crate::script::Span, message: Option<&str>) -> Value {
    place_location(&span_place(script, span), message)
}

/// A span of the script's own file as a [`Place`].
fn span_place(script: &Script, span: crate::script::Span) -> Place {
    let (line, column) = script.source.line_col(span.offset);
    let (end_line, end_column) = script.source.line_col(span.end());
    Place { file: script.source.name.clone(), line, column, end_line, end_column }
}

/// A SARIF location in the place's own file (which, for a path through linked subscripts, need
/// not be the finding's file).
fn place_location(p: &Place, message: Option<&str>) -> Value {
    let mut loc = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri(&p.file)},
            "region": {"startLine": p.line, "startColumn": p.column, "endLine": p.end_line, "endColumn": p.end_column}
        }
    });
    if let Some(m) = message {
        loc["message"] = json!({"text": m});
    }
    loc
}

/// The path's action steps as (id, branch taken, the action's place in its own file): from
/// the finding's [`CrossFile`](super::diagnostic::CrossFile) when its path crosses files, else
/// from the script's spans.
fn step_places(script: &Script, d: &Diagnostic) -> Vec<(String, Option<String>, Place)> {
    d.path
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Step::Action { action, branch } => {
                let a = script.action(*action);
                let place = match d.cross.as_deref().and_then(|c| c.steps.get(i).cloned().flatten()) {
                    Some(p) => p,
                    None => span_place(script, super::rules::action_span(a)),
                };
                Some((a.id.clone(), branch.clone(), place))
            }
            Step::Event(_) | Step::Elided(_) => None,
        })
        .collect()
}

/// A relative path as a SARIF URI (forward slashes, spaces escaped).
fn uri(path: &str) -> String {
    path.replace('\\', "/").replace(' ', "%20")
}

/// SARIF 2.1.0 for code-scanning tools: rule metadata in `tool.driver.rules`, each result with
/// its location, related locations (secondary labels) and the counterexample path as a code flow.
pub fn sarif(results: &[(&Script, &[Diagnostic])]) -> String {
    sarif_with_load(results, &LoadProblems::default())
}

/// A load error / warning as a SARIF notification (`toolExecutionNotifications`).
fn sarif_notification(file: &str, e: &LoadError, level: &str) -> Value {
    let (line, column) = e.line_col().unwrap_or((1, 1));
    let file = e.source.as_ref().map_or(file.to_owned(), |s| s.name.to_string());
    let text = match &e.help {
        Some(h) => format!("{}\nhelp: {h}", e.message),
        None => e.message.clone(),
    };
    json!({
        "level": level,
        "descriptor": {"id": e.kind.code()},
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&file)},
                        "region": {"startLine": line, "startColumn": column}}}],
    })
}

/// SARIF with the run's load problems: `invocations[0].executionSuccessful` is false when a
/// script could not be loaded, and every load error / warning is a tool execution notification.
pub fn sarif_with_load(results: &[(&Script, &[Diagnostic])], load: &LoadProblems) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.doc(), "markdown": r.doc()},
                "helpUri": format!("docs/rules/{}.md", r.code),
                "defaultConfiguration": {"level": sarif_level(r.severity)},
            })
        })
        .collect();
    // Each result is written as soon as it is built (compact), so only one result's tree exists
    // at a time.
    let mut out = String::new();
    // Path steps are shared: each distinct (place, action) is one entry of
    // `run.threadFlowLocations`, and a code flow step refers to it by `index` (issue 21, F04:
    // 5 000 findings each repeating their path's locations made 1.7 GB of SARIF).
    let mut shared: Vec<Value> = Vec::new();
    let mut shared_at: std::collections::HashMap<(std::sync::Arc<str>, usize, usize, String), usize> =
        std::collections::HashMap::new();
    for (script, ds) in results {
        for d in ds.iter() {
            let rule_index = d.rule.id as usize;
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": rule_index,
                "level": sarif_level(d.severity),
                "message": {"text": format!("{}\nhelp: {}", d.message, d.help)},
                "locations": [sarif_location(script, d.primary.span, None)],
            });
            result["locations"][0]["logicalLocations"] =
                json!([{"name": script.action(d.action).id, "kind": "member"}]);
            let places = step_places(script, d);
            // Related: the secondary labels, then labels and path steps in other files (a path
            // through linked subscripts), each at its own file's region.
            let mut related: Vec<Value> =
                d.secondary.iter().map(|l| sarif_location(script, l.span, Some(&l.text))).collect();
            if let Some(c) = d.cross.as_deref() {
                related.extend(c.labels.iter().map(|(p, text)| place_location(p, Some(text))));
                related.extend(
                    places.iter().enumerate().filter(|(_, (.., p))| p.file != script.source.name).map(
                        |(k, (id, _, p))| place_location(p, Some(&format!("path step {}: {id}", k + 1))),
                    ),
                );
            }
            if !related.is_empty() {
                for (i, v) in related.iter_mut().enumerate() {
                    v["id"] = json!(i + 1);
                }
                result["relatedLocations"] = Value::Array(related);
            }
            let mut steps: Vec<Value> = places
                .iter()
                .map(|(id, _, p)| {
                    let key = (p.file.clone(), p.line, p.column, id.clone());
                    let index = *shared_at.entry(key).or_insert_with(|| {
                        shared.push(json!({"location": place_location(p, Some(id))}));
                        shared.len() - 1
                    });
                    json!({"index": index})
                })
                .collect();
            // An elided straight run is one location with only a message (`--full-paths`: all).
            for (after, n) in d.path_elided().into_iter().rev() {
                let text = super::diagnostic::elided_text(n);
                steps.insert(
                    after,
                    json!({"location": {"message": {"text": text}}, "importance": "unimportant"}),
                );
            }
            if !steps.is_empty() {
                result["codeFlows"] = json!([{"threadFlows": [{"locations": steps}]}]);
            }
            if let Some((applicability, message, rs)) = replacements(script, d) {
                let replacements: Vec<Value> = rs
                    .into_iter()
                    .map(|(r, text)| json!({"deletedRegion": r, "insertedContent": {"text": text}}))
                    .collect();
                result["fixes"] = json!([{
                    "description": {"text": format!("{message} ({applicability} fix)")},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri(&script.source.name)},
                        "replacements": replacements,
                    }],
                }]);
            }
            if !out.is_empty() {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(&result).expect("JSON values serialize"));
        }
    }
    let tool = json!({"driver": {
        "name": "recflow",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    }});
    let invocations = json!([{
        "executionSuccessful": load.errors.is_empty(),
        "toolExecutionNotifications": load.errors.iter().map(|(f, e)| sarif_notification(f, e, "error"))
            .chain(load.warnings.iter().map(|(f, e)| sarif_notification(f, e, "warning")))
            .collect::<Vec<_>>(),
    }]);
    // Compact: SARIF is read by tools, and indentation alone tripled the size of a large run.
    let ser = |v: &Value| serde_json::to_string(v).expect("JSON values serialize");
    format!(
        "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{{\
         \"tool\":{},\"results\":[{out}],\"threadFlowLocations\":{},\"invocations\":{}}}]}}\n",
        ser(&tool),
        ser(&Value::Array(shared)),
        ser(&invocations)
    )
}
