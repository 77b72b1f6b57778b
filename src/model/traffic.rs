//! Traffic: who calls, what they press, how long things take, what agents do (FORMATS §4).

use super::Direction;

#[derive(Clone, Debug, PartialEq)]
pub struct Traffic {
    pub calls: u64,
    pub seed: u64,
    pub direction: Weighted<Direction>,
    /// Empty = no ANI.
    pub ani: Weighted<String>,
    /// Empty = no DNIS.
    pub dnis: Weighted<String>,
    /// Per MENU action id (string): weights of digit strings; `None` = no input.
    /// MENUs not listed pick uniformly among their wired digit branches.
    pub inputs: Vec<(String, Weighted<Option<String>>)>,
    /// Per action id (traffic-branched actions: HOURS, CHECKCALLSUP, unknown types with named
    /// branches): weights of its wired branch names, spelled as the script spells them.
    /// Actions not listed pick uniformly among their wired result branches.
    pub branches: Vec<(String, Weighted<String>)>,
    pub durations: Durations,
    pub agent: AgentBehaviour,
    /// `--traffic explore`: every decision the traffic leaves open is uniform over all its
    /// outcomes (no input included), every agent event happens with probability 1/2 — a
    /// test-design aid that shows everything a script can do, not a forecast ([`Traffic::explore`]).
    pub explore: bool,
}

/// Shares of the outcomes a traffic file does not name, so that default traffic reaches every
/// kind of branch (docs/tenant-and-traffic.md "Outcomes the traffic leaves open").
pub mod open {
    /// A MENU without an `inputs` entry whose `default` branch is wired: no input.
    pub const MENU_NO_INPUT: f64 = 0.05;
    /// ... and a digit it has no branch for (the first of 0-9, *, # that it does not list).
    pub const MENU_UNLISTED: f64 = 0.02;
    /// A traffic-branched action (HOURS, CAPTURE, an IF on an unknown value, ...) without a
    /// `branches` entry whose `Default` is wired besides named branches: `Default`.
    pub const BRANCH_DEFAULT: f64 = 0.05;
    /// Without `agent.presses`: the agent presses each MAX button an INDICATE of the script
    /// turns On (alone), and all of them in script order when there are several, each with this
    /// probability per contact.
    pub const BUTTON_PRESS: f64 = 0.02;
    /// The digit strings tried, in order, for "a digit the MENU has no branch for".
    pub const UNLISTED_CANDIDATES: [&str; 12] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#"];
}

/// Weighted choices in file order (weights > 0 after validation; they need not sum to 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Weighted<T> {
    pub items: Vec<(T, f64)>,
}

impl<T> Default for Weighted<T> {
    fn default() -> Self {
        Weighted { items: Vec::new() }
    }
}

/// A duration distribution, in seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dist {
    Fixed(f64),
    /// Exponential with this mean.
    Exp(f64),
    /// Uniform on [a, b].
    Uniform(f64, f64),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Durations {
    /// A MENU's prompt and the caller's answer; no input adds the MENU's `Timeout`.
    pub menu: Dist,
    /// PLAY (A-1: 3 s).
    pub play: Dist,
    /// A MUSIC file played whole (`SecondstoPlay` 0 or empty; A-26: 10 s). recflow extension.
    pub music: Dist,
    pub queue_wait: Dist,
    /// The caller abandons while queued after this long.
    pub patience: Dist,
    /// Agent-connected time.
    pub talk: Dist,
    /// The caller hangs up in the IVR (before REQAGENT) after this long from arrival;
    /// `None` (the key absent): callers never hang up in the IVR. recflow extension.
    pub ivr_patience: Option<Dist>,
}

/// Per-contact probabilities; each event at a uniform time inside the talk.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentBehaviour {
    pub rod: f64,
    pub supervisor_rod: f64,
    pub transfer_agent: f64,
    pub transfer_external: f64,
    pub conference: f64,
    pub disposition: f64,
    pub presses: Vec<PressSequence>,
    /// Whether the traffic file gave `agent.presses` (then exactly those are pressed; without
    /// it the script's own buttons are pressed now and then, [`open::BUTTON_PRESS`]).
    pub presses_given: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PressSequence {
    pub p: f64,
    /// Button names, pressed in this order at sorted uniform times within the talk.
    pub buttons: Vec<String>,
}

impl Default for Traffic {
    /// 1000 calls, seed 1, all inbound, no ANI/DNIS, no inputs, menu 6 s, play 3 s,
    /// queue_wait exp 30 s, patience exp 300 s, talk exp 240 s, no agent events.
    fn default() -> Self {
        Traffic {
            calls: 1000,
            seed: 1,
            direction: Weighted { items: vec![(Direction::Inbound, 1.0)] },
            ani: Weighted::default(),
            dnis: Weighted::default(),
            inputs: Vec::new(),
            branches: Vec::new(),
            durations: Durations::default(),
            agent: AgentBehaviour::default(),
            explore: false,
        }
    }
}

