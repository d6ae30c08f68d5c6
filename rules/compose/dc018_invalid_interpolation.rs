use crate::compose::{ComposeFile, interpolate};
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a value whose `${...}` interpolation compose cannot read: a `${` never closed,
    /// an empty `${}`, a name that does not start with a letter or `_` (`${1X}`), or an
    /// operator other than `-`, `:-`, `?`, `:?`, `+` and `:+` (`${X:x}`). Every value is
    /// checked, `x-` extensions and anchored text included; keys are never interpolated.
    ///
    /// A `$` followed by something that is neither a name nor `{` (`$1`, `$(cmd)`) is kept as
    /// written by compose, so it is not reported.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses the whole file with "invalid interpolation format" and names
    /// only the key path. A shell snippet in `command` or `healthcheck.test` that uses
    /// `${var}` syntax of its own must escape its dollar signs as `$$`.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: "nginx:${TAG:-1.27"
    ///     command: sh -c 'echo ${1}'
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: "nginx:${TAG:-1.27}"
    ///     command: sh -c 'echo $${1}'
    /// ```
    pub static RULE = Rule {
        code: "DC018",
        name: "invalid-interpolation",
        category: Category::Correctness,
        summary: "a value holds an interpolation compose cannot read",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    for value in ctx.file.scalar_values() {
        if !value.value.contains('$') {
            continue;
        }
        let Err(e) = interpolate::parse(value.value) else {
            continue;
        };
        let span = value.span_of(interpolate::error_range(value.value, &e));
        ctx.report(span, format!("invalid interpolation: {}", e.message))
            .help("close every `${`, use a valid name and operator, or write `$$` for a literal `$`");
    }
}
