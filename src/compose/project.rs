//! How compose files combine into one project: the default override file beside a base
//! file (`compose.yaml` + `compose.override.yaml`, `docker-compose.yml` +
//! `docker-compose.override.yml`), layers of one directory, `include`, and `extends`.
//!
//! [`Project`] holds the compose files of a run; [`Project::effective`] gives a service as
//! compose merges it ([`Effective`]): every definition of the name in the files read
//! together, each followed by the services it `extends`, highest precedence first. Values
//! are read from the definition that wins, as docker compose merges them (mappings key by
//! key, scalars replaced, `ports`, `volumes` and `depends_on` by their identity,
//! `!reset` and `!override` honoured), and each keeps the file and span of its text.

use super::model::{Command, Dependency, EnvVar, Port, Service, Str, Volume};
use super::yaml::NodeId;
use super::{ComposeFile, NodeRef};
use crate::source::{FileId, Span};
use std::path::{Path, PathBuf};

/// The default file names compose looks for, in its order of preference, each with the
/// override file it reads on top.
pub const DEFAULT_FILES: &[(&str, &str)] = &[
    ("compose.yaml", "compose.override.yaml"),
    ("compose.yml", "compose.override.yml"),
    ("docker-compose.yml", "docker-compose.override.yml"),
    ("docker-compose.yaml", "docker-compose.override.yaml"),
];

/// Whether a compose file is an override file (`compose.override.yaml`,
/// `docker-compose.override.yml`, `app.override.yml`): compose reads it on top of a base
/// file, so on its own it may name things the base defines.
pub fn is_override(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .map(str::to_ascii_lowercase)
        .is_some_and(|n| n.ends_with(".override.yml") || n.ends_with(".override.yaml"))
}

/// The base file a default override file is read on top of, when it exists in the same
/// directory (`compose.override.yaml` -> `compose.yaml`, or `compose.yml`, ...).
pub fn base_of(path: &Path, exists: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let is_default_override = DEFAULT_FILES.iter().any(|(_, o)| *o == name);
    if !is_default_override {
        return None;
    }
    // Compose takes the first default file that exists, then the override of the same
    // family (`compose.*` or `docker-compose.*`).
    let family = name.starts_with("compose.");
    DEFAULT_FILES
        .iter()
        .filter(|(b, _)| b.starts_with("compose.") == family)
        .map(|(b, _)| dir.join(b))
        .find(|p| exists(p))
}

/// One compose file of a project: its identity in the run, its path and its parse.
#[derive(Clone, Copy, Debug)]
pub struct Member<'a> {
    pub id: FileId,
    pub path: &'a Path,
    pub file: &'a ComposeFile,
}

/// The compose files of a run, and how they combine.
#[derive(Debug, Default)]
pub struct Project<'a> {
    members: Vec<Member<'a>>,
    /// Normalized paths of the members, in the same order.
    paths: Vec<PathBuf>,
    /// The sets of members merged by name, each lowest precedence first.
    groups: Vec<Vec<usize>>,
    /// The group of each member.
    group_of: Vec<usize>,
    /// The effective services asked for so far, by file and name ([`Project::effective`]): a
    /// dozen rules ask for the same services, and the files do not change while the project
    /// lives. Kept as node ids, so that the cache holds no borrow of the files.
    effective:
        std::sync::Mutex<hashbrown::HashMap<FileId, hashbrown::HashMap<String, Option<Merged>>>>,
}

/// An effective service as node ids: per definition, the member, the service's key and
/// mapping nodes, and whether it was reached through `extends`.
#[derive(Debug, Clone)]
struct Merged {
    defs: Vec<(usize, NodeId, NodeId, bool)>,
    incomplete: bool,
}

/// A value of the effective service with the file its text is in.
#[derive(Clone, Copy, Debug)]
pub struct Sourced<T> {
    pub value: T,
    pub file: FileId,
}

/// One definition that makes up an effective service.
#[derive(Clone, Copy, Debug)]
pub struct Def<'a> {
    pub service: Service<'a>,
    pub file: FileId,
    pub compose: &'a ComposeFile,
    /// The path of the file.
    pub path: &'a Path,
    /// Reached through `extends` rather than by the service's name.
    pub extended: bool,
}

