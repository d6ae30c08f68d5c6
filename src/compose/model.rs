//! The typed view of a compose file: services and top-level resources with spans.
//!
//! The view is read from the [`Tree`](super::yaml::Tree) through merge-aware lookups, so
//! `<<: *defaults` is honoured; a value reached through an alias or a merge has the span of the
//! anchored text. It is a view, not a validator: a value of the wrong shape is simply absent
//! (`image: [a]` gives no image), and rules that care about shapes read the tree. Every typed
//! item keeps the id of its node so rules can reach anything the view does not model.

use super::yaml::{EntryRef, NodeId, NodeRef, ScalarStyle};
use crate::source::Span;

/// A scalar value with where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Str {
    /// The value (quotes removed); for a part of a scalar (`KEY=value`), just that part.
    pub value: String,
    /// Where the value is: the scalar with its quotes, or the part inside it.
    pub span: Span,
    /// The scalar node the value comes from.
    pub node: NodeId,
}

impl Str {
    /// The value.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The value as a YAML boolean (`true`/`false` in any of the core-schema spellings).
    pub fn as_bool(&self) -> Option<bool> {
        match self.value.as_str() {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }
    }
}

/// The obsolete top-level `version` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// The `version` key.
    pub key_span: Span,
    /// Its value, when it is a scalar.
    pub value: Option<Str>,
    /// From the key to the end of the value.
    pub span: Span,
}

/// A named item under `volumes`, `networks`, `secrets`, `configs` or `models`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopLevelItem {
    /// The item's name (its key).
    pub name: String,
    /// The key's span.
    pub span: Span,
    /// The item's definition (often null).
    pub node: NodeId,
}

/// `build:`, short (`build: ./dir`) or long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Build {
    /// The whole `build` value.
    pub span: Span,
    /// The `build` value node.
    pub node: NodeId,
    /// `build: ./dir`.
    pub short_form: bool,
    /// The build context (the short form's string).
    pub context: Option<Str>,
    /// `dockerfile`.
    pub dockerfile: Option<Str>,
    /// `dockerfile_inline`.
    pub dockerfile_inline: Option<Str>,
    /// `target`.
    pub target: Option<Str>,
    /// `args`, list or map form.
    pub args: Vec<EnvVar>,
}

/// One entry of `depends_on`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    /// The service depended on.
    pub name: String,
    /// Where the name is.
    pub span: Span,
    /// The list item (short form) or the value node (long form).
    pub node: NodeId,
    /// `condition` (long form).
    pub condition: Option<Str>,
    /// `required` (long form).
    pub required: Option<Str>,
    /// `restart` (long form).
    pub restart: Option<Str>,
    /// Written as a mapping entry rather than a list item.
    pub long_form: bool,
}

/// A command: a string (run by a shell for `command`-like keys) or a list (exec form).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// The whole value.
    pub span: Span,
    /// The value node.
    pub node: NodeId,
    /// A list rather than a string.
    pub exec: bool,
    /// The list's items, or the one string.
    pub args: Vec<Str>,
}

/// `healthcheck:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Healthcheck {
    /// The whole `healthcheck` value.
    pub span: Span,
    /// The value node.
    pub node: NodeId,
    /// `test`, string or list (`["CMD", ...]`, `["CMD-SHELL", "..."]`, `["NONE"]`).
    pub test: Option<Command>,
    /// `interval`.
    pub interval: Option<Str>,
    /// `timeout`.
    pub timeout: Option<Str>,
    /// `start_period`.
    pub start_period: Option<Str>,
    /// `start_interval`.
    pub start_interval: Option<Str>,
    /// `retries`.
    pub retries: Option<Str>,
    /// `disable`.
    pub disable: Option<Str>,
}

/// One variable of `environment`, `build.args` or `labels`: `KEY=value` in a list, or
/// `KEY: value` in a mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVar {
    /// The name.
    pub key: String,
    /// Where the name is.
    pub key_span: Span,
    /// The value; `None` for `KEY` in a list or `KEY:` with a null value (Compose then takes
    /// the value from its own environment).
    pub value: Option<Str>,
    /// The whole list item or mapping entry.
    pub span: Span,
    /// Written as a list item.
    pub list_form: bool,
}

