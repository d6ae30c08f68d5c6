use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::{Manager, Via};

declare_rule! {
    /// ## What it does
    /// Reports the `apt` command in a RUN.
    ///
    /// Unlike hadolint, `sudo apt` and `/usr/bin/apt` are reported too.
    ///
    /// ## Why is this bad?
    /// `apt` is meant for people at a terminal: its output and options may change between
    /// releases, and it warns that it "does not have a stable CLI interface" when a script
    /// uses it. `apt-get` and `apt-cache` are its stable, scriptable counterparts.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt update && apt install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Fix safety
    /// Replacing `apt` with `apt-get` is offered for `install`, `update`, `upgrade`,
    /// `remove`, `purge` and `autoremove`, as an unsafe fix: `apt upgrade` also installs new
    /// dependencies where `apt-get upgrade` holds such packages back, and the progress
    /// output differs.
    pub static RULE = Rule {
        code: "DL3027",
        name: "apt-command",
        category: Category::Reliability,
        summary: "`apt` is used in a script instead of `apt-get`",
        fixable: true,
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    for c in run.packages.commands.iter().filter(|c| c.manager == Manager::Apt) {
        let d = ctx
            .report(c.name_span, "`apt` has no stable interface for scripts")
            .help("use `apt-get` (or `apt-cache` to search and show packages)");
        let plain = matches!(c.via, Via::Name | Via::Sudo | Via::Env);
        if plain && c.is(&["install", "update", "upgrade", "remove", "purge", "autoremove"]) {
            d.fix(Fix::unsafe_replace(c.name_span, "apt-get", "use `apt-get`"));
        }
    }
}