/// A service as compose merges it from the files read together and the services it extends.
#[derive(Clone, Debug)]
pub struct Effective<'a> {
    pub name: &'a str,
    /// The definitions, highest precedence first: the definition of each file (the override
    /// before the base), each followed by the chain of services it extends.
    pub defs: Vec<Def<'a>>,
    /// An `extends` could not be followed (a file outside the run, a name held in a variable
    /// without default, a cycle): some keys may come from text wharf does not see.
    pub incomplete: bool,
}

/// What the effective service says about its health check.
#[derive(Clone, Debug)]
pub enum Health<'a> {
    /// No `healthcheck:` anywhere: the image's own check (if any) applies.
    Absent,
    /// Turned off (`disable: true` or `test: ["NONE"]`), at this span.
    Off(Sourced<Span>),
    /// Settings (`interval`, ...) without a `test`: the image's check runs with them.
    Settings(Sourced<Span>),
    /// A `test` of its own.
    Test(Sourced<Command<'a>>),
}

impl Health<'_> {
    /// A `healthcheck:` is given and does not turn the check off.
    pub fn is_on(&self) -> bool {
        matches!(self, Health::Settings(_) | Health::Test(_))
    }

    /// A `test` of its own with a command, not turned off.
    pub fn has_test(&self) -> bool {
        matches!(self, Health::Test(t) if !t.value.args.is_empty())
    }
}

/// How a member relates to the others for the order of merging (lowest first).
fn rank(path: &Path, included: bool) -> u8 {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if included {
        0
    } else if DEFAULT_FILES.iter().any(|(b, _)| *b == name) {
        1
    } else if is_override(path) {
        3
    } else {
        2
    }
}

impl<'a> Project<'a> {
    /// A project of these compose files.
    pub fn new(members: Vec<Member<'a>>) -> Project<'a> {
        let paths = members
            .iter()
            .map(|m| crate::project::normalize(m.path))
            .collect();
        let mut project = Project {
            members,
            paths,
            groups: Vec::new(),
            group_of: Vec::new(),
            effective: Default::default(),
        };
        project.group();
        project
    }

    /// Whether member `a` is read on top of member `b` of the same directory: `b` is the base
    /// file of the override file `a` (`compose.override.yaml` over `compose.yaml`,
    /// `x.override.yml` over `x.yml`), or `b` is the default file of the directory and `a` a
    /// layer that cannot stand alone (a service with neither `image`, `build` nor `extends`, or
    /// a `depends_on` service that only `b` defines), as `-f compose.yaml -f a.yaml` reads it.
    /// Other compose files of a directory are separate projects.
    fn layered(&self, a: usize, b: usize) -> bool {
        let (pa, pb) = (&self.paths[a], &self.paths[b]);
        if a == b || pa.parent() != pb.parent() {
            return false;
        }
        let name = |p: &Path| {
            p.file_name()
                .and_then(|n| n.to_str())
                .map(str::to_ascii_lowercase)
                .unwrap_or_default()
        };
        let (na, nb) = (name(pa), name(pb));
        if let Some(cut) = na.find(".override.") {
            let stem = &na[..cut];
            let base_of_default = base_of(pa, |p| p == pb.as_path()).is_some();
            return base_of_default
                || nb.strip_suffix(".yml").or_else(|| nb.strip_suffix(".yaml")) == Some(stem);
        }
        if !DEFAULT_FILES.iter().any(|(d, _)| *d == nb) {
            return false;
        }
        let (fa, fb) = (self.members[a].file, self.members[b].file);
        fa.services().any(|s| {
            let partial = s.get("image").is_none()
                && s.get("build").is_none()
                && s.get("extends").is_none()
                && fb.service(s.name).is_some();
            partial
                || s.depends_on()
                    .iter()
                    .any(|d| fa.service(d.name).is_none() && fb.service(d.name).is_some())
        })
    }

    /// Splits the members into the groups compose merges by name.
    fn group(&mut self) {
        let n = self.members.len();
        let includes: Vec<Vec<usize>> = (0..n).map(|i| self.named_files(i, true)).collect();
        let extends: Vec<Vec<usize>> = (0..n).map(|i| self.named_files(i, false)).collect();
        let included: Vec<bool> = (0..n)
            .map(|j| includes.iter().any(|l| l.contains(&j)))
            .collect();
        // A file named only by `extends` lends services; it is not a layer. A default file or
        // an override file always is one.
        let lender: Vec<bool> = (0..n)
            .map(|j| {
                extends.iter().any(|l| l.contains(&j))
                    && !included[j]
                    && matches!(rank(&self.paths[j], false), 2)
            })
            .collect();
        let mut group_of = vec![usize::MAX; n];
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for start in 0..n {
            if group_of[start] != usize::MAX {
                continue;
            }
            let g = groups.len();
            group_of[start] = g;
            let mut seen = vec![start];
            let mut at = 0;
            while let Some(&i) = seen.get(at) {
                at += 1;
                if lender[i] {
                    continue;
                }
                for j in 0..n {
                    if group_of[j] != usize::MAX || lender[j] {
                        continue;
                    }
                    if self.layered(i, j)
                        || self.layered(j, i)
                        || includes[i].contains(&j)
                        || includes[j].contains(&i)
                    {
                        group_of[j] = g;
                        seen.push(j);
                    }
                }
            }
            seen.sort_by(|&a, &b| {
                (rank(&self.paths[a], included[a]), &self.paths[a])
                    .cmp(&(rank(&self.paths[b], included[b]), &self.paths[b]))
            });
            groups.push(seen);
        }
        self.groups = groups;
        self.group_of = group_of;
    }

    /// A project of one file.
    pub fn single(file: &'a ComposeFile, path: &'a Path, id: FileId) -> Project<'a> {
        Project::new(vec![Member { id, path, file }])
    }

