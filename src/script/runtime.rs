//! What of an action is known only at run time (issue 11 points 2 and 4), decided in one place
//! for the loader (its warnings), lint (explore every value) and the simulator (compile once):
//!
//! - the IF action's `Expression`, a Snippet expression ([`if_expression`]): parsed here, so an
//!   expression recflow cannot evaluate (syntax it does not read, a function it does not know)
//!   is a located load warning and the IF keeps its traffic-weighted branch (`unmodelled`);
//! - typed properties holding a `{var}` template ([`templated`], [`TEMPLATABLE`]): the loader
//!   keeps the property's documented fallback as the typed value, the simulator resolves the
//!   template per contact and falls back (finding `templated_fallback`) when the value is still
//!   invalid.
//!
//! Input: raw or loaded actions. Output: parsed expressions, templated property texts, warnings.

use super::model::{Action, PropValue, TextMap};
use super::raw::RawAction;
use crate::snippet;
use crate::source::{LoadError, LoadErrorKind};

/// Typed properties whose value may be a `{var}` template, per action type, with the fallback a
/// value that is still invalid at run time takes (the default the loader uses) — the table
/// docs/script-format.md "Variables in properties" shows.
pub const TEMPLATABLE: &[(&str, &str, &str)] = &[
    ("MENU", "MaxDigits", "none (the input is not cut)"),
    ("MENU", "Timeout", "5"),
    ("MENU", "InterDigitTimeout", "0"),
    ("MUSIC", "SecondstoPlay", "0 (the whole file: traffic `durations.music`, A-26)"),
    ("WAIT", "Seconds", "5"),
    ("REQAGENT", "Skill", "Default"),
    ("INDICATE", "Name", "\"\" (a button no press names)"),
    ("INDICATE", "State", "On"),
    ("LOGRECORDINGPRO", "Record", "Start"),
    ("LOGRECORDINGPRO", "UseRecordingStatementId", "False"),
];

/// What `simulate` does with the value of a templatable property, when the general sentence
/// ("resolves it per contact; a value still invalid takes the default") does not say it exactly
/// (issue 25: a warning must say exactly what the engine does). `None`: the general sentence.
pub fn engine_use(type_name: &str, property: &str) -> Option<&'static str> {
    let is = |t: &str, p: &str| type_name.eq_ignore_ascii_case(t) && property.eq_ignore_ascii_case(p);
    if is("MENU", "Timeout") {
        Some(
            "simulate resolves it per contact: a MENU whose caller gives no input lasts traffic \
             `durations.menu` plus this many seconds and takes `OnTimeout` (else `default`; SEMANTICS A-25); \
             a value still invalid at run time (not seconds from 0 to 10 years) waits the default 5 s and \
             counts as `templated_fallback`",
        )
    } else if is("MENU", "MaxDigits") {
        Some(
            "simulate resolves it per contact: the caller's input (traffic `inputs`) is cut to this many \
             digits (SEMANTICS A-25); a value still invalid at run time (not a whole number from 1) cuts \
             nothing and counts as `templated_fallback`",
        )
    } else if is("MENU", "InterDigitTimeout") {
        Some(
            "simulate resolves it per contact: after the caller's last digit, when the input is shorter \
             than `MaxDigits`, the MENU waits this many seconds more (SEMANTICS A-25); a value still invalid \
             at run time waits 0 s and counts as `templated_fallback`",
        )
    } else if is("MUSIC", "SecondstoPlay") {
        Some(
            "simulate resolves it per contact: a positive number plays that many seconds and takes \
             `default`; 0 or empty plays the whole file, which lasts traffic `durations.music` (10 s unless \
             the traffic file sets it), and takes `OnComplete` (else `default`; SEMANTICS A-26); a value \
             still invalid at run time plays the whole file and counts as `templated_fallback`",
        )
    } else {
        None
    }
}

/// A value holding a `{var}` template (`"{MaxDigits}"`): CXone substitutes it at run time.
pub fn is_templated(s: &str) -> bool {
    s.find('{').is_some_and(|i| s[i..].contains('}'))
}

/// The text of property `name` when it holds a `{var}` template (names case-insensitive).
pub fn templated<'a>(action: &'a Action, name: &str) -> Option<&'a str> {
    action.properties.iter().find(|p| p.name.eq_ignore_ascii_case(name)).and_then(|p| match &p.value {
        PropValue::Text(t) if is_templated(t) => Some(t.as_str()),
        _ => None,
    })
}

