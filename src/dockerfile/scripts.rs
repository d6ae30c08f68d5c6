//! The shell model of a RUN, built on demand, one RUN at a time: the RUN line, and the
//! heredoc bodies that run as scripts (`RUN <<EOF`, or a heredoc fed to `sh`/`bash`).

use super::{Command as DfCommand, Dockerfile, Instruction, Kind, ParsedRun};
use crate::shell::packages::Packages;
use crate::shell::tools::{self as shell_tools, Dialect};
use crate::shell::{self, Command, Script, ShellError, Word};
use crate::source::Span;

/// The parsed scripts of one RUN.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunScript {
    /// The keyword offset of the RUN (the key to find it again).
    pub at: u32,
    pub scripts: Vec<Script>,
    /// What runs each script of `scripts`, in the same order.
    pub interpreters: Vec<Interpreter>,
    /// The first parse failure, if any; the parts that did parse are still in `scripts`.
    pub error: Option<ShellError>,
    /// The package-manager facts of the RUN (empty when it did not parse).
    pub packages: Packages,
}

/// The shell that runs one script of a RUN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Interpreter {
    /// The `SHELL` in force: the RUN line, and a `RUN <<EOF` script without a shebang.
    #[default]
    Stage,
    /// The program a `RUN <<EOF` script's shebang names, or the shell its heredoc is fed to
    /// (`RUN bash -e <<EOF`), with whether its options turn `pipefail` on.
    Program {
        dialect: Option<Dialect>,
        pipefail: bool,
    },
}

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];

fn is_shell_name(name: &str) -> bool {
    SHELLS.contains(&crate::shell::base_name(name))
}

/// A heredoc body that starts with a shebang for something other than a POSIX shell (Python,
/// Node...) is not shell.
fn body_is_shell(body: &str) -> bool {
    match body.strip_prefix("#!") {
        Some(rest) => {
            let line = rest.lines().next().unwrap_or("");
            let mut words = line.split_whitespace();
            let prog = words.next().unwrap_or("");
            let prog = if prog.ends_with("/env") {
                words.next().unwrap_or("")
            } else {
                prog
            };
            is_shell_name(prog)
        }
        None => true,
    }
}

/// Whether the file looks like a template (Go `{{ }}` or Jinja `{% %}` placeholders): a RUN
/// of a template that does not parse is most likely broken by a placeholder, and its real
/// shell is only known once rendered, so its parse error is dropped (and the shell rules still
/// skip it).
pub(super) fn looks_like_template(text: &str) -> bool {
    // Each opener is searched for once with `memmem` (most files have neither, and a file can
    // be 10 MiB); only a file with one looks for its closer after it.
    let closed = |open: &str, close: &str| {
        memchr::memmem::find(text.as_bytes(), open.as_bytes()).is_some_and(|o| {
            memchr::memmem::find(&text.as_bytes()[o + 2..], close.as_bytes()).is_some()
        })
    };
    closed("{{", "}}") || closed("{%", "%}")
}

#[cfg(test)]
thread_local! {
    /// How many RUN models this thread built (the engine's laziness is tested with it).
    pub(crate) static MODELS_BUILT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The shell model of one RUN (or ONBUILD RUN trigger) at instruction `index`: None for
/// other instructions and for a RUN under a non-POSIX shell.
fn build_one(df: &Dockerfile, index: usize, ins: &Instruction) -> Option<RunScript> {
    if ins.kind != Kind::Run || df.non_posix_shell_at(index) {
        return None;
    }
    #[cfg(test)]
    MODELS_BUILT.with(|n| n.set(n.get() + 1));
    let mut r = script_of(ins, df.source());
    if df.template {
        r.error = None;
    }
    r.scripts.shrink_to_fit();
    if r.error.is_none() {
        r.packages = Packages::of(&r.scripts, ins.mounts());
    }
    Some(r)
}

/// The shell model of one RUN, built on demand and owned by the caller: see
/// [`Dockerfile::run_model`] and [`Dockerfile::run_models`].
#[derive(Debug, Clone)]
pub struct RunModel<'a> {
    /// The index of the RUN (of the ONBUILD, for a trigger) in `instructions`.
    pub index: usize,
    pub ins: &'a Instruction,
    pub script: RunScript,
}

