use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `container_name` on a service that asks for more than one container
    /// (`deploy.replicas` or `scale` above 1, interpolated values judged by their default).
    /// The service is read as compose merges it, so the name and the replicas may come from
    /// different files (a base file and its override file).
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
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        // The service as compose merges it: the name and the replicas may be in different
        // files (a base and its override); the finding is where the name is written.
        let Some(merged) = ctx.effective_service(service.name) else {
            continue;
        };
        let Some(name) = merged.str("container_name") else {
            continue;
        };
        let replicas = merged
            .first("deploy", |s| s.deploy()?.str("replicas"))
            .or_else(|| merged.str("scale"));
        let Some(replicas) = replicas else {
            continue;
        };
        let Some(n) = replicas.value.as_int() else {
            continue;
        };
        if n <= 1 || name.file != ctx.file_id || seen.contains(&name.value.span) {
            continue;
        }
        seen.push(name.value.span);
        ctx.report(
            name.value.span,
            format!("`container_name` on service `{}` with {n} replicas", service.name),
        )
        .help("remove `container_name`; each replica needs its own name")
        .related_in(replicas.file, replicas.value.span, "replicas set here");
    }
}
