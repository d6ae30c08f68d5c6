//! wharf's own comments: `# wharf: ignore[=]CODE[,CODE] [-- reason]` and
//! `# wharf: ignore-file[=]CODE`, the same in Dockerfiles and compose files.

use super::comment::{CommentPragma, Cursor, names};
use super::{Item, Problem, Suppressions, Syntax, Target, UnusedSuppression, items};
use crate::registry;
use crate::source::Span;

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Reads what follows `wharf` (at `word`) in a comment.
pub(super) fn read(c: &mut Cursor<'_>, word: Span) -> Option<CommentPragma> {
    c.ws();
    if !c.eat(':') {
        return None;
    }
    c.ws();
    let (keyword, kw) = c.take(is_word_char);
    let file = if kw.eq_ignore_ascii_case("ignore") {
        false
    } else if kw.eq_ignore_ascii_case("ignore-file") {
        true
    } else {
        let span = if keyword.is_empty() {
            Span::new(word.start, keyword.start)
        } else {
            keyword
        };
        return Some(CommentPragma::WharfUnknown(span));
    };
    c.ws();
    c.eat('=');
    let names = names(c);
    Some(CommentPragma::WharfIgnore {
        file,
        names,
        keyword,
    })
}

/// Resolves a name of a wharf comment: a code in any case, a name or an alias. A ShellCheck
/// code silences that code's findings; a hadolint code that wharf does not implement is
/// accepted and silences nothing.
fn target(name: &str) -> Target {
    match registry::find(name) {
        Some(r) => Target::Rule(r),
        None if let Some(codes) = registry::check_group(name) => Target::Group(codes),
        None if let Some(sc) = super::shellcheck_target(name) => sc,
        None if registry::foreign(name).is_some() => Target::Foreign,
        None => Target::Unknown,
    }
}

/// Records the problems of a wharf comment; returns its items (empty when it has a problem).
pub(super) fn items_of(
    set: &mut Suppressions,
    text: &str,
    names: &[Span],
    keyword: Span,
    whole: Span,
) -> Vec<Item> {
    if names.is_empty() {
        set.problems.push(UnusedSuppression {
            span: keyword,
            name: keyword.text(text).to_string(),
            syntax: Syntax::Wharf,
            problem: Problem::NoRules,
            removal: Some(whole),
        });
    }
    items(names, text, target)
}

/// Records `# wharf: <word>` where the word is not a directive.
pub(super) fn unknown_directive(set: &mut Suppressions, text: &str, span: Span) {
    set.problems.push(UnusedSuppression {
        span,
        name: span.text(text).to_string(),
        syntax: Syntax::Wharf,
        problem: Problem::UnknownDirective,
        removal: None,
    });
}
