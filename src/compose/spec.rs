//! The Compose Specification as data: every key compose knows, what its value may be, how
//! override files merge it, and what is deprecated.
//!
//! The table is wharf's own reading of the specification (compose-spec.io and compose-go's
//! loader), kept as Rust data so the generic validator ([`super::validate`]) and the rules
//! share one source. A conformance test checks it against the official JSON schema in
//! `../shared/schemas/compose-spec.json`: the same keys at every level, and the same value
//! types. The table says more than the schema where compose itself does: durations and byte
//! sizes are strings the loader parses, so the table names them.
//!
//! Strings are accepted wherever the schema accepts them next to a boolean or a number:
//! compose interpolates `${VAR}` before it converts values. The validator judges such a string
//! by its default (`${PORT:-80}` is `80`) and leaves it alone when it has none.

/// What a value may be.
#[derive(Clone, Copy, Debug)]
pub enum Type {
    /// Any string; a number or boolean written plain is not one.
    Str,
    /// `true` or `false`.
    Bool,
    /// A whole number.
    Int,
    /// A number, whole or not.
    Number,
    /// A Go duration: `10s`, `1m30s`, `1.5h`.
    Duration,
    /// A byte count, or a string with a unit: `512m`, `1gb`, `100k`.
    ByteSize,
    /// A byte size written as a string only (`deploy.resources.limits.memory`).
    ByteString,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// An empty value (`key:`, `~`, `null`).
    Null,
    /// A sequence of this type.
    List(&'static Type),
    /// A mapping with free keys, each value of this type.
    Map(&'static Type),
    /// `KEY=value` strings in a list, or a mapping of scalars or nulls (environment, labels).
    ListOrMap,
    /// A mapping with known keys.
    Table(&'static Table),
    /// Any of these (short and long syntaxes, string-or-list).
    OneOf(&'static [Type]),
    /// Anything at all.
    Any,
}

/// How override files (and `extends`) combine two values of a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merge {
    /// The later value replaces the earlier one.
    Replace,
    /// Mappings merge key by key, recursively.
    Deep,
    /// Sequences are concatenated, duplicates dropped.
    Append,
    /// Sequence items are merged by identity, the values of these keys of their long form
    /// (`target` of a volume or secret; host IP, target, published port and protocol of a
    /// port): items with the same identity are merged, others appended.
    Unique(&'static [&'static str]),
}

/// One key of a table.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Type,
    /// Set when the spec says otherwise than the type suggests; see [`Field::merge`].
    merge: Option<Merge>,
    /// Why the key should not be used any more, and what to use instead.
    pub deprecated: Option<&'static str>,
    /// The key must be present when its table is written in full.
    pub required: bool,
}

impl Field {
    const fn new(name: &'static str, ty: Type) -> Field {
        Field {
            name,
            ty,
            merge: None,
            deprecated: None,
            required: false,
        }
    }

    const fn merge_as(self, merge: Merge) -> Field {
        Field {
            merge: Some(merge),
            ..self
        }
    }

    const fn deprecated(self, why: &'static str) -> Field {
        Field {
            deprecated: Some(why),
            ..self
        }
    }

    const fn required(self) -> Field {
        Field {
            required: true,
            ..self
        }
    }

    /// How two values of this key merge.
    pub fn merge(&self) -> Merge {
        self.merge.unwrap_or(match self.ty {
            Type::List(_) => Merge::Append,
            Type::Map(_) | Type::ListOrMap | Type::Table(_) => Merge::Deep,
            Type::OneOf(alts) if alts.iter().any(|t| matches!(t, Type::Table(_))) => Merge::Deep,
            _ => Merge::Replace,
        })
    }
}

/// A mapping with known keys.
#[derive(Debug)]
pub struct Table {
    /// Where the table sits, for messages and tests (`service`, `service.build`).
    pub name: &'static str,
    pub fields: &'static [Field],
    /// `x-` keys are allowed.
    pub extensions: bool,
    /// Any key is allowed; the known ones are checked.
    pub open: bool,
}

impl Table {
    /// The field of `key`.
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == key)
    }
}

