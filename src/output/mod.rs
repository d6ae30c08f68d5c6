//! Output formats (temporary minimal version: concise and json).

use crate::diagnostic::Diagnostic;
use crate::rule::Rule;
use crate::source::{LineIndex, SourceFile};

/// A linted file with its sorted diagnostics.
pub struct LintedFile {
    pub source: SourceFile,
    pub line_index: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything one run found.
pub struct Report<'a> {
    pub files: &'a [LintedFile],
    pub rules: &'a [&'static Rule],
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Concise,
}

/// Options of the writers.
#[derive(Clone, Debug, Default)]
pub struct OutputOptions {
    pub color: bool,
}

/// Writes a report.
pub fn write(
    format: Format,
    report: &Report,
    _opts: &OutputOptions,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            let mut arr = Vec::new();
            for f in report.files {
                for d in &f.diagnostics {
                    let s = f.line_index.line_col(&f.source.text, d.span.start);
                    let e = f.line_index.line_col(&f.source.text, d.span.end);
                    let mut o = serde_json::json!({
                        "code": d.code, "name": d.name, "severity": d.severity,
                        "file": f.source.display_path(), "line": s.line, "column": s.column,
                        "end_line": e.line, "end_column": e.column, "message": d.message,
                    });
                    if let Some(h) = &d.help {
                        o["help"] = h.clone().into();
                    }
                    arr.push(o);
                }
            }
            serde_json::to_writer_pretty(&mut *w, &arr)?;
            writeln!(w)
        }
        Format::Human | Format::Concise => {
            for f in report.files {
                for d in &f.diagnostics {
                    let s = f.line_index.line_col(&f.source.text, d.span.start);
                    writeln!(
                        w,
                        "{}:{}:{}: {} {}",
                        f.source.display_path(),
                        s.line,
                        s.column,
                        d.code,
                        d.message
                    )?;
                }
            }
            Ok(())
        }
    }
}
