use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an instruction keyword that is not written in the case most keywords of the
    /// file use: uppercase, unless more keywords are all lowercase. A keyword in mixed case
    /// (`Run`) is always reported. `ONBUILD` triggers count like any keyword.
    ///
    /// ## Why is this bad?
    /// Keywords are not case-sensitive, so the difference means nothing, but a file that
    /// mixes `RUN` and `run` is harder to scan and suggests copy-pasted fragments.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// run echo hi
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN echo hi
    /// ```
    ///
    /// ## Fix safety
    /// The fix rewrites the keyword in the majority case. It is safe: keywords are not
    /// case-sensitive.
    pub static RULE = Rule {
        code: "DF013",
        name: "inconsistent-instruction-casing",
        category: Category::Style,
        summary: "instruction keywords are written in different cases",
        aliases: &["ConsistentInstructionCasing"],
        fixable: true,
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let keywords = || {
        ctx.file.iter().flat_map(|i| {
            let inner = match &i.body {
                Body::Onbuild(Some(inner)) => Some(inner.as_ref()),
                _ => None,
            };
            std::iter::once(i).chain(inner).filter(|i| i.kind != Kind::Unknown)
        })
    };
    // Read from the keyword's case bits: its text is built only for the keywords reported.
    let lower = keywords().filter(|i| i.keyword_is_lowercase()).count();
    let upper = keywords().filter(|i| i.keyword_is_uppercase()).count();
    let majority_lower = lower > upper;
    let found: Vec<_> = keywords()
        .filter(|i| !if majority_lower { i.keyword_is_lowercase() } else { i.keyword_is_uppercase() })
        .map(|i| (i.keyword, i.keyword_text()))
        .collect();
    let case = if majority_lower { "lowercase" } else { "uppercase" };
    for (span, text) in found {
        let wanted = if majority_lower { text.to_ascii_lowercase() } else { text.to_ascii_uppercase() };
        ctx.report(span, format!("`{text}` is not {case} like most keywords of the file"))
            .help(format!("write `{wanted}`"))
            .fix(Fix::safe_replace(span, wanted, "use the case of the other keywords"));
    }
}
