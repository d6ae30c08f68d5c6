//! What a compose key is, for people: the key of the specification ([`super::spec`]) at a
//! place in a file, its value type in words, and a one-line description of the common keys
//! (wharf's own words; the specification at compose-spec.io says more).

use super::ComposeFile;
use super::spec::{self, Field, Table, Type};
use super::yaml::{NodeKind, NodeRef};
use crate::source::Span;

/// How deep the walk goes before it gives up (a hostile file nests without end).
const MAX_DEPTH: usize = 64;

/// A key of the specification written in a file.
#[derive(Clone, Copy, Debug)]
pub struct KeyAt {
    /// The table the key belongs to (`service`, `service.build`).
    pub table: &'static Table,
    pub field: &'static Field,
    /// The key's text in the file.
    pub span: Span,
}

/// The key of the specification whose name is at `offset` (`None` on a value, on a free
/// name such as a service's, on a key the specification does not know).
pub fn key_at(file: &ComposeFile, offset: u32) -> Option<KeyAt> {
    file.roots()
        .find(|r| r.span().contains(offset) || r.span().end == offset)
        .and_then(|root| in_table(root, &spec::TOP_LEVEL, offset, 0))
}

fn in_table(node: NodeRef<'_>, table: &'static Table, offset: u32, depth: usize) -> Option<KeyAt> {
    if depth > MAX_DEPTH {
        return None;
    }
    for entry in node.entries() {
        let key = entry.key.resolve();
        let span = key.span();
        let field = entry.key_str().and_then(|k| table.field(k));
        if span.start <= offset && offset <= span.end {
            return field.map(|field| KeyAt { table, field, span });
        }
        if let Some(field) = field
            && entry.value.resolve().span().contains(offset)
        {
            return in_value(entry.value, &field.ty, offset, depth + 1);
        }
    }
    None
}

fn in_value(node: NodeRef<'_>, ty: &'static Type, offset: u32, depth: usize) -> Option<KeyAt> {
    if depth > MAX_DEPTH {
        return None;
    }
    let node = node.resolve();
    let mut alts = Vec::new();
    flatten(ty, &mut alts);
    match node.kind() {
        NodeKind::Mapping(_) => {
            for t in &alts {
                match t {
                    Type::Table(table) => return in_table(node, table, offset, depth),
                    Type::Map(value) => {
                        let entry = node
                            .entries()
                            .find(|e| e.value.resolve().span().contains(offset))?;
                        return in_value(entry.value, value, offset, depth + 1);
                    }
                    _ => {}
                }
            }
            None
        }
        NodeKind::Sequence(_) => {
            let item = alts.iter().find_map(|t| match t {
                Type::List(item) => Some(*item),
                _ => None,
            })?;
            let found = node.items().find(|i| i.resolve().span().contains(offset))?;
            in_value(found, item, offset, depth + 1)
        }
        _ => None,
    }
}

/// The alternatives of a type, `OneOf` unfolded.
pub fn flatten(ty: &'static Type, out: &mut Vec<&'static Type>) {
    match ty {
        Type::OneOf(alts) => alts.iter().for_each(|t| flatten(t, out)),
        t => out.push(t),
    }
}

/// A value type in words: "a duration (`10s`, `1m30s`)", "a list of strings".
pub fn type_words(ty: &Type) -> String {
    words(ty, 0)
}

