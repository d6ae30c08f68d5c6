//! From shell text to [`Script`]: tokenizing and parsing with `brush-parser`, then flattening
//! its syntax tree into our model with file spans.
//!
//! brush reports positions as character indices into the text it was given; everything here is
//! converted to byte offsets of that text first, then through the chain of [`Frame`]s (one per
//! nested command substitution) to byte offsets of the RUN's [`MappedText`], and last to file
//! spans through the text's own offset map.

use std::collections::HashSet;
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};

use brush_parser::ast;
use brush_parser::{ParseError, ParserOptions, SourceSpan, Token, TokenizerError};

use super::scan::{self, Substitution};
use super::{Command, Pipeline, Redirect, Script, ShellError, ShellErrorKind, Word};
use super::{array_index, depth};

use crate::source::{MappedText, Span};

/// Substitutions nested deeper than this are left unparsed (and listed in `Script::unparsed`).
const MAX_SUBSTITUTION_DEPTH: usize = 16;

/// Scripts nested deeper than this (parentheses, braces, keywords) are refused rather than risk
/// exhausting the stack in the recursive-descent parser.
pub(super) const MAX_NESTING: usize = 64;

/// Scripts with more `(` left unclosed than this are refused before brush parses them: its
/// time grows exponentially with their number (see `depth::unclosed_parens`).
const MAX_UNCLOSED_PARENS: usize = 8;

/// Scripts with more `case` commands inside each other than this are refused before brush
/// parses them: its time doubles with each level when the parse fails inside (see
/// `depth::Nesting::cases`).
const MAX_NESTED_CASES: usize = 6;

/// Parses the shell text `src` (a RUN's logical line, or a heredoc script) into a [`Script`].
///
/// Bash syntax is accepted (`[[ ]]`, arrays, `function`, `<<<`, `|&`, process substitution),
/// since it is common in Dockerfiles whatever the `SHELL`. An error carries the span of the
/// offending token when brush knows it, else the whole text. Never panics.
pub fn parse(src: &MappedText) -> Result<Script, ShellError> {
    // The common shape (simple commands in lists and pipelines) is read without brush; the
    // model is the same (see `fast.rs`).
    if let Some(script) = super::fast::parse(src) {
        #[cfg(test)]
        fast_path_agrees(src, &script);
        return Ok(script);
    }
    parse_with_brush(src)
}

/// [`parse`] without the fast path: brush reads every script.
pub(super) fn parse_with_brush(src: &MappedText) -> Result<Script, ShellError> {
    let whole = src.span(0, src.text.len());
    match catch_unwind(AssertUnwindSafe(|| parse_unguarded(src))) {
        Ok(result) => result,
        Err(_) => Err(ShellError {
            message: "the shell parser failed on this script".to_string(),
            span: whole,
            kind: ShellErrorKind::Syntax,
        }),
    }
}

