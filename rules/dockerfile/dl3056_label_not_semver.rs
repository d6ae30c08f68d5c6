use super::labels::{LabelSchema, LabelType, check_label_type};
use crate::declare_rule;
use crate::formats::is_semver;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};
use crate::settings::options_of;

declare_rule! {
    /// ## What it does
    /// Reports a label of type `semver` in the label schema whose value is not a Semantic
    /// Versioning 2.0.0 version: `MAJOR.MINOR.PATCH`, without leading zeros, optionally with
    /// a pre-release (`-rc.1`) and build metadata (`+build.5`). A leading `v` is not part of
    /// a version. Values that use a variable (`$VERSION`) are not checked; empty values are
    /// DL3051's.
    ///
    /// ## Why is this bad?
    /// Deployment tools compare `org.opencontainers.image.version` to decide what is newer;
    /// `1.2`, `v1.2.3` or `latest` do not compare as versions.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.version="v1.2"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.version="1.2.0"
    /// ```
    ///
    /// ## Options
    /// Reads the label schema of DL3049:
    /// ```toml
    /// [rules.DL3049]
    /// label-schema = { "org.opencontainers.image.version" = "semver" }
    /// ```
    pub static RULE = Rule {
        code: "DL3056",
        name: "label-not-semver",
        category: Category::Reliability,
        summary: "a label of type semver is not a semantic version",
        options: options_of::<LabelSchema>("DL3049"),
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    check_label_type(
        ctx,
        LabelType::Semver,
        is_semver,
        "a semantic version",
        "use MAJOR.MINOR.PATCH, such as `1.4.0` or `2.0.0-rc.1`",
    );
}
