use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports every `cd` command in a `RUN` (heredoc scripts, exec form and `ONBUILD RUN`
    /// included), at the command.
    ///
    /// Off by default (style): `cd` inside one RUN, to build something in a temporary
    /// directory and leave again, is common and harmless; the rule is for projects that want
    /// every change of directory to be a `WORKDIR`.
    ///
    /// ## Why is this bad?
    /// A `cd` lasts until the end of its RUN: the next instruction starts in the `WORKDIR`
    /// again, which surprises readers who take the Dockerfile for one script. `WORKDIR`
    /// states the directory once, for every later instruction, and creates it if needed.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23
    /// RUN cd /src && go build ./...
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23
    /// WORKDIR /src
    /// RUN go build ./...
    /// ```
    pub static RULE = Rule {
        code: "DL3003",
        name: "cd-in-run",
        category: Category::Style,
        summary: "a RUN changes directory with cd",
        check: Check::Run(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    for cmd in run.commands().filter(|c| c.name_str() == Some("cd")) {
        ctx.report(cmd.span, "`cd` in a RUN")
            .help("use `WORKDIR` to change directory");
    }
}
