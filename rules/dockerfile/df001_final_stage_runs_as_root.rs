use crate::declare_rule;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Checks that the final stage of a Dockerfile, or a stage it builds on through
    /// `FROM <earlier stage>`, sets a `USER`.
    ///
    /// ## Why is this bad?
    /// Without a `USER` instruction the container runs as root. A process that escapes the
    /// container, or a bug in the application, then has root's rights over the container's
    /// files and any mounted volume. Base images tagged `nonroot` or `rootless` already switch
    /// user and are not reported.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN useradd --create-home app
    /// COPY app.py /app/
    /// USER app
    /// CMD ["python", "/app/app.py"]
    /// ```
    pub static RULE = Rule {
        code: "DF001",
        name: "final-stage-runs-as-root",
        category: Category::Security,
        summary: "the final stage never sets a non-root USER",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    let Some((stage, end)) = df.model.final_stage_state() else {
        return;
    };
    if end.user.is_some() {
        return;
    }
    let root_image = df
        .model
        .root_of(stage.index)
        .map(|s| s.image.to_ascii_lowercase())
        .unwrap_or_default();
    if ["nonroot", "non-root", "rootless"]
        .iter()
        .any(|t| root_image.contains(t))
    {
        return;
    }
    if let Some(span) = df.from_line_span(stage, &ctx.source.text) {
        ctx.report(span, "the final stage runs as root")
            .help("add a `USER` instruction with a non-root user before `CMD`/`ENTRYPOINT`");
    }
}
