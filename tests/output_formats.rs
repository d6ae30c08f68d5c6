//! Every output format, rendered from a hand-made report and compared with goldens in
//! `tests/golden/output/`. Run with `WHARF_BLESS=1` to rewrite the goldens after an intended
//! change, and review the diff.
//!
//! Besides the goldens: the SARIF output is validated against the official schema (when
//! `../shared/schemas/` is present), the JSON outputs are parsed back and checked field by
//! field, and the XML outputs are parsed to prove they are well-formed.

use std::path::{Path, PathBuf};

use wharf::diagnostic::{Applicability, Diagnostic, Edit, Fix, Related, Severity};
use wharf::output::{Format, LintedFile, OutputOptions, Report, summary, write};
use wharf::rule::{Category, Check, Rule};
use wharf::source::{FileKind, SourceFile, Span};

wharf::declare_rule! {
    /// ## What it does
    /// Checks that `apt-get install` pins the version of each package.
    ///
    /// ## Why is this bad?
    /// Builds are not reproducible.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get install curl
    /// ```
    pub static APT_PIN = Rule {
        code: "DL3008",
        name: "apt-get-unpinned",
        category: Category::Reliability,
        summary: "Pin versions in apt-get install",
        fixable: true,
        check: Check::Syntax(FileKind::Dockerfile),
    };
}

wharf::declare_rule! {
    /// ## What it does
    /// Checks that `apt-get install` uses `--no-install-recommends`.
    pub static APT_RECOMMENDS = Rule {
        code: "DL3015",
        name: "apt-get-recommends",
        category: Category::Efficiency,
        summary: "Avoid additional packages with --no-install-recommends",
        fixable: true,
        check: Check::Syntax(FileKind::Dockerfile),
    };
}

wharf::declare_rule! {
    /// Labels should be plain ASCII.
    pub static LABEL_ASCII = Rule {
        code: "DF042",
        name: "label-non-ascii",
        category: Category::Style,
        summary: "Label value is not ASCII",
        check: Check::Syntax(FileKind::Dockerfile),
    };
}

wharf::declare_rule! {
    /// ## What it does
    /// Checks that services do not use the `latest` tag.
    pub static LATEST = Rule {
        code: "DC010",
        name: "image-latest-tag",
        category: Category::Correctness,
        summary: "Image uses the latest tag",
        check: Check::Syntax(FileKind::Compose),
    };
}

static RULES: &[&Rule] = &[&LATEST, &LABEL_ASCII, &APT_PIN, &APT_RECOMMENDS];

const DOCKERFILE: &str = "FROM debian:12\n\
RUN apt-get install curl\n\
# Ünïcödé comment\n\
LABEL description=\"café ☕ bar\"\n\
COPY . /app\n";

const COMPOSE: &str = "services:\n  web:\n    build: app\n    image: \"wharf/web:latest\"\n";

/// The span of the `nth` occurrence (0-based) of `needle` in `text`.
fn span_of(text: &str, needle: &str, nth: usize) -> Span {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    Span::from_range(start..start + needle.len())
}

fn diag(rule: &'static Rule, span: Span, message: &str) -> Diagnostic {
    Diagnostic {
        file: Default::default(),
        code: rule.code,
        name: rule.name,
        severity: rule.default_severity(),
        span,
        message: message.to_string().into(),
        help: None,
        fix: None,
        related: Vec::new(),
    }
}

