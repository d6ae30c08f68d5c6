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

use super::{LintedFile, OutputOptions, Report, summary, terminal_safe};
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

/// The lines of context miette shows around a label; the excerpt holds at least these.
const CONTEXT_LINES: usize = 1;

/// A window of a file's text around the spans of one report, made safe for a terminal, with
/// the map from file offsets to window offsets. miette scans the text it is given from the
/// start for every report, so handing it the whole file would cost findings × file size; the
/// window keeps rendering linear in the output.
#[derive(Debug)]
struct Excerpt {
    /// The escaped text of whole lines.
    text: String,
    /// The file offset the window starts at, and its 0-based line.
    start: usize,
    first_line: usize,
    /// The characters replaced (escaped, or a byte order mark dropped), in order.
    shifts: Vec<Replaced>,
}

/// One replaced character: where it was in the file and where its replacement is.
#[derive(Debug)]
struct Replaced {
    file: std::ops::Range<usize>,
    window: std::ops::Range<usize>,
}

impl Excerpt {
    /// The window of `file` that covers `spans` and the context lines around them.
    fn new(file: &LintedFile, spans: &[Span]) -> Excerpt {
        let text: &str = &file.source.text;
        let index = &file.line_index;
        let lo = spans.iter().map(|s| s.start).min().unwrap_or(0);
        let hi = spans.iter().map(|s| s.end).max().unwrap_or(0);
        let first_line = index
            .line_of(lo.min(text.len() as u32))
            .saturating_sub(CONTEXT_LINES);
        let last_line = index.line_of(hi.min(text.len() as u32)) + CONTEXT_LINES + 1;
        let start = index.line_start(first_line) as usize;
        let end = if last_line < index.line_count() {
            index.line_start(last_line) as usize
        } else {
            text.len()
        };
        let window = &text[start..end.max(start)];
        // Most windows are printable ASCII, tabs and line feeds: nothing to replace.
        if window
            .bytes()
            .all(|b| matches!(b, b' '..=b'~' | b'\t' | b'\n'))
        {
            return Excerpt {
                text: window.to_string(),
                start,
                first_line,
                shifts: Vec::new(),
            };
        }
        let mut out = String::with_capacity(window.len());
        let mut shifts = Vec::new();
        let mut chars = window.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let crlf = c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n');
            let bom = c == '\u{feff}' && start + i == 0;
            let from = out.len();
            if bom {
                // Not a column, and nothing to show.
            } else if super::is_unsafe_char(c) && !crlf {
                super::escape_char(c, &mut out);
            } else {
                out.push(c);
                continue;
            }
            shifts.push(Replaced {
                file: start + i..start + i + c.len_utf8(),
                window: from..out.len(),
            });
        }
        Excerpt {
            text: out,
            start,
            first_line,
            shifts,
        }
    }

    /// The window offset of a file offset (an offset inside a replaced character maps to the
    /// start of its replacement).
    fn map(&self, offset: usize) -> usize {
        let offset = offset.max(self.start);
        let i = self.shifts.partition_point(|r| r.file.start <= offset);
        let mapped = match i.checked_sub(1).map(|j| &self.shifts[j]) {
            None => offset - self.start,
            Some(r) if offset < r.file.end => r.window.start,
            Some(r) => r.window.end + (offset - r.file.end),
        };
        mapped.min(self.text.len())
    }

    /// A file span as miette's span in the window.
    fn span(&self, span: Span, file_text: &str) -> SourceSpan {
        let fit = |offset: u32| {
            let mut o = (offset as usize).min(file_text.len());
            while !file_text.is_char_boundary(o) {
                o -= 1;
            }
            o
        };
        let start = self.map(fit(span.start));
        let end = self.map(fit(span.end)).max(start);
        SourceSpan::from((start, end - start))
    }
}

/// A file's text as miette reads it: an [`Excerpt`], with the file's name in the snippet
/// header when it is not the diagnostic's own file (`╭─[compose.yaml:4:7]`), and with columns
/// counted in characters like everywhere else in wharf (miette counts bytes).
#[derive(Debug)]
struct Source {
    name: Option<String>,
    excerpt: Excerpt,
}

