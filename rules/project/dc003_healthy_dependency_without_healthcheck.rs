use crate::compose::project::{Effective, Health};
use crate::declare_rule;
use crate::project::{ImageHealthcheck, stage_healthcheck, target_stage};
use crate::rule::{Category, Check, ProjectContext};
use crate::source::{FileId, Span};

declare_rule! {
    /// ## What it does
    /// Reports `depends_on` with `condition: service_healthy` on a service that has no
    /// health check: none in compose, and none in the stage of the Dockerfile it builds
    /// (`build.target`, or the last stage), that stage's ancestors included. A health check
    /// turned off (`disable: true`, `test: ["NONE"]`, `HEALTHCHECK NONE`) counts as none.
    ///
    /// A service that runs a pulled image without a `healthcheck:` of its own is not judged:
    /// the image may declare one that wharf cannot see. The same goes for a `HEALTHCHECK` that
    /// the base image of the Dockerfile would provide, so the rule asks for one in the
    /// Dockerfile itself. The service is read as compose merges it: a `healthcheck` or a
    /// `build` given by an override file, another compose file read with it, or a service it
    /// `extends` (in the same file or another file of the run) counts. A service that extends
    /// a service wharf cannot see (a file outside the run) is not judged.
    ///
    /// ## Why is this bad?
    /// `docker compose up` fails when it starts the dependent service: the container it waits
    /// for never becomes healthy, because nothing checks its health.
    ///
    /// ## Example
    /// ```yaml
    /// # compose.yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     depends_on:
    ///       api:
    ///         condition: service_healthy
    ///   api:
    ///     build: ./api
    /// ```
    /// ```dockerfile
    /// # api/Dockerfile
    /// FROM node:22-alpine
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # compose.yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     depends_on:
    ///       api:
    ///         condition: service_healthy
    ///   api:
    ///     build: ./api
    /// ```
    /// ```dockerfile
    /// # api/Dockerfile
    /// FROM node:22-alpine
    /// HEALTHCHECK CMD wget -qO- http://localhost:3000/health || exit 1
    /// CMD ["node", "server.js"]
    /// ```
    pub static RULE = Rule {
        code: "DC003",
        name: "healthy-dependency-without-healthcheck",
        category: Category::Correctness,
        summary: "`condition: service_healthy` on a service with no health check",
        check: Check::Project(check),
    };
}

/// Why a service has no health check, and where that is written.
enum Missing {
    /// Turned off in compose, at this span of this compose file.
    DisabledInCompose(FileId, Span),
    /// Absent or turned off in the Dockerfile: the stage's FROM line, or `HEALTHCHECK NONE`.
    InDockerfile(FileId, Span, &'static str),
}

fn check(ctx: &mut ProjectContext<'_>) {
    for f in ctx.files {
        let Some(cf) = ctx.compose(f.id) else {
            continue;
        };
        for service in cf.services() {
            for dep in service.depends_on() {
                let Some(condition) = dep.condition else {
                    continue;
                };
                if condition.resolved().as_deref() != Some("service_healthy") {
                    continue;
                }
                let Some(target) = ctx.effective_service(f.id, dep.name) else {
                    continue;
                };
                let Some(missing) = missing_healthcheck(ctx, &target) else {
                    continue;
                };
                let name = dep.name;
                let d = ctx
                    .report(
                        f.id,
                        condition.span,
                        format!("`{name}` has no health check to become healthy"),
                    )
                    .help(format!(
                        "give `{name}` a `healthcheck:` in compose or a HEALTHCHECK in its Dockerfile, or wait for `service_started`"
                    ));
                match missing {
                    Missing::DisabledInCompose(id, span) => {
                        d.related_in(id, span, "the health check is turned off here");
                    }
                    Missing::InDockerfile(id, span, label) => {
                        d.related_in(id, span, label);
                    }
                }
            }
        }
    }
}

fn missing_healthcheck(ctx: &ProjectContext<'_>, service: &Effective<'_>) -> Option<Missing> {
    // Keys may come from an extended service wharf does not see.
    if service.incomplete {
        return None;
    }
    match service.health() {
        Health::Off(at) => return Some(Missing::DisabledInCompose(at.file, at.value)),
        Health::Settings(_) | Health::Test(_) => return None,
        Health::Absent => {}
    }
    // The Dockerfile of the definition that gives `build`.
    let (def, _) = service.giving("build").into_iter().next()?;
    def.service.build()?;
    let link = ctx
        .builds
        .iter()
        .find(|l| l.compose == def.file && l.service == def.service.name)?;
    let id = link.dockerfile_file?;
    let df = ctx.dockerfile(id)?;
    if df.template {
        return None;
    }
    let target = match service.build_str("target") {
        Some(t) => Some(t.value.resolved()?.into_owned()),
        None => None,
    };
    let stage = target_stage(df, target.as_deref())?;
    let text = &ctx.file(id)?.source.text;
    match stage_healthcheck(df, stage) {
        ImageHealthcheck::Cmd(_) => None,
        ImageHealthcheck::Disabled(at) => {
            let span = df.instructions.get(at)?.first_line_span(text);
            Some(Missing::InDockerfile(id, span, "the health check is turned off here"))
        }
        ImageHealthcheck::Absent => {
            let span = df.from_line_span(stage, text)?;
            Some(Missing::InDockerfile(
                id,
                span,
                "the image is built from this stage, which has no HEALTHCHECK",
            ))
        }
    }
}
