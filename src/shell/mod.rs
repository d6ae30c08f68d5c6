//! The shell model of a RUN: every simple command with its words, flags, pipes and exact spans.
//!
//! [`parse`] reads the shell text of a RUN (or of a heredoc script) with `brush-parser` and
//! flattens it into a [`Script`]: the list of all simple commands found anywhere in it (lists,
//! pipelines, subshells, groups, `if`/`for`/`while`/`until`/`case` conditions and bodies, function
//! bodies, and `$(...)`/backtick substitutions, parsed recursively), in source order, each once.
//! brush's syntax tree stays inside this module; rules only see the types below.
//!
//! # Command names
//!
//! The name is the literal first word, as hadolint (through ShellCheck) reads it: a path such as
//! `/usr/bin/apt-get` stays as written, and a name with an expansion (`$PM install`) matches no
//! literal. The wrappers `command`, `builtin`, `exec`, `busybox` and `run` are looked through (and
//! repeatedly, so `exec command apt-get` gives `apt-get`); the skipped words are kept in
//! [`Command::wrappers`]. `command -v x` is not unwrapped, since its first argument is a flag.
//!
//! `sudo` is deliberately **not** looked through, as in hadolint: `sudo apt-get install x` is a
//! `sudo` command (DL3004's concern), not an `apt-get` one. A rule that wants the command sudo runs
//! asks for it with [`Command::unwrap_sudo`].
//!
//! # Flags
//!
//! Flags are purely syntactic (hadolint's rules): `--name=value` and `--name` give the flag
//! `name`; `-abc` gives `a`, `b` and `c`; `-` and `--` are not flags, and every word after a bare
//! `--` is an argument. Which flags take a value is not known here: a rule names them when it asks
//! for [`Command::flag_value`] or [`Command::args_without_flags_and_values`].
//!
//! # Limitations
//!
//! - brush's tokenizer ends an unquoted `$(case x in a) ...; esac)` at the bare pattern's `)`, so
//!   that (valid) script is a parse error; the `(a)` pattern form and the double-quoted form work.
//! - Substitutions in the header of an arithmetic `for ((...))` are not looked into; those in
//!   `(( ))`, `$(( ))`, `${...}`, `[[ ]]`, `for`/`case` words, redirections and unquoted
//!   here-document bodies are.
//! - A substitution whose content does not parse leaves the script valid; its span is listed in
//!   [`Script::unparsed`].
//! - Inputs that would break brush (an fd number that overflows) are refused with an error
//!   rather than parsed. brush's tokenizer loops forever when a text ends while it waits for
//!   the line after a here-document with an empty delimiter (`<<"" # x`), so a text holding
//!   `<<` is given to it with a final line break, which always moves it on.
//! - brush decides whether a word such as `a[index]=v` is an assignment by parsing its index
//!   with a grammar whose time multiplies with every bracket once it fails inside (found by
//!   fuzzing). A word with more than two brackets after its `[` is decided by a linear bracket
//!   match instead (`array_index.rs`); the model reads the word from the script either way.
//! - A script nested more than 64 levels deep (compound commands, `( )`, `{ }`, `[[ ]]`
//!   operators, `$(`, `${`, `$((`, substitutions inside substitutions) is refused with a
//!   [`ShellErrorKind::TooDeep`] error: brush and our walk of its tree recurse once per level,
//!   and a stack overflow aborts the process. The depth is measured beforehand without
//!   recursion (see `depth.rs`), erring upwards: a closer only closes the construct it belongs
//!   to, so arguments such as `echo }` or a `case` pattern's `)` do not hide nesting.
//! - More than 6 `case` commands inside each other are refused the same way: brush reads a
//!   branch's commands a second time when the first reading fails, so its time doubles with
//!   each nested `case` once anything inside fails (found by fuzzing).
//!
//! Differences from hadolint, on purpose: each command appears once (hadolint lists each twice);
//! a wrapped command's arguments start after the real name (hadolint keeps the real name among
//! them); the end-of-options marker `--` is not returned as an argument.

mod array_index;
mod depth;
mod fast;
pub mod packages;
mod parse;
mod scan;
pub mod tools;

use std::fmt;

use compact_str::CompactString;

