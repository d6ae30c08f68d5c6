//! End-to-end tests of the `wharf` binary: exit codes, the JSON contract, stdin, errors.

use assert_cmd::Command;
use std::fs;

fn wharf() -> Command {
    let mut c = Command::cargo_bin("wharf").unwrap();
    c.env("NO_COLOR", "1");
    // No test may hang: a FIFO opened for a blocking read would stall forever.
    c.timeout(std::time::Duration::from_secs(30));
    c
}

/// Makes a FIFO at `path` (with the system's `mkfifo`).
#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status();
    assert!(status.unwrap().success(), "mkfifo {}", path.display());
}

/// A Dockerfile with no findings under the default rules.
const CLEAN: &str = "FROM alpine:3.20\nUSER 1000\nHEALTHCHECK NONE\nCMD [\"sh\"]\n";

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

#[cfg(unix)]
#[test]
fn fifo_and_device_ignore_files_are_reported_not_read() {
    for name in [".gitignore", ".ignore"] {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(".git")).unwrap();
        fs::write(dir.path().join("Dockerfile"), CLEAN).unwrap();
        mkfifo(&dir.path().join(name));
        let err = run(wharf().arg("check").arg(dir.path()), 2).1;
        assert!(
            err.contains(name) && err.contains("not a regular file (a FIFO)"),
            "{name}: {err}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), CLEAN).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join(".ignore")).unwrap();
    let err = run(wharf().arg("check").arg(dir.path()), 2).1;
    assert!(
        err.contains(".ignore") && err.contains("not a regular file (a character device)"),
        "{err}"
    );
}

#[test]
fn ignore_files_are_still_honoured() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    fs::create_dir_all(dir.path().join("a/b")).unwrap();
    fs::create_dir_all(dir.path().join("c")).unwrap();
    shell_cmd_project(&dir.path().join("a/b"));
    shell_cmd_project(&dir.path().join("c"));
    fs::write(dir.path().join("Dockerfile"), CLEAN).unwrap();
    fs::write(dir.path().join(".gitignore"), "b/\n").unwrap();
    fs::write(dir.path().join("c/.ignore"), "Dockerfile\n").unwrap();
    wharf().arg("check").arg(dir.path()).assert().code(0);
    // A `!` pattern in a deeper file wins over the shallower one.
    fs::write(dir.path().join("a/.gitignore"), "!b/\n").unwrap();
    let out = run(wharf().args(["check", "-f", "json"]).arg(dir.path()), 1).0;
    let files: Vec<_> = json(&out).iter().map(|d| d["file"].to_string()).collect();
    assert!(
        files.iter().all(|f| f.contains("a/b/Dockerfile")),
        "{files:?}"
    );
    // Outside a git repository, `.gitignore` does not apply (as ripgrep and git).
    fs::remove_dir(dir.path().join(".git")).unwrap();
    fs::remove_file(dir.path().join("a/.gitignore")).unwrap();
    wharf().arg("check").arg(dir.path()).assert().code(1);
}

#[cfg(unix)]
#[test]
fn config_files_must_be_regular_and_small() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("Dockerfile");
    fs::write(&p, CLEAN).unwrap();
    let fifo = dir.path().join("fifo.toml");
    mkfifo(&fifo);
    let err = run(wharf().arg("check").arg("--config").arg(&fifo).arg(&p), 2).1;
    assert!(err.contains("not a regular file (a FIFO)"), "{err}");
    let err = run(wharf().args(["check", "--config", "/dev/zero"]).arg(&p), 2).1;
    assert!(
        err.contains("not a regular file (a character device)"),
        "{err}"
    );
    let big = dir.path().join("big.toml");
    fs::write(&big, format!("# {}\n", "x".repeat(1 << 20))).unwrap();
    let err = run(wharf().arg("check").arg("--config").arg(&big).arg(&p), 2).1;
    assert!(err.contains("larger than the limit of 1 MiB"), "{err}");
    // Found by name in the tree: the same checks, never skipped silently.
    for name in ["wharf.toml", ".hadolint.yaml", ".dclintrc"] {
        let sub = tempfile::tempdir().unwrap();
        fs::write(sub.path().join("Dockerfile"), CLEAN).unwrap();
        mkfifo(&sub.path().join(name));
        let err = run(wharf().arg("check").arg(sub.path()), 2).1;
        assert!(
            err.contains(name) && err.contains("not a regular file (a FIFO)"),
            "{name}: {err}"
        );
    }
}

