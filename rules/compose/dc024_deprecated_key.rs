use crate::compose::{ComposeFile, spec};
use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports service keys and forms that the Compose Specification marks as deprecated:
    /// `links`, `scale` (the keys the specification table in `src/compose/spec.rs` marks),
    /// `volumes_from` naming a container (`container:name`) rather than a service, and
    /// `external: {name: ...}` on a top-level network, volume, secret or config. The
    /// top-level `version` key is DC001's.
    ///
    /// ## Why is this bad?
    /// Deprecated forms are kept for old files and may go in a later Compose release. Each
    /// has a replacement that says more: services reach each other by name on a shared
    /// network without `links`; `deploy.replicas` is the one place for the number of
    /// containers; `name` with `external: true` names an outside resource.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     links:
    ///       - db
    ///   db:
    ///     image: postgres:16
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     depends_on:
    ///       - db
    ///   db:
    ///     image: postgres:16
    /// ```
    pub static RULE = Rule {
        code: "DC024",
        name: "deprecated-key",
        category: Category::Style,
        severity: Some(Severity::Warning),
        enabled: Some(true),
        summary: "a deprecated compose key or form is used",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        for field in spec::SERVICE.fields {
            let Some(why) = field.deprecated else { continue };
            let Some(entry) = service.node.entry(field.name) else {
                continue;
            };
            let span = entry.key.span();
            if seen.contains(&span) {
                continue;
            }
            seen.push(span);
            let help = match field.name {
                "links" => "remove `links`; use `depends_on` for start order",
                "scale" => "use `deploy.replicas`",
                _ => "use the replacement the message names",
            };
            ctx.report(span, why).help(help);
        }
        for from in service.list("volumes_from") {
            if from.value.starts_with("container:") && !seen.contains(&from.span) {
                seen.push(from.span);
                ctx.report(
                    from.span,
                    "`volumes_from` a container is deprecated: name a service or share a named volume",
                )
                .help("declare a named volume and mount it in both services");
            }
        }
    }
    for section in ["networks", "volumes", "secrets", "configs"] {
        for resource in ctx.file.resources(section) {
            let Some(external) = resource.node.get("external") else {
                continue;
            };
            let Some(name) = external.entry("name") else {
                continue;
            };
            let span = name.key.span();
            if seen.contains(&span) {
                continue;
            }
            seen.push(span);
            ctx.report(span, "`external.name` is deprecated")
                .help("set `name:` on the resource and `external: true`");
        }
    }
}
