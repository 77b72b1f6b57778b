//! The docs show real output: every ```` ```console ```` block of `README.md` and `docs/*.md` is
//! run and compared with what the built binary prints.
//!
//! A block is a list of `$ COMMAND` lines, each followed by its output (stdout and stderr as a
//! terminal shows them, in order). Commands run from the repository root with `NO_COLOR=1` and
//! `COLUMNS=100` (the width the docs are written at). A command is `recflow ARGS` (the binary
//! under test), `cargo run --release -- ARGS` (the same) or `cat FILE`; arguments may be quoted
//! and continued with a trailing `\`. Anything else — pipes, redirections, globs, `cargo
//! install`, commands that write files or take long — cannot run here: its block is marked
//! ```` ```console ignore ```` (GitHub still highlights it as `console`), and an unmarked block
//! that cannot run fails this test, so no block is skipped silently.
//!
//! What may differ between the doc and the output (the whole list):
//! - a line `…` (or `...`) in the doc stands for any number of output lines (an excerpt; a
//!   command shown without its output is followed by one);
//! - a doc line ending in `…` stands for every output line that starts with the text before it;
//! - trailing spaces at the ends of lines, and blank lines at the end of the output.
//!
//! After a change of output: `RECFLOW_UPDATE_DOCS=1 cargo test --test docs_console` rewrites every block
//! without `…` to the real output, and an excerpt of the first lines (`…` last) to the same
//! number of first lines (review the `git diff`: a changed output is a changed product); any
//! other excerpt that no longer matches is reported, to be fixed by hand.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::root;

/// One `$ COMMAND` of a block and the doc's output lines under it.
struct Step {
    command: String,
    /// Line index (0-based, in the file) of the first output line.
    first: usize,
    expected: Vec<String>,
}

struct Block {
    /// Line (1-based) of the opening fence.
    line: usize,
    steps: Vec<Step>,
}

fn doc_files() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// The runnable console blocks of `file` (blocks marked `ignore` are left out).
fn blocks(file: &Path, text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let info = lines[i].trim_start();
        let Some(info) = info.strip_prefix("```console") else {
            // Skip other fenced blocks whole (a console fence never sits inside one).
            if let Some(fence) = fence_of(lines[i]) {
                i += 1;
                while i < lines.len() && !lines[i].trim_start().starts_with(fence) {
                    i += 1;
                }
            }
            i += 1;
            continue;
        };
        let ignore = info.split_whitespace().next() == Some("ignore");
        let start = i;
        i += 1;
        let mut steps: Vec<Step> = Vec::new();
        while i < lines.len() && !lines[i].trim_start().starts_with("```") {
            let line = lines[i];
            if let Some(cmd) = line.strip_prefix("$ ") {
                let mut command = cmd.to_owned();
                while command.ends_with('\\') && i + 1 < lines.len() {
                    command.pop();
                    i += 1;
                    command.push(' ');
                    command.push_str(lines[i].trim());
                }
                steps.push(Step { command, first: i + 1, expected: Vec::new() });
            } else if let Some(step) = steps.last_mut() {
                step.expected.push(line.to_owned());
            } else {
                panic!(
                    "{}:{}: a console block starts with output, not a `$ command`",
                    file.display(),
                    start + 1
                );
            }
            i += 1;
        }
        i += 1;
        if !ignore {
            out.push(Block { line: start + 1, steps });
        }
    }
    out
}

/// The fence a line opens (```` ``` ```` or `~~~`), if any.
fn fence_of(line: &str) -> Option<&'static str> {
    let t = line.trim_start();
    if t.starts_with("```") {
        Some("```")
    } else if t.starts_with("~~~") {
        Some("~~~")
    } else {
        None
    }
}

/// Split a command line as a shell would for the quoting the docs use ('…', "…", `\ `);
/// `None` when it needs a shell (pipes, redirections, globs, `;`, `&&`, comments, `$VAR`).
fn words(command: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => cur.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => cur.push(chars.next()?),
                        '$' | '`' => return None,
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.push(chars.next()?);
            }
            '|' | '>' | '<' | ';' | '&' | '*' | '?' | '$' | '`' | '(' | ')' => return None,
            '#' if !in_word => return None,
            '~' if !in_word => return None,
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Some(out)
}

/// What a doc command runs.
enum Runnable {
    /// The binary under test with these arguments.
    Recflow(Vec<String>),
    /// `cat FILE`, relative to the repository root.
    Cat(PathBuf),
}

/// Options that write files (into the repository, if run here).
const WRITES: &[&str] = &["-o", "--output", "--out", "--calls-out", "--accept"];

/// Can this doc command run here, and what does it run? The reason when not.
fn runnable(command: &str) -> Result<Runnable, String> {
    let Some(w) = words(command) else {
        return Err("needs a shell (pipe, redirection, glob, comment or variable)".into());
    };
    let args: Vec<String> = match w.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["recflow", ..] => w[1..].to_vec(),
        ["cargo", "run", "--release", "--", ..] => w[4..].to_vec(),
        ["cat", file] => {
            let path = root().join(file);
            return match path.is_file() {
                true => Ok(Runnable::Cat(path)),
                false => Err(format!("`{file}` is not a file of the repository")),
            };
        }
        _ => return Err("only `recflow …`, `cargo run --release -- …` and `cat FILE` run here".into()),
    };
    let writes = args.iter().any(|a| WRITES.iter().any(|o| a == o || a.starts_with(&format!("{o}="))))
        || (args.iter().any(|a| a == "--fix") && !args.iter().any(|a| a == "--diff"));
    if writes {
        return Err("it writes files".into());
    }
    Ok(Runnable::Recflow(args))
}

