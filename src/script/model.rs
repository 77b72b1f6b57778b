//! The in-memory script: what both loaders (YAML, Studio JSON) produce and every later stage reads.
//!
//! Every value that came from a file keeps its [`Span`] (byte offset + length into
//! [`Script::source`]) so any diagnostic can point at file:line:column.

use crate::snippet;
pub use crate::source::{Source, Span, TextMap};

/// Which loader produced a script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Yaml,
    StudioJson,
}

/// Index of an action in [`Script::actions`] (newtype: never confuse it with a Studio id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActionIx(pub u32);

impl ActionIx {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A loaded, validated script. Invariants established by the loaders:
/// - action ids are unique; exactly one BEGIN; at most one ONANSWER / ONRELEASE / ONSIGNAL;
/// - every wired branch target is a valid [`ActionIx`];
/// - every branch name is one the action type can have; properties are typed per [`Kind`].
#[derive(Clone, Debug)]
pub struct Script {
    pub name: String,
    pub description: Option<String>,
    pub source: Source,
    pub format: Format,
    /// In file order.
    pub actions: Vec<Action>,
    /// The Studio JSON `header` object exactly as read (every field, nulls included), kept so
    /// `convert --to studio-json` reproduces it (docs/studio-json.md, "Lossless").
    pub studio_header: Option<serde_json::Map<String, serde_json::Value>>,
    /// The other top-level members of a Studio JSON document, as read (`header`, `actions`,
    /// `properties`, `branches` appear as placeholders that keep their position and, when not
    /// an object, their value, e.g. `"properties": null`).
    pub studio_root: Option<serde_json::Map<String, serde_json::Value>>,
    /// Read from YAML and not yet applied: the `header` / `root` written as changes over what
    /// a fresh export writes (`export::resolve_studio`, called by the loader once the script is
    /// built, turns them into [`Script::studio_header`] / [`Script::studio_root`]).
    pub studio_patch: Option<Box<TopPatch>>,
    /// What kind of contact the script handles (Studio `header.mediaType` / `purposeType`,
    /// YAML `media:` / `purpose:`): read once at load, asked by lint and simulate.
    pub kind: ScriptKind,
    /// What the loader read but cannot model (unknown types and branch names, templated typed
    /// values): located warnings, in file order. `lint --strict` turns them into load errors.
    pub warnings: Vec<crate::source::LoadError>,
    /// Action id → index, built on the first [`Script::find`] (which lint's fixes and the
    /// report call once per finding: a scan each made them O(findings × actions), issue 21 F03).
    /// Build a `Script` with `IdIndex::default()`; it is only valid while `actions` keep their
    /// ids, as they do after loading.
    pub id_index: IdIndex,
}

/// See [`Script::id_index`].
#[derive(Clone, Debug, Default)]
pub struct IdIndex(std::sync::OnceLock<std::collections::HashMap<String, u32>>);

/// The script kind (issue 11 point 6): its media and purpose, as named by Studio.
///
/// `media` is the lowercase media name (`call`, `chat`, `email`, `sms`, `workitem`,
/// `voicemail`, ... or whatever the file says); `None` when the file does not say, which is
/// a phone script (recflow's subject, and what Studio assumes for a script with no media).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScriptKind {
    pub media: Option<String>,
    pub purpose: Option<String>,
}

/// Studio's `mediaType` numbers and their `mediaTypeName`s (CXone media types).
pub const MEDIA_TYPES: &[(i64, &str)] = &[
    (1, "email"),
    (3, "chat"),
    (4, "call"),
    (5, "voicemail"),
    (6, "workitem"),
    (7, "sms"),
    (8, "social"),
    (9, "digital"),
];

impl ScriptKind {
    /// Does the script handle voice calls? Only voice calls are recorded (seed: recording on
    /// demand and policies are for voice calls), so a non-voice script records nothing.
    pub fn is_voice(&self) -> bool {
        self.media.as_deref().is_none_or(|m| matches!(m, "call" | "phone" | "voice" | "phonecall"))
    }

