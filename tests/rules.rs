//! Rule tests, one trial per case:
//! - every fixture under `fixtures/<CODE>/`: `pass*` files must produce nothing from that rule;
//!   `fail*` files carry `# expect: CODE` comments above each offending line and must match
//!   exactly, both ways; a `.golden` file beside each fail case pins the exact spans and
//!   messages, and a `.fixed` file the text with every fix applied where the rule has fixes
//!   (`WHARF_BLESS=1 cargo test --test rules` rewrites them);
//! - every rule's documentation: the `## Example` blocks must fire the rule and the
//!   `## Use instead` blocks must produce nothing, under the configuration of the first TOML
//!   block of `## Options` when there is one;
//! - a case is a file or a folder (a build context with its `.dockerignore`, a compose project
//!   with its Dockerfiles): every Dockerfile and compose file in a folder is linted, its golden
//!   (`<folder>.golden`) names each file, and `.fixed` goldens sit beside each file inside it;
//! - a case may carry its own configuration, replacing the folder's `fixtures/<CODE>/wharf.toml`:
//!   a `wharf.toml` inside a folder case, or leading `# config: <TOML line>` comments, so that
//!   "quiet when not configured" and "fires when configured" sit side by side;
//! - goldens pin each finding's help, related labels and fix edits too;
//! - a fixture folder may hold `also-select.txt`, one code per line (`#` starts a comment):
//!   those rules run too, on the fixtures and on the docs examples, and their findings count
//!   like the rule's own (in `# expect:` lines, goldens and "produce nothing"). Rules that
//!   judge other rules' findings, such as DF900 (unused suppressions), need this;
//! - catalogue conventions: sorted unique codes, kebab-case names, docs sections, message style.

use libtest_mimic::{Arguments, Failed, Trial};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use wharf::diagnostic::Applicability;
use wharf::engine::{FileSettings, lint_source};
use wharf::rule::Rule;
use wharf::source::{FileKind, LineIndex, SourceFile};

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    for dir in dirs {
        let code = dir.file_name().unwrap().to_string_lossy().to_string();
        for file in cases(&dir) {
            let name = format!(
                "fixture::{code}::{}",
                file.file_name().unwrap().to_string_lossy()
            );
            let code = code.clone();
            trials.push(Trial::test(name, move || run_fixture(&code, &file)));
        }
    }
    for rule in wharf::registry::all() {
        let r: &'static Rule = rule;
        trials.push(Trial::test(format!("docs::{}", r.code), move || {
            run_docs(r)
        }));
        trials.push(Trial::test(format!("conventions::{}", r.code), move || {
            conventions(r)
        }));
    }
    trials.push(Trial::test("catalogue::sorted_and_unique", catalogue));
    trials.push(Trial::test("catalogue::file_names", file_names));
    trials.push(Trial::test("catalogue::aliases_unique", aliases_unique));
    trials.push(Trial::test(
        "catalogue::retired_codes_unused",
        retired_codes_unused,
    ));
    trials.push(Trial::test("catalogue::readme_table", readme_table));
    trials.push(Trial::test("catalogue::rules_md", rules_md));
    trials.push(Trial::test("catalogue::options_table", options_table));
    trials.push(Trial::test("catalogue::options_declared", options_declared));
    libtest_mimic::run(&args, trials).exit();
}

fn kind_of(path: &Path) -> FileKind {
    let n = path.to_string_lossy().to_ascii_lowercase();
    if n.ends_with(".yml") || n.ends_with(".yaml") {
        FileKind::Compose
    } else {
        FileKind::Dockerfile
    }
}

/// The rule under test plus the rules its `fixtures/<CODE>/also-select.txt` names, with the
/// rule options of `fixtures/<CODE>/wharf.toml` if present.
fn settings_for(rule: &'static Rule) -> Result<FileSettings, Failed> {
    let mut rules = vec![rule];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rule.code);
    let path = dir.join("also-select.txt");
    if let Ok(text) = std::fs::read_to_string(&path) {
        for line in text.lines() {
            let code = line.split('#').next().unwrap_or("").trim();
            if code.is_empty() {
                continue;
            }
            let extra = wharf::registry::find(code)
                .ok_or_else(|| format!("{}: no rule `{code}`", path.display()))?;
            if !rules.iter().any(|r| r.code == extra.code) {
                rules.push(extra);
            }
        }
    }
    let config = dir.join("wharf.toml");
    let rule_settings = if config.is_file() {
        wharf::config::rule_settings_from_file(&config).map_err(|e| e.to_string())?
    } else {
        Default::default()
    };
    Ok(FileSettings {
        rules,
        rule_settings,
        ..FileSettings::default()
    })
}

