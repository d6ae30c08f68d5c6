//! Printing a report in one of wharf's output formats.
//!
//! The engine hands over a [`Report`]: every linted file with its diagnostics (already sorted)
//! and the rules that were selected. [`write()`] renders it in a [`Format`] to any writer. Each
//! format lives in its own file:
//!
//! | format       | for                                                    | file            |
//! |--------------|--------------------------------------------------------|-----------------|
//! | `human`      | people at a terminal: snippets, labels, help (miette)  | `human.rs`      |
//! | `concise`    | one line per finding, `path:line:col: CODE message`    | `concise.rs`    |
//! | `json`       | scripts: the stable JSON contract                      | `json.rs`       |
//! | `sarif`      | GitHub code scanning and other SARIF 2.1.0 consumers   | `sarif.rs`      |
//! | `github`     | GitHub Actions workflow-command annotations            | `github.rs`     |
//! | `gitlab`     | GitLab Code Quality reports                            | `gitlab.rs`     |
//! | `checkstyle` | Jenkins and other checkstyle XML consumers             | `checkstyle.rs` |
//! | `junit`      | CI test-report views (GitLab, Jenkins)                 | `junit.rs`      |
//! | `gnu`        | editors that read GNU-style messages (Emacs, Vim)      | `gnu.rs`        |
//!
//! Positions are computed here, at the edge, from byte spans with [`LineIndex::line_col`]:
//! lines and columns are 1-based and columns count Unicode scalar values. An end position is
//! the position of the span's end offset, that is, just past the last character.
//!
//! Only the `human` and `concise` formats print a summary line (see [`summary`]); the machine
//! formats print nothing but their document, and an empty report still renders a valid one.

mod checkstyle;
mod concise;
mod github;
mod gitlab;
mod gnu;
mod human;
mod json;
mod junit;
mod sarif;

use crate::diagnostic::{Diagnostic, Related, Severity};
pub use crate::engine::FileError;
use crate::rule::Rule;
use crate::source::{LineCol, LineIndex, SourceFile, Span};
use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// One linted file: its source, the line index used to turn spans into positions, and its
/// diagnostics, sorted by the engine.
#[derive(Debug, Clone)]
pub struct LintedFile {
    pub source: SourceFile,
    pub line_index: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
}

impl LintedFile {
    /// Builds the line index of `source` and keeps the diagnostics in the order given.
    pub fn new(source: SourceFile, diagnostics: Vec<Diagnostic>) -> Self {
        let line_index = LineIndex::new(&source.text);
        LintedFile {
            source,
            line_index,
            diagnostics,
        }
    }

    /// The 1-based start and end positions of a span of this file.
    pub fn range(&self, span: Span) -> (LineCol, LineCol) {
        let text = &self.source.text;
        (
            self.line_index.line_col(text, span.start),
            self.line_index.line_col(text, span.end),
        )
    }

    /// The text of a 1-based line, without its line terminator (empty when out of range).
    pub fn line_text(&self, line: u32) -> &str {
        let text = &self.source.text;
        let line0 = (line as usize).saturating_sub(1);
        if line0 >= self.line_index.line_count() {
            return "";
        }
        let start = self.line_index.line_start(line0) as usize;
        let end = if line0 + 1 < self.line_index.line_count() {
            self.line_index.line_start(line0 + 1) as usize
        } else {
            text.len()
        };
        let line = text.get(start..end).unwrap_or("");
        line.strip_suffix('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .unwrap_or(line)
    }

    /// The reported path, with forward slashes.
    pub fn display_path(&self) -> String {
        self.source.display_path()
    }
}

/// What gets printed: the linted files and the rules that were selected (SARIF lists them).
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    pub files: &'a [LintedFile],
    pub rules: &'a [&'static Rule],
    /// The paths that could not be linted (missing, unreadable, not a regular file, binary,
    /// too large, an internal fault) and why. Every format says how many there are, so that a
    /// report with no findings never reads as a clean result when something was not linted.
    pub not_linted: &'a [FileError],
}

