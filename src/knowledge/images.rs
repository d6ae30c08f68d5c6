//! Facts about container images: registries, aliases, non-root and Windows images, slim
//! variants, and the data services (databases, caches, brokers) with their data directories and
//! ports.
//!
//! Every table matches an [`ImageRef`] by its *familiar name* (`nginx`, `grafana/grafana`,
//! `gcr.io/distroless/static`: Docker Hub's `docker.io/library/` dropped) and, where it matters,
//! by its tag. Names may end in `*` to cover a family (`cgr.dev/chainguard/*`).
//!
//! The non-root table can be extended from `wharf.toml`
//! (`[rules.DF001] non-root-images = ["myorg/base*"]`).

use crate::dockerfile::ImageRef;

/// Registry names that are Docker Hub.
pub const DOCKER_HUB_ALIASES: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "registry.hub.docker.com",
    "hub.docker.com",
];

/// True when a registry name is one of Docker Hub's names (in any case).
pub fn is_docker_hub_alias(registry: &str) -> bool {
    DOCKER_HUB_ALIASES
        .iter()
        .any(|a| a.eq_ignore_ascii_case(registry))
}

/// Which tags of an image family a table entry covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tags {
    /// Every tag (and no tag).
    Any,
    /// Tags that equal one of these, or start with one of them followed by `-`
    /// (`nonroot` covers `nonroot`, `nonroot-amd64`).
    Named(&'static [&'static str]),
    /// Tags that hold one of these words between `-` separators (`chiseled` covers
    /// `8.0-jammy-chiseled-extra`).
    Containing(&'static [&'static str]),
}

impl Tags {
    fn matches(self, tag: Option<&str>) -> bool {
        match self {
            Tags::Any => true,
            Tags::Named(names) => tag.is_some_and(|t| {
                names
                    .iter()
                    .any(|n| t == *n || (t.starts_with(n) && t[n.len()..].starts_with('-')))
            }),
            Tags::Containing(words) => {
                tag.is_some_and(|t| t.split('-').any(|part| words.contains(&part)))
            }
        }
    }
}

/// An image family that runs as a non-root user unless a Dockerfile says otherwise.
#[derive(Debug, Clone, Copy)]
pub struct NonRootImage {
    /// The familiar name; a trailing `*` matches any continuation.
    pub name: &'static str,
    pub tags: Tags,
    /// The user it runs as, for the docs.
    pub user: &'static str,
}

/// Images whose configuration sets a non-root `User`. Checked against the images' published
/// configuration and documentation.
pub const NON_ROOT_IMAGES: &[NonRootImage] = &[
    // Google's distroless: only the `nonroot` variants (uid 65532).
    NonRootImage {
        name: "gcr.io/distroless/*",
        tags: Tags::Named(&["nonroot", "debug-nonroot", "latest-nonroot"]),
        user: "nonroot (65532)",
    },
    // .NET's Ubuntu chiseled and Azure Linux distroless images (uid 1654, `app`).
    NonRootImage {
        name: "mcr.microsoft.com/dotnet/*",
        tags: Tags::Containing(&["chiseled", "distroless"]),
        user: "app (1654)",
    },
    // Chainguard's images run as `nonroot` (65532).
    NonRootImage {
        name: "cgr.dev/chainguard/*",
        tags: Tags::Any,
        user: "nonroot (65532)",
    },
    NonRootImage {
        name: "nginxinc/nginx-unprivileged",
        tags: Tags::Any,
        user: "nginx (101)",
    },
    NonRootImage {
        name: "grafana/grafana*",
        tags: Tags::Any,
        user: "grafana (472)",
    },
    // Bitnami's application images run as 1001; `minideb` is a plain base image (root).
    NonRootImage {
        name: "bitnami/*",
        tags: Tags::Any,
        user: "1001",
    },
    // Windows Nano Server runs as ContainerUser, which is not an administrator.
    NonRootImage {
        name: "mcr.microsoft.com/windows/nanoserver*",
        tags: Tags::Any,
        user: "ContainerUser",
    },
    NonRootImage {
        name: "mcr.microsoft.com/nanoserver*",
        tags: Tags::Any,
        user: "ContainerUser",
    },
    // Red Hat's OpenJDK runtime and builder images (uid 185).
    NonRootImage {
        name: "registry.access.redhat.com/ubi*/openjdk-*",
        tags: Tags::Any,
        user: "jboss (185)",
    },
    NonRootImage {
        name: "mcr.microsoft.com/mssql/server",
        tags: Tags::Any,
        user: "mssql (10001)",
    },
    NonRootImage {
        name: "docker.elastic.co/elasticsearch/elasticsearch",
        tags: Tags::Any,
        user: "elasticsearch (1000)",
    },
    NonRootImage {
        name: "jenkins/jenkins",
        tags: Tags::Any,
        user: "jenkins (1000)",
    },
];

