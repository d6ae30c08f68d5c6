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
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{report}");
    assert!(out.status.success(), "the LSP tests failed:\n{report}");
}
