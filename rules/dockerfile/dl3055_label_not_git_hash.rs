use super::labels::{LabelSchema, LabelType, check_label_type};
use crate::declare_rule;
use crate::formats::is_git_hash;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};
use crate::settings::options_of;

declare_rule! {
    /// ## What it does
    /// Reports a label of type `hash` in the label schema whose value is not a git commit
    /// hash: 7 (short) or 40 (full) lowercase hexadecimal digits. Values that use a variable
    /// (`$GIT_SHA`) are only known at build time and are not checked; empty values are
    /// DL3051's.
    ///
    /// ## Why is this bad?
    /// `org.opencontainers.image.revision` ties an image to the commit it was built from. A
    /// branch name or a truncated hash of another length cannot be looked up reliably.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.revision="main"
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.revision="3f4c2a1"
    /// ```
    ///
    /// ## Options
    /// Reads the label schema of DL3049:
    /// ```toml
    /// [rules.DL3049]
    /// label-schema = { "org.opencontainers.image.revision" = "hash" }
    /// ```
    pub static RULE = Rule {
        code: "DL3055",
        name: "label-not-git-hash",
        category: Category::Reliability,
        summary: "a label of type hash is not a git commit hash",
        options: options_of::<LabelSchema>("DL3049"),
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    check_label_type(
        ctx,
        LabelType::Hash,
        is_git_hash,
        "a git commit hash",
        "use the 7 or 40 lowercase hex digits of `git rev-parse [--short] HEAD`",
    );
}
