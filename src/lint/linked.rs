//! Lint across scripts: a [`Linked`] library (entry script + every script it reaches by RUNSUB /
//! RUNSCRIPT) → findings per file.
//!
//! The analysis runs once over the linked script, where each RUNSUB call site has its own copy
//! of the subscript (call strings, [`crate::library::link`]): a subscript called from two places
//! is never a merge point, so every rule keeps its precision across files, and a RUNSCRIPT makes
//! the target's event actions the active handlers ([`analysis::HandlerSets`]). A finding in a
//! subscript is reported once, at the subscript's own file:line, whatever the number of copies.
//!
//! Output: one [`FileFindings`] per file that has findings, each with a *view* of the linked script
//! whose source is that file, so the ordinary renderers (human, JSON, SARIF) print the right
//! file:line:column; the actions of the view keep the linked ids (`script:id` outside the entry),
//! so paths read across files. Labels that point into another file are moved into the help text
//! with their own file:line.

use std::collections::BTreeSet;

use super::diagnostic::{CrossFile, Place};
use super::{Config, Ctx, Diagnostic, Prepared, RULES, RuleId, analysis};
use crate::library::link::{FileMap, LinkOp, Linked};
use crate::script::{Script, Span};

/// The findings of one file, with the view of the linked script they are rendered against.
#[derive(Clone, Debug)]
pub struct FileFindings {
    /// The linked script with this file as its source (spans of this file's actions are local).
    pub view: Script,
    pub found: Vec<Diagnostic>,
}

/// Lint a linked library: every enabled rule over the linked script, then per file.
pub fn lint(linked: &Linked, config: &Config) -> Vec<FileFindings> {
    let script = &linked.script;
    let tenant = config.tenant.as_ref();
    let flow = crate::flow::Flow::new(script);
    let facts = super::infer::Facts::new(script);
    let options = Prepared::options(tenant);
    let switch: Vec<Option<u8>> = linked
        .ops
        .iter()
        .map(|o| match o {
            Some(LinkOp::RunScript { handlers }) => Some(*handlers as u8),
            _ => None,
        })
        .collect();
    let mut reach = analysis::analyze_with(
        script,
        &facts,
        analysis::HandlerSets { sets: &linked.handlers, switch: &switch },
    );
    reach.full_paths = config.full_paths;
    let cx = Ctx { script, flow: &flow, facts: &facts, reach: &reach, options, tenant };
    let mut found = Vec::new();
    for rule in RULES {
        if rule.id != RuleId::X001 && config.enabled(rule) && rule.applies_to(script) {
            (rule.check)(&cx, &mut found);
        }
    }
    // Calls that were linked are modelled now: no "unmodelled" info for them.
    found.retain(|d| !(d.rule.id == RuleId::G003 && linked.ops[d.action.index()].is_some()));
    // A RUNSUB past the nesting limit had its `next` cut by the linker: a dead end of the model,
    // not of the script. Say so instead of "has no next action" (issue 21, F15).
    for d in &mut found {
        if d.rule.id == RuleId::M003 && matches!(linked.ops[d.action.index()], Some(LinkOp::TooDeep)) {
            let what = super::rules::describe(script, d.action);
            d.message = format!(
                "{what} would nest RUNSUB deeper than the limit of {} levels (a RUNSUB cycle?): the \
                 nesting limit ends the script thread here",
                crate::library::MAX_DEPTH
            );
            d.primary.text = format!("RUNSUB nesting limit ({}) reached", crate::library::MAX_DEPTH);
            d.help = "a subscript that calls itself (directly or through others) without an exit never \
                      returns: give the recursion an exit, or call the subscript at most a bounded number \
                      of times"
                .to_string();
        }
    }
    // Copies share spans: one finding per (code, place), the shortest path's (found first).
    super::dedup(&mut found);
    let found = super::suppress(script, config, found);
    let mut seen = BTreeSet::new();
    let found: Vec<Diagnostic> =
        found.into_iter().filter(|d| d.rule.id != RuleId::X001 || seen.insert(d.primary.span)).collect();
    split_by_file(linked, found)
}

/// Group findings by the file of their primary span, each with its view.
fn split_by_file(linked: &Linked, found: Vec<Diagnostic>) -> Vec<FileFindings> {
    let files = &linked.files;
    let mut out: Vec<FileFindings> = Vec::new();
    for (fi, (base, src)) in files.files.iter().enumerate() {
        let end = files.files.get(fi + 1).map_or(usize::MAX, |(b, _)| *b);
        let mine: Vec<&Diagnostic> =
            found.iter().filter(|d| (*base..end).contains(&d.primary.span.offset)).collect();
        if mine.is_empty() && fi != 0 {
            continue;
        }
        let view = view(linked, *base, end, src.clone());
        let mut list: Vec<Diagnostic> = mine.into_iter().map(|d| localize(linked, *base, end, d)).collect();
        super::sort(&mut list);
        out.push(FileFindings { view, found: list });
    }
    out
}

