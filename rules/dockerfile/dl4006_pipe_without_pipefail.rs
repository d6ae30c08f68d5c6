use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::{Pipeline, Script};

declare_rule! {
    /// ## What it does
    /// Reports a `RUN` whose script has a pipe (`|`, `|&`) while `pipefail` is off: one
    /// finding per script, at its first pipe that runs without `pipefail`.
    ///
    /// `pipefail` is on for a script when:
    ///
    /// - the `SHELL` in force sets it (`SHELL ["/bin/bash", "-o", "pipefail", "-c"]`,
    ///   `-eo pipefail`, `-o errexit -o pipefail`) and its program is bash, zsh, ash or ksh,
    ///   by base name (`/usr/bin/bash` counts);
    /// - the script itself runs `set -o pipefail` (`set -euo pipefail`...) before the pipe,
    ///   outside a subshell, and its shell is one of those: the `SHELL`, the program a
    ///   `RUN <<EOF` script's shebang names (`#!/bin/bash`), or the shell a heredoc is fed to
    ///   (`RUN bash <<EOF`);
    /// - the shebang or the shell a heredoc is fed to sets it in its options
    ///   (`#!/bin/bash -eo pipefail`, `RUN bash -o pipefail <<EOF`).
    ///
    /// A pipeline whose stages before the last are all `echo`, `printf` or `yes`
    /// (`echo "$SUM  x.tgz" | sha256sum -c -`) is not reported: those cannot fail in a way
    /// `pipefail` would catch. A stage built `FROM` an earlier stage inherits that stage's
    /// `SHELL`, as in Docker.
    /// `sh` and `dash` never count: `/bin/sh` is dash on Debian and Ubuntu, which has no
    /// `pipefail`. RUNs under PowerShell or cmd are not read.
    ///
    /// Differences from hadolint, on purpose: hadolint ignores `set -o pipefail` inside the
    /// RUN (its issues #522 and #1137), the interpreter of heredoc scripts, ksh, and a `SHELL`
    /// inherited through `FROM <stage>`, reports pipes from `echo`, and 2.15.1 takes
    /// `/usr/bin/bash` for another shell.
    ///
    /// ## Why is this bad?
    /// The exit status of a pipeline is the status of its last command. In
    /// `RUN wget -O - https://example.com/x | tar -xz`, a failed download still gives a
    /// successful step, and the image is built without `x`; with `pipefail`, the build stops.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN wget -O - https://example.com/tool.tar.gz | tar -xz -C /opt
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12-slim
    /// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    /// RUN wget -O - https://example.com/tool.tar.gz | tar -xz -C /opt
    /// ```
    pub static RULE = Rule {
        code: "DL4006",
        name: "pipe-without-pipefail",
        category: Category::Reliability,
        summary: "a RUN pipes commands while pipefail is off",
        check: Check::Run(check),
    };
}

/// Every stage but the last is `echo`, `printf` or `yes`: nothing can fail there that
/// `pipefail` would catch (and `yes` ends with SIGPIPE, which `pipefail` would turn into a
/// failure).
fn harmless(script: &Script, pipeline: &Pipeline) -> bool {
    let mut stages: Vec<_> = script.stages(pipeline).collect();
    stages.pop();
    stages
        .iter()
        .all(|s| s.is_some_and(|c| c.name_is(&["echo", "printf", "yes"])))
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    let df = ctx.file;
    for (i, script) in run.scripts.iter().enumerate() {
        if !script.has_pipe() {
            continue;
        }
        let (dialect, pipefail) = df.script_shell(run, i);
        let Some(dialect) = dialect else { continue };
        if pipefail && dialect.has_pipefail() {
            continue;
        }
        let set_at = dialect
            .has_pipefail()
            .then(|| {
                script
                    .commands
                    .iter()
                    .find(|c| !c.in_subshell && c.sets_pipefail())
            })
            .flatten()
            .map(|c| c.span.start);
        let Some(pipe) = script
            .pipelines
            .iter()
            .filter(|p| !harmless(script, p))
            .filter_map(|p| p.pipes.first())
            .find(|p| set_at.is_none_or(|at| p.start < at))
        else {
            continue;
        };
        ctx.report(*pipe, "pipe without `pipefail`: a failure before the last command is ignored")
            .help("add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before this RUN, or start the script with `set -o pipefail` under bash");
    }
}
