//! `recflow rules [CODE]`: list the lint rules and the run-time findings, or print one's
//! documentation (the text of `docs/rules/CODE.md`, rendered for a terminal).

use super::config::RuleOrFinding;
use super::term::wrap;
use super::{ExitKind, Term, write_human};
use crate::lint::registry;
use crate::sim::findings;

/// `rule`: the rule or finding named on the command line (checked in `config.rs`), or `None`
/// for all.
pub fn run(term: &Term, rule: Option<RuleOrFinding>) -> std::io::Result<ExitKind> {
    let page = |md: String| terminal_markdown(&md, term.width, term.stdout_color);
    match rule {
        None => {
            let mut s = String::from("Lint rules (recflow lint: every path)\n");
            s.push_str(&registry::listing());
            s.push_str("\nRun-time findings (simulate, explain, diff, report: simulated contacts)\n");
            s.push_str(&findings::listing());
            write_human(&s, false)?
        }
        Some(RuleOrFinding::Rule(rule)) => write_human(&page(rule.markdown()), term.stdout_color)?,
        Some(RuleOrFinding::Finding(f)) => write_human(&page(f.kind().markdown()), term.stdout_color)?,
    }
    Ok(ExitKind::Ok)
}

const BOLD: &str = "\u{1b}[1m";
const UNDERLINE: &str = "\u{1b}[1;4m";
const RESET: &str = "\u{1b}[0m";

/// The rule pages' Markdown (generated, a small subset: headings, paragraphs, `-` lists,
/// fenced code, tables, `**bold**`, `` `code` ``, links) as terminal text: HTML comments
/// dropped; headings bold (underlined at level 1) with colour, else underlined with `=` / `-`;
/// code blocks indented four spaces and never wrapped; tables kept as written; paragraphs and
/// list items wrapped at `width` at spaces only (not inside inline code, which keeps its
/// backticks), not at all with [`NO_WRAP`].
pub fn terminal_markdown(md: &str, width: usize, color: bool) -> String {
    let mut out = String::new();
    let mut para: Vec<&str> = Vec::new();
    // The prefix of the open paragraph's first line and of its continuation lines.
    let mut prefix = ("", "");
    let mut in_code = false;
    let mut in_comment = false;
    let flush = |out: &mut String, para: &mut Vec<&str>, prefix: (&str, &str)| {
        if para.is_empty() {
            return;
        }
        let text = inline(&para.join(" "), color);
        out.push_str(&wrap(&text, width, prefix.0, prefix.1).replace('\u{a0}', " "));
        out.push('\n');
        para.clear();
    };
    for line in md.lines() {
        if in_comment {
            in_comment = !line.contains("-->");
            continue;
        }
        if in_code {
            if line.trim_start().starts_with("```") {
                in_code = false;
            } else {
                out.push_str(format!("    {line}").trim_end_matches(' '));
                out.push('\n');
            }
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("<!--") {
            flush(&mut out, &mut para, prefix);
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if trimmed.starts_with("```") {
            flush(&mut out, &mut para, prefix);
            in_code = true;
            continue;
        }
        if trimmed.is_empty() {
            flush(&mut out, &mut para, prefix);
            if !out.is_empty() && !out.ends_with("\n\n") {
                out.push('\n');
            }
            continue;
        }
        let level = trimmed.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&level) && trimmed[level..].starts_with(' ') {
            flush(&mut out, &mut para, prefix);
            let title = strip_inline(trimmed[level..].trim());
            if color {
                out.push_str(&format!("{}{title}{RESET}\n", if level == 1 { UNDERLINE } else { BOLD }));
            } else {
                let rule = if level == 1 { "=" } else { "-" };
                out.push_str(&format!("{title}\n{}\n", rule.repeat(title.chars().count())));
            }
            continue;
        }
        if trimmed.starts_with('|') {
            flush(&mut out, &mut para, prefix);
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if let Some(item) = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* ")) {
            flush(&mut out, &mut para, prefix);
            prefix = ("  - ", "    ");
            para.push(item);
            continue;
        }
        if para.is_empty() {
            prefix = ("", "");
        }
        para.push(trimmed);
    }
    flush(&mut out, &mut para, prefix);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// `**bold**` without its stars (bold with colour), `[text](target)` as `text (target)`, and
/// the spaces inside `` `code` `` made non-breaking (turned back after wrapping).
fn inline(text: &str, color: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut bold = false;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix('`')
            && let Some(end) = after.find('`')
        {
            out.push('`');
            out.push_str(&after[..end].replace(' ', "\u{a0}"));
            out.push('`');
            rest = &after[end + 1..];
            continue;
        }
        if let Some(after) = rest.strip_prefix("**") {
            bold = !bold;
            if color {
                out.push_str(if bold { BOLD } else { RESET });
            }
            rest = after;
            continue;
        }
        if c == '['
            && let Some((label, target, after)) = link(rest)
        {
            out.push_str(&format!("{label} ({target})"));
            rest = after;
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `[label](target)` at the start of `s`: the label, the target and what follows.
fn link(s: &str) -> Option<(&str, &str, &str)> {
    let close = s.find("](")?;
    let label = &s[1..close];
    let after = &s[close + 2..];
    let end = after.find(')')?;
    (!label.contains('[')).then_some((label, &after[..end], &after[end + 1..]))
}

/// A heading's text: inline markup dropped.
fn strip_inline(text: &str) -> String {
    text.replace("**", "").replace('`', "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::term::NO_WRAP;

    const PAGE: &str = "<!-- generated from x.rs -->\n# C001 consent-decline\n\n**Default severity:** error. A long paragraph that\nspans lines with `inline code here` and [a link](docs/lint.md).\n\n## Example\n```yaml\n- id: consent\n  branches: {\"1\": queue, \"2\": dnr, default: queue}   # a comment that is long\n```\n\n- a list item that is long enough to wrap\n  onto the next line\n";

    #[test]
    fn headings_comments_code_and_paragraphs() {
        let out = terminal_markdown(PAGE, 30, false);
        assert!(!out.contains("<!--") && !out.contains("**"), "{out}");
        assert!(out.lines().all(|l| !l.starts_with('#')), "{out}");
        assert!(out.starts_with("C001 consent-decline\n====================\n\n"), "{out}");
        assert!(out.contains("Example\n-------\n"), "{out}");
        // Code: indented, whole, not wrapped at 30 columns.
        assert!(out.contains("\n    - id: consent\n"), "{out}");
        assert!(out.contains(
            "\n      branches: {\"1\": queue, \"2\": dnr, default: queue}   # a comment that is long\n"
        ));
        // Inline code is never split; links read as text.
        assert!(out.lines().any(|l| l.contains("`inline code here`")), "{out}");
        assert!(out.contains("a link (docs/lint.md)."), "{out}");
        assert!(out.contains("  - a list item that is long\n    enough"), "{out}");
        assert!(out.lines().filter(|l| !l.starts_with("    ")).all(|l| l.chars().count() <= 30), "{out}");
    }

    #[test]
    fn no_wrap_keeps_paragraphs_on_one_line_and_colour_marks_headings() {
        let out = terminal_markdown(PAGE, NO_WRAP, false);
        assert!(out.contains("error. A long paragraph that spans lines with `inline code here`"), "{out}");
        let out = terminal_markdown(PAGE, NO_WRAP, true);
        assert!(out.starts_with("\u{1b}[1;4mC001 consent-decline\u{1b}[0m\n"), "{out}");
    }
}