/// Line (1-based) -> expected codes, from `# expect: A, B` comments.
fn expectations(text: &str) -> BTreeMap<usize, Vec<String>> {
    let mut out: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut pending: Vec<String> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("# expect:") {
            pending.extend(
                rest.split(',')
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty()),
            );
            continue;
        }
        if !pending.is_empty() {
            out.entry(i + 1).or_default().append(&mut pending);
        }
    }
    out
}

/// One fixture case: a file, or a folder of files (a build context with its `.dockerignore`,
/// a compose project with its Dockerfiles), with the settings it runs under.
struct Case {
    name: String,
    /// A folder case: its goldens name each file.
    is_dir: bool,
    /// The files to lint, each with the path it is shown under (relative to the case).
    files: Vec<(PathBuf, SourceFile)>,
    settings: FileSettings,
    /// Where the case is: paths of a folder case are relative to it.
    root: PathBuf,
}

/// The configuration a case carries: the leading `# config: <TOML line>` comments of a file.
fn header_config(text: &str) -> String {
    let mut out = String::new();
    for line in text.trim_start_matches('\u{feff}').lines() {
        let Some(rest) = line.strip_prefix("# config:") else {
            break;
        };
        out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
        out.push('\n');
    }
    out
}

/// The files of a folder case, depth first, sorted; goldens and non-lintable files left out.
fn folder_files(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, PathBuf, FileKind)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            folder_files(root, &p, out);
            continue;
        }
        let n = case_name(&p);
        if n.ends_with(".golden") || n.ends_with(".fixed") {
            continue;
        }
        if let Some(kind) = wharf::discover::kind_from_name(&p) {
            let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
            out.push((rel, p.clone(), kind));
        }
    }
}

fn load_case(rule: &'static Rule, path: &Path) -> Result<Case, Failed> {
    let mut settings = settings_for(rule)?;
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    let mut files = Vec::new();
    let is_dir = path.is_dir();
    if is_dir {
        let mut found = Vec::new();
        folder_files(path, path, &mut found);
        for (rel, p, kind) in found {
            files.push((rel.clone(), SourceFile::new(rel, read(&p)?, kind)));
        }
        settings.base_dir = Some(path.to_path_buf());
        let config = path.join("wharf.toml");
        if config.is_file() {
            settings.rule_settings =
                wharf::config::rule_settings_from_file(&config).map_err(|e| e.to_string())?;
        }
        if files.is_empty() {
            return Err(format!(
                "{}: a folder case needs a Dockerfile or a compose file",
                path.display()
            )
            .into());
        }
    } else {
        let name = PathBuf::from(path.file_name().unwrap_or_default());
        files.push((
            name.clone(),
            SourceFile::new(name, read(path)?, kind_of(path)),
        ));
    }
    let header: String = files.iter().map(|(_, f)| header_config(&f.text)).collect();
    if !header.is_empty() {
        settings.rule_settings =
            wharf::config::rule_settings_from_text(Path::new("wharf.toml"), &header)
                .map_err(|e| format!("{}: the case's `# config:` lines: {e}", path.display()))?;
    }
    Ok(Case {
        name: case_name(path),
        is_dir,
        files,
        settings,
        root: path.to_path_buf(),
    })
}

/// The golden text of one file's findings: position, code, message and covered text, then
/// the help, the related labels and the fix edits of each.
fn render(source: &SourceFile, diags: &[wharf::diagnostic::Diagnostic]) -> String {
    let index = LineIndex::new(&source.text);
    let at = |span: wharf::source::Span| {
        let s = index.line_col(&source.text, span.start);
        let e = index.line_col(&source.text, span.end);
        format!("{}:{}-{}:{}", s.line, s.column, e.line, e.column)
    };
    let mut out = String::new();
    for d in diags {
        out.push_str(&format!(
            "{} {} {} [{}]\n",
            at(d.span),
            d.code,
            d.message,
            d.span.text(&source.text).replace('\n', "\\n")
        ));
        if let Some(help) = &d.help {
            out.push_str(&format!("  help: {help}\n"));
        }
        for r in &d.related {
            match &r.file {
                Some(f) => out.push_str(&format!(
                    "  related {} {}..{}: {}\n",
                    f.display(),
                    r.span.start,
                    r.span.end,
                    r.message
                )),
                None => out.push_str(&format!(
                    "  related {}: {} [{}]\n",
                    at(r.span),
                    r.message,
                    r.span.text(&source.text).replace('\n', "\\n")
                )),
            }
        }
        if let Some(fix) = &d.fix {
            for edit in &fix.edits {
                out.push_str(&format!(
                    "  fix ({:?}): {:?} -> {:?}\n",
                    fix.applicability,
                    edit.span.text(&source.text),
                    edit.content
                ));
            }
        }
    }
    out
}

