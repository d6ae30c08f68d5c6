use super::order::report_unsorted;
use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `depends_on` whose services are not in alphabetical order (short or long
    /// form), as dclint's `service-dependencies-alphabetical-order` does. The first name out of
    /// place is reported. Off by default.
    ///
    /// ## Why is this bad?
    /// Compose starts dependencies by the graph, not by the list, so the order means nothing;
    /// a sorted list says so and is easier to scan. It is a convention, so the rule is off
    /// unless asked for.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     depends_on: [redis, db]
    ///   db:
    ///     image: postgres:16
    ///   redis:
    ///     image: redis:7.4
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     depends_on: [db, redis]
    ///   db:
    ///     image: postgres:16
    ///   redis:
    ///     image: redis:7.4
    /// ```
    pub static RULE = Rule {
        code: "DC035",
        name: "dependencies-not-sorted",
        category: Category::Style,
        summary: "a service's `depends_on` is not sorted",
        aliases: &["service-dependencies-alphabetical-order"],
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        let deps: Vec<_> = service
            .depends_on()
            .iter()
            .map(|d| (d.span, d.name))
            .collect();
        let help = "sort `depends_on` by service name";
        report_unsorted(ctx, &deps, "", help, &mut seen);
    }
}