use crate::source::{MappedText, Span};

pub use parse::parse;

/// A parse failure: a message in our own words and the file span it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellError {
    /// What went wrong, e.g. "unterminated single quote".
    pub message: String,
    /// Where: the offending token when known, else the whole shell text.
    pub span: Span,
    /// Whether the script is wrong, or only beyond what wharf analyses.
    pub kind: ShellErrorKind,
}

/// What kind of failure a [`ShellError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShellErrorKind {
    /// The script does not parse.
    Syntax,
    /// The script nests compound commands or substitutions deeper than wharf analyses.
    TooDeep,
}

impl fmt::Display for ShellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ShellError {}

/// One shell word, with quotes removed and its exact place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The value with quotes and escapes removed; expansions are kept as written
    /// (`"$HOME/x"` gives `$HOME/x`, `${V:-a}` stays `${V:-a}`, `$(cmd)` stays `$(cmd)`).
    pub text: CompactString,
    /// The word exactly as written, when it differs from `text` (see [`Word::raw`]); most
    /// words are written as they read, and keeping one copy halves their size.
    raw: Option<CompactString>,
    /// The file span of the whole word.
    pub span: Span,
    /// The word holds a parameter, arithmetic or command expansion (tilde, glob and brace
    /// patterns are not counted).
    pub has_expansion: bool,
    /// The word holds a quoted part or a backslash escape.
    pub quoted: bool,
}

impl Word {
    /// A word with its value `text`, its source `raw` (stored only when it differs), its file
    /// span and what it holds.
    pub fn new(
        text: CompactString,
        raw: &str,
        span: Span,
        has_expansion: bool,
        quoted: bool,
    ) -> Word {
        let raw = (raw != text).then(|| CompactString::from(raw));
        Word {
            text,
            raw,
            span,
            has_expansion,
            quoted,
        }
    }

    /// The word exactly as written in the shell text (quotes and escapes kept).
    pub fn raw(&self) -> &str {
        self.raw.as_deref().unwrap_or(&self.text)
    }

    /// The text when the word is a literal (holds no expansion).
    pub fn literal(&self) -> Option<&str> {
        (!self.has_expansion).then_some(self.text.as_str())
    }

    /// For an assignment word `NAME=value` (or `NAME+=value`), the name and the value text.
    pub fn as_assignment(&self) -> Option<(&str, &str)> {
        let eq = self.text.find('=')?;
        let name = self.text[..eq]
            .strip_suffix('+')
            .unwrap_or(&self.text[..eq]);
        let valid = name
            .bytes()
            .enumerate()
            .all(|(i, c)| c == b'_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()));
        (valid && !name.is_empty()).then(|| (name, &self.text[eq + 1..]))
    }
}

/// An I/O redirection of a simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The explicit file descriptor (`2` in `2>&1`).
    pub fd: Option<i32>,
    /// The operator: `<`, `>`, `>>`, `<>`, `>|`, `<&`, `>&`, `&>`, `&>>`, `<<`, `<<-` or `<<<`.
    pub operator: &'static str,
    /// The target: a file name, a duplicated descriptor, a here-string, or a here-document's
    /// delimiter. None for a process substitution target or a bare descriptor number.
    pub target: Option<Word>,
}

/// One simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The effective command name, after looking through `command`/`builtin`/`exec`/`busybox`/
    /// `run`. None when the command is only assignments and redirections.
    pub name: Option<Word>,
    /// The wrapper words skipped before the name (`exec`, `-a`, `x` in `exec -a x nginx`).
    pub wrappers: Vec<Word>,
    /// The words after the name.
    pub args: Vec<Word>,
    /// The `NAME=value` words before the command name.
    pub assignments: Vec<Word>,
    /// The redirections, wherever they were written.
    pub redirects: Vec<Redirect>,
    /// The file span of the whole command (from its first word or redirection to its last).
    pub span: Span,
    /// The command runs in a subshell environment: inside `( )`, `$( )`, backticks or a process
    /// substitution, so it cannot change the state (directory, variables) of the commands after
    /// the subshell. (Pipeline stages are not counted.)
    pub in_subshell: bool,
}

