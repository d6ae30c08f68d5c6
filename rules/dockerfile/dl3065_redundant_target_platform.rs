use crate::declare_rule;
use crate::dockerfile::{Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`).
    ///
    /// ## Why is this bad?
    /// A stage is built for the target platform unless it says otherwise, so the flag repeats
    /// the default and suggests to the reader that something special happens.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=$TARGETPLATFORM alpine:3.20
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ```
    pub static RULE = Rule {
        code: "DL3065",
        name: "redundant-target-platform",
        category: Category::Style,
        summary: "FROM --platform=$TARGETPLATFORM repeats the default",
        aliases: &["RedundantTargetPlatform"],
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for ins in ctx.file.iter().filter(|i| i.kind == Kind::From) {
        let Some(flag) = ins.flag("platform") else {
            continue;
        };
        let value = flag.value.as_ref().map(|w| w.value.as_str());
        if matches!(value, Some("$TARGETPLATFORM" | "${TARGETPLATFORM}")) {
            ctx.report(flag.span, "--platform=$TARGETPLATFORM is the default")
                .help("remove the flag");
        }
    }
}
