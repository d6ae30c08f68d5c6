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
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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

impl<'a> From<&'a Parsed> for suppress::Input<'a> {
    fn from(parsed: &'a Parsed) -> Self {
        match parsed {
            Parsed::Dockerfile(df) => suppress::Input::Dockerfile(df),
            Parsed::Compose(cf) => suppress::Input::Compose(cf),
        }
    }
}

/// Lints one source text: parse it, run the rules, sort the findings.
pub fn lint_source(source: &SourceFile, settings: &FileSettings) -> Vec<Diagnostic> {
    let parsed = Parsed::parse(source);
    lint_parsed(source, &parsed, settings)
}

/// Runs the rules over an already parsed file.
pub fn lint_parsed(
    source: &SourceFile,
    parsed: &Parsed,
    settings: &FileSettings,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &rule in &settings.rules {
        if !rule.applies_to(source.kind) {
            continue;
        }
        let found = match (rule.check, parsed) {
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
        };
        out.extend(found);
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

/// Reads and lints a set of files in parallel. `settings_for` picks the settings of each file
/// (the nearest configuration file may differ per directory). The result is sorted by path.
pub fn lint_files<'s>(
    files: &[(PathBuf, Option<FileKind>)],
    settings_for: &(dyn Fn(&Path) -> &'s FileSettings + Sync),
) -> (Vec<LintedFile>, Vec<FileError>) {
    let results: Vec<Result<LintedFile, FileError>> = files
        .par_iter()
        .map(|(path, kind)| {
            let bytes = std::fs::read(path).map_err(|e| FileError {
                path: path.clone(),
                message: crate::discover::io_message(&e),
            })?;
            let text = read_text(path, bytes)?;
            let kind = kind.unwrap_or_else(|| crate::discover::kind_of(path, &text));
            let source = SourceFile::new(path.clone(), text, kind);
            let diagnostics = lint_source(&source, settings_for(path));
            Ok(LintedFile {
                line_index: LineIndex::new(&source.text),
                source,
                diagnostics,
            })
        })
        .collect();
    let mut ok = Vec::new();
    let mut errs = Vec::new();
    for r in results {
        match r {
            Ok(f) => ok.push(f),
            Err(e) => errs.push(e),
        }
    }
    ok.sort_by(|a, b| a.source.path.cmp(&b.source.path));
    errs.sort_by(|a, b| a.path.cmp(&b.path));
    (ok, errs)
}
