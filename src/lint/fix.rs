//! Fixes as data, and applying them without losing anything (issue 14, `recflow lint --fix`).
//!
//! Input: a [`Script`] and its findings. Output: for each finding a rule knows how to repair, a
//! [`Fix`] — a list of script-level [`Edit`]s (add an action, rewire a branch, set a property,
//! edit a Snippet, remove a suppression) with an [`Applicability`]; and, to apply one, the new
//! source text.
//!
//! - The rules build the fixes (`fn fix` next to each rule's `check`, dispatched by [`build`]):
//!   they know which action is missing and where.
//! - [`splices`] turns edits into text splices on the source through the spans the loader kept
//!   (`yaml_text.rs` / `json_text.rs`): untouched bytes — comments, key order, quoting, layout,
//!   Studio fields recflow does not model — stay byte-identical.
//! - [`fix_script`] applies fixes one at a time and **proves** each one before keeping it: the
//!   edited text must load, the finding must be gone, no finding may appear that was not there
//!   before, and the number of findings must drop. A fix that fails the proof is dropped (and the
//!   finding stays, unmarked), so `--fix` can never make a script worse, and a second run finds
//!   nothing left to do (idempotent).

mod json_text;
mod yaml_text;

use std::collections::{BTreeMap, BTreeSet};

use super::registry::RuleId;
use super::{Config, Ctx, Diagnostic, rules};
use crate::script::{self, ActionIx, Format, PropValue, Script};

/// How safe a fix is (ruff's fix safety).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Applicability {
    /// Cannot change what gets recorded for a path that was already compliant: applied by `--fix`.
    Safe,
    /// Changes recording behaviour beyond the finding: applied only with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// A repair for one finding: what it does (for humans) and the edits.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub applicability: Applicability,
    /// One line: `insert DONOTRECORD \`dnr-consent\` on branch \`default\` of \`consent\``.
    pub message: String,
    pub edits: Vec<Edit>,
}

/// One script-level edit. Actions are named by id; an id may be one an earlier [`Edit::AddAction`]
/// of the same fix introduces.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Add an action; in YAML it is written right after `near` (in file order), in Studio JSON it
    /// is placed on the canvas beside `near`.
    AddAction(NewAction),
    /// Point branch `branch` (normalised name: `default`, `2`, `Error`) of `action` at `to`,
    /// adding the branch when the action has none of that name.
    Rewire { action: String, branch: String, to: String },
    /// Replace the value of an existing property.
    SetProperty { action: String, name: String, value: String },
    /// Insert text into a SNIPPET's `Data` at a byte offset of the program text.
    SnippetInsert { action: String, at: usize, text: String },
    /// Remove the `index`-th `allow:` entry of an action.
    RemoveAllow { action: String, index: usize },
}

/// An action a fix adds.
#[derive(Clone, Debug, PartialEq)]
pub struct NewAction {
    pub id: String,
    /// Canonical Studio type (`DONOTRECORD`).
    pub type_name: String,
    pub label: String,
    pub properties: Vec<(String, PropValue)>,
    /// Its `default` branch (`None`: not wired, the thread ends there).
    pub next: Option<String>,
    /// The existing (or earlier added) action it is written after / drawn beside.
    pub near: String,
}

/// New action ids that collide with nothing: readable in YAML (`dnr-consent`, `dnr-consent-2`),
/// fresh numbers in Studio JSON when the script's ids are numbers (as Studio's are). One table
/// per lint run, shared by every fix of that run (issue 21, F03: one table per finding made
/// 1 500 findings cost O(n² log n)), so no two fixes of a run add the same id and `lint --fix`
/// can apply them together.
pub struct Ids {
    used: std::collections::HashSet<String>,
    numeric: bool,
    next_number: u64,
}

