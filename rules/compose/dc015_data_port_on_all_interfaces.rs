use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};
use crate::settings::options;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

declare_rule! {
    /// ## What it does
    /// Reports a port of a database, cache, broker or search engine (judged by its image:
    /// `postgres`, `mysql`, `mongo`, `redis`, `rabbitmq`, `elasticsearch`, ...; the table is in
    /// `src/knowledge/images.rs`) that is published on all host interfaces: without a host
    /// address, or with `0.0.0.0` or `::`. A port without a host port (`"5432"`) counts: Docker
    /// publishes it on a random port of every interface.
    ///
    /// With `all-ports`, every published port of every service is judged, as dclint's
    /// `no-unbound-port-interfaces` does.
    ///
    /// ## Why is this bad?
    /// Docker writes its own firewall rules: a published port is reachable from every network
    /// the host is on, whatever `ufw` says. Databases and caches left on their default or a
    /// weak password are found by scanners within hours. Other services reach the database
    /// over the compose network without any published port; a port for local tools needs only
    /// `127.0.0.1`.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     ports:
    ///       - "5432:5432"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     ports:
    ///       - "127.0.0.1:5432:5432"
    /// ```
    ///
    /// ## Options
    /// ```toml
    /// [rules.DC015]
    /// all-ports = false
    /// ```
    pub static RULE = Rule {
        code: "DC015",
        name: "data-port-on-all-interfaces",
        category: Category::Security,
        summary: "a database or cache port is published on all interfaces",
        aliases: &["no-unbound-port-interfaces"],
        options: options::<DataPortOptions>(),
        check: Check::Compose(check),
    };
}

/// Options of DC015.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct DataPortOptions {
    /// Judge the published ports of every service, not only those of data services.
    pub all_ports: bool,
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let all_ports = ctx.options::<DataPortOptions>().all_ports;
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        let data = service.data_service();
        if data.is_none() && !all_ports {
            continue;
        }
        for port in service.ports() {
            if port.bound_address().is_some() {
                continue;
            }
            // The short form as a whole; in the long form the wildcard address, or the item.
            let span = port
                .short
                .or(port.host_ip)
                .map_or(port.span(), |s| s.span);
            if seen.contains(&span) {
                continue;
            }
            seen.push(span);
            let target = port.target.map_or("", |t| t.value);
            let message = match data {
                Some(d) => format!("{} port {target} is published on all interfaces", d.kind),
                None => format!("port {target} is published on all interfaces"),
            };
            ctx.report(span, message).help(
                "bind it to `127.0.0.1` (`127.0.0.1:HOST:CONTAINER`), or drop it and use the \
                 compose network",
            );
        }
    }
}