fn files() -> Vec<LintedFile> {
    let after_install = span_of(DOCKERFILE, "install ", 0).end;
    let docker = vec![
        {
            let mut d = diag(
                &APT_RECOMMENDS,
                span_of(DOCKERFILE, "apt-get install", 0),
                "Avoid additional packages by specifying `--no-install-recommends`",
            );
            d.fix = Some(Box::new(Fix {
                message: "Add `--no-install-recommends`".to_string(),
                applicability: Applicability::Safe,
                edits: vec![Edit {
                    file: None,
                    span: Span::empty(after_install),
                    content: "--no-install-recommends ".to_string(),
                }],
            }));
            d
        },
        {
            let mut d = diag(
                &APT_PIN,
                span_of(DOCKERFILE, "curl", 0),
                "Pin versions in apt-get install: `curl` has no version",
            );
            d.help = Some("Install `curl=<version>` instead".into());
            d.fix = Some(Box::new(Fix {
                message: "Pin `curl` to the version available today".to_string(),
                applicability: Applicability::Unsafe,
                edits: vec![Edit {
                    file: None,
                    span: span_of(DOCKERFILE, "curl", 0),
                    content: "curl=7.88.1-10".to_string(),
                }],
            }));
            d
        },
        {
            let mut d = diag(
                &LABEL_ASCII,
                span_of(DOCKERFILE, "☕", 0),
                "Label `description` has a non-ASCII character",
            );
            d.related.push(Related {
                file_id: Default::default(),
                file: None,
                span: span_of(DOCKERFILE, "café", 0),
                message: "another one here".to_string(),
            });
            d
        },
    ];
    let compose = vec![{
        let mut d = diag(
            &LATEST,
            span_of(COMPOSE, "wharf/web:latest", 0),
            "Service `web` uses \"latest\": <not> pinned & 100% mutable, a:b",
        );
        d.help = Some("Pin a version, or a digest:\n`wharf/web:1.2@sha256:…`".into());
        d.related.push(Related {
            file_id: wharf::source::FileId(1),
            file: Some(PathBuf::from("./app/Dockerfile")),
            span: span_of(DOCKERFILE, "debian:12", 0),
            message: "the image is built from this base".to_string(),
        });
        d.related.push(Related {
            file_id: wharf::source::FileId(2),
            file: Some(PathBuf::from("other/Dockerfile")),
            span: Span::new(0, 4),
            message: "and from this one, which was not linted".to_string(),
        });
        d
    }];
    vec![
        LintedFile::new(
            SourceFile::new("./app/Dockerfile", DOCKERFILE, FileKind::Dockerfile),
            docker,
        ),
        LintedFile::new(
            SourceFile::new("compose.yaml", COMPOSE, FileKind::Compose),
            compose,
        ),
        LintedFile::new(
            SourceFile::new("clean/Dockerfile", "FROM scratch\n", FileKind::Dockerfile),
            vec![],
        ),
    ]
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Json | Format::Sarif | Format::Gitlab => "json",
        Format::Checkstyle | Format::Junit => "xml",
        Format::Human | Format::Github | Format::Gnu | Format::Concise => "txt",
    }
}

fn render(format: Format, report: &Report<'_>, opts: &OutputOptions) -> String {
    let mut out = Vec::new();
    write(format, report, opts, &mut out).expect("writing to a Vec cannot fail");
    let out = String::from_utf8(out).expect("output is UTF-8");
    // The version changes with every release; goldens should not.
    out.replace(
        &format!("\"{}\"", env!("CARGO_PKG_VERSION")),
        "\"[VERSION]\"",
    )
}

/// Compares `actual` with the golden file `name`, or writes it when `WHARF_BLESS=1`.
fn check_golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/output")
        .join(name);
    if std::env::var_os("WHARF_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().expect("golden has a parent"))
            .expect("create golden dir");
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read golden {}: {e}\nrun with WHARF_BLESS=1 to create it",
            path.display()
        )
    });
    if expected == actual {
        return;
    }
    let mut diff = String::new();
    let exp: Vec<&str> = expected.lines().collect();
    let act: Vec<&str> = actual.lines().collect();
    for i in 0..exp.len().max(act.len()) {
        let (e, a) = (exp.get(i), act.get(i));
        if e != a {
            if let Some(e) = e {
                diff.push_str(&format!("{:>4} - {e}\n", i + 1));
            }
            if let Some(a) = a {
                diff.push_str(&format!("{:>4} + {a}\n", i + 1));
            }
        }
    }
    if diff.is_empty() {
        diff.push_str("(the difference is in line endings or a trailing newline)\n");
    }
    panic!(
        "output differs from golden {} (- golden, + actual):\n{diff}\nrun with WHARF_BLESS=1 to update it",
        path.display()
    );
}

