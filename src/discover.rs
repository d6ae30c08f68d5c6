//! Finding the files to lint: walking directories (honouring .gitignore) and deciding whether a
//! file is a Dockerfile or a compose file.

use crate::dirlist::EntryType;
use crate::source::{FileKind, MAX_CONFIG_SIZE, ReadError, describe_file_type, read_regular_file};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How a Dockerfile name is recognised, compared ASCII case-insensitively.
#[derive(Debug, Clone, Copy)]
pub enum NameRule {
    /// The whole name (`Dockerfile`).
    Exact(&'static str),
    /// The name starts with this (`Dockerfile.`), followed by at least one character.
    Prefix(&'static str),
    /// The name ends with this (`.dockerfile`), after at least one character.
    Suffix(&'static str),
}

impl NameRule {
    fn matches(self, lower: &str) -> bool {
        match self {
            NameRule::Exact(n) => lower == n,
            NameRule::Prefix(p) => lower.len() > p.len() && lower.starts_with(p),
            NameRule::Suffix(x) => lower.len() > x.len() && lower.ends_with(x),
        }
    }

    /// The rule as a glob for people (`Dockerfile.*`), in the usual spelling.
    fn glob(self, spelled: &str) -> String {
        match self {
            NameRule::Exact(_) => format!("`{spelled}`"),
            NameRule::Prefix(_) => format!("`{spelled}*`"),
            NameRule::Suffix(_) => format!("`*{spelled}`"),
        }
    }
}

/// Names of Dockerfiles (lower case), with their usual spelling for the docs.
pub const DOCKERFILE_NAMES: [(NameRule, &str); 5] = [
    (NameRule::Exact("dockerfile"), "Dockerfile"),
    (NameRule::Prefix("dockerfile."), "Dockerfile."),
    (NameRule::Suffix(".dockerfile"), ".Dockerfile"),
    (NameRule::Exact("containerfile"), "Containerfile"),
    (NameRule::Prefix("containerfile."), "Containerfile."),
];

/// Compose file names: one of these prefixes (lower case) and a YAML extension.
pub const COMPOSE_PREFIXES: [&str; 3] = ["compose.", "compose-", "docker-compose"];
/// The extensions of YAML files.
pub const YAML_EXTENSIONS: [&str; 2] = [".yml", ".yaml"];

/// Extensions that say a file is something else, or a template to be rendered first: such a
/// `Dockerfile.*` is passed over in directories (still linted when named on the command line).
/// Chosen from what real repositories hold next to their Dockerfiles (the corpus has
/// `Dockerfile.template`, `Dockerfile.windows.tmpl`, `Dockerfile.rego`).
pub const SKIPPED_EXTENSIONS: [&str; 40] = [
    // templates
    ".template",
    ".tmpl",
    ".tpl",
    ".j2",
    ".jinja",
    ".jinja2",
    ".erb",
    ".mustache",
    ".hbs",
    ".in",
    ".gotmpl",
    ".ejs", // documents and data
    ".md",
    ".txt",
    ".rst",
    ".adoc",
    ".json",
    ".yml",
    ".yaml",
    ".toml",
    ".xml",
    ".lock",
    // code and policies
    ".sh",
    ".ps1",
    ".bat",
    ".py",
    ".rego",
    ".cue",
    ".nix",
    ".dockerignore", // patches and backups
    ".patch",
    ".diff",
    ".rej",
    ".bak",
    ".orig",
    ".old",
    ".tmp",
    ".swp",
    ".swo",
    ".sig",
];

/// Whether a lower-case name is a backup, a template or another kind of file by its end.
fn skipped_name(lower: &str) -> bool {
    lower.ends_with('~') || SKIPPED_EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

/// The kind a file name implies, or `None` when the name says nothing (see
/// [`naming_description`] for the rules in words).
pub fn kind_from_name(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    if YAML_EXTENSIONS.iter().any(|e| lower.ends_with(e))
        && COMPOSE_PREFIXES.iter().any(|p| lower.starts_with(p))
    {
        return Some(FileKind::Compose);
    }
    if skipped_name(&lower) {
        return None;
    }
    DOCKERFILE_NAMES
        .iter()
        .any(|(rule, _)| rule.matches(&lower))
        .then_some(FileKind::Dockerfile)
}

/// The naming rules of discovery in words (Markdown), generated from the constants above;
/// README.md holds a copy that a test keeps equal.
pub fn naming_description() -> String {
    let dockerfiles: Vec<String> = DOCKERFILE_NAMES
        .iter()
        .map(|(rule, spelled)| rule.glob(spelled))
        .collect();
    let compose: Vec<String> = COMPOSE_PREFIXES.iter().map(|p| format!("`{p}`")).collect();
    let yaml: Vec<String> = YAML_EXTENSIONS.iter().map(|e| format!("`{e}`")).collect();
    let skipped: Vec<String> = SKIPPED_EXTENSIONS
        .iter()
        .map(|e| format!("`{e}`"))
        .collect();
    format!(
        "- Dockerfiles: {}.\n\
         - Compose files: names starting with {} and ending in {}.\n\
         - Names are compared in any case (`dev.DOCKERFILE` is a Dockerfile).\n\
         - Passed over in directories, as templates or other kinds of files: names ending in `~` \
         or in {}.\n",
        dockerfiles.join(", "),
        compose.join(", "),
        yaml.join(" or "),
        skipped.join(", "),
    )
}

/// The kind of a file named explicitly: from its name, else from its content.
pub fn kind_of(path: &Path, text: &str) -> FileKind {
    if let Some(k) = kind_from_name(path) {
        return k;
    }
    let lower = path.to_string_lossy().to_ascii_lowercase();
    if lower.ends_with(".yml") || lower.ends_with(".yaml") {
        return FileKind::Compose;
    }
    kind_from_content(text)
}

/// Guesses the kind from content: a YAML mapping with compose's top-level keys is compose,
/// anything else is read as a Dockerfile.
pub fn kind_from_content(text: &str) -> FileKind {
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let first = t.split_whitespace().next().unwrap_or("");
        if matches!(
            first.trim_end_matches(':'),
            "services"
                | "version"
                | "volumes"
                | "networks"
                | "name"
                | "include"
                | "secrets"
                | "configs"
                | "x-"
        ) && first.ends_with(':')
        {
            return FileKind::Compose;
        }
        if t == "---" || t.starts_with("x-") {
            return FileKind::Compose;
        }
        return FileKind::Dockerfile;
    }
    FileKind::Dockerfile
}

/// A file to lint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub path: PathBuf,
    /// `None` for an explicitly named file whose kind comes from its content.
    pub kind: Option<FileKind>,
}

/// An error found while discovering files.
#[derive(Debug, Clone)]
pub struct DiscoverError {
    pub path: PathBuf,
    pub message: String,
}

/// Expands the command-line paths into files to lint. Directories are walked and only files
/// whose name is a Dockerfile or compose name are kept; files named explicitly are always
/// kept.
///
/// The walk honours `.ignore`, `.gitignore` (inside a git repository) and
/// `.git/info/exclude`, in the directories walked and in their parents, with the precedence
/// of ripgrep (`.ignore` over `.gitignore` over `exclude`, deeper files over shallower ones).
/// wharf reads those files itself with [`read_regular_file`]: a FIFO or a device under an
/// ignore file's name is reported, never opened for a blocking read.
///
/// Symbolic links: a link to a regular file is linted when its name is a Dockerfile or compose
/// name; links to directories are never followed (so no loops). A file is linted once even
/// when it is named several times (`. Dockerfile`, `x/Dockerfile ./x/Dockerfile`); the result
/// is sorted by path.
pub fn discover(
    paths: &[PathBuf],
    exclude: &dyn Fn(&Path) -> bool,
) -> (Vec<Candidate>, Vec<DiscoverError>) {
    discover_with(
        paths,
        &Walk {
            exclude,
            listed: &|_, _| {},
            share_listings: false,
            list_above: false,
        },
    )
}

/// What a walk asks of its caller.
pub struct Walk<'a> {
    /// Whether a file found in a directory is left out (`exclude` globs); given the path the
    /// file is reported under.
    pub exclude: &'a dyn Fn(&Path) -> bool,
    /// Told the names in each directory walked (an absolute, normalized path), before any
    /// file of it is passed to `exclude`: the configuration lookup reads them instead of
    /// probing each configuration file name.
    pub listed: &'a (dyn Fn(&Path, &[&std::ffi::OsStr]) + Sync),
    /// Keep the listing of each directory that holds a Dockerfile for its build context
    /// ([`crate::dockerignore::share_listing`]), so that the context is not listed again. For
    /// a run over files that do not change while it runs (the CLI).
    pub share_listings: bool,
    /// Read every directory above a file named on the command line too, not only its own
    /// (see [`survey`]): for a caller whose configuration lookup reads them all.
    pub list_above: bool,
}

/// [`discover`], with the directory listings passed on to `walk.listed`.
pub fn discover_with(
    paths: &[PathBuf],
    walk_opts: &Walk<'_>,
) -> (Vec<Candidate>, Vec<DiscoverError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    // The type of each path named: from its directory's listing, else asked in parallel (a
    // long list of files is common: a pre-commit hook, `git ls-files | xargs`).
    let named: Vec<PathBuf> = paths.iter().map(|p| lexical(p)).collect();
    let listed = survey(&named, &cwd, walk_opts);
    let unlisted: Vec<&PathBuf> = named
        .iter()
        .zip(&listed)
        .filter(|(_, t)| !matches!(t, Some(EntryType::File | EntryType::Dir)))
        .map(|(p, _)| p)
        .collect();
    let mut asked = crate::engine::par_map(&unlisted, |p| std::fs::metadata(p)).into_iter();
    for (path, listed) in named.iter().zip(listed) {
        let is_dir = match listed {
            Some(EntryType::File) => false,
            Some(EntryType::Dir) => true,
            // One answer was asked for each path the listings did not type.
            _ => match asked.next().unwrap_or_else(|| std::fs::metadata(path)) {
                Ok(meta) if meta.is_file() => false,
                Ok(meta) if meta.is_dir() => true,
                Ok(meta) => {
                    errors.push(DiscoverError {
                        path: path.clone(),
                        message: ReadError::NotRegular(describe_file_type(meta.file_type()))
                            .to_string(),
                    });
                    continue;
                }
                Err(e) => {
                    errors.push(DiscoverError {
                        path: path.clone(),
                        message: io_message(&e),
                    });
                    continue;
                }
            },
        };
        if !is_dir {
            out.push(Candidate {
                path: path.clone(),
                kind: kind_from_name(path),
            });
            continue;
        }
        let before = (out.len(), errors.len());
        walk(path, &cwd, walk_opts, &mut out, &mut errors);
        if out.len() == before.0 && errors.len() == before.1 {
            errors.push(DiscoverError {
                path: path.clone(),
                message: "no Dockerfile or compose file found in this directory".into(),
            });
        }
    }
    // One entry per file, under its shortest name, then in path order. Paths in normal form
    // (nearly all) compare by their bytes; the order is `Path`'s either way.
    use crate::project::{is_normal, normal_cmp};
    let mut keyed: Vec<(PathBuf, bool, Candidate)> = crate::engine::par_map_into(out, |c| {
        let id = identity(&c.path);
        let plain = is_normal(&id) && is_normal(&c.path);
        (id, plain, c)
    });
    let cmp = |plain: bool, a: &Path, b: &Path| {
        if plain { normal_cmp(a, b) } else { a.cmp(b) }
    };
    keyed.sort_by(|a, b| {
        let plain = a.1 && b.1;
        cmp(plain, &a.0, &b.0)
            .then(a.2.path.as_os_str().len().cmp(&b.2.path.as_os_str().len()))
            .then_with(|| cmp(plain, &a.2.path, &b.2.path))
            .then(a.2.kind.cmp(&b.2.kind))
    });
    keyed.dedup_by(|a, b| a.0 == b.0);
    keyed.sort_by(|a, b| cmp(a.1 && b.1, &a.2.path, &b.2.path).then(a.2.kind.cmp(&b.2.kind)));
    let out: Vec<Candidate> = keyed.into_iter().map(|(_, _, c)| c).collect();
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    errors.dedup_by(|a, b| a.path == b.path && a.message == b.message);
    (out, errors)
}

/// Directories with more entries than this are left to the usual lookups.
const MAX_SURVEYED_ENTRIES: usize = 10_000;

/// Reads once each, in parallel, the directories of the paths named on the command line (with
/// `walk.list_above`, and more than one path, every directory above them too) and learns from
/// the listings what would otherwise cost a `stat` or a listing each: the type of each named
/// path, that each directory read is no link (so that it resolves without an `lstat`, see
/// [`canonical_dir`]), the configuration files each holds (told to `walk.listed`), and, with
/// `walk.share_listings`, the build context of each named Dockerfile. Returns the type of each
/// path as its directory lists it: `None` where the listing does not say (a path not in
/// normal form, a directory that is a link or cannot be read), and the caller asks.
fn survey(paths: &[PathBuf], cwd: &Path, walk: &Walk<'_>) -> Vec<Option<EntryType>> {
    use crate::project::{cache_key, is_normal};
    use std::borrow::Cow;
    // Each path's directory made absolute: the current directory holds no link (the kernel
    // gives it resolved), so only the components of the paths themselves need checking.
    let parents: Vec<Option<Cow<'_, Path>>> = paths
        .iter()
        .map(|p| {
            if !is_normal(p) {
                return None;
            }
            if p.is_absolute() {
                return p.parent().map(Cow::Borrowed);
            }
            let abs = cwd.join(p);
            (is_normal(&abs))
                .then(|| abs.parent().map(|d| Cow::Owned(d.to_path_buf())))
                .flatten()
        })
        .collect();
    // The directories to read, each with the index of its parent when that is read too.
    let above = walk.list_above && paths.len() > 1;
    let mut dirs: Vec<&Path> = Vec::new();
    let mut up: Vec<Option<usize>> = Vec::new();
    let mut index: hashbrown::HashMap<&[u8], usize> = hashbrown::HashMap::new();
    for parent in parents.iter().flatten() {
        let mut child: Option<usize> = None;
        let mut dir = Some(parent.as_ref());
        while let Some(d) = dir {
            let known = index.get(cache_key(d)).copied();
            let i = known.unwrap_or(dirs.len());
            if let Some(c) = child {
                up[c] = Some(i);
            }
            if known.is_some() {
                break;
            }
            index.insert(cache_key(d), i);
            dirs.push(d);
            up.push(None);
            child = Some(i);
            dir = d.parent().filter(|_| above);
        }
    }
    // Each directory read, and its names told to the configuration lookup, in parallel.
    let listings = crate::engine::par_map(&dirs, |d| {
        let listing = crate::dirlist::read(d, MAX_SURVEYED_ENTRIES)?;
        let names: Vec<&std::ffi::OsStr> = listing.entries().map(|(n, _)| n).collect();
        (walk.listed)(d, &names);
        Some(Arc::new(listing))
    });
    let whole = read_whole(&dirs, &up, &listings);
    let mut resolved: Vec<Option<Option<PathBuf>>> = vec![None; dirs.len()];
    let mut kept = vec![false; dirs.len()];
    let mut noted: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut shared: Vec<(PathBuf, Arc<crate::dirlist::Listing>)> = Vec::new();
    let types = paths
        .iter()
        .zip(&parents)
        .map(|(path, parent)| {
            let i = *index.get(cache_key(parent.as_deref()?))?;
            let listing = listings[i].as_ref()?;
            let found = listing.get(path.file_name()?)?;
            // The directory as the path names it, which is what `identity` and the build
            // context ask about.
            let given = own_dir(path);
            let first = resolved[i].is_none();
            let real = resolved[i]
                .get_or_insert_with(|| resolve_listed(dirs[i], whole[i]))
                .clone();
            if let Some(real) = real {
                if given != dirs[i] {
                    noted.push((given.to_path_buf(), real.clone()));
                }
                if first {
                    noted.push((dirs[i].to_path_buf(), real));
                }
            }
            if walk.share_listings
                && found == EntryType::File
                && !kept[i]
                && kind_from_name(path) != Some(FileKind::Compose)
            {
                kept[i] = true;
                shared.push((given.to_path_buf(), listing.clone()));
            }
            Some(found)
        })
        .collect();
    note_canonicals(noted.iter().map(|(d, r)| (d, r)));
    crate::dockerignore::share_listed(shared);
    types
}

/// Where `dir`, read by [`survey`] (so no link itself), resolves to: itself when every
/// directory above it was read too (`whole`: none is a link, and the path is absolute and
/// normal), else its parent resolved the usual way ([`canonical_dir`]) and its own name.
fn resolve_listed(dir: &Path, whole: bool) -> Option<PathBuf> {
    if whole {
        return Some(dir.to_path_buf());
    }
    let parent = canonical_dir(dir.parent()?);
    Some(parent.join(dir.file_name()?)).filter(|r| r.is_absolute())
}

/// For each directory of a survey, whether it and every directory above it were read (`up`
/// gives the index of each one's parent when that was read; the top has none).
fn read_whole(
    dirs: &[&Path],
    up: &[Option<usize>],
    listings: &[Option<Arc<crate::dirlist::Listing>>],
) -> Vec<bool> {
    let mut whole: Vec<Option<bool>> = vec![None; dirs.len()];
    let mut climbed = Vec::new();
    for i in 0..dirs.len() {
        let mut k = i;
        let answer = loop {
            if let Some(known) = whole[k] {
                break known;
            }
            if listings[k].is_none() {
                break false;
            }
            climbed.push(k);
            match up[k] {
                Some(j) => k = j,
                None => break dirs[k].parent().is_none(),
            }
        };
        for k in climbed.drain(..) {
            whole[k] = Some(answer);
        }
        whole[i].get_or_insert(answer);
    }
    whole.into_iter().map(|w| w.unwrap_or(false)).collect()
}

/// `path` without `.` components (`./x/./Dockerfile` is `x/Dockerfile`); `.` stays `.`.
fn lexical(path: &Path) -> PathBuf {
    if crate::project::is_normal(path) {
        return path.to_path_buf();
    }
    let out: PathBuf = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// The directory a file's path names it in: its parent, or `.` for a bare name.
pub fn own_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// What makes two names of a file the same file: its resolved directory and its own name
/// (the name itself is not resolved, so a link named `Dockerfile` stays a file of its own).
pub fn identity(path: &Path) -> PathBuf {
    let dir = canonical_dir(own_dir(path));
    match path.file_name() {
        Some(name) => dir.join(name),
        None => dir,
    }
}

/// A directory with its links resolved, as `std::fs::canonicalize` gives it (the directory
/// itself when that fails), cached for the process: resolving costs a `readlink` for every
/// component of the path, and a run asks about the same few directories for thousands of
/// files. The key is the path as given, so relative paths assume the current directory does
/// not change while wharf runs (wharf never changes it).
fn canonical_dir(dir: &Path) -> PathBuf {
    let cache = canonical_cache();
    let key = crate::project::cache_key(dir);
    if let Some(found) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(key) {
        return found.clone();
    }
    let resolved = resolve_dir(dir).unwrap_or_else(|| dir.to_path_buf());
    cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key.into(), resolved.clone());
    resolved
}

/// Keyed by the directory's bytes as given ([`crate::project::cache_key`]).
type CanonicalCache = std::sync::Mutex<hashbrown::HashMap<Box<[u8]>, PathBuf>>;

fn canonical_cache() -> &'static CanonicalCache {
    static CACHE: std::sync::OnceLock<CanonicalCache> = std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Records that `dir` resolves to `resolved`: the walk knows it for every directory it
/// enters (a real directory, not a link, inside a resolved one).
fn note_canonical(dir: PathBuf, resolved: PathBuf) {
    canonical_cache()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(crate::project::cache_key(&dir).into(), resolved);
}

/// [`note_canonical`] for many directories, under one lock.
fn note_canonicals<'a, D: AsRef<Path>>(known: impl Iterator<Item = (D, &'a PathBuf)>) {
    let mut cache = canonical_cache().lock().unwrap_or_else(|p| p.into_inner());
    for (dir, resolved) in known {
        cache.insert(
            crate::project::cache_key(dir.as_ref()).into(),
            resolved.clone(),
        );
    }
}

