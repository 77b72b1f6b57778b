//! Stage 1b — [`RawScript`] → checked [`Script`].
//!
//! Input: what a file says (from `yaml.rs` or `studio_json.rs`). Output: a [`Script`] meeting
//! the invariants documented on it, or every semantic load error of the file at once. All
//! semantic checks live here so YAML and Studio JSON get identical checks and messages:
//! type normalisation, typed properties with defaults, ids, branches, events, SNIPPET syntax.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::catalogue;
use super::model::*;
use super::raw::{RawAction, RawBranch, RawProperty, RawScript};
use crate::snippet;
use crate::source::did_you_mean;
use crate::source::{LoadError, LoadErrorKind, LoadErrors};

/// Most INDICATE parameters Studio sends (SP1..SP9).
pub const MAX_INDICATE_PARAMETERS: usize = 9;

pub(crate) fn build(raw: RawScript) -> Result<Script, LoadErrors> {
    let mut b = Builder { source: &raw.source, errors: Vec::new(), warnings: Vec::new(), suggestions: 0 };

    // Ids: first occurrence wins; later ones are errors pointing back at the first.
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, a) in raw.actions.iter().enumerate() {
        if let Some(&first) = ids.get(a.id.value.as_str()) {
            let f = &raw.actions[first];
            b.err(
                LoadError::new(LoadErrorKind::DuplicateId, format!("duplicate action id `{}`", a.id.value))
                    .with_label(a.id.span, "defined again here")
                    .with_label(f.id.span, "first defined here")
                    .with_help(
                        "action ids must be unique; rename one of them (and the branches that lead to it)",
                    ),
            );
        } else {
            ids.insert(&a.id.value, i);
        }
    }

    let mut actions = Vec::with_capacity(raw.actions.len());
    for a in &raw.actions {
        actions.push(b.action(a, &ids, &raw.actions));
    }

    // BEGIN and the event actions: exactly one / at most one, reported at the later one.
    let mut begin: Option<usize> = None;
    let mut events: BTreeMap<Event, usize> = BTreeMap::new();
    for (i, a) in actions.iter().enumerate() {
        if matches!(a.kind, Kind::Begin) {
            match begin {
                None => begin = Some(i),
                Some(first) => b.err(
                    LoadError::new(LoadErrorKind::DuplicateBegin, "more than one BEGIN action")
                        .with_label(a.type_span, "another BEGIN here")
                        .with_label(actions[first].type_span, "first BEGIN here")
                        .with_help("a script starts at exactly one BEGIN; remove or retype the extra one"),
                ),
            }
        }
        if let Some(ev) = a.kind.event() {
            match events.get(&ev) {
                None => {
                    events.insert(ev, i);
                }
                Some(&first) => {
                    let name = a.kind.canonical_name().unwrap_or("event");
                    b.err(
                        LoadError::new(LoadErrorKind::DuplicateEvent, format!("more than one {name} action"))
                            .with_label(a.type_span, format!("another {name} here"))
                            .with_label(actions[first].type_span, format!("first {name} here"))
                            .with_help(format!(
                                "a script has at most one {name}; merge the two flows into one {name}"
                            )),
                    );
                }
            }
        }
    }
    if begin.is_none() {
        b.err(
            LoadError::new(LoadErrorKind::MissingBegin, "the script has no BEGIN action")
                .with_label(raw.actions_span, "no action here has type BEGIN")
                .with_help(
                    "add an action `{id: begin, type: BEGIN, next: <first action>}`: calls start there",
                ),
        );
    }

    if !b.errors.is_empty() {
        return Err(sorted(b.errors));
    }
    // Facts computed once, at load (facts.rs): read by lint and simulate alike.
    super::facts::annotate(&mut actions);
    let name = match raw.name {
        Some(n) => n.value,
        None => file_stem(&raw.source.name),
    };
    Ok(Script {
        name,
        description: raw.description,
        source: raw.source.clone(),
        format: raw.format,
        actions,
        studio_header: raw.studio_header,
        studio_root: raw.studio_root,
        studio_patch: raw.studio_patch,
        kind: raw.kind,
        id_index: Default::default(),
        warnings: {
            b.warnings.sort_by_key(|e| e.labels.first().map_or(0, |(s, _)| s.offset));
            // Every warning is kept (JSON and SARIF list each one; the terminal groups those
            // of one cause, issue 21): silently keeping the first 100 lost the rest. A hostile
            // file is still bounded, with the cut said in a last warning.
            if b.warnings.len() > MAX_KEPT_WARNINGS {
                let more = b.warnings.len() - MAX_KEPT_WARNINGS;
                let next = b.warnings.swap_remove(MAX_KEPT_WARNINGS);
                b.warnings.truncate(MAX_KEPT_WARNINGS);
                let mut e = LoadError::new(
                    next.kind,
                    format!("{more} more warnings not kept (recflow keeps the first {MAX_KEPT_WARNINGS})"),
                )
                .warning();
                e.source = next.source;
                b.warnings.push(e);
            }
            b.warnings
        },
    })
}

