use crate::declare_rule;
use crate::dockerfile::{Base, Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an `ln` command in a `RUN` whose link name is `/bin/sh` (or `/usr/bin/sh`):
    /// `ln -sf /bin/bash /bin/sh`, also through `sudo` and by base name (`/bin/ln`).
    ///
    /// Only the last operand is the link that `ln` creates, so `ln -s /bin/sh /usr/local/bin/x`
    /// is not reported (hadolint reports any `ln` that names `/bin/sh`), and neither is a
    /// stage built `FROM scratch`, which has no shell to replace (a busybox image creating
    /// its `/bin/sh`).
    ///
    /// ## Why is this bad?
    /// Replacing `/bin/sh` changes the shell of every script and package hook of the image,
    /// not only the Dockerfile's `RUN`s, and breaks scripts written for the original shell.
    /// The `SHELL` instruction changes the shell of the build without touching the image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN ln -sf /bin/bash /bin/sh
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12-slim
    /// SHELL ["/bin/bash", "-c"]
    /// ```
    pub static RULE = Rule {
        code: "DL4005",
        name: "ln-bin-sh",
        category: Category::Reliability,
        summary: "a RUN replaces /bin/sh with a link",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    let df = ctx.file;
    // A stage built on scratch has no `/bin/sh` to replace (busybox images make one).
    let on_scratch = |index: usize| {
        df.model
            .stage_of
            .get(index)
            .copied()
            .flatten()
            .and_then(|s| df.model.root_of(s))
            .is_some_and(|root| root.base == Base::Scratch)
    };
    if on_scratch(run.index) {
        return;
    }
    for cmd in run.commands() {
        let eff = cmd.effective();
        if eff.base_name() != Some("ln") {
            continue;
        }
        let target = eff.args_without_flags_and_values(&["S", "suffix"]).last();
        if target.is_some_and(|w| matches!(w.text.as_str(), "/bin/sh" | "/usr/bin/sh")) {
            ctx.report(cmd.span, "`ln` replaces `/bin/sh`")
                .help("use the `SHELL` instruction to change the shell of the build");
        }
    }
}
