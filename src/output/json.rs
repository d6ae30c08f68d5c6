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
use crate::diagnostic::{Applicability, Diagnostic};
use std::io;

/// Files rendered together, in parallel, before their part is written.
const BATCH: usize = 64;

/// Writes the report's array. Each file's findings are rendered on the engine's pool, a batch
/// of files at a time, into a buffer of their own; the buffers are then joined with `,\n`
/// inside one pair of brackets.
///
/// The text is written directly rather than through serde: it is the bytes
/// `serde_json::to_writer_pretty` gives for the structs of the documented contract (a test
/// keeps the two equal), at a fraction of the cost, which matters for a run with thousands of
/// findings.
pub(super) fn write(report: &Report<'_>, w: &mut dyn io::Write) -> io::Result<()> {
    let mut first = true;
    let mut put = |part: &[u8], w: &mut dyn io::Write| -> io::Result<()> {
        if part.is_empty() {
            return Ok(());
        }
        w.write_all(if first { b"[\n" } else { b",\n" })?;
        first = false;
        w.write_all(part)
    };
    if report.files.len() <= 1 {
        for file in report.files {
            put(&file_elements(report, file), w)?;
        }
    } else {
        for batch in report.files.chunks(BATCH) {
            for part in crate::engine::par_map(batch, |file| file_elements(report, file)) {
                put(&part, w)?;
            }
        }
    }
    w.write_all(if first { b"[]\n" } else { b"\n]\n" })
}

/// The findings of one file as elements of the report's array (each indented by two spaces,
/// separated by `,\n`, no brackets); empty when it has none.
fn file_elements(report: &Report<'_>, file: &LintedFile) -> Vec<u8> {
    if file.diagnostics.is_empty() {
        return Vec::new();
    }
    // About what a finding takes, so that the buffer rarely grows.
    let mut out = Vec::with_capacity(512 * file.diagnostics.len());
    // Every finding of the file names it: escaped once.
    let mut path = Vec::new();
    string(&mut path, &file.display_path());
    for (i, d) in file.diagnostics.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(b"  ");
        diagnostic(&mut out, report, file, &path, d);
    }
    out
}

/// One finding as an object at the array's depth.
fn diagnostic(
    out: &mut Vec<u8>,
    report: &Report<'_>,
    file: &LintedFile,
    path: &[u8],
    d: &Diagnostic,
) {
    let (start, end) = file.range(d.span);
    let mut o = Block::object(out, 1);
    o.str("code", d.code);
    o.str("name", d.name);
    o.str("severity", d.severity.as_str());
    o.key("file").extend_from_slice(path);
    o.num("line", start.line);
    o.num("column", start.column);
    o.num("end_line", end.line);
    o.num("end_column", end.column);
    o.str("message", &d.message);
    if let Some(help) = &d.help {
        o.str("help", help);
    }
    if let Some(fix) = &d.fix {
        o.key("fix");
        let mut f = Block::object(o.out, 2);
        f.str("message", &fix.message);
        f.str(
            "applicability",
            match fix.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
            },
        );
        f.key("edits");
        let mut edits = Block::array(f.out, 3);
        for e in &fix.edits {
            let (s, e_) = file.range(e.span);
            let mut x = Block::object(edits.next(), 4);
            x.str("content", &e.content);
            x.num("line", s.line);
            x.num("column", s.column);
            x.num("end_line", e_.line);
            x.num("end_column", e_.column);
            x.close();
        }
        edits.close();
        f.close();
    }
    if !d.related.is_empty() {
        o.key("related");
        let mut related = Block::array(o.out, 2);
        for r in &d.related {
            let resolved = report.resolve_related(file, r);
            let mut x = Block::object(related.next(), 3);
            x.str("file", &resolved.path);
            if let Some((s, e)) = resolved.range {
                x.num("line", s.line);
                x.num("column", s.column);
                x.num("end_line", e.line);
                x.num("end_column", e.column);
            }
            x.str("message", &r.message);
            x.close();
        }
        related.close();
    }
    o.close();
}

