//! The Studio action catalogue: one table describing every Studio action type recflow knows.
//!
//! For each type: the result branches CXone's help names (besides `Default`), whether the type
//! ends the thread / the call, its media class (IVR media for A-6 and lint O001, media for A-3
//! and lint M005), which properties carry prompt text, and how `simulate` treats it. The loader
//! (branch names), lint (media classes, terminal actions), the fact inference (prompt
//! properties) and the simulator (terminal actions, pass-through) read this table instead of
//! keeping their own `match` arms. `docs/actions.md` is generated from it ([`markdown`]) and
//! `tests/catalogue_docs.rs` fails when the page is stale.
//!
//! Sources: the CXone Studio / Desktop Studio help page of each action
//! (`https://help.nicecxone.com/content/studio/actions/<name>/<name>.htm`). Entries marked
//! [`Evidence::Read`] were read for this table (the cited page); [`Evidence::Recalled`] ones
//! follow the help's naming pattern because their page was not found in the project's search
//! index, or the stored copy of it ends before the table in question — their names are the best
//! evidence we have and unknown names only warn (never refuse a load). Names seen on such a
//! cut-off page are added to the recalled lists (a comment at the entry cites the page).

/// What a result branch list may also contain besides the named branches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extra {
    /// Only the named branches (and `Default` when [`ActionSpec::default_branch`]).
    None,
    /// Digit strings (`1`, `2`, `*9`...): MENU and the ASR menus.
    Digits,
    /// Any value: CASE compares a variable with each branch's value.
    Values,
}

/// Whether taking the action ends something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ends {
    /// Execution continues at a branch.
    No,
    /// The script (thread) ends here: END, RETURN, PERMITCALL, SUPPRESSCALL, RUNSCRIPT.
    Thread,
    /// The call ends here: HANGUP.
    Call,
}

/// What the caller hears while the action runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    None,
    /// Prompts played to the caller in the IVR: counts for A-6 (lint O001) and A-3 (M005).
    Ivr,
    /// Audio that is not an IVR prompt (hold music, ringback): counts for A-3 (M005) only.
    Audio,
}

/// How `simulate` treats the action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sim {
    /// recflow computes what it does and which branch it takes.
    Evaluated,
    /// No effect on recording; takes `Default` (its first wired result branch when it has no
    /// `Default`).
    PassThrough,
    /// Its outcome depends on the world (clock, tables, web services): the branch comes from
    /// traffic `branches:` weights, else uniformly among the wired result branches; counted
    /// as `unmodelled` (docs/tenant-and-traffic.md).
    Traffic,
}

/// Where an entry's branch names come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// The help page was read for this table (search index of CXone help pages).
    Read,
    /// The page was not found in the search index, or its stored copy ends before the table:
    /// names follow the help's naming pattern (and any names seen on the cut-off page).
    Recalled,
}

/// One Studio action type.
#[derive(Clone, Copy, Debug)]
pub struct ActionSpec {
    /// Canonical Studio type name (upper case, no spaces).
    pub name: &'static str,
    /// What it does, in one line.
    pub summary: &'static str,
    /// Whether it has a `Default` branch.
    pub default_branch: bool,
    /// Result branch names besides `Default`, as CXone's help gives them.
    pub branches: &'static [&'static str],
    pub extra: Extra,
    pub ends: Ends,
    pub media: Media,
    /// Properties whose text is played or shown to the caller (consent / sensitive inference).
    pub prompts: &'static [&'static str],
    pub sim: Sim,
    /// Evidence for the branch names, ends, media (and the property list when
    /// [`ActionSpec::properties_evidence`] is `Read`).
    pub evidence: Evidence,
    /// The properties the help page lists (names compare ignoring case, spaces and `_`; the
    /// caption is the action's `label`, not a property, and is accepted on every type).
    pub properties: &'static [&'static str],
    /// `Read`: the list is the help page's, and a property not in it loads with a
    /// `load::unknown-property` warning. `Recalled`: the list is from memory and from the
    /// scripts recflow has seen — no warning, so a real script is never flagged for a property
    /// we merely failed to list.
    pub properties_evidence: Evidence,
    /// The help page read for a `Read` entry (cited in docs/actions.md); empty when recalled.
    pub cite: &'static str,
    /// Properties Studio writes in the bodies it exports although the help page does not list
    /// them (BEGIN's `RootFolder`, `ParamCount`): accepted without a warning, whatever the
    /// evidence of [`ActionSpec::properties`] — a property seen in real exports is never an
    /// unknown property (issue 25 point 1).
    pub studio_writes: &'static [&'static str],
    /// Which properties `simulate` honours and which it reads but does not model, with the
    /// reason (docs/actions.md column "properties honoured / read, not modelled"; issue 25).
    /// Empty: nothing beyond the `simulate` column (a pass-through or traffic-branched type
    /// models none of its properties).
    pub modelled: &'static str,
}

impl ActionSpec {
    /// The help page of the action.
    pub fn help_url(&self) -> String {
        let n = self.name.to_ascii_lowercase();
        format!("https://help.nicecxone.com/content/studio/actions/{n}/{n}.htm")
    }

    /// Whether `name` (normalised: `default`, `Error`, ...) is a branch this type can have.
    /// Names compare ignoring case and an `On` prefix (`Open` = `OnOpen`): Studio and Desktop
    /// Studio spell result branches both ways.
    pub fn knows_branch(&self, name: &str) -> bool {
        if name == "default" {
            return self.default_branch;
        }
        match self.extra {
            Extra::Values => return true,
            Extra::Digits if is_digit_string(name) => return true,
            _ => {}
        }
        self.branches.iter().any(|b| same_branch_name(b, name))
    }

    pub fn is_ivr_media(&self) -> bool {
        self.media == Media::Ivr
    }

    /// Whether `name` is a property of this type (ignoring case, spaces and `_`; `Caption` is
    /// accepted on every type). Always true for a recalled list: only a list read from the
    /// help page can say a name is unknown.
    pub fn knows_property(&self, name: &str) -> bool {
        self.properties_evidence == Evidence::Recalled
            || ["Caption", "AddCaption"]
                .iter()
                .chain(self.properties)
                .chain(self.studio_writes)
                .any(|p| same_property_name(p, name))
    }

