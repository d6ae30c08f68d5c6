use crate::declare_rule;
use crate::dockerfile::{Dockerfile, ParsedRun};
use crate::knowledge::files;
use crate::rule::{Category, Check, Context};
use crate::shell::packages::{Manager, is_truthy};

declare_rule! {
    /// ## What it does
    /// Reports a dependency install that leaves its download cache in the layer, for the
    /// managers hadolint has no rule for: `uv sync`/`uv add`/`uv tool install` and `uv pip
    /// install`, `poetry install`/`add`/`update`, `npm install`/`ci`, `pnpm install`/`add`,
    /// `composer install`/`require`/`update` and `bundle install`.
    ///
    /// The cache counts as handled by any of: a cache or tmpfs mount on it (a target naming
    /// the tool, such as `/root/.cache/uv` or `/pnpm/store`, or the value of the variable
    /// that moves it: `UV_CACHE_DIR`, `POETRY_CACHE_DIR`, `npm_config_cache`,
    /// `COMPOSER_CACHE_DIR`...); `--no-cache` (uv, poetry, composer) or `UV_NO_CACHE`; and a
    /// cleanup later in the same RUN (`uv cache clean`, `npm cache clean --force`, `pnpm store
    /// prune`, `composer clear-cache`, `poetry cache clear`, or `rm -rf` of the cache
    /// directory).
    ///
    /// Only stages whose layers ship are judged: the final stage, and stages a later `FROM`
    /// builds on; a builder stage whose files are copied out is not. Dev-environment images
    /// (`.devcontainer/`, `.gitpod.Dockerfile`) are not judged. pip's cache is DL3042's,
    /// yarn's DL3060's.
    ///
    /// ## Why is this bad?
    /// These tools keep a copy of every package they download, and the layer ships it: often
    /// as large as the installed dependencies themselves. A cache mount keeps the cache on the
    /// build machine, where it also speeds up the next build.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /usr/local/bin/uv
    /// COPY pyproject.toml uv.lock ./
    /// RUN uv sync --frozen
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /usr/local/bin/uv
    /// COPY pyproject.toml uv.lock ./
    /// RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen
    /// ```
    pub static RULE = Rule {
        code: "DF022",
        name: "package-cache-kept",
        category: Category::Efficiency,
        summary: "a dependency install leaves its download cache in the layer",
        check: Check::Run(check),
    };
}

fn judged(m: Manager, sub: Option<&str>) -> bool {
    let Some(sub) = sub else {
        return false;
    };
    let subs: &[&str] = match m {
        Manager::Uv => &["sync", "add", "tool"],
        Manager::UvPip => &["install", "sync"],
        Manager::Poetry => &["install", "add", "update", "sync"],
        Manager::Npm => &["install", "i", "ci", "add"],
        Manager::Pnpm => &["install", "i", "add"],
        Manager::Composer => &["install", "require", "update"],
        Manager::Bundler => &["install"],
        _ => &[],
    };
    subs.contains(&sub)
}

fn check(ctx: &mut Context<'_, Dockerfile>, run: &ParsedRun<'_>) {
    if files::is_dev_environment(&ctx.source.path) {
        return;
    }
    let df = ctx.file;
    for c in &run.packages.commands {
        let Some(spec) = c.manager.cache_spec() else {
            continue;
        };
        if !judged(c.manager, c.subcommand.as_deref())
            || !df.model.stage_at(run.index).is_some_and(|s| df.model.stage_ships(s))
        {
            continue;
        }
        let p = run.packages;
        let env = |name| df.env_for(run, c, name);
        let dirs: Vec<&str> = spec
            .dir_vars
            .iter()
            .filter_map(|v| env(v))
            .chain((!spec.dir_option.is_empty()).then(|| c.value_of(&[spec.dir_option])).flatten())
            .collect();
        let handled = c.no_cache
            || spec.off_var.and_then(env).is_some_and(is_truthy)
            || dirs.contains(&"/dev/null")
            || p.cache_mounts.iter().any(|m| m.target.contains(spec.marker))
            || dirs.iter().any(|d| p.cache_mounted(d) || p.removed_after(d, c.order))
            || p.cleaned_after(c, None);
        if handled {
            continue;
        }
        ctx.report(c.head(), format!("`{}` leaves its download cache in the layer", c.call()))
            .help(format!(
                "use a cache mount, e.g. `RUN --mount=type=cache,target={} {}`",
                cache_dir(c.manager),
                c.call()
            ));
    }
}

/// The default cache directory of a manager, when it runs as root, for the help text.
fn cache_dir(m: Manager) -> &'static str {
    match m {
        Manager::Uv | Manager::UvPip => "/root/.cache/uv",
        Manager::Poetry => "/root/.cache/pypoetry",
        Manager::Npm => "/root/.npm",
        Manager::Pnpm => "/root/.local/share/pnpm/store",
        Manager::Composer => "/root/.composer/cache",
        _ => "/usr/local/bundle/cache",
    }
}
