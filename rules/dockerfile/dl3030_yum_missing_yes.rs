use super::package_calls::report_calls;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports a `yum install`, `groupinstall` or `localinstall` without `-y`/`--assumeyes`.
    ///
    /// ## Why is this bad?
    /// A build has no terminal to answer yum's confirmation prompt: yum reads no answer and
    /// exits without installing anything, and the build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install httpd-2.4.6 && yum clean all
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install -y httpd-2.4.6 && yum clean all
    /// ```
    pub static RULE = Rule {
        code: "DL3030",
        name: "yum-missing-yes",
        category: Category::Reliability,
        summary: "a yum install does not answer yes to its prompt",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_calls(
        ctx,
        run,
        |c| c.manager == Manager::Yum && c.is(&["install", "groupinstall", "localinstall"]),
        |_, c| !c.yes,
        |c| format!("`{}` without `-y` stops at its prompt", c.call()),
        "add `-y` so that the build does not stop at the confirmation prompt",
    );
}