const fn f(name: &'static str, ty: Type) -> Field {
    Field::new(name, ty)
}

const fn table(name: &'static str, fields: &'static [Field]) -> Table {
    Table {
        name,
        fields,
        extensions: true,
        open: false,
    }
}

const fn closed(name: &'static str, fields: &'static [Field]) -> Table {
    Table {
        name,
        fields,
        extensions: false,
        open: false,
    }
}

const fn open(name: &'static str, fields: &'static [Field]) -> Table {
    Table {
        name,
        fields,
        extensions: false,
        open: true,
    }
}

use Type::*;

const LIST_OF_STRINGS: Type = List(&Str);
const STRING_OR_LIST: Type = OneOf(&[Str, List(&Str)]);
const COMMAND: Type = OneOf(&[Null, Str, List(&Str)]);
const STR_OR_NUMBER: Type = OneOf(&[Str, Number]);
const DRIVER_OPTS: Type = Map(&STR_OR_NUMBER);
const EXTRA_HOSTS: Type = OneOf(&[Map(&STRING_OR_LIST), List(&Str)]);
const ULIMITS: Type = Map(&OneOf(&[Int, Table(&ULIMIT)]));
const FILE_REFS: Type = List(&OneOf(&[Str, Table(&FILE_REF)]));
const HOOKS: Type = List(&Table(&HOOK));
const BLKIO_LIMITS: Type = List(&Table(&BLKIO_LIMIT));
const EXTERNAL: Type = OneOf(&[Bool, Table(&EXTERNAL_NAME)]);
const EXTERNAL_OPEN: Type = OneOf(&[Bool, Table(&EXTERNAL_NAME_OPEN)]);
const PORT_IDENTITY: Merge = Merge::Unique(&["host_ip", "target", "published", "protocol"]);
const EXTERNAL_NAME_DEPRECATED: &str =
    "`external.name` is deprecated: set `name` and `external: true`";

/// The top level of a compose file.
pub static TOP_LEVEL: Table = table(
    "top level",
    &[
        f("version", Str).deprecated("the top-level `version` key is obsolete and ignored"),
        f("name", Str),
        f("include", List(&OneOf(&[Str, Table(&INCLUDE)]))),
        f("services", Map(&Table(&SERVICE))),
        f("models", Map(&Table(&MODEL))),
        f("networks", Map(&OneOf(&[Null, Table(&NETWORK)]))),
        f("volumes", Map(&OneOf(&[Null, Table(&VOLUME)]))),
        f("secrets", Map(&Table(&SECRET))),
        f("configs", Map(&Table(&CONFIG))),
    ],
);

pub static INCLUDE: Table = closed(
    "include",
    &[
        f("path", STRING_OR_LIST),
        f("env_file", STRING_OR_LIST),
        f("project_directory", Str),
    ],
);

