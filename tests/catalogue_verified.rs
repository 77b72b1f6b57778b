//! Issue 11 point 1: the catalogue entries marked as read from a CXone help page say what the
//! page says (branches, `Default`, ends, media, properties); each cites its page.

use recflow::script::catalogue::{self, Ends, Evidence, Media};

fn spec(name: &str) -> &'static catalogue::ActionSpec {
    catalogue::lookup(name).unwrap()
}

#[test]
fn entries_read_from_help_pages_match_the_pages() {
    // CHECKCALLSUP: DataValue; Found / NotFound / Error, no Default.
    let s = spec("CHECKCALLSUP");
    assert!(!s.default_branch && ["Found", "NotFound", "Error"].iter().all(|b| s.knows_branch(b)));
    assert_eq!(s.properties, ["DataValue"]);
    // CAPTURE: DTMF only (no prompt property), four result branches.
    let s = spec("CAPTURE");
    assert_eq!(s.branches, ["Terminator", "MaxDigits", "Timeout", "InterDigitTimeout"]);
    assert_eq!((s.media, s.prompts.len()), (Media::None, 0));
    assert!(s.knows_property("Inter Digit Timeout") && !s.knows_property("Sequence"));
    // HANGUP and PERMITCALL: no properties, no branches, end the call / the script.
    for (name, ends) in [("HANGUP", Ends::Call), ("PERMITCALL", Ends::Thread)] {
        let s = spec(name);
        assert_eq!(
            (s.default_branch, s.branches.len(), s.properties.len(), s.ends),
            (false, 0, 0, ends),
            "{name}"
        );
    }
    // SUPPRESSCALL: Disposition; Default; the END property must be checked (ends the script).
    let s = spec("SUPPRESSCALL");
    assert_eq!((s.properties, s.default_branch, s.ends), (&["Disposition"][..], true, Ends::Thread));
    // DONOTRECORD and LEAVE: no properties, Default only.
    for name in ["DONOTRECORD", "LEAVE"] {
        let s = spec(name);
        assert_eq!((s.properties.len(), s.branches.len(), s.default_branch), (0, 0, true), "{name}");
    }
    // HOURS: Profile; Default and the eight On… branches.
    let s = spec("HOURS");
    assert_eq!(s.properties, ["Profile"]);
    for b in [
        "default",
        "OnOpen",
        "OnClosed",
        "OnHoliday",
        "OnError",
        "OnWeather",
        "OnMeeting",
        "OnEmergency",
        "OnOther",
    ] {
        assert!(s.knows_branch(b), "HOURS {b}");
    }
    // TEXTBOTEXCHANGE: its four branches read (the property list is not).
    let s = spec("TEXTBOTEXCHANGE");
    assert!(
        ["default", "OnPromptAndCollectNextResponse", "OnReturnControlToScript", "OnError"]
            .iter()
            .all(|b| s.knows_branch(b))
    );
    assert_eq!((s.evidence, s.properties_evidence), (Evidence::Read, Evidence::Recalled));
    // WAIT: Seconds; Default only (no Error branch on its page).
    let s = spec("WAIT");
    assert_eq!((s.properties, s.branches.len(), s.default_branch), (&["Seconds"][..], 0, true));
    // CUSTOMEVENT: OnAgentNotConnected besides Default.
    let s = spec("CUSTOMEVENT");
    assert!(s.knows_branch("OnAgentNotConnected") && !s.knows_branch("Error"));
    assert_eq!(s.properties, ["TargetAgent", "EventName", "PersistInMemory", "Data"]);
    // RUNSUB: ScriptName, ReturnVariable, Parameters; Default and OnError.
    let s = spec("RUNSUB");
    assert_eq!(s.properties, ["ScriptName", "ReturnVariable", "Parameters"]);
    assert_eq!((s.evidence, s.properties_evidence), (Evidence::Read, Evidence::Read));
    assert!(s.default_branch && s.knows_branch("OnError") && !s.knows_branch("OnTimeout"));
}

