use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports `privileged: true` on a service (interpolated values judged by their default).
    ///
    /// ## Why is this bad?
    /// A privileged container gets every capability, every host device and no seccomp or
    /// AppArmor confinement: root in it is root on the host, one `mount` away. Most services
    /// that ask for it need one capability (`cap_add`) or one device (`devices`).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   vpn:
    ///     image: acme/vpn:1.2
    ///     privileged: true
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   vpn:
    ///     image: acme/vpn:1.2
    ///     cap_add: [NET_ADMIN]
    ///     devices:
    ///       - /dev/net/tun
    /// ```
    pub static RULE = Rule {
        code: "DC014",
        name: "privileged-service",
        category: Category::Security,
        summary: "a service runs privileged",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        let Some(value) = service.str("privileged") else {
            continue;
        };
        if value.as_bool() != Some(true) || seen.contains(&value.span) {
            continue;
        }
        seen.push(value.span);
        ctx.report(value.span, format!("service `{}` runs privileged", service.name))
            .help("grant only what it needs with `cap_add` and `devices`");
    }
}
