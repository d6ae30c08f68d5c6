use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, Kind, RunModel, Word};
use crate::rule::{Category, Check, Context, RunVisitor};
use crate::source::Span;
use crate::shell::Command;

declare_rule! {
    /// ## What it does
    /// Reports a local tar archive that a stage copies in with `COPY` and then extracts with
    /// `tar -x` in a later `RUN`: at the archive in the `COPY`, with the `tar` command as a
    /// related label. The archive is matched by its name (the source's, or the destination's
    /// when the `COPY` renames it), and recognised by the extensions `ADD` unpacks: `.tar`,
    /// `.tar.gz`, `.tgz`, `.tar.bz2`, `.tbz2`, `.tbz`, `.tar.xz`, `.txz`.
    ///
    /// Narrower than hadolint, on purpose, where `ADD` would not do the same: a `.zip` or a
    /// single compressed file (`unzip`, `gunzip`), which `ADD` copies as they are; a `tar`
    /// with `--strip-components`, which `ADD` cannot do; and `COPY --from`, which `ADD`
    /// lacks.
    ///
    /// ## Why is this bad?
    /// The copied archive stays in the `COPY` layer even when the `RUN` deletes it, so the
    /// image holds the files twice. `ADD` unpacks a local tar archive into the destination
    /// in one layer.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// COPY app.tar.gz /tmp/
    /// RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM debian:12-slim
    /// ADD app.tar.gz /opt/
    /// ```
    pub static RULE = Rule {
        code: "DL3010",
        name: "copy-then-extract",
        category: Category::Efficiency,
        summary: "an archive is copied in and extracted in a later RUN",
        check: Check::Runs(state),
    };
}

const TAR_EXTENSIONS: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz",
];

fn base(path: &str) -> &str {
    crate::shell::base_name(path.trim_end_matches('/'))
}

fn is_tar_archive(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    TAR_EXTENSIONS.iter().any(|e| lower.ends_with(e) && lower.len() > e.len())
}

/// A `tar` that extracts (`-x`, `--extract`, `--get`, or the old `tar xzf` form) without
/// `--strip-components`.
fn tar_extracts(cmd: &Command) -> bool {
    let old_style = cmd.args.first().is_some_and(|w| {
        !w.text.starts_with('-') && w.text.contains('x') && w.text.bytes().all(|b| b.is_ascii_alphabetic())
    });
    (old_style || cmd.has_any_flag(&["x", "extract", "get"]))
        && !cmd.has_any_flag(&["strip-components", "strip"])
}

/// The stage being read, the next of its instructions to look at for a COPY, and the
/// archives copied so far (name in the image, the source word's span and value).
#[derive(Default)]
struct State {
    stage: Option<usize>,
    next: usize,
    copied: Vec<(String, Span, String)>,
}

fn state() -> Box<dyn RunVisitor> {
    Box::<State>::default()
}

impl State {
    /// Takes in the COPYs of the stage up to instruction `end` (excluded).
    fn copies_until(&mut self, df: &Dockerfile, end: usize) {
        for ins in df.instructions.get(self.next..end).unwrap_or_default() {
            if ins.kind != Kind::Copy || ins.flag("from").is_some() {
                continue;
            }
            let Body::Copy { sources, dest, .. } = &ins.body else { continue };
            let mut push = |name: &str, s: &Word| {
                self.copied.push((base(name).to_string(), s.span, s.value.to_string()));
            };
            for s in sources.iter().filter(|s| is_tar_archive(&s.value)) {
                push(&s.value, s);
            }
            let renamed = dest.as_ref().filter(|d| !d.value.ends_with('/'));
            if let ([s], Some(d)) = (sources.as_slice(), renamed)
                && is_tar_archive(&s.value)
                && is_tar_archive(&d.value)
            {
                push(&d.value, s);
            }
        }
        self.next = self.next.max(end);
    }
}

impl RunVisitor for State {
    fn run(&mut self, ctx: &mut Context<'_, Dockerfile>, model: &RunModel<'_>) {
        let df = ctx.file;
        let Some(run) = model.parsed().filter(|r| !r.is_trigger(df)) else {
            return;
        };
        let Some((s, stage)) = df
            .model
            .stage_at(run.index)
            .and_then(|s| Some((s, df.model.stages.get(s)?)))
        else {
            return;
        };
        if self.stage != Some(s) {
            *self = State {
                stage: Some(s),
                next: stage.body.start,
                copied: Vec::new(),
            };
        }
        self.copies_until(df, run.index);
        for cmd in run.commands() {
            let eff = cmd.effective();
            if eff.base_name() != Some("tar") || !tar_extracts(&eff) {
                continue;
            }
            let named = |name: &str| {
                eff.args.iter().any(|a| {
                    let t = a.text.strip_prefix("--file=").unwrap_or(&a.text);
                    base(t) == name
                })
            };
            let mut k = 0;
            while k < self.copied.len() {
                if named(&self.copied[k].0) {
                    let (_, span, value) = self.copied.remove(k);
                    ctx.report(span, format!("archive `{value}` is copied, then extracted by a RUN"))
                        .related(cmd.span, "extracted here")
                        .help("use `ADD` to copy and extract it in one layer");
                } else {
                    k += 1;
                }
            }
        }
    }
}