/// Two spaces per level, as serde_json's pretty printer indents (the report nests five deep
/// at most).
fn indent(out: &mut Vec<u8>, depth: usize) {
    const SPACES: &[u8; 16] = b"                ";
    out.extend_from_slice(&SPACES[..(2 * depth).min(SPACES.len())]);
}

/// An object or an array being written, at `depth` (the depth of its braces or brackets).
struct Block<'o> {
    out: &'o mut Vec<u8>,
    depth: usize,
    empty: bool,
    closer: u8,
}

impl<'o> Block<'o> {
    fn object(out: &'o mut Vec<u8>, depth: usize) -> Self {
        Block::open(out, depth, b'{', b'}')
    }

    fn array(out: &'o mut Vec<u8>, depth: usize) -> Self {
        Block::open(out, depth, b'[', b']')
    }

    fn open(out: &'o mut Vec<u8>, depth: usize, opener: u8, closer: u8) -> Self {
        out.push(opener);
        Block {
            out,
            depth,
            empty: true,
            closer,
        }
    }

    /// Starts the next element of an array (the next member of an object, before its key);
    /// it is written to the buffer returned.
    fn next(&mut self) -> &mut Vec<u8> {
        self.out
            .extend_from_slice(if self.empty { b"\n" } else { b",\n" });
        self.empty = false;
        indent(self.out, self.depth + 1);
        self.out
    }

    /// Starts the member `key` of an object (plain ASCII, nothing to escape); its value
    /// follows.
    fn key(&mut self, key: &str) -> &mut Vec<u8> {
        let out = self.next();
        out.push(b'"');
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\": ");
        out
    }

    fn str(&mut self, key: &str, value: &str) {
        string(self.key(key), value);
    }

    fn num(&mut self, key: &str, value: u32) {
        let mut buf = itoa::Buffer::new();
        self.key(key)
            .extend_from_slice(buf.format(value).as_bytes());
    }

    fn close(self) {
        if !self.empty {
            self.out.push(b'\n');
            indent(self.out, self.depth);
        }
        self.out.push(self.closer);
    }
}

/// `s` as a JSON string, escaped as serde_json escapes it: `"` and `\\`, the control
/// characters below U+0020 (`\b`, `\t`, `\n`, `\f` and `\r` by name, the others as
/// `\u00XX` in lowercase hex); everything else, U+007F and non-ASCII included, as is.
fn string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut plain = 0;
    let mut i = 0;
    // Most text needs no escape: eight bytes are checked at a time.
    while i < bytes.len() {
        if let Some(&chunk) = bytes[i..].first_chunk::<8>()
            && !needs_escape(u64::from_le_bytes(chunk))
        {
            i += 8;
            continue;
        }
        let b = bytes[i];
        i += 1;
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        let at = i - 1;
        out.extend_from_slice(&bytes[plain..at]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]),
        }
        plain = i;
    }
    out.extend_from_slice(&bytes[plain..]);
    out.push(b'"');
}

/// Whether any of the eight bytes of `x` is below 0x20, `"` or `\\`: a byte is below 0x20
/// when subtracting 0x20 borrows into its top bit, and equal to `c` when `x ^ c` is zero
/// there (the classic "has a zero byte" test). Bytes of 0x80 and above never match: their
/// top bit is masked out by `!x`.
fn needs_escape(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |v: u64, n: u64| v.wrapping_sub(ONES * n) & !v & HIGH;
    below(x, 0x20)
        | below(x ^ (ONES * u64::from(b'"')), 1)
        | below(x ^ (ONES * u64::from(b'\\')), 1)
        != 0
}

#[cfg(test)]
mod tests {
    //! The reference: the structs of the documented contract, serialized by serde_json.

    use super::*;
    use crate::diagnostic::{Diagnostic, Severity};
    use serde::Serialize;

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