#[test]
fn linted_files_have_a_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("Dockerfile");
    fs::write(&big, format!("{CLEAN}# {}\n", "x".repeat(2000))).unwrap();
    let small = dir.path().join("small");
    fs::create_dir(&small).unwrap();
    fs::write(small.join("Dockerfile"), CLEAN).unwrap();
    let (out, err) = run(
        wharf()
            .args(["check", "--max-file-size", "1KiB"])
            .arg(dir.path()),
        2,
    );
    assert!(err.contains("larger than the limit of 1 KiB"), "{err}");
    assert!(err.contains("--max-file-size"), "{err}");
    // The other file was linted: the report is there.
    assert!(out.contains("1 file could not be linted"), "{out}");
    fs::write(dir.path().join("wharf.toml"), "max-file-size = \"1KiB\"\n").unwrap();
    run(wharf().arg("check").arg(&big), 2);
    fs::write(dir.path().join("wharf.toml"), "max-file-size = 1048576\n").unwrap();
    wharf().arg("check").arg(&big).assert().code(0);
    fs::write(
        dir.path().join("wharf.toml"),
        "max-file-size = \"1 parsec\"\n",
    )
    .unwrap();
    let err = run(wharf().arg("check").arg(&big), 2).1;
    assert!(
        err.contains("wharf.toml:1:17") && err.contains("invalid size"),
        "{err}"
    );
}

/// Runs `wharf ARGS` with its standard output closed before it writes: it must end quietly.
#[cfg(unix)]
fn closed_pipe(args: &[&str], expected: i32) {
    use std::process::{Command as Std, Stdio};
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("wharf"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(expected), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
}

#[cfg(unix)]
#[test]
fn closed_pipe_ends_quietly_and_full_disk_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = shell_cmd_project(dir.path());
    let p = p.to_str().unwrap();
    closed_pipe(&["rules"], 0);
    closed_pipe(&["rule", "DL3025"], 0);
    closed_pipe(&["completions", "bash"], 0);
    closed_pipe(&["man"], 0);
    closed_pipe(&["check", p], 1);
    if !std::path::Path::new("/dev/full").exists() {
        eprintln!("skipping /dev/full checks: no /dev/full");
        return;
    }
    for args in [
        vec!["check", p],
        vec!["check", "--format", "json", p],
        vec!["rules"],
        vec!["rule", "DL3025"],
        vec!["completions", "bash"],
    ] {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("wharf"))
            .args(&args)
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("cannot write to standard output: no space left on device"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_file_not_linted_is_never_a_clean_result() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("Dockerfile");
    fs::write(&good, CLEAN).unwrap();
    let missing = dir.path().join("missing/Dockerfile");
    let (out, err) = run(wharf().arg("check").arg(&good).arg(&missing), 2);
    assert!(!out.contains("All checks passed"), "{out}");
    assert!(
        out.contains("No problems found in the files linted; 1 file could not be linted."),
        "{out}"
    );
    assert!(err.contains("no such file or directory"), "{err}");
    // JSON keeps its array; the signal is the exit code and standard error.
    let (out, err) = run(
        wharf()
            .args(["check", "-f", "json"])
            .arg(&good)
            .arg(&missing),
        2,
    );
    assert!(json(&out).is_empty());
    assert!(err.contains("1 file could not be linted"), "{err}");
    // Every other format says so in its own document.
    for (format, needle) in [
        ("sarif", "toolExecutionNotifications"),
        ("github", "::error file="),
        ("gitlab", "not-linted"),
        ("checkstyle", "wharf.not-linted"),
        ("junit", "errors=\"1\""),
        ("gnu", "[not-linted]"),
        ("concise", "1 file could not be linted"),
    ] {
        let out = run(
            wharf()
                .args(["check", "-f", format])
                .arg(&good)
                .arg(&missing),
            2,
        )
        .0;
        assert!(out.contains(needle), "{format}: {out}");
        assert!(out.contains("missing/Dockerfile"), "{format}: {out}");
    }
    let out = run(
        wharf()
            .args(["check", "-f", "sarif"])
            .arg(&good)
            .arg(&missing),
        2,
    )
    .0;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let inv = &v["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(inv["toolExecutionNotifications"][0]["level"], "error");
}

#[test]
fn stdin_filename_alone_reads_stdin() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), CLEAN).unwrap();
    let out = run(
        wharf()
            .current_dir(dir.path())
            .args(["check", "-f", "json", "--stdin-filename", "app/Dockerfile"])
            .write_stdin("FROM alpine:3.20\nUSER 1000\nHEALTHCHECK NONE\nCMD sh\n"),
        1,
    )
    .0;
    let v = json(&out);
    assert_eq!(v.len(), 1, "{out}");
    assert_eq!(v[0]["file"], "app/Dockerfile");
    let err = run(
        wharf()
            .current_dir(dir.path())
            .args(["check", "--stdin-filename", "Dockerfile", "."])
            .write_stdin("FROM a\n"),
        2,
    )
    .1;
    assert!(err.contains("no path is `-`"), "{err}");
}

