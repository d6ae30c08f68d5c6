use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `COPY` to a relative destination (`.`, `app/`) in a stage where no `WORKDIR`
    /// was set, neither in the stage nor in the earlier stages it builds `FROM`. Absolute
    /// destinations, Windows paths (`C:\app`, `C:/app`) and destinations that start with a
    /// variable are fine.
    ///
    /// ## Why is this bad?
    /// A relative destination is resolved against the working directory of the base image,
    /// which the Dockerfile does not show and which changes with the base: the files land in
    /// `/` on one image and in `/usr/src/app` on another.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// COPY package.json .
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// COPY package.json .
    /// ```
    pub static RULE = Rule {
        code: "DL3045",
        name: "copy-relative-without-workdir",
        category: Category::Reliability,
        summary: "COPY to a relative destination with no WORKDIR set",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    for (i, ins) in df.instructions.iter().enumerate() {
        let Body::Copy {
            dest: Some(dest), ..
        } = &ins.body
        else {
            continue;
        };
        if ins.kind != Kind::Copy || df.model.stage_of[i].is_none() {
            continue;
        }
        if df.model.state_before[i].workdir.is_some() || is_absolute(&dest.value) {
            continue;
        }
        ctx.report(
            dest.span,
            format!("COPY to relative `{}` with no WORKDIR set", dest.value),
        )
        .help("set a WORKDIR in the stage, or give an absolute destination");
    }
}

fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with(['/', '$', '\\'])
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}
