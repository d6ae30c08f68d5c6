use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `FROM ... AS name` whose `AS` keyword is not written in the case of its
    /// `FROM`: `FROM x as y` or `from x AS y`. A `FROM` in mixed case (`From`) is left to
    /// DF013, as BuildKit does.
    ///
    /// ## Why is this bad?
    /// Both spellings work, but a keyword in the other case reads like a typo and makes the
    /// stage names harder to find by eye.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 as build
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// ```
    ///
    /// ## Fix safety
    /// The fix writes `AS` in the case of `FROM`. It is safe: keywords are not case-sensitive.
    pub static RULE = Rule {
        code: "DF011",
        name: "from-as-casing",
        category: Category::Style,
        summary: "FROM and AS are written in different cases",
        aliases: &["FromAsCasing"],
        fixable: true,
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for (ins, as_span, _) in super::df010_stage_name_casing::named_froms(ctx.file) {
        let kw = ins.keyword_text();
        let kw = kw.as_str();
        let written = ctx.text(as_span);
        let wanted = if kw == kw.to_ascii_uppercase() {
            "AS"
        } else if kw == kw.to_ascii_lowercase() {
            "as"
        } else {
            continue;
        };
        if written != wanted {
            ctx.report(as_span, format!("`{written}` is not in the case of `{kw}`"))
                .help(format!("write `{wanted}`"))
                .fix(Fix::safe_replace(as_span, wanted, "match the case of FROM"));
        }
    }
}
