use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::dockerfile::{Body, Command, Dockerfile, Healthcheck, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` written in shell form
    /// (`CMD node server.js`) instead of the JSON exec form (`CMD ["node", "server.js"]`).
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
        summary: "CMD, ENTRYPOINT or HEALTHCHECK CMD uses the shell form",
        aliases: &["JSONArgsRecommended"],
        fixable: true,
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for ins in ctx.file.iter_with_onbuild() {
        let text = match (&ins.body, ins.kind) {
            (Body::Cmd(Command::Shell(t)), _)
            | (Body::Entrypoint(Command::Shell(t)), _)
            | (Body::Healthcheck(Healthcheck::Cmd(Command::Shell(t))), Kind::Healthcheck) => t,
            _ => continue,
        };
        let trimmed = text.text.trim_end();
        if trimmed.is_empty() {
            continue;
        }
        let span = text.span(0, trimmed.len());
        let what = match ins.kind {
            Kind::Healthcheck => "HEALTHCHECK CMD",
            k => k.as_str(),
        };
        let fix = exec_form(trimmed).map(|json| Fix::unsafe_replace(span, json, "rewrite in exec form"));
        let d = ctx
            .report(span, format!("{what} uses the shell form"))
            .help(
                "use the JSON exec form so the process receives signals: [\"executable\", \"arg\"]",
            );
        if let Some(f) = fix {
            d.fix(f);
        }
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