/// A service.
pub static SERVICE: Table = table(
    "service",
    &[
        f("develop", OneOf(&[Null, Table(&DEVELOP)])),
        f("deploy", OneOf(&[Null, Table(&DEPLOY)])),
        f("annotations", ListOrMap),
        f("attach", Bool),
        f("build", OneOf(&[Str, Table(&BUILD)])),
        f("blkio_config", Table(&BLKIO_CONFIG)),
        f("cap_add", LIST_OF_STRINGS),
        f("cap_drop", LIST_OF_STRINGS),
        f("cgroup", Enum(&["host", "private"])),
        f("cgroup_parent", Str),
        f("command", COMMAND).merge_as(Merge::Replace),
        f("configs", FILE_REFS).merge_as(Merge::Unique(&["target"])),
        f("container_name", Str),
        f("cpu_count", Int),
        f("cpu_percent", Int),
        f("cpu_shares", Number),
        f("cpu_quota", Number),
        f("cpu_period", Number),
        f("cpu_rt_period", Number),
        f("cpu_rt_runtime", Number),
        f("cpus", Number),
        f("cpuset", Str),
        f("credential_spec", Table(&CREDENTIAL_SPEC)),
        f(
            "depends_on",
            OneOf(&[LIST_OF_STRINGS, Map(&Table(&DEPENDENCY))]),
        ),
        f("device_cgroup_rules", LIST_OF_STRINGS),
        f("devices", List(&OneOf(&[Str, Table(&DEVICE)]))),
        f("dns", STRING_OR_LIST),
        f("dns_opt", LIST_OF_STRINGS),
        f("dns_search", STRING_OR_LIST),
        f("domainname", Str),
        f("entrypoint", COMMAND).merge_as(Merge::Replace),
        f(
            "env_file",
            OneOf(&[Str, List(&OneOf(&[Str, Table(&ENV_FILE)]))]),
        ),
        f("label_file", STRING_OR_LIST),
        f("environment", ListOrMap),
        f("expose", List(&STR_OR_NUMBER)),
        f("extends", OneOf(&[Str, Table(&EXTENDS)])),
        f("provider", Table(&PROVIDER)),
        f("external_links", LIST_OF_STRINGS),
        f("extra_hosts", EXTRA_HOSTS),
        f("gpus", OneOf(&[Enum(&["all"]), List(&Table(&GPU))])),
        f("group_add", List(&STR_OR_NUMBER)),
        f("healthcheck", Table(&HEALTHCHECK)),
        f("hostname", Str),
        f("image", Str),
        f("init", Bool),
        f("ipc", Str),
        f("isolation", Str),
        f("labels", ListOrMap),
        f("links", LIST_OF_STRINGS).deprecated(
            "`links` is a legacy feature: services reach each other by name on a shared network",
        ),
        f("logging", Table(&LOGGING)),
        f("mac_address", Str),
        f("mem_limit", ByteSize),
        f("mem_reservation", ByteSize),
        f("mem_swappiness", Int),
        f("memswap_limit", ByteSize),
        f("network_mode", Str),
        f(
            "models",
            OneOf(&[LIST_OF_STRINGS, Map(&Table(&SERVICE_MODEL))]),
        ),
        f(
            "networks",
            OneOf(&[
                LIST_OF_STRINGS,
                Map(&OneOf(&[Table(&SERVICE_NETWORK), Null])),
            ]),
        ),
        f("oom_kill_disable", Bool),
        f("oom_score_adj", Int),
        f("pid", OneOf(&[Str, Null])),
        f("pids_limit", Number),
        f("platform", Str),
        f("ports", List(&OneOf(&[Number, Str, Table(&PORT)]))).merge_as(PORT_IDENTITY),
        f("post_start", HOOKS),
        f("pre_stop", HOOKS),
        f("privileged", Bool),
        f("profiles", LIST_OF_STRINGS),
        f("pull_policy", Str),
        f("pull_refresh_after", Str),
        f("read_only", Bool),
        f("restart", Str),
        f("runtime", Str),
        f("scale", Int).deprecated("`scale` is deprecated: use `deploy.replicas`"),
        f("security_opt", LIST_OF_STRINGS),
        f("shm_size", ByteSize),
        f("secrets", FILE_REFS).merge_as(Merge::Unique(&["target"])),
        f("sysctls", ListOrMap),
        f("stdin_open", Bool),
        f("stop_grace_period", Duration),
        f("stop_signal", Str),
        f("storage_opt", Map(&Any)),
        f("tmpfs", STRING_OR_LIST),
        f("tty", Bool),
        f("ulimits", ULIMITS),
        f("use_api_socket", Bool),
        f("user", Str),
        f("uts", Str),
        f("userns_mode", Str),
        f("volumes", List(&OneOf(&[Str, Table(&SERVICE_VOLUME)])))
            .merge_as(Merge::Unique(&["target"])),
        f("volumes_from", LIST_OF_STRINGS),
        f("working_dir", Str),
    ],
);

