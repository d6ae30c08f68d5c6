use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::dockerfile::{Body, Dockerfile};
use crate::rule::{Category, Check, Context};
use crate::settings::options_of;
use super::labels::LabelSchema;

declare_rule! {
    /// ## What it does
    /// With `strict-labels` on, reports every `LABEL` key that is not in the label schema.
    /// The rule does nothing unless `strict-labels` is set.
    ///
    /// ## Why is this bad?
    /// A strict schema is a closed list: labels outside it are usually typos of a schema
    /// label (`org.opencontainers.image.licence`) or leftovers that nobody maintains, and
    /// tools reading the schema labels will not see them.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="ops@example.com" team="payments"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="ops@example.com"
    /// ```
    ///
    /// ## Options
    /// Set under DL3049, next to the label schema:
    /// ```toml
    /// [rules.DL3049]
    /// label-schema = { maintainer = "email" }
    /// strict-labels = true
    /// ```
    pub static RULE = Rule {
        code: "DL3050",
        name: "label-not-in-schema",
        category: Category::Style,
        enabled: Some(true),
        severity: Some(Severity::Info),
        summary: "a label is not in the label schema (strict labels)",
        options: options_of::<LabelSchema>("DL3049"),
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let schema = ctx.options::<LabelSchema>();
    if !schema.strict_labels {
        return;
    }
    for ins in ctx.file.iter() {
        let Body::Label(kvs) = &ins.body else {
            continue;
        };
        for kv in kvs {
            if !schema.label_schema.contains_key(kv.key.value.as_str()) {
                ctx.report(
                    kv.key.span,
                    format!("label `{}` is not in the label schema", kv.key.value),
                )
                .help("remove it, or add it to `label-schema` under [rules.DL3049]");
            }
        }
    }
}
