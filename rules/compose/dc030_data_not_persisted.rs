use crate::compose::{ComposeFile, VolumeKind};
use crate::declare_rule;
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a database service (judged by its image: `postgres`, `mysql`, `mariadb`,
    /// `mongo`, SQL Server, Cassandra, CouchDB, Neo4j, ClickHouse, InfluxDB; the table is in
    /// `src/knowledge/images.rs`) whose data directory (`/var/lib/postgresql/data`,
    /// `/var/lib/mysql`, `/data/db`, ...) is on no named volume or bind mount. A mount on the
    /// directory, on a parent of it or inside it counts, and so does the directory that
    /// `PGDATA` names; a `tmpfs` there says the data is meant to be thrown away. Caches and
    /// brokers are left out: losing their state on recreation is often what is wanted.
    ///
    /// The service is read as compose merges it: keys given by an override file, another
    /// compose file of the same directory, an included file or a service it `extends` count.
    /// It is judged once, in the file of its first definition (the base file); a service that
    /// extends a service wharf cannot see (a file outside the run) is not judged.
    ///
    /// ## Why is this bad?
    /// The data then lives in the container's anonymous volume: `docker compose down`
    /// followed by `up`, or a recreation after the anonymous volume was pruned, starts with
    /// an empty database, and nothing in the file says where the data was.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     volumes:
    ///       - db-data:/var/lib/postgresql/data
    /// volumes:
    ///   db-data:
    /// ```
    pub static RULE = Rule {
        code: "DC030",
        name: "data-not-persisted",
        category: Category::Reliability,
        summary: "a database's data directory is on no named volume or bind mount",
        check: Check::Compose(check),
    };
}

/// Whether `a` is `b` or one of its parents or children, as paths.
fn overlaps(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim_end_matches('/'), b.trim_end_matches('/'));
    let under = |x: &str, y: &str| x == y || (x.starts_with(y) && x[y.len()..].starts_with('/'));
    under(a, b) || under(b, a)
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    for service in ctx.file.services() {
        // The service as compose merges it, judged once, in the file of its first definition;
        // not judged when it extends a service wharf cannot see.
        let Some(merged) = ctx.effective_service(service.name) else {
            continue;
        };
        if !merged.is_home(ctx.file_id) || merged.incomplete {
            continue;
        }
        let Some(data) = merged.data_service() else {
            continue;
        };
        if data.kind != "database" || data.data_dirs.is_empty() {
            continue;
        }
        let mut dirs: Vec<String> = data.data_dirs.iter().map(|d| d.to_string()).collect();
        if let Some(pgdata) = merged
            .environment()
            .iter()
            .find(|v| v.value.key == "PGDATA")
            .and_then(|v| v.value.value)
            .and_then(|v| v.resolved())
        {
            dirs.push(pgdata.into_owned());
        }
        let tmpfs = merged.list("tmpfs");
        let covered = merged.volumes().iter().map(|v| &v.value).any(|v| {
            let kept = match v.kind {
                VolumeKind::Bind => true,
                VolumeKind::Volume => v.source.is_some(),
                VolumeKind::Tmpfs => true,
                _ => false,
            };
            kept && v
                .target
                .is_some_and(|t| dirs.iter().any(|d| overlaps(t.value, d)))
        }) || tmpfs.iter().any(|t| {
            let path = t.value.value.split(':').next().unwrap_or_default();
            dirs.iter().any(|d| overlaps(path, d))
        });
        if covered || merged.has("volumes_from") {
            continue;
        }
        let dir = data.data_dirs.first().copied().unwrap_or_default();
        ctx.report(
            service.name_span(),
            format!(
                "the data of `{}` in `{dir}` is on no named volume or bind mount",
                service.name
            ),
        )
        .help(format!(
            "mount a named volume there (`- {}-data:{dir}`) so it outlives the container",
            service.name
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::overlaps;

    #[test]
    fn paths_overlap() {
        assert!(overlaps("/var/lib/postgresql", "/var/lib/postgresql/data"));
        assert!(overlaps("/var/lib/mysql/", "/var/lib/mysql"));
        assert!(overlaps("/data/db/x", "/data/db"));
        assert!(!overlaps("/data/dbx", "/data/db"));
        assert!(!overlaps("/docker-entrypoint-initdb.d", "/var/lib/postgresql/data"));
    }
}