pub static BUILD: Table = table(
    "service.build",
    &[
        f("context", Str),
        f("dockerfile", Str),
        f("dockerfile_inline", Str),
        f("entitlements", LIST_OF_STRINGS),
        f("args", ListOrMap),
        f("ssh", ListOrMap),
        f("labels", ListOrMap),
        f("cache_from", LIST_OF_STRINGS),
        f("cache_to", LIST_OF_STRINGS),
        f("no_cache", Bool),
        f("additional_contexts", ListOrMap),
        f("network", Str),
        f("provenance", OneOf(&[Str, Bool])),
        f("sbom", OneOf(&[Str, Bool])),
        f("pull", Bool),
        f("target", Str),
        f("shm_size", ByteSize),
        f("extra_hosts", EXTRA_HOSTS),
        f("isolation", Str),
        f("privileged", Bool),
        f("secrets", FILE_REFS).merge_as(Merge::Unique(&["target"])),
        f("tags", LIST_OF_STRINGS),
        f("ulimits", ULIMITS),
        f("platforms", LIST_OF_STRINGS),
    ],
);

pub static DEVELOP: Table = table("service.develop", &[f("watch", List(&Table(&WATCH)))]);

pub static WATCH: Table = table(
    "service.develop.watch",
    &[
        f("ignore", STRING_OR_LIST),
        f("include", STRING_OR_LIST),
        f("path", Str).required(),
        f(
            "action",
            Enum(&["rebuild", "sync", "restart", "sync+restart", "sync+exec"]),
        )
        .required(),
        f("target", Str),
        f("exec", Table(&WATCH_EXEC)),
        f("initial_sync", Bool),
    ],
);

const HOOK_FIELDS: &[Field] = &[
    f("command", COMMAND).required(),
    f("user", Str),
    f("privileged", Bool),
    f("working_dir", Str),
    f("environment", ListOrMap),
];

pub static WATCH_EXEC: Table = table("service.develop.watch.exec", HOOK_FIELDS);
pub static HOOK: Table = table("service hook", HOOK_FIELDS);

pub static DEPLOY: Table = table(
    "service.deploy",
    &[
        f("mode", Str),
        f("endpoint_mode", Str),
        f("replicas", Int),
        f("labels", ListOrMap),
        f("rollback_config", Table(&UPDATE_CONFIG)),
        f("update_config", Table(&UPDATE_CONFIG)),
        f("resources", Table(&RESOURCES)),
        f("restart_policy", Table(&RESTART_POLICY)),
        f("placement", Table(&PLACEMENT)),
    ],
);

pub static UPDATE_CONFIG: Table = table(
    "service.deploy.update_config",
    &[
        f("parallelism", Int),
        f("delay", Duration),
        f("failure_action", Str),
        f("monitor", Duration),
        f("max_failure_ratio", Number),
        f("order", Enum(&["start-first", "stop-first"])),
    ],
);

pub static RESOURCES: Table = table(
    "service.deploy.resources",
    &[
        f("limits", Table(&LIMITS)),
        f("reservations", Table(&RESERVATIONS)),
    ],
);

pub static LIMITS: Table = table(
    "service.deploy.resources.limits",
    &[f("cpus", Number), f("memory", ByteString), f("pids", Int)],
);

pub static RESERVATIONS: Table = table(
    "service.deploy.resources.reservations",
    &[
        f("cpus", Number),
        f("memory", ByteString),
        f("generic_resources", List(&Table(&GENERIC_RESOURCE))),
        f("devices", List(&Table(&DEVICE_REQUEST))),
    ],
);

pub static GENERIC_RESOURCE: Table = table(
    "generic resource",
    &[f("discrete_resource_spec", Table(&DISCRETE_RESOURCE))],
);