/// Resolves `dir` from its resolved parent (see [`canonical_dir`]): one `lstat` for a
/// directory that is not a link, where `canonicalize` reads every component again. Paths with
/// `..` and links go through `canonicalize`. `None` when the directory cannot be resolved.
fn resolve_dir(dir: &Path) -> Option<PathBuf> {
    use std::path::Component;
    // Most directories are in normal form (checked on the bytes); the others are walked
    // component by component. Each ancestor is resolved once, so a deep directory would
    // otherwise walk its components once per level.
    let plain = crate::project::is_normal(dir)
        || dir.components().all(|c| {
            matches!(
                c,
                Component::Normal(_) | Component::RootDir | Component::CurDir
            )
        });
    let name = dir.file_name();
    let parent = dir.parent();
    match (plain, name, parent) {
        (true, Some(name), Some(parent)) if !parent.as_os_str().is_empty() => {
            let meta = std::fs::symlink_metadata(dir).ok()?;
            if meta.file_type().is_symlink() {
                return std::fs::canonicalize(dir).ok();
            }
            let up = canonical_dir(parent);
            // The parent did not resolve (it vanished meanwhile): resolve the whole path.
            if up.is_relative() {
                return std::fs::canonicalize(dir).ok();
            }
            Some(up.join(name))
        }
        _ => std::fs::canonicalize(dir).ok(),
    }
}

