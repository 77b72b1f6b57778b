//! `recflow lint` and `recflow rules` from the command line: formats, selection, exit statuses.

mod examples;
mod fix;
mod subscripts;
mod unknown_property;

use insta_cmd::assert_cmd_snapshot;

use crate::common::{recflow, run};

/// A named insta-cmd snapshot of `$cmd` with the shared settings.
macro_rules! cmd_snap {
    ($name:expr, $cmd:expr) => {
        snap!({ assert_cmd_snapshot!($name, $cmd) })
    };
}

#[test]
fn json_output_has_the_formats_shape_and_exit_1_on_errors() {
    cmd_snap!(
        "lint__cli_json",
        recflow().args(["lint", "scripts/mistake-consent-leak.yaml", "--format", "json"])
    );
    let (code, out, _) = run(&["lint", "scripts/mistake-consent-leak.yaml", "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], 1);
    let d = &v["diagnostics"][0];
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "code", "name", "severity", "message", "file", "line", "column", "action", "path", "help",
            "steps", "fix"
        ]
    );
    // `fix` (issue 14) is an extension: present only on findings `lint --fix` can repair; so is
    // `steps` (issue 13: the path with each step's file:line), present on findings with a path.
    assert_eq!(d["fix"]["applicability"], "safe");
    assert_eq!(d["code"], "C001");
    assert_eq!(d["path"][0], "begin");
}

#[test]
fn human_output_and_clean_exit() {
    cmd_snap!("lint__cli_human", recflow().args(["lint", "scripts/mistake-card-while-recording.yaml"]));
    let (code, out, _) = run(&["lint", "scripts/consent-gdpr.yaml", "scripts/policies-only.yaml"]);
    assert_eq!(code, 0);
    assert_eq!(out, "ok: no findings in 2 scripts\n");
}

