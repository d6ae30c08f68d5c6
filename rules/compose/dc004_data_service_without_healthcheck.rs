use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a database, cache, broker or search engine service (judged by its image:
    /// `postgres`, `mysql`, `mariadb`, `mongo`, `redis`, `valkey`, `rabbitmq`, Kafka,
    /// Elasticsearch, OpenSearch, ...; the table is in `src/knowledge/images.rs`) that has no
    /// healthcheck, or one that is turned off. Most of these official images define no
    /// `HEALTHCHECK` of their own.
    ///
    /// The service is read as compose merges it: keys given by an override file, another
    /// compose file of the same directory, an included file or a service it `extends` count.
    /// It is judged once, in the file of its first definition (the base file); a service that
    /// extends a service wharf cannot see (a file outside the run) is not judged.
    ///
    /// ## Why is this bad?
    /// Such services accept connections seconds or minutes after their container starts.
    /// Without a healthcheck, services that depend on them can only wait for the start
    /// (`depends_on` without `condition: service_healthy`) and fail on their first
    /// connection; `docker compose ps` shows the service as up while it is still recovering
    /// or has stopped answering.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     healthcheck:
    ///       test: ["CMD-SHELL", "pg_isready -U postgres"]
    ///       interval: 10s
    ///       retries: 5
    /// ```
    pub static RULE = Rule {
        code: "DC004",
        name: "data-service-without-healthcheck",
        category: Category::Reliability,
        summary: "a database, cache or broker service has no healthcheck",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    for service in ctx.file.services() {
        // The service as compose merges it, judged once, in the file of its first definition;
        // not judged when it extends a service wharf cannot see.
        let Some(merged) = ctx.effective_service(service.name) else {
            continue;
        };
        if !merged.is_home(ctx.file_id) || merged.incomplete {
            continue;
        }
        let Some(data) = merged.data_service() else {
            continue;
        };
        if merged.health().is_on() {
            continue;
        }
        ctx.report(
            service.name_span(),
            format!("{} service `{}` has no healthcheck", data.kind, service.name),
        )
        .help("add a `healthcheck` so that dependants can wait for `service_healthy`");
    }
}