impl<'a> RunModel<'a> {
    /// The RUN as the shell rules read it, if its shell parsed.
    pub fn parsed(&self) -> Option<ParsedRun<'_>> {
        self.script.error.is_none().then_some(ParsedRun {
            index: self.index,
            ins: self.ins,
            scripts: &self.script.scripts,
            packages: &self.script.packages,
            interpreters: &self.script.interpreters,
        })
    }

    /// The shell parse error of the RUN, if its text did not parse.
    pub fn error(&self) -> Option<&ShellError> {
        self.script.error.as_ref()
    }

    /// The parsed scripts (the parts that parsed, when the RUN has an error).
    pub fn scripts(&self) -> &[Script] {
        &self.script.scripts
    }

    /// Every simple command of the RUN, heredoc scripts included; nothing when any of its
    /// scripts failed to parse (that RUN is DF003's alone).
    pub fn commands(&self) -> impl Iterator<Item = &Command> + '_ {
        let parsed = self.script.error.is_none();
        self.script
            .scripts
            .iter()
            .filter(move |_| parsed)
            .flat_map(|s| s.commands.iter())
    }
}

fn script_of(ins: &Instruction, file: &str) -> RunScript {
    let mut r = RunScript {
        at: ins.keyword.start,
        ..RunScript::default()
    };
    // The shell reads a line break and each heredoc's delimiter after the RUN line; where the
    // file has neither (it ends first), what the shell found in that text would lie past the
    // end of the file: keep every span inside the instruction.
    let end = ins.span.end;
    let push = |r: &mut RunScript, res: Result<Script, ShellError>, by: Interpreter| match res {
        Ok(mut s) => {
            clamp_script(&mut s, end);
            r.scripts.push(s);
            r.interpreters.push(by);
        }
        Err(mut e) => {
            clamp(&mut e.span, end);
            if r.error.is_none() {
                r.error = Some(e);
            }
        }
    };
    match ins.command() {
        Some(DfCommand::Exec { args, .. }) => {
            let words: Vec<Word> = args
                .iter()
                .map(|a| Word::new(a.value.clone(), &a.raw, a.span, false, true))
                .collect();
            r.scripts.push(shell::exec_form(words));
            r.interpreters.push(Interpreter::Stage);
        }
        Some(DfCommand::Shell(line)) => {
            let text = line.mapped(file);
            let only_markers = !ins.heredocs.is_empty()
                && text.text.split_whitespace().all(|w| {
                    w.trim_start_matches(|c: char| c.is_ascii_digit())
                        .starts_with("<<")
                });
            if only_markers {
                for h in &ins.heredocs {
                    if body_is_shell(&h.body.text) {
                        let by = match shell_tools::shebang(&h.body.text) {
                            Some((_, dialect, pipefail)) => {
                                Interpreter::Program { dialect, pipefail }
                            }
                            None => Interpreter::Stage,
                        };
                        push(&mut r, shell::parse(&h.body), by);
                    }
                }
                return r;
            }
            if ins.heredocs.is_empty() {
                push(&mut r, shell::parse(&text), Interpreter::Stage);
                return r;
            }
            // Give the shell the heredocs it expects after the line.
            let line_end = text.map.to_file(text.text.len() as u32);
            let mut full = text;
            full.push_str("\n", line_end);
            for h in &ins.heredocs {
                let base = full.text.len();
                full.text.push_str(&h.body.text);
                full.map.append(&h.body.map, base as u32);
                let term = h.terminator.map(|t| t.start).unwrap_or(h.body_span.end);
                full.push_str(&format!("{}\n", h.delimiter), term);
            }
            let parsed = shell::parse(&full);
            let feeds_shell = parsed
                .as_ref()
                .map(|s| {
                    s.commands
                        .iter()
                        .any(|c| c.name_str().is_some_and(is_shell_name) && !c.has_flag("c"))
                })
                .unwrap_or(false);
            let feeders: Vec<Interpreter> = ins
                .heredocs
                .iter()
                .map(|h| {
                    parsed
                        .as_ref()
                        .map_or(Interpreter::Stage, |s| fed_to(s, &h.delimiter))
                })
                .collect();
            push(&mut r, parsed, Interpreter::Stage);
            if feeds_shell {
                for (h, by) in ins.heredocs.iter().zip(feeders) {
                    if body_is_shell(&h.body.text) {
                        push(&mut r, shell::parse(&h.body), by);
                    }
                }
            }
        }
        None => {}
    }
    r
}

