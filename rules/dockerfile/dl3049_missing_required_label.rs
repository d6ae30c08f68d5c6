use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::dockerfile::{Body, Dockerfile, Stage};
use crate::rule::{Category, Check, Context};
use crate::settings::options;
use super::labels::LabelSchema;

declare_rule! {
    /// ## What it does
    /// Reports a stage that lacks a label of the configured label schema, once per missing
    /// label, at the stage's `FROM`. A stage inherits the labels of the stage it builds on
    /// (`FROM <earlier stage>`, also when a global `ARG` names that stage), and stages that are only copied from (`COPY --from=<stage>`)
    /// are not reported: they never become an image. The rule does nothing until a label
    /// schema is configured.
    ///
    /// ## Why is this bad?
    /// Registries, scanners and people find out who owns an image, where its source lives and
    /// which version it is from its labels. A schema makes those labels mandatory; an image
    /// built without them is anonymous.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="ops@example.com"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="ops@example.com" \
    ///       org.opencontainers.image.source="https://github.com/acme/app"
    /// ```
    ///
    /// ## Options
    /// The label schema lives here and is shared by the label rules (DL3049-DL3058).
    /// ```toml
    /// [rules.DL3049]
    /// label-schema = { maintainer = "email", "org.opencontainers.image.source" = "url" }
    /// strict-labels = false
    /// ```
    /// hadolint's `label-schema`, `strict-labels`, `HADOLINT_REQUIRE_LABELS` and
    /// `HADOLINT_STRICT_LABELS` set the same options.
    pub static RULE = Rule {
        code: "DL3049",
        name: "missing-required-label",
        category: Category::Style,
        enabled: Some(true),
        severity: Some(Severity::Info),
        summary: "a stage lacks a label that the label schema requires",
        options: options::<LabelSchema>(),
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let settings = ctx.options::<LabelSchema>();
    if settings.label_schema.is_empty() {
        return;
    }
    let df = ctx.file;
    for stage in &df.model.stages {
        if stage.copied_from {
            continue;
        }
        let Some(from) = df.get(stage.from) else {
            continue;
        };
        let span = from.first_line_span(&ctx.source.text);
        for label in settings.label_schema.keys() {
            let defined = df
                .model
                .ancestry(stage.index)
                .any(|s| stage_has_label(df, s, label));
            if !defined {
                ctx.report(span, format!("label `{label}` is missing from this stage"))
                    .help(format!("add `LABEL {label}=...` to the stage"));
            }
        }
    }
}

fn stage_has_label(df: &Dockerfile, stage: &Stage, label: &str) -> bool {
    df.stage_instructions(stage)
        .any(|(_, ins)| match &ins.body {
            Body::Label(kvs) => kvs.iter().any(|kv| kv.key.value == label),
            _ => false,
        })
}