#[test]
fn every_format_matches_its_golden() {
    let files = files();
    let report = Report::new(&files, RULES);
    let opts = OutputOptions::default();
    for format in Format::ALL {
        let out = render(format, &report, &opts);
        check_golden(&format!("{}.{}", format.as_str(), extension(format)), &out);
    }
    let with_fixes = OutputOptions {
        show_fixes: true,
        ..OutputOptions::default()
    };
    check_golden(
        "human-show-fixes.txt",
        &render(Format::Human, &report, &with_fixes),
    );
}

#[test]
fn colour_only_when_asked() {
    let files = files();
    let report = Report::new(&files, RULES);
    for format in Format::ALL {
        let plain = render(format, &report, &OutputOptions::default());
        assert!(
            !plain.contains('\x1b'),
            "{format} has escapes without colour"
        );
    }
    let colour = OutputOptions {
        color: true,
        ..OutputOptions::default()
    };
    for format in [Format::Human, Format::Concise] {
        assert!(
            render(format, &report, &colour).contains('\x1b'),
            "{format}"
        );
    }
    // Colour never leaks into the machine formats.
    for format in [Format::Json, Format::Sarif, Format::Gitlab, Format::Junit] {
        assert!(
            !render(format, &report, &colour).contains('\x1b'),
            "{format}"
        );
    }
}

#[test]
fn json_of_many_files_is_the_single_files_arrays_joined() {
    // More files than one rendering batch, with files without findings among them (first,
    // last, and runs of them).
    let one = files();
    let mut many = Vec::new();
    for i in 0..700 {
        let mut f = one[i % one.len()].clone();
        // A related label into another file renders differently in a one-file report.
        for d in &mut f.diagnostics {
            d.related.clear();
        }
        if i % 3 == 0 || i % 7 == 1 || i == 699 {
            f.diagnostics.clear();
        }
        many.push(f);
    }
    let out = render(
        Format::Json,
        &Report::new(&many, RULES),
        &OutputOptions::default(),
    );
    let mut parts = Vec::new();
    let mut values = Vec::new();
    for f in &many {
        let single = render(
            Format::Json,
            &Report::new(std::slice::from_ref(f), RULES),
            &OutputOptions::default(),
        );
        let v: serde_json::Value = serde_json::from_str(&single).expect("valid JSON");
        values.extend(v.as_array().expect("an array").iter().cloned());
        if let Some(inner) = single
            .strip_prefix("[\n")
            .and_then(|s| s.strip_suffix("\n]\n"))
        {
            parts.push(inner.to_string());
        }
    }
    assert!(values.len() > 150, "{}", values.len());
    assert_eq!(out, format!("[\n{}\n]\n", parts.join(",\n")));
    let whole: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(whole, serde_json::Value::Array(values));
}

#[test]
fn json_contract() {
    let files = files();
    let report = Report::new(&files, RULES);
    let out = render(Format::Json, &report, &OutputOptions::default());
    let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let items = value.as_array().expect("an array");
    assert_eq!(items.len(), 4);

    // Keys come in the documented order (serde_json's map sorts them, so read the text).
    let keys = [
        "code",
        "name",
        "severity",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "help",
        "fix",
    ];
    let object = out
        .split("\n  },\n")
        .find(|o| o.contains("\"DL3008\""))
        .expect("the DL3008 object");
    let positions: Vec<usize> = keys
        .iter()
        .map(|k| {
            object
                .find(&format!("\n    \"{k}\": "))
                .unwrap_or_else(|| panic!("no key {k}"))
        })
        .collect();
    assert!(positions.is_sorted(), "key order: {positions:?}");

    let first = &items[1];
    assert_eq!(first["code"], "DL3008");
    assert_eq!(first["name"], "apt-get-unpinned");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["file"], "app/Dockerfile");
    assert_eq!(
        (
            &first["line"],
            &first["column"],
            &first["end_line"],
            &first["end_column"]
        ),
        (&2.into(), &21.into(), &2.into(), &25.into())
    );
    assert_eq!(first["fix"]["applicability"], "unsafe");
    assert_eq!(first["fix"]["edits"][0]["content"], "curl=7.88.1-10");
    assert_eq!(first["fix"]["edits"][0]["column"], 21);

    // An insertion: start equals end.
    let edit = &items[0]["fix"]["edits"][0];
    assert_eq!(edit["column"], edit["end_column"]);
    assert!(items[0].get("help").is_none());
    assert!(items[0].get("related").is_none());

    // Columns count characters: `LABEL description="café ` is 24 characters, 25 bytes.
    let label = &items[2];
    assert_eq!(label["severity"], "style");
    assert_eq!((&label["line"], &label["column"]), (&4.into(), &25.into()));
    assert_eq!(label["end_column"], 26);
    assert_eq!(label["related"][0]["file"], "app/Dockerfile");
    assert_eq!(label["related"][0]["column"], 20);

    let latest = &items[3];
    assert_eq!(latest["file"], "compose.yaml");
    assert_eq!(latest["severity"], "error");
    assert_eq!(latest["related"][0]["file"], "app/Dockerfile");
    assert_eq!(latest["related"][0]["line"], 1);
    assert_eq!(latest["related"][0]["column"], 6);
    assert_eq!(latest["related"][1]["file"], "other/Dockerfile");
    assert!(latest["related"][1].get("line").is_none());
}