/// One entry of `ports`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    /// The whole item.
    pub span: Span,
    /// The item node.
    pub node: NodeId,
    /// A mapping rather than a string or number.
    pub long_form: bool,
    /// The short form as written.
    pub short: Option<Str>,
    /// The host address (brackets of an IPv6 address removed).
    pub host_ip: Option<Str>,
    /// The host port or range.
    pub published: Option<Str>,
    /// The container port or range.
    pub target: Option<Str>,
    /// `tcp`, `udp`, `sctp`.
    pub protocol: Option<Str>,
    /// `host` or `ingress` (long form).
    pub mode: Option<Str>,
}

/// What a volume entry mounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolumeKind {
    /// A host path.
    Bind,
    /// A named or anonymous volume.
    Volume,
    /// `tmpfs`.
    Tmpfs,
    /// `npipe`.
    Npipe,
    /// `cluster`.
    Cluster,
    /// `image`.
    Image,
    /// A long form `type` we do not know.
    Other,
}

/// One entry of a service's `volumes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Volume {
    /// The whole item.
    pub span: Span,
    /// The item node.
    pub node: NodeId,
    /// A mapping rather than `source:target[:mode]`.
    pub long_form: bool,
    /// What is mounted; for the short form, guessed from the source as Compose does.
    pub kind: VolumeKind,
    /// `type` (long form).
    pub type_: Option<Str>,
    /// The host path or volume name; `None` for an anonymous volume.
    pub source: Option<Str>,
    /// The path in the container.
    pub target: Option<Str>,
    /// The short form's options (`ro`, `rw,z`).
    pub mode: Option<Str>,
    /// `:ro` or `read_only: true`.
    pub read_only: bool,
}

/// One network a service joins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkRef {
    /// The network's name.
    pub name: String,
    /// Where the name is.
    pub span: Span,
    /// The network's settings for the service (long form), else the list item.
    pub node: NodeId,
    /// Written as a mapping entry.
    pub long_form: bool,
}

/// `cpus`, `memory` and `pids` of `deploy.resources.limits` or `.reservations`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resources {
    /// The `limits` or `reservations` value.
    pub span: Span,
    /// `cpus`.
    pub cpus: Option<Str>,
    /// `memory`.
    pub memory: Option<Str>,
    /// `pids`.
    pub pids: Option<Str>,
}

/// `deploy:`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deploy {
    /// The whole `deploy` value.
    pub span: Span,
    /// The value node.
    pub node: NodeId,
    /// `mode`.
    pub mode: Option<Str>,
    /// `replicas`.
    pub replicas: Option<Str>,
    /// `resources.limits`.
    pub limits: Option<Resources>,
    /// `resources.reservations`.
    pub reservations: Option<Resources>,
    /// `restart_policy.condition`.
    pub restart_condition: Option<Str>,
}

/// `extends:`, short (`extends: base`) or long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extends {
    /// The whole value.
    pub span: Span,
    /// The service extended.
    pub service: Option<Str>,
    /// The file it is in, when not this one.
    pub file: Option<Str>,
}

/// A service and the keys rules most often read. Anything else: [`Service::node`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    /// The service's name.
    pub name: String,
    /// Where the name (the key) is.
    pub name_span: Span,
    /// The key node.
    pub key: NodeId,
    /// The service's definition (a mapping, unless the file is broken).
    pub node: NodeId,
    /// `image`.
    pub image: Option<Str>,
    /// `build`.
    pub build: Option<Build>,
    /// `depends_on`, short or long form.
    pub depends_on: Vec<Dependency>,
    /// `healthcheck`.
    pub healthcheck: Option<Healthcheck>,
    /// `environment`, list or map form.
    pub environment: Vec<EnvVar>,
    /// `env_file` paths.
    pub env_file: Vec<Str>,
    /// `labels`, list or map form.
    pub labels: Vec<EnvVar>,
    /// `ports`.
    pub ports: Vec<Port>,
    /// `expose`.
    pub expose: Vec<Str>,
    /// `volumes`.
    pub volumes: Vec<Volume>,
    /// `networks`, list or map form.
    pub networks: Vec<NetworkRef>,
    /// `network_mode`.
    pub network_mode: Option<Str>,
    /// `user`.
    pub user: Option<Str>,
    /// `privileged`.
    pub privileged: Option<Str>,
    /// `read_only`.
    pub read_only: Option<Str>,
    /// `restart`.
    pub restart: Option<Str>,
    /// `container_name`.
    pub container_name: Option<Str>,
    /// `hostname`.
    pub hostname: Option<Str>,
    /// `platform`.
    pub platform: Option<Str>,
    /// `pull_policy`.
    pub pull_policy: Option<Str>,
    /// `pid`.
    pub pid: Option<Str>,
    /// `ipc`.
    pub ipc: Option<Str>,
    /// `init`.
    pub init: Option<Str>,
    /// `working_dir`.
    pub working_dir: Option<Str>,
    /// `mem_limit`.
    pub mem_limit: Option<Str>,
    /// `cpus`.
    pub cpus: Option<Str>,
    /// `command`.
    pub command: Option<Command>,
    /// `entrypoint`.
    pub entrypoint: Option<Command>,
    /// `cap_add`.
    pub cap_add: Vec<Str>,
    /// `cap_drop`.
    pub cap_drop: Vec<Str>,
    /// `security_opt`.
    pub security_opt: Vec<Str>,
    /// `devices` (short form strings).
    pub devices: Vec<Str>,
    /// `profiles`.
    pub profiles: Vec<Str>,
    /// Names of the `secrets` the service uses (short form, or long form `source`).
    pub secrets: Vec<Str>,
    /// Names of the `configs` the service uses.
    pub configs: Vec<Str>,
    /// `extends`.
    pub extends: Option<Extends>,
    /// `deploy`.
    pub deploy: Option<Deploy>,
}

