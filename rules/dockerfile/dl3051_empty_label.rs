use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile};
use crate::rule::{Category, Check, Context};
use crate::settings::options_of;
use super::labels::LabelSchema;

declare_rule! {
    /// ## What it does
    /// Reports a label of the label schema whose value is empty (`LABEL maintainer=""`).
    /// The rule does nothing until a label schema is configured.
    ///
    /// ## Why is this bad?
    /// An empty value satisfies "the label is present" (DL3049) while telling nothing; it is
    /// usually a build argument that was not passed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer=""
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="ops@example.com"
    /// ```
    ///
    /// ## Options
    /// Reads the label schema of DL3049:
    /// ```toml
    /// [rules.DL3049]
    /// label-schema = { maintainer = "email" }
    /// ```
    pub static RULE = Rule {
        code: "DL3051",
        name: "empty-label",
        category: Category::Reliability,
        summary: "a label of the label schema is empty",
        options: options_of::<LabelSchema>("DL3049"),
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let schema = &ctx.options::<LabelSchema>().label_schema;
    if schema.is_empty() {
        return;
    }
    for ins in ctx.file.iter() {
        let Body::Label(kvs) = &ins.body else {
            continue;
        };
        for kv in kvs {
            let empty = kv.value.as_ref().is_none_or(|v| v.value.trim().is_empty());
            if empty && schema.contains_key(kv.key.value.as_str()) {
                ctx.report(kv.span, format!("label `{}` is empty", kv.key.value));
            }
        }
    }
}