/// Lints a case: a folder's files together as one project (so project rules see them all),
/// a single file alone. `replace` swaps in another text for one file (to re-lint a fix).
fn lint_case(
    case: &Case,
    replace: Option<(usize, &str)>,
) -> Vec<Vec<wharf::diagnostic::Diagnostic>> {
    let sources: Vec<SourceFile> = case
        .files
        .iter()
        .enumerate()
        .map(|(i, (_, s))| match replace {
            Some((j, text)) if i == j => SourceFile::new(s.path.clone(), text, s.kind),
            _ => s.clone(),
        })
        .collect();
    if case.is_dir {
        let root = &case.root;
        wharf::engine::lint_project_with(&sources, &case.settings, &|p| {
            wharf::project::path_kind(&root.join(p))
        })
    } else {
        sources
            .iter()
            .map(|s| lint_source(s, &case.settings))
            .collect()
    }
}

fn run_fixture(code: &str, path: &Path) -> Result<(), Failed> {
    let rule = wharf::registry::find(code).ok_or_else(|| format!("no rule {code}"))?;
    let case = load_case(rule, path)?;
    let name = &case.name;
    let mut golden = String::new();
    let mut expected_any = false;
    let mut mismatches = String::new();
    let mut linted = Vec::new();
    let all = lint_case(&case, None);
    for ((rel, source), diags) in case.files.iter().zip(all) {
        fixes_declared(&diags)?;
        let text = render(source, &diags);
        if case.is_dir && !text.is_empty() {
            golden.push_str(&format!("== {} ==\n", rel.display()));
        }
        golden.push_str(&text);
        let index = LineIndex::new(&source.text);
        let mut actual: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for d in &diags {
            let line = index.line_col(&source.text, d.span.start).line as usize;
            actual.entry(line).or_default().push(d.code.to_string());
        }
        let expected = expectations(&source.text);
        expected_any |= !expected.is_empty();
        if expected != actual {
            mismatches.push_str(&format!(
                "{}: expected {expected:?}\n got {actual:?}\n",
                rel.display()
            ));
        }
        linted.push((rel, source, diags));
    }
    if name.starts_with("pass") {
        if !golden.is_empty() {
            return Err(format!("{name} should be clean, got:\n{golden}").into());
        }
        return Ok(());
    }
    if !expected_any {
        return Err(format!("{name} has no `# expect:` comment").into());
    }
    if !mismatches.is_empty() {
        return Err(format!("{name}: {mismatches}{golden}").into());
    }
    check_golden(
        &PathBuf::from(format!("{}.golden", path.display())),
        &golden,
    )?;
    // Where the rule offers fixes, the file with every fix applied (safe and unsafe, re-linted
    // until nothing is left to fix) is pinned too: beside a file case, inside a folder case.
    for (i, (rel, source, diags)) in linted.into_iter().enumerate() {
        if !diags.iter().any(|d| d.fix.is_some()) {
            continue;
        }
        let fixed = wharf::fix::fix_to_fixpoint(&source.text, Applicability::Unsafe, |text| {
            lint_case(&case, Some((i, text))).swap_remove(i)
        });
        if let Some(e) = fixed.error() {
            return Err(format!("{name}: {}: {e}", rel.display()).into());
        }
        // Fixed means fixed: no finding left offers a fix (a second `--fix` changes nothing).
        if let Some(d) = fixed.diagnostics.iter().find(|d| d.fix.is_some()) {
            return Err(format!(
                "{name}: {}: after fixing, {} still offers a fix at {}..{}",
                rel.display(),
                d.code,
                d.span.start,
                d.span.end
            )
            .into());
        }
        let golden_path = if case.is_dir {
            path.join(format!("{}.fixed", rel.display()))
        } else {
            PathBuf::from(format!("{}.fixed", path.display()))
        };
        check_golden(&golden_path, &fixed.text)?;
    }
    Ok(())
}

