//! The line-based reader: directives, logical lines, instructions, flags, heredocs.

use super::json::{JsonForm, parse_json_array};
use super::words::{Words, mapped_words, split_words, word_at};
use super::*;
use std::sync::Arc;

use crate::source::{MappedText, Span};

/// One physical line: `start..end` excludes the line break (and a CR before it); `next` is the
/// offset of the following line.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

/// The physical line that starts at byte `start` (below `text.len()`). Lines are found one at
/// a time as the reader goes: a table of every line would cost 24 bytes a line for the whole
/// parse (12 MB for a 10 MiB file).
fn line_at(text: &str, start: usize) -> Line {
    let bytes = text.as_bytes();
    let nl = memchr(b'\n', &bytes[start..]).map(|i| start + i);
    let (mut end, next) = match nl {
        Some(i) => (i, i + 1),
        None => (text.len(), text.len()),
    };
    if end > start && bytes[end - 1] == b'\r' {
        end -= 1;
    }
    Line { start, end, next }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| b == b' ' || b == b'\t')
}

fn leading_ws(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\t']).len()
}

/// `# key = value` at the top of the file.
fn parse_directive(line: &str) -> Option<(String, usize, usize)> {
    let t = line.trim_start();
    let body = t.strip_prefix('#')?;
    let body_off = line.len() - body.len();
    let eq = body.find('=')?;
    let key = body[..eq].trim();
    if key.is_empty()
        || !key.starts_with(|c: char| c.is_ascii_alphabetic())
        || !key.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let value = &body[eq + 1..];
    let v_start = body_off + eq + 1 + leading_ws(value);
    let v_end = body_off + eq + 1 + value.trim_end().len();
    if v_start >= v_end {
        return None;
    }
    Some((key.to_ascii_lowercase(), v_start, v_end))
}

/// Where the continuation escape ends a line: the byte index of the escape character when the
/// line continues.
fn continuation_at(line: &str, escape: char) -> Option<usize> {
    let trimmed = line.trim_end_matches([' ', '\t']);
    let before = trimmed.strip_suffix(escape)?;
    if before.ends_with(escape) {
        return None;
    }
    Some(before.len())
}

/// Gives back the spare capacity of an instruction's vectors.
fn shrink(ins: &mut Instruction) {
    match &mut ins.body {
        Body::Env(kvs) | Body::Label(kvs) | Body::Arg(kvs) => kvs.shrink_to_fit(),
        Body::Expose(words) | Body::Volume(words) | Body::Copy { sources: words, .. } => {
            words.shrink_to_fit()
        }
        Body::Run(Command::Exec { args, .. })
        | Body::Cmd(Command::Exec { args, .. })
        | Body::Entrypoint(Command::Exec { args, .. })
        | Body::Shell(Command::Exec { args, .. }) => args.shrink_to_fit(),
        _ => {}
    }
}

/// Parses a Dockerfile. Never fails: problems become [`SyntaxError`]s and the parse goes on.
/// The tree keeps a copy of `text`: [`parse_shared`] shares a text the caller keeps anyway.
pub fn parse(text: &str) -> Dockerfile {
    parse_shared(Arc::from(text))
}

/// [`parse`] of a text the tree shares with the caller (its shell lines are read from it).
pub fn parse_shared(source: Arc<str>) -> Dockerfile {
    let text: &str = &source;
    let mut p = Parser {
        text,
        logical: MappedText::default(),
        df: Dockerfile {
            escape: '\\',
            ..Dockerfile::default()
        },
    };
    p.run();
    // Vectors grown by pushing hold up to twice their length: give the rest back, since the
    // tree lives as long as the file is linted.
    p.df.instructions.shrink_to_fit();
    p.df.comments.shrink_to_fit();
    p.df.model = super::model::build(&p.df);
    p.df.template = super::scripts::looks_like_template(text);
    let mut df = p.df;
    df.source = source;
    df
}

struct Parser<'a> {
    text: &'a str,
    /// The logical line being read, kept between instructions so that its buffers are
    /// allocated once per file rather than once per instruction.
    logical: MappedText,
    df: Dockerfile,
}

