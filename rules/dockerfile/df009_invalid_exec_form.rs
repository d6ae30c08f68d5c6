use std::borrow::Cow;

use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::dockerfile::{
    Body, Command, Dockerfile, Healthcheck, Instruction, Kind, json_array_error, repair_json_array,
};
use crate::rule::{Category, Check, Context};
use crate::source::MappedText;

declare_rule! {
    /// ## What it does
    /// Reports an argument that looks like the JSON exec form but is not valid JSON, and says
    /// why, at the offending character: single quotes (`CMD ['node', 'app.js']`), an unquoted
    /// variable (`CMD ["serve", $PORT]`), a trailing comma, a missing comma, a backslash that
    /// starts no JSON escape (`"C:\App"`). Checked in `RUN`, `CMD`, `ENTRYPOINT`,
    /// `HEALTHCHECK CMD`, `COPY`, `ADD` and `VOLUME`, and in `ONBUILD` triggers, even where a
    /// `SHELL` is set. DL3025 stays quiet on these instructions.
    ///
    /// ## Why is this bad?
    /// Docker does not reject such a text: it silently runs it through `/bin/sh -c` as shell
    /// form, which is never what was meant. `CMD ['node', 'app.js']` then asks the shell to
    /// run a program named `[node,`, and a `COPY` or `VOLUME` takes the brackets and quotes
    /// for parts of the paths.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// CMD ['node', 'server.js']
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Fix safety
    /// Where the intent is plain, the fix repairs the JSON: backslashes that start no JSON
    /// escape are doubled (a Windows path), single quotes become double quotes, a trailing
    /// comma is dropped. It is unsafe: the instruction then runs without a shell. An unquoted
    /// `$PORT` gets no fix, since the exec form would not expand it.
    pub static RULE = Rule {
        code: "DF009",
        name: "invalid-exec-form",
        category: Category::Correctness,
        summary: "an exec-form argument is not valid JSON, so it runs through a shell",
        fixable: true,
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for outer in ctx.file.iter() {
        let ins = outer.trigger().unwrap_or(outer);
        if let Some(text) = argument(ctx.file, ins) {
            report(ctx, ins, &text);
        }
    }
}

/// The argument text of an instruction that Docker read as shell form but may take JSON.
fn argument<'a>(df: &'a Dockerfile, ins: &'a Instruction) -> Option<Cow<'a, MappedText>> {
    match &ins.body {
        Body::Run(Command::Shell(t))
        | Body::Cmd(Command::Shell(t))
        | Body::Entrypoint(Command::Shell(t))
        | Body::Healthcheck(Healthcheck::Cmd(Command::Shell(t))) => {
            // Only a line that starts with `[` can be meant as JSON: the others are not copied
            // out of the file.
            t.starts_with('[', df.source())
                .then(|| Cow::Owned(t.mapped(df.source())))
        }
        Body::Copy { json: false, .. } | Body::Volume(_) => Some(ins.rest(df.source())),
        _ => None,
    }
}

fn report(ctx: &mut Context<'_, Dockerfile>, ins: &Instruction, text: &MappedText) {
    let Some(err) = json_array_error(text) else {
        return;
    };
    let what = match ins.kind {
        Kind::Healthcheck => "HEALTHCHECK CMD",
        k => k.as_str(),
    };
    let whole = text.span(0, text.text.trim_end().len());
    let fix = repair_json_array(&text.text)
        .map(|json| Fix::unsafe_replace(whole, json, "rewrite as valid JSON"));
    let d = ctx
        .report(
            err.span,
            format!(
                "{what} is not valid JSON, so Docker runs it through a shell: {}",
                err.reason
            ),
        )
        .help("write the exec form as a JSON array of double-quoted strings");
    if let Some(f) = fix {
        d.fix(f);
    }
}
