use crate::compose::{ComposeFile, ScalarStyle, Service};
use crate::compose::project::Effective;
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::source::Span;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a `depends_on` entry that waits only for a service to start when that service
    /// has a healthcheck: the short form (`depends_on: [db]`), a long-form entry without a
    /// `condition`, or `condition: service_started`.
    ///
    /// The service depended on is read as compose merges it: a healthcheck written in the
    /// file (merge keys included), in an override file or another compose file read with it,
    /// or in a service it `extends`, counts; one that is turned off (`disable: true`,
    /// `test: ["NONE"]`) does not.
    ///
    /// ## Why is this bad?
    /// A started container is not a ready one: a database takes seconds to accept connections
    /// after its process starts, and a service that connects at once fails or crash-loops.
    /// The healthcheck is already there to say when the dependency is ready; waiting for
    /// `service_healthy` uses it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     depends_on:
    ///       - db
    ///   db:
    ///     image: postgres:16
    ///     healthcheck:
    ///       test: ["CMD", "pg_isready", "-U", "postgres"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     depends_on:
    ///       db:
    ///         condition: service_healthy
    ///   db:
    ///     image: postgres:16
    ///     healthcheck:
    ///       test: ["CMD", "pg_isready", "-U", "postgres"]
    /// ```
    ///
    /// ## Fix safety
    /// `condition: service_started` becomes `condition: service_healthy`. A short-form list
    /// (block or flow) becomes the long form: the dependencies with a healthcheck get
    /// `condition: service_healthy`, the others `condition: service_started`, which is what
    /// the short form meant. The fix is unsafe: start-up now waits for the dependency to be
    /// healthy, and fails when it never is. It is offered only for lists of plain names written
    /// in the service itself (not through a merge key) with no comment inside.
    pub static RULE = Rule {
        code: "DC002",
        name: "depends-on-not-healthy",
        category: Category::Reliability,
        fixable: true,
        summary: "`depends_on` waits only for the start of a service that has a healthcheck",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let file = ctx.file;
    // The services depended on that have a healthcheck, read once before reporting.
    let healthy_names: Vec<&str> = file
        .services()
        .flat_map(|s| s.depends_on())
        .map(|d| d.name)
        .filter(|n| ctx.effective_service(n).is_some_and(|t| has_healthcheck(&t)))
        .collect();
    let healthy = |name: &str| healthy_names.contains(&name);
    for service in file.services() {
        let long_form = long_form_fix(&ctx.source.text, &service, &healthy);
        for dep in service.depends_on() {
            if !healthy(dep.name) {
                continue;
            }
            let (span, fix) = match dep.condition {
                Some(c) if c.value == "service_started" => (
                    c.span,
                    Some(Fix::unsafe_replace(
                        c.span,
                        "service_healthy",
                        "wait for `service_healthy`",
                    )),
                ),
                Some(_) => continue,
                None => (dep.span, long_form.clone().filter(|_| !dep.long_form)),
            };
            let d = ctx
                .report(
                    span,
                    format!(
                        "`{}` waits for `{}` to start, not to be healthy",
                        service.name, dep.name
                    ),
                )
                .help("wait for it with `condition: service_healthy`");
            if let Some(fix) = fix {
                d.fix(fix);
            }
        }
    }
}

/// The service as compose merges it (override files, layers, `extends`) has a healthcheck
/// that is not turned off.
fn has_healthcheck(service: &Effective<'_>) -> bool {
    service.health().is_on()
}

/// The fix that rewrites a short-form `depends_on` list in the long form (see the fix safety
/// section); every finding in the list offers the same edit, which is made once.
fn long_form_fix(text: &str, service: &Service<'_>, healthy: &dyn Fn(&str) -> bool) -> Option<Fix> {
    let entry = service.node.entry("depends_on")?;
    let own = service.node.span();
    let list = entry.value;
    if !list.is_sequence() || entry.key.span().start < own.start || entry.key.span().end > own.end
    {
        return None;
    }
    let mut names = Vec::new();
    for item in list.items() {
        let (name, style) = item.as_scalar()?;
        if style != ScalarStyle::Plain {
            return None;
        }
        let condition = if healthy(name) {
            "service_healthy"
        } else {
            "service_started"
        };
        names.push((name, item.span(), condition));
    }
    let (first, last) = (names.first()?.1, names.last()?.1);
    let whole = list.span();
    if text.get(whole.range())?.contains('#') {
        return None;
    }
    if text.get(whole.range())?.trim_start().starts_with('[') {
        let body: Vec<String> = names
            .iter()
            .map(|(n, _, c)| format!("{n}: {{condition: {c}}}"))
            .collect();
        return Some(Fix::unsafe_replace(
            whole,
            format!("{{{}}}", body.join(", ")),
            "write the long form with `condition: service_healthy`",
        ));
    }
    // A block list: every item on its own line as `<indent>- name`.
    let line_start = |at: u32| text[..at as usize].rfind('\n').map_or(0, |i| i + 1);
    let dash = |span: Span| -> Option<usize> {
        let start = line_start(span.start);
        let prefix = text.get(start..span.start as usize)?;
        let indent = prefix.strip_suffix("- ")?;
        indent.chars().all(|c| c == ' ').then_some(indent.len())
    };
    let indent = dash(first)?;
    if names.iter().any(|(_, span, _)| dash(*span) != Some(indent)) {
        return None;
    }
    let pad = " ".repeat(indent);
    let body: Vec<String> = names
        .iter()
        .map(|(n, _, c)| format!("{n}:\n{pad}  condition: {c}"))
        .collect();
    let start = line_start(first.start) as u32 + indent as u32;
    Some(Fix::unsafe_replace(
        Span::new(start, last.end),
        body.join(&format!("\n{pad}")),
        "write the long form with `condition: service_healthy`",
    ))
}
