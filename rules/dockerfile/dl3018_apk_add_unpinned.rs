use super::package_calls::report_unpinned;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports each package of an `apk add` that names no version.
    ///
    /// `curl=8.11.1-r0`, `curl~8.11`, `curl>8` and `curl<9` are pinned; so are `.apk` files
    /// and variables. The values of `--virtual`/`-t`, `--repository`/`-X` and the other
    /// value-taking options are not packages (`apk add --virtual .build-deps gcc` names `gcc`
    /// only).
    ///
    /// ## Why is this bad?
    /// Without a version, every build installs what the Alpine mirror holds that day: builds
    /// are not reproducible, and an upgrade can change the image without a change to the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.21
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.21
    /// RUN apk add --no-cache curl=8.11.1-r0
    /// ```
    pub static RULE = Rule {
        code: "DL3018",
        name: "apk-add-unpinned",
        category: Category::Reliability,
        summary: "an apk add names a package without a version",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_unpinned(ctx, run, |c| c.manager == Manager::Apk);
}
