//! A scanner for the text of one shell word, as delimited by the tokenizer.
//!
//! It removes quotes and escapes (keeping expansions as written), tells whether the word holds an
//! expansion or a quote, and finds the command substitutions (`$(...)` and backticks) whose
//! content must be parsed as shell in turn. Substitutions nested inside another substitution are
//! left to the recursive parse of the outer one; those inside `${...}`, `$((...))` and double
//! quotes are reported, since they are part of this word.
//!
//! The scanner works on bytes: every character with a syntactic meaning is ASCII, and runs of
//! other bytes are copied whole, so the output stays valid UTF-8. It never fails: an unterminated
//! construct simply runs to the end of the word (the tokenizer has already rejected most).

use std::ops::Range;

/// A command substitution found in a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Substitution {
    /// The byte range of its content (without `$(`/`)` or the backticks) in the scanned text.
    pub inner: Range<usize>,
    /// Written with backticks, whose content still carries backslash escapes.
    pub backtick: bool,
}

/// The result of scanning a word.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Scanned {
    /// The value with quotes and escapes removed; expansions kept as written. Inline up to
    /// 24 bytes, as the model keeps it: most words need no allocation.
    pub text: compact_str::CompactString,
    /// The word holds a parameter, arithmetic or command expansion.
    pub has_expansion: bool,
    /// The word holds a quoted part (single, double or ANSI-C quotes, or a backslash escape).
    pub quoted: bool,
    /// The command substitutions to parse recursively, in order.
    pub substitutions: Vec<Substitution>,
    /// The word nests quotes and expansions deeper than [`MAX_DEPTH`]; the scan stopped there.
    pub too_deep: bool,
}

/// How deep the scanner recurses into nested quotes and expansions before giving up.
pub(super) const MAX_DEPTH: usize = 128;

/// Scans a word in ordinary (command line) context.
pub(super) fn scan_word(raw: &str) -> Scanned {
    // Most words (`apt-get`, `-y`, `/usr/local/bin`) hold nothing to scan: their value is the
    // word itself, built in one copy.
    if !raw.bytes().any(opens_something) {
        return Scanned {
            text: raw.into(),
            ..Scanned::default()
        };
    }
    let mut s = Scanner::new(raw);
    s.word();
    s.out
}

/// Scans the body of a here-document whose delimiter was unquoted: quotes are literal text, but
/// expansions and substitutions happen. Only the substitutions (and `too_deep`) are of interest.
pub(super) fn heredoc_substitutions(body: &str) -> Scanned {
    let mut s = Scanner::new(body);
    let mut i = 0;
    while i < s.b.len() {
        i = match s.b[i] {
            b'\\' => i + 2,
            b'$' => s.dollar(i),
            b'`' => s.backtick(i, true),
            _ => i + 1,
        };
    }
    s.out
}

/// Undoes the backslash escapes that are special inside backticks (`\\`, `` \` ``, `\$`), giving
/// the text to parse and, for each of its bytes (plus an empty range for its end), the bytes of
/// `inner` it came from (two for an escaped character).
pub(super) fn unescape_backticks(inner: &str) -> (String, Vec<Range<usize>>) {
    let b = inner.as_bytes();
    let mut text = Vec::with_capacity(b.len());
    let mut from = Vec::with_capacity(b.len() + 1);
    let mut i = 0;
    while i < b.len() {
        let start = i;
        if b[i] == b'\\' && matches!(b.get(i + 1), Some(b'\\' | b'`' | b'$')) {
            i += 1;
        }
        text.push(b[i]);
        from.push(start..i + 1);
        i += 1;
    }
    from.push(b.len()..b.len());
    // Only ASCII backslashes were removed, so the bytes are still valid UTF-8.
    let text = String::from_utf8(text)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (text, from)
}

/// The bytes of a word that start something other than literal text: an escape, a quote, an
/// expansion or a backquoted substitution.
fn opens_something(c: u8) -> bool {
    matches!(c, b'\\' | b'\'' | b'"' | b'$' | b'`')
}

