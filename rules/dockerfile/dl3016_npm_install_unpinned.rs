use super::package_calls::report_unpinned;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports each package of an `npm install` (or `npm i`, `npm add`) that names no version.
    ///
    /// `name@1.2`, `@scope/name@^1` and a git URL with a `#ref` are pinned; so are tarballs
    /// (`x.tgz`), local folders (`./pkg`, `/src`, `~/pkg`) and variables. A bare `npm install`
    /// or `npm ci` installs from the lock file and is fine. The value of `--registry` and the
    /// other value-taking options is not a package.
    ///
    /// ## Why is this bad?
    /// Without a version, npm installs the newest release at build time: builds are not
    /// reproducible, and a breaking release reaches the image without a change to the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// RUN npm install -g pnpm
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// RUN npm install -g pnpm@9.12.0
    /// ```
    pub static RULE = Rule {
        code: "DL3016",
        name: "npm-install-unpinned",
        category: Category::Reliability,
        summary: "an npm install names a package without a version",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_unpinned(ctx, run, |c| {
        c.manager == Manager::Npm && c.is(&["install", "i", "add"])
    });
}