/// Walks one directory given on the command line, reading each directory once: its listing
/// says which ignore and configuration files it holds, so that none is probed by name.
///
/// The walk has two parts. The directories are listed in parallel on the engine's pool
/// ([`list_tree`]: listings, ignore files, the types of links), which is where its time goes;
/// then the tree of listings is visited on the calling thread in the order of a sequential
/// depth-first walk ([`Listed::visit`]), and only there is each file passed to `exclude`, so
/// that the configuration lookup (which loads configuration files and notes warnings in the
/// order it meets them) sees the files in the same order as before.
fn walk(
    root: &Path,
    cwd: &Path,
    walk_opts: &Walk<'_>,
    out: &mut Vec<Candidate>,
    errors: &mut Vec<DiscoverError>,
) {
    let ignores = Ignores::new(root, cwd);
    let mut ignore_errors = Vec::new();
    // The matchers of every directory above the root, deepest first.
    let above = ignores.chain_above(&ignores.root_abs, &mut ignore_errors);
    // The resolved path of each directory, passed down so that `identity` need not ask.
    let root_real = canonical_dir(&lexical(root));
    let job = DirJob {
        dir: root.to_path_buf(),
        dir_abs: ignores.root_abs.clone(),
        dir_real: root_real,
        above,
    };
    let tree = list_tree(&ignores, walk_opts.listed, walk_opts.share_listings, job);
    tree.visit(walk_opts.exclude, out, errors, &mut ignore_errors);
    errors.extend(ignore_errors);
}

