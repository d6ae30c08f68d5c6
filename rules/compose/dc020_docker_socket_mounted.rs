use crate::compose::ComposeFile;
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a volume that mounts the Docker daemon's socket into a container:
    /// `/var/run/docker.sock` or `/run/docker.sock` (also rootless sockets under
    /// `/run/user/<uid>/`, and `docker_engine` named pipes on Windows), short or long form,
    /// interpolated sources read by their default. A read-only mount is reported too: `:ro`
    /// stops writes to the socket file, not requests to the API.
    ///
    /// ## Why is this bad?
    /// Whoever talks to the socket controls the daemon: they can start a privileged container
    /// that mounts the host's root file system. A compromise of the container (a reverse
    /// proxy, a dashboard, a CI runner) is a compromise of the host. Where a tool needs the
    /// API, put a socket proxy that allows only the calls it makes in front of it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   proxy:
    ///     image: traefik:v3.1
    ///     volumes:
    ///       - /var/run/docker.sock:/var/run/docker.sock:ro
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   proxy:
    ///     image: traefik:v3.1
    ///     environment:
    ///       DOCKER_HOST: tcp://socket-proxy:2375
    ///   socket-proxy:
    ///     image: tecnativa/docker-socket-proxy:0.2
    ///     environment:
    ///       CONTAINERS: 1
    /// ```
    pub static RULE = Rule {
        code: "DC020",
        name: "docker-socket-mounted",
        category: Category::Security,
        summary: "the Docker socket is mounted into a container",
        check: Check::Compose(check),
    };
}

/// Whether a mount source is the Docker daemon's socket or named pipe.
fn is_docker_socket(source: &str) -> bool {
    let s = source.trim().trim_start_matches('/');
    let s = s.replace('\\', "/").to_ascii_lowercase();
    s == "var/run/docker.sock"
        || s == "run/docker.sock"
        || (s.starts_with("run/user/") && s.ends_with("/docker.sock"))
        || s.ends_with("pipe/docker_engine")
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        for volume in service.volumes() {
            let Some(source) = volume.source else { continue };
            let Some(path) = source.resolved() else { continue };
            if !is_docker_socket(&path) || seen.contains(&source.span) {
                continue;
            }
            seen.push(source.span);
            ctx.report(
                source.span,
                format!("service `{}` mounts the Docker socket", service.name),
            )
            .help("the socket gives control of the host; use a socket proxy that allows only what is needed");
        }
    }
}