/// A rule whose findings carry fixes declares `fixable: true`.
fn fixes_declared(diags: &[wharf::diagnostic::Diagnostic]) -> Result<(), Failed> {
    for d in diags.iter().filter(|d| d.fix.is_some()) {
        let rule = wharf::registry::find(d.code).ok_or_else(|| format!("no rule {}", d.code))?;
        if !rule.fixable {
            return Err(format!(
                "{} emits fixes but does not declare `fixable: true`",
                d.code
            )
            .into());
        }
    }
    Ok(())
}

/// The reverse: a fixable rule has a fail fixture whose findings of that rule carry a fix.
fn fixable_has_fixture(rule: &'static Rule) -> Result<(), Failed> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rule.code);
    for path in cases(&dir)
        .into_iter()
        .filter(|p| case_name(p).starts_with("fail"))
    {
        let case = load_case(rule, &path)?;
        for diags in lint_case(&case, None) {
            if diags.iter().any(|d| d.code == rule.code && d.fix.is_some()) {
                return Ok(());
            }
        }
    }
    Err(format!(
        "{} is declared fixable but none of its fail fixtures gets a fix",
        rule.code
    )
    .into())
}

/// The pass and fail cases of a fixture folder, sorted.
fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    let n = case_name(p);
                    (n.starts_with("pass") || n.starts_with("fail"))
                        && !n.ends_with(".golden")
                        && !n.ends_with(".fixed")
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn case_name(p: &Path) -> String {
    p.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string()
}

