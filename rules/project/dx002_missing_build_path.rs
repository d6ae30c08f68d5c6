use crate::declare_rule;
use crate::project::PathKind;
use crate::rule::{Category, Check, ProjectContext};

declare_rule! {
    /// ## What it does
    /// Reports a compose `build` whose context directory does not exist, or whose Dockerfile
    /// is not in it (`build.dockerfile`, or `Dockerfile` by default). Paths are resolved as
    /// compose resolves them: the context against the compose file's directory, the
    /// Dockerfile against the context. Remote contexts (Git or HTTP URLs), inline Dockerfiles
    /// and values whose variables have no default are not judged.
    ///
    /// The rule asks the file system, so it only runs when the compose file is read from
    /// disk with its tree: a compose file given on standard input is not judged. Its accuracy
    /// could not be measured on real projects: the corpus holds compose files and Dockerfiles
    /// without their source trees, so a missing path there says nothing about the real
    /// checkout (see `docs/accuracy.md`). A context that an earlier step generates (a `dist`
    /// folder built before `docker compose build`) is reported when it is not there yet.
    ///
    /// ## Why is this bad?
    /// `docker compose build` (and `up`, when the image is missing) fails. The path usually
    /// broke when a directory was moved or renamed.
    ///
    /// ## Example
    /// ```yaml
    /// # compose.yaml
    /// services:
    ///   web:
    ///     build: ./frontend
    ///   api:
    ///     build:
    ///       context: ./api
    ///       dockerfile: Dockerfile.prod
    /// ```
    /// ```dockerfile
    /// # api/Dockerfile
    /// FROM node:22-alpine
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # compose.yaml
    /// services:
    ///   api:
    ///     build:
    ///       context: ./api
    /// ```
    /// ```dockerfile
    /// # api/Dockerfile
    /// FROM node:22-alpine
    /// ```
    pub static RULE = Rule {
        code: "DX002",
        name: "missing-build-path",
        category: Category::Correctness,
        summary: "the build context or the Dockerfile does not exist",
        check: Check::Project(check),
    };
}

fn check(ctx: &mut ProjectContext<'_>) {
    for (link, service) in ctx.services_with_builds() {
        let Some(build) = service.build() else {
            continue;
        };
        if link.target.context.is_none() {
            continue;
        }
        let written = build
            .context
            .map(|c| c.value)
            .filter(|v| !v.is_empty())
            .unwrap_or(".");
        let context_span = build
            .context
            .map(|c| c.span)
            .unwrap_or_else(|| service.key.span());
        if link.context_kind != PathKind::Dir {
            let what = if link.context_kind == PathKind::File {
                "is not a directory"
            } else {
                "does not exist"
            };
            ctx.report(
                link.compose,
                context_span,
                format!("the build context `{written}` {what}"),
            )
            .help("point `context` at the directory the image is built from");
            continue;
        }
        if link.target.dockerfile.is_none() || link.dockerfile_kind == PathKind::File {
            continue;
        }
        match build.str("dockerfile") {
            Some(d) if d.resolved().is_some() => {
                ctx.report(
                    link.compose,
                    d.span,
                    format!("the Dockerfile `{}` does not exist", d.value),
                )
                .help("`dockerfile` is relative to the build context");
            }
            Some(_) => {}
            None => {
                ctx.report(
                    link.compose,
                    context_span,
                    format!("no Dockerfile in the build context `{written}`"),
                )
                .help("add the Dockerfile, or name it with `build.dockerfile`");
            }
        }
    }
}
