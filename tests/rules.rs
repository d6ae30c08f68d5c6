//! Rule tests, one trial per case:
//! - every fixture under `fixtures/<CODE>/`: `pass*` files must produce nothing from that rule;
//!   `fail*` files carry `# expect: CODE` comments above each offending line and must match
//!   exactly, both ways; a `.golden` file beside each fail case pins the exact spans and
//!   messages, and a `.fixed` file the text with every fix applied where the rule has fixes
//!   (`WHARF_BLESS=1 cargo test --test rules` rewrites them);
//! - every rule's documentation: the `## Example` blocks must fire the rule and the
//!   `## Use instead` blocks must produce nothing;
//! - a fixture folder may hold `also-select.txt`, one code per line (`#` starts a comment):
//!   those rules run too, on the fixtures and on the docs examples, and their findings count
//!   like the rule's own (in `# expect:` lines, goldens and "produce nothing"). Rules that
//!   judge other rules' findings, such as DF900 (unused suppressions), need this;
//! - catalogue conventions: sorted unique codes, kebab-case names, docs sections, message style.

use libtest_mimic::{Arguments, Failed, Trial};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                let n = p.file_name().unwrap().to_string_lossy();
                (n.starts_with("pass") || n.starts_with("fail"))
                    && !n.ends_with(".golden")
                    && !n.ends_with(".fixed")
            })
            .collect();
        files.sort();
        for file in files {
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

fn run_fixture(code: &str, path: &Path) -> Result<(), Failed> {
    let rule = wharf::registry::find(code).ok_or_else(|| format!("no rule {code}"))?;
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let source = SourceFile::new(path.file_name().unwrap(), text, kind_of(path));
    let diags = lint_source(&source, &settings_for(rule)?);
    let index = LineIndex::new(&source.text);
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let mut actual: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut golden = String::new();
    for d in &diags {
        let s = index.line_col(&source.text, d.span.start);
        let e = index.line_col(&source.text, d.span.end);
        actual
            .entry(s.line as usize)
            .or_default()
            .push(d.code.to_string());
        golden.push_str(&format!(
            "{}:{}-{}:{} {} {} [{}]\n",
            s.line,
            s.column,
            e.line,
            e.column,
            d.code,
            d.message,
            d.span.text(&source.text).replace('\n', "\\n")
        ));
        if let Some(fix) = &d.fix {
            for edit in &fix.edits {
                golden.push_str(&format!(
                    "  fix ({:?}): {:?} -> {:?}\n",
                    fix.applicability,
                    edit.span.text(&source.text),
                    edit.content
                ));
            }
        }
    }
    if name.starts_with("pass") {
        if !diags.is_empty() {
            return Err(format!("{name} should be clean, got:\n{golden}").into());
        }
        return Ok(());
    }
    let expected = expectations(&source.text);
    if expected.is_empty() {
        return Err(format!("{name} has no `# expect:` comment").into());
    }
    if expected != actual {
        return Err(format!("{name}: expected {expected:?}\n got {actual:?}\n{golden}").into());
    }
    check_golden(
        &PathBuf::from(format!("{}.golden", path.display())),
        &golden,
    )?;
    // Where the rule offers fixes, the file with every fix applied is pinned too.
    if diags.iter().any(|d| d.fix.is_some()) {
        let fixed = apply_fixes(&source.text, &diags);
        check_golden(&PathBuf::from(format!("{}.fixed", path.display())), &fixed)?;
        // A fix repairs its finding: the fixed text has nothing left to fix.
        let again = lint_source(
            &SourceFile::new(source.path.clone(), fixed, source.kind),
            &settings_for(rule)?,
        );
        if let Some(d) = again.iter().find(|d| d.fix.is_some()) {
            return Err(format!(
                "{name}: after applying the fixes, still fixable: {}",
                d.message
            )
            .into());
        }
    }
    Ok(())
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

/// The text with every fix's edits applied, last edit first; an edit overlapping one already
/// applied is skipped.
fn apply_fixes(text: &str, diags: &[wharf::diagnostic::Diagnostic]) -> String {
    let mut edits: Vec<_> = diags
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| &f.edits)
        .collect();
    edits.sort_by(|a, b| {
        b.span
            .start
            .cmp(&a.span.start)
            .then(b.span.end.cmp(&a.span.end))
    });
    let mut out = text.to_string();
    let mut floor = u32::MAX;
    for e in edits {
        if e.span.end > floor {
            continue;
        }
        out.replace_range(e.span.range(), &e.content);
        floor = e.span.start;
    }
    out
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
    let settings = settings_for(rule)?;
    let bad = rule.doc_examples("Example");
    let good = rule.doc_examples("Use instead");
    if bad.is_empty() || good.is_empty() {
        return Err(format!(
            "{} docs need an `## Example` and a `## Use instead` code block",
            rule.code
        )
        .into());
    }
    for ex in bad {
        let diags = lint_source(&SourceFile::new(name, ex.clone(), kind), &settings);
        if !diags.iter().any(|d| d.code == rule.code) {
            return Err(format!("the bad example does not fire {}:\n{ex}", rule.code).into());
        }
    }
    for ex in good {
        let diags = lint_source(&SourceFile::new(name, ex.clone(), kind), &settings);
        if !diags.is_empty() {
            return Err(format!("the good example fires {}: {:?}\n{ex}", rule.code, diags).into());
        }
    }
    Ok(())
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
    const RETIRED: [&str; 5] = ["DL3005", "DL3017", "DL3031", "DL3039", "DL4002"];
    match wharf::registry::all()
        .iter()
        .find(|r| RETIRED.contains(&r.code))
    {
        Some(r) => Err(format!("{} is a retired hadolint code", r.code).into()),
        None => Ok(()),
    }
}

/// The README's rule table is generated from the catalogue (`WHARF_BLESS=1` rewrites it).
fn readme_table() -> Result<(), Failed> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let (Some(a), Some(b)) = (readme.find(start), readme.find(end)) else {
        return Err("README.md lacks the rules markers".into());
    };
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
    let current = &readme[a + start.len()..b];
    if current == table {
        return Ok(());
    }
    if std::env::var_os("WHARF_BLESS").is_some() {
        let new = format!("{}{}{}", &readme[..a + start.len()], table, &readme[b..]);
        std::fs::write(&path, new).map_err(|e| e.to_string())?;
        return Ok(());
    }
    Err("README.md rule table is out of date: run WHARF_BLESS=1 cargo test --test rules".into())
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
