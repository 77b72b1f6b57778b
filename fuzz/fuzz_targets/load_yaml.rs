//! Fuzz the native YAML loader: any bytes → `load_str` must return (Ok or LoadErrors), never
//! panic, and every error must render.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = recflow::script::load_str("fuzz.yaml", &text) {
        let _ = e.render_plain(100);
    }
});
