//! The one fix applier: applies the fixes of a set of diagnostics to a text with one overlap
//! rule, filtered by applicability, and re-lints until nothing is left to fix. The fixture
//! runner's `.fixed` goldens, the human format's `--show-fixes` preview, and later `--fix` and
//! the language server all go through here, so they all agree on what a fix does.
//!
//! The overlap rule: fixes are taken in the order of their first edit (then their rule code);
//! a fix is applied whole or not at all; it is left out of this pass when one of its edits
//! overlaps an edit already accepted, or two of its own edits overlap. Two edits overlap when
//! their ranges share a byte, when both insert at the same offset, or when one inserts strictly
//! inside the range the other replaces. Touching edits (`0..3` and `3..5`) do not overlap, and
//! an edit equal to one already accepted (two findings offering to delete the same line) is the
//! same change, made once. A fix left out is tried again on the next pass, over the re-linted
//! text.
//!
//! Line endings: in a file whose lines end with CRLF, a newline in a fix's content is written as
//! CRLF, so that a fix never mixes line endings. A byte-order mark is never removed: an edit
//! that would replace it starts after it.
//!
//! Writing fixed files back ([`write`]) and showing them as a diff ([`diff`]) live beside the
//! applier; `wharf check --fix` ties them together ([`files`]).

pub mod diff;
pub mod files;
pub mod write;

use std::collections::BTreeMap;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::source::{FileId, Span};

/// How many lint-and-fix passes [`fix_to_fixpoint`] makes before giving up.
pub const MAX_PASSES: usize = 10;

impl Applicability {
    /// True when a fix of this applicability may be applied at `level` (`Unsafe` allows
    /// both).
    pub fn allowed_at(self, level: Applicability) -> bool {
        self == Applicability::Safe || level == Applicability::Unsafe
    }
}

fn overlaps(a: Span, b: Span) -> bool {
    if a.is_empty() && b.is_empty() {
        return a.start == b.start;
    }
    if a.is_empty() {
        return b.start < a.start && a.start < b.end;
    }
    if b.is_empty() {
        return a.start < b.start && b.start < a.end;
    }
    a.start < b.end && b.start < a.end
}

/// The result of one pass of [`apply_fixes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// How many fixes allowed at the level were left out because they overlap.
    pub skipped: usize,
    /// The rule code of each fix applied.
    pub codes: Vec<&'static str>,
}

/// Applies the fixes allowed at `level` under the overlap rule (see the module docs) to the
/// text of one file; the caller passes that file's fixes ([`fixes_of`] picks them). A fix
/// whose edits are not all in one file, or whose spans lie outside the text or not on
/// character boundaries, is refused.
pub fn apply_fixes<'a>(
    text: &str,
    fixes: impl IntoIterator<Item = (&'static str, &'a Fix)>,
    level: Applicability,
) -> Applied {
    let mut candidates: Vec<(&'static str, &Fix)> = fixes
        .into_iter()
        .filter(|(_, f)| f.applicability.allowed_at(level) && !f.edits.is_empty())
        .collect();
    let first = |f: &Fix| f.edits.iter().map(|e| (e.span.start, e.span.end)).min();
    candidates.sort_by(|a, b| (first(a.1), a.0).cmp(&(first(b.1), b.0)));
    let mut accepted: Vec<&Edit> = Vec::new();
    let (mut applied, mut skipped) = (0, 0);
    let mut codes = Vec::new();
    for (code, fix) in candidates {
        let file = fix.edits[0].file;
        let valid = fix
            .edits
            .iter()
            .all(|e| e.file == file && text.get(e.span.range()).is_some());
        let self_overlap = fix
            .edits
            .iter()
            .enumerate()
            .any(|(i, a)| fix.edits[i + 1..].iter().any(|b| overlaps(a.span, b.span)));
        // An edit equal to one already accepted is the same change, made once.
        let new: Vec<&Edit> = fix.edits.iter().filter(|e| !accepted.contains(e)).collect();
        let clash = new
            .iter()
            .any(|e| accepted.iter().any(|a| overlaps(a.span, e.span)));
        if !valid || self_overlap || clash {
            skipped += 1;
            continue;
        }
        accepted.extend(new);
        applied += 1;
        codes.push(code);
    }
    accepted.sort_by_key(|e| (e.span.start, e.span.end));
    let crlf = uses_crlf(text);
    // Offsets inside a byte-order mark can only be 0 (the mark is one character).
    let kept = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for e in accepted {
        let start = (e.span.start as usize).max(kept).max(at);
        let end = (e.span.end as usize).max(start);
        out.push_str(&text[at..start]);
        if crlf {
            push_with_crlf(&mut out, &e.content);
        } else {
            out.push_str(&e.content);
        }
        at = end;
    }
    out.push_str(&text[at..]);
    Applied {
        text: out,
        applied,
        skipped,
        codes,
    }
}

/// True when the text's lines end with CRLF (judged by its first line end).
pub fn uses_crlf(text: &str) -> bool {
    text.find('\n')
        .is_some_and(|i| i > 0 && text.as_bytes()[i - 1] == b'\r')
}

/// Appends `content` with each bare `\n` written as `\r\n`.
fn push_with_crlf(out: &mut String, content: &str) {
    let mut prev = '\0';
    for c in content.chars() {
        if c == '\n' && prev != '\r' {
            out.push('\r');
        }
        out.push(c);
        prev = c;
    }
}

/// The fixes of one file's diagnostics, with their rule codes, for [`apply_fixes`]: those
/// whose edits are all in the diagnostic's own file. A project rule's fix that edits another
/// file is left out (it belongs to a fixer that holds the whole project).
pub fn fixes_of(diags: &[Diagnostic]) -> impl Iterator<Item = (&'static str, &Fix)> {
    diags.iter().filter_map(|d| {
        let fix: &Fix = d.fix.as_deref()?;
        let own = fix.edits.iter().all(|e| e.file.is_none_or(|f| f == d.file));
        own.then_some((d.code, fix))
    })
}

/// What [`fix_to_fixpoint`] reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixpoint {
    pub text: String,
    /// Lint passes made (the last one found nothing left to apply, unless not converged).
    pub passes: usize,
    /// Fixes applied over all passes.
    pub applied: usize,
    /// How many fixes each rule applied over all passes, by code.
    pub by_rule: BTreeMap<&'static str, usize>,
    /// The codes of the rules that still had fixes after [`MAX_PASSES`]; empty when the
    /// fixes converged.
    pub unconverged: Vec<&'static str>,
    /// The findings of the last lint, those of `text`: what is left after fixing.
    pub diagnostics: Vec<Diagnostic>,
}

