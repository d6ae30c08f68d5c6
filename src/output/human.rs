//! The `human` format: one rich report per diagnostic, rendered by miette, then a summary.
//!
//! ```text
//! app/Dockerfile:3:5: DL3008 Pin versions in apt-get install
//!   ⚠ warning[apt-get-unpinned]
//!    ╭────
//!  2 │ FROM debian:12
//!  3 │ RUN apt-get install curl
//!    ·     ────────────────────
//!  4 │ USER app
//!    ╰────
//!   help: Pin each package: `curl=<version>`
//!   fix (unsafe): Pin the versions installed today
//! ```
//!
//! The first line is the same as the `concise` format's, so it stays greppable and editors can
//! jump to it. miette draws the rest: the severity (`×` error, `⚠` warning, `☞` info and style)
//! with the rule's name, the snippet with the span underlined and same-file related locations
//! labelled, the help, and related locations in other files with their own snippet. A fix is
//! described on a last line; with `show_fixes`, its edits follow as removed and added lines.
//!
//! Colour only when [`OutputOptions::color`] says so; without it the output is plain unicode
//! and fully deterministic (the width is fixed by [`OutputOptions::width`]).

use super::{LintedFile, OutputOptions, Report, summary};
use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::source::Span;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io;

/// ANSI styles of the text formats' own lines (miette styles its part itself).
pub(super) mod style {
    use crate::diagnostic::Severity;

    pub const BOLD: &str = "\x1b[1m";
    pub const DIM: &str = "\x1b[2m";
    pub const RED: &str = "\x1b[1;31m";
    pub const YELLOW: &str = "\x1b[1;33m";
    pub const CYAN: &str = "\x1b[1;36m";
    pub const GREEN: &str = "\x1b[32m";
    pub const RESET: &str = "\x1b[0m";

    /// The colour of a severity, matching miette's theme.
    pub fn severity(severity: Severity) -> &'static str {
        match severity {
            Severity::Error => RED,
            Severity::Warning => YELLOW,
            Severity::Info | Severity::Style => CYAN,
        }
    }
}

/// `text` in `style` when colour is on.
pub(super) fn paint(color: bool, style: &str, text: &str) -> String {
    if color {
        format!("{style}{text}{}", style::RESET)
    } else {
        text.to_string()
    }
}

/// A span made safe for miette: inside the text and on character boundaries.
fn clamp(span: Span, text: &str) -> SourceSpan {
    let fit = |offset: u32| {
        let mut o = (offset as usize).min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    };
    let start = fit(span.start);
    let end = fit(span.end).max(start);
    SourceSpan::from((start, end - start))
}

/// A file's text as miette reads it: with the file's name in the snippet header when it is not
/// the diagnostic's own file (`╭─[compose.yaml:4:7]`), and with columns counted in characters
/// like everywhere else in wharf (miette counts bytes).
#[derive(Debug)]
struct Source<'a> {
    name: Option<String>,
    text: &'a str,
}

impl SourceCode for Source<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let offset = inner.span().offset();
        let line_start = self
            .text
            .get(..offset)
            .map_or(0, |before| before.rfind('\n').map_or(0, |i| i + 1));
        let column = self
            .text
            .get(line_start..offset)
            .map_or(inner.column(), |s| s.chars().count());
        let contents = match &self.name {
            Some(name) => MietteSpanContents::new_named(
                name.clone(),
                inner.data(),
                *inner.span(),
                inner.line(),
                column,
                inner.line_count(),
            ),
            None => MietteSpanContents::new(
                inner.data(),
                *inner.span(),
                inner.line(),
                column,
                inner.line_count(),
            ),
        };
        Ok(Box::new(contents))
    }
}

/// A related location in another file, rendered by miette after the main report, with its own
/// snippet when the file is part of the report.
#[derive(Debug)]
struct RelatedNote<'a> {
    message: String,
    source: Option<Source<'a>>,
    span: SourceSpan,
}

impl fmt::Display for RelatedNote<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RelatedNote<'_> {}

impl miette::Diagnostic for RelatedNote<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            None, self.span,
        ))))
    }
}

/// One diagnostic as miette sees it.
#[derive(Debug)]
struct Rendered<'a> {
    /// What miette prints after the severity icon.
    title: String,
    severity: miette::Severity,
    help: Option<&'a str>,
    source: Source<'a>,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedNote<'a>>,
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

