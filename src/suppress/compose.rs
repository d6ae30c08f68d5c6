//! Where suppression comments apply in a compose file, read off the YAML tree the file was
//! parsed into.
//!
//! The tree says what is text: a `#` inside a scalar (quoted, block or a key) is never a
//! comment, any other `#` at the start of a line or after a blank is one. It also says what a
//! comment above a line covers: the mapping entry or sequence item that starts first on that
//! line, from its key to the end of its value, whatever the value's style. So a comment above
//! `web: {image: a,` covers the whole flow mapping, however its lines are indented.

use super::comment::{self, CommentPragma, whole_line};
use super::dclint::DclintKind;
use super::{Scope, Suppressions, Syntax, blanket, foreign_target, items, wharf};
use crate::compose::{ComposeFile, NodeKind, Tree};
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Blank,
    /// A line that is only a comment.
    Comment,
    /// YAML content, maybe followed by a comment.
    Content,
}

#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    /// Excludes the line break and a CR before it.
    end: usize,
    kind: LineKind,
    /// The `#` of the comment on this line.
    hash: Option<usize>,
}

/// What the tree tells about the text: where scalars are, and where each entry or item starts
/// and ends.
struct Layout {
    /// Scalar spans (keys included), sorted by start; scalars never overlap.
    scalars: Vec<Span>,
    /// Mapping entries (key start to value end), sequence items and flow documents, sorted by
    /// start, the widest first among equal starts.
    nodes: Vec<Span>,
}

impl Layout {
    fn new(tree: &Tree) -> Layout {
        let mut scalars = Vec::new();
        let mut nodes = Vec::new();
        for node in tree.nodes() {
            match &node.kind {
                NodeKind::Scalar { .. } if !node.span.is_empty() => scalars.push(node.span),
                NodeKind::Mapping(entries) => nodes.extend(entries.iter().map(|e| {
                    let key = tree.node(e.key).span();
                    let value = tree.node(e.value).span();
                    Span::new(key.start, key.end.max(value.end))
                })),
                NodeKind::Sequence(items) => {
                    nodes.extend(items.iter().map(|&i| tree.node(i).span()));
                }
                _ => {}
            }
        }
        // A document written as one flow collection: a comment above its `{` covers it all.
        nodes.extend(tree.roots().filter(|r| r.node().flow).map(|r| r.span()));
        scalars.sort_unstable();
        nodes.sort_unstable_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        Layout { scalars, nodes }
    }

    /// Whether `offset` is inside a scalar's text.
    fn in_scalar(&self, offset: usize) -> bool {
        let offset = offset as u32;
        let i = self.scalars.partition_point(|s| s.start <= offset);
        i > 0 && self.scalars[i - 1].contains(offset)
    }

    /// The entry or item that starts first in `start..end` (the widest of those that start
    /// there).
    fn first_in(&self, start: usize, end: usize) -> Option<Span> {
        let i = self.nodes.partition_point(|s| (s.start as usize) < start);
        self.nodes
            .get(i)
            .filter(|s| (s.start as usize) < end)
            .copied()
    }

    /// Splits the text into lines and finds the comment of each.
    fn lines(&self, text: &str) -> Vec<Line> {
        let mut out = Vec::new();
        let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        while start < text.len() {
            let (mut end, next) = match text[start..].find('\n') {
                Some(i) => (start + i, start + i + 1),
                None => (text.len(), text.len()),
            };
            if end > start && text.as_bytes()[end - 1] == b'\r' {
                end -= 1;
            }
            let line = &text[start..end];
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            let hash = line
                .match_indices('#')
                .map(|(i, _)| i)
                .find(|&i| {
                    (i == 0 || matches!(line.as_bytes()[i - 1], b' ' | b'\t'))
                        && !self.in_scalar(start + i)
                })
                .map(|i| start + i);
            let kind = if indent == line.len() {
                LineKind::Blank
            } else if hash == Some(start + indent) {
                LineKind::Comment
            } else {
                LineKind::Content
            };
            out.push(Line {
                start,
                end,
                kind,
                hash,
            });
            start = next;
        }
        out
    }
}