#[test]
fn deny_warnings_select_and_ignore() {
    // ivr-recording has one warning (O001) and no error.
    assert_eq!(run(&["lint", "scripts/ivr-recording.yaml"]).0, 0);
    assert_eq!(run(&["lint", "scripts/ivr-recording.yaml", "--deny", "warnings"]).0, 1);
    // card-while-recording: P001 (error) + O001 (warning).
    let (code, out, _) =
        run(&["lint", "scripts/mistake-card-while-recording.yaml", "--ignore", "P001", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(out.contains("\"O001\"") && !out.contains("\"P001\""));
    let (code, out, _) = run(&[
        "lint",
        "scripts/mistake-card-while-recording.yaml",
        "--select",
        "sensitive-input-while-recording",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("\"P001\"") && !out.contains("\"O001\""));
    let (code, out, _) =
        run(&["lint", "scripts/mistake-card-while-recording.yaml", "--select", "O,G", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(out.contains("\"O001\"") && !out.contains("\"P001\""));
}

#[test]
fn bad_usage_and_unloadable_input_exit_2() {
    let (code, _, err) = run(&["lint", "scripts/consent-gdpr.yaml", "--select", "Z999"]);
    assert_eq!(code, 2);
    assert!(err.contains("`Z999` names no lint rule"), "{err}");
    let (code, _, err) = run(&["lint", "no/such/file.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
    // One good script and one missing: the good one is still linted, the exit is 2.
    let (code, out, _) =
        run(&["lint", "scripts/mistake-consent-leak.yaml", "missing.yaml", "--format", "json"]);
    assert_eq!(code, 2);
    assert!(out.contains("\"C001\""));
}

#[test]
fn tenant_enables_o004() {
    let fixture = "tests/fixtures/lint/O004-studio-start-inflates-policy.yaml";
    let (_, out, _) = run(&["lint", fixture, "--format", "json"]);
    assert!(!out.contains("\"O004\""));
    let (code, out, _) =
        run(&["lint", fixture, "--tenant", "tests/fixtures/lint/tenants/sales-50.yaml", "--format", "json"]);
    assert_eq!(code, 0, "O004 is info");
    assert!(out.contains("\"O004\"") && out.contains("rec-sales") && !out.contains("rec-support"), "{out}");
}

#[test]
fn sarif_has_rule_metadata_locations_and_code_flows() {
    let (code, out, _) = run(&["lint", "scripts/mistake-consent-leak.yaml", "--format", "sarif"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let driver = &v["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "recflow");
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), recflow::lint::RULES.len());
    for r in rules {
        for k in ["id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration"] {
            assert!(r.get(k).is_some(), "rule lacks {k}: {r}");
        }
    }
    let res = &v["runs"][0]["results"][0];
    assert_eq!(res["ruleId"], "C001");
    assert_eq!(rules[res["ruleIndex"].as_u64().unwrap() as usize]["id"], "C001");
    assert_eq!(res["level"], "error");
    let region = &res["locations"][0]["physicalLocation"]["region"];
    assert!(region["startLine"].as_u64().unwrap() > 1);
    assert!(res["codeFlows"][0]["threadFlows"][0]["locations"].as_array().unwrap().len() >= 3);
}

#[test]
fn rules_lists_and_explains() {
    cmd_snap!("lint__cli_rules", recflow().arg("rules"));
    let (code, out, _) = run(&["rules", "statement-id-not-saved"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("S001 statement-id-not-saved\n====") && out.contains("\nWhy is this bad?\n----"),
        "{out}"
    );
    assert_eq!(run(&["rules", "Z999"]).0, 2);
}

/// Issue 24: `rules CODE` renders its Markdown for a terminal: no HTML comment, no `#`, the
/// code blocks' lines whole (indented), paragraphs on one line when piped, wrapped at spaces
/// only at `COLUMNS`.
#[test]
fn rules_page_is_rendered_for_a_terminal() {
    let md = recflow::lint::registry::rule("C001").unwrap().markdown();
    assert!(md.starts_with("<!--"));
    let (code, out, _) = run(&["rules", "c001"]);
    assert_eq!(code, 0);
    assert!(!out.contains("<!--") && out.lines().all(|l| !l.starts_with('#')), "{out}");
    assert!(out.starts_with("C001 consent-decline-reaches-agent\n"), "{out}");
    let code_lines: Vec<&str> =
        md.split("```").skip(1).step_by(2).flat_map(|block| block.lines().skip(1)).collect();
    assert!(code_lines.len() >= 5);
    for line in &code_lines {
        assert!(out.lines().any(|l| l.trim_end() == format!("    {line}").trim_end()), "{line}\n{out}");
    }
    // Piped: a paragraph is one line (no wrapping), joined from the Markdown's lines.
    assert!(out.lines().any(|l| l.starts_with("Checks every path") && l.ends_with("flags the question's place itself).")), "{out}");
    // COLUMNS=50: wrapped at spaces, every line outside code within 50 columns, no word split.
    let o = recflow().args(["rules", "C001"]).env("COLUMNS", "50").output().unwrap();
    let narrow = String::from_utf8(o.stdout).unwrap();
    let prose: Vec<&str> = narrow.lines().filter(|l| !l.starts_with("    ")).collect();
    assert!(prose.iter().all(|l| l.chars().count() <= 50), "{narrow}");
    assert!(narrow.contains("`consent: {accept: [...]}`"), "{narrow}");
    let words = |t: &str| t.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(words(&narrow), words(&out));
    assert_eq!(run(&["rules", "Z999"]).0, 2);
}

/// Issue 12: a misspelt Snippet function is a lint finding (a located warning with did-you-mean
/// in every output), and `--strict` turns it into an error.
#[test]
fn misspelt_snippet_function_is_a_located_lint_warning() {
    let file = "tests/fixtures/snippet/misspelt-function.yaml";
    let (code, out, err) = run(&["lint", file, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let w = &v["warnings"][0];
    assert_eq!(w["line"], 12, "{out}");
    assert!(w["message"].as_str().unwrap().contains("lenght"), "{out}");
    assert!(out.contains("length"), "did-you-mean missing: {out}");
    let (code, _, _) = run(&["lint", file, "--strict"]);
    assert_eq!(code, 2);
}
