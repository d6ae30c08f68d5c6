use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a service whose root file system is writable: `read_only` is absent or not
    /// true. Off by default: many images write to their own file system and need `tmpfs`
    /// mounts or volumes before they can run read-only.
    ///
    /// ## Why is this bad?
    /// An attacker who gets code running in the container can change its binaries and
    /// configuration, or drop tools, and the change lasts as long as the container. A
    /// read-only root with `tmpfs` for the few paths that need writes takes that away and
    /// shows exactly where the service writes.
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
    ///     read_only: true
    ///     tmpfs:
    ///       - /tmp
    /// ```
    pub static RULE = Rule {
        code: "DC029",
        name: "writable-root-filesystem",
        category: Category::Pedantic,
        severity: Some(Severity::Warning),
        summary: "a service's root file system is writable",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    for service in ctx.file.services() {
        let value = service.str("read_only");
        if value.and_then(|v| v.as_bool()) == Some(true) {
            continue;
        }
        let span = value.map_or(service.name_span(), |v| v.span);
        ctx.report(
            span,
            format!("service `{}` has a writable root file system", service.name),
        )
        .help("set `read_only: true` and give the paths it writes a `tmpfs` or a volume");
    }
}
