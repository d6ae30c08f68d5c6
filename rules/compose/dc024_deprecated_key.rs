use crate::compose::{ComposeFile, EntryRef, NodeRef, spec};
use crate::declare_rule;
use crate::diagnostic::{Fix, Severity};
use crate::source::Span;
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
    ///
    /// ## Fix safety
    /// `external: {name: x}` is rewritten as `external: true` and `name: x`, at the same
    /// indentation. The fix is safe: Compose reads both forms as the same external resource.
    /// It is offered only when `name` is all `external` holds, the resource has no `name` of
    /// its own, and no comment sits inside. The other deprecated forms have no mechanical
    /// replacement, so they get no fix.
    pub static RULE = Rule {
        code: "DC024",
        name: "deprecated-key",
        category: Category::Style,
        severity: Some(Severity::Warning),
        enabled: Some(true),
        summary: "a deprecated compose key or form is used",
        fixable: true,
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
            let fix = external_name_fix(&ctx.source.text, resource.node, external, name);
            let d = ctx
                .report(span, "`external.name` is deprecated")
                .help("set `name:` on the resource and `external: true`");
            if let Some(fix) = fix {
                d.fix(fix);
            }
        }
    }
}

/// The fix of `external: {name: x}`: `external: true` and `name: x` on the resource, written
/// at the indentation of `external`. Only where that is all `external` holds, the resource has
/// no `name` of its own, `external` starts its line, and no comment would be lost.
fn external_name_fix(
    text: &str,
    resource: NodeRef<'_>,
    external: NodeRef<'_>,
    name: EntryRef<'_>,
) -> Option<Fix> {
    if resource.get("name").is_some() || external.entries().count() != 1 {
        return None;
    }
    let key = resource.entry("external")?.key.span();
    let line_start = text.get(..key.start as usize)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = text.get(line_start..key.start as usize)?;
    if !indent.chars().all(|c| c == ' ') {
        return None;
    }
    let value = name.value.span();
    let end = external.span().end.max(value.end);
    let tail = text.get(value.end as usize..end as usize)?.trim();
    let between = text.get(key.start as usize..value.start as usize)?;
    if !(tail.is_empty() || tail == "}") || between.contains('#') {
        return None;
    }
    let written = text.get(value.range())?;
    Some(Fix::safe_replace(
        Span::new(key.start, end),
        format!("external: true\n{indent}name: {written}"),
        "move the name to `name:` and write `external: true`",
    ))
}