/// The linked script seen from one file: that file's source, its actions' spans made local, the
/// other actions' spans empty (they are named by id and their own file:line in the help).
fn view(linked: &Linked, base: usize, end: usize, source: crate::script::Source) -> Script {
    let mut s = linked.script.clone();
    s.source = source;
    let local = |sp: Span| {
        if (base..end).contains(&sp.offset) { Span::new(sp.offset - base, sp.len) } else { Span::default() }
    };
    for a in &mut s.actions {
        a.id_span = local(a.id_span);
        a.span = local(a.span);
        a.type_span = local(a.type_span);
        for p in &mut a.properties {
            p.name_span = local(p.name_span);
            p.span = local(p.span);
        }
        for b in &mut a.branches {
            b.name_span = local(b.name_span);
            b.target_span = local(b.target_span);
        }
        if let Some(c) = &mut a.consent {
            c.span = local(c.span);
        }
        for al in &mut a.allow {
            al.span = local(al.span);
        }
    }
    s
}

/// A finding in its file's coordinates; labels in other files and the cross-file path go to help.
fn localize(linked: &Linked, base: usize, end: usize, d: &Diagnostic) -> Diagnostic {
    let files = &linked.files;
    let mut d = d.clone();
    let inside = |sp: Span| (base..end).contains(&sp.offset);
    d.primary.span = Span::new(d.primary.span.offset - base, d.primary.span.len);
    let mut elsewhere = Vec::new();
    d.secondary.retain_mut(|l| {
        if inside(l.span) {
            l.span = Span::new(l.span.offset - base, l.span.len);
            true
        } else {
            elsewhere.push((place(files, l.span), l.text.clone()));
            false
        }
    });
    let crosses = d.path.iter().any(|s| match s {
        analysis::Step::Action { action, .. } => !inside(linked.script.action(*action).span),
        analysis::Step::Event(_) | analysis::Step::Elided(_) => false,
    });
    for (p, text) in &elsewhere {
        d.help.push_str(&format!("\n{text}: {}:{}:{}", p.file, p.line, p.column));
    }
    if crosses {
        d.help.push_str("\nsteps: ");
        d.help.push_str(&steps_text(linked, &d));
    }
    if crosses || !elsewhere.is_empty() {
        // Each step in its own file, for the renderers (SARIF code flows and related locations,
        // JSON `steps`): the view's spans of other files' actions are empty.
        let steps = d
            .path
            .iter()
            .map(|s| match s {
                analysis::Step::Action { action, .. } => {
                    Some(place(files, super::rules::action_span(linked.script.action(*action))))
                }
                analysis::Step::Event(_) | analysis::Step::Elided(_) => None,
            })
            .collect();
        d.cross = Some(Box::new(CrossFile { steps, labels: elsewhere }));
    }
    d
}

/// A linked span as a region of its own file.
fn place(files: &FileMap, span: Span) -> Place {
    let (src, local) = files.local(span);
    let (line, column) = src.line_col(local.offset);
    let (end_line, end_column) = src.line_col(local.end());
    Place { file: src.name.clone(), line, column, end_line, end_column }
}

/// The path with each action's own file:line: `begin (main.yaml:8) → consent:ask [2] (consent.yaml:9)`.
pub fn steps_text(linked: &Linked, d: &Diagnostic) -> String {
    let files: &FileMap = &linked.files;
    let parts: Vec<String> = d
        .path
        .iter()
        .map(|s| match s {
            analysis::Step::Action { action, branch } => {
                let a = linked.script.action(*action);
                let (f, line, _) = files.position(super::rules::action_span(a).offset);
                let file = std::path::Path::new(&f)
                    .file_name()
                    .map_or(f.clone(), |n| n.to_string_lossy().into_owned());
                match branch {
                    Some(b) => format!("{} [{b}] ({file}:{line})", a.id),
                    None => format!("{} ({file}:{line})", a.id),
                }
            }
            analysis::Step::Event(e) => format!("({e})"),
            analysis::Step::Elided(n) => super::diagnostic::elided_text(*n),
        })
        .collect();
    parts.join(" → ")
}
