use super::package_calls::report_calls;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports an `apt-get update` (or `apt update`, `aptitude update`) whose RUN does not
    /// remove the package lists afterwards (`rm -rf /var/lib/apt/lists/*`).
    ///
    /// Only stages whose layers ship are judged: the final stage, and stages a later `FROM`
    /// builds on; a builder stage whose files are copied out is not. A cache or tmpfs mount
    /// on `/var/lib/apt/lists` (or a directory above it) keeps the lists out of the layer and
    /// counts. Heredoc scripts and `ONBUILD RUN` are read like any RUN.
    ///
    /// Unlike hadolint, `sudo apt-get update` and `/usr/bin/apt-get update` are judged, and a
    /// mount on `/var/lib/apt` alone is enough.
    ///
    /// ## Why is this bad?
    /// `apt-get update` downloads the package lists, tens of megabytes. Removing them in a
    /// later RUN does not shrink the image: the layer that wrote them keeps them. They are
    /// also stale by the time the image runs, so nothing should use them.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    pub static RULE = Rule {
        code: "DL3009",
        name: "apt-lists-not-removed",
        category: Category::Efficiency,
        summary: "the apt package lists are left in the layer",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    let df = ctx.file;
    report_calls(
        ctx,
        run,
        |c| c.manager.family() == Manager::AptGet && c.is(&["update"]),
        |run, c| {
            df.model.stage_at(run.index).is_some_and(|s| df.model.stage_ships(s))
                && !run.packages.cleaned_after(c, Some("lists"))
                && !run.packages.cache_mounted("/var/lib/apt/lists")
        },
        |c| format!("the package lists `{}` downloads stay in the layer", c.call()),
        "add `&& rm -rf /var/lib/apt/lists/*` at the end of the RUN, or use a cache mount on /var/lib/apt/lists",
    );
}
