//! End-to-end tests of the `wharf` binary: exit codes, the JSON contract, stdin, errors.

use assert_cmd::Command;
use std::fs;

fn wharf() -> Command {
    let mut c = Command::cargo_bin("wharf").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn json(out: impl AsRef<[u8]>) -> Vec<serde_json::Value> {
    serde_json::from_slice(out.as_ref()).expect("valid JSON array")
}

/// Runs `cmd`, checks its exit code, and returns its standard output and error.
fn run(cmd: &mut Command, code: i32) -> (String, String) {
    let out = cmd.assert().code(code).get_output().clone();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn clean_file_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("Dockerfile");
    fs::write(
        &p,
        "FROM alpine:3.20\nUSER 1000\nHEALTHCHECK NONE\nCMD [\"sh\"]\n",
    )
    .unwrap();
    wharf().arg("check").arg(&p).assert().code(0);
}

#[test]
fn findings_exit_one_and_json_contract() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("Dockerfile");
    fs::write(
        &p,
        "FROM alpine:3.20\nUSER 1000\nHEALTHCHECK NONE\nCMD sh -c 'echo é'\n",
    )
    .unwrap();
    let out = run(wharf().args(["check", "--format", "json"]).arg(&p), 1).0;
    let v = json(&out);
    assert_eq!(v.len(), 1);
    let d = &v[0];
    assert_eq!(d["code"], "DL3025");
    assert_eq!(d["name"], "shell-form-cmd");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["line"], 4);
    assert_eq!(d["column"], 5);
    assert_eq!(d["end_line"], 4);
    // Columns count characters: `é` is one column.
    assert_eq!(d["end_column"], 19);
    assert!(d["file"].as_str().unwrap().ends_with("Dockerfile"));
    assert!(d["message"].is_string());
    assert!(d["help"].is_string());
}

#[test]
fn failure_threshold_and_ignore() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("Dockerfile");
    fs::write(
        &p,
        "FROM alpine:3.20\nUSER 1000\nHEALTHCHECK NONE\nCMD sh\n",
    )
    .unwrap();
    for args in [
        ["--failure-threshold", "error"],
        ["--ignore", "DL3025"],
        ["--ignore", "shell-form-cmd"],
        ["--select", "DF001"],
    ] {
        wharf().arg("check").args(args).arg(&p).assert().code(0);
    }
}

#[test]
fn stdin_with_filename() {
    let out = run(
        wharf()
            .args([
                "check",
                "--format",
                "json",
                "--stdin-filename",
                "app/Dockerfile",
                "-",
            ])
            .write_stdin("FROM alpine:3.20\nRUNN x\n"),
        1,
    )
    .0;
    let v = json(&out);
    assert!(
        v.iter()
            .any(|d| d["code"] == "DF000" && d["file"] == "app/Dockerfile" && d["line"] == 2)
    );
}

#[test]
fn stdin_compose_by_name() {
    let out = run(
        wharf()
            .args([
                "check",
                "--format",
                "json",
                "--select",
                "DC000",
                "--stdin-filename",
                "compose.yaml",
                "-",
            ])
            .write_stdin("services:\n  a:\n    image: x\n    image: y\n"),
        1,
    )
    .0;
    assert!(json(&out).iter().any(|d| d["code"] == "DC000"));
}

#[test]
fn missing_path_is_an_error() {
    let out = run(wharf().args(["check", "does/not/exist"]), 2).1;
    let err = &out;
    assert!(
        err.contains("does/not/exist") && err.contains("no such file"),
        "{err}"
    );
}

#[test]
fn empty_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("README.md"), "hi").unwrap();
    let out = run(wharf().arg("check").arg(dir.path()), 2).1;
    assert!(out.contains("no Dockerfile or compose file"));
}

#[test]
fn binary_and_invalid_utf8_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("Dockerfile");
    fs::write(&bin, b"FROM a\n\0\0\0").unwrap();
    let out = run(wharf().arg("check").arg(&bin), 2).1;
    assert!(out.contains("binary"));
    fs::write(&bin, b"FROM a\nRUN \xff\n").unwrap();
    let out = run(wharf().arg("check").arg(&bin), 2).1;
    let err = &out;
    assert!(err.contains("invalid UTF-8 at line 2"), "{err}");
}

#[test]
fn directory_discovery_and_explicit_names() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("svc")).unwrap();
    fs::write(dir.path().join("svc/Dockerfile.prod"), "FROM a\nRUNN x\n").unwrap();
    fs::write(dir.path().join("notes.txt"), "RUNN x\n").unwrap();
    let out = run(
        wharf()
            .args(["check", "--format", "json", "--select", "DF000"])
            .arg(dir.path()),
        1,
    )
    .0;
    let v = json(&out);
    assert_eq!(v.len(), 1);
    assert!(
        v[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("svc/Dockerfile.prod")
    );
    // A file named explicitly is linted whatever its name.
    let named = dir.path().join("notes.txt");
    wharf()
        .args(["check", "--select", "DF000"])
        .arg(&named)
        .assert()
        .code(1);
}

#[test]
fn unknown_selector_is_a_usage_error() {
    let out = run(wharf().args(["check", "--select", "DL9", "."]), 2).1;
    let _ = out;
    let out = run(
        wharf().args(["check", "--select", "shell-form-cmdd", "."]),
        2,
    )
    .1;
    assert!(out.contains("did you mean `shell-form-cmd`"));
}