/// Round 3: the entries verified against their help pages after the first pass.
#[test]
fn entries_read_in_round_three_match_their_pages() {
    // TRANSFER: to an outside number, stays on CXone telephony; Default plus four failure
    // branches; it does not end the script (the recalled entry had it as RUNSCRIPT's twin).
    let s = spec("TRANSFER");
    assert_eq!(s.properties, ["Destination", "CallerID", "NoAnswerTimeout", "Skill"]);
    assert_eq!((s.ends, s.default_branch), (Ends::No, true));
    for b in ["OnDialingError", "OnBusy", "OnNoAnswer", "OnInvalidNumber", "NoAnswer"] {
        assert!(s.knows_branch(b), "TRANSFER {b}");
    }
    assert!(!s.knows_property("ScriptName") && s.knows_property("No Answer Timeout"));
    // BEGIN: Application (unused) and Parameters; Default only.
    let s = spec("BEGIN");
    assert_eq!(
        (s.properties, s.branches.len(), s.default_branch),
        (&["Application", "Parameters"][..], 0, true)
    );
    // ONHOLD: no properties; Default only. WHISPER: Sequence, Phrase, Target; Default only.
    let s = spec("ONHOLD");
    assert_eq!((s.properties.len(), s.branches.len(), s.default_branch), (0, 0, true));
    let s = spec("WHISPER");
    assert_eq!((s.properties, s.branches.len()), (&["Sequence", "Phrase", "Target"][..], 0));
    assert!(!s.knows_branch("Error"));
    // ONRELEASE and ONANSWER: their variable-name properties; Default only.
    assert_eq!(spec("ONRELEASE").properties, ["CauseCode", "CallResult"]);
    let s = spec("ONANSWER");
    assert!(s.knows_property("Skill Name Var") && s.knows_property("Agent ID") && !s.knows_property("Skill"));
    for name in ["ONRELEASE", "ONANSWER"] {
        let s = spec(name);
        assert_eq!(
            (s.evidence, s.properties_evidence, s.branches.len()),
            (Evidence::Read, Evidence::Read, 0)
        );
    }
    // Property tables read, branch tables cut off in the stored copy: branches stay recalled.
    for (name, props) in [
        ("RETURN", &["ReturnValue"][..]),
        ("SIGNAL", &["ContactId", "Parameters"][..]),
        ("ONSIGNAL", &["SrcContactIDVar", "Parameters"][..]),
        ("SPAWN", &["ScriptName", "SpawnIDVar", "Skill", "StartDate", "Parameters"][..]),
    ] {
        let s = spec(name);
        assert_eq!(
            (s.properties, s.properties_evidence, s.evidence),
            (props, Evidence::Read, Evidence::Recalled),
            "{name}"
        );
    }
    assert_eq!(spec("RETURN").ends, Ends::Thread);
    assert!(spec("SPAWN").knows_branch("OnLinked"));
    // RESKILL: TargetSkill, ScriptName, Variables; "Result Branch Conditions: None".
    let s = spec("RESKILL");
    assert_eq!(
        (s.properties, s.default_branch, s.branches.len()),
        (&["TargetSkill", "ScriptName", "Variables"][..], false, 0)
    );
    // Branch names seen on pages whose tables are cut off: added, the entries stay recalled.
    assert!(spec("MUSIC").knows_branch("OnComplete"));
    assert!(
        ["OnInvalidNumber", "OnNoVoice", "OnLivePerson", "OnAnswerMachine", "OnMachineTimeout"]
            .iter()
            .all(|b| spec("PLACECALL").knows_branch(b))
    );
}

#[test]
fn every_read_entry_cites_a_help_page() {
    let mut read = 0;
    for s in catalogue::CATALOGUE {
        if s.evidence == Evidence::Read || s.properties_evidence == Evidence::Read {
            assert!(s.cite.starts_with("https://help."), "{}: `{}`", s.name, s.cite);
            read += 1;
        } else {
            assert!(s.cite.is_empty(), "{}", s.name);
        }
    }
    assert!(read >= 10, "{read} entries read");
    let doc = catalogue::markdown();
    assert!(
        doc.contains("https://help.nicecxone.com/Content/studio/actionscx/checkcallsup/checkcallsup.htm")
    );
}
