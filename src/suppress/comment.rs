//! Reading one comment: a small cursor, the list of names most tools share, and the dispatch
//! to the grammar of the tool the comment addresses.

use super::buildkit::{self, CheckSkip};
use super::dclint::{self, DclintKind};
use super::hadolint::{self, HadolintScope};
use super::wharf;
use crate::source::Span;

/// A small cursor over one comment's text; offsets are absolute file offsets.
pub(super) struct Cursor<'a> {
    s: &'a str,
    i: usize,
    base: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(s: &'a str, base: usize) -> Self {
        Cursor { s, i: 0, base }
    }

    pub(super) fn rest(&self) -> &'a str {
        self.s.get(self.i..).unwrap_or("")
    }

    pub(super) fn at_end(&self) -> bool {
        self.rest().is_empty()
    }

    /// Skips spaces and tabs; returns how many.
    pub(super) fn ws(&mut self) -> usize {
        let rest = self.rest();
        let n = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        self.i += n;
        n
    }

    pub(super) fn eat(&mut self, c: char) -> bool {
        if self.rest().starts_with(c) {
            self.i += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// Takes the longest prefix whose characters satisfy `pred`.
    pub(super) fn take(&mut self, pred: impl Fn(char) -> bool) -> (Span, &'a str) {
        let rest = self.rest();
        let n = rest.find(|c: char| !pred(c)).unwrap_or(rest.len());
        let start = self.base + self.i;
        self.i += n;
        (Span::from_range(start..start + n), &rest[..n])
    }
}

/// Names separated by commas and/or blanks, up to the end, a `--` reason or a `#` comment.
pub(super) fn names(c: &mut Cursor<'_>) -> Vec<Span> {
    let mut out = Vec::new();
    loop {
        c.take(|ch| ch == ' ' || ch == '\t' || ch == ',');
        let rest = c.rest();
        if rest.is_empty() || rest.starts_with("--") || rest.starts_with('#') {
            return out;
        }
        let (span, _) = c.take(|ch| !matches!(ch, ' ' | '\t' | ',' | '#'));
        if span.is_empty() {
            return out;
        }
        out.push(span);
    }
}

/// What a comment says, when it is a suppression.
pub(super) enum CommentPragma {
    WharfIgnore {
        file: bool,
        names: Vec<Span>,
        keyword: Span,
    },
    WharfUnknown(Span),
    Hadolint {
        scope: HadolintScope,
        codes: Vec<Span>,
    },
    Check(CheckSkip),
    Dclint {
        kind: DclintKind,
        names: Vec<Span>,
        keyword: Span,
    },
}

/// Reads the comment that starts with `#` at `hash` and ends at `end`.
/// Whether some `#` of `text` is followed (after blanks) by one of `words` (lowercase; any
/// case in the text): a cheap test that [`read`] can find nothing in a file without it, since
/// a pragma starts with its `#`, blanks and one of these words.
pub(super) fn may_start_pragma(text: &str, words: &[&str]) -> bool {
    text.match_indices('#').any(|(i, _)| {
        let rest = text[i + 1..].trim_start_matches([' ', '\t']).as_bytes();
        words.iter().any(|w| {
            rest.get(..w.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(w.as_bytes()))
        })
    })
}

pub(super) fn read(text: &str, hash: usize, end: usize) -> Option<CommentPragma> {
    let body = text.get(hash + 1..end)?;
    let mut c = Cursor::new(body, hash + 1);
    c.ws();
    let (word_span, word) = c.take(|ch| ch.is_ascii_alphabetic());
    if word.eq_ignore_ascii_case("wharf") {
        wharf::read(&mut c, word_span)
    } else if word.eq_ignore_ascii_case("hadolint") {
        hadolint::read(&mut c)
    } else if word.eq_ignore_ascii_case("check") {
        buildkit::read(&mut c)
    } else if word.eq_ignore_ascii_case("dclint") {
        dclint::read(&mut c)
    } else {
        None
    }
}

/// The whole physical line around `span`, with its line break.
pub(super) fn whole_line(text: &str, span: Span) -> Span {
    let start = span.start as usize;
    let end = (span.end as usize).min(text.len());
    // Keep a byte-order mark when the comment is on the first line.
    let line_start = text
        .get(..start)
        .and_then(|t| t.rfind('\n'))
        .map_or(if text.starts_with('\u{feff}') { 3 } else { 0 }, |i| i + 1);
    let line_end = text
        .get(end..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| end + i + 1);
    Span::from_range(line_start..line_end)
}