/// A flag token: its name(s) and the word it came from.
enum FlagWord<'a> {
    /// `--name` or `--name=value`.
    Long(&'a str, Option<&'a str>),
    /// `-abc`: each byte a flag name.
    Short(&'a str),
}

fn classify(text: &str) -> Option<FlagWord<'_>> {
    if let Some(long) = text.strip_prefix("--") {
        if long.is_empty() {
            return None;
        }
        return Some(match long.split_once('=') {
            Some((name, value)) => FlagWord::Long(name, Some(value)),
            None => FlagWord::Long(long, None),
        });
    }
    let short = text.strip_prefix('-')?;
    (!short.is_empty()).then_some(FlagWord::Short(short))
}

impl Command {
    /// The literal effective name (None when there is no name, or when it holds an expansion).
    pub fn name_str(&self) -> Option<&str> {
        self.name.as_ref().and_then(Word::literal)
    }

    /// The first word as written: the first wrapper if any (`exec`), else the name.
    pub fn original_name(&self) -> Option<&Word> {
        self.wrappers.first().or(self.name.as_ref())
    }

    /// The name is one of `names`.
    pub fn name_is(&self, names: &[&str]) -> bool {
        self.name_str().is_some_and(|n| names.contains(&n))
    }

    /// The name is `name` and `sub` is among [`Self::args_without_flags`]:
    /// `cmd.is("apt-get", "install")`.
    pub fn is(&self, name: &str, sub: &str) -> bool {
        self.name_str() == Some(name) && self.has_arg(sub)
    }

    /// The name is `name` and one of `subs` is among [`Self::args_without_flags`].
    pub fn is_any(&self, name: &str, subs: &[&str]) -> bool {
        self.name_str() == Some(name)
            && self
                .args_without_flags()
                .any(|a| subs.contains(&a.text.as_str()))
    }

    /// `arg` is among [`Self::args_without_flags`].
    pub fn has_arg(&self, arg: &str) -> bool {
        self.args_without_flags().any(|a| a.text == arg)
    }

    /// The first argument that is not a flag (the subcommand of `npm install x`).
    pub fn subcommand(&self) -> Option<&Word> {
        self.args_without_flags().next()
    }

    /// The index in [`Self::args`] of the first argument whose text is `arg`.
    pub fn arg_position(&self, arg: &str) -> Option<usize> {
        self.args.iter().position(|a| a.text == arg)
    }

    /// Each argument with its flag reading: None for an operand, Some for a flag token.
    fn classified(&self) -> impl Iterator<Item = (&Word, Option<FlagWord<'_>>)> {
        let mut after_dashdash = false;
        self.args.iter().map(move |w| {
            if after_dashdash {
                return (w, None);
            }
            if w.text == "--" {
                after_dashdash = true;
                return (w, None);
            }
            (w, classify(&w.text))
        })
    }

    /// Every flag name, in order (`-abc --x=1` gives `a`, `b`, `c`, `x`). A short flag that is
    /// not ASCII (`-é`) is given whole.
    pub fn flags(&self) -> impl Iterator<Item = &str> {
        self.classified().flat_map(|(_, flag)| {
            let (long, short) = match flag {
                Some(FlagWord::Long(name, _)) => (Some(name), ""),
                Some(FlagWord::Short(chars)) => (None, chars),
                None => (None, ""),
            };
            let mut rest = short;
            let shorts = std::iter::from_fn(move || {
                let c = rest.chars().next()?;
                let (one, tail) = rest.split_at(c.len_utf8());
                rest = tail;
                Some(one)
            });
            long.into_iter().chain(shorts)
        })
    }

    /// The flag `name` is present (`has_flag("y")` for `-y` or `-qy`, `has_flag("yes")` for
    /// `--yes`).
    pub fn has_flag(&self, name: &str) -> bool {
        self.flags().any(|f| f == name)
    }

    /// One of the flags `names` is present.
    pub fn has_any_flag(&self, names: &[&str]) -> bool {
        self.flags().any(|f| names.contains(&f))
    }

    /// How many times the flag `name` is given (`-q -q` and `-qq` both count 2).
    pub fn flag_count(&self, name: &str) -> usize {
        self.flags().filter(|f| *f == name).count()
    }