fn words(ty: &Type, depth: usize) -> String {
    if depth > 4 {
        return "a value".into();
    }
    match ty {
        Type::Str => "a string".into(),
        Type::Bool => "a boolean".into(),
        Type::Int => "a whole number".into(),
        Type::Number => "a number".into(),
        Type::Duration => "a duration (`10s`, `1m30s`)".into(),
        Type::ByteSize => "a byte size (`512m`, `1gb`, or a number of bytes)".into(),
        Type::ByteString => "a byte size written as a string (`512M`)".into(),
        Type::Enum(values) => format!(
            "one of {}",
            values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Type::Null => "empty".into(),
        Type::List(item) => format!("a list of {}", plural(item, depth)),
        Type::Map(value) => format!("a mapping of names to {}", plural(value, depth)),
        Type::ListOrMap => "a mapping, or a list of `KEY=value` strings".into(),
        Type::Table(t) => format!("a mapping (`{}`)", t.name),
        Type::OneOf(alts) => alts
            .iter()
            .map(|t| words(t, depth + 1))
            .collect::<Vec<_>>()
            .join(", or "),
        Type::Any => "any value".into(),
    }
}

/// "strings" for `Str`; else the singular words ("a mapping (`service`)").
fn plural(ty: &Type, depth: usize) -> String {
    match ty {
        Type::Str => "strings".into(),
        Type::Int => "whole numbers".into(),
        Type::Number => "numbers".into(),
        t => words(t, depth + 1),
    }
}

/// One line on what the common keys do: (table, key, description), `table` being
/// [`Table::name`].
const DESCRIPTIONS: &[(&str, &str, &str)] = &[
    (
        "top level",
        "version",
        "obsolete: compose ignores it and reads the newest format",
    ),
    (
        "top level",
        "name",
        "the project name, which prefixes containers, networks and volumes",
    ),
    (
        "top level",
        "include",
        "other compose files whose services and resources join this project",
    ),
    (
        "top level",
        "services",
        "the containers of the project, each with its image or build",
    ),
    (
        "top level",
        "networks",
        "the networks services can attach to",
    ),
    (
        "top level",
        "volumes",
        "named volumes that services can mount",
    ),
    (
        "top level",
        "secrets",
        "sensitive data services can read as files under /run/secrets",
    ),
    (
        "top level",
        "configs",
        "configuration files services can mount",
    ),
    (
        "top level",
        "models",
        "AI models the project runs, for services to use",
    ),
    (
        "service",
        "image",
        "the image the container starts from; with `build`, the name of the image built",
    ),
    (
        "service",
        "build",
        "how to build the service's image: a context directory, or a mapping",
    ),
    ("service", "command", "replaces the image's CMD"),
    (
        "service",
        "entrypoint",
        "replaces the image's ENTRYPOINT (and clears its CMD)",
    ),
    (
        "service",
        "environment",
        "environment variables of the container",
    ),
    (
        "service",
        "env_file",
        "files of `KEY=value` lines read into the container's environment",
    ),
    (
        "service",
        "ports",
        "ports published on the host: `HOST:CONTAINER` or the long form",
    ),
    (
        "service",
        "expose",
        "ports open to other services only, not to the host",
    ),
    (
        "service",
        "volumes",
        "mounts: named volumes, host paths (bind mounts) or tmpfs",
    ),
    (
        "service",
        "volumes_from",
        "mounts every volume of another service or container",
    ),
    (
        "service",
        "depends_on",
        "services started before this one, and the condition awaited",
    ),
    (
        "service",
        "restart",
        "when the container restarts: `no`, `always`, `on-failure[:N]`, `unless-stopped`",
    ),
    (
        "service",
        "healthcheck",
        "how the engine checks that the container works; replaces the image's HEALTHCHECK",
    ),
    (
        "service",
        "networks",
        "the networks the container joins (`default` when none is given)",
    ),
    (
        "service",
        "network_mode",
        "the network stack: `none`, `host`, `service:NAME` or `container:ID`",
    ),
    (
        "service",
        "container_name",
        "a fixed container name; the service can then not be scaled",
    ),
    ("service", "hostname", "the container's host name"),
    (
        "service",
        "user",
        "the user (and group) the container runs as",
    ),
    (
        "service",
        "working_dir",
        "the working directory of the container's process",
    ),
    ("service", "labels", "metadata on the container"),
    (
        "service",
        "logging",
        "the logging driver of the container and its options",
    ),
    (
        "service",
        "deploy",
        "replicas, resources, restart and update policies",
    ),
    (
        "service",
        "profiles",
        "the profiles that enable the service; without any, it always runs",
    ),
    ("service", "secrets", "secrets mounted into the container"),
    ("service", "configs", "configs mounted into the container"),
    (
        "service",
        "extends",
        "takes the configuration of another service, in this file or another",
    ),
    (
        "service",
        "privileged",
        "gives the container nearly every capability of the host",
    ),
    (
        "service",
        "cap_add",
        "Linux capabilities added to the container",
    ),
    (
        "service",
        "cap_drop",
        "Linux capabilities removed from the container",
    ),
    (
        "service",
        "security_opt",
        "security options: seccomp, AppArmor, SELinux labels, no-new-privileges",
    ),
    (
        "service",
        "read_only",
        "mounts the container's root filesystem read-only",
    ),
    (
        "service",
        "tmpfs",
        "in-memory filesystems mounted into the container",
    ),
    (
        "service",
        "init",
        "runs an init process as PID 1 that forwards signals and reaps zombies",
    ),
    (
        "service",
        "stop_signal",
        "the signal that stops the container (the image's STOPSIGNAL by default)",
    ),
    (
        "service",
        "stop_grace_period",
        "how long to wait after the stop signal before killing the container",
    ),
    (
        "service",
        "platform",
        "the platform of the image: `linux/amd64`, `linux/arm64`",
    ),
    (
        "service",
        "pull_policy",
        "when to pull the image: `always`, `never`, `missing`, `build`, `daily`, ...",
    ),
    (
        "service",
        "links",
        "legacy links to other services; a shared network is enough",
    ),
    (
        "service",
        "extra_hosts",
        "entries added to the container's /etc/hosts",
    ),
    ("service", "dns", "DNS servers of the container"),
    (
        "service",
        "ulimits",
        "resource limits of the container's processes (nofile, nproc)",
    ),
    ("service", "mem_limit", "the memory limit of the container"),
    ("service", "cpus", "how many CPUs the container may use"),
    (
        "service",
        "devices",
        "host devices made available in the container",
    ),
    (
        "service",
        "stdin_open",
        "keeps standard input open (`docker run -i`)",
    ),
    ("service", "tty", "allocates a terminal (`docker run -t`)"),
    (
        "service",
        "scale",
        "deprecated: the number of containers; use `deploy.replicas`",
    ),
    (
        "service",
        "develop",
        "`docker compose watch`: files to sync or rebuild on",
    ),
    ("service", "gpus", "the GPUs the container may use"),
    (
        "service.build",
        "context",
        "the directory (or Git URL) sent to the builder; relative to the compose file",
    ),
    (
        "service.build",
        "dockerfile",
        "the Dockerfile, relative to the context (`Dockerfile` by default)",
    ),
    (
        "service.build",
        "dockerfile_inline",
        "the Dockerfile's text, written in the compose file",
    ),
    (
        "service.build",
        "args",
        "build arguments, for the Dockerfile's ARG instructions",
    ),
    (
        "service.build",
        "target",
        "the stage of the Dockerfile to build (the last one by default)",
    ),
    (
        "service.build",
        "cache_from",
        "images or caches the build may reuse layers from",
    ),
    (
        "service.build",
        "cache_to",
        "where the build exports its cache",
    ),
    (
        "service.build",
        "secrets",
        "secrets the build can mount (`RUN --mount=type=secret`)",
    ),
    (
        "service.build",
        "ssh",
        "SSH agents or keys the build can use (`RUN --mount=type=ssh`)",
    ),
    ("service.build", "platforms", "the platforms to build for"),
    ("service.build", "tags", "more names for the built image"),
    (
        "service.build",
        "network",
        "the network the build's RUN instructions use",
    ),
    ("service.build", "no_cache", "builds without the cache"),
    (
        "service.build",
        "pull",
        "pulls the base images again before building",
    ),
    (
        "service.build",
        "additional_contexts",
        "more named contexts, for `COPY --from=NAME`",
    ),
    (
        "service.healthcheck",
        "test",
        "the check: `[\"CMD\", ...]`, `[\"CMD-SHELL\", \"...\"]`, `NONE`, or a shell string",
    ),
    (
        "service.healthcheck",
        "interval",
        "the time between two checks",
    ),
    (
        "service.healthcheck",
        "timeout",
        "how long one check may take before it counts as failed",
    ),
    (
        "service.healthcheck",
        "retries",
        "how many failed checks in a row make the container unhealthy",
    ),
    (
        "service.healthcheck",
        "start_period",
        "the time at start during which failures do not count",
    ),
    (
        "service.healthcheck",
        "start_interval",
        "the time between checks during the start period",
    ),
    (
        "service.healthcheck",
        "disable",
        "turns off the image's healthcheck",
    ),
    (
        "service.depends_on",
        "condition",
        "what to wait for: `service_started`, `service_healthy` or `service_completed_successfully`",
    ),
    (
        "service.depends_on",
        "restart",
        "restarts this service when the dependency is updated",
    ),
    (
        "service.depends_on",
        "required",
        "whether the dependency must exist (`true` by default)",
    ),
    (
        "service.deploy",
        "replicas",
        "the number of containers of the service",
    ),
    (
        "service.deploy",
        "resources",
        "CPU and memory limits and reservations",
    ),
    (
        "service.deploy",
        "restart_policy",
        "when and how often containers restart",
    ),
    ("service.ports", "target", "the container port"),
    ("service.ports", "published", "the host port, or a range"),
    (
        "service.ports",
        "host_ip",
        "the host address to bind (all of them by default)",
    ),
    ("service.ports", "protocol", "`tcp` or `udp`"),
    (
        "service.volumes",
        "type",
        "`volume`, `bind`, `tmpfs`, `image`, `npipe` or `cluster`",
    ),
    (
        "service.volumes",
        "source",
        "the volume's name, or the host path of a bind mount",
    ),
    ("service.volumes", "target", "the path in the container"),
    ("service.volumes", "read_only", "mounts read-only"),
    (
        "network",
        "driver",
        "the network driver: `bridge`, `overlay`, `host`, `none`, or a plugin",
    ),
    (
        "network",
        "external",
        "the network exists already; compose does not create it",
    ),
    ("network", "internal", "a network without outside access"),
    (
        "network",
        "name",
        "the network's actual name, without the project prefix",
    ),
    ("volume", "driver", "the volume driver (`local` by default)"),
    (
        "volume",
        "external",
        "the volume exists already; compose does not create it",
    ),
    (
        "volume",
        "name",
        "the volume's actual name, without the project prefix",
    ),
    (
        "secret",
        "file",
        "the file whose content is the secret or config",
    ),
    (
        "config",
        "file",
        "the file whose content is the secret or config",
    ),
    (
        "secret",
        "environment",
        "the environment variable whose value is the secret or config",
    ),
    (
        "config",
        "environment",
        "the environment variable whose value is the secret or config",
    ),
    (
        "secret",
        "external",
        "it exists already in the engine; compose does not create it",
    ),
    (
        "config",
        "external",
        "it exists already in the engine; compose does not create it",
    ),
];

/// One line on what a key does, for the common keys; `table` is [`Table::name`].
pub fn description(table: &str, key: &str) -> Option<&'static str> {
    DESCRIPTIONS
        .iter()
        .find(|(t, k, _)| *t == table && *k == key)
        .map(|(_, _, d)| *d)
}

