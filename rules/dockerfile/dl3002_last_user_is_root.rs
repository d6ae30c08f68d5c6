use crate::declare_rule;
use crate::knowledge::files;
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a stage whose last `USER` instruction switches to root (`root`, `0`,
    /// `root:group`, `0:0`), when that stage is one a container runs: the final stage, or a
    /// stage that no other stage copies from or builds on (it can be a `--target`).
    ///
    /// Unlike hadolint, which reports every stage, a build stage whose files are only copied
    /// out (`COPY --from=build`) or that a later stage builds on (`FROM build`, where the later
    /// stage's user counts) is not reported: no container runs it. Dev-environment images are
    /// not reported either: a Dockerfile under `.devcontainer/` or named `.gitpod.Dockerfile`,
    /// where the tool connects as the user its own configuration names (`remoteUser`) and root
    /// in the image is the documented convention.
    ///
    /// ## Why is this bad?
    /// Switching to root for an install step is fine, but the stage should switch back to an
    /// unprivileged user before it ends, or the container (or a later stage built on it) runs
    /// as root.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// USER root
    /// RUN npm install --global pm2@5
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// USER root
    /// RUN npm install --global pm2@5
    /// USER node
    /// ```
    pub static RULE = Rule {
        code: "DL3002",
        name: "last-user-is-root",
        category: Category::Security,
        summary: "the last USER of a stage is root",
        check: Check::Dockerfile(check),
    };
}

fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name == "0"
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    if files::is_dev_environment(&ctx.source.path) {
        return;
    }
    let last = df.model.stages.len().saturating_sub(1);
    for stage in &df.model.stages {
        if stage.index != last && (stage.copied_from || stage.used_as_base) {
            continue;
        }
        let last_user = df
            .stage_instructions(stage)
            .filter(|(_, i)| i.kind == Kind::User)
            .last();
        if let Some((_, ins)) = last_user
            && let Body::Value(user) = &ins.body
            && is_root(&user.value)
        {
            ctx.report(user.span, "the last USER of this stage is root")
                .help("switch to a non-root user at the end of the stage");
        }
    }
}