/// Reads the typed view out of a tree.
pub(crate) struct Reader<'a> {
    pub text: &'a str,
}

impl<'a> Reader<'a> {
    /// A scalar value that is not null.
    pub fn str(&self, n: NodeRef<'a>) -> Option<Str> {
        let r = n.resolve();
        r.as_str().map(|v| Str {
            value: v.to_string(),
            span: r.span(),
            node: r.id(),
        })
    }

    fn field(&self, map: NodeRef<'a>, key: &str) -> Option<Str> {
        map.get(key).and_then(|v| self.str(v))
    }

    /// A part of a scalar's value, with a span inside the scalar when the scalar is written
    /// without escapes or folding (else the scalar's span).
    fn part(&self, n: NodeRef<'a>, value: &str, range: std::ops::Range<usize>) -> Str {
        let r = n.resolve();
        let span = r.span();
        let piece = value.get(range.clone()).unwrap_or_default().to_string();
        let raw = span.text(self.text);
        let inner = match r.as_scalar().map(|(_, s)| s) {
            Some(ScalarStyle::Plain) => Some((raw, 0)),
            Some(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) if raw.len() >= 2 => {
                Some((raw.get(1..raw.len() - 1).unwrap_or(""), 1))
            }
            _ => None,
        };
        let span = match inner {
            Some((text, offset)) if text == value => Span::new(
                span.start + offset + range.start as u32,
                span.start + offset + range.end as u32,
            ),
            _ => span,
        };
        Str {
            value: piece,
            span,
            node: r.id(),
        }
    }

    /// A list of strings; a lone string counts as a list of one.
    fn str_list(&self, n: NodeRef<'a>) -> Vec<Str> {
        if n.is_sequence() {
            n.items().filter_map(|i| self.str(i)).collect()
        } else {
            self.str(n).into_iter().collect()
        }
    }

    /// `KEY=value` items or `KEY: value` entries.
    fn key_values(&self, n: NodeRef<'a>) -> Vec<EnvVar> {
        if n.is_mapping() {
            return n
                .entries()
                .filter_map(|e| {
                    let key = e.key_str()?.to_string();
                    Some(EnvVar {
                        key,
                        key_span: e.key.resolve().span(),
                        value: self.str(e.value),
                        span: e.span(),
                        list_form: false,
                    })
                })
                .collect();
        }
        n.items()
            .filter_map(|item| {
                let value = item.as_str()?;
                let span = item.resolve().span();
                let (key, val) = match value.split_once('=') {
                    Some((k, _)) => (
                        self.part(item, value, 0..k.len()),
                        Some(self.part(item, value, k.len() + 1..value.len())),
                    ),
                    None => (self.part(item, value, 0..value.len()), None),
                };
                Some(EnvVar {
                    key: key.value,
                    key_span: key.span,
                    value: val,
                    span,
                    list_form: true,
                })
            })
            .collect()
    }

    fn command(&self, n: NodeRef<'a>) -> Option<Command> {
        let r = n.resolve();
        if r.is_sequence() {
            Some(Command {
                span: r.span(),
                node: r.id(),
                exec: true,
                args: r.items().filter_map(|i| self.str(i)).collect(),
            })
        } else {
            let s = self.str(r)?;
            Some(Command {
                span: s.span,
                node: r.id(),
                exec: false,
                args: vec![s],
            })
        }
    }