/// Is this action an IF (catalogue type `IF`)?
pub fn is_if(action: &Action) -> bool {
    action.spec.is_some_and(|s| s.name == "IF")
}

/// Why an IF `Expression` cannot be evaluated (then the branch is chosen by traffic weights).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotEvaluable {
    /// Byte range in the (untrimmed) `Expression` text; `None` when the property is missing.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

/// Parse an IF `Expression` text: the expression, or why recflow cannot evaluate it — a syntax
/// it does not read, or a function that is neither a built-in nor a known external service.
pub fn parse_if(text: &str) -> Result<snippet::Expr, NotEvaluable> {
    let lead = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(NotEvaluable { at: Some((0, text.len())), message: "the Expression is empty".into() });
    }
    match snippet::parse_expression(trimmed) {
        Err(e) => Err(NotEvaluable {
            at: Some((lead + e.offset, e.len)),
            message: format!("recflow cannot read this expression: {}", e.message),
        }),
        Ok((e, warnings)) => {
            if let Some(w) = warnings.first() {
                return Err(NotEvaluable { at: Some((lead + w.offset, w.len)), message: w.message.clone() });
            }
            match snippet::Condition::unsupported(&e) {
                Some((name, offset, len)) => Err(NotEvaluable {
                    at: Some((lead + offset, len)),
                    message: format!("`{name}()` is not a function recflow knows"),
                }),
                None => Ok(e),
            }
        }
    }
}

/// The IF `Expression` of a loaded action, parsed (the simulator compiles it once).
pub fn if_expression(action: &Action) -> Result<snippet::Expr, NotEvaluable> {
    let text = action.properties.iter().find(|p| p.name.eq_ignore_ascii_case("Expression")).and_then(|p| {
        match &p.value {
            PropValue::Text(t) => Some(t.as_str()),
            PropValue::List(_) => None,
        }
    });
    match text {
        Some(t) => parse_if(t),
        None => Err(NotEvaluable { at: None, message: "the IF has no Expression".into() }),
    }
}

/// The load warning of an IF whose `Expression` recflow cannot evaluate (`load::if-unmodelled`),
/// located inside the property value (through its [`TextMap`]); `None` when it can.
pub(crate) fn if_warning(a: &RawAction) -> Option<LoadError> {
    let prop = a.properties.iter().find(|p| p.name.value.eq_ignore_ascii_case("Expression"));
    let empty = TextMap::default();
    let (text, map, span) = match prop {
        Some(p) => match &p.value {
            PropValue::Text(t) => (t.as_str(), &p.map, p.span),
            PropValue::List(_) => ("", &p.map, p.span),
        },
        None => ("", &empty, a.type_name.span),
    };
    let problem = match prop {
        None => NotEvaluable { at: None, message: "the IF has no Expression".into() },
        Some(_) => parse_if(text).err()?,
    };
    let label_span = match (prop, problem.at) {
        (Some(_), Some((offset, len))) if !map.pieces.is_empty() => {
            let e = snippet::SyntaxError { offset, len, message: String::new(), help: None };
            super::build::snippet_span(map, text, &e)
        }
        _ => span,
    };
    Some(
        LoadError::new(
            LoadErrorKind::IfUnmodelled,
            format!("IF `{}`: {}; its branch is chosen by traffic weights (unmodelled)", a.id.value, problem.message),
        )
        .with_label(label_span, "not evaluated")
        .with_help(
            "write the Expression in the Snippet subset of docs/snippet.md, or weigh True / False under traffic `branches:` (docs/tenant-and-traffic.md)",
        ),
    )
}

/// The fallback of a templatable property (from [`TEMPLATABLE`]); `?` for others.
pub fn fallback_of(property: &str) -> &'static str {
    TEMPLATABLE.iter().find(|(_, p, _)| p.eq_ignore_ascii_case(property)).map_or("?", |(_, _, d)| d)
}

/// The fallback of `property` of type `type_name` (from [`TEMPLATABLE`]), when listed.
pub fn fallback_for(type_name: &str, property: &str) -> Option<&'static str> {
    TEMPLATABLE
        .iter()
        .find(|(t, p, _)| t.eq_ignore_ascii_case(type_name) && p.eq_ignore_ascii_case(property))
        .map(|(_, _, d)| *d)
}
