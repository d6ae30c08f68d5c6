//! The `checkstyle` format: Checkstyle 4.3 XML, read by Jenkins (warnings-ng), reviewdog and
//! many CI dashboards.
//!
//! Every linted file gets a `<file>` element, empty when the file is clean (as Checkstyle
//! itself reports every audited file); each diagnostic is an `<error>` with its line, column,
//! severity (`error`, `warning`, or `info` for info and style), message and
//! `source="wharf.CODE"`.

use super::{Report, xml_escape, xml_severity};
use std::io;

pub(super) fn write(report: &Report<'_>, w: &mut dyn io::Write) -> io::Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(w, r#"<checkstyle version="4.3">"#)?;
    for file in report.files {
        let name = xml_escape(&file.display_path(), true);
        if file.diagnostics.is_empty() {
            writeln!(w, r#"  <file name="{name}"/>"#)?;
            continue;
        }
        writeln!(w, r#"  <file name="{name}">"#)?;
        for d in &file.diagnostics {
            let (start, _) = file.range(d.span);
            writeln!(
                w,
                r#"    <error line="{}" column="{}" severity="{}" message="{}" source="wharf.{}"/>"#,
                start.line,
                start.column,
                xml_severity(d.severity),
                xml_escape(&d.message, true),
                xml_escape(d.code, true),
            )?;
        }
        writeln!(w, "  </file>")?;
    }
    // A file that could not be linted: a file-level error (line 0, as checkstyle's own
    // file-level checks).
    for e in report.not_linted {
        writeln!(
            w,
            r#"  <file name="{}">"#,
            xml_escape(&super::display_path(&e.path), true)
        )?;
        writeln!(
            w,
            r#"    <error line="0" severity="error" message="{}" source="wharf.not-linted"/>"#,
            xml_escape(&format!("could not be linted: {}", e.message), true)
        )?;
        writeln!(w, "  </file>")?;
    }
    writeln!(w, "</checkstyle>")
}
