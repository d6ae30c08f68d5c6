use crate::declare_rule;
use crate::dockerfile::{Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports every `CMD` of a stage after its first one, with the first as a related label.
    /// A stage that builds `FROM` an earlier stage may set its own `CMD`: only instructions of
    /// the same stage count, and `ONBUILD CMD` triggers are not counted.
    ///
    /// ## Why is this bad?
    /// Only the last `CMD` of a stage takes effect: the earlier ones are dead code that a reader
    /// takes for the command the container runs.
    ///
    /// BuildKit reports `CMD`, `ENTRYPOINT` and `HEALTHCHECK` under one check name,
    /// `MultipleInstructionsDisallowed`, which stands for DL4003, DL4004 and DL3012 together:
    /// `# check=skip=MultipleInstructionsDisallowed` (or `--ignore` with that name) silences
    /// all three.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// CMD ["npm", "start"]
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// CMD ["node", "server.js"]
    /// ```
    pub static RULE = Rule {
        code: "DL4003",
        name: "multiple-cmd",
        category: Category::Correctness,
        summary: "a stage has several CMD instructions",
        check: Check::Dockerfile(check),
    };
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    report_repeats(ctx, Kind::Cmd);
}

/// Reports each instruction of `kind` after the first in its stage (shared by DL3012, DL4003
/// and DL4004).
pub(crate) fn report_repeats(ctx: &mut Context<'_, Dockerfile>, kind: Kind) {
    let name = kind.as_str();
    for stage in &ctx.file.model.stages {
        let mut first = None;
        for (_, ins) in ctx.file.stage_instructions(stage) {
            if ins.kind != kind {
                continue;
            }
            let span = ins.first_line_span(&ctx.source.text);
            match first {
                None => first = Some(span),
                Some(f) => {
                    ctx.report(span, format!("another {name} in this stage; only the last one takes effect"))
                        .related(f, format!("first {name} here, overridden"))
                        .help(format!("keep one {name} per stage"));
                }
            }
        }
    }
}
