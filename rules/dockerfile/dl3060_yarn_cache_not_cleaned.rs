use super::package_calls::report_calls;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports a `yarn install` (or `yarn add`, `yarn global add`) whose RUN
    /// does not clean yarn's cache afterwards (`yarn cache clean`, or `rm -rf` of the cache
    /// directory or of `$YARN_CACHE_FOLDER`).
    ///
    /// Only stages whose layers ship are judged: the final stage, and stages a later `FROM`
    /// builds on. A cache or tmpfs mount on yarn's cache (a target naming `yarn`, or the value
    /// of `YARN_CACHE_FOLDER` or `--cache-folder`) counts.
    ///
    /// Unlike hadolint, `yarn add` and `yarn global add` are judged too.
    ///
    /// ## Why is this bad?
    /// yarn keeps a copy of every package it downloaded in its cache, and the layer ships it:
    /// often more than `node_modules` itself.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// RUN yarn install --frozen-lockfile
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// RUN yarn install --frozen-lockfile && yarn cache clean
    /// ```
    pub static RULE = Rule {
        code: "DL3060",
        name: "yarn-cache-not-cleaned",
        category: Category::Efficiency,
        summary: "a yarn install leaves yarn's cache in the layer",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    let df = ctx.file;
    report_calls(
        ctx,
        run,
        |c| {
            c.manager == Manager::Yarn
                && (c.is(&["install", "add"]) || (c.is(&["global"]) && !c.packages.is_empty()))
        },
        |run, c| {
            let p = run.packages;
            let folder = c
                .value_of(&["cache-folder"])
                .or_else(|| df.env_for(run, c, "YARN_CACHE_FOLDER"));
            let mounted = p.cache_mounts.iter().any(|m| m.target.contains("yarn"))
                || folder.is_some_and(|d| p.cache_mounted(d));
            df.model.stage_at(run.index).is_some_and(|s| df.model.stage_ships(s))
                && !c.no_cache
                && !mounted
                && !p.cleaned_after(c, None)
                && !folder.is_some_and(|d| p.removed_after(d, c.order))
        },
        |c| format!("the cache of `{}` stays in the layer", c.call()),
        "add `&& yarn cache clean` at the end of the RUN, or use a cache mount on yarn's cache",
    );
}
