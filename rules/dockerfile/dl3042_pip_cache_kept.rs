use super::package_calls::{add_flag, report_calls_fixed};
use crate::declare_rule;
use crate::diagnostic::Applicability;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::rule::{Category, Check, Context};
use crate::shell::packages::Manager;

declare_rule! {
    /// ## What it does
    /// Reports a `pip install` (also `pip3`, `python -m pip`) without `--no-cache-dir`.
    ///
    /// These count as well: `PIP_NO_CACHE_DIR` set to any boolean value (pip reads
    /// `PIP_NO_CACHE_DIR=0` as "no cache" too) by an `ENV` or `ARG` of the stage or a stage it
    /// builds on, by `export` earlier in the RUN, or for the command (`PIP_NO_CACHE_DIR=1 pip
    /// install`, `env PIP_NO_CACHE_DIR=1 pip install`); a cache or tmpfs mount on pip's cache
    /// (`/root/.cache/pip`, any `.cache/pip` or `.cache` directory, or the value of
    /// `PIP_CACHE_DIR` or `--cache-dir`); and a later `pip cache purge` or `rm -rf` of the
    /// cache in the same RUN.
    ///
    /// `uv pip install` has a cache of its own, reported by DF022; `pipx` is not pip.
    ///
    /// ## Why is this bad?
    /// pip keeps every wheel it downloaded or built in `~/.cache/pip`, and the layer ships
    /// them: often as much again as the packages themselves.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install requests==2.32.3
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir requests==2.32.3
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `--no-cache-dir` after `install`. It is safe: the same packages are
    /// installed, and only pip's download cache is not written.
    pub static RULE = Rule {
        code: "DL3042",
        name: "pip-cache-kept",
        category: Category::Efficiency,
        summary: "a pip install keeps its cache in the layer",
        fixable: true,
        check: Check::Run(check),
    };
}

const BOOLEANS: &[&str] = &["1", "0", "true", "false", "yes", "no", "on", "off", "y", "n"];

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    let df = ctx.file;
    report_calls_fixed(
        ctx,
        run,
        |c| c.manager == Manager::Pip && c.is(&["install"]),
        |run, c| {
            let p = run.packages;
            let env = |name| df.env_for(run, c, name);
            let no_cache_env = env("PIP_NO_CACHE_DIR")
                .is_some_and(|v| BOOLEANS.contains(&v.trim().to_ascii_lowercase().as_str()));
            let cache_dir = c.value_of(&["cache-dir"]).or_else(|| env("PIP_CACHE_DIR"));
            let mounted = p.cache_mounts.iter().any(|m| {
                let t = m.target.trim_end_matches('/');
                t.ends_with("/.cache/pip") || t.ends_with("/.cache")
            }) || cache_dir.is_some_and(|d| p.cache_mounted(d));
            !c.no_cache
                && !no_cache_env
                && !mounted
                && !p.cleaned_after(c, None)
                && !cache_dir.is_some_and(|d| p.removed_after(d, c.order))
        },
        |c| format!("`{}` keeps the downloaded packages in the layer", c.call()),
        "add `--no-cache-dir`, set `ENV PIP_NO_CACHE_DIR=1`, or use a cache mount on /root/.cache/pip",
        |c| add_flag(c, "--no-cache-dir", Applicability::Safe),
    );
}
