use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports commands that make no sense in a `RUN`: `ssh`, `vim`, `shutdown`, `service`,
    /// `ps`, `free`, `top`, `kill`, `mount` and `ifconfig`, at the command's name. Also
    /// through `sudo` and `env` and by base name (`/usr/sbin/service`), in heredoc scripts
    /// and `ONBUILD RUN` triggers. hadolint names `ifconfig` in its message but does not
    /// check it, and reads only literal names.
    ///
    /// Off by default (pedantic): some of these do serve inside one RUN (`service mysql
    /// start` to load a schema, `kill` to stop a server started for a test).
    ///
    /// ## Why is this bad?
    /// A RUN is a build step, not a machine: nothing it starts outlives it (`service`,
    /// `top`), there is no terminal to use an editor in (`vim`), and the build container's
    /// processes, memory and mounts (`ps`, `free`, `mount`, `ifconfig`) say nothing about
    /// where the image will run. Such a command is a leftover from interactive work, or a
    /// step that does not do what it seems to.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN service nginx start
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// CMD ["nginx", "-g", "daemon off;"]
    /// ```
    pub static RULE = Rule {
        code: "DL3001",
        name: "pointless-command",
        category: Category::Pedantic,
        summary: "a RUN uses a command that is pointless in a build",
        check: Check::Run(check),
    };
}

const POINTLESS: &[&str] = &[
    "free", "ifconfig", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim",
];

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    for cmd in run.commands() {
        let eff = cmd.effective();
        let Some(name) = eff.base_name().filter(|n| POINTLESS.contains(n)) else {
            continue;
        };
        if let Some(word) = &eff.name {
            ctx.report(word.span, format!("`{name}` is pointless in a RUN"))
                .help("remove it: a RUN is a build step, with no terminal and no processes that outlive it");
        }
    }
}
