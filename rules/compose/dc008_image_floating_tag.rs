use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::knowledge::images::is_floating_tag;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a service `image` without a tag, or with a tag that names a channel rather
    /// than a release: `latest`, `stable`, `edge`, `dev`, `nightly`, `main`, `lts`, ...
    ///
    /// A digest (`@sha256:...`) pins the image whatever the tag. A service that also has a
    /// `build` (or `extends` a service that may have one) names the image it builds, so its
    /// `image` is left alone, and so is an image
    /// that holds a variable (`${TAG:-1.4}` chooses its tag elsewhere).
    ///
    /// ## Why is this bad?
    /// A floating tag pulls whatever was pushed last: two hosts, or the same host a week
    /// apart, run different software from the same file, and an upstream major release
    /// arrives unannounced on the next `docker compose pull`. A bad deploy cannot be rolled
    /// back to "the previous latest".
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:latest
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    /// ```
    pub static RULE = Rule {
        code: "DC008",
        name: "image-floating-tag",
        category: Category::Reliability,
        summary: "a service image has no tag or a floating tag",
        aliases: &["service-image-require-explicit-tag"],
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        if service.build().is_some() || service.extends().is_some() {
            continue;
        }
        let Some((image, r)) = service.image_ref() else {
            continue;
        };
        if image.is_interpolated() || r.digest.is_some() || seen.contains(&image.span) {
            continue;
        }
        seen.push(image.span);
        let name = image.value;
        match (&r.tag, r.tag_span) {
            (Some(tag), Some(span)) if is_floating_tag(tag) => {
                ctx.report(span, format!("image `{name}` uses the floating tag `{tag}`"))
                    .help("pin a release tag or a digest");
            }
            (None, _) => {
                ctx.report(image.span, format!("image `{name}` has no tag"))
                    .help(format!(
                        "pin a release tag (`{name}:<version>`) or a digest; without one it is `latest`"
                    ));
            }
            _ => {}
        }
    }
}
