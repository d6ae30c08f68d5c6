use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Kind, referenced_vars};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an `ENV` value that refers to a variable set by another pair of the same
    /// `ENV` instruction, when no earlier `ARG` or `ENV` defines it. A pair that refers to
    /// its own name (`PATH=/opt/bin:$PATH`) is fine, and `$AB` does not refer to `A`.
    ///
    /// ## Why is this bad?
    /// Every reference in one `ENV` sees the values from before the instruction: in
    /// `ENV DIR=/opt/app BIN=$DIR/bin`, `BIN` is `/bin`, not `/opt/app/bin`. Split the
    /// instruction so that the second one sees the first.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV DIR=/opt/app BIN=$DIR/bin
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV DIR=/opt/app
    /// ENV BIN=$DIR/bin
    /// ```
    pub static RULE = Rule {
        code: "DL3044",
        name: "env-self-reference",
        category: Category::Correctness,
        summary: "ENV refers to a variable that the same ENV sets",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    for (i, outer) in df.instructions.iter().enumerate() {
        let ins = outer.trigger().unwrap_or(outer);
        let (Kind::Env, Body::Env(pairs)) = (ins.kind, &ins.body) else {
            continue;
        };
        for (k, pair) in pairs.iter().enumerate() {
            let Some(value) = &pair.value else { continue };
            for name in referenced_vars(&value.raw, df.escape) {
                let set_here = pairs
                    .iter()
                    .enumerate()
                    .find(|(j, p)| *j != k && p.key.value == name);
                let Some((_, other)) = set_here else { continue };
                if df.model.var_at(i, &name).is_some() {
                    continue;
                }
                let span = value.var_span(&name).unwrap_or(value.span);
                ctx.report(span, format!("`{name}` is set by this same ENV"))
                    .related(other.key.span, "set here")
                    .help(format!(
                        "the reference sees the value from before the ENV; set `{name}` in an earlier ENV"
                    ));
            }
        }
    }
}
