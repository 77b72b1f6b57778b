//! Linking: a [`Library`] → one [`Linked`] script that lint, simulate and explain run as they run
//! any script, compiled once (no per-contact file or name lookups).
//!
//! Every RUNSUB call site gets its own copy of the subscript (call strings up to [`MAX_DEPTH`]):
//! the RUNSUB's `default` branch is rewired to the copy's BEGIN and each RETURN of the copy to the
//! RUNSUB's own `default` target. Copying is what makes the analysis context-sensitive — a
//! subscript called from two places is two sets of states, never a merge point — and what makes
//! the simulator's call stack static: a copy knows where it returns. Each RUNSUB copy also gets a
//! fresh variable *scope* (its locals; `Global:` variables are shared), recorded per action in
//! [`Linked::scope`].
//!
//! RUNSCRIPT continues in the target script with the caller's variables, so its copy keeps the
//! caller's scope; it is copied once per (target, scope) and reused, so RUNSCRIPT cycles link in
//! finite size. Each RUNSCRIPT target has its own [`Handlers`] set, made active by the RUNSCRIPT
//! ([`LinkOp::RunScript`]). SPAWN is never followed ([`LinkOp::Spawn`]).
//!
//! Spans: the linked script's source text is every file's text once, one after another; an
//! action's spans point into its own file's stretch. [`FileMap::locate`] turns a linked offset
//! back into (file, offset) for diagnostics, so every location names its own file:line.

use std::sync::Arc;

use super::{CallKind, Library, MAX_DEPTH, ScriptId, is_return, list_prop, text_prop};
use crate::script::{
    Action, ActionIx, Branch, Event, Kind, LoadError, LoadErrorKind, LoadErrors, Script, Source, Span,
};

/// Most actions a linked script may have (copies included): a guard against a call tree that
/// explodes (a script calling itself twice per level up to [`MAX_DEPTH`]).
pub const MAX_LINKED_ACTIONS: usize = 200_000;

/// The event actions active at a time (ONANSWER / ONRELEASE / ONSIGNAL), in linked indices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Handlers {
    pub answer: Option<ActionIx>,
    pub release: Option<ActionIx>,
    pub signal: Option<ActionIx>,
}

impl Handlers {
    pub fn get(&self, e: Event) -> Option<ActionIx> {
        match e {
            Event::Answer => self.answer,
            Event::Release => self.release,
            Event::Signal => self.signal,
        }
    }
}

/// What a calling action does, resolved at link time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkOp {
    /// RUNSUB: enter a fresh scope; `params` are `(callee variable, caller template)`, set in
    /// order before the callee's BEGIN runs (its `default` branch already points there).
    Call { scope: u32, params: Vec<(String, String)> },
    /// RETURN of a RUNSUB copy: `var` (caller's scope) := `value` (a template in the callee's
    /// scope), then continue after the RUNSUB (the `default` branch already points there).
    Return { value: String, var: String, caller_scope: u32 },
    /// RUNSCRIPT: the target's event actions become the active handlers (set index).
    RunScript { handlers: u32 },
    /// SPAWN: an independent instance, not this contact; not followed (explain says so).
    Spawn { target: String },
    /// A RUNSUB beyond [`MAX_DEPTH`]: the thread ends here.
    TooDeep,
}

/// One copy of one library script in the linked script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    pub script: ScriptId,
    /// First linked action index of the copy; the copy's actions are contiguous.
    pub first: u32,
    pub len: u32,
    /// Variable scope: 0 = the contact's main scope; each RUNSUB copy has its own.
    pub scope: u32,
    /// RUNSUB nesting depth (0 = entry script or a RUNSCRIPT target reached from it).
    pub depth: u32,
}

/// Linked offsets → files.
#[derive(Clone, Debug, Default)]
pub struct FileMap {
    /// `(base offset in the linked text, the file's own source)`, sorted by base.
    pub files: Vec<(usize, Source)>,
}

