//! Lint ⇐ simulate: every finding kind that `simulate` reports on a script (all but
//! `rod_blocked`, which is about agents, not the script) is flagged by some lint rule on that
//! script, and lost statements are flagged by S001 (or S002, copied only to a local variable).
//! Run over every example in `scripts/` and every lint fixture, with default traffic and with
//! agents pressing every MAX button the script declares (in file order and reversed).

use std::collections::BTreeSet;
use std::path::PathBuf;

use recflow::lint::{self, Config};
use recflow::model::{PressSequence, Tenant, Traffic};
use recflow::script::{Kind, Script};
use recflow::sim;

fn scripts() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for dir in ["scripts", "scripts/studio-json", "tests/fixtures/lint"] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "yaml" || x == "json") {
                v.push(p);
            }
        }
    }
    v.sort();
    v
}

fn buttons(script: &Script) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for a in &script.actions {
        if let Kind::Indicate(i) = &a.kind
            && !v.iter().any(|b| b.eq_ignore_ascii_case(&i.name))
        {
            v.push(i.name.clone());
        }
    }
    v
}

/// Which lint codes account for a simulate finding.
fn explains(finding: &str) -> &'static [&'static str] {
    match finding {
        "recorded_before_dnr" => &["C002", "C003"],
        "sensitive_while_recording" => &["P001"],
        "indicator_left_on" => &["M001"],
        "step_limit" => &["G002"],
        "stuck" => &["M003"],
        "media_after_release" => &["M005"],
        "statements_lost" => &["S001", "S002"],
        _ => &[],
    }
}

#[test]
fn every_simulated_finding_is_flagged_by_lint() {
    let mut failures = Vec::new();
    let mut checked = BTreeSet::new();
    for path in scripts() {
        let script = recflow::script::load_path(&path).unwrap_or_else(|e| panic!("{}", e.render_plain(100)));
        let codes: BTreeSet<&str> = lint::lint(&script, &Config::default()).iter().map(|d| d.code).collect();
        let names = buttons(&script);
        let mut reversed = names.clone();
        reversed.reverse();
        let mut pressing = Traffic::default();
        pressing.agent.presses = vec![
            PressSequence { p: 0.5, buttons: names.clone() },
            PressSequence { p: 0.5, buttons: reversed },
        ];
        for traffic in [Traffic::default(), pressing] {
            let program = sim::Compiled::compile(&script, &Tenant::default(), &traffic);
            let report = sim::simulate(&program, 300, |_| {});
            let f = &report.findings;
            let seen = [
                ("recorded_before_dnr", f.recorded_before_dnr),
                ("sensitive_while_recording", f.sensitive_while_recording),
                ("indicator_left_on", f.indicator_left_on),
                ("step_limit", f.step_limit),
                ("stuck", f.stuck),
                ("media_after_release", f.media_after_release),
                ("statements_lost", report.statements.lost),
            ];
            for (kind, n) in seen {
                if n == 0 {
                    continue;
                }
                checked.insert(kind);
                if !explains(kind).iter().any(|c| codes.contains(c)) {
                    failures.push(format!(
                        "{}: simulate reports {kind} ({n} contacts) but lint reports none of {:?} (lint: {codes:?})",
                        path.display(),
                        explains(kind)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The corpus exercises every finding kind, so the check above is not vacuous.
    for kind in [
        "recorded_before_dnr",
        "sensitive_while_recording",
        "indicator_left_on",
        "stuck",
        "media_after_release",
        "statements_lost",
    ] {
        assert!(checked.contains(kind), "no script made simulate report {kind}");
    }
}
