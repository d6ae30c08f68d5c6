use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `depends_on` entry that waits only for a service to start when that service
    /// has a healthcheck: the short form (`depends_on: [db]`), a long-form entry without a
    /// `condition`, or `condition: service_started`.
    ///
    /// Only healthchecks written in the compose file count (merge keys included); one that is
    /// turned off (`disable: true`, `test: ["NONE"]`) does not.
    ///
    /// ## Why is this bad?
    /// A started container is not a ready one: a database takes seconds to accept connections
    /// after its process starts, and a service that connects at once fails or crash-loops.
    /// The healthcheck is already there to say when the dependency is ready; waiting for
    /// `service_healthy` uses it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     depends_on:
    ///       - db
    ///   db:
    ///     image: postgres:16
    ///     healthcheck:
    ///       test: ["CMD", "pg_isready", "-U", "postgres"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     depends_on:
    ///       db:
    ///         condition: service_healthy
    ///   db:
    ///     image: postgres:16
    ///     healthcheck:
    ///       test: ["CMD", "pg_isready", "-U", "postgres"]
    /// ```
    pub static RULE = Rule {
        code: "DC002",
        name: "depends-on-not-healthy",
        category: Category::Reliability,
        summary: "`depends_on` waits only for the start of a service that has a healthcheck",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    for service in ctx.file.services() {
        for dep in service.depends_on() {
            let Some(target) = ctx.file.service(dep.name) else {
                continue;
            };
            if target.healthcheck().is_none_or(|h| h.is_disabled()) {
                continue;
            }
            let span = match dep.condition {
                Some(c) if c.value == "service_started" => c.span,
                Some(_) => continue,
                None => dep.span,
            };
            ctx.report(
                span,
                format!("`{}` waits for `{}` to start, not to be healthy", service.name, dep.name),
            )
            .help("wait for it with `condition: service_healthy`");
        }
    }
}
