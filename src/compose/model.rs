//! Typed accessors over a compose file's tree: services and top-level resources, read when a
//! rule asks for them.
//!
//! Nothing is copied out of the tree at parse time: [`ComposeFile::services`] yields
//! [`Service`] handles, and each accessor (`ports()`, `healthcheck()`, `str("restart")`) reads
//! its node when called. Lookups are merge-aware, so `<<: *defaults` is honoured; a value reached
//! through an alias or a merge has the span of the anchored text. The accessors are a view, not
//! a validator ([`super::validate`] is): a value of the wrong shape is simply absent
//! (`image: [a]` gives no image).
//!
//! Scalars come as [`Str`]: the text, its span, its node and its file. A value that holds
//! `${VAR}` is marked interpolated, and typed reads ([`Str::as_bool`], [`Str::as_int`]) judge it by
//! its default. Short syntaxes (`"${HOST_PORT:-8080}:80"`, `"${DATA:-./data}:/data:ro"`) split
//! only on separators outside `${...}`.

use super::interpolate;
use super::yaml::{EntryRef, NodeRef, ScalarStyle};
use super::{ComposeFile, FileIndex};
use crate::dockerfile::ImageRef;
use crate::knowledge::images::{self, DataService};
use crate::source::Span;
use std::borrow::Cow;
use std::ops::Range;

/// A scalar value, or a part of one, with where it is written.
#[derive(Clone, Copy, Debug)]
pub struct Str<'a> {
    /// The value (quotes removed); for a part of a scalar (`KEY=value`), just that part.
    pub value: &'a str,
    /// Where the value is: the scalar with its quotes, or the part inside it.
    pub span: Span,
    /// The scalar node the value comes from.
    pub node: NodeRef<'a>,
    /// The file the value is written in.
    pub file: FileIndex,
}

impl<'a> Str<'a> {
    /// The value as written (before interpolation).
    pub fn as_str(&self) -> &'a str {
        self.value
    }

    /// Whether compose would substitute variables in the value.
    pub fn is_interpolated(&self) -> bool {
        interpolate::has_interpolation(self.value)
    }

    /// The value with every variable replaced by its default (`${PORT:-80}` is `80`, `$$` is
    /// `$`); `None` when a variable has no default, so the value depends on the environment.
    pub fn resolved(&self) -> Option<Cow<'a, str>> {
        if !self.value.contains('$') {
            return Some(Cow::Borrowed(self.value));
        }
        interpolate::with_defaults(self.value).map(Cow::Owned)
    }

    /// The value as a boolean, as compose converts it (`true`, `yes`, `on`, ... in any case).
    pub fn as_bool(&self) -> Option<bool> {
        match self.resolved()?.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "y" | "1" | "t" => Some(true),
            "false" | "no" | "off" | "n" | "0" | "f" => Some(false),
            _ => None,
        }
    }

    /// The value as a whole number.
    pub fn as_int(&self) -> Option<i64> {
        self.resolved()?.parse().ok()
    }

    /// The value as a number.
    pub fn as_f64(&self) -> Option<f64> {
        self.resolved()?.parse().ok()
    }

    /// Where a part of the value is written (`range` is relative to [`Str::value`]): its exact
    /// bytes when the scalar is written without escapes or folding, else the whole scalar.
    pub fn span_of(&self, range: Range<usize>) -> Span {
        self.part(range).span
    }

    /// The value as a byte count, as Docker reads `mem_limit` and friends: a number with an
    /// optional unit (`b`, `k`, `m`, `g`, `t`, `p`, any case, powers of 1024, an optional
    /// trailing `b`: `512m`, `1gb`, `1.5G`).
    pub fn as_byte_size(&self) -> Option<f64> {
        byte_size(&self.resolved()?)
    }

    /// A part of this value (`range` is relative to [`Str::value`]), with a span inside the
    /// scalar when the scalar is written without escapes or folding (else the scalar's span).
    fn part(&self, range: Range<usize>) -> Str<'a> {
        let value = self.value.get(range.clone()).unwrap_or_default();
        let whole = self.node.span();
        let quotes = match self.node.as_scalar().map(|(_, s)| s) {
            Some(ScalarStyle::Plain) => Some(0),
            Some(ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) => Some(1),
            _ => None,
        };
        // Escapes and folding only ever shorten the text, so equal lengths mean every byte of
        // the value sits at the same offset in the file.
        let span = match quotes {
            Some(q)
                if self.span == whole
                    && whole.len() as usize == self.value.len() + 2 * q as usize =>
            {
                let start = whole.start + q + range.start as u32;
                Span::new(start, start + value.len() as u32)
            }
            _ if self.span != whole => {
                let start = self.span.start + range.start as u32;
                Span::new(start, start + value.len() as u32)
            }
            _ => whole,
        };
        Str {
            value,
            span,
            node: self.node,
            file: self.file,
        }
    }
}

