//! Edits → text splices on a native YAML script, through the spans the loader kept.
//!
//! Only the bytes an edit is about change: a new action is a block of new lines written after
//! the action it belongs with (indented like that action); a rewire replaces one target scalar
//! (or adds one `default:` / `next:` line); a removed `allow:` entry takes its own text (and
//! the `allow:` key when it was the last entry). Everything else — comments, key order,
//! quoting, flow or block style of untouched lines — is left as it is. Layouts this editor
//! does not handle (an action written as a flow mapping, an unwired branch in an odd shape)
//! return [`Unsupported`]; the fix is then not offered.

use super::{Edit, NewAction, Splice, Unsupported};
use crate::script::{Action, PropValue, Script};

pub(super) fn splices(script: &Script, edits: &[Edit]) -> Result<Vec<Splice>, Unsupported> {
    let text: &str = &script.source.text;
    let mut out = Vec::new();
    // Where each added action was written (so an action added "near" it follows it).
    let mut added: Vec<(String, usize, String)> = Vec::new();
    for e in edits {
        match e {
            Edit::AddAction(n) => {
                let (at, indent) = match added.iter().find(|(id, _, _)| *id == n.near) {
                    Some((_, at, indent)) => (*at, indent.clone()),
                    None => {
                        let a = find(script, &n.near)?;
                        (after_action(text, a), key_indent(text, a)?)
                    }
                };
                let mut block = render_action(n, &indent);
                if at == text.len() && !text.ends_with('\n') {
                    block.insert(0, '\n');
                }
                out.push(Splice { offset: at, len: 0, text: block });
                added.push((n.id.clone(), at, indent));
            }
            Edit::Rewire { action, branch, to } => {
                if added.iter().any(|(id, _, _)| id == action) {
                    return Err(Unsupported(format!("rewire of added action `{action}`")));
                }
                out.push(rewire(script, find(script, action)?, branch, to)?);
            }
            Edit::SetProperty { action, name, value } => {
                let a = find(script, action)?;
                let p = a
                    .properties
                    .iter()
                    .find(|p| p.name.eq_ignore_ascii_case(name))
                    .ok_or_else(|| Unsupported(format!("`{action}` has no property `{name}`")))?;
                out.push(Splice { offset: p.span.offset, len: p.span.len, text: scalar(value) });
            }
            Edit::SnippetInsert { action, at, text: ins } => {
                let a = find(script, action)?;
                let crate::script::Kind::Snippet(s) = &a.kind else {
                    return Err(Unsupported(format!("`{action}` is not a SNIPPET")));
                };
                if ins.contains(['"', '\\', '\'', '\n']) {
                    return Err(Unsupported("Snippet text that needs escaping".into()));
                }
                out.push(Splice { offset: s.map.to_source(*at), len: 0, text: ins.clone() });
            }
            Edit::RemoveAllow { action, index } => {
                out.push(remove_allow(script, find(script, action)?, *index)?)
            }
        }
    }
    Ok(out)
}

fn find<'a>(script: &'a Script, id: &str) -> Result<&'a Action, Unsupported> {
    script.find(id).map(|ix| script.action(ix)).ok_or_else(|| Unsupported(format!("no action `{id}`")))
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Offset just after the line on which `at` lies (after its newline; the text's end if none).
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// Where a new action is written after `a`: the start of the line after `a`'s last line.
fn after_action(text: &str, a: &Action) -> usize {
    let end = a.span.end().min(text.len());
    // A block scalar's span can end with its newline: the next line starts there already.
    if end > 0 && text.as_bytes()[end - 1] == b'\n' { end } else { line_end(text, end) }
}

/// The `- ` prefix of an action item (`  - `): the new action's first line uses it, the other
/// lines the same width in spaces. Refused for flow-style actions.
fn key_indent(text: &str, a: &Action) -> Result<String, Unsupported> {
    let prefix = &text[line_start(text, a.span.offset)..a.span.offset];
    let t = prefix.trim_start_matches(' ');
    let ok = t.starts_with('-') && t[1..].chars().all(|c| c == ' ') && t.len() > 1;
    if ok && !text[a.span.offset..].starts_with('{') {
        Ok(prefix.to_string())
    } else {
        Err(Unsupported(format!("action `{}` is not a block mapping in a block list", a.id)))
    }
}

/// Is `s` safe as a plain YAML scalar? recflow reads a plain scalar's text as written (`On`,
/// `True`, `2` stay text), so only syntax matters here.
fn plain_ok(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | '(' | ')' | '/'))
        && !s.starts_with([' ', '-'])
        && !s.ends_with(' ')
        && !matches!(s.to_ascii_lowercase().as_str(), "null" | "~")
}

