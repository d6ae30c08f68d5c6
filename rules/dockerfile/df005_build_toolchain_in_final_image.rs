use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::knowledge::{files, toolchain};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::{Manager, PackageKind};

declare_rule! {
    /// ## What it does
    /// Reports an install in the final image (the final stage, or a stage it builds on
    /// through `FROM <stage>`) of a build toolchain: compilers and build tools (`gcc`, `g++`,
    /// `clang`, `make`, `cmake`, `build-essential`, `build-base`...) or development packages
    /// (`*-dev`, `*-devel`: `libpq-dev`, `python3-dev`...), with apt-get, apk, dnf, microdnf or
    /// yum.
    ///
    /// A builder stage that installs them is fine, and so is a RUN that removes them again in
    /// the same layer: `apk add --virtual .build-deps ... && apk del .build-deps`, `apt-get
    /// purge` of the package or of a variable holding the list, or an apt auto-removal
    /// (`apt-get purge -y --auto-remove`, the pattern of the official images). Dev-environment
    /// images (`.devcontainer/`, `.gitpod.Dockerfile`) are not judged.
    ///
    /// Off by default: on the corpus, most final images that keep a compiler are build
    /// environments on purpose (language SDK and compiler images, CI and test images,
    /// `buildpack-deps`), which a Dockerfile does not say about itself. Turn it on for
    /// repositories whose images only run services.
    ///
    /// ## Why is this bad?
    /// A compiler and its headers are needed to build software, not to run it. In the final
    /// image they add hundreds of megabytes and a larger attack surface. Build in a builder
    /// stage and copy only the artefacts into a clean final stage.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
    ///     && rm -rf /var/lib/apt/lists/*
    /// COPY requirements.txt .
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim AS build
    /// RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
    ///     && rm -rf /var/lib/apt/lists/*
    /// COPY requirements.txt .
    /// RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt
    ///
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \
    ///     && rm -rf /var/lib/apt/lists/*
    /// COPY --from=build /wheels /wheels
    /// RUN pip install --no-cache-dir /wheels/*
    /// ```
    pub static RULE = Rule {
        code: "DF005",
        name: "build-toolchain-in-final-image",
        category: Category::Efficiency,
        enabled: Some(false),
        summary: "the final image installs a compiler or development headers",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    if files::is_dev_environment(&ctx.source.path) {
        return;
    }
    let df = ctx.file;
    let system = [Manager::AptGet, Manager::Apk, Manager::Dnf];
    for c in &run.packages.commands {
        if !c.is_install()
            || !system.contains(&c.manager.family())
            || !df.model.stage_at(run.index).is_some_and(|s| df.model.in_final_image(s))
        {
            continue;
        }
        let kept: Vec<_> = c
            .packages
            .iter()
            .filter(|p| p.kind == PackageKind::Name && toolchain::is_build_toolchain(&p.name))
            .filter(|p| !run.packages.uninstalled_after(c, p))
            .collect();
        let Some(first) = kept.first() else { continue };
        let mut names: Vec<String> = kept.iter().take(3).map(|p| format!("`{}`", p.name)).collect();
        if kept.len() > 3 {
            names.push(format!("{} more", kept.len() - 3));
        }
        ctx.report(
            first.span,
            format!("the final image keeps the build toolchain {}", names.join(", ")),
        )
        .help("build in a builder stage and copy only the artefacts into the final stage");
    }
}
