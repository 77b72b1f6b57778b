//! The JSON report of every example in scripts/ (and scripts/studio-json/) at seed 1, 2000
//! calls, with the embedded tenant and a traffic file exercising agents and MAX buttons.

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
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["scripts", "scripts/studio-json"] {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            let script_ext = path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json");
            if path.is_file() && script_ext {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 5);
    for path in files {
        let script = recflow::script::load_path(&path).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
        let p = Compiled::compile(&script, &Tenant::default(), &traffic());
        let report = sim::simulate(&p, 2000, |_| {});
        let json = recflow::report::simulation::report_json(&report);
        let stem = path.file_stem().unwrap().to_string_lossy().replace('-', "_");
        let kind = if path.extension().is_some_and(|e| e == "json") { "studio_json_" } else { "" };
        insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(format!("sim__{kind}{stem}"), json);
        });
    }
}
