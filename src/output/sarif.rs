//! The `sarif` format: one SARIF 2.1.0 log with one run.
//!
//! - `tool.driver.rules[]` lists the selected rules (then any rule that has a result but was
//!   not in the list, found in the registry), each with its PascalCase name (SARIF recommends
//!   identifier-like names; the kebab-case name is kept in `properties.name`), its summary,
//!   its docs as help (text and markdown), its help URI, its default level, its category and
//!   tags (the category and the kind of file), its `precision` and, for security rules, a
//!   `security-severity` score derived from the default severity (error 8.0, warning 6.0,
//!   info 3.5, style 1.0), which GitHub code scanning ranks alerts by.
//! - Each result has `ruleId`, `ruleIndex`, a level (`error`, `warning`, or `note` for info and
//!   style), the message (and the help after it), the primary location with a real region
//!   (columns in Unicode code points, declared by `columnKind`), related locations, fixes, and
//!   a `primaryLocationLineHash` partial fingerprint: a hash of the code, the path and the
//!   trimmed line text, with the occurrence of that hash in the file (`hash:n`), so that it
//!   survives lines being added above the finding.
//! - Artifact URIs are relative paths resolved against `%SRCROOT%` (declared in
//!   `originalUriBaseIds`, with an absolute URI when the CLI provides the root); absolute paths
//!   become `file://` URIs.

use super::{LintedFile, OutputOptions, Report, line_fingerprints};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rule::{Check, Rule};
use crate::source::{LineCol, Span};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/wharf-lint/wharf";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'r, 'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'r, 'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'r, 'a> {
    tool: Tool,
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    invocations: Vec<Invocation>,
    results: Results<'r, 'a>,
}

/// The results of a report, each built while the serializer writes it: the log is never held
/// whole, only one result at a time.
struct Results<'r, 'a> {
    report: &'r Report<'a>,
    /// The rules of `tool.driver.rules`, in order: a result's `ruleIndex` is its position.
    rules: &'r [&'static Rule],
}

impl Serialize for Results<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let report = self.report;
        let mut seq = serializer.serialize_seq(None)?;
        for file in report.files {
            let path = file.display_path();
            let fingerprints = line_fingerprints(file);
            for (d, fp) in file.diagnostics.iter().zip(fingerprints) {
                let index = self.rules.iter().position(|r| r.code == d.code);
                seq.serialize_element(&result(report, file, &path, d, index, fp))?;
            }
        }
        seq.end()
    }
}

/// The run itself: whether every file could be linted, and a notification for each that
/// could not.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: String,
    short_description: Message,
    full_description: Message,
    help: MultiformatMessage,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
    enabled: bool,
}

#[derive(Serialize)]
struct RuleProperties {
    name: &'static str,
    category: &'static str,
    tags: Vec<&'static str>,
    fixable: bool,
    /// `very-high`, `high`, `medium` or `low`: GitHub code scanning sorts by it.
    precision: &'static str,
    /// For security rules: a CVSS-like score as a string, which GitHub code scanning ranks
    /// security alerts by (over 9 critical, 7 to 8.9 high, 4 to 6.9 medium, under 4 low).
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

/// The `security-severity` of a security rule, from its default severity.
fn security_severity(rule: &Rule) -> Option<&'static str> {
    if rule.category != crate::rule::Category::Security {
        return None;
    }
    Some(match rule.default_severity() {
        Severity::Error => "8.0",
        Severity::Warning => "6.0",
        Severity::Info => "3.5",
        Severity::Style => "1.0",
    })
}

#[derive(Serialize)]
struct Message {
    text: String,
}

impl Message {
    fn new(text: impl Into<String>) -> Self {
        Message { text: text.into() }
    }
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<Fix>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<ArtifactContent>,
}

