use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ImageRef, Kind};
use crate::rule::{Category, Check, Context};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports an external image in `COPY --from=<image>` or `RUN --mount=...,from=<image>`
    /// without a tag or digest, or with the `latest` tag and no digest
    /// (`ghcr.io/astral-sh/uv:latest`). Earlier stages are not images and are never reported;
    /// variables are expanded first, and a value that depends on an unknown variable is left
    /// alone. A bare `COPY --from=name` is DL3022's (it may be a mistyped stage).
    ///
    /// ## Why is this bad?
    /// Such an image moves like an unpinned `FROM`: the binaries copied out of it change from
    /// one build to the next, without a change in the repository. Pin it as you would a base
    /// image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY --from=ghcr.io/astral-sh/uv:0.5.11 /uv /bin/uv
    /// ```
    pub static RULE = Rule {
        code: "DF006",
        name: "unpinned-copy-from-image",
        category: Category::Reliability,
        summary: "an image in COPY --from or RUN --mount from= is not pinned",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    let mut found: Vec<(ImageRef, &str)> = Vec::new();
    for (i, outer) in df.instructions.iter().enumerate() {
        let ins = outer.trigger().unwrap_or(outer);
        let image = |raw: &str, span: Span, bare_ok: bool| {
            let e = df.model.expand_at(i, raw, df.escape);
            let v = e.value.as_str();
            let external = !e.unresolved
                && !v.is_empty()
                && df.model.stage_ref(v, i).is_none()
                && (bare_ok || v.contains([':', '/', '@']));
            external.then(|| ImageRef::parse(v, span))
        };
        match ins.kind {
            Kind::Copy => {
                if let Some(w) = ins.flag("from").and_then(|f| f.value.as_ref()) {
                    found.extend(image(&w.raw, w.span, false).map(|r| (r, "COPY --from")));
                }
            }
            Kind::Run => {
                for mount in ins.mounts() {
                    if let Some(p) = mount.part("from").filter(|p| !p.value.is_empty()) {
                        found.extend(image(&p.value, p.value_span, true).map(|r| (r, "RUN --mount")));
                    }
                }
            }
            _ => {}
        }
    }
    for (r, what) in found {
        if r.digest.is_some() || !r.valid {
            continue;
        }
        let message = match r.tag.as_deref() {
            None => format!("{what} image `{}` has no tag", r.text),
            Some("latest") => format!("{what} image `{}` uses the latest tag", r.text),
            Some(_) => continue,
        };
        ctx.report(r.span, message).help(format!(
            "pin a version tag (`{}:<version>`) or a digest, as for a FROM",
            r.familiar_name()
        ));
    }
}
