use crate::compose::ComposeFile;
use crate::compose::refs::{ServiceKey, Target};
use crate::declare_rule;
use crate::rule::{Category, Check, Context};
use std::collections::HashSet;

declare_rule! {
    /// ## What it does
    /// Reports a name that refers to nothing: a named volume, network, secret, config or
    /// model a service uses but no top-level section defines, and a service named by
    /// `depends_on`, `links`, `extends`, `network_mode: service:x`, `ipc`/`pid: service:x` or
    /// `volumes_from` that does not exist. The finding points at the name, with the closest
    /// defined name as a suggestion.
    ///
    /// An `include` of the file itself is reported too. Every document of the file and every
    /// profile count. The `default` network always
    /// exists. A name that holds a variable is not judged, nor an `extends` from another
    /// file. An `extends` without `file` must name a service of the same file, as compose
    /// looks for it there only, even when the file is read with others.
    ///
    /// Names defined in the files compose may read together with this one count: the base
    /// file of an override file (`compose.override.yaml` over `compose.yaml`), its override
    /// files, the files it `include`s, the files its services `extends` from, and the other
    /// compose files of its directory that are linted with it, which are often layers given
    /// with `-f` (`compose.yaml` with `compose.tests.yaml`). When wharf lints a
    /// file with `include`, or an override file (`*.override.yml`), without those files, it
    /// does not judge it.
    ///
    /// ## Why is this bad?
    /// `docker compose` refuses the whole project ("refers to undefined volume", "depends on
    /// undefined service"), usually because of a typo or a definition removed in one place
    /// and not the other.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     depends_on: [databse]
    ///     volumes:
    ///       - static:/usr/share/nginx/html
    ///   database:
    ///     image: postgres:16
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     depends_on: [database]
    ///     volumes:
    ///       - static:/usr/share/nginx/html
    ///   database:
    ///     image: postgres:16
    /// volumes:
    ///   static:
    /// ```
    pub static RULE = Rule {
        code: "DC010",
        name: "undefined-reference",
        category: Category::Correctness,
        summary: "a reference to a volume, network, secret, config or service that is not defined",
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let file = ctx.file;
    let includes = file.include();
    let own = crate::project::normalize(&ctx.source.path);
    let dir = own.parent().unwrap_or(std::path::Path::new("")).to_path_buf();
    for path in &includes {
        let Some(p) = path.resolved() else { continue };
        if crate::project::normalize(&dir.join(p.as_ref())) == own {
            ctx.report(path.span, "the file includes itself")
                .help("remove the entry: an included file cannot include the file back");
        }
    }
    let layered = !includes.is_empty() || crate::compose::project::is_override(&ctx.source.path);
    if layered && ctx.layers.is_empty() {
        return;
    }
    // Names defined in this file or in any file compose reads with it.
    let files: Vec<&ComposeFile> = std::iter::once(file).chain(ctx.layers.iter().copied()).collect();
    let defined = |section: &'static str| -> HashSet<&str> {
        files
            .iter()
            .flat_map(|f| -> Vec<&str> {
                if section == "services" {
                    f.services().map(|s| s.name).collect()
                } else {
                    f.resources(section).map(|r| r.name).collect()
                }
            })
            .collect()
    };
    let sections = ["volumes", "networks", "secrets", "configs", "models", "services"];
    let names: Vec<(&str, HashSet<&str>)> = sections.iter().map(|s| (*s, defined(s))).collect();
    let own_services: HashSet<&str> = file.services().map(|s| s.name).collect();
    for service in file.services() {
        for r in service.references(file) {
            if r.is_interpolated() {
                continue;
            }
            let section = r.target.section();
            let Some((_, known)) = names.iter().find(|(s, _)| *s == section) else {
                continue;
            };
            // `extends` without `file` names a service of this file only, even in a layer.
            let known = if r.target == Target::Service(ServiceKey::Extends) {
                &own_services
            } else {
                known
            };
            let name = r.name.value;
            if known.contains(name) || (r.target == Target::Network && name == "default") {
                continue;
            }
            let noun = r.target.noun();
            let in_other_file = r.target == Target::Service(ServiceKey::Extends)
                && names
                    .iter()
                    .any(|(s, n)| *s == "services" && n.contains(name));
            let help = match crate::registry::closest(name, known.iter().copied()) {
                _ if in_other_file => format!(
                    "`{name}` is defined in another compose file: name it with `extends.file`"
                ),
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("define `{name}` under the top-level `{section}`"),
            };
            ctx.report(r.name.span, format!("undefined {noun} `{name}`"))
                .help(help);
        }
    }
}
