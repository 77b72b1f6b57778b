//! Issue 21 (hardening, round 3): one regression test per fault a hostile-input pass found. The
//! inputs live in `tests/fixtures/hostile/`; inputs too large to commit are generated here.
//! Every `recflow` run goes through [`bounded`]: a 4 GiB address-space limit and a timeout, so a
//! regression fails the test instead of hanging or exhausting the machine.

#[macro_use]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::snippet;

fn fixture(name: &str) -> PathBuf {
    common::repo("tests/fixtures/hostile").join(name)
}

/// `recflow args…` in `dir` under `ulimit -v` (4 GiB) and `timeout 60`: (exit code, stdout,
/// stderr). 124 = timed out.
fn bounded(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut c = Command::new("sh");
    c.current_dir(dir).env("NO_COLOR", "1").arg("-c").arg("ulimit -v 4194304; exec timeout 60 \"$0\" \"$@\"");
    c.arg(env!("CARGO_BIN_EXE_recflow")).args(args);
    let out = c.output().expect("run recflow");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A scratch folder holding a copy of the fixture `name` as `as_name`.
fn scratch_with(name: &str, as_name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(fixture(name), dir.path().join(as_name)).expect("copy fixture");
    dir
}

// ---- F06: devices and FIFOs are read through the size cap ----------------------------------

#[test]
fn f06_device_inputs_stop_at_the_size_cap() {
    let dir = scratch_with("minimal.yaml", "a.yaml");
    let runs: &[&[&str]] = &[
        &["lint", "/dev/zero"],
        &["simulate", "a.yaml", "--calls", "1", "--tenant", "/dev/zero"],
        &["simulate", "a.yaml", "--calls", "1", "--traffic", "/dev/zero"],
        &["lint", "a.yaml", "--tenant", "/dev/zero"],
    ];
    for args in runs {
        let (code, _, err) = bounded(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("recflow loads files up to 67108864 bytes"), "{args:?}: {err}");
    }
}

#[test]
fn f06_fifo_input_stops_at_the_size_cap() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("endless.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    // A writer that never ends: it stops when recflow closes the pipe.
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            use std::io::Write;
            let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&fifo) else { return };
            let block = vec![b'#'; 1 << 16];
            while f.write_all(&block).is_ok() {}
        })
    };
    let (code, _, err) = bounded(dir.path(), &["lint", "endless.yaml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("more than 67108864 bytes"), "{err}");
    writer.join().expect("writer");
}

// ---- F08: no output overwrites an input of the same run ---------------------------------------

#[test]
fn f08_outputs_never_overwrite_inputs() {
    let dir = scratch_with("minimal.yaml", "a.yaml");
    let d = dir.path();
    let original = std::fs::read(d.join("a.yaml")).expect("read");
    std::fs::write(d.join("t.yaml"), "").expect("tenant");
    std::os::unix::fs::symlink("a.yaml", d.join("link.yaml")).expect("symlink");
    std::fs::hard_link(d.join("a.yaml"), d.join("hard.yaml")).expect("hard link");
    let tenant_before = std::fs::read(d.join("t.yaml")).expect("read");
    let runs: &[&[&str]] = &[
        &["report", "a.yaml", "-o", "a.yaml"],
        &["report", "a.yaml", "-o", "link.yaml"],
        &["report", "a.yaml", "-o", "hard.yaml"],
        &["simulate", "a.yaml", "--calls", "3", "--calls-out", "a.yaml"],
        &["simulate", "a.yaml", "--calls", "3", "--calls-out", "hard.yaml"],
        &["simulate", "a.yaml", "--calls", "3", "--calls-out", "t.yaml", "--tenant", "t.yaml"],
        &["snapshot", "a.yaml", "--accept", "--dir", "."],
        &["convert", "a.yaml", "--to", "studio-json", "-o", "hard.yaml"],
    ];
    for args in runs {
        let (code, out, err) = bounded(d, args);
        assert_eq!(code, 2, "{args:?} must be refused: {out}{err}");
        assert!(err.contains("refusing to") || err.contains("same file"), "{args:?}: {err}");
        assert_eq!(std::fs::read(d.join("a.yaml")).expect("read"), original, "{args:?} clobbered the script");
        assert_eq!(
            std::fs::read(d.join("t.yaml")).expect("read"),
            tenant_before,
            "{args:?} clobbered t.yaml"
        );
    }
    // Writing somewhere else still works, and so does the in-place canonicalisation of convert.
    let (code, _, err) = bounded(d, &["report", "a.yaml", "-o", "r.html"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = bounded(d, &["convert", "a.yaml", "--to", "yaml", "-o", "a.yaml"]);
    assert_eq!(code, 0, "{err}");
}

// ---- F09: a variable name built from a template is said, not silently read ---------------

#[test]
fn f09_templated_case_variable_warns() {
    let (code, out, err) = bounded(&fixture(""), &["lint", "case-templated-variable.yaml"]);
    assert_ne!(code, 2, "{out}{err}");
    assert!(
        err.contains(
            "Variable of action `c` is `x{v}`: a variable name built from a template is not modelled"
        ),
        "{err}"
    );
}

// ---- F13: --max-calls 0 is refused, not run as 1 call ------------------------------------------

#[test]
fn f13_max_calls_zero_is_a_usage_error() {
    let (code, out, err) =
        bounded(&fixture(""), &["simulate", "minimal.yaml", "--precision", "0.5", "--max-calls", "0"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("--max-calls"), "{err}");
    assert!(out.is_empty(), "{out}");
}

// ---- F14: lint --fix on a read-only file ----------------------------------------------------

#[test]
fn f14_fix_of_a_read_only_file_fixes_nothing_and_says_so_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("s.yaml");
    std::fs::copy(common::repo("tests/fixtures/lint/S001-statement-id-not-saved.yaml"), &path).expect("copy");
    let before = std::fs::read(&path).expect("read");
    let mut perms = std::fs::metadata(&path).expect("meta").permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).expect("chmod");
    let (code, out, err) = bounded(dir.path(), &["lint", "--fix", "s.yaml"]);
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(err.matches("cannot write").count(), 1, "{err}");
    assert!(out.contains("fixed 0 findings in 0 scripts"), "{out}");
    assert!(out.contains("S001"), "the finding stays reported: {out}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

// ---- F15: a RUNSUB cycle ends at the nesting limit, and lint says so -----------------------

#[test]
fn f15_runsub_cycle_names_the_nesting_limit() {
    let (_, out, err) = bounded(&fixture("runsub-cycle"), &["lint", "main.yaml"]);
    assert!(!out.contains("has no next action"), "{out}");
    assert!(out.contains("would nest RUNSUB deeper than the limit of 20 levels"), "{out}{err}");
}

// ---- F16 / F17 / F20: Snippet -----------------------------------------------------------------

fn snippet_fixture(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("fixture")
}

#[test]
fn f16_unclosed_block_comment_is_a_syntax_error() {
    let err = snippet::run(&snippet_fixture("unclosed-comment.snippet"), &[]).unwrap_err();
    assert!(err.contains("unterminated comment"), "{err}");
}

#[test]
fn f17_big_numbers_print_in_a_form_the_language_reads() {
    let ran = snippet::run(&snippet_fixture("big-number.snippet"), &[]).expect("runs");
    let (a, b) = (snippet::get(&ran, "a"), snippet::get(&ran, "b"));
    assert_eq!(a, format!("1{}", "0".repeat(52)));
    assert_eq!(b, a, "a + 1 adds (1e52 + 1 rounds to 1e52), it does not concatenate");
}

#[test]
fn f20_every_string_value_obeys_the_32k_cap() {
    let err = snippet::run(&snippet_fixture("long-literal.snippet"), &[]).unwrap_err();
    assert!(err.contains("value too long (over 32768 bytes)"), "{err}");
}

// ---- F18: convert refuses what recflow cannot load back ------------------------------------

// ---- F19: lint --fix keeps CRLF line endings ---------------------------------------------------

#[test]
fn f19_fix_keeps_crlf_line_endings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("m.yaml");
    let lf = std::fs::read_to_string(common::repo("tests/fixtures/lint/M003-case-missing-default.yaml"))
        .expect("fixture");
    std::fs::write(&path, lf.replace('\n', "\r\n")).expect("write");
    let (code, out, err) = bounded(dir.path(), &["lint", "--fix", "--unsafe-fixes", "m.yaml"]);
    assert_ne!(code, 2, "{out}{err}");
    assert!(out.contains("fixed 1 finding") || out.contains("fixed 2 findings"), "{out}{err}");
    let fixed = std::fs::read_to_string(&path).expect("read");
    assert_ne!(fixed, lf.replace('\n', "\r\n"), "something was fixed");
    let bare = fixed.match_indices('\n').filter(|(i, _)| *i == 0 || fixed.as_bytes()[i - 1] != b'\r').count();
    assert_eq!(bare, 0, "every line ends in CRLF:\n{fixed:?}");
}

// ---- lint of a folder with no scripts ---------------------------------------------------------

#[test]
fn lint_of_an_empty_folder_is_an_input_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("empty")).expect("mkdir");
    let (code, out, err) = bounded(dir.path(), &["lint", "empty"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("contains no scripts"), "{err}");
    assert!(!out.starts_with("ok"), "{out}");
}

// ---- F01: a contact's work is bounded, and the contacts that hit the bound are reported ------

#[test]
fn f01_busy_loops_end_at_the_contact_work_budget() {
    for script in ["snippet-loop-to-itself.yaml", "assign-template-loop.yaml"] {
        let (code, out, err) =
            bounded(&fixture(""), &["simulate", script, "--calls", "50", "--jobs", "1", "--format", "json"]);
        assert_eq!(code, 0, "{script}: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).expect("json report");
        assert_eq!(v["findings"]["work_limit"], 50, "{script}: every contact hits the budget: {out}");
        assert_eq!(v["findings"]["step_limit"], 0, "{script}: the budget ends it first");
        // The budget is counted in work units, not time: the counts above prove every contact
        // was cut. (Before the budget these 50 contacts took ~1 s each; `bounded` kills a run
        // after its timeout, so a regression fails here rather than hanging CI.)
    }
    // explain names the action that passed the budget.
    let (_, out, _) = bounded(&fixture(""), &["explain", "snippet-loop-to-itself.yaml", "--call", "0"]);
    assert!(out.contains("work limit"), "{out}");
    assert!(out.lines().any(|l| l.contains("finding") && l.contains("[s]")), "{out}");
}

// ---- F02: the Snippet compiler is linear in the number of variables -----------------------

#[test]
fn f02_snippet_with_200k_assignments_compiles_to_one_slot_each() {
    // Correctness at the size that used to be quadratic (13.6 s in release, minutes in a debug
    // test build). The time is measured by `cargo bench --bench snippet` (compile of 25 000 and
    // 200 000 assignments), never asserted here: a timed test fails on a loaded machine.
    let n = 200_000;
    let src: String = (0..n).map(|i| format!("v{i} = {i}\n")).collect();
    let ast = recflow::snippet::parse(&src).expect("parses");
    let mut symbols = recflow::snippet::Symbols::new();
    let program = recflow::snippet::Program::compile(&ast, &mut symbols);
    let writes = program.writes();
    assert_eq!(writes.len(), n);
    let distinct: std::collections::HashSet<_> = writes.iter().collect();
    assert_eq!(distinct.len(), n, "every variable gets its own slot");
}

// ---- F07: Studio JSON has the YAML node budget -------------------------------------------------

/// The shipped Studio export with `extra` (any JSON) added to action "1".
fn studio_with_extra(extra: &str) -> String {
    let text = std::fs::read_to_string(common::repo("scripts/studio-json/studio-export-consent.json"))
        .expect("studio export");
    let anchor = "\"1\": {\"actionId\": \"1\",";
    assert!(text.contains(anchor));
    text.replacen(anchor, &format!("\"1\": {{\"extra\": {extra}, \"actionId\": \"1\","), 1)
}

#[test]
fn f07_studio_json_over_the_node_budget_is_a_located_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 1 200 000 values in one array: over the 1 000 000-value script budget, 2.4 MB of text.
    let many = format!("[{}]", vec!["0"; 1_200_000].join(","));
    std::fs::write(dir.path().join("big.json"), studio_with_extra(&many)).expect("write");
    let (code, out, err) = bounded(dir.path(), &["lint", "big.json"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("more than 1000000 JSON values"), "{err}");
    assert!(err.contains("big.json:9:"), "located: {err}");
}

// ---- F18: convert never writes a script recflow cannot load back ---------------------------

#[test]
fn f18_convert_refuses_output_that_would_not_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let mut refused = 0;
    // Deep `extra` values around the nesting limit: the YAML form nests two levels deeper
    // (`actions` item, `studio:`) than the JSON one.
    for depth in 56..64 {
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        std::fs::write(d.join("deep.json"), studio_with_extra(&deep)).expect("write");
        let _ = std::fs::remove_file(d.join("deep.yaml"));
        let (code, _, err) = bounded(d, &["convert", "deep.json", "--to", "yaml", "-o", "deep.yaml"]);
        if code == 2 && err.contains("deep.json:") {
            continue; // the input itself is over the limit: a load error, nothing converted
        }
        if code == 2 {
            assert!(err.contains("refusing to write a script recflow cannot load back"), "{depth}: {err}");
            assert!(!d.join("deep.yaml").exists(), "{depth}: nothing written");
            refused += 1;
            continue;
        }
        assert_eq!(code, 0, "{depth}: {err}");
        let (code, out, err) = bounded(d, &["lint", "deep.yaml"]);
        assert_ne!(code, 2, "{depth}: convert wrote YAML that does not load: {out}{err}");
    }
    assert!(refused > 0, "some depth loads as JSON but not as YAML");
}

// ---- Load warnings of one kind and cause are grouped ------------------------------------------

#[test]
fn load_warnings_of_one_cause_are_grouped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let n = 5_000;
    let mut s = String::from("script: many-unknown\nactions:\n  - {id: b, type: BEGIN, next: w0}\n");
    for i in 0..n {
        let next = if i + 1 < n { format!("w{}", i + 1) } else { "h".into() };
        s.push_str(&format!("  - {{id: w{i}, type: WORKFLOWEXECUTE, next: {next}}}\n"));
    }
    s.push_str("  - {id: h, type: HANGUP}\n");
    std::fs::write(dir.path().join("many.yaml"), s).expect("write");
    let (code, out, err) = bounded(dir.path(), &["lint", "many.yaml", "--format", "json"]);
    assert_ne!(code, 2, "{err}");
    assert_eq!(err.matches("load::unknown-type").count(), 2, "one report and one summary line:\n{err}");
    assert!(
        err.contains("… and 4999 more like this (load::unknown-type), the next at many.yaml:5:"),
        "{err}"
    );
    // JSON keeps every one.
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let text = v.to_string();
    assert_eq!(text.matches("load::unknown-type").count(), n, "every warning in JSON");
}

// ---- F10: Studio JSON → YAML → Studio JSON keeps Studio's own text -------------------------

/// The shipped Studio export the F10 tests start from.
fn consent_export() -> String {
    std::fs::read_to_string(common::repo("scripts/studio-json/studio-export-consent.json"))
        .expect("studio export")
}

/// Write `json` to `d/in.json` and convert it to `mid.yaml`, then back to `out.json`.
fn json_yaml_json(d: &Path, json: &str) {
    std::fs::write(d.join("in.json"), json).expect("write");
    for args in [
        &["convert", "in.json", "--to", "yaml", "-o", "mid.yaml"][..],
        &["convert", "mid.yaml", "--to", "studio-json", "-o", "out.json"][..],
    ] {
        let (code, _, err) = bounded(d, args);
        assert_eq!(code, 0, "{args:?}: {err}");
    }
}

#[test]
fn f10_studio_json_round_trip_keeps_action_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let original = consent_export();
    assert!(original.contains("\"Do Not Record\"") && original.contains("\"Reqagent\""));
    // `hang_up`: Studio's spelling with an underscore names HANGUP too.
    let original = original.replace(
        "\"7\": {\"actionId\": \"7\", \"name\": \"WAIT\"",
        "\"7\": {\"actionId\": \"7\", \"name\": \"hang_up\"",
    );
    json_yaml_json(d, &original);
    let a: serde_json::Value = serde_json::from_str(&original).expect("json");
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out.json")).expect("read")).expect("json");
    assert_eq!(a["actions"], b["actions"], "action names come back as Studio wrote them");
    assert_eq!(a, b, "the whole document round-trips");
}

