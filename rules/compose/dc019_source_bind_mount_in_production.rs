use crate::compose::{ComposeFile, VolumeKind};
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a bind mount of source code in a compose file meant for production: a file
    /// whose name says so (`compose.prod.yaml`, `docker-compose.production.yml`), or a
    /// service with a `prod` or `production` profile. Source code is a relative host path
    /// that is the project itself (`.`, `..`), a code folder (`./src`, `./app`, `./lib`,
    /// `./code`, ...), or any folder mounted onto an application directory (`/app`,
    /// `/usr/src/app`, `/var/www/html`, `/code`, ...). Configuration files, data, logs and
    /// certificate folders are not source code.
    ///
    /// ## Why is this bad?
    /// In production the code should be what the image was built from: a bind mount
    /// replaces it with whatever is checked out on the host, so the running version depends
    /// on the host and not on the image tag, dependencies installed in the image are hidden
    /// under the mount, and a rollback to an earlier image changes nothing.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     profiles: [prod]
    ///     volumes:
    ///       - ./src:/app/src
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: acme/web:1.4
    ///     profiles: [prod]
    ///     volumes:
    ///       - uploads:/app/uploads
    /// volumes:
    ///   uploads:
    /// ```
    pub static RULE = Rule {
        code: "DC019",
        name: "source-bind-mount-in-production",
        category: Category::Reliability,
        summary: "source code is bind-mounted in a production compose file",
        check: Check::Compose(check),
    };
}

/// Folder names that hold source code.
const CODE_DIRS: &[&str] = &[
    "src", "app", "apps", "lib", "code", "source", "sources", "backend", "frontend", "server",
    "client", "web", "api", "www", "packages", "cmd", "pkg", "internal",
];

/// Directories images keep their application in.
const APP_DIRS: &[&str] = &[
    "/app", "/usr/src/app", "/usr/app", "/var/www", "/var/www/html", "/code", "/src",
    "/srv/app", "/opt/app", "/home/node/app", "/workspace", "/application",
];

/// Folder names that hold data or settings, not code, even when mounted on an app dir.
const NOT_CODE_DIRS: &[&str] = &[
    "data", "config", "configs", "conf", "etc", "logs", "log", "certs", "ssl", "tls",
    "secrets", "backups", "backup", "uploads", "media", "storage", "cache", "tmp",
];

/// Whether a relative host path mounted at `target` is source code.
fn is_source_code(source: &str, target: &str) -> bool {
    let s = source.trim_end_matches('/');
    if s.starts_with('/') || s.starts_with('~') || s.starts_with('$') || s.contains(':') {
        return false;
    }
    if matches!(s, "." | ".." | "") {
        return true;
    }
    let base = crate::shell::base_name(s).to_ascii_lowercase();
    if base.contains('.') && base != "." && base != ".." {
        return false; // a file: `./nginx.conf`
    }
    if NOT_CODE_DIRS.contains(&base.as_str()) {
        return false;
    }
    CODE_DIRS.contains(&base.as_str()) || APP_DIRS.contains(&target.trim_end_matches('/'))
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        if !service.is_production(&ctx.source.path) {
            continue;
        }
        for volume in service.volumes() {
            let (Some(source), Some(target)) = (volume.source, volume.target) else {
                continue;
            };
            if volume.kind != VolumeKind::Bind || seen.contains(&source.span) {
                continue;
            }
            let Some(path) = source.resolved() else { continue };
            if !is_source_code(&path, target.value) {
                continue;
            }
            seen.push(source.span);
            ctx.report(
                source.span,
                format!(
                    "service `{}` bind-mounts source code `{}` in production",
                    service.name, source.value
                ),
            )
            .help("ship the code in the image; keep bind mounts for development overrides");
        }
    }
}