#[test]
fn a_file_named_twice_is_linted_once_in_order() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("x")).unwrap();
    shell_cmd_project(dir.path());
    shell_cmd_project(&dir.path().join("x"));
    let files = |args: &[&str]| -> Vec<String> {
        let out = run(
            wharf()
                .current_dir(dir.path())
                .args(["check", "-f", "json"])
                .args(args),
            1,
        )
        .0;
        json(&out)
            .iter()
            .map(|d| d["file"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(files(&[".", "Dockerfile"]), ["Dockerfile", "x/Dockerfile"]);
    assert_eq!(files(&["x/Dockerfile", "./x/Dockerfile"]), ["x/Dockerfile"]);
    assert_eq!(
        files(&["x/Dockerfile", ".", "x/../x/Dockerfile"]),
        ["Dockerfile", "x/Dockerfile"]
    );
}

#[test]
fn output_over_a_linted_file_or_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = shell_cmd_project(dir.path());
    let before = fs::read_to_string(&p).unwrap();
    let err = run(
        wharf()
            .args(["check", "-f", "json", "-o"])
            .arg(&p)
            .arg(dir.path()),
        2,
    )
    .1;
    assert!(err.contains("is one of the files to lint"), "{err}");
    assert_eq!(fs::read_to_string(&p).unwrap(), before);
    let out = dir.path().join("report.json");
    let err = run(
        wharf()
            .args(["check", "-f", "json", "-f", "sarif", "-o"])
            .arg(&out)
            .arg("-o")
            .arg(dir.path().join(".").join("report.json"))
            .arg(&p),
        2,
    )
    .1;
    assert!(err.contains("is given twice"), "{err}");
    assert!(!out.exists());
}

#[test]
fn binary_detection_reads_the_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("Dockerfile");
    let mut bytes = format!("{CLEAN}# {}\n", "x".repeat(9000)).into_bytes();
    bytes[9000] = 0;
    fs::write(&p, bytes).unwrap();
    let (out, err) = run(wharf().arg("check").arg(&p), 2);
    assert!(err.contains("binary file"), "{err}");
    assert!(!out.contains('\0'));
}

#[test]
fn control_characters_are_escaped_in_terminal_formats() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("Dockerfile");
    fs::write(
        &p,
        "FROM alpine:3.20\nUSER 1000\nHEALTHCHECK NONE\nCMD echo \x1b[31mred \x1b]0;title\x07 \u{202e}x\n",
    )
    .unwrap();
    for format in ["human", "concise", "gnu", "github"] {
        let out = run(wharf().args(["check", "-f", format]).arg(&p), 1).0;
        assert!(
            !out.contains('\x1b') && !out.contains('\x07') && !out.contains('\u{202e}'),
            "{format}: {out:?}"
        );
    }
    let out = run(wharf().arg("check").arg(&p), 1).0;
    assert!(out.contains("\\x1b[31mred"), "{out}");
}

