//! Fuzz the `recflow test` file parser and the resolution of its cases against a script: any
//! bytes → `scenario::file::parse` then `scenario::prepare` and one run of each case must give
//! results or located errors, never panic, and every error must render.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn script() -> &'static recflow::script::Script {
    static S: OnceLock<recflow::script::Script> = OnceLock::new();
    S.get_or_init(|| {
        recflow::script::load_str("consent-gdpr.yaml", include_str!("../../scripts/consent-gdpr.yaml")).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let file = match recflow::scenario::file::parse(
        Path::new("fuzz.test.yaml"),
        recflow::source::Source::new("fuzz.test.yaml", text),
    ) {
        Ok(f) => f,
        Err(e) => {
            let _ = e.render_plain(100);
            return;
        }
    };
    let program = recflow::sim::Compiled::compile(
        script(),
        &recflow::model::Tenant::default(),
        &recflow::model::Traffic::default(),
    );
    match recflow::scenario::prepare(&file, script(), program, None) {
        Ok(mut suite) => {
            let _ = recflow::scenario::run::run(&mut suite, &file, "consent-gdpr.yaml", None);
        }
        Err(errors) => {
            let _ = recflow::script::LoadErrors { errors }.render_plain(100);
        }
    }
});