    pub fn is_media(&self) -> bool {
        self.media != Media::None
    }

    /// The names a branch of this type may have, for messages: `Default, Found, NotFound`.
    pub fn branch_list(&self) -> String {
        let mut v: Vec<&str> = Vec::new();
        if self.default_branch {
            v.push("Default");
        }
        v.extend(self.branches.iter().copied());
        match self.extra {
            Extra::Digits => v.push("digit strings"),
            Extra::Values => v.push("any value"),
            Extra::None => {}
        }
        if v.is_empty() { "none".into() } else { v.join(", ") }
    }
}

/// What lint and simulate do with an action of a type that is not one of recflow's own kinds
/// (`Kind::Other`), for messages (lint G003, `load::unknown-type`): one wording, from the
/// catalogue entry (`None`: a type the catalogue does not list, which is traffic-branched when
/// it has result branches besides `Default`, pass-through otherwise — as `sim::compile` does).
pub fn treatment(spec: Option<&ActionSpec>, has_result_branches: bool) -> &'static str {
    const TRAFFIC: &str = "lint explores every wired branch; simulate takes one by traffic `branches:` weights \
                           (else uniformly among the wired result branches) and counts it as unmodelled";
    const PASS: &str = "lint and simulate treat it as pass-through: it takes its `Default` branch (else its \
                        first wired branch) and changes nothing recflow models";
    match spec {
        Some(s) if s.ends == Ends::Thread && s.sim == Sim::Evaluated => {
            "the thread ends there (lint and simulate stop the script at it)"
        }
        Some(s) => match s.sim {
            Sim::Traffic => TRAFFIC,
            Sim::PassThrough => PASS,
            Sim::Evaluated => "recflow evaluates it (docs/actions.md)",
        },
        None if has_result_branches => TRAFFIC,
        None => PASS,
    }
}

/// Whether two result-branch names are the same branch: case-insensitive, ignoring an `On`
/// prefix (`Open` = `OnOpen`) — Studio and Desktop Studio spell result branches both ways.
/// One comparison for the catalogue and traffic `branches:` (FORMATS §4 round 2).
pub fn same_branch_name(a: &str, b: &str) -> bool {
    fn bare(s: &str) -> &str {
        let s = s.trim();
        match s.get(..2) {
            Some(p) if p.eq_ignore_ascii_case("on") && s.len() > 2 => &s[2..],
            _ => s,
        }
    }
    bare(a).eq_ignore_ascii_case(bare(b))
}

/// Whether two property names are the same property: the help writes `Inter Digit Timeout`
/// where the script file says `InterDigitTimeout`, and scripts vary the case (`SecondstoPlay`).
pub fn same_property_name(a: &str, b: &str) -> bool {
    fn bare(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars().filter(|c| !c.is_whitespace() && *c != '_').flat_map(char::to_lowercase)
    }
    bare(a).eq(bare(b))
}

/// A MENU branch: the digits a caller presses (`0`-`9`, `*`, `#`).
pub fn is_digit_string(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '*' || c == '#')
}

/// The entry of a type name (any spelling `normalize_type` accepts: `Do Not Record`).
pub fn lookup(type_name: &str) -> Option<&'static ActionSpec> {
    let n = super::model::normalize_type(type_name);
    CATALOGUE.iter().find(|s| s.name == n)
}

const PROMPTS: &[&str] = &["Phrase", "Sequence"];

/// The "read, not modelled" text of the ASR actions whose only timing property is `Timeout`.
const ASR_TIMEOUT: &str = "read, not modelled: `Timeout` — the result branch comes from traffic `branches:`; no speech is drawn and no time passes";

const fn spec(
    name: &'static str,
    summary: &'static str,
    branches: &'static [&'static str],
    sim: Sim,
    evidence: Evidence,
) -> ActionSpec {
    ActionSpec {
        name,
        summary,
        default_branch: true,
        branches,
        extra: Extra::None,
        ends: Ends::No,
        media: Media::None,
        prompts: &[],
        sim,
        evidence,
        properties: &[],
        properties_evidence: Evidence::Recalled,
        cite: "",
        studio_writes: &[],
        modelled: "",
    }
}

/// The "properties honoured / read, not modelled" text of an entry.
const fn modelled(mut s: ActionSpec, text: &'static str) -> ActionSpec {
    s.modelled = text;
    s
}

/// Properties Studio writes in its exports that the help page does not list (never a warning).
const fn studio_writes(mut s: ActionSpec, properties: &'static [&'static str]) -> ActionSpec {
    s.studio_writes = properties;
    s
}

/// The property list as recalled (docs only; never a warning).
const fn props(mut s: ActionSpec, properties: &'static [&'static str]) -> ActionSpec {
    s.properties = properties;
    s
}

/// The help page lists no `Default` branch (HANGUP, CHECKCALLSUP).
const fn no_default(mut s: ActionSpec) -> ActionSpec {
    s.default_branch = false;
    s
}

/// Only the result branches read on the help page `cite` (the property list stays recalled).
const fn read_branches(mut s: ActionSpec, cite: &'static str) -> ActionSpec {
    s.evidence = Evidence::Read;
    s.cite = cite;
    s
}

/// Only the property list read on the help page `cite` (its branches were not on the part of
/// the page the search index holds).
const fn read_properties(
    mut s: ActionSpec,
    properties: &'static [&'static str],
    cite: &'static str,
) -> ActionSpec {
    s.properties = properties;
    s.properties_evidence = Evidence::Read;
    s.cite = cite;
    s
}

/// Branches, ends, media and properties read on the help page `cite`.
const fn read(mut s: ActionSpec, properties: &'static [&'static str], cite: &'static str) -> ActionSpec {
    s.evidence = Evidence::Read;
    s.properties = properties;
    s.properties_evidence = Evidence::Read;
    s.cite = cite;
    s
}

const fn ends(mut s: ActionSpec, e: Ends, default_branch: bool) -> ActionSpec {
    s.ends = e;
    s.default_branch = default_branch;
    s
}

const fn media(mut s: ActionSpec, m: Media, prompts: &'static [&'static str]) -> ActionSpec {
    s.media = m;
    s.prompts = prompts;
    s
}

const fn extra(mut s: ActionSpec, x: Extra) -> ActionSpec {
    s.extra = x;
    s
}

