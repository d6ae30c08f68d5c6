//! Splitting an instruction's arguments into words the way BuildKit does, removing quotes
//! (keeping the map from each unquoted byte back to the file), and expanding variables as
//! BuildKit's shell lexer does.

use super::Word;
use crate::source::{MappedText, OffsetMap, Span};

/// Splits `text` into whitespace-separated words, honouring single and double quotes and the
/// escape character (BuildKit's `parseWords`). Returns byte ranges into `text`; the words keep
/// their quotes and escapes.
pub fn split_words(text: &str, escape: char) -> Vec<std::ops::Range<usize>> {
    Words::new(text, escape).collect()
}

/// The words of [`split_words`], one at a time (a caller that stops early, as the flag reader
/// does at the first argument, does not split the rest of the line).
pub(crate) struct Words<'t> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
    escape: char,
}

impl<'t> Words<'t> {
    pub(crate) fn new(text: &'t str, escape: char) -> Self {
        Words {
            bytes: text.as_bytes(),
            text,
            at: 0,
            escape,
        }
    }

    /// The character at byte `i` (a character boundary) and its length.
    fn char_at(&self, i: usize) -> (char, usize) {
        match self.bytes[i] {
            b if b.is_ascii() => (char::from(b), 1),
            _ => {
                let ch = self.text[i..].chars().next().unwrap_or(' ');
                (ch, ch.len_utf8())
            }
        }
    }
}

impl Iterator for Words<'_> {
    type Item = std::ops::Range<usize>;

    fn next(&mut self) -> Option<Self::Item> {
        let len = self.bytes.len();
        // Skip whitespace up to the word.
        loop {
            if self.at >= len {
                return None;
            }
            let (ch, n) = self.char_at(self.at);
            if !ch.is_whitespace() {
                break;
            }
            self.at += n;
        }
        let start = self.at;
        let mut quote: Option<char> = None;
        while self.at < len {
            let (ch, n) = self.char_at(self.at);
            match quote {
                None => {
                    if ch.is_whitespace() {
                        return Some(start..self.at);
                    }
                    self.at += n;
                    if ch == '\'' || ch == '"' {
                        quote = Some(ch);
                    } else if ch == self.escape && self.at < len {
                        // The escaped character belongs to the word, whatever it is.
                        self.at += self.char_at(self.at).1;
                    }
                }
                Some(q) => {
                    self.at += n;
                    if ch == q {
                        quote = None;
                    } else if ch == self.escape && q != '\'' && self.at < len {
                        self.at += self.char_at(self.at).1;
                    }
                }
            }
        }
        Some(start..len)
    }
}

/// Removes quotes and escape characters from a word, as the shell lexer of BuildKit does before
/// expansion. Variables are left as written.
pub fn unquote(raw: &str, escape: char) -> String {
    unquote_mapped(raw, escape, |_, _| {})
}