impl<'a> Report<'a> {
    pub fn new(files: &'a [LintedFile], rules: &'a [&'static Rule]) -> Self {
        Report {
            files,
            rules,
            not_linted: &[],
        }
    }

    /// The same report, with the paths that could not be linted.
    pub fn with_not_linted(self, not_linted: &'a [FileError]) -> Self {
        Report { not_linted, ..self }
    }

    /// Every diagnostic with the file it belongs to, in report order.
    pub fn diagnostics(&self) -> impl Iterator<Item = (&'a LintedFile, &'a Diagnostic)> + 'a {
        self.files
            .iter()
            .flat_map(|f| f.diagnostics.iter().map(move |d| (f, d)))
    }

    /// How many diagnostics there are of each severity, and how many carry a fix.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for (_, d) in self.diagnostics() {
            match d.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
                Severity::Style => counts.styles += 1,
            }
            match d.fix.as_ref().map(|f| f.applicability) {
                Some(crate::diagnostic::Applicability::Safe) => counts.fixable += 1,
                Some(_) => counts.unsafe_fixable += 1,
                None => {}
            }
        }
        counts
    }

    /// The linted file a path names, compared as given and then as displayed.
    pub fn file(&self, path: &Path) -> Option<&'a LintedFile> {
        self.files
            .iter()
            .find(|f| f.source.path == path)
            .or_else(|| {
                let wanted = display_path(path);
                self.files.iter().find(|f| f.display_path() == wanted)
            })
    }

    /// Where a related location points: its file's reported path and, when that file is part
    /// of the report, the file itself and the positions of the span.
    pub(crate) fn resolve_related(
        &self,
        owner: &'a LintedFile,
        related: &Related,
    ) -> ResolvedRelated<'a> {
        let file = match &related.file {
            None => Some(owner),
            Some(p) if *p == owner.source.path => Some(owner),
            Some(p) => self.file(p),
        };
        let path = match (&related.file, file) {
            (_, Some(f)) => f.display_path(),
            (Some(p), None) => display_path(p),
            (None, None) => owner.display_path(),
        };
        ResolvedRelated {
            path,
            range: file.map(|f| f.range(related.span)),
            file,
        }
    }
}

/// A related location, resolved against the report.
pub(crate) struct ResolvedRelated<'a> {
    pub path: String,
    /// `None` when the file is not part of the report (its text is unknown).
    pub file: Option<&'a LintedFile>,
    pub range: Option<(LineCol, LineCol)>,
}

/// Diagnostic counts by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub styles: usize,
    /// Diagnostics that carry a safe fix (`--fix` applies it).
    pub fixable: usize,
    /// Diagnostics that carry an unsafe fix (only `--unsafe-fixes` applies it).
    pub unsafe_fixable: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos + self.styles
    }
}

/// The closing line of the text formats: `All checks passed!` or
/// `Found 4 problems (1 error, 2 warnings, 1 info); 1 fixable with --fix.` (no trailing newline).
pub fn summary(report: &Report<'_>) -> String {
    let c = report.counts();
    let total = c.total();
    let failed = report.not_linted.len();
    if failed > 0 {
        let mut out = if total == 0 {
            "No problems found in the files linted".to_string()
        } else {
            problems(&c)
        };
        out.push_str(&format!("; {}.", not_linted_text(failed)));
        return out;
    }
    if total == 0 {
        return "All checks passed!".to_string();
    }
    let mut out = problems(&c);
    out.push('.');
    out
}

/// `1 file could not be linted`, `3 files could not be linted`.
pub fn not_linted_text(n: usize) -> String {
    format!(
        "{n} {} could not be linted",
        if n == 1 { "file" } else { "files" }
    )
}