#[cfg(unix)]
#[test]
fn special_files_named_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("Dockerfile");
    mkfifo(&fifo);
    let link = dir.path().join("dev.Dockerfile");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    for (path, what) in [
        (fifo.as_path(), "not a regular file (a FIFO)"),
        (
            std::path::Path::new("/dev/null"),
            "not a regular file (a character device)",
        ),
        (link.as_path(), "not a regular file (a character device)"),
    ] {
        let err = run(wharf().arg("check").arg(path), 2).1;
        assert!(err.contains(what), "{}: {err}", path.display());
        assert_eq!(err.matches("wharf: error:").count(), 2, "{err}");
        assert!(!err.contains("no Dockerfile"), "{err}");
    }
    // Found in a directory walk: the same message, not a silent skip.
    let err = run(wharf().arg("check").arg(dir.path()), 2).1;
    assert!(
        err.contains("Dockerfile: not a regular file (a FIFO)"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn unreadable_directory_gets_one_message() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("Dockerfile"), CLEAN).unwrap();
    fs::write(dir.path().join("Dockerfile"), CLEAN).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read_dir(&locked).is_ok() {
        eprintln!("skipping: running with privileges that read any directory");
        return;
    }
    let err = run(wharf().arg("check").arg(dir.path()), 2).1;
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    let first = err.lines().next().unwrap_or("");
    assert!(first.ends_with("locked: permission denied"), "{err}");
    assert_eq!(err.matches("locked").count(), 1, "{err}");
    assert!(!err.contains("no Dockerfile"), "{err}");
}

#[test]
fn bom_is_not_a_column() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("Dockerfile");
    fs::write(&p, "\u{feff}FROM alpine:3.20\nCMD sh\n").unwrap();
    let out = run(
        wharf()
            .args(["check", "-f", "json", "--select", "DF001,DL3025"])
            .arg(&p),
        1,
    )
    .0;
    let v = json(&out);
    let on_line_1: Vec<_> = v.iter().filter(|d| d["line"] == 1).collect();
    assert!(!on_line_1.is_empty(), "{out}");
    for d in on_line_1 {
        assert_eq!(d["column"], 1, "{d}");
    }
    let out = run(
        wharf()
            .args(["check", "-f", "concise", "--select", "DF001"])
            .arg(&p),
        1,
    )
    .0;
    assert!(out.contains("Dockerfile:1:1:"), "{out}");
}

#[test]
fn foreign_codes_are_notes_everywhere_unknown_codes_errors() {
    let dir = tempfile::tempdir().unwrap();
    let p = shell_cmd_project(dir.path());
    for flag in ["--ignore", "--select", "--extend-select"] {
        let err = run(
            wharf()
                .arg("check")
                .args([flag, "DL3029,SC2086,DL3025"])
                .arg(&p),
            if flag == "--ignore" { 0 } else { 1 },
        )
        .1;
        assert!(err.contains("wharf has no rule DL3029"), "{flag}: {err}");
        assert!(err.contains("SC2086 is a ShellCheck code"), "{flag}: {err}");
    }
    let err = run(wharf().arg("check").args(["--ignore", "DL9999"]).arg(&p), 2).1;
    assert!(err.contains("unknown rule selector `DL9999`"), "{err}");
    let err = run(
        wharf()
            .arg("check")
            .env("HADOLINT_IGNORE", "DL3029,SC2086")
            .arg(&p),
        1,
    )
    .1;
    assert!(err.contains("DL3029") && err.contains("SC2086"), "{err}");
    fs::write(
        dir.path().join("wharf.toml"),
        "ignore = [\"DL3029\", \"DL3025\"]\n[severity]\nSC2086 = \"error\"\n",
    )
    .unwrap();
    let err = run(wharf().arg("check").arg(&p), 0).1;
    assert!(
        err.contains("wharf.toml:1:11: wharf has no rule DL3029"),
        "{err}"
    );
    assert!(err.contains("wharf.toml:3:1: SC2086"), "{err}");
    fs::remove_file(dir.path().join("wharf.toml")).unwrap();
    fs::write(
        dir.path().join(".hadolint.yaml"),
        "ignored:\n  - DL3029\n  - SC2086\n  - DL3025\n",
    )
    .unwrap();
    let err = run(wharf().arg("check").arg(&p), 0).1;
    assert!(err.contains("DL3029") && err.contains("SC2086"), "{err}");
}