pub static DISCRETE_RESOURCE: Table = table(
    "discrete resource spec",
    &[f("kind", Str), f("value", Number)],
);

const DEVICE_REQUEST_FIELDS: [Field; 5] = [
    f("capabilities", LIST_OF_STRINGS),
    f("count", OneOf(&[Str, Int])),
    f("device_ids", LIST_OF_STRINGS),
    f("driver", Str),
    f("options", ListOrMap),
];

pub static DEVICE_REQUEST: Table = table(
    "device request",
    &[
        DEVICE_REQUEST_FIELDS[0].required(),
        DEVICE_REQUEST_FIELDS[1],
        DEVICE_REQUEST_FIELDS[2],
        DEVICE_REQUEST_FIELDS[3],
        DEVICE_REQUEST_FIELDS[4],
    ],
);

/// `gpus` items: the device request keys, none required, nothing else checked by the schema.
pub static GPU: Table = open("service.gpus", &DEVICE_REQUEST_FIELDS);

pub static RESTART_POLICY: Table = table(
    "service.deploy.restart_policy",
    &[
        f("condition", Str),
        f("delay", Duration),
        f("max_attempts", Int),
        f("window", Duration),
    ],
);

pub static PLACEMENT: Table = table(
    "service.deploy.placement",
    &[
        f("constraints", LIST_OF_STRINGS),
        f("preferences", List(&Table(&PLACEMENT_PREFERENCE))),
        f("max_replicas_per_node", Int),
    ],
);

pub static PLACEMENT_PREFERENCE: Table = table("placement preference", &[f("spread", Str)]);

pub static BLKIO_CONFIG: Table = closed(
    "service.blkio_config",
    &[
        f("device_read_bps", BLKIO_LIMITS),
        f("device_read_iops", BLKIO_LIMITS),
        f("device_write_bps", BLKIO_LIMITS),
        f("device_write_iops", BLKIO_LIMITS),
        f("weight", Int),
        f("weight_device", List(&Table(&BLKIO_WEIGHT))),
    ],
);

pub static BLKIO_LIMIT: Table = closed("blkio limit", &[f("path", Str), f("rate", ByteSize)]);
pub static BLKIO_WEIGHT: Table = closed("blkio weight", &[f("path", Str), f("weight", Int)]);

/// The long form of a service's `secrets` and `configs` items.
pub static FILE_REF: Table = table(
    "service secret or config",
    &[
        f("source", Str),
        f("target", Str),
        f("uid", Str),
        f("gid", Str),
        f("mode", Number),
    ],
);

pub static CREDENTIAL_SPEC: Table = table(
    "service.credential_spec",
    &[f("config", Str), f("file", Str), f("registry", Str)],
);

pub static DEPENDENCY: Table = table(
    "service.depends_on",
    &[
        f("restart", Bool),
        f("required", Bool),
        f(
            "condition",
            Enum(&[
                "service_started",
                "service_healthy",
                "service_completed_successfully",
            ]),
        )
        .required(),
    ],
);

pub static DEVICE: Table = table(
    "service.devices",
    &[
        f("source", Str).required(),
        f("target", Str),
        f("permissions", Str),
    ],
);

pub static ENV_FILE: Table = closed(
    "service.env_file",
    &[
        f("path", Str).required(),
        f("format", Str),
        f("required", Bool),
    ],
);

pub static EXTENDS: Table = closed(
    "service.extends",
    &[f("service", Str).required(), f("file", Str)],
);

pub static PROVIDER: Table = table(
    "service.provider",
    &[
        f("type", Str).required(),
        f(
            "options",
            Map(&OneOf(&[
                Str,
                Number,
                Bool,
                List(&OneOf(&[Str, Number, Bool])),
            ])),
        ),
    ],
);

