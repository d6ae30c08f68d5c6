use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `healthcheck.test` list whose first item is not `CMD`, `CMD-SHELL` or
    /// `NONE` (a string is fine: it runs with the container's shell, as `CMD-SHELL` does).
    ///
    /// ## Why is this bad?
    /// The first item says how to run the rest. `docker compose` rejects the file when it is
    /// anything else, and `["curl", "-f", "http://localhost"]` is the usual slip: the command
    /// was written without its `CMD`.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     healthcheck:
    ///       test: ["curl", "-f", "http://localhost:8080/health"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     healthcheck:
    ///       test: ["CMD", "curl", "-f", "http://localhost:8080/health"]
    /// ```
    pub static RULE = Rule {
        code: "DC027",
        name: "healthcheck-test-form",
        category: Category::Correctness,
        summary: "`healthcheck.test` does not start with CMD, CMD-SHELL or NONE",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        let Some(test) = service.healthcheck().and_then(|h| h.test()) else {
            continue;
        };
        if !test.exec {
            continue;
        }
        let Some(first) = test.args.first() else { continue };
        if matches!(first.value, "CMD" | "CMD-SHELL" | "NONE") || seen.contains(&first.span) {
            continue;
        }
        seen.push(first.span);
        let help = if ["cmd", "cmd-shell", "none"].contains(&first.value.to_ascii_lowercase().as_str())
        {
            format!("write `{}` in capitals", first.value.to_ascii_uppercase())
        } else {
            format!("start the list with `CMD` (`[\"CMD\", \"{}\", ...]`)", first.value)
        };
        ctx.report(
            first.span,
            format!("`healthcheck.test` starts with `{}`", first.value),
        )
        .help(help);
    }
}