    /// A media name as the model keeps it: lowercase, spaces and `_` / `-` removed
    /// (`Phone Call` → `phonecall`, `Work Item` → `workitem`).
    pub fn normalize(name: &str) -> String {
        name.chars().filter(|c| !matches!(c, ' ' | '_' | '-')).flat_map(char::to_lowercase).collect()
    }

    /// The media name of a Studio `mediaType` number.
    pub fn media_name(number: i64) -> Option<&'static str> {
        MEDIA_TYPES.iter().find(|(n, _)| *n == number).map(|(_, s)| *s)
    }

    /// The Studio `mediaType` number of a media name.
    pub fn media_number(name: &str) -> Option<i64> {
        let name = if name == "phonecall" || name == "phone" || name == "voice" { "call" } else { name };
        MEDIA_TYPES.iter().find(|(_, s)| *s == name).map(|(n, _)| *n)
    }
}

impl Script {
    /// Does the script handle voice calls (see [`ScriptKind::is_voice`])?
    pub fn is_voice(&self) -> bool {
        self.kind.is_voice()
    }

    pub fn action(&self, ix: ActionIx) -> &Action {
        &self.actions[ix.index()]
    }

    /// Find an action by its Studio id (`"2"` and `2` are the same id).
    pub fn find(&self, id: &str) -> Option<ActionIx> {
        let index = self.id_index.0.get_or_init(|| {
            let mut m = std::collections::HashMap::with_capacity(self.actions.len());
            for (i, a) in self.actions.iter().enumerate() {
                m.entry(a.id.clone()).or_insert(i as u32);
            }
            m
        });
        index.get(id).map(|&i| ActionIx(i))
    }

    pub fn begin(&self) -> ActionIx {
        self.actions
            .iter()
            .position(|a| matches!(a.kind, Kind::Begin))
            .map(|i| ActionIx(i as u32))
            .expect("loader guarantees a BEGIN")
    }

    /// The event action of a type, if the script has one (ONANSWER / ONRELEASE / ONSIGNAL).
    pub fn event(&self, event: Event) -> Option<ActionIx> {
        self.actions.iter().position(|a| a.kind.event() == Some(event)).map(|i| ActionIx(i as u32))
    }

    pub fn indices(&self) -> impl Iterator<Item = ActionIx> + '_ {
        (0..self.actions.len() as u32).map(ActionIx)
    }
}

/// One Studio action.
#[derive(Clone, Debug)]
pub struct Action {
    /// Studio id, always a string (`2` in YAML becomes `"2"`).
    pub id: String,
    pub id_span: Span,
    /// The whole action (YAML mapping / JSON object).
    pub span: Span,
    /// The type as written (`Do Not Record`), and its span.
    pub type_name: String,
    pub type_span: Span,
    /// Typed properties of the modelled type.
    pub kind: Kind,
    /// Caption (`label` in both formats).
    pub label: Option<String>,
    /// Every property as written, modelled or not, in file order (unknown ones are kept:
    /// real scripts carry many).
    pub properties: Vec<Property>,
    /// In file order. Names are normalised: `default`, `Error`, digits, CASE values.
    pub branches: Vec<Branch>,
    /// `consent: {accept: [...]}` annotation on a MENU.
    pub consent: Option<Consent>,
    /// `allow: [{rule, reason}]` lint suppressions.
    pub allow: Vec<Allow>,
    /// The action's Studio JSON pieces as read (layout, ports, extra per-property fields...),
    /// kept only for lossless round trips; `None` for an action written in YAML without them.
    pub studio: Option<Box<StudioAction>>,
    /// The catalogue entry of the type (`None`: a type the catalogue does not list).
    pub spec: Option<&'static super::catalogue::ActionSpec>,
    /// Consent question and sensitive input, decided once at load from the annotations, every
    /// prompt property and the flow (`facts.rs`); lint and simulate both read them.
    pub facts: super::facts::ActionFacts,
}

