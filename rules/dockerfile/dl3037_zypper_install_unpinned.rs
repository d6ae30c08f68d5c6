use super::package_calls::report_unpinned;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports each package of a `zypper install` (or `zypper in`) that names no version.
    ///
    /// `curl=8.6.0`, `curl>=8` and `curl<9` are pinned; `.rpm` files, URLs and variables are
    /// not judged.
    ///
    /// ## Why is this bad?
    /// Without a version, every build installs what the repositories hold that day: builds
    /// are not reproducible, and an upgrade can change the image without a change to the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper install -y curl && zypper clean
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper install -y curl=8.6.0 && zypper clean
    /// ```
    pub static RULE = Rule {
        code: "DL3037",
        name: "zypper-install-unpinned",
        category: Category::Reliability,
        summary: "a zypper install names a package without a version",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_unpinned(ctx, run, |c| c.manager == Manager::Zypper);
}
