//! The `concise` format: one line per finding, then the summary (unless quiet).
//!
//! ```text
//! app/Dockerfile:3:5: DL3008 Pin versions in apt-get install
//! ```

use super::gnu::one_line;
use super::human::{paint, style};
use super::{OutputOptions, Report, summary, terminal_safe};
use std::io;

pub(super) fn write(
    report: &Report<'_>,
    opts: &OutputOptions,
    w: &mut dyn io::Write,
) -> io::Result<()> {
    for e in report.not_linted {
        writeln!(
            w,
            "{}: {} could not be linted: {}",
            paint(
                opts.color,
                style::BOLD,
                &terminal_safe(&super::display_path(&e.path))
            ),
            paint(opts.color, style::RED, "error"),
            terminal_safe(&one_line(&e.message))
        )?;
    }
    for file in report.files {
        let path = terminal_safe(&file.display_path()).into_owned();
        for d in &file.diagnostics {
            let (start, _) = file.range(d.span);
            writeln!(
                w,
                "{}:{}:{}: {} {}",
                paint(opts.color, style::BOLD, &path),
                start.line,
                start.column,
                paint(opts.color, style::severity(d.severity), d.code),
                terminal_safe(&one_line(&d.message))
            )?;
        }
    }
    if !opts.quiet {
        writeln!(w, "{}", summary(report))?;
    }
    Ok(())
}