// ---- F11 / F12: control characters and bidi overrides never reach a terminal raw -------------

#[test]
fn f11_f12_terminal_output_escapes_controls_and_bidi() {
    let runs: &[&[&str]] = &[
        &["lint", "terminal-escapes.yaml"],
        &["simulate", "terminal-escapes.yaml", "--calls", "5"],
        &["explain", "terminal-escapes.yaml", "--call", "0"],
        &["diff", "terminal-escapes.yaml", "terminal-escapes.yaml", "--calls", "5"],
    ];
    for args in runs {
        let (code, out, err) = bounded(&fixture(""), args);
        assert_ne!(code, 2, "{args:?}: {err}");
        for (name, text) in [("stdout", &out), ("stderr", &err)] {
            let raw: Vec<char> = text
                .chars()
                .filter(|&c| {
                    (c.is_control() && c != '\n' && c != '\t') || ('\u{202a}'..='\u{202e}').contains(&c)
                })
                .collect();
            assert!(raw.is_empty(), "{args:?} {name} has raw {raw:?}:\n{text}");
        }
        if args[0] != "diff" {
            // (diff of a script with itself prints no names)
            assert!(
                out.contains("\\u{1b}") || err.contains("\\u{1b}"),
                "{args:?}: the escape is shown escaped"
            );
        }
    }
}

