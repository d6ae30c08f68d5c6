use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports `cap_add` entries that grant `ALL` capabilities or `SYS_ADMIN` (with or without
    /// the `CAP_` prefix, in any case).
    ///
    /// ## Why is this bad?
    /// `ALL` is `privileged` without the devices. `SYS_ADMIN` is the catch-all capability:
    /// it allows `mount`, namespace and BPF operations and most of the known container
    /// escapes. A service that needs one operation needs a narrower capability
    /// (`NET_ADMIN`, `SYS_PTRACE`, `NET_BIND_SERVICE`) or a device.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   fuse:
    ///     image: acme/fuse:1.0
    ///     cap_add:
    ///       - SYS_ADMIN
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   fuse:
    ///     image: acme/fuse:1.0
    ///     devices:
    ///       - /dev/fuse
    /// ```
    pub static RULE = Rule {
        code: "DC022",
        name: "dangerous-capability",
        category: Category::Security,
        summary: "`cap_add` grants ALL or SYS_ADMIN",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        for cap in service.list("cap_add") {
            let Some(value) = cap.resolved() else { continue };
            let upper = value.trim().to_ascii_uppercase();
            let name = upper.strip_prefix("CAP_").unwrap_or(&upper);
            let what = match name {
                "ALL" => "every capability",
                "SYS_ADMIN" => "`SYS_ADMIN`",
                _ => continue,
            };
            if seen.contains(&cap.span) {
                continue;
            }
            seen.push(cap.span);
            ctx.report(cap.span, format!("service `{}` is granted {what}", service.name))
                .help("add only the narrow capabilities the service needs");
        }
    }
}