/// A byte size in bytes (see [`Str::as_byte_size`]).
pub fn byte_size(s: &str) -> Option<f64> {
    let s = s.trim();
    let n = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let number: f64 = s.get(..n)?.parse().ok()?;
    let unit = s.get(n..)?.trim_start().to_ascii_lowercase();
    let unit = unit.strip_suffix('b').unwrap_or(&unit);
    let unit = unit.strip_suffix('i').unwrap_or(unit);
    let power = match unit {
        "" => 0,
        "k" => 1,
        "m" => 2,
        "g" => 3,
        "t" => 4,
        "p" => 5,
        _ => return None,
    };
    Some(number * 1024f64.powi(power))
}

/// The byte offsets of `sep` in `s` outside `${...}` references and `$$` escapes.
fn separators(s: &str, sep: u8) -> Vec<usize> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'$' if b.get(i + 1) == Some(&b'$') => i += 2,
            b'$' if b.get(i + 1) == Some(&b'{') => {
                let mut depth = 0;
                while i < b.len() {
                    match b[i] {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            c => {
                if c == sep {
                    out.push(i);
                }
                i += 1;
            }
        }
    }
    out
}

/// A handle on the file's values: what every accessor needs.
#[derive(Clone, Copy, Debug)]
struct Reader {
    file: FileIndex,
}

impl Reader {
    /// A scalar value that is not null.
    fn str<'a>(self, n: NodeRef<'a>) -> Option<Str<'a>> {
        let r = n.resolve();
        r.as_str().map(|value| Str {
            value,
            span: r.span(),
            node: r,
            file: self.file,
        })
    }

    fn field<'a>(self, map: NodeRef<'a>, key: &str) -> Option<Str<'a>> {
        map.get(key).and_then(|v| self.str(v))
    }

    /// A list of strings; a lone string counts as a list of one.
    fn str_list<'a>(self, n: Option<NodeRef<'a>>) -> Vec<Str<'a>> {
        match n {
            Some(n) if n.is_sequence() => n.items().filter_map(|i| self.str(i)).collect(),
            Some(n) => self.str(n).into_iter().collect(),
            None => Vec::new(),
        }
    }

    /// `KEY=value` items or `KEY: value` entries.
    fn key_values<'a>(self, n: Option<NodeRef<'a>>) -> Vec<EnvVar<'a>> {
        let Some(n) = n else { return Vec::new() };
        if n.is_mapping() {
            return n
                .entries()
                .filter_map(|e| {
                    let key = e.key_str()?;
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
                let s = self.str(item)?;
                // Names are never interpolated, so the first `=` ends the name.
                let (key, value) = match s.value.find('=') {
                    Some(eq) => (s.part(0..eq), Some(s.part(eq + 1..s.value.len()))),
                    None => (s, None),
                };
                Some(EnvVar {
                    key: key.value,
                    key_span: key.span,
                    value,
                    span: s.span,
                    list_form: true,
                })
            })
            .collect()
    }

    fn command<'a>(self, n: Option<NodeRef<'a>>) -> Option<Command<'a>> {
        let r = n?.resolve();
        if r.is_sequence() {
            Some(Command {
                span: r.span(),
                node: r,
                exec: true,
                args: r.items().filter_map(|i| self.str(i)).collect(),
            })
        } else {
            let s = self.str(r)?;
            Some(Command {
                span: s.span,
                node: r,
                exec: false,
                args: vec![s],
            })
        }
    }

    /// Named references given short (`- name`) or long (`- {key: name}`).
    fn refs<'a>(self, n: Option<NodeRef<'a>>, key: &str) -> Vec<Str<'a>> {
        let Some(n) = n else { return Vec::new() };
        n.items()
            .filter_map(|i| {
                if i.is_mapping() {
                    self.field(i.resolve(), key)
                } else {
                    self.str(i)
                }
            })
            .collect()
    }

    /// Names given as a list or as the keys of a mapping.
    fn names<'a>(self, n: Option<NodeRef<'a>>) -> Vec<Named<'a>> {
        let Some(n) = n else { return Vec::new() };
        if n.is_mapping() {
            return n
                .entries()
                .filter_map(|e| {
                    Some(Named {
                        name: e.key_str()?,
                        span: e.key.resolve().span(),
                        node: e.value.resolve(),
                        long_form: true,
                    })
                })
                .collect();
        }
        n.items()
            .filter_map(|i| {
                let s = self.str(i)?;
                Some(Named {
                    name: s.value,
                    span: s.span,
                    node: s.node,
                    long_form: false,
                })
            })
            .collect()
    }
}

