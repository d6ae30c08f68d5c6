use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Instruction, Kind};
use crate::rule::{Category, Check, Context};
use crate::shell::Command;

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

/// True when a shell command installs a project's dependencies from its manifests.
pub fn installs_dependencies(cmd: &Command) -> bool {
    let Some(name) = cmd.name_str() else {
        return false;
    };
    let name = name.rsplit('/').next().unwrap_or(name);
    let args: Vec<&str> = cmd.args.iter().map(|w| w.text.as_str()).collect();
    let first = cmd.args_without_flags().next().map(|w| w.text.as_str());
    let has = |a: &str| args.contains(&a);
    match name {
        "pip" | "pip3" | "pipx" => first == Some("install") && pip_from_project(&args),
        "python" | "python3" => {
            args.windows(2).any(|w| w == ["-m", "pip"]) && has("install") && pip_from_project(&args)
        }
        "uv" => {
            first == Some("sync")
                || (first == Some("pip") && has("install") && pip_from_project(&args))
        }
        "poetry" | "pipenv" | "pdm" => first == Some("install") || first == Some("sync"),
        "npm" => {
            matches!(first, Some("ci"))
                || (first == Some("install") || first == Some("i"))
                    && cmd.args_without_flags().count() == 1
        }
        "yarn" => first.is_none() || first == Some("install"),
        "pnpm" | "bun" => first == Some("install") || first == Some("i"),
        "go" => first == Some("mod") && has("download"),
        "bundle" | "bundler" => first.is_none() || first == Some("install"),
        "composer" => first == Some("install"),
        "cargo" => matches!(first, Some("fetch") | Some("build")),
        "mvn" | "mvnw" | "./mvnw" => args.iter().any(|a| a.starts_with("dependency:")),
        "gradle" | "gradlew" | "./gradlew" => has("dependencies") || has("--refresh-dependencies"),
        "dotnet" => first == Some("restore"),
        "mix" => first == Some("deps.get"),
        _ => false,
    }
}

fn pip_from_project(args: &[&str]) -> bool {
    args.iter().any(|a| {
        matches!(*a, "-r" | "--requirement" | "." | "./" | "-e")
            || a.starts_with("--requirement=")
            || a.starts_with("-r")
    })
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
            if ins.kind != Kind::Run {
                continue;
            }
            let Some(install) = df.commands(ins).find(|c| installs_dependencies(c)) else {
                continue;
            };
            if let Some(copy) = whole_copy {
                let span = copy.first_line_span(&ctx.source.text);
                let tool = install.name_str().unwrap_or("the install");
                ctx.report(
                    span,
                    "the whole build context is copied before dependencies are installed",
                )
                .help("copy only the dependency manifests first, install, then copy the rest")
                .related(install.span, format!("`{tool}` installs dependencies here"));
            }
            // Only the first install in a stage matters.
            break;
        }
    }
}
