//! `explain SCRIPT --call I --as-test`: contact *I* of a sampled run written as a `recflow test`
//! case — `given` is what the contact drew (MENU inputs visit by visit, the branches of actions
//! whose result comes from outside, and, once answered, the queue wait, the talk, every agent
//! event with its time or `false`, the presses), `expect` is what happened. The case keeps the
//! contact's seed and index, so what `given` does not name (policy sampling, agent choice,
//! durations) is drawn exactly as before: the case reproduces the contact (proptest in
//! `tests/scenario_as_test.rs`).

use std::fmt::Write as _;

use crate::script::ActionIx;
use crate::sim::Compiled;
use crate::sim::driver::{self, Sink};
use crate::sim::engine::{Decision, Observer};
use crate::sim::outcome::Outcome;
use crate::sim::rng::AgentEvent;

/// A [`Decision`] with owned text.
#[derive(Clone, Debug, PartialEq)]
enum Drawn {
    Menu(ActionIx, Option<String>),
    Branch(ActionIx, String),
    Answered(u64),
    Talk(u64),
    IvrPatience(u64),
    Event(AgentEvent, u64),
    Press(u64, crate::sim::ids::ButtonId),
}

#[derive(Default)]
struct Decisions(Vec<Drawn>);

impl Observer for Decisions {
    fn clear(&mut self) {
        self.0.clear();
    }
    fn decided(&mut self, what: Decision<'_>) {
        self.0.push(match what {
            Decision::Menu(ix, c) => Drawn::Menu(ix, c.map(str::to_string)),
            Decision::Branch(ix, name) => Drawn::Branch(ix, name.to_string()),
            Decision::Answered { after } => Drawn::Answered(after),
            Decision::Talk(ms) => Drawn::Talk(ms),
            Decision::IvrPatience(ms) => Drawn::IvrPatience(ms),
            Decision::Event(e, at) => Drawn::Event(e, at),
            Decision::Press(at, b) => Drawn::Press(at, b),
        });
    }
}

#[derive(Default)]
struct Keep {
    outcome: Outcome,
    drawn: Vec<Drawn>,
}

impl Sink for Keep {
    type Observer = Decisions;
    fn contact(&mut self, out: &Outcome, seen: &mut Decisions) {
        self.outcome.clone_from(out);
        self.drawn = std::mem::take(&mut seen.0);
    }
}

/// A YAML (and JSON) double-quoted string.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// ms as seconds, exact to the ms (`16.744`, `90`).
fn secs(ms: u64) -> String {
    format!("{}", ms as f64 / 1000.0)
}