/// [`unquote`], calling `origin(out_offset, raw_offset)` for each character kept, with the
/// offset it takes in the result and the offset it came from in `raw`.
fn unquote_mapped(raw: &str, escape: char, mut origin: impl FnMut(usize, usize)) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut quote: Option<char> = None;
    let mut chars = raw.char_indices().peekable();
    let mut keep = |out: &mut String, at: usize, ch: char| {
        origin(out.len(), at);
        out.push(ch);
    };
    while let Some((i, ch)) = chars.next() {
        match quote {
            None => {
                if ch == '\'' || ch == '"' {
                    quote = Some(ch);
                } else if ch == escape {
                    if let Some((j, next)) = chars.next() {
                        keep(&mut out, j, next);
                    }
                } else {
                    keep(&mut out, i, ch);
                }
            }
            Some('\'') => {
                if ch == '\'' {
                    quote = None;
                } else {
                    keep(&mut out, i, ch);
                }
            }
            Some(q) => {
                if ch == q {
                    quote = None;
                } else if ch == escape {
                    match chars.peek() {
                        Some(&(j, n)) if n == '"' || n == escape || n == '$' || n == '`' => {
                            keep(&mut out, j, n);
                            chars.next();
                        }
                        _ => keep(&mut out, i, ch),
                    }
                } else {
                    keep(&mut out, i, ch);
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

/// The [`Word`] for a byte range of a mapped text: its value keeps the map from each of its
/// bytes to the file byte it came from, across quotes, escapes and line continuations.
pub(crate) fn word_at(text: &MappedText, r: std::ops::Range<usize>, escape: char) -> Word {
    let raw = &text.text[r.clone()];
    if !raw.is_empty() && !raw.contains(['\'', '"', escape]) {
        // Nothing to unquote: the value is the raw text, and its map is the line's own map
        // over the word (what mapping it one character at a time gives).
        let raw = compact_str::CompactString::from(raw);
        return Word {
            span: text.span(r.start, r.end),
            value: raw.clone(),
            raw,
            map: text.map.slice(r.start as u32, r.end as u32),
        };
    }
    let mut map = OffsetMap::new();
    let value = unquote_mapped(raw, escape, |out, at| {
        map.push(out as u32, text.map.to_file((r.start + at) as u32));
    });
    Word {
        span: text.span(r.start, r.end),
        raw: raw.into(),
        value: value.into(),
        map,
    }
}

/// The [`Word`] of a decoded JSON string at `r` of a mapped text (the range includes the
/// quotes). Characters of the value map to the file; an escape sequence (`\"`, `\u00e9`) maps
/// to its first byte.
pub(crate) fn json_word(text: &MappedText, r: std::ops::Range<usize>, value: String) -> Word {
    let raw = &text.text[r.clone()];
    let mut map = OffsetMap::new();
    let inner_start = r.start + usize::from(raw.starts_with('"'));
    let body = raw.strip_prefix('"').unwrap_or(raw);
    let mut src = body.char_indices().peekable();
    for (out, _) in value.char_indices() {
        let Some((i, c)) = src.next() else { break };
        map.push(out as u32, text.map.to_file((inner_start + i) as u32));
        if c == '\\' {
            // The escape sequence stands for one character: skip the rest of it.
            if let Some((_, 'u')) = src.next() {
                for _ in 0..4 {
                    src.next();
                }
            }
        }
    }
    Word {
        span: text.span(r.start, r.end),
        raw: raw.into(),
        value: value.into(),
        map,
    }
}

impl Word {
    /// The file span of the bytes `start..end` of [`Word::value`]: exact across quotes,
    /// escapes and line continuations.
    pub fn sub_span(&self, start: usize, end: usize) -> Span {
        let end = end.min(self.value.len());
        let start = start.min(end);
        if self.value.is_empty() {
            return self.span;
        }
        self.map.span(start as u32, end as u32)
    }

    /// The span of the first reference to variable `name` in the word (`$name` or
    /// `${name...}`), found in [`Word::value`]; `None` when it is not written there.
    pub fn var_span(&self, name: &str) -> Option<Span> {
        let v = self.value.as_str();
        let is_name = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        let mut from = 0;
        while let Some(k) = v[from..].find('$') {
            let at = from + k;
            let rest = &v[at + 1..];
            if let Some(inner) = rest.strip_prefix('{') {
                if inner.starts_with(name)
                    && !inner
                        .as_bytes()
                        .get(name.len())
                        .copied()
                        .is_some_and(is_name)
                {
                    let close = inner.find('}').map_or(v.len(), |c| at + 2 + c + 1);
                    return Some(self.sub_span(at, close));
                }
            } else if rest.starts_with(name)
                && !rest
                    .as_bytes()
                    .get(name.len())
                    .copied()
                    .is_some_and(is_name)
            {
                return Some(self.sub_span(at, at + 1 + name.len()));
            }
            from = at + 1;
        }
        None
    }

    /// The value split at `sep`, each part with its byte range in [`Word::value`].
    pub fn split_value(&self, sep: char) -> impl Iterator<Item = (std::ops::Range<usize>, &str)> {
        let mut at = 0;
        self.value.split(sep).map(move |part| {
            let r = at..at + part.len();
            at = r.end + sep.len_utf8();
            (r, part)
        })
    }
}

/// What a variable holds when a word is expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarValue<'a> {
    /// Not set: expands to nothing, and the result is still known.
    Undefined,
    /// Declared but its value is unknown here (an `ARG` without a default, an automatic
    /// platform ARG, an ENV of the base image): expanded as unset, and the result is marked
    /// unresolved.
    Unknown,
    /// Set to this value; `true` when that value itself depends on an unknown variable.
    Known(&'a str, bool),
}

/// A word after variable expansion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expansion {
    /// The value, quotes and escapes removed, variables replaced (unknown ones as unset).
    pub value: String,
    /// The value depends on a variable whose value is not known from the file, or on an
    /// expansion that failed (`${X:?}`, a bad substitution): it may differ at build time.
    pub unresolved: bool,
}

/// Nesting of `${A:-${B:-...}}` beyond this is not expanded (and marked unresolved).
const MAX_EXPANSION_DEPTH: usize = 32;

/// Expands the variables of a word as BuildKit's shell lexer does for FROM, ARG, ENV, COPY
/// and the other expanding instructions: `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`,
/// `${NAME:+alt}`, `${NAME+alt}`, `${NAME:?msg}`, `${NAME?msg}`, the pattern operators `#`, `##`,
/// `%`, `%%`, `/`, `//`; single quotes keep everything literal, double quotes allow expansions,
/// the escape character quotes the next character (inside double quotes only before `"`, `$`
/// and itself). `lookup` says what each variable holds.
pub fn expand<'a>(raw: &str, escape: char, lookup: &dyn Fn(&str) -> VarValue<'a>) -> Expansion {
    // Most words (an image name, a path, a value) hold no variable, quote or escape: they
    // expand to themselves.
    if !raw.contains(['$', '\'', '"', escape]) {
        return Expansion {
            value: raw.to_string(),
            unresolved: false,
        };
    }
    let mut lx = Lexer {
        chars: raw.chars().collect(),
        pos: 0,
        escape,
        lookup,
        depth: 0,
    };
    let mut out = Expansion::default();
    lx.word(None, &mut out);
    out
}

struct Lexer<'l, 'a> {
    chars: Vec<char>,
    pos: usize,
    escape: char,
    lookup: &'l dyn Fn(&str) -> VarValue<'a>,
    depth: usize,
}

impl Lexer<'_, '_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    /// Reads up to (and consumes) an unquoted `stop`, or to the end.
    fn word(&mut self, stop: Option<char>, out: &mut Expansion) {
        while let Some(ch) = self.next() {
            if Some(ch) == stop {
                return;
            }
            match ch {
                '\'' => {
                    while let Some(c) = self.next() {
                        if c == '\'' {
                            break;
                        }
                        out.value.push(c);
                    }
                }
                '"' => self.double_quoted(out),
                '$' => self.dollar(out),
                c if c == self.escape => {
                    if let Some(n) = self.next() {
                        out.value.push(n);
                    }
                }
                c => out.value.push(c),
            }
        }
    }

    fn double_quoted(&mut self, out: &mut Expansion) {
        while let Some(ch) = self.next() {
            match ch {
                '"' => return,
                '$' => self.dollar(out),
                c if c == self.escape => match self.peek() {
                    Some(n) if n == '"' || n == '$' || n == self.escape => {
                        self.pos += 1;
                        out.value.push(n);
                    }
                    Some(_) => out.value.push(c),
                    None => {}
                },
                c => out.value.push(c),
            }
        }
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
                self.pos += 1;
            } else {
                break;
            }
        }
        name
    }

    fn dollar(&mut self, out: &mut Expansion) {
        match self.peek() {
            Some('{') => {
                self.pos += 1;
                self.braced(out);
            }
            Some(c) if c.is_ascii_digit() => {
                // A positional parameter: never set in a Dockerfile.
                self.pos += 1;
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let name = self.name();
                self.push_var(&name, out);
            }
            _ => out.value.push('$'),
        }
    }

    fn push_var(&self, name: &str, out: &mut Expansion) {
        match (self.lookup)(name) {
            VarValue::Known(v, unresolved) => {
                out.value.push_str(v);
                out.unresolved |= unresolved;
            }
            VarValue::Unknown => out.unresolved = true,
            VarValue::Undefined => {}
        }
    }

    /// The argument of an operator, up to the closing `}`.
    fn operand(&mut self) -> Expansion {
        let mut arg = Expansion::default();
        if self.depth >= MAX_EXPANSION_DEPTH {
            arg.unresolved = true;
            self.skip_to_brace();
            return arg;
        }
        self.depth += 1;
        self.word(Some('}'), &mut arg);
        self.depth -= 1;
        arg
    }

    fn skip_to_brace(&mut self) {
        let mut depth = 0usize;
        while let Some(c) = self.next() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => return,
                '}' => depth -= 1,
                _ => {}
            }
        }
    }

    fn braced(&mut self, out: &mut Expansion) {
        let name = self.name();
        if name.is_empty() {
            // `${}`, `${#X}`, `${!X}`...: a bad substitution for BuildKit.
            out.unresolved = true;
            self.skip_to_brace();
            return;
        }
        let var = (self.lookup)(&name);
        let (set, value, unknown) = match var {
            VarValue::Known(v, u) => (true, v, u),
            VarValue::Unknown => (false, "", true),
            VarValue::Undefined => (false, "", false),
        };
        let Some(op) = self.next() else {
            out.unresolved = true;
            return;
        };
        let colon = op == ':';
        let op = if colon {
            match self.next() {
                Some(o @ ('-' | '+' | '?')) => o,
                _ => {
                    out.unresolved = true;
                    self.skip_to_brace();
                    return;
                }
            }
        } else {
            op
        };
        let empty_counts = colon && value.is_empty();
        match op {
            '}' => {
                out.value.push_str(value);
                out.unresolved |= unknown;
            }
            '-' => {
                let arg = self.operand();
                if !set || empty_counts {
                    out.value.push_str(&arg.value);
                    out.unresolved |= arg.unresolved || unknown;
                } else {
                    out.value.push_str(value);
                    out.unresolved |= unknown;
                }
            }
            '+' => {
                let arg = self.operand();
                if set && !empty_counts {
                    out.value.push_str(&arg.value);
                    out.unresolved |= arg.unresolved;
                }
                out.unresolved |= unknown;
            }
            '?' => {
                self.operand();
                if !set || empty_counts {
                    out.unresolved = true;
                } else {
                    out.value.push_str(value);
                    out.unresolved |= unknown;
                }
            }
            '#' | '%' => {
                let longest = self.peek() == Some(op);
                if longest {
                    self.pos += 1;
                }
                let pattern = self.operand();
                let trimmed = trim_pattern(value, &pattern.value, op == '#', longest);
                out.value.push_str(trimmed);
                out.unresolved |= unknown || pattern.unresolved;
            }
            '/' => {
                let all = self.peek() == Some('/');
                if all {
                    self.pos += 1;
                }
                let mut pattern = Expansion::default();
                while let Some(c) = self.peek() {
                    if c == '/' || c == '}' {
                        break;
                    }
                    self.pos += 1;
                    pattern.value.push(c);
                }
                let with = if self.peek() == Some('/') {
                    self.pos += 1;
                    self.operand()
                } else {
                    self.pos += usize::from(self.peek() == Some('}'));
                    Expansion::default()
                };
                let replaced = if pattern.value.is_empty() {
                    value.to_string()
                } else if all {
                    value.replace(&pattern.value, &with.value)
                } else {
                    value.replacen(&pattern.value, &with.value, 1)
                };
                out.value.push_str(&replaced);
                out.unresolved |= unknown || with.unresolved || has_glob(&pattern.value);
            }
            _ => {
                out.unresolved = true;
                self.skip_to_brace();
            }
        }
    }
}

