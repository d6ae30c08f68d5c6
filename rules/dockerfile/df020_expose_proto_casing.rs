use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an `EXPOSE` protocol that is not lowercase (`80/TCP`, `53/Udp`), also in an
    /// `ONBUILD EXPOSE` trigger.
    ///
    /// ## Why is this bad?
    /// Docker documents the protocols as `tcp`, `udp` and `sctp`. It lowercases other
    /// spellings today, but BuildKit warns about them and tools that read the image config
    /// may not.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 80/TCP
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 80/tcp
    /// ```
    ///
    /// ## Fix safety
    /// The fix lowercases the protocol. It is safe: Docker reads both spellings as the same
    /// protocol.
    pub static RULE = Rule {
        code: "DF020",
        name: "expose-proto-casing",
        category: Category::Style,
        summary: "an EXPOSE protocol is not lowercase",
        aliases: &["ExposeProtoCasing"],
        fixable: true,
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for word in super::dl3011_expose_port_out_of_range::expose_ports(ctx.file) {
        let Some((port, proto)) = word.raw.rsplit_once('/') else {
            continue;
        };
        let lower = proto.to_ascii_lowercase();
        // A word split by a line continuation is left alone: its text is not `raw`.
        let plain = ctx.text(word.span) == word.raw;
        if proto == lower || !plain || proto.contains(['$', '"', '\'']) {
            continue;
        }
        ctx.report(word.span, format!("protocol `{proto}` is not lowercase"))
            .help(format!("write `{port}/{lower}`"))
            .fix(Fix::safe_replace(word.span, format!("{port}/{lower}"), "lowercase the protocol"));
    }
}
