//! The `json` format: wharf's stable machine-readable contract.
//!
//! The output is one pretty-printed JSON array (`[]` when there is nothing to report), with one
//! object per diagnostic, in report order (files in the order linted, diagnostics sorted by
//! position). Keys always appear in the order below. Lines and columns are 1-based; columns
//! count Unicode scalar values; an end position points just past the last character.
//!
//! ```json
//! {
//!   "code": "DL3008",                  // the rule's code
//!   "name": "apt-get-unpinned",        // the rule's kebab-case name
//!   "severity": "warning",             // "error" | "warning" | "info" | "style"
//!   "file": "app/Dockerfile",          // the path as discovered or given, forward slashes
//!   "line": 3, "column": 5, "end_line": 3, "end_column": 29,
//!   "message": "…",
//!   "help": "…",                       // only when the rule gives help
//!   "fix": {                           // only when the finding has a fix
//!     "message": "…",
//!     "applicability": "safe",         // "safe" | "unsafe"
//!     "edits": [ { "content": "…", "line": 3, "column": 5, "end_line": 3, "end_column": 12 } ]
//!   },
//!   "related": [                       // only when there are secondary locations
//!     { "file": "compose.yaml", "line": 4, "column": 7, "end_line": 4, "end_column": 12,
//!       "message": "…" }
//!   ]
//! }
//! ```
//!
//! An edit replaces the text between its start and end positions with `content`; an edit whose
//! start equals its end is an insertion. A related location in a file that is not part of the
//! report (so its text is unknown) has `file` and `message` but no positions.
//!
//! New keys may be added in later versions; existing keys keep their meaning and type.

use super::{LintedFile, Report};
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use serde::Serialize;
use std::io;

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    /// Escaped once per file (its findings all name it).
    file: &'a serde_json::value::RawValue,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    message: &'a str,
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    content: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
    message: &'a str,
}

fn convert<'a>(
    report: &Report<'a>,
    file: &'a LintedFile,
    path: &'a serde_json::value::RawValue,
    d: &'a Diagnostic,
) -> JsonDiagnostic<'a> {
    let (start, end) = file.range(d.span);
    JsonDiagnostic {
        code: d.code,
        name: d.name,
        severity: d.severity,
        file: path,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        message: &d.message,
        help: d.help.as_deref(),
        fix: d.fix.as_ref().map(|fix| JsonFix {
            message: &fix.message,
            applicability: fix.applicability,
            edits: fix
                .edits
                .iter()
                .map(|e| {
                    let (s, e_) = file.range(e.span);
                    JsonEdit {
                        content: &e.content,
                        line: s.line,
                        column: s.column,
                        end_line: e_.line,
                        end_column: e_.column,
                    }
                })
                .collect(),
        }),
        related: d
            .related
            .iter()
            .map(|r| {
                let resolved = report.resolve_related(file, r);
                let (s, e) = resolved.range.unzip();
                JsonRelated {
                    file: resolved.path,
                    line: s.map(|p| p.line),
                    column: s.map(|p| p.column),
                    end_line: e.map(|p| p.line),
                    end_column: e.map(|p| p.column),
                    message: &r.message,
                }
            })
            .collect(),
    }
}

/// The findings of some files as one JSON array, each converted while the serializer writes
/// it: the report's JSON is never held whole, only one finding's at a time.
struct Findings<'r, 'a> {
    report: &'r Report<'a>,
    files: &'a [LintedFile],
}

impl Serialize for Findings<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let report = self.report;
        let mut seq = serializer.serialize_seq(None)?;
        for file in self.files {
            if file.diagnostics.is_empty() {
                continue;
            }
            let path = serde_json::to_string(&*file.display_path())
                .and_then(serde_json::value::RawValue::from_string)
                .map_err(serde::ser::Error::custom)?;
            for d in &file.diagnostics {
                seq.serialize_element(&convert(report, file, &path, d))?;
            }
        }
        seq.end()
    }
}

/// Files rendered together, in parallel, before their part is written.
const BATCH: usize = 64;

/// Writes the report's array. Each file's findings are rendered on the engine's pool, a batch
/// of files at a time, as an array of their own (`[\n  {…},\n  {…}\n]`, pretty-printed
/// from the same depth as the whole report's array, so its elements are the same bytes); the
/// parts between the brackets are then joined with `,\n` inside one pair of brackets, which is
/// the document the serializer gives for all the findings at once.
pub(super) fn write(report: &Report<'_>, w: &mut dyn io::Write) -> io::Result<()> {
    if report.files.len() <= 1 {
        serde_json::to_writer_pretty(
            &mut *w,
            &Findings {
                report,
                files: report.files,
            },
        )?;
        return writeln!(w);
    }
    let mut first = true;
    for batch in report.files.chunks(BATCH) {
        let parts = crate::engine::par_map(batch, |file| {
            if file.diagnostics.is_empty() {
                return Ok(Vec::new());
            }
            let files = std::slice::from_ref(file);
            serde_json::to_vec_pretty(&Findings { report, files })
        });
        for part in parts {
            let part = part?;
            // `[\n` and `\n]` around the elements, which are indented already.
            let Some(elements) = part.get(2..part.len().saturating_sub(2)) else {
                continue;
            };
            if elements.is_empty() {
                continue;
            }
            w.write_all(if first { b"[\n" } else { b",\n" })?;
            first = false;
            w.write_all(elements)?;
        }
    }
    w.write_all(if first { b"[]\n" } else { b"\n]\n" })
}
