//! The Dockerfile parser: a lossless, line-based reader that follows BuildKit, and the semantic
//! model (stages, effective USER/WORKDIR/SHELL, ARG/ENV scopes) that rules query.
//!
//! Every node carries a byte [`Span`] into the file. Text that BuildKit joins or unquotes (a
//! logical line across continuations, a quoted word) is kept as [`MappedText`] or [`Word`], so a
//! rule can always point at the exact bytes a finding is about.
//!
//! # Which instructions a rule looks at
//!
//! One choice per kind of rule, so that rules agree:
//!
//! - What a stage's image *is* (its user, labels, healthcheck, what it runs):
//!   [`Dockerfile::stage_instructions`], ONBUILD triggers not expanded (they run in a later
//!   build, not in this image), and [`Model::ancestry`] for what a stage inherits.
//! - How an instruction is *written* (shell form, secrets in ENV, package pinning): the triggers
//!   too, [`Dockerfile::iter_with_onbuild`] or [`Dockerfile::stage_instructions_with_onbuild`],
//!   as hadolint applies its rules to `ONBUILD RUN`.
//! - The shell of a RUN: a rule's per-RUN hook ([`Check::Run`](crate::rule::Check::Run),
//!   [`Check::Runs`](crate::rule::Check::Runs)) gets each RUN and ONBUILD RUN whose script
//!   parsed, as a [`ParsedRun`] with its package-manager facts; the engine builds one RUN's
//!   model at a time and drops it after the hooks ran. Other readers build a model on demand
//!   ([`Dockerfile::run_model`], [`Dockerfile::run_models`]). A RUN whose script does not
//!   parse is DF003's alone; a RUN under a non-POSIX shell has no model.
//!
//! # Values
//!
//! [`Model::var_at`] gives the ARG or ENV visible at an instruction, [`Model::expand_at`]
//! expands a word there as BuildKit would, and [`Stage::reference`] is the image a FROM pulls,
//! resolved through the global ARG defaults. A rule never reads a raw image string.

mod image;
mod json;
mod model;
mod parser;
mod run_cache;
pub(crate) mod scripts;
mod words;

pub use image::ImageRef;
pub use json::{JsonError, json_array_error, repair_json_array};
pub use model::{AUTOMATIC_ARGS, Base, Model, PerInstruction, Stage, StageState, Var, VarKind};
pub use parser::{parse, parse_shared};
pub use run_cache::RunCache;
pub use scripts::{Interpreter, RunModel, RunScript};
pub use words::{Expansion, VarValue, expand, has_fallback, referenced_vars, split_words, unquote};

use std::borrow::Cow;

use crate::source::{MappedText, OffsetMap, Span};

/// A parsed Dockerfile.
#[derive(Debug, Default)]
pub struct Dockerfile {
    /// The text holds template placeholders (`{{ }}`, `{% %}`): it is not a Dockerfile until
    /// rendered, so its syntax errors and unparsable RUNs are judged accordingly.
    pub template: bool,
    /// Parser directives from the top of the file (`# syntax=`, `# escape=`, `# check=`).
    pub directives: Vec<Directive>,
    /// The escape character: `\` unless `# escape=`` ` `` says otherwise.
    pub escape: char,
    pub instructions: Vec<Instruction>,
    /// Every comment line outside heredoc bodies, in file order.
    pub comments: Vec<Comment>,
    /// Whitespace-only lines inside a continued instruction (BuildKit warns about them).
    pub empty_continuation_lines: Vec<Span>,
    /// Lines that hold only the escape character (and what they continue into: blank lines,
    /// comments) and so form no instruction. BuildKit ignores them; they are kept so that
    /// the tree still covers every byte of the file.
    pub escape_only_lines: Vec<Span>,
    /// Syntax errors: each becomes a DF000 diagnostic.
    pub errors: Vec<SyntaxError>,
    /// Stages and per-instruction state; built once after parsing.
    pub model: Model,
    /// Where the RUN models of this parse are kept across parses of the same document, when
    /// the caller asked for it ([`Dockerfile::use_run_cache`]).
    run_cache: Option<std::sync::Arc<RunCache>>,
    /// Whether each stage's base is a Windows image, judged on first use
    /// ([`Dockerfile::windows_base_at`]).
    windows_stages: std::sync::OnceLock<Vec<bool>>,
    /// The text the tree was parsed from (shared with the caller's [`SourceFile`]
    /// (crate::source::SourceFile) by [`parse_shared`]): shell lines are read from it.
    source: std::sync::Arc<str>,
}

