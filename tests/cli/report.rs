//! `recflow report` (deterministic, self-contained), `recflow completions`, `recflow man`.

mod browser;
mod subscripts;

use crate::common::recflow;

#[test]
fn report_is_byte_identical_for_any_jobs_and_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let mut pages = Vec::new();
    for jobs in ["1", "4"] {
        let out = dir.path().join(format!("r{jobs}.html"));
        let o = recflow()
            .args([
                "report",
                "scripts/consent-gdpr.yaml",
                "scripts/mistake-consent-leak.yaml",
                "--jobs",
                jobs,
                "-o",
            ])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        pages.push(std::fs::read_to_string(&out).unwrap());
    }
    assert_eq!(pages[0], pages[1]);
    let page = &pages[0];
    // Nothing that would load from elsewhere.
    for needle in ["src=\"http", "href=\"http", "@import", "url(http", "<link "] {
        assert!(!page.contains(needle), "the page references `{needle}`");
    }
    assert!(page.contains("default-src 'none'"));
    // One flow graph per script; the change's transitions section.
    assert_eq!(page.matches("<svg class=\"flow\"").count(), 2);
    assert!(page.contains("Transitions (outcome class old → new)"));
}

#[test]
fn report_refuses_bad_input_with_exit_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let o = recflow().args(["report", "no/such/script.yaml", "-o"]).arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
}

#[test]
fn completions_for_every_shell_and_a_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = recflow().args(["completions", shell]).output().unwrap();
        assert!(o.status.success(), "{shell}");
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(text.contains("simulate") && text.contains("report"), "{shell}: {text}");
    }
    let o = recflow().arg("man").output().unwrap();
    assert!(o.status.success());
    let man = String::from_utf8(o.stdout).unwrap();
    assert!(man.starts_with(".ie") || man.contains(".TH recflow"), "{}", &man[..200.min(man.len())]);
    for opt in ["\\-\\-precision", "\\-\\-calls\\-out", "\\-\\-output"] {
        let plain = opt.replace('\\', "");
        assert!(man.contains(opt) || man.contains(&plain), "man page lacks {plain}");
    }
}