    /// The compose files of the project.
    pub fn members(&self) -> &[Member<'a>] {
        &self.members
    }

    fn index(&self, id: FileId) -> Option<usize> {
        self.members.iter().position(|m| m.id == id)
    }

    fn by_path(&self, path: &Path) -> Option<usize> {
        self.paths.iter().position(|p| p == path)
    }

    /// The member files a member names through `key` (`include` paths or `extends.file`),
    /// resolved against its directory.
    fn named_files(&self, i: usize, include: bool) -> Vec<usize> {
        let Some(m) = self.members.get(i) else {
            return Vec::new();
        };
        let dir = self.paths[i]
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let names: Vec<Str<'_>> = if include {
            m.file.include()
        } else {
            m.file
                .services()
                .filter_map(|s| s.extends()?.file)
                .collect()
        };
        names
            .iter()
            .filter_map(|p| {
                let p = p.resolved()?;
                self.by_path(&crate::project::normalize(&dir.join(p.as_ref())))
            })
            .filter(|&j| j != i)
            .collect()
    }

    /// The compose files merged service by service with file `id`, lowest precedence first,
    /// `id` among them: a base file and its override files, a layer that cannot stand alone
    /// over the default file of its directory (see [`Project::layered`]), the files they
    /// include and the files that include them. A file that is only named by `extends` lends
    /// services and is not merged by name.
    pub fn merged_files(&self, id: FileId) -> Vec<FileId> {
        let Some(i) = self.index(id) else {
            return Vec::new();
        };
        let Some(group) = self.group_of.get(i).and_then(|&g| self.groups.get(g)) else {
            return vec![id];
        };
        group.iter().map(|&j| self.members[j].id).collect()
    }

    /// The service `name` as compose merges it for the file `id`: `None` when none of the
    /// files merged with it defines the name.
    pub fn effective(&self, id: FileId, name: &str) -> Option<Effective<'a>> {
        // A poisoned lock (a rule panicked while holding it) only loses the cache.
        if let Ok(cache) = self.effective.lock()
            && let Some(found) = cache.get(&id).and_then(|c| c.get(name))
        {
            return found.as_ref().and_then(|m| self.rebuild(m));
        }
        let eff = self.merge(id, name);
        // Kept only when every definition is a member (always, as they come from members).
        let merged = match &eff {
            Some(e) => self.ids(e).map(Some),
            None => Some(None),
        };
        if let (Some(merged), Ok(mut cache)) = (merged, self.effective.lock()) {
            cache
                .entry(id)
                .or_default()
                .insert(name.to_string(), merged);
        }
        eff
    }

    /// An effective service as node ids, for the cache.
    fn ids(&self, eff: &Effective<'a>) -> Option<Merged> {
        let defs = eff
            .defs
            .iter()
            .map(|d| {
                let member = self.index(d.file)?;
                Some((member, d.service.key.id(), d.service.node.id(), d.extended))
            })
            .collect::<Option<_>>()?;
        Some(Merged {
            defs,
            incomplete: eff.incomplete,
        })
    }

    /// The effective service the cache holds as ids.
    fn rebuild(&self, merged: &Merged) -> Option<Effective<'a>> {
        let mut defs = Vec::with_capacity(merged.defs.len());
        for &(member, key, node, extended) in &merged.defs {
            let m = *self.members.get(member)?;
            defs.push(Def {
                service: m.file.service_at(key, node)?,
                file: m.id,
                compose: m.file,
                path: m.path,
                extended,
            });
        }
        Some(Effective {
            name: defs.first()?.service.name,
            defs,
            incomplete: merged.incomplete,
        })
    }

    /// [`Project::effective`], merged afresh.
    fn merge(&self, id: FileId, name: &str) -> Option<Effective<'a>> {
        let mut eff = Effective {
            name: "",
            defs: Vec::new(),
            incomplete: false,
        };
        for fid in self.merged_files(id).into_iter().rev() {
            let Some(i) = self.index(fid) else { continue };
            let Some(service) = self.members[i].file.service(name) else {
                continue;
            };
            if eff.defs.is_empty() {
                eff.name = service.name;
            }
            self.push_chain(&mut eff, i, service);
        }
        (!eff.defs.is_empty()).then_some(eff)
    }

    /// Pushes `service` of member `i` and the services it extends, nearest first.
    fn push_chain(&self, eff: &mut Effective<'a>, mut i: usize, mut service: Service<'a>) {
        let mut extended = false;
        let mut chain: Vec<(usize, &str)> = Vec::new();
        loop {
            let m = self.members[i];
            eff.defs.push(Def {
                service,
                file: m.id,
                compose: m.file,
                path: m.path,
                extended,
            });
            chain.push((i, service.name));
            let Some(e) = service.extends() else { return };
            let next = match e.file {
                None => Some(i),
                Some(f) => f.resolved().and_then(|p| {
                    let dir = self.paths[i].parent().unwrap_or(Path::new(""));
                    self.by_path(&crate::project::normalize(&dir.join(p.as_ref())))
                }),
            };
            let parent = next
                .zip(e.service.and_then(|s| s.resolved()))
                .and_then(|(j, s)| {
                    let p = self.members[j].file.service(&s)?;
                    Some((j, p))
                });
            match parent {
                Some((j, p)) if chain.len() < 16 && !chain.contains(&(j, p.name)) => {
                    i = j;
                    service = p;
                    extended = true;
                }
                _ => {
                    eff.incomplete = true;
                    return;
                }
            }
        }
    }

    /// The names of the services of the files merged with `id`, each once, in order of
    /// first definition (lowest precedence file first).
    pub fn service_names(&self, id: FileId) -> Vec<&'a str> {
        let mut out: Vec<&'a str> = Vec::new();
        for fid in self.merged_files(id) {
            let Some(i) = self.index(fid) else { continue };
            for s in self.members[i].file.services() {
                if !out.contains(&s.name) {
                    out.push(s.name);
                }
            }
        }
        out
    }
}