/// One action's Studio JSON exactly as read: export starts from these and changes only what
/// the model says differently (so an unchanged script is reproduced value for value).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StudioAction {
    /// The object under `actions[id]` (actionId, name, label, x, y, libraryId, ...).
    pub action: serde_json::Map<String, serde_json::Value>,
    /// `properties[id]` (`None`: the document had no entry for this action).
    pub properties: Option<serde_json::Value>,
    /// `branches[id]` (`None`: no entry).
    pub branches: Option<serde_json::Value>,
    /// Read from YAML and not yet applied: `action` above is empty and this holds the object
    /// as changes over a fresh export of the action (applied by `export::resolve_studio`).
    pub action_patch: Option<StudioPatch>,
}

/// A Studio JSON object written in YAML as the changes over what a fresh export writes
/// (docs/studio-json.md, "Lossless"): the keys whose value differs or that a fresh export does
/// not write (`set`, in the object's order), the keys a fresh export writes that the object does
/// not have (`unset`), and the object's key order when merging does not give it (`order`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StudioPatch {
    pub set: serde_json::Map<String, serde_json::Value>,
    pub unset: Vec<String>,
    pub order: Vec<String>,
}

/// The top-level `studio:` patches of a YAML script (see [`Script::studio_patch`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TopPatch {
    pub header: Option<StudioPatch>,
    pub root: Option<StudioPatch>,
}

impl Action {
    /// The wired target of a branch by name (exact match after normalisation).
    pub fn branch(&self, name: &str) -> Option<&Branch> {
        self.branches.iter().find(|b| b.name == name)
    }

    /// Span of a property by (case-insensitive) name, falling back to the action's type span.
    pub fn property_span(&self, name: &str) -> Span {
        self.properties.iter().find(|p| p.name.eq_ignore_ascii_case(name)).map_or(self.type_span, |p| p.span)
    }

    /// IVR media (A-6, lint O001): prompts played to the caller (catalogue media class `ivr`).
    pub fn is_ivr_media(&self) -> bool {
        self.spec.is_some_and(|s| s.is_ivr_media())
    }

    /// Media (A-3, lint M005): IVR prompts, music, ringback (catalogue media `ivr` / `audio`).
    pub fn is_media(&self) -> bool {
        self.spec.is_some_and(|s| s.is_media())
    }

    /// Whether taking this action ends the thread or the call (END, HANGUP, RETURN,
    /// SUPPRESSCALL, PERMITCALL, ...: catalogue column `ends`).
    pub fn is_terminal(&self) -> bool {
        self.spec.is_some_and(|s| s.ends != super::catalogue::Ends::No)
    }