use Evidence::{Read, Recalled};
use Sim::{Evaluated, PassThrough, Traffic};

/// A property whose value is one of a closed set, as the loader reads it (`script::build`):
/// values compare ignoring case and surrounding spaces, an empty value takes the default, and
/// a `{var}` template is resolved at run time (docs/script-format.md "Variables in
/// properties"); any other value is a load error. The editor schemas (`recflow::schema`) make
/// these enums; `tests/schemas.rs` checks the loader accepts every value listed here and
/// refuses a misspelt one.
#[derive(Clone, Copy, Debug)]
pub struct ClosedProperty {
    /// Canonical action type name.
    pub action: &'static str,
    pub property: &'static str,
    /// The canonical spellings (what an editor offers).
    pub values: &'static [&'static str],
    /// Further spellings the loader reads with the same meaning (`yes` for `True`).
    pub synonyms: &'static [&'static str],
    /// A YAML boolean (`true`) is read as `True` / `False` (or `On` / `Off`).
    pub boolean: bool,
    /// A `{var}` template loads (with a warning) and is resolved at run time.
    pub templated: bool,
}

const TRUE_FALSE: &[&str] = &["True", "False"];
const YES_NO: &[&str] = &["yes", "no", "on", "off", "y", "n"];

/// Every property with a closed set of values, by action type.
pub static CLOSED_PROPERTIES: &[ClosedProperty] = &[
    ClosedProperty {
        action: "INDICATE",
        property: "State",
        values: &["On", "Off"],
        synonyms: &["true", "false", "yes", "no", "y", "n"],
        boolean: true,
        templated: true,
    },
    ClosedProperty {
        action: "LOGRECORDINGPRO",
        property: "Record",
        values: &["Start", "Stop"],
        synonyms: &[],
        boolean: false,
        templated: true,
    },
    ClosedProperty {
        action: "LOGRECORDINGPRO",
        property: "RecordType",
        values: &["Call"],
        synonyms: &[],
        boolean: false,
        templated: false,
    },
    ClosedProperty {
        action: "LOGRECORDINGPRO",
        property: "UseRecordingStatementId",
        values: TRUE_FALSE,
        synonyms: YES_NO,
        boolean: true,
        templated: true,
    },
    ClosedProperty {
        action: "MENU",
        property: "Sensitive",
        values: TRUE_FALSE,
        synonyms: YES_NO,
        boolean: true,
        templated: true,
    },
];

