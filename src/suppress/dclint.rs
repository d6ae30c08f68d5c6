//! dclint's comments in compose files: `# dclint disable [rules]`, `disable-file`,
//! `disable-line [rules]` and `disable-next-line [rules]`, names separated by blanks (commas
//! are accepted too).

use super::comment::{CommentPragma, Cursor, names};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum DclintKind {
    /// `disable [rules]`: the whole file, from the first line.
    File,
    /// `disable-file`: every rule, the whole file, from the first line.
    FileAll,
    Line,
    NextLine,
}

/// Reads what follows `dclint` in a comment.
pub(super) fn read(c: &mut Cursor<'_>) -> Option<CommentPragma> {
    if c.ws() == 0 {
        return None;
    }
    let (keyword, kw) = c.take(|ch| ch.is_ascii_alphabetic() || ch == '-');
    let kind = match kw.to_ascii_lowercase().as_str() {
        "disable" => DclintKind::File,
        "disable-file" => DclintKind::FileAll,
        "disable-line" => DclintKind::Line,
        "disable-next-line" => DclintKind::NextLine,
        _ => return None,
    };
    if !c.at_end() && c.ws() == 0 {
        return None;
    }
    let names = names(c);
    Some(CommentPragma::Dclint {
        kind,
        names,
        keyword,
    })
}