fn clamp(span: &mut Span, end: u32) {
    *span = Span::new(span.start.min(end), span.end.min(end));
}

/// Brings every span of a script that ends past `end` back to `end`.
fn clamp_script(s: &mut Script, end: u32) {
    each_span(s, &mut |span| clamp(span, end));
}

/// Calls `f` on every span of a script: its commands, their words, its pipes and the parts it
/// could not parse.
pub(super) fn each_span(s: &mut Script, f: &mut dyn FnMut(&mut Span)) {
    for c in &mut s.commands {
        f(&mut c.span);
        let words = c
            .name
            .iter_mut()
            .chain(&mut c.wrappers)
            .chain(&mut c.args)
            .chain(&mut c.assignments)
            .chain(c.redirects.iter_mut().filter_map(|r| r.target.as_mut()));
        for w in words {
            f(&mut w.span);
        }
    }
    let pipes = s.pipelines.iter_mut().flat_map(|p| &mut p.pipes);
    for span in s.pipes.iter_mut().chain(&mut s.unparsed).chain(pipes) {
        f(span);
    }
}

/// The shell a heredoc with this delimiter is fed to on the RUN line: the shell command that
/// redirects it (else the first shell command without `-c`), with its options.
fn fed_to(line: &Script, delimiter: &str) -> Interpreter {
    let is_feeder = |c: &&Command| c.shell_dialect().is_some() && !c.has_flag("c");
    let redirects_it = |c: &&Command| {
        c.redirects.iter().any(|r| {
            r.operator.starts_with("<<")
                && r.operator != "<<<"
                && r.target.as_ref().is_some_and(|t| t.text == delimiter)
        })
    };
    let cmd = line
        .commands
        .iter()
        .filter(is_feeder)
        .find(redirects_it)
        .or_else(|| line.commands.iter().find(is_feeder));
    match cmd {
        Some(c) => Interpreter::Program {
            dialect: c.shell_dialect(),
            pipefail: shell_tools::options_set_pipefail(c.args.iter().map(|w| w.text.as_str())),
        },
        None => Interpreter::Stage,
    }
}

impl Dockerfile {
    /// The dialect of the `SHELL` in force at an instruction (`sh` without one); None when
    /// that shell is not a POSIX shell.
    pub fn shell_dialect_at(&self, index: usize) -> Option<Dialect> {
        match self.shell_at(index) {
            Some(words) => words.first().and_then(|p| Dialect::of_program(p)),
            None if self.non_posix_shell_at(index) => None,
            None => Some(Dialect::Sh),
        }
    }

    /// The `SHELL` in force at an instruction turns `pipefail` on (`SHELL ["/bin/bash", "-o",
    /// "pipefail", "-c"]`), whatever its program.
    pub fn shell_pipefail_at(&self, index: usize) -> bool {
        self.shell_at(index)
            .is_some_and(|words| shell_tools::options_set_pipefail(words.iter().skip(1).copied()))
    }

    /// The dialect that runs script `i` of a parsed RUN, and whether `pipefail` is on from its
    /// start (by the `SHELL` or by the interpreter's options).
    pub fn script_shell(&self, run: &ParsedRun<'_>, i: usize) -> (Option<Dialect>, bool) {
        match run.interpreters.get(i).copied().unwrap_or_default() {
            Interpreter::Stage => (
                self.shell_dialect_at(run.index),
                self.shell_pipefail_at(run.index),
            ),
            Interpreter::Program { dialect, pipefail } => (dialect, pipefail),
        }
    }

    /// The shell model of the RUN at instruction `index` (`ins` is that instruction or its
    /// ONBUILD trigger), built now: None for other instructions and non-POSIX shells. Nothing
    /// is kept (unless the caller gave a [`RunCache`](super::RunCache), which keeps the model
    /// for the next parse of the document): the shell rules get each RUN from the engine, one
    /// at a time; this is for the other readers (ShellCheck, fixes, tests).
    pub fn run_model_at<'a>(&'a self, index: usize, ins: &'a Instruction) -> Option<RunModel<'a>> {
        let script = match &self.run_cache {
            Some(cache) => {
                if ins.kind != Kind::Run || self.non_posix_shell_at(index) {
                    return None;
                }
                let trigger = !self
                    .instructions
                    .get(index)
                    .is_some_and(|i| std::ptr::eq(i, ins));
                cache.model(ins, trigger, || build_one(self, index, ins))?
            }
            None => build_one(self, index, ins)?,
        };
        Some(RunModel { index, ins, script })
    }

