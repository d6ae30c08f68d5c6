use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::diagnostic::{Fix, Severity};
use crate::rule::{Category, Check, Context};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports the top-level `version` key of a compose file.
    ///
    /// ## Why is this bad?
    /// The Compose Specification dropped the version number: Docker Compose ignores the key
    /// and prints a warning on every run that it is obsolete. Keeping it suggests that the
    /// file is checked against a format version, which it is not, and leads readers to look
    /// for features by version when the running Compose release is what counts.
    ///
    /// ## Example
    /// ```yaml
    /// version: "3.8"
    /// services:
    ///   web:
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## Fix safety
    /// The fix deletes the line(s) of the `version` entry. Compose ignores the key, so the
    /// fix is safe. There is no fix when the entry shares a line with other content (a flow
    /// mapping such as `{version: "3", services: ...}`).
    pub static RULE = Rule {
        code: "DC001",
        name: "obsolete-version-key",
        category: Category::Style,
        severity: Some(Severity::Warning),
        enabled: Some(true),
        summary: "the top-level `version` key is obsolete",
        aliases: &["no-version-field"],
        fixable: true,
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    for entry in ctx.file.version_entries() {
        let span = entry.span();
        let fix = delete_lines(&ctx.source.text, span);
        let diagnostic = ctx
            .report(span, "the `version` key is obsolete")
            .help("Compose ignores `version`; remove it");
        if let Some(fix) = fix {
            diagnostic.fix(fix);
        }
    }
}

/// A fix deleting the whole lines `span` sits on, when nothing else shares them (a trailing
/// comment goes with the entry).
fn delete_lines(text: &str, span: Span) -> Option<Fix> {
    let start = span.start as usize;
    let end = span.end as usize;
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    // A byte-order mark before the first line is not content (the applier keeps it).
    let before = text.get(line_start..start)?.trim_start_matches('\u{feff}');
    if !before.trim().is_empty() {
        return None;
    }
    let rest = text.get(end..)?;
    let line_end = rest.find('\n').map_or(text.len(), |i| end + i + 1);
    let tail = text.get(end..line_end)?.trim();
    if !(tail.is_empty() || tail.starts_with('#')) {
        return None;
    }
    Some(Fix::safe_delete(
        Span::from_range(line_start..line_end),
        "remove the `version` key",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Diagnostic};
    use crate::settings::RuleSettings;
    use crate::source::{FileKind, SourceFile};

    fn run(text: &str) -> Vec<Diagnostic> {
        let file = crate::compose::parse(text);
        let source = SourceFile::new("compose.yaml", text, FileKind::Compose);
        let settings = RuleSettings::default();
        let mut ctx = Context::new(&file, &source, &settings, &RULE);
        check(&mut ctx);
        ctx.into_diagnostics()
    }

    fn apply(text: &str, fix: &Fix) -> String {
        crate::fix::apply_fixes(text, [(RULE.code, fix)], Applicability::Safe).text
    }

    #[test]
    fn reports_the_entry_and_deletes_its_line() {
        let text = "# header\nversion: \"3.8\"  # old\nservices:\n  web:\n    image: nginx\n";
        let d = run(text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].span.text(text), "version: \"3.8\"");
        assert_eq!(d[0].message, "the `version` key is obsolete");
        assert_eq!(d[0].severity, Severity::Warning);
        let fix = d[0].fix.as_ref().expect("a fix");
        assert_eq!(fix.applicability, Applicability::Safe);
        assert_eq!(
            apply(text, fix),
            "# header\nservices:\n  web:\n    image: nginx\n"
        );
    }

    #[test]
    fn multi_line_value_and_last_line() {
        let text = "services: {}\nversion:\n  '2.4'";
        let d = run(text);
        assert_eq!(d[0].span.text(text), "version:\n  '2.4'");
        assert_eq!(apply(text, d[0].fix.as_ref().unwrap()), "services: {}\n");
    }

    #[test]
    fn every_document_and_crlf() {
        let text = "version: '3'\r\nservices: {}\r\n---\r\nversion: '3'\r\n";
        let d = run(text);
        assert_eq!(d.len(), 2);
        assert_eq!(
            apply(text, d[0].fix.as_ref().unwrap()),
            "services: {}\r\n---\r\nversion: '3'\r\n"
        );
    }

    #[test]
    fn flow_mapping_gets_no_fix() {
        let text = "{version: '3', services: {}}\n";
        let d = run(text);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].span.text(text), "version: '3'");
        assert!(d[0].fix.is_none());
    }

    #[test]
    fn quiet_without_version() {
        assert!(run("services:\n  web:\n    image: nginx\n    version: 1\n").is_empty());
        assert!(run("x-version: 3\nservices: {}\n").is_empty());
        assert!(run("").is_empty());
    }

    #[test]
    fn fixtures() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/DC001");
        let fail = std::fs::read_to_string(dir.join("fail.yaml")).unwrap();
        let index = crate::source::LineIndex::new(&fail);
        let got: Vec<u32> = run(&fail)
            .iter()
            .map(|d| index.line_col(&fail, d.span.start).line)
            .collect();
        let want: Vec<u32> = fail
            .lines()
            .enumerate()
            .filter(|(_, l)| l.trim() == "# expect: DC001")
            .map(|(i, _)| i as u32 + 2)
            .collect();
        assert_eq!(got, want);
        let pass = std::fs::read_to_string(dir.join("pass.yaml")).unwrap();
        assert!(crate::compose::parse(&pass).errors.is_empty());
        assert!(run(&pass).is_empty());
    }

    #[test]
    fn doc_examples() {
        for bad in RULE.doc_examples("Example") {
            assert_eq!(run(&bad).len(), 1, "{bad}");
        }
        for good in RULE.doc_examples("Use instead") {
            assert!(run(&good).is_empty(), "{good}");
        }
        assert_eq!(RULE.doc_examples("Example").len(), 1);
    }
}