/// A directory to list: its path as walked, absolute and resolved, and the matchers of the
/// directories above it, deepest first (only those with a matcher or a `.git`: a directory
/// with none changes no answer of [`Ignores::is_ignored`]).
struct DirJob {
    dir: PathBuf,
    dir_abs: PathBuf,
    dir_real: PathBuf,
    above: Vec<Arc<DirIgnores>>,
}

/// One listed directory of a walk, with the directories below it.
enum Listed {
    /// The directory could not be read.
    Failed(DiscoverError),
    Read {
        /// The files under a Dockerfile or compose name that no ignore file leaves out, in
        /// listing order, as `dir.join(name)`.
        files: Vec<(PathBuf, FileKind)>,
        /// The directories below, in listing order.
        subdirs: Vec<Listed>,
        /// The errors of reading this directory's ignore files.
        ignore_errors: Vec<DiscoverError>,
    },
}

impl Listed {
    /// Visits the tree in the order of the sequential walk (a stack: each directory, then its
    /// subdirectories from the last listed to the first), passing each file to `exclude`.
    fn visit(
        self,
        exclude: &dyn Fn(&Path) -> bool,
        out: &mut Vec<Candidate>,
        errors: &mut Vec<DiscoverError>,
        ignore_errors: &mut Vec<DiscoverError>,
    ) {
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            match node {
                Listed::Failed(e) => errors.push(e),
                Listed::Read {
                    files,
                    subdirs,
                    ignore_errors: own,
                } => {
                    ignore_errors.extend(own);
                    for (p, kind) in files {
                        let path = lexical(&p);
                        if exclude(&path) {
                            continue;
                        }
                        out.push(Candidate {
                            path,
                            kind: Some(kind),
                        });
                    }
                    stack.extend(subdirs);
                }
            }
        }
    }
}