#[derive(Serialize)]
struct ArtifactContent {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fix {
    description: Message,
    artifact_changes: Vec<ArtifactChange>,
    properties: FixProperties,
}

#[derive(Serialize)]
struct FixProperties {
    applicability: crate::diagnostic::Applicability,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: ArtifactContent,
}

/// SARIF's level for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

/// `apt-get-unpinned` -> `AptGetUnpinned`.
fn pascal_case(kebab: &str) -> String {
    let mut out = String::with_capacity(kebab.len());
    for word in kebab.split(['-', '_']).filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// The body of the rule's `## What it does` section, or its summary when it has none.
fn full_description(rule: &Rule) -> String {
    let docs = rule.docs_text();
    let mut body = String::new();
    let mut inside = false;
    for line in docs.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            if inside {
                break;
            }
            inside = heading.trim().eq_ignore_ascii_case("what it does");
        } else if inside {
            body.push_str(line);
            body.push('\n');
        }
    }
    let body = body.trim();
    if body.is_empty() {
        rule.summary.to_string()
    } else {
        body.to_string()
    }
}

fn descriptor(rule: &Rule) -> ReportingDescriptor {
    let docs = rule.docs_text();
    let docs = if docs.trim().is_empty() {
        rule.summary.to_string()
    } else {
        docs
    };
    let mut tags = vec![rule.category.as_str()];
    match rule.check {
        Check::Dockerfile(_) | Check::Run(_) | Check::Runs(_) => tags.push("dockerfile"),
        Check::Compose(_) => tags.push("compose"),
        Check::Syntax(kind) => tags.push(kind.as_str()),
        Check::Project(_) => tags.push("project"),
        Check::Meta => {}
    }
    ReportingDescriptor {
        id: rule.code,
        name: pascal_case(rule.name),
        short_description: Message::new(rule.summary),
        full_description: Message::new(full_description(rule)),
        help: MultiformatMessage {
            text: docs.clone(),
            markdown: docs,
        },
        help_uri: rule.url(),
        default_configuration: Configuration {
            level: level(rule.default_severity()),
            enabled: rule.default_enabled(),
        },
        properties: RuleProperties {
            name: rule.name,
            category: rule.category.as_str(),
            tags,
            fixable: rule.fixable,
            precision: rule.precision().as_str(),
            security_severity: security_severity(rule),
        },
    }
}

/// Percent-encodes everything but unreserved characters and `/` (and `:` after a drive).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The artifact location of a reported path: relative to `%SRCROOT%`, or a `file://` URI when
/// the path is absolute.
fn artifact(path: &str) -> ArtifactLocation {
    let bytes = path.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if drive {
        ArtifactLocation {
            uri: Some(format!(
                "file:///{}:{}",
                &path[..1],
                encode_path(&path[2..])
            )),
            uri_base_id: None,
            description: None,
        }
    } else if path.starts_with('/') {
        ArtifactLocation {
            uri: Some(format!("file://{}", encode_path(path))),
            uri_base_id: None,
            description: None,
        }
    } else {
        ArtifactLocation {
            uri: Some(encode_path(path)),
            uri_base_id: Some(SRCROOT),
            description: None,
        }
    }
}

fn srcroot(opts: &OutputOptions) -> ArtifactLocation {
    match &opts.srcroot {
        Some(root) => {
            let mut path = super::display_path(root);
            if !path.ends_with('/') {
                path.push('/');
            }
            let mut loc = artifact(&path);
            if loc.uri_base_id.is_some() {
                // A relative root cannot be an absolute base: describe it instead.
                loc = ArtifactLocation {
                    uri: None,
                    uri_base_id: None,
                    description: Some(Message::new(format!(
                        "The directory wharf was run from ({path})."
                    ))),
                };
            }
            loc
        }
        None => ArtifactLocation {
            uri: None,
            uri_base_id: None,
            description: Some(Message::new("The directory wharf was run from.")),
        },
    }
}

fn region(file: &LintedFile, span: Span, with_snippet: bool) -> Region {
    let (start, end): (LineCol, LineCol) = file.range(span);
    let text = span.text(&file.source.text);
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
        snippet: (with_snippet && !text.is_empty()).then(|| ArtifactContent {
            text: text.to_string(),
        }),
    }
}

