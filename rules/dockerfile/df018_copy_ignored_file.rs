use crate::declare_rule;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `COPY` or `ADD` source that the build context's `.dockerignore` (or the
    /// Dockerfile's own `<name>.dockerignore`) excludes. The context is the Dockerfile's
    /// directory, or the one a compose file gives. As BuildKit's `CopyIgnoredFile` does, an
    /// ignore file with `!` exceptions is not judged, and variables in the source are
    /// expanded first (a source that depends on an unknown variable is left alone).
    ///
    /// ## Why is this bad?
    /// An excluded file is not sent to the builder: the `COPY` fails with "not found", or,
    /// with a wildcard or a directory, silently copies less than it says.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// COPY .env.production .env
    /// ```
    /// with this `.dockerignore`:
    /// ```text .dockerignore
    /// .git
    /// .env*
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// RUN --mount=type=secret,id=env,target=/app/.env npm run build
    /// ```
    pub static RULE = Rule {
        code: "DF018",
        name: "copy-ignored-file",
        category: Category::Correctness,
        summary: "a COPY or ADD source is excluded by .dockerignore",
        aliases: &["CopyIgnoredFile"],
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    // The sources first: a file that copies nothing from its context needs no listing of it.
    let sources = df.all_context_sources();
    if sources.is_empty() {
        return;
    }
    let Some(build) = ctx.build_context() else {
        return;
    };
    let Some((_, ignore)) = &build.ignore else {
        return;
    };
    if ignore.has_exceptions() {
        return;
    }
    let name = build.ignore_name();
    for (kind, word, path) in sources {
        let Some(pattern) = ignore.excluded_by(&path) else {
            continue;
        };
        ctx.report(
            word.span,
            format!(
                "{} source `{path}` is excluded by `{pattern}` in {name}",
                kind.as_str()
            ),
        )
        .help(format!(
            "remove the pattern from {name}, or stop copying the file"
        ));
    }
}
