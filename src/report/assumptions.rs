//! What a run assumed, in words (issue 24 point 1): the traffic's decisive assumptions — how
//! callers answer each MENU, what an unlisted MENU or branch does, how often agents record on
//! demand, transfer, dispose and press MAX buttons, and how long things take — and the tenant in
//! one line per kind of rule. Input: the model values a run used ([`Traffic`], [`Tenant`]), after
//! `--calls` / `--seed`. Output: sentences for the HTML report's "What this run assumed".
//!
//! The words come from the values and from the constants the engine uses for open outcomes
//! (`model::traffic::open`), so they cannot drift from what was simulated.

use crate::model::traffic::{Dist, Weighted, open};
use crate::model::{Tenant, Traffic};

/// `6`, `0.5`, `12.25` — a number as a person writes it.
fn num(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A probability as a percentage: `5%`, `12.5%`.
fn percent(p: f64) -> String {
    format!("{}%", num(100.0 * p))
}

fn dist(d: Dist) -> String {
    match d {
        Dist::Fixed(s) => format!("{} s", num(s)),
        Dist::Exp(m) => format!("exponential, mean {} s", num(m)),
        Dist::Uniform(a, b) => format!("uniform {}–{} s", num(a), num(b)),
    }
}

/// `a 70%, b 30%`: weights as shares of their sum.
fn shares<T>(w: &Weighted<T>, name: impl Fn(&T) -> String) -> String {
    let total: f64 = w.items.iter().map(|(_, x)| x).sum();
    w.items
        .iter()
        .map(|(v, x)| format!("{} {}", name(v), percent(if total > 0.0 { x / total } else { 0.0 })))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The traffic's assumptions, one sentence each, in the order a reader checks them.
pub fn traffic(t: &Traffic) -> Vec<String> {
    let mut v = Vec::new();
    if t.explore {
        v.push(
            "`--traffic explore`: every decision the traffic leaves open is uniform over all its outcomes \
             (no input and an unlisted digit included) and every agent event happens in half of the contacts \
             — a test-design aid that shows what the script can do, not a forecast"
                .to_string(),
        );
    }
    v.push(format!("{} calls, seed {}", t.calls, t.seed));
    v.push(format!("direction: {}", shares(&t.direction, |d| d.as_str().to_string())));
    for (what, w) in [("ANI", &t.ani), ("DNIS", &t.dnis)] {
        if w.items.is_empty() {
            v.push(format!("{what}: none"));
        } else {
            v.push(format!("{what}: {}", shares(w, String::clone)));
        }
    }
    for (id, w) in &t.inputs {
        let answers = shares(w, |d| match d {
            Some(d) => format!("“{d}”"),
            None => "no input".to_string(),
        });
        v.push(format!("MENU {id} answered: {answers}"));
    }
    let listed = if t.inputs.is_empty() { "every MENU" } else { "a MENU not listed above" };
    v.push(if t.explore {
        format!("{listed}: uniform over its wired digits, no input and an unlisted digit")
    } else {
        format!(
            "{listed}: its wired digits share {} equally, no input {} and an unlisted digit {} (both take \
             `default`) when `default` is wired; else uniform over its wired digits",
            percent(1.0 - open::MENU_NO_INPUT - open::MENU_UNLISTED),
            percent(open::MENU_NO_INPUT),
            percent(open::MENU_UNLISTED),
        )
    });
    for (id, w) in &t.branches {
        v.push(format!("{id} takes: {}", shares(w, String::clone)));
    }
    let listed = if t.branches.is_empty() {
        "a traffic-branched action (HOURS, CAPTURE, an IF on an unknown value, …)"
    } else {
        "a traffic-branched action not listed above"
    };
    v.push(if t.explore {
        format!("{listed}: uniform over all its wired branches, `Default` included")
    } else {
        format!(
            "{listed}: uniform over its wired named branches, with `Default` {} when it is wired too",
            percent(open::BRANCH_DEFAULT)
        )
    });
    let a = &t.agent;
    v.push(format!(
        "per contact: the agent records on demand (ROD) {}, a supervisor {}; transfer to an agent {}, to an \
         external number {}; conference {}; disposition {}",
        percent(a.rod),
        percent(a.supervisor_rod),
        percent(a.transfer_agent),
        percent(a.transfer_external),
        percent(a.conference),
        percent(a.disposition),
    ));
    if a.presses_given {
        if a.presses.is_empty() {
            v.push("MAX buttons: never pressed (`agent.presses: []`)".to_string());
        }
        for p in &a.presses {
            v.push(format!(
                "MAX buttons: {} pressed in {} of contacts",
                p.buttons.join(" then "),
                percent(p.p)
            ));
        }
    } else if t.explore {
        v.push("MAX buttons: none, each button, or all of them, uniformly".to_string());
    } else {
        v.push(format!(
            "MAX buttons (no `agent.presses`): each button an INDICATE turns On pressed alone in {} of \
             contacts, and all of them in script order (when several) in {}",
            percent(open::BUTTON_PRESS),
            percent(open::BUTTON_PRESS)
        ));
    }
    let d = &t.durations;
    v.push(format!(
        "durations: MENU {} (no input adds its Timeout), PLAY {}, MUSIC {}, queue wait {}, patience {} \
         (then the caller abandons), talk {}",
        dist(d.menu),
        dist(d.play),
        dist(d.music),
        dist(d.queue_wait),
        dist(d.patience),
        dist(d.talk),
    ));
    // Only when set: other reports say what they said.
    if let Some(ivr) = d.ivr_patience {
        v.push(format!(
            "IVR patience {}: a caller still in the IVR that long after arrival hangs up (hung_up_in_ivr)",
            dist(ivr)
        ));
    }
    v
}

/// The tenant: agents, recording and Do Not Record policies, the short-call limit.
pub fn tenant(t: &Tenant) -> Vec<String> {
    let mut v = Vec::new();
    let unrecordable = t.agents.iter().filter(|a| !a.can_be_recorded).count();
    v.push(format!(
        "{} agent{}{}",
        t.agents.len(),
        if t.agents.len() == 1 { "" } else { "s" },
        if unrecordable > 0 { format!(" ({unrecordable} may not be recorded)") } else { String::new() }
    ));
    if t.recording_policies.is_empty() {
        v.push("no recording policy: only Studio actions and ROD record".to_string());
    } else {
        let list: Vec<String> =
            t.recording_policies.iter().map(|p| format!("{} (target {}%)", p.name, num(p.percent))).collect();
        v.push(format!("recording policies: {}", list.join(", ")));
    }
    if !t.do_not_record_policies.is_empty() {
        let list: Vec<&str> = t.do_not_record_policies.iter().map(|p| p.name.as_str()).collect();
        v.push(format!("Do Not Record policies: {}", list.join(", ")));
    }
    if t.short_call_seconds > 0.0 {
        v.push(format!(
            "policy recordings of calls with less than {} s agent time are discarded (R12)",
            num(t.short_call_seconds)
        ));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_traffic_in_words_follows_the_open_outcome_constants() {
        let words = traffic(&Traffic::default());
        let all = words.join("\n");
        assert!(all.contains("1000 calls, seed 1"), "{all}");
        assert!(all.contains("direction: inbound 100%"), "{all}");
        assert!(all.contains("every MENU: its wired digits share 93% equally, no input 5%"), "{all}");
        assert!(all.contains("records on demand (ROD) 0%"), "{all}");
        assert!(all.contains("queue wait exponential, mean 30 s"), "{all}");
        assert!(all.contains("pressed alone in 2% of contacts"), "{all}");
        let explore = traffic(&Traffic::explore()).join("\n");
        assert!(explore.contains("records on demand (ROD) 50%"), "{explore}");
        assert!(
            explore.contains("uniform over its wired digits, no input and an unlisted digit"),
            "{explore}"
        );
    }

    #[test]
    fn listed_inputs_are_shares_of_their_weights() {
        let mut t = Traffic::default();
        t.inputs.push((
            "consent".into(),
            Weighted { items: vec![(Some("1".into()), 7.0), (Some("2".into()), 2.0), (None, 1.0)] },
        ));
        let all = traffic(&t).join("\n");
        assert!(all.contains("MENU consent answered: “1” 70%, “2” 20%, no input 10%"), "{all}");
        assert!(all.contains("a MENU not listed above:"), "{all}");
    }
}