/// Lists a directory and, in parallel on the engine's pool, every directory below it that no
/// ignore file leaves out; `listed` is told each listing.
/// With `share`, the listing of a directory that holds a Dockerfile is kept for its build
/// context (see [`Walk::share_listings`]).
fn list_tree(
    ignores: &Ignores,
    listed: &(dyn Fn(&Path, &[&std::ffi::OsStr]) + Sync),
    share: bool,
    job: DirJob,
) -> Listed {
    let DirJob {
        dir,
        dir_abs,
        dir_real,
        above,
    } = job;
    let (entries, complete) = match list_dir(&dir) {
        Ok(listing) => listing,
        Err(e) => {
            return Listed::Failed(DiscoverError {
                path: lexical(&dir),
                message: io_message(&e),
            });
        }
    };
    let names: Vec<&std::ffi::OsStr> = entries.iter().map(|(n, _)| n.as_os_str()).collect();
    listed(&dir_abs, &names);
    let mut ignore_errors = Vec::new();
    let mut chain = Vec::with_capacity(above.len() + 1);
    chain.extend(ignores.listed(&dir_abs, &names, &mut ignore_errors));
    chain.extend(above);
    let mut files = Vec::new();
    let mut jobs = Vec::new();
    for (name, t) in &entries {
        if name == ".git" {
            continue;
        }
        let p = dir.join(name);
        // Without a matcher above, nothing is ignored: most files need no absolute path.
        let abs = (t.is_dir() || !chain.is_empty()).then(|| dir_abs.join(name));
        if let Some(abs) = &abs
            && ignores.is_ignored(&chain, abs, t.is_dir())
        {
            continue;
        }
        if let (true, Some(abs)) = (t.is_dir(), abs) {
            let real = dir_real.join(name);
            note_canonical(lexical(&p), real.clone());
            jobs.push(DirJob {
                dir: p,
                dir_abs: abs,
                dir_real: real,
                above: chain.clone(),
            });
            continue;
        }
        let Some(kind) = kind_from_name(&p) else {
            continue;
        };
        // A link counts when it leads to a regular file; a link to a directory is not
        // followed. Anything else under a Dockerfile or compose name (a FIFO, a device, a
        // link to one) is kept, so that the reader reports it instead of it being passed
        // over.
        if t.is_symlink() && std::fs::metadata(&p).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        files.push((p, kind));
    }
    if share && complete && files.iter().any(|(_, kind)| *kind == FileKind::Dockerfile) {
        let listing = entries.iter().map(|(n, t)| (n.as_os_str(), t.is_file()));
        crate::dockerignore::share_listing(&lexical(&dir), listing);
    }
    let subdirs = crate::engine::par_map_into(jobs, |job| list_tree(ignores, listed, share, job));
    Listed::Read {
        files,
        subdirs,
        ignore_errors,
    }
}

