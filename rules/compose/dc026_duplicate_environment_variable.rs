use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a variable set twice in one service's `environment` list (`- KEY=a` and later
    /// `- KEY=b`). In the mapping form a repeated key is a YAML error (DC000); a key that
    /// overrides one brought in by `<<: *defaults` is what merge keys are for and is not
    /// reported.
    ///
    /// ## Why is this bad?
    /// Compose keeps the last value without a word, so the first line is dead and a reader
    /// who finds it first is misled. Usually one of the two was meant to be another
    /// variable, or an edit left the old value behind.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     environment:
    ///       - LOG_LEVEL=info
    ///       - PORT=8080
    ///       - LOG_LEVEL=debug
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     environment:
    ///       - PORT=8080
    ///       - LOG_LEVEL=debug
    /// ```
    pub static RULE = Rule {
        code: "DC026",
        name: "duplicate-environment-variable",
        category: Category::Reliability,
        summary: "a variable is set twice in `environment`",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        let vars = service.environment();
        for (i, var) in vars.iter().enumerate() {
            if !var.list_form || seen.contains(&var.key_span) {
                continue;
            }
            let Some(first) = vars[..i].iter().find(|v| v.key == var.key) else {
                continue;
            };
            seen.push(var.key_span);
            ctx.report(
                var.key_span,
                format!("`{}` is already set in this `environment`", var.key),
            )
            .help("remove one of the two; compose keeps the last")
            .related(first.key_span, "first set here");
        }
    }
}