impl<'a> Parser<'a> {
    fn span(start: usize, end: usize) -> Span {
        Span::from_range(start..end)
    }

    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.df.errors.push(SyntaxError {
            span,
            message: message.into(),
        });
    }

    fn comment(&mut self, line: Line, in_continuation: bool) {
        let s = &self.text[line.start..line.end];
        let off = leading_ws(s);
        let text = s[off..].trim_start_matches('#').trim().to_string();
        self.df.comments.push(Comment {
            span: Self::span(line.start + off, line.end),
            text,
            in_continuation,
        });
    }

    fn run(&mut self) {
        let text = self.text;
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        // `i` is the byte offset of the next line to read.
        let mut i = bom;

        // The directive block: known directives at the very top, until the first other line.
        let mut seen_shebang = false;
        while i < text.len() {
            let l = line_at(text, i);
            let s = &text[l.start..l.end];
            if i == bom && s.starts_with("#!") {
                seen_shebang = true;
                self.comment(l, false);
                i = l.next;
                continue;
            }
            let Some((name, vs, ve)) = parse_directive(s) else {
                break;
            };
            if !matches!(name.as_str(), "syntax" | "escape" | "check") {
                break;
            }
            let value = s[vs..ve].to_string();
            let span = Self::span(l.start + leading_ws(s), l.end);
            if self.df.directive(&name).is_some() {
                self.error(
                    span,
                    format!("only one `{name}` parser directive can be used"),
                );
            } else if name == "escape" {
                match value.as_str() {
                    "\\" => self.df.escape = '\\',
                    "`" => self.df.escape = '`',
                    _ => self.error(
                        Self::span(l.start + vs, l.start + ve),
                        format!(
                            "invalid escape character `{value}`: only `\\` and `` ` `` are allowed"
                        ),
                    ),
                }
            }
            self.comment(l, false);
            self.df.directives.push(Directive {
                name,
                value,
                span,
                value_span: Self::span(l.start + vs, l.start + ve),
            });
            i = l.next;
        }
        let _ = seen_shebang;

        while i < text.len() {
            let l = line_at(text, i);
            let s = &text[l.start..l.end];
            if is_blank(s) {
                i = l.next;
                continue;
            }
            if s.trim_start().starts_with('#') {
                self.comment(l, false);
                i = l.next;
                continue;
            }
            i = self.instruction(i);
        }
    }

    /// Reads the instruction whose first line starts at byte `first`; returns the offset of
    /// the next line to read.
    fn instruction(&mut self, first: usize) -> usize {
        let mut logical = std::mem::take(&mut self.logical);
        logical.clear();
        let next = self.read_instruction(first, &mut logical);
        self.logical = logical;
        next
    }

    fn read_instruction(&mut self, first: usize, logical: &mut MappedText) -> usize {
        let text = self.text;
        let escape = self.df.escape;
        let first_line = line_at(text, first);
        let mut i = first_line.next;
        let start = first_line.start + leading_ws(&text[first_line.start..first_line.end]);
        let mut end;
        // First line, leading whitespace removed.
        {
            let s = &text[start..first_line.end];
            end = first_line.end;
            match continuation_at(s, escape) {
                Some(cut) => logical.push_str(&s[..cut], start as u32),
                None => {
                    logical.push_str(s, start as u32);
                    return self.finish(i, start, end, logical);
                }
            }
        }
        // Continuation lines.
        while i < text.len() {
            let l = line_at(text, i);
            let s = &text[l.start..l.end];
            i = l.next;
            if s.trim_start().starts_with('#') {
                self.comment(l, true);
                continue;
            }
            if is_blank(s) {
                self.df
                    .empty_continuation_lines
                    .push(Self::span(l.start, l.end));
                continue;
            }
            end = l.end;
            match continuation_at(s, escape) {
                Some(cut) => logical.push_str(&s[..cut], l.start as u32),
                None => {
                    logical.push_str(s, l.start as u32);
                    break;
                }
            }
        }
        self.finish(i, start, end, logical)
    }

    fn finish(
        &mut self,
        mut next: usize,
        start: usize,
        mut end: usize,
        logical: &MappedText,
    ) -> usize {
        // A line holding only the escape continues an empty line: BuildKit trims the logical
        // line, so what follows is the instruction, and nothing at all is no instruction.
        if logical.text.trim().is_empty() {
            self.df.escape_only_lines.push(Self::span(start, end));
            return next;
        }
        let mut ins = self.parse_instruction(logical, start);
        // Heredoc bodies follow the instruction's logical line.
        let carrier = match &ins.body {
            Body::Onbuild(Some(inner)) => Some(inner.kind),
            _ => Some(ins.kind),
        };
        if matches!(carrier, Some(Kind::Run | Kind::Copy | Kind::Add)) {
            let target: &mut Instruction = match &mut ins.body {
                Body::Onbuild(Some(inner)) => inner,
                _ => &mut ins,
            };
            let is_json = matches!(
                &target.body,
                Body::Run(Command::Exec { .. }) | Body::Copy { json: true, .. }
            );
            // Without `<<` in the whole line there is no marker: no need to read the rest
            // (a shell line's would be built from the file).
            if !is_json && logical.text.contains("<<") {
                let markers = heredoc_markers(&target.rest(self.text), self.df.escape);
                let mut docs = Vec::with_capacity(markers.len());
                for m in markers {
                    let (doc, after, last_end) = self.read_heredoc(next, m);
                    if doc.terminator.is_none() {
                        self.error(
                            doc.marker,
                            format!(
                                "unterminated heredoc: no `{}` line before the end of the file",
                                doc.delimiter
                            ),
                        );
                    }
                    if let Some(e) = last_end {
                        end = e;
                    }
                    next = after;
                    docs.push(doc);
                }
                target.heredocs = docs.into_boxed_slice();
            }
        }
        ins.span = Self::span(start, end);
        if let Body::Onbuild(Some(inner)) = &mut ins.body {
            inner.span = Self::span(inner.span.start as usize, end);
        }
        // The tree lives as long as the file is linted: give back what pushing reserved (a
        // vector of one `KeyValue` reserves four, 700 bytes).
        shrink(&mut ins);
        if let Body::Onbuild(Some(inner)) = &mut ins.body {
            shrink(inner);
        }
        self.df.instructions.push(ins);
        next
    }

    fn read_heredoc(&mut self, mut i: usize, m: Marker) -> (Heredoc, usize, Option<usize>) {
        let text = self.text;
        let mut body = MappedText::default();
        let body_start = i.min(text.len());
        let mut body_end = body_start;
        let mut terminator = None;
        let mut last_end = None;
        while i < text.len() {
            let l = line_at(text, i);
            i = l.next;
            let s = &text[l.start..l.end];
            let cmp = if m.strip_tabs {
                s.trim_start_matches('\t')
            } else {
                s
            };
            if cmp == m.delimiter {
                terminator = Some(Self::span(l.start, l.end));
                last_end = Some(l.end);
                break;
            }
            let strip = if m.strip_tabs { s.len() - cmp.len() } else { 0 };
            // The scanner drops CR before LF, so the body uses LF line breaks; each `\n`
            // maps to the file's own line break (after the CR of a CRLF line).
            let content = &text[l.start + strip..l.end];
            body.push_str(content, (l.start + strip) as u32);
            if l.next > l.end {
                body.push_str("\n", (l.next - 1) as u32);
            }
            body_end = l.end;
            last_end = Some(l.end);
        }
        // The body lives as long as the tree: give back what growing it reserved.
        body.text.shrink_to_fit();
        (
            Heredoc {
                marker: m.span,
                fd: m.fd,
                strip_tabs: m.strip_tabs,
                quoted: m.quoted,
                delimiter: m.delimiter.into(),
                body,
                body_span: Self::span(body_start, body_end.max(body_start)),
                terminator,
            },
            i,
            last_end,
        )
    }

    /// Parses a logical line (keyword, flags, arguments). `start` is the file offset of the
    /// keyword.
    fn parse_instruction(&mut self, logical: &MappedText, start: usize) -> Instruction {
        let escape = self.df.escape;
        let t = &logical.text;
        let kw_start = leading_ws_all(t);
        let kw_end = t[kw_start..]
            .find(|c: char| c.is_whitespace())
            .map_or(t.len(), |e| kw_start + e);
        let keyword_text = &t[kw_start..kw_end];
        let keyword = logical.span(kw_start, kw_end);
        let kind = Kind::from_keyword(keyword_text);
        // A known keyword is its kind's name in some letter case (ASCII, the same length).
        let keyword_case = keyword_text
            .bytes()
            .take(16)
            .enumerate()
            .fold(0u16, |m, (i, b)| {
                m | (u16::from(b.is_ascii_lowercase()) << i)
            });
        let mut ins = Instruction {
            kind,
            span: Self::span(start, start),
            keyword,
            keyword_case,
            unknown_keyword: (kind == Kind::Unknown).then(|| Box::new(keyword_text.to_string())),
            flags: Box::default(),
            rest: None,
            heredocs: Box::default(),
            body: Body::Error,
        };
        if kind == Kind::Unknown {
            let mut msg = format!("unknown instruction `{keyword_text}`");
            if let Some(s) = suggest_keyword(keyword_text) {
                msg.push_str(&format!(" (did you mean `{s}`?)"));
            }
            self.error(keyword, msg);
            return ins;
        }
        // The arguments: everything after the keyword and its whitespace.
        let args_start = kw_end + leading_ws_all(&t[kw_end..]);
        let mut rest_start = args_start;
        // Flags: leading words starting with `--` (ONBUILD's trigger is parsed on its own).
        if kind != Kind::Onbuild {
            let tail = &t[args_start..];
            let mut flags = Vec::new();
            for r in Words::new(tail, escape) {
                let w = &tail[r.clone()];
                if !w.starts_with("--") {
                    break;
                }
                rest_start = args_start + r.end;
                if w == "--" {
                    break;
                }
                let abs = (args_start + r.start)..(args_start + r.end);
                let flag = self.flag(logical, abs);
                flags.push(flag);
            }
            ins.flags = flags.into_boxed_slice();
            rest_start += leading_ws_all(&t[rest_start..]);
            for f in &ins.flags {
                let name = f.name.as_str();
                let boolean = kind.boolean_flags().contains(&name);
                let msg = if !kind.allowed_flags().contains(&name) {
                    format!("unknown flag `--{name}` for {}", kind.as_str())
                } else if let Some(v) = f.value.as_ref().filter(|_| boolean) {
                    if v.value.eq_ignore_ascii_case("true") || v.value.eq_ignore_ascii_case("false")
                    {
                        continue;
                    }
                    format!(
                        "flag `--{name}` expects a boolean (`true` or `false`), not `{}`",
                        v.raw
                    )
                } else if f.value.is_none() && !boolean {
                    format!("flag `--{name}` is missing its value (`--{name}=...`)")
                } else {
                    continue;
                };
                self.df.errors.push(SyntaxError {
                    span: f.span,
                    message: msg,
                });
            }
        }
        let rest = sub_text(logical, rest_start, t.len());
        ins.body = self.body(kind, &ins, &rest, start);
        // A shell-form command holds the same line: keep it once (see `Instruction::rest`).
        // `command` left the line out of the body; it moves there now, without a copy.
        match &mut ins.body {
            Body::Run(Command::Shell(t))
            | Body::Cmd(Command::Shell(t))
            | Body::Entrypoint(Command::Shell(t)) => *t = ShellLine::from_mapped(rest, self.text),
            _ => ins.rest = Some(Box::new(rest)),
        }
        ins
    }

    fn flag(&mut self, logical: &MappedText, r: std::ops::Range<usize>) -> Flag {
        let escape = self.df.escape;
        let w = &logical.text[r.clone()];
        let (name_end, value) = match w.find('=') {
            Some(eq) => (r.start + eq, Some(r.start + eq + 1..r.end)),
            None => (r.end, None),
        };
        Flag {
            name: logical.text[r.start + 2..name_end].to_ascii_lowercase(),
            span: logical.span(r.start, r.end),
            name_span: logical.span(r.start, name_end),
            value: value.map(|v| word_at(logical, v, escape)),
        }
    }

    /// The typed arguments; `rest` is the instruction's line after the keyword and flags.
    fn body(&mut self, kind: Kind, ins: &Instruction, rest: &MappedText, start: usize) -> Body {
        let escape = self.df.escape;
        let empty = rest.text.trim().is_empty();
        let whole = || word_at(rest, 0..rest.text.trim_end().len(), escape);
        let needs_args = |p: &mut Self| {
            p.error(
                ins.keyword,
                format!("{} requires at least one argument", kind.as_str()),
            );
            Body::Error
        };
        match kind {
            Kind::From => {
                let words = mapped_words(rest, escape);
                match words.len() {
                    1 => Body::From(Box::new(From {
                        image: words[0].clone(),
                        alias: None,
                    })),
                    3 if words[1].raw.eq_ignore_ascii_case("as") => Body::From(Box::new(From {
                        image: words[0].clone(),
                        alias: Some((words[1].span, words[2].clone())),
                    })),
                    _ => {
                        let span = if empty {
                            ins.keyword
                        } else {
                            rest.span(0, rest.text.len())
                        };
                        self.error(
                            span,
                            "FROM requires either one or three arguments (`FROM image [AS name]`)",
                        );
                        Body::Error
                    }
                }
            }
            Kind::Run | Kind::Cmd | Kind::Entrypoint | Kind::Shell => {
                if empty && kind == Kind::Shell {
                    return needs_args(self);
                }
                // The shell form's line is `ins.rest`: the caller moves it into the body.
                let cmd = match self.command(rest, false) {
                    Some(c) => c,
                    None => return Body::Error,
                };
                if kind == Kind::Shell && !cmd.is_exec() {
                    self.error(
                        rest.span(0, rest.text.len()),
                        "SHELL requires the arguments to be in JSON form",
                    );
                    return Body::Error;
                }
                match kind {
                    Kind::Run => Body::Run(cmd),
                    Kind::Cmd => Body::Cmd(cmd),
                    Kind::Entrypoint => Body::Entrypoint(cmd),
                    _ => Body::Shell(cmd),
                }
            }
            Kind::Copy | Kind::Add => {
                let (words, json) = match parse_json_array(&rest.text) {
                    JsonForm::Strings(items) => (json_words(rest, items), true),
                    JsonForm::NotStrings => {
                        self.error(
                            rest.span(0, rest.text.len()),
                            "JSON arguments must be strings",
                        );
                        return Body::Error;
                    }
                    JsonForm::NotJson => (copy_words(rest, escape), false),
                };
                if words.is_empty() {
                    return needs_args(self);
                }
                let mut sources = words;
                let dest = sources.pop();
                let heredoc_only =
                    sources.is_empty() && dest.as_ref().is_some_and(|d| d.raw.starts_with("<<"));
                if sources.is_empty() && !heredoc_only && !rest.text.contains("<<") {
                    self.error(
                        rest.span(0, rest.text.len()),
                        format!(
                            "{} requires at least two arguments: a source and a destination",
                            kind.as_str()
                        ),
                    );
                }
                Body::Copy {
                    sources,
                    dest: dest.map(Box::new),
                    json,
                }
            }
            Kind::Env | Kind::Label => {
                if empty {
                    return needs_args(self);
                }
                match self.key_values(rest, kind) {
                    Some(kvs) if kind == Kind::Env => Body::Env(kvs),
                    Some(kvs) => Body::Label(kvs),
                    None => Body::Error,
                }
            }
            Kind::Arg => {
                if empty {
                    return needs_args(self);
                }
                let kvs = split_words(&rest.text, escape)
                    .into_iter()
                    .map(|r| split_kv(rest, r, escape))
                    .collect();
                Body::Arg(kvs)
            }
            Kind::Expose => {
                if empty {
                    return needs_args(self);
                }
                Body::Expose(mapped_words(rest, escape))
            }
            Kind::Volume => {
                if empty {
                    return needs_args(self);
                }
                match parse_json_array(&rest.text) {
                    JsonForm::Strings(items) => Body::Volume(json_words(rest, items)),
                    _ => Body::Volume(mapped_words(rest, escape)),
                }
            }
            Kind::User | Kind::Workdir | Kind::Stopsignal | Kind::Maintainer => {
                if empty {
                    return needs_args(self);
                }
                Body::Value(Box::new(whole()))
            }
            Kind::Healthcheck => {
                let words = split_words(&rest.text, escape);
                let Some(first) = words.first().cloned() else {
                    return needs_args(self);
                };
                let w = &rest.text[first.clone()];
                if w.eq_ignore_ascii_case("none") {
                    if words.len() > 1 {
                        self.error(
                            rest.span(0, rest.text.len()),
                            "HEALTHCHECK NONE takes no arguments",
                        );
                    }
                    Body::Healthcheck(Healthcheck::None(rest.span(first.start, first.end)))
                } else if w.eq_ignore_ascii_case("cmd") {
                    let tail_start = first.end + leading_ws_all(&rest.text[first.end..]);
                    let tail = sub_text(rest, tail_start, rest.text.len());
                    if tail.text.trim().is_empty() {
                        self.error(
                            rest.span(first.start, first.end),
                            "HEALTHCHECK CMD requires a command",
                        );
                        return Body::Error;
                    }
                    match self.command(&tail, true) {
                        Some(c) => Body::Healthcheck(Healthcheck::Cmd(c)),
                        None => Body::Error,
                    }
                } else {
                    self.error(
                        rest.span(first.start, first.end),
                        format!("unknown HEALTHCHECK type `{w}`: expected CMD or NONE"),
                    );
                    Body::Error
                }
            }
            Kind::Onbuild => {
                if empty {
                    return needs_args(self);
                }
                let inner_start = rest.map.to_file(0) as usize;
                let inner = self.parse_instruction(rest, inner_start);
                let mut inner = inner;
                inner.span = Self::span(inner_start, start.max(inner_start));
                Body::Onbuild(Some(Box::new(inner)))
            }
            Kind::Unknown => Body::Error,
        }
    }

    /// Exec form or shell form, as Docker decides. The shell form holds a copy of `rest` when
    /// `copy` is set, an empty line otherwise (for the caller to fill).
    fn command(&mut self, rest: &MappedText, copy: bool) -> Option<Command> {
        match parse_json_array(&rest.text) {
            JsonForm::Strings(items) => Some(Command::Exec {
                args: json_words(rest, items),
                span: rest.span(0, rest.text.trim_end().len()),
            }),
            JsonForm::NotStrings => {
                self.error(
                    rest.span(0, rest.text.len()),
                    "JSON arguments must be strings",
                );
                None
            }
            JsonForm::NotJson if copy => Some(Command::Shell(ShellLine::from_mapped(
                rest.clone(),
                self.text,
            ))),
            JsonForm::NotJson => Some(Command::Shell(ShellLine::default())),
        }
    }

    /// ENV and LABEL: `k=v ...`, or the legacy `k v` form when the first word has no `=`.
    fn key_values(&mut self, rest: &MappedText, kind: Kind) -> Option<Vec<KeyValue>> {
        let escape = self.df.escape;
        let words = split_words(&rest.text, escape);
        let first = words.first()?.clone();
        if !rest.text[first.clone()].contains('=') {
            // Legacy form: the key, then the rest of the line as the value.
            let key = word_at(rest, first.clone(), escape);
            let vstart = first.end + leading_ws_all(&rest.text[first.end..]);
            let vend = rest.text.trim_end().len();
            if vstart >= vend {
                self.error(
                    key.span,
                    format!("{} names `{}` without a value", kind.as_str(), key.value),
                );
                return None;
            }
            let value = word_at(rest, vstart..vend, escape);
            return Some(vec![KeyValue {
                span: key.span.cover(value.span),
                key,
                value: Some(value),
            }]);
        }
        let mut out = Vec::with_capacity(words.len());
        for r in words {
            if !rest.text[r.clone()].contains('=') {
                let w = word_at(rest, r, escape);
                self.error(
                    w.span,
                    format!("syntax error: can't find `=` in `{}`", w.raw),
                );
                continue;
            }
            out.push(split_kv(rest, r, escape));
        }
        Some(out)
    }
}

