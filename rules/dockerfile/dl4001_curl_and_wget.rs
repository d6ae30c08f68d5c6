use crate::declare_rule;
use crate::dockerfile::{Dockerfile, RunModel};
use crate::rule::{Category, Check, Context, RunVisitor};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a stage whose `RUN`s use both `curl` and `wget`: once per stage, at the first
    /// use of the tool that came second, with the first use of the other as a related label.
    /// Commands are recognised through `sudo` and `env` and by base name; `ONBUILD RUN`
    /// triggers count with their stage.
    ///
    /// Off by default (style): it is about consistency, and the two tools often come with
    /// the base image anyway.
    ///
    /// ## Why is this bad?
    /// Both tools do the same job here. Installing and learning one is enough, and using one
    /// keeps the options for retries, redirects and failure codes the same everywhere.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN curl -fsSLo /a https://example.com/a
    /// RUN wget -q -O /b https://example.com/b
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN curl -fsSLo /a https://example.com/a
    /// RUN curl -fsSLo /b https://example.com/b
    /// ```
    pub static RULE = Rule {
        code: "DL4001",
        name: "curl-and-wget",
        category: Category::Style,
        summary: "a stage uses both curl and wget",
        check: Check::Runs(state),
    };
}

/// The stage being read, where it used each tool first, and whether it was reported.
#[derive(Default)]
struct State {
    stage: Option<usize>,
    curl: Option<Span>,
    wget: Option<Span>,
    reported: bool,
}

fn state() -> Box<dyn RunVisitor> {
    Box::<State>::default()
}

impl RunVisitor for State {
    fn run(&mut self, ctx: &mut Context<'_, Dockerfile>, model: &RunModel<'_>) {
        let Some(stage) = ctx.file.model.stage_at(model.index) else {
            return;
        };
        if self.stage != Some(stage) {
            *self = State {
                stage: Some(stage),
                ..State::default()
            };
        }
        let Some(run) = model.parsed().filter(|_| !self.reported) else {
            return;
        };
        for cmd in run.commands() {
            let eff = cmd.effective();
            let (seen, other, tool, other_tool) = match eff.base_name() {
                Some("curl") => (&mut self.curl, self.wget, "curl", "wget"),
                Some("wget") => (&mut self.wget, self.curl, "wget", "curl"),
                _ => continue,
            };
            let Some(name) = &eff.name else { continue };
            seen.get_or_insert(name.span);
            if let Some(first) = other {
                ctx.report(name.span, format!("`{tool}` in a stage that also uses `{other_tool}`"))
                    .related(first, format!("`{other_tool}` used here"))
                    .help("use one download tool in the stage");
                self.reported = true;
                return;
            }
        }
    }
}
