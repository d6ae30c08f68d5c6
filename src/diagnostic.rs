//! The diagnostic a rule emits, and the fix it may carry.

use crate::source::{FileId, Span};
use serde::Serialize;
use std::borrow::Cow;
use std::path::PathBuf;

/// How serious a finding is. Ordered from most to least severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Style,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Style,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Style => "style",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
    }

    /// True when `self` is at least as severe as `threshold`.
    pub fn at_least(self, threshold: Severity) -> bool {
        self <= threshold
    }
}

/// Whether a fix can be applied without a human looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The fix keeps the meaning of the file.
    Safe,
    /// The fix may change behaviour; it is offered, never applied silently.
    Unsafe,
}

/// One text replacement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// The file the span indexes; `None` until the fix is attached to a diagnostic
    /// ([`Diagnostic::fix`]), which gives it the diagnostic's file. A project rule's fix may
    /// edit other files of its run.
    #[serde(skip)]
    pub file: Option<FileId>,
    #[serde(skip)]
    pub span: Span,
    pub content: String,
}

/// A fix: edits that together repair the finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub message: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// A secondary location, possibly in another file (cross-file rules).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// The file the span indexes.
    pub file_id: FileId,
    /// The path of that file when it is not the diagnostic's own (`None`: the same file), for
    /// the output formats; the engine fills it in when it routes a finding.
    pub file: Option<PathBuf>,
    pub span: Span,
    pub message: String,
}

/// One finding.
///
/// Kept small, because a run can hold hundreds of thousands of them: the message and the help
/// are borrowed when they are static text (`Cow::Borrowed`), and the fix, which few findings
/// carry, is boxed (a finding without one pays a pointer, not the fix's size).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the finding is in (its `span` indexes that file's text).
    pub file: FileId,
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub span: Span,
    pub message: Cow<'static, str>,
    pub help: Option<Cow<'static, str>>,
    pub fix: Option<Box<Fix>>,
    pub related: Vec<Related>,
}
