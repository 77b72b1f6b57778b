//! Fuzz exact analysis (issue 23): any bytes → a traffic file for one of three example scripts
//! (a consent MENU with a hold loop, a MENU that repeats with a recording open, a MENU that
//! repeats); a traffic that loads must be explored by `simulate --exact` (threshold splitting,
//! solved loops, sensitivity through them, or the hybrid fallback) within a small run budget
//! without panicking: the budget turns a large tree into `TooManyRuns`, never a hang.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use recflow::script::Script;

fn scripts() -> &'static [Script; 3] {
    static S: OnceLock<[Script; 3]> = OnceLock::new();
    S.get_or_init(|| {
        let load = |name: &str, text: &str| recflow::script::load_str(name, text).unwrap();
        [
            load("mistake-consent-leak.yaml", include_str!("../../scripts/mistake-consent-leak.yaml")),
            load("loop-menu-recording.yaml", include_str!("../../examples/loop-menu-recording.yaml")),
            load("loop-menu.yaml", include_str!("../../examples/loop-menu.yaml")),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let script = &scripts()[usize::from(pick % 3)];
    let text = String::from_utf8_lossy(rest);
    if let Ok((traffic, _)) = recflow::model::parse_traffic_with_warnings("fuzz.yaml", &text, script) {
        let p = recflow::sim::Compiled::compile(script, &recflow::model::Tenant::default(), &traffic);
        let _ = recflow::sim::exact::explore_with(&p, 2, 20_000, pick & 4 != 0);
    }
});
