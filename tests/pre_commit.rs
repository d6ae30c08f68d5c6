//! Runs the repository's `.pre-commit-hooks.yaml` for real with pre-commit (`try-repo`), in a
//! temporary git repository with a bad and a good Dockerfile. The `wharf-system` hook is used
//! with the wharf binary this test suite built; the `wharf` hook builds the same entry with
//! cargo. Skipped, with a message, when pre-commit cannot be installed (no network, no python).

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(cmd: &mut Command) -> Option<std::process::Output> {
    cmd.output().ok()
}

/// pre-commit on PATH, or installed into a virtualenv under `dir`.
fn pre_commit(dir: &Path) -> Option<PathBuf> {
    if run(Command::new("pre-commit").arg("--version")).is_some_and(|o| o.status.success()) {
        return Some(PathBuf::from("pre-commit"));
    }
    let venv = dir.join("venv");
    let ok = run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?
        .status
        .success();
    if !ok {
        return None;
    }
    let pip = venv.join("bin/pip");
    let ok = run(Command::new(&pip).args(["install", "--quiet", "pre-commit"]))?
        .status
        .success();
    ok.then(|| venv.join("bin/pre-commit"))
}

#[test]
fn pre_commit_hook_flags_bad_file_and_passes_good_one() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(pc) = pre_commit(tmp.path()) else {
        eprintln!("skipping: pre-commit is not available and could not be installed");
        return;
    };
    let repo_root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !repo_root.join(".git").exists() {
        eprintln!("skipping: the wharf sources are not a git checkout");
        return;
    }
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&work)
            .output()
            .unwrap();
    };
    git(&["init", "-q"]);
    git(&["config", "user.email", "ci@example.com"]);
    git(&["config", "user.name", "ci"]);
    std::fs::write(
        work.join("Dockerfile"),
        "FROM alpine:3.20\nUSER 1000\nHEALTHCHECK NONE\nCMD [\"sh\"]\n",
    )
    .unwrap();
    std::fs::create_dir_all(work.join("bad")).unwrap();
    std::fs::write(
        work.join("bad/Dockerfile"),
        "FROM alpine:3.20\nUSER 1000\nHEALTHCHECK NONE\nCMD sh\n",
    )
    .unwrap();
    git(&["add", "."]);

    // Put the freshly built wharf first on PATH.
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_wharf"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let try_repo = |file: &str| {
        Command::new(&pc)
            .args(["try-repo"])
            .arg(repo_root)
            .args(["wharf-system", "--files", file])
            .current_dir(&work)
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", tmp.path().join("cache"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let good = try_repo("Dockerfile");
    assert!(
        good.status.success(),
        "good file failed:\n{}\n{}",
        String::from_utf8_lossy(&good.stdout),
        String::from_utf8_lossy(&good.stderr)
    );
    let bad = try_repo("bad/Dockerfile");
    let out = String::from_utf8_lossy(&bad.stdout);
    assert!(!bad.status.success(), "bad file passed:\n{out}");
    assert!(out.contains("DL3025"), "{out}");
}