impl Fixpoint {
    /// The non-convergence as a message naming the rules, `None` when the fixes converged.
    pub fn error(&self) -> Option<String> {
        (!self.unconverged.is_empty()).then(|| {
            format!(
                "fixes did not converge after {} passes: {} still offered fixes",
                self.passes,
                self.unconverged.join(", ")
            )
        })
    }
}

/// Lints `text` with `lint`, applies the fixes allowed at `level`, and repeats over the new
/// text until no fix is left (at most [`MAX_PASSES`] passes).
pub fn fix_to_fixpoint(
    text: &str,
    level: Applicability,
    mut lint: impl FnMut(&str) -> Vec<Diagnostic>,
) -> Fixpoint {
    let first = lint(text);
    fix_from(text, first, level, lint)
}

/// [`fix_to_fixpoint`] when the findings of `text` are already known (`diagnostics`): a file
/// linted once is not linted again before its first pass.
pub fn fix_from(
    text: &str,
    diagnostics: Vec<Diagnostic>,
    level: Applicability,
    mut lint: impl FnMut(&str) -> Vec<Diagnostic>,
) -> Fixpoint {
    let mut current = text.to_string();
    let mut diags = diagnostics;
    let mut applied = 0;
    let mut by_rule = BTreeMap::new();
    for pass in 1..=MAX_PASSES {
        let step = apply_fixes(&current, fixes_of(&diags), level);
        if step.applied == 0 {
            return Fixpoint {
                text: current,
                passes: pass,
                applied,
                by_rule,
                unconverged: Vec::new(),
                diagnostics: diags,
            };
        }
        applied += step.applied;
        for code in step.codes {
            *by_rule.entry(code).or_default() += 1;
        }
        current = step.text;
        diags = lint(&current);
    }
    let mut unconverged: Vec<&'static str> = diags
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability.allowed_at(level))
        })
        .map(|d| d.code)
        .collect();
    unconverged.sort_unstable();
    unconverged.dedup();
    Fixpoint {
        text: current,
        passes: MAX_PASSES,
        applied,
        by_rule,
        unconverged,
        diagnostics: diags,
    }
}

/// The lines one fix changes, before and after: from the start of the line of its first edit
/// to the end of the line of its last, for the human format's `--show-fixes` preview. Empty
/// when the fix cannot be applied.
pub fn preview(text: &str, fix: &Fix) -> (String, String) {
    let applied = apply_fixes(text, [("", fix)], Applicability::Unsafe);
    let (Some(first), Some(last)) = (
        fix.edits.iter().map(|e| e.span.start).min(),
        fix.edits.iter().map(|e| e.span.end).max(),
    ) else {
        return (String::new(), String::new());
    };
    if applied.applied == 0 {
        return (String::new(), String::new());
    }
    let from = text[..first as usize].rfind('\n').map_or(0, |i| i + 1);
    let to = text[last as usize..]
        .find('\n')
        .map_or(text.len(), |i| last as usize + i);
    let new_to = to + applied.text.len() - text.len();
    (
        text[from..to].to_string(),
        applied.text[from..new_to].to_string(),
    )
}