impl Dockerfile {
    /// The text the tree was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The directive with this (lowercase) name.
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }

    /// Instructions in file order, with ONBUILD triggers *not* expanded.
    pub fn iter(&self) -> impl Iterator<Item = &Instruction> {
        self.instructions.iter()
    }

    /// Instructions with ONBUILD triggers included right after their ONBUILD (for rules that
    /// hadolint also applies to `ONBUILD RUN ...`).
    pub fn iter_with_onbuild(&self) -> impl Iterator<Item = &Instruction> {
        self.instructions
            .iter()
            .flat_map(|i| std::iter::once(i).chain(i.trigger()))
    }

    /// All RUN instructions (and ONBUILD RUN triggers) with their index in `instructions`.
    pub fn runs(&self) -> impl Iterator<Item = (usize, &Instruction)> {
        self.instructions.iter().enumerate().flat_map(|(idx, i)| {
            std::iter::once(i)
                .chain(i.trigger())
                .filter(|i| i.kind == Kind::Run)
                .map(move |i| (idx, i))
        })
    }
}

/// A RUN whose shell parsed, as the shell rules read it: given to a rule's per-RUN hook
/// ([`Check::Run`](crate::rule::Check::Run)), or [`RunModel::parsed`] of a model built on
/// demand.
#[derive(Debug, Clone, Copy)]
pub struct ParsedRun<'a> {
    /// The index of the RUN (of the ONBUILD, for a trigger) in `instructions`.
    pub index: usize,
    pub ins: &'a Instruction,
    /// The RUN line's script, then its heredoc scripts, in the order they run.
    pub scripts: &'a [crate::shell::Script],
    /// The package-manager facts of the RUN, computed with its shell model.
    pub packages: &'a crate::shell::packages::Packages,
    /// What runs each of `scripts` (see [`Dockerfile::script_shell`]).
    pub interpreters: &'a [Interpreter],
}

impl<'a> ParsedRun<'a> {
    /// The RUN is an ONBUILD trigger (`ins` is not `df.instructions[index]` itself).
    pub fn is_trigger(&self, df: &Dockerfile) -> bool {
        !df.instructions
            .get(self.index)
            .is_some_and(|i| std::ptr::eq(i, self.ins))
    }

    /// Every simple command, across the RUN's scripts, in the order they run.
    pub fn commands(&self) -> impl Iterator<Item = &'a crate::shell::Command> + 'a {
        self.scripts.iter().flat_map(|s| s.commands.iter())
    }

    /// The simple command at an [`Order`](crate::shell::packages::Order) (as written, before
    /// `sudo`/`env` are looked through).
    pub fn command_at(
        &self,
        order: crate::shell::packages::Order,
    ) -> Option<&'a crate::shell::Command> {
        self.scripts.get(order.0)?.commands.get(order.1)
    }
}

/// A parser directive such as `# syntax=docker/dockerfile:1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lowercased key.
    pub name: String,
    pub value: String,
    /// The whole comment line.
    pub span: Span,
    pub value_span: Span,
}

/// A comment line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The line from `#` to the end of line, excluding the line break.
    pub span: Span,
    /// The text after `#`, trimmed.
    pub text: String,
    /// True when the comment sits inside a continued instruction.
    pub in_continuation: bool,
}

/// A syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

/// The 18 instructions, plus what an unknown keyword parses to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