    pub fn version(&self, e: EntryRef<'a>) -> Version {
        Version {
            key_span: e.key.span(),
            value: self.str(e.value),
            span: e.span(),
        }
    }

    pub fn top_level_items(&self, n: NodeRef<'a>) -> Vec<TopLevelItem> {
        n.entries()
            .filter_map(|e| {
                Some(TopLevelItem {
                    name: e.key_str()?.to_string(),
                    span: e.key.span(),
                    node: e.value.id(),
                })
            })
            .collect()
    }

    pub fn service(&self, e: EntryRef<'a>) -> Option<Service> {
        let name = e.key_str()?.to_string();
        let n = e.value.resolve();
        let get = |k: &str| n.get(k);
        let list = |k: &str| get(k).map(|v| self.str_list(v)).unwrap_or_default();
        let field = |k: &str| self.field(n, k);
        Some(Service {
            name,
            name_span: e.key.span(),
            key: e.key.id(),
            node: e.value.id(),
            image: field("image"),
            build: get("build").and_then(|v| self.build(v)),
            depends_on: get("depends_on")
                .map(|v| self.depends_on(v))
                .unwrap_or_default(),
            healthcheck: get("healthcheck").and_then(|v| self.healthcheck(v)),
            environment: get("environment")
                .map(|v| self.key_values(v))
                .unwrap_or_default(),
            env_file: get("env_file")
                .map(|v| self.env_files(v))
                .unwrap_or_default(),
            labels: get("labels")
                .map(|v| self.key_values(v))
                .unwrap_or_default(),
            ports: get("ports")
                .map(|v| v.items().filter_map(|i| self.port(i)).collect())
                .unwrap_or_default(),
            expose: list("expose"),
            volumes: get("volumes")
                .map(|v| v.items().filter_map(|i| self.volume(i)).collect())
                .unwrap_or_default(),
            networks: get("networks")
                .map(|v| self.networks(v))
                .unwrap_or_default(),
            network_mode: field("network_mode"),
            user: field("user"),
            privileged: field("privileged"),
            read_only: field("read_only"),
            restart: field("restart"),
            container_name: field("container_name"),
            hostname: field("hostname"),
            platform: field("platform"),
            pull_policy: field("pull_policy"),
            pid: field("pid"),
            ipc: field("ipc"),
            init: field("init"),
            working_dir: field("working_dir"),
            mem_limit: field("mem_limit"),
            cpus: field("cpus"),
            command: get("command").and_then(|v| self.command(v)),
            entrypoint: get("entrypoint").and_then(|v| self.command(v)),
            cap_add: list("cap_add"),
            cap_drop: list("cap_drop"),
            security_opt: list("security_opt"),
            devices: list("devices"),
            profiles: list("profiles"),
            secrets: get("secrets")
                .map(|v| self.resource_refs(v))
                .unwrap_or_default(),
            configs: get("configs")
                .map(|v| self.resource_refs(v))
                .unwrap_or_default(),
            extends: get("extends").and_then(|v| self.extends(v)),
            deploy: get("deploy").and_then(|v| self.deploy(v)),
        })
    }

    fn build(&self, n: NodeRef<'a>) -> Option<Build> {
        let r = n.resolve();
        if let Some(context) = self.str(r) {
            return Some(Build {
                span: r.span(),
                node: r.id(),
                short_form: true,
                context: Some(context),
                dockerfile: None,
                dockerfile_inline: None,
                target: None,
                args: Vec::new(),
            });
        }
        if !r.is_mapping() {
            return None;
        }
        Some(Build {
            span: r.span(),
            node: r.id(),
            short_form: false,
            context: self.field(r, "context"),
            dockerfile: self.field(r, "dockerfile"),
            dockerfile_inline: self.field(r, "dockerfile_inline"),
            target: self.field(r, "target"),
            args: r
                .get("args")
                .map(|v| self.key_values(v))
                .unwrap_or_default(),
        })
    }

    fn depends_on(&self, n: NodeRef<'a>) -> Vec<Dependency> {
        if n.is_mapping() {
            return n
                .entries()
                .filter_map(|e| {
                    let v = e.value.resolve();
                    Some(Dependency {
                        name: e.key_str()?.to_string(),
                        span: e.key.resolve().span(),
                        node: v.id(),
                        condition: self.field(v, "condition"),
                        required: self.field(v, "required"),
                        restart: self.field(v, "restart"),
                        long_form: true,
                    })
                })
                .collect();
        }
        n.items()
            .filter_map(|i| {
                let s = self.str(i)?;
                Some(Dependency {
                    name: s.value,
                    span: s.span,
                    node: s.node,
                    condition: None,
                    required: None,
                    restart: None,
                    long_form: false,
                })
            })
            .collect()
    }

