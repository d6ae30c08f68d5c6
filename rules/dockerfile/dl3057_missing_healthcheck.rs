use crate::declare_rule;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Checks that the final stage (or a stage it builds on) declares a `HEALTHCHECK`.
    /// `HEALTHCHECK NONE` counts: it records that the image deliberately has none.
    ///
    /// ## Why is this bad?
    /// Without a health check, Docker and compose only know whether the process is running,
    /// not whether it works. `depends_on: condition: service_healthy` and orchestrators'
    /// restart policies need one.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// COPY site/ /usr/share/nginx/html/
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM nginx:1.27
    /// COPY site/ /usr/share/nginx/html/
    /// HEALTHCHECK --interval=30s --timeout=3s CMD ["curl", "-fs", "http://localhost/"]
    /// ```
    pub static RULE = Rule {
        code: "DL3057",
        name: "missing-healthcheck",
        category: Category::Reliability,
        summary: "the final stage has no HEALTHCHECK",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    let Some((stage, end)) = df.model.final_stage_state() else {
        return;
    };
    if end.healthcheck.is_none()
        && let Some(span) = df.from_line_span(stage, &ctx.source.text)
    {
        ctx.report(span, "the final stage has no HEALTHCHECK")
            .help("add `HEALTHCHECK CMD ...`, or `HEALTHCHECK NONE` to record that none is wanted");
    }
}
