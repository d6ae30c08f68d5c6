use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports `ENV key value` and `LABEL key value`, the legacy form without `=`, also in
    /// `ONBUILD` triggers.
    ///
    /// ## Why is this bad?
    /// In the legacy form the value is the whole rest of the line, spaces included, while
    /// `key=value` pairs are separated by spaces: `ENV A 1 B 2` sets one variable `A` to
    /// `1 B 2`. The form is deprecated, and BuildKit warns about it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV APP_HOME /srv/app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV APP_HOME=/srv/app
    /// ```
    ///
    /// ## Fix safety
    /// The fix writes `key=value`, in double quotes when the value has spaces. It is safe: the
    /// value is read the same way in both forms (variables are still expanded). It is only
    /// offered when the value has no quote and no escape character, whose meaning changes
    /// inside double quotes.
    pub static RULE = Rule {
        code: "DF016",
        name: "legacy-key-value-format",
        category: Category::Style,
        summary: "ENV or LABEL uses the legacy `key value` form",
        aliases: &["LegacyKeyValueFormat"],
        fixable: true,
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let text: &str = &ctx.source.text;
    let escape = ctx.file.escape;
    for ins in ctx.file.iter_with_onbuild() {
        let (Kind::Env | Kind::Label, Body::Env(pairs) | Body::Label(pairs)) = (ins.kind, &ins.body)
        else {
            continue;
        };
        let name = ins.kind.as_str();
        for kv in pairs {
            let Some(value) = &kv.value else { continue };
            if text.as_bytes().get(kv.key.span.end as usize) == Some(&b'=') {
                continue;
            }
            let key = &kv.key.raw;
            let diag = ctx
                .report(kv.span, format!("{name} `{key} ...` uses the legacy form without `=`"))
                .help(format!("write `{name} {key}=value`"));
            let raw = value.raw.as_str();
            if !raw.contains(['"', '\'', escape]) {
                let v = if raw.contains(char::is_whitespace) {
                    format!("\"{raw}\"")
                } else {
                    raw.to_string()
                };
                diag.fix(Fix::safe_replace(kv.span, format!("{key}={v}"), "use the key=value form"));
            }
        }
    }
}
