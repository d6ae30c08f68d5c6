//! What the package-manager rules share: the two shapes most of them take, "a package names
//! no version" and "a call lacks something", over the calls of one parsed RUN (their
//! per-RUN hook, [`Check::Run`](crate::rule::Check::Run), sees every RUN and ONBUILD RUN
//! trigger).

use crate::diagnostic::{Applicability, Fix};
use crate::dockerfile::{Dockerfile, Kind, ParsedRun, RunModel};
use crate::rule::{Context, RunVisitor};
use crate::shell::packages::{Manager, PackageCommand, PackageKind};

/// Reports every package of the installing calls of `run` that `select` picks that names no
/// version, at the package's word.
pub fn report_unpinned(
    ctx: &mut Context<'_, Dockerfile>,
    run: &ParsedRun<'_>,
    select: fn(&PackageCommand) -> bool,
) {
    for c in run
        .packages
        .commands
        .iter()
        .filter(|c| c.is_install() && select(c))
    {
        for p in c.unpinned() {
            let (message, help) = match p.kind {
                PackageKind::Url => {
                    let at = if c.manager.family() == Manager::Pip {
                        '@'
                    } else {
                        '#'
                    };
                    (
                        format!("`{}` follows a branch, not a release", p.text),
                        format!("pin a tag or commit: `{}{at}<ref>`", p.text),
                    )
                }
                _ if p.version.is_some() => (
                    format!("`{}` names no fixed version", p.text),
                    format!(
                        "pin the version you tested: `{}`",
                        c.manager.pin_example(&p.name)
                    ),
                ),
                _ => (
                    format!("`{}` is not pinned to a version", p.name),
                    format!(
                        "pin the version you tested: `{}`",
                        c.manager.pin_example(&p.name)
                    ),
                ),
            };
            // The same package is often reported many times (in every RUN of a stage).
            ctx.report(p.span, crate::rule::shared_text(message))
                .help(crate::rule::shared_text(help));
        }
    }
}

/// Reports, at the manager and its subcommand, every call of `run` that `select` picks for
/// which `bad` holds.
pub fn report_calls(
    ctx: &mut Context<'_, Dockerfile>,
    run: &ParsedRun<'_>,
    select: fn(&PackageCommand) -> bool,
    bad: impl Fn(&ParsedRun<'_>, &PackageCommand) -> bool,
    message: impl Fn(&PackageCommand) -> String,
    help: &'static str,
) {
    report_calls_fixed(ctx, run, select, bad, message, help, |_| None);
}

/// [`report_calls`], with the fix `fix` gives for each call reported.
pub fn report_calls_fixed(
    ctx: &mut Context<'_, Dockerfile>,
    run: &ParsedRun<'_>,
    select: fn(&PackageCommand) -> bool,
    bad: impl Fn(&ParsedRun<'_>, &PackageCommand) -> bool,
    message: impl Fn(&PackageCommand) -> String,
    help: &'static str,
    fix: impl Fn(&PackageCommand) -> Option<Fix>,
) {
    for c in run.packages.commands.iter().filter(|c| select(c)) {
        if bad(run, c) {
            let d = ctx.report(c.head(), message(c)).help(help);
            if let Some(f) = fix(c) {
                d.fix(f);
            }
        }
    }
}

/// A fix that writes ` <flag>` right after the call's subcommand (`apt-get install -y`), with
/// `applicability`. None when the call has no subcommand word.
pub fn add_flag(c: &PackageCommand, flag: &str, applicability: Applicability) -> Option<Fix> {
    let at = c.subcommand_span?.end;
    Some(
        Fix::safe_insert_before(at, format!(" {flag}"), format!("add `{flag}`"))
            .with_applicability(applicability),
    )
}

/// The RUNs of a file that write an apt setting such as `APT::Install-Recommends` (to
/// `/etc/apt/apt.conf.d`): found once per file, so that asking for each call stays linear.
pub struct AptSetting(Vec<usize>);

impl AptSetting {
    /// The RUNs of `df` whose text holds `needle`.
    pub fn find(df: &Dockerfile, needle: &str, text: &str) -> AptSetting {
        AptSetting(
            df.instructions
                .iter()
                .enumerate()
                .filter(|(_, ins)| ins.kind == Kind::Run && ins.span.text(text).contains(needle))
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// A RUN up to and including `run` writes the setting, in `run`'s stage or a stage it
    /// builds on: the setting then holds for the calls that follow.
    pub fn before(&self, df: &Dockerfile, run: &ParsedRun<'_>) -> bool {
        let Some(stage) = df.model.stage_at(run.index) else {
            return false;
        };
        self.0.iter().take_while(|&&i| i <= run.index).any(|&i| {
            df.model
                .stage_at(i)
                .is_some_and(|s| df.model.ancestry(stage).any(|a| a.index == s))
        })
    }
}

/// The per-file state of a rule whose check asks an [`AptSetting`]: the RUNs that write the
/// setting are found at the first RUN, then each parsed RUN is checked with them.
pub struct WithAptSetting {
    needle: &'static str,
    check: fn(&mut Context<'_, Dockerfile>, &ParsedRun<'_>, &AptSetting),
    found: Option<AptSetting>,
}

impl WithAptSetting {
    /// The state of a rule that checks each RUN with the RUNs whose text holds `needle`.
    pub fn visitor(
        needle: &'static str,
        check: fn(&mut Context<'_, Dockerfile>, &ParsedRun<'_>, &AptSetting),
    ) -> Box<dyn RunVisitor> {
        Box::new(WithAptSetting {
            needle,
            check,
            found: None,
        })
    }
}

impl RunVisitor for WithAptSetting {
    fn run(&mut self, ctx: &mut Context<'_, Dockerfile>, model: &RunModel<'_>) {
        let Some(run) = model.parsed() else { return };
        let (df, text, needle) = (ctx.file, &ctx.source.text, self.needle);
        let found = self
            .found
            .get_or_insert_with(|| AptSetting::find(df, needle, text));
        (self.check)(ctx, &run, found);
    }
}