impl ComposeFile {
    fn reader(&self) -> Reader {
        Reader { file: self.file }
    }

    /// The entries of a top-level key across all documents, in file order.
    fn top_level_entries<'a>(&'a self, key: &'a str) -> impl Iterator<Item = EntryRef<'a>> + 'a {
        self.roots()
            .filter_map(move |r| r.get(key))
            .flat_map(|v| v.entries())
    }

    /// The services of all documents, in file order (a name may repeat across documents).
    pub fn services(&self) -> impl Iterator<Item = Service<'_>> + '_ {
        let reader = self.reader();
        self.top_level_entries("services").filter_map(move |e| {
            Some(Service {
                name: e.key_str()?,
                key: e.key,
                node: e.value.resolve(),
                reader,
            })
        })
    }

    /// The first service with this name.
    pub fn service(&self, name: &str) -> Option<Service<'_>> {
        let index = self.service_index.get_or_init(|| {
            let mut index = hashbrown::HashMap::new();
            for s in self.services() {
                index
                    .entry(s.name.into())
                    .or_insert((s.key.id(), s.node.id()));
            }
            index
        });
        let &(key, node) = index.get(name)?;
        self.service_at(key, node)
    }

    /// The service whose name is the key node `key` and whose mapping is `node` (the ids of
    /// [`Service::key`] and [`Service::node`]).
    pub fn service_at(&self, key: super::NodeId, node: super::NodeId) -> Option<Service<'_>> {
        let key = self.tree.node(key);
        Some(Service {
            name: key.scalar_value()?,
            key,
            node: self.tree.node(node),
            reader: self.reader(),
        })
    }

    /// The top-level `version` entry of each document that has one.
    pub fn version_entries(&self) -> impl Iterator<Item = EntryRef<'_>> + '_ {
        self.roots()
            .filter_map(|r| r.raw_entries().find(|e| e.key_str() == Some("version")))
    }

    /// The top-level `name` (project name) of the first document that has one.
    pub fn name(&self) -> Option<Str<'_>> {
        let reader = self.reader();
        self.roots().find_map(|r| reader.field(r, "name"))
    }

    /// The named items of a top-level section: `volumes`, `networks`, `secrets`, `configs` or
    /// `models`.
    pub fn resources<'a>(&'a self, section: &'a str) -> impl Iterator<Item = Named<'a>> + 'a {
        self.top_level_entries(section).filter_map(|e| {
            Some(Named {
                name: e.key_str()?,
                span: e.key.span(),
                node: e.value.resolve(),
                long_form: true,
            })
        })
    }

    /// A node of this file read as a scalar value (aliases followed); `None` for a null or a
    /// collection.
    pub fn scalar<'a>(&'a self, node: NodeRef<'a>) -> Option<Str<'a>> {
        self.reader().str(node)
    }

    /// Every scalar written as a value (not as a key) anywhere in the file, extensions and
    /// anchored text included, each once where it is written (aliases are not followed).
    /// These are the strings compose interpolates.
    pub fn scalar_values(&self) -> Vec<Str<'_>> {
        let nodes = self.tree.nodes();
        let mut is_key = vec![false; nodes.len()];
        for n in nodes {
            if let super::yaml::NodeKind::Mapping(entries) = &n.kind {
                for e in entries {
                    if let Some(k) = is_key.get_mut(e.key.index()) {
                        *k = true;
                    }
                }
            }
        }
        self.tree
            .node_refs()
            .filter(|n| !n.is_alias() && !is_key.get(n.id().index()).copied().unwrap_or(true))
            .filter_map(|node| {
                let (value, _) = node.as_scalar()?;
                Some(Str {
                    value,
                    span: node.span(),
                    node,
                    file: self.file,
                })
            })
            .collect()
    }

    /// The paths of `include` entries (short form, or long form `path`).
    pub fn include(&self) -> Vec<Str<'_>> {
        let reader = self.reader();
        self.roots()
            .filter_map(|r| r.get("include"))
            .flat_map(|n| n.items())
            .flat_map(|i| {
                if i.is_mapping() {
                    reader.str_list(i.get("path"))
                } else {
                    reader.str(i).into_iter().collect()
                }
            })
            .collect()
    }
}

