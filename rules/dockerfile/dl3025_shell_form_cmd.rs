use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::dockerfile::{
    Body, Command, Dockerfile, Healthcheck, Instruction, Kind, json_array_error,
};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports `CMD` and `ENTRYPOINT` written in shell form (`CMD node server.js`) instead of
    /// the JSON exec form (`CMD ["node", "server.js"]`).
    ///
    /// `HEALTHCHECK CMD` in shell form is not reported, unlike hadolint 2.15: a health probe
    /// is a short-lived process that Docker itself times out, so the shell in front of it
    /// costs nothing, and `CMD curl -f http://localhost/ || exit 1` is the form Docker's own
    /// documentation uses. BuildKit's `JSONArgsRecommended` does not check it either.
    ///
    /// Stays quiet in a stage that sets its own `SHELL`, or builds (`FROM <stage>`) on one
    /// that does: the shell form is then a deliberate choice, as BuildKit's
    /// `JSONArgsRecommended` also judges. A `SHELL` set in the base image's config is not
    /// known to wharf.
    ///
    /// An argument that looks like an exec form but is not valid JSON
    /// (`CMD ['node', 'app.js']`) is DF009's: this rule stays quiet on it, where hadolint
    /// reports it as shell form.
    ///
    /// ## Why is this bad?
    /// In shell form Docker runs the command through `/bin/sh -c`, so the shell is PID 1 and
    /// the application never receives `SIGTERM` on `docker stop`: it is killed after the
    /// timeout instead of shutting down cleanly.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// CMD node server.js
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Fix safety
    /// The fix rewrites a command made only of plain words into the exec form. It is unsafe:
    /// the command no longer runs through a shell, which is the point, but it changes how the
    /// process is started.
    pub static RULE = Rule {
        code: "DL3025",
        name: "shell-form-cmd",
        category: Category::Reliability,
        summary: "CMD or ENTRYPOINT uses the shell form",
        aliases: &["JSONArgsRecommended"],
        fixable: true,
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    for (index, outer) in df.instructions.iter().enumerate() {
        let ins = match &outer.body {
            Body::Onbuild(Some(inner)) => inner.as_ref(),
            _ => outer,
        };
        // A SHELL of this stage, or of a stage it builds on.
        let own_shell = df
            .model
            .state_before
            .get(index)
            .is_some_and(|s| s.shell.is_some());
        check_instruction(ctx, ins, own_shell);
    }
}

fn check_instruction(ctx: &mut Context<'_, Dockerfile>, ins: &Instruction, own_shell: bool) {
    let text = match (&ins.body, ins.kind) {
        (Body::Cmd(Command::Shell(t)), _)
        | (Body::Entrypoint(Command::Shell(t)), _)
        | (Body::Healthcheck(Healthcheck::Cmd(Command::Shell(t))), Kind::Healthcheck) => {
            t.mapped(ctx.file.source())
        }
        _ => return,
    };
    let text = &text;
    let what = match ins.kind {
        Kind::Healthcheck => "HEALTHCHECK CMD",
        k => k.as_str(),
    };
    // Meant as exec form but not JSON: DF009 says why.
    if json_array_error(text).is_some() {
        return;
    }
    let trimmed = text.text.trim_end();
    if trimmed.is_empty() || own_shell || ins.kind == Kind::Healthcheck {
        return;
    }
    let span = text.span(0, trimmed.len());
    let fix = exec_form(trimmed).map(|json| Fix::unsafe_replace(span, json, "rewrite in exec form"));
    let d = ctx
        .report(span, format!("{what} uses the shell form"))
        .help("use the JSON exec form so the process receives signals: [\"executable\", \"arg\"]");
    if let Some(f) = fix {
        d.fix(f);
    }
}

/// The exec form of a command made only of plain words (no quotes, variables or operators).
fn exec_form(cmd: &str) -> Option<String> {
    const SPECIAL: &[char] = &[
        '$', '`', '"', '\'', '\\', '|', '&', ';', '<', '>', '(', ')', '*', '?', '[', ']', '~', '#',
        '{', '}', '\n',
    ];
    if cmd.contains(SPECIAL) {
        return None;
    }
    let words: Vec<String> = cmd.split_whitespace().map(|w| format!("\"{w}\"")).collect();
    Some(format!("[{}]", words.join(", ")))
}
