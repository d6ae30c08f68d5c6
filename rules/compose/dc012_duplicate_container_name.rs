use crate::compose::{ComposeFile, Service, Str};
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `container_name` that another service of the file already uses. Names are
    /// compared as written (`${PREFIX}_db` twice is the same name whatever `PREFIX` is). A
    /// name that reaches two services through a merge key is reported at the second service.
    /// Two services whose `profiles` have nothing in common never run together and are not
    /// compared.
    ///
    /// ## Why is this bad?
    /// Container names are unique on a Docker host: the second container cannot be created
    /// and `docker compose up` fails with a name conflict, after it has started the first.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     container_name: app
    ///   api:
    ///     image: acme/api:2.0
    ///     container_name: app
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     container_name: app-web
    ///   api:
    ///     image: acme/api:2.0
    ///     container_name: app-api
    /// ```
    pub static RULE = Rule {
        code: "DC012",
        name: "duplicate-container-name",
        category: Category::Correctness,
        summary: "two services use the same `container_name`",
        aliases: &["no-duplicate-container-names"],
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let mut first: Vec<(Str, Service)> = Vec::new();
    for service in ctx.file.services() {
        let Some(name) = service.str("container_name") else {
            continue;
        };
        let Some((prev, prev_service)) = first
            .iter()
            .find(|(p, s)| p.value == name.value && s.can_run_with(&service))
        else {
            first.push((name, service));
            continue;
        };
        let span = if prev.span == name.span {
            service.name_span()
        } else {
            name.span
        };
        let (prev_span, prev_service) = (prev.span, prev_service.name);
        ctx.report(
            span,
            format!(
                "container name `{}` is already used by service `{prev_service}`",
                name.value
            ),
        )
        .help("container names are unique on a host: rename one, or drop `container_name`")
        .related(prev_span, "first used here");
    }
}
