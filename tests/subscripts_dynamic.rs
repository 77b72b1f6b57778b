//! Issue 13, DYNAMIC data objects across RUNSUB frames (docs/subscripts.md, "Variables across
//! scripts"): a subscript's local object is its own — fresh on every call, also when the same
//! RUNSUB runs twice, never the caller's object of the same name, for static members, members
//! indexed at run time (`cust.phones[j].num`) and objects loaded from JSON — while a `Global:`
//! object is one object for the whole contact.

mod common;

use common::repo;
use recflow::library::{self, Options, link::link};
use recflow::model::{Tenant, Traffic};
use recflow::sim::{self, Compiled};

fn program(entry: &str) -> Compiled {
    let lib = library::load(&repo(entry), &Options::default())
        .unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
    Compiled::compile_linked(&link(&lib).unwrap(), &Tenant::default(), &Traffic::default())
}

#[test]
fn dynamic_objects_are_scoped_per_call_and_global_objects_shared() {
    let p = program("tests/fixtures/subscripts/dynamic/main.yaml");
    for i in 0..10 {
        let ex = sim::explain::explain(&p, i);
        let ids: Vec<String> = ex.outcome.path.iter().map(|&ix| p.id(ix).to_string()).collect();
        let trace: Vec<&str> = ex.steps.iter().map(|s| s.text.as_str()).collect();
        // Both calls returned what a fresh object gives: nothing seen before the subscript's
        // own DYNAMIC (not `main`, `main-item` or `main-phone` of the caller's `cust`, nor the
        // first call's values on the second call), then its own members.
        let returns: Vec<&&str> = trace.iter().filter(|t| t.starts_with("RETURN")).collect();
        assert_eq!(returns, [&"RETURN r = \"[|||sub|sub-item|sub-phone]\""; 2], "contact {i}: {trace:#?}");
        // The caller's object is intact after each return, and `Global:tally.calls` counted both
        // calls (`check` compares it with the round): the contact reached DONOTRECORD.
        assert!(
            ids.contains(&"dnr".to_string()) && !ids.contains(&"fail".to_string()),
            "contact {i}: {ids:?}"
        );
        assert_eq!(ids.iter().filter(|x| *x == "obj:work").count(), 2, "{ids:?}");
    }
}

/// The batch run agrees with the single-contact runs on this fixture (no member value leaks
/// from one contact into the next through the reused variable store either).
#[test]
fn dynamic_objects_in_subscripts_do_not_leak_between_contacts() {
    let p = program("tests/fixtures/subscripts/dynamic/main.yaml");
    for i in 0..50 {
        let o = sim::driver::one(&p, i);
        assert!(o.dnr_at_ms.is_some(), "contact {i}");
    }
    let report = sim::simulate(&p, 200, |_| {});
    assert_eq!(report.dnr, report.calls, "every contact passed every check");
}
