//! Run-time values (issue 11 points 2 and 4): typed properties holding `{var}` templates, and
//! the IF action's `Expression`.
//!
//! Input (compile time): an action with templated typed properties and the op compiled from the
//! loader's typed values — which are the documented fallbacks (`script::runtime::TEMPLATABLE`).
//! Output: a [`TemplatedOp`] that, per contact, renders each template from the contact's
//! variables and patches the op's scalar fields (seconds, skill, button, On/Off, Start/Stop,
//! statement flag) — or keeps the fallback and reports `templated_fallback` when the value is
//! still invalid. The engine then runs the patched op exactly like a literal one, so a templated
//! `WAIT` of `{n}` = `7` and a literal `WAIT 7` give the same contact.
//!
//! Compile once, run many: templates are compiled here; per contact a render goes into a reused
//! buffer, numbers are parsed from it, skills and buttons are found by a case-insensitive scan of
//! the compiled tables (no hashing, no allocation). The IF [`IfOp`] holds a compiled
//! [`Condition`] and, for a value recflow cannot know, the traffic-weighted fallback.

use std::fmt::Write as _;

use super::compile::{BranchedOp, Compiled, Next, Op, secs_to_ms};
use super::ids::{ButtonId, SkillId};
use super::vars::{Template, Vars};
use crate::snippet::Condition;

/// Which typed field a templated property sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// WAIT `Seconds`: empty or not a number of seconds in [0, 10 years] is invalid.
    WaitSeconds,
    /// MUSIC `SecondstoPlay`: a positive number plays that long; 0 or empty plays the whole
    /// file; not a number is invalid.
    MusicSeconds,
    /// MENU `MaxDigits`: the caller's input is cut to it; a whole number from 1.
    MaxDigits,
    /// MENU `Timeout`: the wait for a first digit; seconds.
    Timeout,
    /// MENU `InterDigitTimeout`: the wait after a last digit short of `MaxDigits`.
    InterDigitTimeout,
    /// REQAGENT `Skill`: any non-empty name.
    Skill,
    /// INDICATE `Name`: any text.
    ButtonName,
    /// INDICATE `State`: On / Off (empty = On).
    State,
    /// LOGRECORDINGPRO `Record`: Start / Stop.
    Record,
    /// LOGRECORDINGPRO `UseRecordingStatementId`: True / False (empty = False).
    UseStatementId,
}

/// One templated property.
#[derive(Clone, Debug)]
pub struct Prop {
    /// The property name as the catalogue spells it (for explain).
    pub name: &'static str,
    pub field: Field,
    pub template: Template,
}

/// An action with templated typed properties: `inner` is the op compiled with the fallbacks.
#[derive(Clone, Debug)]
pub struct TemplatedOp {
    pub inner: Op,
    pub props: Vec<Prop>,
    /// Index into [`Compiled::templated`] (the report's `templated_fallback` keys).
    pub slot: u32,
}

/// The IF action: `Expression` compiled once; True / False targets; the traffic-weighted
/// choice for a value recflow cannot know (an external call's result) or a runtime error.
#[derive(Clone, Debug)]
pub struct IfOp {
    pub cond: Condition,
    pub on_true: Next,
    pub on_false: Next,
    /// The expression as written, for explain.
    pub text: String,
    pub fallback: BranchedOp,
}

/// A MENU's A-25 values resolved for this contact (`None`: the compiled one). Kept beside the
/// op rather than in a patched copy of it: a MENU op is boxed, and a copy would allocate.
#[derive(Clone, Copy, Debug, Default)]
pub struct MenuValues {
    pub max_digits: Option<u32>,
    pub timeout_ms: Option<u64>,
    pub inter_digit_ms: Option<u64>,
}

/// What resolving a [`TemplatedOp`] gave.
pub struct Resolved {
    /// The patched op; `None` = run `inner` unchanged (nothing the simulator uses changed).
    pub op: Option<Op>,
    /// A templated MENU's values for this contact.
    pub menu: MenuValues,
    /// The first property whose value was still invalid (index into `props`); its rendered
    /// text is left in the `invalid` buffer passed to [`resolve`].
    pub fell_back: Option<usize>,
}

