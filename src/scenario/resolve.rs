//! A case against its compiled script: `given` → a [`Plan`] (the engine's scripted source),
//! `expect` → [`Checks`]. Ids, variable, button, finding and branch names become indices here,
//! once, before any contact runs; a name the script does not have is a located error with
//! "did you mean" (exit 2) — a test that fixes an input the script never asks for, or expects
//! an action that does not exist, would otherwise pass or fail for the wrong reason.

use crate::script::ActionIx;
use crate::sim::Compiled;
use crate::sim::compile::Op;
use crate::sim::findings::Finding;
use crate::sim::ids::{ButtonId, NumberId};
use crate::sim::rng::{AgentEvent, Happen, Plan, Visits};
use crate::sim::vars::VarId;
use crate::source::{LoadError, Span, did_you_mean};

use super::file::{At, Case, EventSpec, InputSpec, TestFile, TransferTo, error};

/// What a case expects, resolved.
#[derive(Clone, Debug, Default)]
pub struct Checks {
    pub recorded: Option<String>,
    pub findings: Option<Vec<Finding>>,
    /// Expected ids with every action index that carries the id.
    pub visits: Option<Vec<(String, Vec<ActionIx>)>>,
    pub not_visits: Option<Vec<(String, Vec<ActionIx>)>>,
    pub variables: Vec<(String, VarId, String)>,
    pub saved: Option<u64>,
    pub lost: Option<u64>,
    pub dnr: Option<bool>,
    pub abandoned: Option<bool>,
    pub hung_up_in_ivr: Option<bool>,
}

/// Resolves the cases of one test file against one program (which it may extend: an ANI the
/// tenant and traffic never name becomes a new number, a CAPTURE variable nothing reads a new
/// symbol — both before any engine is built).
pub struct Resolver<'a> {
    pub file: &'a TestFile,
    pub script: &'a crate::script::Script,
    pub errors: Vec<LoadError>,
}

fn ms(secs: f64) -> u64 {
    crate::sim::compile::secs_to_ms(secs)
}

