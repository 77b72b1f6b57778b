//! A `*.test.yaml` file → [`TestFile`]: the script it tests, optional tenant and traffic files,
//! and its cases, each value with the span it was written at (so that resolving a case against
//! the script can say file:line:column, `resolve.rs`).
//!
//! Read from the shared spanned YAML tree with the tenant / traffic validator (`model/check.rs`):
//! every problem of the file is reported at once, unknown keys with "did you mean". Key lists
//! are constants here; `schema.rs` describes the same file for editors and its tests compare
//! the two.

use std::path::{Path, PathBuf};

use crate::model::Direction;
use crate::model::check::Ctx;
use crate::model::node::{Node, Value};
use crate::source::{LoadError, LoadErrorKind, LoadErrors, Source, Span};

pub const TOP_KEYS: &[&str] = &["script", "tenant", "traffic", "seed", "cases"];
pub const CASE_KEYS: &[&str] = &["name", "seed", "call", "given", "expect"];
pub const GIVEN_KEYS: &[&str] =
    &["inputs", "variables", "ani", "dnis", "direction", "external", "ivr_patience", "agent"];
pub const AGENT_KEYS: &[&str] =
    &["answers_after", "talk", "presses", "transfer", "conference", "disposition", "rod", "supervisor_rod"];
pub const PRESS_KEYS: &[&str] = &["at", "button"];
pub const TRANSFER_KEYS: &[&str] = &["to", "at"];
pub const EVENT_KEYS: &[&str] = &["at"];
pub const EXPECT_KEYS: &[&str] = &[
    "recorded",
    "findings",
    "visits",
    "not_visits",
    "variables",
    "statements",
    "dnr",
    "abandoned",
    "hung_up_in_ivr",
];
pub const STATEMENT_KEYS: &[&str] = &["saved", "lost"];
/// `expect.recorded` values.
pub const RECORDED: &[&str] = &["none", "full", "agent_only", "ivr"];

/// A value with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct At<T> {
    pub v: T,
    pub span: Span,
}

/// One `*.test.yaml` file.
#[derive(Clone, Debug)]
pub struct TestFile {
    pub path: PathBuf,
    pub source: Source,
    /// Resolved against the test file's folder.
    pub script: PathBuf,
    pub tenant: Option<PathBuf>,
    pub traffic: Option<PathBuf>,
    pub seed: Option<u64>,
    pub cases: Vec<Case>,
}

#[derive(Clone, Debug)]
pub struct Case {
    pub name: String,
    /// The case's `- name:` line, for messages.
    pub span: Span,
    pub seed: Option<u64>,
    /// The contact index whose keyed draws fill what `given` leaves open (default 0).
    pub call: u64,
    pub given: Given,
    pub expect: Expect,
}

/// One MENU / CAPTURE input: digits, or `None` for no input.
pub type Input = At<Option<String>>;

#[derive(Clone, Debug, Default)]
pub struct Given {
    /// Action id → one input for every visit, or a list (visit by visit).
    pub inputs: Vec<(At<String>, InputSpec)>,
    pub variables: Vec<(At<String>, String)>,
    pub ani: Option<At<String>>,
    pub dnis: Option<At<String>>,
    pub direction: Option<Direction>,
    /// Function name or action id → results, in order.
    pub external: Vec<(At<String>, Vec<At<String>>)>,
    /// seconds after arrival at which the caller hangs up if still in the IVR;
    /// `Some(None)` (`false`): never. `None`: as the traffic says.
    pub ivr_patience: Option<Option<f64>>,
    pub agent: Agent,
}

#[derive(Clone, Debug)]
pub enum InputSpec {
    Every(Input),
    Visits(Vec<Input>),
}

/// Whether an agent event happens: `false`/`none`, `true` (at a drawn time), or seconds after
/// the answer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EventSpec {
    Never,
    Drawn,
    At(f64),
}

