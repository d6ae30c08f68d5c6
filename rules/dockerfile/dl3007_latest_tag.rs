use crate::declare_rule;
use crate::dockerfile::{Base, Dockerfile};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `FROM` image with the `latest` tag and no digest. A tag that comes from a
    /// global `ARG` default (`ARG TAG=latest`, `FROM node:${TAG}`) counts too.
    ///
    /// ## Why is this bad?
    /// `latest` is whatever the publisher pushed last: rebuilding the same Dockerfile gives a
    /// different base, and a major upgrade of the base breaks builds or applications without
    /// a change in the repository. A digest next to the tag pins the image, so `latest@sha256:`
    /// is not reported.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:latest
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-bookworm-slim
    /// ```
    pub static RULE = Rule {
        code: "DL3007",
        name: "latest-tag",
        category: Category::Reliability,
        summary: "a FROM image uses the latest tag",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for stage in &ctx.file.model.stages {
        let r = &stage.reference;
        if stage.base != Base::Image || r.digest.is_some() || r.tag.as_deref() != Some("latest") {
            continue;
        }
        ctx.report(r.tag_span.unwrap_or(r.span), "image tag `latest` is not pinned")
            .help(format!(
                "use a version tag of `{}`, or add a digest",
                r.familiar_name()
            ));
    }
}
