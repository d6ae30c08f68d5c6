//! The `gnu` format: the GNU coding standards' error format, which Emacs' compilation mode,
//! Vim's quickfix and most editors parse:
//!
//! ```text
//! app/Dockerfile:3:5: warning: Pin versions in apt-get install [DL3008]
//! ```
//!
//! The severity word is `error`, `warning`, or `info` for info and style (a word that editors
//! know; an unknown word would be taken as an error).

use super::{Report, display_path, terminal_safe, xml_severity};
use std::io;

pub(super) fn write(report: &Report<'_>, w: &mut dyn io::Write) -> io::Result<()> {
    for e in report.not_linted {
        writeln!(
            w,
            "{}: error: {} [not-linted]",
            terminal_safe(&display_path(&e.path)),
            terminal_safe(&one_line(&e.message))
        )?;
    }
    for file in report.files {
        let path = terminal_safe(&file.display_path()).into_owned();
        for d in &file.diagnostics {
            let (start, _) = file.range(d.span);
            writeln!(
                w,
                "{path}:{}:{}: {}: {} [{}]",
                start.line,
                start.column,
                xml_severity(d.severity),
                terminal_safe(&one_line(&d.message)),
                d.code
            )?;
        }
    }
    Ok(())
}

/// Keeps a message on one line, as line-oriented readers need.
pub(super) fn one_line(message: &str) -> std::borrow::Cow<'_, str> {
    if message.contains(['\n', '\r']) {
        message
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
            .into()
    } else {
        message.into()
    }
}
