//! The engine: read each file once, parse it once, run the selected rules over it, and sort
//! the findings. Files are processed in parallel; the result does not depend on thread count.

use crate::compose::{self, ComposeFile};
use crate::diagnostic::{Diagnostic, Severity};
use crate::dockerfile::{self, Dockerfile};
use crate::output::LintedFile;
use crate::rule::{Check, Context, ProjectContext, ProjectFile, Rule};
use crate::settings::RuleSettings;
use crate::source::{
    DEFAULT_MAX_FILE_SIZE, FileId, FileKind, LineIndex, ReadError, SourceFile, read_regular_file,
};
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
    /// Files larger than this many bytes are not linted (an error for that file); `None` is
    /// [`DEFAULT_MAX_FILE_SIZE`].
    pub max_file_size: Option<u64>,
    /// Whether ShellCheck runs on this file, and which of its codes are reported.
    pub shellcheck: crate::shellcheck::ShellcheckFilter,
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

impl<'a> From<&'a Parsed> for suppress::Input<'a> {
    fn from(parsed: &'a Parsed) -> Self {
        match parsed {
            Parsed::Dockerfile(df) => suppress::Input::Dockerfile(df),
            Parsed::Compose(cf) => suppress::Input::Compose(cf),
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
    lint_isolated_with(source, settings, Vec::new())
}

/// [`lint_isolated`], with findings computed outside the rules (ShellCheck's, from
/// [`shellcheck_pass`]) added before suppressions, severities and sorting apply to them.
pub fn lint_isolated_with(
    source: &SourceFile,
    settings: &FileSettings,
    extra: Vec<Diagnostic>,
) -> Linted {
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
    let id = FileId::default();
    let result = isolate(|| {
        let mut found = run_file_rules(source, &parsed, settings, id, &mut |rule, message| {
            failed.push(internal(format!("rule {}", rule.code), message));
        });
        found.extend(extra);
        finish(source, &parsed, found, settings, id)
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
    let found = run_file_rules(source, parsed, settings, FileId::default(), &mut raise);
    finish(source, parsed, found, settings, FileId::default())
}

/// Raises a rule's internal error again, for callers that surface bugs at once.
fn raise(rule: &'static Rule, message: String) {
    panic!("internal error in rule {}: {message}", rule.code)
}

/// Lints the files of one project together (a compose file and the Dockerfiles it builds):
/// each file's own rules, then the project rules over all of them. Every finding is routed to
/// the file it names before that file's suppressions apply. The result has one list per
/// source, in order; file `i` is `FileId(i)`.
pub fn lint_project(sources: &[SourceFile], settings: &FileSettings) -> Vec<Vec<Diagnostic>> {
    let parsed: Vec<Parsed> = sources.iter().map(Parsed::parse).collect();
    let files: Vec<ProjectFile<'_>> = sources
        .iter()
        .zip(&parsed)
        .enumerate()
        .map(|(i, (source, parsed))| ProjectFile {
            id: FileId(i as u32),
            source,
            parsed,
        })
        .collect();
    let mut found: Vec<Vec<Diagnostic>> = files
        .iter()
        .map(|f| run_file_rules(f.source, f.parsed, settings, f.id, &mut raise))
        .collect();
    for &rule in &settings.rules {
        let Check::Project(check) = rule.check else {
            continue;
        };
        let mut ctx = ProjectContext::new(&files, &settings.rule_settings, rule);
        check(&mut ctx);
        for mut d in ctx.into_diagnostics() {
            // A finding naming no file of the run is kept, in the first file, rather than lost.
            let at = if (d.file.0 as usize) < found.len() {
                d.file.0 as usize
            } else {
                d.file = FileId(0);
                0
            };
            if let Some(list) = found.get_mut(at) {
                list.push(d);
            }
        }
    }
    found
        .into_iter()
        .zip(&files)
        .map(|(mut diags, f)| {
            for d in &mut diags {
                for r in &mut d.related {
                    if r.file_id != d.file {
                        r.file = sources.get(r.file_id.0 as usize).map(|s| s.path.clone());
                    }
                }
            }
            finish(f.source, f.parsed, diags, settings, f.id)
        })
        .collect()
}

/// The findings of the per-file rules of one file, each rule isolated: a rule that panics is
/// passed to `failed` with its message, and its findings are dropped.
fn run_file_rules(
    source: &SourceFile,
    parsed: &Parsed,
    settings: &FileSettings,
    id: FileId,
    failed: &mut dyn FnMut(&'static Rule, String),
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &rule in &settings.rules {
        if !rule.applies_to(source.kind) {
            continue;
        }
        match isolate(|| run_rule(rule, source, parsed, settings, id)) {
            Ok(found) => out.extend(found),
            Err(message) => failed(rule, message),
        }
    }
    out
}

/// One rule's findings on one file.
fn run_rule(
    rule: &'static Rule,
    source: &SourceFile,
    parsed: &Parsed,
    settings: &FileSettings,
    id: FileId,
) -> Vec<Diagnostic> {
    match (rule.check, parsed) {
        (Check::Dockerfile(f), Parsed::Dockerfile(df)) => {
            let mut ctx = Context::new(df, source, &settings.rule_settings, rule).with_file_id(id);
            f(&mut ctx);
            ctx.into_diagnostics()
        }
        (Check::Compose(f), Parsed::Compose(cf)) => {
            let mut ctx = Context::new(cf, source, &settings.rule_settings, rule).with_file_id(id);
            f(&mut ctx);
            ctx.into_diagnostics()
        }
        (Check::Syntax(_), Parsed::Dockerfile(df)) => {
            let mut ctx = Context::new(df, source, &settings.rule_settings, rule).with_file_id(id);
            // A template gives an error on most of its lines; one finding says what it is.
            let template = df.template;
            for e in &df.errors {
                let d = ctx.report(e.span, e.message.clone());
                if template {
                    let more = df.errors.len() - 1;
                    d.help(format!(
                        "the file holds template placeholders (`{{{{ }}}}`): lint the rendered \
                         Dockerfile ({more} more syntax error{} not reported)",
                        if more == 1 { "" } else { "s" }
                    ));
                    break;
                }
            }
            ctx.into_diagnostics()
        }
        (Check::Syntax(_), Parsed::Compose(cf)) => {
            let mut ctx = Context::new(cf, source, &settings.rule_settings, rule).with_file_id(id);
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

/// Suppressions, the meta rule's findings, severity overrides and order, for one file.
fn finish(
    source: &SourceFile,
    parsed: &Parsed,
    out: Vec<Diagnostic>,
    settings: &FileSettings,
    id: FileId,
) -> Vec<Diagnostic> {
    let (mut out, unused) =
        suppress::apply(source, parsed, out, &settings.rules, &settings.suppress);
    let meta = suppress::meta_rule(source.kind);
    if settings.rules.iter().any(|r| r.code == meta.code) {
        out.extend(unused.into_iter().map(|u| u.into_diagnostic(meta)));
    }
    for d in &mut out {
        d.file = id;
        if let Some(s) = settings.severity.get(d.code) {
            d.severity = *s;
        }
    }
    sort(&mut out);
    out
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
    // The whole file: a NUL anywhere means it is not text (a NUL at byte 9,000 would
    // otherwise be linted and echoed to the terminal).
    if bytes.contains(&0) {
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

/// Reads a file to lint: a regular file (or a link to one) of at most `max_size` bytes
/// ([`DEFAULT_MAX_FILE_SIZE`] when `None`).
pub fn read_linted_file(path: &Path, max_size: Option<u64>) -> Result<Vec<u8>, FileError> {
    let cap = max_size.unwrap_or(DEFAULT_MAX_FILE_SIZE);
    read_regular_file(path, cap).map_err(|e| FileError {
        path: path.to_path_buf(),
        message: match e {
            ReadError::TooLarge(_) => {
                format!("{e} (raise it with --max-file-size or `max-file-size` in wharf.toml)")
            }
            e => e.to_string(),
        },
    })
}

/// Where the engine gets the text of a file: the file system for the CLI, open editor buffers
/// for the language server. The engine never reads files itself.
pub trait SourceProvider: Sync {
    /// The file at `path`, its kind from `kind` or else from its name and content, refused
    /// when larger than `max_size` bytes ([`DEFAULT_MAX_FILE_SIZE`] when `None`).
    fn source(
        &self,
        path: &Path,
        kind: Option<FileKind>,
        max_size: Option<u64>,
    ) -> Result<SourceFile, FileError>;
}

/// Reads files from disk with [`read_source`].
#[derive(Debug, Clone, Copy, Default)]
pub struct FileSystem;

impl SourceProvider for FileSystem {
    fn source(
        &self,
        path: &Path,
        kind: Option<FileKind>,
        max_size: Option<u64>,
    ) -> Result<SourceFile, FileError> {
        read_source(path, kind, max_size)
    }
}

/// Texts held in memory (an editor's unsaved buffers), in front of another provider for the
/// files that are not open.
pub struct Buffers<'a> {
    pub open: HashMap<PathBuf, String>,
    pub fallback: &'a dyn SourceProvider,
}

impl SourceProvider for Buffers<'_> {
    fn source(
        &self,
        path: &Path,
        kind: Option<FileKind>,
        max_size: Option<u64>,
    ) -> Result<SourceFile, FileError> {
        match self.open.get(path) {
            Some(text) => {
                let kind = kind.unwrap_or_else(|| crate::discover::kind_of(path, text));
                Ok(SourceFile::new(path, text.clone(), kind))
            }
            None => self.fallback.source(path, kind, max_size),
        }
    }
}

/// Reads one file from disk as a source: the file system's read path.
pub fn read_source(
    path: &Path,
    kind: Option<FileKind>,
    max_size: Option<u64>,
) -> Result<SourceFile, FileError> {
    let bytes = read_linted_file(path, max_size)?;
    let text = read_text(path, bytes)?;
    let kind = kind.unwrap_or_else(|| crate::discover::kind_of(path, &text));
    Ok(SourceFile::new(path.to_path_buf(), text, kind))
}

/// The stack size of the threads that lint files.
const WORKER_STACK: usize = 8 << 20;

/// Reads (from the file system) and lints a set of files in parallel; see [`lint_files_from`].
pub fn lint_files<'s>(
    files: &[(PathBuf, Option<FileKind>)],
    settings_for: &(dyn Fn(&Path) -> &'s FileSettings + Sync),
) -> (Vec<LintedFile>, Vec<FileError>) {
    lint_files_from(&FileSystem, files, settings_for)
}

/// Gets each file from `provider` and lints the set in parallel. `settings_for` picks the
/// settings of each file (the nearest configuration file may differ per directory). The
/// result is sorted by path.
pub fn lint_files_from<'s>(
    provider: &dyn SourceProvider,
    files: &[(PathBuf, Option<FileKind>)],
    settings_for: &(dyn Fn(&Path) -> &'s FileSettings + Sync),
) -> (Vec<LintedFile>, Vec<FileError>) {
    // Workers with a roomy stack, as a second line of defence: the parsers bound their own
    // recursion so that 2 MiB suffice (see `shell::depth`).
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK)
        .build();
    let shellcheck = files
        .iter()
        .any(|(path, _)| settings_for(path).shellcheck.enabled);
    let lint_one = |source: SourceFile, settings: &FileSettings, extra: Vec<Diagnostic>| {
        let linted = lint_isolated_with(&source, settings, extra);
        let file = (!linted.parse_failed).then(|| LintedFile {
            line_index: LineIndex::new(&source.text),
            source,
            diagnostics: linted.diagnostics,
        });
        (file, linted.internal_errors)
    };
    let lint_all = || -> Vec<(Option<LintedFile>, Vec<FileError>)> {
        if !shellcheck {
            return files
                .par_iter()
                .map(|(path, kind)| {
                    let settings = settings_for(path);
                    match provider.source(path, *kind, settings.max_file_size) {
                        Ok(source) => lint_one(source, settings, Vec::new()),
                        Err(e) => (None, vec![e]),
                    }
                })
                .collect();
        }
        // ShellCheck reads the scripts of every file at once (in batches), so the files are
        // read first, then checked together, then linted with its findings.
        let sources: Vec<Result<SourceFile, FileError>> = files
            .par_iter()
            .map(|(path, kind)| provider.source(path, *kind, settings_for(path).max_file_size))
            .collect();
        let ok: Vec<(&SourceFile, &FileSettings)> = sources
            .iter()
            .filter_map(|s| s.as_ref().ok())
            .map(|s| (s, settings_for(&s.path)))
            .collect();
        let mut checked = shellcheck_pass(&ok).into_iter();
        let work: Vec<_> = sources
            .into_iter()
            .map(|s| s.map(|source| (source, checked.next().unwrap_or(Ok(Vec::new())))))
            .collect();
        work.into_par_iter()
            .map(|r| match r {
                Ok((source, Ok(extra))) => {
                    let settings = settings_for(&source.path);
                    lint_one(source, settings, extra)
                }
                Ok((source, Err(message))) => {
                    let path = source.path.clone();
                    let settings = settings_for(&path);
                    let (file, mut errors) = lint_one(source, settings, Vec::new());
                    errors.push(FileError { path, message });
                    (file, errors)
                }
                Err(e) => (None, vec![e]),
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

/// The ShellCheck pass over several files: for each, the ShellCheck findings its settings
/// report (none when ShellCheck is off for it or it is not a Dockerfile), or why ShellCheck
/// could not check it (the program is missing, crashed, or printed something unreadable).
/// All the scripts go to ShellCheck together, in batches run in parallel.
pub fn shellcheck_pass(
    files: &[(&SourceFile, &FileSettings)],
) -> Vec<Result<Vec<Diagnostic>, String>> {
    use crate::shellcheck::{Runner, collect};
    let collected: Vec<Result<Vec<crate::shellcheck::Script>, String>> = files
        .par_iter()
        .map(|(source, settings)| {
            if !settings.shellcheck.enabled || source.kind != FileKind::Dockerfile {
                return Ok(Vec::new());
            }
            isolate(|| collect(&dockerfile::parse(&source.text))).map_err(|m| {
                format!("internal error in the ShellCheck pass: {m}; this is a bug in wharf")
            })
        })
        .collect();
    let mut failed: Vec<Option<String>> = Vec::with_capacity(collected.len());
    let scripts: Vec<Vec<crate::shellcheck::Script>> = collected
        .into_iter()
        .map(|c| match c {
            Ok(s) => {
                failed.push(None);
                s
            }
            Err(e) => {
                failed.push(Some(e));
                Vec::new()
            }
        })
        .collect();
    let checked: Vec<Result<Vec<Diagnostic>, String>> = if scripts.iter().all(Vec::is_empty) {
        scripts.iter().map(|_| Ok(Vec::new())).collect()
    } else {
        match Runner::find() {
            Ok(runner) => runner.check(&scripts),
            Err(e) => scripts
                .iter()
                .map(|s| {
                    if s.is_empty() {
                        Ok(Vec::new())
                    } else {
                        Err(e.clone())
                    }
                })
                .collect(),
        }
    };
    failed
        .into_iter()
        .zip(checked)
        .zip(files)
        .map(|((failed, checked), (_, settings))| {
            if let Some(e) = failed {
                return Err(e);
            }
            let mut found = checked?;
            found.retain(|d| {
                crate::shellcheck::code_number(d.code)
                    .is_some_and(|n| settings.shellcheck.reports(n))
            });
            Ok(found)
        })
        .collect()
}

#[cfg(test)]
mod provider_tests {
    use super::*;

    #[test]
    fn open_buffers_win_over_the_file_system() {
        let dir = std::env::temp_dir().join(format!("wharf-provider-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let on_disk = dir.join("Dockerfile");
        std::fs::write(&on_disk, "FROM alpine\nUSER app\n").unwrap();
        let open = dir.join("Dockerfile.dev");
        let buffers = Buffers {
            open: HashMap::from([(open.clone(), "FROM alpine\n".to_string())]),
            fallback: &FileSystem,
        };
        let settings = FileSettings {
            rules: vec![crate::registry::find("DL3002").unwrap()],
            ..FileSettings::default()
        };
        let files = [(on_disk.clone(), None), (open.clone(), None)];
        let (linted, errors) = lint_files_from(&buffers, &files, &|_| &settings);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(linted.len(), 2);
        assert_eq!(linted[1].source.text, "FROM alpine\n");
        assert_eq!(linted[1].source.kind, FileKind::Dockerfile);
        let missing = [(dir.join("absent"), Some(FileKind::Dockerfile))];
        let (_, errors) = lint_files_from(&buffers, &missing, &|_| &settings);
        assert_eq!(errors.len(), 1);
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// A project rule for tests only (registered in the catalogue of the crate's own unit tests):
/// every Dockerfile of a project that has a compose file gets a finding at its first
/// instruction, with a related label at the compose file's first `build:`.
#[cfg(test)]
pub(crate) mod project_tests {
    use super::*;
    use crate::rule::Category;
    use crate::source::Span;

    crate::declare_rule! {
        /// ## What it does
        /// Test only: marks the Dockerfiles a compose file builds.
        pub static RULE = Rule {
            code: "DX999",
            name: "test-cross-file",
            category: Category::Correctness,
            summary: "a dockerfile built by a compose file (test rule)",
            check: Check::Project(check),
        };
    }

    fn check(ctx: &mut ProjectContext<'_>) {
        let files = ctx.files;
        let Some(compose) = files.iter().find(|f| f.source.kind == FileKind::Compose) else {
            return;
        };
        let Some(at) = compose.source.text.find("build:") else {
            return;
        };
        let build = Span::from_range(at..at + "build:".len());
        for f in files {
            let Parsed::Dockerfile(df) = f.parsed else {
                continue;
            };
            if let Some(first) = df.instructions.first() {
                ctx.report(f.id, first.span, "built by a compose file")
                    .related_in(compose.id, build, "built here");
            }
        }
    }

    fn project(dockerfile: &str) -> Vec<Vec<Diagnostic>> {
        let sources = [
            SourceFile::new(
                "compose.yaml",
                "services:\n  app:\n    build: ./app\n",
                FileKind::Compose,
            ),
            SourceFile::new("app/Dockerfile", dockerfile, FileKind::Dockerfile),
        ];
        let settings = FileSettings {
            rules: vec![&RULE, crate::registry::find("DF900").unwrap()],
            ..FileSettings::default()
        };
        lint_project(&sources, &settings)
    }

    #[test]
    fn cross_file_finding_lands_in_its_file_with_a_related_label_in_the_other() {
        let out = project("FROM alpine\n");
        assert!(out[0].is_empty(), "{:?}", out[0]);
        let [d] = out[1].as_slice() else {
            panic!("one finding in the Dockerfile: {:?}", out[1]);
        };
        assert_eq!(
            (d.code, d.file, d.span),
            ("DX999", FileId(1), Span::new(0, 11))
        );
        let [r] = d.related.as_slice() else {
            panic!("one related label");
        };
        assert_eq!(r.file_id, FileId(0));
        assert_eq!(r.file.as_deref(), Some(Path::new("compose.yaml")));
        assert_eq!(r.span, Span::new(21, 27));
    }

    #[test]
    fn inline_suppressions_apply_to_routed_findings() {
        let out = project("# wharf: ignore=DX999\nFROM alpine\n");
        assert!(out[1].is_empty(), "{:?}", out[1]);
        // Not a project rule's file: the single-file engine does not run project rules.
        let alone = SourceFile::new("Dockerfile", "FROM alpine\n", FileKind::Dockerfile);
        let settings = FileSettings {
            rules: vec![&RULE],
            ..FileSettings::default()
        };
        assert!(lint_source(&alone, &settings).is_empty());
    }
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