/// What to show about a key: its name and table, description, value type, deprecation.
pub fn hover_text(key: &KeyAt) -> String {
    let mut out = format!("**`{}`** ({})", key.field.name, key.table.name);
    if let Some(d) = description(key.table.name, key.field.name) {
        out.push_str(": ");
        out.push_str(d);
    }
    out.push_str("\n\nValue: ");
    out.push_str(&type_words(&key.field.ty));
    if key.field.required {
        out.push_str("\n\nRequired.");
    }
    if let Some(why) = key.field.deprecated {
        out.push_str("\n\n**Deprecated**: ");
        out.push_str(why);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, needle: &str) -> Option<KeyAt> {
        let cf = super::super::parse(text);
        let offset = text.find(needle).unwrap() as u32 + 1;
        key_at(&cf, offset)
    }

    #[test]
    fn keys_are_found_at_every_level() {
        let text = "services:\n  web:\n    image: nginx\n    build:\n      target: prod\n    healthcheck:\n      interval: 10s\n    ports:\n      - target: 80\n    scale: 2\n";
        let k = at(text, "image").unwrap();
        assert_eq!((k.table.name, k.field.name), ("service", "image"));
        let k = at(text, "target: prod").unwrap();
        assert_eq!((k.table.name, k.field.name), ("service.build", "target"));
        let k = at(text, "interval").unwrap();
        assert_eq!(type_words(&k.field.ty), "a duration (`10s`, `1m30s`)");
        let k = at(text, "target: 80").unwrap();
        assert_eq!(k.table.name, "service.ports");
        assert!(hover_text(&at(text, "scale").unwrap()).contains("**Deprecated**"));
        let k = at(text, "services").unwrap();
        assert_eq!(k.table.name, "top level");
        // A service's name and a value are no key of the specification.
        assert!(at(text, "web").is_none());
        assert!(at(text, "nginx").is_none());
    }

    #[test]
    fn every_description_names_a_key_of_the_specification() {
        let tables: &[&Table] = &[
            &spec::TOP_LEVEL,
            &spec::SERVICE,
            &spec::BUILD,
            &spec::HEALTHCHECK,
            &spec::DEPENDENCY,
            &spec::DEPLOY,
            &spec::PORT,
            &spec::SERVICE_VOLUME,
            &spec::NETWORK,
            &spec::VOLUME,
            &spec::SECRET,
            &spec::CONFIG,
        ];
        for (table, key, _) in DESCRIPTIONS {
            let t = tables.iter().find(|t| t.name == *table);
            assert!(
                t.is_some_and(|t| t.field(key).is_some()),
                "{table}.{key} is not in the specification"
            );
        }
        assert!(DESCRIPTIONS.len() > 100);
        assert_eq!(
            type_words(&spec::SERVICE.field("cgroup").unwrap().ty),
            "one of `host`, `private`"
        );
    }
}