#[cfg(test)]
thread_local! {
    /// How many scripts this thread read through the fast path (checked against brush).
    pub(super) static FAST_PATH_TAKEN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// In tests, every script the fast path reads is read by brush too, and the models must be
/// equal: so each unit test of the shell model (and of what is built on it) is a differential
/// test of the fast path.
#[cfg(test)]
fn fast_path_agrees(src: &MappedText, fast: &Script) {
    FAST_PATH_TAKEN.with(|n| n.set(n.get() + 1));
    match parse_with_brush(src) {
        Ok(slow) => assert_eq!(
            fast, &slow,
            "the fast path and brush disagree on {:?}",
            src.text
        ),
        Err(e) => panic!(
            "the fast path read {:?}, which brush refuses: {e:?}",
            src.text
        ),
    }
}

fn options() -> ParserOptions {
    // bash mode (not sh/posix), with extended globs, like an interactive bash would read it.
    ParserOptions::default()
}

fn parse_unguarded(src: &MappedText) -> Result<Script, ShellError> {
    let frame = Frame::new(src.text.clone(), Map::Shift(0), false);
    let mut b = Builder {
        src,
        commands: Vec::new(),
        pipes: Vec::new(),
        pipelines: Vec::new(),
        unparsed: Vec::new(),
        depth: 0,
        nesting: 0,
        too_deep: None,
        parsed: HashSet::new(),
    };
    let (program, pipe_tokens) = b.parse_frame(&frame)?;
    let cx = Cx {
        f: &frame,
        pipe_tokens: &pipe_tokens,
    };
    b.program(&cx, &program);
    drop(program);
    match b.too_deep.take() {
        Some(e) => Err(e),
        None => Ok(b.finish()),
    }
}

/// Where the bytes of a frame's text come from in the RUN text.
enum Map {
    /// Byte `i` of the frame is byte `base + i` of the RUN text.
    Shift(usize),
    /// Byte `i` of the frame was copied from RUN-text bytes `table[i].0..table[i].1` (more than
    /// one byte when an escaping backslash was removed); one extra entry marks the end.
    Table(Vec<(usize, usize)>),
}

/// A piece of shell text to parse: the RUN text itself, or the content of a substitution.
struct Frame {
    text: String,
    map: Map,
    /// Byte offset of each character (plus the end), when the text is not pure ASCII.
    char_bytes: Option<Vec<usize>>,
    /// Everything in this frame runs in a subshell.
    in_subshell: bool,
}

impl Frame {
    fn new(text: String, map: Map, in_subshell: bool) -> Self {
        let char_bytes = (!text.is_ascii()).then(|| {
            let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            v.push(text.len());
            v
        });
        Frame {
            text,
            map,
            char_bytes,
            in_subshell,
        }
    }

    /// The byte offset of a character index reported by brush (clamped to the text).
    fn byte(&self, char_index: usize) -> usize {
        match &self.char_bytes {
            None => char_index.min(self.text.len()),
            Some(v) => v.get(char_index).copied().unwrap_or(self.text.len()),
        }
    }

    fn bytes(&self, loc: &SourceSpan) -> Range<usize> {
        let start = self.byte(loc.start.index);
        start..self.byte(loc.end.index).max(start)
    }

    /// The RUN-text bytes that frame byte `b` came from.
    fn source_of(&self, b: usize) -> (usize, usize) {
        match &self.map {
            Map::Shift(base) => (base + b, base + b + 1),
            Map::Table(t) => t.get(b).or(t.last()).copied().unwrap_or((0, 0)),
        }
    }

    /// The RUN-text offset of a frame byte offset.
    fn to_src(&self, b: usize) -> usize {
        self.source_of(b).0
    }

    fn span(&self, src: &MappedText, r: Range<usize>) -> Span {
        let start = self.to_src(r.start);
        let end = if r.end > r.start {
            self.source_of(r.end - 1).1
        } else {
            start
        };
        src.span(start, end.max(start))
    }

    fn slice(&self, r: Range<usize>) -> &str {
        self.text.get(r).unwrap_or("")
    }

    /// The frame for a substitution whose content is `inner` (frame bytes).
    fn child(&self, sub: &Substitution, offset: usize) -> Frame {
        let inner = sub.inner.start + offset..sub.inner.end + offset;
        let content = self.slice(inner.clone());
        if sub.backtick {
            let (text, from) = scan::unescape_backticks(content);
            let table = from
                .iter()
                .map(|r| {
                    let start = self.source_of(inner.start + r.start).0;
                    let end = if r.end > r.start {
                        self.source_of(inner.start + r.end - 1).1
                    } else {
                        start
                    };
                    (start, end)
                })
                .collect();
            return Frame::new(text, Map::Table(table), true);
        }
        let map = match &self.map {
            Map::Shift(base) => Map::Shift(base + inner.start),
            Map::Table(t) => Map::Table(
                (inner.start..=inner.end)
                    .map(|i| t.get(i).or(t.last()).copied().unwrap_or((0, 0)))
                    .collect(),
            ),
        };
        Frame::new(content.to_string(), map, true)
    }
}

struct Builder<'s> {
    src: &'s MappedText,
    /// Commands in discovery order, with their RUN-text start for the final sort.
    commands: Vec<(usize, Command)>,
    pipes: Vec<(usize, Span)>,
    /// Pipelines with stage ids in discovery order, and their RUN-text start.
    pipelines: Vec<(usize, Pipeline)>,
    unparsed: Vec<Span>,
    /// How many substitutions deep the walk is.
    depth: usize,
    /// How many compound commands and substitutions deep the walk is, over all frames.
    nesting: usize,
    /// Set when a substitution is nested too deeply: the whole script is then refused.
    too_deep: Option<ShellError>,
    /// The substitutions already read, by their place in the file. The same one can be
    /// reached twice, from its own frame and from an enclosing one, when a here-document's
    /// body crosses a substitution's end (found by fuzzing): read again at every level, a
    /// script of a few hundred bytes took a second.
    parsed: HashSet<Span>,
}

