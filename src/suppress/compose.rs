//! Where suppression comments apply in a compose file, found by a line scanner.

use super::comment::{self, CommentPragma, whole_line};
use super::dclint::DclintKind;
use super::{Scope, Suppressions, Syntax, blanket, foreign_target, items, wharf};
use crate::compose::ComposeFile;
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Blank,
    /// A line that is only a comment.
    Comment,
    /// YAML content, maybe followed by a comment.
    Content,
    /// A line of a block scalar (`|` or `>`): text, never a comment.
    Scalar,
}

#[derive(Debug, Clone, Copy)]
struct YamlLine {
    start: usize,
    /// Excludes the line break and a CR before it.
    end: usize,
    indent: usize,
    kind: LineKind,
    /// The `#` of the comment on this line.
    hash: Option<usize>,
    /// The line starts with a sequence dash (`- `).
    dash: bool,
}

/// Where the comment of a content line starts, scanning from `quote` state; returns the
/// position of `#` (if any) and the quote state at the end of the line.
fn scan_content(line: &str, mut quote: Option<u8>) -> (Option<usize>, Option<u8>) {
    let b = line.as_bytes();
    let mut prev: Option<u8> = None; // previous non-blank byte
    let mut token_first: Option<u8> = None; // first byte of the current token
    let mut prev_token_first: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(b'"') => {
                if c == b'\\' {
                    i += 2;
                    continue;
                }
                if c == b'"' {
                    quote = None;
                    prev = Some(c);
                }
            }
            Some(_) => {
                if c == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    quote = None;
                    prev = Some(c);
                }
            }
            None => {
                let after_blank = i == 0 || matches!(b[i - 1], b' ' | b'\t');
                if c == b'#' && after_blank {
                    return (Some(i), None);
                }
                let token_start = after_blank || matches!(b[i - 1], b'[' | b'{' | b',');
                if token_start && c != b' ' && c != b'\t' {
                    prev_token_first = token_first;
                    token_first = Some(c);
                }
                if (c == b'"' || c == b'\'') && token_start {
                    let opens = match prev {
                        None => true,
                        Some(p) => {
                            matches!(p, b':' | b'-' | b'[' | b'{' | b',' | b'?')
                                || matches!(prev_token_first, Some(b'&' | b'!'))
                        }
                    };
                    if opens {
                        quote = Some(c);
                    }
                }
                if c != b' ' && c != b'\t' {
                    prev = Some(c);
                }
            }
        }
        i += 1;
    }
    (None, quote)
}

/// The column that a block scalar starting on this line must be indented past, when the line
/// ends with a block scalar indicator (`key: |`, `- >-`).
fn block_scalar_owner(line: &str, indent: usize, content_end: usize) -> Option<usize> {
    let content = line.get(..content_end)?.trim_end();
    let token_at = content.rfind([' ', '\t']).map_or(0, |i| i + 1);
    let token = &content[token_at..];
    let mut chars = token.chars();
    if !matches!(chars.next(), Some('|' | '>'))
        || token.len() > 3
        || !chars.all(|c| c.is_ascii_digit() || c == '+' || c == '-')
    {
        return None;
    }
    let before = content[..token_at].trim_end();
    let prev_token = before.rsplit([' ', '\t']).next().unwrap_or("");
    if !(before.is_empty()
        || before.ends_with(':')
        || before.ends_with('-')
        || prev_token.starts_with(['&', '!']))
    {
        return None;
    }
    // Skip sequence dashes: the key after them owns the block, or the last dash when the
    // indicator follows it directly.
    let mut col = indent;
    let mut owner = indent;
    let bytes = line.as_bytes();
    while bytes.get(col) == Some(&b'-') && matches!(bytes.get(col + 1), Some(b' ' | b'\t')) {
        owner = col;
        col += 1;
        while matches!(bytes.get(col), Some(b' ' | b'\t')) {
            col += 1;
        }
    }
    if col < token_at {
        owner = col;
    }
    Some(owner)
}