/// Families listed under [`NON_ROOT_IMAGES`] that hold images which do run as root.
const ROOT_EXCEPTIONS: &[&str] = &["bitnami/minideb"];

/// True when a familiar name matches a pattern (`*` matches any run of characters).
pub fn name_matches(pattern: &str, name: &str) -> bool {
    // Called for every table entry and image: no allocation.
    // Patterns are short: a plain byte scan is cheaper than a string search set up per call.
    let star = |b: &u8| *b == b'*';
    let bytes = pattern.as_bytes();
    let (Some(first_star), Some(last_star)) =
        (bytes.iter().position(star), bytes.iter().rposition(star))
    else {
        return pattern == name;
    };
    let (first, last) = (&pattern[..first_star], &pattern[last_star + 1..]);
    if !name.starts_with(first) || name.len() < first.len() + last.len() || !name.ends_with(last) {
        return false;
    }
    if first_star == last_star {
        return true;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for mid in pattern[first_star + 1..last_star].split('*') {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// True when an image runs as a non-root user by default: it is in [`NON_ROOT_IMAGES`], its
/// familiar name (or `name:tag`) matches one of the user's `extra` patterns, or its name or
/// tag says so ([`says_non_root`]).
pub fn runs_as_non_root(image: &ImageRef, extra: &[String]) -> bool {
    let name = image.familiar_name();
    let tag = image.tag_lower();
    if ROOT_EXCEPTIONS.iter().any(|p| name_matches(p, &name)) {
        return false;
    }
    if NON_ROOT_IMAGES
        .iter()
        .any(|e| name_matches(e.name, &name) && e.tags.matches(tag.as_deref()))
    {
        return true;
    }
    let with_tag = match &tag {
        Some(t) => format!("{name}:{t}"),
        None => name.clone(),
    };
    if extra.iter().any(|p| {
        let p = p.to_ascii_lowercase();
        name_matches(&p, &name) || name_matches(&p, &with_tag)
    }) {
        return true;
    }
    says_non_root(&image.text)
}

/// True when an image name or tag says it runs without root (`nonroot`, `non-root`,
/// `rootless`, `unprivileged` anywhere in it), whatever its registry.
pub fn says_non_root(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    ["nonroot", "non-root", "rootless", "unprivileged"]
        .iter()
        .any(|w| t.contains(w))
}

/// Windows base image families (their default shell is cmd, not sh).
pub const WINDOWS_IMAGES: &[&str] = &[
    "mcr.microsoft.com/windows*",
    "mcr.microsoft.com/nanoserver*",
    "mcr.microsoft.com/windowsservercore*",
    "microsoft/windowsservercore*",
    "microsoft/nanoserver*",
    "mcr.microsoft.com/dotnet/framework/*",
    "microsoft/dotnet-framework*",
    "microsoft/aspnet*",
    "microsoft/iis*",
    "mcr.microsoft.com/powershell:*nanoserver*",
];

/// Words that mark a Windows image anywhere in its name or tag (`stefanscherer/node-windows`,
/// `dotnet/sdk:8.0-nanoserver-1809`, `servercore:ltsc2022`).
pub const WINDOWS_WORDS: &[&str] = &["windows", "nanoserver", "servercore"];

/// True when an image is a Windows image: a known Windows family, or a name or tag holding
/// one of [`WINDOWS_WORDS`].
pub fn is_windows(image: &ImageRef) -> bool {
    let name = image.familiar_name();
    let tag = image.tag_lower().unwrap_or_default();
    let with_tag = format!("{name}:{tag}");
    WINDOWS_IMAGES
        .iter()
        .any(|p| name_matches(p, &name) || name_matches(p, &with_tag))
        || WINDOWS_WORDS.iter().any(|w| with_tag.contains(w))
}

/// Official images that publish smaller variants, and the tag word that names them.
pub const SLIM_VARIANTS: &[(&str, &str)] = &[
    ("debian", "slim"),
    ("python", "slim"),
    ("node", "slim"),
    ("ruby", "slim"),
    ("perl", "slim"),
    ("php", "alpine"),
    ("golang", "alpine"),
    ("rust", "slim"),
    ("openjdk", "slim"),
    ("eclipse-temurin", "jre"),
    ("mcr.microsoft.com/dotnet/sdk", "alpine"),
    ("mcr.microsoft.com/dotnet/aspnet", "alpine"),
    ("mcr.microsoft.com/dotnet/runtime", "alpine"),
];

/// The smaller variant an image has, when it is not already using one (the tag holds no
/// `slim`, `alpine`, `jre`, `chiseled`, `distroless` or `minimal` word).
pub fn slim_variant(image: &ImageRef) -> Option<&'static str> {
    let name = image.familiar_name();
    let tag = image.tag_lower().unwrap_or_default();
    let already = tag.split(['-', '.']).any(|w| {
        matches!(
            w,
            "slim" | "alpine" | "jre" | "chiseled" | "distroless" | "minimal" | "bookworm-slim"
        ) || w.starts_with("alpine")
            || w.starts_with("slim")
    });
    if already {
        return None;
    }
    SLIM_VARIANTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, variant)| *variant)
}

