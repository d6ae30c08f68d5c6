//! The error every configuration problem becomes: a path, a position and a message.

use std::fmt;
use std::path::{Path, PathBuf};

/// A configuration file (or environment variable) that wharf cannot accept. The CLI prints it
/// and exits with code 2; nothing in a configuration is ever silently ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The configuration file, or `$NAME` for an environment variable.
    pub path: PathBuf,
    /// 1-based line; 0 when the problem has no position (an unreadable file).
    pub line: usize,
    /// 1-based column, counted in characters; 0 when there is no position.
    pub column: usize,
    /// Short and lowercase, without a final period.
    pub message: String,
    /// A "did you mean" suggestion: the text that was probably meant.
    pub help: Option<String>,
}

impl ConfigError {
    /// An error at a byte offset of `text`.
    pub(crate) fn at(path: &Path, text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = line_col(text, offset);
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
            help: None,
        }
    }

    /// An error at a known line and column.
    pub(crate) fn at_line_col(
        path: &Path,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        ConfigError {
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
            help: None,
        }
    }

    /// An error about a whole file (it cannot be read, for instance).
    pub(crate) fn file(path: &Path, message: impl Into<String>) -> Self {
        Self::at_line_col(path, 0, 0, message)
    }

    pub(crate) fn with_help(mut self, help: Option<impl Into<String>>) -> Self {
        self.help = help.map(Into::into);
        self
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(h) = &self.help {
            write!(f, " (did you mean `{h}`?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// The 1-based line and character column of a byte offset (clamped to the text).
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The closest candidate to a mistyped word, if one is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let limit = 2.max(word.chars().count() / 3);
    candidates
        .into_iter()
        .filter_map(|c| {
            let cl = c.to_ascii_lowercase();
            // A shortened word (`warn` for `warning`) counts as close.
            let prefix = lower.len() >= 3 && cl.starts_with(&lower);
            let d = crate::registry::edit_distance(&lower, &cl);
            (d <= limit || prefix).then_some((if prefix { 1 } else { d }, c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
