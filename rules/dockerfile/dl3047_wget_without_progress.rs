use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports `wget` in a `RUN` without an option that quiets its progress output:
    /// `--progress=...`, `-q`/`--quiet`, `-nv`/`--no-verbose`, `-o`/`--output-file`,
    /// `-a`/`--append-output`, at the `wget` word. Also through `sudo` and by base name, in
    /// heredoc scripts and `ONBUILD RUN` triggers.
    ///
    /// Off by default (pedantic): the progress output costs log space, not correctness.
    ///
    /// ## Why is this bad?
    /// Without a terminal, wget prints a line of dots for every few kilobytes: a large
    /// download fills the build log with thousands of lines, which hide the output that
    /// matters and can hit the log limit of a CI system.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN wget https://example.com/tool.tar.gz
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN wget --progress=dot:giga https://example.com/tool.tar.gz
    /// ```
    ///
    /// ## Fix safety
    /// The fix inserts `--progress=dot:giga` after `wget`. It is unsafe: the build log
    /// changes, and a script that reads wget's progress output on its standard error would see
    /// other text.
    pub static RULE = Rule {
        code: "DL3047",
        name: "wget-without-progress",
        category: Category::Pedantic,
        summary: "wget runs without a progress option",
        fixable: true,
        check: Check::Run(check),
    };
}

const QUIET: &[&str] = &[
    "progress",
    "q",
    "quiet",
    "no-verbose",
    "o",
    "output-file",
    "a",
    "append-output",
];

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    for cmd in run.commands() {
        let eff = cmd.effective();
        if eff.base_name() != Some("wget") {
            continue;
        }
        // `-nv` is one option, not `-n -v`.
        let nv = eff.args.iter().any(|w| w.text == "-nv");
        if nv || eff.has_any_flag(QUIET) {
            continue;
        }
        if let Some(name) = &eff.name {
            ctx.report(name.span, "`wget` without a progress option")
                .help("add `--progress=dot:giga`, or `-q` to silence it")
                .fix(Fix::unsafe_insert_before(
                    name.span.end,
                    " --progress=dot:giga",
                    "add `--progress=dot:giga`",
                ));
        }
    }
}
