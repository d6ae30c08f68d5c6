use super::package_calls::report_calls;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports a `dnf` or `microdnf` call that downloads packages (`install`, `upgrade`,
    /// `reinstall` and their short forms) whose RUN does not clean the cache afterwards
    /// (`dnf clean all`, `microdnf clean all`, `yum clean all`, or `rm -rf /var/cache/dnf`,
    /// `/var/cache/libdnf5`, `/var/cache/yum`). A cache or tmpfs mount on one of those
    /// directories counts.
    ///
    /// ## Why is this bad?
    /// dnf keeps the metadata and packages it downloaded in its cache directory, and the
    /// layer ships them. Cleaning in a later RUN does not help: the layer that wrote them
    /// keeps them.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM fedora:41
    /// RUN dnf install -y nginx-1.26.2
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM fedora:41
    /// RUN dnf install -y nginx-1.26.2 && dnf clean all
    /// ```
    pub static RULE = Rule {
        code: "DL3040",
        name: "dnf-cache-not-cleaned",
        category: Category::Efficiency,
        summary: "a dnf install leaves dnf's cache in the layer",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_calls(
        ctx,
        run,
        |c| {
            matches!(c.manager, Manager::Dnf | Manager::Microdnf)
                && c.is(&[
                    "install",
                    "in",
                    "groupinstall",
                    "localinstall",
                    "upgrade",
                    "up",
                    "update",
                    "reinstall",
                    "rei",
                ])
        },
        |run, c| {
            let p = run.packages;
            !p.cleaned_after(c, None)
                && !["/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/yum"]
                    .iter()
                    .any(|d| p.cache_mounted(d))
        },
        |c| format!("the cache of `{}` stays in the layer", c.call()),
        "add `&& dnf clean all` at the end of the RUN",
    );
}