pub static HEALTHCHECK: Table = table(
    "service.healthcheck",
    &[
        f("disable", Bool),
        f("interval", Duration),
        f("retries", Number),
        f("test", STRING_OR_LIST).merge_as(Merge::Replace),
        f("timeout", Duration),
        f("start_period", Duration),
        f("start_interval", Duration),
    ],
);

pub static LOGGING: Table = table(
    "service.logging",
    &[
        f("driver", Str),
        f("options", Map(&OneOf(&[Str, Number, Null]))),
    ],
);

pub static SERVICE_MODEL: Table = table(
    "service.models",
    &[f("endpoint_var", Str), f("model_var", Str)],
);

pub static SERVICE_NETWORK: Table = table(
    "service.networks",
    &[
        f("aliases", LIST_OF_STRINGS),
        f("interface_name", Str),
        f("ipv4_address", Str),
        f("ipv6_address", Str),
        f("link_local_ips", LIST_OF_STRINGS),
        f("mac_address", Str),
        f("driver_opts", DRIVER_OPTS),
        f("priority", Number),
        f("gw_priority", Number),
    ],
);

pub static PORT: Table = table(
    "service.ports",
    &[
        f("name", Str),
        f("mode", Str),
        f("host_ip", Str),
        f("target", Int),
        f("published", OneOf(&[Str, Int])),
        f("protocol", Str),
        f("app_protocol", Str),
    ],
);

pub static ULIMIT: Table = table(
    "service.ulimits",
    &[f("hard", Int).required(), f("soft", Int).required()],
);

pub static SERVICE_VOLUME: Table = table(
    "service.volumes",
    &[
        f(
            "type",
            Enum(&["bind", "volume", "tmpfs", "cluster", "npipe", "image"]),
        )
        .required(),
        f("source", Str),
        f("target", Str),
        f("read_only", Bool),
        f("consistency", Str),
        f("bind", Table(&VOLUME_BIND)),
        f("volume", Table(&VOLUME_VOLUME)),
        f("tmpfs", Table(&VOLUME_TMPFS)),
        f("image", Table(&VOLUME_IMAGE)),
    ],
);

pub static VOLUME_BIND: Table = table(
    "service.volumes.bind",
    &[
        f("propagation", Str),
        f("create_host_path", Bool),
        f(
            "recursive",
            Enum(&["enabled", "disabled", "writable", "readonly"]),
        ),
        f("selinux", Enum(&["z", "Z"])),
    ],
);

pub static VOLUME_VOLUME: Table = table(
    "service.volumes.volume",
    &[f("labels", ListOrMap), f("nocopy", Bool), f("subpath", Str)],
);

pub static VOLUME_TMPFS: Table = table(
    "service.volumes.tmpfs",
    &[f("size", OneOf(&[Int, Str])), f("mode", Number)],
);

pub static VOLUME_IMAGE: Table = table("service.volumes.image", &[f("subpath", Str)]);

pub static MODEL: Table = table(
    "model",
    &[
        f("name", Str),
        f("model", Str).required(),
        f("context_size", Int),
        f("runtime_flags", LIST_OF_STRINGS),
    ],
);

pub static NETWORK: Table = table(
    "network",
    &[
        f("name", Str),
        f("driver", Str),
        f("driver_opts", DRIVER_OPTS),
        f("ipam", Table(&IPAM)),
        f("external", EXTERNAL),
        f("internal", Bool),
        f("enable_ipv4", Bool),
        f("enable_ipv6", Bool),
        f("attachable", Bool),
        f("labels", ListOrMap),
    ],
);

pub static IPAM: Table = table(
    "network.ipam",
    &[
        f("driver", Str),
        f("config", List(&Table(&IPAM_CONFIG))),
        f("options", Map(&Str)),
    ],
);

pub static IPAM_CONFIG: Table = table(
    "network.ipam.config",
    &[
        f("subnet", Str),
        f("ip_range", Str),
        f("gateway", Str),
        f("aux_addresses", Map(&Str)),
    ],
);