/// Tags that name a channel rather than a release: the image behind them changes without
/// notice.
pub const FLOATING_TAGS: &[&str] = &[
    "latest", "stable", "edge", "dev", "develop", "devel", "nightly", "main", "master", "canary",
    "rolling", "current", "lts", "next", "unstable", "testing", "beta", "alpha", "snapshot",
    "head", "trunk",
];

/// True when a tag names a channel ([`FLOATING_TAGS`], any case) rather than a release.
pub fn is_floating_tag(tag: &str) -> bool {
    FLOATING_TAGS.iter().any(|t| t.eq_ignore_ascii_case(tag))
}

/// A data service: where an official image keeps its state and which ports it listens on.
#[derive(Debug, Clone, Copy)]
pub struct DataService {
    /// The familiar name.
    pub name: &'static str,
    pub kind: &'static str,
    pub data_dirs: &'static [&'static str],
    pub ports: &'static [u16],
}

/// Databases, caches, brokers and search engines.
pub const DATA_SERVICES: &[DataService] = &[
    DataService {
        name: "postgres",
        kind: "database",
        data_dirs: &["/var/lib/postgresql/data", "/var/lib/postgresql"],
        ports: &[5432],
    },
    DataService {
        name: "mysql",
        kind: "database",
        data_dirs: &["/var/lib/mysql"],
        ports: &[3306, 33060],
    },
    DataService {
        name: "mariadb",
        kind: "database",
        data_dirs: &["/var/lib/mysql"],
        ports: &[3306],
    },
    DataService {
        name: "mongo",
        kind: "database",
        data_dirs: &["/data/db", "/data/configdb"],
        ports: &[27017],
    },
    DataService {
        name: "mcr.microsoft.com/mssql/server",
        kind: "database",
        data_dirs: &["/var/opt/mssql"],
        ports: &[1433],
    },
    DataService {
        name: "cassandra",
        kind: "database",
        data_dirs: &["/var/lib/cassandra"],
        ports: &[9042],
    },
    DataService {
        name: "couchdb",
        kind: "database",
        data_dirs: &["/opt/couchdb/data"],
        ports: &[5984],
    },
    DataService {
        name: "neo4j",
        kind: "database",
        data_dirs: &["/data"],
        ports: &[7474, 7687],
    },
    DataService {
        name: "clickhouse/clickhouse-server",
        kind: "database",
        data_dirs: &["/var/lib/clickhouse"],
        ports: &[8123, 9000],
    },
    DataService {
        name: "influxdb",
        kind: "database",
        data_dirs: &["/var/lib/influxdb2", "/var/lib/influxdb"],
        ports: &[8086],
    },
    DataService {
        name: "redis",
        kind: "cache",
        data_dirs: &["/data"],
        ports: &[6379],
    },
    DataService {
        name: "valkey/valkey",
        kind: "cache",
        data_dirs: &["/data"],
        ports: &[6379],
    },
    DataService {
        name: "memcached",
        kind: "cache",
        data_dirs: &[],
        ports: &[11211],
    },
    DataService {
        name: "rabbitmq",
        kind: "broker",
        data_dirs: &["/var/lib/rabbitmq"],
        ports: &[5672, 15672],
    },
    DataService {
        name: "nats",
        kind: "broker",
        data_dirs: &[],
        ports: &[4222],
    },
    DataService {
        name: "apache/kafka",
        kind: "broker",
        data_dirs: &["/var/lib/kafka/data"],
        ports: &[9092],
    },
    DataService {
        name: "confluentinc/cp-kafka",
        kind: "broker",
        data_dirs: &["/var/lib/kafka/data"],
        ports: &[9092],
    },
    DataService {
        name: "bitnami/kafka",
        kind: "broker",
        data_dirs: &["/bitnami/kafka"],
        ports: &[9092],
    },
    DataService {
        name: "elasticsearch",
        kind: "search engine",
        data_dirs: &["/usr/share/elasticsearch/data"],
        ports: &[9200, 9300],
    },
    DataService {
        name: "docker.elastic.co/elasticsearch/elasticsearch",
        kind: "search engine",
        data_dirs: &["/usr/share/elasticsearch/data"],
        ports: &[9200, 9300],
    },
    DataService {
        name: "opensearchproject/opensearch",
        kind: "search engine",
        data_dirs: &["/usr/share/opensearch/data"],
        ports: &[9200, 9600],
    },
    DataService {
        name: "minio/minio",
        kind: "object store",
        data_dirs: &["/data"],
        ports: &[9000, 9001],
    },
];