/// Whether a value carries the tag `tag` (`!reset`, `!override`).
fn tagged(node: NodeRef<'_>, tag: &str) -> bool {
    node.tag() == Some(tag) || node.resolve().tag() == Some(tag)
}

impl<'a> Effective<'a> {
    /// The definition whose file carries findings about the service as a whole: the
    /// lowest-precedence definition by name (the base file's, not an extended service).
    pub fn home(&self) -> Option<&Def<'a>> {
        self.defs.iter().rev().find(|d| !d.extended)
    }

    /// Whether file `id` carries the findings about the service as a whole.
    pub fn is_home(&self, id: FileId) -> bool {
        self.home().is_some_and(|d| d.file == id)
    }

    /// The positions in [`Effective::defs`] of the definitions that give `key`, with its
    /// value, highest precedence first; cut after a value tagged `!override` and before one
    /// tagged `!reset`.
    fn giving_at(&self, key: &str) -> Vec<(usize, NodeRef<'a>)> {
        let mut out = Vec::new();
        for (i, d) in self.defs.iter().enumerate() {
            let Some(v) = d.service.get(key) else {
                continue;
            };
            if tagged(v, "!reset") {
                break;
            }
            out.push((i, v));
            if tagged(v, "!override") {
                break;
            }
        }
        out
    }

    /// The definition whose file carries a finding about something the service lacks in
    /// production: with `everywhere`, the [`Effective::home`]; else the highest-precedence
    /// definition in a production file (`compose.prod.yaml`), or the home when a definition
    /// has a production profile; `None` when the service is not meant for production.
    pub fn production_home(&self, everywhere: bool) -> Option<&Def<'a>> {
        if everywhere {
            return self.home();
        }
        let by_name = self
            .defs
            .iter()
            .find(|d| !d.extended && crate::knowledge::files::is_production_compose(d.path));
        by_name.or_else(|| {
            self.defs
                .iter()
                .any(|d| d.service.has_production_profile())
                .then(|| self.home())
                .flatten()
        })
    }

    /// The definitions that give `key`, with its value, highest precedence first (see
    /// [`Effective::giving_at`] for `!reset` and `!override`).
    pub fn giving(&self, key: &str) -> Vec<(&Def<'a>, NodeRef<'a>)> {
        self.giving_at(key)
            .into_iter()
            .filter_map(|(i, v)| Some((self.defs.get(i)?, v)))
            .collect()
    }

    /// Whether some definition gives `key`.
    pub fn has(&self, key: &str) -> bool {
        !self.giving(key).is_empty()
    }

    /// The value read by `read` from the definitions that give `key`, the first one that has
    /// it: a mapping merges key by key and a scalar is replaced, so the winner of a path is
    /// the highest-precedence definition that writes it.
    pub fn first<T>(
        &self,
        key: &str,
        read: impl Fn(&Service<'a>) -> Option<T>,
    ) -> Option<Sourced<T>> {
        self.giving(key).into_iter().find_map(|(d, _)| {
            Some(Sourced {
                value: read(&d.service)?,
                file: d.file,
            })
        })
    }

    /// A scalar key (`image`, `restart`, `mem_limit`, ...).
    pub fn str(&self, key: &str) -> Option<Sourced<Str<'a>>> {
        self.first(key, |s| s.str(key))
    }

    /// The image, read as [`Service::image`].
    pub fn image(&self) -> Option<Sourced<Str<'a>>> {
        self.str("image")
    }

    /// The data service the image is, judged by the definition that gives the image.
    pub fn data_service(&self) -> Option<&'static crate::knowledge::images::DataService> {
        self.giving("image")
            .into_iter()
            .next()
            .and_then(|(d, _)| d.service.data_service())
    }

    /// A scalar key of `build` (`target`, `dockerfile`, ...), long form.
    pub fn build_str(&self, key: &str) -> Option<Sourced<Str<'a>>> {
        self.first("build", |s| s.build()?.str(key))
    }

    /// The health check, its keys merged: `test` from the highest definition that has one,
    /// `disable` likewise.
    pub fn health(&self) -> Health<'a> {
        let given = self.giving("healthcheck");
        let Some(&(top, node)) = given.first() else {
            return Health::Absent;
        };
        let hcs: Vec<(FileId, super::Healthcheck<'a>)> = given
            .iter()
            .filter_map(|(d, _)| Some((d.file, d.service.healthcheck()?)))
            .collect();
        if let Some((file, disable)) = hcs.iter().find_map(|(f, h)| Some((*f, h.str("disable")?)))
            && disable.as_bool() == Some(true)
        {
            return Health::Off(Sourced {
                value: disable.span,
                file,
            });
        }
        match hcs.iter().find_map(|(f, h)| Some((*f, h.test()?))) {
            Some((file, test)) => {
                if test.exec && test.args.first().is_some_and(|a| a.value == "NONE") {
                    Health::Off(Sourced {
                        value: test.span,
                        file,
                    })
                } else {
                    Health::Test(Sourced { value: test, file })
                }
            }
            None => Health::Settings(Sourced {
                value: node.span(),
                file: top.file,
            }),
        }
    }

    /// The memory limit: `deploy.resources.limits.memory`, else `mem_limit`.
    pub fn memory_limit(&self) -> Option<Sourced<Str<'a>>> {
        self.first("deploy", |s| s.deploy()?.limits()?.str("memory"))
            .or_else(|| self.str("mem_limit"))
    }

    /// The restart policy: `restart`, else `deploy.restart_policy.condition`.
    pub fn restart_policy(&self) -> Option<Sourced<Str<'a>>> {
        self.str("restart")
            .or_else(|| self.first("deploy", |s| s.deploy()?.restart_condition()))
    }

    /// The items of a sequence `key` from every definition, lowest precedence first, an
    /// item replacing an earlier one of the same identity (`id`, `None` for none).
    fn merged_items<T>(
        &self,
        key: &str,
        read: impl Fn(&Service<'a>) -> Vec<T>,
        id: impl Fn(&T) -> Option<String>,
    ) -> Vec<Sourced<T>> {
        let mut out: Vec<(Option<String>, Sourced<T>)> = Vec::new();
        for (d, _) in self.giving(key).into_iter().rev() {
            for value in read(&d.service) {
                let key = id(&value);
                let item = Sourced {
                    value,
                    file: d.file,
                };
                match out.iter_mut().find(|(k, _)| key.is_some() && *k == key) {
                    Some(slot) => slot.1 = item,
                    None => out.push((key, item)),
                }
            }
        }
        out.into_iter().map(|(_, v)| v).collect()
    }

    /// `ports`, merged by host address, target, published port and protocol.
    pub fn ports(&self) -> Vec<Sourced<Port<'a>>> {
        let text = |s: Option<Str<'_>>| s.map(|s| s.value.to_string()).unwrap_or_default();
        self.merged_items(
            "ports",
            |s| s.ports(),
            |p| {
                Some(format!(
                    "{}|{}|{}|{}",
                    text(p.host_ip),
                    text(p.target),
                    text(p.published),
                    p.protocol_name()
                ))
            },
        )
    }

    /// `volumes`, merged by target.
    pub fn volumes(&self) -> Vec<Sourced<Volume<'a>>> {
        self.merged_items(
            "volumes",
            |s| s.volumes(),
            |v| v.target.map(|t| t.value.trim_end_matches('/').to_string()),
        )
    }

    /// `depends_on`, merged by service name.
    pub fn depends_on(&self) -> Vec<Sourced<Dependency<'a>>> {
        self.merged_items(
            "depends_on",
            |s| s.depends_on(),
            |d| Some(d.name.to_string()),
        )
    }

    /// `environment`, merged by name.
    pub fn environment(&self) -> Vec<Sourced<EnvVar<'a>>> {
        self.merged_items(
            "environment",
            |s| s.environment(),
            |e| Some(e.key.to_string()),
        )
    }

    /// A list key (`tmpfs`, `cap_add`, ...), appended across definitions.
    pub fn list(&self, key: &str) -> Vec<Sourced<Str<'a>>> {
        self.merged_items(key, |s| s.list(key), |_| None)
    }

    /// The services this one depends on to start (`depends_on`, `links`,
    /// `network_mode`/`ipc`/`pid: service:x`, `volumes_from`), each once with where the first
    /// reference to it is written, in the order of the definitions (lowest first).
    pub fn dependencies(&self) -> Vec<Sourced<Str<'a>>> {
        use super::refs::{ServiceKey, Target};
        let with_deps: Vec<usize> = self
            .giving_at("depends_on")
            .into_iter()
            .map(|(i, _)| i)
            .collect();
        let mut out: Vec<Sourced<Str<'a>>> = Vec::new();
        for (i, d) in self.defs.iter().enumerate().rev() {
            for r in d.service.references(d.compose) {
                let Target::Service(key) = r.target else {
                    continue;
                };
                let counted = match key {
                    ServiceKey::Extends => false,
                    ServiceKey::DependsOn => with_deps.contains(&i),
                    _ => true,
                };
                if !counted || r.is_interpolated() {
                    continue;
                }
                if !out.iter().any(|o| o.value.value == r.name.value) {
                    out.push(Sourced {
                        value: r.name,
                        file: d.file,
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `files` (path, text) into a project; file ids are positions.
    fn parsed(files: &[(&str, &str)]) -> Vec<(PathBuf, ComposeFile)> {
        files
            .iter()
            .map(|(p, t)| (PathBuf::from(p), crate::compose::parse(t)))
            .collect()
    }

    fn project(files: &[(PathBuf, ComposeFile)]) -> Project<'_> {
        Project::new(
            files
                .iter()
                .enumerate()
                .map(|(i, (p, f))| Member {
                    id: FileId(i as u32),
                    path: p,
                    file: f,
                })
                .collect(),
        )
    }

    const BASE: &str = "services:\n  web:\n    image: nginx:1.27\n    restart: always\n    ports: [\"8080:80\"]\n    volumes: [\"data:/data\", \"./x:/x\"]\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n      interval: 5s\n  db:\n    image: postgres:16\nvolumes:\n  data:\n";
    const OVERRIDE: &str = "services:\n  web:\n    image: nginx:1.28\n    ports: [\"9090:80\", \"8080:80\"]\n    volumes: [\"other:/data\"]\n    healthcheck:\n      timeout: 3s\n    depends_on: [db]\n";

    #[test]
    fn a_service_asked_for_again_is_the_same_as_merged_afresh() {
        let files = parsed(&[
            ("p/compose.override.yaml", OVERRIDE),
            ("p/compose.yaml", BASE),
            (
                "p/other.yaml",
                "services:\n  api:\n    extends: {service: base}\n  base:\n    image: a:1\n",
            ),
        ]);
        let p = project(&files);
        for (id, name) in [(0, "web"), (1, "db"), (2, "api"), (0, "nothing")] {
            let first = p.effective(FileId(id), name);
            let again = p.effective(FileId(id), name);
            let fresh = p.merge(FileId(id), name);
            assert_eq!(format!("{again:?}"), format!("{fresh:?}"), "{name}");
            assert_eq!(format!("{first:?}"), format!("{fresh:?}"), "{name}");
        }
        // The extended service is in the cached chain too.
        let api = p.effective(FileId(2), "api").unwrap();
        assert_eq!(api.defs.len(), 2);
        assert!(api.defs[1].extended);
    }

    #[test]
    fn an_override_file_merges_over_its_base() {
        let files = parsed(&[
            ("p/compose.override.yaml", OVERRIDE),
            ("p/compose.yaml", BASE),
        ]);
        let p = project(&files);
        // The base first, whatever the order of the run.
        assert_eq!(p.merged_files(FileId(0)), vec![FileId(1), FileId(0)]);
        let web = p.effective(FileId(0), "web").unwrap();
        assert!(web.is_home(FileId(1)) && !web.incomplete);
        // Scalars: the override wins; a key only the base has stays.
        let image = web.image().unwrap();
        assert_eq!((image.value.value, image.file), ("nginx:1.28", FileId(0)));
        assert_eq!(web.restart_policy().unwrap().file, FileId(1));
        // The healthcheck merges key by key: the test is the base's.
        match web.health() {
            Health::Test(t) => {
                assert_eq!(t.file, FileId(1));
                assert_eq!(t.value.args[1].value, "true");
            }
            h => panic!("{h:?}"),
        }
        // Ports by identity: 8080:80 once, 9090:80 added.
        let ports: Vec<&str> = web
            .ports()
            .iter()
            .filter_map(|p| p.value.published.map(|s| s.value))
            .collect();
        assert_eq!(ports, ["8080", "9090"]);
        // Volumes by target: /data from the override, /x from the base.
        let vols: Vec<(&str, FileId)> = web
            .volumes()
            .iter()
            .filter_map(|v| Some((v.value.source?.value, v.file)))
            .collect();
        assert_eq!(vols, [("other", FileId(0)), ("./x", FileId(1))]);
        let deps: Vec<&str> = web.dependencies().iter().map(|d| d.value.value).collect();
        assert_eq!(deps, ["db"]);
        // `db` is only in the base.
        assert!(p.effective(FileId(0), "db").unwrap().is_home(FileId(1)));
        assert_eq!(p.service_names(FileId(0)), ["web", "db"]);
    }

    #[test]
    fn reset_and_override_tags() {
        let over = "services:\n  web:\n    ports: !reset []\n    volumes: !override [\"vol:/v\"]\n    healthcheck: !reset {}\n";
        let files = parsed(&[("compose.yaml", BASE), ("compose.override.yaml", over)]);
        let p = project(&files);
        let web = p.effective(FileId(0), "web").unwrap();
        assert!(web.ports().is_empty());
        let vols: Vec<&str> = web
            .volumes()
            .iter()
            .filter_map(|v| Some(v.value.target?.value))
            .collect();
        assert_eq!(vols, ["/v"]);
        assert!(matches!(web.health(), Health::Absent));
    }

    #[test]
    fn extends_in_the_same_file_and_another_file() {
        let main = "services:\n  web:\n    extends:\n      file: common/services.yaml\n      service: base\n    image: nginx:1.27\n  worker:\n    extends: web\n    restart: \"no\"\n  lost:\n    extends:\n      file: missing.yaml\n      service: x\n";
        let common = "services:\n  base:\n    image: alpine:3.20\n    depends_on: [db]\n    healthcheck:\n      disable: true\n    deploy:\n      resources:\n        limits:\n          memory: 256m\n";
        let files = parsed(&[("compose.yaml", main), ("common/services.yaml", common)]);
        let p = project(&files);
        let worker = p.effective(FileId(0), "worker").unwrap();
        assert_eq!(worker.defs.len(), 3);
        assert!(worker.defs[1].extended && worker.defs[2].file == FileId(1));
        assert_eq!(worker.image().unwrap().value.value, "nginx:1.27");
        assert_eq!(worker.restart_policy().unwrap().value.value, "no");
        assert_eq!(worker.memory_limit().unwrap().file, FileId(1));
        assert!(matches!(worker.health(), Health::Off(s) if s.file == FileId(1)));
        let deps: Vec<&str> = worker
            .dependencies()
            .iter()
            .map(|d| d.value.value)
            .collect();
        assert_eq!(deps, ["db"]);
        assert!(worker.is_home(FileId(0)));
        assert!(p.effective(FileId(0), "lost").unwrap().incomplete);
    }

    #[test]
    fn a_file_only_extended_from_is_not_a_layer() {
        let main = "services:\n  web:\n    extends: {file: compose.common.yaml, service: base}\n";
        let common = "services:\n  web:\n    image: other:1\n  base:\n    image: alpine:3.20\n";
        let files = parsed(&[("compose.yaml", main), ("compose.common.yaml", common)]);
        let p = project(&files);
        assert_eq!(p.merged_files(FileId(0)), vec![FileId(0)]);
        assert_eq!(p.merged_files(FileId(1)), vec![FileId(1)]);
        let web = p.effective(FileId(0), "web").unwrap();
        assert_eq!(web.image().unwrap().value.value, "alpine:3.20");
    }

    #[test]
    fn included_files_are_below_the_file_that_includes_them() {
        let main = "include: [sub/compose.yaml]\nservices:\n  web:\n    image: nginx:1.27\n";
        let sub = "services:\n  web:\n    image: nginx:1.26\n    restart: always\n  api:\n    image: api:1\n";
        let files = parsed(&[("compose.yaml", main), ("sub/compose.yaml", sub)]);
        let p = project(&files);
        assert_eq!(p.merged_files(FileId(0)), vec![FileId(1), FileId(0)]);
        let web = p.effective(FileId(1), "web").unwrap();
        assert_eq!(web.image().unwrap().value.value, "nginx:1.27");
        assert_eq!(web.restart_policy().unwrap().file, FileId(1));
        assert_eq!(p.service_names(FileId(0)), ["web", "api"]);
    }

    #[test]
    fn production_home() {
        let prod = "services:\n  web:\n    environment: [MODE=prod]\n";
        let base =
            "services:\n  web:\n    build: .\n  job:\n    image: x:1\n    profiles: [prod]\n";
        let files = parsed(&[("compose.yaml", base), ("compose.prod.yaml", prod)]);
        let p = project(&files);
        let web = p.effective(FileId(0), "web").unwrap();
        assert_eq!(web.production_home(false).map(|d| d.file), Some(FileId(1)));
        assert_eq!(web.production_home(true).map(|d| d.file), Some(FileId(0)));
        let job = p.effective(FileId(0), "job").unwrap();
        assert_eq!(job.production_home(false).map(|d| d.file), Some(FileId(0)));
        // A standalone file of the directory is another project.
        let other = parsed(&[
            ("compose.yaml", base),
            ("compose.ci.yaml", "services:\n  web:\n    image: x:1\n"),
        ]);
        assert_eq!(project(&other).merged_files(FileId(1)), vec![FileId(1)]);
        let solo = parsed(&[("compose.yaml", base)]);
        let p = project(&solo);
        assert!(
            p.effective(FileId(0), "web")
                .unwrap()
                .production_home(false)
                .is_none()
        );
    }

    #[test]
    fn override_files_by_name() {
        assert!(is_override(Path::new("a/compose.override.yaml")));
        assert!(is_override(Path::new("docker-compose.override.yml")));
        assert!(is_override(Path::new("dev.override.YML")));
        assert!(!is_override(Path::new("compose.yaml")));
        assert!(!is_override(Path::new("override.yml")));
    }

    #[test]
    fn base_of_a_default_override() {
        let exists =
            |p: &Path| p == Path::new("d/compose.yml") || p == Path::new("docker-compose.yaml");
        assert_eq!(
            base_of(Path::new("d/compose.override.yaml"), exists),
            Some(PathBuf::from("d/compose.yml"))
        );
        assert_eq!(
            base_of(Path::new("docker-compose.override.yml"), exists),
            Some(PathBuf::from("docker-compose.yaml"))
        );
        assert_eq!(
            base_of(Path::new("d/docker-compose.override.yml"), exists),
            None
        );
        assert_eq!(base_of(Path::new("d/dev.override.yml"), exists), None);
    }
}
