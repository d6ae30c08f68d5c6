//! The optional ShellCheck pass: the shell scripts of every linted Dockerfile are handed to
//! the `shellcheck` program, and each of its findings becomes an `SC####` diagnostic at the
//! exact bytes of the Dockerfile it is about.
//!
//! What is checked ([`collect`]): the shell-form RUN line (and `ONBUILD RUN`) with the heredocs
//! it reads appended after it as the shell sees them, and every heredoc body that runs as a
//! script (`RUN <<EOF`, or a heredoc fed to `sh`/`bash`). Exec-form RUNs, PowerShell and cmd
//! stages, bodies whose shebang names another interpreter (Python...), zsh (ShellCheck has no
//! zsh dialect) and the RUNs of a template that hold a placeholder are left out. The RUN's flags (`--mount=...`) are never part
//! of the script.
//!
//! Each script is the RUN's shell text as BuildKit hands it to the shell: continuations and
//! comment lines removed ([`MappedText`]), so a column ShellCheck reports is mapped back through
//! the text's offset map to the file, across continuation lines and into heredoc bodies. The
//! ARG and ENV names the stage declares before the RUN are exported in one line put before
//! the script (`export a b`, without values: a value would tell ShellCheck the variable is a
//! safe constant and hide SC2086), so that they do not count as unset (SC2154); findings on
//! that line are dropped. The dialect is passed with `--shell`: the stage's `SHELL`, the heredoc's shebang,
//! or the shell a heredoc is fed to (`RUN bash <<EOF`).
//!
//! Running ([`Runner`]): many scripts per `shellcheck` process, one process per batch, batches
//! in parallel. Failures (the program is missing, crashes, prints something that is not its
//! JSON) are errors of the files concerned, never a silent skip.

mod run;

pub use run::{Runner, SHELLCHECK_ENV};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::dockerfile::{Command as DfCommand, Dockerfile, Instruction, Kind};
use crate::source::{Encoding, LineIndex, MappedText, Position};
use std::collections::HashSet;
use std::sync::Mutex;

/// The codes left out unless selected by name: SC1090 and SC1091 say that ShellCheck cannot
/// follow a `source`d file, and the files a RUN sources are in the image, never beside the
/// Dockerfile (hadolint leaves out SC1090 for the same reason).
pub const DEFAULT_EXCLUDE: &[u16] = &[1090, 1091];

/// The `name` every ShellCheck diagnostic carries.
pub const NAME: &str = "shellcheck";

/// Which ShellCheck findings a file reports: configuration resolved per file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShellcheckFilter {
    /// Run ShellCheck on this file at all.
    pub enabled: bool,
    /// Only these codes (`None`: every code); sorted.
    pub include: Option<Vec<u16>>,
    /// Never these codes; sorted.
    pub exclude: Vec<u16>,
}

impl ShellcheckFilter {
    /// True when a finding with this code is reported.
    pub fn reports(&self, code: u16) -> bool {
        self.enabled
            && self
                .include
                .as_ref()
                .is_none_or(|i| i.binary_search(&code).is_ok())
            && self.exclude.binary_search(&code).is_err()
    }
}

/// The number of a ShellCheck code: `SC2086` (any case) is 2086.
pub fn code_number(code: &str) -> Option<u16> {
    let code = code.trim();
    let digits = code.get(2..)?;
    let ok = code.len() == 6
        && code[..2].eq_ignore_ascii_case("SC")
        && digits.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| digits.parse().ok()).flatten()
}

/// The code `SC####` of a number, as a `&'static str` (diagnostic codes are static). Each
/// distinct code is allocated once; there are at most 10,000 of them.
pub fn code_str(number: u16) -> &'static str {
    static CODES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let code = format!("SC{number:04}");
    let mut codes = CODES.lock().unwrap_or_else(|p| p.into_inner());
    let set = codes.get_or_insert_with(HashSet::new);
    if let Some(&c) = set.get(code.as_str()) {
        return c;
    }
    let leaked: &'static str = Box::leak(code.into_boxed_str());
    set.insert(leaked);
    leaked
}

/// The page of the ShellCheck wiki about a code.
pub fn wiki_url(number: u16) -> String {
    format!("https://www.shellcheck.net/wiki/SC{number:04}")
}

