use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports `sudo` in a `RUN`, at the `sudo` word: by its base name (`/usr/bin/sudo`),
    /// also behind `env` (`env X=1 sudo ...`) and in exec form (`RUN ["sudo", ...]`), heredoc
    /// scripts and `ONBUILD RUN` triggers. hadolint reads only a literal `sudo`.
    ///
    /// `sudo -u <user>` (`--user`) for a user other than root is not reported, unlike
    /// hadolint: it runs a command with fewer rights (`sudo -u builder makepkg`, which
    /// refuses to run as root), needs no sudoers entry when the RUN is root, and `USER`
    /// cannot switch for one command of a RUN.
    ///
    /// ## Why is this bad?
    /// A `RUN` runs as the stage's `USER`, and switching user belongs to the Dockerfile:
    /// `sudo` needs a password-less sudoers entry, which leaves every process of the
    /// container a way to become root, and it behaves unpredictably without a terminal
    /// (lost environment, `requiretty`). Use `USER root` for the steps that need root, then
    /// switch back.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// USER app
    /// RUN sudo apt-get update
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// USER root
    /// RUN apt-get update
    /// USER app
    /// ```
    pub static RULE = Rule {
        code: "DL3004",
        name: "sudo-in-run",
        category: Category::Security,
        summary: "a RUN uses sudo",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    let is_sudo = |w: &&crate::shell::Word| {
        w.literal()
            .is_some_and(|t| crate::shell::base_name(t) == "sudo")
    };
    for cmd in run.commands() {
        let eff = cmd.effective();
        let word = cmd.name.iter().find(is_sudo).or_else(|| {
            eff.wrappers
                .iter()
                .skip(cmd.wrappers.len())
                .find(is_sudo)
        });
        // `sudo -u app make`: root dropping to another user, not gaining root.
        let drops = cmd.base_name() == Some("sudo")
            && cmd
                .flag_value("u")
                .or_else(|| cmd.flag_value("user"))
                .is_some_and(|u| !matches!(u, "root" | "0" | "#0"));
        if let Some(w) = word.filter(|_| !drops) {
            ctx.report(w.span, "`sudo` in a RUN")
                .help("use `USER root` for the steps that need root, then switch back");
        }
    }
}