#[cfg(unix)]
#[test]
fn symlinks_to_files_are_linted_directory_links_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("docker")).unwrap();
    let target = shell_cmd_project(&dir.path().join("docker"));
    fs::rename(&target, dir.path().join("docker/prod.txt")).unwrap();
    std::os::unix::fs::symlink("docker/prod.txt", dir.path().join("Dockerfile")).unwrap();
    // A loop and a link to a directory with a Dockerfile: neither is followed.
    std::os::unix::fs::symlink(".", dir.path().join("docker/loop")).unwrap();
    shell_cmd_project(&dir.path().join("docker"));
    std::os::unix::fs::symlink("docker", dir.path().join("linked")).unwrap();
    let out = run(wharf().args(["check", "-f", "json"]).arg(dir.path()), 1).0;
    let mut files: Vec<_> = json(&out)
        .iter()
        .map(|d| {
            d["file"]
                .as_str()
                .unwrap()
                .rsplit_once(dir.path().file_name().unwrap().to_str().unwrap())
                .unwrap()
                .1
                .to_string()
        })
        .collect();
    files.dedup();
    assert_eq!(files, ["/Dockerfile", "/docker/Dockerfile"]);
}

#[test]
fn man_pages_and_help_say_what_a_user_needs() {
    let dir = tempfile::tempdir().unwrap();
    wharf()
        .args(["man", "--dir"])
        .arg(dir.path())
        .assert()
        .code(0);
    for page in [
        "wharf.1",
        "wharf-check.1",
        "wharf-rule.1",
        "wharf-rules.1",
        "wharf-man.1",
        "wharf-completions.1",
    ] {
        let text = fs::read_to_string(dir.path().join(page)).unwrap_or_default();
        assert!(text.contains(".TH"), "{page} missing or empty");
    }
    let top = fs::read_to_string(dir.path().join("wharf.1")).unwrap();
    for referenced in top.split("wharf\\-").skip(1) {
        let name: String = referenced
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if !name.is_empty() && referenced[name.len()..].starts_with('(') {
            assert!(
                dir.path().join(format!("wharf-{name}.1")).exists(),
                "{name}"
            );
        }
    }
    let help = run(wharf().args(["rule", "--help"]), 0).0;
    for example in help
        .split_whitespace()
        .filter(|w| w.starts_with('(') || w.contains("DL") || w.contains("wharf"))
    {
        let _ = example;
    }
    for line in help
        .lines()
        .filter(|l| l.trim_start().starts_with("wharf rule "))
    {
        let key = line.split_whitespace().nth(2).unwrap();
        wharf().args(["rule", key]).assert().code(0);
    }
    assert!(help.contains("Examples:"), "{help}");
    let help = run(wharf().args(["check", "--help"]), 0).0;
    assert!(
        help.contains("[possible values: error, warning, info, style]"),
        "{help}"
    );
    assert!(help.contains("comma-separated"), "{help}");
    assert!(
        help.contains("Exit codes:") && help.contains("2  usage"),
        "{help}"
    );
}

#[test]
fn readme_discovery_list_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- discovery:start -->\n", "<!-- discovery:end -->");
    let from = readme
        .find(start)
        .expect("README has the discovery markers")
        + start.len();
    let to = readme[from..].find(end).expect("end marker") + from;
    let wanted = wharf::discover::naming_description();
    if std::env::var_os("WHARF_BLESS").is_some_and(|v| v == "1") {
        fs::write(
            &path,
            format!("{}{wanted}{}", &readme[..from], &readme[to..]),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        readme[from..to],
        wanted,
        "README's discovery list is stale: run `WHARF_BLESS=1 cargo test --test cli`"
    );
}

