//! The fast path of [`parse`](super::parse): the common script shape read without brush.
//!
//! Most RUN scripts are simple commands joined by `&&`, `||`, `;`, `|` and newlines, with
//! quoted words, `$VAR`/`${VAR}` expansions, escapes, comments, file redirections, plain
//! one-line command substitutions (`$(uname -m)`, `"$(nproc)"`, `` `id -u` ``) and arithmetic
//! (`$(( $(nproc) + 1 ))`), sometimes inside `if`, `for ... in`, `while`, `until`, `case`,
//! `{ ...; }` and `( ... )`, which may be pipeline stages and take redirections. For those,
//! tokenizing and parsing with brush, then walking its syntax tree, costs far more than reading
//! the text once. [`parse`] reads such a script directly and builds the same [`Script`] the brush
//! path builds (same words, spans, commands, pipelines and pipes), or gives up with `None` at the
//! first thing it is not sure of, and the caller falls back to brush. It gives up on:
//!
//! - any byte outside printable ASCII, tab and newline (brush counts characters, not bytes);
//! - `(` and `)` outside quotes other than around a subshell that starts a command and after
//!   `case` patterns, `((`, `))`, `( (`, `$[` and `$'` (arithmetic commands, process
//!   substitution, extended globs, arrays, function definitions);
//! - a `$(...)` whose content holds parentheses (outside quotes), escapes, braces, comments, a
//!   newline, an expansion other than `$NAME`, plain `${...}` and such a `$(...)` again (bare
//!   or in double quotes, at most four deep), or `case`/`esac`, and one in a redirection
//!   target;
//! - a backquoted substitution whose content holds any of those or a quote (so that it has no
//!   escape for brush to undo);
//! - a `$((...))` whose expression holds anything but names, numbers, operators, blanks,
//!   balanced parentheses, `$NAME`, plain `${...}` and plain `$(...)`;
//! - a `${...}` whose content is anything but a plain parameter expression (no blanks, quotes,
//!   `$` or nesting) with at most plain `$(...)` in it after the name (`${N:-$(nproc)}`);
//! - a backslash before a newline or at the end, and unclosed quotes;
//! - the operators `&`, `;&`, `;;&`, `|&`, `<<`, `<<-` and `<<<` (background jobs, `case`
//!   fall-through, here-documents, here-strings), and `;;` outside a `case` item;
//! - a reserved word (or `time`, `[[`...) where a command starts, except those of the
//!   compound commands above in their places (`!` is taken before a pipeline);
//! - a compound command nested more than 6 deep, a `for` without `in` or words, an empty
//!   list, a `case` without items or with a pattern opened by `(`, `select` and functions;
//! - more than 24 reserved words or subshells in one frame (so brush's nesting guard, which
//!   counts them, cannot fire);
//! - an array-element assignment (`a[1]=x`) and a file descriptor number that does not fit;
//! - anything that is not a well-formed list (an operator with no command around it).
//!
//! What is left nests little (at most 6 compound commands, 24 reserved words, balanced
//! parentheses), so the depth guards of the brush path (`depth.rs`, the unclosed-parenthesis
//! limit) cannot fire on it. The equality with the brush path is
//! checked by every unit test of the shell model and over every RUN of the corpus (`tests`).

use std::ops::Range;

use super::parse::{MAX_NESTING, assemble, command_of, operator_start, pipe_operators};
use super::scan;
use super::{Command, Pipeline, Redirect, Script, Word};

use crate::source::{MappedText, Span};

/// Words that brush reads as something other than a command name where a command starts.
const RESERVED: &[&str] = &[
    "!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in", "then",
    "until", "while", "[[", "]]", "function", "select", "coproc", "time",
];

/// The operators the fast path handles.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    And,
    Or,
    Semi,
    Pipe,
    Newline,
    /// `(` and `)`, taken only around a subshell and after `case` patterns: anywhere else the
    /// script goes to brush.
    Open,
    Close,
    /// `;;`, only at the end of a `case` item.
    CaseEnd,
    /// A file redirection operator, as the model spells it.
    Redirect(&'static str),
}

#[derive(Clone, Copy, Debug)]
enum Tok {
    Word(usize, usize),
    Op(Op, usize, usize),
}

/// Reads `src` without brush, or None when the script is beyond the fast path (see the module
/// documentation); never fails otherwise.
pub(super) fn parse(src: &MappedText) -> Option<Script> {
    let text = src.text.as_str();
    if !plain_text(text.as_bytes()) {
        return None;
    }
    let mut found = Found::default();
    read_frame(src, &mut found, text, 0, false)?;
    Some(assemble(
        found.commands,
        found.pipes,
        found.pipelines,
        Vec::new(),
    ))
}

/// What the frames read so far found, keyed by RUN-text start as the brush path keys them.
#[derive(Default)]
struct Found {
    commands: Vec<(usize, Command)>,
    pipes: Vec<(usize, Span)>,
    pipelines: Vec<(usize, Pipeline)>,
}

/// Reads one frame: the RUN text itself (`base` 0), or the content of a `$(...)` that starts
/// at byte `base` of the RUN text, whose commands run in a subshell.
fn read_frame(
    src: &MappedText,
    found: &mut Found,
    text: &str,
    base: usize,
    in_subshell: bool,
) -> Option<()> {
    let tokens = tokenize(text.as_bytes())?;
    // brush refuses a word of digits too many for an fd before any `<` or `>` operator, even
    // as a redirection's target (`<3333333333<x`): so does the fast path.
    let overflow = tokens.windows(2).any(|pair| match pair {
        [Tok::Word(start, end), Tok::Op(Op::Redirect(op), _, _)] => {
            let raw = &text[*start..*end];
            op.starts_with(['<', '>'])
                && raw.bytes().all(|c| c.is_ascii_digit())
                && raw.parse::<i32>().is_err()
        }
        _ => false,
    });
    if overflow {
        return None;
    }
    // brush's own depth guard counts every reserved word that may open a compound command
    // (`depth::token_nesting`): with few of them it cannot fire.
    let reserved = tokens
        .iter()
        .filter(|t| match t {
            Tok::Word(start, end) => RESERVED.contains(&&text[*start..*end]),
            Tok::Op(op, _, _) => *op == Op::Open,
        })
        .count();
    if reserved > MAX_RESERVED_WORDS {
        return None;
    }
    Reader {
        src,
        text,
        base,
        in_subshell,
        tokens: &tokens,
        at: 0,
        found,
        pipe_tokens: Vec::new(),
        depth: 0,
    }
    .program()
}

