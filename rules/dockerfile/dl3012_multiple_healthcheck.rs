use crate::declare_rule;
use crate::dockerfile::{Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports every `HEALTHCHECK` of a stage after its first one (`HEALTHCHECK NONE`
    /// included), with the first as a related label. Instructions of other stages and
    /// `ONBUILD HEALTHCHECK` triggers are not counted.
    ///
    /// ## Why is this bad?
    /// Only the last `HEALTHCHECK` of a stage takes effect, so the earlier ones are never run.
    ///
    /// BuildKit's `MultipleInstructionsDisallowed` check covers this case too: that name stands
    /// for DL3012, DL4003 and DL4004 together, so `# check=skip=MultipleInstructionsDisallowed`
    /// silences this rule as well.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
    /// HEALTHCHECK --interval=10s CMD ["curl", "-f", "http://localhost/health"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM nginx:1.27
    /// HEALTHCHECK --interval=10s CMD ["curl", "-f", "http://localhost/health"]
    /// ```
    pub static RULE = Rule {
        code: "DL3012",
        name: "multiple-healthcheck",
        category: Category::Correctness,
        summary: "a stage has several HEALTHCHECK instructions",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    super::dl4003_multiple_cmd::report_repeats(ctx, Kind::Healthcheck);
}
