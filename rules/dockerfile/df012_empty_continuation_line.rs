use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a blank (or whitespace-only) line inside an instruction continued with the
    /// escape character. Comment lines there are not reported.
    ///
    /// ## Why is this bad?
    /// BuildKit drops such a line and goes on with the instruction, so the blank line does not
    /// end it, as a reader expects; BuildKit warns that empty continuation lines will become
    /// an error in a future release.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache \
    ///
    ///     curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache \
    ///     curl
    /// ```
    ///
    /// ## Fix safety
    /// The fix deletes the line. It is safe: BuildKit ignores the line already.
    pub static RULE = Rule {
        code: "DF012",
        name: "empty-continuation-line",
        category: Category::Reliability,
        summary: "a blank line inside a continued instruction",
        aliases: &["NoEmptyContinuation"],
        fixable: true,
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let text: &str = &ctx.source.text;
    for &span in &ctx.file.empty_continuation_lines {
        let end = span.end as usize;
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
        let whole = Span::from_range(span.start as usize..line_end);
        ctx.report(span, "blank line inside a continued instruction")
            .help("delete the line, or end the instruction before it")
            .fix(Fix::safe_delete(whole, "delete the blank line"));
    }
}