fn has_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

/// `${X#p}`/`${X##p}` (prefix) and `${X%p}`/`${X%%p}` (suffix) with `*` and `?` wildcards.
fn trim_pattern<'v>(value: &'v str, pattern: &str, prefix: bool, longest: bool) -> &'v str {
    let mut cuts: Vec<usize> = value
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(value.len()))
        .collect();
    if prefix == longest {
        cuts.reverse();
    }
    for cut in cuts {
        let (part, rest) = if prefix {
            (&value[..cut], &value[cut..])
        } else {
            (&value[cut..], &value[..cut])
        };
        if glob_match(pattern, part) {
            return rest;
        }
    }
    value
}

/// Shell pattern matching with `*` and `?` (other characters match themselves).
fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The reference to `name` as written (`${NAME:-x}`, `${NAME?msg}`) says what happens when the
/// variable is not set: a default, an alternative or an error of its own.
pub fn has_fallback(reference: &str, name: &str) -> bool {
    reference
        .strip_prefix("${")
        .and_then(|r| r.strip_prefix(name))
        .is_some_and(|r| r.starts_with([':', '-', '+', '?']))
}

/// The names of the variables a word refers to, in order, each once, as the expansion of
/// [`expand`] reads them (single-quoted text and escaped `$` are not references).
pub fn referenced_vars(raw: &str, escape: char) -> Vec<String> {
    let seen = std::cell::RefCell::new(Vec::<String>::new());
    expand(raw, escape, &|name| {
        let mut s = seen.borrow_mut();
        if !s.iter().any(|n| n == name) {
            s.push(name.to_string());
        }
        VarValue::Unknown
    });
    seen.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(
            referenced_vars("${A:-$B}/$C_D'$E'\\$F", '\\'),
            ["A", "B", "C_D"]
        );
        assert!(referenced_vars("plain", '\\').is_empty());
        assert!(has_fallback("${A:-x}", "A") && has_fallback("${A?}", "A"));
        assert!(
            !has_fallback("${A}", "A")
                && !has_fallback("$A", "A")
                && !has_fallback("${AB:-x}", "A")
        );
    }

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

    fn vars(name: &str) -> VarValue<'static> {
        match name {
            "A" => VarValue::Known("alpha", false),
            "E" => VarValue::Known("", false),
            "P" => VarValue::Known("gcr.io/distroless/static:nonroot", false),
            "U" => VarValue::Unknown,
            _ => VarValue::Undefined,
        }
    }

    fn ex(raw: &str) -> (String, bool) {
        let e = expand(raw, '\\', &vars);
        (e.value, e.unresolved)
    }

    #[test]
    fn expands_like_buildkit() {
        let r = |s: &str| (s.to_string(), false);
        let u = |s: &str| (s.to_string(), true);
        assert_eq!(ex("$A"), r("alpha"));
        assert_eq!(ex("${A}-x"), r("alpha-x"));
        assert_eq!(ex("$A.b"), r("alpha.b"));
        assert_eq!(ex("${N:-d}"), r("d"));
        assert_eq!(ex("${E:-d}"), r("d"));
        assert_eq!(ex("${E-d}"), r(""));
        assert_eq!(ex("${N-d}"), r("d"));
        assert_eq!(ex("${A:+yes}"), r("yes"));
        assert_eq!(ex("${E:+yes}"), r(""));
        assert_eq!(ex("${E+yes}"), r("yes"));
        assert_eq!(ex("${N+yes}"), r(""));
        assert_eq!(ex("${N:-${A:-x}}"), r("alpha"));
        assert_eq!(ex("'$A'"), r("$A"));
        assert_eq!(ex("\"$A\""), r("alpha"));
        assert_eq!(ex("\\$A"), r("$A"));
        assert_eq!(ex("\"\\$A\""), r("$A"));
        assert_eq!(ex("a$"), r("a$"));
        assert_eq!(ex("${P%:*}"), r("gcr.io/distroless/static"));
        assert_eq!(ex("${P##*:}"), r("nonroot"));
        assert_eq!(ex("${P#gcr.io/}"), r("distroless/static:nonroot"));
        assert_eq!(ex("${A/ph/f}"), r("alfa"));
        // Unknown values: expanded as unset, and flagged.
        assert_eq!(ex("$U"), u(""));
        assert_eq!(ex("${U:-alpine}"), u("alpine"));
        assert_eq!(ex("${N:?required}"), u(""));
        assert_eq!(ex("${}"), u(""));
        assert_eq!(ex("${A"), u(""));
        // Only the branch that is taken counts.
        assert_eq!(ex("${A:-$U}"), r("alpha"));
    }

    #[test]
    fn words_without_expansions_expand_as_the_lexer_reads_them() {
        for escape in ['\\', '`'] {
            for raw in [
                "",
                "alpine:3.19",
                "/usr/src/app",
                "a\\b",
                "a`b",
                "x=y",
                "r\u{e9}sum\u{e9}",
                "{a,b}",
                "$",
                "'q'",
                "\"d\"",
            ] {
                let mut lx = Lexer {
                    chars: raw.chars().collect(),
                    pos: 0,
                    escape,
                    lookup: &vars,
                    depth: 0,
                };
                let mut read = Expansion::default();
                lx.word(None, &mut read);
                assert_eq!(expand(raw, escape, &vars), read, "{raw:?} with {escape:?}");
            }
        }
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let raw = "${N:-".repeat(10_000) + "x" + &"}".repeat(10_000);
        let (_, unresolved) = ex(&raw);
        assert!(unresolved);
    }

    #[test]
    fn word_sub_spans_map_across_quotes_and_continuations() {
        let file = "RUN --mount=type=cache,\\\n\"from\"=quay.io/a x";
        let mut t = MappedText::default();
        t.push_str("--mount=type=cache,", 4);
        t.push_str("\"from\"=quay.io/a x", 25);
        let r = split_words(&t.text, '\\');
        let w = word_at(&t, r[0].clone(), '\\');
        assert_eq!(w.value, "--mount=type=cache,from=quay.io/a");
        let at = w.value.find("quay").unwrap();
        assert_eq!(w.sub_span(at, w.value.len()).text(file), "quay.io/a");
        let at = w.value.find("from").unwrap();
        assert_eq!(w.sub_span(at, at + 4).text(file), "from");
    }

    /// The word of a range, its value unquoted and mapped one character at a time (the
    /// general path of `word_at`).
    fn word_by_chars(text: &MappedText, r: std::ops::Range<usize>) -> Word {
        let raw = &text.text[r.clone()];
        let mut map = OffsetMap::new();
        let value = unquote_mapped(raw, '\\', |out, at| {
            map.push(out as u32, text.map.to_file((r.start + at) as u32));
        });
        Word {
            span: text.span(r.start, r.end),
            raw: raw.into(),
            value: value.into(),
            map,
        }
    }

    #[test]
    fn a_plain_word_is_the_same_by_either_path() {
        let mut t = MappedText::default();
        t.push_str("--mount=type=cache,", 4);
        t.push_str("target=/x ", 25);
        t.push_str("é-ü b", 40);
        for r in split_words(&t.text, '\\') {
            assert_eq!(word_at(&t, r.clone(), '\\'), word_by_chars(&t, r));
        }
    }

    #[test]
    fn words_iterate_like_the_split() {
        let s = "a\\ b 'c d' \"e\\\" f\" g\\";
        let all: Vec<_> = Words::new(s, '\\').collect();
        assert_eq!(all.len(), 4);
        assert_eq!(&s[all[3].clone()], "g\\");
        assert_eq!(words("\u{a0}x\u{2003}y"), ["x", "y"]);
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
