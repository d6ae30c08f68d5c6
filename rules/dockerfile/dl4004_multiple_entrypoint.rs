use crate::declare_rule;
use crate::dockerfile::{Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports every `ENTRYPOINT` of a stage after its first one, with the first as a related
    /// label. Instructions of other stages (also the stage this one builds on) and
    /// `ONBUILD ENTRYPOINT` triggers are not counted.
    ///
    /// ## Why is this bad?
    /// Only the last `ENTRYPOINT` of a stage takes effect; the earlier ones mislead the reader
    /// about what the container runs.
    ///
    /// BuildKit's `MultipleInstructionsDisallowed` check covers this case too: that name stands
    /// for DL3012, DL4003 and DL4004 together, so `# check=skip=MultipleInstructionsDisallowed`
    /// silences this rule as well.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ENTRYPOINT ["python"]
    /// ENTRYPOINT ["python", "-m", "app"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ENTRYPOINT ["python", "-m", "app"]
    /// ```
    pub static RULE = Rule {
        code: "DL4004",
        name: "multiple-entrypoint",
        category: Category::Correctness,
        summary: "a stage has several ENTRYPOINT instructions",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    super::dl4003_multiple_cmd::report_repeats(ctx, Kind::Entrypoint);
}