impl Resolver<'_> {
    fn err(&mut self, span: Span, message: String, label: &str, help: String) {
        let e = error(self.file, span, message, label, help);
        self.errors.push(e);
    }

    /// Every action index whose id is `id` (a linked subscript's copies share one id).
    fn actions(p: &Compiled, id: &str) -> Vec<ActionIx> {
        p.ids.iter().enumerate().filter(|(_, i)| *i == id).map(|(k, _)| ActionIx(k as u32)).collect()
    }

    fn unknown(&mut self, what: &str, name: &At<String>, candidates: Vec<&str>, help: &str) {
        let mut h = help.to_string();
        if let Some(best) = did_you_mean(&name.v, candidates.iter().copied()) {
            h = format!("did you mean `{best}`? {h}");
        }
        self.err(name.span, format!("{what} `{}`", name.v), "unknown", h);
    }

    fn action_ids(
        &mut self,
        p: &Compiled,
        list: &Option<Vec<At<String>>>,
    ) -> Option<Vec<(String, Vec<ActionIx>)>> {
        let list = list.as_ref()?;
        let mut out = Vec::new();
        for id in list {
            let ixs = Self::actions(p, &id.v);
            if ixs.is_empty() {
                let mut ids: Vec<&str> = p.ids.iter().map(String::as_str).collect();
                ids.dedup();
                self.unknown("the script has no action", id, ids, "name actions by their `id`");
            }
            out.push((id.v.clone(), ixs));
        }
        Some(out)
    }

    fn variable(&mut self, p: &Compiled, name: &At<String>) -> Option<VarId> {
        match p.symbols.get(&name.v) {
            Some(v) => Some(v),
            None => {
                let names: Vec<&str> = p.symbols.ids().map(|v| p.symbols.name(v)).collect();
                self.unknown(
                    "the script never uses variable",
                    name,
                    names,
                    "a variable the script neither reads nor writes cannot change or show what it does",
                );
                None
            }
        }
    }

    fn number(p: &mut Compiled, n: &str) -> NumberId {
        match p.numbers.iter().position(|x| x == n) {
            Some(i) => NumberId::new(i),
            None => {
                p.numbers.push(n.to_string());
                NumberId::new(p.numbers.len() - 1)
            }
        }
    }

    /// The MENU / CAPTURE / traffic-branched ids of the script, for "did you mean".
    fn ids_where(p: &Compiled, f: impl Fn(&Op) -> bool) -> Vec<&str> {
        let mut v: Vec<&str> =
            p.ops.iter().enumerate().filter(|(_, op)| f(op)).map(|(i, _)| p.id(ActionIx(i as u32))).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The choice index of branch `name` of a traffic-branched op (case-insensitive).
    fn choice(&mut self, b: &crate::sim::compile::BranchedOp, id: &str, name: &At<String>) -> Option<u32> {
        match b.choices.iter().position(|(n, _)| n.eq_ignore_ascii_case(&name.v)) {
            Some(k) => Some(k as u32),
            None => {
                let names: Vec<&str> = b.choices.iter().map(|(n, _)| n.as_str()).collect();
                let help = format!("`{id}` ({}) can take: {}", b.kind, names.join(", "));
                self.unknown(&format!("`{id}` has no branch"), name, names.clone(), &help);
                None
            }
        }
    }

    /// The CAPTURE's `Variable` (interned: a CAPTURE nothing reads still shows in
    /// `expect.variables`).
    fn capture_var(&self, p: &mut Compiled, id: &str) -> Option<VarId> {
        let action = self.script.actions.iter().find(|a| a.id == id)?;
        let name = action
            .properties
            .iter()
            .find(|pr| pr.name.eq_ignore_ascii_case("Variable"))
            .and_then(|pr| pr.value.as_text())?
            .trim()
            .to_string();
        (!name.is_empty()).then(|| p.symbols.intern(&name))
    }

    /// `given` → the engine's plan.
    pub fn plan(&mut self, p: &mut Compiled, case: &Case) -> Plan {
        let g = &case.given;
        let mut plan = Plan { direction: g.direction, ..Plan::default() };
        plan.ani = g.ani.as_ref().map(|a| Self::number(p, &a.v));
        plan.dnis = g.dnis.as_ref().map(|a| Self::number(p, &a.v));
        for (name, value) in &g.variables {
            if let Some(v) = self.variable(p, name) {
                plan.variables.push((v, value.clone()));
            }
        }
        for (id, spec) in &g.inputs {
            let ixs = Self::actions(p, &id.v);
            let Some(&first) = ixs.first() else {
                let ids = Self::ids_where(p, |op| matches!(op, Op::Menu(_)) || is_capture(op));
                self.unknown(
                    "the script has no MENU or CAPTURE",
                    id,
                    ids,
                    "`inputs` keys are MENU and CAPTURE ids: an input the script never asks for cannot be given",
                );
                continue;
            };
            let inputs: Vec<&At<Option<String>>> = match spec {
                InputSpec::Every(i) => vec![i],
                InputSpec::Visits(v) => v.iter().collect(),
            };
            let every = matches!(spec, InputSpec::Every(_));
            match &p.ops[first.index()] {
                Op::Menu(_) => plan.menus.push(Visits {
                    actions: ixs,
                    values: inputs.iter().map(|i| i.v.as_deref().map(Box::from)).collect(),
                    every,
                }),
                Op::Branched(b) if b.kind == "CAPTURE" => {
                    let b = b.clone();
                    let var = self.capture_var(p, &id.v);
                    // Digits end the CAPTURE on `MaxDigits` (else `Terminator`), no input on
                    // `Timeout`; when traffic leaves those out, its first branch.
                    let pick = |names: &[&str]| {
                        names
                            .iter()
                            .find_map(|n| b.choices.iter().position(|(c, _)| c.eq_ignore_ascii_case(n)))
                            .unwrap_or(0) as u32
                    };
                    let values = inputs
                        .iter()
                        .map(|i| match &i.v {
                            Some(d) => {
                                (pick(&["MaxDigits", "Terminator"]), var.map(|v| (v, Box::from(d.as_str()))))
                            }
                            None => (pick(&["Timeout", "Default"]), var.map(|v| (v, Box::from("")))),
                        })
                        .collect();
                    plan.branches.push(Visits { actions: ixs, values, every });
                }
                _ => {
                    let kind = p.kinds[first.index()];
                    let ids = Self::ids_where(p, |op| matches!(op, Op::Menu(_)) || is_capture(op));
                    let mut help =
                        "`inputs` keys are MENU and CAPTURE ids: an input the script never asks for \
                                    cannot be given"
                            .to_string();
                    if !ids.is_empty() {
                        help = format!("{help}; this script asks at: {}", ids.join(", "));
                    }
                    self.err(
                        id.span,
                        format!("`{}` is a {kind}: it asks the caller for no input", id.v),
                        "not a MENU or CAPTURE",
                        help,
                    );
                }
            }
        }
        for (name, results) in &g.external {
            let ixs = Self::actions(p, &name.v);
            // An IF whose value is unknown falls back to a traffic-branched choice: the same.
            let branched = |op: &Op| match op {
                Op::Branched(b) => Some((**b).clone()),
                Op::If(i) => Some(i.fallback.clone()),
                _ => None,
            };
            match ixs.first().map(|ix| &p.ops[ix.index()]) {
                Some(op) if branched(op).is_some() => {
                    let b = branched(op).unwrap_or_else(|| unreachable!());
                    let values = results
                        .iter()
                        .filter_map(|r| self.choice(&b, &name.v, r))
                        .map(|k| (k, None))
                        .collect();
                    plan.branches.push(Visits { actions: ixs, values, every: false });
                }
                Some(_) => {
                    let kind = p.kinds[ixs[0].index()];
                    self.err(
                        name.span,
                        format!("`{}` is a {kind}: recflow decides its branch from the script, not from an external result", name.v),
                        "not an external call",
                        "`external` keys are Snippet functions (GetRESTProxy, MakeRestRequest, …) and the ids of actions \
                         whose result comes from outside (RESTAPI, HOURS, CAPTURE, …)"
                            .into(),
                    );
                }
                None => {
                    let lower = name.v.to_lowercase();
                    if crate::snippet::funcs::is_external(&lower) && self.calls(&lower) {
                        plan.external
                            .push((lower.into(), results.iter().map(|r| Box::from(r.v.as_str())).collect()));
                    } else {
                        let mut cands = Self::ids_where(p, |op| matches!(op, Op::Branched(_)));
                        cands.extend(crate::snippet::funcs::EXTERNAL.iter().copied());
                        self.unknown(
                            "the script makes no external call",
                            name,
                            cands,
                            "`external` keys are Snippet functions the script calls (GetRESTProxy, MakeRestRequest, …) \
                             and the ids of actions whose result comes from outside (RESTAPI, HOURS, CAPTURE, …)",
                        );
                    }
                }
            }
        }
        plan.ivr_patience = g.ivr_patience.map(|s| s.map(ms));
        let a = &g.agent;
        plan.answers_after = a.answers_after.map(ms);
        plan.talk = a.talk.map(ms);
        let happen = |e: Option<EventSpec>| match e {
            None => Happen::Drawn,
            Some(EventSpec::Never) => Happen::Never,
            Some(EventSpec::Drawn) => Happen::At(None),
            Some(EventSpec::At(s)) => Happen::At(Some(ms(s))),
        };
        if let Some(list) = &a.transfer {
            for (to, slot) in [
                (TransferTo::Agent, AgentEvent::TransferAgent),
                (TransferTo::External, AgentEvent::TransferExternal),
            ] {
                plan.happen[slot as usize] =
                    list.iter().find(|(t, _)| *t == to).map_or(Happen::Never, |(_, at)| happen(Some(*at)));
            }
        }
        plan.happen[AgentEvent::Conference as usize] = happen(a.conference);
        plan.happen[AgentEvent::Disposition as usize] = happen(a.disposition);
        plan.happen[AgentEvent::Rod as usize] = happen(a.rod);
        plan.happen[AgentEvent::SupervisorRod as usize] = happen(a.supervisor_rod);
        if let Some(presses) = &a.presses {
            let mut list = Vec::new();
            for (at, button) in presses {
                match p.button_names.iter().position(|b| *b == button.v) {
                    Some(k) => list.push((ms(*at), ButtonId::new(k))),
                    None => {
                        let names: Vec<&str> = p.button_names.iter().map(String::as_str).collect();
                        let help = if names.is_empty() {
                            "the script turns on no button (INDICATE); a press would do nothing".to_string()
                        } else {
                            format!("the script's buttons (INDICATE `Name`): {}", names.join(", "))
                        };
                        self.unknown("the script has no button", button, names.clone(), &help);
                    }
                }
            }
            plan.presses = Some(list);
        }
        plan
    }

    /// Whether some SNIPPET of the script calls external function `lower` (by name, any case).
    fn calls(&self, lower: &str) -> bool {
        self.script.actions.iter().any(|a| match &a.kind {
            crate::script::Kind::Snippet(s) => s.data.to_lowercase().contains(lower),
            _ => false,
        })
    }

    /// `expect` → checks.
    pub fn checks(&mut self, p: &mut Compiled, case: &Case) -> Checks {
        let x = &case.expect;
        let mut c = Checks {
            recorded: x.recorded.clone(),
            saved: x.saved,
            lost: x.lost,
            dnr: x.dnr,
            abandoned: x.abandoned,
            hung_up_in_ivr: x.hung_up_in_ivr,
            ..Checks::default()
        };
        if let Some(list) = &x.findings {
            let mut found = Vec::new();
            for f in list {
                match Finding::lookup(&f.v) {
                    Some(k) => found.push(k),
                    None => {
                        let names: Vec<&str> =
                            Finding::ALL.iter().flat_map(|k| [k.as_str(), k.kind().code]).collect();
                        self.unknown(
                            "no finding is called",
                            f,
                            names,
                            "findings are named as in `recflow rules` (name or F-code), e.g. recorded_without_consent",
                        );
                    }
                }
            }
            c.findings = Some(found);
        }
        c.visits = self.action_ids(p, &x.visits);
        c.not_visits = self.action_ids(p, &x.not_visits);
        for (name, value) in &x.variables {
            if let Some(v) = self.variable(p, name) {
                c.variables.push((name.v.clone(), v, value.clone()));
            }
        }
        c
    }
}

fn is_capture(op: &Op) -> bool {
    matches!(op, Op::Branched(b) if b.kind == "CAPTURE")
}
