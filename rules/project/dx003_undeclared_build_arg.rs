use crate::declare_rule;
use crate::project::{declared_args, is_predefined_build_arg};
use crate::rule::{Category, Check, ProjectContext};

declare_rule! {
    /// ## What it does
    /// Reports a compose `build.args` key that no `ARG` of the Dockerfile declares, in any
    /// stage or before the first `FROM`. The proxy variables (`HTTP_PROXY`, `NO_PROXY`, ...)
    /// and the arguments BuildKit reads itself (`BUILDKIT_*`, `SOURCE_DATE_EPOCH`) need no
    /// `ARG`.
    ///
    /// ## Why is this bad?
    /// The build ignores the value with no more than a warning that scrolls by: the setting
    /// the compose file seems to make has no effect, usually because the `ARG` was renamed
    /// or the key is misspelt.
    ///
    /// ## Example
    /// ```yaml
    /// # compose.yaml
    /// services:
    ///   api:
    ///     build:
    ///       context: ./api
    ///       args:
    ///         NODE_VERSON: "22"
    /// ```
    /// ```dockerfile
    /// # api/Dockerfile
    /// ARG NODE_VERSION=20
    /// FROM node:${NODE_VERSION}-alpine
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # compose.yaml
    /// services:
    ///   api:
    ///     build:
    ///       context: ./api
    ///       args:
    ///         NODE_VERSION: "22"
    /// ```
    /// ```dockerfile
    /// # api/Dockerfile
    /// ARG NODE_VERSION=20
    /// FROM node:${NODE_VERSION}-alpine
    /// ```
    pub static RULE = Rule {
        code: "DX003",
        name: "undeclared-build-arg",
        category: Category::Correctness,
        summary: "a `build.args` key that no ARG of the Dockerfile declares",
        check: Check::Project(check),
    };
}

fn check(ctx: &mut ProjectContext<'_>) {
    for (link, service) in ctx.services_with_builds() {
        let (Some(id), Some(build)) = (link.dockerfile_file, service.build()) else {
            continue;
        };
        let Some(df) = ctx.dockerfile(id) else {
            continue;
        };
        if df.template {
            continue;
        }
        let declared = declared_args(df);
        for arg in build.args() {
            if declared.iter().any(|(n, _)| *n == arg.key) || is_predefined_build_arg(arg.key) {
                continue;
            }
            let similar = crate::registry::closest(arg.key, declared.iter().map(|(n, _)| *n))
                .and_then(|s| declared.iter().find(|(n, _)| *n == s));
            let help = match similar {
                Some((s, _)) => format!("did you mean `{s}`?"),
                None => format!(
                    "declare it in the Dockerfile with `ARG {}`, or remove it",
                    arg.key
                ),
            };
            let d = ctx
                .report(
                    link.compose,
                    arg.key_span,
                    format!("no ARG `{}` in the Dockerfile", arg.key),
                )
                .help(help);
            if let Some((_, span)) = similar {
                d.related_in(id, *span, "an ARG with a similar name");
            }
        }
    }
}