/// A name with where it is written: a top-level resource, a network of a service.
#[derive(Clone, Copy, Debug)]
pub struct Named<'a> {
    pub name: &'a str,
    /// The name's span (the key, or the list item).
    pub span: Span,
    /// The definition (long form), else the list item.
    pub node: NodeRef<'a>,
    /// Written as a mapping entry rather than a list item.
    pub long_form: bool,
}

/// A service: its name and node, and accessors that read its keys on demand.
#[derive(Clone, Copy, Debug)]
pub struct Service<'a> {
    pub name: &'a str,
    /// The name's key node.
    pub key: NodeRef<'a>,
    /// The service's mapping (aliases resolved).
    pub node: NodeRef<'a>,
    reader: Reader,
}

impl<'a> Service<'a> {
    /// Where the name is written.
    pub fn name_span(&self) -> Span {
        self.key.span()
    }

    /// The file the service is written in.
    pub fn file(&self) -> FileIndex {
        self.reader.file
    }

    /// The value of a key, merge keys applied.
    pub fn get(&self, key: &str) -> Option<NodeRef<'a>> {
        self.node.get(key)
    }

    /// A scalar key (`image`, `restart`, `privileged`, `mem_limit`, ...); typed reads on the
    /// result (`as_bool`, `as_int`) judge interpolated values by their default.
    pub fn str(&self, key: &str) -> Option<Str<'a>> {
        self.reader.field(self.node, key)
    }

    /// A list of strings (`cap_add`, `profiles`, `dns`, ...); a lone string is a list of one.
    pub fn list(&self, key: &str) -> Vec<Str<'a>> {
        self.reader.str_list(self.get(key))
    }

    /// `image`.
    pub fn image(&self) -> Option<Str<'a>> {
        self.str("image")
    }

    /// `image` read as a reference, interpolated values by their defaults. The parts' spans are
    /// exact for a literal value, and the whole value when it holds variables; `unresolved` is
    /// set when a variable has no default.
    pub fn image_ref(&self) -> Option<(Str<'a>, ImageRef)> {
        let image = self.image()?;
        let (text, unresolved) = match image.resolved() {
            Some(t) => (t, false),
            None => (Cow::Borrowed(image.value), true),
        };
        let literal = !image.value.contains('$');
        let whole = image.span;
        let mut r = ImageRef::parse_spanned(&text, &|range: Range<usize>| {
            if literal { image.span_of(range) } else { whole }
        });
        r.span = whole;
        r.unresolved = unresolved;
        Some((image, r))
    }

    /// The data service (database, cache, broker, ...) the service's image is, if any.
    pub fn data_service(&self) -> Option<&'static DataService> {
        self.image_ref().and_then(|(_, r)| images::data_service(&r))
    }

    /// The memory limit: `deploy.resources.limits.memory`, else `mem_limit`.
    pub fn memory_limit(&self) -> Option<Str<'a>> {
        self.deploy()
            .and_then(|d| d.limits())
            .and_then(|l| l.str("memory"))
            .or_else(|| self.str("mem_limit"))
    }

    /// The restart policy: `restart`, else `deploy.restart_policy.condition`.
    pub fn restart_policy(&self) -> Option<Str<'a>> {
        self.str("restart")
            .or_else(|| self.deploy().and_then(|d| d.restart_condition()))
    }

    /// The number of replicas asked for, with where it is: `deploy.replicas`, else `scale`
    /// (judged by their defaults when interpolated).
    pub fn replicas(&self) -> Option<(i64, Str<'a>)> {
        let s = self
            .deploy()
            .and_then(|d| d.str("replicas"))
            .or_else(|| self.str("scale"))?;
        Some((s.as_int()?, s))
    }

    /// Whether the service is meant for production: the compose file's name says so
    /// (`compose.prod.yaml`), or a profile of the service is a production one.
    pub fn is_production(&self, path: &std::path::Path) -> bool {
        crate::knowledge::files::is_production_compose(path) || self.has_production_profile()
    }

    /// Whether the two services can run at once: one of them has no `profiles`, or they share
    /// a profile. Services whose profiles have nothing in common are never started together.
    pub fn can_run_with(&self, other: &Service<'_>) -> bool {
        let (a, b) = (self.list("profiles"), other.list("profiles"));
        a.is_empty() || b.is_empty() || a.iter().any(|p| b.iter().any(|q| q.value == p.value))
    }

    /// Whether a profile of the service is a production one (`prod`, `production`,
    /// `prod-eu`): the service only starts when production is asked for.
    pub fn has_production_profile(&self) -> bool {
        self.list("profiles")
            .iter()
            .any(|p| crate::knowledge::files::is_production_word(p.value))
    }

    /// `build`, short (`build: ./dir`) or long.
    pub fn build(&self) -> Option<Build<'a>> {
        let r = self.get("build")?.resolve();
        let reader = self.reader;
        if let Some(context) = reader.str(r) {
            return Some(Build {
                node: r,
                short_form: true,
                context: Some(context),
                reader,
            });
        }
        r.is_mapping().then(|| Build {
            node: r,
            short_form: false,
            context: reader.field(r, "context"),
            reader,
        })
    }

    /// `depends_on`, short (a list of names) or long (a mapping).
    pub fn depends_on(&self) -> Vec<Dependency<'a>> {
        let reader = self.reader;
        reader
            .names(self.get("depends_on"))
            .into_iter()
            .map(|n| Dependency {
                name: n.name,
                span: n.span,
                node: n.node,
                long_form: n.long_form,
                condition: n
                    .long_form
                    .then(|| reader.field(n.node, "condition"))
                    .flatten(),
                required: n
                    .long_form
                    .then(|| reader.field(n.node, "required"))
                    .flatten(),
                restart: n
                    .long_form
                    .then(|| reader.field(n.node, "restart"))
                    .flatten(),
            })
            .collect()
    }

    /// `healthcheck`.
    pub fn healthcheck(&self) -> Option<Healthcheck<'a>> {
        let r = self.get("healthcheck")?.resolve();
        r.is_mapping().then_some(Healthcheck {
            node: r,
            reader: self.reader,
        })
    }

    /// `environment`, list or map form.
    pub fn environment(&self) -> Vec<EnvVar<'a>> {
        self.reader.key_values(self.get("environment"))
    }

    /// `labels`, list or map form.
    pub fn labels(&self) -> Vec<EnvVar<'a>> {
        self.reader.key_values(self.get("labels"))
    }

    /// The paths of `env_file` (a string, a list, or long-form items with `path`).
    pub fn env_files(&self) -> Vec<Str<'a>> {
        match self.get("env_file") {
            Some(n) if n.is_sequence() => self.reader.refs(Some(n), "path"),
            n => self.reader.str_list(n),
        }
    }

    /// `ports`.
    pub fn ports(&self) -> Vec<Port<'a>> {
        self.items("ports", |reader, item| reader.port(item))
    }

    /// `volumes`.
    pub fn volumes(&self) -> Vec<Volume<'a>> {
        self.items("volumes", |reader, item| reader.volume(item))
    }

    fn items<T>(&self, key: &str, read: fn(Reader, NodeRef<'a>) -> Option<T>) -> Vec<T> {
        let reader = self.reader;
        self.get(key)
            .map(|v| v.items().filter_map(|i| read(reader, i)).collect())
            .unwrap_or_default()
    }

    /// The networks the service joins (list, or mapping with per-network settings).
    pub fn networks(&self) -> Vec<Named<'a>> {
        self.reader.names(self.get("networks"))
    }

    /// `command`.
    pub fn command(&self) -> Option<Command<'a>> {
        self.reader.command(self.get("command"))
    }

    /// `entrypoint`.
    pub fn entrypoint(&self) -> Option<Command<'a>> {
        self.reader.command(self.get("entrypoint"))
    }

    /// The names of the `secrets` the service uses (short form, or long form `source`).
    pub fn secrets(&self) -> Vec<Str<'a>> {
        self.reader.refs(self.get("secrets"), "source")
    }

    /// The names of the `configs` the service uses.
    pub fn configs(&self) -> Vec<Str<'a>> {
        self.reader.refs(self.get("configs"), "source")
    }

    /// `extends`, short (`extends: base`) or long.
    pub fn extends(&self) -> Option<Extends<'a>> {
        let r = self.get("extends")?.resolve();
        if let Some(s) = self.reader.str(r) {
            return Some(Extends {
                span: s.span,
                service: Some(s),
                file: None,
            });
        }
        r.is_mapping().then(|| Extends {
            span: r.span(),
            service: self.reader.field(r, "service"),
            file: self.reader.field(r, "file"),
        })
    }

    /// `deploy`.
    pub fn deploy(&self) -> Option<Deploy<'a>> {
        let r = self.get("deploy")?.resolve();
        r.is_mapping().then_some(Deploy {
            node: r,
            reader: self.reader,
        })
    }
}

