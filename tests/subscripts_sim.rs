//! Issue 13, one contact across scripts: RUNSUB parameters and ReturnVariable, local vs
//! `Global:` variables, DONOTRECORD set in a subscript holding after RETURN, RUNSCRIPT keeping
//! variables and switching the event handlers, and explain ≡ simulate on every contact of the
//! multi-script examples. `recflow diff` of a changed subscript is in `tests/cli/diff/subscripts.rs`.

mod common;

use common::repo;

use recflow::library::{self, Options, link::link};
use recflow::model::{Tenant, Traffic};
use recflow::sim::{self, Compiled};

fn program(entry: &str, traffic: Option<&str>) -> Compiled {
    let lib = library::load(&repo(entry), &Options::default())
        .unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    let linked = link(&lib).unwrap();
    let traffic = match traffic {
        Some(t) => recflow::model::traffic::load_traffic_with_warnings(&repo(t), &linked.script).unwrap().0,
        None => Traffic::default(),
    };
    Compiled::compile_linked(&linked, &Tenant::default(), &traffic)
}

fn path_ids(p: &Compiled, o: &sim::Outcome) -> Vec<String> {
    o.path.iter().map(|&ix| p.id(ix).to_string()).collect()
}

#[test]
fn parameters_return_variable_and_local_vs_global() {
    let p = program("tests/fixtures/subscripts/vars/main.yaml", None);
    for i in 0..20 {
        let ex = sim::explain::explain(&p, i);
        let ids = path_ids(&p, &ex.outcome);
        // Every check passed: the contact reached DONOTRECORD, not HANGUP.
        assert!(ids.contains(&"dnr".to_string()), "contact {i}: {ids:?}");
        assert!(!ids.contains(&"fail".to_string()), "contact {i}: {ids:?}");
        assert!(ex.outcome.dnr_at_ms.is_some());
        let ret = ex.steps.iter().find(|s| s.text.starts_with("RETURN")).expect("a RETURN step");
        assert_eq!(ret.text, "RETURN r = \"hello-X\"");
        assert_eq!(ret.action.as_deref(), Some("sub:done"));
    }
}

#[test]
fn dnr_set_in_a_subscript_holds_after_return() {
    let p = program(
        "scripts/tenant-consent-subscript/main.yaml",
        Some("examples/traffic-tenant-consent-subscript.yaml"),
    );
    let mut declined = 0;
    for i in 0..300 {
        let o = sim::driver::one(&p, i);
        let ids = path_ids(&p, &o);
        if ids.contains(&"consent:dnr".to_string()) {
            declined += 1;
            assert!(o.dnr_at_ms.is_some(), "contact {i}");
            assert!(o.recordings.is_empty(), "contact {i}: recorded after a subscript's DNR: {ids:?}");
            // The DNR ran in the subscript, and the contact went on in the main and routing scripts.
            let at = ids.iter().position(|x| x == "consent:dnr").unwrap();
            assert!(ids[at..].contains(&"route".to_string()));
            assert!(ids[at..].contains(&"routing:queue".to_string()));
        }
    }
    assert!(declined > 50, "{declined}");
}

#[test]
fn runscript_keeps_variables_and_switches_event_handlers() {
    let p = program(
        "scripts/tenant-consent-subscript/main.yaml",
        Some("examples/traffic-tenant-consent-subscript.yaml"),
    );
    let (mut accepted, mut released) = (0, 0);
    for i in 0..300 {
        let o = sim::driver::one(&p, i);
        let ids = path_ids(&p, &o);
        // `consentAnswer` was set in `main` (RUNSUB's ReturnVariable) and read by routing's CASE.
        let said_yes = ids.contains(&"consent:accepted".to_string());
        assert_eq!(said_yes, ids.contains(&"routing:record".to_string()), "contact {i}: {ids:?}");
        accepted += said_yes as u32;
        // `main` has no ONRELEASE; after RUNSCRIPT routing's ONRELEASE is the active one.
        if ids.contains(&"routing:released".to_string()) {
            released += 1;
            assert!(ids.contains(&"route".to_string()));
        }
    }
    assert!(accepted > 100 && released > 100, "{accepted} {released}");
    assert_eq!(p.handler_sets.len(), 2);
    assert_eq!(p.handler_sets[0], [None, None, None]);
}

#[test]
fn the_mistake_leaks_no_input_callers_to_the_policy() {
    let p = program(
        "scripts/tenant-consent-subscript/mistake-main.yaml",
        Some("examples/traffic-tenant-consent-subscript-mistake.yaml"),
    );
    let r = sim::simulate(&p, 2000, |_| {});
    assert!(r.initiators.policy > 0, "no-input callers recorded by the policy");
    let good = program(
        "scripts/tenant-consent-subscript/main.yaml",
        Some("examples/traffic-tenant-consent-subscript.yaml"),
    );
    assert_eq!(sim::simulate(&good, 2000, |_| {}).initiators.policy, 0);
}

#[test]
fn explain_equals_simulate_on_every_contact_of_the_examples() {
    for (entry, traffic) in [
        ("scripts/tenant-consent-subscript/main.yaml", "examples/traffic-tenant-consent-subscript.yaml"),
        (
            "scripts/tenant-consent-subscript/mistake-main.yaml",
            "examples/traffic-tenant-consent-subscript-mistake.yaml",
        ),
    ] {
        let p = program(entry, Some(traffic));
        let calls = 300;
        let mut text = String::new();
        let mut sink = |s: &str| {
            text.push_str(s);
            Ok(())
        };
        let _ = sim::simulate_chunks(&p, calls, Some(&mut sink), |_| {});
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len() as u64, calls);
        for (i, line) in lines.iter().enumerate() {
            let ex = sim::explain::explain(&p, i as u64);
            let mut alone = String::new();
            ex.outcome.write_json(&p, &mut alone);
            assert_eq!(alone.trim_end(), *line, "{entry}: contact {i}");
        }
    }
}
