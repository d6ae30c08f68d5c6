use super::labels::{LabelSchema, LabelType, check_label_type};
use crate::declare_rule;
use crate::formats::is_spdx_expression;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};
use crate::settings::options_of;

declare_rule! {
    /// ## What it does
    /// Reports a label of type `spdx` in the label schema whose value is not an SPDX license
    /// expression: a known license identifier (`MIT`, `Apache-2.0`, optionally with `+`), a
    /// `LicenseRef-...`, or a combination with `AND`, `OR`, `WITH <exception>` and
    /// parentheses. wharf knows the commonly used identifiers, not the whole SPDX list.
    /// Values that use a variable are not checked; empty values are DL3051's.
    ///
    /// ## Why is this bad?
    /// License scanners and SBOM tools read `org.opencontainers.image.licenses`; a free-form
    /// value such as `Apache License` or `BSD` cannot be matched to a license text.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.licenses="Apache License 2"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.licenses="Apache-2.0 OR MIT"
    /// ```
    ///
    /// ## Options
    /// Reads the label schema of DL3049:
    /// ```toml
    /// [rules.DL3049]
    /// label-schema = { "org.opencontainers.image.licenses" = "spdx" }
    /// ```
    pub static RULE = Rule {
        code: "DL3054",
        name: "label-not-spdx",
        category: Category::Reliability,
        summary: "a label of type spdx is not an SPDX license expression",
        options: options_of::<LabelSchema>("DL3049"),
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    check_label_type(
        ctx,
        LabelType::Spdx,
        is_spdx_expression,
        "an SPDX license expression",
        "use SPDX identifiers such as `MIT` or `Apache-2.0 OR MIT`",
    );
}