    /// [`Self::run_model_at`] for an instruction of this file (a RUN or an ONBUILD RUN
    /// trigger), its index found from its position.
    pub fn run_model<'a>(&'a self, ins: &'a Instruction) -> Option<RunModel<'a>> {
        let index = self
            .instructions
            .partition_point(|i| i.span.start <= ins.span.start)
            .saturating_sub(1);
        self.run_model_at(index, ins)
    }

    /// The shell model of every RUN and ONBUILD RUN trigger under a POSIX shell, in file
    /// order, each built when the iterator reaches it.
    pub fn run_models(&self) -> impl Iterator<Item = RunModel<'_>> {
        self.runs()
            .filter_map(|(index, ins)| self.run_model_at(index, ins))
    }

    /// The shell parse error of a RUN, if its text did not parse (the model is built to
    /// know it).
    pub fn shell_error(&self, ins: &Instruction) -> Option<ShellError> {
        self.run_model(ins)?.script.error
    }
}

impl Dockerfile {
    /// The value a package-manager command of a RUN sees for the variable `name`: its own
    /// environment (`NAME=v cmd`, `env NAME=v cmd`), an `export NAME=v` earlier in the RUN, or
    /// the ARG or ENV in force at the RUN. None when unset or unknown.
    pub fn env_for<'a>(
        &'a self,
        run: &super::ParsedRun<'a>,
        cmd: &'a crate::shell::packages::PackageCommand,
        name: &str,
    ) -> Option<&'a str> {
        if let Some(v) = cmd.env_value(name) {
            return Some(v);
        }
        let exported = run
            .scripts
            .iter()
            .enumerate()
            .flat_map(|(si, s)| {
                s.commands
                    .iter()
                    .enumerate()
                    .map(move |(ci, c)| ((si, ci), c))
            })
            .take_while(|(order, _)| *order < cmd.order)
            .filter(|(_, c)| c.name_is(&["export"]))
            .flat_map(|(_, c)| c.args.iter().filter_map(Word::as_assignment))
            .filter(|(n, _)| *n == name)
            .last()
            .map(|(_, v)| v);
        exported.or_else(|| self.model.var_at(run.index, name)?.value.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_placeholders_need_an_opening_and_a_later_closing() {
        assert!(looks_like_template("FROM {{ .Base }}\n"));
        assert!(looks_like_template(
            "RUN x\n{% if a %}\nRUN y\n{% endif %}\n"
        ));
        assert!(looks_like_template("RUN a{b}c {{{ x }}}"));
        // `{%` first, `{{` later: each pair is looked for on its own.
        assert!(looks_like_template("RUN {% x {{ y }}"));
        assert!(!looks_like_template("RUN echo ${A} {x}"));
        assert!(!looks_like_template("RUN }} {{"));
        assert!(!looks_like_template("RUN {% x }} {{"));
        assert!(!looks_like_template("{"));
        assert!(!looks_like_template(""));
    }

    /// (dialect, pipefail) of each script of each parsed RUN.
    fn shells(text: &str) -> Vec<Vec<(Option<Dialect>, bool)>> {
        let df = crate::dockerfile::parse(text);
        df.run_models()
            .filter_map(|m| {
                let run = m.parsed()?;
                Some(
                    (0..run.scripts.len())
                        .map(|i| df.script_shell(&run, i))
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn script_shells() {
        let sh = (Some(Dialect::Sh), false);
        let bash = (Some(Dialect::Bash), false);
        let text = "FROM debian\nRUN a | b\n\
            RUN <<EOF\n#!/bin/bash -eo pipefail\nx\nEOF\n\
            RUN <<EOF\ny\nEOF\n\
            RUN cat <<A > /f && bash <<B\nx\nA\ny\nB\n\
            SHELL [\"/usr/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN c\n\
            FROM debian AS z\nSHELL [\"/bin/zsh\", \"-c\"]\nRUN d\nFROM z\nRUN e\n";
        assert_eq!(
            shells(text),
            [
                vec![sh],
                vec![(Some(Dialect::Bash), true)],
                vec![sh],
                vec![sh, bash, bash],
                vec![(Some(Dialect::Bash), true)],
                vec![(Some(Dialect::Zsh), false)],
                vec![(Some(Dialect::Zsh), false)],
            ]
        );
    }
}