/// `build:`, short (`build: ./dir`) or long.
#[derive(Clone, Copy, Debug)]
pub struct Build<'a> {
    /// The `build` value.
    pub node: NodeRef<'a>,
    /// `build: ./dir`.
    pub short_form: bool,
    /// The build context (the short form's string, or `context`).
    pub context: Option<Str<'a>>,
    reader: Reader,
}

impl<'a> Build<'a> {
    /// A scalar key of the long form (`dockerfile`, `dockerfile_inline`, `target`, ...).
    pub fn str(&self, key: &str) -> Option<Str<'a>> {
        (!self.short_form)
            .then(|| self.reader.field(self.node, key))
            .flatten()
    }

    /// The names of the build `secrets` (short form, or long form `source`).
    pub fn secrets(&self) -> Vec<Str<'a>> {
        if self.short_form {
            return Vec::new();
        }
        self.reader.refs(self.node.get("secrets"), "source")
    }

    /// `args`, list or map form.
    pub fn args(&self) -> Vec<EnvVar<'a>> {
        if self.short_form {
            return Vec::new();
        }
        self.reader.key_values(self.node.get("args"))
    }
}

/// One entry of `depends_on`.
#[derive(Clone, Copy, Debug)]
pub struct Dependency<'a> {
    /// The service depended on.
    pub name: &'a str,
    /// Where the name is.
    pub span: Span,
    /// The list item (short form) or the value node (long form).
    pub node: NodeRef<'a>,
    /// Written as a mapping entry rather than a list item.
    pub long_form: bool,
    /// `condition` (long form).
    pub condition: Option<Str<'a>>,
    /// `required` (long form).
    pub required: Option<Str<'a>>,
    /// `restart` (long form).
    pub restart: Option<Str<'a>>,
}