/// The most reserved words a frame read by the fast path holds, far under brush's nesting
/// limit (`MAX_NESTING`) even when every one of them opened a compound command.
const MAX_RESERVED_WORDS: usize = 24;

/// The deepest nesting of compound commands the fast path reads.
const MAX_COMPOUND_DEPTH: usize = 6;

/// The compound commands the fast path reads (`if`, `for ... in`, `while`, `until`).
const COMPOUND: &[&str] = &["if", "for", "while", "until", "{", "case"];

/// Whether the whole text, comments and quotes included, is free of what the brush path's
/// own checks look at before tokenizing (they read the raw text roughly): printable ASCII,
/// tabs and newlines only, no `<<` or `$[` anywhere, and too few `${` and `$(` to nest past the
/// depth limit.
fn plain_text(b: &[u8]) -> bool {
    // Without an early exit the check of every byte is one vectorised pass.
    let printable = b
        .iter()
        .fold(true, |ok, &c| ok & matches!(c, b'\n' | b'\t' | b' '..=b'~'));
    if !printable {
        return false;
    }
    let mut braces = 0usize;
    for i in memchr::memchr2_iter(b'<', b'$', b) {
        match (b[i], b.get(i + 1)) {
            (b'<', Some(b'<')) | (b'$', Some(b'[')) => return false,
            (b'$', Some(b'{' | b'(')) => braces += 1,
            _ => {}
        }
    }
    braces <= MAX_NESTING
}

/// Splits the script into words and operators (comments dropped), as brush's tokenizer would.
fn tokenize(b: &[u8]) -> Option<Vec<Tok>> {
    let mut tokens = Vec::with_capacity(b.len() / 4);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' => i += 1,
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'\n' => {
                tokens.push(Tok::Op(Op::Newline, i, i + 1));
                i += 1;
            }
            b'&' | b'|' | b';' | b'<' | b'>' => {
                let len = operator_len(&b[i..]);
                let op = match &b[i..i + len] {
                    b"&&" => Op::And,
                    b"||" => Op::Or,
                    b";" => Op::Semi,
                    b";;" => Op::CaseEnd,
                    b"|" => Op::Pipe,
                    b"<" => Op::Redirect("<"),
                    b">" => Op::Redirect(">"),
                    b">>" => Op::Redirect(">>"),
                    b"<&" => Op::Redirect("<&"),
                    b">&" => Op::Redirect(">&"),
                    b"<>" => Op::Redirect("<>"),
                    b">|" => Op::Redirect(">|"),
                    b"&>" => Op::Redirect("&>"),
                    b"&>>" => Op::Redirect("&>>"),
                    _ => return None,
                };
                tokens.push(Tok::Op(op, i, i + len));
                i += len;
            }
            b'(' | b')' => {
                // `((` and `))` are arithmetic to brush, or may be.
                if b.get(i + 1) == Some(&b[i]) {
                    return None;
                }
                let op = if b[i] == b'(' { Op::Open } else { Op::Close };
                tokens.push(Tok::Op(op, i, i + 1));
                i += 1;
            }
            _ => {
                let end = word_end(b, i)?;
                tokens.push(Tok::Word(i, end));
                i = end;
            }
        }
    }
    Some(tokens)
}

/// The length of the operator at the start of `b`: brush extends an operator one character at
/// a time for as long as the longer text is still an operator.
fn operator_len(b: &[u8]) -> usize {
    const OPERATORS: &[&[u8]] = &[
        b"&", b"&&", b";", b";;", b"|", b"||", b"<", b">", b">|", b"<<", b">>", b"<&", b">&",
        b"<<-", b"<>", b"<<<", b"&>", b"&>>", b";;&", b";&", b"|&",
    ];
    let mut len = 1;
    while len < b.len() && OPERATORS.contains(&&b[..len + 1]) {
        len += 1;
    }
    len
}

/// The end of the word that starts at `i`, or None when it holds something the fast path
/// leaves to brush.
fn word_end(b: &[u8], mut i: usize) -> Option<usize> {
    while i < b.len() {
        match b[i] {
            // A parenthesis ends a word; a word followed by one (a function definition, an
            // extended glob, an array) leaves a parenthesis where the reader refuses it.
            b' ' | b'\t' | b'\n' | b'&' | b'|' | b';' | b'<' | b'>' | b'(' | b')' => break,
            b'`' => i = backtick_end(b, i + 1)?,
            b'\\' => {
                if matches!(b.get(i + 1), None | Some(b'\n')) {
                    return None;
                }
                i += 2;
            }
            b'\'' => {
                let close = b[i + 1..].iter().position(|&c| c == b'\'')?;
                i += close + 2;
            }
            b'"' => i = double_quoted_end(b, i + 1)?,
            b'$' => i = dollar_end(b, i)?,
            _ => i += 1,
        }
    }
    Some(i)
}

/// The index after the closing quote of double-quoted content starting at `i`.
fn double_quoted_end(b: &[u8], mut i: usize) -> Option<usize> {
    while i < b.len() {
        match b[i] {
            b'"' => return Some(i + 1),
            b'\\' => {
                if matches!(b.get(i + 1), None | Some(b'\n')) {
                    return None;
                }
                i += 2;
            }
            b'`' => i = backtick_end(b, i + 1)?,
            b'$' => i = dollar_end(b, i)?,
            _ => i += 1,
        }
    }
    None
}