impl Builder<'_> {
    fn finish(self) -> Script {
        assemble(self.commands, self.pipes, self.pipelines, self.unparsed)
    }

    fn whole(&self, f: &Frame) -> Span {
        f.span(self.src, 0..f.text.len())
    }

    /// Tokenizes and parses a frame; also returns the byte ranges of its `|`/`|&` tokens.
    fn parse_frame(&mut self, f: &Frame) -> Result<(ast::Program, Vec<Range<usize>>), ShellError> {
        if self.nesting + depth::expansion_depth(&f.text, MAX_NESTING) > MAX_NESTING {
            return Err(self.too_deep(f));
        }
        let opts = options();
        // Blanks at the very end mean nothing to the shell.
        let text = without_trailing_blanks(&f.text);
        // brush's tokenizer never returns when the text ends while it still waits for the line
        // after a here-document operator and the delimiter it read is empty (`<<''`, `<<\r`,
        // `$(<< ) #`, `<<``)`: found by fuzzing): at the end it matches the empty delimiter
        // again and again, queueing a token each time. A final line break always moves it on,
        // and means nothing to the shell; it is added even after one, which may be escaped
        // (`\` and a line break join two lines). After a last backslash, which escapes the
        // break unless a comment holds it (`# x\`, found by fuzzing: a comment runs to the
        // end), a second one follows.
        let with_newline;
        let text = if text.contains("<<") {
            with_newline = if ends_in_escape(text) {
                format!("{text}\n\n")
            } else {
                format!("{text}\n")
            };
            with_newline.as_str()
        } else {
            text
        };
        let mut tokens = match brush_parser::uncached_tokenize_str(text, &opts.tokenizer_options())
        {
            // sh and bash read a here-document left open at the end of the script up to the
            // end (with a warning), so `<< /x` with no body is valid: give brush the missing
            // terminators. Their positions lie past the frame's text, which `Frame::byte`
            // clamps, so nothing is ever reported there.
            Err(e @ TokenizerError::UnterminatedHereDocuments(..)) => {
                let open = unterminated_heredocs(text);
                if open.is_empty() {
                    Err(e)
                } else {
                    let mut text = text.to_string();
                    for tag in open {
                        if !text.ends_with('\n') {
                            text.push('\n');
                        }
                        text.push_str(&tag);
                        text.push('\n');
                    }
                    // The longer text may reach a brush panic the original stopped
                    // before; then the original error stands.
                    let tokenizer = opts.tokenizer_options();
                    catch_unwind(AssertUnwindSafe(|| {
                        brush_parser::uncached_tokenize_str(&text, &tokenizer)
                    }))
                    .unwrap_or(Err(e))
                }
            }
            other => other,
        }
        .map_err(|e| self.tokenizer_error(f, &e))?;
        self.check_tokens(f, &tokens)?;
        array_index::defuse(&mut tokens);
        let program = brush_parser::parse_tokens(&tokens, &opts)
            .map_err(|e| self.parse_error(f, &tokens, &e))?;
        let mut pipes: Vec<Range<usize>> = tokens
            .iter()
            .filter_map(|t| match t {
                Token::Operator(op, loc) if op == "|" || op == "|&" => Some(f.bytes(loc)),
                _ => None,
            })
            .collect();
        pipes.sort_by_key(|r| r.start);
        Ok((program, pipes))
    }

    /// Refuses token streams that brush cannot handle safely: an fd number that overflows (brush
    /// would panic) and nesting deep enough to threaten the stack. Returns the nesting.
    fn check_tokens(&self, f: &Frame, tokens: &[Token]) -> Result<usize, ShellError> {
        for (i, t) in tokens.iter().enumerate() {
            if let Token::Word(w, loc) = t
                && !w.is_empty()
                && w.bytes().all(|c| c.is_ascii_digit())
                && w.parse::<i32>().is_err()
                && matches!(tokens.get(i + 1), Some(Token::Operator(op, _)) if op.starts_with(['<', '>']))
            {
                return Err(ShellError {
                    message: "file descriptor number too large".to_string(),
                    span: f.span(self.src, f.bytes(loc)),
                    kind: ShellErrorKind::Syntax,
                });
            }
        }
        if depth::unclosed_parens(tokens) > MAX_UNCLOSED_PARENS {
            return Err(ShellError {
                message: "unclosed `(`".to_string(),
                span: self.whole(f),
                kind: ShellErrorKind::Syntax,
            });
        }
        let nesting = depth::token_nesting(tokens, MAX_NESTING);
        if self.nesting + nesting.depth > MAX_NESTING {
            return Err(self.too_deep(f));
        }
        if nesting.cases > MAX_NESTED_CASES {
            return Err(ShellError {
                message: format!(
                    "too deeply nested to analyse (more than {MAX_NESTED_CASES} `case` commands inside each other)"
                ),
                span: self.whole(f),
                kind: ShellErrorKind::TooDeep,
            });
        }
        Ok(nesting.depth)
    }

    fn too_deep(&self, f: &Frame) -> ShellError {
        ShellError {
            message: format!(
                "too deeply nested to analyse (more than {MAX_NESTING} levels of compound commands or substitutions)"
            ),
            span: self.whole(f),
            kind: ShellErrorKind::TooDeep,
        }
    }

    fn tokenizer_error(&self, f: &Frame, e: &TokenizerError) -> ShellError {
        let end = f.text.len();
        let from = |p: &brush_parser::SourcePosition| f.byte(p.index)..end;
        let (message, range) = match e {
            TokenizerError::UnterminatedSingleQuote(p) => ("unterminated single quote", from(p)),
            TokenizerError::UnterminatedAnsiCQuote(p) => ("unterminated $'...' quote", from(p)),
            TokenizerError::UnterminatedDoubleQuote(p) => ("unterminated double quote", from(p)),
            TokenizerError::UnterminatedBackquote(p) => ("unterminated backquote", from(p)),
            TokenizerError::UnterminatedExtendedGlob(p) => {
                ("unterminated extended glob pattern", from(p))
            }
            TokenizerError::UnterminatedEscapeSequence => {
                ("a backslash ends the script", end.saturating_sub(1)..end)
            }
            TokenizerError::UnterminatedVariable => ("unterminated ${...} expansion", 0..end),
            TokenizerError::UnterminatedCommandSubstitution => {
                ("unterminated $(...) substitution", 0..end)
            }
            TokenizerError::UnterminatedExpansion => ("unterminated expansion", 0..end),
            TokenizerError::MissingHereTagForDocumentBody | TokenizerError::MissingHereTag(_) => {
                ("here-document without a delimiter", 0..end)
            }
            // No delimiter read: the operator ends the script (`<<`, `cat <<-`).
            TokenizerError::UnterminatedHereDocuments(tags, _) if tags.is_empty() => {
                ("here-document without a delimiter", 0..end)
            }
            TokenizerError::UnterminatedHereDocuments(..) => {
                ("here-document not terminated", 0..end)
            }
            TokenizerError::FailedDecoding | TokenizerError::ReadError(_) => {
                ("unreadable script text", 0..end)
            }
        };
        let range = if range.start >= end { 0..end } else { range };
        ShellError {
            message: message.to_string(),
            span: f.span(self.src, range),
            kind: ShellErrorKind::Syntax,
        }
    }

    fn parse_error(&self, f: &Frame, tokens: &[Token], e: &ParseError) -> ShellError {
        // brush points past a misplaced reserved word (`do not` at `not`) or at the end: name
        // the word itself when it comes no later than where brush gave up.
        let near = match e {
            ParseError::ParsingNear(pos) => f.byte(pos.index),
            _ => f.text.len(),
        };
        if let Some((i, lacking)) = depth::misplaced_reserved_word(tokens)
            && let Some(t) = tokens.get(i)
            && f.byte(t.location().start.index) <= near
        {
            return ShellError {
                message: format!("shell syntax error: `{}` without {lacking}", t.to_str()),
                span: f.span(self.src, f.bytes(t.location())),
                kind: ShellErrorKind::Syntax,
            };
        }
        if let ParseError::ParsingNear(pos) = e {
            let at = f.byte(pos.index);
            if let Some(t) = tokens
                .iter()
                .find(|t| f.byte(t.location().start.index) == at)
            {
                let r = f.bytes(t.location());
                let shown = match t.to_str() {
                    "\n" => "a newline".to_string(),
                    s => format!("`{s}`"),
                };
                return ShellError {
                    message: format!("shell syntax error near {shown}"),
                    span: f.span(self.src, r),
                    kind: ShellErrorKind::Syntax,
                };
            }
        }
        ShellError {
            message: "shell syntax error: the script ends too early".to_string(),
            span: self.whole(f),
            kind: ShellErrorKind::Syntax,
        }
    }

    /// Parses a substitution's content and adds its commands; failures are recorded, not fatal.
    fn substitution(&mut self, f: &Frame, sub: &Substitution, offset: usize) {
        let outer = f.span(self.src, sub.inner.start + offset..sub.inner.end + offset);
        if !self.parsed.insert(outer) {
            return;
        }
        if self.depth >= MAX_SUBSTITUTION_DEPTH {
            self.unparsed.push(outer);
            return;
        }
        let child = f.child(sub, offset);
        if child.text.trim().is_empty() {
            return;
        }
        if self.too_deep.is_some() {
            return;
        }
        self.nesting += 1;
        match self.parse_frame(&child) {
            Ok((program, pipe_tokens)) => {
                self.depth += 1;
                let cx = Cx {
                    f: &child,
                    pipe_tokens: &pipe_tokens,
                };
                self.program(&cx, &program);
                self.depth -= 1;
            }
            Err(e) if e.kind == ShellErrorKind::TooDeep => self.too_deep = Some(e),
            Err(_) => self.unparsed.push(outer),
        }
        self.nesting -= 1;
    }

    /// Refuses the script when the scanner gave up on a word nested too deeply.
    fn check_scan(&mut self, f: &Frame, scanned: &scan::Scanned) {
        if scanned.too_deep && self.too_deep.is_none() {
            self.too_deep = Some(self.too_deep(f));
        }
    }

    fn program(&mut self, cx: &Cx<'_>, p: &ast::Program) {
        for list in &p.complete_commands {
            self.list(cx, list, cx.f.in_subshell);
        }
    }

    fn list(&mut self, cx: &Cx<'_>, list: &ast::CompoundList, sub: bool) {
        for item in &list.0 {
            self.pipeline(cx, &item.0.first, sub);
            for next in &item.0.additional {
                match next {
                    ast::AndOr::And(p) | ast::AndOr::Or(p) => self.pipeline(cx, p, sub),
                }
            }
        }
    }

    fn pipeline(&mut self, cx: &Cx<'_>, p: &ast::Pipeline, sub: bool) {
        let mut stages = Vec::with_capacity(p.seq.len());
        for cmd in &p.seq {
            let simple = matches!(cmd, ast::Command::Simple(_));
            stages.push(simple.then_some(self.commands.len()));
            self.command(cx, cmd, sub);
        }
        if p.seq.len() < 2 {
            return;
        }
        let starts: Vec<Option<usize>> = p.seq.iter().map(|c| command_start(cx.f, c)).collect();
        let mut pipes = Vec::new();
        for r in pipe_operators(cx.pipe_tokens, &starts) {
            let span = cx.f.span(self.src, r.clone());
            self.pipes.push((cx.f.to_src(r.start), span));
            pipes.push(span);
        }
        let key = starts
            .iter()
            .flatten()
            .next()
            .map_or(0, |&s| cx.f.to_src(s));
        self.pipelines.push((key, Pipeline { stages, pipes }));
    }

    fn command(&mut self, cx: &Cx<'_>, cmd: &ast::Command, sub: bool) {
        match cmd {
            ast::Command::Simple(s) => self.simple(cx, s, sub),
            ast::Command::Compound(c, redirects) => {
                self.compound(cx, c, sub);
                if let Some(r) = redirects {
                    for io in &r.0 {
                        let _ = self.redirect(cx, io);
                    }
                }
            }
            ast::Command::Function(def) => {
                self.compound(cx, &def.body.0, sub);
                if let Some(r) = &def.body.1 {
                    for io in &r.0 {
                        let _ = self.redirect(cx, io);
                    }
                }
            }
            ast::Command::ExtendedTest(test, redirects) => {
                self.extended_test(cx, &test.expr);
                if let Some(r) = redirects {
                    for io in &r.0 {
                        let _ = self.redirect(cx, io);
                    }
                }
            }
        }
    }

    fn compound(&mut self, cx: &Cx<'_>, c: &ast::CompoundCommand, sub: bool) {
        self.nesting += 1;
        self.compound_inner(cx, c, sub);
        self.nesting -= 1;
    }

    fn compound_inner(&mut self, cx: &Cx<'_>, c: &ast::CompoundCommand, sub: bool) {
        use ast::CompoundCommand as C;
        match c {
            C::Arithmetic(a) => {
                // `(( $(nproc) > 1 ))`: the substitutions inside the expression still run.
                let r = cx.f.bytes(&a.loc);
                let scanned = scan::scan_word(cx.f.slice(r.clone()));
                self.check_scan(cx.f, &scanned);
                let pending = scanned
                    .substitutions
                    .into_iter()
                    .map(|s| (s, r.start))
                    .collect();
                self.flush(cx, pending);
            }
            C::ArithmeticForClause(a) => self.list(cx, &a.body.list, sub),
            C::BraceGroup(b) => self.list(cx, &b.list, sub),
            C::Subshell(s) => self.list(cx, &s.list, true),
            C::ForClause(fc) => {
                for w in fc.values.iter().flatten() {
                    self.loose_word(cx, w);
                }
                self.list(cx, &fc.body.list, sub);
            }
            C::CaseClause(cc) => {
                self.loose_word(cx, &cc.value);
                for item in &cc.cases {
                    for w in &item.patterns {
                        self.loose_word(cx, w);
                    }
                    if let Some(body) = &item.cmd {
                        self.list(cx, body, sub);
                    }
                }
            }
            C::IfClause(ic) => {
                self.list(cx, &ic.condition, sub);
                self.list(cx, &ic.then, sub);
                for e in ic.elses.iter().flatten() {
                    if let Some(cond) = &e.condition {
                        self.list(cx, cond, sub);
                    }
                    self.list(cx, &e.body, sub);
                }
            }
            C::WhileClause(w) | C::UntilClause(w) => {
                self.list(cx, &w.0, sub);
                self.list(cx, &w.1.list, sub);
            }
            C::Coprocess(co) => self.command(cx, &co.body, true),
        }
    }

    fn extended_test(&mut self, cx: &Cx<'_>, e: &ast::ExtendedTestExpr) {
        self.nesting += 1;
        self.extended_test_inner(cx, e);
        self.nesting -= 1;
    }

    fn extended_test_inner(&mut self, cx: &Cx<'_>, e: &ast::ExtendedTestExpr) {
        use ast::ExtendedTestExpr as E;
        match e {
            E::And(a, b) | E::Or(a, b) => {
                self.extended_test(cx, a);
                self.extended_test(cx, b);
            }
            E::Not(a) | E::Parenthesized(a) => self.extended_test(cx, a),
            E::UnaryTest(_, w) => self.loose_word(cx, w),
            E::BinaryTest(_, a, b) => {
                self.loose_word(cx, a);
                self.loose_word(cx, b);
            }
        }
    }

    /// A word that belongs to no simple command (a `for` list, a `case` pattern...): only its
    /// substitutions matter.
    fn loose_word(&mut self, cx: &Cx<'_>, w: &ast::Word) {
        let mut pending = Vec::new();
        let _ = self.word(cx, w, &mut pending);
        self.flush(cx, pending);
    }

    fn flush(&mut self, cx: &Cx<'_>, pending: Vec<(Substitution, usize)>) {
        for (sub, offset) in pending {
            self.substitution(cx.f, &sub, offset);
        }
    }

    /// Converts a brush word; its substitutions are queued in `pending`.
    fn word(
        &mut self,
        cx: &Cx<'_>,
        w: &ast::Word,
        pending: &mut Vec<(Substitution, usize)>,
    ) -> Option<(Word, Range<usize>)> {
        let r = cx.f.bytes(w.loc.as_ref()?);
        let raw = cx.f.slice(r.clone());
        let scanned = scan::scan_word(raw);
        self.check_scan(cx.f, &scanned);
        pending.extend(scanned.substitutions.into_iter().map(|s| (s, r.start)));
        let word = Word::new(
            scanned.text,
            raw,
            cx.f.span(self.src, r.clone()),
            scanned.has_expansion,
            scanned.quoted,
        );
        Some((word, r))
    }

    /// Converts a redirection; returns it with the frame bytes it covers (when known).
    fn redirect(&mut self, cx: &Cx<'_>, io: &ast::IoRedirect) -> Option<(Redirect, Range<usize>)> {
        use ast::IoFileRedirectKind as K;
        let mut pending = Vec::new();
        let (fd, operator, target) = match io {
            ast::IoRedirect::File(fd, kind, target) => {
                let op = match kind {
                    K::Read => "<",
                    K::Write => ">",
                    K::Append => ">>",
                    K::ReadAndWrite => "<>",
                    K::Clobber => ">|",
                    K::DuplicateInput => "<&",
                    K::DuplicateOutput => ">&",
                };
                let target = match target {
                    ast::IoFileRedirectTarget::Filename(w)
                    | ast::IoFileRedirectTarget::Duplicate(w) => self.word(cx, w, &mut pending),
                    ast::IoFileRedirectTarget::Fd(_) => None,
                    ast::IoFileRedirectTarget::ProcessSubstitution(_, s) => {
                        self.list(cx, &s.list, true);
                        None
                    }
                };
                (*fd, op, target)
            }
            ast::IoRedirect::HereDocument(fd, doc) => {
                let op = if doc.remove_tabs { "<<-" } else { "<<" };
                if doc.requires_expansion {
                    self.heredoc_body(cx, &doc.doc, &mut pending);
                }
                (*fd, op, self.word(cx, &doc.here_end, &mut pending))
            }
            ast::IoRedirect::HereString(fd, w) => (*fd, "<<<", self.word(cx, w, &mut pending)),
            ast::IoRedirect::OutputAndError(w, append) => (
                None,
                if *append { "&>>" } else { "&>" },
                self.word(cx, w, &mut pending),
            ),
        };
        self.flush(cx, pending);
        let (target, range) = match target {
            Some((w, r)) => (Some(w), Some(r)),
            None => (None, None),
        };
        let range = range.map(|r| operator_start(&cx.f.text, r.start)..r.end);
        Some((
            Redirect {
                fd,
                operator,
                target,
            },
            range.unwrap_or(0..0),
        ))
    }

    /// Queues the substitutions in an unquoted here-document's body.
    fn heredoc_body(
        &mut self,
        cx: &Cx<'_>,
        doc: &ast::Word,
        pending: &mut Vec<(Substitution, usize)>,
    ) {
        let Some(loc) = &doc.loc else { return };
        let start = cx.f.byte(loc.start.index);
        let Some(body) = cx.f.text.get(start..start + doc.value.len()) else {
            return;
        };
        if body != doc.value {
            return;
        }
        let scanned = scan::heredoc_substitutions(body);
        self.check_scan(cx.f, &scanned);
        pending.extend(scanned.substitutions.into_iter().map(|s| (s, start)));
    }

    fn simple(&mut self, cx: &Cx<'_>, s: &ast::SimpleCommand, sub: bool) {
        use ast::CommandPrefixOrSuffixItem as Item;
        let mut pending = Vec::new();
        let mut assignments = Vec::new();
        let mut words = Vec::new();
        let mut redirects = Vec::new();
        let mut extent: Option<Range<usize>> = None;
        let mut grow = |r: &Range<usize>| {
            extent = Some(match &extent {
                Some(e) => e.start.min(r.start)..e.end.max(r.end),
                None => r.clone(),
            });
        };
        let mut subshells = Vec::new();
        let prefix = s.prefix.iter().flat_map(|p| p.0.iter()).map(|i| (true, i));
        let name = s.word_or_name.iter().map(|w| (false, w));
        let suffix = s.suffix.iter().flat_map(|p| p.0.iter()).map(|i| (false, i));
        let mut items: Vec<(bool, Option<&Item>, Option<&ast::Word>)> = Vec::new();
        items.extend(prefix.map(|(p, i)| (p, Some(i), None)));
        items.extend(name.map(|(p, w)| (p, None, Some(w))));
        items.extend(suffix.map(|(p, i)| (p, Some(i), None)));
        for (in_prefix, item, bare) in items {
            match (item, bare) {
                (_, Some(w)) | (Some(Item::Word(w)), _) => {
                    if let Some((word, r)) = self.word(cx, w, &mut pending) {
                        grow(&r);
                        words.push(word);
                    }
                }
                (Some(Item::AssignmentWord(_, w)), _) => {
                    if let Some((word, r)) = self.word(cx, w, &mut pending) {
                        grow(&r);
                        if in_prefix {
                            assignments.push(word);
                        } else {
                            words.push(word);
                        }
                    }
                }
                (Some(Item::IoRedirect(io)), _) => {
                    if let Some((redirect, r)) = self.redirect(cx, io) {
                        if r.end > r.start {
                            grow(&r);
                        }
                        redirects.push(redirect);
                    }
                }
                (Some(Item::ProcessSubstitution(_, shell)), _) => {
                    {
                        // The location covers the parenthesised list; the `<` or `>` precedes it.
                        let r = cx.f.bytes(&shell.loc);
                        let r = r.start.saturating_sub(1)..r.end;
                        let raw = cx.f.slice(r.clone());
                        grow(&r);
                        words.push(Word::new(
                            raw.into(),
                            raw,
                            cx.f.span(self.src, r),
                            true,
                            false,
                        ));
                    }
                    subshells.push(&shell.list);
                }
                (None, None) => {}
            }
        }
        let extent = extent.unwrap_or(0..0);
        let span = cx.f.span(self.src, extent.clone());
        let command = command_of(words, assignments, redirects, span, sub);
        self.commands.push((cx.f.to_src(extent.start), command));
        for list in subshells {
            self.list(cx, list, true);
        }
        self.flush(cx, pending);
    }
}

