//! Fuzz the shapes `lint --fix` writes into (issue 21, F19 and the fix editors): any bytes that
//! load as a YAML script are fixed (unsafe fixes too) in LF and in CRLF form. Every fixed text
//! must load again, and a CRLF file must keep CRLF on every line, the inserted ones included.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recflow::lint::{Config, fix};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if text.len() > 20_000 {
        return;
    }
    let lf = text.replace("\r\n", "\n");
    for (name, body) in [("fuzz.yaml", lf.clone()), ("fuzz.yaml", lf.replace('\n', "\r\n"))] {
        let Ok(script) = recflow::script::load_str(name, &body) else { continue };
        let fixed = fix::fix_script(&script, &Config::default(), true);
        if !fixed.changed() {
            continue;
        }
        let out: &str = &fixed.script.source.text;
        assert!(recflow::script::load_str(name, out).is_ok(), "a fix wrote a script that does not load");
        if body.contains("\r\n") {
            let bare = out.match_indices('\n').any(|(i, _)| i == 0 || out.as_bytes()[i - 1] != b'\r');
            assert!(!bare, "a fix wrote a bare LF into a CRLF file");
        }
    }
});
