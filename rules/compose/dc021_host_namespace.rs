use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a service that shares a namespace with the host: `network_mode: host`,
    /// `pid: host`, `ipc: host`, `uts: host` or `userns_mode: host`.
    ///
    /// ## Why is this bad?
    /// Each of these removes a wall between the container and the host. With the host's
    /// network the container can bind any port and reach services listening on localhost;
    /// with its process namespace it sees (and as root can signal or trace) every process;
    /// with its IPC namespace it reads shared memory of host processes; `userns_mode: host`
    /// turns off user namespace remapping, so root in the container is root on the host.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     network_mode: host
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     ports:
    ///       - "8080:8080"
    /// ```
    pub static RULE = Rule {
        code: "DC021",
        name: "host-namespace",
        category: Category::Security,
        summary: "a service shares a namespace with the host",
        check: Check::Compose(check),
    };
}

/// The keys that can name the host's namespace, and which namespace that is.
const KEYS: &[(&str, &str)] = &[
    ("network_mode", "network"),
    ("pid", "process"),
    ("ipc", "IPC"),
    ("uts", "UTS"),
    ("userns_mode", "user"),
];

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        for (key, what) in KEYS {
            let Some(value) = service.str(key) else { continue };
            let is_host = value.resolved().is_some_and(|v| v.trim() == "host");
            if !is_host || seen.contains(&value.span) {
                continue;
            }
            seen.push(value.span);
            ctx.report(
                value.span,
                format!("service `{}` uses the host's {what} namespace", service.name),
            )
            .help(format!("remove `{key}: host` unless the service cannot work without it"));
        }
    }
}
