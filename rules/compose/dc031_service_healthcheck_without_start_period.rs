use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a service healthcheck with a `test` but no `start_period`. Off by default, as
    /// DF023 is for `HEALTHCHECK` in Dockerfiles: many services start fast enough for the
    /// default.
    /// A `start_period` (or `disable: true`) that an override file, a layer or an extended
    /// service gives the same service counts.
    ///
    /// ## Why is this bad?
    /// Without a start period, failed checks count from the first second: a service that
    /// needs a minute to migrate its database or warm a cache is marked unhealthy (and
    /// restarted by orchestrators) before it had a chance. Within the start period failures
    /// do not count, and a success ends it early.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     healthcheck:
    ///       test: ["CMD", "curl", "-f", "http://localhost:8080/health"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     healthcheck:
    ///       test: ["CMD", "curl", "-f", "http://localhost:8080/health"]
    ///       start_period: 30s
    /// ```
    pub static RULE = Rule {
        code: "DC031",
        name: "service-healthcheck-without-start-period",
        category: Category::Pedantic,
        summary: "a healthcheck has no `start_period`",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        let Some(health) = service.healthcheck() else {
            continue;
        };
        if health.is_disabled() || health.str("start_period").is_some() {
            continue;
        }
        // An override file, a layer or an extended service may give the rest.
        if let Some(merged) = ctx.effective_service(service.name)
            && (!merged.health().is_on()
                || merged
                    .first("healthcheck", |s| s.healthcheck()?.str("start_period"))
                    .is_some())
        {
            continue;
        }
        let Some(test) = health.test() else { continue };
        if seen.contains(&test.span) {
            continue;
        }
        seen.push(test.span);
        let key = health
            .node
            .entry("test")
            .map_or(test.span, |e| e.key.span());
        ctx.report(
            key,
            format!("the healthcheck of `{}` has no `start_period`", service.name),
        )
        .help("set `start_period` to the time the service needs to start");
    }
}