/// Where a Snippet syntax error sits in the script file: the error's byte range inside the
/// decoded `Data` text, mapped back through the [`TextMap`].
pub(crate) fn snippet_span(map: &TextMap, data: &str, e: &snippet::SyntaxError) -> Span {
    let start = e.offset.min(data.len());
    let end = e.offset.saturating_add(e.len).min(data.len());
    let at = map.to_source(start);
    // The range is contiguous in the file only within one piece of the map; cut it there.
    let piece_end = map.pieces.iter().map(|&(v, _)| v).find(|&v| v > start).unwrap_or(usize::MAX);
    Span::new(at, end.min(piece_end).saturating_sub(start))
}

pub(crate) fn snippet_error(id: &str, span: Span, e: &snippet::SyntaxError) -> LoadError {
    LoadError::new(
        LoadErrorKind::SnippetSyntax,
        format!("Snippet syntax error in action `{id}`: {}", e.message),
    )
    .with_label(span, e.message.clone())
    .with_help(match &e.help {
        // The parser's own hint is more specific ("there is no ELSE IF: nest an IF").
        Some(h) => format!("{h} (the Snippet subset is in docs/snippet.md)"),
        None => "fix the Snippet code in `Data` (the Snippet subset is in docs/snippet.md)".to_string(),
    })
}

/// Located warnings for the SNIPPETs of `script`: constructs recflow reads but does not model
/// (they yield unknown values at run time and count as `unmodelled_snippet`), and calls of
/// functions nobody defines, with a did-you-mean (they take `Error` at run time). Each points at
/// the construct inside the script file (file:line:column). See docs/snippet.md.
pub fn snippet_warnings(script: &crate::script::Script) -> Vec<LoadError> {
    let mut out = Vec::new();
    for a in &script.actions {
        let Kind::Snippet(s) = &a.kind else { continue };
        let at = |offset: usize, len: usize| {
            let e = snippet::SyntaxError { offset, len, message: String::new(), help: None };
            snippet_span(&s.map, &s.data, &e)
        };
        for w in &s.ast.warnings {
            out.push(
                LoadError::new(
                    LoadErrorKind::SnippetUnmodelled,
                    format!("in SNIPPET `{}`: {}", a.id, w.message),
                )
                .with_label(at(w.offset, w.len), "not modelled: yields unknown values")
                .with_help("see docs/snippet.md, \"Unmodelled constructs\"")
                .with_source(&script.source)
                .warning(),
            );
        }
        for c in s.ast.unknown_calls() {
            let help = match &c.suggestion {
                Some(sug) => format!("did you mean `{sug}`?"),
                None => "not a CXone built-in function nor a FUNCTION of this snippet".to_string(),
            };
            out.push(
                LoadError::new(
                    LoadErrorKind::SnippetUnmodelled,
                    format!("in SNIPPET `{}`: unknown function `{}` (takes Error at run time)", a.id, c.name),
                )
                .with_label(at(c.offset, c.len), "unknown function")
                .with_help(help)
                .with_source(&script.source)
                .warning(),
            );
        }
    }
    out
}

/// Most errors reported for one file; the rest are counted. Rendering an error costs time
/// proportional to the file, so a hostile file with 100 000 mistakes must not print them all.
pub const MAX_REPORTED_ERRORS: usize = 100;

/// Most load warnings kept for one file (all of them reach JSON / SARIF; the terminal groups them).
pub const MAX_KEPT_WARNINGS: usize = 50_000;

