use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Kind};
use crate::rule::{Category, Check, Context};
use crate::settings::options;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

declare_rule! {
    /// ## What it does
    /// Reports a `WORKDIR` whose path is relative: it does not start with `/`, with a Windows
    /// drive (`C:\`, `c:/`) or, unless `allow-variables` is off, with a variable.
    ///
    /// ## Why is this bad?
    /// A relative `WORKDIR` is resolved against the previous one, which may come from the base
    /// image and change when the base image does. An absolute path says where files land.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// WORKDIR app
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM alpine:3.20
    /// WORKDIR /app
    /// ```
    ///
    /// ## Options
    /// ```toml
    /// [rules.DL3000]
    /// allow-variables = false
    /// ```
    pub static RULE = Rule {
        code: "DL3000",
        name: "workdir-not-absolute",
        category: Category::Correctness,
        summary: "a WORKDIR path is relative",
        aliases: &["WorkdirRelativePath"],
        options: options::<WorkdirOptions>(),
        check: Check::Dockerfile(check),
    };
}

/// Options of DL3000.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct WorkdirOptions {
    /// Accept a path that starts with a variable (`$HOME/app`), whose value wharf cannot
    /// know, as hadolint does. Turn it off to require a literal absolute path.
    pub allow_variables: bool,
    /// BuildKit's reading (`WorkdirRelativePath`): report a relative `WORKDIR` only when no
    /// `WORKDIR` came before it in the stage or the stages it builds `FROM`, so that the
    /// path is resolved against the base image's directory. Off: every relative `WORKDIR`,
    /// as hadolint does.
    pub first_only: bool,
}

impl Default for WorkdirOptions {
    fn default() -> Self {
        WorkdirOptions {
            allow_variables: true,
            first_only: false,
        }
    }
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let opts = ctx.options::<WorkdirOptions>();
    let allow_variables = opts.allow_variables;
    let df = ctx.file;
    for (i, ins) in df.iter().enumerate().filter(|(_, i)| i.kind == Kind::Workdir) {
        let after_workdir = df
            .model
            .state_before
            .get(i)
            .is_some_and(|s| s.workdir.is_some());
        if opts.first_only && after_workdir {
            continue;
        }
        let Body::Value(path) = &ins.body else {
            continue;
        };
        let p = path.value.as_str();
        let b = p.as_bytes();
        let windows = b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':';
        if p.starts_with('/') || windows || (allow_variables && p.starts_with('$')) {
            continue;
        }
        ctx.report(path.span, format!("WORKDIR `{p}` is relative"))
            .help("use an absolute path such as `/app`");
    }
}