/// A scalar as YAML: plain when safe, else double-quoted (JSON string syntax is valid YAML).
fn scalar(s: &str) -> String {
    if plain_ok(s) { s.to_string() } else { serde_json::to_string(s).expect("strings serialize") }
}

fn value(v: &PropValue) -> String {
    match v {
        PropValue::Text(t) => scalar(t),
        PropValue::List(items) => {
            format!("[{}]", items.iter().map(|i| scalar(i)).collect::<Vec<_>>().join(", "))
        }
    }
}

fn render_action(n: &NewAction, dash: &str) -> String {
    let ind = " ".repeat(dash.len());
    let mut s = format!("{dash}id: {}\n{ind}type: {}\n", scalar(&n.id), n.type_name);
    if !n.label.is_empty() {
        s.push_str(&format!("{ind}label: {}\n", scalar(&n.label)));
    }
    if !n.properties.is_empty() {
        let props: Vec<String> = n.properties.iter().map(|(k, v)| format!("{k}: {}", value(v))).collect();
        s.push_str(&format!("{ind}properties: {{{}}}\n", props.join(", ")));
    }
    if let Some(next) = &n.next {
        s.push_str(&format!("{ind}next: {}\n", scalar(next)));
    }
    s
}

fn rewire(script: &Script, a: &Action, branch: &str, to: &str) -> Result<Splice, Unsupported> {
    let text: &str = &script.source.text;
    let target = scalar(to);
    if let Some(b) = a.branch(branch) {
        if b.target.is_some() && b.target_span.len > 0 {
            let sp = b.target_span;
            // A span that stops inside quotes keeps them: write the bare id between them.
            let quoted = sp.offset > 0 && matches!(text.as_bytes()[sp.offset - 1], b'"' | b'\'');
            let t = if quoted && plain_ok(to) { to.to_string() } else { target };
            return Ok(Splice { offset: sp.offset, len: sp.len, text: t });
        }
        // Present but not wired (`default:`, `default: ~`): replace the empty value.
        let mut at = b.name_span.end();
        let bytes = text.as_bytes();
        while at < bytes.len() && matches!(bytes[at], b'"' | b'\'') {
            at += 1;
        }
        if bytes.get(at) != Some(&b':') {
            return Err(Unsupported(format!("branch `{branch}` of `{}` has an unusual layout", a.id)));
        }
        at += 1;
        let end = at + text[at..].find(['\n', ',', '}', '#']).unwrap_or(text.len() - at);
        let old = text[at..end].trim();
        if !(old.is_empty() || old == "~" || old.eq_ignore_ascii_case("null") || old == "-1") {
            return Err(Unsupported(format!("branch `{branch}` of `{}` has an unusual value", a.id)));
        }
        let keep_space = text[at..end].ends_with(' ') && text[end..].starts_with('#');
        return Ok(Splice {
            offset: at,
            len: end - at,
            text: format!(" {target}{}", if keep_space { " " } else { "" }),
        });
    }
    // No such branch: add it next to the last branch written under `branches:`, or as `next:`.
    let last = a.branches.iter().max_by_key(|b| b.name_span.offset);
    let key = if branch == "default" { "default".to_string() } else { scalar(branch) };
    if let Some(last) = last.filter(|_| branch != "default" || a.branches.iter().all(|b| b.name != "default"))
    {
        let before = text[..last.name_span.offset].trim_end_matches([' ', '"', '\'']);
        if before.ends_with(['{', ',']) {
            if last.target_span.len == 0 {
                return Err(Unsupported(format!("last branch of `{}` is not wired", a.id)));
            }
            return Ok(Splice {
                offset: last.target_span.end() + closing_quote(text, last.target_span.end()),
                len: 0,
                text: format!(", {key}: {target}"),
            });
        }
        let ls = line_start(text, last.name_span.offset);
        let indent = &text[ls..last.name_span.offset];
        let indent = indent.trim_end_matches(['"', '\'']);
        if !indent.chars().all(|c| c == ' ') {
            return Err(Unsupported(format!("branches of `{}` have an unusual layout", a.id)));
        }
        let end = last.target_span.end().max(last.name_span.end());
        let at = line_end(text, end);
        let nl = if at == text.len() && !text.ends_with('\n') { "\n" } else { "" };
        return Ok(Splice { offset: at, len: 0, text: format!("{nl}{indent}{key}: {target}\n") });
    }
    if branch != "default" {
        return Err(Unsupported(format!("`{}` has no `branches:` to add `{branch}` to", a.id)));
    }
    let dash = key_indent(text, a)?;
    let at = after_action(text, a);
    let nl = if at == text.len() && !text.ends_with('\n') { "\n" } else { "" };
    Ok(Splice { offset: at, len: 0, text: format!("{nl}{}next: {target}\n", " ".repeat(dash.len())) })
}

