use crate::declare_rule;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};
use super::df007_context_copied_without_dockerignore::whole_context_copies;

declare_rule! {
    /// ## What it does
    /// Reports `COPY . <dest>` (or `ADD .`) when the build context's `.dockerignore` lets in
    /// what should stay out of an image: it does not exclude `.env` and `.env.*`, `.git`, or,
    /// where the context holds them, `node_modules`, `.venv`, `venv` and `__pycache__`. The
    /// context directory is read for what it holds. Reported once, at the first `COPY .`.
    ///
    /// ## Why is this bad?
    /// `.env` files hold local secrets and appear at any time in a developer's checkout, and
    /// `.git` holds the whole history: copied into a layer, they ship with the image to
    /// everyone who can pull it. Host-built dependencies and caches make the image larger
    /// and break on another platform.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// WORKDIR /app
    /// COPY . .
    /// ```
    /// with this `.dockerignore`:
    /// ```text .dockerignore
    /// *.log
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// WORKDIR /app
    /// COPY pyproject.toml uv.lock ./
    /// COPY src/ src/
    /// ```
    /// or a `.dockerignore` that lists `.git`, `.env`, `.env.*`, `.venv` and `__pycache__`.
    pub static RULE = Rule {
        code: "DF025",
        name: "dockerignore-lets-secrets-in",
        category: Category::Security,
        summary: "COPY . with a .dockerignore that lets secrets or bulk in",
        check: Check::Dockerfile(check),
    };
}

/// Excluded whether or not the context holds them now.
const ALWAYS: &[(&str, &str)] = &[(".env", ".env"), (".env.*", ".env.local"), (".git", ".git")];

/// Excluded where the context holds them.
const WHEN_PRESENT: &[&str] = &["node_modules", ".venv", "venv", "__pycache__"];

fn check(ctx: &mut Context<'_, Dockerfile>) {
    // The first copy of the whole context, before the context is read.
    let Some(&span) = whole_context_copies(ctx.file).first() else {
        return;
    };
    let Some(build) = ctx.build_context() else {
        return;
    };
    let Some((_, ignore)) = &build.ignore else {
        return;
    };
    let mut missing: Vec<&str> = ALWAYS
        .iter()
        .filter(|(_, probe)| !ignore.excludes(probe))
        .map(|(name, _)| *name)
        .collect();
    missing.extend(
        WHEN_PRESENT
            .iter()
            .copied()
            .filter(|n| build.has_entry(n) && !ignore.excludes(n)),
    );
    if missing.is_empty() {
        return;
    }
    let name = build.ignore_name();
    let listed = missing
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    ctx.report(
        span,
        format!("the whole context is copied and {name} does not exclude {listed}"),
    )
    .help(format!("add {listed} to {name}"));
}