impl FileMap {
    /// The file a linked offset falls in, and the offset inside that file.
    pub fn locate(&self, offset: usize) -> (&Source, usize) {
        let i = self.files.partition_point(|(b, _)| *b <= offset).saturating_sub(1);
        let (base, src) = &self.files[i];
        (src, offset - base)
    }

    /// `file:line:column` of a linked offset.
    pub fn position(&self, offset: usize) -> (String, usize, usize) {
        let (src, off) = self.locate(offset);
        let (l, c) = src.line_col(off);
        (src.name.to_string(), l, c)
    }

    /// A linked span in its own file's coordinates.
    pub fn local(&self, span: Span) -> (&Source, Span) {
        let (src, off) = self.locate(span.offset);
        (src, Span::new(off, span.len))
    }
}

/// The library as one script.
#[derive(Clone, Debug)]
pub struct Linked {
    /// The linked script: the entry script's actions first (same indices and ids as when loaded
    /// alone), then every copy; ids outside the entry script are `script:id`.
    pub script: Script,
    pub files: Arc<FileMap>,
    pub parts: Vec<Part>,
    /// Per linked action: what it does as a call (RUNSUB / RETURN / RUNSCRIPT / SPAWN), if resolved.
    pub ops: Vec<Option<LinkOp>>,
    /// Handler sets; 0 = the entry script's.
    pub handlers: Vec<Handlers>,
    /// Highest scope number used (scopes are `0..=max_scope`).
    pub max_scope: u32,
}

impl Linked {
    /// The part (copy) an action belongs to.
    pub fn part_of(&self, ix: ActionIx) -> &Part {
        let i = self.parts.partition_point(|p| p.first <= ix.0).saturating_sub(1);
        &self.parts[i]
    }

    /// Variable scope of an action.
    pub fn scope(&self, ix: ActionIx) -> u32 {
        self.part_of(ix).scope
    }

    /// Is the action outside the entry script's own copy?
    pub fn is_foreign(&self, ix: ActionIx) -> bool {
        ix.0 >= self.parts[0].len
    }

    /// The script (library id) an action came from.
    pub fn script_of(&self, ix: ActionIx) -> ScriptId {
        self.part_of(ix).script
    }

    /// Original action index in its own script.
    pub fn original(&self, ix: ActionIx) -> ActionIx {
        ActionIx(ix.0 - self.part_of(ix).first)
    }

    /// True when linking changed nothing: the entry script calls nothing that resolved.
    pub fn is_trivial(&self) -> bool {
        self.parts.len() == 1 && self.ops.iter().all(|o| matches!(o, None | Some(LinkOp::Spawn { .. })))
    }
}

struct Linker<'a> {
    lib: &'a Library,
    bases: Vec<usize>,
    actions: Vec<Action>,
    parts: Vec<Part>,
    ops: Vec<Option<LinkOp>>,
    handlers: Vec<Handlers>,
    /// RUNSCRIPT copies: (target, scope) → (first linked index, handler set).
    runscript: Vec<((ScriptId, u32), (u32, u32))>,
    next_scope: u32,
}