    /// The value of the first occurrence of flag `name`: the part after `=` in `--name=value`, or
    /// the next word after `--name`, `-n`, or a cluster ending in `n` (`-xzf file`).
    pub fn flag_value(&self, name: &str) -> Option<&str> {
        self.flag_values(name).into_iter().next()
    }

    /// The values of every occurrence of flag `name` (see [`Self::flag_value`]); useful for
    /// repeated options such as `-o A=1 -o B=2`.
    pub fn flag_values(&self, name: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let items: Vec<_> = self.classified().collect();
        for (i, (_, flag)) in items.iter().enumerate() {
            let next = || items.get(i + 1).map(|(w, _)| w.text.as_str());
            match flag {
                Some(FlagWord::Long(n, Some(v))) if *n == name => out.push(*v),
                Some(FlagWord::Long(n, None)) if *n == name => out.extend(next()),
                Some(FlagWord::Short(chars)) if name.len() == 1 && chars.ends_with(name) => {
                    out.extend(next());
                }
                _ => {}
            }
        }
        out
    }

    /// The arguments that are not flag tokens (values of flags stay; the `--` marker goes).
    pub fn args_without_flags(&self) -> impl Iterator<Item = &Word> {
        self.classified()
            .filter(|(w, flag)| flag.is_none() && w.text != "--")
            .map(|(w, _)| w)
    }

    /// The arguments that are neither flag tokens nor the value of one of the value-taking flags
    /// `with_values` (`&["t", "target-release"]` drops `x` from `-t x` and `--target-release x`;
    /// `--target-release=x` carries its value already).
    pub fn args_without_flags_and_values<'a>(
        &'a self,
        with_values: &'a [&str],
    ) -> impl Iterator<Item = &'a Word> {
        let mut skip_next = false;
        let mut after_dashdash = false;
        self.args.iter().filter(move |w| {
            if std::mem::take(&mut skip_next) {
                return false;
            }
            if after_dashdash {
                return true;
            }
            if w.text == "--" {
                after_dashdash = true;
                return false;
            }
            match classify(&w.text) {
                None => true,
                Some(FlagWord::Long(name, None)) => {
                    skip_next = with_values.contains(&name);
                    false
                }
                Some(FlagWord::Long(_, Some(_))) => false,
                Some(FlagWord::Short(chars)) => {
                    skip_next = with_values
                        .iter()
                        .any(|v| v.chars().count() == 1 && chars.ends_with(v));
                    false
                }
            }
        })
    }

    /// The value of a `NAME=value` assignment before the command (`DEBIAN_FRONTEND` in
    /// `DEBIAN_FRONTEND=noninteractive apt-get install`).
    pub fn assignment(&self, name: &str) -> Option<&str> {
        self.assignments
            .iter()
            .filter_map(Word::as_assignment)
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// For `sudo [options] cmd args...`, the command sudo runs (its wrappers are `sudo` and the
    /// options); None when this is not a literal `sudo` or nothing follows the options. Options
    /// that take a value (`-u user`, `--group=g`...) are skipped with their value.
    pub fn unwrap_sudo(&self) -> Option<Command> {
        const WITH_VALUE: &[&str] = &[
            "u",
            "g",
            "h",
            "p",
            "C",
            "D",
            "r",
            "t",
            "T",
            "U",
            "user",
            "group",
            "host",
            "prompt",
            "close-from",
            "chdir",
            "role",
            "type",
            "command-timeout",
            "other-user",
        ];
        if self.name_str() != Some("sudo") {
            return None;
        }
        let mut i = 0;
        while let Some(w) = self.args.get(i) {
            if w.text == "--" {
                i += 1;
                break;
            }
            match classify(&w.text) {
                None => break,
                Some(FlagWord::Long(name, None)) if WITH_VALUE.contains(&name) => i += 2,
                Some(FlagWord::Short(chars))
                    if WITH_VALUE
                        .iter()
                        .any(|v| v.len() == 1 && chars.ends_with(v)) =>
                {
                    i += 2
                }
                Some(_) => i += 1,
            }
        }
        let name = self.args.get(i)?.clone();
        let mut wrappers = self.wrappers.clone();
        wrappers.extend(self.name.iter().cloned());
        wrappers.extend(self.args[..i].iter().cloned());
        let mut inner = Command {
            name: Some(name),
            wrappers,
            args: self.args[i + 1..].to_vec(),
            assignments: self.assignments.clone(),
            redirects: self.redirects.clone(),
            span: self.span,
            in_subshell: self.in_subshell,
        };
        parse::unwrap_wrappers(&mut inner);
        Some(inner)
    }
}

