use crate::declare_rule;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports `COPY . <dest>` (or `ADD .`), which copies the whole build context, when the
    /// context has no `.dockerignore` (nor a `<Dockerfile>.dockerignore`) and holds something
    /// that should not be in an image: `.git`, an `.env` file, `node_modules`, a virtualenv
    /// (`.venv`, `venv`) or `__pycache__`. The context is the Dockerfile's directory, or the
    /// one a compose file gives. A context that holds none of these is not reported.
    ///
    /// ## Why is this bad?
    /// Everything in the context ends up in the image: the git history (with whatever was
    /// ever committed), local secrets in `.env`, host-built `node_modules` that break on
    /// another libc, virtualenvs with absolute paths into the host. The image grows, the
    /// cache breaks on every commit, and secrets ship.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// COPY . .
    /// ```
    /// in a directory with `node_modules` and no `.dockerignore`:
    /// ```text node_modules/
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// COPY package.json package-lock.json ./
    /// RUN npm ci
    /// COPY src/ src/
    /// ```
    /// or add a `.dockerignore` that lists `.git`, `.env*` and `node_modules`.
    pub static RULE = Rule {
        code: "DF007",
        name: "context-copied-without-dockerignore",
        category: Category::Security,
        summary: "the whole build context is copied and there is no .dockerignore",
        check: Check::Dockerfile(check),
    };
}

/// What a context should not send, when it holds it.
pub(crate) const UNWANTED: &[&str] = &[
    ".git",
    ".env",
    "node_modules",
    ".venv",
    "venv",
    "__pycache__",
];

/// The sources `.` (the whole build context) of the file's COPY and ADD instructions, ONBUILD
/// triggers included, in file order. Looked for before the build context is read: a file that
/// copies no whole context needs no listing of it.
pub(crate) fn whole_context_copies(df: &Dockerfile) -> Vec<Span> {
    df.all_context_sources()
        .into_iter()
        .filter(|(_, _, path)| path == ".")
        .map(|(_, word, _)| word.span)
        .collect()
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let whole = whole_context_copies(ctx.file);
    if whole.is_empty() {
        return;
    }
    let Some(build) = ctx.build_context() else {
        return;
    };
    if build.ignore.is_some() || build.ignore_error.is_some() {
        return;
    }
    let present: Vec<&str> = build
        .entries
        .iter()
        .map(String::as_str)
        .filter(|e| UNWANTED.contains(e) || e.starts_with(".env."))
        .collect();
    if present.is_empty() {
        return;
    }
    let listed = present
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    for span in whole {
        ctx.report(
            span,
            format!("the whole context is copied with no .dockerignore, and it holds {listed}"),
        )
        .help(format!(
            "add a .dockerignore at the root of the build context that excludes {listed}"
        ));
    }
}