/// Every Studio action type recflow knows, alphabetically. Types not listed load as unknown
/// (a located warning; pass-through).
pub static CATALOGUE: &[ActionSpec] = &[
    props(
        spec("ADDTODNC", "Adds a number to the do-not-call list", &["Error"], PassThrough, Recalled),
        &["PhoneNumber", "ExpirationDate"],
    ),
    modelled(
        props(
            media(
                spec(
                    "ASRDIGITS",
                    "Collects digits spoken or pressed (ASR)",
                    // OnHighConfidence, HighConfidence and MinConfidence are named on the page
                    // (help.staging.nice-incontact.com/content/studio/actions/asrdigits/asrdigits.htm);
                    // the stored copy ends inside the property table: the entry stays recalled.
                    &["OnHighConfidence", "OnTimeout", "OnInvalid", "Error"],
                    Traffic,
                    Recalled,
                ),
                Media::Ivr,
                PROMPTS,
            ),
            &[
                "Phrase",
                "Sequence",
                "HighConfidence",
                "MinConfidence",
                "Variable",
                "MaxDigits",
                "TermDigits",
                "Timeout",
            ],
        ),
        "read, not modelled: `Timeout`, `MaxDigits`, `TermDigits`, `HighConfidence`, `MinConfidence` — the result branch comes from traffic `branches:`; no speech or digits are drawn and no time passes",
    ),
    modelled(
        props(
            extra(
                media(
                    spec(
                        "ASRMENU",
                        "Speech-enabled menu",
                        &["OnTimeout", "OnInvalid", "OnNoMatch", "Error"],
                        Traffic,
                        Recalled,
                    ),
                    Media::Ivr,
                    PROMPTS,
                ),
                Extra::Digits,
            ),
            &["Phrase", "Sequence", "Variable", "Timeout"],
        ),
        ASR_TIMEOUT,
    ),
    modelled(
        props(
            media(
                spec(
                    "ASRNUMBER",
                    "Captures a spoken whole number into a variable",
                    &["OnTimeout", "OnInvalid", "Error"],
                    Traffic,
                    Recalled,
                ),
                Media::Ivr,
                PROMPTS,
            ),
            &["Phrase", "Sequence", "Variable", "Timeout"],
        ),
        ASR_TIMEOUT,
    ),
    modelled(
        props(
            media(
                spec(
                    "ASRYESNO",
                    "Asks a yes/no question by speech",
                    // OnNoConfidence, MinConfidence and TimeoutSeconds are named on the page
                    // (help.staging.nice-incontact.com/content/studio/actions/asryesno/asryesno.htm);
                    // the stored copy ends inside the property table: the entry stays recalled.
                    &["OnYes", "OnNo", "OnNoConfidence", "OnTimeout", "OnInvalid", "Error"],
                    Traffic,
                    Recalled,
                ),
                Media::Ivr,
                PROMPTS,
            ),
            &["Phrase", "Sequence", "MinConfidence", "TimeoutSeconds", "Variable", "Timeout"],
        ),
        "read, not modelled: `Timeout`, `TimeoutSeconds`, `MinConfidence` — the result branch comes from traffic `branches:`; no speech is drawn and no time passes",
    ),
    modelled(
        props(
            spec("ASSIGN", "Sets a variable from a value with {var} templates", &[], Evaluated, Recalled),
            // The page lists Variable, Value, Type and a screen-pop flag whose name the stored copy
            // cuts off: the list stays recalled.
            &["Variable", "Value", "Type"],
        ),
        "honoured: `Variable`, `Value` (`{var}` substitution); read, not modelled: `Type` — every value is text",
    ),
    // Read: the page lists `Application` ("not used") and `Parameters`; Default only. Studio
    // writes `RootFolder` and `ParamCount` in every BEGIN it exports (the bodies of issue 25;
    // tests/fixtures/studio/begin-menu-timeout.json): accepted, never a warning.
    studio_writes(
        read(
            spec("BEGIN", "Where the script starts", &[], Evaluated, Read),
            &["Application", "Parameters"],
            "https://help.nice-incontact.com/content/studio/actionscx/begin/begin.htm",
        ),
        &["RootFolder", "ParamCount"],
    ),
    modelled(
        props(
            spec(
                "BLINDTRANSFER",
                "Transfers the call to a number and leaves it",
                &["Error"],
                PassThrough,
                Recalled,
            ),
            &["PhoneNumber", "CallerID"],
        ),
        "read, not modelled: `PhoneNumber` — external transfers (R10) come from traffic `agent.transfer_external`, not from this action",
    ),
    modelled(
        read(
            media(
                spec(
                    "CAPTURE",
                    "Collects digits into a variable after a prompt",
                    &["Terminator", "MaxDigits", "Timeout", "InterDigitTimeout"],
                    Traffic,
                    Recalled,
                ),
                Media::None,
                &[],
            ),
            &["Variable", "MaxDigits", "Terminator", "Timeout", "InterDigitTimeout"],
            "https://help.nicecxone.com/Content/studio/actionscx/capture/capture.htm",
        ),
        "read, not modelled: `MaxDigits`, `Terminator`, `Timeout`, `InterDigitTimeout` — the result branch (`Timeout`, `MaxDigits`, …) comes from traffic `branches:`; no digits are drawn and no time passes (a MENU models these, A-25)",
    ),
    modelled(
        read(
            extra(spec("CASE", "Branches on a variable's value", &[], Evaluated, Recalled), Extra::Values),
            &["Variable"],
            "https://help.nicecxone.com/zh-hk/content/studio/actionscx/case/case.htm",
        ),
        "honoured: `Variable`",
    ),
    modelled(
        read(
            no_default(spec(
                "CHECKCALLSUP",
                "Looks the number up in the call suppression table",
                &["Found", "NotFound", "Error"],
                Traffic,
                Read,
            )),
            &["DataValue"],
            "https://help.nicecxone.com/Content/studio/actionscx/checkcallsup/checkcallsup.htm",
        ),
        "read, not modelled: `DataValue` — recflow has no suppression table: `Found` / `NotFound` come from traffic `branches:`",
    ),
    props(
        spec("COMMITMENT", "Schedules a callback commitment", &["Error"], PassThrough, Recalled),
        // The help-test copy of the page (help-test.nice-incontact.com/content/studio/actionscx/
        // commitment/commitment.htm) lists FirstName ... Timezone; not the production help site,
        // so the list stays recalled (CallbackTime kept: older scripts use it).
        &[
            "FirstName",
            "LastName",
            "PhoneNumber",
            "Skill",
            "TargetAgent",
            "CommitmentDate",
            "CommitmentTime",
            "Notes",
            "Timezone",
            "CallbackTime",
        ],
    ),
    modelled(
        props(
            spec(
                "CONFERENCE",
                "Conferences the caller, agent and outside party",
                &["Error"],
                PassThrough,
                Recalled,
            ),
            &[],
        ),
        "— (a conference that ends a recorded statement, R13, comes from traffic `agent.conference`)",
    ),
    read(
        spec(
            "CUSTOMEVENT",
            "Sends a custom event to an agent",
            &["OnAgentNotConnected"],
            PassThrough,
            Recalled,
        ),
        &["TargetAgent", "EventName", "PersistInMemory", "Data"],
        "https://help.nicecxone.com/ja/content/studio/actions/customevent/customevent.htm",
    ),
    modelled(
        props(
            spec("DISPOSITION", "Sets the contact's disposition", &["Error"], PassThrough, Recalled),
            &["Disposition", "Notes"],
        ),
        "read, not modelled: `Disposition` — a disposition that stops policy recording (R11) comes from traffic `agent.disposition`, not from this action",
    ),
    read(
        spec("DONOTRECORD", "Stops and forbids recording of the contact (R1/R2)", &[], Evaluated, Recalled),
        &[],
        "https://help.nicecxone.com/Content/studio/actionscx/donotrecord/donotrecord.htm",
    ),
    props(
        spec("EMAIL", "Sends an e-mail", &["Error"], PassThrough, Recalled),
        &["To", "From", "Subject", "Body"],
    ),
    props(ends(spec("END", "Ends the script thread", &[], Evaluated, Recalled), Ends::Thread, false), &[]),
    props(
        spec("GETRSID", "Reads a recording statement id", &["Error"], PassThrough, Recalled),
        &["Variable"],
    ),
    read(
        no_default(ends(spec("HANGUP", "Ends the call", &[], Evaluated, Recalled), Ends::Call, true)),
        &[],
        "https://help.nicecxone.com/Content/Studio/actionscx/hangup/hangup.htm",
    ),
    modelled(
        read(
            spec(
                "HOURS",
                "Branches on the hours-of-operation profile",
                &[
                    "OnOpen",
                    "OnClosed",
                    "OnHoliday",
                    "OnWeather",
                    "OnMeeting",
                    "OnEmergency",
                    "OnOther",
                    "OnError",
                ],
                Traffic,
                Read,
            ),
            &["Profile"],
            "https://help.staging.nice-incontact.com/content/studio/actions/hours/hours.htm",
        ),
        "read, not modelled: `Profile` — recflow has no clock or hours profiles: the branch comes from traffic `branches:`",
    ),
    modelled(
        // Read: help.nicecxone.com/Content/studio/actions/if/if.htm (Desktop Studio) and
        // .../actionscx/if/if.htm (Studio): "Evaluates an expression and takes a branch depending on
        // the outcome of the evaluation (true or false)"; property Expression; branches True / False.
        // Evaluated with the Snippet evaluator; one recflow cannot evaluate is traffic-branched.
        read(
            // The page lists only True and False as result branches: no Default.
            no_default(spec(
                "IF",
                "Branches on a Snippet expression (True / False)",
                &["True", "False"],
                Evaluated,
                Read,
            )),
            &["Expression"],
            "https://help.nicecxone.com/Content/studio/actions/if/if.htm",
        ),
        "honoured: `Expression` (Snippet evaluator; one it cannot evaluate takes traffic `branches:`)",
    ),
    modelled(
        props(
            spec(
                "INDICATE",
                "Shows an indicator (and a button) on the agent's desktop",
                &[],
                Evaluated,
                Recalled,
            ),
            // Target, TargetIDs, Name, ImageFile, Tooltip, State read on the page; the stored copy
            // ends before the rest of the table (ActionType...), so the list stays recalled.
            &["Target", "TargetIDs", "Name", "ImageFile", "Tooltip", "State", "ActionType", "Parameters"],
        ),
        "honoured: `Name`, `State`, `Parameters` (MAX buttons, §4); read, not modelled: `Target`, `TargetIDs`, `ImageFile`, `Tooltip`, `ActionType` — how the button looks and who sees it",
    ),
    read(
        spec("LEAVE", "Leaves a conference joined with CONFERENCE", &[], PassThrough, Read),
        &[],
        "https://help.nicecxone.com/ja/content/studio/actions/leave/leave.htm",
    ),
    modelled(
        props(
            spec(
                "LOGRECORDINGPRO",
                "Starts or stops call recording (statements with RecordingStatementId)",
                &["Error"],
                Evaluated,
                Recalled,
            ),
            &["Record", "RecordType", "UseRecordingStatementId"],
        ),
        "honoured: `Record` (Start / Stop), `UseRecordingStatementId` (R13); read, not modelled: `RecordType` — recflow records voice calls only",
    ),
    modelled(
        props(
            extra(
                media(
                    spec(
                        "MENU",
                        "Plays a prompt and branches on the digits pressed",
                        &["OnInvalid", "OnTimeout", "OnError"],
                        Evaluated,
                        Recalled,
                    ),
                    Media::Ivr,
                    PROMPTS,
                ),
                Extra::Digits,
            ),
            &["Phrase", "Sequence", "Variable", "MaxDigits", "Timeout", "InterDigitTimeout", "Sensitive"],
        ),
        "honoured: digit branches (caller input from traffic `inputs`), `Variable`, `Timeout` (no input: `durations.menu` + Timeout, then `OnTimeout`, else `default`), `InterDigitTimeout` (waited after an input short of `MaxDigits`), `MaxDigits` (a longer input is cut to it), `OnInvalid` for unlinked digits (SEMANTICS A-25), `Phrase` / `Sequence` / `Sensitive` (consent and sensitive-input facts). The [help](https://help.incontact.com/Content/Studio/Actions/MENU/MENU.htm) says an unlinked digit takes Default; its stored copies end before the property table, so A-25 states the timing model",
    ),
    modelled(
        props(
            // The page (help.staging.nice-incontact.com/content/studio/actions/music/music.htm) names
            // an OnComplete branch (the file played to its end) and the properties MusicFile,
            // StartOffset, SecondstoPlay, InterruptMessages; the stored copy ends before the full
            // tables, so the entry stays recalled (Digit / Error kept: scripts wire them).
            media(
                spec("MUSIC", "Plays hold music", &["OnComplete", "Digit", "Error"], Evaluated, Recalled),
                Media::Audio,
                &[],
            ),
            &["MusicFile", "StartOffset", "SecondstoPlay", "InterruptMessages"],
        ),
        "honoured: `SecondstoPlay` — positive: that many seconds, then `default`; 0 or empty: the whole file, traffic `durations.music` (10 s), then `OnComplete` (else `default`) (A-26, [help](https://help.staging.nice-incontact.com/content/studio/actions/music/music.htm)); read, not modelled: `MusicFile`, `StartOffset`, `InterruptMessages` — recflow knows no file lengths",
    ),
    props(
        spec("NOTIFY", "Sends a notification to an agent or supervisor", &["Error"], PassThrough, Recalled),
        &["Message", "Target"],
    ),
    // Read: the property table (Skill Name Var, Agent First Name, Agent Last Name, Agent ID) of
    // the English page; Default only, as on the zh-cn page read before
    // (help.nicecxone.com/zh-cn/content/studio/actionscx/onanswer/onanswer.htm).
    read(
        spec("ONANSWER", "Event: an agent answered", &[], Evaluated, Read),
        &["SkillNameVar", "AgentFirstName", "AgentLastName", "AgentId"],
        "https://help.nice-incontact.com/content/studio/actionscx/onanswer/onanswer.htm",
    ),
    // Read: "Properties: None"; Default only.
    read(
        spec("ONHOLD", "Event: the call was put on hold", &[], PassThrough, Read),
        &[],
        "https://help.nice-incontact.com/content/studio/actionscx/onhold/onhold.htm",
    ),
    // Read: both tables of the Desktop Studio page (CauseCode, CallResult; Default only).
    read(
        spec("ONRELEASE", "Event: the call was released", &[], Evaluated, Read),
        &["CauseCode", "CallResult"],
        "https://help.nice-incontact.com/content/studio/actions/onrelease/onrelease.htm",
    ),
    props(spec("ONRESUME", "Event: the call was resumed from hold", &[], PassThrough, Recalled), &[]),
    // Properties read (Caption, SrcContactIDVar, Parameters); the stored copy ends at the
    // result-branch heading, so the branches stay recalled.
    read_properties(
        spec("ONSIGNAL", "Event: a SIGNAL or agent button reached the script", &[], Evaluated, Recalled),
        &["SrcContactIDVar", "Parameters"],
        "https://help.nice-incontact.com/content/studio/actions/onsignal/onsignal.htm",
    ),
    read(
        ends(
            spec("PERMITCALL", "Suppression script: lets the outbound call be dialled", &[], Evaluated, Read),
            Ends::Thread,
            false,
        ),
        &[],
        "https://help.nicecxone.com/Content/studio/actionscx/permitcall/permitcall.htm",
    ),
    modelled(
        props(
            spec(
                "PLACECALL",
                "Dials an outside party",
                // NoAnswer, Busy, InvalidNumber, Error, NoVoice, LivePerson, MachineTimeout and
                // AnswerMachine are named on the page (help.nice-incontact.com/content/studio/actions/
                // placecall/placecall.htm); the stored copy ends before its branch table, so the
                // list (and the properties, cut after SourceLegPersistent) stay recalled.
                &[
                    "OnAnswer",
                    "OnBusy",
                    "OnNoAnswer",
                    "OnInvalidNumber",
                    "OnNoVoice",
                    "OnLivePerson",
                    "OnAnswerMachine",
                    "OnMachineTimeout",
                    "OnFailed",
                    "Error",
                ],
                Traffic,
                Recalled,
            ),
            &[
                "PhoneNumber",
                "CallerID",
                "Timeout",
                "DetectionType",
                "NoVoiceTimeout",
                "VoiceMinimum",
                "MaxLiveVoice",
                "LiveSilence",
                "MaxMachine",
                "MachineSilence",
                "LinkContactID",
                "SourceLegPersistent",
            ],
        ),
        "read, not modelled: `Timeout`, `DetectionType`, `NoVoiceTimeout` and the answering-machine properties — the result branch comes from traffic `branches:`; no second call leg is simulated and no time passes",
    ),
    modelled(
        props(
            media(
                spec(
                    "PLAY",
                    "Plays prompts (audio files, TTS) to the caller",
                    &["Digit", "Error"],
                    Evaluated,
                    Recalled,
                ),
                Media::Ivr,
                PROMPTS,
            ),
            // Sequence, Phrase, ClearDigits read on help.incontact.com/Content/Studio/Actions/PLAY/PLAY.htm;
            // the stored copy ends inside the table, so the list stays recalled.
            &["Phrase", "Sequence", "ClearDigits", "DetectDTMF", "SecondstoPlay"],
        ),
        "honoured: `Phrase` / `Sequence` (consent and sensitive-input facts); read, not modelled: `SecondstoPlay`, `ClearDigits`, `DetectDTMF` — a PLAY lasts traffic `durations.play` (A-1; recflow knows no audio lengths, and the stored copies of the help page end before these properties), and it takes `default` (a digit pressed during it is not drawn)",
    ),
    modelled(
        props(
            spec("PRIORITY", "Changes the contact's queue priority", &["Error"], PassThrough, Recalled),
            &["Priority"],
        ),
        "read, not modelled: `Priority` — queue time comes from traffic `durations.queue_wait`",
    ),
    modelled(
        props(
            spec(
                "RECORD",
                "Records the caller's audio to a file (voicemail-style)",
                &["OnTimeout", "Error"],
                PassThrough,
                Recalled,
            ),
            // The page (help.incontact.com/Content/Studio/Actions/RECORD/RECORD.htm) lists these and
            // AutoClearDigits before the stored copy ends: the list stays recalled.
            &["FileName", "RecordTimeout", "RecordBeep", "TermDigits", "AutoClearDigits"],
        ),
        "read, not modelled: `RecordTimeout`, `TermDigits`, … — it records the caller's audio to a file (voicemail style), not a call recording; no time passes",
    ),
    props(spec("RECORDAGENTONLY", "Records the agent's side only", &[], Evaluated, Recalled), &[]),
    modelled(
        props(
            spec(
                "REQAGENT",
                "Queues the contact for a skill (or one agent)",
                &["Error"],
                Evaluated,
                Recalled,
            ),
            &["Skill", "TargetAgent", "Priority"],
        ),
        "honoured: `Skill` (the tenant's agents with the skill; policies match it; queue wait from traffic `durations.queue_wait`); read, not modelled: `TargetAgent`, `Priority` — routing is by skill only, and queue time comes from traffic whatever the priority",
    ),
    modelled(
        // Read: TargetSkill, ScriptName, Variables; "Result Branch Conditions: None" (no Default,
        // no Error). The page does not say the script ends there, so `ends` stays `—`.
        read(
            no_default(spec("RESKILL", "Moves the contact to another skill", &[], PassThrough, Read)),
            &["TargetSkill", "ScriptName", "Variables"],
            "https://help.nicecxone.com/content/studio/actions/reskill/reskill.htm",
        ),
        "read, not modelled: `TargetSkill` — the contact keeps REQAGENT's skill (policies match it)",
    ),
    modelled(
        props(
            spec(
                "RESTAPI",
                "Calls a REST web service",
                &["OnSuccess", "OnTimeout", "Error"],
                Traffic,
                Recalled,
            ),
            &["Verb", "Url", "Parameters", "Headers", "Timeout"],
        ),
        "read, not modelled: `Timeout`, `Url`, … — the result branch comes from traffic `branches:`; no time passes",
    ),
    // Properties read (Caption, ReturnValue: "passes it back to the script that called the
    // subscript"); the stored copy of the page shows no result-branch rows, so the branches
    // (none: the subscript ends here) stay recalled.
    read_properties(
        ends(
            spec("RETURN", "Returns from a subscript (RUNSUB)", &[], Evaluated, Recalled),
            Ends::Thread,
            false,
        ),
        &["ReturnValue"],
        "https://help.nice-incontact.com/Content/studio/actions/return/return.htm",
    ),
    props(
        media(
            spec("RINGBACK", "Plays ringback to the caller", &["Error"], PassThrough, Recalled),
            Media::Audio,
            &[],
        ),
        &[],
    ),
    modelled(
        props(
            ends(
                spec(
                    "RUNSCRIPT",
                    "Hands the contact to another script (no return)",
                    &["Error"],
                    PassThrough,
                    Recalled,
                ),
                Ends::Thread,
                false,
            ),
            &["ScriptName", "Parameters"],
        ),
        "honoured with `--scripts` (docs/subscripts.md): `ScriptName`, `Parameters`; without the called script, the thread goes on at `Default`",
    ),
    modelled(
        // Read: both tables (ScriptName, ReturnVariable, Parameters; Default, OnError).
        read(
            spec("RUNSUB", "Runs a subscript and returns", &["OnError"], PassThrough, Read),
            &["ScriptName", "ReturnVariable", "Parameters"],
            "https://help.staging.nice-incontact.com/content/studio/actions/runsub/runsub.htm",
        ),
        "honoured with `--scripts` (docs/subscripts.md): `ScriptName`, `Parameters`, `ReturnVariable`; without the called script, pass-through",
    ),
    modelled(
        props(
            spec("SETSKILLDELAY", "Sets the skill's queue delay", &["Error"], PassThrough, Recalled),
            &["Skill", "Delay"],
        ),
        "read, not modelled: `Skill`, `Delay` — queue time comes from traffic `durations.queue_wait`",
    ),
    // Properties read (Contact ID, Parameters); the stored copy ends at the result-branch
    // heading, so the branches stay recalled.
    read_properties(
        spec("SIGNAL", "Sends a signal to another contact's script", &["Error"], PassThrough, Recalled),
        &["ContactId", "Parameters"],
        "https://help.nice-incontact.com/Content/studio/actionscx/signal/signal.htm",
    ),
    props(
        spec("SMS", "Sends a text message", &["Error"], PassThrough, Recalled),
        &["PhoneNumber", "Message"],
    ),
    modelled(
        props(spec("SNIPPET", "Runs Snippet code", &["Error"], Evaluated, Recalled), &["Data"]),
        "honoured: `Data` (the Snippet subset; a runtime error takes `Error`)",
    ),
    modelled(
        // Properties read (ScriptName, SpawnIDVar, Skill, StartDate, Parameters). The branch table
        // shows Default and OnLinked before the stored copy ends: OnLinked added, the list stays
        // recalled (Error kept).
        read_properties(
            spec(
                "SPAWN",
                "Starts another script as a new contact",
                &["OnLinked", "Error"],
                PassThrough,
                Recalled,
            ),
            &["ScriptName", "SpawnIDVar", "Skill", "StartDate", "Parameters"],
            "https://help.nice-incontact.com/content/studio/actions/spawn/spawn.htm",
        ),
        "read, not modelled: `ScriptName`, `Skill`, … — a spawned script runs as another contact, which recflow does not simulate",
    ),
    modelled(
        read(
            ends(
                spec(
                    "SUPPRESSCALL",
                    "Suppression script: the outbound call must not be dialled",
                    &[],
                    Evaluated,
                    Read,
                ),
                Ends::Thread,
                true,
            ),
            &["Disposition"],
            "https://help.nicecxone.com/zh-cn/content/studio/actionscx/suppresscall/suppresscall.htm",
        ),
        "read, not modelled: `Disposition` — a suppression script is not simulated (docs/simulate.md)",
    ),
    modelled(
        read_branches(
            props(
                spec(
                    "TEXTBOTEXCHANGE",
                    "Exchanges a turn with a text virtual agent",
                    &["OnPromptAndCollectNextResponse", "OnReturnControlToScript", "OnError"],
                    Traffic,
                    Read,
                ),
                &[],
            ),
            "https://help.nicecxone.com/Content/cognigyai/settinguptextbot/configureoutcomebranchesinthescript.htm",
        ),
        "— (the result branch comes from traffic `branches:`; no time passes)",
    ),
    modelled(
        // Read (Desktop Studio page, both tables): Transfer sends the call to an outside phone number
        // and the call stays on CXone telephony; it has a Default branch and does not end the script
        // (the recalled entry had it as a hand-over to another script, ending the thread: that is
        // RUNSCRIPT). Pass-through: success takes Default.
        read(
            spec(
                "TRANSFER",
                "Transfers the call to an outside phone number (stays on CXone telephony)",
                &["OnDialingError", "OnBusy", "OnNoAnswer", "OnInvalidNumber"],
                PassThrough,
                Read,
            ),
            &["Destination", "CallerID", "NoAnswerTimeout", "Skill"],
            "https://help.nice-incontact.com/content/studio/actions/transfer/transfer.htm",
        ),
        "read, not modelled: `Destination`, `Skill`, `NoAnswerTimeout` — transfers that change recording (R10) come from traffic `agent.transfer_agent` / `transfer_external`, not from this action",
    ),
    props(
        spec("TTSVOICE", "Selects the text-to-speech voice", &[], PassThrough, Recalled),
        &["Voice", "Language"],
    ),
    props(
        spec("VOICEMAIL", "Sends the caller to a voicemail box", &["Error"], PassThrough, Recalled),
        &["Mailbox"],
    ),
    props(
        spec("VOICEPARAMS", "Sets text-to-speech parameters", &[], PassThrough, Recalled),
        // TTSVolume, TTSRate, TTSVoice, ASRTuningEnabled read on
        // help.nice-incontact.com/Content/studio/actions/voiceparams/voiceparams.htm; the stored
        // copy ends inside the table, so the list stays recalled.
        &["TTSVolume", "TTSRate", "TTSVoice", "ASRTuningEnabled", "Voice", "Language", "Rate", "Volume"],
    ),
    modelled(
        read(
            spec("WAIT", "Waits a number of seconds", &[], Evaluated, Recalled),
            &["Seconds"],
            "https://help.nicecxone.com/zh-cn/content/studio/actionscx/wait/wait.htm",
        ),
        "honoured: `Seconds` (empty = 5; a `{var}` template resolved per contact)",
    ),
    modelled(
        // Read: both tables (Sequence, Phrase, Target; Default only: no Error branch). It plays
        // after Onanswer to the agent, the caller or both (Target): not an IVR prompt, so media
        // stays none.
        read(
            spec(
                "WHISPER",
                "Plays a message to the agent, the caller or both once connected",
                &[],
                PassThrough,
                Read,
            ),
            &["Sequence", "Phrase", "Target"],
            "https://help.staging.nice-incontact.com/content/studio/actions/whisper/whisper.htm",
        ),
        "read, not modelled: `Sequence`, `Phrase`, `Target` — no time passes (it plays after answer, to the agent or the caller)",
    ),
    props(spec("ANSWER", "Answers the call before it is routed", &["Error"], PassThrough, Recalled), &[]),
    modelled(
        props(
            spec(
                "REQSKILL",
                "Queues the contact for a skill chosen at run time",
                &["Error"],
                PassThrough,
                Recalled,
            ),
            &["Skill"],
        ),
        "read, not modelled: `Skill` — the contact queues for REQAGENT's skill only",
    ),
];

