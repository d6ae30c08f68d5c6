//! What a service refers to by name: named volumes, networks, secrets, configs and models
//! defined at the top level, and other services (`depends_on`, `links`, `extends`,
//! `network_mode: service:x`, `ipc`/`pid: service:x`, `volumes_from`).
//!
//! Names are read as written: a name that holds a variable is marked, since its value is not
//! known before interpolation.

use super::model::{Service, Str, VolumeKind};
use super::{ComposeFile, NodeRef};

/// What a name refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A top-level volume.
    Volume,
    /// A top-level network.
    Network,
    /// A top-level secret.
    Secret,
    /// A top-level config.
    Config,
    /// A top-level model.
    Model,
    /// Another service, and the key that names it.
    Service(ServiceKey),
}

/// The key through which a service names another service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ServiceKey {
    DependsOn,
    Links,
    Extends,
    NetworkMode,
    Ipc,
    Pid,
    VolumesFrom,
}

impl ServiceKey {
    /// The key as written in a compose file.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKey::DependsOn => "depends_on",
            ServiceKey::Links => "links",
            ServiceKey::Extends => "extends",
            ServiceKey::NetworkMode => "network_mode",
            ServiceKey::Ipc => "ipc",
            ServiceKey::Pid => "pid",
            ServiceKey::VolumesFrom => "volumes_from",
        }
    }
}

impl Target {
    /// The top-level section that defines what the name refers to (`services` for a
    /// service).
    pub fn section(self) -> &'static str {
        match self {
            Target::Volume => "volumes",
            Target::Network => "networks",
            Target::Secret => "secrets",
            Target::Config => "configs",
            Target::Model => "models",
            Target::Service(_) => "services",
        }
    }

    /// The thing in words: "volume", "network", ..., "service".
    pub fn noun(self) -> &'static str {
        match self {
            Target::Volume => "volume",
            Target::Network => "network",
            Target::Secret => "secret",
            Target::Config => "config",
            Target::Model => "model",
            Target::Service(_) => "service",
        }
    }
}

/// One name a service refers to.
#[derive(Clone, Copy, Debug)]
pub struct Reference<'a> {
    pub target: Target,
    /// The name, with its span (just the name inside `service:x`, `x:alias` or `x:ro`).
    pub name: Str<'a>,
}

impl Reference<'_> {
    /// The name holds a variable, so it is known only after interpolation.
    pub fn is_interpolated(&self) -> bool {
        self.name.is_interpolated()
    }
}

impl<'a> Service<'a> {
    /// Every name the service refers to, in the order of its keys above. `extends` with a
    /// `file` names a service of another file and is left out; so are `volumes_from:
    /// container:x`, anonymous volumes and bind mounts.
    pub fn references(&self, file: &'a ComposeFile) -> Vec<Reference<'a>> {
        let mut out = Vec::new();
        let mut push = |target, name: Str<'a>| {
            if !name.value.is_empty() {
                out.push(Reference { target, name });
            }
        };
        for v in self.volumes() {
            if v.kind == VolumeKind::Volume
                && let Some(source) = v.source
            {
                push(Target::Volume, source);
            }
        }
        for n in self.networks() {
            push(Target::Network, named(file, n.node, n.name, n.span));
        }
        for s in self.secrets() {
            push(Target::Secret, s);
        }
        for c in self.configs() {
            push(Target::Config, c);
        }
        for m in self.model_names(file) {
            push(Target::Model, m);
        }
        for d in self.depends_on() {
            push(
                Target::Service(ServiceKey::DependsOn),
                named(file, d.node, d.name, d.span),
            );
        }
        for l in self.list("links") {
            push(Target::Service(ServiceKey::Links), before_colon(l));
        }
        if let Some(e) = self.extends()
            && e.file.is_none()
            && let Some(s) = e.service
        {
            push(Target::Service(ServiceKey::Extends), s);
        }
        for (key, which) in [
            ("network_mode", ServiceKey::NetworkMode),
            ("ipc", ServiceKey::Ipc),
            ("pid", ServiceKey::Pid),
        ] {
            if let Some(v) = self.str(key)
                && let Some(rest) = v.value.strip_prefix("service:")
            {
                let start = v.value.len() - rest.len();
                push(Target::Service(which), sub(v, start..v.value.len()));
            }
        }
        for v in self.list("volumes_from") {
            if v.value.starts_with("container:") {
                continue;
            }
            let v = match v.value.strip_prefix("service:") {
                Some(rest) => sub(v, v.value.len() - rest.len()..v.value.len()),
                None => v,
            };
            push(Target::Service(ServiceKey::VolumesFrom), before_colon(v));
        }
        out
    }

    /// The names of the `models` the service uses (a list, or the keys of a mapping).
    fn model_names(&self, file: &'a ComposeFile) -> Vec<Str<'a>> {
        let Some(models) = self.get("models").map(NodeRef::resolve) else {
            return Vec::new();
        };
        if models.is_mapping() {
            return models
                .entries()
                .filter_map(|e| file.scalar(e.key))
                .collect();
        }
        models.items().filter_map(|i| file.scalar(i)).collect()
    }
}

/// A name given as a mapping key or a list item, as a [`Str`].
fn named<'a>(
    file: &'a ComposeFile,
    node: NodeRef<'a>,
    name: &'a str,
    span: crate::source::Span,
) -> Str<'a> {
    let mut s = file.scalar(node).unwrap_or(Str {
        value: name,
        span,
        node,
        file: file.file,
    });
    // A long-form entry's node is its value: keep the key's name and span.
    s.value = name;
    s.span = span;
    s
}

/// `name[:rest]` -> `name`.
fn before_colon(s: Str<'_>) -> Str<'_> {
    match s.value.find(':') {
        Some(i) => sub(s, 0..i),
        None => s,
    }
}

fn sub(s: Str<'_>, range: std::ops::Range<usize>) -> Str<'_> {
    let span = s.span_of(range.clone());
    Str {
        value: s.value.get(range).unwrap_or_default(),
        span,
        node: s.node,
        file: s.file,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn every_kind_of_reference_with_the_span_of_the_name() {
        let text = "services:\n  a:\n    image: x\n    volumes: [data:/d, ./src:/src, /tmp, {type: volume, source: cache, target: /c}]\n    networks: {front: {}, back: }\n    secrets: [s1, {source: s2}]\n    configs: [c1]\n    models: [m1]\n    depends_on: {b: {condition: service_healthy}}\n    links: [\"c:alias\"]\n    extends: base\n    network_mode: \"service:d\"\n    ipc: service:e\n    volumes_from: [\"f:ro\", \"container:g\", \"service:h\"]\n  x:\n    image: x\n    extends: {file: other.yaml, service: y}\n    depends_on: [z]\n";
        let file = crate::compose::parse(text);
        let got: Vec<(String, &str)> = file
            .services()
            .flat_map(|s| s.references(&file))
            .map(|r| {
                (
                    r.target.noun().to_string() + ":" + r.name.value,
                    r.name.span.text(text),
                )
            })
            .collect();
        let want = [
            "volume:data",
            "volume:cache",
            "network:front",
            "network:back",
            "secret:s1",
            "secret:s2",
            "config:c1",
            "model:m1",
            "service:b",
            "service:c",
            "service:base",
            "service:d",
            "service:e",
            "service:f",
            "service:h",
            "service:z",
        ];
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, want);
        for (n, span) in &got {
            assert_eq!(n.split_once(':').map(|(_, v)| v), Some(*span), "{n}");
        }
    }
}
