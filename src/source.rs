//! Source text, byte spans, and the conversion from bytes to line/column for output.
//!
//! Everything inside wharf speaks in byte offsets into the file's text (`Span`). Lines and
//! columns exist only at the edge, when a diagnostic is printed: [`LineIndex`] converts them.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

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
    /// Shared with the file's Dockerfile tree, which reads its shell lines from it.
    pub text: Arc<str>,
    pub kind: FileKind,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>, kind: FileKind) -> Self {
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

/// The length of a UTF-8 byte order mark, in bytes.
const BOM_LEN: usize = 3;

/// Byte offset -> (line, column) conversion. Lines and columns are 1-based; columns count
/// Unicode scalar values, so a tab or a multi-byte character is one column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    /// Per line: it is all ASCII, so a column is a byte count (no scan of the line needed:
    /// positions stay O(log n) even on a megabyte-long line).
    ascii: Vec<bool>,
    /// The text starts with a UTF-8 byte order mark, which is not a column.
    bom: bool,
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Counted first (a fast scan), so that the two lists are allocated once at their size.
        let lines = memchr::memchr_iter(b'\n', bytes).count() + 1;
        let mut line_starts = Vec::with_capacity(lines);
        line_starts.push(0);
        let mut ascii = Vec::with_capacity(lines);
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', bytes) {
            line_starts.push(nl as u32 + 1);
            ascii.push(bytes[start..nl].is_ascii());
            start = nl + 1;
        }
        ascii.push(bytes[start..].is_ascii());
        LineIndex {
            line_starts,
            ascii,
            bom: text.starts_with('\u{feff}'),
        }
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

    /// Where the columns of a line start: its first byte, or after the byte order mark.
    fn content_start(&self, line0: usize) -> usize {
        if line0 == 0 && self.bom {
            BOM_LEN
        } else {
            self.line_starts[line0] as usize
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
        let start = self.content_start(line0);
        let offset = offset.max(start);
        let character = if self.ascii.get(line0).copied().unwrap_or(false) {
            (offset - start) as u32
        } else {
            encoding.measure(&text[start..offset])
        };
        Position {
            line: line0 as u32,
            character,
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
        let start = self.content_start(line0);
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
#[derive(Debug, Clone)]
pub struct OffsetMap {
    /// The first piece `(derived_start, file_start)`, kept inline because most maps (a word,
    /// a one-line instruction) have only one; `NO_PIECE` when the map is empty.
    first: (u32, u32),
    /// The pieces after the first, sorted by `derived_start`; boxed (one word, not three)
    /// because most maps have none and a map sits in every word of a parsed file.
    #[allow(clippy::box_collection)]
    more: Option<Box<Vec<(u32, u32)>>>,
}

/// The `first` of an empty map (no derived offset reaches `u32::MAX`: files are capped far below).
const NO_PIECE: (u32, u32) = (u32::MAX, u32::MAX);

/// Maps are equal when their pieces are (an emptied buffer of pieces counts as none).
impl PartialEq for OffsetMap {
    fn eq(&self, other: &Self) -> bool {
        self.first == other.first && self.more() == other.more()
    }
}

impl Eq for OffsetMap {}

impl Default for OffsetMap {
    fn default() -> Self {
        OffsetMap::new()
    }
}

impl OffsetMap {
    pub const fn new() -> Self {
        OffsetMap {
            first: NO_PIECE,
            more: None,
        }
    }

    fn more(&self) -> &[(u32, u32)] {
        self.more.as_deref().map_or(&[], Vec::as_slice)
    }

    fn len(&self) -> usize {
        if self.first == NO_PIECE {
            0
        } else {
            1 + self.more().len()
        }
    }

    fn piece(&self, i: usize) -> (u32, u32) {
        if i == 0 {
            self.first
        } else {
            self.more()[i - 1]
        }
    }

    fn pieces(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (self.first != NO_PIECE)
            .then_some(self.first)
            .into_iter()
            .chain(self.more().iter().copied())
    }

    /// Each piece as `(derived_start, derived_end, file_start)`, where the last one ends at
    /// `len`, the length of the derived text.
    pub(crate) fn pieces_with_ends(&self, len: u32) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        let n = self.len();
        (0..n).map(move |i| {
            let (d, f) = self.piece(i);
            let end = if i + 1 < n { self.piece(i + 1).0 } else { len };
            (d, end.max(d), f)
        })
    }

    /// The number of pieces whose derived start is at most `derived`.
    fn pieces_up_to(&self, derived: u32) -> usize {
        if self.first == NO_PIECE || self.first.0 > derived {
            0
        } else {
            1 + self.more().partition_point(|p| p.0 <= derived)
        }
    }

    fn push_piece(&mut self, piece: (u32, u32)) {
        if self.first == NO_PIECE {
            self.first = piece;
        } else {
            self.more.get_or_insert_default().push(piece);
        }
    }

    /// Empties the map, keeping its allocation.
    pub fn clear(&mut self) {
        self.first = NO_PIECE;
        self.more = self.more.take().map(|mut m| {
            m.clear();
            m
        });
    }

    /// Records that the derived text from `derived_start` on was copied from `file_start` on.
    pub fn push(&mut self, derived_start: u32, file_start: u32) {
        if let Some(last) = self.len().checked_sub(1) {
            let (d, f) = self.piece(last);
            // Skip a piece that continues the previous one exactly.
            if derived_start >= d && file_start >= f && derived_start - d == file_start - f {
                return;
            }
            if d == derived_start {
                if last == 0 {
                    self.first = NO_PIECE;
                } else {
                    if let Some(more) = &mut self.more {
                        more.pop();
                    }
                }
            }
        }
        self.push_piece((derived_start, file_start));
    }

    /// The file offset of a derived offset.
    pub fn to_file(&self, derived: u32) -> u32 {
        match self.pieces_up_to(derived) {
            0 => derived,
            n => {
                let (d, f) = self.piece(n - 1);
                f + (derived - d)
            }
        }
    }

    /// Appends the pieces of `other`, whose derived text was appended at `base`.
    pub fn append(&mut self, other: &OffsetMap, base: u32) {
        for (d, f) in other.pieces() {
            self.push(base + d, f);
        }
    }

    /// The map of the derived sub-range `start..end`, re-based so that `start` becomes 0.
    pub fn slice(&self, start: u32, end: u32) -> OffsetMap {
        let mut out = OffsetMap::new();
        out.push_piece((0, self.to_file(start)));
        for i in self.pieces_up_to(start)..self.len() {
            let (d, f) = self.piece(i);
            if d >= end {
                break;
            }
            out.push_piece((d - start, f));
        }
        // A slice is kept (a word, an instruction's line): no spare room.
        if let Some(more) = &mut out.more {
            more.shrink_to_fit();
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

    /// Empties the text and its map, keeping their allocations (for a buffer reused line after
    /// line).
    pub fn clear(&mut self) {
        self.text.clear();
        self.map.clear();
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

/// The default limit on the size of a linted file (`--max-file-size`, `max-file-size`).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;
/// The limit on the size of a configuration or ignore file.
pub const MAX_CONFIG_SIZE: u64 = 1024 * 1024;

/// Why a file could not be read by [`read_regular_file`].
#[derive(Debug)]
pub enum ReadError {
    /// The path names something other than a regular file (after following symbolic links);
    /// the text says what, e.g. `a FIFO`.
    NotRegular(&'static str),
    /// The file is larger than the limit, in bytes.
    TooLarge(u64),
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotRegular(what) => write!(f, "not a regular file ({what})"),
            ReadError::TooLarge(limit) => {
                write!(
                    f,
                    "file is larger than the limit of {}",
                    format_size(*limit)
                )
            }
            ReadError::Io(e) => f.write_str(&crate::discover::io_message(e)),
        }
    }
}

impl std::error::Error for ReadError {}

/// What a file type is, in words, for "not a regular file (a FIFO)".
pub fn describe_file_type(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// Reads a whole file, refusing anything that is not a regular file and anything larger than
/// `cap` bytes. Symbolic links are followed, so a link to a regular file reads that file. It
/// never blocks: the type is checked before opening, the file is opened non-blocking (a FIFO
/// swapped in between cannot stall the open), and the type is checked again on the open file.
/// Every file wharf reads goes through here (or [`read_found_file`], for the files discovery
/// found): linted files, configuration and ignore files.
pub fn read_regular_file(path: &std::path::Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(describe_file_type(meta.file_type())));
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge(cap));
    }
    read_found_file(path, cap)
}

/// [`read_regular_file`] for a path that has just been found to name a regular file (by
/// discovery, which learns every path's type from a listing or a `stat`): the type is not
/// asked again before the open, which saves a `statx` and its walk of the whole path. The open is still non-blocking and
/// the open file is still checked, so a FIFO or a device swapped in meanwhile is refused all
/// the same.
pub fn read_found_file(path: &std::path::Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(describe_file_type(meta.file_type())));
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge(cap));
    }
    // The size may change between the check and the read: the read itself is bounded too.
    let mut bytes = Vec::with_capacity(meta.len().min(cap) as usize);
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge(cap));
    }
    Ok(bytes)
}