impl Kind {
    pub const ALL: [Kind; 18] = [
        Kind::Add,
        Kind::Arg,
        Kind::Cmd,
        Kind::Copy,
        Kind::Entrypoint,
        Kind::Env,
        Kind::Expose,
        Kind::From,
        Kind::Healthcheck,
        Kind::Label,
        Kind::Maintainer,
        Kind::Onbuild,
        Kind::Run,
        Kind::Shell,
        Kind::Stopsignal,
        Kind::User,
        Kind::Volume,
        Kind::Workdir,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Add => "ADD",
            Kind::Arg => "ARG",
            Kind::Cmd => "CMD",
            Kind::Copy => "COPY",
            Kind::Entrypoint => "ENTRYPOINT",
            Kind::Env => "ENV",
            Kind::Expose => "EXPOSE",
            Kind::From => "FROM",
            Kind::Healthcheck => "HEALTHCHECK",
            Kind::Label => "LABEL",
            Kind::Maintainer => "MAINTAINER",
            Kind::Onbuild => "ONBUILD",
            Kind::Run => "RUN",
            Kind::Shell => "SHELL",
            Kind::Stopsignal => "STOPSIGNAL",
            Kind::User => "USER",
            Kind::Volume => "VOLUME",
            Kind::Workdir => "WORKDIR",
            Kind::Unknown => "",
        }
    }

    /// The instruction a keyword names, in any letter case.
    pub fn from_keyword(word: &str) -> Kind {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word))
            .unwrap_or(Kind::Unknown)
    }

    /// The flags BuildKit's stable frontend accepts on this instruction.
    pub fn allowed_flags(self) -> &'static [&'static str] {
        match self {
            Kind::From => &["platform"],
            Kind::Run => &["mount", "network", "security", "device"],
            Kind::Copy => &["from", "chown", "chmod", "link", "parents", "exclude"],
            Kind::Add => &[
                "chown",
                "chmod",
                "checksum",
                "link",
                "keep-git-dir",
                "unpack",
                "exclude",
            ],
            Kind::Healthcheck => &[
                "interval",
                "timeout",
                "start-period",
                "start-interval",
                "retries",
            ],
            _ => &[],
        }
    }

    /// The flags of [`Self::allowed_flags`] that are booleans: bare (`--link`) or
    /// `=true`/`=false`. Every other flag needs `=value`.
    pub fn boolean_flags(self) -> &'static [&'static str] {
        match self {
            Kind::Copy => &["link", "parents"],
            Kind::Add => &["link", "keep-git-dir", "unpack"],
            _ => &[],
        }
    }
}

/// One instruction, possibly spanning several physical lines and heredoc bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    pub kind: Kind,
    /// From the keyword to the end of the last line (or heredoc terminator), without the final
    /// line break.
    pub span: Span,
    pub keyword: Span,
    /// Which letters of the keyword are written in lowercase (bit `i` for letter `i`): with
    /// `kind`, the keyword as written, in 2 bytes instead of a 24-byte string per
    /// instruction. Read it with [`Instruction::keyword_text`].
    keyword_case: u16,
    /// The keyword as written, for an unknown instruction only (a thin box: they are rare).
    #[allow(clippy::box_collection)]
    unknown_keyword: Option<Box<String>>,
    /// Boxed slices rather than vectors (no spare capacity, one word less): the tree of a
    /// large file holds one per instruction.
    pub flags: Box<[Flag]>,
    /// Everything after the keyword and the flags, as one logical line: read it with
    /// [`Instruction::rest`]. Empty when the body holds that same line as a shell-form
    /// command (RUN, CMD, ENTRYPOINT), so that the line is kept once. Boxed, and `None` when
    /// empty: most instructions of a RUN-heavy file are such RUNs.
    rest: Option<Box<MappedText>>,
    pub heredocs: Box<[Heredoc]>,
    pub body: Body,
}

