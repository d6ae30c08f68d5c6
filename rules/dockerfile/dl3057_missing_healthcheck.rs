use crate::declare_rule;
use crate::dockerfile::{Dockerfile, Kind};
use crate::rule::{Category, Check, Context};
use crate::settings::options;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

declare_rule! {
    /// ## What it does
    /// Checks that the final stage of a network service declares a `HEALTHCHECK`, in itself
    /// or in a stage it builds on (`FROM <stage>`). `HEALTHCHECK NONE` counts: it records that
    /// the image deliberately has none.
    ///
    /// By default the rule asks only when the final stage chain declares `EXPOSE`, the mark of
    /// a long-running network service. Tool images, base images, toolchains and build stages
    /// have nothing to probe, and a health check would be noise there. `EXPOSE` inherited from
    /// the base image's config is not known to wharf and does not count.
    ///
    /// When the Dockerfile is linted with a compose file that builds it (its final stage), the
    /// compose service counts too: a `healthcheck:` with a `test` of its own there is enough,
    /// and a service that publishes `ports` marks a network service as `EXPOSE` does. The
    /// service is read as compose merges it: what an override file, a layer over the base
    /// file, an included file or a service it `extends` gives counts.
    ///
    /// This differs from hadolint, whose DL3057 asks every Dockerfile (and is off by default
    /// there); `require = "always"` restores that reading.
    ///
    /// ## Why is this bad?
    /// Without a health check, Docker and compose only know whether the process is running,
    /// not whether it answers. `depends_on: condition: service_healthy`, rolling updates and
    /// orchestrators' restart policies need one.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// COPY site/ /usr/share/nginx/html/
    /// EXPOSE 80
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM nginx:1.27
    /// COPY site/ /usr/share/nginx/html/
    /// EXPOSE 80
    /// HEALTHCHECK --interval=30s --timeout=3s CMD ["curl", "-fs", "http://localhost/"]
    /// ```
    ///
    /// ## Options
    /// ```toml
    /// [rules.DL3057]
    /// # "exposed" (default): only when the final stage chain declares EXPOSE;
    /// # "always": every Dockerfile, as hadolint does.
    /// require = "always"
    /// ```
    pub static RULE = Rule {
        code: "DL3057",
        name: "missing-healthcheck",
        category: Category::Reliability,
        summary: "the final stage has no HEALTHCHECK",
        options: options::<HealthcheckOptions>(),
        check: Check::Dockerfile(check),
    };
}

/// Options of DL3057.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct HealthcheckOptions {
    /// When the final stage needs a `HEALTHCHECK`: `exposed` when its stage chain declares
    /// `EXPOSE`, `always` for every Dockerfile, as hadolint does.
    pub require: HealthcheckRequired,
}

/// When DL3057 asks the final stage for a `HEALTHCHECK`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum HealthcheckRequired {
    /// Only when the final stage chain declares `EXPOSE`: a long-running network service.
    #[default]
    Exposed,
    /// Always, as hadolint does.
    Always,
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    let Some((stage, end)) = df.model.final_stage_state() else {
        return;
    };
    if end.healthcheck.is_some() {
        return;
    }
    // A compose service that builds the image and checks its health itself is enough.
    if ctx.built_by.iter().any(|b| b.healthcheck) {
        return;
    }
    let published = ctx.built_by.iter().find(|b| b.ports.is_some());
    let expose = df
        .model
        .ancestry(stage.index)
        .flat_map(|s| df.stage_instructions(s))
        .find(|(_, ins)| ins.kind == Kind::Expose)
        .map(|(_, ins)| ins.first_line_span(&ctx.source.text));
    if expose.is_none()
        && published.is_none()
        && ctx.options::<HealthcheckOptions>().require == HealthcheckRequired::Exposed
    {
        return;
    }
    let Some(span) = df.from_line_span(stage, &ctx.source.text) else {
        return;
    };
    let d = ctx
        .report(span, "the final stage has no HEALTHCHECK")
        .help("add `HEALTHCHECK CMD ...`, or `HEALTHCHECK NONE` to record that none is wanted");
    if let Some(at) = expose {
        d.related(at, "it serves on a port declared here");
    }
    if let Some(b) = published
        && let Some(ports) = b.ports
    {
        d.related_in(
            b.compose,
            ports,
            format!("the compose service `{}` publishes ports", b.service),
        );
    }
}