#[derive(Clone, Debug, Default)]
pub struct Agent {
    pub answers_after: Option<f64>,
    pub talk: Option<f64>,
    pub presses: Option<Vec<(f64, At<String>)>>,
    /// `None`: drawn. `Some(list)`: exactly these transfers (`to` agent / external, when).
    pub transfer: Option<Vec<(TransferTo, EventSpec)>>,
    pub conference: Option<EventSpec>,
    pub disposition: Option<EventSpec>,
    pub rod: Option<EventSpec>,
    pub supervisor_rod: Option<EventSpec>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferTo {
    Agent,
    External,
}

#[derive(Clone, Debug, Default)]
pub struct Expect {
    pub recorded: Option<String>,
    pub findings: Option<Vec<At<String>>>,
    pub visits: Option<Vec<At<String>>>,
    pub not_visits: Option<Vec<At<String>>>,
    pub variables: Vec<(At<String>, String)>,
    pub saved: Option<u64>,
    pub lost: Option<u64>,
    pub dnr: Option<bool>,
    pub abandoned: Option<bool>,
    pub hung_up_in_ivr: Option<bool>,
}

/// Load and check one test file (its shape only; ids and names are checked against the script
/// by `resolve.rs`).
pub fn load(path: &Path) -> Result<TestFile, LoadErrors> {
    let text = crate::source::read_text(path)?;
    let source = Source::new(path.display().to_string(), text);
    parse(path, source)
}

pub fn parse(path: &Path, source: Source) -> Result<TestFile, LoadErrors> {
    let root = crate::model::node::parse(&source)?;
    let mut cx = Ctx::new(&source);
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut file = TestFile {
        path: path.to_path_buf(),
        source: source.clone(),
        script: PathBuf::new(),
        tenant: None,
        traffic: None,
        seed: None,
        cases: Vec::new(),
    };
    let help = "a test file has `script:` (the script to test) and `cases:` (docs/testing.md)";
    let Some(entries) = cx.map(&root, "the test file", help) else { return Err(errors(cx)) };
    let fields = cx.fields(entries, TOP_KEYS, "the test file");
    let mut has_script = false;
    for (key, _, v) in fields {
        match key {
            "script" => {
                if let Some(s) = cx.string(v, "`script`") {
                    file.script = beside(dir, &s);
                    has_script = true;
                }
            }
            "tenant" => file.tenant = cx.string(v, "`tenant`").map(|s| beside(dir, &s)),
            // The built-in `explore` traffic (docs/simulate.md) is a name, not a file.
            "traffic" => {
                file.traffic = cx.string(v, "`traffic`").map(|s| {
                    if s == crate::model::traffic::EXPLORE { PathBuf::from(s) } else { beside(dir, &s) }
                })
            }
            "seed" => file.seed = count(&mut cx, v, "`seed`"),
            "cases" => {
                if let Some(items) = cx.seq(v, "`cases`", "`cases:` is a list of `- name: ...` entries") {
                    for item in items {
                        if let Some(case) = parse_case(&mut cx, item) {
                            file.cases.push(case);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if !has_script && cx.errors.is_empty() {
        let e = cx
            .err(LoadErrorKind::WrongType, "the test file names no `script`", root.span, "no `script:` key")
            .with_help("add `script: my-script.yaml` (relative to the test file)");
        cx.push(e);
    }
    if cx.errors.is_empty() { Ok(file) } else { Err(errors(cx)) }
}

/// `rel` relative to the test file's folder, `a/b/../c` folded to `a/c` (lexically: the path
/// is shown in reports, and `tests/x/../../scripts/s.yaml` reads badly).
fn beside(dir: &Path, rel: &str) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in dir.join(rel).components() {
        match c {
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    if out.as_os_str().is_empty() { PathBuf::from(".") } else { out }
}

fn errors(cx: Ctx<'_>) -> LoadErrors {
    LoadErrors { errors: cx.errors }
}

fn count(cx: &mut Ctx<'_>, v: &Node, what: &str) -> Option<u64> {
    match v.value {
        Value::Int(i) if i >= 0 && i <= i128::from(u64::MAX) => Some(i as u64),
        _ => {
            cx.wrong_type(v, what, "a whole number, 0 or more", "e.g. 0, 1, 42");
            None
        }
    }
}

fn at_string(cx: &mut Ctx<'_>, v: &Node, what: &str) -> Option<At<String>> {
    cx.string(v, what).map(|s| At { v: s, span: v.span })
}

fn string_list(cx: &mut Ctx<'_>, v: &Node, what: &str, help: &str) -> Option<Vec<At<String>>> {
    let items = cx.seq(v, what, help)?;
    Some(items.iter().filter_map(|n| at_string(cx, n, what)).collect())
}

/// `(key, value)` of a mapping whose keys are names (variables, ids), values scalars.
fn named_scalars(cx: &mut Ctx<'_>, v: &Node, what: &str, help: &str) -> Vec<(At<String>, String)> {
    let Some(entries) = cx.map(v, what, help) else { return Vec::new() };
    let mut out = Vec::new();
    for (k, val) in entries {
        let Some(key) = cx.key_text(k, what) else { continue };
        let value = match &val.value {
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => Some(String::new()),
            _ => cx.string(val, &format!("the value of `{key}`")),
        };
        if let Some(value) = value {
            out.push((At { v: key, span: k.span }, value));
        }
    }
    out
}

fn parse_case(cx: &mut Ctx<'_>, item: &Node) -> Option<Case> {
    let entries = cx.map(item, "a case", "a case is `- name: ...` with `given:` and `expect:`")?;
    let mut case = Case {
        name: String::new(),
        span: item.span,
        seed: None,
        call: 0,
        given: Given::default(),
        expect: Expect::default(),
    };
    let mut named = false;
    for (key, _, v) in cx.fields(entries, CASE_KEYS, "a case") {
        match key {
            "name" => {
                if let Some(n) = cx.string(v, "`name`") {
                    case.name = n;
                    case.span = v.span;
                    named = true;
                }
            }
            "seed" => case.seed = count(cx, v, "`seed`"),
            // The last index has no next contact to end a range at; no traffic runs that many.
            "call" => case.call = count(cx, v, "`call`").map_or(0, |c| c.min(u64::MAX - 1)),
            "given" => case.given = parse_given(cx, v),
            "expect" => case.expect = parse_expect(cx, v),
            _ => {}
        }
    }
    if !named {
        let e = cx
            .err(LoadErrorKind::WrongType, "a case has no `name`", item.span, "no `name:`")
            .with_help("give every case a `name:` — it is what `recflow test` prints and `--filter` matches");
        cx.push(e);
        return None;
    }
    Some(case)
}

/// A MENU / CAPTURE input: digits as written (`1`, `"007"`, `"#"`) or `none` / null.
fn input(cx: &mut Ctx<'_>, v: &Node) -> Option<Input> {
    match &v.value {
        Value::Null => Some(At { v: None, span: v.span }),
        Value::Str(s) if s.eq_ignore_ascii_case("none") => Some(At { v: None, span: v.span }),
        _ => cx.string(v, "an input").map(|s| At { v: Some(s), span: v.span }),
    }
}

fn parse_given(cx: &mut Ctx<'_>, v: &Node) -> Given {
    let mut g = Given::default();
    let help = "`given:` fixes what the caller, agent and back-end systems do (docs/testing.md)";
    let Some(entries) = cx.map(v, "`given`", help) else { return g };
    for (key, _, v) in cx.fields(entries, GIVEN_KEYS, "`given`") {
        match key {
            "inputs" => {
                let help = "`inputs:` maps a MENU or CAPTURE id to digits, `none`, or a list (one per visit)";
                let Some(entries) = cx.map(v, "`inputs`", help) else { continue };
                for (k, val) in entries {
                    let Some(id) = cx.key_text(k, "`inputs`") else { continue };
                    let spec = match &val.value {
                        Value::Seq(items) => {
                            InputSpec::Visits(items.iter().filter_map(|n| input(cx, n)).collect())
                        }
                        _ => match input(cx, val) {
                            Some(i) => InputSpec::Every(i),
                            None => continue,
                        },
                    };
                    g.inputs.push((At { v: id, span: k.span }, spec));
                }
            }
            "variables" => {
                g.variables =
                    named_scalars(cx, v, "`variables`", "`variables:` maps a variable name to its value")
            }
            "ani" => g.ani = at_string(cx, v, "`ani`"),
            "dnis" => g.dnis = at_string(cx, v, "`dnis`"),
            "direction" => {
                g.direction = match cx.string(v, "`direction`").as_deref() {
                    Some("inbound") => Some(Direction::Inbound),
                    Some("outbound") => Some(Direction::Outbound),
                    Some(other) => {
                        let e = cx
                            .err(
                                LoadErrorKind::InvalidConfig,
                                format!("unknown direction `{other}`"),
                                v.span,
                                "not a direction",
                            )
                            .with_help("write `inbound` or `outbound`");
                        cx.push(e);
                        None
                    }
                    None => None,
                }
            }
            "external" => {
                let help = "`external:` maps a Snippet function name (GetRESTProxy, MakeRestRequest, …) or an \
                            action id (RESTAPI, HOURS, CAPTURE, …) to its results, in call order";
                let Some(entries) = cx.map(v, "`external`", help) else { continue };
                for (k, val) in entries {
                    let Some(name) = cx.key_text(k, "`external`") else { continue };
                    let results = match &val.value {
                        Value::Seq(_) => string_list(cx, val, "an external result", help).unwrap_or_default(),
                        _ => at_string(cx, val, "an external result").into_iter().collect(),
                    };
                    g.external.push((At { v: name, span: k.span }, results));
                }
            }
            "ivr_patience" => {
                g.ivr_patience =
                    if never(v) { Some(None) } else { seconds(cx, v, "`ivr_patience`").map(Some) }
            }
            "agent" => g.agent = parse_agent(cx, v),
            _ => {}
        }
    }
    g
}

fn seconds(cx: &mut Ctx<'_>, v: &Node, what: &str) -> Option<f64> {
    cx.seconds(v, what, "a number of seconds, e.g. 12 or 2.5")
}

/// `false`, `none` or an empty value: something does not happen (an agent event, a transfer,
/// the caller's IVR hang-up).
fn never(v: &Node) -> bool {
    match &v.value {
        Value::Bool(false) | Value::Null => true,
        Value::Str(s) => s.eq_ignore_ascii_case("none"),
        _ => false,
    }
}

/// `false` / `none`: never; `true`: at a drawn time; a number or `{at: S}`: seconds after the
/// answer.
fn event(cx: &mut Ctx<'_>, v: &Node, what: &str) -> Option<EventSpec> {
    match &v.value {
        _ if never(v) => Some(EventSpec::Never),
        Value::Bool(true) => Some(EventSpec::Drawn),
        Value::Int(_) | Value::Float(_) => seconds(cx, v, what).map(EventSpec::At),
        Value::Map(entries) => {
            let mut at = EventSpec::Drawn;
            for (key, _, v) in cx.fields(entries, EVENT_KEYS, what) {
                if key == "at" {
                    at = EventSpec::At(seconds(cx, v, "`at`")?);
                }
            }
            Some(at)
        }
        _ => {
            cx.wrong_type(
                v,
                what,
                "false, true, a number of seconds or {at: S}",
                "e.g. `rod: false`, `rod: 30`",
            );
            None
        }
    }
}

fn transfer_to(cx: &mut Ctx<'_>, v: &Node) -> Option<TransferTo> {
    match cx.string(v, "a transfer").as_deref() {
        Some("agent") => Some(TransferTo::Agent),
        Some("external") => Some(TransferTo::External),
        Some(other) => {
            let e = cx
                .err(
                    LoadErrorKind::InvalidConfig,
                    format!("unknown transfer `{other}`"),
                    v.span,
                    "not a transfer",
                )
                .with_help("write `none`, `agent`, `external`, or `{to: agent, at: 30}`");
            cx.push(e);
            None
        }
        None => None,
    }
}

fn one_transfer(cx: &mut Ctx<'_>, v: &Node) -> Option<(TransferTo, EventSpec)> {
    match &v.value {
        Value::Map(entries) => {
            let (mut to, mut at) = (None, EventSpec::Drawn);
            for (key, _, v) in cx.fields(entries, TRANSFER_KEYS, "a transfer") {
                match key {
                    "to" => to = transfer_to(cx, v),
                    "at" => at = EventSpec::At(seconds(cx, v, "`at`")?),
                    _ => {}
                }
            }
            match to {
                Some(to) => Some((to, at)),
                None => {
                    let e = cx
                        .err(LoadErrorKind::WrongType, "a transfer needs `to`", v.span, "no `to:`")
                        .with_help("write `{to: agent, at: 30}` or `{to: external}`");
                    cx.push(e);
                    None
                }
            }
        }
        _ => transfer_to(cx, v).map(|to| (to, EventSpec::Drawn)),
    }
}

fn parse_agent(cx: &mut Ctx<'_>, v: &Node) -> Agent {
    let mut a = Agent::default();
    let help = "`agent:` fixes what the agent does (docs/testing.md)";
    let Some(entries) = cx.map(v, "`agent`", help) else { return a };
    for (key, _, v) in cx.fields(entries, AGENT_KEYS, "`agent`") {
        match key {
            "answers_after" => a.answers_after = seconds(cx, v, "`answers_after`"),
            "talk" => a.talk = seconds(cx, v, "`talk`"),
            "presses" => {
                let help = "`presses:` is a list of `{at: SECONDS, button: NAME}`";
                let Some(items) = cx.seq(v, "`presses`", help) else { continue };
                let mut presses = Vec::new();
                for item in items {
                    let Some(entries) = cx.map(item, "a press", help) else { continue };
                    let (mut at, mut button) = (None, None);
                    for (key, _, v) in cx.fields(entries, PRESS_KEYS, "a press") {
                        match key {
                            "at" => at = seconds(cx, v, "`at`"),
                            "button" => button = at_string(cx, v, "`button`"),
                            _ => {}
                        }
                    }
                    match (at, button) {
                        (Some(at), Some(b)) => presses.push((at, b)),
                        _ => {
                            let e = cx
                                .err(
                                    LoadErrorKind::WrongType,
                                    "a press needs `at` and `button`",
                                    item.span,
                                    "incomplete",
                                )
                                .with_help(help);
                            cx.push(e);
                        }
                    }
                }
                a.presses = Some(presses);
            }
            "transfer" => {
                a.transfer = match &v.value {
                    _ if never(v) => Some(Vec::new()),
                    Value::Seq(items) => Some(items.iter().filter_map(|n| one_transfer(cx, n)).collect()),
                    _ => one_transfer(cx, v).map(|t| vec![t]),
                }
            }
            "conference" => a.conference = event(cx, v, "`conference`"),
            "disposition" => a.disposition = event(cx, v, "`disposition`"),
            "rod" => a.rod = event(cx, v, "`rod`"),
            "supervisor_rod" => a.supervisor_rod = event(cx, v, "`supervisor_rod`"),
            _ => {}
        }
    }
    a
}

fn parse_expect(cx: &mut Ctx<'_>, v: &Node) -> Expect {
    let mut x = Expect::default();
    let help = "`expect:` says what must have happened (docs/testing.md)";
    let Some(entries) = cx.map(v, "`expect`", help) else { return x };
    for (key, _, v) in cx.fields(entries, EXPECT_KEYS, "`expect`") {
        match key {
            "recorded" => {
                let Some(s) = cx.string(v, "`recorded`") else { continue };
                if RECORDED.contains(&s.as_str()) {
                    x.recorded = Some(s);
                } else {
                    let mut help = format!("`recorded` is one of {}", RECORDED.join(", "));
                    if let Some(best) = crate::source::did_you_mean(&s, RECORDED.iter().copied()) {
                        help = format!("did you mean `{best}`? {help}");
                    }
                    let e = cx
                        .err(
                            LoadErrorKind::InvalidConfig,
                            format!("unknown recording outcome `{s}`"),
                            v.span,
                            "unknown",
                        )
                        .with_help(help);
                    cx.push(e);
                }
            }
            "findings" => {
                x.findings = string_list(
                    cx,
                    v,
                    "`findings`",
                    "a list of finding names or codes, e.g. [statement_lost]",
                )
            }
            "visits" => x.visits = string_list(cx, v, "`visits`", "a list of action ids, in path order"),
            "not_visits" => x.not_visits = string_list(cx, v, "`not_visits`", "a list of action ids"),
            "variables" => {
                x.variables =
                    named_scalars(cx, v, "`variables`", "`variables:` maps a variable name to its value")
            }
            "statements" => {
                let help = "`statements: {saved: N, lost: N}`";
                let Some(entries) = cx.map(v, "`statements`", help) else { continue };
                for (key, _, v) in cx.fields(entries, STATEMENT_KEYS, "`statements`") {
                    match key {
                        "saved" => x.saved = count(cx, v, "`saved`"),
                        "lost" => x.lost = count(cx, v, "`lost`"),
                        _ => {}
                    }
                }
            }
            "dnr" => x.dnr = cx.bool(v, "`dnr`"),
            "abandoned" => x.abandoned = cx.bool(v, "`abandoned`"),
            "hung_up_in_ivr" => x.hung_up_in_ivr = cx.bool(v, "`hung_up_in_ivr`"),
            _ => {}
        }
    }
    x
}

/// A located error in a test file (resolution against the script reports through it too).
pub fn error(file: &TestFile, span: Span, message: String, label: &str, help: String) -> LoadError {
    LoadError::new(LoadErrorKind::InvalidConfig, message)
        .with_source(&file.source)
        .with_label(span, label.to_string())
        .with_help(help)
}