/// Link a library into one script.
pub fn link(lib: &Library) -> Result<Linked, LoadErrors> {
    let mut text = String::new();
    let mut files = Vec::new();
    let mut bases = Vec::new();
    for e in &lib.scripts {
        let base = text.len();
        bases.push(base);
        files.push((base, e.script.source.clone()));
        text.push_str(&e.script.source.text);
        // A separator so that a span at the very end of one file never reads as the next file.
        text.push('\n');
    }
    let mut l = Linker {
        lib,
        bases,
        actions: Vec::new(),
        parts: Vec::new(),
        ops: Vec::new(),
        handlers: vec![Handlers::default()],
        runscript: Vec::new(),
        next_scope: 1,
    };
    l.runscript.push(((ScriptId::ENTRY, 0), (0, 0)));
    l.copy(ScriptId::ENTRY, 0, 0, 0)?;
    l.handlers[0] = events(&l.actions, 0, lib.entry().actions.len() as u32);
    // The linked flow runs through RUNSUB / RETURN: a consent MENU whose decline branch calls a
    // subscript that does DONOTRECORD is a consent question here (facts decided at load, once
    // per linked script, like once per file).
    crate::script::facts::annotate(&mut l.actions);
    let entry = lib.entry();
    let max_scope = l.next_scope - 1;
    let script = Script {
        name: entry.name.clone(),
        description: entry.description.clone(),
        source: Source::new(entry.source.name.clone(), text),
        format: entry.format,
        actions: l.actions,
        studio_header: entry.studio_header.clone(),
        studio_root: entry.studio_root.clone(),
        studio_patch: None,
        kind: entry.kind.clone(),
        id_index: Default::default(),
        warnings: Vec::new(),
    };
    Ok(Linked {
        script,
        files: Arc::new(FileMap { files }),
        parts: l.parts,
        ops: l.ops,
        handlers: l.handlers,
        max_scope,
    })
}

/// The event actions among linked actions `first..first + len`.
fn events(actions: &[Action], first: u32, len: u32) -> Handlers {
    let find =
        |e: Event| (first..first + len).find(|&i| actions[i as usize].kind.event() == Some(e)).map(ActionIx);
    Handlers { answer: find(Event::Answer), release: find(Event::Release), signal: find(Event::Signal) }
}

impl Linker<'_> {
    /// Append a copy of script `id`; returns its first linked index.
    fn copy(&mut self, id: ScriptId, depth: u32, scope: u32, handler_set: u32) -> Result<u32, LoadErrors> {
        let entry = self.lib.get(id);
        let src = &entry.script;
        let first = self.actions.len() as u32;
        if self.actions.len() + src.actions.len() > MAX_LINKED_ACTIONS {
            return Err(LoadErrors::one(LoadError::new(
                LoadErrorKind::UnknownScript,
                format!(
                    "the scripts reached from `{}` link into more than {MAX_LINKED_ACTIONS} actions \
                     (RUNSUB copies per call site, up to depth {MAX_DEPTH})",
                    self.lib.entry().source.name
                ),
            )));
        }
        let base = self.bases[id.index()];
        let prefix = (first != 0).then(|| format!("{}:", src.name));
        for a in &src.actions {
            self.actions.push(shifted(a, base, first, prefix.as_deref()));
            self.ops.push(None);
        }
        self.parts.push(Part { script: id, first, len: src.actions.len() as u32, scope, depth });
        let _ = handler_set;
        for call in &entry.calls {
            let ix = (first + call.action.0) as usize;
            let Some(target) = call.target else {
                if call.kind == CallKind::Spawn {
                    self.ops[ix] = Some(LinkOp::Spawn { target: call.name.clone() });
                }
                continue;
            };
            match call.kind {
                CallKind::Spawn => self.ops[ix] = Some(LinkOp::Spawn { target: call.name.clone() }),
                CallKind::RunSub => {
                    let cont = default_target(&self.actions[ix]);
                    if depth + 1 > MAX_DEPTH {
                        set_default(&mut self.actions[ix], None);
                        self.ops[ix] = Some(LinkOp::TooDeep);
                        continue;
                    }
                    let callee_scope = self.next_scope;
                    self.next_scope += 1;
                    let callee = &self.lib.get(target).script;
                    let begin = callee.begin().0;
                    let names = param_names(callee.action(callee.begin()), call.params.len());
                    let params = names.into_iter().zip(call.params.iter().cloned()).collect();
                    let len = callee.actions.len() as u32;
                    let returns: Vec<u32> =
                        callee.indices().filter(|&r| is_return(callee.action(r))).map(|r| r.0).collect();
                    let values: Vec<String> =
                        returns.iter().map(|&r| return_value(callee.action(ActionIx(r)))).collect();
                    let cf = self.copy(target, depth + 1, callee_scope, handler_set)?;
                    debug_assert!(len > 0);
                    set_default(&mut self.actions[ix], Some(ActionIx(cf + begin)));
                    self.ops[ix] = Some(LinkOp::Call { scope: callee_scope, params });
                    for (r, value) in returns.into_iter().zip(values) {
                        let rix = (cf + r) as usize;
                        set_default(&mut self.actions[rix], cont);
                        self.ops[rix] =
                            Some(LinkOp::Return { value, var: call.return_var.clone(), caller_scope: scope });
                    }
                }
                CallKind::RunScript => {
                    let key = (target, scope);
                    let (tf, hs) = match self.runscript.iter().find(|(k, _)| *k == key) {
                        Some(&(_, v)) => v,
                        None => {
                            let hs = self.handlers.len() as u32;
                            self.handlers.push(Handlers::default());
                            let tf = self.actions.len() as u32;
                            // Registered before copying, so a RUNSCRIPT cycle reuses this copy.
                            self.runscript.push((key, (tf, hs)));
                            let len = self.lib.get(target).script.actions.len() as u32;
                            let got = self.copy(target, depth, scope, hs)?;
                            debug_assert_eq!(got, tf);
                            self.handlers[hs as usize] = events(&self.actions, tf, len);
                            (tf, hs)
                        }
                    };
                    let begin = self.lib.get(target).script.begin().0;
                    set_default(&mut self.actions[ix], Some(ActionIx(tf + begin)));
                    self.ops[ix] = Some(LinkOp::RunScript { handlers: hs });
                }
            }
        }
        Ok(first)
    }
}