/// The script from what a walk found, each keyed by its RUN-text start: the commands, pipes
/// and pipelines in source order (stable for equal keys), the stage indices following their
/// commands.
pub(super) fn assemble(
    mut commands: Vec<(usize, Command)>,
    mut pipes: Vec<(usize, Span)>,
    mut pipelines: Vec<(usize, Pipeline)>,
    mut unparsed: Vec<Span>,
) -> Script {
    let mut order: Vec<usize> = (0..commands.len()).collect();
    order.sort_by_key(|&i| commands[i].0);
    // Each command once: where brush's readings of nested frames disagree (a here-document
    // body crossing a substitution's end), two frames can read the same text as a command.
    // The same span means the same start, so a duplicate is among the commands of its key.
    let mut new_index = vec![0; order.len()];
    let mut kept: Vec<usize> = Vec::with_capacity(order.len());
    let mut group = 0;
    for &old in &order {
        let (key, Command { span, .. }) = &commands[old];
        if kept.last().is_some_and(|&k| commands[k].0 != *key) {
            group = kept.len();
        }
        let same = kept[group..]
            .iter()
            .position(|&k| span.start < span.end && commands[k].1.span == *span);
        new_index[old] = match same {
            Some(at) => group + at,
            None => {
                kept.push(old);
                kept.len() - 1
            }
        };
    }
    let mut slots: Vec<Option<Command>> = commands.drain(..).map(|(_, c)| Some(c)).collect();
    let mut commands: Vec<Command> = Vec::with_capacity(kept.len());
    commands.extend(kept.iter().filter_map(|&i| slots[i].take()));
    pipelines.sort_by_key(|p| p.0);
    let mut pipelines: Vec<Pipeline> = pipelines
        .into_iter()
        .map(|(_, mut p)| {
            for s in p.stages.iter_mut().flatten() {
                *s = new_index.get(*s).copied().unwrap_or(*s);
            }
            p
        })
        .collect();
    // A pipe operator belongs to one pipeline: its first one identifies it.
    let mut seen_pipelines = HashSet::new();
    pipelines.retain(|p| p.pipes.first().is_none_or(|&s| seen_pipelines.insert(s)));
    pipes.sort_by_key(|p| p.0);
    pipes.dedup();
    unparsed.shrink_to_fit();
    Script {
        commands,
        pipes: pipes.into_iter().map(|p| p.1).collect(),
        pipelines,
        unparsed,
    }
}

