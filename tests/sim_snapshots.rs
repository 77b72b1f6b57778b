//! The JSON report of every example in scripts/ (and scripts/studio-json/) at seed 1, 2000
//! calls, with the embedded tenant and a traffic file exercising agents and MAX buttons.

#[macro_use]
mod common;

use recflow::model::{PressSequence, Tenant, Traffic};
use recflow::sim::{self, Compiled};

fn traffic() -> Traffic {
    let mut t = Traffic::default();
    t.agent.rod = 0.05;
    t.agent.transfer_agent = 0.1;
    t.agent.transfer_external = 0.05;
    t.agent.disposition = 0.2;
    t.agent.presses = vec![PressSequence {
        p: 0.5,
        buttons: vec!["Start Recorded Statement".into(), "Stop Recorded Statement".into()],
    }];
    t
}

#[test]
fn every_example_script_report() {
    let files = common::single_examples();
    assert!(files.len() >= 5);
    for path in files {
        let script = recflow::script::load_path(&path).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
        let p = Compiled::compile(&script, &Tenant::default(), &traffic());
        let report = sim::simulate(&p, 2000, |_| {});
        let json = recflow::report::simulation::report_json(&report);
        let stem = path.file_stem().unwrap().to_string_lossy().replace('-', "_");
        let kind = if path.extension().is_some_and(|e| e == "json") { "studio_json_" } else { "" };
        snap!({ insta::assert_snapshot!(format!("sim__{kind}{stem}"), json) });
    }
}
