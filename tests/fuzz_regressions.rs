//! Replays the inputs the fuzzers found (`tests/fuzz-regressions/<target>/<name>`) through the same
//! checks the fuzz targets make (`fuzz/src`, included here), so that a crash, once fixed,
//! stays fixed under the normal `cargo test`.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod wharf_fuzz;

use std::path::Path;

/// Runs every file of `dir` through `target`; returns how many ran and the failures.
fn replay(dir: &Path, target: fn(&[u8]), failures: &mut Vec<String>) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    files.retain(|p| p.is_file());
    for path in &files {
        let data = std::fs::read(path).unwrap();
        if std::panic::catch_unwind(|| target(&data)).is_err() {
            failures.push(path.display().to_string());
        }
    }
    files.len()
}

fn target(name: &str) -> fn(&[u8]) {
    wharf_fuzz::TARGETS
        .iter()
        .find(|(t, _)| *t == name)
        .map(|&(_, f)| f)
        .unwrap()
}

#[test]
fn fuzz_regressions_pass_their_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut failures = Vec::new();
    let mut ran = 0;
    for &(name, target) in wharf_fuzz::TARGETS {
        ran += replay(&root.join(name), target, &mut failures);
    }
    assert!(
        ran > 0,
        "no fuzz regression inputs under {}",
        root.display()
    );
    assert!(failures.is_empty(), "fuzz regressions fail: {failures:#?}");
}

/// The committed seeds (`fuzz/seeds/<kind>/`) pass every target they seed.
#[test]
fn fuzz_seeds_pass_their_targets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let seeded: &[(&str, &[&str])] = &[
        ("dockerfile", &["dockerfile_parse", "lint_dockerfile"]),
        ("compose", &["yaml_tree", "compose_model", "lint_compose"]),
        ("shell_model", &["shell_model"]),
        ("dockerignore", &["dockerignore"]),
        ("interpolate", &["interpolate"]),
    ];
    let mut failures = Vec::new();
    for &(dir, names) in seeded {
        for &name in names {
            let ran = replay(&root.join(dir), target(name), &mut failures);
            assert!(ran > 0, "no seeds in fuzz/seeds/{dir}");
        }
    }
    assert!(failures.is_empty(), "seeds fail: {failures:#?}");
}

#[test]
fn every_fixture_directory_names_a_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let Ok(entries) = std::fs::read_dir(&root) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                wharf_fuzz::TARGETS.iter().any(|(t, _)| *t == name),
                "tests/fuzz-regressions/{name} is not a fuzz target"
            );
        }
    }
}