impl Instruction {
    /// Everything after the keyword and the flags, as one logical line (continuations and
    /// comment lines removed), mapped back to the file. `file` is the text of the file the
    /// instruction was parsed from: a shell-form command's line is read from it.
    pub fn rest<'a>(&'a self, file: &str) -> Cow<'a, MappedText> {
        match &self.body {
            Body::Run(Command::Shell(t))
            | Body::Cmd(Command::Shell(t))
            | Body::Entrypoint(Command::Shell(t)) => Cow::Owned(t.mapped(file)),
            _ => Cow::Borrowed(self.rest.as_deref().unwrap_or(&NO_TEXT)),
        }
    }

    /// The keyword as written (for casing checks and unknown instructions), continuations
    /// removed.
    pub fn keyword_text(&self) -> compact_str::CompactString {
        if let Some(k) = &self.unknown_keyword {
            return k.as_str().into();
        }
        let case = self.keyword_case;
        self.kind
            .as_str()
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if case >> i & 1 == 1 {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect()
    }

    /// The keyword is written without an uppercase letter (`run`), read from the case bits
    /// without building its text.
    pub fn keyword_is_lowercase(&self) -> bool {
        match &self.unknown_keyword {
            Some(k) => !k.bytes().any(|b| b.is_ascii_uppercase()),
            None => {
                let letters = self.kind.as_str().len().min(16);
                let all = (1u32 << letters) - 1;
                u32::from(self.keyword_case) & all == all
            }
        }
    }

    /// The keyword is written without a lowercase letter (`RUN`).
    pub fn keyword_is_uppercase(&self) -> bool {
        match &self.unknown_keyword {
            Some(k) => !k.bytes().any(|b| b.is_ascii_lowercase()),
            None => self.keyword_case == 0,
        }
    }

    /// The trigger of an ONBUILD (`RUN x` in `ONBUILD RUN x`).
    pub fn trigger(&self) -> Option<&Instruction> {
        match &self.body {
            Body::Onbuild(Some(inner)) => Some(inner),
            _ => None,
        }
    }

    /// The first flag with this name (`--from`, without dashes).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// The value of the first flag with this name.
    pub fn flag_value(&self, name: &str) -> Option<&str> {
        self.flag(name)
            .and_then(|f| f.value.as_ref())
            .map(|w| w.value.as_str())
    }

    /// The `--mount` flags of a RUN, parsed.
    pub fn mounts(&self) -> impl Iterator<Item = Mount> + '_ {
        self.flags
            .iter()
            .filter(|f| f.name == "mount")
            .filter_map(|f| f.value.as_ref())
            .map(Mount::parse)
    }

    /// The command of RUN/CMD/ENTRYPOINT/SHELL and `HEALTHCHECK CMD`.
    pub fn command(&self) -> Option<&Command> {
        match &self.body {
            Body::Run(c) | Body::Cmd(c) | Body::Entrypoint(c) | Body::Shell(c) => Some(c),
            Body::Healthcheck(Healthcheck::Cmd(c)) => Some(c),
            _ => None,
        }
    }

    /// The span of the first line of the instruction (keyword to end of that line).
    pub fn first_line_span(&self, text: &str) -> Span {
        let start = self.span.start as usize;
        let end = text[start..]
            .find('\n')
            .map(|i| start + i)
            .unwrap_or(text.len())
            .min(self.span.end as usize);
        let end = if text[..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        Span::from_range(start..end)
    }
}

/// The `rest` of an instruction that keeps none.
static NO_TEXT: MappedText = MappedText {
    text: String::new(),
    map: OffsetMap::new(),
};

/// A flag such as `--from=build` or `--link`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The name without leading dashes.
    pub name: String,
    /// The whole flag word.
    pub span: Span,
    pub name_span: Span,
    /// The value after `=`, unquoted; `None` for a bare boolean flag.
    pub value: Option<Word>,
}

