use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a service that has both `build` and `image` and no `pull_policy`, as dclint's
    /// `no-build-and-image` does. Off by default: naming the image a build produces (to push
    /// it, or to share it between services) is a common and valid use.
    ///
    /// ## Why is this bad?
    /// Without a `pull_policy`, `docker compose up` first tries to pull `image` and builds
    /// only when the pull fails: a stale image in a registry can silently win over the local
    /// source, and readers cannot tell which of the two the service runs. `pull_policy:
    /// build` (or `never`, `missing`) says it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     build: .
    ///     image: acme/web:1.4
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     build: .
    ///     image: acme/web:1.4
    ///     pull_policy: build
    /// ```
    pub static RULE = Rule {
        code: "DC037",
        name: "build-and-image",
        category: Category::Pedantic,
        summary: "a service has both `build` and `image` without a `pull_policy`",
        aliases: &["no-build-and-image"],
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    for service in ctx.file.services() {
        if service.image().is_none() || service.get("pull_policy").is_some() {
            continue;
        }
        let Some(build) = service.node.entry("build") else {
            continue;
        };
        ctx.report(
            build.key.span(),
            format!("service `{}` has both `build` and `image`", service.name),
        )
        .help("keep one, or say which wins with `pull_policy: build`");
    }
}
