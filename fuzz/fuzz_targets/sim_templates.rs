//! Fuzz the ASSIGN / CASE / template paths (issue 10): the input is split into an ASSIGN
//! `Value` template, a CASE `Variable` (braced or bare) and a PLAY `Phrase` template; the
//! script must load or fail with located errors, and a loaded script must simulate a few
//! contacts without panicking (values are capped, work is budgeted, the clock never wraps).
#![no_main]

use libfuzzer_sys::fuzz_target;
use recflow::script::export::yaml_double_quoted;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\u{1}');
    let value = parts.next().unwrap_or("");
    let variable = parts.next().unwrap_or("v");
    let phrase = parts.next().unwrap_or("{v}");
    let yaml = format!(
        "script: f\nactions:\n  - {{id: b, type: BEGIN, next: a}}\n  - {{id: a, type: ASSIGN, properties: {{Variable: v, Value: {}}}, next: l}}\n  - {{id: l, type: ASSIGN, properties: {{Variable: v, Value: {}}}, next: c}}\n  - id: c\n    type: CASE\n    properties: {{Variable: {}}}\n    branches: {{x: p, default: p}}\n  - {{id: p, type: PLAY, properties: {{Phrase: {}}}, next: e}}\n  - {{id: e, type: HANGUP}}\n",
        yaml_double_quoted(value),
        yaml_double_quoted("{v}{v}"),
        yaml_double_quoted(variable),
        yaml_double_quoted(phrase),
    );
    match recflow::script::load_str("fuzz.yaml", &yaml) {
        Ok(script) => {
            let p = recflow::sim::Compiled::compile(
                &script,
                &recflow::model::Tenant::default(),
                &recflow::model::Traffic::default(),
            );
            for id in 0..2 {
                let _ = recflow::sim::driver::one(&p, id);
            }
        }
        Err(e) => {
            let _ = e.render_plain(100);
        }
    }
});