/// The data service an image is, if any.
pub fn data_service(image: &ImageRef) -> Option<&'static DataService> {
    let name = image.familiar_name();
    DATA_SERVICES.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn img(s: &str) -> ImageRef {
        ImageRef::parse(s, Span::default())
    }

    #[test]
    fn non_root_images() {
        let yes = [
            "gcr.io/distroless/static:nonroot",
            "gcr.io/distroless/static-debian12:nonroot@sha256:1b7b9f0f0e0a1d2155f531db587cc48e",
            "gcr.io/distroless/base:debug-nonroot",
            "gcr.io/distroless/cc:nonroot-amd64",
            "mcr.microsoft.com/dotnet/runtime-deps:8.0.30-jammy-chiseled-amd64",
            "mcr.microsoft.com/dotnet/aspnet:8.0-azurelinux3.0-distroless",
            "cgr.dev/chainguard/static:latest",
            "nginxinc/nginx-unprivileged:1.31.1-alpine",
            "docker.io/nginxinc/nginx-unprivileged",
            "grafana/grafana:11.0.0",
            "bitnami/postgresql:16",
            "mcr.microsoft.com/windows/nanoserver:ltsc2022",
            "registry.access.redhat.com/ubi9/openjdk-21-runtime:1.24",
            "example.com/tools:1-rootless",
        ];
        for y in yes {
            assert!(runs_as_non_root(&img(y), &[]), "{y}");
        }
        let no = [
            "gcr.io/distroless/static",
            "gcr.io/distroless/static:latest",
            "mcr.microsoft.com/dotnet/runtime-deps:8.0-jammy",
            "nginx:1.27",
            "bitnami/minideb:bookworm",
            "mcr.microsoft.com/windows/servercore:ltsc2022",
            "ubuntu",
        ];
        for n in no {
            assert!(!runs_as_non_root(&img(n), &[]), "{n}");
        }
        let extra = vec![
            "myorg/base*".to_string(),
            "ghcr.io/acme/app:*-safe".to_string(),
        ];
        assert!(runs_as_non_root(&img("myorg/base-python:3"), &extra));
        assert!(runs_as_non_root(&img("ghcr.io/acme/app:2-safe"), &extra));
        assert!(!runs_as_non_root(&img("ghcr.io/acme/app:2"), &extra));
    }

    #[test]
    fn windows_images() {
        for y in [
            "mcr.microsoft.com/windows/servercore:ltsc2022",
            "mcr.microsoft.com/windows/nanoserver:1809",
            "microsoft/windowsservercore",
            "mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-1809",
            "mcr.microsoft.com/dotnet/framework/sdk:4.8",
        ] {
            assert!(is_windows(&img(y)), "{y}");
        }
        for n in [
            "alpine",
            "mcr.microsoft.com/dotnet/sdk:8.0",
            "ubuntu:servers",
        ] {
            assert!(!is_windows(&img(n)), "{n}");
        }
    }

    #[test]
    fn slim_and_data() {
        assert_eq!(slim_variant(&img("python:3.12")), Some("slim"));
        assert_eq!(slim_variant(&img("python:3.12-slim")), None);
        assert_eq!(
            slim_variant(&img("docker.io/library/node:22")),
            Some("slim")
        );
        assert_eq!(slim_variant(&img("myorg/python:3")), None);
        assert_eq!(
            data_service(&img("postgres:16")).map(|s| s.ports),
            Some(&[5432][..])
        );
        assert!(data_service(&img("nginx")).is_none());
        assert!(is_floating_tag("latest") && is_floating_tag("Nightly"));
        assert!(!is_floating_tag("1.27") && !is_floating_tag("lts-alpine"));
    }
}
