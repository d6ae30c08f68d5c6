use crate::compose::{ComposeFile, ScalarStyle, Service};
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::source::Span;
use crate::rule::{Category, Check, Context};
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Reports a `depends_on` entry that waits only for a service to start when that service
    /// has a healthcheck: the short form (`depends_on: [db]`), a long-form entry without a
    /// `condition`, or `condition: service_started`.
    ///
    /// Only healthchecks written in the compose file count (merge keys included); one that is
    /// turned off (`disable: true`, `test: ["NONE"]`) does not.
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
    // Whether each service (its first definition) has a healthcheck, read once: looking each
    // dependency up by name would walk every service for every `depends_on` entry.
    let mut healthy: HashMap<&str, bool> = HashMap::new();
    for s in file.services() {
        healthy.entry(s.name).or_insert_with(|| has_healthcheck(&s));
    }
    for service in file.services() {
        let long_form = long_form_fix(&healthy, &ctx.source.text, &service);
        for dep in service.depends_on() {
            if healthy.get(dep.name) != Some(&true) {
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

fn has_healthcheck(service: &Service<'_>) -> bool {
    service.healthcheck().is_some_and(|h| !h.is_disabled())
}

/// The fix that rewrites a short-form `depends_on` list in the long form (see the fix safety
/// section); every finding in the list offers the same edit, which is made once.
fn long_form_fix(healthy: &HashMap<&str, bool>, text: &str, service: &Service<'_>) -> Option<Fix> {
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
        let condition = match healthy.get(name) {
            Some(true) => "service_healthy",
            _ => "service_started",
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
