use super::package_calls::report_calls;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports a `yum install` whose RUN does not clean yum's cache afterwards (`yum clean
    /// all`, or `rm -rf /var/cache/yum`). A `dnf clean all` counts too (on current systems
    /// `yum` is dnf), and so does a cache or tmpfs mount on `/var/cache/yum`.
    ///
    /// ## Why is this bad?
    /// yum keeps the metadata and packages it downloaded in `/var/cache/yum`, and the layer
    /// ships them. Cleaning in a later RUN does not help: the layer that wrote them keeps them.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install -y httpd-2.4.6
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install -y httpd-2.4.6 && yum clean all
    /// ```
    pub static RULE = Rule {
        code: "DL3032",
        name: "yum-cache-not-cleaned",
        category: Category::Efficiency,
        summary: "a yum install leaves yum's cache in the layer",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_calls(
        ctx,
        run,
        |c| c.manager == Manager::Yum && c.is(&["install", "groupinstall", "localinstall"]),
        |run, c| {
            !run.packages.cleaned_after(c, None) && !run.packages.cache_mounted("/var/cache/yum")
        },
        |_| "yum's cache stays in the layer".to_string(),
        "add `&& yum clean all` at the end of the RUN",
    );
}
