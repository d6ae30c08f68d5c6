use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `COPY` with several sources (heredocs included) whose destination does not
    /// end with `/` (or `\` on Windows), also in an `ONBUILD COPY` trigger. Not reported:
    /// `COPY --parents` (which always copies into a directory), a destination of `.` or ending
    /// in `/.` (a directory), a destination that contains a variable, whose value wharf does not
    /// know, and an instruction with a valued flag written without `=` (`--chown 1:1`), whose
    /// sources are then unclear.
    ///
    /// ## Why is this bad?
    /// Several sources can only go into a directory. The classic builder refuses the
    /// instruction; a trailing `/` states the intent for every builder and reader.
    ///
    /// hadolint also reports `.` and variable destinations.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// COPY package.json package-lock.json /app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// COPY package.json package-lock.json /app/
    /// ```
    pub static RULE = Rule {
        code: "DL3021",
        name: "copy-many-to-file",
        category: Category::Correctness,
        summary: "COPY with several sources to a destination without a trailing /",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for ins in ctx.file.iter_with_onbuild() {
        let (Kind::Copy, Body::Copy { sources, dest, .. }) = (ins.kind, &ins.body) else {
            continue;
        };
        let Some(dest) = dest else { continue };
        let d = dest.value.as_str();
        let directory = d.ends_with(['/', '\\']) || d == "." || d.ends_with("/.") || d.contains('$');
        // `--chown 1:1` (no `=`): BuildKit refuses it, other builders take the next word as the
        // value, so the sources are not known.
        let bare_value_flag = ins
            .flags
            .iter()
            .any(|f| f.value.is_none() && !matches!(f.name.as_str(), "link" | "parents"));
        if sources.len() < 2 || directory || bare_value_flag || ins.flag("parents").is_some() {
            continue;
        }
        ctx.report(dest.span, format!("COPY of {} sources to `{d}`, which does not end with `/`", sources.len()))
            .help(format!("end the destination with `/`: `{d}/`"));
    }
}