/// The per-frame context of the walk.
struct Cx<'f> {
    f: &'f Frame,
    /// Byte ranges of the frame's `|` and `|&` tokens, sorted.
    pipe_tokens: &'f [Range<usize>],
}

/// `text` without the spaces and tabs that end it, unless the last one is escaped (`a\ `).
pub(super) fn without_trailing_blanks(text: &str) -> &str {
    let trimmed = text.trim_end_matches([' ', '\t']);
    if trimmed.len() < text.len() && trimmed.ends_with('\\') {
        let backslashes = trimmed.len() - trimmed.trim_end_matches('\\').len();
        if backslashes % 2 == 1 {
            return &text[..trimmed.len() + 1];
        }
    }
    trimmed
}

/// Whether `text` ends with a backslash that escapes what would follow it.
fn ends_in_escape(text: &str) -> bool {
    (text.len() - text.trim_end_matches('\\').len()) % 2 == 1
}

/// The delimiters (quotes removed) of the here-documents of `text` that no later line ends.
/// Rough: only used once brush found one open.
fn unterminated_heredocs(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut open = Vec::new();
    let mut from = 0;
    while let Some(p) = text.get(from..).and_then(|t| t.find("<<")) {
        from += p + 2;
        if b.get(from) == Some(&b'<') {
            from += 1;
            continue;
        }
        let strip_tabs = b.get(from) == Some(&b'-');
        let mut i = from + usize::from(strip_tabs);
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        let start = i;
        while i < b.len()
            && !matches!(
                b[i],
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')'
            )
        {
            i += 1;
        }
        // Plain delimiters only: anything odder is left to brush's error.
        let plain = |r: &&str| {
            !r.is_empty()
                && r.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"_-./'\"".contains(&c))
        };
        let Some(raw) = text.get(start..i).filter(plain) else {
            return Vec::new();
        };
        let delimiter = String::from(scan::scan_word(raw).text);
        let rest = text.get(i..).unwrap_or("");
        let ended = rest.lines().skip(1).any(|l| {
            let l = if strip_tabs {
                l.trim_start_matches('\t')
            } else {
                l
            };
            l == delimiter
        });
        if !ended {
            open.push(delimiter);
        }
    }
    open
}

