use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Instruction, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a stage that copies the whole build context (`COPY . <dest>`, `ADD . <dest>`)
    /// before it first installs dependencies (`pip install -r`, `npm ci`, `go mod download`,
    /// `bundle install`, `composer install`, `cargo fetch`, ...).
    ///
    /// A stage that installs dependencies from its manifests first, and copies the rest of
    /// the sources afterwards, is fine.
    ///
    /// ## Why is this bad?
    /// A layer's cache is invalidated when any file it copies changes. After `COPY . .`, every
    /// edit to any source file re-runs the dependency install, so each build downloads and
    /// builds every dependency again. Copying only the manifests first keeps the install in a
    /// cached layer until the dependencies really change.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// COPY . .
    /// RUN npm ci
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// COPY package.json package-lock.json ./
    /// RUN npm ci
    /// COPY . .
    /// ```
    pub static RULE = Rule {
        code: "DF002",
        name: "context-copied-before-install",
        category: Category::Efficiency,
        summary: "the whole build context is copied before dependencies are installed",
        check: Check::Dockerfile(check),
    };
}

fn copies_whole_context(ins: &Instruction) -> bool {
    if !matches!(ins.kind, Kind::Copy | Kind::Add) || ins.flag("from").is_some() {
        return false;
    }
    matches!(&ins.body, Body::Copy { sources, .. }
        if sources.iter().any(|s| matches!(s.value.as_str(), "." | "./" | "./*" | "*")))
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    for stage in &df.model.stages {
        let mut whole_copy: Option<&Instruction> = None;
        for (_, ins) in df.stage_instructions(stage) {
            if whole_copy.is_none() && copies_whole_context(ins) {
                whole_copy = Some(ins);
                continue;
            }
            let Some(install) = df
                .parsed_run(ins)
                .and_then(|run| run.packages.project_installs.first())
            else {
                continue;
            };
            if let Some(copy) = whole_copy {
                let span = copy.first_line_span(&ctx.source.text);
                ctx.report(
                    span,
                    "the whole build context is copied before dependencies are installed",
                )
                .help("copy only the dependency manifests first, install, then copy the rest")
                .related(install.span, format!("`{}` installs dependencies here", install.tool));
            }
            // Only the first install in a stage matters.
            break;
        }
    }
}
