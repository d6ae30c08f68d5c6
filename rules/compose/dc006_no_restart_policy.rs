use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};
use crate::settings::options;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

declare_rule! {
    /// ## What it does
    /// Reports a service of a production compose file without a restart policy: neither
    /// `restart` nor `deploy.restart_policy.condition`.
    ///
    /// A file is for production when its name says so (`compose.prod.yaml`,
    /// `docker-compose.production.yml`); a service is when one of its `profiles` is `prod` or
    /// `production`. Elsewhere the rule stays quiet; the `everywhere` option makes it judge
    /// every compose file.
    ///
    /// The service is read as compose merges it (override files, other compose files of the
    /// directory, included files, `extends`): a policy any of them gives counts. The finding
    /// is in the production file that defines the service (an overlay such as
    /// `compose.prod.yaml` over `compose.yaml`), else in the file of its first definition; a
    /// service that extends a service wharf cannot see is not judged.
    ///
    /// ## Why is this bad?
    /// The default is `no`: a container that crashes, is killed for memory or stops when the
    /// Docker daemon restarts (a host reboot, an engine upgrade) stays down until someone
    /// starts it by hand.
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
    ///     restart: unless-stopped
    /// ```
    ///
    /// ## Options
    /// ```toml
    /// [rules.DC006]
    /// everywhere = true
    /// ```
    pub static RULE = Rule {
        code: "DC006",
        name: "no-restart-policy",
        category: Category::Reliability,
        summary: "a production service has no restart policy",
        options: options::<RestartPolicyOptions>(),
        check: Check::Compose(check),
    };
}

/// Options of DC006.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct RestartPolicyOptions {
    /// Judge every compose file, not only production files and services.
    pub everywhere: bool,
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let everywhere = ctx.options::<RestartPolicyOptions>().everywhere;
    for (service, merged) in ctx.production_services(everywhere) {
        if merged.restart_policy().is_some() {
            continue;
        }
        ctx.report(
            service.name_span(),
            format!("service `{}` has no restart policy", service.name),
        )
        .help("set `restart: unless-stopped` (or `deploy.restart_policy`)");
    }
}