struct Scanner<'a> {
    raw: &'a str,
    b: &'a [u8],
    out: Scanned,
    /// The current recursion depth.
    depth: usize,
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The length of the shell name (`[A-Za-z_][A-Za-z0-9_]*`) that starts `b`; 0 when none does.
pub(super) fn name_len(b: &[u8]) -> usize {
    if !b.first().is_some_and(|&c| is_name_start(c)) {
        return 0;
    }
    b.iter().position(|&c| !is_name_char(c)).unwrap_or(b.len())
}

impl<'a> Scanner<'a> {
    fn new(raw: &'a str) -> Self {
        Scanner {
            raw,
            b: raw.as_bytes(),
            out: Scanned::default(),
            depth: 0,
        }
    }

    /// Copies `raw[from..to]` to the output text (clamped to the word).
    fn copy(&mut self, from: usize, to: usize) {
        let to = to.min(self.b.len());
        if let Some(s) = self.raw.get(from..to) {
            self.out.text.push_str(s);
        }
    }

    /// The end of the UTF-8 character that starts at `i`.
    fn char_end(&self, i: usize) -> usize {
        let mut j = i + 1;
        while j < self.b.len() && (self.b[j] & 0xC0) == 0x80 {
            j += 1;
        }
        j
    }

    fn word(&mut self) {
        let mut i = 0;
        while i < self.b.len() {
            match self.b[i] {
                b'\\' => {
                    self.out.quoted = true;
                    if self.b.get(i + 1) == Some(&b'\n') {
                        i += 2;
                    } else if i + 1 < self.b.len() {
                        let end = self.char_end(i + 1);
                        self.copy(i + 1, end);
                        i = end;
                    } else {
                        i += 1;
                    }
                }
                b'\'' => {
                    self.out.quoted = true;
                    let end = self.find_byte(i + 1, b'\'');
                    self.copy(i + 1, end);
                    i = end + 1;
                }
                b'"' => {
                    self.out.quoted = true;
                    i = self.double_quoted(i + 1, true);
                }
                b'$' => i = self.dollar_in_word(i),
                b'`' => {
                    let end = self.backtick(i, true);
                    self.out.has_expansion = true;
                    self.copy(i, end);
                    i = end;
                }
                _ => {
                    let start = i;
                    while i < self.b.len() && !opens_something(self.b[i]) {
                        i += 1;
                    }
                    self.copy(start, i);
                }
            }
        }
    }

    /// The index of the next `c` at or after `i`, or the end of the word.
    fn find_byte(&self, i: usize, c: u8) -> usize {
        self.b
            .get(i..)
            .and_then(|rest| rest.iter().position(|&x| x == c))
            .map_or(self.b.len(), |p| i + p)
    }

    /// Handles the content of double quotes starting at `i` (after the opening quote); copies the
    /// value to the output when `emit`. Returns the index after the closing quote.
    fn double_quoted(&mut self, mut i: usize, emit: bool) -> usize {
        while i < self.b.len() {
            match self.b[i] {
                b'"' => return i + 1,
                b'\\' => {
                    match self.b.get(i + 1) {
                        Some(b'\n') => {}
                        Some(b'$' | b'`' | b'"' | b'\\') => {
                            if emit {
                                self.copy(i + 1, i + 2);
                            }
                        }
                        _ => {
                            if emit {
                                self.copy(i, i + 2);
                            }
                        }
                    }
                    i += 2;
                }
                b'$' => {
                    let end = self.dollar(i);
                    if end > i + 1 {
                        self.out.has_expansion = true;
                    }
                    if emit {
                        self.copy(i, end);
                    }
                    i = end;
                }
                b'`' => {
                    let end = self.backtick(i, true);
                    self.out.has_expansion = true;
                    if emit {
                        self.copy(i, end);
                    }
                    i = end;
                }
                _ => {
                    let start = i;
                    while i < self.b.len() && !matches!(self.b[i], b'"' | b'\\' | b'$' | b'`') {
                        i += 1;
                    }
                    if emit {
                        self.copy(start, i);
                    }
                }
            }
        }
        self.b.len()
    }

    /// A `$` in unquoted word context: quoting forms (`$'...'`, `$"..."`) are unquoted into the
    /// text, expansions are copied as written.
    fn dollar_in_word(&mut self, i: usize) -> usize {
        match self.b.get(i + 1) {
            Some(b'\'') => {
                self.out.quoted = true;
                self.ansi_c(i + 2)
            }
            Some(b'"') => {
                self.out.quoted = true;
                self.double_quoted(i + 2, true)
            }
            _ => {
                let end = self.dollar(i);
                if end > i + 1 {
                    self.out.has_expansion = true;
                }
                self.copy(i, end);
                end
            }
        }
    }