pub static VOLUME: Table = table(
    "volume",
    &[
        f("name", Str),
        f("driver", Str),
        f("driver_opts", DRIVER_OPTS),
        f("external", EXTERNAL),
        f("labels", ListOrMap),
    ],
);

pub static SECRET: Table = table(
    "secret",
    &[
        f("name", Str),
        f("environment", Str),
        f("file", Str),
        f("external", EXTERNAL_OPEN),
        f("labels", ListOrMap),
        f("driver", Str),
        f("driver_opts", DRIVER_OPTS),
        f("template_driver", Str),
    ],
);

pub static CONFIG: Table = table(
    "config",
    &[
        f("name", Str),
        f("content", Str),
        f("environment", Str),
        f("file", Str),
        f("external", EXTERNAL_OPEN),
        f("labels", ListOrMap),
        f("template_driver", Str),
    ],
);

/// `external: {name: ...}` of networks and volumes.
pub static EXTERNAL_NAME: Table = table(
    "external",
    &[f("name", Str).deprecated(EXTERNAL_NAME_DEPRECATED)],
);

/// `external: {name: ...}` of secrets and configs, where the schema allows any other key.
pub static EXTERNAL_NAME_OPEN: Table = open(
    "external",
    &[f("name", Str).deprecated(EXTERNAL_NAME_DEPRECATED)],
);

#[cfg(test)]
mod tests {
    use super::*;

    fn field(table: &Table, key: &str) -> &'static Field {
        table
            .field(key)
            .unwrap_or_else(|| panic!("no {key} in {}", table.name))
    }

    #[test]
    fn merge_behaviour_follows_the_spec() {
        assert_eq!(field(&SERVICE, "image").merge(), Merge::Replace);
        assert_eq!(field(&SERVICE, "command").merge(), Merge::Replace);
        assert_eq!(field(&SERVICE, "cap_add").merge(), Merge::Append);
        assert_eq!(field(&SERVICE, "environment").merge(), Merge::Deep);
        assert_eq!(field(&SERVICE, "build").merge(), Merge::Deep);
        assert_eq!(
            field(&SERVICE, "volumes").merge(),
            Merge::Unique(&["target"])
        );
        assert_eq!(field(&HEALTHCHECK, "test").merge(), Merge::Replace);
    }

    #[test]
    fn deprecations_and_required_keys() {
        assert!(field(&TOP_LEVEL, "version").deprecated.is_some());
        assert!(field(&SERVICE, "links").deprecated.is_some());
        assert!(field(&EXTERNAL_NAME, "name").deprecated.is_some());
        assert!(field(&SERVICE, "image").deprecated.is_none());
        assert!(field(&DEPENDENCY, "condition").required);
        assert!(!field(&DEPENDENCY, "restart").required);
    }

    #[test]
    fn every_table_is_reachable_and_keys_are_unique() {
        fn walk(ty: &Type, seen: &mut Vec<&'static str>) {
            match ty {
                Type::List(t) | Type::Map(t) => walk(t, seen),
                Type::OneOf(alts) => alts.iter().for_each(|t| walk(t, seen)),
                Type::Table(t) => {
                    let mut names: Vec<&str> = t.fields.iter().map(|f| f.name).collect();
                    names.sort_unstable();
                    let n = names.len();
                    names.dedup();
                    assert_eq!(n, names.len(), "duplicate key in {}", t.name);
                    if !seen.contains(&t.name) {
                        seen.push(t.name);
                        t.fields.iter().for_each(|f| walk(&f.ty, seen));
                    }
                }
                _ => {}
            }
        }
        let mut seen = Vec::new();
        walk(&Type::Table(&TOP_LEVEL), &mut seen);
        for name in [
            "service",
            "service.build",
            "service.deploy.resources.limits",
            "network.ipam.config",
        ] {
            assert!(seen.contains(&name), "{name}");
        }
        assert!(seen.len() > 45, "{}", seen.len());
    }
}
