use super::package_calls::report_calls;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports a `dnf` or `microdnf` `install`, `groupinstall` or `localinstall` without
    /// `-y`/`--assumeyes`.
    ///
    /// ## Why is this bad?
    /// A build has no terminal to answer the confirmation prompt: dnf reads no answer and
    /// exits without installing anything, and the build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM fedora:41
    /// RUN dnf install nginx-1.26.2 && dnf clean all
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM fedora:41
    /// RUN dnf install -y nginx-1.26.2 && dnf clean all
    /// ```
    pub static RULE = Rule {
        code: "DL3038",
        name: "dnf-missing-yes",
        category: Category::Reliability,
        summary: "a dnf install does not answer yes to its prompt",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_calls(
        ctx,
        run,
        |c| {
            matches!(c.manager, Manager::Dnf | Manager::Microdnf)
                && c.is(&["install", "groupinstall", "localinstall"])
        },
        |_, c| !c.yes,
        |c| format!("`{}` without `-y` stops at its prompt", c.call()),
        "add `-y` so that the build does not stop at the confirmation prompt",
    );
}
