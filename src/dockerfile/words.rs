//! Splitting an instruction's arguments into words the way BuildKit does, and removing quotes.

use super::Word;
use crate::source::MappedText;

/// Splits `text` into whitespace-separated words, honouring single and double quotes and the
/// escape character (BuildKit's `parseWords`). Returns byte ranges into `text`; the words keep
/// their quotes and escapes.
pub fn split_words(text: &str, escape: char) -> Vec<std::ops::Range<usize>> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        match quote {
            None => {
                if ch.is_whitespace() {
                    if let Some(s) = start.take() {
                        words.push(s..i);
                    }
                    continue;
                }
                if start.is_none() {
                    start = Some(i);
                }
                if ch == '\'' || ch == '"' {
                    quote = Some(ch);
                } else if ch == escape {
                    // The escaped character belongs to the word, whatever it is.
                    chars.next();
                }
            }
            Some(q) => {
                if ch == q {
                    quote = None;
                } else if ch == escape && q != '\'' {
                    chars.next();
                }
            }
        }
    }
    if let Some(s) = start {
        words.push(s..text.len());
    }
    words
}

/// Removes quotes and escape characters from a word, as the shell lexer of BuildKit does before
/// expansion. Variables are left as written.
pub fn unquote(raw: &str, escape: char) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut quote: Option<char> = None;
    let mut chars = raw.chars().peekable();
    while let Some(ch) = chars.next() {
        match quote {
            None => {
                if ch == '\'' || ch == '"' {
                    quote = Some(ch);
                } else if ch == escape {
                    if let Some(next) = chars.next() {
                        out.push(next);
                    }
                } else {
                    out.push(ch);
                }
            }
            Some('\'') => {
                if ch == '\'' {
                    quote = None;
                } else {
                    out.push(ch);
                }
            }
            Some(q) => {
                if ch == q {
                    quote = None;
                } else if ch == escape {
                    match chars.peek() {
                        Some(&n) if n == '"' || n == escape || n == '$' || n == '`' => {
                            out.push(n);
                            chars.next();
                        }
                        _ => out.push(ch),
                    }
                } else {
                    out.push(ch);
                }
            }
        }
    }
    out
}

/// Splits a mapped text into [`Word`]s with file spans.
pub(crate) fn mapped_words(text: &MappedText, escape: char) -> Vec<Word> {
    split_words(&text.text, escape)
        .into_iter()
        .map(|r| word_at(text, r, escape))
        .collect()
}

/// The [`Word`] for a byte range of a mapped text.
pub(crate) fn word_at(text: &MappedText, r: std::ops::Range<usize>, escape: char) -> Word {
    let raw = &text.text[r.clone()];
    Word {
        span: text.span(r.start, r.end),
        raw: raw.to_string(),
        value: unquote(raw, escape),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        split_words(s, '\\').into_iter().map(|r| &s[r]).collect()
    }

    #[test]
    fn splits_with_quotes() {
        assert_eq!(
            words(r#"a "b c" d\ e 'f g'"#),
            ["a", "\"b c\"", "d\\ e", "'f g'"]
        );
        assert_eq!(words("  x  "), ["x"]);
        assert_eq!(words(r#"k="v w" z=1"#), ["k=\"v w\"", "z=1"]);
    }

    #[test]
    fn unquotes() {
        assert_eq!(unquote(r#""a b""#, '\\'), "a b");
        assert_eq!(unquote(r#"'a\b'"#, '\\'), "a\\b");
        assert_eq!(unquote(r#"a\ b"#, '\\'), "a b");
        assert_eq!(unquote(r#""x\"y""#, '\\'), "x\"y");
        assert_eq!(unquote(r#"C:\path"#, '`'), "C:\\path");
    }
}
