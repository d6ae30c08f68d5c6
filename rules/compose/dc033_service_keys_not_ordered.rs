use super::order::written_entries;
use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a service key written after a key that comes later in dclint's
    /// `service-keys-order` groups: `image`, `build`, `container_name`; `depends_on`;
    /// `volumes`, `volumes_from`, `configs`, `secrets`; `environment`, `env_file`; `ports`,
    /// `networks`, `network_mode`, `extra_hosts`; `command`, `entrypoint`, `working_dir`,
    /// `restart`, `healthcheck`; `logging`, `labels`; `user`, `isolation`; then every other
    /// key in alphabetical order. Keys that arrive through a merge key (`<<: *base`) are not
    /// part of the order. Off by default.
    ///
    /// ## Why is this bad?
    /// Services written in one order read alike: the image first, what it needs next, how it
    /// runs last. It is a convention, not a defect, so the rule is off unless asked for.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     ports:
    ///       - "8080:80"
    ///     image: acme/web:1.4
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     ports:
    ///       - "8080:80"
    /// ```
    pub static RULE = Rule {
        code: "DC033",
        name: "service-keys-not-ordered",
        category: Category::Style,
        summary: "the keys of a service are not in the conventional order",
        aliases: &["service-keys-order"],
        check: Check::Compose(check),
    };
}

/// dclint's default order of service keys.
const ORDER: &[&str] = &[
    "image", "build", "container_name", "depends_on", "volumes", "volumes_from", "configs",
    "secrets", "environment", "env_file", "ports", "networks", "network_mode", "extra_hosts",
    "command", "entrypoint", "working_dir", "restart", "healthcheck", "logging", "labels",
    "user", "isolation",
];

/// Where a key goes: its place in [`ORDER`], or after all of them.
fn rank(key: &str) -> usize {
    ORDER.iter().position(|k| *k == key).unwrap_or(ORDER.len())
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    for root in ctx.file.roots() {
        let Some(services) = root.get("services") else {
            continue;
        };
        for service in written_entries(services) {
            let mut prev: Option<(&str, usize)> = None;
            for entry in written_entries(service.value) {
                let Some(key) = entry.key_str() else { continue };
                let r = rank(key);
                match prev {
                    Some((p, pr))
                        if r < pr
                            || (r == ORDER.len()
                                && pr == ORDER.len()
                                && key.to_ascii_lowercase() < p.to_ascii_lowercase()) =>
                    {
                        ctx.report(
                            entry.key.span(),
                            format!("key `{key}` should come before `{p}`"),
                        )
                        .help("order the keys: image and build first, then dependencies, data, environment, network, runtime, metadata, security, others");
                    }
                    _ => prev = Some((key, r)),
                }
            }
        }
    }
}