/// Most "did you mean" searches per file (each compares against every id).
const MAX_SUGGESTIONS: usize = 50;

/// Errors in file order (by primary label), so the report reads top to bottom; past
/// [`MAX_REPORTED_ERRORS`] a last error says how many more there were.
pub(crate) fn sorted(mut errors: Vec<LoadError>) -> LoadErrors {
    errors.sort_by_key(|e| e.labels.first().map_or(0, |(s, _)| s.offset));
    if errors.len() > MAX_REPORTED_ERRORS {
        let more = errors.len() - MAX_REPORTED_ERRORS;
        let next = errors.swap_remove(MAX_REPORTED_ERRORS);
        errors.truncate(MAX_REPORTED_ERRORS);
        let mut e = LoadError::new(
            next.kind,
            format!("{more} more errors not shown (recflow reports the first {MAX_REPORTED_ERRORS})"),
        )
        .with_help("fix the errors above and load the file again");
        e.source = next.source;
        errors.push(e);
    }
    LoadErrors { errors }
}

/// Script name when the file gives none (a Studio export without `scriptName`): the file stem.
fn file_stem(path: &str) -> String {
    std::path::Path::new(path)
        .file_stem()
        .map_or_else(|| path.to_owned(), |s| s.to_string_lossy().into_owned())
}

struct Builder<'a> {
    source: &'a Source,
    errors: Vec<LoadError>,
    /// What recflow reads but cannot model (docs/lint.md "Load warnings").
    warnings: Vec<LoadError>,
    /// "Did you mean" searches made so far (bounded by [`MAX_SUGGESTIONS`]).
    suggestions: usize,
}

/// Normalised branch name: `Default` → `default`, `error` → `Error`, others as written.
pub fn normalize_branch(name: &str) -> String {
    let t = name.trim();
    if t.eq_ignore_ascii_case("default") {
        "default".to_owned()
    } else if t.eq_ignore_ascii_case("error") {
        "Error".to_owned()
    } else {
        t.to_owned()
    }
}

/// A value holding a `{var}` template (`"{MaxDigits}"`): CXone substitutes it at run time, so
/// it is not checked against the property's type at load (one definition: `runtime.rs`).
use super::runtime::is_templated;