/// A pipeline of two or more stages joined by `|` or `|&`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    /// Each stage: the index in [`Script::commands`] when it is a simple command, None for a
    /// compound stage (a group, a loop...).
    pub stages: Vec<Option<usize>>,
    /// The span of each operator between stages.
    pub pipes: Vec<Span>,
}

/// The flattened shell model of a RUN.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Script {
    /// Every simple command, in source order, each once.
    pub commands: Vec<Command>,
    /// Every pipeline operator (`|` or `|&`, not `||`), in source order.
    pub pipes: Vec<Span>,
    /// Every pipeline of two or more stages.
    pub pipelines: Vec<Pipeline>,
    /// Command substitutions whose content could not be parsed; their commands are missing.
    pub unparsed: Vec<Span>,
}

impl Script {
    /// The first command that satisfies `pred`.
    pub fn find(&self, mut pred: impl FnMut(&Command) -> bool) -> Option<&Command> {
        self.commands.iter().find(|c| pred(c))
    }

    /// Whether any command satisfies `pred`.
    pub fn any(&self, pred: impl FnMut(&Command) -> bool) -> bool {
        self.commands.iter().any(pred)
    }

    /// The commands whose effective name is `name`.
    pub fn commands_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Command> + 'a {
        self.commands
            .iter()
            .filter(move |c| c.name_str() == Some(name))
    }

    /// Whether the script contains a pipeline operator.
    pub fn has_pipe(&self) -> bool {
        !self.pipes.is_empty()
    }

    /// The simple commands of a pipeline's stages (None for compound stages).
    pub fn stages<'a>(
        &'a self,
        pipeline: &'a Pipeline,
    ) -> impl Iterator<Item = Option<&'a Command>> + 'a {
        pipeline
            .stages
            .iter()
            .map(|s| s.and_then(|i| self.commands.get(i)))
    }
}

/// The last `/`-separated part of a command name or path (`/usr/sbin/useradd` gives
/// `useradd`, `rm` gives `rm`). Asked for nearly every command by many rules: one byte scan.
pub fn base_name(name: &str) -> &str {
    // Command names are short: a plain loop costs less than `memrchr`'s set-up, and rules ask
    // for the base name of every command many times.
    match name.bytes().rposition(|b| b == b'/') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The model of an exec-form RUN (`RUN ["apt-get", "install", "x"]`): one command made of the
/// given words, wrappers looked through as for shell form. hadolint applies its command rules to
/// exec form too; the caller builds the words (decoded text, JSON source as `raw`, exact spans).
pub fn exec_form(words: Vec<Word>) -> Script {
    let Some(first) = words.first() else {
        return Script::default();
    };
    let span = words.iter().fold(first.span, |acc, w| acc.cover(w.span));
    let mut words = words.into_iter();
    let mut command = Command {
        name: words.next(),
        wrappers: Vec::new(),
        args: words.collect(),
        assignments: Vec::new(),
        redirects: Vec::new(),
        span,
        in_subshell: false,
    };
    parse::unwrap_wrappers(&mut command);
    Script {
        commands: vec![command],
        ..Script::default()
    }
}

/// Parses `src` and returns the model; convenience for callers holding only a string (the
/// spans are then offsets into `text`).
pub fn parse_str(text: &str) -> Result<Script, ShellError> {
    let mut src = MappedText::default();
    src.push_str(text, 0);
    parse(&src)
}

/// For differential checks (the fuzz target): the model the fast path builds of `src`, when it
/// reads it, beside the one brush builds. The two must be equal.
#[doc(hidden)]
pub fn fast_and_brush(src: &MappedText) -> Option<(Script, Result<Script, ShellError>)> {
    let fast = fast::parse(src)?;
    Some((fast, parse::parse_with_brush(src)))
}

#[cfg(test)]
mod tests;