/// The `|` token joining each pair of adjacent pipeline stages, given the sorted `|` tokens and
/// each stage's start (`None`: unknown, passed over): the last token between the two starts.
/// By binary search, so a pipeline of n stages costs n log n, not n squared. Both the fast path
/// and the brush path choose operators this way, so that they agree even on odd stages.
pub(super) fn pipe_operators(
    pipe_tokens: &[Range<usize>],
    starts: &[Option<usize>],
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut prev = starts.first().copied().flatten().unwrap_or(0);
    for start in starts.iter().skip(1) {
        let Some(next) = *start else { continue };
        let before_next = pipe_tokens.partition_point(|r| r.start < next);
        if let Some(r) = before_next
            .checked_sub(1)
            .and_then(|i| pipe_tokens.get(i))
            .filter(|r| r.start >= prev)
        {
            out.push(r.clone());
        }
        prev = next;
    }
    out
}

/// Where a redirection operator (with its fd number) starts, given where its target starts.
pub(super) fn operator_start(text: &str, target_start: usize) -> usize {
    let b = text.as_bytes();
    let mut i = target_start.min(b.len());
    while i > 0 && matches!(b[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    let mut j = i;
    while j > 0 && matches!(b[j - 1], b'<' | b'>' | b'&' | b'|' | b'-') {
        j -= 1;
    }
    if j == i {
        return target_start;
    }
    while j > 0 && b[j - 1].is_ascii_digit() {
        j -= 1;
    }
    j
}

/// The frame byte where a pipeline stage starts, when known.
fn command_start(f: &Frame, c: &ast::Command) -> Option<usize> {
    use ast::SourceLocation;
    if let Some(loc) = c.location() {
        return Some(f.byte(loc.start.index));
    }
    let ast::Command::Simple(s) = c else {
        return None;
    };
    let mut locs = Vec::new();
    for item in s
        .prefix
        .iter()
        .flat_map(|p| p.0.iter())
        .chain(s.suffix.iter().flat_map(|p| p.0.iter()))
    {
        if let ast::CommandPrefixOrSuffixItem::IoRedirect(io) = item {
            let w = match io {
                ast::IoRedirect::File(_, _, ast::IoFileRedirectTarget::Filename(w))
                | ast::IoRedirect::File(_, _, ast::IoFileRedirectTarget::Duplicate(w))
                | ast::IoRedirect::HereString(_, w)
                | ast::IoRedirect::OutputAndError(w, _) => Some(w),
                ast::IoRedirect::HereDocument(_, d) => Some(&d.here_end),
                _ => None,
            };
            if let Some(loc) = w.and_then(|w| w.loc.as_ref()) {
                locs.push(operator_start(&f.text, f.byte(loc.start.index)));
            }
        }
    }
    locs.into_iter().min()
}

/// Looks through `command`, `builtin`, `busybox`, `run` and `exec` (with its `-c`, `-l`,
/// `-a name` options), repeatedly, moving the skipped words to `wrappers`.
/// The command whose words are `words` in order (the first is its name), with its wrappers
/// (`sudo`, `env`, ...) taken off; the vectors give back their spare room, since the model
/// lives as long as the lint of the RUN. Both the brush path and the fast path end here.
pub(super) fn command_of(
    mut words: Vec<Word>,
    mut assignments: Vec<Word>,
    mut redirects: Vec<Redirect>,
    span: Span,
    in_subshell: bool,
) -> Command {
    // The name is taken off the front, and the list keeps its allocation for the arguments.
    let name = (!words.is_empty()).then(|| words.remove(0));
    // Room for the name's slot is left: giving one slot back costs more than it holds.
    if words.capacity() > words.len() + 1 {
        words.shrink_to_fit();
    }
    assignments.shrink_to_fit();
    redirects.shrink_to_fit();
    let mut command = Command {
        name,
        wrappers: Vec::new(),
        args: words,
        assignments,
        redirects,
        span,
        in_subshell,
    };
    unwrap_wrappers(&mut command);
    command
}

pub(super) fn unwrap_wrappers(cmd: &mut Command) {
    loop {
        let Some(name) = cmd.name_str() else { return };
        let skip = match name {
            "command" | "builtin" | "busybox" | "run" => match cmd.args.first() {
                Some(a) if !a.text.starts_with('-') => 0,
                _ => return,
            },
            "exec" => match exec_options(&cmd.args) {
                Some(n) if n < cmd.args.len() => n,
                _ => return,
            },
            _ => return,
        };
        let Some(name) = cmd.name.take() else { return };
        cmd.wrappers.push(name);
        let mut rest = cmd.args.split_off(skip);
        cmd.wrappers.append(&mut cmd.args);
        if rest.is_empty() {
            return;
        }
        cmd.name = Some(rest.remove(0));
        cmd.args = rest;
    }
}

/// The number of words taken by `exec`'s options, or None for an option exec does not know.
fn exec_options(args: &[Word]) -> Option<usize> {
    let mut i = 0;
    while let Some(w) = args.get(i) {
        let t = w.text.as_str();
        if t == "--" {
            return Some(i + 1);
        }
        let Some(opts) = t.strip_prefix('-').filter(|o| !o.is_empty()) else {
            return Some(i);
        };
        i += 1;
        for (k, c) in opts.char_indices() {
            match c {
                'c' | 'l' => {}
                'a' => {
                    if k + 1 == opts.len() {
                        i += 1;
                    }
                    break;
                }
                _ => return None,
            }
        }
    }
    Some(i)
}