/// Compares `got` with a golden file, or rewrites it with `WHARF_BLESS=1`.
fn check_golden(path: &Path, got: &str) -> Result<(), Failed> {
    if std::env::var_os("WHARF_BLESS").is_some() {
        std::fs::write(path, got).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let want = std::fs::read_to_string(path)
        .map_err(|_| format!("missing {} (run with WHARF_BLESS=1)", path.display()))?;
    if want != got {
        return Err(format!(
            "golden mismatch for {}\n--- want\n{want}--- got\n{got}",
            path.display()
        )
        .into());
    }
    Ok(())
}

fn run_docs(rule: &'static Rule) -> Result<(), Failed> {
    let kind = match rule.check {
        wharf::rule::Check::Compose(_) => FileKind::Compose,
        wharf::rule::Check::Syntax(k) => k,
        wharf::rule::Check::Meta if rule.code.starts_with("DC") => FileKind::Compose,
        _ => FileKind::Dockerfile,
    };
    let name = if kind == FileKind::Compose {
        "compose.yaml"
    } else {
        "Dockerfile"
    };
    // The examples run under the configuration the `## Options` section shows, if any.
    let mut settings = settings_for(rule)?;
    if let Some(config) = rule.doc_examples("Options").first() {
        settings.rule_settings =
            wharf::config::rule_settings_from_text(Path::new("wharf.toml"), config)
                .map_err(|e| format!("{}: the options example: {e}", rule.code))?;
    }
    let bad = rule.doc_example_files("Example");
    let good = rule.doc_example_files("Use instead");
    if bad.is_empty() || good.is_empty() {
        return Err(format!(
            "{} docs need an `## Example` and a `## Use instead` code block",
            rule.code
        )
        .into());
    }
    if let wharf::rule::Check::Project(_) = rule.check {
        let texts = |v: &[(String, Vec<(String, String)>)]| -> Vec<String> {
            v.iter().map(|(t, _)| t.clone()).collect()
        };
        return run_project_docs(rule, &settings, &texts(&bad), &texts(&good));
    }
    for (n, (ex, files)) in bad.iter().enumerate() {
        let diags = lint_example(rule, "bad", n, name, kind, ex, files, &settings)?;
        fixes_declared(&diags)?;
        if !diags.iter().any(|d| d.code == rule.code) {
            return Err(format!("the bad example does not fire {}:\n{ex}", rule.code).into());
        }
    }
    for (n, (ex, files)) in good.iter().enumerate() {
        let diags = lint_example(rule, "good", n, name, kind, ex, files, &settings)?;
        if !diags.is_empty() {
            return Err(format!("the good example fires {}: {:?}\n{ex}", rule.code, diags).into());
        }
    }
    Ok(())
}

/// The examples of a project rule: each section's code blocks are the files of one project,
/// each block starting with a comment that names its file (`# compose.yaml`,
/// `# api/Dockerfile`). The directories of the files exist; nothing else does.
fn run_project_docs(
    rule: &'static Rule,
    settings: &FileSettings,
    bad: &[String],
    good: &[String],
) -> Result<(), Failed> {
    let project = |blocks: &[String]| -> Result<Vec<Vec<wharf::diagnostic::Diagnostic>>, Failed> {
        let mut sources = Vec::new();
        for b in blocks {
            let first = b.lines().next().unwrap_or_default();
            let Some(name) = first.strip_prefix("# ") else {
                return Err(format!(
                    "{}: a project example's blocks start with `# <file name>`:\n{b}",
                    rule.code
                )
                .into());
            };
            let path = PathBuf::from(name.trim());
            let kind = kind_of(&path);
            sources.push(SourceFile::new(path, b.clone(), kind));
        }
        let files: Vec<PathBuf> = sources.iter().map(|s| s.path.clone()).collect();
        let kind = |p: &Path| {
            let p = wharf::project::normalize(p);
            if files.contains(&p) {
                wharf::project::PathKind::File
            } else if p == Path::new(".") || files.iter().any(|f| f.starts_with(&p)) {
                wharf::project::PathKind::Dir
            } else {
                wharf::project::PathKind::Missing
            }
        };
        Ok(wharf::engine::lint_project_with(&sources, settings, &kind))
    };
    let fired = project(bad)?.iter().flatten().any(|d| d.code == rule.code);
    if !fired {
        return Err(format!("the bad example does not fire {}", rule.code).into());
    }
    let found: Vec<_> = project(good)?.into_iter().flatten().collect();
    if !found.is_empty() {
        return Err(format!("the good example fires {}: {found:?}", rule.code).into());
    }
    Ok(())
}

/// Lints a docs example. An example with files beside it is written out with them into a
/// fresh directory, its build context; one without is linted with no context on disk.
#[allow(clippy::too_many_arguments)]
fn lint_example(
    rule: &'static Rule,
    which: &str,
    n: usize,
    name: &str,
    kind: FileKind,
    text: &str,
    files: &[(String, String)],
    settings: &FileSettings,
) -> Result<Vec<wharf::diagnostic::Diagnostic>, Failed> {
    let mut settings = settings.clone();
    let dir = std::env::temp_dir().join(format!(
        "wharf-docs-{}-{which}-{n}-{}",
        rule.code,
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    if files.is_empty() {
        settings.base_dir = Some(dir.join("none"));
        return Ok(lint_source(&SourceFile::new(name, text, kind), &settings));
    }
    let io = |e: std::io::Error| format!("{}: {e}", dir.display());
    std::fs::create_dir_all(&dir).map_err(io)?;
    std::fs::write(dir.join(name), text).map_err(io)?;
    for (path, body) in files {
        let p = dir.join(path);
        if path.ends_with('/') {
            std::fs::create_dir_all(&p).map_err(io)?;
        } else {
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            std::fs::write(&p, body).map_err(io)?;
        }
    }
    settings.base_dir = Some(dir.clone());
    let diags = lint_source(&SourceFile::new(name, text, kind), &settings);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(diags)
}

fn conventions(rule: &'static Rule) -> Result<(), Failed> {
    let code_ok = rule.code.len() == 5
        && (rule.code.starts_with("DF")
            || rule.code.starts_with("DC")
            || rule.code.starts_with("DX"))
        || rule.code.len() == 6 && rule.code.starts_with("DL");
    if !code_ok || !rule.code[2..].chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("bad code {}", rule.code).into());
    }
    if rule.name.is_empty()
        || !rule
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(format!("{}: name `{}` is not kebab-case", rule.code, rule.name).into());
    }
    let s = rule.summary;
    let first = s.split_whitespace().next().unwrap_or("");
    let first_ok = first.chars().all(|c| !c.is_uppercase())
        || first
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == ',');
    if s.is_empty() || s.ends_with('.') || !first_ok {
        return Err(format!(
            "{}: summary must be short, lowercase, without a final period: {s:?}",
            rule.code
        )
        .into());
    }
    let docs = rule.docs_text();
    for section in [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
    ] {
        if !docs.contains(section) {
            return Err(format!("{}: docs lack `{section}`", rule.code).into());
        }
    }
    if rule.fixable && !docs.contains("## Fix safety") {
        return Err(format!("{}: a fixable rule documents its fix safety", rule.code).into());
    }
    if rule.fixable {
        fixable_has_fixture(rule)?;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rule.code);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    if !names.iter().any(|n| n.starts_with("pass"))
        || !names
            .iter()
            .any(|n| n.starts_with("fail") && !n.ends_with(".golden") && !n.ends_with(".fixed"))
    {
        return Err(format!(
            "{}: fixtures/{} needs pass and fail cases",
            rule.code, rule.code
        )
        .into());
    }
    Ok(())
}