impl Ids {
    pub fn new(script: &Script) -> Ids {
        let used = script.actions.iter().map(|a| a.id.clone()).collect();
        let numbers: Vec<u64> = script.actions.iter().filter_map(|a| a.id.parse::<u64>().ok()).collect();
        let numeric = script.format == Format::StudioJson && numbers.len() * 2 > script.actions.len();
        let next_number = numbers.iter().max().map_or(1, |m| m.saturating_add(1));
        Ids { used, numeric, next_number }
    }

    /// A fresh id based on `base` (readable) or the next free number.
    pub fn fresh(&mut self, base: &str) -> String {
        let id = if self.numeric {
            while self.used.contains(&self.next_number.to_string()) {
                self.next_number += 1;
            }
            self.next_number.to_string()
        } else {
            let base: String = base
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
                .collect();
            let mut id = base.clone();
            let mut n = 2u64;
            while self.used.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            id
        };
        self.used.insert(id.clone());
        id
    }
}

/// The fix for a finding, if its rule has one that applies here. `ids`: the run's id table,
/// built on the first finding of a rule that inserts actions (it costs O(n) in the script's size).
pub(crate) fn build(cx: &Ctx, d: &Diagnostic, ids: &std::cell::RefCell<Option<Ids>>) -> Option<Fix> {
    match d.rule.id {
        RuleId::S002 => return rules::statement_id_saved_to_local::fix(cx, d),
        RuleId::M003 => return rules::case_missing_default::fix(cx, d),
        RuleId::C001 | RuleId::C002 | RuleId::S001 | RuleId::M001 | RuleId::P001 => {}
        _ => return None,
    }
    let mut slot = ids.borrow_mut();
    let ids = slot.get_or_insert_with(|| Ids::new(cx.script));
    match d.rule.id {
        RuleId::C001 => rules::consent_decline_reaches_agent::fix(cx, d, ids),
        RuleId::C002 => rules::dnr_after_answer::fix(cx, d, ids),
        RuleId::S001 => rules::statement_id_not_saved::fix(cx, d, ids),
        RuleId::M001 => rules::indicator_left_on::fix(cx, d, ids),
        _ => rules::sensitive_input_while_recording::fix(cx, d, ids),
    }
}

/// Which rules can attach a fix, and of which safety (for docs and `recflow rules`).
pub fn rule_fix(rule: RuleId) -> Option<Applicability> {
    match rule {
        RuleId::C001 | RuleId::S001 | RuleId::S002 | RuleId::M001 | RuleId::X001 => Some(Applicability::Safe),
        RuleId::C002 | RuleId::M003 | RuleId::P001 => Some(Applicability::Unsafe),
        _ => None,
    }
}

/// The `## Fix` section of a rule's documentation (`recflow rules CODE`, `docs/rules/CODE.md`):
/// whether `lint --fix` repairs the rule's findings, how, and how safe that is.
pub fn rule_fix_doc(rule: RuleId) -> String {
    let what = match rule {
        RuleId::C001 => {
            "Inserts a DONOTRECORD on the declined branch of the consent MENU, before the action the branch \
             led to (`dnr-<menu>`); only contacts that declined pass through it. Unsafe instead when the branch \
             can lead back to the same MENU (a retry loop): a caller who then accepts would stay unrecorded."
        }
        RuleId::C002 => {
            "When every answered call runs the late DONOTRECORD (it follows ONANSWER with no choice on the \
             way), inserts a DONOTRECORD before the REQAGENT instead (`dnr-before-<queue>`); the late one \
             becomes harmless. Unsafe: the start of each agent conversation, recorded until now, no longer is."
        }
        RuleId::S001 => {
            "Inserts, right after the statement Start, a SNIPPET `ASSIGN Global:_recordingStatementId = \
             RecordingStatementId` (`save-<start>-id`). It only assigns a variable: no recording changes."
        }
        RuleId::S002 => {
            "Makes the copy's target a `Global:` variable (`stmt` → `Global:stmt`, in the ASSIGN's \
             `Variable` or in the SNIPPET's assignment). Only a variable name changes."
        }
        RuleId::M001 => {
            "Adds an INDICATE with the button's `Name` and `State: Off` as the first action of ONRELEASE \
             (so it runs on every path of the handler), creating ONRELEASE when the script has none. A MAX \
             indicator changes no recording."
        }
        RuleId::M003 => {
            "Wires `default` to the action the other branches join (the nearest action every wired branch \
             reaches), when there is one. Unsafe: contacts that got stuck now continue, and what happens to \
             them next — recording included — is new behaviour."
        }
        RuleId::P001 => {
            "Inserts LOGRECORDINGPRO `Record: Stop` on every way into the sensitive MENU and `Record: Start` \
             on every way out of it. Unsafe: it changes what is recorded, and starts a recording after the \
             MENU on paths that were not recorded before it."
        }
        RuleId::X001 => "Removes the `allow:` entry. A suppression changes no outcome.",
        _ => return "None: this rule's repair needs a decision recflow cannot make for you.\n".to_string(),
    };
    let safety = match rule_fix(rule) {
        Some(Applicability::Safe) => "**Safe** (`recflow lint --fix`)",
        _ => "**Unsafe** (`recflow lint --fix --unsafe-fixes`)",
    };
    format!(
        "{safety}. {what} A fix is only kept when the fixed script loads, the finding is gone and no \
         new finding appears (docs/lint.md, \"Fixes\").\n"
    )
}

