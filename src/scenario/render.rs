//! `recflow test` output: human (like `cargo test`: one line per case, then the failures with
//! expected vs. actual and the contact's timeline, then a summary), JSON, and JUnit XML.

use std::fmt::Write as _;

use serde::Serialize;

use super::run::{CaseResult, Mismatch};
use crate::sim::coverage::CoverageReport;

/// The results of one test file.
pub struct FileResults {
    /// The test file as given / found (display form).
    pub file: String,
    /// The script it tests (display form).
    pub script: String,
    pub cases: Vec<CaseResult>,
    pub filtered_out: usize,
}

/// Coverage of one script by the cases that test it (`--coverage`).
pub struct ScriptCoverage {
    pub script: String,
    pub cases: usize,
    pub report: CoverageReport,
    /// Unexercised wired branches with their `file:line`.
    pub unexercised: Vec<(String, String)>,
}

pub struct Totals {
    pub passed: usize,
    pub failed: usize,
    pub filtered_out: usize,
}

pub fn totals(files: &[FileResults]) -> Totals {
    let mut t = Totals { passed: 0, failed: 0, filtered_out: 0 };
    for f in files {
        for c in &f.cases {
            if c.passed() {
                t.passed += 1;
            } else {
                t.failed += 1;
            }
        }
        t.filtered_out += f.filtered_out;
    }
    t
}

fn mismatch_line(m: &Mismatch) -> String {
    format!("{}: expected {}, got {}", m.key, m.expected, m.actual)
}

/// The human report.
pub fn human(files: &[FileResults], coverage: &[ScriptCoverage], unloaded: usize) -> String {
    let mut s = String::new();
    for f in files {
        let n = f.cases.len();
        let _ = writeln!(
            s,
            "running {n} case{} from {} (script {})",
            if n == 1 { "" } else { "s" },
            f.file,
            f.script
        );
        for c in &f.cases {
            let _ = writeln!(s, "test {} ... {}", c.name, if c.passed() { "ok" } else { "FAILED" });
        }
        let _ = writeln!(s);
    }
    let failed: Vec<(&FileResults, &CaseResult)> =
        files.iter().flat_map(|f| f.cases.iter().filter(|c| !c.passed()).map(move |c| (f, c))).collect();
    if !failed.is_empty() {
        let _ = writeln!(s, "failures:\n");
        for (f, c) in &failed {
            let _ = writeln!(s, "---- {}:{} {} ----", f.file, c.line, c.name);
            for m in &c.failures {
                let _ = writeln!(s, "  {}", mismatch_line(m));
            }
            if let Some(t) = &c.timeline {
                let _ = writeln!(s, "\n  the contact (seed {}, call {}):", c.seed, c.call);
                for line in t.lines() {
                    if line.is_empty() {
                        let _ = writeln!(s);
                    } else {
                        let _ = writeln!(s, "  {line}");
                    }
                }
            }
            let _ = writeln!(s);
        }
        let _ = writeln!(s, "failures:");
        for (f, c) in &failed {
            let _ = writeln!(s, "    {}:{} {}", f.file, c.line, c.name);
        }
        let _ = writeln!(s);
    }
    for c in coverage {
        let (hit, all) = c.report.branch_counts();
        let _ = writeln!(
            s,
            "coverage of {} by {} case{}: {hit} of {all} wired branches exercised ({:.1}%), {} of {} actions run",
            c.script,
            c.cases,
            if c.cases == 1 { "" } else { "s" },
            c.report.percent(),
            c.report.actions.values().filter(|n| **n > 0).count(),
            c.report.actions.len(),
        );
        for (key, at) in &c.unexercised {
            let _ = writeln!(s, "  not exercised: {key}  ({at})");
        }
        let _ = writeln!(s);
    }
    let t = totals(files);
    let _ = write!(
        s,
        "test result: {}. {} passed; {} failed; {} filtered out; {} file{}",
        if unloaded > 0 {
            "ERROR"
        } else if t.failed == 0 {
            "ok"
        } else {
            "FAILED"
        },
        t.passed,
        t.failed,
        t.filtered_out,
        files.len(),
        if files.len() == 1 { "" } else { "s" }
    );
    // Never a bare "ok" over files that did not run (their errors are on stderr).
    if unloaded > 0 {
        let _ = write!(
            s,
            "; {unloaded} input{} could not be loaded (see the errors above)",
            if unloaded == 1 { "" } else { "s" }
        );
    }
    s.push('\n');
    s
}