/// A word of an instruction: its exact place in the file and its value with quotes and
/// escapes removed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    pub span: Span,
    /// The text as written (quotes and escapes kept, continuations removed).
    pub raw: compact_str::CompactString,
    /// The text with quotes and escapes removed; variables are not expanded.
    pub value: compact_str::CompactString,
    /// Where each byte of `value` sits in the file: ask [`Word::sub_span`] for the span of a
    /// part of the value (a tag, a `--mount` key), never add offsets to `span.start`.
    pub map: OffsetMap,
}

/// A RUN/CMD/ENTRYPOINT/SHELL command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// JSON exec form: `["a", "b"]`, decoded.
    Exec { args: Vec<Word>, span: Span },
    /// Shell form: the logical line, handed to the shell.
    Shell(ShellLine),
}

/// The logical line of a shell-form command: where its pieces lie in the file, without a copy
/// of their text. A RUN-heavy file is mostly such lines, and the copy (the file's bytes with
/// continuations and comment lines left out) was the largest part of its tree (issue 6), so
/// the text is read from the file when asked for: [`ShellLine::text`], borrowed when the line
/// is one piece of the file, and [`ShellLine::mapped`] for the shell parser.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShellLine {
    map: OffsetMap,
    len: u32,
}

impl ShellLine {
    /// Keeps the map of a logical line built from slices of the file (`push_str` of file
    /// text only), and drops its text.
    pub(crate) fn from_mapped(line: MappedText, file: &str) -> ShellLine {
        let shell = ShellLine {
            len: line.text.len() as u32,
            map: line.map,
        };
        debug_assert_eq!(
            shell.text(file),
            line.text,
            "a shell line not read from the file"
        );
        shell
    }

    /// The length of the line's text in bytes.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The pieces of the line, in order, as slices of `file`.
    fn pieces<'f>(&self, file: &'f str) -> impl Iterator<Item = &'f str> {
        self.map
            .pieces_with_ends(self.len)
            .map(move |(d0, d1, f)| file.get(f as usize..(f + d1 - d0) as usize).unwrap_or(""))
    }

    /// The line's text, read from `file` (the text of the file it was parsed from).
    pub fn text<'f>(&self, file: &'f str) -> Cow<'f, str> {
        let mut pieces = self.pieces(file);
        let Some(first) = pieces.next() else {
            return Cow::Borrowed("");
        };
        let Some(second) = pieces.next() else {
            return Cow::Borrowed(first);
        };
        let mut out = String::with_capacity(self.len());
        out.push_str(first);
        out.push_str(second);
        pieces.for_each(|p| out.push_str(p));
        Cow::Owned(out)
    }

    /// Whether the first character of the line after any whitespace is `c` (read without
    /// copying the line).
    pub fn starts_with(&self, c: char, file: &str) -> bool {
        self.pieces(file)
            .flat_map(str::chars)
            .find(|ch| !ch.is_whitespace())
            == Some(c)
    }

    /// The line with its text, as the shell parser reads it.
    pub fn mapped(&self, file: &str) -> MappedText {
        MappedText {
            text: self.text(file).into_owned(),
            map: self.map.clone(),
        }
    }

    /// The file span of a range of the line's text.
    pub fn span(&self, start: usize, end: usize) -> Span {
        self.map.span(start as u32, end as u32)
    }
}

impl Command {
    pub fn is_exec(&self) -> bool {
        matches!(self, Command::Exec { .. })
    }
}

/// A key-value pair of ENV, LABEL or ARG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: Word,
    /// `None` for `ARG NAME` without a default.
    pub value: Option<Word>,
    /// The whole `key=value` (or legacy `key value`) text.
    pub span: Span,
}

/// A heredoc attached to RUN, COPY or ADD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The `<<EOF` word in the instruction line.
    pub marker: Span,
    /// File descriptor before `<<` (`3<<EOF`).
    pub fd: Option<u32>,
    /// `<<-`: leading tabs are stripped from body lines.
    pub strip_tabs: bool,
    /// The delimiter was quoted: no expansion in the body.
    pub quoted: bool,
    /// Inline up to 24 bytes (no allocation for `EOF` and the like).
    pub delimiter: compact_str::CompactString,
    /// The body lines (tabs stripped with `<<-`), with their line breaks.
    pub body: MappedText,
    /// The raw body in the file (from the first body line to the end of the last one).
    pub body_span: Span,
    /// The terminator line; `None` when the file ended first.
    pub terminator: Option<Span>,
}