fn miette_severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info | Severity::Style => miette::Severity::Advice,
    }
}

fn to_miette<'a>(report: &Report<'a>, file: &'a LintedFile, d: &'a Diagnostic) -> Rendered<'a> {
    let text = file.source.text.as_str();
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        None,
        clamp(d.span, text),
    )];
    let mut related = Vec::new();
    for r in &d.related {
        let resolved = report.resolve_related(file, r);
        match resolved.file {
            Some(f) if std::ptr::eq(f, file) => {
                labels.push(LabeledSpan::new_with_span(
                    Some(r.message.clone()),
                    clamp(r.span, text),
                ));
            }
            Some(f) => related.push(RelatedNote {
                message: format!("note: {}", r.message),
                span: clamp(r.span, &f.source.text),
                source: Some(Source {
                    name: Some(resolved.path),
                    text: &f.source.text,
                }),
            }),
            None => related.push(RelatedNote {
                message: format!("note: {}: {}", resolved.path, r.message),
                span: SourceSpan::from((0, 0)),
                source: None,
            }),
        }
    }
    Rendered {
        title: format!("{}[{}]", d.severity.as_str(), d.name),
        severity: miette_severity(d.severity),
        help: d.help.as_deref(),
        source: Source { name: None, text },
        labels,
        related,
    }
}

/// The miette handler. The main report's snippet header stays bare (`╭────`): the line above it
/// already names the file, line and column. Notes about other files name theirs
/// (`╭─[app/Dockerfile:1:6]`).
fn handler(opts: &OutputOptions, with_location: bool) -> GraphicalReportHandler {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(opts.width.max(40))
        .without_syntax_highlighting();
    if with_location {
        handler
    } else {
        handler.without_primary_span_start()
    }
}

fn write_fix(
    file: &LintedFile,
    fix: &Fix,
    opts: &OutputOptions,
    w: &mut dyn io::Write,
) -> io::Result<()> {
    let applicability = match fix.applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
    };
    writeln!(
        w,
        "  {} {}",
        paint(opts.color, style::GREEN, &format!("fix ({applicability}):")),
        fix.message
    )?;
    if opts.show_fixes {
        let (before, after) = crate::fix::preview(&file.source.text, fix);
        for line in before.lines() {
            writeln!(
                w,
                "    {}",
                paint(opts.color, style::RED, &format!("- {line}"))
            )?;
        }
        for line in after.lines() {
            writeln!(
                w,
                "    {}",
                paint(opts.color, style::GREEN, &format!("+ {line}"))
            )?;
        }
    }
    Ok(())
}

pub(super) fn write(
    report: &Report<'_>,
    opts: &OutputOptions,
    w: &mut dyn io::Write,
) -> io::Result<()> {
    let main_handler = handler(opts, false);
    let note_handler = handler(opts, true);
    for file in report.files {
        let path = file.display_path();
        for d in &file.diagnostics {
            let (start, _) = file.range(d.span);
            writeln!(
                w,
                "{}{} {} {}",
                paint(opts.color, style::BOLD, &path),
                paint(
                    opts.color,
                    style::DIM,
                    &format!(":{}:{}:", start.line, start.column)
                ),
                paint(opts.color, style::severity(d.severity), d.code),
                super::gnu::one_line(&d.message)
            )?;
            let rendered = to_miette(report, file, d);
            let mut out = String::new();
            if main_handler.render_report(&mut out, &rendered).is_err() {
                // miette could not read the snippet: fall back to the plain message and help.
                out.clear();
                out.push_str(&format!("  {}\n", rendered.title));
                if let Some(help) = &d.help {
                    out.push_str(&format!("  help: {help}\n"));
                }
            }
            for note in &rendered.related {
                let start = out.len();
                if note_handler.render_report(&mut out, note).is_err() {
                    out.truncate(start);
                    out.push_str(&format!("  {note}\n"));
                }
            }
            w.write_all(out.trim_end().as_bytes())?;
            writeln!(w)?;
            if let Some(fix) = &d.fix {
                write_fix(file, fix, opts, w)?;
            }
            writeln!(w)?;
        }
    }
    if !opts.quiet {
        let line = summary(report);
        let style = if report.counts().total() == 0 {
            style::GREEN
        } else {
            style::BOLD
        };
        writeln!(w, "{}", paint(opts.color, style, &line))?;
    }
    Ok(())
}