/// A size in bytes as people write it: `10 MiB`, `512 KiB`, `100 bytes`.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if bytes >= unit && bytes.is_multiple_of(unit) {
            return format!("{} {name}", bytes / unit);
        }
    }
    format!("{bytes} bytes")
}

/// Parses a size: a number of bytes, optionally followed by `K`, `KiB`, `M`, `MiB`, `G` or
/// `GiB` (binary units, any case, with or without a space).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("invalid size `{text}`: expected a number such as 10MiB"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "invalid size unit in `{text}`: expected KiB, MiB or GiB"
            ));
        }
    };
    let size = n
        .checked_mul(factor)
        .filter(|&s| s <= u64::from(u32::MAX))
        .ok_or_else(|| format!("size `{text}` is too large: the limit is 4 GiB"))?;
    if size == 0 {
        return Err("the size limit must be greater than zero".into());
    }
    Ok(size)
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
    fn bom_is_not_a_column() {
        let text = "\u{feff}FROM a\nRUN b";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 3), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 8), LineCol { line: 1, column: 6 });
        assert_eq!(idx.line_col(text, 10), LineCol { line: 2, column: 1 });
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

    #[test]
    fn offset_map_inline_first_piece() {
        let mut m = OffsetMap::new();
        assert_eq!(m.to_file(3), 3);
        // A piece at the same derived offset replaces the previous one, also the inline one.
        m.push(0, 10);
        m.push(0, 20);
        assert_eq!(m.to_file(2), 22);
        m.push(5, 40);
        m.push(5, 50);
        m.push(8, 53); // continues the previous piece: no new piece
        assert_eq!(m.len(), 2);
        assert_eq!((m.to_file(4), m.to_file(5), m.to_file(9)), (24, 50, 54));
        let mut n = OffsetMap::new();
        n.append(&m, 100);
        assert_eq!((n.to_file(100), n.to_file(106)), (20, 51));
        assert_eq!(m.slice(6, 9).to_file(0), 51);
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10MiB"), Ok(10 << 20));
        assert_eq!(parse_size("512 k"), Ok(512 << 10));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("0").is_err());
        assert!(parse_size("10 parsecs").is_err());
        assert!(parse_size("5GiB").is_err());
        assert_eq!(format_size(10 << 20), "10 MiB");
        assert_eq!(format_size(1000), "1000 bytes");
    }

    #[test]
    fn reader_refuses_special_files_and_caps() {
        // The reader that checks first and the one for found files refuse the same things
        // (the second only on the open file).
        for read in [read_regular_file, read_found_file] {
            let dir = tempfile::tempdir().unwrap();
            let p = dir.path().join("f");
            std::fs::write(&p, "abcdef").unwrap();
            assert_eq!(read(&p, 6).unwrap(), b"abcdef");
            assert!(matches!(read(&p, 5), Err(ReadError::TooLarge(5))));
            assert!(matches!(
                read(dir.path(), 5),
                Err(ReadError::NotRegular("a directory"))
            ));
            #[cfg(unix)]
            {
                let e = read(std::path::Path::new("/dev/zero"), 5).unwrap_err();
                assert_eq!(e.to_string(), "not a regular file (a character device)");
                let fifo = dir.path().join("fifo");
                let made = std::process::Command::new("mkfifo").arg(&fifo).status();
                assert!(made.unwrap().success());
                let e = read(&fifo, 5).unwrap_err();
                assert_eq!(e.to_string(), "not a regular file (a FIFO)");
            }
        }
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
