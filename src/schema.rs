//! JSON Schemas of recflow's input files, for editors (docs/editor.md): the script YAML, CXone
//! Studio JSON, tenant and traffic files, and `recflow test` files. Generated with `schemars` from the description types
//! below and published under `schemas/` (a test keeps the committed files current and checks
//! that every example validates).
//!
//! The loaders read spanned YAML trees by hand (for file:line:column errors), so they have no
//! serde types to derive from; these types describe the same files for editors. One fact, one
//! place: the unit tests compare every mapping's keys with the loader's own key lists, so a key
//! the loader learns fails the build here until the schema learns it too. The schemas are as
//! lenient as the loaders: Studio JSON allows members recflow keeps but does not model, property
//! values are any scalar or list (the catalogue checks them with located messages) except the
//! closed sets of `catalogue::CLOSED_PROPERTIES`, which are enums.

#![allow(dead_code)] // Fields exist to be described, never read.

use std::collections::BTreeMap;

use schemars::{JsonSchema, schema_for};
use serde::Deserialize;

/// An action id: a string or an integer.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
enum Id {
    Text(String),
    Number(i64),
}

/// A recflow script (FORMATS §1, docs/script-format.md).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "recflow script", extend("$id" = "https://recflow.invalid/schemas/script.schema.json"))]
struct ScriptFile {
    /// The script name.
    script: Id,
    /// What the script does (optional).
    description: Option<String>,
    /// The contact media the script handles (Studio `mediaTypeName`): `call` (the default),
    /// `chat`, `email`, `sms`, `workitem`, `voicemail`, ... A non-voice script records no call.
    media: Option<String>,
    /// The script purpose (Studio `purposeType`): `General`, `Suppression`, ...
    purpose: Option<String>,
    /// The actions; their order does not matter to execution.
    actions: Vec<ActionDef>,
    /// Studio JSON members kept for a lossless round trip (written by `recflow convert`).
    studio: Option<serde_json::Value>,
}

/// One Studio action.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ActionDef {
    /// Unique id (a string or an integer).
    id: Id,
    /// The Studio action name, matched case-insensitively ignoring spaces and underscores:
    /// BEGIN, END, HANGUP, MENU, PLAY, MUSIC, WAIT, ASSIGN, SNIPPET, CASE, REQAGENT, ONANSWER,
    /// ONRELEASE, ONSIGNAL, INDICATE, LOGRECORDINGPRO, RECORDAGENTONLY, DONOTRECORD and every
    /// other type of the action catalogue (docs/actions.md). recflow loads a type it does not
    /// know as a pass-through action with a warning; the schema marks it (usually a typo).
    #[serde(rename = "type")]
    type_name: String,
    /// Caption shown in Studio.
    label: Option<String>,
    /// Studio properties by name (case-insensitive), e.g. `Phrase`, `Skill`, `Record`.
    properties: Option<BTreeMap<String, serde_json::Value>>,
    /// Branch name (`default`, `Error`, a digit string, a CASE value…) → target action id;
    /// a branch left out is not wired.
    branches: Option<BTreeMap<String, Option<Id>>>,
    /// Shorthand for `branches: {default: ID}`.
    next: Option<Id>,
    /// Marks a MENU as the recording-consent question.
    consent: Option<Consent>,
    /// Suppress lint rules on this action.
    allow: Option<Vec<Allow>>,
    /// Studio JSON members of the action kept for a lossless round trip.
    studio: Option<serde_json::Value>,
}

/// `consent: {accept: ["1"]}`: the inputs that accept recording; every other outcome declines.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Consent {
    accept: Vec<Id>,
}

/// `allow: [{rule: C001, reason: "..."}]`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Allow {
    /// Rule code (C001) or name (consent-decline-reaches-agent).
    rule: String,
    /// Why the finding does not apply (required).
    reason: String,
}

/// A CXone Studio script as exported by Studio's API (docs/studio-json.md). Lenient: members
/// recflow does not model are allowed and kept.
#[derive(Deserialize, JsonSchema)]
#[schemars(title = "CXone Studio script (JSON)", extend("$id" = "https://recflow.invalid/schemas/studio-json.schema.json"))]
struct StudioFile {
    header: Option<StudioHeader>,
    /// Action id → action.
    actions: BTreeMap<String, StudioAction>,
    /// Action id → index → `{name, value}` (an array of `{name, value}` is read too). A
    /// closed-set property (`Record`, `State`, …) is checked by its name: see `StudioProperty`.
    properties: Option<BTreeMap<String, Option<StudioProperties>>>,
    /// Action id → outgoing branches.
    branches: Option<BTreeMap<String, Vec<StudioBranch>>>,
}

