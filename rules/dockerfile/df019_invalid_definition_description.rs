use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a comment right above an `ARG` or a `FROM ... AS name` whose last line does
    /// not start with the defined name. BuildKit reads such a comment as the description of
    /// the build argument or the stage (`# VERSION the release to build`), and its
    /// experimental `InvalidDefinitionDescription` check asks for that form. Pragma comments
    /// (`# hadolint ignore=`, `# wharf:`, `# check=`) are not descriptions.
    ///
    /// ## Why is this bad?
    /// Tools that list build arguments and stages (`docker buildx build --call outline`) show
    /// these comments as descriptions only when they start with the name; a comment in
    /// another form is dropped, or shown for the wrong definition.
    ///
    /// ## Example
    /// ```dockerfile
    /// # the release to build
    /// ARG VERSION=1.0
    /// FROM alpine:3.20
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// # VERSION the release to build
    /// ARG VERSION=1.0
    /// FROM alpine:3.20
    /// ```
    pub static RULE = Rule {
        code: "DF019",
        name: "invalid-definition-description",
        category: Category::Pedantic,
        summary: "a comment above ARG or FROM AS does not start with the defined name",
        aliases: &["InvalidDefinitionDescription"],
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    let text: &str = &ctx.source.text;
    for ins in df.iter() {
        let names: Vec<&str> = match (&ins.body, ins.kind) {
            (Body::Arg(kvs), Kind::Arg) => kvs.iter().map(|kv| kv.key.value.as_str()).collect(),
            (Body::From(f), Kind::From) => f.alias.iter().map(|(_, w)| w.value.as_str()).collect(),
            _ => continue,
        };
        if names.is_empty() {
            continue;
        }
        // The comment line right above the instruction: the last comment before it that is
        // not inside another instruction (comments are in file order), when only one line
        // break separates them. An earlier comment cannot be it: its gap holds this one.
        let before = df.comments.partition_point(|c| c.span.end <= ins.span.start);
        let above = df.comments[..before]
            .iter()
            .rev()
            .find(|c| !c.in_continuation)
            .filter(|c| {
                text.get(c.span.end as usize..ins.span.start as usize)
                    .is_some_and(one_line_break)
            });
        let Some(c) = above else { continue };
        let first = c.text.split_whitespace().next().unwrap_or("");
        let starts = |prefix: &str| {
            c.text
                .as_bytes()
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
        };
        if c.text.is_empty()
            || names.contains(&first)
            || starts("hadolint")
            || starts("wharf:")
            || starts("check=")
            || starts("syntax=")
            || starts("escape=")
        {
            continue;
        }
        let example = if names.len() == 1 { names[0] } else { "<name>" };
        ctx.report(
            c.span,
            format!("the comment above {} does not start with `{example}`", ins.kind.as_str()),
        )
        .help(format!("write the description as `# {example} <description>`"));
    }
}

/// Only blanks and exactly one line break.
fn one_line_break(gap: &str) -> bool {
    let mut breaks = 0;
    for b in gap.bytes() {
        match b {
            b'\n' => {
                breaks += 1;
                if breaks > 1 {
                    return false;
                }
            }
            b' ' | b'\t' | b'\r' => {}
            _ => return false,
        }
    }
    breaks == 1
}