#[test]
fn gitlab_report() {
    let files = files();
    let report = Report::new(&files, RULES);
    let out = render(Format::Gitlab, &report, &OutputOptions::default());
    let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let items = value.as_array().expect("an array");
    assert_eq!(items.len(), 4);
    let severities: Vec<&str> = items
        .iter()
        .map(|i| i["severity"].as_str().expect("severity"))
        .collect();
    assert_eq!(severities, ["info", "minor", "info", "major"]);
    for item in items {
        assert!(item["description"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(item["check_name"].as_str().is_some());
        assert!(item["location"]["path"].as_str().is_some());
        assert!(item["location"]["lines"]["begin"].as_u64().is_some());
        assert_eq!(item["fingerprint"].as_str().map(str::len), Some(16));
    }
    let mut fingerprints: Vec<&str> = items
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap_or(""))
        .collect();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), 4, "fingerprints are unique");
}

/// Fingerprints do not depend on line numbers, and distinguish repeated findings.
#[test]
fn fingerprints_survive_moves() {
    let make = |text: &str| {
        let spans: Vec<Span> = text
            .match_indices("curl")
            .map(|(i, _)| Span::from_range(i..i + 4))
            .collect();
        let diags = spans.iter().map(|s| diag(&APT_PIN, *s, "m")).collect();
        vec![LintedFile::new(
            SourceFile::new("Dockerfile", text, FileKind::Dockerfile),
            diags,
        )]
    };
    let fingerprints = |files: &[LintedFile], format: Format| -> Vec<String> {
        let out = render(
            format,
            &Report::new(files, RULES),
            &OutputOptions::default(),
        );
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        match format {
            Format::Gitlab => v
                .as_array()
                .expect("array")
                .iter()
                .map(|i| i["fingerprint"].to_string())
                .collect(),
            _ => v["runs"][0]["results"]
                .as_array()
                .expect("results")
                .iter()
                .map(|r| r["partialFingerprints"]["primaryLocationLineHash"].to_string())
                .collect(),
        }
    };
    let before = make("FROM a\nRUN apt-get install curl\nRUN apt-get install curl\n");
    let after = make("FROM a\n# moved\n\nRUN apt-get install curl\nRUN apt-get install curl\n");
    for format in [Format::Gitlab, Format::Sarif] {
        let a = fingerprints(&before, format);
        let b = fingerprints(&after, format);
        assert_eq!(a, b, "{format}");
        assert_ne!(a[0], a[1], "{format}: identical lines still differ");
    }
}

/// The SARIF log validates against the OASIS schema (draft-04, local refs only: no network).
fn validate_sarif(out: &str) {
    let Some(schema_path) = wharf::shared_data::shared_path("schemas/sarif-schema-2.1.0.json")
    else {
        return;
    };
    let schema = std::fs::read_to_string(&schema_path).expect("the SARIF schema is readable");
    let schema: serde_json::Value = serde_json::from_str(&schema).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let instance: serde_json::Value = serde_json::from_str(out).expect("SARIF is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF is not valid:\n{}",
        errors.join("\n")
    );

    // The validator is not vacuous: a broken log fails.
    let mut broken = instance.clone();
    broken["runs"][0]["columnKind"] = "bytes".into();
    assert!(
        !validator.is_valid(&broken),
        "an invalid log passed validation"
    );
}

