use crate::compose::{ComposeFile, Service};
use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::rule::{Category, Check, Context};
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports a host port that is published twice, by one service or by two: the same
    /// protocol, overlapping port numbers (ranges are expanded) and the same host address, or
    /// all interfaces on one side (`8080:80` takes the port on every address, so
    /// `127.0.0.1:8080:80` cannot have it too). Interpolated ports are read by their
    /// defaults. Two services whose `profiles` have nothing in common never run together and
    /// are not compared.
    ///
    /// ## Why is this bad?
    /// Only one container can bind a host port: the second fails to start with `port is
    /// already allocated`, after compose has started the others.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     ports:
    ///       - "8080:80"
    ///   api:
    ///     image: acme/api:2.0
    ///     ports:
    ///       - "8080:3000"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     ports:
    ///       - "8080:80"
    ///   api:
    ///     image: acme/api:2.0
    ///     ports:
    ///       - "8081:3000"
    /// ```
    pub static RULE = Rule {
        code: "DC013",
        name: "duplicate-host-port",
        category: Category::Correctness,
        // `docker compose config` accepts the file; only `up` fails, when the second
        // container starts. Error severity is kept for files compose refuses.
        severity: Some(Severity::Warning),
        summary: "the same host port is published twice",
        aliases: &["no-duplicate-exported-ports"],
        check: Check::Compose(check),
    };
}

/// A published host port range, with what binds it.
struct Binding<'a> {
    service: Service<'a>,
    address: Option<String>,
    protocol: String,
    range: (u16, u16),
    span: Span,
}

impl Binding<'_> {
    fn clashes(&self, other: &Binding<'_>) -> bool {
        let addresses = match (&self.address, &other.address) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        addresses
            && self.protocol == other.protocol
            && self.range.0 <= other.range.1
            && other.range.0 <= self.range.1
            && self.service.can_run_with(&other.service)
    }
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let mut bindings: Vec<Binding> = Vec::new();
    for service in ctx.file.services() {
        for port in service.ports() {
            let (Some(range), Some(published)) = (port.published_range(), port.published) else {
                continue;
            };
            let binding = Binding {
                service,
                address: port.bound_address(),
                protocol: port.protocol_name(),
                range,
                span: published.span,
            };
            if let Some(prev) = bindings.iter().find(|b| b.clashes(&binding)) {
                let span = if prev.span == binding.span {
                    service.name_span()
                } else {
                    binding.span
                };
                let port_text = if range.0 == range.1 {
                    format!("host port {}", range.0)
                } else {
                    format!("host ports {}-{}", range.0, range.1)
                };
                let by = if prev.service.name == service.name {
                    "this service".to_string()
                } else {
                    format!("service `{}`", prev.service.name)
                };
                ctx.report(span, format!("{port_text} is already published by {by}"))
                    .help("publish a different host port; only one container can bind it")
                    .related(prev.span, "first published here");
            }
            bindings.push(binding);
        }
    }
}