/// Constructors that keep a rule's fix to a line: `Fix::safe_replace(span, text, "message")`.
impl Fix {
    fn one(applicability: Applicability, message: impl Into<String>, edit: Edit) -> Fix {
        Fix {
            message: message.into(),
            applicability,
            edits: vec![edit],
        }
    }

    /// Replaces `span` with `content`, keeping the file's meaning.
    pub fn safe_replace(span: Span, content: impl Into<String>, message: impl Into<String>) -> Fix {
        Fix::one(Applicability::Safe, message, Edit::replace(span, content))
    }

    /// Replaces `span` with `content`; may change behaviour, so it is never applied silently.
    pub fn unsafe_replace(
        span: Span,
        content: impl Into<String>,
        message: impl Into<String>,
    ) -> Fix {
        Fix::one(Applicability::Unsafe, message, Edit::replace(span, content))
    }

    /// Deletes `span`, keeping the file's meaning.
    pub fn safe_delete(span: Span, message: impl Into<String>) -> Fix {
        Fix::one(Applicability::Safe, message, Edit::delete(span))
    }

    /// Deletes `span`; may change behaviour.
    pub fn unsafe_delete(span: Span, message: impl Into<String>) -> Fix {
        Fix::one(Applicability::Unsafe, message, Edit::delete(span))
    }

    /// Inserts `content` before byte offset `at`, keeping the file's meaning.
    pub fn safe_insert_before(
        at: u32,
        content: impl Into<String>,
        message: impl Into<String>,
    ) -> Fix {
        Fix::one(Applicability::Safe, message, Edit::insert(at, content))
    }

    /// Inserts `content` before byte offset `at`; may change behaviour.
    pub fn unsafe_insert_before(
        at: u32,
        content: impl Into<String>,
        message: impl Into<String>,
    ) -> Fix {
        Fix::one(Applicability::Unsafe, message, Edit::insert(at, content))
    }

    /// The same fix with another applicability.
    pub fn with_applicability(mut self, applicability: Applicability) -> Fix {
        self.applicability = applicability;
        self
    }

    /// The same fix with its edits placed in file `file` of the run (for a project rule
    /// fixing another file than the one it reports in).
    pub fn in_file(mut self, file: FileId) -> Fix {
        for e in &mut self.edits {
            e.file = Some(file);
        }
        self
    }

    /// The same fix with one more edit (applied together, all or nothing).
    pub fn and(mut self, edit: Edit) -> Fix {
        self.edits.push(edit);
        self
    }
}

impl Edit {
    pub fn replace(span: Span, content: impl Into<String>) -> Edit {
        Edit {
            file: None,
            span,
            content: content.into(),
        }
    }

    pub fn delete(span: Span) -> Edit {
        Edit::replace(span, "")
    }