/// The index after a `$NAME`'s `$` or a plain `${...}` at `j`, the expansions a substitution
/// read by the fast path may hold; None for any other `$`.
fn plain_expansion_end(b: &[u8], j: usize) -> Option<usize> {
    match b.get(j + 1) {
        Some(b'{') => dollar_end(b, j),
        Some(&c) if c.is_ascii_alphanumeric() || c == b'_' => Some(j + 1),
        _ => None,
    }
}

/// Whether a substitution's content holds `case` or `esac`, whose `)` and `;;` move where it
/// closes: such a substitution is left to brush.
fn has_case(content: &[u8]) -> bool {
    let keyword = |kw: &[u8]| content.windows(kw.len()).any(|w| w == kw);
    keyword(b"case") || keyword(b"esac")
}

/// The index after the `))` of a `$((` whose expression starts at `i`, when the expression is
/// plain: names, numbers, operators, blanks, balanced parentheses, `$NAME`, plain `${...}` and
/// the plain `$(...)` of [`substitution_end`]; no nested arithmetic, quote, escape, backtick,
/// comment or newline.
fn arithmetic_end(b: &[u8], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = i;
    while j < b.len() {
        match b[j] {
            b'(' => depth += 1,
            b')' if depth > 0 => depth -= 1,
            b')' => return (b.get(j + 1) == Some(&b')')).then_some(j + 2),
            b'$' => {
                j = match b.get(j + 1) {
                    Some(b'(') if b.get(j + 2) != Some(&b'(') => substitution_end(b, j + 2)?,
                    _ => plain_expansion_end(b, j)?,
                };
                continue;
            }
            c if c.is_ascii_alphanumeric() || b" \t_+-*/%<>=!&|^~?:,".contains(&c) => {}
            _ => return None,
        }
        j += 1;
    }
    None
}

/// The index after the closing backtick of a substitution whose content starts at `i`, when
/// that content is as plain as [`substitution_end`] takes and holds no quote either: then it
/// carries no backslash escape to undo, and its text is the frame brush's path reads.
fn backtick_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    while j < b.len() {
        match b[j] {
            b'`' => {
                return (!has_case(&b[i..j])).then_some(j + 1);
            }
            b'(' | b')' | b'\\' | b'#' | b'{' | b'}' | b'\n' | b'\'' | b'"' => return None,
            b'$' => j = plain_expansion_end(b, j)?,
            _ => j += 1,
        }
    }
    None
}

/// The index after a `$` at `i` and what it opens: only a bare `$`, `$NAME`-like text (read on
/// as ordinary word bytes) and a plain `${...}` are taken.
fn dollar_end(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i + 1) {
        Some(b'(') if b.get(i + 2) == Some(&b'(') => arithmetic_end(b, i + 3),
        Some(b'(') => substitution_end(b, i + 2),
        Some(b'[' | b'\'') => None,
        Some(b'{') => {
            // Plain parameter text, and a plain `$(...)` for a default or an alternative
            // (`${NPROC:-$(nproc)}`).
            let plain = |c: u8| c.is_ascii_alphanumeric() || b"_:#%/?=+-.*@!,^~[]".contains(&c);
            let mut j = i + 2;
            loop {
                match *b.get(j)? {
                    b'}' if j > i + 2 => return Some(j + 1),
                    b'$' if j > i + 2
                        && b.get(j + 1) == Some(&b'(')
                        && b.get(j + 2) != Some(&b'(') =>
                    {
                        j = substitution_end(b, j + 2)?;
                    }
                    c if plain(c) => j += 1,
                    _ => return None,
                }
            }
        }
        _ => Some(i + 1),
    }
}

/// How many `$(...)` may nest inside one for the fast path (`$(a "$(b)")` nests one).
const MAX_SUBSTITUTION_NESTING: usize = 3;

/// The index after the `)` of a `$(` whose content starts at `i`, when that content is a plain
/// one-line list of simple commands: quotes, `$NAME`, plain `${...}` and such substitutions
/// nested a few deep (bare or in double quotes) are taken; other parentheses, backticks,
/// escapes, comments, braces, newlines and `case`/`esac` (which move the closing parenthesis)
/// are not.
fn substitution_end(b: &[u8], i: usize) -> Option<usize> {
    nested_substitution_end(b, i, 0)
}

/// [`substitution_end`] for a substitution `depth` levels inside others.
fn nested_substitution_end(b: &[u8], i: usize, depth: usize) -> Option<usize> {
    // A `$(` (not `$((`) at `j`: the index after its `)`.
    let inner = |j: usize| -> Option<usize> {
        if depth >= MAX_SUBSTITUTION_NESTING || b.get(j + 2) == Some(&b'(') {
            return None;
        }
        nested_substitution_end(b, j + 2, depth + 1)
    };
    let mut j = i;
    while j < b.len() {
        match b[j] {
            b')' => {
                return (!has_case(&b[i..j])).then_some(j + 1);
            }
            b'(' | b'`' | b'\\' | b'#' | b'{' | b'}' | b'\n' => return None,
            b'\'' => {
                let close = b[j + 1..].iter().position(|&c| c == b'\'')?;
                j += close + 2;
            }
            b'"' => {
                // Double quotes, with the substitutions above nested in them.
                j += 1;
                loop {
                    match *b.get(j)? {
                        b'"' => break,
                        b'\\' | b'`' => return None,
                        b'$' if b.get(j + 1) == Some(&b'{') => j = dollar_end(b, j)? - 1,
                        b'$' if b.get(j + 1) == Some(&b'(') => j = inner(j)? - 1,
                        b'$' if matches!(b.get(j + 1), Some(b'[' | b'\'')) => return None,
                        _ => {}
                    }
                    j += 1;
                }
                j += 1;
            }
            b'$' if b.get(j + 1) == Some(&b'(') => j = inner(j)?,
            b'$' => j = plain_expansion_end(b, j)?,
            _ => j += 1,
        }
    }
    None
}