#[test]
fn sarif_is_valid_and_complete() {
    let files = files();
    let report = Report::new(&files, RULES);
    let opts = OutputOptions {
        srcroot: Some(PathBuf::from("/work/project")),
        ..OutputOptions::default()
    };
    let out = render(Format::Sarif, &report, &opts);
    validate_sarif(&out);

    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let run = &v["runs"][0];
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        "file:///work/project/"
    );
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 4);
    assert_eq!(rules[2]["id"], "DL3008");
    assert_eq!(rules[2]["name"], "AptGetUnpinned");
    assert!(
        rules[2]["help"]["markdown"]
            .as_str()
            .is_some_and(|m| m.contains("## Example"))
    );
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 4);
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
    }
    assert_eq!(results[0]["level"], "note");
    assert_eq!(results[1]["level"], "warning");
    assert_eq!(results[2]["level"], "note");
    assert_eq!(results[3]["level"], "error");
    assert!(results[1]["fixes"][0]["artifactChanges"][0]["replacements"][0].is_object());
    assert_eq!(
        results[3]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/Dockerfile"
    );
}

#[test]
fn xml_formats_are_well_formed() {
    let files = files();
    let report = Report::new(&files, RULES);
    for format in [Format::Checkstyle, Format::Junit] {
        let out = render(format, &report, &OutputOptions::default());
        let messages = parse_xml(&out);
        assert!(
            messages
                .iter()
                .any(|m| m == "Service `web` uses \"latest\": <not> pinned & 100% mutable, a:b"),
            "{format}: the escaped message reads back intact: {messages:?}"
        );
    }
}

/// Parses an XML document fully (failing on any error) and returns its `message` attributes.
fn parse_xml(xml: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut messages = Vec::new();
    let mut elements = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                for attr in e.attributes() {
                    let attr = attr.expect("well-formed attribute");
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Explicit1_0)
                        .expect("valid escapes");
                    if attr.key.0 == "message" {
                        messages.push(value.into_owned());
                    }
                }
                elements += 1;
            }
            Ok(_) => {}
            Err(e) => panic!("invalid XML at {}: {e}\n{xml}", reader.buffer_position()),
        }
    }
    assert!(elements > 0, "no element in:\n{xml}");
    messages
}

#[test]
fn empty_report_renders_valid_output() {
    let report = Report::new(&[], &[]);
    let opts = OutputOptions::default();
    for format in Format::ALL {
        let out = render(format, &report, &opts);
        match format {
            Format::Json | Format::Gitlab => assert_eq!(out, "[]\n", "{format}"),
            Format::Sarif => {
                validate_sarif(&out);
                let v: serde_json::Value = serde_json::from_str(&out).expect("json");
                assert_eq!(v["runs"][0]["results"], serde_json::json!([]));
                assert_eq!(
                    v["runs"][0]["tool"]["driver"]["rules"],
                    serde_json::json!([])
                );
            }
            Format::Checkstyle | Format::Junit => {
                parse_xml(&out);
            }
            Format::Github | Format::Gnu => assert_eq!(out, "", "{format}"),
            Format::Human | Format::Concise => {
                assert_eq!(out, "All checks passed!\n", "{format}")
            }
        }
    }
    let quiet = OutputOptions {
        quiet: true,
        ..OutputOptions::default()
    };
    assert_eq!(render(Format::Human, &report, &quiet), "");
}

#[test]
fn summaries() {
    let files = files();
    assert_eq!(
        summary(&Report::new(&files, RULES)),
        "Found 4 problems (1 error, 1 warning, 1 info, 1 style); 1 fixable with --fix, 1 more with --unsafe-fixes."
    );
    assert_eq!(summary(&Report::new(&[], &[])), "All checks passed!");
    let one = vec![LintedFile::new(
        SourceFile::new("Dockerfile", "FROM a\n", FileKind::Dockerfile),
        vec![diag(&LATEST, Span::new(0, 4), "m")],
    )];
    assert_eq!(
        summary(&Report::new(&one, &[])),
        "Found 1 problem (1 error)."
    );
}

