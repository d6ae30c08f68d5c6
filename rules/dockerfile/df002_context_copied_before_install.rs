use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Instruction, Kind, RunModel};
use crate::rule::{Category, Check, Context, RunVisitor};

declare_rule! {
    /// ## What it does
    /// Reports a stage that copies the whole build context (`COPY . <dest>`, `ADD . <dest>`)
    /// before it first installs dependencies (`pip install -r`, `npm ci`, `go mod download`,
    /// `bundle install`, `composer install`, `cargo fetch`, ...).
    ///
    /// A stage that installs dependencies from its manifests first, and copies the rest of
    /// the sources afterwards, is fine.
    ///
    /// ## Why is this bad?
    /// A layer's cache is invalidated when any file it copies changes. After `COPY . .`, every
    /// edit to any source file re-runs the dependency install, so each build downloads and
    /// builds every dependency again. Copying only the manifests first keeps the install in a
    /// cached layer until the dependencies really change.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// COPY . .
    /// RUN npm ci
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// COPY package.json package-lock.json ./
    /// RUN npm ci
    /// COPY . .
    /// ```
    pub static RULE = Rule {
        code: "DF002",
        name: "context-copied-before-install",
        category: Category::Efficiency,
        summary: "the whole build context is copied before dependencies are installed",
        check: Check::Runs(state),
    };
}

fn copies_whole_context(ins: &Instruction) -> bool {
    if !matches!(ins.kind, Kind::Copy | Kind::Add) || ins.flag("from").is_some() {
        return false;
    }
    matches!(&ins.body, Body::Copy { sources, .. }
        if sources.iter().any(|s| matches!(s.value.as_str(), "." | "./" | "./*" | "*")))
}

/// The stage whose first dependency install was seen (only that one matters).
#[derive(Default)]
struct State(Option<usize>);

fn state() -> Box<dyn RunVisitor> {
    Box::<State>::default()
}

impl RunVisitor for State {
    fn run(&mut self, ctx: &mut Context<'_, Dockerfile>, model: &RunModel<'_>) {
        let df = ctx.file;
        let Some(run) = model.parsed().filter(|r| !r.is_trigger(df)) else {
            return;
        };
        let Some(install) = run.packages.project_installs.first() else {
            return;
        };
        let Some(s) = df.model.stage_at(run.index).filter(|&s| self.0 != Some(s)) else {
            return;
        };
        self.0 = Some(s);
        let Some(stage) = df.model.stages.get(s) else {
            return;
        };
        let copy = df
            .stage_instructions(stage)
            .take_while(|(i, _)| *i < run.index)
            .map(|(_, ins)| ins)
            .find(|ins| copies_whole_context(ins));
        if let Some(copy) = copy {
            let span = copy.first_line_span(&ctx.source.text);
            ctx.report(
                span,
                "the whole build context is copied before dependencies are installed",
            )
            .help("copy only the dependency manifests first, install, then copy the rest")
            .related(install.span, format!("`{}` installs dependencies here", install.tool));
        }
    }
}
