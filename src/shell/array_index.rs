//! Keeping brush's word parser out of array indexes it would take exponential time on.
//!
//! For each word where an assignment may stand, brush asks its word grammar whether the word is
//! one (`name=value`, `name[index]=value`). The index of `name[index]` is parsed as an
//! arithmetic word by a grammar that backtracks without memory: inside a `$(` each `(` is tried
//! first as a subshell and read again as a plain character when that fails, and a `${` that
//! does not parse as an expansion is retried by each of its alternatives. So the time
//! multiplies with every bracket the index holds once the parse fails somewhere inside it:
//! `a[$(x${(a&(a&...})` takes seconds at 18 `(`, and `I[$(${H[E[${E[${c[${c""}''}''}}'')<'')`
//! (found by fuzzing, reduced) over a second at 11 brackets of any kind. The tokenizer accepts
//! both, since their brackets balance.
//!
//! The decision is only about the word's shape (assignment or plain word): the model reads
//! every word's text from the file at the word's place, never from brush's copy. So a word with
//! more brackets after its `[` than real scripts use is given to brush rewritten, with the same
//! decision made here by a linear bracket match: `name[0]=value` when its index closes and an
//! `=` or `+=` follows, `name[]` otherwise. Words with few brackets, which is every one in the
//! corpus, go to brush unchanged.

use brush_parser::Token;

use super::scan;

/// Words whose text after `name[` holds more `(`, `[` and `{` than this are decided here.
/// Across the corpus the most in a shell word is two; brush's time at this count is a few
/// microseconds.
const MAX_BRACKETS: usize = 2;

/// Rewrites the words brush would take too long to classify (see the module docs). Here-document
/// bodies (the token after a `<<` operator's tag) are never classified by brush and stay as
/// they are.
pub(super) fn defuse(tokens: &mut [Token]) {
    let mut body_at = None;
    for (index, t) in tokens.iter_mut().enumerate() {
        match t {
            Token::Operator(op, _) if op == "<<" || op == "<<-" => body_at = Some(index + 2),
            Token::Word(w, _) if body_at != Some(index) => {
                if let Some(plain) = decided(w) {
                    *w = plain;
                }
            }
            _ => {}
        }
    }
}

/// The text brush gets instead of `word`, when `word` is `name[` followed by too many brackets.
fn decided(word: &str) -> Option<String> {
    let (name, index) = split_name(word)?;
    if index
        .bytes()
        .filter(|c| matches!(c, b'(' | b'[' | b'{'))
        .count()
        <= MAX_BRACKETS
    {
        return None;
    }
    Some(match index_end(index) {
        Some(end) if index[end + 1..].starts_with('=') || index[end + 1..].starts_with("+=") => {
            format!("{name}[0{}", &index[end..])
        }
        _ => format!("{name}[]"),
    })
}

/// `word` split after `name[`: the name and the rest, when the word starts with a shell name
/// and a `[`.
fn split_name(word: &str) -> Option<(&str, &str)> {
    let len = scan::name_len(word.as_bytes());
    if len == 0 {
        return None;
    }
    Some((&word[..len], word[len..].strip_prefix('[')?))
}

/// The byte offset of the `]` that closes an index (`rest` starts just after the `[`), matching
/// brackets as the shell does: quotes, backslashes, `$(`, `${`, `$[`, `(` and nested `[`.
/// A closer that matches nothing open is read as a plain character. None when it never closes.
fn index_end(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let mut open: Vec<u8> = Vec::new();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        let quoted = open.last() == Some(&b'"');
        match c {
            b'\\' => i += 1,
            b'\'' if !quoted => i += bytes[i + 1..].iter().position(|&b| b == b'\'')? + 1,
            b'`' => i += backquote_len(&bytes[i + 1..])? + 1,
            b'"' if quoted => {
                open.pop();
            }
            b'"' => open.push(b'"'),
            b'$' if matches!(bytes.get(i + 1), Some(b'(' | b'{' | b'[')) => {
                i += 1;
                open.push(closer(bytes[i]));
            }
            b'(' | b'[' if !quoted => open.push(closer(c)),
            b')' | b'}' | b']' if open.last() == Some(&c) => {
                open.pop();
            }
            b']' if open.is_empty() => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The length of a backquoted text up to (not including) its closing backquote.
fn backquote_len(after: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(&c) = after.get(i) {
        match c {
            b'\\' => i += 1,
            b'`' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

fn closer(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'{' => b'}',
        _ => b']',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_with_few_brackets_are_left_to_brush() {
        for word in ["a[1]=x", "a[$((i+1))]=x", "echo", "a[${#b[@]}]", "1a[(((]"] {
            assert_eq!(decided(word), None, "{word}");
        }
    }

    #[test]
    fn the_decision_matches_the_shell() {
        let cases = [
            ("a[$(( (1+2)*(3) ))]=x", Some("a[0]=x")),
            ("a[$(( (1+2)*(3) ))]+=x", Some("a[0]+=x")),
            ("a[$(( (1+2)*(3) ))]", Some("a[]")),
            ("a[\"$(f \")\" ${x[1]})\"]=v", Some("a[0]=v")),
            ("a['](['${b[c]}]=v", Some("a[0]=v")),
            ("a[`echo ]`${b[(c)]}]=v", Some("a[0]=v")),
            ("a[\\]${b[(c)]}]=v", Some("a[0]=v")),
            ("E[$(e${(a&(a&(a&})", Some("E[]")),
            ("a[${x:-]}]${y}(]=1", Some("a[]")),
            ("a[${x:-]}${y}[0]]=1", Some("a[0]=1")),
            ("a[((((]=1", Some("a[]")),
        ];
        for (word, expected) in cases {
            assert_eq!(decided(word).as_deref(), expected, "{word}");
        }
    }

    #[test]
    fn here_document_bodies_are_kept() {
        let word = |s: &str| Token::Word(s.to_string(), Default::default());
        let op = |s: &str| Token::Operator(s.to_string(), Default::default());
        let hostile = "a[$(((((x]=1";
        let mut tokens = vec![
            op("<<"),
            word("EOF"),
            word(hostile),
            word("EOF"),
            word(hostile),
        ];
        defuse(&mut tokens);
        assert!(matches!(&tokens[2], Token::Word(w, _) if w == hostile));
        assert!(matches!(&tokens[4], Token::Word(w, _) if w == "a[]"));
    }
}
