use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `container_name` that Docker does not accept as a container name: it must
    /// start with a letter or digit, continue with letters, digits, `_`, `.` or `-`, and be
    /// at least two characters long (dclint's `service-container-name-regex`,
    /// `^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`). Names with variables are judged by their defaults,
    /// and not at all when a variable has none. Off by default, as in dclint.
    ///
    /// ## Why is this bad?
    /// `docker compose up` fails to create the container with `Invalid container name`.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     container_name: shop/web
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     container_name: shop-web
    /// ```
    pub static RULE = Rule {
        code: "DC039",
        name: "invalid-container-name",
        category: Category::Pedantic,
        summary: "a `container_name` is not a valid container name",
        aliases: &["service-container-name-regex"],
        check: Check::Compose(check),
    };
}

/// `^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`.
fn is_valid(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphanumeric()
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    for service in ctx.file.services() {
        let Some(name) = service.str("container_name") else {
            continue;
        };
        let Some(value) = name.resolved() else { continue };
        if is_valid(&value) {
            continue;
        }
        ctx.report(
            name.span,
            format!("`{value}` is not a valid container name"),
        )
        .help("use letters, digits, `_`, `.` and `-`, starting with a letter or digit");
    }
}
