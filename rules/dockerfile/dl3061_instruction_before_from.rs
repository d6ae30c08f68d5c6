use crate::declare_rule;
use crate::dockerfile::{Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports each instruction other than `ARG` that comes before the first `FROM`. Comments
    /// and parser directives are not instructions; an unknown keyword is left to DF000.
    ///
    /// ## Why is this bad?
    /// A Dockerfile must start with `FROM`, after optional global `ARG`s: BuildKit refuses
    /// anything else there.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV VERSION=1.2
    /// FROM alpine:3.20
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// ARG VERSION=1.2
    /// FROM alpine:3.20
    /// ```
    pub static RULE = Rule {
        code: "DL3061",
        name: "instruction-before-from",
        category: Category::Correctness,
        summary: "an instruction other than ARG comes before the first FROM",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for ins in ctx.file.iter().take_while(|i| i.kind != Kind::From) {
        if matches!(ins.kind, Kind::Arg | Kind::Unknown) {
            continue;
        }
        let name = ins.kind.as_str();
        ctx.report(ins.keyword, format!("{name} before the first FROM"))
            .help("start with FROM; only ARG may come before it");
    }
}
