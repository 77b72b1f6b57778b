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
//! [`Evidence::Read`] were read for this table; [`Evidence::Recalled`] ones follow the help's
//! naming pattern but their page was not found in the project's search index — their branch
//! names are the best evidence we have and unknown names only warn (never refuse a load).

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
    /// The page was not found in the search index: names follow the help's naming pattern.
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
    pub evidence: Evidence,
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
    }
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

/// Every Studio action type recflow knows, alphabetically. Types not listed load as unknown
/// (a located warning; pass-through).
pub static CATALOGUE: &[ActionSpec] = &[
    spec("ADDTODNC", "Adds a number to the do-not-call list", &["Error"], PassThrough, Recalled),
    media(
        spec(
            "ASRDIGITS",
            "Collects digits spoken or pressed (ASR)",
            &["OnTimeout", "OnInvalid", "Error"],
            Traffic,
            Recalled,
        ),
        Media::Ivr,
        PROMPTS,
    ),
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
    media(
        spec(
            "ASRYESNO",
            "Asks a yes/no question by speech",
            &["OnYes", "OnNo", "OnTimeout", "OnInvalid", "Error"],
            Traffic,
            Recalled,
        ),
        Media::Ivr,
        PROMPTS,
    ),
    spec("ASSIGN", "Sets a variable from a value with {var} templates", &[], Evaluated, Recalled),
    spec("BEGIN", "Where the script starts", &[], Evaluated, Recalled),
    spec("BLINDTRANSFER", "Transfers the call to a number and leaves it", &["Error"], PassThrough, Recalled),
    media(
        spec(
            "CAPTURE",
            "Collects digits into a variable after a prompt",
            &["OnTimeout", "OnInvalid", "Error"],
            Traffic,
            Recalled,
        ),
        Media::Ivr,
        PROMPTS,
    ),
    extra(spec("CASE", "Branches on a variable's value", &[], Evaluated, Recalled), Extra::Values),
    spec(
        "CHECKCALLSUP",
        "Looks the number up in the call suppression table",
        &["Found", "NotFound", "Error"],
        Traffic,
        Read,
    ),
    spec("COMMITMENT", "Schedules a callback commitment", &["Error"], PassThrough, Recalled),
    spec("CONFERENCE", "Conferences the caller, agent and outside party", &["Error"], PassThrough, Recalled),
    spec("CUSTOMEVENT", "Sends a custom event to an agent", &["Error"], PassThrough, Recalled),
    spec("DISPOSITION", "Sets the contact's disposition", &["Error"], PassThrough, Recalled),
    spec("DONOTRECORD", "Stops and forbids recording of the contact (R1/R2)", &[], Evaluated, Recalled),
    spec("EMAIL", "Sends an e-mail", &["Error"], PassThrough, Recalled),
    ends(spec("END", "Ends the script thread", &[], Evaluated, Recalled), Ends::Thread, false),
    spec("GETRSID", "Reads a recording statement id", &["Error"], PassThrough, Recalled),
    ends(spec("HANGUP", "Ends the call", &[], Evaluated, Recalled), Ends::Call, true),
    spec(
        "HOURS",
        "Branches on the hours-of-operation profile",
        &["OnOpen", "OnClosed", "OnHoliday", "OnWeather", "OnMeeting", "OnEmergency", "OnOther", "OnError"],
        Traffic,
        Read,
    ),
    // Read: help.nicecxone.com/Content/studio/actions/if/if.htm (Desktop Studio) and
    // .../actionscx/if/if.htm (Studio): "Evaluates an expression and takes a branch depending on
    // the outcome of the evaluation (true or false)"; branches True / False. Evaluated with the
    // Snippet evaluator; one recflow cannot evaluate takes the traffic-weighted branch.
    spec("IF", "Branches on a Snippet expression (True / False)", &["True", "False"], Evaluated, Read),
    spec("INDICATE", "Shows an indicator (and a button) on the agent's desktop", &[], Evaluated, Recalled),
    spec("LEAVE", "Leaves a conference joined with CONFERENCE", &[], PassThrough, Read),
    spec(
        "LOGRECORDINGPRO",
        "Starts or stops call recording (statements with RecordingStatementId)",
        &["Error"],
        Evaluated,
        Recalled,
    ),
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
    media(spec("MUSIC", "Plays hold music", &["Digit", "Error"], Evaluated, Recalled), Media::Audio, &[]),
    spec("NOTIFY", "Sends a notification to an agent or supervisor", &["Error"], PassThrough, Recalled),
    spec("ONANSWER", "Event: an agent answered", &[], Evaluated, Recalled),
    spec("ONHOLD", "Event: the call was put on hold", &[], PassThrough, Recalled),
    spec("ONRELEASE", "Event: the call was released", &[], Evaluated, Recalled),
    spec("ONRESUME", "Event: the call was resumed from hold", &[], PassThrough, Recalled),
    spec("ONSIGNAL", "Event: a SIGNAL or agent button reached the script", &[], Evaluated, Recalled),
    ends(
        spec("PERMITCALL", "Suppression script: lets the outbound call be dialled", &[], Evaluated, Read),
        Ends::Thread,
        false,
    ),
    spec(
        "PLACECALL",
        "Dials an outside party",
        &["OnAnswer", "OnBusy", "OnNoAnswer", "OnFailed", "Error"],
        Traffic,
        Recalled,
    ),
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
    spec("PRIORITY", "Changes the contact's queue priority", &["Error"], PassThrough, Recalled),
    spec(
        "RECORD",
        "Records the caller's audio to a file (voicemail-style)",
        &["OnTimeout", "Error"],
        PassThrough,
        Recalled,
    ),
    spec("RECORDAGENTONLY", "Records the agent's side only", &[], Evaluated, Recalled),
    spec("REQAGENT", "Queues the contact for a skill (or one agent)", &["Error"], Evaluated, Recalled),
    spec("RESKILL", "Moves the queued contact to another skill", &["Error"], PassThrough, Recalled),
    spec("RESTAPI", "Calls a REST web service", &["OnSuccess", "OnTimeout", "Error"], Traffic, Recalled),
    ends(spec("RETURN", "Returns from a subscript (RUNSUB)", &[], Evaluated, Recalled), Ends::Thread, false),
    media(
        spec("RINGBACK", "Plays ringback to the caller", &["Error"], PassThrough, Recalled),
        Media::Audio,
        &[],
    ),
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
    spec("RUNSUB", "Runs a subscript and returns", &["Error"], PassThrough, Recalled),
    spec("SETSKILLDELAY", "Sets the skill's queue delay", &["Error"], PassThrough, Recalled),
    spec("SIGNAL", "Sends a signal to another contact's script", &["Error"], PassThrough, Recalled),
    spec("SMS", "Sends a text message", &["Error"], PassThrough, Recalled),
    spec("SNIPPET", "Runs Snippet code", &["Error"], Evaluated, Recalled),
    spec("SPAWN", "Starts another script as a new contact", &["Error"], PassThrough, Recalled),
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
    spec(
        "TEXTBOTEXCHANGE",
        "Exchanges a turn with a text virtual agent",
        &["OnPromptAndCollectNextResponse", "OnReturnControlToScript", "OnError"],
        Traffic,
        Read,
    ),
    ends(
        spec("TRANSFER", "Transfers the contact to another script", &["Error"], PassThrough, Recalled),
        Ends::Thread,
        false,
    ),
    spec("TTSVOICE", "Selects the text-to-speech voice", &[], PassThrough, Recalled),
    spec("VOICEMAIL", "Sends the caller to a voicemail box", &["Error"], PassThrough, Recalled),
    spec("VOICEPARAMS", "Sets text-to-speech parameters", &[], PassThrough, Recalled),
    spec("WAIT", "Waits a number of seconds", &["Error"], Evaluated, Recalled),
    spec("WHISPER", "Plays a message to the agent only", &["Error"], PassThrough, Recalled),
    spec("ANSWER", "Answers the call before it is routed", &["Error"], PassThrough, Recalled),
    spec("REQSKILL", "Queues the contact for a skill chosen at run time", &["Error"], PassThrough, Recalled),
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
         - **evidence**: `read` — the help page was read for this table; `recalled` — the page was not in the\n\
           project's search index, names follow the help's pattern (unknown names only warn).\n\n\
         | action | result branches | ends | media | prompts | simulate | evidence | help |\n\
         |---|---|---|---|---|---|---|---|\n",
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
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} | [help]({}) |\n",
            s.name,
            s.branch_list(),
            ends,
            media,
            prompts,
            sim,
            ev,
            s.help_url()
        ));
    }
    out.push_str(&format!(
        "\n{} actions: {} evaluated, {} pass-through, {} traffic-branched.\n",
        CATALOGUE.len(),
        CATALOGUE.iter().filter(|s| s.sim == Sim::Evaluated).count(),
        CATALOGUE.iter().filter(|s| s.sim == Sim::PassThrough).count(),
        CATALOGUE.iter().filter(|s| s.sim == Sim::Traffic).count(),
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