/// A command: a string (run by a shell for `command`-like keys) or a list (exec form).
#[derive(Clone, Debug)]
pub struct Command<'a> {
    /// The whole value.
    pub span: Span,
    /// The value node.
    pub node: NodeRef<'a>,
    /// A list rather than a string.
    pub exec: bool,
    /// The list's items, or the one string.
    pub args: Vec<Str<'a>>,
}

/// `healthcheck:`.
#[derive(Clone, Copy, Debug)]
pub struct Healthcheck<'a> {
    /// The value node.
    pub node: NodeRef<'a>,
    reader: Reader,
}

impl<'a> Healthcheck<'a> {
    /// `test`, string or list (`["CMD", ...]`, `["CMD-SHELL", "..."]`, `["NONE"]`).
    pub fn test(&self) -> Option<Command<'a>> {
        self.reader.command(self.node.get("test"))
    }

    /// A scalar key: `interval`, `timeout`, `start_period`, `start_interval`, `retries`,
    /// `disable`.
    pub fn str(&self, key: &str) -> Option<Str<'a>> {
        self.reader.field(self.node, key)
    }

    /// `disable: true` or `test: ["NONE"]`: the healthcheck turns the image's one off rather
    /// than checking anything.
    pub fn is_disabled(&self) -> bool {
        if self.str("disable").and_then(|d| d.as_bool()) == Some(true) {
            return true;
        }
        self.test()
            .is_some_and(|t| t.exec && t.args.first().is_some_and(|a| a.value == "NONE"))
    }
}

