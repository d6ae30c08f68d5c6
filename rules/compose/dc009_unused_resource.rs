use crate::compose::{ComposeFile, VolumeKind};
use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a top-level volume, network, secret or config that no service of the file
    /// uses. A volume is used when a service mounts it by name; a network when a service
    /// joins it (the `default` network is joined by every service that names no network and
    /// has no `network_mode`); a secret when a service or its build uses it; a config when a
    /// service uses it.
    ///
    /// Not reported: a resource with its own `name` or marked `external`, which is shared
    /// with what runs outside the project (containers that a service starts by API, another
    /// project), and every resource of a file that does not parse. Only the file itself is
    /// read: a resource meant for an override file that uses it is reported too. Off by
    /// default: on the corpus one finding in 17 was a volume used by containers that a
    /// service starts through the Docker API, which no file can show.
    ///
    /// ## Why is this bad?
    /// A resource nobody uses is a leftover or a typo: a service meant to mount `db-data`
    /// mounts `db_data`, gets a fresh anonymous volume and loses its data on the next
    /// `down`. Compose still creates unused networks and volumes, and readers look for the
    /// service that needs them.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     volumes:
    ///       - db_data:/var/lib/postgresql/data
    /// volumes:
    ///   db-data:
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     volumes:
    ///       - db-data:/var/lib/postgresql/data
    /// volumes:
    ///   db-data:
    /// ```
    pub static RULE = Rule {
        code: "DC009",
        name: "unused-resource",
        category: Category::Style,
        severity: Some(Severity::Warning),
        summary: "a top-level volume, network, secret or config is not used",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    // A file that does not parse (a template) has lost the services that use its resources.
    if !ctx.file.errors.is_empty() {
        return;
    }
    let mut volumes = Vec::new();
    let mut networks = Vec::new();
    let mut secrets = Vec::new();
    let mut configs = Vec::new();
    for service in ctx.file.services() {
        for v in service.volumes() {
            if v.kind == VolumeKind::Volume
                && let Some(source) = v.source
            {
                volumes.push(source.value);
            }
        }
        let joined = service.networks();
        if joined.is_empty() && service.get("network_mode").is_none() {
            networks.push("default");
        }
        networks.extend(joined.iter().map(|n| n.name));
        secrets.extend(service.secrets().iter().map(|s| s.value));
        if let Some(build) = service.build() {
            secrets.extend(build.secrets().iter().map(|s| s.value));
        }
        configs.extend(service.configs().iter().map(|s| s.value));
    }
    let sections: [(&str, &str, &Vec<&str>); 4] = [
        ("volumes", "volume", &volumes),
        ("networks", "network", &networks),
        ("secrets", "secret", &secrets),
        ("configs", "config", &configs),
    ];
    for (section, what, used) in sections {
        for resource in ctx.file.resources(section) {
            let shared = resource.node.get("name").is_some()
                || resource.node.get("external").is_some_and(|e| !e.is_null());
            if shared || used.contains(&resource.name) {
                continue;
            }
            ctx.report(
                resource.span,
                format!("{what} `{}` is not used by any service", resource.name),
            )
            .help("remove it, or use it from the service that needs it");
        }
    }
}
