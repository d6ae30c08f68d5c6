//! The error every configuration problem becomes: a path, a position and a message.

use crate::source::LineIndex;
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
        let lc = LineIndex::new(text).line_col(text, offset as u32);
        Self::at_line_col(path, lc.line as usize, lc.column as usize, message)
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

pub(crate) use crate::registry::closest;
