use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports `COPY --from=STAGE / /`, which copies the whole file system of another stage or
    /// image over the current one, also in an `ONBUILD COPY` trigger. A stage built
    /// `FROM scratch` is exempt: there, copying `/` is the known way to flatten an image into
    /// one layer.
    ///
    /// ## Why is this bad?
    /// The copy overwrites everything the stage's base image put there and brings along
    /// caches, package lists and build tools, which defeats the point of a multi-stage build.
    ///
    /// hadolint also reports the `FROM scratch` case. The rule is off by default (pedantic):
    /// on the corpus most findings copy a helper image built for exactly that
    /// (`COPY --from=tonistiigi/xx / /`, a few scripts on an empty image), which wharf cannot
    /// tell from a full distribution image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM alpine:3.20
    /// COPY --from=build / /
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM alpine:3.20
    /// COPY --from=build /out/app /usr/local/bin/app
    /// ```
    pub static RULE = Rule {
        code: "DL3067",
        name: "copy-whole-filesystem",
        category: Category::Pedantic,
        summary: "COPY --from copies a whole file system",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let model = &ctx.file.model;
    for (idx, outer) in ctx.file.iter().enumerate() {
        let ins = match &outer.body {
            Body::Onbuild(Some(inner)) => inner.as_ref(),
            _ => outer,
        };
        let (Kind::Copy, Body::Copy { sources, dest, .. }) = (ins.kind, &ins.body) else {
            continue;
        };
        if ins.flag("from").is_none() {
            continue;
        }
        let on_scratch = outer.kind != Kind::Onbuild
            && model.stage_of[idx]
                .and_then(|s| model.root_of(s))
                .is_some_and(|r| r.base == crate::dockerfile::Base::Scratch);
        let root = |w: &crate::dockerfile::Word| matches!(w.value.as_str(), "/" | "/." | "/./");
        let whole = matches!((sources.as_slice(), dest), ([s], Some(d)) if root(s) && root(d));
        if whole && !on_scratch {
            ctx.report(ins.first_line_span(&ctx.source.text), "COPY --from copies a whole file system")
                .help("copy only the paths the image needs");
        }
    }
}