/// One variable of `environment`, `build.args` or `labels`: `KEY=value` in a list, or
/// `KEY: value` in a mapping.
#[derive(Clone, Copy, Debug)]
pub struct EnvVar<'a> {
    /// The name.
    pub key: &'a str,
    /// Where the name is.
    pub key_span: Span,
    /// The value; `None` for `KEY` in a list or `KEY:` with a null value (Compose then takes
    /// the value from its own environment).
    pub value: Option<Str<'a>>,
    /// The whole list item or mapping entry.
    pub span: Span,
    /// Written as a list item.
    pub list_form: bool,
}

/// One entry of `ports`.
#[derive(Clone, Copy, Debug)]
pub struct Port<'a> {
    /// The item node.
    pub node: NodeRef<'a>,
    /// A mapping rather than a string or number.
    pub long_form: bool,
    /// The short form as written.
    pub short: Option<Str<'a>>,
    /// The host address (brackets of an IPv6 address removed).
    pub host_ip: Option<Str<'a>>,
    /// The host port or range.
    pub published: Option<Str<'a>>,
    /// The container port or range.
    pub target: Option<Str<'a>>,
    /// `tcp`, `udp`, `sctp`.
    pub protocol: Option<Str<'a>>,
    /// `host` or `ingress` (long form).
    pub mode: Option<Str<'a>>,
}

impl Port<'_> {
    /// The whole item.
    pub fn span(&self) -> Span {
        self.node.span()
    }

    /// The host ports published, first and last (`8080` is `8080..=8080`, `8000-8010` a
    /// range), read by their defaults when interpolated; `None` when no host port is given
    /// (Docker picks one) or the value is not a port.
    pub fn published_range(&self) -> Option<(u16, u16)> {
        let p = self.published?;
        let text = p.resolved()?;
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let (a, b) = match text.split_once('-') {
            Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
            None => {
                let n = text.parse().ok()?;
                (n, n)
            }
        };
        (a <= b).then_some((a, b))
    }

    /// The host address the port is bound to, `None` for all interfaces (no address,
    /// `0.0.0.0` or `::`). An address from a variable without a default counts as given.
    pub fn bound_address(&self) -> Option<String> {
        let ip = self.host_ip?;
        let Some(text) = ip.resolved() else {
            return Some(ip.value.to_string());
        };
        let t = text.trim().trim_start_matches('[').trim_end_matches(']');
        (!matches!(t, "" | "0.0.0.0" | "::")).then(|| t.to_string())
    }

    /// The protocol, `tcp` when none is given.
    pub fn protocol_name(&self) -> String {
        self.protocol
            .and_then(|p| p.resolved().map(|s| s.to_ascii_lowercase()))
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "tcp".to_string())
    }
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
#[derive(Clone, Copy, Debug)]
pub struct Volume<'a> {
    /// The item node.
    pub node: NodeRef<'a>,
    /// A mapping rather than `source:target[:mode]`.
    pub long_form: bool,
    /// What is mounted; for the short form, guessed from the source as Compose does.
    pub kind: VolumeKind,
    /// `type` (long form).
    pub type_: Option<Str<'a>>,
    /// The host path or volume name; `None` for an anonymous volume.
    pub source: Option<Str<'a>>,
    /// The path in the container.
    pub target: Option<Str<'a>>,
    /// The short form's options (`ro`, `rw,z`).
    pub mode: Option<Str<'a>>,
    /// `:ro` or `read_only: true`.
    pub read_only: bool,
}

impl Volume<'_> {
    /// The whole item.
    pub fn span(&self) -> Span {
        self.node.span()
    }
}

/// `deploy:`.
#[derive(Clone, Copy, Debug)]
pub struct Deploy<'a> {
    /// The value node.
    pub node: NodeRef<'a>,
    reader: Reader,
}

impl<'a> Deploy<'a> {
    /// A scalar key: `mode`, `replicas`, `endpoint_mode`.
    pub fn str(&self, key: &str) -> Option<Str<'a>> {
        self.reader.field(self.node, key)
    }

    /// `resources.limits`.
    pub fn limits(&self) -> Option<Resources<'a>> {
        self.resources("limits")
    }

    /// `resources.reservations`.
    pub fn reservations(&self) -> Option<Resources<'a>> {
        self.resources("reservations")
    }

    fn resources(&self, key: &str) -> Option<Resources<'a>> {
        let r = self.node.get("resources")?.get(key)?.resolve();
        r.is_mapping().then_some(Resources {
            node: r,
            reader: self.reader,
        })
    }

    /// `restart_policy.condition`.
    pub fn restart_condition(&self) -> Option<Str<'a>> {
        self.reader
            .field(self.node.get("restart_policy")?, "condition")
    }
}

