use crate::declare_rule;
use crate::dockerfile::{Dockerfile, RunModel};
use crate::rule::{Category, Check, Context, RunVisitor};
use crate::shell::ShellErrorKind;

declare_rule! {
    /// ## What it does
    /// Reports a `RUN` whose shell script does not parse: an unterminated quote, an `if`
    /// without `fi`, a stray `)`. Heredoc scripts (`RUN <<EOF`) are checked too. RUNs under a
    /// PowerShell or cmd `SHELL` are not read as POSIX shell and are never reported.
    ///
    /// A reserved word out of place is reported at the word itself, naming what it lacks
    /// (`RUN do not`: "`do` without a `for`, `while` or `until`"). A here-document left open
    /// at the end of the script is not reported: `sh` reads it to the end with a warning (and
    /// BuildKit does not take `RUN << /x` as a heredoc, since it needs a word).
    ///
    /// A file holding template placeholders (`{{ ... }}`, `{% ... %}`) is a template, not a
    /// Dockerfile: its RUNs are only shell once rendered, so none of them is reported.
    ///
    /// A script that nests compound commands or substitutions more than 64 levels deep, or
    /// more than 6 `case` commands inside each other, is reported too ("too deeply nested to
    /// analyse"): it may be valid, but wharf does not read it, so that no input can exhaust the
    /// parser's stack or its time (the shell parser's time doubles with each nested `case`
    /// when anything inside fails to parse).
    ///
    /// The shell rules (package pinning, cache cleanup, ...) skip a RUN that does not parse,
    /// so this finding is the only one it gets.
    ///
    /// ## Why is this bad?
    /// The build fails when it reaches that RUN, often after minutes of earlier steps.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN echo "unterminated
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN echo "terminated"
    /// ```
    pub static RULE = Rule {
        code: "DF003",
        name: "run-shell-syntax-error",
        category: Category::Correctness,
        summary: "the shell script of a RUN does not parse",
        check: Check::Runs(state),
    };
}

/// DF003 keeps nothing across RUNs: it reads each RUN's parse error.
struct State;

fn state() -> Box<dyn RunVisitor> {
    Box::new(State)
}

impl RunVisitor for State {
    fn run(&mut self, ctx: &mut Context<'_, Dockerfile>, model: &RunModel<'_>) {
        if let Some(err) = model.error() {
            let message = match err.kind {
                ShellErrorKind::TooDeep => err.message.clone(),
                ShellErrorKind::Syntax if err.message.starts_with("shell syntax error") => {
                    err.message.clone()
                }
                ShellErrorKind::Syntax => format!("shell syntax error: {}", err.message),
            };
            ctx.report(err.span, message);
        }
    }
}
