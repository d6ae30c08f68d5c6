use super::order::report_unsorted;
use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a service's `ports` list that is not sorted, as dclint's
    /// `service-ports-alphabetical-order` does: entries are compared by their text (the long
    /// form by its published port, else its target), numbers by value. The first entry out of
    /// place is reported. Off by default.
    ///
    /// ## Why is this bad?
    /// A sorted list shows at a glance which ports a service publishes and makes a duplicate
    /// stand out. It is a convention, so the rule is off unless asked for.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     ports:
    ///       - "8443:443"
    ///       - "8080:80"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     ports:
    ///       - "8080:80"
    ///       - "8443:443"
    /// ```
    pub static RULE = Rule {
        code: "DC034",
        name: "ports-not-sorted",
        category: Category::Style,
        summary: "a service's ports are not sorted",
        aliases: &["service-ports-alphabetical-order"],
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        let ports = service.ports();
        let items: Vec<_> = ports
            .iter()
            .filter_map(|p| {
                let s = p.short.or(p.published).or(p.target)?;
                Some((p.span(), s.value))
            })
            .collect();
        report_unsorted(ctx, &items, "port ", "sort the ports", &mut seen);
    }
}
