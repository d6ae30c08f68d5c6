use super::labels::{LabelSchema, LabelType, check_label_type};
use crate::declare_rule;
use crate::formats::is_email;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};
use crate::settings::options_of;

declare_rule! {
    /// ## What it does
    /// Reports a label of type `email` in the label schema whose value is not an email
    /// address (`local@domain`, as RFC 5322 spells an address without a display name).
    /// Values that use a variable are not checked; empty values are DL3051's.
    ///
    /// ## Why is this bad?
    /// A `maintainer` label is how people reach the owners of an image. `Jane Doe`, a team
    /// name or `Jane <jane@example.com>` cannot be used as an address by tools.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="Platform team"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL maintainer="platform@example.com"
    /// ```
    ///
    /// ## Options
    /// Reads the label schema of DL3049:
    /// ```toml
    /// [rules.DL3049]
    /// label-schema = { maintainer = "email" }
    /// ```
    pub static RULE = Rule {
        code: "DL3058",
        name: "label-not-email",
        category: Category::Reliability,
        summary: "a label of type email is not an email address",
        options: options_of::<LabelSchema>("DL3049"),
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    check_label_type(
        ctx,
        LabelType::Email,
        is_email,
        "an email address",
        "use a bare address such as `team@example.com`",
    );
}
