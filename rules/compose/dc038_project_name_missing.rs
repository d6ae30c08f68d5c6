use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a compose file without a top-level `name`, as dclint's
    /// `require-project-name-field` does. The finding is on the first top-level key. Off by
    /// default: an override or included file takes its name from elsewhere, and the directory
    /// name is often the intended one.
    ///
    /// ## Why is this bad?
    /// Without `name` the project is named after the directory the file is in: two checkouts
    /// of the same repository, or a renamed folder, give different container, network and
    /// volume names, and a renamed folder starts with empty volumes.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// name: shop
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    /// ```
    pub static RULE = Rule {
        code: "DC038",
        name: "project-name-missing",
        category: Category::Pedantic,
        summary: "the compose file has no top-level `name`",
        aliases: &["require-project-name-field"],
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    if ctx.file.name().is_some() {
        return;
    }
    let Some(first) = ctx.file.roots().find_map(|r| r.raw_entries().next()) else {
        return;
    };
    ctx.report(first.key.span(), "the file has no project `name`")
        .help("add a top-level `name:` so the project's names do not depend on the directory");
}