// ---- F03 / F04: lint time and output grow linearly with the script -----------------------------

#[test]
fn f04_lint_output_is_linear_in_the_script() {
    let dir = tempfile::tempdir().expect("temp dir");
    let size = |n: usize, format: &str, extra: &[&str]| {
        std::fs::write(dir.path().join("big.yaml"), common::scripts::mixed_chain(n)).expect("write");
        let mut args = vec!["lint", "big.yaml", "--format", format];
        args.extend_from_slice(extra);
        let (code, out, err) = bounded(dir.path(), &args);
        assert_eq!(code, 1, "{format}: {err}");
        out.len()
    };
    for format in ["human", "json", "sarif"] {
        let (small, big) = (size(1_000, format, &[]), size(4_000, format, &[]));
        // 4× the actions (and findings): about 4× the output, not 16× (quadratic).
        assert!(big < 6 * small, "{format}: 1 000 actions {small} bytes, 4 000 actions {big} bytes");
    }
    // `--full-paths`: every action of every path (the old, quadratic form).
    let full = size(1_000, "json", &["--full-paths"]);
    assert!(full > 3 * size(1_000, "json", &[]), "--full-paths keeps the whole paths");
    let (_, out, _) = bounded(dir.path(), &["lint", "big.yaml", "--format", "human"]);
    assert!(out.contains(" actions … → "), "straight runs are elided: {}", &out[..out.len().min(3000)]);
    // Every unmodelled WORKFLOWEXECUTE has the same message and help: one cause, grouped. (Each
    // S001 names the Start that overwrites it: different causes, each shown.)
    assert!(
        out.contains("more like this (G003), the next at big.yaml:"),
        "findings of one cause are grouped"
    );
    assert_eq!(out.matches("G003(unmodelled-action)").count(), 1);
}