    /// Decodes ANSI-C quoted content starting at `i`; returns the index after the closing quote.
    fn ansi_c(&mut self, mut i: usize) -> usize {
        while i < self.b.len() {
            match self.b[i] {
                b'\'' => return i + 1,
                b'\\' if i + 1 < self.b.len() => {
                    let decoded = match self.b[i + 1] {
                        b'n' => Some('\n'),
                        b't' => Some('\t'),
                        b'r' => Some('\r'),
                        b'\\' => Some('\\'),
                        b'\'' => Some('\''),
                        b'"' => Some('"'),
                        b'?' => Some('?'),
                        b'e' | b'E' => Some('\u{1b}'),
                        b'a' => Some('\u{7}'),
                        _ => None,
                    };
                    match decoded {
                        Some(c) => self.out.text.push(c),
                        None => self.copy(i, i + 2),
                    }
                    i += 2;
                }
                _ => {
                    let end = self.char_end(i);
                    self.copy(i, end);
                    i = end;
                }
            }
        }
        self.b.len()
    }

    /// The end of an expansion that starts with `$` at `i` (`i + 1` when the `$` is literal).
    /// Command substitutions met here (directly, or inside `${...}` or `$((...))`) are recorded.
    fn dollar(&mut self, i: usize) -> usize {
        self.guarded(|s| s.dollar_inner(i))
    }

    /// Runs one level of recursion, or gives up (at the end of the text) past [`MAX_DEPTH`].
    fn guarded(&mut self, f: impl FnOnce(&mut Self) -> usize) -> usize {
        if self.depth >= MAX_DEPTH {
            self.out.too_deep = true;
            return self.b.len();
        }
        self.depth += 1;
        let end = f(self);
        self.depth -= 1;
        end
    }

    fn dollar_inner(&mut self, i: usize) -> usize {
        match self.b.get(i + 1) {
            Some(b'(') if self.b.get(i + 2) == Some(&b'(') => self.arithmetic(i + 3),
            Some(b'(') => self.command_substitution(i + 2, true),
            Some(b'{') => self.braced(i + 2, true),
            Some(b'[') => self.skip_until_close(i + 2, b'[', b']', true),
            Some(&c) if is_name_start(c) => {
                let mut j = i + 2;
                while j < self.b.len() && is_name_char(self.b[j]) {
                    j += 1;
                }
                j
            }
            Some(&c) if c.is_ascii_digit() || b"@*#?-$!".contains(&c) => i + 2,
            _ => i + 1,
        }
    }

    /// Skips a backtick substitution starting at `i` (on the opening backtick); records it when
    /// `record`. Returns the index after the closing backtick.
    fn backtick(&mut self, i: usize, record: bool) -> usize {
        let mut j = i + 1;
        while j < self.b.len() {
            match self.b[j] {
                b'\\' => j += 2,
                b'`' => break,
                _ => j += 1,
            }
        }
        let close = j.min(self.b.len());
        if record {
            self.out.substitutions.push(Substitution {
                inner: i + 1..close,
                backtick: true,
            });
        }
        (close + 1).min(self.b.len())
    }

    /// Skips the content of `$((` from `i`; substitutions inside are recorded.
    fn arithmetic(&mut self, i: usize) -> usize {
        // The inner group opened by the second parenthesis closes first; then the outer one.
        let j = self.skip_until_close(i, b'(', b')', true);
        if self.b.get(j) == Some(&b')') {
            j + 1
        } else {
            j
        }
    }

    /// Skips to the `close` that balances an already opened `open`, from `i`, minding quotes and
    /// nested expansions. Returns the index after it (or the end of the text).
    fn skip_until_close(&mut self, mut i: usize, open: u8, close: u8, record: bool) -> usize {
        let mut depth = 1usize;
        while i < self.b.len() {
            let c = self.b[i];
            if c == close {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
                i += 1;
            } else if c == open {
                depth += 1;
                i += 1;
            } else {
                i = self.skip_quoted_or_expansion(i, record).unwrap_or(i + 1);
            }
        }
        self.b.len()
    }

