use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, ImageRef, Kind, VarKind, VarValue, expand};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `FROM` whose image, expanded with the default values of the global `ARG`s
    /// (an `ARG` without a default counts as empty), is empty or not a valid image
    /// reference. The automatic platform ARGs count as set. This is BuildKit's
    /// `InvalidDefaultArgInFrom` check.
    ///
    /// ## Why is this bad?
    /// A build without `--build-arg` fails on that `FROM`: `ARG TAG` then `FROM alpine:$TAG`
    /// pulls `alpine:`, which is no image. Give the `ARG` a default that builds, so that the
    /// plain `docker build` works and tools that read the Dockerfile know the base.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG TAG
    /// FROM alpine:$TAG
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ARG TAG=3.20
    /// FROM alpine:$TAG
    /// ```
    pub static RULE = Rule {
        code: "DF017",
        name: "invalid-default-arg-in-from",
        category: Category::Reliability,
        summary: "FROM gives an invalid image with the default ARG values",
        aliases: &["InvalidDefaultArgInFrom"],
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    for (i, ins) in df.instructions.iter().enumerate() {
        let (Kind::From, Body::From(from)) = (ins.kind, &ins.body) else {
            continue;
        };
        let word = &from.image;
        if !word.raw.contains('$') {
            continue;
        }
        let e = expand(&word.raw, df.escape, &|name| match df.model.var_at(i, name) {
            Some(v) if v.kind == VarKind::Automatic => VarValue::Known(sample(name), false),
            Some(v) => match &v.value {
                Some(value) => VarValue::Known(value, false),
                None => VarValue::Undefined,
            },
            None => VarValue::Undefined,
        });
        let text = e.value.as_str();
        if text.eq_ignore_ascii_case("scratch") || df.model.stage_named(text, i).is_some() {
            continue;
        }
        if !text.is_empty() && ImageRef::parse(text, word.span).valid {
            continue;
        }
        let what = if text.is_empty() {
            "an empty image name".to_string()
        } else {
            format!("the invalid image `{text}`")
        };
        ctx.report(word.span, format!("the default ARG values give {what}"))
            .help("give the ARGs of this FROM default values that name a real image");
    }
}

/// A value an automatic platform ARG takes on a typical build machine.
fn sample(name: &str) -> &'static str {
    match name {
        "TARGETPLATFORM" | "BUILDPLATFORM" => "linux/amd64",
        "TARGETOS" | "BUILDOS" => "linux",
        "TARGETARCH" | "BUILDARCH" => "amd64",
        _ => "",
    }
}