/// FROM's parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct From {
    pub image: Word,
    /// The `AS` keyword and the stage name.
    pub alias: Option<(Span, Word)>,
}

/// HEALTHCHECK's two forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Healthcheck {
    None(Span),
    Cmd(Command),
}

/// The typed arguments of an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Boxed: the largest variant, and a file has few FROMs.
    From(Box<From>),
    Run(Command),
    Cmd(Command),
    Entrypoint(Command),
    Shell(Command),
    /// COPY/ADD: the sources and the destination (the last argument), boxed so that the
    /// body stays small (a file has fewer COPYs than instructions).
    Copy {
        sources: Vec<Word>,
        dest: Option<Box<Word>>,
        json: bool,
    },
    Env(Vec<KeyValue>),
    Label(Vec<KeyValue>),
    Arg(Vec<KeyValue>),
    Expose(Vec<Word>),
    Volume(Vec<Word>),
    /// USER, WORKDIR, STOPSIGNAL, MAINTAINER: one value (the rest of the line); boxed, as
    /// `Copy`'s destination.
    Value(Box<Word>),
    Healthcheck(Healthcheck),
    /// ONBUILD with its trigger (None when the trigger is missing or broken).
    Onbuild(Option<Box<Instruction>>),
    /// Unknown instruction or arguments that could not be read.
    Error,
}

/// One `--mount=type=cache,target=/x` flag, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub span: Span,
    /// The parts in order; a bare key (`ro`) has an empty value.
    pub parts: Vec<MountPart>,
}

/// One `key=value` part of a `--mount`, with its exact spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountPart {
    /// Lower-cased.
    pub key: String,
    /// Surrounding `"` removed; variables not expanded.
    pub value: String,
    /// The whole part.
    pub span: Span,
    pub key_span: Span,
    /// The value without its quotes (empty at the end of the key for a bare key).
    pub value_span: Span,
}

impl Mount {
    fn parse(word: &Word) -> Mount {
        let parts = word
            .split_value(',')
            .filter(|(_, p)| !p.trim().is_empty())
            .map(|(r, p)| {
                let lead = p.len() - p.trim_start().len();
                let p = p.trim();
                let start = r.start + lead;
                let (key, value_at, value) = match p.split_once('=') {
                    Some((k, v)) => {
                        let v_lead = v.len() - v.trim_start().len();
                        let raw_v = v.trim();
                        let unq = raw_v.trim_matches('"');
                        let q = raw_v.find(unq).unwrap_or(0);
                        (k.trim_end(), start + k.len() + 1 + v_lead + q, unq)
                    }
                    None => (p, start + p.len(), ""),
                };
                MountPart {
                    key: key.to_ascii_lowercase(),
                    value: value.to_string(),
                    span: word.sub_span(start, start + p.len()),
                    key_span: word.sub_span(start, start + key.len()),
                    value_span: word.sub_span(value_at, value_at + value.len()),
                }
            })
            .collect();
        Mount {
            span: word.span,
            parts,
        }
    }

    /// The part with this key; `source`/`src`, `target`/`dst`/`destination` are synonyms.
    pub fn part(&self, key: &str) -> Option<&MountPart> {
        let synonyms: &[&str] = match key {
            "target" | "dst" | "destination" => &["target", "dst", "destination"],
            "source" | "src" => &["source", "src"],
            _ => std::slice::from_ref(&key),
        };
        self.parts
            .iter()
            .find(|p| synonyms.contains(&p.key.as_str()))
    }