    fn healthcheck(&self, n: NodeRef<'a>) -> Option<Healthcheck> {
        let r = n.resolve();
        if !r.is_mapping() {
            return None;
        }
        Some(Healthcheck {
            span: r.span(),
            node: r.id(),
            test: r.get("test").and_then(|v| self.command(v)),
            interval: self.field(r, "interval"),
            timeout: self.field(r, "timeout"),
            start_period: self.field(r, "start_period"),
            start_interval: self.field(r, "start_interval"),
            retries: self.field(r, "retries"),
            disable: self.field(r, "disable"),
        })
    }

    fn env_files(&self, n: NodeRef<'a>) -> Vec<Str> {
        if !n.is_sequence() {
            return self.str(n).into_iter().collect();
        }
        n.items()
            .filter_map(|i| {
                if i.is_mapping() {
                    self.field(i.resolve(), "path")
                } else {
                    self.str(i)
                }
            })
            .collect()
    }

    fn resource_refs(&self, n: NodeRef<'a>) -> Vec<Str> {
        n.items()
            .filter_map(|i| {
                if i.is_mapping() {
                    self.field(i.resolve(), "source")
                } else {
                    self.str(i)
                }
            })
            .collect()
    }

    fn networks(&self, n: NodeRef<'a>) -> Vec<NetworkRef> {
        if n.is_mapping() {
            return n
                .entries()
                .filter_map(|e| {
                    Some(NetworkRef {
                        name: e.key_str()?.to_string(),
                        span: e.key.resolve().span(),
                        node: e.value.id(),
                        long_form: true,
                    })
                })
                .collect();
        }
        n.items()
            .filter_map(|i| {
                let s = self.str(i)?;
                Some(NetworkRef {
                    name: s.value,
                    span: s.span,
                    node: s.node,
                    long_form: false,
                })
            })
            .collect()
    }

    fn extends(&self, n: NodeRef<'a>) -> Option<Extends> {
        let r = n.resolve();
        if let Some(s) = self.str(r) {
            return Some(Extends {
                span: s.span,
                service: Some(s),
                file: None,
            });
        }
        r.is_mapping().then(|| Extends {
            span: r.span(),
            service: self.field(r, "service"),
            file: self.field(r, "file"),
        })
    }

    fn resources(&self, n: Option<NodeRef<'a>>) -> Option<Resources> {
        let r = n?.resolve();
        r.is_mapping().then(|| Resources {
            span: r.span(),
            cpus: self.field(r, "cpus"),
            memory: self.field(r, "memory"),
            pids: self.field(r, "pids"),
        })
    }

    fn deploy(&self, n: NodeRef<'a>) -> Option<Deploy> {
        let r = n.resolve();
        if !r.is_mapping() {
            return None;
        }
        let resources = r.get("resources");
        Some(Deploy {
            span: r.span(),
            node: r.id(),
            mode: self.field(r, "mode"),
            replicas: self.field(r, "replicas"),
            limits: self.resources(resources.and_then(|x| x.get("limits"))),
            reservations: self.resources(resources.and_then(|x| x.get("reservations"))),
            restart_condition: r
                .get("restart_policy")
                .and_then(|p| self.field(p, "condition")),
        })
    }

    fn port(&self, item: NodeRef<'a>) -> Option<Port> {
        let r = item.resolve();
        let mut port = Port {
            span: r.span(),
            node: r.id(),
            long_form: false,
            short: None,
            host_ip: None,
            published: None,
            target: None,
            protocol: None,
            mode: None,
        };
        if r.is_mapping() {
            port.long_form = true;
            port.host_ip = self.field(r, "host_ip");
            port.published = self.field(r, "published");
            port.target = self.field(r, "target");
            port.protocol = self.field(r, "protocol");
            port.mode = self.field(r, "mode");
            return Some(port);
        }
        let short = self.str(r)?;
        let value = short.value.clone();
        // [[host_ip:]published:]target[/protocol], the way Docker's ParsePortSpec splits it.
        let (rest, proto) = match value.rfind('/') {
            Some(i) => (i, Some(i + 1..value.len())),
            None => (value.len(), None),
        };
        let colons: Vec<usize> = value
            .get(..rest)
            .unwrap_or_default()
            .match_indices(':')
            .map(|(i, _)| i)
            .collect();
        let part = |range: std::ops::Range<usize>| self.part(r, &value, range);
        match colons.as_slice() {
            [] => port.target = Some(part(0..rest)),
            [c] => {
                port.published = Some(part(0..*c));
                port.target = Some(part(c + 1..rest));
            }
            [.., a, b] => {
                let ip = trim_brackets(&value, 0..*a);
                port.host_ip = Some(part(ip));
                port.published = Some(part(a + 1..*b));
                port.target = Some(part(b + 1..rest));
            }
        }
        port.protocol = proto.map(part);
        port.short = Some(short);
        Some(port)
    }

