use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an `ONBUILD` whose trigger is `ONBUILD`, `FROM` or `MAINTAINER`.
    ///
    /// ## Why is this bad?
    /// Docker does not allow these triggers: chaining `ONBUILD ONBUILD` is refused, and a
    /// trigger cannot start a stage or set the deprecated author field. The build fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ONBUILD ONBUILD RUN echo hi
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ONBUILD RUN echo hi
    /// ```
    pub static RULE = Rule {
        code: "DL3043",
        name: "onbuild-forbidden-trigger",
        category: Category::Correctness,
        summary: "ONBUILD triggers ONBUILD, FROM or MAINTAINER",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for ins in ctx.file.iter() {
        let Body::Onbuild(Some(inner)) = &ins.body else {
            continue;
        };
        if matches!(inner.kind, Kind::Onbuild | Kind::From | Kind::Maintainer) {
            let name = inner.kind.as_str();
            ctx.report(inner.keyword, format!("ONBUILD cannot trigger {name}"))
                .help("move the instruction out of the ONBUILD");
        }
    }
}