#[derive(Deserialize, JsonSchema)]
struct StudioHeader {
    #[serde(rename = "scriptName")]
    script_name: Option<String>,
    description: Option<String>,
    /// The media type number (4 = phone call, 3 = chat, 1 = email, 5 = voicemail, 6 = work
    /// item, 7 = SMS); a non-voice media type records no call.
    #[serde(rename = "mediaType")]
    media_type: Option<serde_json::Value>,
    /// The media type name (`call`, `chat`, ...); read before `mediaType`.
    #[serde(rename = "mediaTypeName")]
    media_type_name: Option<String>,
    /// The script purpose (`General`, `Suppression`, ...).
    #[serde(rename = "purposeType")]
    purpose_type: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
struct StudioAction {
    #[serde(rename = "actionId")]
    action_id: Option<Id>,
    /// The Studio action name (BEGIN, MENU, LOGRECORDINGPRO…).
    name: String,
    /// The caption (Studio writes `0` for some blank ones: a number is its text).
    label: Option<Id>,
    x: Option<serde_json::Value>,
    y: Option<serde_json::Value>,
    /// recflow's consent annotation (`{accept: [...]}`).
    #[serde(rename = "recflowConsent")]
    recflow_consent: Option<Consent>,
}

/// One action's properties: Studio's `{"0": {name, value}, …}`, or a list of them.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
enum StudioProperties {
    ByIndex(BTreeMap<String, StudioProperty>),
    List(Vec<StudioProperty>),
}

/// `{name, value}`; Studio exports carry blank entries (`{}`) and more fields (`editor`).
#[derive(Deserialize, JsonSchema)]
struct StudioProperty {
    name: Option<String>,
    /// A string, a list of strings; numbers and booleans are read as their text.
    value: Option<serde_json::Value>,
}

#[derive(Deserialize, JsonSchema)]
struct StudioBranch {
    /// Target action id (absent: not wired).
    to: Option<Id>,
    /// The digit, CASE value or result name (a number is its text).
    label: Option<Id>,
    #[serde(rename = "type")]
    kind: Option<String>,
    /// Branch order, when every branch has a numeric one.
    index: Option<serde_json::Value>,
}

/// A tenant: agents and recording policies (FORMATS §3, docs/tenant-and-traffic.md). Keys left
/// out keep their embedded defaults (`recflow defaults tenant`).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "recflow tenant", extend("$id" = "https://recflow.invalid/schemas/tenant.schema.json"))]
struct TenantFile {
    agents: Option<Vec<AgentDef>>,
    recording_policies: Option<Vec<PolicyDef>>,
    do_not_record_policies: Option<Vec<DnrPolicyDef>>,
    /// Policy recordings of calls shorter than this are discarded (R12).
    #[schemars(range(min = 0))]
    short_call_seconds: Option<f64>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AgentDef {
    id: Id,
    team: Option<String>,
    skills: Option<Vec<String>>,
    can_be_recorded: Option<bool>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PolicyDef {
    name: String,
    priority: Option<i64>,
    /// Share of matching contacts sampled, 0–100.
    #[schemars(range(min = 0, max = 100))]
    percent: Option<f64>,
    #[serde(rename = "match")]
    matches: Option<MatchDef>,
    continue_after_external_transfer: Option<bool>,
    continue_after_disposition: Option<bool>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct DnrPolicyDef {
    name: String,
    #[serde(rename = "match")]
    matches: Option<MatchDef>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct MatchDef {
    /// `inbound`, `outbound`.
    direction: Option<Vec<String>>,
    skills: Option<Vec<String>>,
    teams: Option<Vec<String>>,
    agents: Option<Vec<Id>>,
    numbers: Option<Vec<Id>>,
}

/// Traffic: the simulated callers (FORMATS §4, docs/tenant-and-traffic.md). Keys left out keep
/// their embedded defaults (`recflow defaults traffic`).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "recflow traffic", extend("$id" = "https://recflow.invalid/schemas/traffic.schema.json"))]
struct TrafficFile {
    /// Number of calls (overridden by --calls).
    #[schemars(range(min = 0))]
    calls: Option<u64>,
    /// Seed (overridden by --seed).
    #[schemars(range(min = 0))]
    seed: Option<u64>,
    /// Weights of `inbound` / `outbound`.
    direction: Option<BTreeMap<String, f64>>,
    /// Weights of caller numbers.
    ani: Option<BTreeMap<String, f64>>,
    /// Weights of dialled numbers.
    dnis: Option<BTreeMap<String, f64>>,
    /// Per MENU id: weights of digit strings (`none` = no input).
    inputs: Option<BTreeMap<String, BTreeMap<String, f64>>>,
    /// Per traffic-branched action id (HOURS, CHECKCALLSUP, unknown types with named branches):
    /// weights of its wired branch names; default uniform over its wired result branches.
    branches: Option<BTreeMap<String, BTreeMap<String, f64>>>,
    durations: Option<Durations>,
    agent: Option<AgentEvents>,
}

/// Seconds: a number, `{exp: mean}` or `{uniform: [a, b]}`.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
enum Dist {
    Fixed(f64),
    Exp { exp: f64 },
    Uniform { uniform: [f64; 2] },
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Durations {
    /// A MENU's prompt and the caller's answer; no input adds its Timeout.
    menu: Option<Dist>,
    play: Option<Dist>,
    /// A MUSIC file played whole (`SecondstoPlay` 0; A-26). Default 10.
    music: Option<Dist>,
    queue_wait: Option<Dist>,
    /// The caller abandons while queued after this long.
    patience: Option<Dist>,
    /// Agent-connected time.
    talk: Option<Dist>,
    /// The caller hangs up during the IVR (before REQAGENT) after this long from arrival
    /// . Absent: callers never hang up in the IVR.
    ivr_patience: Option<Dist>,
}

/// Per-contact probabilities (0–1) of agent-side events.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AgentEvents {
    rod: Option<f64>,
    supervisor_rod: Option<f64>,
    transfer_agent: Option<f64>,
    transfer_external: Option<f64>,
    conference: Option<f64>,
    disposition: Option<f64>,
    /// MAX button press sequences (at most one per contact).
    presses: Option<Vec<Presses>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Presses {
    p: f64,
    buttons: Vec<String>,
}

/// A `recflow test` file (docs/testing.md): a script and scenario cases.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "recflow test", extend("$id" = "https://recflow.invalid/schemas/test.schema.json"))]
struct TestFileDef {
    /// The script under test, relative to this file (subscripts are found as usual).
    script: String,
    /// Tenant file, relative to this file (default: embedded).
    tenant: Option<String>,
    /// Traffic file, relative to this file, or `explore` (default: embedded). Draws what the
    /// cases leave open.
    traffic: Option<String>,
    /// Seed of every case without its own (default: the traffic's seed).
    #[schemars(range(min = 0))]
    seed: Option<u64>,
    cases: Vec<CaseDef>,
}

/// One case: what happens (`given`), what must follow (`expect`).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CaseDef {
    /// Printed by `recflow test`, matched by `--filter`.
    name: String,
    /// Seed of the draws the case leaves open.
    #[schemars(range(min = 0))]
    seed: Option<u64>,
    /// Contact index of those draws (default 0).
    #[schemars(range(min = 0))]
    call: Option<u64>,
    given: Option<GivenDef>,
    expect: Option<ExpectDef>,
}

/// A MENU / CAPTURE input: digits, or `none` (no input).
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
enum InputDef {
    Digits(String),
    Number(u64),
    Visits(Vec<Option<Id>>),
    NoInput(()),
}

/// A variable value (strings; numbers and booleans are taken as written).
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
enum ScalarDef {
    Text(String),
    Number(f64),
    Bool(bool),
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GivenDef {
    /// MENU / CAPTURE id → digits, `none`, or a list (visit by visit; later visits drawn).
    inputs: Option<BTreeMap<String, InputDef>>,
    /// Variable → value, set when the call arrives.
    variables: Option<BTreeMap<String, ScalarDef>>,
    /// The caller's number (system variable ANI; policy `numbers`).
    ani: Option<Id>,
    /// The dialled number (DNIS).
    dnis: Option<Id>,
    /// `inbound` or `outbound`.
    direction: Option<String>,
    /// Snippet function name (GetRESTProxy, MakeRestRequest, …) → results in call order; or the
    /// id of an action whose result comes from outside (RESTAPI, HOURS, CAPTURE, …) → the
    /// branches it takes, visit by visit.
    external: Option<BTreeMap<String, Vec<String>>>,
    /// seconds after arrival at which the caller hangs up if still in the IVR (replaces
    /// the traffic's `durations.ivr_patience`); `false` / `none`: never.
    ivr_patience: Option<IvrPatienceDef>,
    agent: Option<CaseAgentDef>,
}

/// Seconds after arrival, or `false` / `none` (the caller never hangs up in the IVR).
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
enum IvrPatienceDef {
    Seconds(f64),
    Never(bool),
    NeverWord(String),
}

/// An agent event: `false` / `none` (never), `true` (at a drawn time), seconds after the
/// answer, or `{at: SECONDS}`.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
enum EventDef {
    Happens(bool),
    At(f64),
    AtKey { at: f64 },
    Never(String),
}

/// A transfer: `agent` / `external`, or `{to: agent, at: 30}`.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
enum TransferDef {
    To(String),
    Timed { to: String, at: Option<f64> },
}

/// `none` / `false`, one transfer, or a list.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
enum TransfersDef {
    No(bool),
    One(TransferDef),
    Many(Vec<TransferDef>),
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CaseAgentDef {
    /// Seconds in the queue before an agent answers (the caller does not abandon).
    answers_after: Option<f64>,
    /// Seconds of talk, answer to release.
    talk: Option<f64>,
    /// MAX button presses (replace the traffic's).
    presses: Option<Vec<PressDef>>,
    transfer: Option<TransfersDef>,
    conference: Option<EventDef>,
    disposition: Option<EventDef>,
    rod: Option<EventDef>,
    supervisor_rod: Option<EventDef>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PressDef {
    /// Seconds after the answer.
    at: f64,
    /// The INDICATE `Name` of the button.
    button: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ExpectDef {
    /// The strongest recording: `none`, `full`, `agent_only` or `ivr`.
    recorded: Option<RecordedDef>,
    /// Exactly these findings (names or F-codes); `[]` for none.
    findings: Option<Vec<String>>,
    /// Action ids on the path, in this order (not necessarily adjacent).
    visits: Option<Vec<Id>>,
    /// Action ids not on the path.
    not_visits: Option<Vec<Id>>,
    /// Variable → value when the contact ends.
    variables: Option<BTreeMap<String, ScalarDef>>,
    statements: Option<StatementsDef>,
    /// Whether Do Not Record was set.
    dnr: Option<bool>,
    /// Whether the caller abandoned the queue.
    abandoned: Option<bool>,
    /// Whether the caller hung up during the IVR (A-27, `ivr_patience`).
    hung_up_in_ivr: Option<bool>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum RecordedDef {
    None,
    Full,
    AgentOnly,
    Ivr,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct StatementsDef {
    #[schemars(range(min = 0))]
    saved: Option<u64>,
    #[schemars(range(min = 0))]
    lost: Option<u64>,
}

/// A regex (ECMA-262, as JSON Schema's `pattern`) matching `word` as the loader compares names:
/// any case, and — with `separators` — spaces, underscores, hyphens and tabs anywhere
/// (`normalize_type`: `Do Not Record` = `DONOTRECORD`).
fn any_case(word: &str, separators: bool) -> String {
    let sep = if separators { "[ _\\t-]*" } else { "" };
    let mut r = String::from(sep);
    for c in word.chars() {
        if c.is_ascii_alphabetic() {
            r.push('[');
            r.push(c.to_ascii_uppercase());
            r.push(c.to_ascii_lowercase());
            r.push(']');
        } else {
            r.push_str(&regex_escape(c));
        }
        r.push_str(sep);
    }
    r
}

fn regex_escape(c: char) -> String {
    if "\\^$.|?*+()[]{}/-".contains(c) { format!("\\{c}") } else { c.to_string() }
}

/// Values a closed-set property takes: the canonical spellings (an editor offers them), the
/// same and the loader's synonyms in any case with spaces around or empty, a YAML boolean where
/// the loader reads one, and a `{var}` template where the loader resolves one at run time.
fn closed_value(c: &crate::script::catalogue::ClosedProperty) -> serde_json::Value {
    use serde_json::json;
    let words: Vec<String> = c.values.iter().chain(c.synonyms).map(|w| any_case(w, false)).collect();
    let mut any_of = vec![
        json!({"enum": c.values}),
        json!({"type": "string", "pattern": format!("^\\s*({})?\\s*$", words.join("|"))}),
    ];
    if c.boolean {
        any_of.push(json!({"type": "boolean"}));
    }
    if c.templated {
        any_of.push(json!({"type": "string", "pattern": "\\{.*\\}", "description": "a `{var}` template, resolved per contact"}));
    }
    json!({
        "description": format!("{} {}: one of {}", c.action, c.property, c.values.join(", ")),
        "anyOf": any_of,
    })
}

/// Issue 24: make the action type an enum of the catalogue's names (any spelling the loader
/// accepts: case, spaces and underscores), and — for the script schema, where an action's
/// properties sit in it — each closed-set property of `catalogue::CLOSED_PROPERTIES` an enum
/// of its values, by action type. A type not in the catalogue loads as a pass-through action
/// with a warning; the editor marks it, as it is usually a typo (`MENUU`).
fn closed_sets(
    schema: Option<&mut serde_json::Map<String, serde_json::Value>>,
    def: &str,
    type_key: &str,
    properties: bool,
) {
    use crate::script::catalogue::{CATALOGUE, CLOSED_PROPERTIES};
    use serde_json::json;
    let Some(action) = schema.and_then(|s| s.get_mut("$defs")).and_then(|d| d.get_mut(def)) else {
        return;
    };
    let names: Vec<&str> = CATALOGUE.iter().map(|s| s.name).collect();
    let spellings: Vec<String> = names.iter().map(|n| any_case(n, true)).collect();
    let description = action["properties"][type_key]["description"].clone();
    action["properties"][type_key] = json!({
        "description": description,
        "anyOf": [
            {"enum": names},
            {"type": "string", "pattern": format!("^({})$", spellings.join("|"))},
        ],
    });
    if !properties {
        return;
    }
    let mut cases = Vec::new();
    for ty in names {
        let closed: serde_json::Map<String, serde_json::Value> = CLOSED_PROPERTIES
            .iter()
            .filter(|c| c.action == ty)
            .map(|c| (format!("^{}$", any_case(c.property, false)), closed_value(c)))
            .collect();
        if closed.is_empty() {
            continue;
        }
        cases.push(json!({
            "if": {"properties": {type_key: {"pattern": format!("^{}$", any_case(ty, true))}}, "required": [type_key]},
            "then": {"properties": {"properties": {"patternProperties": closed}}},
        }));
    }
    action["allOf"] = serde_json::Value::Array(cases);
}

/// Issue 24: the closed-set properties in Studio JSON. An action's properties sit apart from
/// the action (`properties[id]`, its type in `actions[id].name`), and JSON Schema cannot join two
/// parts of a document on a key, so a property entry is checked by its *name* (any case, as the
/// loader's lookup): an entry named `Record` takes `Record`'s values whatever action it
/// belongs to. No other catalogue type lists these names (a unit test keeps it so); a property
/// of that name on another type (an unknown property, read by no rule) is marked too —
/// docs/editor.md says so. Studio writes `null` or `""` for a blank value (the default).
fn studio_closed_values(schema: Option<&mut serde_json::Map<String, serde_json::Value>>) {
    use crate::script::catalogue::CLOSED_PROPERTIES;
    use serde_json::json;
    let Some(entry) = schema.and_then(|s| s.get_mut("$defs")).and_then(|d| d.get_mut("StudioProperty"))
    else {
        return;
    };
    let mut names: Vec<String> = CLOSED_PROPERTIES.iter().map(|c| c.property.to_ascii_lowercase()).collect();
    names.sort();
    names.dedup();
    let mut cases = Vec::new();
    for name in names {
        let sets: Vec<_> =
            CLOSED_PROPERTIES.iter().filter(|c| c.property.eq_ignore_ascii_case(&name)).collect();
        let mut any_of = vec![json!({"type": "null"})];
        let mut description = Vec::new();
        for c in &sets {
            let v = closed_value(c);
            description.push(v["description"].as_str().unwrap_or_default().to_owned());
            any_of.extend(v["anyOf"].as_array().into_iter().flatten().cloned());
        }
        cases.push(json!({
            "if": {"properties": {"name": {"type": "string", "pattern": format!("^{}$", any_case(sets[0].property, false))}}, "required": ["name"]},
            "then": {"properties": {"value": {"description": description.join("; "), "anyOf": any_of}}},
        }));
    }
    entry["allOf"] = serde_json::Value::Array(cases);
}

/// The published schemas: (file name under `schemas/`, pretty JSON with a final newline).
pub fn all() -> Vec<(&'static str, String)> {
    let pretty = |s: schemars::Schema| {
        let mut t = serde_json::to_string_pretty(&s).unwrap_or_default();
        t.push('\n');
        t
    };
    let mut script = schema_for!(ScriptFile);
    closed_sets(script.as_object_mut(), "ActionDef", "type", true);
    let mut studio = schema_for!(StudioFile);
    closed_sets(studio.as_object_mut(), "StudioAction", "name", false);
    studio_closed_values(studio.as_object_mut());
    vec![
        ("script.schema.json", pretty(script)),
        ("studio-json.schema.json", pretty(studio)),
        ("tenant.schema.json", pretty(schema_for!(TenantFile))),
        ("traffic.schema.json", pretty(schema_for!(TrafficFile))),
        ("test.schema.json", pretty(schema_for!(TestFileDef))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The property names of one object of a schema (root or a `$defs` entry).
    fn keys(schema: &serde_json::Value, def: Option<&str>) -> Vec<String> {
        let obj = match def {
            None => schema,
            Some(d) => &schema["$defs"][d],
        };
        let mut k: Vec<String> = obj["properties"].as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    }

    fn sorted(v: &[&str]) -> Vec<String> {
        let mut k: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        k.sort();
        k
    }

    fn schema(name: &str) -> serde_json::Value {
        let text = all().into_iter().find(|(n, _)| *n == name).unwrap().1;
        serde_json::from_str(&text).unwrap()
    }

    /// The Studio JSON schema checks a closed-set property by its name alone (JSON Schema cannot
    /// join `properties[id]` with `actions[id].name`): sound only while no other catalogue type
    /// lists a property of that name. A type that does fails here until the schema learns it.
    #[test]
    fn closed_property_names_belong_to_one_type() {
        use crate::script::catalogue::{CATALOGUE, CLOSED_PROPERTIES};
        for c in CLOSED_PROPERTIES {
            let listed: Vec<&str> = CATALOGUE
                .iter()
                .filter(|t| t.properties.iter().any(|p| p.eq_ignore_ascii_case(c.property)))
                .map(|t| t.name)
                .collect();
            assert_eq!(listed, [c.action], "`{}` is listed by {listed:?}", c.property);
        }
    }

    /// One fact, one place: each mapping of the schemas has exactly the loader's keys.
    #[test]
    fn schema_keys_are_the_loaders_keys() {
        let s = schema("script.schema.json");
        assert_eq!(keys(&s, None), sorted(crate::script::yaml::TOP_KEYS));
        assert_eq!(keys(&s, Some("ActionDef")), sorted(crate::script::yaml::ACTION_KEYS));
        let t = schema("tenant.schema.json");
        assert_eq!(keys(&t, None), sorted(crate::model::tenant::TOP_KEYS));
        assert_eq!(keys(&t, Some("AgentDef")), sorted(crate::model::tenant::AGENT_KEYS));
        assert_eq!(keys(&t, Some("PolicyDef")), sorted(crate::model::tenant::POLICY_KEYS));
        assert_eq!(keys(&t, Some("MatchDef")), sorted(crate::model::tenant::MATCH_KEYS));
        let r = schema("traffic.schema.json");
        assert_eq!(keys(&r, None), sorted(crate::model::traffic::TOP_KEYS));
        assert_eq!(keys(&r, Some("Durations")), sorted(crate::model::traffic::DURATION_KEYS));
        assert_eq!(keys(&r, Some("AgentEvents")), sorted(crate::model::traffic::AGENT_KEYS));
        let x = schema("test.schema.json");
        use crate::scenario::file as f;
        assert_eq!(keys(&x, None), sorted(f::TOP_KEYS));
        assert_eq!(keys(&x, Some("CaseDef")), sorted(f::CASE_KEYS));
        assert_eq!(keys(&x, Some("GivenDef")), sorted(f::GIVEN_KEYS));
        assert_eq!(keys(&x, Some("CaseAgentDef")), sorted(f::AGENT_KEYS));
        assert_eq!(keys(&x, Some("PressDef")), sorted(f::PRESS_KEYS));
        assert_eq!(keys(&x, Some("ExpectDef")), sorted(f::EXPECT_KEYS));
        assert_eq!(keys(&x, Some("StatementsDef")), sorted(f::STATEMENT_KEYS));
    }
}