    fn volume(&self, item: NodeRef<'a>) -> Option<Volume> {
        let r = item.resolve();
        let mut vol = Volume {
            span: r.span(),
            node: r.id(),
            long_form: false,
            kind: VolumeKind::Volume,
            type_: None,
            source: None,
            target: None,
            mode: None,
            read_only: false,
        };
        if r.is_mapping() {
            vol.long_form = true;
            vol.type_ = self.field(r, "type");
            vol.kind = match vol.type_.as_ref().map(Str::as_str) {
                Some("bind") => VolumeKind::Bind,
                Some("volume") | None => VolumeKind::Volume,
                Some("tmpfs") => VolumeKind::Tmpfs,
                Some("npipe") => VolumeKind::Npipe,
                Some("cluster") => VolumeKind::Cluster,
                Some("image") => VolumeKind::Image,
                Some(_) => VolumeKind::Other,
            };
            vol.source = self.field(r, "source");
            vol.target = self.field(r, "target");
            vol.read_only = self
                .field(r, "read_only")
                .and_then(|s| s.as_bool())
                .unwrap_or(false);
            return Some(vol);
        }
        let value = r.as_str()?.to_string();
        let parts = split_volume_spec(&value);
        let part = |range: std::ops::Range<usize>| self.part(r, &value, range);
        match parts.as_slice() {
            [] => {}
            [target] => vol.target = Some(part(target.clone())),
            [source, target, rest @ ..] => {
                vol.source = Some(part(source.clone()));
                vol.target = Some(part(target.clone()));
                if let Some(mode) = rest.first() {
                    let mode = part(mode.clone());
                    vol.read_only = mode.value.split(',').any(|o| o == "ro");
                    vol.mode = Some(mode);
                }
            }
        }
        vol.kind = match &vol.source {
            Some(s) if is_host_path(&s.value) => VolumeKind::Bind,
            _ => VolumeKind::Volume,
        };
        Some(vol)
    }

    pub fn include_paths(&self, n: NodeRef<'a>) -> Vec<Str> {
        n.items()
            .flat_map(|i| {
                if i.is_mapping() {
                    i.get("path").map(|p| self.str_list(p)).unwrap_or_default()
                } else {
                    self.str(i).into_iter().collect()
                }
            })
            .collect()
    }
}

/// The range without surrounding `[` `]` (an IPv6 address in a port).
fn trim_brackets(s: &str, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let t = s.get(r.clone()).unwrap_or_default();
    if t.len() >= 2 && t.starts_with('[') && t.ends_with(']') {
        r.start + 1..r.end - 1
    } else {
        r
    }
}

/// Splits `source:target:mode` on colons, keeping a Windows drive (`C:`) in its part, as
/// compose-go's `ParseVolume` does. Returns byte ranges.
fn split_volume_spec(s: &str) -> Vec<std::ops::Range<usize>> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c != ':' {
            continue;
        }
        let buffer = s.get(start..i).unwrap_or_default();
        let drive = buffer.len() == 1 && buffer.chars().all(|c| c.is_ascii_alphabetic());
        if !drive {
            parts.push(start..i);
            start = i + 1;
        }
    }
    if start < s.len() || !parts.is_empty() {
        parts.push(start..s.len());
    }
    parts
}

/// Whether a short-form volume source is a host path rather than a volume name. A source
/// that is only a variable (`${DATA}`) is taken as a path, which it nearly always is.
fn is_host_path(s: &str) -> bool {
    let b = s.as_bytes();
    matches!(b.first(), Some(b'.' | b'/' | b'~' | b'\\' | b'$'))
        || s.contains('/')
        || s.contains('\\')
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}
