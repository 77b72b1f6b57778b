//! `docs/actions.md` is generated from the action catalogue (`src/script/catalogue.rs`). This
//! test fails when the committed page is stale; regenerate with
//! `RECFLOW_UPDATE_DOCS=1 cargo test --test catalogue_docs`.

use recflow::script::catalogue;

#[test]
fn action_docs_are_up_to_date() {
    let path = std::path::Path::new("docs/actions.md");
    let want = catalogue::markdown();
    if std::env::var_os("RECFLOW_UPDATE_DOCS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(have == want, "docs/actions.md is stale: RECFLOW_UPDATE_DOCS=1 cargo test --test catalogue_docs");
}

/// The issue asks for at least the ~60 most used phone-script actions, the ones it names
/// among them.
#[test]
fn catalogue_covers_the_named_actions() {
    assert!(catalogue::CATALOGUE.len() >= 60);
    for name in [
        "BEGIN",
        "END",
        "HANGUP",
        "PLAY",
        "TTSVOICE",
        "VOICEPARAMS",
        "MENU",
        "CAPTURE",
        "WAIT",
        "MUSIC",
        "ASSIGN",
        "SNIPPET",
        "CASE",
        "IF",
        "HOURS",
        "REQAGENT",
        "TRANSFER",
        "BLINDTRANSFER",
        "PLACECALL",
        "CONFERENCE",
        "RUNSUB",
        "RETURN",
        "RUNSCRIPT",
        "SPAWN",
        "RESTAPI",
        "ONANSWER",
        "ONRELEASE",
        "ONSIGNAL",
        "ONHOLD",
        "ONRESUME",
        "INDICATE",
        "SIGNAL",
        "LOGRECORDINGPRO",
        "RECORDAGENTONLY",
        "DONOTRECORD",
        "DISPOSITION",
        "CHECKCALLSUP",
        "PERMITCALL",
        "SUPPRESSCALL",
    ] {
        assert!(catalogue::lookup(name).is_some(), "{name} is not in the catalogue");
    }
}