    fn reference(report: &Report<'_>) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(&Findings {
            report,
            files: report.files,
        })
        .expect("serializes");
        out.push(b'\n');
        out
    }

    fn written(report: &Report<'_>) -> Vec<u8> {
        let mut out = Vec::new();
        write(report, &mut out).expect("writes");
        out
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut all = String::new();
        for c in (0u32..0x80).chain([0xe9, 0x2028, 0x202e, 0x1f600]) {
            all.push(char::from_u32(c).expect("a scalar value"));
        }
        for s in [
            "",
            "plain",
            "a\"b\\c",
            "\u{1}\u{1f}\u{7f}",
            "tab\there",
            all.as_str(),
        ] {
            let mut mine = Vec::new();
            string(&mut mine, s);
            assert_eq!(mine, serde_json::to_vec(s).expect("serializes"), "{s:?}");
        }
    }

    #[test]
    fn the_eight_byte_check_misses_no_byte_to_escape() {
        let escaped = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
        for background in [b'a', b' ', b'!', b'#', 0x7f, 0x80, 0xff] {
            for at in 0..8 {
                for b in 0..=255u8 {
                    let mut bytes = [background; 8];
                    bytes[at] = b;
                    assert_eq!(
                        needs_escape(u64::from_le_bytes(bytes)),
                        bytes.iter().any(|&c| escaped(c)),
                        "{bytes:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn reports_are_the_bytes_serde_json_gives() {
        use crate::diagnostic::{Edit, Fix, Related};
        use crate::source::{FileKind, SourceFile, Span};
        let text = "FROM alpine\nRUN apt-get install \"x\"\tcurl\nUSER r\u{e9}\n";
        let base = |code: &'static str, span: Span, message: &str| Diagnostic {
            file: Default::default(),
            code,
            name: "some-rule",
            severity: Severity::Warning,
            span,
            message: message.to_string().into(),
            help: None,
            fix: None,
            related: Vec::new(),
        };
        let mut with_fix = base("DL3008", Span::new(12, 40), "`x` is not \"pinned\"");
        with_fix.help = Some("pin it: `x=1.0`\n(see \\docs)".into());
        with_fix.fix = Some(Box::new(Fix {
            message: "pin \"x\"".into(),
            applicability: Applicability::Unsafe,
            edits: vec![
                Edit {
                    file: None,
                    span: Span::new(32, 33),
                    content: "x=\"1\"\u{1}".into(),
                },
                Edit {
                    file: None,
                    span: Span::new(0, 0),
                    content: String::new(),
                },
            ],
        }));
        let mut no_edits = base("DF001", Span::new(0, 4), "no edits");
        no_edits.severity = Severity::Error;
        no_edits.fix = Some(Box::new(Fix {
            message: "nothing".into(),
            applicability: Applicability::Safe,
            edits: Vec::new(),
        }));
        let mut related = base("DF002", Span::new(41, 47), "r\u{e9}lated");
        related.severity = Severity::Style;
        related.related = vec![
            Related {
                file_id: Default::default(),
                file: None,
                span: Span::new(0, 11),
                message: "here".into(),
            },
            Related {
                file_id: Default::default(),
                file: Some("elsewhere/compose.yaml".into()),
                span: Span::new(3, 5),
                message: "not in the \"report\"".into(),
            },
        ];
        let files = [
            LintedFile::new(
                SourceFile::new("./dir/Docker\"file", text, FileKind::Dockerfile),
                vec![with_fix, no_edits, related],
            ),
            LintedFile::new(
                SourceFile::new("clean/Dockerfile", text, FileKind::Dockerfile),
                Vec::new(),
            ),
            LintedFile::new(
                SourceFile::new("b\\Dockerfile", text, FileKind::Dockerfile),
                vec![base("DL3000", Span::new(2, 3), "info")],
            ),
        ];
        for n in [0, 1, 2, 3] {
            let report = Report::new(&files[..n], &[]);
            assert_eq!(
                String::from_utf8(written(&report)).expect("UTF-8"),
                String::from_utf8(reference(&report)).expect("UTF-8"),
                "{n} files"
            );
        }
        // More files than one batch.
        let many: Vec<LintedFile> = (0..(2 * BATCH + 3))
            .map(|i| {
                LintedFile::new(
                    SourceFile::new(format!("f{i}/Dockerfile"), text, FileKind::Dockerfile),
                    if i % 3 == 0 {
                        Vec::new()
                    } else {
                        vec![base("DL3000", Span::new(2, 3), "x")]
                    },
                )
            })
            .collect();
        let report = Report::new(&many, &[]);
        assert_eq!(written(&report), reference(&report));
    }
}