/// The names and types (as the directory listing gives them, without a `stat` each) of the
/// entries of a directory, and whether that is every entry (none vanished before its type was
/// read).
type Listing = (Vec<(std::ffi::OsString, std::fs::FileType)>, bool);

fn list_dir(dir: &Path) -> std::io::Result<Listing> {
    let mut out = Vec::new();
    let mut complete = true;
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        // The type comes from the listing; only file systems that do not give it cost a
        // `lstat`, and an entry that vanished meanwhile is passed over.
        match e.file_type() {
            Ok(t) => out.push((e.file_name(), t)),
            Err(_) => complete = false,
        }
    }
    Ok((out, complete))
}

/// The ignore files of the directories of one walk, read on demand with the safe reader and
/// cached per directory.
struct Ignores {
    /// The walk's root as given, and the same directory made absolute.
    root: PathBuf,
    root_abs: PathBuf,
    /// The matchers of each directory read so far; `None` for one with no matcher.
    dirs: std::sync::Mutex<hashbrown::HashMap<PathBuf, Option<Arc<DirIgnores>>>>,
}

/// The matchers of one directory.
#[derive(Default)]
struct DirIgnores {
    ignore: Option<Gitignore>,
    gitignore: Option<Gitignore>,
    /// `.git/info/exclude`, for the directory that holds `.git`.
    exclude: Option<Gitignore>,
    /// The directory holds `.git`: the top of a repository.
    git_root: bool,
}

impl Ignores {
    fn new(root: &Path, cwd: &Path) -> Ignores {
        let root_abs = crate::config::normalize_path(root, cwd);
        Ignores {
            root: root.to_path_buf(),
            root_abs,
            dirs: Default::default(),
        }
    }

    /// The matchers of the directories above `dir` (not `dir` itself), deepest first: read
    /// by name, since those directories are not listed by the walk. The errors of reading
    /// their ignore files go to `errors`.
    fn chain_above(&self, dir: &Path, errors: &mut Vec<DiscoverError>) -> Vec<Arc<DirIgnores>> {
        dir.ancestors()
            .skip(1)
            .filter_map(|d| {
                let present = |name: &str| std::fs::symlink_metadata(d.join(name)).is_ok();
                self.dir(
                    d,
                    present(".ignore"),
                    present(".gitignore"),
                    present(".git"),
                    errors,
                )
            })
            .collect()
    }

    /// The matchers of a directory the walk has listed: only the files it holds are read.
    fn listed(
        &self,
        dir: &Path,
        names: &[&std::ffi::OsStr],
        errors: &mut Vec<DiscoverError>,
    ) -> Option<Arc<DirIgnores>> {
        let has = |name: &str| names.iter().any(|n| *n == name);
        self.dir(dir, has(".ignore"), has(".gitignore"), has(".git"), errors)
    }

    /// Whether an entry is ignored by the matchers `chain` of its directory and the
    /// directories above, deepest first. `abs` is the entry's absolute path.
    fn is_ignored(&self, chain: &[Arc<DirIgnores>], abs: &Path, is_dir: bool) -> bool {
        // Precedence as ripgrep's: the kind of file first, then the deepest directory.
        let ignore = chain.iter().map(|d| d.ignore.as_ref());
        if let Some(ignored) = first_match(ignore, abs, is_dir) {
            return ignored;
        }
        // Git's files apply only inside a repository, and not above its top.
        let Some(top) = chain.iter().position(|d| d.git_root) else {
            return false;
        };
        let repo = &chain[..=top];
        if let Some(ignored) = first_match(repo.iter().map(|d| d.gitignore.as_ref()), abs, is_dir) {
            return ignored;
        }
        first_match(repo.iter().map(|d| d.exclude.as_ref()), abs, is_dir).unwrap_or(false)
    }

    /// The matchers of one directory, given which of `.ignore`, `.gitignore` and `.git` it
    /// holds; read once and cached. The errors of reading them go to `errors`.
    fn dir(
        &self,
        dir: &Path,
        ignore: bool,
        gitignore: bool,
        git: bool,
        errors: &mut Vec<DiscoverError>,
    ) -> Option<Arc<DirIgnores>> {
        // Most directories hold none of the three: nothing to read, nothing to remember.
        if !(ignore || gitignore || git) {
            return None;
        }
        if let Some(d) = self.dirs.lock().unwrap_or_else(|p| p.into_inner()).get(dir) {
            return d.clone();
        }
        let ignore = ignore
            .then(|| self.load(dir, &dir.join(".ignore"), errors))
            .flatten();
        let gitignore = gitignore
            .then(|| self.load(dir, &dir.join(".gitignore"), errors))
            .flatten();
        let exclude = git
            .then(|| self.load(dir, &dir.join(".git").join("info").join("exclude"), errors))
            .flatten();
        let found = (ignore.is_some() || gitignore.is_some() || git).then(|| {
            Arc::new(DirIgnores {
                ignore,
                gitignore,
                exclude,
                git_root: git,
            })
        });
        self.dirs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(dir.to_path_buf(), found.clone());
        found
    }