pub(super) fn pragmas(text: &str, file: &ComposeFile, set: &mut Suppressions) {
    // The layout of the whole tree is built only when some `#` may start a comment that
    // means something in a compose file: `# wharf...` or `# dclint...`.
    if !comment::may_start_pragma(text, &["wharf", "dclint"]) {
        return;
    }
    let layout = Layout::new(&file.tree);
    let lines = layout.lines(text);
    // For each comment line: the content line below its comment stack, and the stack's top.
    let mut below: Vec<Option<usize>> = vec![None; lines.len()];
    let mut next: Option<usize> = None;
    for (k, l) in lines.iter().enumerate().rev() {
        match l.kind {
            LineKind::Content => next = Some(k),
            LineKind::Blank => next = None,
            LineKind::Comment => below[k] = next,
        }
    }
    let mut top: Vec<usize> = (0..lines.len()).collect();
    for k in 1..lines.len() {
        if lines[k].kind == LineKind::Comment && lines[k - 1].kind == LineKind::Comment {
            top[k] = top[k - 1];
        }
    }
    // dclint's file-wide comments only count on the first line that is not blank or `---`.
    let first = lines
        .iter()
        .position(|l| l.kind != LineKind::Blank && text[l.start..l.end].trim() != "---");
    let line_scope = |k: usize| Scope::through(lines[k].start as u32, lines[k].end as u32);
    // A comment above line `m` covers the node that starts first on it, else that line.
    let node_scope = |k: usize, m: usize| {
        let end = layout
            .first_in(lines[m].start, lines[m].end)
            .map_or(lines[m].end as u32, |s| s.end.max(lines[m].start as u32));
        Scope::through(lines[top[k]].start as u32, end)
    };

    for (k, l) in lines.iter().enumerate() {
        let Some(hash) = l.hash else { continue };
        let Some(pragma) = comment::read(text, hash, l.end) else {
            continue;
        };
        let own_line = l.kind == LineKind::Comment;
        let whole = if own_line {
            whole_line(text, Span::from_range(l.start..l.end))
        } else {
            let before = text[l.start..hash].trim_end_matches([' ', '\t']);
            Span::from_range(l.start + before.len()..l.end)
        };
        match pragma {
            CommentPragma::WharfUnknown(span) => wharf::unknown_directive(set, text, span),
            CommentPragma::WharfIgnore {
                file,
                names,
                keyword,
            } => {
                let scope = if file {
                    Scope::FILE
                } else if !own_line {
                    line_scope(k)
                } else if let Some(m) = below[k] {
                    node_scope(k, m)
                } else {
                    Scope::NOWHERE
                };
                let items = wharf::items_of(set, text, &names, keyword, whole);
                set.add(Syntax::Wharf, scope, items, whole);
            }
            CommentPragma::Dclint {
                kind,
                names,
                keyword,
            } => {
                let scope = match kind {
                    DclintKind::File | DclintKind::FileAll => {
                        if own_line && first == Some(k) {
                            Scope::FILE
                        } else {
                            Scope::NOWHERE
                        }
                    }
                    DclintKind::Line if !own_line => line_scope(k),
                    DclintKind::Line | DclintKind::NextLine if own_line => {
                        below[k].map_or(Scope::NOWHERE, line_scope)
                    }
                    _ => {
                        // A trailing `disable-next-line`: the line after.
                        if k + 1 < lines.len() {
                            line_scope(k + 1)
                        } else {
                            Scope::NOWHERE
                        }
                    }
                };
                let items = if kind == DclintKind::FileAll || names.is_empty() {
                    blanket(keyword, false)
                } else {
                    items(&names, text, foreign_target)
                };
                set.add(Syntax::Dclint, scope, items, whole);
            }
            // hadolint and BuildKit comments mean nothing in a compose file.
            CommentPragma::Hadolint { .. } | CommentPragma::Check(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(text: &str) -> (Layout, Vec<Line>) {
        let file = crate::compose::parse(text);
        let layout = Layout::new(&file.tree);
        let lines = layout.lines(text);
        (layout, lines)
    }

    fn hashes(text: &str) -> Vec<Option<usize>> {
        let (_, lines) = layout(text);
        lines.iter().map(|l| l.hash.map(|h| h - l.start)).collect()
    }

    #[test]
    fn only_a_file_with_a_pragma_word_after_a_hash_is_laid_out() {
        let words = ["wharf", "dclint"];
        assert!(comment::may_start_pragma(
            "a: 1 # wharf: ignore DC001\n",
            &words
        ));
        assert!(comment::may_start_pragma("#\tDCLINT disable\n", &words));
        assert!(!comment::may_start_pragma(
            "# a comment\nimage: x#wh\n",
            &words
        ));
        assert!(!comment::may_start_pragma(
            "# hadolint ignore=DL3008\n",
            &words
        ));
        assert!(!comment::may_start_pragma("wharf: 1\n", &words));
    }

    #[test]
    fn trailing_comments_outside_scalars() {
        assert_eq!(hashes("image: nginx # c\n"), [Some(13)]);
        assert_eq!(hashes("image: \"a # b\"\n"), [None]);
        assert_eq!(hashes("image: 'it''s # x'\n"), [None]);
        assert_eq!(hashes("cmd: echo it's # c\n"), [Some(15)]);
        assert_eq!(hashes("url: a#b\n"), [None]);
        assert_eq!(hashes("x: [\"a # b\", 'c'] # d\n"), [Some(18)]);
        assert_eq!(hashes("x: &anchor \"a # b\"\n"), [None]);
        assert_eq!(hashes("\"a # b\": 1 # c\n"), [Some(11)]);
        // A quoted string over two lines.
        assert_eq!(hashes("x: \"open\n  # still\"\n"), [None, None]);
    }

    #[test]
    fn block_scalars_hide_hashes() {
        let text = "a:\n  cmd: |\n    # not a comment\n  b: 1 # comment\n";
        let (_, lines) = layout(text);
        let kinds: Vec<LineKind> = lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LineKind::Content,
                LineKind::Content,
                LineKind::Content,
                LineKind::Content
            ]
        );
        assert!(lines[2].hash.is_none());
        assert!(lines[3].hash.is_some());
    }

    #[test]
    fn the_first_node_of_a_line_is_the_widest_that_starts_there() {
        let text = "a:\n- k: 1\n  j: 2\nb: {x: 1,\ny: [2]}\n";
        let (layout, lines) = layout(text);
        let at = |m: usize| {
            layout
                .first_in(lines[m].start, lines[m].end)
                .map(|s| s.text(text))
        };
        assert_eq!(at(0), Some("a:\n- k: 1\n  j: 2"));
        assert_eq!(at(1), Some("k: 1\n  j: 2"));
        assert_eq!(at(3), Some("b: {x: 1,\ny: [2]}"));
    }
}