/// Render every templated property of `t` for this contact and patch `t.inner`.
/// `buf` is scratch; `invalid` receives the text of the first invalid value.
pub fn resolve(
    t: &TemplatedOp,
    p: &Compiled,
    vars: &mut Vars,
    buf: &mut String,
    invalid: &mut String,
) -> Resolved {
    let mut op: Option<Op> = None;
    let mut menu = MenuValues::default();
    let mut fell_back = None;
    for (i, prop) in t.props.iter().enumerate() {
        buf.clear();
        let r = prop.template.render_into(vars, buf);
        let v = buf.trim();
        let ok = !r.unknown && !r.truncated && apply(prop.field, v, &t.inner, &mut op, &mut menu, p, vars);
        if !ok && fell_back.is_none() {
            fell_back = Some(i);
            invalid.clear();
            if r.unknown {
                invalid.push_str("(unknown)");
            } else {
                invalid.push_str(v);
            }
        }
    }
    Resolved { op, menu, fell_back }
}

/// Patch the op (copied from `inner` on the first change) with value `v`; false when `v` is not
/// a valid value for `field` (the op keeps its fallback).
fn apply(
    field: Field,
    v: &str,
    inner: &Op,
    op: &mut Option<Op>,
    menu: &mut MenuValues,
    p: &Compiled,
    vars: &mut Vars,
) -> bool {
    let lower_is = |a: &[&str]| a.iter().any(|w| v.eq_ignore_ascii_case(w));
    match field {
        Field::WaitSeconds => {
            let Some(s) = seconds(v) else { return false };
            if let Op::Timed { media, next, .. } = current(op, inner) {
                let (media, next) = (*media, *next);
                *op = Some(Op::Timed { ms: secs_to_ms(s), media, whole: false, next });
            }
            true
        }
        // the fallback op plays the whole file; a positive value plays that long.
        Field::MusicSeconds => {
            let secs = if v.is_empty() { Some(0.0) } else { seconds(v) };
            let Some(s) = secs else { return false };
            if s > 0.0
                && let Op::Music { default, .. } = current(op, inner)
            {
                *op = Some(Op::Timed { ms: secs_to_ms(s), media: true, whole: false, next: *default });
            }
            true
        }
        Field::MaxDigits => match v.parse::<u32>() {
            Ok(n) if n >= 1 => {
                menu.max_digits = Some(n);
                true
            }
            _ => false,
        },
        Field::Timeout => seconds(v).map(|s| menu.timeout_ms = Some(secs_to_ms(s))).is_some(),
        Field::InterDigitTimeout => seconds(v).map(|s| menu.inter_digit_ms = Some(secs_to_ms(s))).is_some(),
        Field::Skill => {
            if v.is_empty() {
                return false;
            }
            let skill = match find(&p.skills, v) {
                Some(k) => Some(SkillId::new(k)),
                None => {
                    // A name no table knows: the placeholder skill; SKILL / SKILLNAME still show
                    // the name (REQAGENT sets them from the skill table for known names).
                    p.sysvars.skill(vars, v);
                    p.runtime_skill
                }
            };
            if let (Some(skill), Op::ReqAgent { next, .. }) = (skill, current(op, inner)) {
                let next = *next;
                *op = Some(Op::ReqAgent { skill, next });
            }
            true
        }
        Field::ButtonName => {
            let button = find(&p.button_names, v).map(ButtonId::new).or(p.runtime_button);
            if let (Some(button), Op::Indicate { on, params, next, .. }) = (button, current(op, inner)) {
                *op = Some(Op::Indicate { button, on: *on, params: params.clone(), next: *next });
            }
            true
        }
        Field::State => {
            let on = if v.is_empty() || lower_is(&["on", "true", "yes", "y"]) {
                true
            } else if lower_is(&["off", "false", "no", "n"]) {
                false
            } else {
                return false;
            };
            if let Op::Indicate { button, params, next, .. } = current(op, inner) {
                *op = Some(Op::Indicate { button: *button, on, params: params.clone(), next: *next });
            }
            true
        }
        Field::Record => {
            let start = if lower_is(&["start"]) {
                true
            } else if lower_is(&["stop"]) {
                false
            } else {
                return false;
            };
            if let Op::Record { statement, next, .. } = current(op, inner) {
                *op = Some(Op::Record { start, statement: *statement, next: *next });
            }
            true
        }
        Field::UseStatementId => {
            let statement = if v.is_empty() || lower_is(&["false", "no", "off", "n"]) {
                false
            } else if lower_is(&["true", "yes", "on", "y"]) {
                true
            } else {
                return false;
            };
            if let Op::Record { start, next, .. } = current(op, inner) {
                *op = Some(Op::Record { start: *start, statement, next: *next });
            }
            true
        }
    }
}

