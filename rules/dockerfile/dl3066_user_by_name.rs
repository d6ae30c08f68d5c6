use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `USER` whose user part (before any `:group`) is a name rather than a numeric
    /// UID: `USER app`, `USER app:1000`. Not reported: a value with a variable, whose value
    /// wharf does not judge, and a stage on a Windows base image, where users have no numeric
    /// IDs. Off by default: a named user is often the right choice (hadolint #1240).
    ///
    /// ## Why is this bad?
    /// A name is resolved through the image's `/etc/passwd` when the container starts.
    /// Platforms that enforce a non-root policy (Kubernetes `runAsNonRoot`, OpenShift) check
    /// the UID before starting and cannot tell that `app` is not root.
    ///
    /// hadolint also reports Windows users and variables that no `ARG` declares.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN adduser -D -u 10001 app
    /// USER app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN adduser -D -u 10001 app
    /// USER 10001
    /// ```
    pub static RULE = Rule {
        code: "DL3066",
        name: "user-by-name",
        category: Category::Pedantic,
        summary: "USER names a user instead of a numeric UID",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for (idx, ins) in ctx.file.iter().enumerate() {
        let (Kind::User, Body::Value(value)) = (ins.kind, &ins.body) else {
            continue;
        };
        let user = value.value.split(':').next().unwrap_or_default();
        let numeric = !user.is_empty() && user.bytes().all(|b| b.is_ascii_digit());
        if numeric || value.value.contains('$') || ctx.file.windows_base_at(idx) {
            continue;
        }
        ctx.report(value.span, format!("USER `{user}` is a name, not a numeric UID"))
            .help("use the numeric UID (and GID), such as `USER 10001:10001`");
    }
}