    /// Skips `${...}` from `i` (after the brace).
    fn braced(&mut self, i: usize, record: bool) -> usize {
        self.skip_until_close(i, b'{', b'}', record)
    }

    /// When a quote, escape, or expansion starts at `i`, skips it and returns the index after it.
    fn skip_quoted_or_expansion(&mut self, i: usize, record: bool) -> Option<usize> {
        if !matches!(self.b[i], b'\\' | b'\'' | b'"' | b'`' | b'$') {
            return None;
        }
        Some(self.guarded(|s| s.skip_quoted_or_expansion_inner(i, record).unwrap_or(i + 1)))
    }

    fn skip_quoted_or_expansion_inner(&mut self, i: usize, record: bool) -> Option<usize> {
        match self.b[i] {
            b'\\' => Some(i + 2),
            b'\'' => Some(self.find_byte(i + 1, b'\'') + 1),
            b'"' => {
                if record {
                    Some(self.double_quoted(i + 1, false))
                } else {
                    Some(self.skip_double(i + 1))
                }
            }
            b'`' => Some(self.backtick(i, record)),
            b'$' => match self.b.get(i + 1) {
                Some(b'(') if self.b.get(i + 2) == Some(&b'(') && record => {
                    Some(self.arithmetic(i + 3))
                }
                Some(b'(') => Some(self.command_substitution(i + 2, record)),
                Some(b'{') => Some(self.braced(i + 2, record)),
                Some(b'\'') => Some(self.skip_ansi(i + 2)),
                _ => Some(i + 1),
            },
            _ => None,
        }
    }

    /// Skips double-quoted content from `i` without recording anything.
    fn skip_double(&mut self, mut i: usize) -> usize {
        while i < self.b.len() {
            match self.b[i] {
                b'"' => return i + 1,
                b'\\' => i += 2,
                b'$' | b'`' => i = self.skip_quoted_or_expansion(i, false).unwrap_or(i + 1),
                _ => i += 1,
            }
        }
        self.b.len()
    }

