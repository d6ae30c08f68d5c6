//! Source text, byte spans, and the conversion from bytes to line/column for output.
//!
//! Everything inside wharf speaks in byte offsets into the file's text (`Span`). Lines and
//! columns exist only at the edge, when a diagnostic is printed: [`LineIndex`] converts them.

use std::fmt;
use std::path::PathBuf;

/// A half-open byte range `start..end` into a file's text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    /// Builds a span from `usize` offsets (files are limited to 4 GiB by the reader).
    pub fn from_range(range: std::ops::Range<usize>) -> Self {
        Span::new(range.start as u32, range.end as u32)
    }

    pub const fn empty(at: u32) -> Self {
        Span { start: at, end: at }
    }

    pub const fn len(self) -> u32 {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The text this span covers (empty when the span is out of bounds).
    pub fn text(self, source: &str) -> &str {
        source.get(self.range()).unwrap_or("")
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// The identity of a file within one lint run: its index in the run's list of files. A file
/// linted alone is `FileId(0)`. Diagnostics and related labels carry one, so a rule over
/// several files can report into any of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// What kind of file a path holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    Dockerfile,
    Compose,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Dockerfile => "dockerfile",
            FileKind::Compose => "compose",
        }
    }
}

/// A file as read from disk (or stdin): its reported path and its full text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as discovered or given on the command line; this is what output reports.
    pub path: PathBuf,
    pub text: String,
    pub kind: FileKind,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>, kind: FileKind) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
            kind,
        }
    }

    /// The reported path with forward slashes, as every output format prints it.
    pub fn display_path(&self) -> String {
        let s = self.path.to_string_lossy();
        let s = s.strip_prefix("./").unwrap_or(&s);
        s.replace('\\', "/")
    }
}

/// Byte offset -> (line, column) conversion. Lines and columns are 1-based; columns count
/// Unicode scalar values, so a tab or a multi-byte character is one column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        LineIndex { line_starts }
    }

    /// The 0-based line that contains `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    pub fn line_start(&self, line0: usize) -> u32 {
        self.line_starts[line0.min(self.line_starts.len() - 1)]
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 1-based line and column of a byte offset (clamped to the text, and moved back to a
    /// character boundary if it falls inside a multi-byte character); columns count characters.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let p = self.position(text, offset, Encoding::Chars);
        LineCol {
            line: p.line + 1,
            column: p.character + 1,
        }
    }

    /// The 0-based line and column of a byte offset, the column counted in `encoding` (what
    /// LSP calls a `Position` with UTF-16, the default of its clients). The offset is clamped
    /// to the text and moved back to a character boundary.
    pub fn position(&self, text: &str, offset: u32, encoding: Encoding) -> Position {
        let mut offset = (offset as usize).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line0 = self.line_of(offset as u32);
        let start = self.line_starts[line0] as usize;
        Position {
            line: line0 as u32,
            character: encoding.measure(&text[start..offset]),
        }
    }

    /// The byte offset of a 0-based position, the inverse of [`LineIndex::position`]. A line past
    /// the end gives the end of the text; a column past the end of its line gives the end of the
    /// line (before its `\n` or `\r\n`); a column inside a character (half of a UTF-16
    /// surrogate pair, a byte inside a multi-byte character) gives the start of that character.
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> u32 {
        let line0 = position.line as usize;
        if line0 >= self.line_starts.len() {
            return text.len() as u32;
        }
        let start = self.line_starts[line0] as usize;
        let end = self
            .line_starts
            .get(line0 + 1)
            .map_or(text.len(), |&n| n as usize - 1);
        let content = &text[start..end];
        let content = content.strip_suffix('\r').unwrap_or(content);
        let mut units = 0u32;
        for (i, c) in content.char_indices() {
            let width = encoding.width(c);
            if units + width > position.character {
                return (start + i) as u32;
            }
            units += width;
        }
        (start + content.len()) as u32
    }
}

/// How a column is counted: the three conventions wharf meets. Output formats count
/// characters (SARIF, JSON, the terminal), LSP clients UTF-16 code units by default, and
/// editors that negotiate it UTF-8 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Chars,
}

impl Encoding {
    fn width(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Chars => 1,
        }
    }

    fn measure(self, s: &str) -> u32 {
        match self {
            Encoding::Utf8 => s.len() as u32,
            Encoding::Utf16 => s.chars().map(char::len_utf16).sum::<usize>() as u32,
            Encoding::Chars => s.chars().count() as u32,
        }
    }
}

/// A 0-based line and a 0-based column in some [`Encoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

/// A map from offsets in a derived string (say, an instruction's logical line with its
/// continuations removed) back to byte offsets in the file. It is a list of pieces: each piece
/// of the derived text was copied verbatim from one place in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    /// `(derived_start, file_start)`, sorted by `derived_start`.
    pieces: Vec<(u32, u32)>,
}

impl OffsetMap {
    pub fn new() -> Self {
        OffsetMap { pieces: Vec::new() }
    }

    /// Records that the derived text from `derived_start` on was copied from `file_start` on.
    pub fn push(&mut self, derived_start: u32, file_start: u32) {
        if let Some(&(d, f)) = self.pieces.last() {
            // Skip a piece that continues the previous one exactly.
            if derived_start >= d && file_start >= f && derived_start - d == file_start - f {
                return;
            }
            if d == derived_start {
                self.pieces.pop();
            }
        }
        self.pieces.push((derived_start, file_start));
    }

