use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Kind, RunModel};
use crate::rule::{Category, Check, Context, RunVisitor};

declare_rule! {
    /// ## What it does
    /// Reports a Python final stage that does not set `PYTHONUNBUFFERED=1` and
    /// `PYTHONDONTWRITEBYTECODE=1` with `ENV` (in the stage or the stages it builds on). A
    /// stage is a Python one when its chain starts from a `python` image or runs `pip`,
    /// `uv`, `poetry` or `pipenv`.
    ///
    /// ## Why is this bad?
    /// With buffered output, the last lines a crashing process printed stay in its buffer and
    /// never reach `docker logs`. Byte-code files written at run time land in the
    /// container's writable layer, or fail on a read-only root file system.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py"]
    /// ```
    pub static RULE = Rule {
        code: "DF026",
        name: "python-env-missing",
        category: Category::Pedantic,
        summary: "a Python final stage does not set PYTHONUNBUFFERED and PYTHONDONTWRITEBYTECODE",
        check: Check::Runs(state),
    };
}

const WANTED: &[&str] = &["PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"];
const TOOLS: &[&str] = &["pip", "pip3", "uv", "poetry", "pipenv"];

/// Whether a RUN of the final stage's chain runs a Python tool, and that chain's stages
/// (found at the first RUN).
#[derive(Default)]
struct State {
    python_tools: bool,
    chain: Option<Vec<usize>>,
}

fn state() -> Box<dyn RunVisitor> {
    Box::<State>::default()
}

impl RunVisitor for State {
    fn run(&mut self, ctx: &mut Context<'_, Dockerfile>, model: &RunModel<'_>) {
        if self.python_tools {
            return;
        }
        let model_of = &ctx.file.model;
        let chain = self.chain.get_or_insert_with(|| match model_of.final_stage() {
            Some(last) => model_of.ancestry(last.index).map(|s| s.index).collect(),
            None => Vec::new(),
        });
        let in_chain = model_of
            .stage_at(model.index)
            .is_some_and(|s| chain.contains(&s));
        self.python_tools = in_chain
            && model
                .parsed()
                .is_some_and(|run| run.commands().any(|c| c.name_is(TOOLS)));
    }

    fn finish(&mut self, ctx: &mut Context<'_, Dockerfile>) {
        check(ctx, self.python_tools);
    }
}

fn check(ctx: &mut Context<'_, Dockerfile>, python_tools: bool) {
    let df = ctx.file;
    let Some(last) = df.model.final_stage() else {
        return;
    };
    let chain: Vec<_> = df.model.ancestry(last.index).collect();
    let python_image = chain.iter().any(|s| {
        let r = &s.reference;
        crate::shell::base_name(&r.repository()).starts_with("python")
    });
    if !python_image && !python_tools {
        return;
    }
    let mut set = Vec::new();
    for s in &chain {
        for (_, ins) in df.stage_instructions(s) {
            if let (Kind::Env, Body::Env(kvs)) = (ins.kind, &ins.body) {
                set.extend(kvs.iter().map(|kv| kv.key.value.to_string()));
            }
        }
    }
    let missing: Vec<&str> = WANTED
        .iter()
        .copied()
        .filter(|w| !set.iter().any(|s| s == w))
        .collect();
    if missing.is_empty() {
        return;
    }
    let listed = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" and ");
    ctx.report(last.reference.span, format!("the final Python stage does not set {listed}"))
        .help(format!(
            "add `ENV {}`",
            missing.iter().map(|m| format!("{m}=1")).collect::<Vec<_>>().join(" ")
        ));
}
