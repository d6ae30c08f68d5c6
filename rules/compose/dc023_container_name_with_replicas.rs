use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `container_name` on a service that asks for more than one container
    /// (`deploy.replicas` or `scale` above 1, interpolated values judged by their default).
    ///
    /// ## Why is this bad?
    /// Every container needs its own name: compose refuses to create a second container with
    /// the same fixed name, so the service cannot scale.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: acme/worker:1.0
    ///     container_name: worker
    ///     deploy:
    ///       replicas: 3
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: acme/worker:1.0
    ///     deploy:
    ///       replicas: 3
    /// ```
    pub static RULE = Rule {
        code: "DC023",
        name: "container-name-with-replicas",
        category: Category::Correctness,
        summary: "`container_name` is set on a service with several replicas",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    for service in ctx.file.services() {
        let (Some(name), Some((n, replicas))) = (service.str("container_name"), service.replicas())
        else {
            continue;
        };
        if n <= 1 {
            continue;
        }
        ctx.report(
            name.span,
            format!("`container_name` on service `{}` with {n} replicas", service.name),
        )
        .help("remove `container_name`; each replica needs its own name")
        .related(replicas.span, "replicas set here");
    }
}