    /// The file offset of a derived offset.
    pub fn to_file(&self, derived: u32) -> u32 {
        let i = match self.pieces.binary_search_by_key(&derived, |p| p.0) {
            Ok(i) => i,
            Err(0) => return derived,
            Err(i) => i - 1,
        };
        let (d, f) = self.pieces[i];
        f + (derived - d)
    }

    /// Appends the pieces of `other`, whose derived text was appended at `base`.
    pub fn append(&mut self, other: &OffsetMap, base: u32) {
        for &(d, f) in &other.pieces {
            self.push(base + d, f);
        }
    }

    /// The map of the derived sub-range `start..end`, re-based so that `start` becomes 0.
    pub fn slice(&self, start: u32, end: u32) -> OffsetMap {
        let mut out = OffsetMap::new();
        out.pieces.push((0, self.to_file(start)));
        let first = self.pieces.partition_point(|p| p.0 <= start);
        for &(d, f) in &self.pieces[first..] {
            if d >= end {
                break;
            }
            out.pieces.push((d - start, f));
        }
        out
    }

    /// The file span of a derived range. The end is mapped as "one past the last character",
    /// so a word that ends right before a continuation does not swallow the continuation.
    pub fn span(&self, start: u32, end: u32) -> Span {
        let s = self.to_file(start);
        let e = if end > start {
            self.to_file(end - 1) + 1
        } else {
            s
        };
        Span::new(s, e.max(s))
    }
}

/// Text derived from a file (a logical line, a word with quotes removed) together with the map
/// back to file offsets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MappedText {
    pub text: String,
    pub map: OffsetMap,
}

impl MappedText {
    /// Appends `piece`, which sits in the file at `file_offset`.
    pub fn push_str(&mut self, piece: &str, file_offset: u32) {
        if piece.is_empty() {
            return;
        }
        self.map.push(self.text.len() as u32, file_offset);
        self.text.push_str(piece);
    }

    /// The sub-text `start..end` (byte offsets on character boundaries), keeping its map.
    pub fn slice(&self, start: usize, end: usize) -> MappedText {
        MappedText {
            text: self.text.get(start..end).unwrap_or("").to_string(),
            map: self.map.slice(start as u32, end as u32),
        }
    }

    /// The file span of a range of the derived text.
    pub fn span(&self, start: usize, end: usize) -> Span {
        self.map.span(start as u32, end as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars() {
        let text = "ab\nçd\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 3), LineCol { line: 2, column: 1 });
        assert_eq!(idx.line_col(text, 5), LineCol { line: 2, column: 2 });
        assert_eq!(idx.line_col(text, 4), LineCol { line: 2, column: 1 });
    }

    #[test]
    fn offset_map_pieces() {
        let file = "RUN a \\\n  b";
        let mut m = MappedText::default();
        m.push_str("a ", 4);
        m.push_str("  b", 8);
        assert_eq!(m.text, "a   b");
        assert_eq!(m.span(4, 5).text(file), "b");
        assert_eq!(m.span(0, 1).text(file), "a");
        assert_eq!(m.span(0, 5), Span::new(4, 11));
        let sub = m.slice(1, 5);
        assert_eq!(sub.text, "   b");
        assert_eq!(sub.span(3, 4).text(file), "b");
        assert_eq!(sub.span(0, 1), Span::new(5, 6));
    }
}

#[cfg(test)]
mod position_tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn non_ascii_in_three_encodings() {
        // `é` is 2 bytes and 1 UTF-16 unit; `😀` is 4 bytes and 2 UTF-16 units.
        let text = "é😀x\nab";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap() as u32;
        assert_eq!(idx.position(text, x, Encoding::Utf8), pos(0, 6));
        assert_eq!(idx.position(text, x, Encoding::Utf16), pos(0, 3));
        assert_eq!(idx.position(text, x, Encoding::Chars), pos(0, 2));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
            for offset in text.char_indices().map(|(i, _)| i as u32) {
                let p = idx.position(text, offset, enc);
                assert_eq!(idx.offset(text, p, enc), offset, "{enc:?} at {offset}");
            }
        }
        // Inside a character: its start.
        assert_eq!(idx.position(text, 1, Encoding::Utf16), pos(0, 0));
        assert_eq!(idx.offset(text, pos(0, 2), Encoding::Utf16), 2);
        assert_eq!(idx.offset(text, pos(0, 4), Encoding::Utf8), 2);
        assert_eq!(idx.line_col(text, x), LineCol { line: 1, column: 3 });
    }

    #[test]
    fn crlf_and_out_of_range() {
        let text = "ab\r\ncd\r\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 5, Encoding::Utf16), pos(1, 1));
        assert_eq!(idx.offset(text, pos(1, 1), Encoding::Utf16), 5);
        // Past the end of the line: before `\r\n`.
        assert_eq!(idx.offset(text, pos(0, 99), Encoding::Chars), 2);
        assert_eq!(idx.offset(text, pos(1, 99), Encoding::Utf8), 6);
        // The line after the last newline, and past the last line.
        assert_eq!(idx.offset(text, pos(2, 0), Encoding::Utf16), 8);
        assert_eq!(idx.offset(text, pos(7, 3), Encoding::Utf16), 8);
        assert_eq!(idx.position(text, 99, Encoding::Chars), pos(2, 0));
    }
}