/// `docs/actions.md`, generated from [`CATALOGUE`].
pub fn markdown() -> String {
    let mut out = String::from(
        "# Studio actions recflow knows\n\n\
         <!-- generated from src/script/catalogue.rs by `RECFLOW_UPDATE_DOCS=1 cargo test --test catalogue_docs`; do not edit -->\n\n\
         One table (`src/script/catalogue.rs`) describes every Studio action type recflow knows; the loader, lint,\n\
         the fact inference and `simulate` read it. Branch names are those of each action's CXone help page\n\
         (linked); they compare ignoring case and an `On` prefix (`Open` = `OnOpen`). A branch name a type does\n\
         not list, and a type not listed here, load with a located warning (`--strict` makes them errors).\n\n\
         - **ends**: `thread` — the script ends there; `call` — the call ends there.\n\
         - **media**: `ivr` — prompts to the caller (A-6, lint O001; and A-3, M005); `audio` — music / ringback (A-3 only).\n\
         - **prompts**: properties whose text is read for consent and sensitive-input inference.\n\
         - **simulate**: `evaluated` — recflow computes it (IF: its `Expression`, with the Snippet evaluator; an\n\
           expression recflow cannot evaluate takes the `traffic` path with a load warning); `pass-through` — no effect on recording, takes `Default`\n\
           (its first wired branch when it has none); `traffic` — its outcome depends on the world: the branch comes\n\
           from traffic `branches:` weights (docs/tenant-and-traffic.md), counted as unmodelled.\n\
         - **properties**: the properties of the type. A list marked *(recalled)* is from memory and from the\n\
           scripts recflow has seen: any property loads silently. A list read from the help page (evidence `read`)\n\
           is checked: another property loads with a `load::unknown-property` warning (did-you-mean; `--strict`\n\
           makes it an error). Names compare ignoring case, spaces and `_`; the caption is the action's `label`.\n\
           *Studio also writes*: properties Studio puts in the bodies it exports that the help page does not list\n\
           (BEGIN `RootFolder`, `ParamCount`): a property seen in real exports never warns.\n\
         - **evidence**: `read` — the help page (linked) was read for this table: branches, ends, media and\n\
           properties; `recalled` — the page was not found in the project's search index, or its stored copy\n\
           ends before the tables: names follow the help's pattern (unknown names only warn).\n\n\
         - **properties honoured / read, not modelled**: which properties change what `simulate` does, and which\n\
           it reads (validates, keeps) without modelling, with the reason. `—`: nothing beyond the simulate column\n\
           (a pass-through or traffic-branched type models none of its properties).\n\n\
         | action | result branches | ends | media | prompts | properties | simulate | properties honoured / read, not modelled | evidence | help |\n\
         |---|---|---|---|---|---|---|---|---|---|\n",
    );
    for s in CATALOGUE_SORTED.iter() {
        let ends = match s.ends {
            Ends::No => "—",
            Ends::Thread => "thread",
            Ends::Call => "call",
        };
        let media = match s.media {
            Media::None => "—",
            Media::Ivr => "ivr",
            Media::Audio => "audio",
        };
        let sim = match s.sim {
            Sim::Evaluated => "evaluated",
            Sim::PassThrough => "pass-through",
            Sim::Traffic => "traffic",
        };
        let ev = match s.evidence {
            Evidence::Read => "read",
            Evidence::Recalled => "recalled",
        };
        let prompts = if s.prompts.is_empty() { "—".to_owned() } else { s.prompts.join(", ") };
        let mut properties =
            if s.properties.is_empty() { "none".to_owned() } else { s.properties.join(", ") };
        if s.properties_evidence == Evidence::Recalled {
            properties.push_str(" *(recalled)*");
        }
        if !s.studio_writes.is_empty() {
            properties.push_str(&format!("; Studio also writes: {}", s.studio_writes.join(", ")));
        }
        let help = if s.cite.is_empty() { s.help_url() } else { s.cite.to_owned() };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | [help]({}) |\n",
            s.name,
            s.branch_list(),
            ends,
            media,
            prompts,
            properties,
            sim,
            if s.modelled.is_empty() { "—" } else { s.modelled },
            ev,
            help
        ));
    }
    out.push_str(&format!(
        "\n{} actions: {} evaluated, {} pass-through, {} traffic-branched.\n",
        CATALOGUE.len(),
        CATALOGUE.iter().filter(|s| s.sim == Sim::Evaluated).count(),
        CATALOGUE.iter().filter(|s| s.sim == Sim::PassThrough).count(),
        CATALOGUE.iter().filter(|s| s.sim == Sim::Traffic).count(),
    ));
    let names = |sim: Sim| {
        CATALOGUE_SORTED.iter().filter(|s| s.sim == sim).map(|s| s.name).collect::<Vec<_>>().join(", ")
    };
    out.push_str(&format!(
        "\n- evaluated: {}\n- traffic-branched: {}\n- pass-through: {}\n",
        names(Sim::Evaluated),
        names(Sim::Traffic),
        names(Sim::PassThrough)
    ));
    let read = |f: fn(&ActionSpec) -> bool| {
        CATALOGUE_SORTED.iter().filter(|s| f(s)).map(|s| s.name).collect::<Vec<_>>().join(", ")
    };
    out.push_str(&format!(
        "\nRead from their help page (cited in the table): branches of {}; property lists of {}. \
         Every other entry is recalled.\n",
        read(|s| s.evidence == Evidence::Read),
        read(|s| s.properties_evidence == Evidence::Read),
    ));
    out
}

