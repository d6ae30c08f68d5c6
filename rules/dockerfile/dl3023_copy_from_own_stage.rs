use crate::declare_rule;
use crate::dockerfile::{Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `COPY --from=NAME` inside the stage that is itself named `NAME` (names
    /// compared without regard to case, as BuildKit lowercases them).
    ///
    /// ## Why is this bad?
    /// A stage cannot copy from itself: BuildKit reports a circular dependency and the build
    /// fails. The name is usually a typo for an earlier stage.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// COPY --from=build /src/app /usr/local/bin/app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM alpine:3.20
    /// COPY --from=build /out/app /usr/local/bin/app
    /// ```
    pub static RULE = Rule {
        code: "DL3023",
        name: "copy-from-own-stage",
        category: Category::Correctness,
        summary: "COPY --from names its own stage",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for stage in &ctx.file.model.stages {
        let Some(name) = &stage.name else { continue };
        for (_, ins) in ctx.file.stage_instructions(stage) {
            let Some(from) = ins.flag("from").filter(|_| ins.kind == Kind::Copy) else {
                continue;
            };
            let Some(value) = from.value.as_ref() else {
                continue;
            };
            if value.value.eq_ignore_ascii_case(name) {
                ctx.report(value.span, format!("COPY --from names its own stage `{name}`"))
                    .related(stage.name_span.unwrap_or(value.span), "the stage is named here")
                    .help("name an earlier stage or an image");
            }
        }
    }
}
