use crate::declare_rule;
use crate::dockerfile::{Base, Dockerfile};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `FROM` image without a tag or digest. `scratch` and earlier stages are not
    /// images and are never reported. An image written with variables (`FROM ${BASE}`) is
    /// judged by what the global `ARG` defaults give; one that depends on an `ARG` without a
    /// default is left alone, since only the build knows it.
    ///
    /// ## Why is this bad?
    /// Without a tag Docker pulls `latest`, which moves: the same Dockerfile builds on a
    /// different base from one week to the next, and a major upgrade of the base can break
    /// the build or the application without any change in the repository.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// ```
    ///
    /// Differences from hadolint: hadolint skips every image that starts with a variable;
    /// wharf resolves the global `ARG` defaults first, so `ARG BASE=debian` then `FROM $BASE`
    /// is reported (hadolint issues #979 and #1078).
    pub static RULE = Rule {
        code: "DL3006",
        name: "untagged-image",
        category: Category::Reliability,
        summary: "a FROM image has no tag",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for stage in &ctx.file.model.stages {
        let r = &stage.reference;
        // An invalid reference (a template placeholder, upper case) is DF017's or DF000's.
        if stage.base != Base::Image || r.unresolved || !r.valid {
            continue;
        }
        if r.tag.is_some() || r.digest.is_some() {
            continue;
        }
        let name = r.familiar_name();
        let via = if r.text == stage.image {
            String::new()
        } else {
            format!(" (`{}` with the ARG defaults)", r.text)
        };
        ctx.report(r.span, format!("image `{}` has no tag{via}", stage.image))
            .help(format!(
                "pin a tag such as `{name}:<version>`, or a digest; without one Docker pulls `latest`"
            ));
    }
}