/// Ids in first-seen order, each once.
fn ids_once(p: &Compiled, ixs: impl IntoIterator<Item = ActionIx>) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for ix in ixs {
        let id = p.id(ix);
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// Contact `call` of `p` (sampled, `p.seed`) as a test case: YAML lines for a `cases:` list.
pub fn case_yaml(p: &Compiled, call: u64, script_name: &str) -> String {
    let mut kept = Keep::default();
    let _ = driver::run(p, call..call.saturating_add(1), 1, Keep::default, |k| {
        kept = k;
        Ok::<(), std::convert::Infallible>(())
    });
    let (o, drawn) = (&kept.outcome, &kept.drawn);
    let mut s = String::new();
    let _ = writeln!(s, "  - name: {}", q(&format!("contact {call} of {script_name} (seed {})", p.seed)));
    let _ = writeln!(s, "    seed: {}", p.seed);
    let _ = writeln!(s, "    call: {call}");
    let _ = writeln!(s, "    given:");

    // MENU inputs and external results, by id, visit by visit, in first-visit order.
    let mut menus: Vec<(&str, Vec<Option<&str>>)> = Vec::new();
    let mut branches: Vec<(&str, Vec<&str>)> = Vec::new();
    for d in drawn {
        match d {
            Drawn::Menu(ix, c) => {
                let id = p.id(*ix);
                match menus.iter_mut().find(|(i, _)| *i == id) {
                    Some((_, v)) => v.push(c.as_deref()),
                    None => menus.push((id, vec![c.as_deref()])),
                }
            }
            Drawn::Branch(ix, name) => {
                let id = p.id(*ix);
                match branches.iter_mut().find(|(i, _)| *i == id) {
                    Some((_, v)) => v.push(name),
                    None => branches.push((id, vec![name])),
                }
            }
            _ => {}
        }
    }
    let input = |c: &Option<&str>| c.map_or("none".to_string(), q);
    if menus.is_empty() {
        let _ = writeln!(s, "      inputs: {{}}");
    } else {
        let _ = writeln!(s, "      inputs:");
        for (id, visits) in &menus {
            let value = match &visits[..] {
                [one] => input(one),
                many => format!("[{}]", many.iter().map(input).collect::<Vec<_>>().join(", ")),
            };
            let _ = writeln!(s, "        {}: {value}", q(id));
        }
    }
    if !branches.is_empty() {
        let _ = writeln!(s, "      external:");
        for (id, names) in &branches {
            let list: Vec<String> = names.iter().map(|n| q(n)).collect();
            let _ = writeln!(s, "        {}: [{}]", q(id), list.join(", "));
        }
    }
    // the caller's IVR patience, when one was drawn (the traffic sets it).
    let ivr_patience =
        drawn.iter().find_map(|d| if let Drawn::IvrPatience(ms) = d { Some(*ms) } else { None });
    if let Some(ms) = ivr_patience {
        let _ = writeln!(s, "      ivr_patience: {}", secs(ms));
    }
    // The agent: only when one answered (otherwise nothing was drawn for it).
    let answered = drawn.iter().find_map(|d| if let Drawn::Answered(ms) = d { Some(*ms) } else { None });
    let talk = drawn.iter().find_map(|d| if let Drawn::Talk(ms) = d { Some(*ms) } else { None });
    if let (Some(after), Some(talk)) = (answered, talk) {
        let _ = writeln!(s, "      agent:");
        let _ = writeln!(s, "        answers_after: {}", secs(after));
        let _ = writeln!(s, "        talk: {}", secs(talk));
        let at = |e: AgentEvent| {
            drawn.iter().find_map(|d| match d {
                Drawn::Event(k, at) if *k == e => Some(*at),
                _ => None,
            })
        };
        let transfers: Vec<String> =
            [(AgentEvent::TransferAgent, "agent"), (AgentEvent::TransferExternal, "external")]
                .into_iter()
                .filter_map(|(e, to)| at(e).map(|ms| format!("{{to: {to}, at: {}}}", secs(ms))))
                .collect();
        let _ = writeln!(
            s,
            "        transfer: {}",
            if transfers.is_empty() { "none".to_string() } else { format!("[{}]", transfers.join(", ")) }
        );
        for (e, key) in [
            (AgentEvent::Conference, "conference"),
            (AgentEvent::Disposition, "disposition"),
            (AgentEvent::Rod, "rod"),
            (AgentEvent::SupervisorRod, "supervisor_rod"),
        ] {
            let v = at(e).map_or("false".to_string(), secs);
            let _ = writeln!(s, "        {key}: {v}");
        }
        let presses: Vec<String> = drawn
            .iter()
            .filter_map(|d| match d {
                Drawn::Press(at, b) => {
                    Some(format!("{{at: {}, button: {}}}", secs(*at), q(&p.button_names[b.index()])))
                }
                _ => None,
            })
            .collect();
        let _ = writeln!(s, "        presses: [{}]", presses.join(", "));
    }

    let _ = writeln!(s, "    expect:");
    let _ = writeln!(s, "      recorded: {}", super::run::recorded_class(o));
    let findings: Vec<&str> = o.findings().map(|f| f.as_str()).collect();
    let _ = writeln!(s, "      findings: [{}]", findings.join(", "));
    let visits: Vec<String> = ids_once(p, o.path.iter().copied()).into_iter().map(q).collect();
    let _ = writeln!(s, "      visits: [{}]", visits.join(", "));
    let saved = o.statements.iter().filter(|st| st.saved).count();
    let _ = writeln!(s, "      statements: {{saved: {saved}, lost: {}}}", o.statements.len() - saved);
    let _ = writeln!(s, "      dnr: {}", o.dnr_at_ms.is_some());
    let _ = writeln!(s, "      abandoned: {}", o.abandoned);
    if ivr_patience.is_some() {
        let _ = writeln!(s, "      hung_up_in_ivr: {}", o.hung_up_in_ivr);
    }
    s
}
