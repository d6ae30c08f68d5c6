//! End-to-end tests of `wharf check --fix`, `--unsafe-fixes`, `--diff` and `--fix-only`: what is
//! written, what is reported, exit codes, and the files that must stay untouched.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn wharf(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("wharf").unwrap();
    c.env("NO_COLOR", "1").current_dir(dir);
    c.timeout(std::time::Duration::from_secs(30));
    c.args(["check", "--isolated", "--format", "concise"]);
    c
}

fn run(cmd: &mut Command, code: i32) -> (String, String) {
    let out = cmd.assert().code(code).get_output().clone();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A compose file with one safe fix (DC001) and nothing else to report.
const COMPOSE: &str = "version: \"3.8\"\nservices:\n  web:\n    image: nginx:1.27\n";
const COMPOSE_FIXED: &str = "services:\n  web:\n    image: nginx:1.27\n";
/// A Dockerfile with one unsafe fix (DL3025) and one finding without a fix (DF001 is off
/// with USER; DL3057 is quiet without EXPOSE).
const DOCKERFILE: &str = "FROM alpine:3.20\nUSER 1000\nCMD echo hi\n";
const DOCKERFILE_FIXED: &str = "FROM alpine:3.20\nUSER 1000\nCMD [\"echo\", \"hi\"]\n";

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn fix_applies_safe_fixes_and_reports_what_is_left() {
    let dir = project(&[("compose.yaml", COMPOSE), ("Dockerfile", DOCKERFILE)]);
    let (out, err) = run(wharf(dir.path()).arg("--fix"), 1);
    assert_eq!(read(dir.path(), "compose.yaml"), COMPOSE_FIXED);
    // The unsafe fix is only offered.
    assert_eq!(read(dir.path(), "Dockerfile"), DOCKERFILE);
    assert!(out.contains("DL3025"), "{out}");
    assert!(!out.contains("DC001"), "{out}");
    assert!(out.contains("1 fixable with --unsafe-fixes"), "{out}");
    assert!(err.contains("fixed 1 finding in 1 file (DC001 1)"), "{err}");
}

#[test]
fn unsafe_fixes_apply_too_and_a_second_run_changes_nothing() {
    let dir = project(&[("compose.yaml", COMPOSE), ("Dockerfile", DOCKERFILE)]);
    let (out, _) = run(wharf(dir.path()).args(["--fix", "--unsafe-fixes"]), 0);
    assert_eq!(out.trim(), "All checks passed!");
    assert_eq!(read(dir.path(), "Dockerfile"), DOCKERFILE_FIXED);
    assert_eq!(read(dir.path(), "compose.yaml"), COMPOSE_FIXED);
    let (_, err) = run(wharf(dir.path()).args(["--fix", "--unsafe-fixes"]), 0);
    assert!(!err.contains("fixed"), "{err}");
    assert_eq!(read(dir.path(), "Dockerfile"), DOCKERFILE_FIXED);
}

#[test]
fn diff_shows_the_change_and_writes_nothing() {
    let dir = project(&[("compose.yaml", COMPOSE)]);
    let (out, err) = run(wharf(dir.path()).arg("--diff"), 1);
    assert_eq!(
        out,
        "--- a/compose.yaml\n+++ b/compose.yaml\n@@ -1,4 +1,3 @@\n-version: \"3.8\"\n services:\n   web:\n     image: nginx:1.27\n"
    );
    assert!(err.contains("would fix 1 finding"), "{err}");
    assert_eq!(read(dir.path(), "compose.yaml"), COMPOSE);
    // Nothing to fix: no diff, exit 0.
    let clean = project(&[("compose.yaml", COMPOSE_FIXED)]);
    let (out, _) = run(wharf(clean.path()).arg("--diff"), 0);
    assert_eq!(out, "");
}

#[test]
fn fix_only_reports_nothing_else() {
    let dir = project(&[("compose.yaml", COMPOSE), ("Dockerfile", DOCKERFILE)]);
    let (out, _) = run(wharf(dir.path()).arg("--fix-only"), 0);
    assert_eq!(out, "");
    assert_eq!(read(dir.path(), "compose.yaml"), COMPOSE_FIXED);
}

#[test]
fn standard_input_gets_its_fixed_text_on_standard_output() {
    let dir = project(&[]);
    let (out, err) = run(
        wharf(dir.path())
            .args(["--fix", "--stdin-filename", "compose.yaml"])
            .write_stdin(COMPOSE),
        0,
    );
    assert_eq!(out, COMPOSE_FIXED);
    assert!(err.contains("All checks passed!"), "{err}");
    // Nothing to fix: the text comes back as it was.
    let (out, _) = run(
        wharf(dir.path())
            .args(["--fix", "--stdin-filename", "compose.yaml"])
            .write_stdin(COMPOSE_FIXED),
        0,
    );
    assert_eq!(out, COMPOSE_FIXED);
}

#[test]
fn configuration_keys_fix_and_unsafe_fixes() {
    let dir = project(&[
        ("compose.yaml", COMPOSE),
        ("Dockerfile", DOCKERFILE),
        ("wharf.toml", "fix = true\nunsafe-fixes = true\n"),
    ]);
    let mut cmd = Command::cargo_bin("wharf").unwrap();
    cmd.env("NO_COLOR", "1").current_dir(dir.path());
    // `--no-fix` wins over the file for one run.
    run(cmd.args(["check", "--no-fix", "-f", "concise"]), 1);
    assert_eq!(read(dir.path(), "compose.yaml"), COMPOSE);
    let mut cmd = Command::cargo_bin("wharf").unwrap();
    cmd.env("NO_COLOR", "1").current_dir(dir.path());
    run(cmd.args(["check", "-f", "concise"]), 0);
    assert_eq!(read(dir.path(), "compose.yaml"), COMPOSE_FIXED);
    assert_eq!(read(dir.path(), "Dockerfile"), DOCKERFILE_FIXED);
}

#[test]
fn line_endings_bom_and_missing_final_newline_are_kept() {
    let crlf = COMPOSE.replace('\n', "\r\n");
    let bom = format!("\u{feff}{DOCKERFILE}");
    let no_newline = COMPOSE.trim_end();
    let dir = project(&[
        ("compose.yaml", &crlf),
        ("Dockerfile", &bom),
        ("docker-compose.yml", no_newline),
    ]);
    run(wharf(dir.path()).args(["--fix", "--unsafe-fixes"]), 0);
    assert_eq!(
        read(dir.path(), "compose.yaml"),
        COMPOSE_FIXED.replace('\n', "\r\n")
    );
    assert_eq!(
        read(dir.path(), "Dockerfile"),
        format!("\u{feff}{DOCKERFILE_FIXED}")
    );
    assert_eq!(
        read(dir.path(), "docker-compose.yml"),
        COMPOSE_FIXED.trim_end()
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_reported_and_untouched() {
    let dir = project(&[("compose.yaml", COMPOSE)]);
    let p = dir.path().join("compose.yaml");
    let mut perms = fs::metadata(&p).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(&p, perms).unwrap();
    let (out, err) = run(wharf(dir.path()).arg("--fix"), 2);
    assert!(
        err.contains("compose.yaml: not fixed: the file is read-only"),
        "{err}"
    );
    // Its findings are still reported.
    assert!(out.contains("DC001"), "{out}");
    assert_eq!(read(dir.path(), "compose.yaml"), COMPOSE);
}

#[cfg(unix)]
#[test]
fn a_link_is_followed_and_stays_a_link() {
    let dir = project(&[("real.yaml", COMPOSE)]);
    std::os::unix::fs::symlink("real.yaml", dir.path().join("compose.yaml")).unwrap();
    run(wharf(dir.path()).args(["--fix", "compose.yaml"]), 0);
    let link = dir.path().join("compose.yaml");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(read(dir.path(), "real.yaml"), COMPOSE_FIXED);
}

#[test]
fn a_compose_file_cut_short_by_a_yaml_error_gets_no_fix() {
    // Found by fuzzing: what follows the error was never read, and deleting the `version:`
    // line changed how it parses (one syntax error became six).
    let broken = "version: '3.8'\n!services:\n  web:\n    image: nginx:1.27\n  - [\n";
    let dir = project(&[("compose.yaml", broken)]);
    let (out, err) = run(wharf(dir.path()).args(["--fix", "compose.yaml"]), 1);
    assert_eq!(read(dir.path(), "compose.yaml"), broken);
    assert!(out.contains("DC000"), "{out}");
    assert!(!err.contains("fixable"), "{err}");
}