/// The op as patched so far (or the fallback op).
fn current<'a>(op: &'a Option<Op>, inner: &'a Op) -> &'a Op {
    op.as_ref().unwrap_or(inner)
}

/// Seconds as the loader accepts them: a finite number in [0, 10 years].
fn seconds(v: &str) -> Option<f64> {
    v.parse::<f64>().ok().filter(|s| s.is_finite() && (0.0..=crate::source::MAX_SECONDS).contains(s))
}

/// Index of `name` in a table of names compared ignoring ASCII case (a linear scan: skill and
/// button tables are short, and a scan needs neither hashing nor allocation).
fn find(table: &[String], name: &str) -> Option<usize> {
    table.iter().position(|s| !s.is_empty() && s.eq_ignore_ascii_case(name))
}

/// The explain line of a fallback: what the property said and what was used instead.
pub fn fallback_text(t: &TemplatedOp, i: usize, invalid: &str) -> String {
    let prop = &t.props[i];
    let mut s = String::new();
    let _ = write!(
        s,
        "{} = \"{invalid}\" is not a valid value at run time: the fallback {} is used (templated_fallback)",
        prop.name,
        crate::script::runtime::fallback_of(prop.name)
    );
    s
}

/// Wrap `op` (compiled from `action` with the loader's fallback values) in a [`TemplatedOp`]
/// when a typed property the simulator reads holds a `{var}` template; otherwise return it as
/// is. `templated` collects the ids of wrapped actions (report keys); `skill` / `button` intern
/// a name in the compiled tables (the fallback `Default` skill, the placeholder `""` entries
/// that stand for names known only at run time).
#[allow(clippy::too_many_arguments)]
pub fn wrap(
    op: Op,
    action: &crate::script::Action,
    symbols: &mut super::vars::Symbols,
    templated: &mut Vec<String>,
    runtime_skill: &mut Option<SkillId>,
    runtime_button: &mut Option<ButtonId>,
    skill: &mut dyn FnMut(&str) -> SkillId,
    button: &mut dyn FnMut(&str) -> ButtonId,
) -> Op {
    use crate::script::{Kind, runtime::templated as tpl};
    let fields: &[(&'static str, Field)] = match (&action.kind, &op) {
        (Kind::Wait { .. }, Op::Timed { .. }) => &[("Seconds", Field::WaitSeconds)],
        (Kind::Music { .. }, Op::Timed { .. } | Op::Music { .. }) => {
            &[("SecondstoPlay", Field::MusicSeconds)]
        }
        (_, Op::Menu(_)) => &[
            ("MaxDigits", Field::MaxDigits),
            ("Timeout", Field::Timeout),
            ("InterDigitTimeout", Field::InterDigitTimeout),
        ],
        (_, Op::ReqAgent { .. }) => &[("Skill", Field::Skill)],
        (_, Op::Indicate { .. }) => &[("Name", Field::ButtonName), ("State", Field::State)],
        (_, Op::Record { .. }) => {
            &[("Record", Field::Record), ("UseRecordingStatementId", Field::UseStatementId)]
        }
        _ => &[],
    };
    let props: Vec<Prop> = fields
        .iter()
        .filter_map(|&(name, field)| {
            tpl(action, name).map(|text| Prop { name, field, template: Template::compile(text, symbols) })
        })
        .collect();
    if props.is_empty() {
        return op;
    }
    // The fallback of a free-text property is its documented default, not the template text.
    let inner = match op {
        Op::ReqAgent { next, .. } if props.iter().any(|p| p.field == Field::Skill) => {
            runtime_skill.get_or_insert_with(|| skill(""));
            Op::ReqAgent { skill: skill("Default"), next }
        }
        Op::Indicate { on, params, next, .. } if props.iter().any(|p| p.field == Field::ButtonName) => {
            let b = *runtime_button.get_or_insert_with(|| button(""));
            Op::Indicate { button: b, on, params, next }
        }
        op => op,
    };
    // Linked subscript copies of one action share its report key.
    let slot = templated.iter().position(|id| *id == action.id).unwrap_or_else(|| {
        templated.push(action.id.clone());
        templated.len() - 1
    });
    Op::Templated(Box::new(TemplatedOp { inner, props, slot: slot as u32 }))
}
