use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Kind, Word, has_fallback, referenced_vars};
use crate::registry::closest;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a variable in a `FROM` line (the image or `--platform`) that no global `ARG`
    /// declares: only the `ARG`s before the first `FROM` are visible there, besides the
    /// automatic platform ARGs (`TARGETPLATFORM`, `BUILDARCH`...). The nearest declared name
    /// is suggested. A reference with a fallback (`${IMAGE:-debian:bookworm}`) is fine. This is
    /// BuildKit's `UndefinedArgInFrom` check.
    ///
    /// ## Why is this bad?
    /// An undeclared variable expands to nothing: `FROM node:${NODE_VERSON}` pulls
    /// `node:` and the build fails, or `FROM ${REGISTRY}app` silently pulls from Docker Hub.
    /// An `ARG` declared inside a stage does not count, since FROM lines only see global ones.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG NODE_VERSION=22
    /// FROM node:${NODE_VERSON}-slim
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ARG NODE_VERSION=22
    /// FROM node:${NODE_VERSION}-slim
    /// ```
    pub static RULE = Rule {
        code: "DF014",
        name: "undefined-arg-in-from",
        category: Category::Correctness,
        summary: "a FROM line uses an ARG that no global ARG declares",
        aliases: &["UndefinedArgInFrom"],
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    let mut known: Vec<&str> = df.model.global_arg_names();
    known.extend(crate::dockerfile::AUTOMATIC_ARGS);
    for (i, ins) in df.instructions.iter().enumerate() {
        let Body::From(from) = &ins.body else { continue };
        if ins.kind != Kind::From {
            continue;
        }
        let platform = ins.flag("platform").and_then(|f| f.value.as_ref());
        for word in std::iter::once(&from.image).chain(platform) {
            report_word(ctx, i, word, &known);
        }
    }
}

fn report_word(ctx: &mut Context<'_, Dockerfile>, index: usize, word: &Word, known: &[&str]) {
    let df = ctx.file;
    for name in referenced_vars(&word.raw, df.escape) {
        if df.model.var_at(index, &name).is_some() {
            continue;
        }
        let span = word.var_span(&name).unwrap_or(word.span);
        if has_fallback(ctx.text(span), &name) {
            continue;
        }
        let d = ctx.report(span, format!("`{name}` is not declared by a global ARG"));
        match closest(&name, known.iter().copied()) {
            Some(near) => d.help(format!(
                "did you mean `{near}`? FROM lines see only the ARGs before the first FROM"
            )),
            None => d.help(format!(
                "declare `ARG {name}=<default>` before the first FROM"
            )),
        };
    }
}

