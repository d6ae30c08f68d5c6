use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Healthcheck, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `HEALTHCHECK CMD` without `--start-period`. `HEALTHCHECK NONE` is fine.
    ///
    /// ## Why is this bad?
    /// Without a start period, the probes that fail while the application starts count
    /// towards `--retries`: a slow start (migrations, a JVM warming up) marks the container
    /// unhealthy, and an orchestrator restarts it before it ever served. During the start
    /// period failures do not count, and the first success ends it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM nginx:1.27
    /// HEALTHCHECK --interval=30s --start-period=20s CMD curl -f http://localhost/ || exit 1
    /// ```
    pub static RULE = Rule {
        code: "DF023",
        name: "healthcheck-without-start-period",
        category: Category::Pedantic,
        summary: "a HEALTHCHECK has no --start-period",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for outer in ctx.file.iter() {
        let ins = outer.trigger().unwrap_or(outer);
        if ins.kind != Kind::Healthcheck || !matches!(ins.body, Body::Healthcheck(Healthcheck::Cmd(_))) {
            continue;
        }
        if ins.flag("start-period").is_some() {
            continue;
        }
        ctx.report(ins.keyword, "HEALTHCHECK has no --start-period")
            .help("add `--start-period=<time the application needs to start>`, such as `--start-period=30s`");
    }
}
