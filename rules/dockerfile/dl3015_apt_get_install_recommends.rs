use super::package_calls::{AptSetting, WithAptSetting, add_flag, report_calls_fixed};
use crate::declare_rule;
use crate::diagnostic::Applicability;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context, RunVisitor};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports an `apt-get install` (or `apt install`) without `--no-install-recommends`
    /// (or `-o APT::Install-Recommends=false`).
    ///
    /// An earlier RUN of the stage (or of a stage it builds on) that writes
    /// `APT::Install-Recommends` to apt's configuration counts: the setting then holds for the
    /// installs that follow.
    ///
    /// ## Why is this bad?
    /// apt installs the packages a package recommends by default: documentation, extra
    /// tools, sometimes a whole X11 stack. They make the image bigger and add code to patch,
    /// and the image rarely needs them.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y python3=3.11.2-1+b1 \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update && apt-get install -y --no-install-recommends python3=3.11.2-1+b1 \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `--no-install-recommends` after `install`. It is unsafe: fewer packages are
    /// installed, and the image may have relied on one that was only recommended.
    pub static RULE = Rule {
        code: "DL3015",
        name: "apt-get-install-recommends",
        category: Category::Efficiency,
        summary: "an apt-get install also installs recommended packages",
        fixable: true,
        check: Check::Runs(state),
    };
}

fn state() -> Box<dyn RunVisitor> {
    WithAptSetting::visitor("Install-Recommends", check)
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>, configured: &AptSetting) {
    let df = ctx.file;
    report_calls_fixed(
        ctx,
        run,
        |c| matches!(c.manager, Manager::AptGet | Manager::Apt) && c.is(&["install"]),
        |run, c| !c.no_recommends && !configured.before(df, run),
        |c| format!("`{}` also installs recommended packages", c.call()),
        "add `--no-install-recommends` and name the packages the image needs",
        |c| add_flag(c, "--no-install-recommends", Applicability::Unsafe),
    );
}