/// A dialect ShellCheck knows (`--shell`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dialect {
    Sh,
    Bash,
    Dash,
    Ksh,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Sh => "sh",
            Dialect::Bash => "bash",
            Dialect::Dash => "dash",
            Dialect::Ksh => "ksh",
        }
    }

    /// The dialect of a shell program (`/bin/bash`, `ash`); `None` for a program that is not
    /// a shell ShellCheck checks (zsh, Python, PowerShell...). busybox's ash is checked as sh.
    pub fn of_program(program: &str) -> Option<Dialect> {
        let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
        let name = name.strip_suffix(".exe").unwrap_or(name);
        match name {
            "sh" | "ash" | "busybox" => Some(Dialect::Sh),
            "bash" => Some(Dialect::Bash),
            "dash" => Some(Dialect::Dash),
            "ksh" | "ksh93" | "mksh" | "pdksh" => Some(Dialect::Ksh),
            _ => None,
        }
    }

    /// The dialect a `#!` line names (`#!/usr/bin/env bash`); `Some(None)` when the line
    /// names something ShellCheck does not check, `None` when there is no shebang.
    fn of_shebang(body: &str) -> Option<Option<Dialect>> {
        let rest = body.strip_prefix("#!")?;
        let line = rest.lines().next().unwrap_or("");
        let mut words = line.split_whitespace();
        let mut prog = words.next().unwrap_or("");
        if prog.ends_with("/env") {
            prog = words.find(|w| !w.starts_with('-')).unwrap_or("");
        }
        Some(Dialect::of_program(prog))
    }
}

/// One script to check: the text ShellCheck reads and the way back to the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub dialect: Dialect,
    /// What ShellCheck reads: [`Self::header`] then the script's own text.
    pub text: String,
    /// The length of the header (the `export` line of the declared variables, or nothing).
    pub header: usize,
    /// The script's own text (without the header), mapped to the file.
    pub source: MappedText,
}

impl Script {
    /// A script of `source` under `dialect`, with `names` declared in the header (with their
    /// value when it is known and a single safe word).
    pub fn new(dialect: Dialect, source: MappedText, names: &[Declared<'_>]) -> Script {
        let mut text = String::new();
        if !names.is_empty() {
            text.push_str("export");
            for (n, value) in names {
                text.push(' ');
                text.push_str(n);
                if let Some(v) = value {
                    text.push('=');
                    text.push_str(v);
                }
            }
            text.push('\n');
        }
        let header = text.len();
        text.push_str(&source.text);
        Script {
            dialect,
            text,
            header,
            source,
        }
    }

    /// The byte offset in [`Self::text`] of a 1-based ShellCheck line and column (columns
    /// count characters; a tab is one).
    fn offset(&self, index: &LineIndex, line: u32, column: u32) -> usize {
        let pos = Position {
            line: line.saturating_sub(1),
            character: column.saturating_sub(1),
        };
        index.offset(&self.text, pos, Encoding::Chars) as usize
    }

    /// The file span of a ShellCheck range; `None` when it starts in the header.
    pub fn file_span(
        &self,
        index: &LineIndex,
        (line, column): (u32, u32),
        (end_line, end_column): (u32, u32),
    ) -> Option<crate::source::Span> {
        let start = self.offset(index, line, column);
        let end = self.offset(index, end_line, end_column).max(start);
        if start < self.header {
            return None;
        }
        Some(self.source.span(start - self.header, end - self.header))
    }
}

/// One finding of ShellCheck, as its `json1` format gives it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub file: String,
    pub line: u32,
    pub end_line: u32,
    pub column: u32,
    pub end_column: u32,
    pub level: String,
    pub code: u16,
    pub message: String,
    /// ShellCheck's suggested fix, when it has one.
    #[serde(default)]
    pub fix: Option<FindingFix>,
}

/// ShellCheck's suggested fix: text replacements in the script.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct FindingFix {
    pub replacements: Vec<Replacement>,
}

/// One replacement of a [`FindingFix`] (a range of the script, 1-based, end exclusive).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Replacement {
    pub line: u32,
    pub end_line: u32,
    pub column: u32,
    pub end_column: u32,
    pub replacement: String,
}

/// The severity of a ShellCheck level (`error`, `warning`, `info`, `style`).
pub fn severity_of(level: &str) -> Severity {
    match level {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        _ => Severity::Style,
    }
}

/// ShellCheck's message without its final period. Its first letter keeps its case: the
/// message may start with a variable name as written (`Foo is referenced but not assigned`).
fn message_of(text: &str) -> String {
    text.trim().trim_end_matches('.').to_string()
}