    /// Reads one ignore file; `None` when it does not exist. A file that cannot be read
    /// safely (a FIFO, a device, too large) or holds a bad pattern is an error of the run,
    /// pushed to `errors`.
    fn load(&self, dir: &Path, file: &Path, errors: &mut Vec<DiscoverError>) -> Option<Gitignore> {
        let mut report = |message: String| {
            let shown = match file.strip_prefix(&self.root_abs) {
                Ok(rel) => self.root.join(rel),
                Err(_) => file.to_path_buf(),
            };
            errors.push(DiscoverError {
                path: lexical(&shown),
                message,
            });
        };
        let bytes = match read_regular_file(file, MAX_CONFIG_SIZE) {
            Ok(b) => b,
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return None,
            // A path component that is not a directory (`.git` as a file, in a worktree).
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotADirectory => {
                return None;
            }
            Err(e) => {
                report(format!("ignore file not read: {e}"));
                return None;
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        let mut builder = GitignoreBuilder::new(dir);
        for line in text.lines() {
            if let Err(e) = builder.add_line(Some(file.to_path_buf()), line) {
                report(format!("ignore file not read: {e}"));
                return None;
            }
        }
        match builder.build() {
            Ok(g) => Some(g),
            Err(e) => {
                report(format!("ignore file not read: {e}"));
                None
            }
        }
    }
}

/// The verdict of the first matcher that matches, in order: `Some(true)` ignored,
/// `Some(false)` re-included by a `!` pattern.
fn first_match<'a>(
    matchers: impl Iterator<Item = Option<&'a Gitignore>>,
    path: &Path,
    is_dir: bool,
) -> Option<bool> {
    for m in matchers.flatten() {
        match m.matched(path, is_dir) {
            ignore::Match::Ignore(_) => return Some(true),
            ignore::Match::Whitelist(_) => return Some(false),
            ignore::Match::None => {}
        }
    }
    None
}

/// A short, lowercase description of an I/O error.
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            let s = s.split(" (os error").next().unwrap_or(&s);
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
                None => s.to_string(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for n in [
            "Dockerfile",
            "Dockerfile.dev",
            "app.Dockerfile",
            "x.dockerfile",
            "Containerfile",
            "Containerfile.arm",
            "dev.DOCKERFILE",
            "DOCKERFILE.prod",
        ] {
            assert_eq!(
                kind_from_name(Path::new(n)),
                Some(FileKind::Dockerfile),
                "{n}"
            );
        }
        for n in [
            "compose.yaml",
            "compose.prod.yml",
            "docker-compose.yml",
            "docker-compose.override.yaml",
            "compose-2.yml",
            "COMPOSE.YAML",
            "docker-compose-dev.yml",
        ] {
            assert_eq!(kind_from_name(Path::new(n)), Some(FileKind::Compose), "{n}");
        }
        for n in [
            "README.md",
            "values.yaml",
            "Dockerfile.dockerignore",
            "Dockerfile.md",
            "Dockerfile.rego",
            "Dockerfile.template",
            "Dockerfile.windows.tmpl",
            "Dockerfile.j2",
            "Dockerfile.jinja",
            "Dockerfile.txt",
            "Dockerfile.sh",
            "Dockerfile.bak",
            "Dockerfile.orig",
            ".Dockerfile.swp",
            "Dockerfile~",
            "docker-compose.yml.j2",
            "Dockerfile",
            "compose.yaml.bak",
            "compose.yml.",
        ]
        .into_iter()
        .filter(|n| *n != "Dockerfile")
        {
            assert_eq!(kind_from_name(Path::new(n)), None, "{n}");
        }
    }