    pub fn insert(at: u32, content: impl Into<String>) -> Edit {
        Edit::replace(Span::empty(at), content)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(edits: &[(u32, u32, &str)], applicability: Applicability) -> Fix {
        let mut it = edits.iter();
        let &(s, e, c) = it.next().unwrap();
        let mut f = Fix::safe_replace(Span::new(s, e), c, "m").with_applicability(applicability);
        for &(s, e, c) in it {
            f = f.and(Edit::replace(Span::new(s, e), c));
        }
        f
    }

    fn apply(text: &str, fixes: &[Fix], level: Applicability) -> Applied {
        apply_fixes(text, fixes.iter().map(|f| ("X", f)), level)
    }

    #[test]
    fn applies_in_order_and_skips_overlaps_whole() {
        let safe = Applicability::Safe;
        let fixes = [
            fix(&[(0, 3, "ABC")], safe),
            // Overlaps the first: left out whole, its second edit too.
            fix(&[(2, 4, "x"), (8, 9, "y")], safe),
            // Touches the first: applied.
            fix(&[(3, 4, "D")], safe),
        ];
        let out = apply("abcdefghij", &fixes, safe);
        assert_eq!(out.text, "ABCDefghij");
        assert_eq!((out.applied, out.skipped), (2, 1));
    }

    #[test]
    fn applicability_filters() {
        let fixes = [
            fix(&[(0, 1, "A")], Applicability::Safe),
            fix(&[(1, 2, "B")], Applicability::Unsafe),
        ];
        assert_eq!(apply("ab", &fixes, Applicability::Safe).text, "Ab");
        assert_eq!(apply("ab", &fixes, Applicability::Unsafe).text, "AB");
    }

    #[test]
    fn insertions_at_one_place_overlap_and_inside_a_replacement() {
        let safe = Applicability::Safe;
        let two_inserts = [fix(&[(1, 1, "x")], safe), fix(&[(1, 1, "y")], safe)];
        assert_eq!(apply("ab", &two_inserts, safe).text, "axb");
        let same = [fix(&[(0, 2, "")], safe), fix(&[(0, 2, "")], safe)];
        assert_eq!(apply("abcd", &same, safe).text, "cd");
        let inside = [fix(&[(0, 3, "")], safe), fix(&[(1, 1, "y")], safe)];
        assert_eq!(apply("abcd", &inside, safe).text, "d");
        let at_edge = [fix(&[(0, 3, "")], safe), fix(&[(3, 3, "y")], safe)];
        assert_eq!(apply("abcd", &at_edge, safe).text, "yd");
    }

    #[test]
    fn invalid_spans_and_self_overlap_are_refused() {
        let safe = Applicability::Safe;
        let out = apply("é", &[fix(&[(1, 2, "x")], safe)], safe);
        assert_eq!((out.text.as_str(), out.applied), ("é", 0));
        let out = apply("abc", &[fix(&[(0, 9, "x")], safe)], safe);
        assert_eq!(out.applied, 0);
        let out = apply("abc", &[fix(&[(0, 2, "x"), (1, 3, "y")], safe)], safe);
        assert_eq!(out.text, "abc");
    }

    #[test]
    fn a_fix_spanning_files_is_left_to_the_project_fixer() {
        let safe = Applicability::Safe;
        let two_files = fix(&[(0, 1, "A")], safe).and(Edit {
            file: Some(FileId(1)),
            ..Edit::replace(Span::new(1, 2), "B")
        });
        assert_eq!(apply("ab", &[two_files], safe).applied, 0);
        let mut d = diag("DX999", fix(&[(0, 1, "A")], safe).in_file(FileId(1)));
        assert_eq!(fixes_of(std::slice::from_ref(&d)).count(), 0);
        d.file = FileId(1);
        assert_eq!(fixes_of(&[d]).count(), 1);
    }

    fn diag(code: &'static str, fix: Fix) -> Diagnostic {
        Diagnostic {
            file: Default::default(),
            code,
            name: "test",
            severity: crate::diagnostic::Severity::Warning,
            span: fix.edits[0].span,
            message: "m".into(),
            help: None,
            fix: Some(Box::new(fix)),
            related: Vec::new(),
        }
    }

    #[test]
    fn fixpoint_relints_until_nothing_is_left() {
        // A "rule" that replaces the first `aa` by `a`: needs several passes for `aaaa`.
        let lint = |t: &str| -> Vec<Diagnostic> {
            t.find("aa")
                .map(|i| {
                    let span = Span::new(i as u32, i as u32 + 2);
                    vec![diag("DX999", Fix::safe_replace(span, "a", "shorten"))]
                })
                .unwrap_or_default()
        };
        let out = fix_to_fixpoint("xaaaax", Applicability::Safe, lint);
        assert_eq!(out.text, "xax");
        assert_eq!((out.applied, out.passes), (3, 4));
        assert_eq!(out.error(), None);
    }

    #[test]
    fn non_convergence_names_the_rule() {
        // A rule whose fix always re-creates what it fixes.
        let lint = |t: &str| -> Vec<Diagnostic> {
            vec![diag(
                "DX998",
                Fix::safe_insert_before(t.len() as u32, "!", "shout"),
            )]
        };
        let out = fix_to_fixpoint("a", Applicability::Safe, lint);
        assert_eq!(out.passes, MAX_PASSES);
        assert_eq!(out.unconverged, ["DX998"]);
        assert!(out.error().unwrap().contains("DX998"));
    }

    #[test]
    fn newlines_follow_the_file_and_a_bom_stays() {
        let safe = Applicability::Safe;
        let crlf = apply("a\r\nb\r\n", &[fix(&[(0, 1, "x\ny\r\nz")], safe)], safe);
        assert_eq!(crlf.text, "x\r\ny\r\nz\r\nb\r\n");
        let lf = apply("a\nb\n", &[fix(&[(0, 1, "x\ny")], safe)], safe);
        assert_eq!(lf.text, "x\ny\nb\n");
        let bom = apply("\u{feff}a\nb\n", &[fix(&[(0, 5, "")], safe)], safe);
        assert_eq!(bom.text, "\u{feff}b\n");
        let insert = apply("\u{feff}a", &[fix(&[(0, 0, "x")], safe)], safe);
        assert_eq!(insert.text, "\u{feff}xa");
    }

    #[test]
    fn preview_shows_whole_lines() {
        let text = "one\ntwo three\nfour\n";
        let f = Fix::safe_replace(Span::new(8, 13), "3", "m");
        assert_eq!(
            preview(text, &f),
            ("two three".to_string(), "two 3".to_string())
        );
    }
}
