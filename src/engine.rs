//! The engine: read each file once, parse it once, run the selected rules over it, and sort
//! the findings. Files are processed in parallel; the result does not depend on thread count.

use crate::compose::{self, ComposeFile};
use crate::diagnostic::{Diagnostic, Severity};
use crate::dockerfile::{self, Dockerfile};
use crate::output::LintedFile;
use crate::rule::{Check, Context, Rule};
use crate::settings::RuleSettings;
use crate::source::{FileKind, LineIndex, SourceFile};
use crate::suppress::{self, SuppressOptions};
use rayon::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Once;

/// What the engine needs to lint one file.
#[derive(Debug, Clone, Default)]
pub struct FileSettings {
    /// The rules to run, each at most once.
    pub rules: Vec<&'static Rule>,
    /// Severity per code, overriding the rule's default.
    pub severity: HashMap<&'static str, Severity>,
    pub rule_settings: RuleSettings,
    /// How inline suppression comments are read.
    pub suppress: SuppressOptions,
}

/// A parsed file, whichever its kind.
// One per file, never in a collection: the size difference costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Parsed {
    Dockerfile(Dockerfile),
    Compose(ComposeFile),
}

impl Parsed {
    pub fn parse(source: &SourceFile) -> Parsed {
        match source.kind {
            FileKind::Dockerfile => Parsed::Dockerfile(dockerfile::parse(&source.text)),
            FileKind::Compose => Parsed::Compose(compose::parse(&source.text)),
        }
    }
}

/// Lints one source text: parse it, run the rules, sort the findings.
///
/// For callers that treat an internal error as a bug to surface at once (tests, benches): a
/// panic in the parser or a rule is raised again, with the rule named. The CLI uses
/// [`lint_isolated`], which reports it for the file and carries on.
pub fn lint_source(source: &SourceFile, settings: &FileSettings) -> Vec<Diagnostic> {
    let linted = lint_isolated(source, settings);
    if let Some(e) = linted.internal_errors.first() {
        panic!("{e}");
    }
    linted.diagnostics
}

/// The findings of one file, and the internal errors met while linting it.
#[derive(Debug, Default)]
pub struct Linted {
    /// The findings of the rules that completed, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// A panic in the parser or in a rule, as a message naming where it happened. The findings
    /// of the other rules are kept; after a parser failure there are none.
    pub internal_errors: Vec<FileError>,
    /// The file could not be parsed at all.
    pub parse_failed: bool,
}

/// Lints one source text so that a panic (a bug in wharf) in its parser or in one rule becomes
/// an internal error of this file: the other rules still run, and the caller goes on with
/// the other files.
pub fn lint_isolated(source: &SourceFile, settings: &FileSettings) -> Linted {
    let mut linted = Linted::default();
    let internal = |what: String, message: String| FileError {
        path: source.path.clone(),
        message: format!("internal error in {what}: {message}; this is a bug in wharf"),
    };
    let parser = match source.kind {
        FileKind::Dockerfile => "the Dockerfile parser",
        FileKind::Compose => "the compose parser",
    };
    let parsed = match isolate(|| Parsed::parse(source)) {
        Ok(p) => p,
        Err(message) => {
            linted
                .internal_errors
                .push(internal(parser.to_string(), message));
            linted.parse_failed = true;
            return linted;
        }
    };
    let mut failed = Vec::new();
    let result = isolate(|| {
        lint_with(source, &parsed, settings, &mut |rule, message| {
            failed.push(internal(format!("rule {}", rule.code), message));
        })
    });
    linted.internal_errors = failed;
    match result {
        Ok(d) => linted.diagnostics = d,
        Err(message) => linted
            .internal_errors
            .push(internal("the engine".to_string(), message)),
    }
    linted
}

/// Runs the rules over an already parsed file; a panic in a rule is raised again.
pub fn lint_parsed(
    source: &SourceFile,
    parsed: &Parsed,
    settings: &FileSettings,
) -> Vec<Diagnostic> {
    lint_with(source, parsed, settings, &mut |rule, message| {
        panic!("internal error in rule {}: {message}", rule.code)
    })
}

