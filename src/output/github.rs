//! The `github` format: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request:
//!
//! ```text
//! ::warning file=app/Dockerfile,line=3,col=5,endLine=3,endColumn=29,title=DL3008 apt-get-unpinned::Pin versions…
//! ```
//!
//! Errors become `error`, warnings `warning`, info and style `notice`. The help, when present,
//! follows the message on its own line. Data is escaped as the runner expects: `%`, CR and LF
//! everywhere, and `:` and `,` too inside properties.

use super::Report;
use crate::diagnostic::Severity;
use std::io;

/// Escapes the message part of a workflow command.
fn escape_data(s: &str) -> String {
    let s = super::terminal_safe_keep_lines(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes a property value of a workflow command.
fn escape_property(s: &str) -> String {
    let s = super::terminal_safe_keep_lines(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            _ => out.push(c),
        }
    }
    out
}

pub(super) fn write(report: &Report<'_>, w: &mut dyn io::Write) -> io::Result<()> {
    for e in report.not_linted {
        writeln!(
            w,
            "::error file={},title=wharf::{}",
            escape_property(&super::display_path(&e.path)),
            escape_data(&format!("could not be linted: {}", e.message)),
        )?;
    }
    for file in report.files {
        let path = escape_property(&file.display_path());
        for d in &file.diagnostics {
            let (start, end) = file.range(d.span);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "notice",
            };
            let mut message = d.message.to_string();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            writeln!(
                w,
                "::{command} file={path},line={},col={},endLine={},endColumn={},title={}::{}",
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&format!("{} {}", d.code, d.name)),
                escape_data(&message),
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50%\r\na:b,c"), "50%25%0D%0Aa:b,c");
        assert_eq!(escape_property("50%\na:b,c"), "50%25%0Aa%3Ab%2Cc");
        // The runner prints the commands in the job log: escape sequences are shown escaped.
        assert_eq!(escape_data("a\x1b[31m"), "a\\x1b[31m");
    }
}
