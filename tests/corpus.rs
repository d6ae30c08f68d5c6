//! Lints every file of the shared corpus (`../shared/corpus`, skipped when absent, a failure in CI) with every
//! rule: nothing may panic, and DF000/DC000 may only appear on files that Docker rejects too.

use std::path::{Path, PathBuf};
use wharf::engine::{FileSettings, lint_source};
use wharf::source::{FileKind, SourceFile};

/// Files that are not valid Dockerfiles or compose files, and why. Templates (names with
/// `template`/`tmpl`, or holding `{{...}}`/`{%...%}` placeholders) are recognised separately.
const KNOWN_INVALID: &[(&str, &str)] = &[
    (
        "dockerfile/HewlettPackard__dockerfile-parser-rs/Dockerfile.test",
        "parser test with made-up instructions `other` and `foo`",
    ),
    (
        "dockerfile/containers__buildah/tests/bud/unrecognized/Dockerfile",
        "tests the `BOGUS` unknown instruction",
    ),
    (
        "dockerfile/crazy-max__xx/src/Dockerfile.rego",
        "a Rego policy, not a Dockerfile",
    ),
    (
        "dockerfile/docker__compose/pkg/e2e/fixtures/wrong-composefile/service1/Dockerfile",
        "tests the `WRONG` unknown instruction",
    ),
    (
        "dockerfile/moby__buildkit/frontend/dockerfile/parser/testfiles-negative/env_no_value/Dockerfile",
        "BuildKit's negative test: ENV without a value",
    ),
    (
        "dockerfile/moby__buildkit/frontend/dockerfile/parser/testfiles-negative/shykes-nested-json/Dockerfile",
        "BuildKit's negative test: nested JSON arrays",
    ),
    (
        "dockerfile/moby__buildkit/frontend/dockerfile/parser/testfiles/flags/Dockerfile",
        "parser-only test: made-up flags `--user`/`--doit`, rejected at build time",
    ),
    (
        "dockerfile/moby__buildkit/frontend/dockerfile/parser/testfiles/health/Dockerfile",
        "parser-only test: bare HEALTHCHECK and `HEALTHCHECK CONNECT`, rejected at build time",
    ),
    (
        "dockerfile/containers__buildah/tests/bud/add-checksum/Containerfile.bad",
        "buildah's negative test: a flag without its `=value`",
    ),
    (
        "dockerfile/containers__buildah/tests/bud/add-chmod/Dockerfile.bad",
        "buildah's negative test: a flag without its `=value`",
    ),
    (
        "dockerfile/containers__buildah/tests/bud/add-chown/Dockerfile.bad",
        "buildah's negative test: a flag without its `=value`",
    ),
    (
        "dockerfile/containers__buildah/tests/bud/copy-chmod/Dockerfile.bad",
        "buildah's negative test: a flag without its `=value`",
    ),
    (
        "dockerfile/containers__buildah/tests/bud/copy-chown/Dockerfile.bad",
        "buildah's negative test: a flag without its `=value`",
    ),
    (
        "dockerfile/containers__buildah/tests/bud/copy-from/Dockerfile.bad",
        "buildah's negative test: a flag without its `=value`",
    ),
    (
        "dockerfile/containers__buildah/tests/bud/copy-multistage-paths/Dockerfile.invalid_from",
        "buildah's negative test: a flag without its `=value`",
    ),
];

/// Templates: named so, or holding Go/Jinja placeholders (`{{ .Name }}`, `{% if %}`).
fn is_template(rel: &str, text: &str) -> bool {
    let l = rel.to_ascii_lowercase();
    l.contains("template") || l.contains("tmpl") || text.contains("{{") || text.contains("{%")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn corpus_lints_without_panics_or_false_syntax_errors() {
    let Some(root) = wharf::shared_data::shared_path("corpus") else {
        return;
    };
    let settings = FileSettings {
        rules: wharf::registry::all().to_vec(),
        ..FileSettings::default()
    };
    let mut files = Vec::new();
    for (sub, kind) in [
        ("dockerfile", FileKind::Dockerfile),
        ("compose", FileKind::Compose),
    ] {
        let mut v = Vec::new();
        walk(&root.join(sub), &mut v);
        v.sort();
        files.extend(v.into_iter().map(|p| (p, kind)));
    }
    assert!(
        files.len() > 3000,
        "corpus looks incomplete: {} files",
        files.len()
    );
    let mut unexpected = Vec::new();
    let mut linted = 0;
    for (path, kind) in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let source = SourceFile::new(path.clone(), text, *kind);
        let diags = lint_source(&source, &settings);
        linted += 1;
        let syntax: Vec<_> = diags
            .iter()
            .filter(|d| d.code == "DF000" || d.code == "DC000")
            .collect();
        if syntax.is_empty()
            || is_template(&rel, &source.text)
            || KNOWN_INVALID.iter().any(|(f, _)| *f == rel)
        {
            continue;
        }
        unexpected.push(format!("{rel}: {}", syntax[0].message));
    }
    eprintln!("linted {linted} corpus files");
    assert!(
        unexpected.is_empty(),
        "syntax errors on files Docker accepts:\n{}",
        unexpected.join("\n")
    );
}

/// The whole report is the same on every run: hash maps are seeded per process, so any answer
/// that depends on their order (a "did you mean" among equally close names, a report order)
/// shows up as two runs that differ.
#[test]
fn corpus_report_is_the_same_on_every_run() {
    let Some(root) = wharf::shared_data::shared_path("corpus") else {
        return;
    };
    let run = || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_wharf"))
            .args(["check", "--isolated", "--select", "ALL", "--format", "json"])
            .arg(&root)
            .output()
            .unwrap();
        assert!(out.status.code().is_some(), "wharf was killed");
        out.stdout
    };
    let first = run();
    assert!(first.len() > 1000, "no report");
    for _ in 0..4 {
        assert!(
            run() == first,
            "two runs over the corpus gave different reports"
        );
    }
}