impl Finding {
    /// The diagnostic of this finding in `script`; `None` when it is about the header.
    pub fn to_diagnostic(&self, script: &Script, index: &LineIndex) -> Option<Diagnostic> {
        let span = script.file_span(
            index,
            (self.line, self.column),
            (self.end_line, self.end_column),
        )?;
        Some(Diagnostic {
            file: Default::default(),
            code: code_str(self.code),
            name: NAME,
            severity: severity_of(&self.level),
            span,
            message: message_of(&self.message).into(),
            help: Some(format!("see {}", wiki_url(self.code)).into()),
            fix: self
                .fix
                .as_ref()
                .and_then(|f| fix_of(f, script, index))
                .map(Box::new),
            related: Vec::new(),
        })
    }
}

/// ShellCheck's fix as a wharf fix, unsafe (it is ShellCheck's suggestion, applied to a Dockerfile
/// it did not see). `None` when a replacement falls in the header or spans text the Dockerfile
/// does not hold in one piece (a continuation, a removed comment line), where editing the file
/// would not make the edit ShellCheck meant.
fn fix_of(fix: &FindingFix, script: &Script, index: &LineIndex) -> Option<Fix> {
    let mut edits = Vec::new();
    for r in &fix.replacements {
        let start = script.offset(index, r.line, r.column);
        let end = script.offset(index, r.end_line, r.end_column).max(start);
        if start < script.header {
            return None;
        }
        let span = script
            .source
            .span(start - script.header, end - script.header);
        if span.len() as usize != end - start {
            return None;
        }
        edits.push(Edit::replace(span, r.replacement.clone()));
    }
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    (!edits.is_empty()).then(|| Fix {
        message: "apply ShellCheck's suggestion".to_string(),
        applicability: Applicability::Unsafe,
        edits,
    })
}

/// Whether a name can be assigned in a shell (`[A-Za-z_][A-Za-z0-9_]*`).
fn is_shell_name(name: &str) -> bool {
    let mut b = name.bytes();
    b.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == b'_')
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// A declared variable: its name, and its value when the file gives one that is a single
/// word without shell syntax (so ShellCheck may treat it as a safe constant, as it is).
pub type Declared<'a> = (&'a str, Option<&'a str>);

/// The proxy variables BuildKit passes to every RUN without a declaration.
const PROXY_ARGS: &[&str] = &[
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "FTP_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "ftp_proxy",
    "no_proxy",
    "all_proxy",
];

/// A value that reads as one plain word in the shell.
fn is_plain_word(v: &str) -> bool {
    !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-+/:@%,=".contains(&b))
}

/// The value of a variable when the file gives it and it is a plain word.
fn plain_value(v: &crate::dockerfile::Var) -> Option<&str> {
    let value = v.value.as_deref().filter(|_| !v.unresolved)?;
    is_plain_word(value).then_some(value)
}

/// The ARG and ENV names visible at the instruction at `index`: those of its stage before it,
/// the ENV names of the stages it builds on (`FROM <stage>`), and the proxy variables. Sorted
/// by name, each once (the latest declaration's value).
pub fn declared_names(df: &Dockerfile, index: usize) -> Vec<Declared<'_>> {
    let model = &df.model;
    let mut names: Vec<Declared<'_>> = PROXY_ARGS.iter().map(|n| (*n, None)).collect();
    let Some(Some(stage)) = model.stage_of.get(index) else {
        names.sort_unstable();
        return names;
    };
    let mut found: Vec<(usize, usize, Vec<Declared<'_>>)> = Vec::new();
    for (depth, st) in model.ancestry(*stage).enumerate() {
        let end = if depth == 0 {
            index.min(st.body.end)
        } else {
            st.body.end
        };
        for i in st.body.start..end {
            let Some(ins) = df.instructions.get(i) else {
                continue;
            };
            let wanted = match ins.kind {
                Kind::Env => true,
                Kind::Arg => depth == 0,
                _ => false,
            };
            if wanted {
                // Nearest stage first and, within a stage, the latest declaration first.
                let mut here: Vec<Declared<'_>> = model
                    .declared_by(i)
                    .iter()
                    .map(|v| (v.name.as_str(), plain_value(v)))
                    .collect();
                here.reverse();
                found.push((depth, i, here));
            }
        }
    }
    // The declaration that wins is the one nearest the RUN.
    found.sort_by_key(|(depth, i, _)| (*depth, std::cmp::Reverse(*i)));
    for (_, _, decls) in found {
        for (name, value) in decls {
            if is_shell_name(name) && !names.iter().any(|(n, _)| *n == name) {
                names.push((name, value));
            }
        }
    }
    names.sort_unstable_by_key(|(n, _)| *n);
    names
}

