//! The `junit` format: a JUnit XML test report, for the test views of GitLab merge requests
//! and Jenkins.
//!
//! Layout: one `<testsuite>` per linted file (named by its path); inside it, one failing
//! `<testcase>` per diagnostic, or a single passing testcase when the file is clean. A testcase
//! per diagnostic (rather than one per file with many failures) is what these tools display
//! well: both show one failure per testcase, and count testcases.
//!
//! ```xml
//! <testsuites name="wharf" tests="2" failures="1" errors="0">
//!   <testsuite name="app/Dockerfile" tests="1" failures="1" errors="0" skipped="0">
//!     <testcase name="DL3008 apt-get-unpinned at 3:5" classname="app/Dockerfile" file="app/Dockerfile" line="3">
//!       <failure message="Pin versions…" type="DL3008">app/Dockerfile:3:5: warning: …</failure>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! The failure body repeats the location, the severity, the message and the help.

use super::{Report, xml_escape};
use std::io;

pub(super) fn write(report: &Report<'_>, w: &mut dyn io::Write) -> io::Result<()> {
    let errors = report.not_linted.len();
    let tests: usize = report
        .files
        .iter()
        .map(|f| f.diagnostics.len().max(1))
        .sum::<usize>()
        + errors;
    let failures = report.counts().total();
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<testsuites name="wharf" tests="{tests}" failures="{failures}" errors="{errors}">"#
    )?;
    // A file that could not be linted is a test that could not run: an `error`.
    for e in report.not_linted {
        let path = xml_escape(&super::display_path(&e.path), true);
        writeln!(
            w,
            r#"  <testsuite name="{path}" tests="1" failures="0" errors="1" skipped="0">"#
        )?;
        writeln!(
            w,
            r#"    <testcase name="wharf" classname="{path}" file="{path}">"#
        )?;
        writeln!(
            w,
            r#"      <error message="{}" type="not-linted"/>"#,
            xml_escape(&format!("could not be linted: {}", e.message), true)
        )?;
        writeln!(w, "    </testcase>")?;
        writeln!(w, "  </testsuite>")?;
    }
    for file in report.files {
        let path = xml_escape(&file.display_path(), true);
        let n = file.diagnostics.len();
        writeln!(
            w,
            r#"  <testsuite name="{path}" tests="{}" failures="{n}" errors="0" skipped="0">"#,
            n.max(1)
        )?;
        if n == 0 {
            writeln!(
                w,
                r#"    <testcase name="wharf" classname="{path}" file="{path}"/>"#
            )?;
        }
        for d in &file.diagnostics {
            let (start, _) = file.range(d.span);
            writeln!(
                w,
                r#"    <testcase name="{} {} at {}:{}" classname="{path}" file="{path}" line="{}">"#,
                xml_escape(d.code, true),
                xml_escape(d.name, true),
                start.line,
                start.column,
                start.line,
            )?;
            let mut body = format!(
                "{}:{}:{}: {}: {}",
                file.display_path(),
                start.line,
                start.column,
                d.severity.as_str(),
                d.message
            );
            if let Some(help) = &d.help {
                body.push_str("\nhelp: ");
                body.push_str(help);
            }
            writeln!(
                w,
                r#"      <failure message="{}" type="{}">{}</failure>"#,
                xml_escape(&d.message, true),
                xml_escape(d.code, true),
                xml_escape(&body, false),
            )?;
            writeln!(w, "    </testcase>")?;
        }
        writeln!(w, "  </testsuite>")?;
    }
    writeln!(w, "</testsuites>")
}
