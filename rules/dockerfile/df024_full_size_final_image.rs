use crate::declare_rule;
use crate::dockerfile::{Base, Dockerfile};
use crate::knowledge::{files, images};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a final stage built on the full-size variant of an official image that
    /// publishes a smaller one: `python:3.12` (`python:3.12-slim`), `node:22`
    /// (`node:22-slim`), `ruby:3.3` (`ruby:3.3-slim`), and the others of the list below. Only the final stage counts: build stages need their compilers. A tag that
    /// already names a small variant (`slim`, `alpine`, `jre`, `chiseled`, `distroless`,
    /// `minimal`) is fine, and dev-environment images (`.devcontainer/`, `.gitpod.Dockerfile`)
    /// are not reported.
    ///
    /// The images and their small variants come from wharf's
    /// `knowledge::images::SLIM_VARIANTS`, of which this rule takes the ones with a variant on
    /// the same distribution: `python`, `node`, `ruby`, `perl`, `rust`, `openjdk` (`slim`) and
    /// `eclipse-temurin` (`jre`). `debian` is left out on purpose: `debian:bookworm` is only a
    /// few tens of MB larger than `bookworm-slim`, and on the corpus it is mostly the base of
    /// Dockerfiles that build toolchain images (buildpack-deps, swift-docker), where the full
    /// variant is the point. Images whose small variant is `alpine` (`php`,
    /// `golang`, .NET) are not reported, since moving to musl is more than a size choice, nor
    /// are Windows images.
    ///
    /// ## Why is this bad?
    /// The full variants carry compilers, headers and hundreds of packages the application
    /// does not run with: the image is several times larger (`python:3.12` is about 1 GB,
    /// `python:3.12-slim` about 130 MB), slower to pull, and every package is one more
    /// vulnerability to scan and patch.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py"]
    /// ```
    pub static RULE = Rule {
        code: "DF024",
        name: "full-size-final-image",
        category: Category::Efficiency,
        summary: "the final stage uses a full-size image that has a slim variant",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    if files::is_dev_environment(&ctx.source.path) {
        return;
    }
    let model = &ctx.file.model;
    let Some(last) = model.final_stage() else {
        return;
    };
    let Some(root) = model.root_of(last.index) else {
        return;
    };
    let r = &root.reference;
    if root.base != Base::Image || r.unresolved || !r.valid || r.digest.is_some() {
        return;
    }
    // Only the Debian-based `slim` and the `jre` variants: an `alpine` one changes the libc,
    // and Windows images have none.
    let Some(variant) = images::slim_variant(r).filter(|v| matches!(*v, "slim" | "jre")) else {
        return;
    };
    // `debian` itself is left out: its full variant is a few tens of MB larger, and it is the
    // usual base of Dockerfiles that build toolchain images (buildpack-deps, swift-docker).
    if images::is_windows(r) || r.familiar_name() == "debian" {
        return;
    }
    let name = r.familiar_name();
    let suggestion = match r.tag.as_deref() {
        None | Some("latest") => format!("{name}:{variant}"),
        Some(t) if !t.contains('-') => format!("{name}:{t}-{variant}"),
        Some(t) => format!("a `{variant}` variant of `{name}:{t}`"),
    };
    let suggestion = if suggestion.starts_with("a `") {
        suggestion
    } else {
        format!("`{suggestion}`")
    };
    let what = if root.index == last.index {
        "the final stage"
    } else {
        "the final stage's chain"
    };
    ctx.report(
        r.span,
        format!("{what} builds on the full-size `{}`", r.text),
    )
    .help(format!(
        "use {suggestion}, and install only what the application needs"
    ));
}
