//! Facts the rules and the analysis need, gathered once per script before the analysis runs:
//! which MENUs are consent questions and which are sensitive (both decided at load, in
//! `script::facts`, the same facts simulate reads), which variables each SNIPPET / ASSIGN
//! copies into which, and the MAX buttons the script declares.
//!
//! Inference exists because Studio JSON has no `consent:` / `Sensitive` annotations: a finding
//! that relies on an inferred fact says so ("inferred consent question: its branch `2` leads to
//! DONOTRECORD").

use std::collections::BTreeMap;

use crate::script::{ActionIx, Kind, OnOff, Script};

/// The variable LOGRECORDINGPRO writes a statement id into (R13): one definition, at load.
pub use crate::script::facts::{STATEMENT_VAR, sensitive_phrase};

/// A MENU that asks for recording consent: decided at load (`script::facts`).
pub use crate::script::facts::ConsentQuestion as ConsentMenu;

/// A MENU that collects sensitive input (R14).
#[derive(Clone, Debug)]
pub struct Sensitive {
    /// `None` when `Sensitive: True` is written; else the phrase fragment it was inferred from.
    pub inferred: Option<String>,
}

/// One variable copy made by an ASSIGN or a SNIPPET assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarCopy {
    pub target: String,
    /// Variables the value may come from (lower case).
    pub sources: Vec<String>,
}

impl VarCopy {
    pub fn target_is_global(&self) -> bool {
        self.target.len() > 7 && self.target[..7].eq_ignore_ascii_case("global:")
    }
    pub fn copies(&self, var: &str) -> bool {
        self.sources.iter().any(|s| s.eq_ignore_ascii_case(var))
    }
}

/// A MAX button name declared by INDICATE actions (names compare case-insensitively).
#[derive(Clone, Debug)]
pub struct Button {
    pub name: String,
    /// Some INDICATE with this name has `ActionType: Signal`: pressing it fires ONSIGNAL.
    pub signal: bool,
    /// The `Parameters` every INDICATE On of this name sends, when they all agree.
    pub params: Option<Vec<String>>,
    /// INDICATE actions with State On for this name, in file order.
    pub on_actions: Vec<ActionIx>,
}

/// Most buttons tracked per script (the abstract state keeps them in a `u64`).
pub const MAX_BUTTONS: usize = 64;

#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub consent: Vec<Option<ConsentMenu>>,
    pub sensitive: Vec<Option<Sensitive>>,
    /// Per action: the copies it makes (ASSIGN, SNIPPET).
    pub copies: Vec<Vec<VarCopy>>,
    /// Per action: it leaves the statement id in some `Global:` variable (a SNIPPET whose data
    /// flow ends with a global holding `RecordingStatementId`, copies through locals included;
    /// an ASSIGN of `{RecordingStatementId}` to a global).
    pub saves_id: Vec<bool>,
    /// Non-global variables that some copy fills from `RecordingStatementId` (lower case).
    pub local_id_vars: Vec<String>,
    pub buttons: Vec<Button>,
    /// Per action: the button index of an INDICATE (when tracked).
    pub button_of: Vec<Option<u8>>,
}

impl Facts {
    pub fn new(script: &Script) -> Facts {
        let n = script.actions.len();
        let mut f = Facts {
            consent: vec![None; n],
            sensitive: vec![None; n],
            copies: vec![Vec::new(); n],
            button_of: vec![None; n],
            saves_id: vec![false; n],
            ..Facts::default()
        };
        let mut by_name: BTreeMap<String, usize> = BTreeMap::new();
        for ix in script.indices() {
            let a = script.action(ix);
            match &a.kind {
                Kind::Menu(_) => {
                    // Decided at load (script/facts.rs), the same facts simulate reads.
                    f.consent[ix.index()] = a.facts.consent.clone();
                    f.sensitive[ix.index()] = a.facts.sensitive.as_ref().map(|s| match s {
                        crate::script::facts::Sensitive::Annotated => Sensitive { inferred: None },
                        crate::script::facts::Sensitive::Inferred(w) => {
                            Sensitive { inferred: Some(format!("its phrase mentions `{w}`")) }
                        }
                    });
                }
                Kind::Assign { variable, value } => {
                    let copy = VarCopy { target: variable.clone(), sources: template_vars(value) };
                    f.saves_id[ix.index()] = copy.target_is_global() && copy.copies(STATEMENT_VAR);
                    f.copies[ix.index()].push(copy);
                }
                Kind::Snippet(s) => {
                    f.copies[ix.index()] = snippet_copies(s);
                    f.saves_id[ix.index()] = !s.ast.globals_holding(STATEMENT_VAR).is_empty();
                }
                Kind::Indicate(ind) => {
                    let key = ind.name.to_lowercase();
                    let next = by_name.len();
                    let b = *by_name.entry(key).or_insert(next);
                    if b == f.buttons.len() {
                        f.buttons.push(Button {
                            name: ind.name.clone(),
                            signal: false,
                            params: None,
                            on_actions: Vec::new(),
                        });
                    }
                    let button = &mut f.buttons[b];
                    if ind.action_type.eq_ignore_ascii_case("signal") {
                        button.signal = true;
                    }
                    if ind.state == OnOff::On {
                        button.params = match (button.on_actions.is_empty(), &button.params) {
                            (true, _) => Some(ind.parameters.clone()),
                            (false, Some(p)) if *p == ind.parameters => Some(p.clone()),
                            _ => None,
                        };
                        button.on_actions.push(ix);
                    }
                    if b < MAX_BUTTONS {
                        f.button_of[ix.index()] = Some(b as u8);
                    }
                }
                _ => {}
            }
        }
        let mut locals: Vec<String> = f
            .copies
            .iter()
            .flatten()
            .filter(|c| !c.target_is_global() && c.copies(STATEMENT_VAR))
            .map(|c| c.target.to_lowercase())
            .collect();
        locals.sort();
        locals.dedup();
        f.local_id_vars = locals;
        f
    }

    /// Does the script have a consent question (annotated or inferred)?
    pub fn has_consent(&self) -> bool {
        self.consent.iter().any(Option::is_some)
    }

    pub fn is_local_id_var(&self, var: &str) -> bool {
        self.local_id_vars.iter().any(|v| v.eq_ignore_ascii_case(var))
    }
}

/// Variables named by `{var}` substitutions in a template (lower case).
pub fn template_vars(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = after[..close].trim();
        if !name.is_empty() {
            out.push(name.to_lowercase());
        }
        rest = &after[close + 1..];
    }
    out
}

/// The copies a SNIPPET makes: one per assignment statement (from the Snippet data flow).
fn snippet_copies(s: &crate::script::Snippet) -> Vec<VarCopy> {
    s.ast
        .assignments()
        .into_iter()
        .map(|a| VarCopy { target: a.target, sources: a.sources.iter().map(|v| v.to_lowercase()).collect() })
        .collect()
}