/// `deploy.resources.limits` or `.reservations`.
#[derive(Clone, Copy, Debug)]
pub struct Resources<'a> {
    pub node: NodeRef<'a>,
    reader: Reader,
}

impl<'a> Resources<'a> {
    /// `cpus`, `memory` or `pids`.
    pub fn str(&self, key: &str) -> Option<Str<'a>> {
        self.reader.field(self.node, key)
    }
}

/// `extends:`, short (`extends: base`) or long.
#[derive(Clone, Copy, Debug)]
pub struct Extends<'a> {
    /// The whole value.
    pub span: Span,
    /// The service extended.
    pub service: Option<Str<'a>>,
    /// The file it is in, when not this one.
    pub file: Option<Str<'a>>,
}

impl Reader {
    fn port<'a>(self, item: NodeRef<'a>) -> Option<Port<'a>> {
        let r = item.resolve();
        let mut port = Port {
            node: r,
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
        let value = short.value;
        // [[host_ip:]published:]target[/protocol], the way Docker's ParsePortSpec splits it,
        // separators inside `${...}` left alone.
        let (rest, proto) = match separators(value, b'/').last() {
            Some(&i) => (i, Some(i + 1..value.len())),
            None => (value.len(), None),
        };
        let colons: Vec<usize> = separators(&value[..rest], b':');
        match colons.as_slice() {
            [] => port.target = Some(short.part(0..rest)),
            [c] => {
                port.published = Some(short.part(0..*c));
                port.target = Some(short.part(c + 1..rest));
            }
            [.., a, b] => {
                port.host_ip = Some(short.part(trim_brackets(value, 0..*a)));
                port.published = Some(short.part(a + 1..*b));
                port.target = Some(short.part(b + 1..rest));
            }
        }
        port.protocol = proto.map(|p| short.part(p));
        port.short = Some(short);
        Some(port)
    }

    fn volume<'a>(self, item: NodeRef<'a>) -> Option<Volume<'a>> {
        let r = item.resolve();
        let mut vol = Volume {
            node: r,
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
        let spec = self.str(r)?;
        let parts = split_volume_spec(spec.value);
        match parts.as_slice() {
            [] => {}
            [target] => vol.target = Some(spec.part(target.clone())),
            [source, target, rest @ ..] => {
                vol.source = Some(spec.part(source.clone()));
                vol.target = Some(spec.part(target.clone()));
                if let Some(mode) = rest.first() {
                    let mode = spec.part(mode.clone());
                    vol.read_only = mode.value.split(',').any(|o| o == "ro");
                    vol.mode = Some(mode);
                }
            }
        }
        vol.kind = match &vol.source {
            Some(s) if is_host_path(s) => VolumeKind::Bind,
            _ => VolumeKind::Volume,
        };
        Some(vol)
    }
}

/// The range without surrounding `[` `]` (an IPv6 address in a port).
fn trim_brackets(s: &str, r: Range<usize>) -> Range<usize> {
    let t = s.get(r.clone()).unwrap_or_default();
    if t.len() >= 2 && t.starts_with('[') && t.ends_with(']') {
        r.start + 1..r.end - 1
    } else {
        r
    }
}

/// Splits `source:target:mode` on colons outside `${...}`, keeping a Windows drive (`C:`) in
/// its part, as compose-go's `ParseVolume` does. Returns byte ranges.
fn split_volume_spec(s: &str) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut start = 0;
    for i in separators(s, b':') {
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

/// Whether a short-form volume source is a host path rather than a volume name, judged by
/// its default when interpolated. A source that is only a variable without a default
/// (`${DATA}`) is taken as a path, which it nearly always is.
fn is_host_path(source: &Str<'_>) -> bool {
    let Some(s) = source.resolved() else {
        return true;
    };
    let b = s.as_bytes();
    matches!(b.first(), Some(b'.' | b'/' | b'~' | b'\\' | b'$'))
        || s.contains('/')
        || s.contains('\\')
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}