/// A text replacement: `len` bytes at `offset` of the source become `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splice {
    pub offset: usize,
    pub len: usize,
    pub text: String,
}

/// Why a fix cannot be written into this file (its layout is one the text editor does not
/// handle, e.g. a flow-style action list). The fix is then not offered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot apply the fix to this file: {0}")]
pub struct Unsupported(pub String);

/// The text splices that write `fix` into the script's source (sorted, non-overlapping).
pub fn splices(script: &Script, fix: &Fix) -> Result<Vec<Splice>, Unsupported> {
    let mut out = match script.format {
        Format::Yaml => yaml_text::splices(script, &fix.edits)?,
        Format::StudioJson => json_text::splices(script, &fix.edits)?,
    };
    // Stable: splices at one offset keep the order the edits produced them in.
    out.sort_by_key(|s| s.offset);
    for w in out.windows(2) {
        if w[0].offset + w[0].len > w[1].offset {
            return Err(Unsupported("two edits touch the same text".into()));
        }
    }
    Ok(out)
}

/// Apply splices (sorted, non-overlapping) to a text.
pub fn apply_splices(text: &str, splices: &[Splice]) -> String {
    let mut out = String::with_capacity(text.len() + splices.iter().map(|s| s.text.len()).sum::<usize>());
    let mut at = 0;
    for s in splices {
        out.push_str(&text[at..s.offset]);
        out.push_str(&s.text);
        at = s.offset + s.len;
    }
    out.push_str(&text[at..]);
    if uses_crlf(text) && splices.iter().any(|s| s.text.contains('\n')) {
        // The edits write `\n`; a CRLF file keeps CRLF on every line, the new ones included
        // (issue 21, F19). Lone `\r`s are left as they are.
        out = out.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    out
}

/// Does the text end its lines with CRLF (judged by its first line break)?
fn uses_crlf(text: &str) -> bool {
    text.find('\n').is_some_and(|i| i > 0 && text.as_bytes()[i - 1] == b'\r')
}

/// The source text with `fix` applied.
pub fn apply(script: &Script, fix: &Fix) -> Result<String, Unsupported> {
    let s = splices(script, fix)?;
    Ok(apply_splices(&script.source.text, &s))
}

/// A finding's identity across edits: rule, action id and the text under its primary span (the
/// branch name for C001, the `allow` entry for X001, ...). Offsets move when text is inserted;
/// these do not.
fn key(script: &Script, d: &Diagnostic) -> (String, String, String) {
    let text = script.source.text.get(d.primary.span.offset..d.primary.span.end()).unwrap_or("");
    (d.code.to_string(), script.action(d.action).id.clone(), text.to_string())
}

fn keys(script: &Script, found: &[Diagnostic]) -> BTreeMap<(String, String, String), usize> {
    let mut m = BTreeMap::new();
    for d in found {
        *m.entry(key(script, d)).or_insert(0) += 1;
    }
    m
}

/// Apply one finding's fix and prove it (module doc): the new script and its findings, or
/// `None` when the fix does not hold.
fn try_fix(
    script: &Script,
    found: &[Diagnostic],
    d: &Diagnostic,
    config: &Config,
) -> Option<(Script, Vec<Diagnostic>)> {
    let fix = d.fix.as_ref()?;
    let text = apply(script, fix).ok()?;
    prove(script, found, std::slice::from_ref(d), &text, config)
}

/// The proof of a set of fixes applied together (`text`): the edited text loads, the finding of
/// each fix is gone, no finding appears that was not there before, and the number of findings
/// drops. The new script and its findings, or `None`.
fn prove(
    script: &Script,
    found: &[Diagnostic],
    fixed_ones: &[Diagnostic],
    text: &str,
    config: &Config,
) -> Option<(Script, Vec<Diagnostic>)> {
    let fixed = script::load_str(&script.source.name, text).ok()?;
    let after = super::lint(&fixed, config);
    let mut before = keys(script, found);
    for d in fixed_ones {
        let gone = key(script, d);
        match before.get_mut(&gone) {
            Some(n) if *n > 1 => *n -= 1,
            Some(_) => {
                before.remove(&gone);
            }
            None => return None,
        }
    }
    let now = keys(&fixed, &after);
    let no_new = now.iter().all(|(k, n)| before.get(k).is_some_and(|b| n <= b));
    (no_new && after.len() < found.len()).then_some((fixed, after))
}

/// A batch of fixes that can be written into the text together: in finding order, every fix
/// `want` accepts whose edits can be written and touch no text another chosen fix touches (not
/// even at the same offset), at most `limit`. Returns each chosen finding's index with its
/// splices. Building it is O(k log k) in the number of splices.
fn batch(
    script: &Script,
    found: &[Diagnostic],
    want: impl Fn(&Diagnostic) -> bool,
    limit: usize,
) -> Vec<(usize, Vec<Splice>)> {
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new(); // start → end (inclusive of touching)
    let conflicts = |taken: &BTreeMap<usize, usize>, s: &Splice| {
        let (from, to) = (s.offset, s.offset + s.len);
        taken.range(..=from).next_back().is_some_and(|(_, &end)| end >= from)
            || taken.range(from..).next().is_some_and(|(&start, _)| start <= to)
    };
    let mut chosen = Vec::new();
    for (i, d) in found.iter().enumerate() {
        if chosen.len() >= limit {
            break;
        }
        let Some(fix) = d.fix.as_ref().filter(|_| want(d)) else { continue };
        let Ok(sp) = splices(script, fix) else { continue };
        if sp.iter().any(|s| conflicts(&taken, s)) {
            continue;
        }
        for s in &sp {
            let end = taken.entry(s.offset).or_insert(s.offset + s.len);
            *end = (*end).max(s.offset + s.len);
        }
        chosen.push((i, sp));
    }
    chosen
}

/// Prove a batch of `found` (from [`batch`]) as one edit.
fn prove_batch(
    script: &Script,
    found: &[Diagnostic],
    chosen: &[(usize, Vec<Splice>)],
    config: &Config,
) -> Option<(Script, Vec<Diagnostic>)> {
    let mut all: Vec<Splice> = chosen.iter().flat_map(|(_, sp)| sp.iter().cloned()).collect();
    // Stable: a fix's splices at one offset keep their order.
    all.sort_by_key(|s| s.offset);
    let text = apply_splices(&script.source.text, &all);
    let fixed_ones: Vec<Diagnostic> = chosen.iter().map(|(i, _)| found[*i].clone()).collect();
    prove(script, found, &fixed_ones, &text, config)
}

/// Most fixes a plain `lint` proves one by one per script (each proof re-loads and re-lints the
/// script), after the batch proof ([`keep_proven`]). Beyond it, a fix is offered when its edits
/// can be written; `--fix` proves every fix it applies whatever the count.
pub const MAX_PROOFS: usize = 64;

/// Single proofs also stop at this many actions re-linted in total (a proof re-lints the whole
/// script): 64 proofs of a 1 000-action script, 3 of a 20 000-action one, so `lint` stays
/// linear in the script's size (issue 21, F03: 64 proofs of 1 500 findings took 26 s).
pub const PROOF_BUDGET_ACTIONS: usize = 64_000;

/// Drop the fixes that do not pass the proof, so that only working fixes are offered (`[*]`,
/// JSON, SARIF). First in two batches, each one load and one lint whatever the number of fixes:
/// the safe fixes together (what `--fix` applies), then all of them (`--fix --unsafe-fixes`); a
/// fix whose batch holds is proven, a batch that does not hold is halved until its parts do (at
/// most [`MAX_PROOFS`] batch proofs each). The others (fixes that touch the same text as an
/// earlier one) are proven one by one up to [`MAX_PROOFS`] / [`PROOF_BUDGET_ACTIONS`]; past that
/// only the ones whose edits cannot be written are dropped.
pub fn keep_proven(script: &Script, config: &Config, found: &mut [Diagnostic]) {
    let snapshot: Vec<Diagnostic> = found.to_vec();
    let mut proven = vec![false; found.len()];
    let mut failed = vec![false; found.len()];
    for safe_only in [true, false] {
        let want = |d: &Diagnostic| {
            d.fix.as_ref().is_some_and(|f| !safe_only || f.applicability == Applicability::Safe)
        };
        let chosen = batch(script, &snapshot, want, usize::MAX);
        let relevant = |i: usize| {
            let safe = snapshot[i].fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe);
            safe == safe_only
        };
        if !chosen.iter().any(|(i, _)| relevant(*i) && !proven[*i]) {
            continue;
        }
        // A batch that does not hold is split in halves, each proven the same way: one fix
        // that fails costs O(log k) proofs, not one per fix. A single fix that fails is dropped.
        let mut parts = vec![chosen];
        let mut proofs = 0;
        while let Some(part) = parts.pop() {
            if proofs >= MAX_PROOFS {
                break;
            }
            proofs += 1;
            if prove_batch(script, &snapshot, &part, config).is_some() {
                for (i, _) in &part {
                    proven[*i] |= relevant(*i);
                }
            } else if part.len() == 1 {
                failed[part[0].0] |= relevant(part[0].0);
            } else {
                let mut first = part;
                let second = first.split_off(first.len() / 2);
                parts.push(second);
                parts.push(first);
            }
        }
    }
    let max_proofs = MAX_PROOFS.min(PROOF_BUDGET_ACTIONS / script.actions.len().max(1));
    let mut proofs = 0;
    for (i, d) in found.iter_mut().enumerate() {
        let Some(f) = &d.fix else { continue };
        if proven[i] {
            continue;
        }
        if failed[i] {
            d.fix = None;
            continue;
        }
        let ok = if proofs < max_proofs {
            proofs += 1;
            try_fix(script, &snapshot, d, config).is_some()
        } else {
            splices(script, f).is_ok()
        };
        if !ok {
            d.fix = None;
        }
    }
}

