//! Compose files (placeholder until the compose parser lands).

use crate::source::Span;

/// A syntax error of a compose file.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    pub related: Option<(Span, String)>,
}

/// A parsed compose file.
#[derive(Debug, Default)]
pub struct ComposeFile {
    pub errors: Vec<SyntaxError>,
}

pub fn parse(_text: &str) -> ComposeFile {
    ComposeFile::default()
}