/// `Found 4 problems (1 error, 2 warnings, 1 info); 1 fixable with --fix`.
fn problems(c: &Counts) -> String {
    let total = c.total();
    let mut parts = Vec::new();
    let mut part = |n: usize, one: &str, many: &str| {
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    };
    part(c.errors, "error", "errors");
    part(c.warnings, "warning", "warnings");
    part(c.infos, "info", "info");
    part(c.styles, "style", "style");
    let mut out = format!(
        "Found {total} {} ({})",
        if total == 1 { "problem" } else { "problems" },
        parts.join(", ")
    );
    match (c.fixable, c.unsafe_fixable) {
        (0, 0) => {}
        (safe, 0) => out.push_str(&format!("; {safe} fixable with --fix")),
        (0, risky) => out.push_str(&format!("; {risky} fixable with --unsafe-fixes")),
        (safe, risky) => out.push_str(&format!(
            "; {safe} fixable with --fix, {risky} more with --unsafe-fixes"
        )),
    }
    out
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
#[value(rename_all = "lower")]
pub enum Format {
    /// Rich reports with source snippets (miette).
    #[default]
    Human,
    /// The stable JSON contract: one array of findings.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other tools.
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    /// Checkstyle XML.
    Checkstyle,
    /// JUnit XML test report.
    Junit,
    /// GNU-style `file:line:col: severity: message [CODE]`.
    Gnu,
    /// One line per finding: `file:line:col: CODE message`.
    Concise,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Gitlab,
        Format::Checkstyle,
        Format::Junit,
        Format::Gnu,
        Format::Concise,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Gitlab => "gitlab",
            Format::Checkstyle => "checkstyle",
            Format::Junit => "junit",
            Format::Gnu => "gnu",
            Format::Concise => "concise",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown output format `{}` (expected one of:", self.0)?;
        for (i, format) in Format::ALL.iter().enumerate() {
            write!(f, "{}{}", if i == 0 { " " } else { ", " }, format.as_str())?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Parses a format name, ignoring ASCII case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// How to render. The CLI decides `color` (a terminal, and `NO_COLOR` unset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputOptions {
    /// ANSI colours in the `human` and `concise` formats.
    pub color: bool,
    /// `human`: show the edits of each fix as removed/added lines, not only its description.
    pub show_fixes: bool,
    /// `human` and `concise`: leave out the summary line.
    pub quiet: bool,
    /// `human`: the width text is wrapped to.
    pub width: usize,
    /// `sarif`: the absolute directory relative paths are resolved against (`%SRCROOT%`).
    /// When `None` the base is described but left for the consumer to supply.
    pub srcroot: Option<PathBuf>,
}

impl Default for OutputOptions {
    fn default() -> Self {
        OutputOptions {
            color: false,
            show_fixes: false,
            quiet: false,
            width: 100,
            srcroot: None,
        }
    }
}

/// Renders `report` in `format` to `w`.
pub fn write(
    format: Format,
    report: &Report<'_>,
    opts: &OutputOptions,
    w: &mut dyn io::Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, opts, w),
        Format::Json => json::write(report, w),
        Format::Sarif => sarif::write(report, opts, w),
        Format::Github => github::write(report, w),
        Format::Gitlab => gitlab::write(report, w),
        Format::Checkstyle => checkstyle::write(report, w),
        Format::Junit => junit::write(report, w),
        Format::Gnu => gnu::write(report, w),
        Format::Concise => concise::write(report, opts, w),
    }
}

/// A path as every format prints it: forward slashes, no leading `./`.
pub(crate) fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    s.replace('\\', "/")
}

/// Whether a character must not reach a terminal as is: C0 and C1 control characters (but tab
/// and line feed), DEL, and the bidirectional overrides and isolates that can reorder what is
/// shown ("Trojan Source").
pub(crate) fn is_unsafe_char(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// How an unsafe character is shown: `\x1b`, `\u{202e}`; a carriage return stays `\r`.
pub(crate) fn escape_char(c: char, out: &mut String) {
    match c {
        '\r' => out.push_str("\\r"),
        c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
        c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
    }
}

/// Text from a linted file (or its name) made safe for a terminal: escape sequences, control
/// characters and bidirectional overrides are shown escaped instead of being interpreted.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    escape_chars(s, is_unsafe_char)
}

/// `s` with the characters `unsafe_char` picks escaped ([`escape_char`]).
fn escape_chars(s: &str, unsafe_char: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(&unsafe_char) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            escape_char(c, &mut out);
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// [`terminal_safe`], but line breaks (`\r`, `\n`) are kept for the format to encode.
pub(crate) fn terminal_safe_keep_lines(s: &str) -> std::borrow::Cow<'_, str> {
    escape_chars(s, |c| is_unsafe_char(c) && c != '\r')
}

