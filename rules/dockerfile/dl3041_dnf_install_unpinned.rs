use super::package_calls::report_unpinned;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports each package of a `dnf install` or `microdnf install` that names no version.
    ///
    /// A version follows the name after a `-` and starts with a digit (`nginx-1.24.0`);
    /// `.rpm` files, URLs and variables are not judged. `dnf module install` and group
    /// installs are not judged.
    ///
    /// ## Why is this bad?
    /// Without a version, every build installs what the repositories hold that day: builds
    /// are not reproducible, and an upgrade can change the image without a change to the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM fedora:41
    /// RUN dnf install -y nginx && dnf clean all
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM fedora:41
    /// RUN dnf install -y nginx-1.26.2 && dnf clean all
    /// ```
    pub static RULE = Rule {
        code: "DL3041",
        name: "dnf-install-unpinned",
        category: Category::Reliability,
        summary: "a dnf install names a package without a version",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_unpinned(ctx, run, |c| {
        matches!(c.manager, Manager::Dnf | Manager::Microdnf) && c.is(&["install", "localinstall", "in"])
    });
}
