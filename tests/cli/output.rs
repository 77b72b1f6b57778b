//! Issue 10.8 / 10.9: how commands write files (src/cli/output.rs). Regular files are replaced
//! atomically keeping their permissions; symlinks are followed; FIFOs and `-` are streams; a
//! directory or a read-only file is an error naming the path; no temporary file stays behind,
//! on error or on SIGINT. `convert -o` onto its own input is refused unless the format stays.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use crate::common::{output as recflow, recflow as command};

const SCRIPT: &str = "scripts/consent-gdpr.yaml";

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Names in `dir` that look like our temporary files.
fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect()
}

fn convert_to(out: &Path) -> Output {
    recflow(&["convert", SCRIPT, "--to", "studio-json", "-o", out.to_str().unwrap()])
}

#[test]
fn output_through_a_symlink_replaces_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real.json");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    let o = convert_to(&link);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with('{'), "the link's target was replaced: {text}");
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn output_keeps_the_permissions_of_the_file_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = convert_to(&out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o640);
    assert!(std::fs::read_to_string(&out).unwrap().starts_with('{'));
}

#[test]
fn a_read_only_output_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    std::fs::write(&out, "keep me").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = convert_to(&out);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("out.json") && stderr(&o).contains("read-only"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o444);
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn a_directory_output_is_an_error_naming_it_and_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("calls-dir");
    std::fs::create_dir(&sub).unwrap();
    let o = recflow(&["simulate", "--calls", "5", "--calls-out", sub.to_str().unwrap(), SCRIPT]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("calls-dir") && stderr(&o).contains("directory"), "{}", stderr(&o));
    assert!(temp_files(dir.path()).is_empty(), "{:?}", temp_files(dir.path()));
    let o = convert_to(&sub);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("calls-dir"), "{}", stderr(&o));
    assert!(temp_files(dir.path()).is_empty(), "{:?}", temp_files(dir.path()));
}

#[test]
fn a_fifo_output_is_written_as_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let o = convert_to(&fifo);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = reader.join().unwrap();
    assert!(text.starts_with('{') && text.contains("\"actions\""), "{text}");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "still a FIFO");
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn dash_writes_to_standard_output() {
    let o = recflow(&["convert", SCRIPT, "--to", "studio-json", "-o", "-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"actions\""));
    assert!(!Path::new("-").exists(), "no file named `-`");
}

#[test]
fn a_missing_directory_in_the_output_path_is_an_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nope").join("out.json");
    let o = convert_to(&out);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope/out.json"), "{}", stderr(&o));
}

#[test]
fn sigint_during_a_long_write_leaves_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("calls.jsonl");
    std::fs::write(&out, "previous run\n").unwrap();
    let mut cmd = command();
    cmd.args(["simulate", "--calls", "50000000", "--jobs", "1", "--calls-out"])
        .arg(&out)
        .arg(SCRIPT)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // recflow keeps a signal its parent ignores ignored (nohup semantics), and a background job
    // of a non-interactive shell inherits SIGINT ignored; give the child the default action so
    // the test does not depend on how it was launched.
    // SAFETY: `signal` is async-signal-safe, as `pre_exec` requires.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cmd, || {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    // Wait until the temporary file exists (the run is under way).
    let start = std::time::Instant::now();
    while temp_files(dir.path()).is_empty() {
        assert!(start.elapsed().as_secs() < 30, "no temporary file appeared");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert!(temp_files(dir.path()).is_empty(), "left behind: {:?}", temp_files(dir.path()));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous run\n", "the target is untouched");
}

// ---- 10.9: convert -o onto its own input -------------------------------------------------

#[test]
fn convert_onto_its_own_input_in_the_other_format_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("s.yaml");
    let original = std::fs::read_to_string(SCRIPT).unwrap();
    std::fs::write(&input, &original).unwrap();
    let link = dir.path().join("alias.yaml");
    std::os::unix::fs::symlink(&input, &link).unwrap();
    let hard = dir.path().join("hard.yaml");
    std::fs::hard_link(&input, &hard).unwrap();
    for out in [&input, &link, &hard] {
        let o = recflow(&[
            "convert",
            input.to_str().unwrap(),
            "--to",
            "studio-json",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{}", out.display());
        assert!(stderr(&o).contains("same file"), "{}", stderr(&o));
        assert_eq!(
            std::fs::read_to_string(&input).unwrap(),
            original,
            "input untouched via {}",
            out.display()
        );
    }
    // Same format: canonicalising in place is allowed, and the file still loads.
    let o = recflow(&["convert", input.to_str().unwrap(), "--to", "yaml", "-o", input.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = recflow(&["lint", input.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn input_format_follows_the_content_when_the_extension_disagrees() {
    let dir = tempfile::tempdir().unwrap();
    // YAML content in a .json file.
    let yaml_as_json = dir.path().join("yaml.json");
    std::fs::copy(SCRIPT, &yaml_as_json).unwrap();
    let o = recflow(&["convert", yaml_as_json.to_str().unwrap(), "--to", "yaml"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A Studio export in a .yaml file.
    let json_as_yaml = dir.path().join("studio.yaml");
    std::fs::copy("scripts/studio-json/consent-gdpr.json", &json_as_yaml).unwrap();
    let o = recflow(&["convert", json_as_yaml.to_str().unwrap(), "--to", "studio-json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let direct = recflow(&["convert", "scripts/studio-json/consent-gdpr.json", "--to", "studio-json"]);
    assert_eq!(o.stdout, direct.stdout, "loaded as the Studio export it is");
}

/// `--color`: `auto` (the default) gives a pipe plain text; `always` colours lint findings even
/// into a pipe and even with `NO_COLOR` set; `never` never colours; a bad value is a usage error.
#[test]
fn color_flag_overrides_tty_detection_and_no_color() {
    let lint = |extra: &[&str], no_color: bool| {
        let mut c = command();
        c.args(["lint", "scripts/mistake-dnr-after-answer.yaml"]).args(extra);
        if no_color {
            c.env("NO_COLOR", "1");
        } else {
            c.env_remove("NO_COLOR");
        }
        let o = c.output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let esc = "\u{1b}[";
    let auto = lint(&[], false);
    assert!(auto.contains("C002") && !auto.contains(esc), "{auto}");
    let always = lint(&["--color", "always"], true);
    assert!(always.contains("C002") && always.contains(esc), "{always}");
    assert!(!lint(&["--color=never"], false).contains(esc));
    // Global: accepted before the subcommand too.
    let o = command()
        .args(["--color", "always", "lint", "scripts/mistake-dnr-after-answer.yaml"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains(esc));
    let o = recflow(&["lint", SCRIPT, "--color", "sometimes"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("possible values: auto, always, never"), "{}", stderr(&o));
}