impl SourceCode for Source {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let text = self.excerpt.text.as_str();
        let inner = text.read_span(span, context_lines_before, context_lines_after)?;
        let offset = span.offset().min(text.len());
        let line_start = text
            .get(..offset)
            .map_or(0, |before| before.rfind('\n').map_or(0, |i| i + 1));
        let column = text
            .get(line_start..offset)
            .map_or(inner.column(), |s| s.chars().count());
        let line = inner.line() + self.excerpt.first_line;
        let contents = match &self.name {
            Some(name) => MietteSpanContents::new_named(
                name.clone(),
                inner.data(),
                *inner.span(),
                line,
                column,
                inner.line_count(),
            ),
            None => MietteSpanContents::new(
                inner.data(),
                *inner.span(),
                line,
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
struct RelatedNote {
    message: String,
    source: Option<Source>,
    span: SourceSpan,
}

impl fmt::Display for RelatedNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RelatedNote {}

impl miette::Diagnostic for RelatedNote {
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
struct Rendered {
    /// What miette prints after the severity icon.
    title: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Source,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedNote>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
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

fn to_miette<'a>(report: &Report<'a>, file: &'a LintedFile, d: &'a Diagnostic) -> Rendered {
    let text: &str = &file.source.text;
    // The labels in this file, then the notes about other files.
    let mut here = vec![(d.span, None)];
    let mut related = Vec::new();
    for r in &d.related {
        let resolved = report.resolve_related(file, r);
        let message = terminal_safe(&r.message).into_owned();
        match resolved.file {
            Some(f) if std::ptr::eq(f, file) => here.push((r.span, Some(message))),
            Some(f) => {
                let excerpt = Excerpt::new(f, &[r.span]);
                related.push(RelatedNote {
                    message: format!("note: {message}"),
                    span: excerpt.span(r.span, &f.source.text),
                    source: Some(Source {
                        name: Some(terminal_safe(&resolved.path).into_owned()),
                        excerpt,
                    }),
                })
            }
            None => related.push(RelatedNote {
                message: format!("note: {}: {message}", terminal_safe(&resolved.path)),
                span: SourceSpan::from((0, 0)),
                source: None,
            }),
        }
    }
    let spans: Vec<Span> = here.iter().map(|(s, _)| *s).collect();
    let excerpt = Excerpt::new(file, &spans);
    let labels = here
        .into_iter()
        .enumerate()
        .map(|(i, (span, message))| {
            let at = excerpt.span(span, text);
            if i == 0 {
                LabeledSpan::new_primary_with_span(message, at)
            } else {
                LabeledSpan::new_with_span(message, at)
            }
        })
        .collect();
    Rendered {
        title: format!("{}[{}]", d.severity.as_str(), d.name),
        severity: miette_severity(d.severity),
        help: d.help.as_deref().map(|h| terminal_safe(h).into_owned()),
        source: Source {
            name: None,
            excerpt,
        },
        labels,
        related,
    }
}

/// The width miette lays the report out in (at least 40 columns).
fn line_width(opts: &OutputOptions) -> usize {
    opts.width.max(40)
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
        .with_width(line_width(opts))
        .without_syntax_highlighting();
    if with_location {
        handler
    } else {
        handler.without_primary_span_start()
    }
}

/// A finding's report and its notes about other files, as miette renders them (the plain
/// message and help when miette cannot read a snippet).
fn render(
    rendered: &Rendered,
    main: &GraphicalReportHandler,
    note: &GraphicalReportHandler,
) -> String {
    let mut out = String::new();
    if main.render_report(&mut out, rendered).is_err() {
        out.clear();
        out.push_str(&format!("  {}\n", rendered.title));
        if let Some(help) = &rendered.help {
            out.push_str(&format!("  help: {help}\n"));
        }
    }
    for n in &rendered.related {
        let start = out.len();
        if note.render_report(&mut out, n).is_err() {
            out.truncate(start);
            out.push_str(&format!("  {n}\n"));
        }
    }
    out
}

/// Whether miette would print `text` on one line as it is, wrapping or not: plain ASCII (one
/// column a byte) with no leading, trailing or doubled space (which textwrap would trim), and
/// short enough that its longest indent (`  help: `, 8 columns) and miette's margin (2) leave
/// room, with 4 columns to spare.
fn fits_unwrapped(text: &str, width: usize) -> bool {
    text.len() + 14 <= width
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && text.bytes().all(|b| b == b' ' || b.is_ascii_graphic())
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
        terminal_safe(&fix.message)
    )?;
    if opts.show_fixes {
        let (before, after) = crate::fix::preview(&file.source.text, fix);
        for line in before.lines() {
            writeln!(
                w,
                "    {}",
                paint(
                    opts.color,
                    style::RED,
                    &format!("- {}", terminal_safe(line))
                )
            )?;
        }
        for line in after.lines() {
            writeln!(
                w,
                "    {}",
                paint(
                    opts.color,
                    style::GREEN,
                    &format!("+ {}", terminal_safe(line))
                )
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
    // The same handlers without line wrapping, for findings whose texts all fit on their
    // lines: wrapping (textwrap) is most of miette's time, and it would leave such a text as
    // it is anyway.
    let main_unwrapped = handler(opts, false).with_wrap_lines(false);
    let note_unwrapped = handler(opts, true).with_wrap_lines(false);
    let width = line_width(opts);
    for file in report.files {
        let path = terminal_safe(&file.display_path()).into_owned();
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
                terminal_safe(&super::gnu::one_line(&d.message))
            )?;
            let rendered = to_miette(report, file, d);
            let fits = fits_unwrapped(&rendered.title, width)
                && rendered
                    .help
                    .as_deref()
                    .is_none_or(|h| fits_unwrapped(h, width))
                && rendered
                    .related
                    .iter()
                    .all(|n| fits_unwrapped(&n.message, width));
            let out = if fits {
                render(&rendered, &main_unwrapped, &note_unwrapped)
            } else {
                render(&rendered, &main_handler, &note_handler)
            };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileKind, SourceFile};

    fn file(text: &str) -> LintedFile {
        LintedFile::new(
            SourceFile::new("Dockerfile", text, FileKind::Dockerfile),
            vec![],
        )
    }

    #[test]
    fn excerpt_is_a_window_with_escapes_mapped() {
        let mut text = "# filler\n".repeat(1000);
        let line = text.len();
        text.push_str("CMD \x1b[31m curl\nUSER app\n# after\n# far\n");
        let f = file(&text);
        let at = (line + text[line..].find("curl").unwrap()) as u32;
        let e = Excerpt::new(&f, &[Span::new(at, at + 4)]);
        // One line of context each side, not the whole file.
        assert_eq!(e.text, "# filler\nCMD \\x1b[31m curl\nUSER app\n");
        assert_eq!(e.first_line, 999);
        let s = e.span(Span::new(at, at + 4), &text);
        assert_eq!(&e.text[s.offset()..s.offset() + s.len()], "curl");
        // An offset inside nothing special maps one to one; the escape shifts what follows.
        let esc = (line + 4) as u32;
        let s = e.span(Span::new(esc, esc + 1), &text);
        assert_eq!(&e.text[s.offset()..s.offset() + s.len()], "\\x1b");
    }

    #[test]
    fn findings_that_fit_render_the_same_unwrapped() {
        let text = "FROM alpine\nRUN apt-get install curl\nUSER root\n";
        let other = LintedFile::new(
            SourceFile::new(
                "compose.yaml",
                "services:\n  app:\n    build: .\n",
                FileKind::Compose,
            ),
            vec![],
        );
        let (xs, words) = ("x".repeat(85), "word ".repeat(17));
        let helps = [
            "pin the version you tested: `curl=<version>`",
            "use `--no-install-recommends` (or `-o APT::Install-Recommends=false`), it keeps the image small",
            "a, b; c: d! (e) [f] {g} <h> 'i' \"j\" #k $l %m &n *o +p /q =r ?s @t ^u _v |w ~x",
            &xs,
            words.trim_end(),
        ];
        for color in [false, true] {
            let opts = OutputOptions {
                color,
                ..OutputOptions::default()
            };
            let width = line_width(&opts);
            for help in helps {
                let d = Diagnostic {
                    file: Default::default(),
                    code: "DL3008",
                    name: "apt-get-install-unpinned",
                    severity: crate::diagnostic::Severity::Warning,
                    span: Span::new(12, 35),
                    message: "`curl` is not pinned to a version".into(),
                    help: Some(help.to_string().into()),
                    fix: None,
                    related: vec![
                        crate::diagnostic::Related {
                            file_id: Default::default(),
                            file: None,
                            span: Span::new(36, 45),
                            message: "the user here".into(),
                        },
                        crate::diagnostic::Related {
                            file_id: Default::default(),
                            file: Some("compose.yaml".into()),
                            span: Span::new(19, 29),
                            message: help.to_string(),
                        },
                    ],
                };
                let files = [
                    LintedFile::new(
                        SourceFile::new("Dockerfile", text, FileKind::Dockerfile),
                        vec![d],
                    ),
                    other.clone(),
                ];
                let report = Report::new(&files, &[]);
                let rendered = to_miette(&report, &files[0], &files[0].diagnostics[0]);
                assert!(fits_unwrapped(&rendered.title, width));
                if !fits_unwrapped(help, width) {
                    assert!(help.len() + 14 > width, "{help:?} should fit");
                    continue;
                }
                let wrapped = render(&rendered, &handler(&opts, false), &handler(&opts, true));
                let unwrapped = render(
                    &rendered,
                    &handler(&opts, false).with_wrap_lines(false),
                    &handler(&opts, true).with_wrap_lines(false),
                );
                assert!(wrapped.contains("help:"), "{wrapped}");
                assert_eq!(unwrapped, wrapped, "color {color}, help {help:?}");
            }
            // The two handlers do differ where a text is too long for its line.
            let long = Rendered {
                help: Some("word ".repeat(30)),
                ..to_miette(
                    &Report::new(std::slice::from_ref(&other), &[]),
                    &other,
                    &Diagnostic {
                        file: Default::default(),
                        code: "DC000",
                        name: "x",
                        severity: crate::diagnostic::Severity::Info,
                        span: Span::new(0, 8),
                        message: "x".into(),
                        help: None,
                        fix: None,
                        related: Vec::new(),
                    },
                )
            };
            assert_ne!(
                render(&long, &handler(&opts, false), &handler(&opts, true)),
                render(
                    &long,
                    &handler(&opts, false).with_wrap_lines(false),
                    &handler(&opts, true).with_wrap_lines(false)
                )
            );
        }
    }

    #[test]
    fn a_plain_excerpt_is_the_lines_as_they_are() {
        let text = "FROM a\n\tRUN b ~\nUSER c\nCMD d\n";
        let f = file(text);
        let at = text.find("RUN").unwrap() as u32;
        let e = Excerpt::new(&f, &[Span::new(at, at + 3)]);
        assert_eq!(e.text, "FROM a\n\tRUN b ~\nUSER c\n");
        assert!(e.shifts.is_empty());
        let s = e.span(Span::new(at, at + 3), text);
        assert_eq!(&e.text[s.offset()..s.offset() + s.len()], "RUN");
    }

    #[test]
    fn excerpt_drops_the_bom_and_keeps_crlf() {
        let text = "\u{feff}FROM a\r\nRUN b\r\n";
        let f = file(text);
        let e = Excerpt::new(&f, &[Span::new(3, 7)]);
        assert_eq!(e.text, "FROM a\r\nRUN b\r\n");
        let s = e.span(Span::new(3, 7), text);
        assert_eq!((s.offset(), s.len()), (0, 4));
    }
}
