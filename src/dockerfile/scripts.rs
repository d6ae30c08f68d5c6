//! The shell model of every RUN, built once per file: the RUN line, and the heredoc bodies
//! that run as scripts (`RUN <<EOF`, or a heredoc fed to `sh`/`bash`).

use super::{Command as DfCommand, Dockerfile, Instruction, Kind};
use crate::shell::packages::Packages;
use crate::shell::{self, Command, Script, ShellError, Word};

/// The parsed scripts of one RUN.
#[derive(Debug, Clone, Default)]
pub struct RunScript {
    /// The keyword offset of the RUN (the key to find it again).
    pub at: u32,
    pub scripts: Vec<Script>,
    /// The first parse failure, if any; the parts that did parse are still in `scripts`.
    pub error: Option<ShellError>,
    /// The package-manager facts of the RUN (empty when it did not parse).
    pub packages: Packages,
}

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];

fn is_shell_name(name: &str) -> bool {
    SHELLS.contains(&name.rsplit('/').next().unwrap_or(name))
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
    let pair = |open: &str, close: &str| {
        text.find(open)
            .is_some_and(|i| text[i + open.len()..].contains(close))
    };
    pair("{{", "}}") || pair("{%", "%}")
}

pub(super) fn build(df: &Dockerfile) -> Vec<RunScript> {
    let template = df.template;
    let mut out = Vec::new();
    for (idx, ins) in df.runs() {
        if df.non_posix_shell_at(idx) {
            continue;
        }
        let mut r = script_of(ins);
        if template {
            r.error = None;
        }
        r.scripts.shrink_to_fit();
        if r.error.is_none() {
            r.packages = Packages::of(&r.scripts, ins.mounts());
        }
        out.push(r);
    }
    out.sort_by_key(|r| r.at);
    out.shrink_to_fit();
    out
}

fn script_of(ins: &Instruction) -> RunScript {
    let mut r = RunScript {
        at: ins.keyword.start,
        ..RunScript::default()
    };
    let push = |r: &mut RunScript, res: Result<Script, ShellError>| match res {
        Ok(s) => r.scripts.push(s),
        Err(e) => {
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
        }
        Some(DfCommand::Shell(text)) => {
            let only_markers = !ins.heredocs.is_empty()
                && text.text.split_whitespace().all(|w| {
                    w.trim_start_matches(|c: char| c.is_ascii_digit())
                        .starts_with("<<")
                });
            if only_markers {
                for h in &ins.heredocs {
                    if body_is_shell(&h.body.text) {
                        push(&mut r, shell::parse(&h.body));
                    }
                }
                return r;
            }
            if ins.heredocs.is_empty() {
                push(&mut r, shell::parse(text));
                return r;
            }
            // Give the shell the heredocs it expects after the line.
            let mut full = text.clone();
            let line_end = text.map.to_file(text.text.len() as u32);
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
            push(&mut r, parsed);
            if feeds_shell {
                for h in &ins.heredocs {
                    if body_is_shell(&h.body.text) {
                        push(&mut r, shell::parse(&h.body));
                    }
                }
            }
        }
        None => {}
    }
    r
}

impl Dockerfile {
    pub(super) fn run_script(&self, ins: &Instruction) -> Option<&RunScript> {
        if ins.kind != Kind::Run {
            return None;
        }
        let i = self
            .scripts
            .binary_search_by_key(&ins.keyword.start, |r| r.at)
            .ok()?;
        self.scripts.get(i)
    }

    /// The parsed scripts of a RUN (empty for other instructions and non-POSIX shells).
    pub fn scripts(&self, ins: &Instruction) -> &[Script] {
        self.run_script(ins)
            .map(|r| r.scripts.as_slice())
            .unwrap_or(&[])
    }

    /// Every simple command of a RUN, heredoc scripts included; nothing when any of its
    /// scripts failed to parse (that RUN is DF003's alone).
    pub fn commands<'a>(&'a self, ins: &Instruction) -> impl Iterator<Item = &'a Command> + 'a {
        let parsed = self.shell_error(ins).is_none();
        self.scripts(ins)
            .iter()
            .filter(move |_| parsed)
            .flat_map(|s| s.commands.iter())
    }

    /// The shell parse error of a RUN, if its text did not parse.
    pub fn shell_error(&self, ins: &Instruction) -> Option<&ShellError> {
        self.run_script(ins).and_then(|r| r.error.as_ref())
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
