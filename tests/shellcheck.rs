//! The ShellCheck pass end to end: `--shellcheck`, selection, exclusion, suppression, exact
//! positions, and the errors when the program is missing or misbehaves.
//!
//! The tests that need the real `shellcheck` skip with a message where it is absent. In CI
//! (`CI` set) its absence fails them, unless `WHARF_SHELLCHECK_SKIP` says the pipeline could
//! not install it (`.ci/run` sets it then, and prints why).

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn wharf() -> Command {
    let mut c = Command::cargo_bin("wharf").unwrap();
    c.env("NO_COLOR", "1").env_remove("WHARF_SHELLCHECK");
    c.timeout(std::time::Duration::from_secs(60));
    c
}

/// True when `shellcheck` can run; otherwise says why the test skips (or fails, in CI).
fn have_shellcheck() -> bool {
    let found = std::process::Command::new("shellcheck")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none() || std::env::var_os("WHARF_SHELLCHECK_SKIP").is_some(),
            "shellcheck is required in CI (apt-get install shellcheck), or set WHARF_SHELLCHECK_SKIP"
        );
        eprintln!("skipped: shellcheck is not installed (apt-get install shellcheck)");
    }
    found
}

const DOCKERFILE: &str = "\
FROM debian:12
ARG version
ENV home_dir=/srv
RUN echo $version $home_dir \\
    # a comment inside the RUN
    && cd /tmp; ls \\
    && echo $unset
# hadolint ignore=SC2164
RUN cd /opt
# wharf: ignore=SC2086
RUN echo $version
RUN --mount=type=cache,target=/root/.cache <<EOF
echo $body
EOF
WORKDIR app
";

/// `line:column CODE text-at-the-span` for each finding of the JSON output.
fn findings(dir: &Path, args: &[&str], code: i32) -> Vec<String> {
    let out = wharf()
        .current_dir(dir)
        .args([
            "check",
            "--isolated",
            "--format",
            "json",
            "--select",
            "DL3000",
        ])
        .args(args)
        .arg("Dockerfile")
        .assert()
        .code(code)
        .get_output()
        .clone();
    let v: Vec<serde_json::Value> =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out:?}"));
    v.iter()
        .map(|d| {
            format!(
                "{}:{} {} {}",
                d["line"], d["column"], d["code"], d["severity"]
            )
        })
        .collect()
}

fn project(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("Dockerfile"), text).unwrap();
    dir
}

#[test]
fn off_by_default_and_exact_positions_when_on() {
    if !have_shellcheck() {
        return;
    }
    let dir = project(DOCKERFILE);
    let off = findings(dir.path(), &[], 1);
    assert!(off.iter().all(|f| !f.contains("SC")), "{off:?}");
    let on = findings(dir.path(), &["--shellcheck"], 1);
    assert_eq!(
        on,
        [
            "4:10 \"SC2086\" \"info\"",
            "6:8 \"SC2164\" \"warning\"",
            "7:13 \"SC2086\" \"info\"",
            "7:13 \"SC2154\" \"warning\"",
            "13:6 \"SC2086\" \"info\"",
            "13:6 \"SC2154\" \"warning\"",
            "15:9 \"DL3000\" \"error\"",
        ],
        "declared ARG/ENV names are not unset; the comment line and the flags are not shell"
    );
    // --no-shellcheck wins over the configuration.
    fs::write(dir.path().join("wharf.toml"), "shellcheck = true\n").unwrap();
    let out = wharf()
        .current_dir(dir.path())
        .args([
            "check",
            "--no-shellcheck",
            "--select",
            "DL3000",
            "--format",
            "json",
        ])
        .arg("Dockerfile")
        .assert()
        .get_output()
        .stdout
        .clone();
    assert!(!String::from_utf8_lossy(&out).contains("SC2"));
}