/// Spans past the end of the text or inside a character never make a format fail.
#[test]
fn odd_spans_do_not_fail() {
    let text = "FROM é\n";
    let files = vec![LintedFile::new(
        SourceFile::new("Dockerfile", text, FileKind::Dockerfile),
        vec![
            diag(&APT_PIN, Span::new(6, 7), "inside a character"),
            diag(&APT_PIN, Span::new(100, 200), "past the end"),
            {
                let mut d = diag(&APT_PIN, Span::new(0, 4), "bad fix");
                d.fix = Some(Box::new(Fix {
                    message: "overlapping and out of range".to_string(),
                    applicability: Applicability::Safe,
                    edits: vec![
                        Edit {
                            file: None,
                            span: Span::new(0, 4),
                            content: "A".to_string(),
                        },
                        Edit {
                            file: None,
                            span: Span::new(2, 6),
                            content: "B".to_string(),
                        },
                        Edit {
                            file: None,
                            span: Span::new(50, 60),
                            content: "C".to_string(),
                        },
                    ],
                }));
                d
            },
        ],
    )];
    let mut files = files;
    // An empty file, a file without a final newline, CRLF line ends, and a tab.
    for (path, text) in [
        ("empty", ""),
        ("no-newline", "FROM a"),
        ("crlf", "FROM a\r\n\tRUN b\r\n"),
    ] {
        files.push(LintedFile::new(
            SourceFile::new(path, text, FileKind::Dockerfile),
            vec![
                diag(&APT_PIN, Span::new(0, text.len() as u32), "whole file"),
                diag(&APT_PIN, Span::empty(text.len() as u32), "at the end"),
            ],
        ));
    }
    let report = Report::new(&files, RULES);
    let opts = OutputOptions {
        show_fixes: true,
        ..OutputOptions::default()
    };
    for format in Format::ALL {
        let out = render(format, &report, &opts);
        assert!(!out.is_empty(), "{format}");
    }
    let human = render(Format::Human, &report, &opts);
    assert!(human.contains("crlf:3:1: DL3008 at the end"), "{human}");
    assert!(!human.contains('\r'), "{human}");
    validate_sarif(&render(Format::Sarif, &report, &opts));
}

#[test]
fn severities_are_mapped() {
    // Every severity appears once in the fixture report; make sure none is lost.
    let files = files();
    let report = Report::new(&files, RULES);
    let counts = report.counts();
    assert_eq!(
        (counts.errors, counts.warnings, counts.infos, counts.styles),
        (1, 1, 1, 1)
    );
    assert_eq!(Severity::ALL.len(), 4);
}

