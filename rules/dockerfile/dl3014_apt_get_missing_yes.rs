use super::package_calls::{AptSetting, WithAptSetting, add_flag, report_calls_fixed};
use crate::declare_rule;
use crate::diagnostic::Applicability;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context, RunVisitor};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports an `apt-get` call that installs, upgrades or removes packages without
    /// answering yes to its prompt: no `-y`/`--yes`/`--assume-yes`, no `-qq` (or `-q -q`,
    /// `-q=2`), and no `-o APT::Get::Assume-Yes=true`.
    ///
    /// An earlier RUN of the stage (or of a stage it builds on) that writes
    /// `APT::Get::Assume-Yes` to apt's configuration counts, and a simulation (`-s`,
    /// `--simulate`, `--dry-run`...), which asks nothing, is not judged.
    ///
    /// Unlike hadolint, which checks `install` only, `upgrade`, `dist-upgrade`, `remove`,
    /// `purge` and `autoremove` are judged too (they prompt alike), as are `apt` and
    /// `aptitude`, and calls through `sudo`, `env` or a path.
    ///
    /// ## Why is this bad?
    /// A build has no terminal to answer the prompt: apt-get reads no answer and aborts
    /// (`Do you want to continue? [Y/n] Abort.`) as soon as the call would install anything
    /// beyond the packages named, so the build fails on the day a dependency is added.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install --no-install-recommends curl=7.88.1-10+deb12u8
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `-y` after the subcommand. It is safe: without a terminal, the call
    /// without `-y` can only abort the build, so the fix does what the line was written for.
    pub static RULE = Rule {
        code: "DL3014",
        name: "apt-get-missing-yes",
        category: Category::Reliability,
        summary: "an apt-get call that changes packages does not answer yes to its prompt",
        fixable: true,
        check: Check::Runs(state),
    };
}

fn state() -> Box<dyn RunVisitor> {
    WithAptSetting::visitor("Assume-Yes", check)
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>, configured: &AptSetting) {
    let df = ctx.file;
    report_calls_fixed(
        ctx,
        run,
        |c| {
            c.manager.family() == Manager::AptGet
                && c.is(&[
                    "install",
                    "reinstall",
                    "upgrade",
                    "dist-upgrade",
                    "full-upgrade",
                    "remove",
                    "purge",
                    "autoremove",
                    "build-dep",
                ])
        },
        |run, c| {
            // A simulation (`-s`, `--dry-run`...) changes nothing and asks nothing.
            let simulates = c.has_any_flag(&[
                "s", "simulate", "just-print", "dry-run", "recon", "no-act", "print-uris",
            ]);
            !c.yes && !simulates && !configured.before(df, run)
        },
        |c| format!("`{}` without `-y` aborts at its prompt", c.call()),
        "add `-y` so that the build does not stop at the confirmation prompt",
        |c| add_flag(c, "-y", Applicability::Safe),
    );
}
