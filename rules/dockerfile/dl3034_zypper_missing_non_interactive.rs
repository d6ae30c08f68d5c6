use super::package_calls::report_calls;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports a `zypper` call that installs, removes or patches packages (`install`/`in`,
    /// `remove`/`rm`, `source-install`/`si`, `patch`) without a non-interactive flag:
    /// the global `-n`/`--non-interactive`, or the command's `-y`/`--no-confirm`.
    ///
    /// ## Why is this bad?
    /// A build has no terminal to answer zypper's prompt: zypper reads no answer and the
    /// build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper install curl=8.6.0 && zypper clean
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper --non-interactive install curl=8.6.0 && zypper clean
    /// ```
    pub static RULE = Rule {
        code: "DL3034",
        name: "zypper-missing-non-interactive",
        category: Category::Reliability,
        summary: "a zypper call that changes packages is not non-interactive",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_calls(
        ctx,
        run,
        |c| {
            c.manager == Manager::Zypper
                && c.is(&["install", "in", "remove", "rm", "source-install", "si", "patch"])
        },
        |_, c| !c.yes,
        |c| format!("`{}` without `-n` stops at its prompt", c.call()),
        "add `--non-interactive` (`-n`) before the command, or `-y` after it",
    );
}
