use crate::declare_rule;
use crate::dockerfile::{Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `COPY --from=NAME` where `NAME` is neither an earlier stage (by name or by
    /// index) nor an image reference. A value with a tag, a digest or a `/` (`nginx:1.27`,
    /// `ghcr.io/astral-sh/uv`) is an image; a bare word that names no earlier stage is most
    /// likely a typo, or a stage defined further down. Variables in the value are expanded
    /// first, as BuildKit does (hadolint #933); a value that depends on an `ARG` without a
    /// default is left alone.
    ///
    /// ## Why is this bad?
    /// BuildKit takes a `--from` that names no earlier stage for an image on Docker Hub: a
    /// mistyped stage name pulls an unrelated image (or fails to), and a stage defined later
    /// in the file cannot be copied from.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM alpine:3.20
    /// COPY --from=biuld /out/app /usr/local/bin/app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    ///
    /// FROM alpine:3.20
    /// COPY --from=build /out/app /usr/local/bin/app
    /// ```
    ///
    /// Differences from hadolint: a value with a `/` or `@` is taken for an image, since a
    /// stage name cannot hold either; hadolint asks for a `:`. Variables are expanded.
    pub static RULE = Rule {
        code: "DL3022",
        name: "copy-from-unknown-stage",
        category: Category::Reliability,
        summary: "COPY --from names no earlier stage",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    for (i, ins) in df.instructions.iter().enumerate() {
        if ins.kind != Kind::Copy {
            continue;
        }
        let Some(word) = ins.flag("from").and_then(|f| f.value.as_ref()) else {
            continue;
        };
        let e = df.model.expand_at(i, &word.raw, df.escape);
        let v = e.value.as_str();
        if e.unresolved || v.is_empty() || v.contains([':', '/', '@']) {
            continue;
        }
        if df.model.stage_ref(v, i).is_some() {
            continue;
        }
        let later = df.model.stages.iter().find(|s| {
            s.from > i
                && (s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(v))
                    || v.parse::<usize>() == Ok(s.index))
        });
        let d = ctx.report(word.span, format!("COPY --from=`{v}` names no earlier stage"));
        match later {
            Some(s) => {
                let at = s.name_span.unwrap_or(word.span);
                d.related(at, "the stage is defined after the COPY")
                    .help("move the stage above the COPY that reads it");
            }
            None if v.parse::<usize>().is_ok() => {
                let before = df.model.stages.iter().filter(|s| s.from < i).count();
                d.help(format!(
                    "stage indexes start at 0, and {before} stages come before this COPY"
                ));
            }
            None => {
                d.help(format!(
                    "name an earlier stage, or give an image with its tag (`{v}:<version>`)"
                ));
            }
        }
    }
}