#[test]
fn templates_and_other_files_are_passed_over_in_directories() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "Dockerfile.rego",
        "Dockerfile.template",
        "Dockerfile.windows.tmpl",
        "Dockerfile.j2",
        "Dockerfile.bak",
        "Dockerfile~",
    ] {
        fs::write(dir.path().join(name), "FROM a\nRUNN {{ x }}\n").unwrap();
    }
    fs::write(dir.path().join("dev.DOCKERFILE"), "FROM a\nRUNN x\n").unwrap();
    fs::write(
        dir.path().join("compose-2.yml"),
        "services:\n  a:\n    image: x\n    image: y\n",
    )
    .unwrap();
    let out = run(
        wharf()
            .args(["check", "-f", "json", "--select", "DF000,DC000"])
            .arg(dir.path()),
        1,
    )
    .0;
    let mut files: Vec<String> = json(&out)
        .iter()
        .map(|d| {
            d["file"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    files.dedup();
    assert_eq!(files, ["compose-2.yml", "dev.DOCKERFILE"]);
    // Named on the command line, a template is still linted.
    wharf()
        .args(["check", "--select", "DF000"])
        .arg(dir.path().join("Dockerfile.j2"))
        .assert()
        .code(1);
}

#[test]
fn a_broken_configuration_sinks_only_its_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("bad")).unwrap();
    fs::create_dir_all(dir.path().join("good")).unwrap();
    shell_cmd_project(&dir.path().join("bad"));
    shell_cmd_project(&dir.path().join("good"));
    fs::write(dir.path().join("bad/wharf.toml"), "selct = []\n").unwrap();
    let (out, err) = run(wharf().args(["check", "-f", "concise"]).arg(dir.path()), 2);
    assert!(out.contains("good/Dockerfile:4:5: DL3025"), "{out}");
    assert!(out.contains("1 file could not be linted"), "{out}");
    assert_eq!(err.matches("unknown key `selct`").count(), 1, "{err}");
}

/// A RUN-heavy Dockerfile of `size` bytes or a little more (continuation lines, package installs,
/// heredocs), with a broken RUN in the middle and a shell-form CMD at the end; also returns the
/// 1-based lines of those two.
fn large_dockerfile(size: usize) -> (String, usize, usize) {
    let mut text = String::from("FROM debian:12\nUSER 1000\n");
    let mut broken_line = 0;
    for i in 0.. {
        if text.len() >= size {
            break;
        }
        if broken_line == 0 && text.len() >= size / 2 {
            broken_line = text.lines().count() + 1;
            text.push_str("RUN if true; then echo unterminated\n");
        }
        text.push_str(&format!(
            "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n       \
             curl=7.{i}.0-1 git=1:2.{i} \\\n    && pip install --no-cache-dir \"requests=={i}.2\" \\\n    \
             && curl -fsSL https://example.com/{i}.tgz | tar -xz -C /opt \\\n    \
             && rm -rf /var/lib/apt/lists/*\nRUN <<EOF\nset -eux\necho \"step {i}\" > /etc/step-{i}\n\
             if [ -f /etc/os-release ]; then cat /etc/os-release; fi\nEOF\nENV STEP_{i}=value-{i}\n"
        ));
    }
    text.push_str("CMD sh -c 'echo done'\n");
    let cmd_line = text.lines().count();
    (text, broken_line, cmd_line)
}

/// A multi-MiB RUN-heavy file lints completely: the findings deep inside and at the very end
/// are there, at their lines, and nothing else (docs/performance.md measures its memory).
#[test]
fn large_run_heavy_dockerfile() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("Dockerfile");
    let (text, broken_line, cmd_line) = large_dockerfile(3 << 20);
    fs::write(&p, &text).unwrap();
    let mut cmd = wharf();
    cmd.timeout(std::time::Duration::from_secs(300));
    let out = run(cmd.args(["check", "--format", "json"]).arg(&p), 1).0;
    let found: Vec<(String, u64)> = json(&out)
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("DF003".to_string(), broken_line as u64),
            ("DL3025".to_string(), cmd_line as u64),
        ]
    );
}
