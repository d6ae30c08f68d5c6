use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::dockerfile::{Body, Dockerfile, Instruction, Kind, Word};
use crate::source::Span;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a stage name (`FROM ... AS Name`) that is not all lowercase.
    ///
    /// ## Why is this bad?
    /// BuildKit lowercases stage names, so `Build`, `build` and `BUILD` are one stage: a name
    /// written in capitals suggests a distinction that does not exist, and the same stage ends
    /// up spelled several ways across `FROM`, `COPY --from` and `--target`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS Build
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// ```
    ///
    /// ## Fix safety
    /// The fix lowercases the name where it is defined. It is safe: references to a stage
    /// ignore case, so `COPY --from=Build` and `FROM Build` keep naming it.
    pub static RULE = Rule {
        code: "DF010",
        name: "stage-name-casing",
        category: Category::Style,
        summary: "a stage name is not lowercase",
        aliases: &["StageNameCasing"],
        fixable: true,
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for (_, _, name) in named_froms(ctx.file) {
        let lower = name.raw.to_lowercase();
        if lower != name.raw {
            ctx.report(name.span, format!("stage name `{}` is not lowercase", name.raw))
                .help(format!("write `{lower}`"))
                .fix(Fix::safe_replace(name.span, lower, "lowercase the stage name"));
        }
    }
}

/// Each `FROM ... AS name`: the instruction, the span of `AS` and the name (shared with DF011).
pub(crate) fn named_froms(file: &Dockerfile) -> impl Iterator<Item = (&Instruction, Span, &Word)> {
    file.iter().filter(|i| i.kind == Kind::From).filter_map(|ins| match &ins.body {
        Body::From(from) => from.alias.as_ref().map(|(kw, name)| (ins, *kw, name)),
        _ => None,
    })
}
