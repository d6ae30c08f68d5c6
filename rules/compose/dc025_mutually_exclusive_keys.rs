use crate::compose::{ComposeFile, EntryRef, NodeRef, Str};
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports keys that compose refuses to see together:
    /// - a service with both `network_mode` and a non-empty `networks`;
    /// - `build.dockerfile` together with `build.dockerfile_inline`;
    /// - a service-level limit that disagrees with its `deploy` twin: `mem_limit` and
    ///   `deploy.resources.limits.memory`, `mem_reservation` and
    ///   `deploy.resources.reservations.memory`, `cpus` and `deploy.resources.limits.cpus`,
    ///   `pids_limit` and `deploy.resources.limits.pids`, `scale` and `deploy.replicas`
    ///   (equal values, such as `1g` and `1024m`, are fine);
    /// - an `external` volume that also sets `driver`, `driver_opts` or `labels`;
    /// - a secret or config with more than one of `file`, `environment` and `content`;
    /// - a service `platform` that its `build.platforms` does not list.
    ///
    /// The finding is at the second key, with a label at the first one. Values whose
    /// variables have no default are not compared.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses the whole project. For the limits, it would otherwise be
    /// unclear which of the two values the container gets.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     network_mode: host
    ///     networks: [front]
    ///     mem_limit: 1g
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           memory: 2g
    /// networks:
    ///   front:
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     networks: [front]
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           memory: 2g
    /// networks:
    ///   front:
    /// ```
    pub static RULE = Rule {
        code: "DC025",
        name: "mutually-exclusive-keys",
        category: Category::Correctness,
        summary: "keys that compose refuses to see together",
        check: Check::Compose(check),
    };
}

/// How two values of a limit are compared.
#[derive(Clone, Copy)]
enum Unit {
    Bytes,
    Number,
}

/// A service key and the path of its twin under `deploy`.
const TWINS: &[(&str, &[&str], Unit)] = &[
    ("mem_limit", &["resources", "limits", "memory"], Unit::Bytes),
    (
        "mem_reservation",
        &["resources", "reservations", "memory"],
        Unit::Bytes,
    ),
    ("cpus", &["resources", "limits", "cpus"], Unit::Number),
    ("pids_limit", &["resources", "limits", "pids"], Unit::Number),
    ("scale", &["replicas"], Unit::Number),
];

fn check(ctx: &mut Context<'_, ComposeFile>) {
    for service in ctx.file.services() {
        let node = service.node;
        if let (Some(mode), Some(networks)) = (node.entry("network_mode"), node.entry("networks"))
            && !is_empty(networks.value)
        {
            exclusive(ctx, mode, networks);
        }
        if let Some(build) = node.get("build").filter(|b| b.resolve().is_mapping())
            && let (Some(file), Some(inline)) =
                (build.entry("dockerfile"), build.entry("dockerfile_inline"))
            && !is_empty(file.value)
            && !is_empty(inline.value)
        {
            exclusive(ctx, file, inline);
        }
        if let Some(platform) = service.str("platform")
            && let Some(platforms) = node.get("build").and_then(|b| b.get("platforms"))
            && let Some(wanted) = platform.resolved()
        {
            let listed: Vec<String> = platforms
                .items()
                .filter_map(|i| ctx.file.scalar(i))
                .filter_map(|p| p.resolved().map(|v| v.into_owned()))
                .collect();
            let judged = platforms.items().count() == listed.len() && !listed.is_empty();
            if judged && !listed.iter().any(|p| *p == wanted) {
                ctx.report(
                    platform.span,
                    format!("`platform` `{wanted}` is not one of `build.platforms`"),
                )
                .help("add the platform to `build.platforms`, or build for the one you run")
                .related(platforms.span(), "the platforms the image is built for");
            }
        }
        let deploy = node.get("deploy");
        for &(key, path, unit) in TWINS {
            let (Some(own), Some(twin)) = (node.entry(key), deploy.and_then(|d| at(d, path)))
            else {
                continue;
            };
            let (Some(a), Some(b)) = (ctx.file.scalar(own.value), ctx.file.scalar(twin.value)) else {
                continue;
            };
            let read = |s: &Str<'_>| match unit {
                Unit::Bytes => s.as_byte_size(),
                Unit::Number => s.as_f64(),
            };
            let (Some(x), Some(y)) = (read(&a), read(&b)) else {
                continue;
            };
            if (x - y).abs() > f64::EPSILON * x.abs().max(1.0) {
                let twin_name = format!("deploy.{}", path.join("."));
                ctx.report(
                    b.span,
                    format!(
                        "`{twin_name}` is `{}` but `{key}` is `{}`",
                        b.value, a.value
                    ),
                )
                .help(format!("keep one of `{key}` and `{twin_name}`"))
                .related(a.span, format!("`{key}` set here"));
            }
        }
    }
    for volume in ctx.file.resources("volumes") {
        let Some(external) = volume.node.entry("external") else {
            continue;
        };
        if ctx
            .file
            .scalar(external.value)
            .is_none_or(|s| s.as_bool() != Some(true))
        {
            continue;
        }
        for key in ["driver", "driver_opts", "labels"] {
            if let Some(other) = volume.node.entry(key) {
                exclusive(ctx, external, other);
            }
        }
    }
    for section in ["secrets", "configs"] {
        for item in ctx.file.resources(section) {
            let sources: Vec<EntryRef<'_>> = ["file", "environment", "content"]
                .iter()
                .filter_map(|k| item.node.entry(k))
                .collect();
            if let [first, rest @ ..] = sources.as_slice() {
                for other in rest {
                    exclusive(ctx, *first, *other);
                }
            }
        }
    }
}

/// Reports `second` as excluded by `first`.
fn exclusive(ctx: &mut Context<'_, ComposeFile>, first: EntryRef<'_>, second: EntryRef<'_>) {
    let (Some(a), Some(b)) = (first.key_str(), second.key_str()) else {
        return;
    };
    ctx.report(
        second.key.span(),
        format!("`{b}` cannot be used together with `{a}`"),
    )
    .help(format!("keep only one of `{a}` and `{b}`"))
    .related(first.key.span(), format!("`{a}` set here"));
}

/// The entry at a path of keys below `node`.
fn at<'a>(node: NodeRef<'a>, path: &[&str]) -> Option<EntryRef<'a>> {
    let (last, parents) = path.split_last()?;
    let mut n = node;
    for p in parents {
        n = n.get(p)?;
    }
    n.entry(last)
}

/// A null, an empty string or an empty collection.
fn is_empty(node: NodeRef<'_>) -> bool {
    let r = node.resolve();
    r.is_null()
        || r.as_str().is_some_and(str::is_empty)
        || ((r.is_mapping() || r.is_sequence())
            && r.items().next().is_none()
            && r.raw_entries().next().is_none())
}