/// F04, the file name: `lint --format json` names the finding's file once per finding, not once
/// per path step — a step in the finding's own file has no `file` (one in another file, across
/// subscripts, keeps it: `json_steps_carry_each_steps_file_and_line`). Counted, not timed: with
/// a long file name the name occurs once per finding, and the output grows by one name length
/// per finding, not per step.
#[test]
fn f04_lint_json_names_the_file_once_per_finding_not_per_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    let long = "generated-script-with-a-long-name-so-that-every-repetition-of-it-shows.yaml";
    let text = common::scripts::mixed_chain(1_000);
    std::fs::write(dir.path().join("big.yaml"), &text).expect("write");
    std::fs::write(dir.path().join(long), &text).expect("write");
    let lint = |name: &str| {
        let (code, out, err) = bounded(dir.path(), &["lint", name, "--format", "json"]);
        assert_eq!(code, 1, "{err}");
        out
    };
    let out = lint(long);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let ds = doc["diagnostics"].as_array().expect("diagnostics");
    let steps: usize = ds.iter().map(|d| d["steps"].as_array().map_or(0, Vec::len)).sum();
    assert!(steps > 3 * ds.len(), "not vacuous: {steps} steps of {} findings", ds.len());
    assert!(
        ds.iter().flat_map(|d| d["steps"].as_array().into_iter().flatten()).all(|s| s.get("file").is_none())
    );
    // Once per finding and per load warning (`warnings`: each has its `file`), never per step.
    let entries = ds.len() + doc["warnings"].as_array().map_or(0, Vec::len);
    assert_eq!(out.matches(long).count(), entries, "the file name once per finding");
    // The long name costs one name length per entry more than `big.yaml`.
    let extra = out.len() - lint("big.yaml").len();
    assert_eq!(extra, entries * (long.len() - "big.yaml".len()));
}

