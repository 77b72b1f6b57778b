//! Structural diff of two scripts, by action id: actions added and removed, and for actions in
//! both, changed type, caption, properties, consent annotation and rewired branches.
//!
//! Input: two [`Script`]s. Output: a list of [`ActionChange`]s — changed and added actions in
//! the new script's file order, then removed actions in the old script's file order. Only what
//! the author wrote is compared (property values as written, branch targets by id), so a YAML
//! script and its Studio JSON export with the same content have no structural difference.

use serde::Serialize;

use crate::script::{Action, PropValue, Script, normalize_type};

/// What happened to one action id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionChange {
    /// Studio id of the action.
    pub action: String,
    pub change: ChangeKind,
    /// Type (canonical Studio name when modelled) — the new one unless removed.
    #[serde(rename = "type")]
    pub type_name: String,
    /// For `changed`: what differs, in a fixed order (type, label, consent, properties by
    /// name, branches by name).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Detail>,
}

/// One difference inside an action present in both scripts. `old` / `new` are `null` when the
/// property / branch / label is absent on that side; a branch that exists but is not wired has
/// the target `(not wired)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Detail {
    /// `type`, `label`, `consent`, `property`, `branch`.
    pub what: &'static str,
    /// Property or branch name (as written in the new script when present there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Detail {
    /// One line for humans: `branch "2": dnr → queue`, `property Phrase: "a" → "b"`.
    pub fn human(&self) -> String {
        let v = |x: &Option<String>| x.clone().unwrap_or_else(|| "(absent)".into());
        match (self.what, &self.name) {
            ("branch", Some(n)) => format!("branch \"{n}\": {} → {}", v(&self.old), v(&self.new)),
            ("property", Some(n)) => format!("property {n}: {} → {}", quoted(&self.old), quoted(&self.new)),
            (what, _) => format!("{what}: {} → {}", quoted(&self.old), quoted(&self.new)),
        }
    }
}

fn quoted(x: &Option<String>) -> String {
    match x {
        Some(s) => {
            let short: String = s.chars().take(60).collect();
            let ell = if short.len() < s.len() { "…" } else { "" };
            format!("{:?}", format!("{short}{ell}"))
        }
        None => "(absent)".into(),
    }
}

impl ActionChange {
    /// One line per detail for humans (first line carries the action).
    pub fn human_lines(&self) -> Vec<String> {
        let sign = match self.change {
            ChangeKind::Added => '+',
            ChangeKind::Removed => '-',
            ChangeKind::Changed => '~',
        };
        let head = format!("{sign} {:<14} {:<16}", self.action, self.type_name);
        match self.change {
            ChangeKind::Added => vec![format!("{head}added")],
            ChangeKind::Removed => vec![format!("{head}removed")],
            ChangeKind::Changed => {
                self.details
                    .iter()
                    .enumerate()
                    .map(|(i, d)| {
                        if i == 0 {
                            format!("{head}{}", d.human())
                        } else {
                            format!("{:33}{}", "", d.human())
                        }
                    })
                    .collect()
            }
        }
    }
}

fn type_of(a: &Action) -> String {
    a.kind.canonical_name().map_or_else(|| normalize_type(&a.type_name), str::to_string)
}

fn render(v: &PropValue) -> String {
    match v {
        PropValue::Text(s) => s.clone(),
        PropValue::List(l) => format!("[{}]", l.join(", ")),
    }
}

/// Branch end as text: target id, or `(not wired)`.
fn target(s: &Script, a: &Action, name: &str) -> Option<String> {
    a.branch(name).map(|b| match b.target {
        Some(t) => s.action(t).id.clone(),
        None => "(not wired)".into(),
    })
}