#[test]
fn select_ignore_exclude_and_severity() {
    if !have_shellcheck() {
        return;
    }
    let dir = project(DOCKERFILE);
    // Selecting a ShellCheck code turns the pass on and narrows it to that code.
    let only = findings(dir.path(), &["--select", "SC2154"], 1);
    assert_eq!(
        only,
        [
            "7:13 \"SC2154\" \"warning\"",
            "13:6 \"SC2154\" \"warning\"",
            "15:9 \"DL3000\" \"error\"",
        ]
    );
    let ignored = findings(
        dir.path(),
        &["--shellcheck", "--ignore", "SC2086,SC2154"],
        1,
    );
    assert!(ignored.iter().any(|f| f.contains("SC2164")), "{ignored:?}");
    assert!(
        !ignored
            .iter()
            .any(|f| f.contains("SC2086") || f.contains("SC2154"))
    );
    // The `exclude` of the shellcheck table, and a severity override by code.
    fs::write(
        dir.path().join("wharf.toml"),
        "select = [\"DL3000\"]\nseverity = { SC2164 = \"error\" }\n[shellcheck]\nexclude = [\"SC2086\"]\n",
    )
    .unwrap();
    let out = wharf()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "Dockerfile"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap_or_default();
    let got: Vec<(String, String)> = v
        .iter()
        .map(|d| (d["code"].to_string(), d["severity"].to_string()))
        .collect();
    assert!(!got.iter().any(|(c, _)| c.contains("SC2086")), "{got:?}");
    assert!(
        got.contains(&("\"SC2164\"".into(), "\"error\"".into())),
        "{got:?}"
    );
}

#[test]
fn a_missing_or_broken_shellcheck_is_a_clear_error() {
    let dir = project(DOCKERFILE);
    let missing = wharf()
        .current_dir(dir.path())
        .env("WHARF_SHELLCHECK", "/nonexistent/shellcheck")
        .args(["check", "--shellcheck", "Dockerfile"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let missing = String::from_utf8_lossy(&missing);
    assert!(
        missing.contains("`/nonexistent/shellcheck` was not found")
            && missing.contains("apt-get install shellcheck"),
        "{missing}"
    );
    // A program that answers `--version` but prints garbage when checking.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let fake = dir.path().join("fake-shellcheck");
        fs::write(
            &fake,
            "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'version: 0.0'; exit 0; fi\necho not json\nexit 1\n",
        )
        .unwrap();
        fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).unwrap();
        let out = wharf()
            .current_dir(dir.path())
            .env("WHARF_SHELLCHECK", &fake)
            .args(["check", "--shellcheck", "--select", "DL3000", "Dockerfile"])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not its JSON output"), "{err}");
        // The other rules still reported.
        assert!(String::from_utf8_lossy(&out.stdout).contains("DL3000"));
        fs::write(&fake, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'version: 0.0'; exit 0; fi\necho boom >&2\nexit 3\n").unwrap();
        let out = wharf()
            .current_dir(dir.path())
            .env("WHARF_SHELLCHECK", &fake)
            .args(["check", "--shellcheck", "Dockerfile"])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("ShellCheck failed (exit status 3): boom"),
            "{err}"
        );
    }
}

#[test]
fn standard_input_and_the_catalogue() {
    let listed = wharf()
        .args(["rules"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let listed = String::from_utf8_lossy(&listed);
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("SC####") && l.contains("ShellCheck"))
    );
    let doc = wharf()
        .args(["rule", "sc2086"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&doc).contains("https://www.shellcheck.net/wiki/SC2086"));
    if !have_shellcheck() {
        return;
    }
    let out = wharf()
        .args([
            "check",
            "--isolated",
            "--select",
            "SC2154",
            "--format",
            "concise",
            "--stdin-filename",
            "Dockerfile",
        ])
        .write_stdin("FROM alpine\nRUN echo $nope\n")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8_lossy(&out);
    assert!(
        out.contains("Dockerfile:2:10") && out.contains("SC2154"),
        "{out}"
    );
}