/// The dialect of the stage's shell at `index`: its `SHELL`, or `/bin/sh`. `None` when that
/// shell is not one ShellCheck checks.
fn stage_dialect(df: &Dockerfile, index: usize) -> Option<Dialect> {
    let Some(words) = df.shell_at(index) else {
        return Some(Dialect::Sh);
    };
    let mut words = words.into_iter();
    let mut prog = words.next().unwrap_or("");
    if prog.ends_with("/env") || prog == "env" {
        prog = words.find(|w| !w.starts_with('-')).unwrap_or("");
    }
    Dialect::of_program(prog)
}

/// The text of a heredoc body without its shebang concerns: the dialect it runs under, given
/// the one it would get without a shebang.
fn body_dialect(body: &str, otherwise: Option<Dialect>) -> Option<Dialect> {
    match Dialect::of_shebang(body) {
        Some(d) => d,
        None => otherwise,
    }
}

/// The scripts of every shell-form RUN (and ONBUILD RUN) of a Dockerfile, in file order.
pub fn collect(df: &Dockerfile) -> Vec<Script> {
    let mut out = Vec::new();
    for (index, ins) in df.runs() {
        if df.non_posix_shell_at(index) {
            continue;
        }
        let Some(DfCommand::Shell(line)) = ins.command() else {
            continue;
        };
        // In a template, a RUN with a placeholder is only shell once rendered. (Go format
        // strings such as `go list -f '{{.Dir}}'` make a file look like a template: the RUNs
        // without braces are still checked.)
        let placeholder = |t: &str| t.contains("{{") || t.contains("{%");
        let line = line.mapped(df.source());
        if df.template
            && (placeholder(&line.text) || ins.heredocs.iter().any(|h| placeholder(&h.body.text)))
        {
            continue;
        }
        let names = declared_names(df, index);
        let dialect = stage_dialect(df, index);
        scripts_of_run(df, ins, &line, dialect, &names, &mut out);
    }
    out
}

fn scripts_of_run(
    df: &Dockerfile,
    ins: &Instruction,
    line: &MappedText,
    dialect: Option<Dialect>,
    names: &[Declared<'_>],
    out: &mut Vec<Script>,
) {
    let only_markers = !ins.heredocs.is_empty()
        && line.text.split_whitespace().all(|w| {
            w.trim_start_matches(|c: char| c.is_ascii_digit())
                .starts_with("<<")
        });
    let mut push = |d: Option<Dialect>, text: &MappedText| {
        if let Some(d) = d
            && !text.text.trim().is_empty()
        {
            out.push(Script::new(d, text.clone(), names));
        }
    };
    if only_markers {
        // `RUN <<EOF`: each body is a script of its own.
        for h in &ins.heredocs {
            push(body_dialect(&h.body.text, dialect), &h.body);
        }
        return;
    }
    if ins.heredocs.is_empty() {
        push(dialect, line);
        return;
    }
    // The line reads its heredocs: give them to the shell after the line, as it sees them.
    let mut full = line.clone();
    full.push_str("\n", line.map.to_file(line.text.len() as u32));
    for h in &ins.heredocs {
        let base = full.text.len();
        full.text.push_str(&h.body.text);
        full.map.append(&h.body.map, base as u32);
        let term = h.terminator.map(|t| t.start).unwrap_or(h.body_span.end);
        full.push_str(&format!("{}\n", h.delimiter), term);
    }
    push(dialect, &full);
    // A heredoc fed to a shell (`RUN bash <<EOF`) is also a script, in that shell's dialect.
    let model = df.run_model(ins);
    let commands = model
        .as_ref()
        .and_then(|m| m.scripts().first())
        .map_or(&[][..], |s| s.commands.as_slice());
    for h in &ins.heredocs {
        let reads = |c: &&crate::shell::Command| {
            c.redirects.iter().any(|r| {
                r.operator.starts_with("<<")
                    && r.operator != "<<<"
                    && r.target
                        .as_ref()
                        .is_some_and(|t| t.span.start < h.marker.end && h.marker.start < t.span.end)
            })
        };
        let fed = commands
            .iter()
            .find(reads)
            .filter(|c| !c.has_flag("c"))
            .and_then(|c| c.name_str().and_then(Dialect::of_program));
        if let Some(fed) = fed {
            push(body_dialect(&h.body.text, Some(fed)), &h.body);
        }
    }
}

#[cfg(test)]
mod tests;