/// F12, the HTML half: a right-to-left override in an action's label (and in a phrase) cannot
/// reorder the report around it — every bidi control a script brings is shown as a visible
/// `\u{202e}` (in text, tooltips, SVG labels and the title alike), and the elements that show
/// script text are bidi-isolated (`unicode-bidi: isolate`) for right-to-left letters.
#[test]
fn f12_report_html_isolates_bidi_overrides() {
    let dir = tempfile::tempdir().expect("temp dir");
    let html = dir.path().join("r.html");
    let html = html.to_str().expect("utf-8 path");
    for args in [
        vec!["report", "terminal-escapes.yaml", "-o", html, "--calls", "5"],
        vec!["report", "terminal-escapes.yaml", "terminal-escapes.yaml", "-o", html, "--calls", "5"],
    ] {
        let (code, _, err) = bounded(&fixture(""), &args);
        assert_eq!(code, 0, "{args:?}: {err}");
        let page = std::fs::read_to_string(html).expect("report written");
        let raw: Vec<char> = page.chars().filter(|&c| recflow::source::is_bidi_control(c)).collect();
        assert!(raw.is_empty(), "{args:?}: raw bidi controls {raw:?} in the page");
        assert!(page.contains("evil \\u{202e}gnp.exe"), "{args:?}: the label's override is shown escaped");
        assert!(page.contains("unicode-bidi: isolate"), "{args:?}: script text is isolated");
    }
}

