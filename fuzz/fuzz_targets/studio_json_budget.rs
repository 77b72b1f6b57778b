//! Fuzz the Studio JSON budget (issue 21, F07): the first bytes choose a nesting depth and a
//! number of values, the rest is text; they are embedded in a valid Studio export as an extra
//! action field. Loading must answer — Ok, or a `load::syntax` error naming the depth or the
//! value budget when the document is over it — never abort, and a document that loads converts
//! to YAML that either loads or is refused by `convert` (never a crash).
#![no_main]

use libfuzzer_sys::fuzz_target;
use recflow::source::{SCRIPT_MAX_DEPTH, SCRIPT_MAX_NODES};

/// The Studio JSON value budget (`source::json::MAX_NODES`): the YAML script event budget.
const JSON_MAX_VALUES: usize = 4 * SCRIPT_MAX_NODES;

const EXPORT: &str = include_str!("../../scripts/studio-json/studio-export-consent.json");

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let depth = (data[0] as usize) % (SCRIPT_MAX_DEPTH + 8);
    let count = u32::from_le_bytes([data[1], data[2], data[3], 0]) as usize % (JSON_MAX_VALUES + 50_000);
    let tail = String::from_utf8_lossy(&data[4..]);
    let mut extra = String::with_capacity(2 * count + 2 * depth + tail.len() + 8);
    extra.push_str(&"[".repeat(depth));
    extra.push('[');
    for i in 0..count {
        if i > 0 {
            extra.push(',');
        }
        extra.push('0');
    }
    extra.push(']');
    extra.push_str(&"]".repeat(depth));
    let extra = format!("[{extra}, {}]", serde_json_string(&tail));
    let anchor = "\"1\": {\"actionId\": \"1\",";
    let doc = EXPORT.replacen(anchor, &format!("\"1\": {{\"extra\": {extra}, \"actionId\": \"1\","), 1);
    match recflow::script::load_str("fuzz.json", &doc) {
        Ok(script) => {
            assert!(count + depth < JSON_MAX_VALUES, "{count} values loaded");
            let yaml = recflow::script::export::to_yaml(&script);
            if let Err(e) = recflow::script::load_str("fuzz.yaml", &yaml) {
                let _ = e.render_plain(100);
            }
        }
        Err(e) => {
            let _ = e.render_plain(100);
        }
    }
});

/// `text` as a JSON string literal.
fn serde_json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
