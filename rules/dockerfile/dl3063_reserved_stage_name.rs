use crate::declare_rule;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a stage named `scratch` or `context`, in any letter case.
    ///
    /// ## Why is this bad?
    /// Both words already mean something to BuildKit: `scratch` is the empty image and
    /// `context` names the build context in `COPY --from` and `--build-context`. A stage with
    /// such a name is refused or, worse, shadows the meaning a reader expects.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20 AS context
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20 AS sources
    /// ```
    pub static RULE = Rule {
        code: "DL3063",
        name: "reserved-stage-name",
        category: Category::Correctness,
        summary: "a stage is named scratch or context",
        aliases: &["ReservedStageName"],
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for stage in &ctx.file.model.stages {
        let (Some(name), Some(span)) = (&stage.name, stage.name_span) else {
            continue;
        };
        if name == "scratch" || name == "context" {
            ctx.report(span, format!("stage name `{name}` is reserved"))
                .help("pick another name for the stage");
        }
    }
}
