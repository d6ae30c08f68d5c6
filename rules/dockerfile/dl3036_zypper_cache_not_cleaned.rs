use super::package_calls::report_calls;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports a `zypper install` (or `zypper in`) whose RUN does not clean zypper's cache
    /// afterwards (`zypper clean`, `zypper cc`, or `rm -rf /var/cache/zypp`). A cache or tmpfs
    /// mount on `/var/cache/zypp` counts.
    ///
    /// ## Why is this bad?
    /// zypper keeps the metadata and packages it downloaded in `/var/cache/zypp`, and the
    /// layer ships them. Cleaning in a later RUN does not help: the layer that wrote them
    /// keeps them.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper -n install curl=8.6.0
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper -n install curl=8.6.0 && zypper clean --all
    /// ```
    pub static RULE = Rule {
        code: "DL3036",
        name: "zypper-cache-not-cleaned",
        category: Category::Efficiency,
        summary: "a zypper install leaves zypper's cache in the layer",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_calls(
        ctx,
        run,
        |c| c.manager == Manager::Zypper && c.is(&["install", "in"]),
        |run, c| {
            !run.packages.cleaned_after(c, None) && !run.packages.cache_mounted("/var/cache/zypp")
        },
        |_| "zypper's cache stays in the layer".to_string(),
        "add `&& zypper clean --all` at the end of the RUN",
    );
}
