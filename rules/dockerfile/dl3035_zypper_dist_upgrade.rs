use super::package_calls::report_calls;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports `zypper dist-upgrade` (or `zypper dup`).
    ///
    /// ## Why is this bad?
    /// A distribution upgrade moves every package of the base image to whatever the
    /// repositories hold on the day of the build, possibly to a new release of the
    /// distribution: the image no longer matches the base it names, and builds are not
    /// reproducible. Pick a newer base image instead, or update the packages you need.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper -n dist-upgrade && zypper clean
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper -n update curl && zypper clean
    /// ```
    pub static RULE = Rule {
        code: "DL3035",
        name: "zypper-dist-upgrade",
        category: Category::Reliability,
        summary: "zypper dist-upgrade upgrades the whole base image",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_calls(
        ctx,
        run,
        |c| c.manager == Manager::Zypper && c.is(&["dist-upgrade", "dup"]),
        |_, _| true,
        |c| format!("`{}` upgrades the whole base image", c.call()),
        "use a newer base image, or update only the packages you need",
    );
}
