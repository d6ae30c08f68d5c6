//! Conversions between wharf's model (byte spans, paths, diagnostics) and LSP's (ranges in the
//! negotiated column unit, URIs, LSP diagnostics).

use std::path::{Path, PathBuf};

use lsp_types as lsp;
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Encoding, LineIndex, Span};

/// The path a `file:` URI names; `None` for other schemes (an unsaved buffer).
pub fn uri_to_path(uri: &lsp::Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file:///p` has an empty authority; `file://localhost/p` names this machine.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    Some(PathBuf::from(decoded.as_ref()))
}

/// What a path segment must escape in a URI (RFC 3986 `pchar`, with `/` kept as a separator).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<lsp::Uri> {
    let text = path.to_str()?;
    let encoded = utf8_percent_encode(text, PATH).to_string();
    format!("file://{encoded}").parse().ok()
}

/// A document's text with its line index and the column unit the client negotiated.
pub struct Text<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: Encoding,
}

impl Text<'_> {
    pub fn position(&self, offset: u32) -> lsp::Position {
        let p = self.index.position(self.text, offset, self.encoding);
        lsp::Position::new(p.line, p.character)
    }

    pub fn range(&self, span: Span) -> lsp::Range {
        lsp::Range::new(self.position(span.start), self.position(span.end))
    }

    pub fn offset(&self, position: lsp::Position) -> u32 {
        let p = crate::source::Position {
            line: position.line,
            character: position.character,
        };
        self.index.offset(self.text, p, self.encoding)
    }

    pub fn span(&self, range: lsp::Range) -> Span {
        let (a, b) = (self.offset(range.start), self.offset(range.end));
        Span::new(a.min(b), a.max(b))
    }
}

fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Style => lsp::DiagnosticSeverity::HINT,
    }
}

/// The codes whose findings point at text that does nothing (unused suppressions): editors
/// fade such text.
const UNNECESSARY: &[&str] = &["DF900", "DC900"];

/// An LSP diagnostic of a finding in the document `text`, with `uri` for its related labels.
/// Labels in other files are placed by `elsewhere` (left out when it gives `None`: that
/// file's text is not at hand).
/// The link to the docs of the rule `code`, for a diagnostic's `codeDescription`.
pub fn docs_link(code: &str) -> Option<lsp::CodeDescription> {
    crate::registry::find(code)
        .and_then(|r| r.url().parse().ok())
        .map(|href| lsp::CodeDescription { href })
}

pub fn diagnostic(
    d: &Diagnostic,
    code_description: Option<lsp::CodeDescription>,
    text: &Text<'_>,
    uri: &lsp::Uri,
    elsewhere: &dyn Fn(&Path, Span) -> Option<lsp::Location>,
) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let location = match &r.file {
                None => lsp::Location::new(uri.clone(), text.range(r.span)),
                Some(path) => elsewhere(path, r.span)?,
            };
            Some(lsp::DiagnosticRelatedInformation {
                location,
                message: r.message.clone(),
            })
        })
        .collect();
    let mut message = d.message.to_string();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    lsp::Diagnostic {
        range: text.range(d.span),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description,
        source: Some("wharf".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: UNNECESSARY
            .contains(&d.code)
            .then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str, encoding: Encoding) -> (LineIndex, Encoding) {
        (LineIndex::new(s), encoding)
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs_and_crlf_is_a_line_end() {
        let s = "FROM a\r\nLABEL x=\"é😀\" y=1\r\n";
        let (index, enc) = text(s, Encoding::Utf16);
        let t = Text {
            text: s,
            index: &index,
            encoding: enc,
        };
        let y = s.find("y=").unwrap() as u32;
        // `LABEL x="` is 9 units, `é` 1, `😀` 2, `" ` 2: y starts at 14.
        assert_eq!(t.position(y), lsp::Position::new(1, 14));
        assert_eq!(t.offset(lsp::Position::new(1, 14)), y);
        // Past the end of a line: the end of that line, before its CRLF.
        assert_eq!(t.offset(lsp::Position::new(0, 99)), 6);
        let chars = Text {
            text: s,
            index: &index,
            encoding: Encoding::Chars,
        };
        assert_eq!(chars.position(y), lsp::Position::new(1, 13));
        let utf8 = Text {
            text: s,
            index: &index,
            encoding: Encoding::Utf8,
        };
        assert_eq!(utf8.position(y), lsp::Position::new(1, 17));
    }

    #[test]
    fn file_uris_round_trip() {
        let p = Path::new("/tmp/my dir/Dockerfile#1");
        let uri = path_to_uri(p).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/my%20dir/Dockerfile%231");
        assert_eq!(uri_to_path(&uri).unwrap(), p);
        let untitled: lsp::Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(uri_to_path(&untitled), None);
        let host: lsp::Uri = "file://localhost/etc/x".parse().unwrap();
        assert_eq!(uri_to_path(&host).unwrap(), Path::new("/etc/x"));
    }
}