    /// Caption for humans: label, else the id.
    pub fn caption(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.id)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Property {
    /// As written (`SecondsToPlay`); compare case-insensitively.
    pub name: String,
    pub name_span: Span,
    pub value: PropValue,
    /// Span of the value.
    pub span: Span,
}

/// A property value as written. Studio JSON values are strings or lists; YAML may also give
/// numbers and booleans, which keep their canonical text here.
#[derive(Clone, Debug, PartialEq)]
pub enum PropValue {
    Text(String),
    List(Vec<String>),
}

impl PropValue {
    pub fn as_text(&self) -> Option<&str> {
        match self {
            PropValue::Text(s) => Some(s),
            PropValue::List(_) => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    /// `default`, `Error`, a digit string, a CASE value... (normalised: `Default` → `default`).
    pub name: String,
    pub name_span: Span,
    /// `None` = not wired (taking it ends the thread, SEMANTICS §2).
    pub target: Option<ActionIx>,
    pub target_span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Consent {
    pub accept: Vec<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Allow {
    pub rule: String,
    pub reason: String,
    pub span: Span,
}

/// The three event actions. At most one of each per script.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Event {
    Answer,
    Release,
    Signal,
}

/// Modelled action types with their typed properties (FORMATS §1 table).
#[derive(Clone, Debug)]
pub enum Kind {
    Begin,
    End,
    Hangup,
    Menu(Menu),
    Play {
        phrase: String,
    },
    /// `SecondstoPlay`; 0 or empty = 10 s.
    Music {
        seconds: f64,
    },
    Wait {
        seconds: f64,
    },
    Assign {
        variable: String,
        value: String,
    },
    Snippet(Snippet),
    Case {
        variable: String,
    },
    ReqAgent {
        skill: String,
        target_agent: Option<String>,
    },
    OnAnswer,
    OnRelease,
    OnSignal,
    Indicate(Indicate),
    LogRecordingPro(LogRecordingPro),
    RecordAgentOnly,
    DoNotRecord,
    /// Any other Studio type: pass-through (takes `default`), reported as unmodelled.
    Other,
}

impl Kind {
    pub fn event(&self) -> Option<Event> {
        match self {
            Kind::OnAnswer => Some(Event::Answer),
            Kind::OnRelease => Some(Event::Release),
            Kind::OnSignal => Some(Event::Signal),
            _ => None,
        }
    }

    /// Canonical Studio type name (`LOGRECORDINGPRO`); `None` for [`Kind::Other`].
    pub fn canonical_name(&self) -> Option<&'static str> {
        Some(match self {
            Kind::Begin => "BEGIN",
            Kind::End => "END",
            Kind::Hangup => "HANGUP",
            Kind::Menu(_) => "MENU",
            Kind::Play { .. } => "PLAY",
            Kind::Music { .. } => "MUSIC",
            Kind::Wait { .. } => "WAIT",
            Kind::Assign { .. } => "ASSIGN",
            Kind::Snippet(_) => "SNIPPET",
            Kind::Case { .. } => "CASE",
            Kind::ReqAgent { .. } => "REQAGENT",
            Kind::OnAnswer => "ONANSWER",
            Kind::OnRelease => "ONRELEASE",
            Kind::OnSignal => "ONSIGNAL",
            Kind::Indicate(_) => "INDICATE",
            Kind::LogRecordingPro(_) => "LOGRECORDINGPRO",
            Kind::RecordAgentOnly => "RECORDAGENTONLY",
            Kind::DoNotRecord => "DONOTRECORD",
            Kind::Other => return None,
        })
    }
}

/// Normalise a type name for matching: uppercase, spaces / underscores / hyphens removed
/// (`Do Not Record` = `DONOTRECORD`).
pub fn normalize_type(name: &str) -> String {
    name.chars().filter(|c| !matches!(c, ' ' | '_' | '-' | '\t')).flat_map(char::to_uppercase).collect()
}

#[derive(Clone, Debug)]
pub struct Menu {
    pub phrase: String,
    /// Variable that receives the digits (default `MRES`).
    pub variable: String,
    /// `MaxDigits` as written (`None`: absent, empty or a `{var}` template): the caller's
    /// input is cut to this many digits (SEMANTICS A-25).
    pub max_digits: Option<u32>,
    /// `Timeout`: seconds the caller has after the prompt to start entering digits (5 when
    /// absent, empty or templated); a MENU with no input waits it out.
    pub timeout: f64,
    /// `InterDigitTimeout`: seconds the MENU waits for another digit after one that leaves the
    /// input shorter than `MaxDigits` (0 when absent, empty or templated; A-25).
    pub inter_digit_timeout: f64,
    /// `Sensitive` as written; `None` when absent (lint may then infer from the phrase).
    pub sensitive: Option<bool>,
}

#[derive(Clone, Debug)]
pub struct Snippet {
    /// The `Data` text exactly as the program sees it.
    pub data: String,
    /// Maps byte offsets in `data` to byte offsets in the script source.
    pub map: TextMap,
    /// Parsed program (syntax checked at load; a syntax error is a load error).
    pub ast: std::sync::Arc<snippet::Ast>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Clone, Debug)]
pub struct Indicate {
    pub name: String,
    pub state: OnOff,
    /// `ActionType` (default `Signal`).
    pub action_type: String,
    /// ≤ 9 values, sent as SP1..SP9.
    pub parameters: Vec<String>,
    pub tooltip: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Record {
    Start,
    Stop,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordType {
    Call,
}

#[derive(Clone, Debug)]
pub struct LogRecordingPro {
    pub record: Record,
    pub record_type: RecordType,
    pub use_statement_id: bool,
}