/// The catalogue in name order (the static table is kept alphabetical by hand; this makes
/// the generated page independent of that).
static CATALOGUE_SORTED: std::sync::LazyLock<Vec<&'static ActionSpec>> = std::sync::LazyLock::new(|| {
    let mut v: Vec<&ActionSpec> = CATALOGUE.iter().collect();
    v.sort_by_key(|s| s.name);
    v
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_canonical() {
        let mut names: Vec<&str> = CATALOGUE.iter().map(|s| s.name).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "duplicate catalogue entry");
        for s in CATALOGUE {
            assert_eq!(super::super::model::normalize_type(s.name), s.name);
        }
        assert!(n >= 60, "the catalogue lists {n} actions");
    }

    #[test]
    fn branch_names_compare_leniently() {
        let hours = lookup("Hours").unwrap();
        assert!(hours.knows_branch("Open") && hours.knows_branch("OnOpen") && hours.knows_branch("closed"));
        assert!(!hours.knows_branch("Found"));
        let chk = lookup("CHECKCALLSUP").unwrap();
        assert!(chk.knows_branch("NotFound") && !chk.knows_branch("Open"));
        assert!(lookup("MENU").unwrap().knows_branch("12#"));
        assert!(lookup("PLAY").unwrap().knows_branch("Digit"));
        assert!(lookup("Do Not Record").is_some());
    }
}
