//! Per-contact values cost no allocation (issue 11 points 2 and 4): once an engine is warm,
//! contacts of a script with an IF, system variables and `{var}` properties — including ones
//! that take their fallback — allocate nothing. Counted with a wrapping global allocator on the
//! test's own thread only (the harness allocates on its threads while it waits).

#[path = "common/alloc.rs"]
mod alloc;

use recflow::model::{Tenant, parse_traffic};
use recflow::sim::{Compiled, Engine, Outcome};

#[test]
fn warm_contacts_with_run_time_values_do_not_allocate() {
    for (name, traffic) in [
        ("templated.yaml", "calls: 10\n"),
        ("if-ani.yaml", "ani: {\"+15550100\": 0.25, \"+15550111\": 0.75}\n"),
        ("if-unknown-function.yaml", "calls: 10\n"),
    ] {
        let path = format!("tests/fixtures/runtime/{name}");
        let script = recflow::script::load_path(path.as_ref()).unwrap();
        let t = parse_traffic("t.yaml", traffic, &script).unwrap();
        let p = Compiled::compile(&script, &Tenant::default(), &t);
        let mut engine = Engine::new(&p);
        let mut out = Outcome::default();
        // Warm up: buffers grow to the largest contact seen.
        for id in 0..2000 {
            engine.run(id, &mut out);
        }
        let mut fell_back = 0;
        let allocs = alloc::allocations_in(|| {
            for id in 2000..2200 {
                engine.run(id, &mut out);
                fell_back += usize::from(!out.templated_fallback.is_empty());
            }
        });
        assert_eq!(allocs, 0, "{name}: allocations in 200 warm contacts");
        if name == "templated.yaml" {
            assert!(fell_back > 30, "fallback contacts were measured too: {fell_back}");
        }
    }
}