fn result(
    report: &Report<'_>,
    file: &LintedFile,
    path: &str,
    d: &Diagnostic,
    rule_index: Option<usize>,
    fingerprint: (u64, u32),
) -> SarifResult {
    let mut text = d.message.to_string();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let related_locations = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let resolved = report.resolve_related(file, r);
            Location {
                id: Some(i + 1),
                physical_location: PhysicalLocation {
                    artifact_location: artifact(&resolved.path),
                    region: resolved.file.map(|f| region(f, r.span, false)),
                },
                message: Some(Message::new(r.message.clone())),
            }
        })
        .collect();
    let fixes = d
        .fix
        .iter()
        .map(|fix| Fix {
            description: Message::new(fix.message.clone()),
            artifact_changes: vec![ArtifactChange {
                artifact_location: artifact(path),
                replacements: fix
                    .edits
                    .iter()
                    .map(|e| Replacement {
                        deleted_region: region(file, e.span, false),
                        inserted_content: ArtifactContent {
                            text: e.content.clone(),
                        },
                    })
                    .collect(),
            }],
            properties: FixProperties {
                applicability: fix.applicability,
            },
        })
        .collect();
    let mut partial_fingerprints = BTreeMap::new();
    partial_fingerprints.insert(
        "primaryLocationLineHash",
        format!("{:016x}:{}", fingerprint.0, fingerprint.1),
    );
    SarifResult {
        rule_id: d.code,
        rule_index,
        level: level(d.severity),
        message: Message::new(text),
        locations: vec![Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: artifact(path),
                region: Some(region(file, d.span, true)),
            },
            message: None,
        }],
        related_locations,
        partial_fingerprints,
        fixes,
    }
}

pub(super) fn write(
    report: &Report<'_>,
    opts: &OutputOptions,
    w: &mut dyn io::Write,
) -> io::Result<()> {
    // The rule list: the selected rules, then any other rule that produced a result.
    let mut rules: Vec<&'static Rule> = Vec::new();
    for rule in report.rules {
        if !rules.iter().any(|r| r.code == rule.code) {
            rules.push(rule);
        }
    }
    for (_, d) in report.diagnostics() {
        if !rules.iter().any(|r| r.code == d.code)
            && let Some(rule) = crate::registry::find(d.code)
        {
            rules.push(rule);
        }
    }

    let notifications: Vec<Notification> = report
        .not_linted
        .iter()
        .map(|e| Notification {
            level: "error",
            message: Message::new(format!("could not be linted: {}", e.message)),
            locations: vec![Location {
                id: None,
                physical_location: PhysicalLocation {
                    artifact_location: artifact(&super::display_path(&e.path)),
                    region: None,
                },
                message: None,
            }],
        })
        .collect();
    let mut base_ids = BTreeMap::new();
    base_ids.insert(SRCROOT, srcroot(opts));
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "wharf",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: rules.iter().copied().map(descriptor).collect(),
                },
            },
            original_uri_base_ids: base_ids,
            column_kind: "unicodeCodePoints",
            invocations: vec![Invocation {
                execution_successful: notifications.is_empty(),
                tool_execution_notifications: notifications,
            }],
            results: Results {
                report,
                rules: &rules,
            },
        }],
    };
    serde_json::to_writer_pretty(&mut *w, &log)?;
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal_case("apt-get-unpinned"), "AptGetUnpinned");
        assert_eq!(pascal_case("no-version-field"), "NoVersionField");
        assert_eq!(pascal_case(""), "");
        assert_eq!(encode_path("a b/ç.yml"), "a%20b/%C3%A7.yml");
        assert_eq!(artifact("/abs/x").uri.as_deref(), Some("file:///abs/x"));
        assert_eq!(artifact("C:/x y").uri.as_deref(), Some("file:///C:/x%20y"));
        let rel = artifact("app/Dockerfile");
        assert_eq!(rel.uri.as_deref(), Some("app/Dockerfile"));
        assert_eq!(rel.uri_base_id, Some(SRCROOT));
    }
}