/// Run one doc command: its output as a terminal shows it (stdout and stderr interleaved).
fn run(what: &Runnable) -> String {
    let args = match what {
        Runnable::Recflow(args) => args,
        Runnable::Cat(path) => return std::fs::read_to_string(path).unwrap(),
    };
    let (mut reader, writer) = std::io::pipe().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_recflow"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null())
        .stdout(writer.try_clone().unwrap())
        .stderr(writer)
        .spawn()
        .unwrap();
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).unwrap();
    child.wait().unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The output lines as compared: trailing spaces and trailing blank lines dropped.
fn clean(lines: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = lines.into_iter().map(|l| l.trim_end().to_owned()).collect();
    while v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    v
}

/// A doc line standing for any number of output lines: `…` or `...` alone (indented or not).
fn is_gap(line: &str) -> bool {
    matches!(line.trim(), "…" | "...")
}

/// Does `actual` match the doc's `expected`, reading `…` as described at the top?
fn matches(expected: &[String], actual: &[String]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if is_gap(e) => (0..=actual.len()).any(|k| matches(rest, &actual[k..])),
        Some((e, rest)) => match actual.split_first() {
            None => false,
            Some((a, arest)) => {
                let line_ok = match e.strip_suffix('…') {
                    Some(prefix) => a.starts_with(prefix),
                    None => a == e,
                };
                line_ok && matches(rest, arest)
            }
        },
    }
}

#[test]
fn console_blocks_show_real_output() {
    let update = std::env::var_os("RECFLOW_UPDATE_DOCS").is_some();
    let mut failures = Vec::new();
    let mut ran = 0;
    for file in doc_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let rel = file.strip_prefix(root()).unwrap().display().to_string();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        // Replacements (first line, old length, new lines), applied bottom-up.
        let mut edits: Vec<(usize, usize, Vec<String>)> = Vec::new();
        for block in blocks(&file, &text) {
            // Nothing of a block runs unless all of it can.
            let what: Vec<Result<Runnable, String>> =
                block.steps.iter().map(|s| runnable(&s.command)).collect();
            let cannot: Vec<String> = block
                .steps
                .iter()
                .zip(&what)
                .filter_map(|(s, w)| w.as_ref().err().map(|why| format!("`$ {}`: {why}", s.command)))
                .collect();
            if !cannot.is_empty() {
                failures.push(format!(
                    "{rel}:{}: this block cannot run here (mark it ```console ignore):\n  {}",
                    block.line,
                    cannot.join("\n  ")
                ));
                continue;
            }
            for (step, what) in block.steps.iter().zip(what) {
                let actual = clean(run(&what.unwrap()).lines().map(str::to_owned));
                ran += 1;
                let expected = clean(step.expected.iter().cloned());
                if matches(&expected, &actual) {
                    continue;
                }
                let elided = expected.iter().any(|l| is_gap(l) || l.ends_with('…'));
                if update && !elided {
                    edits.push((step.first, step.expected.len(), actual));
                    continue;
                }
                // The first lines of the output, then a gap: the same number of lines again.
                let head = expected.len().saturating_sub(1);
                let prefix = expected.last().is_some_and(|l| is_gap(l))
                    && !expected[..head].iter().any(|l| is_gap(l) || l.ends_with('…'));
                if update && prefix && actual.len() >= head {
                    let mut new = actual[..head].to_vec();
                    new.push(expected[head].clone());
                    edits.push((step.first, step.expected.len(), new));
                    continue;
                }
                failures.push(format!(
                    "{rel}:{}: `$ {}` prints{}:\n{}\n--- the doc shows:\n{}",
                    block.line,
                    step.command,
                    if update { " (an excerpt with `…`: fix by hand)" } else { "" },
                    actual.join("\n"),
                    expected.join("\n")
                ));
            }
        }
        if update && !edits.is_empty() {
            for (first, len, new) in edits.into_iter().rev() {
                lines.splice(first..first + len, new);
            }
            let mut t = lines.join("\n");
            t.push('\n');
            std::fs::write(&file, t).unwrap();
        }
    }
    assert!(ran >= 15, "only {ran} doc commands ran");
    assert!(
        failures.is_empty(),
        "{} doc output(s) differ from the binary's (RECFLOW_UPDATE_DOCS=1 cargo test --test docs_console rewrites them):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The matcher itself: `…` lines and `…` line ends are the only slack.
#[test]
fn excerpt_matching() {
    let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert!(matches(&v(&["a", "…", "d"]), &v(&["a", "b", "c", "d"])));
    assert!(matches(&v(&["a", "…"]), &v(&["a"])));
    assert!(!matches(&v(&["a", "…", "d"]), &v(&["a", "b", "c"])));
    assert!(matches(&v(&["ab…"]), &v(&["abc"])));
    assert!(!matches(&v(&["ab…"]), &v(&["xabc"])));
    assert!(!matches(&v(&["a"]), &v(&["a", "b"])));
    assert!(matches(&v(&["a", "  ..."]), &v(&["a", "b"])));
    assert_eq!(words("recflow lint 'a b' \"c\" d\\ e"), Some(v(&["recflow", "lint", "a b", "c", "d e"])));
    assert_eq!(words("recflow graph x | dot"), None);
    assert_eq!(words("recflow man --out man1   # comment"), None);
}
