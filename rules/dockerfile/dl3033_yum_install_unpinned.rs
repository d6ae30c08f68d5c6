use super::package_calls::report_unpinned;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports each package of a `yum install` that names no version.
    ///
    /// A version follows the name after a `-` and starts with a digit (`httpd-2.4.6`,
    /// `java-1.8.0-openjdk`); `.rpm` files, URLs and variables are not judged. `yum module
    /// install` and group installs are not judged.
    ///
    /// ## Why is this bad?
    /// Without a version, every build installs what the repositories hold that day: builds
    /// are not reproducible, and an upgrade can change the image without a change to the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install -y httpd && yum clean all
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install -y httpd-2.4.6 && yum clean all
    /// ```
    pub static RULE = Rule {
        code: "DL3033",
        name: "yum-install-unpinned",
        category: Category::Reliability,
        summary: "a yum install names a package without a version",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_unpinned(ctx, run, |c| c.manager == Manager::Yum && c.is(&["install", "localinstall"]));
}
