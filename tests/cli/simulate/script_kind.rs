//! Script kind (issue 11 point 6) seen from `recflow simulate`: a non-voice script records no
//! call, and simulate says so and counts nothing recorded. Reading the kind and the voice-only
//! lint rules are tested in `tests/script_kind.rs`.

use crate::common::run as recflow;
use crate::common::scripts::RECORDING_SCRIPT;

#[test]
fn simulate_of_a_non_voice_script_says_so_and_records_nothing() {
    let dir = std::env::temp_dir().join(format!("recflow-kind-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let chat = dir.join("chat.yaml");
    let call = dir.join("call.yaml");
    std::fs::write(&chat, format!("script: chat\nmedia: chat\n{RECORDING_SCRIPT}")).unwrap();
    std::fs::write(&call, format!("script: call\nmedia: call\n{RECORDING_SCRIPT}")).unwrap();
    let (code, out, err) =
        recflow(&["simulate", chat.to_str().unwrap(), "--calls", "200", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["media"], "chat", "{out}");
    assert_eq!(v["recorded"]["any"], 0, "{out}");
    assert_eq!(v["recorded"]["full"], 0);
    assert_eq!(v["recorded"]["ivr"], 0);
    assert_eq!(v["recorded"]["agent_only"], 0);
    assert_eq!(v["recorded"]["none"], 200);
    assert_eq!(v["initiators"]["studio"], 0);
    assert_eq!(v["initiators"]["rod"], 0);
    assert_eq!(v["initiators"]["policy"], 0);
    let (code, out, _) = recflow(&["simulate", chat.to_str().unwrap(), "--calls", "50"]);
    assert_eq!(code, 0);
    let second = out.lines().nth(1).unwrap_or_default();
    assert!(second.starts_with("not a voice script (media: chat)"), "{out}");
    // The same script as a phone script records (the test can fail).
    let (code, out, err) =
        recflow(&["simulate", call.to_str().unwrap(), "--calls", "200", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v.get("media").is_none(), "{out}");
    assert_eq!(v["recorded"]["any"], 200, "{out}");
    let (_, out, _) = recflow(&["simulate", call.to_str().unwrap(), "--calls", "50"]);
    assert!(!out.contains("not a voice script"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
