use crate::declare_rule;
use crate::dockerfile::{Dockerfile, Instruction, Kind, RunModel};
use crate::rule::{Category, Check, Context, RunVisitor};

declare_rule! {
    /// ## What it does
    /// Reports a `RUN` that follows another `RUN` when each holds exactly one simple command
    /// and both have the same flags (`--mount`, `--network`, `--security`): the two could be
    /// one. Comments between them do not separate them; any other instruction does. A
    /// command substitution counts as a command (`RUN echo $(date)` holds two), a `[ ... ]`
    /// test does not (`RUN [ -f x ] && cat x` holds one), and an exec-form RUN holds one.
    ///
    /// These are hadolint's semantics. A `RUN` with a heredoc (`RUN <<EOF`) is never
    /// reported nor counted: it is a script of its own, written to be read apart
    /// (hadolint #805 asks for that; 2.15.1 counts it).
    ///
    /// ## Why is this bad?
    /// Each `RUN` makes a layer and a cache step. Steps that belong together in one layer
    /// (install, then clean up) take more space apart, and many small layers make the image
    /// slower to build, push and pull.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN mkdir -p /app/data
    /// RUN chown nobody /app/data
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN mkdir -p /app/data \
    ///  && chown nobody /app/data
    /// ```
    pub static RULE = Rule {
        code: "DL3059",
        name: "consecutive-run",
        category: Category::Efficiency,
        summary: "consecutive RUN instructions could be one",
        check: Check::Runs(state),
    };
}

/// The RUN holds one simple command and no heredoc, and its shell parsed.
fn single_command(model: &RunModel<'_>) -> bool {
    model.ins.heredocs.is_empty()
        && model
            .parsed()
            .is_some_and(|r| r.commands().filter(|c| c.name_str() != Some("[")).count() == 1)
}

/// The indices of the RUNs (not ONBUILD triggers) that hold a single command, in order.
#[derive(Default)]
struct State(Vec<usize>);

fn state() -> Box<dyn RunVisitor> {
    Box::<State>::default()
}

impl RunVisitor for State {
    fn run(&mut self, ctx: &mut Context<'_, Dockerfile>, model: &RunModel<'_>) {
        let own = ctx
            .file
            .instructions
            .get(model.index)
            .is_some_and(|i| std::ptr::eq(i, model.ins));
        if own && single_command(model) {
            self.0.push(model.index);
        }
    }

    fn finish(&mut self, ctx: &mut Context<'_, Dockerfile>) {
        check(ctx, &self.0);
    }
}

/// The RUN's flags, as written, in a stable order.
fn flags(ins: &Instruction) -> Vec<(&str, Option<&str>)> {
    let mut f: Vec<_> = ins
        .flags
        .iter()
        .map(|f| (f.name.as_str(), f.value.as_ref().map(|v| v.value.as_str())))
        .collect();
    f.sort_unstable();
    f
}

fn check(ctx: &mut Context<'_, Dockerfile>, singles: &[usize]) {
    let df = ctx.file;
    let mut prev: Option<&Instruction> = None;
    for (i, ins) in df.iter().enumerate() {
        let single = ins.kind == Kind::Run && singles.binary_search(&i).is_ok();
        if let Some(p) = prev.filter(|p| single && flags(p) == flags(ins)) {
            ctx.report(ins.span, "this RUN could be merged into the RUN before it")
                .related(p.span, "previous RUN")
                .help("join the commands with `&&` in one RUN");
        }
        prev = single.then_some(ins);
    }
}
