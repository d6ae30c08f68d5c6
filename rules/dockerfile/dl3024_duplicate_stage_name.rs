use crate::declare_rule;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a stage name (`FROM ... AS name`) that an earlier stage already uses. Names are
    /// compared without regard to case, as BuildKit lowercases them.
    ///
    /// ## Why is this bad?
    /// BuildKit refuses the Dockerfile: a name must say which stage `COPY --from`, `FROM` and
    /// `--target` mean.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// FROM alpine:3.20 AS build
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// FROM alpine:3.20 AS runtime
    /// ```
    pub static RULE = Rule {
        code: "DL3024",
        name: "duplicate-stage-name",
        category: Category::Correctness,
        summary: "two stages have the same name",
        aliases: &["DuplicateStageName"],
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let stages = &ctx.file.model.stages;
    for (k, stage) in stages.iter().enumerate() {
        let (Some(name), Some(span)) = (&stage.name, stage.name_span) else {
            continue;
        };
        let earlier = stages[..k]
            .iter()
            .find(|s| s.name.as_ref() == Some(name))
            .and_then(|s| s.name_span);
        if let Some(first) = earlier {
            ctx.report(span, format!("stage name `{name}` is already used"))
                .related(first, "first used here")
                .help("give each stage its own name");
        }
    }
}
