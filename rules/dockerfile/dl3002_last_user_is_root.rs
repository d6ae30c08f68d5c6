use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a stage whose last `USER` instruction switches to root (`root`, `0`,
    /// `root:group`, `0:0`).
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
    for stage in &df.model.stages {
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
