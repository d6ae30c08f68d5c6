use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Kind, Word};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an `EXPOSE` port, or the end of a port range, above 65535, also in an
    /// `ONBUILD EXPOSE` trigger. Ports given by a variable (`$PORT`) are not judged.
    ///
    /// ## Why is this bad?
    /// A TCP or UDP port is a 16-bit number: Docker rejects a larger one, so the build (or the
    /// build of a child image, for `ONBUILD`) fails.
    ///
    /// hadolint does not look inside `ONBUILD`; wharf does, since the trigger fails later.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 80800
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 8080
    /// ```
    pub static RULE = Rule {
        code: "DL3011",
        name: "expose-port-out-of-range",
        category: Category::Correctness,
        summary: "an EXPOSE port is above 65535",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for word in expose_ports(ctx.file) {
        let port = word.value.split('/').next().unwrap_or_default();
        let too_big = port
            .split('-')
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .map(|p| p.trim_start_matches('0'))
            .any(|p| p.len() > 5 || p.parse::<u32>().is_ok_and(|n| n > 65535));
        if too_big {
            ctx.report(word.span, format!("EXPOSE port `{port}` is above 65535"))
                .help("a port is a number from 1 to 65535");
        }
    }
}

/// Every port word of every `EXPOSE`, `ONBUILD EXPOSE` included (shared with DF020, DF021).
pub(crate) fn expose_ports(file: &Dockerfile) -> impl Iterator<Item = &Word> {
    file.iter_with_onbuild()
        .filter(|i| i.kind == Kind::Expose)
        .flat_map(|i| match &i.body {
            Body::Expose(ports) => ports.as_slice(),
            _ => &[],
        })
}