/// F10, numbers: a Studio JSON integer beyond 64 bits and `1e400` (and `1e5`, which serde_json
/// would write as `100000.0`) come back with their original text through JSON → YAML → JSON,
/// and stay numbers in the YAML (not strings, not floats, not null).
#[test]
fn f10_studio_json_round_trip_keeps_number_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let original = consent_export();
    let big = "123456789012345678901234567890";
    let patched = original.replacen(
        "\"header\": {",
        &format!("\"header\": {{\"recflowBig\": {big}, \"recflowHuge\": 1e400, \"recflowExp\": 1e5, "),
        1,
    );
    assert_ne!(patched, original, "the export has a header to extend");
    json_yaml_json(d, &patched);
    let mid = std::fs::read_to_string(d.join("mid.yaml")).expect("read");
    for token in [big, "1e5"] {
        assert!(mid.contains(&format!(": {token}")), "YAML keeps `{token}` as a number:\n{mid}");
    }
    // YAML cannot hold 1e400 as a number (it overflows a double): it travels as a marked string.
    assert!(mid.contains("1e400"), "YAML keeps the text 1e400:\n{mid}");
    let out = std::fs::read_to_string(d.join("out.json")).expect("read");
    for (key, token) in [("recflowBig", big), ("recflowHuge", "1e400"), ("recflowExp", "1e5")] {
        assert!(out.contains(&format!("\"{key}\": {token}")), "JSON gives back `{key}: {token}`:\n{out}");
    }
    assert!(!out.contains('\u{e000}'), "no internal marker leaks into the output");
}