/// The words of an exec-form array, with their file spans.
fn json_words(rest: &MappedText, items: Vec<(std::ops::Range<usize>, String)>) -> Vec<Word> {
    items
        .into_iter()
        .map(|(r, value)| super::words::json_word(rest, r, value))
        .collect()
}

fn leading_ws_all(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// The shell-form arguments of COPY and ADD. BuildKit splits them at whitespace only (quotes
/// and escapes are read later, one argument at a time), so an odd quote never joins two
/// arguments: when the quote-aware split gives fewer than two words but whitespace gives more,
/// the whitespace split is taken.
fn copy_words(rest: &MappedText, escape: char) -> Vec<Word> {
    let words = mapped_words(rest, escape);
    if words.len() >= 2 {
        return words;
    }
    let t = &rest.text;
    let mut ranges = Vec::new();
    let mut start = None;
    for (i, c) in t.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                ranges.push(s..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    ranges.extend(start.map(|s| s..t.len()));
    if ranges.len() <= words.len() {
        return words;
    }
    ranges
        .into_iter()
        .map(|r| word_at(rest, r, escape))
        .collect()
}

/// A slice of a mapped text, keeping the map (an empty slice still knows where it starts).
fn sub_text(t: &MappedText, start: usize, end: usize) -> MappedText {
    t.slice(start, end.max(start))
}

/// `key=value` at `r` of a mapped text -> a [`KeyValue`] (the value may be empty; `None`
/// when there is no `=`).
fn split_kv(t: &MappedText, r: std::ops::Range<usize>, escape: char) -> KeyValue {
    let w = word_at(t, r.clone(), escape);
    match w.raw.find('=') {
        Some(eq) => KeyValue {
            key: word_at(t, r.start..r.start + eq, escape),
            value: Some(word_at(t, r.start + eq + 1..r.end, escape)),
            span: w.span,
        },
        None => KeyValue {
            span: w.span,
            key: w,
            value: None,
        },
    }
}

/// A heredoc marker found in an instruction's arguments.
struct Marker {
    span: Span,
    fd: Option<u32>,
    strip_tabs: bool,
    quoted: bool,
    delimiter: String,
}

/// Finds `<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF` words (BuildKit's rule: a word matching
/// `^(\d*)<<(-?)\s*([^<]*)$`, not itself quoted).
fn heredoc_markers(rest: &MappedText, escape: char) -> Vec<Marker> {
    let mut out = Vec::new();
    if !rest.text.contains("<<") {
        return out;
    }
    for r in Words::new(&rest.text, escape) {
        let w = &rest.text[r.clone()];
        let digits = w.len() - w.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let Some(after) = w[digits..].strip_prefix("<<") else {
            continue;
        };
        let (strip_tabs, after) = match after.strip_prefix('-') {
            Some(a) => (true, a),
            None => (false, after),
        };
        let after = after.trim_start();
        if after.is_empty() || after.contains('<') {
            continue;
        }
        let quoted = after.contains(['"', '\'']);
        let delimiter = super::words::unquote(after, escape);
        if delimiter.is_empty() {
            continue;
        }
        out.push(Marker {
            span: rest.span(r.start, r.end),
            fd: w[..digits].parse().ok(),
            strip_tabs,
            quoted,
            delimiter,
        });
    }
    out
}

fn suggest_keyword(word: &str) -> Option<&'static str> {
    crate::registry::closest(word, Kind::ALL.map(Kind::as_str))
}
