use crate::declare_rule;
use crate::project::target_stage;
use crate::rule::{Category, Check, ProjectContext};

declare_rule! {
    /// ## What it does
    /// Reports a compose `build.target` that names no stage of the Dockerfile the service
    /// builds. Stage names are compared without regard to case, as BuildKit does; an
    /// interpolated target is judged by its default.
    ///
    /// ## Why is this bad?
    /// The build fails ("target stage could not be found") only when someone runs
    /// `docker compose build`, usually after the stage was renamed in the Dockerfile.
    ///
    /// ## Example
    /// ```yaml
    /// # compose.yaml
    /// services:
    ///   api:
    ///     build:
    ///       context: ./api
    ///       target: prod
    /// ```
    /// ```dockerfile
    /// # api/Dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /app .
    /// FROM gcr.io/distroless/base AS production
    /// COPY --from=build /app /app
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # compose.yaml
    /// services:
    ///   api:
    ///     build:
    ///       context: ./api
    ///       target: production
    /// ```
    /// ```dockerfile
    /// # api/Dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /app .
    /// FROM gcr.io/distroless/base AS production
    /// COPY --from=build /app /app
    /// ```
    pub static RULE = Rule {
        code: "DX001",
        name: "unknown-build-target",
        category: Category::Correctness,
        summary: "`build.target` names no stage of the Dockerfile",
        check: Check::Project(check),
    };
}

fn check(ctx: &mut ProjectContext<'_>) {
    for (link, service) in ctx.services_with_builds() {
        let (Some(id), Some(build)) = (link.dockerfile_file, service.build()) else {
            continue;
        };
        let (Some(df), Some(target)) = (ctx.dockerfile(id), build.str("target")) else {
            continue;
        };
        let Some(name) = target.resolved() else {
            continue;
        };
        if df.template || target_stage(df, Some(&name)).is_some() {
            continue;
        }
        let stages: Vec<&str> = df
            .model
            .stages
            .iter()
            .filter_map(|s| s.name.as_deref())
            .collect();
        let suggestion = crate::registry::closest(&name, stages.iter().copied());
        let help = match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None if stages.is_empty() => {
                "the Dockerfile has no named stage: name one with `FROM ... AS <name>`".to_string()
            }
            None => format!("name one of its stages: {}", quoted(&stages)),
        };
        let similar = suggestion.and_then(|s| {
            df.model
                .stages
                .iter()
                .find(|st| st.name.as_deref() == Some(s))
                .and_then(|st| st.name_span)
        });
        let related = match similar {
            Some(span) => Some((span, "a stage with a similar name")),
            None => df
                .model
                .stages
                .first()
                .and_then(|first| df.from_line_span(first, &ctx.file(id)?.source.text))
                .map(|span| (span, "the first stage of the Dockerfile")),
        };
        let d = ctx
            .report(
                link.compose,
                target.span,
                format!("no stage `{name}` in the Dockerfile"),
            )
            .help(help);
        if let Some((span, label)) = related {
            d.related_in(id, span, label);
        }
    }
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