fn yaml_lines(text: &str) -> Vec<YamlLine> {
    let mut out = Vec::new();
    let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut quote: Option<u8> = None;
    let mut block: Option<usize> = None;
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
        let blank = indent == line.len();
        let mut y = YamlLine {
            start,
            end,
            indent,
            kind: LineKind::Blank,
            hash: None,
            dash: false,
        };
        if let Some(owner) = block {
            if blank || indent > owner {
                y.kind = if blank {
                    LineKind::Blank
                } else {
                    LineKind::Scalar
                };
                out.push(y);
                start = next;
                continue;
            }
            block = None;
        }
        if quote.is_none() && blank {
            out.push(y);
            start = next;
            continue;
        }
        if quote.is_none() && line[indent..].starts_with('#') {
            y.kind = LineKind::Comment;
            y.hash = Some(start + indent);
            out.push(y);
            start = next;
            continue;
        }
        y.kind = LineKind::Content;
        let rest = &line[indent..];
        y.dash = rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t");
        let was_quoted = quote.is_some();
        let (hash, q) = scan_content(line, quote);
        quote = q;
        y.hash = hash.map(|h| start + h);
        if !was_quoted && quote.is_none() {
            block = block_scalar_owner(line, indent, hash.unwrap_or(line.len()));
        }
        out.push(y);
        start = next;
    }
    out
}

/// The last line of the block a content line opens: following lines indented deeper (and,
/// under a key, sequence items at the key's own indentation).
fn block_end(lines: &[YamlLine], m: usize) -> usize {
    let head = lines[m];
    let mut last = m;
    for (k, l) in lines.iter().enumerate().skip(m + 1) {
        match l.kind {
            LineKind::Blank | LineKind::Comment => {}
            LineKind::Scalar => last = k,
            LineKind::Content => {
                if l.indent > head.indent || (l.indent == head.indent && l.dash && !head.dash) {
                    last = k;
                } else {
                    break;
                }
            }
        }
    }
    last
}

pub(super) fn pragmas(text: &str, _file: &ComposeFile, set: &mut Suppressions) {
    if !text.contains('#') {
        return;
    }
    let lines = yaml_lines(text);
    // For each comment line: the content line below its comment stack, and the stack's top.
    let mut below: Vec<Option<usize>> = vec![None; lines.len()];
    let mut next: Option<usize> = None;
    for (k, l) in lines.iter().enumerate().rev() {
        match l.kind {
            LineKind::Content => next = Some(k),
            LineKind::Blank | LineKind::Scalar => next = None,
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
                    Scope::through(
                        lines[top[k]].start as u32,
                        lines[block_end(&lines, m)].end as u32,
                    )
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

    #[test]
    fn scanner_finds_trailing_comments_outside_quotes() {
        assert_eq!(scan_content("image: nginx # c", None).0, Some(13));
        assert_eq!(scan_content("image: \"a # b\"", None).0, None);
        assert_eq!(scan_content("image: 'it''s # x'", None).0, None);
        assert_eq!(scan_content("cmd: echo it's # c", None).0, Some(15));
        assert_eq!(scan_content("url: a#b", None).0, None);
        assert_eq!(scan_content("x: [\"a # b\", 'c'] # d", None).0, Some(18));
        assert_eq!(scan_content("x: &anchor \"a # b\"", None).0, None);
        assert_eq!(scan_content("x: \"open # still", None), (None, Some(b'"')));
    }

    #[test]
    fn block_scalars_hide_hashes() {
        let text = "a:\n  cmd: |\n    # not a comment\n  b: 1 # comment\n";
        let lines = yaml_lines(text);
        let kinds: Vec<LineKind> = lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LineKind::Content,
                LineKind::Content,
                LineKind::Scalar,
                LineKind::Content
            ]
        );
        assert!(lines[3].hash.is_some());
    }
}