/// RETURN's `ReturnValue`: a template when it has `{`, else a variable name (CXone's help: "the
/// variable that holds the value").
fn return_value(a: &Action) -> String {
    let v = text_prop(a, "ReturnValue").unwrap_or_default();
    if v.is_empty() || v.contains('{') { v } else { format!("{{{v}}}") }
}

/// Names of the callee's parameter variables: `p1`..`pN`, renamed by its BEGIN's `Parameters`.
fn param_names(begin: &Action, n: usize) -> Vec<String> {
    let renamed = list_prop(begin, "Parameters");
    (0..n)
        .map(|i| renamed.get(i).filter(|s| !s.is_empty()).cloned().unwrap_or_else(|| format!("p{}", i + 1)))
        .collect()
}

fn default_target(a: &Action) -> Option<ActionIx> {
    a.branch("default").and_then(|b| b.target)
}

fn set_default(a: &mut Action, target: Option<ActionIx>) {
    match a.branches.iter_mut().find(|b| b.name == "default") {
        Some(b) => b.target = target,
        None => a.branches.push(Branch {
            name: "default".to_string(),
            name_span: a.type_span,
            target,
            target_span: a.type_span,
        }),
    }
}

/// A copy of `a` with spans moved by `base`, branch targets by `first`, the id prefixed.
fn shifted(a: &Action, base: usize, first: u32, prefix: Option<&str>) -> Action {
    let s =
        |sp: Span| if sp == Span::default() && base == 0 { sp } else { Span::new(sp.offset + base, sp.len) };
    let mut b = a.clone();
    if let Some(p) = prefix {
        b.id = format!("{p}{}", a.id);
    }
    b.id_span = s(a.id_span);
    b.span = s(a.span);
    b.type_span = s(a.type_span);
    for p in &mut b.properties {
        p.name_span = s(p.name_span);
        p.span = s(p.span);
    }
    for br in &mut b.branches {
        br.name_span = s(br.name_span);
        br.target_span = s(br.target_span);
        br.target = br.target.map(|t| ActionIx(t.0 + first));
    }
    if let Some(c) = &mut b.consent {
        c.span = s(c.span);
    }
    for al in &mut b.allow {
        al.span = s(al.span);
    }
    if let Kind::Snippet(sn) = &mut b.kind {
        for piece in &mut sn.map.pieces {
            piece.1 += base;
        }
    }
    b
}