/// Runs the rules, each isolated: a rule that panics is passed to `failed` with its message,
/// and its findings are dropped.
fn lint_with(
    source: &SourceFile,
    parsed: &Parsed,
    settings: &FileSettings,
    failed: &mut dyn FnMut(&'static Rule, String),
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &rule in &settings.rules {
        if !rule.applies_to(source.kind) {
            continue;
        }
        match isolate(|| run_rule(rule, source, parsed, settings)) {
            Ok(found) => out.extend(found),
            Err(message) => failed(rule, message),
        }
    }
    let (mut out, unused) =
        suppress::apply(source, parsed, out, &settings.rules, &settings.suppress);
    let meta = suppress::meta_rule(source.kind);
    if settings.rules.iter().any(|r| r.code == meta.code) {
        out.extend(unused.into_iter().map(|u| u.into_diagnostic(meta)));
    }
    for d in &mut out {
        if let Some(s) = settings.severity.get(d.code) {
            d.severity = *s;
        }
    }
    sort(&mut out);
    out
}

/// One rule's findings on one file.
fn run_rule(
    rule: &'static Rule,
    source: &SourceFile,
    parsed: &Parsed,
    settings: &FileSettings,
) -> Vec<Diagnostic> {
    match (rule.check, parsed) {
        (Check::Dockerfile(f), Parsed::Dockerfile(df)) => {
            let mut ctx = Context::new(df, source, &settings.rule_settings, rule);
            f(&mut ctx);
            ctx.into_diagnostics()
        }
        (Check::Compose(f), Parsed::Compose(cf)) => {
            let mut ctx = Context::new(cf, source, &settings.rule_settings, rule);
            f(&mut ctx);
            ctx.into_diagnostics()
        }
        (Check::Syntax(_), Parsed::Dockerfile(df)) => {
            let mut ctx = Context::new(df, source, &settings.rule_settings, rule);
            for e in &df.errors {
                ctx.report(e.span, e.message.clone());
            }
            ctx.into_diagnostics()
        }
        (Check::Syntax(_), Parsed::Compose(cf)) => {
            let mut ctx = Context::new(cf, source, &settings.rule_settings, rule);
            for e in &cf.errors {
                let d = ctx.report(e.span, e.message.clone());
                if let Some((span, msg)) = &e.related {
                    d.related(*span, msg.clone());
                }
            }
            ctx.into_diagnostics()
        }
        _ => Vec::new(),
    }
}

thread_local! {
    /// How many [`isolate`] calls are running on this thread: their panics are not printed.
    static ISOLATED: Cell<usize> = const { Cell::new(0) };
    /// Where the last silenced panic happened.
    static PANIC_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f`, turning a panic into its message (with its location) instead of printing it.
fn isolate<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if ISOLATED.with(Cell::get) > 0 {
                let at = info.location().map(|l| l.to_string());
                PANIC_LOCATION.with(|l| *l.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
    ISOLATED.with(|n| n.set(n.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    ISOLATED.with(|n| n.set(n.get() - 1));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string());
        match PANIC_LOCATION.with(|l| l.borrow_mut().take()) {
            Some(at) => format!("{message} (at {at})"),
            None => message,
        }
    })
}

/// Sorts diagnostics by start (so line and column), then code, then end and message; drops
/// exact duplicates.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (a.span.start, a.code, a.span.end, &a.message).cmp(&(
            b.span.start,
            b.code,
            b.span.end,
            &b.message,
        ))
    });
    diags.dedup_by(|a, b| a.span == b.span && a.code == b.code && a.message == b.message);
}

/// A file that could not be linted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// Reads a file as UTF-8 text, refusing binary content with a clear message.
pub fn read_text(path: &Path, bytes: Vec<u8>) -> Result<String, FileError> {
    let err = |message: String| FileError {
        path: path.to_path_buf(),
        message,
    };
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(err("binary file (contains NUL bytes)".into()));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let col = at
            - bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map(|p| p + 1)
                .unwrap_or(0)
            + 1;
        err(format!("invalid UTF-8 at line {line}, byte column {col}"))
    })
}

/// The stack size of the threads that lint files.
const WORKER_STACK: usize = 8 << 20;

/// Reads and lints a set of files in parallel. `settings_for` picks the settings of each file
/// (the nearest configuration file may differ per directory). The result is sorted by path.
pub fn lint_files<'s>(
    files: &[(PathBuf, Option<FileKind>)],
    settings_for: &(dyn Fn(&Path) -> &'s FileSettings + Sync),
) -> (Vec<LintedFile>, Vec<FileError>) {
    // Workers with a roomy stack, as a second line of defence: the parsers bound their own
    // recursion so that 2 MiB suffice (see `shell::depth`).
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK)
        .build();
    let lint_all = || -> Vec<(Option<LintedFile>, Vec<FileError>)> {
        files
            .par_iter()
            .map(|(path, kind)| {
                let text = std::fs::read(path)
                    .map_err(|e| FileError {
                        path: path.clone(),
                        message: crate::discover::io_message(&e),
                    })
                    .and_then(|bytes| read_text(path, bytes));
                let text = match text {
                    Ok(t) => t,
                    Err(e) => return (None, vec![e]),
                };
                let kind = kind.unwrap_or_else(|| crate::discover::kind_of(path, &text));
                let source = SourceFile::new(path.clone(), text, kind);
                let linted = lint_isolated(&source, settings_for(path));
                let file = (!linted.parse_failed).then(|| LintedFile {
                    line_index: LineIndex::new(&source.text),
                    source,
                    diagnostics: linted.diagnostics,
                });
                (file, linted.internal_errors)
            })
            .collect()
    };
    let results = match pool {
        Ok(pool) => pool.install(lint_all),
        Err(_) => lint_all(),
    };
    let mut ok = Vec::new();
    let mut errs = Vec::new();
    for (file, file_errs) in results {
        ok.extend(file);
        errs.extend(file_errs);
    }
    ok.sort_by(|a, b| a.source.path.cmp(&b.source.path));
    errs.sort_by(|a, b| a.path.cmp(&b.path));
    (ok, errs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule that exists only in these tests: it panics on files whose path holds `bad`.
    static PANICS: Rule = Rule {
        code: "DF999",
        name: "test-only-panic",
        check: Check::Dockerfile(panic_on_bad),
        ..Rule::DEFAULT
    };

    fn panic_on_bad(ctx: &mut Context<'_, Dockerfile>) {
        if ctx.source.path.to_string_lossy().contains("bad") {
            panic!("boom");
        }
    }

    fn settings() -> FileSettings {
        let real = crate::registry::find("DF003").unwrap_or_else(|| panic!("DF003 exists"));
        FileSettings {
            rules: vec![&PANICS, real],
            ..FileSettings::default()
        }
    }

    const TEXT: &str = "FROM alpine:3.20\nRUN echo \"unterminated\n";

    #[test]
    fn a_panicking_rule_is_an_internal_error_and_the_others_still_report() {
        let source = SourceFile::new("bad/Dockerfile", TEXT, FileKind::Dockerfile);
        let linted = lint_isolated(&source, &settings());
        let codes: Vec<&str> = linted.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["DF003"]);
        assert!(!linted.parse_failed);
        let [e] = linted.internal_errors.as_slice() else {
            panic!("one internal error expected: {:?}", linted.internal_errors);
        };
        assert_eq!(e.path, PathBuf::from("bad/Dockerfile"));
        assert!(
            e.message
                .starts_with("internal error in rule DF999: boom (at src/engine.rs:")
                && e.message.ends_with("; this is a bug in wharf"),
            "{}",
            e.message
        );
    }

    #[test]
    fn lint_source_raises_internal_errors_again() {
        let source = SourceFile::new("bad", TEXT, FileKind::Dockerfile);
        let settings = settings();
        let raised = catch_unwind(AssertUnwindSafe(|| lint_source(&source, &settings)));
        assert!(raised.is_err());
        let good = SourceFile::new("good", TEXT, FileKind::Dockerfile);
        assert_eq!(lint_source(&good, &settings).len(), 1);
    }

    #[test]
    fn one_file_failing_leaves_the_others_whole() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut files = Vec::new();
        for name in ["a", "bad", "c"] {
            let path = dir.path().join(name).join("Dockerfile");
            std::fs::create_dir_all(path.parent().unwrap_or(dir.path()))
                .unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&path, TEXT).unwrap_or_else(|e| panic!("{e}"));
            files.push((path, Some(FileKind::Dockerfile)));
        }
        let settings = settings();
        let (ok, errs) = lint_files(&files, &|_| &settings);
        // Every file keeps its DF003 finding, the failing one included.
        assert_eq!(ok.len(), 3);
        assert!(ok.iter().all(|f| f.diagnostics.len() == 1));
        let [e] = errs.as_slice() else {
            panic!("one error expected: {errs:?}");
        };
        assert!(e.path.ends_with("bad/Dockerfile"));
        assert!(e.message.contains("internal error in rule DF999"));
    }
}
