use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};
use crate::settings::options;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

declare_rule! {
    /// ## What it does
    /// Reports a service of a production compose file that sets no memory limit: neither
    /// `deploy.resources.limits.memory` nor `mem_limit`.
    ///
    /// A file is for production when its name says so (`compose.prod.yaml`,
    /// `docker-compose.production.yml`); a service is when one of its `profiles` is `prod` or
    /// `production`. Elsewhere the rule stays quiet, since a development stack without limits
    /// is not wrong; the `everywhere` option makes it judge every compose file.
    ///
    /// The service is read as compose merges it (override files, other compose files of the
    /// directory, included files, `extends`): a limit any of them gives counts. The finding
    /// is in the production file that defines the service (an overlay such as
    /// `compose.prod.yaml` over `compose.yaml`), else in the file of its first definition; a
    /// service that extends a service wharf cannot see is not judged.
    ///
    /// ## Why is this bad?
    /// Without a limit a leaking or overloaded container takes the host's memory until the
    /// kernel's OOM killer ends processes, possibly those of other services or of the host
    /// itself. With a limit only the container at fault is killed and restarted.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           memory: 512M
    /// ```
    ///
    /// ## Options
    /// ```toml
    /// [rules.DC005]
    /// everywhere = true
    /// ```
    pub static RULE = Rule {
        code: "DC005",
        name: "no-memory-limit",
        category: Category::Reliability,
        summary: "a production service sets no memory limit",
        options: options::<MemoryLimitOptions>(),
        check: Check::Compose(check),
    };
}

/// Options of DC005.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct MemoryLimitOptions {
    /// Judge every compose file, not only production files and services.
    pub everywhere: bool,
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let everywhere = ctx.options::<MemoryLimitOptions>().everywhere;
    for (service, merged) in ctx.production_services(everywhere) {
        if merged.memory_limit().is_some() {
            continue;
        }
        ctx.report(
            service.name_span(),
            format!("service `{}` has no memory limit", service.name),
        )
        .help("set `deploy.resources.limits.memory` (or `mem_limit`)");
    }
}
