use crate::compose::ComposeFile;
use crate::compose::validate::{self, Kind};
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a key or a value that the Compose Specification does not allow: a key unknown
    /// where it is written (with the closest known key as a suggestion), a value of the wrong
    /// kind (a number where a duration is due, a mapping where a list is due), and a value
    /// outside its set or that does not convert (`cgroup: shared`, `mem_limit: 12xb`).
    ///
    /// Each finding points at the key or the value itself. Keys that arrive through a merge
    /// key (`<<: *defaults`) are judged where they land and reported where they are written.
    /// Interpolated values are judged by their default (`${PORT:-80}` is `80`); a value whose
    /// variable has no default is not judged, and `x-` keys pass wherever the specification
    /// allows extensions.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses the whole file, and tells only about the first problem, with
    /// no line number. A misspelt key in a place that takes extensions would otherwise be
    /// ignored without a word.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     restrat: always
    ///     healthcheck:
    ///       interval: 30
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     restart: always
    ///     healthcheck:
    ///       interval: 30s
    /// ```
    pub static RULE = Rule {
        code: "DC017",
        name: "compose-spec-violation",
        category: Category::Correctness,
        summary: "a key or value the Compose Specification does not allow",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    for finding in validate::validate(ctx.file) {
        let help = match finding.kind {
            _ if is_v1_service(ctx.file, &finding) => {
                "this is a service written in the version 1 format, which compose no longer \
                 reads: move it under `services:`"
                    .to_string()
            }
            Kind::UnknownKey {
                suggestion: Some(s),
            } => format!("did you mean `{s}`?"),
            Kind::UnknownKey { suggestion: None } => {
                "remove the key or fix its spelling".to_string()
            }
            Kind::WrongType => "write the value in a form the specification allows".to_string(),
            Kind::InvalidValue => "use one of the values the specification allows".to_string(),
        };
        ctx.report(finding.span, finding.message).help(help);
    }
}

/// An unknown top-level key whose value is a service (it has `image` or `build`): a file of
/// the version 1 format, where services sat at the top level.
fn is_v1_service(file: &ComposeFile, finding: &validate::Finding) -> bool {
    matches!(finding.kind, Kind::UnknownKey { .. })
        && file.roots().any(|root| {
            root.entries().any(|e| {
                e.key.resolve().span() == finding.span
                    && (e.value.get("image").is_some() || e.value.get("build").is_some())
            })
        })
}
