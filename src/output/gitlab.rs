//! The `gitlab` format: a GitLab Code Quality report (a subset of the Code Climate spec).
//!
//! One JSON array; each element has `description` (`CODE: message`), `check_name` (the code),
//! `fingerprint`, `severity` and `location { path, lines { begin, end } }`.
//!
//! - Severity: error -> `major`, warning -> `minor`, info and style -> `info`. (`critical` and
//!   `blocker` are left for the user's own judgement.)
//! - The fingerprint identifies a finding across commits without using its line number: the
//!   FNV-1a 64 hash (hex) of the code, the path, the trimmed text of the finding's line and the
//!   occurrence of that combination in the file. Moving code around keeps the fingerprint;
//!   editing the offending line changes it.

use super::{Report, fnv1a64, line_fingerprints};
use crate::diagnostic::Severity;
use serde::Serialize;
use std::io;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info | Severity::Style => "info",
    }
}

/// The issues of a report, each built while the serializer writes it (the report is never
/// held whole), then one issue per file that could not be linted.
struct Issues<'r, 'a>(&'r Report<'a>);

impl Serialize for Issues<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let report = self.0;
        let mut seq = serializer.serialize_seq(None)?;
        for file in report.files {
            let path = file.display_path();
            let fingerprints = line_fingerprints(file);
            for (d, (hash, occurrence)) in file.diagnostics.iter().zip(fingerprints) {
                let (start, end) = file.range(d.span);
                let fingerprint = fnv1a64(&[&hash.to_le_bytes(), &occurrence.to_le_bytes()]);
                seq.serialize_element(&Issue {
                    description: format!("{}: {}", d.code, d.message),
                    check_name: d.code,
                    fingerprint: format!("{fingerprint:016x}"),
                    severity: severity(d.severity),
                    location: Location {
                        path: &path,
                        lines: Lines {
                            begin: start.line,
                            end: end.line,
                        },
                    },
                })?;
            }
        }
        for e in report.not_linted {
            let path = super::display_path(&e.path);
            let fingerprint = fnv1a64(&[b"not-linted", path.as_bytes()]);
            seq.serialize_element(&Issue {
                description: format!("could not be linted: {}", e.message),
                check_name: "not-linted",
                fingerprint: format!("{fingerprint:016x}"),
                severity: "major",
                location: Location {
                    path: &path,
                    lines: Lines { begin: 1, end: 1 },
                },
            })?;
        }
        seq.end()
    }
}

pub(super) fn write(report: &Report<'_>, w: &mut dyn io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &Issues(report))?;
    writeln!(w)
}
