use super::package_calls::{add_flag, report_calls_fixed};
use crate::declare_rule;
use crate::diagnostic::Applicability;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports an `apk add` without `--no-cache`.
    ///
    /// A cache or tmpfs mount on `/var/cache/apk` counts, and so, unlike hadolint, does a
    /// later `rm -rf /var/cache/apk/*` (or `apk cache clean`) in the same RUN, which leaves
    /// the layer without the index just the same. So do a mount on `/etc/apk/cache` (or an
    /// `ln -s` of it to a cache mount) and `--no-network`, which downloads nothing.
    ///
    /// ## Why is this bad?
    /// Without `--no-cache`, apk keeps the package index it downloaded in `/var/cache/apk`,
    /// and the layer ships it: megabytes the image does not need.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.21
    /// RUN apk add curl=8.11.1-r0
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.21
    /// RUN apk add --no-cache curl=8.11.1-r0
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `--no-cache` after `add`. It is safe: the same packages are installed, and
    /// only the index apk would have left in the layer is gone.
    pub static RULE = Rule {
        code: "DL3019",
        name: "apk-add-missing-no-cache",
        category: Category::Efficiency,
        summary: "an apk add keeps its package index in the layer",
        fixable: true,
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_calls_fixed(
        ctx,
        run,
        |c| c.manager == Manager::Apk && c.is_install(),
        |run, c| {
            let p = run.packages;
            // `ln -s /mount /etc/apk/cache` sends the cache to a cache mount.
            let linked = run.commands().any(|l| {
                l.name_is(&["ln"])
                    && l.args.iter().any(|a| a.text == "/etc/apk/cache")
                    && l.args.iter().any(|a| p.cache_mounted(&a.text))
            });
            !c.no_cache
                && !c.has_flag("no-network")
                && !linked
                && !p.cache_mounted("/var/cache/apk")
                && !p.cache_mounted("/etc/apk/cache")
                && !p.cleaned_after(c, None)
        },
        |_| "`apk add` without `--no-cache` keeps the package index".to_string(),
        "add `--no-cache`, or use a cache mount on /var/cache/apk",
        |c| add_flag(c, "--no-cache", Applicability::Safe),
    );
}