/// One fix that was applied.
#[derive(Clone, Debug)]
pub struct Applied {
    pub code: &'static str,
    pub action: String,
    pub message: String,
    pub applicability: Applicability,
}

/// The result of fixing one script.
#[derive(Clone, Debug)]
pub struct Fixed {
    /// The fixed script (the input when nothing was applied).
    pub script: Script,
    /// Its findings (fixes proven, as [`keep_proven`]).
    pub remaining: Vec<Diagnostic>,
    pub applied: Vec<Applied>,
}

impl Fixed {
    pub fn changed(&self) -> bool {
        !self.applied.is_empty()
    }
}

/// Upper bound on fixes applied to one script (each one removes a finding, so this is never
/// reached by a script with fewer findings; it bounds the work on hostile input).
const MAX_FIXES: usize = 500;

/// Fix a script: apply proven fixes (safe ones; unsafe ones too with `unsafe_fixes`) until no fix
/// applies. Each round writes every applicable fix whose edits touch no other's into the text at
/// once and proves them together — one load and one lint for the whole batch (issue 21, F03:
/// one re-lint per fix made 500 fixes quadratic). A batch that does not hold is halved (its
/// first half, quarter, ...) until a part proves, which is applied; a single fix that does not
/// prove is not tried again. So `--fix` re-lints O(log k) times per fix that fails, not once per
/// fix (`lint::analysis::passes` counts them in `tests/lint_fix.rs`).
pub fn fix_script(script: &Script, config: &Config, unsafe_fixes: bool) -> Fixed {
    let mut cur = script.clone();
    let mut found = super::lint(&cur, config);
    let mut applied = Vec::new();
    let mut rejected = BTreeSet::new();
    let record = |applied: &mut Vec<Applied>, cur: &Script, d: &Diagnostic| {
        if let Some(fix) = &d.fix {
            applied.push(Applied {
                code: d.code,
                action: cur.action(d.action).id.clone(),
                message: fix.message.clone(),
                applicability: fix.applicability,
            });
        }
    };
    while applied.len() < MAX_FIXES {
        let want = |d: &Diagnostic| {
            d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe || unsafe_fixes)
                && !rejected.contains(&key(&cur, d))
        };
        let mut chosen = batch(&cur, &found, want, MAX_FIXES - applied.len());
        // The batch, else its first half, its first quarter, ... : a fix that does not hold
        // (alone or with the others) costs O(log k) re-lints, not one per fix; alone, it is
        // not tried again.
        let next = loop {
            if chosen.is_empty() {
                break None;
            }
            if let Some(ok) = prove_batch(&cur, &found, &chosen, config) {
                break Some(ok);
            }
            if chosen.len() == 1 {
                rejected.insert(key(&cur, &found[chosen[0].0]));
                break None;
            }
            chosen.truncate(chosen.len() / 2);
        };
        match next {
            Some((next, after)) => {
                for (i, _) in &chosen {
                    record(&mut applied, &cur, &found[*i]);
                }
                (cur, found) = (next, after);
            }
            // Nothing writable is left to try.
            None if chosen.is_empty() => break,
            None => {}
        }
    }
    keep_proven(&cur, config, &mut found);
    Fixed { script: cur, remaining: found, applied }
}

