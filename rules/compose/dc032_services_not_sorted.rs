use super::order::{first_out_of_order, written_entries};
use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a service written after one whose name sorts after it (names compared without
    /// case, numbers by value), as dclint's `services-alphabetical-order` does. One finding
    /// per `services` mapping: the first name out of place. Off by default.
    ///
    /// ## Why is this bad?
    /// In a long file a reader finds a service faster when the order is known. Many teams
    /// prefer the order of the architecture (proxy, app, database) instead, which is why the
    /// rule is off unless asked for.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///   db:
    ///     image: postgres:16
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///   web:
    ///     image: acme/web:1.4
    /// ```
    pub static RULE = Rule {
        code: "DC032",
        name: "services-not-sorted",
        category: Category::Style,
        summary: "services are not in alphabetical order",
        aliases: &["services-alphabetical-order"],
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    for root in ctx.file.roots() {
        let Some(services) = root.get("services") else {
            continue;
        };
        let names: Vec<_> = written_entries(services)
            .into_iter()
            .filter_map(|e| Some((e.key, e.key_str()?)))
            .collect();
        if let Some((key, before, i)) = first_out_of_order(&names) {
            ctx.report(
                key.span(),
                format!("service `{}` should come before `{}`", names[i].1, names[i - 1].1),
            )
            .help("sort the services by name")
            .related(before.span(), "written before it");
        }
    }
}
