use super::package_calls::report_unpinned;
use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports each package of an `apt-get install` (or `apt install`, `aptitude install`)
    /// that names no version.
    ///
    /// Pinned forms: `curl=8.5.0-1`, a glob `curl=8.5*`, an epoch `curl=1:8.5.0-1`, a release
    /// `curl/bookworm-backports`, a package file `./x.deb`, and a variable, whose value wharf
    /// cannot know. The values of value-taking options (`-t bookworm-backports`,
    /// `-o Dpkg::Options::=--force-confold`) are not packages.
    ///
    /// Unlike hadolint, a call through `sudo` or `env`, or by a path (`/usr/bin/apt-get`), is
    /// an apt-get call too, and so is `apt install`.
    ///
    /// ## Why is this bad?
    /// Without a version, every build installs whatever the archive holds that day: two builds
    /// of the same Dockerfile produce different images, and an upgrade you did not ask for can
    /// break the image without a change to the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    pub static RULE = Rule {
        code: "DL3008",
        name: "apt-get-install-unpinned",
        category: Category::Reliability,
        summary: "an apt-get install names a package without a version",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    report_unpinned(ctx, run, |c| c.manager.family() == Manager::AptGet);
}