/// 1 when a quote closes a scalar at `at` (the span stopped inside the quotes), else 0.
fn closing_quote(text: &str, at: usize) -> usize {
    usize::from(matches!(text.as_bytes().get(at), Some(b'"' | b'\'')))
}

fn remove_allow(script: &Script, a: &Action, index: usize) -> Result<Splice, Unsupported> {
    let text: &str = &script.source.text;
    let al =
        a.allow.get(index).ok_or_else(|| Unsupported(format!("`{}` has no allow entry {index}", a.id)))?;
    let sp = al.span;
    if a.allow.len() == 1 {
        // The only entry: remove the whole `allow:` key, from its line start to the end of the entry.
        let head = &text[a.span.offset..sp.offset];
        let k = head.rfind("allow").ok_or_else(|| Unsupported("no `allow` key found".into()))?;
        let kstart = a.span.offset + k;
        let ls = line_start(text, kstart);
        if !text[ls..kstart].chars().all(|c| c == ' ') {
            return Err(Unsupported(format!("`allow` of `{}` shares its line with another key", a.id)));
        }
        let mut end = sp.end();
        // The closing `]` of a flow list.
        let rest = &text[end..];
        let skip = rest.len() - rest.trim_start_matches([' ', ',']).len();
        if rest[skip..].starts_with(']') {
            end += skip + 1;
        }
        let tail = text[end..].split('\n').next().unwrap_or("");
        if !(tail.trim().is_empty() || tail.trim_start().starts_with('#')) {
            return Err(Unsupported(format!("`allow` of `{}` is followed by more text on its line", a.id)));
        }
        return Ok(Splice { offset: ls, len: line_end(text, end) - ls, text: String::new() });
    }
    let before = text[..sp.offset].trim_end_matches(' ');
    if before.ends_with('-') {
        // Block list item: remove its lines.
        let ls = line_start(text, sp.offset);
        return Ok(Splice { offset: ls, len: line_end(text, sp.end()) - ls, text: String::new() });
    }
    // Flow list: remove the entry and one separating comma.
    let after = &text[sp.end()..];
    let comma_after = after.trim_start_matches(' ').starts_with(',');
    if comma_after {
        let len = after.find(',').expect("checked") + 1;
        let spaces = after[len..].len() - after[len..].trim_start_matches(' ').len();
        Ok(Splice { offset: sp.offset, len: sp.len + len + spaces, text: String::new() })
    } else {
        let start = before.strip_suffix(',').map(str::len).unwrap_or(sp.offset);
        Ok(Splice { offset: start, len: sp.end() - start, text: String::new() })
    }
}