fn catalogue() -> Result<(), Failed> {
    let all = wharf::registry::all();
    for w in all.windows(2) {
        if w[0].code >= w[1].code {
            return Err(format!(
                "the catalogue is not sorted and unique at {} / {}",
                w[0].code, w[1].code
            )
            .into());
        }
    }
    let mut names: Vec<_> = all.iter().map(|r| r.name).collect();
    names.sort();
    names.dedup();
    if names.len() != all.len() {
        return Err("two rules share a name".into());
    }
    Ok(())
}

/// Each rule lives in `rules/<folder>/<code>_<name>.rs`, named after the rule it declares.
fn file_names() -> Result<(), Failed> {
    let mut bad = Vec::new();
    for r in wharf::registry::all() {
        let want = format!("{}_{}", r.code, r.name)
            .to_ascii_lowercase()
            .replace('-', "_");
        let module = r.module.rsplit("::").next().unwrap_or("");
        if module != want {
            bad.push(format!(
                "{} is declared in `{module}.rs`, not `{want}.rs`",
                r.code
            ));
        }
    }
    if bad.is_empty() {
        Ok(())
    } else {
        Err(bad.join("\n").into())
    }
}

/// No alias names two rules, and no alias is another rule's code or name.
fn aliases_unique() -> Result<(), Failed> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for r in wharf::registry::all() {
        for key in [r.code, r.name].iter().chain(r.aliases.iter()) {
            if let Some(other) = seen.insert(key.to_ascii_lowercase(), r.code)
                && other != r.code
            {
                return Err(format!("`{key}` names both {other} and {}", r.code).into());
            }
        }
    }
    Ok(())
}

/// hadolint's retired codes are never reused.
fn retired_codes_unused() -> Result<(), Failed> {
    match wharf::registry::all()
        .iter()
        .find(|r| wharf::registry::HADOLINT_RETIRED.contains(&r.code))
    {
        Some(r) => Err(format!("{} is a retired hadolint code", r.code).into()),
        None => Ok(()),
    }
}

/// Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->` of a file with
/// `generated` under `WHARF_BLESS=1`, or checks that it is current.
fn generated_block(file: &str, name: &str, generated: &str) -> Result<(), Failed> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let (start, end) = (
        format!("<!-- {name}:start -->\n"),
        format!("<!-- {name}:end -->"),
    );
    let (Some(a), Some(b)) = (text.find(&start), text.find(&end)) else {
        return Err(format!("{file} lacks the {name} markers").into());
    };
    if &text[a + start.len()..b] == generated {
        return Ok(());
    }
    if std::env::var_os("WHARF_BLESS").is_some() {
        let new = format!("{}{}{}", &text[..a + start.len()], generated, &text[b..]);
        std::fs::write(&path, new).map_err(|e| e.to_string())?;
        return Ok(());
    }
    Err(format!(
        "{file}: the {name} block is out of date: run WHARF_BLESS=1 cargo test --test rules"
    )
    .into())
}

/// `docs/configuration.md`'s option table is generated from the rules' options structs.
fn options_table() -> Result<(), Failed> {
    let mut table =
        String::from("| Table | Option | Type | Default | Meaning |\n|---|---|---|---|---|\n");
    for r in wharf::registry::all() {
        let Some(decl) = r.options.as_ref().filter(|d| d.table.is_none()) else {
            continue;
        };
        let readers: Vec<&str> = wharf::registry::all()
            .iter()
            .filter(|o| o.code != r.code)
            .filter(|o| o.options.as_ref().is_some_and(|d| d.table == Some(r.code)))
            .map(|o| o.code)
            .collect();
        for row in wharf::settings::option_rows(decl) {
            let mut meaning = row[3].clone();
            if !readers.is_empty() {
                meaning.push_str(&format!(" Read by {} too.", readers.join(", ")));
            }
            table.push_str(&format!(
                "| `[rules.{}]` | {} | {} | {} | {meaning} |\n",
                r.code, row[0], row[1], row[2]
            ));
        }
    }
    generated_block("docs/configuration.md", "options", &table)
}