#[test]
fn files_not_linted_are_in_every_format() {
    let files = files();
    let errors = [wharf::output::FileError {
        path: PathBuf::from("./broken/Dockerfile"),
        message: "not a regular file (a FIFO)".into(),
    }];
    let report = Report::new(&files, RULES).with_not_linted(&errors);
    let opts = OutputOptions::default();
    for format in Format::ALL {
        let out = render(format, &report, &opts);
        assert!(!out.contains("All checks passed"), "{format}");
        match format {
            // The array contract is kept: the CLI signals it on stderr and in the exit code.
            Format::Json => {
                assert!(!out.contains("broken"), "{format}");
                continue;
            }
            Format::Human => {
                assert!(
                    out.contains("1 file could not be linted"),
                    "{format}: {out}"
                );
                continue;
            }
            Format::Sarif => {
                validate_sarif(&out);
                let v: serde_json::Value = serde_json::from_str(&out).expect("json");
                let n = &v["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
                assert_eq!(
                    n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                    "broken/Dockerfile"
                );
            }
            Format::Checkstyle | Format::Junit => {
                parse_xml(&out);
            }
            _ => {}
        }
        assert!(out.contains("broken/Dockerfile"), "{format}: {out}");
        assert!(out.contains("a FIFO"), "{format}: {out}");
    }
    let empty = Report::new(&[], &[]).with_not_linted(&errors);
    assert_eq!(
        summary(&empty),
        "No problems found in the files linted; 1 file could not be linted."
    );
}

/// The human format costs what it prints, not findings × file size: a 5 MiB file with 1,000
/// findings at its end, and 20,000 findings in one file, render in well under a second each
/// in release builds. No time is asserted (a loaded machine would make that flaky): a return
/// to the quadratic renderer shows as this test taking tens of seconds, and in
/// `docs/performance.md`'s scaling measurements.
#[test]
fn human_rendering_is_linear() {
    let mut text = "# filler line of a large file\n".repeat(5 * 1024 * 1024 / 30);
    let tail = text.len();
    text.push_str(&"RUN apt-get install curl\n".repeat(1000));
    let diags: Vec<Diagnostic> = (0..1000)
        .map(|i| {
            let at = (tail + i * 25 + 4) as u32;
            diag(&APT_PIN, Span::new(at, at + 7), "pin versions")
        })
        .collect();
    let big = vec![LintedFile::new(
        SourceFile::new("Dockerfile", text, FileKind::Dockerfile),
        diags,
    )];
    let many_text = "RUN apt-get install curl\n".repeat(20_000);
    let many_diags: Vec<Diagnostic> = (0..20_000)
        .map(|i| {
            let at = (i * 25 + 4) as u32;
            diag(&APT_PIN, Span::new(at, at + 7), "pin versions")
        })
        .collect();
    let many = vec![LintedFile::new(
        SourceFile::new("Dockerfile", many_text, FileKind::Dockerfile),
        many_diags,
    )];
    for files in [big, many] {
        let report = Report::new(&files, RULES);
        let out = render(Format::Human, &report, &OutputOptions::default());
        assert!(out.contains("Found"), "rendered");
    }
}

/// Every rule descriptor carries what GitHub code scanning ranks and sorts by.
#[test]
fn sarif_rules_have_precision_tags_and_security_severity() {
    let rules = wharf::registry::all();
    let report = Report::new(&[], rules);
    let out = render(Format::Sarif, &report, &OutputOptions::default());
    validate_sarif(&out);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let descriptors = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert_eq!(descriptors.len(), rules.len());
    let mut security = 0;
    for (d, rule) in descriptors.iter().zip(rules) {
        let props = &d["properties"];
        assert_eq!(
            props["precision"],
            rule.precision().as_str(),
            "{}",
            rule.code
        );
        assert!(
            ["very-high", "high", "medium", "low"].contains(&props["precision"].as_str().unwrap()),
            "{}",
            rule.code
        );
        let tags: Vec<&str> = props["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(
            tags.contains(&rule.category.as_str()),
            "{}: {tags:?}",
            rule.code
        );
        if rule.category == Category::Security {
            security += 1;
            let score: f64 = props["security-severity"]
                .as_str()
                .expect("a numeric string")
                .parse()
                .expect("numeric");
            assert!((0.0..=10.0).contains(&score), "{}", rule.code);
            assert!(tags.contains(&"security"), "{}", rule.code);
        } else {
            assert!(props.get("security-severity").is_none(), "{}", rule.code);
        }
    }
    assert!(security > 0, "the catalogue has security rules");
}

/// The machine formats cost findings + file size, also when the findings sit on one very long
/// line (a minified compose file): positions and fingerprints do not rescan the line.
#[test]
fn positions_on_a_long_line_are_cheap() {
    let mut text = "x".repeat(5 * 1024 * 1024);
    let tail = text.len();
    text.push_str(&" curl".repeat(1000));
    let diags: Vec<Diagnostic> = (0..1000)
        .map(|i| {
            let at = (tail + i * 5 + 1) as u32;
            diag(&APT_PIN, Span::new(at, at + 4), "pin versions")
        })
        .collect();
    let files = vec![LintedFile::new(
        SourceFile::new("Dockerfile", text, FileKind::Dockerfile),
        diags,
    )];
    let report = Report::new(&files, RULES);
    for format in Format::ALL.into_iter().filter(|f| *f != Format::Human) {
        let out = render(format, &report, &OutputOptions::default());
        assert!(!out.is_empty());
    }
}