    #[test]
    fn canonical_dirs_match_canonicalize() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real").join("sub");
        std::fs::create_dir_all(&real).unwrap();
        let mut paths = vec![
            real.clone(),
            tmp.path().join("real/../real/sub"),
            tmp.path().join("missing/x"),
        ];
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("real"), tmp.path().join("link")).unwrap();
            paths.push(tmp.path().join("link").join("sub"));
        }
        for p in paths {
            let want = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
            assert_eq!(canonical_dir(&p), want, "{}", p.display());
            // Asked again: the cached answer is the same.
            assert_eq!(canonical_dir(&p), want, "{}", p.display());
        }
    }

    #[test]
    fn the_walk_passes_on_each_listing_and_honours_gitignore() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("app/skipped")).unwrap();
        std::fs::write(root.join(".gitignore"), "skipped/\n").unwrap();
        std::fs::write(root.join("app/Dockerfile"), "FROM alpine\n").unwrap();
        std::fs::write(root.join("app/.hadolint.yaml"), "ignored: []\n").unwrap();
        std::fs::write(root.join("app/skipped/Dockerfile"), "FROM alpine\n").unwrap();
        let seen = std::sync::Mutex::new(Vec::new());
        let listed = |dir: &Path, names: &[&std::ffi::OsStr]| {
            let mut names: Vec<String> = names
                .iter()
                .map(|n| n.to_string_lossy().into_owned())
                .collect();
            names.sort();
            seen.lock().unwrap().push((dir.to_path_buf(), names));
        };
        let walk = Walk {
            exclude: &|_| false,
            listed: &listed,
            share_listings: false,
            list_above: false,
        };
        let (found, errors) = discover_with(&[root.to_path_buf()], &walk);
        assert!(errors.is_empty(), "{errors:?}");
        let paths: Vec<PathBuf> = found.into_iter().map(|c| c.path).collect();
        assert_eq!(paths, vec![root.join("app/Dockerfile")]);
        let seen = seen.into_inner().unwrap();
        let app = crate::config::normalize_path(&root.join("app"), Path::new("/"));
        let app_names = seen.iter().find(|(d, _)| *d == app).map(|(_, n)| n.clone());
        assert_eq!(
            app_names,
            Some(vec![
                ".hadolint.yaml".to_string(),
                "Dockerfile".into(),
                "skipped".into()
            ])
        );
        // The ignored directory is never read.
        assert!(!seen.iter().any(|(d, _)| d.ends_with("skipped")));
    }

    #[test]
    fn files_reach_exclude_in_the_order_of_a_sequential_walk() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for d in ["a", "a/x", "a/y", "b", "b/z", "c"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
            std::fs::write(root.join(d).join("Dockerfile"), "FROM alpine\n").unwrap();
        }
        std::fs::write(root.join("Dockerfile"), "FROM alpine\n").unwrap();
        // The order the listings give, which the walk follows: each directory's files, then
        // its subdirectories from the last listed to the first.
        fn expected(dir: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
            let mut subdirs = Vec::new();
            for e in std::fs::read_dir(dir).unwrap() {
                let e = e.unwrap();
                if e.file_type().unwrap().is_dir() {
                    subdirs.push(e.file_name());
                } else {
                    out.push(rel.join(e.file_name()));
                }
            }
            for name in subdirs.into_iter().rev() {
                expected(&dir.join(&name), &rel.join(&name), out);
            }
        }
        let mut want = Vec::new();
        expected(root, root, &mut want);
        let seen = std::sync::Mutex::new(Vec::new());
        let exclude = |p: &Path| {
            seen.lock().unwrap().push(p.to_path_buf());
            p.ends_with("b/z/Dockerfile")
        };
        let walk = Walk {
            exclude: &exclude,
            listed: &|_, _| {},
            share_listings: false,
            list_above: false,
        };
        let (found, errors) = discover_with(&[root.to_path_buf()], &walk);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(seen.into_inner().unwrap(), want);
        assert_eq!(found.len(), 6);
        assert!(!found.iter().any(|c| c.path.ends_with("b/z/Dockerfile")));
    }

    /// Files named on the command line: their types come from their directories' listings,
    /// each directory (and, with `list_above`, each one above) is passed on once, a named
    /// directory is walked, and what the listing cannot type (a link, a FIFO, a missing name,
    /// a directory behind a link) is asked and reported as before.
    #[cfg(unix)]
    #[test]
    fn named_files_are_typed_from_their_directories_listings() {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        for d in ["a/x/deep", "b", "walked"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        for f in [
            "a/x/Dockerfile",
            "a/x/deep/Dockerfile",
            "b/compose.yaml",
            "walked/Dockerfile",
            "b/odd-name",
        ] {
            std::fs::write(root.join(f), "FROM alpine\n").unwrap();
        }
        std::os::unix::fs::symlink("x", root.join("a/link")).unwrap();
        std::os::unix::fs::symlink("odd-name", root.join("b/Dockerfile")).unwrap();
        let fifo = root.join("b/Dockerfile.fifo");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let seen = std::sync::Mutex::new(Vec::new());
        let listed = |dir: &Path, _: &[&std::ffi::OsStr]| {
            seen.lock().unwrap().push(dir.to_path_buf());
        };
        let walk = Walk {
            exclude: &|_| false,
            listed: &listed,
            share_listings: false,
            list_above: true,
        };
        let named: Vec<PathBuf> = [
            "a/x/Dockerfile",
            "a/link/Dockerfile",
            "a/link/deep/Dockerfile",
            "a/x/deep/Dockerfile",
            "b/compose.yaml",
            "b/odd-name",
            "b/Dockerfile",
            "b/Dockerfile.fifo",
            "b/missing",
            "walked",
        ]
        .iter()
        .map(|p| root.join(p))
        .collect();
        let (found, errors) = discover_with(&named, &walk);
        let found: Vec<(PathBuf, Option<FileKind>)> =
            found.into_iter().map(|c| (c.path, c.kind)).collect();
        assert_eq!(
            found,
            vec![
                // The same file under a link to its directory, or to one above, is linted
                // once.
                (root.join("a/x/Dockerfile"), Some(FileKind::Dockerfile)),
                (root.join("a/x/deep/Dockerfile"), Some(FileKind::Dockerfile)),
                (root.join("b/Dockerfile"), Some(FileKind::Dockerfile)),
                (root.join("b/compose.yaml"), Some(FileKind::Compose)),
                (root.join("b/odd-name"), None),
                (root.join("walked/Dockerfile"), Some(FileKind::Dockerfile)),
            ]
        );
        let errors: Vec<(PathBuf, String)> =
            errors.into_iter().map(|e| (e.path, e.message)).collect();
        assert_eq!(
            errors,
            vec![
                (fifo.clone(), "not a regular file (a FIFO)".to_string()),
                (root.join("b/missing"), "no such file or directory".into()),
            ]
        );
        let seen = seen.into_inner().unwrap();
        for dir in [
            root.join("a/x"),
            root.join("a"),
            root.join("b"),
            root.clone(),
        ] {
            assert_eq!(
                seen.iter().filter(|d| **d == dir).count(),
                1,
                "{}",
                dir.display()
            );
        }
        assert!(seen.contains(&PathBuf::from("/")));
        // A link is not read as a directory of its own.
        assert!(!seen.contains(&root.join("a/link")));
    }

    #[test]
    fn content() {
        assert_eq!(
            kind_from_content("# c\nservices:\n  a: {}\n"),
            FileKind::Compose
        );
        assert_eq!(kind_from_content("FROM alpine\n"), FileKind::Dockerfile);
    }
}