    /// The value of a key (see [`Mount::part`] for synonyms).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.part(key).map(|p| p.value.as_str())
    }

    /// The mount type (`bind` when not given).
    pub fn kind(&self) -> &str {
        self.get("type").unwrap_or("bind")
    }
}

#[cfg(test)]
mod rest_tests {
    use super::*;

    #[test]
    fn a_shell_form_line_is_kept_once_and_rest_still_reads_it() {
        let text = "FROM a\nRUN echo \\\n  x\nCMD run it\nCOPY a b\nRUN [\"x\"]\n";
        let df = parse(text);
        let texts: Vec<String> = df.iter().map(|i| i.rest(text).text.clone()).collect();
        assert_eq!(texts, ["a", "echo   x", "run it", "a b", "[\"x\"]"]);
        // The shell-form RUN and CMD hold their line in the body only, as a map.
        assert!(df.instructions[1].rest.is_none());
        assert!(df.instructions[2].rest.is_none());
        assert_eq!(df.instructions[3].rest(text).text, "a b");
        let run = &df.instructions[1];
        assert_eq!(run.rest(text).span(0, 4).text(text), "echo");
        let Some(Command::Shell(line)) = run.command() else {
            panic!("not shell form")
        };
        // Two pieces of the file: rebuilt; one piece: borrowed from the file.
        assert!(matches!(line.text(text), Cow::Owned(t) if t == "echo   x"));
        let Some(Command::Shell(cmd)) = df.instructions[2].command() else {
            panic!("not shell form")
        };
        assert!(matches!(cmd.text(text), Cow::Borrowed("run it")));
        assert_eq!(cmd.span(4, 6).text(text), "it");
        assert!(cmd.starts_with('r', text) && !cmd.starts_with('[', text));
        // The first character may sit in a later piece, after blanks (DF009 asks this).
        let other = "FROM a\nRUN \\\n  [\"x\" y\n";
        let df = parse(other);
        let Some(Command::Shell(late)) = df.instructions[1].command() else {
            panic!("not shell form")
        };
        assert!(late.starts_with('[', other));
    }
}
#[cfg(test)]
mod keyword_tests {
    #[test]
    fn the_keyword_reads_as_written() {
        let df = super::parse(
            "FrOm a\nrun x\nONBUILD copy a b\nHEALTHCHECK NONE\nR\\\nun y\nlongUnknownKeyword_é z\n",
        );
        let kws: Vec<_> = df.iter_with_onbuild().map(|i| i.keyword_text()).collect();
        assert_eq!(
            kws,
            [
                "FrOm",
                "run",
                "ONBUILD",
                "copy",
                "HEALTHCHECK",
                "Run",
                "longUnknownKeyword_é"
            ]
        );
        // The case tests agree with the text.
        for i in df.iter_with_onbuild() {
            let text = i.keyword_text();
            assert_eq!(
                i.keyword_is_lowercase(),
                text == text.to_lowercase(),
                "{text}"
            );
            assert_eq!(
                i.keyword_is_uppercase(),
                text == text.to_uppercase(),
                "{text}"
            );
        }
        let lower = super::parse("healthcheck NONE\nstopsignal 9\n");
        assert!(lower.iter().all(|i| i.keyword_is_lowercase()));
    }
}

#[cfg(test)]
mod size_tests {
    /// The tree of a large file holds one of these per instruction and word: a field that
    /// makes them grow costs memory on every file (issue 6), so growth must be deliberate.
    #[test]
    fn tree_nodes_stay_small() {
        use std::mem::size_of;
        assert!(size_of::<crate::source::OffsetMap>() <= 16);
        assert!(size_of::<crate::source::MappedText>() <= 40);
        assert!(size_of::<super::Word>() <= 72);
        assert!(size_of::<super::ShellLine>() <= 24);
        assert!(size_of::<super::KeyValue>() <= 152);
        assert!(size_of::<super::Body>() <= 48);
        assert!(size_of::<super::Heredoc>() <= 104);
        assert!(size_of::<super::Instruction>() <= 120);
    }
}