/// Compare two scripts action by action (matched by id).
pub fn diff_scripts(old: &Script, new: &Script) -> Vec<ActionChange> {
    let mut out = Vec::new();
    for b in &new.actions {
        let Some(ai) = old.find(&b.id) else {
            out.push(ActionChange {
                action: b.id.clone(),
                change: ChangeKind::Added,
                type_name: type_of(b),
                details: vec![],
            });
            continue;
        };
        let a = old.action(ai);
        let mut details = Vec::new();
        let (ta, tb) = (type_of(a), type_of(b));
        if ta != tb {
            details.push(Detail { what: "type", name: None, old: Some(ta), new: Some(tb.clone()) });
        }
        if a.label != b.label {
            details.push(Detail { what: "label", name: None, old: a.label.clone(), new: b.label.clone() });
        }
        let consent = |x: &Action| x.consent.as_ref().map(|c| format!("accept [{}]", c.accept.join(", ")));
        if consent(a) != consent(b) {
            details.push(Detail { what: "consent", name: None, old: consent(a), new: consent(b) });
        }
        // Properties: by case-insensitive name; new-file order, then names only in the old file.
        let find = |x: &Action, n: &str| {
            x.properties.iter().find(|p| p.name.eq_ignore_ascii_case(n)).map(|p| render(&p.value))
        };
        let mut names: Vec<&str> = b.properties.iter().map(|p| p.name.as_str()).collect();
        for p in &a.properties {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(&p.name)) {
                names.push(&p.name);
            }
        }
        for n in names {
            let (va, vb) = (find(a, n), find(b, n));
            if va != vb {
                details.push(Detail { what: "property", name: Some(n.to_string()), old: va, new: vb });
            }
        }
        // Branches: by name, new-file order, then names only in the old file.
        let mut bnames: Vec<&str> = b.branches.iter().map(|x| x.name.as_str()).collect();
        for x in &a.branches {
            if !bnames.contains(&x.name.as_str()) {
                bnames.push(&x.name);
            }
        }
        for n in bnames {
            let (va, vb) = (target(old, a, n), target(new, b, n));
            if va != vb {
                details.push(Detail { what: "branch", name: Some(n.to_string()), old: va, new: vb });
            }
        }
        if !details.is_empty() {
            out.push(ActionChange {
                action: b.id.clone(),
                change: ChangeKind::Changed,
                type_name: tb,
                details,
            });
        }
    }
    for a in &old.actions {
        if new.find(&a.id).is_none() {
            out.push(ActionChange {
                action: a.id.clone(),
                change: ChangeKind::Removed,
                type_name: type_of(a),
                details: vec![],
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Script {
        crate::script::load_str("t.yaml", text).expect("loads")
    }

    #[test]
    fn reports_added_removed_changed_and_rewired() {
        let old = load(
            "script: t\nactions:\n  - {id: b, type: BEGIN, next: m}\n  - id: m\n    type: MENU\n    properties: {Phrase: Press 1}\n    branches: {\"1\": q, \"2\": d, default: d}\n  - {id: d, type: DONOTRECORD, next: q}\n  - {id: q, type: REQAGENT, properties: {Skill: Sales}}\n",
        );
        let new = load(
            "script: t\nactions:\n  - {id: b, type: BEGIN, next: p}\n  - {id: p, type: PLAY, next: m}\n  - id: m\n    type: MENU\n    properties: {Phrase: Press one}\n    branches: {\"1\": q, \"2\": q, default: q}\n  - {id: q, type: REQAGENT, properties: {Skill: Sales}}\n",
        );
        let d = diff_scripts(&old, &new);
        let lines: Vec<String> = d.iter().flat_map(|c| c.human_lines()).collect();
        assert_eq!(
            lines,
            vec![
                "~ b              BEGIN           branch \"default\": m → p",
                "+ p              PLAY            added",
                "~ m              MENU            property Phrase: \"Press 1\" → \"Press one\"",
                "                                 branch \"2\": d → q",
                "                                 branch \"default\": d → q",
                "- d              DONOTRECORD     removed",
            ]
        );
        assert!(diff_scripts(&old, &old).is_empty());
    }
}