#[derive(Serialize)]
struct JsonCase<'a> {
    name: &'a str,
    line: usize,
    seed: u64,
    call: u64,
    passed: bool,
    failures: &'a [Mismatch],
    #[serde(skip_serializing_if = "Option::is_none")]
    timeline: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    script: &'a str,
    filtered_out: usize,
    cases: Vec<JsonCase<'a>>,
}

#[derive(Serialize)]
struct JsonCoverage<'a> {
    cases: usize,
    #[serde(flatten)]
    report: &'a CoverageReport,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    /// Test files, folders or scripts that could not be loaded (errors on stderr; exit 2).
    unloaded: usize,
    passed: usize,
    failed: usize,
    filtered_out: usize,
    files: Vec<JsonFile<'a>>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    coverage: std::collections::BTreeMap<&'a str, JsonCoverage<'a>>,
}

/// The JSON report (docs/testing.md).
pub fn json(files: &[FileResults], coverage: &[ScriptCoverage], unloaded: usize) -> String {
    let t = totals(files);
    let report = JsonReport {
        unloaded,
        passed: t.passed,
        failed: t.failed,
        filtered_out: t.filtered_out,
        files: files
            .iter()
            .map(|f| JsonFile {
                file: &f.file,
                script: &f.script,
                filtered_out: f.filtered_out,
                cases: f
                    .cases
                    .iter()
                    .map(|c| JsonCase {
                        name: &c.name,
                        line: c.line,
                        seed: c.seed,
                        call: c.call,
                        passed: c.passed(),
                        failures: &c.failures,
                        timeline: c.timeline.as_deref(),
                    })
                    .collect(),
            })
            .collect(),
        coverage: coverage
            .iter()
            .map(|c| (c.script.as_str(), JsonCoverage { cases: c.cases, report: &c.report }))
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
    s.push('\n');
    s
}

/// Text as XML character data / attribute value: markup escaped, and the characters XML 1.0
/// cannot carry at all (control characters other than tab, newline, carriage return) replaced.
fn xml(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&apos;"),
            '\t' | '\n' | '\r' => s.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => s.push('\u{FFFD}'),
            c => s.push(c),
        }
    }
    s
}

/// JUnit XML (the Ant / Jenkins schema most CI systems render): one `<testsuite>` per file,
/// one `<testcase>` per case, a `<failure>` with expected vs. actual and the timeline.
pub fn junit(files: &[FileResults], unloaded: usize) -> String {
    let t = totals(files);
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"recflow test\" tests=\"{}\" failures=\"{}\" errors=\"{unloaded}\" skipped=\"0\">",
        t.passed + t.failed,
        t.failed
    );
    for f in files {
        let failed = f.cases.iter().filter(|c| !c.passed()).count();
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">",
            xml(&f.file),
            f.cases.len()
        );
        let _ = writeln!(
            s,
            "    <properties><property name=\"script\" value=\"{}\"/></properties>",
            xml(&f.script)
        );
        for c in &f.cases {
            let _ = write!(
                s,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"",
                xml(&c.name),
                xml(&f.file),
                xml(&f.file),
                c.line
            );
            if c.passed() {
                let _ = writeln!(s, "/>");
                continue;
            }
            let _ = writeln!(s, ">");
            let message: Vec<String> = c.failures.iter().map(mismatch_line).collect();
            let mut body = message.join("\n");
            if let Some(tl) = &c.timeline {
                let _ = write!(body, "\n\nthe contact (seed {}, call {}):\n{tl}", c.seed, c.call);
            }
            let _ = writeln!(
                s,
                "      <failure message=\"{}\" type=\"mismatch\">{}</failure>",
                xml(&message.join("; ")),
                xml(&body)
            );
            let _ = writeln!(s, "    </testcase>");
        }
        let _ = writeln!(s, "  </testsuite>");
    }
    s.push_str("</testsuites>\n");
    s
}
