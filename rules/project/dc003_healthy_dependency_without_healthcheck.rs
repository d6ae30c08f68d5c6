use crate::compose::Service;
use crate::declare_rule;
use crate::project::{ImageHealthcheck, healthcheck_off, stage_healthcheck, target_stage};
use crate::rule::{Category, Check, ProjectContext};
use crate::source::{FileId, Span};
use std::collections::HashMap;

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
    /// Dockerfile itself. A service that `extends` another service of the same file gets the
    /// `healthcheck` and `build` of that service when it has none of its own; one that extends
    /// a service of another file is not judged. A `healthcheck` given to the service by an
    /// override file or another compose file read with it counts.
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
    /// Turned off in compose, at this span of the compose file.
    DisabledInCompose(Span),
    /// Absent or turned off in the Dockerfile: the stage's FROM line, or `HEALTHCHECK NONE`.
    InDockerfile(FileId, Span, &'static str),
}

fn check(ctx: &mut ProjectContext<'_>) {
    for f in ctx.files {
        let Some(cf) = ctx.compose(f.id) else {
            continue;
        };
        // The first service of each name, so that a dependency is found without walking
        // every service again.
        let mut by_name: HashMap<&str, Service<'_>> = HashMap::new();
        for s in cf.services() {
            by_name.entry(s.name).or_insert(s);
        }
        for service in cf.services() {
            for dep in service.depends_on() {
                let Some(condition) = dep.condition else {
                    continue;
                };
                if condition.resolved().as_deref() != Some("service_healthy") {
                    continue;
                }
                let Some(&target) = by_name.get(dep.name) else {
                    continue;
                };
                let Some(chain) = extends_chain(&by_name, target) else {
                    continue;
                };
                let Some(missing) = missing_healthcheck(ctx, f.id, &chain) else {
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
                    Missing::DisabledInCompose(span) => {
                        d.related(span, "the health check is turned off here");
                    }
                    Missing::InDockerfile(id, span, label) => {
                        d.related_in(id, span, label);
                    }
                }
            }
        }
    }
}

/// The service and the services it extends in the same file, nearest first; `None` when it
/// extends a service of another file (or a chain too long to follow), whose keys wharf does
/// not see here.
fn extends_chain<'a>(
    by_name: &HashMap<&str, Service<'a>>,
    service: Service<'a>,
) -> Option<Vec<Service<'a>>> {
    let mut chain = vec![service];
    let mut at = service;
    while let Some(e) = at.extends() {
        if e.file.is_some() || chain.len() > 8 {
            return None;
        }
        let parent = *by_name.get(e.service?.value)?;
        if chain.iter().any(|s| s.name == parent.name) {
            return None;
        }
        chain.push(parent);
        at = parent;
    }
    Some(chain)
}

fn missing_healthcheck(
    ctx: &ProjectContext<'_>,
    compose: FileId,
    chain: &[Service<'_>],
) -> Option<Missing> {
    // The nearest `healthcheck` and `build` win, as `extends` merges them; a definition of
    // the service in an override file or layer counts as its own.
    let own = chain
        .first()
        .map(|s| ctx.merged_service(compose, s.name))
        .unwrap_or_default();
    let layered = own.iter().skip(1).map(|(_, s)| *s);
    let healthcheck = chain
        .iter()
        .copied()
        .chain(layered)
        .find_map(|s| s.healthcheck());
    if let Some(hc) = healthcheck {
        return healthcheck_off(&hc).map(Missing::DisabledInCompose);
    }
    let (service, build) = chain.iter().find_map(|s| Some((s, s.build()?)))?;
    let link = ctx
        .builds
        .iter()
        .find(|l| l.compose == compose && l.service == service.name)?;
    let id = link.dockerfile_file?;
    let df = ctx.dockerfile(id)?;
    if df.template {
        return None;
    }
    let target = match build.str("target") {
        Some(t) => Some(t.resolved()?.into_owned()),
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