/// The `--traffic` name of [`Traffic::explore`].
pub const EXPLORE: &str = "explore";

impl Traffic {
    /// `--traffic explore`: the default traffic, but every MENU uniform over its listed digits,
    /// no input and an unlisted digit; every traffic-branched action uniform over all its wired
    /// branches (`Default` included); each MAX press choice (none, each button, all) uniform;
    /// and each agent event (ROD, supervisor ROD, transfers, conference, disposition) with
    /// probability 1/2. A test-design aid: one run shows what the script can do.
    pub fn explore() -> Traffic {
        Traffic {
            explore: true,
            agent: AgentBehaviour {
                rod: 0.5,
                supervisor_rod: 0.5,
                transfer_agent: 0.5,
                transfer_external: 0.5,
                conference: 0.5,
                disposition: 0.5,
                ..AgentBehaviour::default()
            },
            ..Traffic::default()
        }
    }
}

impl Default for Durations {
    fn default() -> Self {
        Durations {
            menu: Dist::Fixed(6.0),
            play: Dist::Fixed(3.0),
            music: Dist::Fixed(MUSIC_SECONDS),
            queue_wait: Dist::Exp(30.0),
            patience: Dist::Exp(300.0),
            talk: Dist::Exp(240.0),
            ivr_patience: None,
        }
    }
}

