use super::labels::{LabelSchema, LabelType, check_label_type};
use crate::declare_rule;
use crate::formats::is_rfc3339;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};
use crate::settings::options_of;

declare_rule! {
    /// ## What it does
    /// Reports a label of type `rfc3339` in the label schema whose value is not an RFC 3339
    /// date and time (`2024-05-01T12:30:00Z`, `2024-05-01T14:30:00.5+02:00`). Values that use
    /// a variable (`$BUILD_DATE`) are only known at build time and are not checked; empty
    /// values are DL3051's.
    ///
    /// ## Why is this bad?
    /// `org.opencontainers.image.created` and similar labels are read by machines; a date
    /// without a time zone or in a local format cannot be compared or sorted reliably.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.created="01/05/2024 12:30"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.created="2024-05-01T12:30:00Z"
    /// ```
    ///
    /// ## Options
    /// Reads the label schema of DL3049:
    /// ```toml
    /// [rules.DL3049]
    /// label-schema = { "org.opencontainers.image.created" = "rfc3339" }
    /// ```
    pub static RULE = Rule {
        code: "DL3053",
        name: "label-not-rfc3339",
        category: Category::Reliability,
        summary: "a label of type rfc3339 is not an RFC 3339 timestamp",
        options: options_of::<LabelSchema>("DL3049"),
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    check_label_type(
        ctx,
        LabelType::Rfc3339,
        is_rfc3339,
        "an RFC 3339 timestamp",
        "use a date, time and offset such as `2024-05-01T12:30:00Z`",
    );
}
