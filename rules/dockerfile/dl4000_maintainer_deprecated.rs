use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `MAINTAINER` instruction.
    ///
    /// ## Why is this bad?
    /// `MAINTAINER` has been deprecated since Docker 1.13. It sets the image's `Author` field,
    /// which few tools read; the standard place for that information is the
    /// `org.opencontainers.image.authors` label.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// MAINTAINER Jane Doe <jane@example.com>
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    /// ```
    ///
    /// ## Fix safety
    /// The fix replaces the instruction with `LABEL org.opencontainers.image.authors="..."`,
    /// quoting the text and escaping `"`, `$` and the escape character so that it stays
    /// literal (`MAINTAINER` does not expand variables, `LABEL` does). It is unsafe: the image
    /// no longer has an `Author` field, and whoever reads it (`docker inspect`) sees a change.
    pub static RULE = Rule {
        code: "DL4000",
        name: "maintainer-deprecated",
        category: Category::Style,
        summary: "MAINTAINER is deprecated",
        aliases: &["MaintainerDeprecated"],
        fixable: true,
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let escape = ctx.file.escape;
    for ins in ctx.file.iter().filter(|i| i.kind == Kind::Maintainer) {
        let diag = ctx
            .report(ins.keyword, "MAINTAINER is deprecated")
            .help("use `LABEL org.opencontainers.image.authors=\"...\"`");
        if let Body::Value(author) = &ins.body {
            let mut quoted = String::from("\"");
            for c in author.raw.chars() {
                if c == '"' || c == '$' || c == escape {
                    quoted.push(escape);
                }
                quoted.push(c);
            }
            quoted.push('"');
            let label = format!("LABEL org.opencontainers.image.authors={quoted}");
            diag.fix(Fix::unsafe_replace(
                ins.span,
                label,
                "replace with the org.opencontainers.image.authors label",
            ));
        }
    }
}
