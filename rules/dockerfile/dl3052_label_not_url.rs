use super::labels::{LabelSchema, LabelType, check_label_type};
use crate::declare_rule;
use crate::formats::is_uri;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};
use crate::settings::options_of;

declare_rule! {
    /// ## What it does
    /// Reports a label of type `url` in the label schema whose value is not an absolute URI
    /// (a scheme such as `https:` followed by valid URI characters). Values that use a
    /// variable (`$SOURCE_URL`) are only known at build time and are not checked; empty
    /// values are DL3051's.
    ///
    /// ## Why is this bad?
    /// Tools follow these labels: registries link to `org.opencontainers.image.source`,
    /// scanners to the documentation URL. A relative path or a bare host name is a broken
    /// link.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="github.com/acme/app"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="https://github.com/acme/app"
    /// ```
    ///
    /// ## Options
    /// Reads the label schema of DL3049:
    /// ```toml
    /// [rules.DL3049]
    /// label-schema = { "org.opencontainers.image.source" = "url" }
    /// ```
    pub static RULE = Rule {
        code: "DL3052",
        name: "label-not-url",
        category: Category::Reliability,
        summary: "a label of type url is not a valid URL",
        options: options_of::<LabelSchema>("DL3049"),
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    check_label_type(
        ctx,
        LabelType::Url,
        is_uri,
        "a valid URL",
        "use an absolute URL such as `https://example.com/...`",
    );
}