/// Options declarations are consistent: a shared declaration names a rule that owns options
/// of the same type, each options type has one owner, and a rule documents options exactly
/// when it has some (the `## Options` examples must be accepted by the configuration).
fn options_declared() -> Result<(), Failed> {
    let all = wharf::registry::all();
    let mut owners: BTreeMap<String, &str> = BTreeMap::new();
    for r in all {
        let Some(decl) = &r.options else {
            if r.docs.contains("## Options") {
                return Err(format!("{} documents options it does not declare", r.code).into());
            }
            continue;
        };
        match decl.table {
            None => {
                if let Some(other) = owners.insert(decl.type_name().to_string(), r.code) {
                    return Err(format!(
                        "{} and {other} both own {}: share it with options_of",
                        r.code,
                        decl.type_name()
                    )
                    .into());
                }
            }
            Some(table) => {
                let owner = wharf::registry::find(table)
                    .ok_or_else(|| format!("{} reads options of unknown rule {table}", r.code))?;
                let same = owner
                    .options
                    .as_ref()
                    .is_some_and(|d| d.table.is_none() && d.type_id() == decl.type_id());
                if !same {
                    return Err(format!(
                        "{} reads {} from {table}, which does not own that type",
                        r.code,
                        decl.type_name()
                    )
                    .into());
                }
            }
        }
        for example in r.doc_examples("Options") {
            let path = Path::new("wharf.toml");
            wharf::config::rule_settings_from_text(path, &example)
                .map_err(|e| format!("{}: the options example is rejected: {e}", r.code))?;
        }
    }
    Ok(())
}

/// The README's rule table is generated from the catalogue (`WHARF_BLESS=1` rewrites it).
fn readme_table() -> Result<(), Failed> {
    let mut table =
        String::from("| code | name | category | default | summary |\n|---|---|---|---|---|\n");
    for r in wharf::registry::all() {
        let default = if r.default_enabled() {
            r.default_severity().as_str()
        } else {
            "off"
        };
        let aliases = if r.aliases.is_empty() {
            String::new()
        } else {
            format!(" (alias: {})", r.aliases.join(", "))
        };
        table.push_str(&format!(
            "| {} | `{}`{} | {} | {} | {} |\n",
            r.code,
            r.name,
            aliases,
            r.category.as_str(),
            default,
            r.summary
        ));
    }
    generated_block("README.md", "rules", &table)
}

/// `docs/rules.md` holds every rule's documentation, the page SARIF's `helpUri` points at
/// (`WHARF_BLESS=1` rewrites it).
fn rules_md() -> Result<(), Failed> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let mut page = String::from(
        "# Rules\n\nGenerated from the rules' doc comments by `WHARF_BLESS=1 cargo test --test rules`; \
         `wharf rule CODE` prints the same text.\n",
    );
    for r in wharf::registry::all() {
        let default = if r.default_enabled() {
            r.default_severity().as_str()
        } else {
            "off by default"
        };
        page.push_str(&format!(
            "\n## {}\n\n`{}` · {} · {}",
            r.code,
            r.name,
            r.category.as_str(),
            default
        ));
        if r.fixable {
            page.push_str(" · fixable");
        }
        if !r.aliases.is_empty() {
            page.push_str(&format!(" · aliases: {}", r.aliases.join(", ")));
        }
        page.push_str("\n\n");
        // Demote the doc sections one level below the rule's heading.
        for line in r.docs_text().lines() {
            if line.starts_with("## ") {
                page.push('#');
            }
            page.push_str(line);
            page.push('\n');
        }
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current == page {
        return Ok(());
    }
    if std::env::var_os("WHARF_BLESS").is_some() {
        std::fs::write(&path, page).map_err(|e| e.to_string())?;
        return Ok(());
    }
    Err("docs/rules.md is out of date: run WHARF_BLESS=1 cargo test --test rules".into())
}