impl Default for AgentBehaviour {
    fn default() -> Self {
        AgentBehaviour {
            rod: 0.0,
            supervisor_rod: 0.0,
            transfer_agent: 0.0,
            transfer_external: 0.0,
            conference: 0.0,
            disposition: 0.0,
            presses: Vec::new(),
            presses_given: false,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing and validation (FORMATS §4).

use std::path::Path;

use super::check::{Canon, Ctx, fmt_num};
use super::node::{self, Node, Value};
use crate::script::Script;
use crate::script::model::Kind;
use crate::source::did_you_mean;
use crate::source::{LoadError, LoadErrorKind, LoadErrors};
use crate::source::{Source, Span};

/// The embedded default traffic, as a traffic file (what `Traffic::default()` is).
const DEFAULT_TRAFFIC_YAML: &str = include_str!("defaults/traffic.yaml");

/// The embedded default traffic as YAML text: a valid traffic file equal to [`Traffic::default`].
pub fn default_traffic_yaml() -> &'static str {
    DEFAULT_TRAFFIC_YAML
}

pub(crate) const TOP_KEYS: &[&str] =
    &["calls", "seed", "direction", "ani", "dnis", "inputs", "branches", "durations", "agent"];
const DIRECTION_KEYS: &[&str] = &["inbound", "outbound"];
pub(crate) const DURATION_KEYS: &[&str] =
    &["menu", "play", "music", "queue_wait", "patience", "talk", "ivr_patience"];

/// `durations.music` when the traffic file does not set it: a MUSIC file played whole lasts
/// 10 s (A-26; what A-1 always gave a MUSIC with `SecondstoPlay` 0).
pub const MUSIC_SECONDS: f64 = 10.0;
pub(crate) const AGENT_KEYS: &[&str] =
    &["rod", "supervisor_rod", "transfer_agent", "transfer_external", "conference", "disposition", "presses"];
const PRESS_KEYS: &[&str] = &["p", "buttons"];
const DIST_FORMS: &[&str] = &["exp", "uniform"];

const HELP_TOP: &str = "a traffic file is a mapping with keys calls, seed, direction, ani, dnis, inputs, branches, durations, \
                        agent (docs/tenant-and-traffic.md)";
const HELP_DIST: &str =
    "a duration is seconds: a number (6), {exp: mean} ({exp: 30}) or {uniform: [a, b]} ({uniform: [2, 8]})";
const HELP_WEIGHT: &str = "a weight is a non-negative number; weights are relative (they need not sum to 1)";

/// Load a traffic file, checked against `script` (`inputs` must name its MENUs).
pub fn load_traffic(path: &Path, script: &Script) -> Result<Traffic, LoadErrors> {
    load_traffic_with_warnings(path, script).map(|(t, _)| t)
}

/// Parse and validate traffic text; `name` is the file name shown in diagnostics. Keys left out
/// keep the values of [`Traffic::default`]; every error of the file is reported at once.
pub fn parse_traffic(name: &str, text: &str, script: &Script) -> Result<Traffic, LoadErrors> {
    parse_traffic_with_warnings(name, text, script).map(|(t, _)| t)
}

/// [`load_traffic`], also returning warnings (severity Warning), e.g. an `inputs` digit that
/// the MENU has no branch for (accepted: such an input takes the MENU's `default` branch).
pub fn load_traffic_with_warnings(
    path: &Path,
    script: &Script,
) -> Result<(Traffic, Vec<LoadError>), LoadErrors> {
    let text = crate::script::read_text(path)?;
    parse_traffic_with_warnings(&path.display().to_string(), &text, script)
}

/// [`parse_traffic`], also returning warnings (severity Warning).
pub fn parse_traffic_with_warnings(
    name: &str,
    text: &str,
    script: &Script,
) -> Result<(Traffic, Vec<LoadError>), LoadErrors> {
    let src = Source::new(name, text);
    let root = node::parse(&src)?;
    let mut cx = Ctx::new(&src);
    let mut t = Traffic::default();
    if let Some(entries) = cx.map(&root, "a traffic file", HELP_TOP) {
        for (key, _, v) in cx.fields(entries, TOP_KEYS, "a traffic file") {
            match key {
                "calls" => {
                    if let Some(n) =
                        whole_number(&mut cx, v, "`calls`", "the number of contacts to simulate, e.g. 10000")
                    {
                        t.calls = n;
                    }
                }
                "seed" => {
                    if let Some(n) = whole_number(
                        &mut cx,
                        v,
                        "`seed`",
                        "a whole number ≥ 0; the same seed gives the same run",
                    ) {
                        t.seed = n;
                    }
                }
                "direction" => {
                    if let Some(w) = parse_direction(&mut cx, v) {
                        t.direction = w;
                    }
                }
                "ani" | "dnis" => {
                    if let Some(w) = parse_numbers(&mut cx, v, key) {
                        if key == "ani" {
                            t.ani = w;
                        } else {
                            t.dnis = w;
                        }
                    }
                }
                "inputs" => {
                    if let Some(i) = parse_inputs(&mut cx, v, script) {
                        t.inputs = i;
                    }
                }
                "branches" => {
                    if let Some(b) = parse_branches(&mut cx, v, script) {
                        t.branches = b;
                    }
                }
                "durations" => parse_durations(&mut cx, v, &mut t.durations),
                "agent" => parse_agent(&mut cx, v, &mut t.agent),
                _ => unreachable!("fields() only returns listed keys"),
            }
        }
    }
    let warnings = cx.finish()?;
    Ok((t, warnings))
}

/// A whole number ≥ 0 that fits in u64 (`1e4` is accepted as 10000).
fn whole_number(cx: &mut Ctx, v: &Node, what: &str, help: &str) -> Option<u64> {
    match v.value {
        Value::Int(i) if i < 0 => {
            let e = cx
                .err(LoadErrorKind::InvalidConfig, format!("{what} must not be negative"), v.span, "negative")
                .with_help(help.to_string());
            cx.push(e);
            None
        }
        Value::Int(i) => match u64::try_from(i) {
            Ok(n) => Some(n),
            Err(_) => {
                let e = cx
                    .err(LoadErrorKind::InvalidConfig, format!("{what} is too large"), v.span, "too large")
                    .with_help(help.to_string());
                cx.push(e);
                None
            }
        },
        Value::Float(f) if f.is_finite() && f == f.trunc() && (0.0..1.8e19).contains(&f) => Some(f as u64),
        Value::Float(f) if f < 0.0 || !f.is_finite() => {
            let what_is = if f.is_finite() { "negative" } else { "not finite" };
            let e = cx
                .err(
                    LoadErrorKind::InvalidConfig,
                    format!("{what} must be a finite whole number ≥ 0"),
                    v.span,
                    what_is,
                )
                .with_help(help.to_string());
            cx.push(e);
            None
        }
        Value::Float(f) => {
            let e = cx
                .err(
                    LoadErrorKind::WrongType,
                    format!("{what} must be a whole number, found {}", fmt_num(f)),
                    v.span,
                    "not a whole number",
                )
                .with_help(help.to_string());
            cx.push(e);
            None
        }
        _ => {
            cx.wrong_type(v, what, "a whole number", help);
            None
        }
    }
}

/// Check a weight list: every weight ≥ 0 and finite (already checked), their sum > 0. Zero
/// weights are dropped (a weight of 0 = never chosen).
fn finish_weights<T>(cx: &mut Ctx, node: &Node, what: &str, items: Vec<(T, f64)>) -> Option<Weighted<T>> {
    let sum: f64 = items.iter().map(|(_, w)| w).sum();
    if !(sum > 0.0 && sum.is_finite()) {
        let found =
            if items.is_empty() { "no weights".to_string() } else { format!("they sum to {}", fmt_num(sum)) };
        let e = cx
            .err(
                LoadErrorKind::InvalidConfig,
                format!("the weights of {what} must sum to a positive number ({found})"),
                node.span,
                "no positive weight",
            )
            .with_help(format!("give at least one choice a weight > 0; {HELP_WEIGHT}"));
        cx.push(e);
        return None;
    }
    Some(Weighted { items: items.into_iter().filter(|(_, w)| *w > 0.0).collect() })
}

fn parse_direction(cx: &mut Ctx, v: &Node) -> Option<Weighted<Direction>> {
    let entries = cx.map(
        v,
        "`direction`",
        "`direction` maps inbound / outbound to weights, e.g. {inbound: 0.9, outbound: 0.1}",
    )?;
    let before = cx.errors.len();
    let mut items = Vec::new();
    for (key, _, w) in cx.fields(entries, DIRECTION_KEYS, "`direction`") {
        let Some(w) = cx.non_negative(w, &format!("the weight of `{key}`"), HELP_WEIGHT) else { continue };
        let d = if key == "inbound" { Direction::Inbound } else { Direction::Outbound };
        items.push((d, w));
    }
    if cx.errors.len() != before {
        return None;
    }
    finish_weights(cx, v, "`direction`", items)
}

/// Entries of a mapping with free-form keys: key text, with duplicates reported.
fn free_keys<'n>(
    cx: &mut Ctx,
    entries: &'n [(Node, Node)],
    context: &str,
) -> Vec<(String, &'n Node, &'n Node)> {
    let mut out: Vec<(String, &Node, &Node)> = Vec::new();
    // Index of each key in `out`: duplicate detection in O(n log n) for large maps.
    let mut index: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for (k, v) in entries {
        let text = match k.value {
            // `~: 0.1` (a YAML null key) in `inputs` means no input, like `none`.
            Value::Null => "none".to_string(),
            _ => match cx.key_text(k, context) {
                Some(t) => t,
                None => continue,
            },
        };
        if let Some(&i) = index.get(&text) {
            let first = out[i].1;
            let e = cx
                .err(
                    LoadErrorKind::InvalidConfig,
                    format!("duplicate key `{text}` in {context}"),
                    k.span,
                    "given again here",
                )
                .with_label(first.span, "first given here")
                .with_help("give each key once (`2` and \"2\" are the same key)");
            cx.push(e);
            continue;
        }
        index.insert(text.clone(), out.len());
        out.push((text, k, v));
    }
    out
}

fn parse_numbers(cx: &mut Ctx, v: &Node, key: &str) -> Option<Weighted<String>> {
    let entries = cx.map(
        v,
        &format!("`{key}`"),
        &format!("`{key}` maps phone numbers to weights, e.g. {{\"+15550100\": 0.7, \"+15550101\": 0.3}}"),
    )?;
    let before = cx.errors.len();
    let mut items = Vec::new();
    for (number, k, w) in free_keys(cx, entries, &format!("`{key}`")) {
        // An empty number matches no policy `numbers` filter and names no caller: a typo,
        // refused like any other invalid value (issue 10.11).
        if number.trim().is_empty() {
            let e = cx
                .err(
                    LoadErrorKind::InvalidConfig,
                    format!("an empty phone number in `{key}`"),
                    k.span,
                    "empty number",
                )
                .with_help(format!(
                    "write the number, e.g. {{\"+15550100\": 1}}; leave `{key}` out for no {key}"
                ));
            cx.push(e);
            continue;
        }
        if let Some(w) = cx.non_negative(w, &format!("the weight of `{number}`"), HELP_WEIGHT) {
            items.push((number, w));
        }
    }
    if cx.errors.len() != before {
        return None;
    }
    if items.is_empty() {
        // `ani: {}` = no ANI, as in the default.
        return Some(Weighted::default());
    }
    finish_weights(cx, v, &format!("`{key}`"), items)
}

fn parse_inputs(cx: &mut Ctx, v: &Node, script: &Script) -> Option<Vec<(String, Weighted<Option<String>>)>> {
    let entries = cx.map(
        v,
        "`inputs`",
        "`inputs` maps MENU ids to digit weights, e.g. {consent: {\"1\": 0.8, \"2\": 0.15, none: 0.05}}",
    )?;
    let before = cx.errors.len();
    let menus: Vec<&str> =
        script.actions.iter().filter(|a| matches!(a.kind, Kind::Menu(_))).map(|a| a.id.as_str()).collect();
    let menu_list = if menus.is_empty() {
        format!("script `{}` has no MENU", script.name)
    } else {
        format!("MENU ids in script `{}`: {}", script.name, menus.join(", "))
    };
    let mut out = Vec::new();
    // Action id → action: one lookup per entry instead of a scan of the script (issue 10.4).
    let by_id: std::collections::HashMap<&str, &crate::script::Action> =
        script.actions.iter().rev().map(|a| (a.id.as_str(), a)).collect();
    for (id, k, dv) in free_keys(cx, entries, "`inputs`") {
        // The MENU this entry is for.
        let action = match by_id.get(id.as_str()) {
            Some(&a) => a,
            None => {
                let mut help = menu_list.clone();
                if let Some(best) = did_you_mean(&id, menus.iter().copied()) {
                    help = format!("did you mean `{best}`? {help}");
                }
                let e = cx
                    .err(
                        LoadErrorKind::InvalidConfig,
                        format!(
                            "`inputs` names `{id}`, but script `{}` has no action with that id",
                            script.name
                        ),
                        k.span,
                        "no such MENU",
                    )
                    .with_help(help);
                cx.push(e);
                continue;
            }
        };
        if !matches!(action.kind, Kind::Menu(_)) {
            let ty = action.kind.canonical_name().unwrap_or(&action.type_name);
            let e = cx
                .err(
                    LoadErrorKind::InvalidConfig,
                    format!("`inputs` names `{id}`, which is a {ty} action, not a MENU"),
                    k.span,
                    "not a MENU",
                )
                .with_help(format!("only MENU actions take caller input; {menu_list}"));
            cx.push(e);
            continue;
        }
        let Some(digit_entries) = cx.map(
            dv,
            &format!("`inputs.{id}`"),
            "a MENU's inputs map digit strings (or `none` for no input) to weights, e.g. {\"1\": 0.8, none: 0.2}",
        ) else {
            continue;
        };
        let mut items = Vec::new();
        let mut ok = true;
        for (digits, dk, w) in free_keys(cx, digit_entries, &format!("`inputs.{id}`")) {
            let w = cx.non_negative(w, &format!("the weight of `{digits}`"), HELP_WEIGHT);
            let input = if digits.eq_ignore_ascii_case("none") {
                None
            } else if digits.eq_ignore_ascii_case("default") || digits.trim().is_empty() {
                let e = cx
                    .err(
                        LoadErrorKind::InvalidConfig,
                        format!("`{digits}` is not a caller input"),
                        dk.span,
                        "not digits",
                    )
                    .with_help(
                        "write the digits the caller presses (\"1\", \"42\", \"#\"), or `none` for no input; \
                         both no input and digits the MENU has no branch for take its `default` branch",
                    );
                cx.push(e);
                ok = false;
                continue;
            } else {
                if action.branch(&digits).is_none() {
                    let e = cx
                        .err(
                            LoadErrorKind::InvalidConfig,
                            format!("MENU `{id}` has no branch `{digits}`: this input takes its `default` branch"),
                            dk.span,
                            "no such branch",
                        )
                        .with_help(format!(
                            "branches of MENU `{id}`: {}; an unknown digit is simulated like a wrong key press",
                            action.branches.iter().map(|b| b.name.as_str()).collect::<Vec<_>>().join(", ")
                        ));
                    cx.warn(e);
                }
                Some(digits)
            };
            match w {
                Some(w) => items.push((input, w)),
                None => ok = false,
            }
        }
        if ok && let Some(w) = finish_weights(cx, dv, &format!("`inputs.{id}`"), items) {
            out.push((id, w));
        }
    }
    (cx.errors.len() == before).then_some(out)
}

/// Whether simulate picks this action's branch from traffic weights (docs/tenant-and-traffic.md):
/// a catalogue action whose outcome recflow cannot compute (HOURS, CHECKCALLSUP, ...), or an
/// unknown type with named result branches. One definition for the loader and the compiler.
pub fn is_traffic_branched(a: &crate::script::Action) -> bool {
    if !matches!(a.kind, Kind::Other) {
        return false;
    }
    // An IF is evaluated, but weighs its True / False by traffic when its value is unknown
    // (an external call's result) or its Expression cannot be evaluated (issue 11 point 2).
    if crate::script::runtime::is_if(a) {
        return true;
    }
    match a.spec {
        Some(spec) => spec.sim == crate::script::catalogue::Sim::Traffic,
        None => a.branches.iter().any(|b| b.name != "default"),
    }
}

fn parse_branches(cx: &mut Ctx, v: &Node, script: &Script) -> Option<Vec<(String, Weighted<String>)>> {
    let entries = cx.map(
        v,
        "`branches`",
        "`branches` maps action ids to branch weights, e.g. {hours: {Open: 0.8, Closed: 0.2}}",
    )?;
    let before = cx.errors.len();
    let branched: Vec<&str> =
        script.actions.iter().filter(|a| is_traffic_branched(a)).map(|a| a.id.as_str()).collect();
    let branched_list = if branched.is_empty() {
        format!("script `{}` has no action whose branch comes from traffic", script.name)
    } else {
        format!("traffic-branched actions in script `{}`: {}", script.name, branched.join(", "))
    };
    let by_id: std::collections::HashMap<&str, &crate::script::Action> =
        script.actions.iter().rev().map(|a| (a.id.as_str(), a)).collect();
    let mut out = Vec::new();
    for (id, k, dv) in free_keys(cx, entries, "`branches`") {
        let action = match by_id.get(id.as_str()) {
            Some(&a) => a,
            None => {
                let mut help = branched_list.clone();
                if let Some(best) = did_you_mean(&id, branched.iter().copied()) {
                    help = format!("did you mean `{best}`? {help}");
                }
                let e = cx
                    .err(
                        LoadErrorKind::InvalidConfig,
                        format!(
                            "`branches` names `{id}`, but script `{}` has no action with that id",
                            script.name
                        ),
                        k.span,
                        "no such action",
                    )
                    .with_help(help);
                cx.push(e);
                continue;
            }
        };
        if !is_traffic_branched(action) {
            let ty = action.kind.canonical_name().unwrap_or(&action.type_name);
            let hint = if matches!(action.kind, Kind::Menu(_)) {
                "; a MENU's input goes under `inputs`"
            } else {
                ""
            };
            let e = cx
                .err(
                    LoadErrorKind::InvalidConfig,
                    format!("`branches` names `{id}`, a {ty} action whose branch recflow computes itself"),
                    k.span,
                    "not traffic-branched",
                )
                .with_help(format!("{branched_list}{hint}"));
            cx.push(e);
            continue;
        }
        let what = format!("`branches.{id}`");
        let Some(branch_entries) = cx.map(
            dv,
            &what,
            "an action's branches map branch names to weights, e.g. {Open: 0.8, Closed: 0.2}",
        ) else {
            continue;
        };
        let wired: Vec<&str> = action
            .branches
            .iter()
            .filter(|b| b.target.is_some())
            .map(|b| if b.name == "default" { "Default" } else { b.name.as_str() })
            .collect();
        let mut items = Vec::new();
        let mut ok = true;
        for (name, bk, w) in free_keys(cx, branch_entries, &what) {
            let w = cx.non_negative(w, &format!("the weight of `{name}`"), HELP_WEIGHT);
            // Names compare like the catalogue compares them (`Open` = `OnOpen` = `open`);
            // stored as the script spells them, so the compiler matches exactly.
            let found = action
                .branches
                .iter()
                .find(|b| b.target.is_some() && crate::script::catalogue::same_branch_name(&b.name, &name));
            let Some(b) = found else {
                let mut help = if wired.is_empty() {
                    format!("`{id}` has no wired branch")
                } else {
                    format!("wired branches of `{id}`: {}", wired.join(", "))
                };
                if let Some(best) = did_you_mean(&name, wired.iter().copied()) {
                    help = format!("did you mean `{best}`? {help}");
                }
                let e = cx
                    .err(
                        LoadErrorKind::InvalidConfig,
                        format!("`{id}` has no wired branch `{name}`"),
                        bk.span,
                        "no such wired branch",
                    )
                    .with_help(help);
                cx.push(e);
                ok = false;
                continue;
            };
            match w {
                Some(w) => items.push((b.name.clone(), w)),
                None => ok = false,
            }
        }
        if ok && let Some(w) = finish_weights(cx, dv, &what, items) {
            out.push((id, w));
        }
    }
    (cx.errors.len() == before).then_some(out)
}

fn parse_durations(cx: &mut Ctx, v: &Node, d: &mut Durations) {
    let Some(entries) = cx.map(
        v,
        "`durations`",
        "`durations` maps menu, play, music, queue_wait, patience, talk, ivr_patience to durations",
    ) else {
        return;
    };
    for (key, _, dv) in cx.fields(entries, DURATION_KEYS, "`durations`") {
        let Some(dist) = parse_dist(cx, dv, key) else { continue };
        match key {
            "menu" => d.menu = dist,
            "play" => d.play = dist,
            "music" => d.music = dist,
            "queue_wait" => d.queue_wait = dist,
            "patience" => d.patience = dist,
            "talk" => d.talk = dist,
            "ivr_patience" => d.ivr_patience = Some(dist),
            _ => unreachable!(),
        }
    }
}

/// A duration: a number, `{exp: mean}` or `{uniform: [a, b]}` (seconds).
fn parse_dist(cx: &mut Ctx, v: &Node, key: &str) -> Option<Dist> {
    let what = format!("`durations.{key}`");
    match &v.value {
        Value::Int(_) | Value::Float(_) => cx.seconds(v, &what, HELP_DIST).map(Dist::Fixed),
        Value::Map(entries) if entries.len() == 1 => {
            let (fk, fv) = &entries[0];
            let form = cx.key_text(fk, &what)?;
            match form.as_str() {
                "exp" => cx.seconds(fv, &format!("the mean of {what}"), HELP_DIST).map(Dist::Exp),
                "uniform" => {
                    let Value::Seq(ab) = &fv.value else {
                        cx.wrong_type(fv, &format!("`uniform` in {what}"), "a list [a, b]", HELP_DIST);
                        return None;
                    };
                    if ab.len() != 2 {
                        let e = cx
                            .err(
                                LoadErrorKind::InvalidConfig,
                                format!(
                                    "`uniform` in {what} needs exactly two bounds [a, b], found {}",
                                    ab.len()
                                ),
                                fv.span,
                                "expected [a, b]",
                            )
                            .with_help(HELP_DIST);
                        cx.push(e);
                        return None;
                    }
                    let a = cx.seconds(&ab[0], &format!("the lower bound of {what}"), HELP_DIST);
                    let b = cx.seconds(&ab[1], &format!("the upper bound of {what}"), HELP_DIST);
                    let (a, b) = (a?, b?);
                    if a > b {
                        let e = cx
                            .err(
                                LoadErrorKind::InvalidConfig,
                                format!("`uniform` in {what} has a > b ({} > {})", fmt_num(a), fmt_num(b)),
                                fv.span,
                                "lower bound above upper bound",
                            )
                            .with_help(format!(
                                "write the bounds lowest first: {{uniform: [{}, {}]}}",
                                fmt_num(b),
                                fmt_num(a)
                            ));
                        cx.push(e);
                        return None;
                    }
                    Some(Dist::Uniform(a, b))
                }
                other => {
                    let mut help = format!("distributions: exp, uniform. {HELP_DIST}");
                    if let Some(best) = did_you_mean(other, DIST_FORMS.iter().copied()) {
                        help = format!("did you mean `{best}`? {help}");
                    }
                    let e = cx
                        .err(
                            LoadErrorKind::InvalidConfig,
                            format!("unknown distribution `{other}` in {what}"),
                            fk.span,
                            "unknown distribution",
                        )
                        .with_help(help);
                    cx.push(e);
                    None
                }
            }
        }
        Value::Map(entries) => {
            let e = cx
                .err(
                    LoadErrorKind::InvalidConfig,
                    format!("{what} must have exactly one distribution, found {} keys", entries.len()),
                    v.span,
                    "expected one of exp / uniform",
                )
                .with_help(HELP_DIST);
            cx.push(e);
            None
        }
        _ => {
            cx.wrong_type(v, &what, "a number or a distribution", HELP_DIST);
            None
        }
    }
}

fn parse_agent(cx: &mut Ctx, v: &Node, a: &mut AgentBehaviour) {
    let Some(entries) = cx.map(
        v,
        "`agent`",
        "`agent` maps rod, supervisor_rod, transfer_agent, transfer_external, conference, disposition to \
         probabilities, and presses to a list",
    ) else {
        return;
    };
    for (key, _, pv) in cx.fields(entries, AGENT_KEYS, "`agent`") {
        if key == "presses" {
            if let Some(p) = parse_presses(cx, pv) {
                a.presses = p;
                a.presses_given = true;
            }
            continue;
        }
        let Some(p) = cx.probability(pv, &format!("`agent.{key}`")) else { continue };
        match key {
            "rod" => a.rod = p,
            "supervisor_rod" => a.supervisor_rod = p,
            "transfer_agent" => a.transfer_agent = p,
            "transfer_external" => a.transfer_external = p,
            "conference" => a.conference = p,
            "disposition" => a.disposition = p,
            _ => unreachable!(),
        }
    }
}

/// Press sequences: each contact presses at most one of them, chosen with these
/// probabilities (so they must sum to ≤ 1; with the rest the agent presses nothing).
fn parse_presses(cx: &mut Ctx, v: &Node) -> Option<Vec<PressSequence>> {
    let help =
        "a press sequence is {p: 0.3, buttons: [\"Start Recorded Statement\", \"Stop Recorded Statement\"]}";
    let items = cx.seq(v, "`agent.presses`", help)?;
    let before = cx.errors.len();
    let mut out = Vec::new();
    let mut sum = 0.0;
    let mut spans: Vec<Span> = Vec::new();
    for item in items {
        let Some(entries) = cx.map(item, "a press sequence", help) else { continue };
        let fields = cx.fields(entries, PRESS_KEYS, "a press sequence");
        let mut seq = PressSequence { p: f64::NAN, buttons: Vec::new() };
        let mut has_buttons = false;
        for (key, _, fv) in &fields {
            if *key == "p" {
                if let Some(p) = cx.probability(fv, "`p` of a press sequence") {
                    seq.p = p;
                    spans.push(fv.span);
                    sum += p;
                    if sum > 1.0 + 1e-9 {
                        let mut e = cx
                            .err(
                                LoadErrorKind::InvalidConfig,
                                format!("press sequence probabilities sum to {} (more than 1)", fmt_num(sum)),
                                fv.span,
                                "the sum passes 1 here",
                            )
                            .with_help(
                                "each contact presses at most one sequence, chosen with these probabilities, \
                                 so they must sum to at most 1",
                            );
                        for s in &spans[..spans.len() - 1] {
                            e = e.with_label(*s, "");
                        }
                        cx.push(e);
                    }
                }
            } else if let Some(b) = cx.strings(fv, "`buttons`") {
                has_buttons = true;
                if b.is_empty() {
                    let e = cx
                        .err(LoadErrorKind::InvalidConfig, "`buttons` is empty", fv.span, "no buttons")
                        .with_help("list the MAX buttons (INDICATE `Name`) the agent presses, in order");
                    cx.push(e);
                }
                seq.buttons = b.into_iter().map(|(s, _)| s).collect();
            }
        }
        for (key, missing) in [("p", seq.p.is_nan()), ("buttons", !has_buttons)] {
            let given = entries.iter().any(|(k, _)| k.scalar_text(cx.src).as_deref() == Some(key));
            if missing && !given {
                let e = cx
                    .err(
                        LoadErrorKind::WrongType,
                        format!("a press sequence has no `{key}`"),
                        item.span,
                        format!("no `{key}`"),
                    )
                    .with_help(help);
                cx.push(e);
            }
        }
        out.push(seq);
    }
    (cx.errors.len() == before).then_some(out)
}

impl Traffic {
    /// Stable digest (16 hex digits, FNV-1a 64 over a canonical serialisation, every field
    /// including `calls` and `seed`): equal on every run and platform for equal traffic.
    pub fn digest(&self) -> String {
        let mut c = Canon::default();
        c.tag("recflow-traffic-v1").int(self.calls.into()).int(self.seed.into());
        c.tag("direction").int(self.direction.items.len() as i128);
        for (d, w) in &self.direction.items {
            c.tag(d.as_str()).num(*w);
        }
        for (tag, w) in [("ani", &self.ani), ("dnis", &self.dnis)] {
            c.tag(tag).int(w.items.len() as i128);
            for (s, w) in &w.items {
                c.str(s).num(*w);
            }
        }
        c.tag("inputs").int(self.inputs.len() as i128);
        for (id, w) in &self.inputs {
            c.str(id).int(w.items.len() as i128);
            for (d, w) in &w.items {
                match d {
                    Some(d) => c.str(d),
                    None => c.tag("none"),
                };
                c.num(*w);
            }
        }
        // Only when present: digests of traffic files without `branches` stay what they were.
        if !self.branches.is_empty() {
            c.tag("branches").int(self.branches.len() as i128);
            for (id, w) in &self.branches {
                c.str(id).int(w.items.len() as i128);
                for (b, w) in &w.items {
                    c.str(b).num(*w);
                }
            }
        }
        let d = &self.durations;
        c.tag("durations");
        // `music` only when set otherwise: digests of traffic files without it stay what they were.
        let music = (d.music != Dist::Fixed(MUSIC_SECONDS)).then_some(d.music);
        let dist_digest = |c: &mut Canon, dist: Dist| {
            match dist {
                Dist::Fixed(x) => c.tag("fixed").num(x),
                Dist::Exp(x) => c.tag("exp").num(x),
                Dist::Uniform(a, b) => c.tag("uniform").num(a).num(b),
            };
        };
        for dist in [d.menu, d.play, d.queue_wait, d.patience, d.talk].into_iter().chain(music) {
            dist_digest(&mut c, dist);
        }
        // `ivr_patience` only when set (tagged): digests of traffic files without it stay what
        // they were.
        if let Some(dist) = d.ivr_patience {
            c.tag("ivr_patience");
            dist_digest(&mut c, dist);
        }
        let a = &self.agent;
        c.tag("agent");
        for p in [a.rod, a.supervisor_rod, a.transfer_agent, a.transfer_external, a.conference, a.disposition]
        {
            c.num(p);
        }
        c.int(a.presses.len() as i128);
        for p in &a.presses {
            c.num(p.p).int(p.buttons.len() as i128);
            for b in &p.buttons {
                c.str(b);
            }
        }
        // Only when they matter: other digests stay what they were.
        if a.presses_given && a.presses.is_empty() {
            c.tag("no-presses");
        }
        if self.explore {
            c.tag("explore");
        }
        c.digest()
    }
}