// ---- helpers the rules' fix functions share ----

/// Actions reachable from `from` (itself included) along wired branches.
pub(crate) fn reachable_from(cx: &Ctx, from: ActionIx) -> Vec<bool> {
    let mut seen = vec![false; cx.script.actions.len()];
    let mut stack = vec![from];
    seen[from.index()] = true;
    while let Some(ix) = stack.pop() {
        for (_, t) in cx.flow.successors(ix) {
            if !seen[t.index()] {
                seen[t.index()] = true;
                stack.push(t);
            }
        }
    }
    seen
}

/// Every wired branch `(from, branch name)` that targets `to`, in file order.
pub(crate) fn incoming(script: &Script, to: ActionIx) -> Vec<(ActionIx, String)> {
    let mut out = Vec::new();
    for ix in script.indices() {
        for b in &script.action(ix).branches {
            if b.target == Some(to) {
                out.push((ix, b.name.clone()));
            }
        }
    }
    out
}

/// A one-word text property value.
pub(crate) fn text(v: &str) -> PropValue {
    PropValue::Text(v.to_string())
}

/// The action before `ix` in file order (where an action inserted "before" it is written).
pub(crate) fn before(ix: ActionIx) -> ActionIx {
    ActionIx(ix.0.saturating_sub(1))
}