#[test]
fn rule_docs_and_catalogue() {
    let out = run(wharf().args(["rule", "DL3025"]), 0).0;
    assert!(out.contains("## What it does"));
    wharf().args(["rule", "shell-form-cmd"]).assert().code(0);
    wharf().args(["rule", "nope"]).assert().code(2);
    let out = run(wharf().args(["rules", "--format", "json"]), 0).0;
    let v = json(&out);
    assert!(v.iter().any(|r| r["code"] == "DF001"));
}

#[test]
fn several_formats_and_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("Dockerfile");
    fs::write(
        &p,
        "FROM alpine:3.20\nUSER 1000\nHEALTHCHECK NONE\nCMD sh\n",
    )
    .unwrap();
    let sarif = dir.path().join("out.sarif");
    let js = dir.path().join("out.json");
    let out = run(
        wharf()
            .args(["check", "--format", "sarif", "--output"])
            .arg(&sarif)
            .args(["--format", "json", "--output"])
            .arg(&js)
            .args(["--format", "concise"])
            .arg(&p),
        1,
    )
    .0;
    assert!(out.contains("DL3025"));
    let s: serde_json::Value = serde_json::from_slice(&fs::read(&sarif).unwrap()).unwrap();
    assert_eq!(s["version"], "2.1.0");
    assert_eq!(json(fs::read(&js).unwrap()).len(), 1);
    // Two formats for standard output is a usage error.
    wharf()
        .args(["check", "--format", "json", "--format", "gnu"])
        .arg(&p)
        .assert()
        .code(2);
}

#[test]
fn exit_zero_quiet_and_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("Dockerfile");
    fs::write(&p, "FROM alpine:3.20\nCMD sh\n").unwrap();
    wharf()
        .args(["check", "--exit-zero"])
        .arg(&p)
        .assert()
        .code(0);
    let out = run(wharf().args(["check", "--statistics"]).arg(&p), 1).0;
    let text = &out;
    assert!(
        text.contains("DL3025") && text.contains("shell-form-cmd"),
        "{text}"
    );
    assert!(
        !text.contains("╭"),
        "statistics replace the findings: {text}"
    );
    let out = run(
        wharf()
            .args(["check", "--quiet", "--format", "concise"])
            .arg(&p),
        1,
    )
    .0;
    assert!(!out.contains("Found"));
}

#[test]
fn completions_and_man_page() {
    let out = run(wharf().args(["completions", "bash"]), 0).0;
    assert!(out.contains("_wharf"));
    let out = run(wharf().arg("man"), 0).0;
    assert!(out.contains(".TH wharf"));
}

#[test]
fn own_dockerfile_is_clean() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    wharf()
        .args(["check", "--select", "ALL"])
        .arg(root.join("Dockerfile"))
        .assert()
        .code(0);
}

fn shell_cmd_project(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("Dockerfile");
    fs::write(
        &p,
        "FROM alpine:3.20\nUSER 1000\nHEALTHCHECK NONE\nCMD sh\n",
    )
    .unwrap();
    p
}

#[test]
fn nearest_wharf_toml_applies_and_cli_wins() {
    let dir = tempfile::tempdir().unwrap();
    let p = shell_cmd_project(dir.path());
    fs::write(dir.path().join("wharf.toml"), "ignore = [\"DL3025\"]\n").unwrap();
    wharf().arg("check").arg(&p).assert().code(0);
    wharf()
        .args(["check", "--isolated"])
        .arg(&p)
        .assert()
        .code(1);
    wharf()
        .args(["check", "--extend-select", "DL3025"])
        .arg(&p)
        .assert()
        .code(1);
    fs::write(
        dir.path().join("wharf.toml"),
        "[severity]\nDL3025 = \"style\"\n",
    )
    .unwrap();
    wharf().arg("check").arg(&p).assert().code(0);
}

#[test]
fn bad_config_is_a_usage_error_with_position() {
    let dir = tempfile::tempdir().unwrap();
    let p = shell_cmd_project(dir.path());
    fs::write(
        dir.path().join("wharf.toml"),
        "select = [\"DF001\"]\nignroe = [\"DL3025\"]\n",
    )
    .unwrap();
    let out = run(wharf().arg("check").arg(&p), 2).1;
    let err = &out;
    assert!(err.contains("wharf.toml:2:1"), "{err}");
    assert!(err.contains("did you mean `ignore`"), "{err}");
}

#[test]
fn hadolint_yaml_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let p = shell_cmd_project(dir.path());
    fs::write(dir.path().join(".hadolint.yaml"), "ignored:\n  - DL3025\n").unwrap();
    wharf().arg("check").arg(&p).assert().code(0);
    let out = run(
        wharf()
            .arg("check")
            .arg(&p)
            .env("HADOLINT_OVERRIDE_ERROR", "DL3057")
            .args(["--format", "json", "--select", "DL3057"]),
        0,
    )
    .0;
    // HEALTHCHECK NONE satisfies DL3057: nothing to report, whatever its severity.
    assert!(json(&out).is_empty());
}

#[test]
fn exclude_globs_skip_files_in_directories() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("vendor")).unwrap();
    shell_cmd_project(&dir.path().join("vendor"));
    fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20\nUSER 1000\nHEALTHCHECK NONE\nCMD [\"sh\"]\n",
    )
    .unwrap();
    fs::write(dir.path().join("wharf.toml"), "exclude = [\"vendor\"]\n").unwrap();
    wharf().arg("check").arg(dir.path()).assert().code(0);
}