impl Builder<'_> {
    fn err(&mut self, e: LoadError) {
        self.errors.push(e.with_source(self.source));
    }

    fn warn(&mut self, e: LoadError) {
        self.warnings.push(e.with_source(self.source).warning());
    }

    fn action(&mut self, a: &RawAction, ids: &BTreeMap<&str, usize>, all: &[RawAction]) -> Action {
        let kind = self.kind(a);
        let spec = catalogue::lookup(&a.type_name.value);
        if spec.is_none() {
            let names = catalogue::CATALOGUE.iter().map(|s| s.name);
            let typed = normalize_type(&a.type_name.value);
            let help = match did_you_mean(&typed, names) {
                Some(m) => format!("did you mean `{m}`? recflow passes through unknown actions (docs/actions.md)"),
                None => "recflow passes through it: takes `Default` (else its first wired branch) and assumes no recording effect (docs/actions.md)".to_owned(),
            };
            self.warn(
                LoadError::new(
                    LoadErrorKind::UnknownType,
                    format!(
                        "action `{}` has type `{}`, which recflow's catalogue does not list",
                        a.id.value, a.type_name.value
                    ),
                )
                .with_label(a.type_name.span, "unknown action type")
                .with_help(help),
            );
        }
        // Issue 11 point 2: an IF recflow cannot evaluate keeps its traffic-weighted branch.
        if spec.is_some_and(|s| s.name == "IF")
            && let Some(w) = super::runtime::if_warning(a)
        {
            self.warn(w);
        }
        if let Some(spec) = spec {
            self.unknown_properties(a, spec);
        }
        let branches = self.branches(a, spec, ids, all);
        if let (Some(c), false) = (&a.consent, matches!(kind, Kind::Menu(_))) {
            self.err(
                LoadError::new(
                    LoadErrorKind::InvalidProperty,
                    format!("`consent` annotation on a {} action", a.type_name.value),
                )
                .with_label(c.span, "only a MENU can be the consent question")
                .with_help("move `consent: {accept: [...]}` to the MENU that asks for consent"),
            );
        }
        let mut allow = Vec::new();
        for al in &a.allow {
            match &al.reason {
                Some(r) if !r.value.trim().is_empty() => {
                    allow.push(Allow { rule: al.rule.value.clone(), reason: r.value.clone(), span: al.span })
                }
                _ => self.err(
                    LoadError::new(
                        LoadErrorKind::WrongType,
                        format!("`allow` of rule {} has no reason", al.rule.value),
                    )
                    .with_label(al.span, "reason missing")
                    .with_help(format!(
                        "say why the finding is acceptable: `{{rule: {}, reason: \"...\"}}`",
                        al.rule.value
                    )),
                ),
            }
        }
        Action {
            id: a.id.value.clone(),
            id_span: a.id.span,
            span: a.span,
            type_name: a.type_name.value.clone(),
            type_span: a.type_name.span,
            kind,
            label: a.label.clone(),
            properties: a
                .properties
                .iter()
                .map(|p| Property {
                    name: p.name.value.clone(),
                    name_span: p.name.span,
                    value: p.value.clone(),
                    span: p.span,
                })
                .collect(),
            branches,
            consent: a.consent.as_ref().map(|c| Consent { accept: c.value.clone(), span: c.span }),
            allow,
            studio: a.studio.clone(),
            spec,
            // Filled once every action exists (the consent fact needs the flow).
            facts: Default::default(),
        }
    }

    /// A property the help page of the type does not list: CXone keeps it (and so does recflow,
    /// for lossless round trips), but it does nothing recflow knows of — usually a misspelling
    /// (`Sequnce`) or a property of another action. Only lists read from the page warn
    /// (`catalogue::ActionSpec::knows_property`).
    fn unknown_properties(&mut self, a: &RawAction, spec: &'static catalogue::ActionSpec) {
        for p in &a.properties {
            if spec.knows_property(&p.name.value) {
                continue;
            }
            let listed = if spec.properties.is_empty() {
                format!("{} has no properties", spec.name)
            } else {
                format!("{} properties: {}", spec.name, spec.properties.join(", "))
            };
            let keep = "recflow keeps it (round trips stay lossless) and ignores it";
            let help = match did_you_mean(&p.name.value, spec.properties.iter().copied()) {
                Some(m) => format!("did you mean `{m}`? {keep} (docs/actions.md)"),
                None => format!("{keep}; {listed} (docs/actions.md)"),
            };
            self.warn(
                LoadError::new(
                    LoadErrorKind::UnknownProperty,
                    format!(
                        "action `{}` has a property `{}` that the {} help page does not list",
                        a.id.value, p.name.value, spec.name
                    ),
                )
                .with_label(p.name.span, listed)
                .with_help(help),
            );
        }
    }

    fn branches(
        &mut self,
        a: &RawAction,
        spec: Option<&'static catalogue::ActionSpec>,
        ids: &BTreeMap<&str, usize>,
        all: &[RawAction],
    ) -> Vec<Branch> {
        let mut out: Vec<Branch> = Vec::with_capacity(a.branches.len());
        // Normalised name → index in `out` (a CASE may have thousands of branches).
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut unknown = 0usize;
        for rb in &a.branches {
            let name = normalize_branch(&rb.name.value);
            // A name the help does not list: CXone stores it, so recflow keeps it (and warns,
            // once per action: a CASE-like unknown type may have thousands).
            if let Some(spec) = spec
                && !spec.knows_branch(&name)
            {
                unknown += 1;
                if unknown == 1 {
                    let conservative = if spec.sim == catalogue::Sim::Evaluated {
                        "recflow keeps it but never takes it"
                    } else {
                        "recflow keeps it; lint explores it like any other branch"
                    };
                    self.warn(
                        LoadError::new(
                            LoadErrorKind::UnknownBranch,
                            format!(
                                "{} action `{}` has a branch `{}` that CXone's help does not list",
                                spec.name, a.id.value, rb.name.value
                            ),
                        )
                        .with_label(rb.name.span, format!("{} branches: {}", spec.name, spec.branch_list()))
                        .with_help(format!("{conservative} (docs/actions.md)")),
                    );
                }
            }
            if let Some(prev) = seen.get(&name).map(|&i| &out[i]) {
                let is_next = |b: &RawBranch| {
                    self.source.text.get(b.name.span.offset..).is_some_and(|t| t.starts_with("next"))
                };
                let message = if name == "default"
                    && (is_next(rb) || self.text_at(prev.name_span).starts_with("next"))
                {
                    format!("action `{}` has both `next` and `branches.default`", a.id.value)
                } else {
                    format!("action `{}` has branch `{name}` twice", a.id.value)
                };
                self.err(
                    LoadError::new(LoadErrorKind::InvalidBranch, message)
                        .with_label(rb.name.span, "given again here")
                        .with_label(prev.name_span, "first given here")
                        .with_help("keep one of them (`next: x` is shorthand for `branches: {default: x}`)"),
                );
                continue;
            }
            let (target, target_span) = match &rb.target {
                None => (None, rb.name.span),
                Some(t) => match ids.get(t.value.as_str()) {
                    Some(&ix) => (Some(ActionIx(ix as u32)), t.span),
                    None => {
                        let mut e = LoadError::new(
                            LoadErrorKind::DanglingBranch,
                            format!(
                                "branch `{name}` of action `{}` leads to `{}`, which is not an action id",
                                a.id.value, t.value
                            ),
                        )
                        .with_label(t.span, "no action has this id");
                        let candidates = all.iter().map(|x| x.id.value.as_str());
                        self.suggestions += 1;
                        let suggestion = if self.suggestions <= MAX_SUGGESTIONS {
                            did_you_mean(&t.value, candidates)
                        } else {
                            None
                        };
                        e = match suggestion {
                            Some(m) => e.with_help(format!(
                                "did you mean `{m}`? to leave the branch unwired, give it no target"
                            )),
                            None => e.with_help(
                                "point the branch at an existing action id, or give it no target to leave it unwired",
                            ),
                        };
                        self.err(e);
                        (None, t.span)
                    }
                },
            };
            seen.insert(name.clone(), out.len());
            out.push(Branch { name, name_span: rb.name.span, target, target_span });
        }
        out
    }

    fn text_at(&self, span: Span) -> &str {
        self.source.text.get(span.offset..).unwrap_or("")
    }

    fn kind(&mut self, a: &RawAction) -> Kind {
        let mut duplicates: BTreeMap<String, &RawProperty> = BTreeMap::new();
        for p in &a.properties {
            let key = p.name.value.to_ascii_lowercase();
            if let Some(first) = duplicates.get(&key) {
                self.err(
                    LoadError::new(
                        LoadErrorKind::InvalidProperty,
                        format!("property `{}` given twice on action `{}`", p.name.value, a.id.value),
                    )
                    .with_label(p.name.span, "given again here")
                    .with_label(first.name.span, "first given here")
                    .with_help("property names are case-insensitive; keep one of them"),
                );
            } else {
                duplicates.insert(key, p);
            }
        }
        let props = Props { a, b: self };
        props.kind()
    }
}

