use crate::declare_rule;
use crate::dockerfile::Dockerfile;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports every comment that silences findings for the next instruction:
    /// `# hadolint ignore=...` and `# wharf: ignore=...` (or `ignore CODE`). File-wide
    /// suppressions (`# hadolint global ignore=`, `# wharf: ignore-file`) and the
    /// configuration are not reported. Off by default: turn it on to enforce a "fix, don't
    /// silence" policy.
    ///
    /// ## Why is this bad?
    /// An inline suppression hides a finding where no reviewer of the configuration sees it.
    /// Teams that want every exception in one reviewed place (`wharf.toml`) can forbid them.
    ///
    /// hadolint reports only its own pragmas; wharf reports its own comments too.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// # hadolint ignore=DL3018
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl=8.11.1-r0
    /// ```
    pub static RULE = Rule {
        code: "DL1001",
        name: "inline-ignore-pragma",
        category: Category::Pedantic,
        summary: "an inline comment silences findings",
        check: Check::Dockerfile(check),
    };
}

/// True for `hadolint ignore=...` and `wharf: ignore[=]...`, the text after `#`.
fn is_inline_ignore(text: &str) -> bool {
    let rest = if let Some(r) = text.strip_prefix("hadolint") {
        if !r.starts_with(char::is_whitespace) {
            return false;
        }
        r.trim_start()
    } else if let Some(r) = text.strip_prefix("wharf:") {
        r.trim_start()
    } else {
        return false;
    };
    rest.strip_prefix("ignore").is_some_and(|r| {
        r.trim_start().starts_with('=') || r.starts_with(char::is_whitespace)
    })
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for c in ctx.file.comments.iter().filter(|c| !c.in_continuation) {
        if is_inline_ignore(&c.text) {
            ctx.report(c.span, "inline suppression comment")
                .help("fix the finding, or ignore the rule in the configuration");
        }
    }
}
