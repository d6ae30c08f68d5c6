use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::rule::{Category, Check, Context};

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
        check: Check::Dockerfile(check),
    };
}

const WANTED: &[&str] = &["PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"];
const TOOLS: &[&str] = &["pip", "pip3", "uv", "poetry", "pipenv"];

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    let Some(last) = df.model.final_stage() else {
        return;
    };
    let chain: Vec<_> = df.model.ancestry(last.index).collect();
    let python_image = chain.iter().any(|s| {
        let r = &s.reference;
        r.repository().rsplit('/').next().is_some_and(|n| n.starts_with("python"))
    });
    let python_tools = df.parsed_runs().any(|run| {
        chain.iter().any(|s| s.body.contains(&run.index))
            && run.commands().any(|c| c.name_is(TOOLS))
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