/// Typed access to an action's properties (names case-insensitive), recording invalid values.
struct Props<'a, 'b> {
    a: &'a RawAction,
    b: &'a mut Builder<'b>,
}

impl Props<'_, '_> {
    fn get(&self, name: &str) -> Option<&RawProperty> {
        self.a.properties.iter().find(|p| p.name.value.eq_ignore_ascii_case(name))
    }

    /// A text property; a list where text belongs is an error (`None` = absent).
    fn text(&mut self, name: &str) -> Option<String> {
        let p = self.get(name)?;
        match &p.value {
            PropValue::Text(t) => Some(t.clone()),
            PropValue::List(_) => {
                let (span, pname) = (p.span, p.name.value.clone());
                self.b.err(
                    LoadError::new(
                        LoadErrorKind::WrongType,
                        format!("property `{pname}` must be a string, found a list"),
                    )
                    .with_label(span, "expected a string")
                    .with_help(format!("write `{pname}` as a single value")),
                );
                None
            }
        }
    }

    fn text_or(&mut self, name: &str, default: &str) -> String {
        match self.text(name) {
            Some(t) if !t.trim().is_empty() => t,
            _ => default.to_owned(),
        }
    }

    /// A property that names a variable (MENU / ASSIGN / CASE `Variable`): `{v}` — the form
    /// CXone's help writes — and bare `v` name the same variable, so one pair of braces around
    /// the whole value is dropped (issue 10.10). `{a}{b}` (a name built at run time) stays as
    /// written.
    fn variable_or(&mut self, name: &str, default: &str) -> String {
        let text = self.text_or(name, default);
        let t = text.trim();
        match t.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
            Some(inner) if !inner.trim().is_empty() && !inner.contains(['{', '}']) => inner.trim().to_owned(),
            _ => {
                if t.contains(['{', '}']) {
                    self.variable_template(name, t);
                }
                text
            }
        }
    }

    /// A variable *name* built from a template (`x{v}`, `{a}{b}`): which variable it names is
    /// decided at run time, and recflow does not model that. Said at load instead of silently
    /// reading a variable literally named `x{v}`, never set (issue 21, F09).
    fn variable_template(&mut self, name: &str, value: &str) {
        self.templated_warning(
            name,
            |pname, id| format!("{pname} of action `{id}` is `{value}`: a variable name built from a template is not modelled"),
            "not one variable name",
            |_| format!(
                "recflow reads a variable literally named `{value}`, which nothing sets, so this action always sees it empty (a CASE takes `default`); name the variable directly, e.g. `{{v}}`"
            ),
        );
    }

    /// One `load::templated-value` warning at property `name` (message and help from the
    /// property's name as written and the action id).
    fn templated_warning(
        &mut self,
        name: &str,
        message: impl FnOnce(&str, &str) -> String,
        label: &str,
        help: impl FnOnce(&str) -> String,
    ) {
        let Some(p) = self.get(name) else { return };
        let (span, pname) = (p.span, p.name.value.clone());
        let e = LoadError::new(LoadErrorKind::TemplatedValue, message(&pname, &self.a.id.value))
            .with_label(span, label)
            .with_help(help(&pname));
        self.b.warn(e);
    }

    fn invalid(&mut self, name: &str, value: &str, expected: &str, candidates: &[&str]) {
        let Some(p) = self.get(name) else { return };
        let (span, pname) = (p.span, p.name.value.clone());
        let mut e = LoadError::new(
            LoadErrorKind::InvalidProperty,
            format!("invalid {pname} value `{value}`: expected {expected}"),
        )
        .with_label(span, format!("not {expected}"));
        e = match did_you_mean(value, candidates.iter().copied()) {
            Some(m) => e.with_help(format!("did you mean `{m}`?")),
            None => e.with_help(format!("set {pname} to {expected}")),
        };
        self.b.err(e);
    }

    /// A typed value holding a `{var}` template: CXone accepts it and substitutes at run time,
    /// and so does the simulator (docs/script-format.md "Variables in properties"); the typed
    /// value keeps the fallback a value still invalid at run time takes.
    fn templated(&mut self, name: &str, value: &str, default: &str) {
        // The fallback as the engine applies it (MUSIC `0` plays 10 s, A-1), and what simulate
        // does with the value at all (issue 25: the warning must say what the engine does).
        let ty = normalize_type(&self.a.type_name.value);
        let default = super::runtime::fallback_for(&ty, name).unwrap_or(default);
        let used = super::runtime::engine_use(&ty, name);
        self.templated_warning(
            name,
            |pname, id| format!("{pname} of action `{id}` is `{value}`, resolved at run time from the contact's variables"),
            "a {var} template",
            |pname| match used {
                Some(u) => format!("{u}; lint explores every value it can take"),
                None => format!(
                    "simulate resolves it per contact; a value still invalid at run time takes {pname}'s default ({default}) and counts as `templated_fallback`; lint explores every value it can take"
                ),
            },
        );
    }

    /// Whether property `name` holds a value as written: present, not blank, not a template.
    fn literal(&mut self, name: &str) -> bool {
        self.get(name).is_some_and(|p| match &p.value {
            PropValue::Text(t) => !t.trim().is_empty() && !is_templated(t.trim()),
            PropValue::List(_) => false,
        })
    }

    /// Non-negative finite seconds (an empty or templated value takes the default).
    fn seconds(&mut self, name: &str, default: f64) -> f64 {
        let Some(t) = self.text(name) else { return default };
        let t = t.trim();
        if is_templated(t) {
            self.templated(name, t, &format!("{default}"));
            return default;
        }
        if t.is_empty() {
            return default;
        }
        match t.parse::<f64>() {
            // At most 10 years: the simulated clock must not overflow (issue 10.2).
            Ok(v) if v.is_finite() && (0.0..=crate::source::MAX_SECONDS).contains(&v) => v,
            _ => {
                self.invalid(name, t, "a number of seconds from 0 to 315576000 (10 years)", &[]);
                default
            }
        }
    }

    fn count(&mut self, name: &str, default: u32) -> u32 {
        let Some(t) = self.text(name) else { return default };
        let t = t.trim();
        if is_templated(t) {
            self.templated(name, t, &format!("{default}"));
            return default;
        }
        if t.is_empty() {
            return default;
        }
        match t.parse::<u32>() {
            Ok(v) if v >= 1 => v,
            _ => {
                self.invalid(name, t, "a whole number of 1 or more", &[]);
                default
            }
        }
    }

    /// `True`/`False` (Studio) or a YAML boolean.
    fn boolean(&mut self, name: &str) -> Option<bool> {
        let t = self.text(name)?;
        let t = t.trim();
        if is_templated(t) {
            self.templated(name, t, "False");
            return None;
        }
        match t.to_ascii_lowercase().as_str() {
            "" => None,
            "true" | "yes" | "on" | "y" => Some(true),
            "false" | "no" | "off" | "n" => Some(false),
            _ => {
                self.invalid(name, t, "True or False", &["True", "False"]);
                None
            }
        }
    }

    fn kind(mut self) -> Kind {
        let ty = normalize_type(&self.a.type_name.value);
        match ty.as_str() {
            "BEGIN" => Kind::Begin,
            "END" => Kind::End,
            "HANGUP" => Kind::Hangup,
            "MENU" => Kind::Menu(Menu {
                phrase: self.text_or("Phrase", ""),
                variable: self.variable_or("Variable", "MRES"),
                max_digits: {
                    let n = self.count("MaxDigits", 1);
                    self.literal("MaxDigits").then_some(n)
                },
                timeout: self.seconds("Timeout", 5.0),
                inter_digit_timeout: self.seconds("InterDigitTimeout", 0.0),
                sensitive: self.boolean("Sensitive"),
            }),
            "PLAY" => Kind::Play { phrase: self.text_or("Phrase", "") },
            "MUSIC" => Kind::Music { seconds: self.seconds("SecondstoPlay", 0.0) },
            "WAIT" => Kind::Wait { seconds: self.seconds("Seconds", 5.0) },
            "ASSIGN" => {
                Kind::Assign { variable: self.variable_or("Variable", ""), value: self.text_or("Value", "") }
            }
            "SNIPPET" => self.snippet(),
            "CASE" => Kind::Case { variable: self.variable_or("Variable", "") },
            "REQAGENT" => Kind::ReqAgent {
                skill: self.text_or("Skill", "Default"),
                target_agent: self.text("TargetAgent").filter(|t| !t.trim().is_empty()),
            },
            "ONANSWER" => Kind::OnAnswer,
            "ONRELEASE" => Kind::OnRelease,
            "ONSIGNAL" => Kind::OnSignal,
            "INDICATE" => self.indicate(),
            "LOGRECORDINGPRO" => self.log_recording_pro(),
            "RECORDAGENTONLY" => Kind::RecordAgentOnly,
            "DONOTRECORD" => Kind::DoNotRecord,
            _ => Kind::Other,
        }
    }

    fn snippet(&mut self) -> Kind {
        let (data, map) = match self.get("Data") {
            Some(p) => match &p.value {
                PropValue::Text(t) => (t.clone(), p.map.clone()),
                PropValue::List(_) => {
                    self.text("Data"); // reports the wrong type
                    (String::new(), TextMap::default())
                }
            },
            None => (String::new(), TextMap::default()),
        };
        let ast = match snippet::parse(&data) {
            Ok(ast) => ast,
            Err(e) => {
                let span = match self.get("Data") {
                    Some(_) => snippet_span(&map, &data, &e),
                    None => self.a.type_name.span,
                };
                self.b.err(snippet_error(&self.a.id.value, span, &e));
                snippet::Ast::default()
            }
        };
        Kind::Snippet(Snippet { data, map, ast: Arc::new(ast) })
    }

    fn indicate(&mut self) -> Kind {
        let state = match self.text("State") {
            None => OnOff::On,
            Some(t) if is_templated(&t) => {
                self.templated("State", t.trim(), "On");
                OnOff::On
            }
            Some(t) => match t.trim().to_ascii_lowercase().as_str() {
                "" | "on" | "true" | "yes" | "y" => OnOff::On,
                "off" | "false" | "no" | "n" => OnOff::Off,
                _ => {
                    self.invalid("State", t.trim(), "On or Off", &["On", "Off"]);
                    OnOff::On
                }
            },
        };
        let parameters = match self.get("Parameters").map(|p| (p.value.clone(), p.span)) {
            None => Vec::new(),
            Some((PropValue::List(l), span)) => {
                if l.len() > MAX_INDICATE_PARAMETERS {
                    self.b.err(
                        LoadError::new(
                            LoadErrorKind::TooManyParameters,
                            format!(
                                "INDICATE action `{}` has {} parameters; Studio sends at most {MAX_INDICATE_PARAMETERS} (SP1..SP9)",
                                self.a.id.value,
                                l.len()
                            ),
                        )
                        .with_label(span, format!("{} parameters", l.len()))
                        .with_help("drop parameters or join several values into one"),
                    );
                }
                l
            }
            Some((PropValue::Text(t), _)) if t.is_empty() => Vec::new(),
            Some((PropValue::Text(t), _)) => vec![t],
        };
        Kind::Indicate(Indicate {
            name: self.text_or("Name", ""),
            state,
            action_type: self.text_or("ActionType", "Signal"),
            parameters,
            tooltip: self.text("Tooltip").filter(|t| !t.is_empty()),
        })
    }

    fn log_recording_pro(&mut self) -> Kind {
        let record = match self.text("Record") {
            Some(t) if t.trim().eq_ignore_ascii_case("start") => Record::Start,
            Some(t) if t.trim().eq_ignore_ascii_case("stop") => Record::Stop,
            Some(t) if is_templated(&t) => {
                self.templated("Record", t.trim(), "Start");
                Record::Start
            }
            Some(t) => {
                self.invalid("Record", t.trim(), "Start or Stop", &["Start", "Stop"]);
                Record::Start
            }
            None => {
                let span = self.a.type_name.span;
                self.b.err(
                    LoadError::new(
                        LoadErrorKind::InvalidProperty,
                        format!("LOGRECORDINGPRO action `{}` has no Record property", self.a.id.value),
                    )
                    .with_label(span, "Record: Start or Stop is required")
                    .with_help("add `properties: {Record: Start}` (or `Stop`)"),
                );
                Record::Start
            }
        };
        let record_type = match self.text("RecordType") {
            None => RecordType::Call,
            Some(t) if t.trim().is_empty() || t.trim().eq_ignore_ascii_case("call") => RecordType::Call,
            Some(t) => {
                self.invalid("RecordType", t.trim(), "Call", &["Call"]);
                RecordType::Call
            }
        };
        let use_statement_id = self.boolean("UseRecordingStatementId").unwrap_or(false);
        Kind::LogRecordingPro(LogRecordingPro { record, record_type, use_statement_id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Snippet syntax error inside a block scalar is reported at the same text in the file.
    #[test]
    fn snippet_error_maps_into_the_file() {
        let yaml = "script: t\nactions:\n  - id: s\n    type: SNIPPET\n    properties:\n      Data: |\n        ASSIGN x = 1\n        IF x > {\n          TRACE x\n        }\n";
        let source = Source::new("t.yaml", yaml);
        let raw = super::super::yaml::parse(&source).unwrap();
        let p = &raw.actions[0].properties[0];
        let PropValue::Text(data) = &p.value else { panic!() };
        let offset = data.find("{\n  TRACE").unwrap();
        let e = snippet::SyntaxError { offset, len: 1, message: "expected an expression".into(), help: None };
        let span = snippet_span(&p.map, data, &e);
        assert_eq!(&yaml[span.offset..span.end()], "{");
        let err = snippet_error("s", span, &e).with_source(&source);
        assert_eq!(err.kind, LoadErrorKind::SnippetSyntax);
        assert_eq!(err.line_col(), Some((8, 16)));
        let rendered = LoadErrors::one(err).render_plain(100);
        assert!(rendered.contains("t.yaml:8:16"), "{rendered}");
    }
}
