//! `recflow defaults tenant|traffic`: the embedded defaults print as files that load back to
//! exactly the defaults; anything else is a usage error.

use recflow::model::{Tenant, Traffic, parse_tenant, parse_traffic};

use crate::common::config::consent_script;
use crate::common::output;

#[test]
fn cli_prints_the_embedded_defaults() {
    for what in ["tenant", "traffic"] {
        let out = output(&["defaults", what]);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        if what == "tenant" {
            let (t, w) = parse_tenant("stdout", &text, None).expect("defaults load");
            assert!(w.is_empty(), "{}", crate::common::config::render(&w));
            assert_eq!(t, Tenant::default());
        } else {
            let t = parse_traffic("stdout", &text, &consent_script()).unwrap();
            assert_eq!(t, Traffic::default());
        }
    }
    assert_eq!(output(&["defaults", "policies"]).status.code(), Some(2));
}