/// One item of a simple command, with its token start (for the stage start of a pipeline).
enum Item {
    Assignment(Word, Range<usize>),
    Word(Word, Range<usize>),
    Redirect(Redirect, Range<usize>),
}

struct Reader<'a> {
    src: &'a MappedText,
    /// The frame's text, which starts at byte `base` of the RUN text.
    text: &'a str,
    base: usize,
    in_subshell: bool,
    tokens: &'a [Tok],
    at: usize,
    found: &'a mut Found,
    /// The byte ranges of every `|` token of the frame read so far, in order.
    pipe_tokens: Vec<Range<usize>>,
    /// How many compound commands the reader is inside.
    depth: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<Tok> {
        self.tokens.get(self.at).copied()
    }

    fn peek_op(&self) -> Option<Op> {
        match self.peek() {
            Some(Tok::Op(op, _, _)) => Some(op),
            _ => None,
        }
    }

    fn skip_newlines(&mut self) {
        while self.peek_op() == Some(Op::Newline) {
            self.at += 1;
        }
    }

    /// A program: lists of and-or lists separated by `;` and newlines.
    fn program(mut self) -> Option<()> {
        loop {
            self.skip_newlines();
            if self.peek().is_none() {
                break;
            }
            self.and_or()?;
            match self.peek_op() {
                None if self.peek().is_none() => break,
                Some(Op::Newline) => {}
                Some(Op::Semi) => self.at += 1,
                _ => return None,
            }
        }
        Some(())
    }

    fn and_or(&mut self) -> Option<()> {
        self.pipeline()?;
        while let Some(Op::And | Op::Or) = self.peek_op() {
            self.at += 1;
            self.skip_newlines();
            self.pipeline()?;
        }
        Some(())
    }

    fn pipeline(&mut self) -> Option<()> {
        // `!` before a pipeline inverts its status; the model does not record it.
        while let Some(Tok::Word(start, end)) = self.peek()
            && &self.text[start..end] == "!"
        {
            self.at += 1;
        }
        let (first_stage, first_start) = self.stage()?;
        if !matches!(self.peek(), Some(Tok::Op(Op::Pipe, _, _))) {
            return Some(());
        }
        let mut stages = vec![first_stage];
        let mut starts = vec![first_start];
        while let Some(Tok::Op(Op::Pipe, start, end)) = self.peek() {
            self.pipe_tokens.push(start..end);
            self.at += 1;
            self.skip_newlines();
            let (stage, start) = self.stage()?;
            stages.push(stage);
            starts.push(start);
        }
        // The same choice of operator as the brush path, from the same stage starts.
        let mut pipes = Vec::new();
        for r in pipe_operators(&self.pipe_tokens, &starts) {
            let span = self.span(r.clone());
            self.found.pipes.push((self.base + r.start, span));
            pipes.push(span);
        }
        let key = starts.iter().flatten().next().map_or(0, |&s| self.base + s);
        self.found.pipelines.push((key, Pipeline { stages, pipes }));
        Some(())
    }

    /// One stage of a pipeline: its index among the commands when it is a simple command (a
    /// compound stage has none, as in the brush path), and where brush says it starts: a
    /// compound command, with or without redirections, starts at its first token.
    fn stage(&mut self) -> Option<(Option<usize>, Option<usize>)> {
        let start = match self.peek() {
            Some(Tok::Op(Op::Open, start, _) | Tok::Word(start, _)) => Some(start),
            _ => None,
        };
        if self.peek_op() == Some(Op::Open) {
            self.subshell()?;
        } else if let Some(keyword) = self.word_in(COMPOUND) {
            self.compound(keyword)?;
        } else {
            let index = self.found.commands.len();
            return Some((Some(index), self.simple()?));
        }
        // `done < list`, `} > file 2>&1`: the redirections of a compound command belong to no
        // simple command, and the model keeps nothing of them (a substitution in a target
        // goes to brush, as for simple commands).
        while self.take_redirect()?.is_some() {}
        Some((None, start))
    }

    /// The redirection at the current token (an operator, or an fd number right before one),
    /// taken; `Some(None)` when the current token starts none.
    fn take_redirect(&mut self) -> Option<Option<Item>> {
        match self.peek() {
            Some(Tok::Op(Op::Redirect(op), _, _)) => self.redirect(None, op).map(Some),
            Some(Tok::Word(start, end)) => match self.fd_number(start, end)? {
                Some((fd, op)) => {
                    self.at += 1;
                    self.redirect(Some(fd), op).map(Some)
                }
                None => Some(None),
            },
            _ => Some(None),
        }
    }

    /// The current token when it is a word spelled as one of `words`.
    fn word_in(&self, words: &[&'static str]) -> Option<&'static str> {
        let Some(Tok::Word(start, end)) = self.peek() else {
            return None;
        };
        let raw = &self.text[start..end];
        words.iter().copied().find(|w| *w == raw)
    }

    /// Takes the reserved word `word`, or fails.
    fn keyword(&mut self, word: &'static str) -> Option<()> {
        self.word_in(&[word])?;
        self.at += 1;
        Some(())
    }

    /// A list inside a compound command, up to (not including) one of the reserved words
    /// `ends` where a command would start; returns that word. An empty list fails, as it is a
    /// syntax error.
    fn list(&mut self, ends: &[&'static str]) -> Option<&'static str> {
        let mut read = 0usize;
        loop {
            self.skip_newlines();
            if let Some(end) = self.word_in(ends) {
                return (read > 0).then_some(end);
            }
            self.and_or()?;
            read += 1;
            match self.peek_op() {
                Some(Op::Newline) => {}
                Some(Op::Semi) => self.at += 1,
                _ => return None,
            }
        }
    }

    /// The words of a `for` list or of `case` patterns at the current token: only their command
    /// substitutions count (read as subshell frames, as the brush path reads loose words).
    fn loose_word(&mut self) -> Option<()> {
        let Some(Tok::Word(start, end)) = self.peek() else {
            return None;
        };
        self.at += 1;
        let mut pending = Vec::new();
        self.word(start..end, Some(&mut pending))?;
        let text = self.text;
        for r in pending {
            let inner = &text[r.clone()];
            if !inner.trim().is_empty() {
                read_frame(self.src, self.found, inner, self.base + r.start, true)?;
            }
        }
        Some(())
    }

    /// The rest of a `case` command after its keyword: `WORD in`, then items `PATTERN[|...])
    /// list ;;` (the last `;;` may be left out), then `esac`. At least one item; a pattern
    /// opened with `(` goes to brush.
    fn case(&mut self) -> Option<()> {
        self.loose_word()?;
        self.keyword("in")?;
        let mut items = 0usize;
        loop {
            self.skip_newlines();
            if self.word_in(&["esac"]).is_some() {
                break;
            }
            loop {
                self.loose_word()?;
                match self.peek_op() {
                    Some(Op::Pipe) => self.at += 1,
                    Some(Op::Close) => {
                        self.at += 1;
                        break;
                    }
                    _ => return None,
                }
            }
            items += 1;
            // The item's list, possibly empty, up to `;;` or `esac`.
            loop {
                self.skip_newlines();
                if self.peek_op() == Some(Op::CaseEnd) {
                    self.at += 1;
                    break;
                }
                if self.word_in(&["esac"]).is_some() {
                    break;
                }
                self.and_or()?;
                match self.peek_op() {
                    Some(Op::Newline) => {}
                    Some(Op::Semi) => self.at += 1,
                    Some(Op::CaseEnd) => {
                        self.at += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        if items == 0 {
            return None;
        }
        self.keyword("esac")
    }

    /// A subshell, `( list )`, at its `(`: the commands of the list run in a subshell.
    fn subshell(&mut self) -> Option<()> {
        self.at += 1;
        self.depth += 1;
        if self.depth > MAX_COMPOUND_DEPTH {
            return None;
        }
        let outer = std::mem::replace(&mut self.in_subshell, true);
        let mut read = 0usize;
        loop {
            self.skip_newlines();
            if self.peek_op() == Some(Op::Close) {
                break;
            }
            // brush reads `( (` differently from nested subshells: left to it.
            if read == 0 && self.peek_op() == Some(Op::Open) {
                return None;
            }
            self.and_or()?;
            read += 1;
            match self.peek_op() {
                Some(Op::Newline) => {}
                Some(Op::Semi) => self.at += 1,
                Some(Op::Close) => break,
                _ => return None,
            }
        }
        if read == 0 {
            return None;
        }
        self.at += 1;
        self.in_subshell = outer;
        self.depth -= 1;
        Some(())
    }

    /// The compound command opened by `keyword` (the current token): its lists are read as
    /// the brush path walks them (conditions and bodies in order); a `for` loop's words count
    /// only for their command substitutions.
    fn compound(&mut self, keyword: &'static str) -> Option<()> {
        self.at += 1;
        self.depth += 1;
        if self.depth > MAX_COMPOUND_DEPTH {
            return None;
        }
        match keyword {
            "if" => {
                self.list(&["then"])?;
                self.keyword("then")?;
                let mut end = self.list(&["elif", "else", "fi"])?;
                while end == "elif" {
                    self.at += 1;
                    self.list(&["then"])?;
                    self.keyword("then")?;
                    end = self.list(&["elif", "else", "fi"])?;
                }
                if end == "else" {
                    self.at += 1;
                    self.list(&["fi"])?;
                }
                self.keyword("fi")?;
            }
            "for" => {
                let Some(Tok::Word(start, end)) = self.peek() else {
                    return None;
                };
                let name = &self.text.as_bytes()[start..end];
                let ident = !name.is_empty() && scan::name_len(name) == name.len();
                if !ident {
                    return None;
                }
                self.at += 1;
                self.keyword("in")?;
                let mut words = 0usize;
                while let Some(Tok::Word(..)) = self.peek() {
                    self.loose_word()?;
                    words += 1;
                }
                match self.peek_op() {
                    Some(Op::Semi | Op::Newline) if words > 0 => self.at += 1,
                    _ => return None,
                }
                self.skip_newlines();
                self.keyword("do")?;
                self.list(&["done"])?;
                self.keyword("done")?;
            }
            "{" => {
                self.list(&["}"])?;
                self.keyword("}")?;
            }
            "case" => self.case()?,
            _ => {
                // `while` and `until`.
                self.list(&["do"])?;
                self.keyword("do")?;
                self.list(&["done"])?;
                self.keyword("done")?;
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// A simple command; returns where brush would say the command starts (see
    /// `parse::command_start`).
    fn simple(&mut self) -> Option<Option<usize>> {
        let mut prefix: Vec<Item> = Vec::new();
        let mut name: Option<(Word, Range<usize>)> = None;
        let mut suffix: Vec<Item> = Vec::new();
        let mut pending: Vec<Range<usize>> = Vec::new();
        loop {
            let item = if let Some(redirect) = self.take_redirect()? {
                redirect
            } else if let Some(Tok::Word(start, end)) = self.peek() {
                self.at += 1;
                let r = start..end;
                let raw = &self.text[r.clone()];
                if name.is_some() {
                    Item::Word(self.word(r.clone(), Some(&mut pending))?, r)
                } else if is_assignment(raw)? {
                    Item::Assignment(self.word(r.clone(), Some(&mut pending))?, r)
                } else if RESERVED.contains(&raw) {
                    return None;
                } else {
                    name = Some((self.word(r.clone(), Some(&mut pending))?, r));
                    continue;
                }
            } else {
                break;
            };
            if name.is_none() {
                prefix.push(item);
            } else {
                suffix.push(item);
            }
        }
        if prefix.is_empty() && name.is_none() {
            return None;
        }
        let start = self.command(prefix, name, suffix);
        // As the brush path does, the substitutions of the words are read after the command.
        let text = self.text;
        for r in pending {
            let inner = &text[r.clone()];
            if !inner.trim().is_empty() {
                read_frame(self.src, self.found, inner, self.base + r.start, true)?;
            }
        }
        Some(start)
    }

    /// For the word token `start..end` followed by a redirection operator: the fd number and
    /// the operator when brush reads the word as the operator's fd (digits, right before a `<`
    /// or `>` operator), None when it is an ordinary word, and a failure when brush refuses the
    /// script (digits too many for an fd, even with a blank before the operator).
    fn fd_number(&self, start: usize, end: usize) -> Option<Option<(i32, &'static str)>> {
        let Some(Tok::Op(Op::Redirect(op), op_start, _)) = self.tokens.get(self.at + 1).copied()
        else {
            return Some(None);
        };
        let raw = &self.text[start..end];
        if !op.starts_with(['<', '>']) || !raw.bytes().all(|c| c.is_ascii_digit()) {
            return Some(None);
        }
        let fd: i32 = raw.parse().ok()?;
        Some((op_start == end).then_some((fd, op)))
    }

    /// A redirection at the current operator token (its fd number, if any, already read).
    fn redirect(&mut self, fd: Option<i32>, operator: &'static str) -> Option<Item> {
        self.at += 1;
        let Some(Tok::Word(start, end)) = self.peek() else {
            return None;
        };
        self.at += 1;
        // A substitution in a target is left to brush (it is read before the command there).
        let target = self.word(start..end, None)?;
        let r = operator_start(self.text, start)..end;
        Some(Item::Redirect(
            Redirect {
                fd,
                operator,
                target: Some(target),
            },
            r,
        ))
    }

    /// The file span of frame bytes `r`.
    fn span(&self, r: Range<usize>) -> Span {
        self.src.span(self.base + r.start, self.base + r.end)
    }

    /// The word at frame bytes `r`; the frame ranges of the contents of its substitutions go
    /// to `pending` (a word with one fails when there is no `pending`).
    fn word(&self, r: Range<usize>, pending: Option<&mut Vec<Range<usize>>>) -> Option<Word> {
        let raw = &self.text[r.clone()];
        let scanned = scan::scan_word(raw);
        if scanned.too_deep {
            return None;
        }
        if !scanned.substitutions.is_empty() {
            let pending = pending?;
            for sub in &scanned.substitutions {
                // The reader took only backticks with nothing escaped inside (see
                // `backtick_end`): their content is read as a `$(...)`'s is.
                pending.push(r.start + sub.inner.start..r.start + sub.inner.end);
            }
        }
        Some(Word::new(
            scanned.text,
            raw,
            self.span(r),
            scanned.has_expansion,
            scanned.quoted,
        ))
    }

    /// Builds the command as `Builder::simple` does and returns its stage start.
    fn command(
        &mut self,
        prefix: Vec<Item>,
        name: Option<(Word, Range<usize>)>,
        suffix: Vec<Item>,
    ) -> Option<usize> {
        let is_redirect = |i: Option<&Item>| matches!(i, Some(Item::Redirect(..)));
        let token_start = |i: Option<&Item>| match i {
            Some(Item::Assignment(_, r) | Item::Word(_, r)) => Some(r.start),
            _ => None,
        };
        // brush's location of a simple command: its prefix's when the prefix both starts and
        // ends with a located item (redirections have none), else its name's; failing both,
        // the earliest redirection.
        let prefix_start = (!is_redirect(prefix.last()))
            .then(|| token_start(prefix.first()))
            .flatten();
        let mut stage_start = prefix_start.or(name.as_ref().map(|(_, r)| r.start));
        if stage_start.is_none() {
            stage_start = prefix
                .iter()
                .chain(&suffix)
                .filter_map(|i| match i {
                    Item::Redirect(_, r) => Some(r.start),
                    _ => None,
                })
                .min();
        }
        // Each list at its final size, so that none grows or is shrunk afterwards.
        let (mut n_words, mut n_assignments, mut n_redirects) = (usize::from(name.is_some()), 0, 0);
        for (items, in_prefix) in [(&prefix, true), (&suffix, false)] {
            for item in items {
                match item {
                    Item::Assignment(..) if in_prefix => n_assignments += 1,
                    Item::Assignment(..) | Item::Word(..) => n_words += 1,
                    Item::Redirect(..) => n_redirects += 1,
                }
            }
        }
        let mut words = Vec::with_capacity(n_words);
        let mut assignments = Vec::with_capacity(n_assignments);
        let mut redirects = Vec::with_capacity(n_redirects);
        let mut extent: Option<Range<usize>> = None;
        let mut grow = |r: &Range<usize>| {
            extent = Some(match &extent {
                Some(e) => e.start.min(r.start)..e.end.max(r.end),
                None => r.clone(),
            });
        };
        let mut take = |item: Item, in_prefix: bool, words: &mut Vec<Word>| match item {
            Item::Assignment(w, r) => {
                grow(&r);
                if in_prefix {
                    assignments.push(w);
                } else {
                    words.push(w);
                }
            }
            Item::Word(w, r) => {
                grow(&r);
                words.push(w);
            }
            Item::Redirect(red, r) => {
                if r.end > r.start {
                    grow(&r);
                }
                redirects.push(red);
            }
        };
        for item in prefix {
            take(item, true, &mut words);
        }
        if let Some((w, r)) = name {
            take(Item::Word(w, r), false, &mut words);
        }
        for item in suffix {
            take(item, false, &mut words);
        }
        let extent = extent.unwrap_or(0..0);
        let span = self.span(extent.clone());
        let command = command_of(words, assignments, redirects, span, self.in_subshell);
        self.found
            .commands
            .push((self.base + extent.start, command));
        stage_start
    }
}

/// Whether brush reads the word `raw` as an assignment (`NAME=...` or `NAME+=...`); None for
/// an array element (`NAME[...]=`), which the fast path leaves to brush.
fn is_assignment(raw: &str) -> Option<bool> {
    let b = raw.as_bytes();
    let name_len = scan::name_len(b);
    if name_len == 0 {
        return Some(false);
    }
    match &b[name_len..] {
        [b'[', ..] => None,
        [b'=', ..] | [b'+', b'=', ..] => Some(true),
        _ => Some(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::parse::parse_with_brush;

    fn mapped(text: &str) -> MappedText {
        let mut src = MappedText::default();
        src.push_str(text, 7);
        src
    }

    #[test]
    fn plain_text_refuses_what_brush_reads_roughly() {
        for ok in [
            "echo a",
            "a\tb\nc",
            "echo $$ $(x) ${y} <a >b 2>&1",
            "a < b",
            "$ [",
            "echo `x`",
        ] {
            assert!(plain_text(ok.as_bytes()), "{ok:?}");
        }
        for refused in ["cat <<EOF", "a <<< b", "echo $[1+1]", "é", "a\rb", "\u{7f}"] {
            assert!(!plain_text(refused.as_bytes()), "{refused:?}");
        }
        // `$$(` opens one substitution, as a byte pair `$(` does.
        let at_limit = "$(".repeat(MAX_NESTING);
        assert!(plain_text(at_limit.as_bytes()));
        assert!(!plain_text(format!("{at_limit}$$(").as_bytes()));
        assert!(!plain_text(format!("{at_limit}${{").as_bytes()));
    }

    /// The fast path takes `text` and builds what brush builds.
    fn same(text: &str) {
        let src = mapped(text);
        let fast = parse(&src).unwrap_or_else(|| panic!("{text:?} left the fast path"));
        let slow = parse_with_brush(&src).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
        assert_eq!(fast, slow, "{text:?}");
    }

    #[test]
    fn common_scripts_agree_with_brush() {
        for text in [
            "",
            "\n\n# only a comment\n",
            "apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
             && rm -rf /var/lib/apt/lists/*",
            "set -eux; a=1; b+=2 FOO=\"x y\" env; echo \"$a\" ${b} ${c:-d} ${#e} $1 $@ $$ $",
            "curl -fsSL https://x/y.sh | bash -s -- --yes || true",
            "a |\n\n b | c\nd ||\n e &&\n f;\ng;",
            "echo a >/dev/null 2>&1; cmd 2> err <in >>out 3<>f >|g &>h &>>i >&2 <&0 2>&-",
            "> x cmd a | >y b | c >z | 2>w",
            ">x; >y <z; FOO=1 >x",
            "echo 'it''s' \"a \\\"b\\\" \\$c\" d\\ e \\; f\\|g {} \\{ }",
            "find . -name '*.pyc' -exec rm -f {} \\; # trailing comment | not a pipe",
            "echo if then fi do done in { } ! time",
            "exec command busybox wget -q x; command -v y; exec -a n nginx",
            "echo a;#comment\nb&&#c\n c",
            "x1 >f; 12>f; 1 >f; a=b=c d==e 9x=1 _a=",
            "echo \"multi\nline\" 'quoted\nlines' done",
            "sudo -u www apt-get install -y x",
            "echo ${arr[@]} ${v/a/b} ${v%%.*} ${v,,} ${v^} \"${HOME}/x\"",
            "echo $(date)",
            "while read l; do echo $l; done < f",
            "while read l; do echo $l; done <f 2>&1 >>log | sort",
            "a | while read x; do b; done",
            "if a; then b; fi | c",
            "if a; then b; fi > x",
            "(a) > x",
            "echo $((1 + 2)) $(( (x+1) * ${y:-2} % $z )) \"$(($(nproc)))\"x",
            "make -j$(( $(nproc) + 1 )) && make -j\"$((N*2))\" install",
            "case x in a) b | case y in c) d;; esac;; esac",
            "(a) | b",
            "a | (b)",
            "{ a; } > x",
            "curl -s x | (OUT=$(apt-key add - 2>&1) || echo $OUT) && b",
            "{ echo a; echo b; } > /etc/x; { a | b; } | c | (d; e) 2>/dev/null",
            "a | for x in 1 2; do b $x; done | case y in z) c | d;; esac",
            "echo `uname -m` \"`id -u ${USER}`\" x`a | b`y; `c`",
            "make -j\"$(nproc)\" && ARCH=$(uname -m) install x-$(dpkg --print-architecture).deb",
            "a $(b | c && d; e) f $(g) | h $(i >/dev/null 2>&1)",
            "echo $( ) $(  ) x",
            "curl -o /tmp/k https://x/$(lsb_release -cs)/k | apt-key add - $(dirname $0)",
            "cp a \"/b/$(basename $F)\"",
            "N=$(echo ${V} | cut -d'.' -f 3) && echo \"$(a \"b)\" ')')\" $(c ')' \"d\")",
            "! a | b && ! ! c; ! d",
            "echo $($x) \"$(a \"$x${y}\")\"",
            "echo $(a $(b)) \"$(a \"$(b)\")\" $(a \"$(b $(c))\" d)",
            "make -j${NPROC:-$(nproc)} && echo ${A:+$(b c)} \"${X:=$(y \"$z\")}\" ${W:-$(v $(u))}",
            "A=$(if [ \"$(dpkg --print-architecture)\" = amd64 ]; then echo x; else echo y; fi) b",
            "V=$(curl -s $(cat /url) | jq -r '.tag') && echo $(a $(b $(c $(d))))",
            "if true; then echo; fi",
            "for x in a b; do echo $x; done",
            "if [ -f /x ]; then\n  a && b\nelif c; then d | e\nelse\n  f; g\nfi && h",
            "if ! a; then b; fi; if c\nthen\n d\nfi",
            "set -e; for p in a $(ls /x) \"$V\" ${W}; do\n  echo $p >> /f; done; echo ok",
            "while true; do a || break; done && until b; do sleep 1; done",
            "for x in a; do if b; then c; else while d; do e; done; fi; done",
            "a && if b; then c; fi || d",
            "if a; then if b; then c; fi; fi",
            "echo $(if a; then b; fi) x",
            "X=1 if_ok; for_each; fi_x; if a; then echo then fi do done; fi",
            "(cd x && make)",
            "{ echo a; }",
            "case $x in a) b;; esac",
            "case \"$1\" in\n  a|b) c && d\n  ;;\n  *.tar.gz) e; f ;;\n  $(g)) ;;\n  *) h\nesac; i",
            "case x in a) b; esac && case $(uname -m) in x86_64) A=amd64 ;; aarch64) A=arm64 ;; esac",
            "if a; then case b in c) (d) ;; esac; fi",
            "(cd /x && make) && (a; b\n c)\n(d)",
            "{ a; b; } || { c; }",
            "if a; then (b); fi; (if d; then e; fi)",
            "(a; (c) )",
            "(a && (c) || d)\n(e)",
            "{ set -e; (cd x; $(which make) -j$(nproc)); }",
            "echo '(' \"(\" \\( ')' x",
        ] {
            same(text);
        }
    }

    #[test]
    fn the_rest_is_left_to_brush() {
        for text in [
            "echo `a \\`b\\``",
            "echo `echo 'x'`",
            "echo `a \"b\"`",
            "echo `a $(b)`",
            "echo `a\nb`",
            "echo `case x in a) b;; esac`",
            "echo >`mktemp`",
            "echo `unclosed",
            "echo $(( $((1)) + 1 ))",
            "echo $(( `nproc` ))",
            "echo $((1 + 2)",
            "echo $((a)b)",
            "echo $(( 'x' ))",
            "echo $((1\n+ 2))",
            "echo $(a $(b $(c $(d $(e)))))",
            "echo \"$(a \"$(b \"$(c \"$(d \"$(e)\")\")\")\")\"",
            "echo $(a $((1)))",
            "echo $(cd x && (pwd))",
            "echo $(a\nb)",
            "echo $(case x in a) b;; esac)",
            "echo >$(mktemp)",
            "a | ! b",
            "!",
            "((a))",
            "f() { a; }",
            "( )",
            "(a",
            "a)",
            "(a) b",
            "{ a }",
            "echo a(b)",
            "a=(1 2) b",
            "( (c) )",
            "(\n(c))",
            "case x in esac",
            "case x in (a) b;; esac",
            "case x in a) b;; c;; esac",
            "case x in a) b;;& esac",
            "case x in a) b;& esac",
            "a;; b",
            "if a; then fi",
            "if ; then a; fi",
            "if a; then b; else fi",
            "for x; do a; done",
            "for 1x in a; do b; done",
            "for x in; do b; done",
            "for x in a | b; do c; done",
            "while a; do b; done c",
            "if a then b; fi",
            "if a; then b; done",
            "for x in a; do for y in b; do for z in c; do for u in d; do for v in e; do for w in f; do for t in g; do h; done; done; done; done; done; done; done",
            "f() { :; }",
            "cat <<EOF\nx\nEOF",
            "cat <<< x",
            "sleep 1 &",
            "a |& b",
            "echo ${x:-$y}",
            "echo ${$(a)}",
            "echo ${x:-$(a $(b $(c $(d $(e)))))}",
            "echo ${x:-$((1))}",
            "echo ${x:-a b}",
            "echo $'a\\tb'",
            "a=(1 2)",
            "a[1]=x",
            "echo 'unclosed",
            "echo \"unclosed",
            "echo a \\",
            "echo a \\\nb",
            "echo caf\u{e9}",
            "echo a\r",
            "&& a",
            "a &&",
            "a ; ; b",
            "a |",
            "echo >",
            "echo 99999999999 > x",
            "<3333333333333<EOF",
            "time make",
            "[[ -f x ]]",
            "echo @(a|b)",
        ] {
            assert!(
                parse(&mapped(text)).is_none(),
                "{text:?} took the fast path"
            );
        }
    }

    /// Every RUN line and heredoc script of the corpus: the fast path, when it reads a script,
    /// builds exactly brush's model (and brush accepts the script).
    #[test]
    fn corpus_runs_agree_with_brush() {
        let Some(files) = crate::shared_data::shared_files("corpus/dockerfile") else {
            return;
        };
        let (mut scripts, mut fast, mut differ) = (0usize, 0usize, Vec::new());
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let df = crate::dockerfile::parse(&text);
            for (_, ins) in df.runs() {
                let mut texts: Vec<MappedText> =
                    ins.heredocs.iter().map(|h| h.body.clone()).collect();
                if let Some(crate::dockerfile::Command::Shell(line)) = ins.command() {
                    texts.push(line.mapped(&text));
                }
                for src in &texts {
                    scripts += 1;
                    let Some(quick) = parse(src) else { continue };
                    fast += 1;
                    match parse_with_brush(src) {
                        Ok(slow) if slow == quick => {}
                        Ok(_) => differ.push(format!("{}: {:?}", path.display(), src.text)),
                        Err(e) => differ.push(format!("{}: brush refuses: {e}", path.display())),
                    }
                }
            }
        }
        eprintln!(
            "fast path: {fast} of {scripts} scripts ({} files), {} differences",
            files.len(),
            differ.len()
        );
        for d in differ.iter().take(20) {
            eprintln!("  {d}");
        }
        assert!(differ.is_empty(), "{} scripts differ", differ.len());
        assert!(fast > 0, "the fast path read no script of the corpus");
    }
}
