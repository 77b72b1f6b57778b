//! Fuzz the tenant parser: any bytes → `parse_tenant` (with the example script, so the
//! cross-checks run too) must return Ok or LoadErrors, never panic, and every error must render.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn script() -> &'static recflow::script::Script {
    static S: OnceLock<recflow::script::Script> = OnceLock::new();
    S.get_or_init(|| {
        recflow::script::load_str("consent-gdpr.yaml", include_str!("../../scripts/consent-gdpr.yaml")).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match recflow::model::parse_tenant("fuzz.yaml", &text, Some(script())) {
        Ok((_, warnings)) => {
            let _ = recflow::script::LoadErrors { errors: warnings }.render_plain(100);
        }
        Err(e) => {
            let _ = e.render_plain(100);
        }
    }
});
