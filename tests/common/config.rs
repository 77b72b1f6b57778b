//! Helpers of the tenant / traffic tests: the example script loaded by the real loader, error
//! rendering, and `config_snap!` (a named snapshot with the shared insta settings).

use recflow::script::Script;

/// `scripts/consent-gdpr.yaml` (the FORMATS §1 example: MENU `consent` with branches 1, 2,
/// default; REQAGENT with Skill Sales).
pub fn consent_script() -> Script {
    recflow::script::load_path("scripts/consent-gdpr.yaml".as_ref()).expect("example script loads")
}

/// Render errors (or warnings) the way the tests snapshot them.
pub fn render(errors: &[recflow::script::LoadError]) -> String {
    recflow::script::LoadErrors { errors: errors.to_vec() }.render_plain(100)
}

macro_rules! config_snap {
    ($name:expr, $value:expr) => {
        $crate::common::insta_settings().bind(|| insta::assert_snapshot!($name, $value))
    };
}
