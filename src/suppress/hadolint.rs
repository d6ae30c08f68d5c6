//! hadolint's comments: `# hadolint ignore=`, `# hadolint global ignore=` and
//! `# hadolint stage ignore=`, with comma-separated codes. `# hadolint shell=` is not a
//! suppression.

use super::comment::{CommentPragma, Cursor};

/// Where a hadolint comment applies.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum HadolintScope {
    /// `ignore=`: the instruction below.
    Next,
    /// `global ignore=`: the whole file.
    Global,
    /// `stage ignore=`: the rest of the stage.
    Stage,
}

/// Reads what follows `hadolint` in a comment.
pub(super) fn read(c: &mut Cursor<'_>) -> Option<CommentPragma> {
    if c.ws() == 0 {
        return None;
    }
    let (_, kw) = c.take(|ch| ch.is_ascii_alphabetic());
    let scope = match kw.to_ascii_lowercase().as_str() {
        "ignore" => HadolintScope::Next,
        "global" | "stage" => {
            let scope = if kw.eq_ignore_ascii_case("global") {
                HadolintScope::Global
            } else {
                HadolintScope::Stage
            };
            if c.ws() == 0 {
                return None;
            }
            let (_, kw2) = c.take(|ch| ch.is_ascii_alphabetic());
            if !kw2.eq_ignore_ascii_case("ignore") {
                return None;
            }
            scope
        }
        // `shell=` and anything else: not a suppression.
        _ => return None,
    };
    c.ws();
    if !c.eat('=') {
        return None;
    }
    let mut codes = Vec::new();
    loop {
        c.ws();
        let (span, _) = c.take(|ch| ch.is_ascii_alphanumeric());
        if span.is_empty() {
            break;
        }
        codes.push(span);
        c.ws();
        if !c.eat(',') {
            break;
        }
    }
    (!codes.is_empty()).then_some(CommentPragma::Hadolint { scope, codes })
}