    /// Skips ANSI-C quoted content from `i` (after `$'`).
    fn skip_ansi(&self, mut i: usize) -> usize {
        while i < self.b.len() {
            match self.b[i] {
                b'\'' => return i + 1,
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
        self.b.len()
    }

    /// Skips a `$(...)` whose content starts at `i`; records it when `record`. Returns the index
    /// after the closing parenthesis.
    ///
    /// The closing parenthesis is found by counting parentheses outside quotes and comments. A
    /// `case` pattern's `)` would close too early, so while a `case` keyword is open (until its
    /// `esac`), a parenthesis that would close the substitution is taken as a pattern's.
    fn command_substitution(&mut self, start: usize, record: bool) -> usize {
        let mut depth = 1usize;
        let mut open_cases = 0usize;
        let mut i = start;
        let mut at_word_start = true;
        let mut close = self.b.len();
        while i < self.b.len() {
            let c = self.b[i];
            let word_start = at_word_start;
            at_word_start = matches!(c, b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')');
            match c {
                b'(' => {
                    depth += 1;
                    i += 1;
                }
                b')' => {
                    if depth == 1 && open_cases > 0 {
                        i += 1;
                        continue;
                    }
                    depth -= 1;
                    if depth == 0 {
                        close = i;
                        break;
                    }
                    i += 1;
                }
                b'#' if word_start => {
                    i = self.find_byte(i, b'\n');
                }
                _ if word_start && self.keyword_at(i, b"case") => {
                    open_cases += 1;
                    i += 4;
                }
                _ if word_start && self.keyword_at(i, b"esac") => {
                    open_cases = open_cases.saturating_sub(1);
                    i += 4;
                }
                _ => {
                    i = self.skip_quoted_or_expansion(i, false).unwrap_or(i + 1);
                }
            }
        }
        if record {
            self.out.substitutions.push(Substitution {
                inner: start..close,
                backtick: false,
            });
        }
        (close + 1).min(self.b.len())
    }

    /// Whether the reserved word `kw` stands at `i` as a whole word.
    fn keyword_at(&self, i: usize, kw: &[u8]) -> bool {
        self.b.get(i..i + kw.len()) == Some(kw)
            && self
                .b
                .get(i + kw.len())
                .is_none_or(|&c| matches!(c, b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b')'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(raw: &str) -> String {
        scan_word(raw).text.into()
    }

    /// The shortcut for words with nothing to scan gives what the scanner gives.
    #[test]
    fn plain_words_scan_as_the_scanner_reads_them() {
        for raw in [
            "",
            "apt-get",
            "-y",
            "/usr/local/bin",
            "a=b",
            "{a,b}",
            "~/x",
            "é*?[x]",
            "#",
        ] {
            let mut s = Scanner::new(raw);
            s.word();
            // The whole result, so that a field added later is compared too.
            assert_eq!(scan_word(raw), s.out, "{raw:?}");
        }
    }

    #[test]
    fn quote_removal() {
        assert_eq!(text("\"a b\""), "a b");
        assert_eq!(text("'c'"), "c");
        assert_eq!(text("a\"b\"c"), "abc");
        assert_eq!(text("\\-y"), "-y");
        assert_eq!(text("$'a\\tb'"), "a\tb");
        assert_eq!(text("\"x\\\"y\\z\""), "x\"y\\z");
        assert_eq!(text("é'ü'"), "éü");
        assert!(scan_word("'c'").quoted);
        assert!(!scan_word("c").quoted);
    }

    #[test]
    fn expansions_kept() {
        let s = scan_word("\"$HOME\"/${VAR:-x}-$1");
        assert_eq!(s.text, "$HOME/${VAR:-x}-$1");
        assert!(s.has_expansion);
        assert!(!scan_word("a$").has_expansion);
        assert_eq!(text("$((1 + (2)))x"), "$((1 + (2)))x");
    }

    #[test]
    fn substitutions_found() {
        let raw = "a$(b \"c)\" ')' $(d))`e \\` f`${x:-$(g)}\"$(h)\"";
        let s = scan_word(raw);
        let inner: Vec<&str> = s
            .substitutions
            .iter()
            .map(|x| &raw[x.inner.clone()])
            .collect();
        assert_eq!(inner, ["b \"c)\" ')' $(d)", "e \\` f", "g", "h"]);
        assert_eq!(s.text, "a$(b \"c)\" ')' $(d))`e \\` f`${x:-$(g)}$(h)");
        assert!(s.substitutions[1].backtick);
    }

    #[test]
    fn case_inside_substitution() {
        let raw = "$(case $x in a) echo 1;; (b) echo 2;; esac)z";
        let s = scan_word(raw);
        assert_eq!(
            &raw[s.substitutions[0].inner.clone()],
            &raw[2..raw.len() - 2]
        );
    }

    #[test]
    fn backtick_unescape() {
        let (t, from) = unescape_backticks("a \\`b\\` \\n");
        assert_eq!(t, "a `b` \\n");
        assert_eq!(from[2], 2..4);
        assert_eq!(from.len(), t.len() + 1);
    }

    #[test]
    fn heredoc_body() {
        let body = "it's \"$(date)\" and `id`\n";
        let subs = heredoc_substitutions(body).substitutions;
        let inner: Vec<&str> = subs.iter().map(|x| &body[x.inner.clone()]).collect();
        assert_eq!(inner, ["date", "id"]);
    }

    #[test]
    fn unterminated_never_panics() {
        for raw in [
            "$(", "${", "$((", "`", "\"", "'", "\\", "$'", "$\"", "$[", "a$(b", "\"$(", "$(case",
        ] {
            let _ = scan_word(raw);
            let _ = heredoc_substitutions(raw);
        }
    }

    #[test]
    fn deep_nesting_stops_the_scan() {
        for (open, close) in [("$(", ")"), ("${x:-", "}"), ("\"$(", ")\""), ("$((", "))")] {
            let raw = format!("{}a{}", open.repeat(50_000), close.repeat(50_000));
            let run = move || scan_word(&raw).too_deep;
            let deep = std::thread::Builder::new()
                .stack_size(256 << 10)
                .spawn(run)
                .unwrap_or_else(|e| panic!("{e}"))
                .join()
                .unwrap_or_else(|_| panic!("scanner died on {open}"));
            assert!(deep, "{open}");
        }
        assert!(!scan_word("$(a \"$(b ${c:-$((1))})\")").too_deep);
    }
}