/// FNV-1a, 64 bits: a small, stable, dependency-free hash for fingerprints. Parts are
/// separated by a zero byte so that `("ab", "c")` and `("a", "bc")` differ.
pub(crate) fn fnv1a64(parts: &[&[u8]]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // The separator, a zero byte: the xor is a no-op, only the multiply remains.
            hash = hash.wrapping_mul(PRIME);
        }
        for &b in *part {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

/// A location-independent identity of each diagnostic of a file, for fingerprints that survive
/// lines being added above a finding: the hash of the code, the path and the trimmed text of
/// the diagnostic's first line, and the 1-based occurrence of that hash in the file.
pub(crate) fn line_fingerprints(file: &LintedFile) -> Vec<(u64, u32)> {
    let path = file.display_path();
    let mut seen: HashMap<u64, u32> = HashMap::new();
    // Each line is hashed once, however many findings it has: a megabyte-long line with a
    // thousand findings costs one pass, not a thousand.
    let mut line_hashes: HashMap<(u32, &str), u64> = HashMap::new();
    file.diagnostics
        .iter()
        .map(|d| {
            let line0 = file
                .line_index
                .line_of(d.span.start.min(file.source.text.len() as u32));
            let hash = *line_hashes
                .entry((line0 as u32, d.code))
                .or_insert_with(|| {
                    let line = file.line_text(line0 as u32 + 1).trim();
                    fnv1a64(&[d.code.as_bytes(), path.as_bytes(), line.as_bytes()])
                });
            let n = seen.entry(hash).or_insert(0);
            *n += 1;
            (hash, *n)
        })
        .collect()
}

/// Escapes text for XML. In attributes, line breaks and tabs become character references so
/// that parsers keep them; characters XML 1.0 cannot carry become U+FFFD.
pub(crate) fn xml_escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' => out.push(c),
            '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'.. => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// The severity word the XML formats and GNU use: `info` and `style` are both informational.
pub(crate) fn xml_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "info",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
            assert_eq!(
                <Format as clap::ValueEnum>::to_possible_value(&f)
                    .map(|v| v.get_name().to_string()),
                Some(f.as_str().to_string())
            );
        }
        assert_eq!("SARIF".parse::<Format>(), Ok(Format::Sarif));
        let err = "xml".parse::<Format>().unwrap_err().to_string();
        assert!(err.contains("`xml`") && err.contains("checkstyle"), "{err}");
    }

    #[test]
    fn xml_escaping() {
        assert_eq!(
            xml_escape("a<b>&\"'\n\u{1}", true),
            "a&lt;b&gt;&amp;&quot;&apos;&#10;\u{FFFD}"
        );
        assert_eq!(xml_escape("a\"\n", false), "a\"\n");
    }

    #[test]
    fn fnv_is_the_reference_algorithm() {
        // Reference values of FNV-1a 64.
        assert_eq!(fnv1a64(&[b""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(&[b"a"]), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fnv1a64(&[b"ab", b"c"]), fnv1a64(&[b"a", b"bc"]));
    }

    #[test]
    fn terminal_escapes() {
        assert_eq!(terminal_safe("plain é\tx"), "plain é\tx");
        assert_eq!(
            terminal_safe("a\x1b[31mred\u{7}\u{9b}\u{202e}"),
            "a\\x1b[31mred\\x07\\u{9b}\\u{202e}"
        );
    }

    #[test]
    fn line_text_strips_terminators() {
        let f = LintedFile::new(
            SourceFile::new("x", "a\r\nb\nc", crate::source::FileKind::Dockerfile),
            vec![],
        );
        assert_eq!(f.line_text(1), "a");
        assert_eq!(f.line_text(2), "b");
        assert_eq!(f.line_text(3), "c");
        assert_eq!(f.line_text(4), "");
        assert_eq!(f.line_text(0), "a");
    }
}
