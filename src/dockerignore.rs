//! `.dockerignore`: which files of a build context the build cannot see, decided as Docker
//! does (moby's `patternmatcher` and `ignorefile`), and the build context a Dockerfile is built
//! with.
//!
//! # Reading the file
//!
//! One pattern a line. A line that starts with `#` is a comment (only in the first column);
//! surrounding whitespace is trimmed and empty lines are skipped. A leading `!` makes the line
//! an exception. Each pattern is cleaned like Go's `filepath.Clean` (`./a//b/` is `a/b`, `..`
//! folded) and a leading `/` is dropped: patterns are relative to the context root.
//!
//! # Matching
//!
//! A pattern matches the whole path relative to the context, with `/` separators:
//!
//! - `*` matches any run of characters except `/`, `?` one character except `/`;
//! - `[a-z]`, `[^a-z]` match one character of (not in) the class;
//! - `**` matches any number of directories, none included: `**/x` matches `x` and `a/b/x`;
//!   a trailing `**` matches everything below;
//! - `\` quotes the next character.
//!
//! A path is excluded when the last pattern that matches it, or one of its parent
//! directories, is not an exception: `*.md` then `!README.md` keeps `README.md`.
//!
//! # Which file
//!
//! `<Dockerfile name>.dockerignore` beside the Dockerfile (`build.Dockerfile.dockerignore`)
//! wins over `.dockerignore` at the root of the context.

use crate::source::{ReadError, read_regular_file};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The largest ignore file read, like configuration files.
pub const MAX_IGNORE_FILE_SIZE: u64 = 1 << 20;

/// A parsed `.dockerignore`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DockerIgnore {
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    /// The cleaned pattern, without its `!`.
    text: String,
    exception: bool,
    tokens: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `*`: any run without `/`.
    Star,
    /// `?`: one character but `/`.
    Any,
    /// `[...]`: (negated, ranges).
    Class(bool, Vec<(char, char)>),
    /// `**` (and `**/`) before more pattern: `(.*/)?`.
    Dirs,
    /// A trailing `**`: everything.
    Rest,
}

impl DockerIgnore {
    /// Parses the text of an ignore file.
    pub fn parse(text: &str) -> DockerIgnore {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let patterns = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|line| {
                let mut p = line.trim();
                let exception = p.starts_with('!');
                if exception {
                    p = p[1..].trim();
                }
                if p.is_empty() {
                    return None;
                }
                let cleaned = clean(p);
                let cleaned = match cleaned.strip_prefix('/') {
                    Some(rest) if !rest.is_empty() => rest.to_string(),
                    _ => cleaned,
                };
                Some(Pattern {
                    tokens: compile(&cleaned),
                    text: cleaned,
                    exception,
                })
            })
            .collect();
        DockerIgnore { patterns }
    }

    /// The patterns, cleaned, each with its `!` when it is an exception.
    pub fn patterns(&self) -> impl Iterator<Item = String> + '_ {
        self.patterns.iter().map(|p| {
            if p.exception {
                format!("!{}", p.text)
            } else {
                p.text.clone()
            }
        })
    }

    /// The file holds `!` exceptions.
    pub fn has_exceptions(&self) -> bool {
        self.patterns.iter().any(|p| p.exception)
    }

    /// The path (relative to the context, cleaned here) is excluded from the build context:
    /// the last pattern that matches it or one of its parents is not an exception.
    pub fn excludes(&self, path: &str) -> bool {
        self.excluded_by(path).is_some()
    }

    /// The pattern that excludes the path (see [`Self::excludes`]), as cleaned.
    pub fn excluded_by(&self, path: &str) -> Option<&str> {
        let path = clean(path.trim_start_matches('/'));
        let parents: Vec<&str> = path
            .char_indices()
            .filter(|&(_, c)| c == '/')
            .map(|(i, _)| &path[..i])
            .collect();
        let mut by: Option<&str> = None;
        for p in &self.patterns {
            // An exception can only bring back what is excluded, and the other way round.
            if p.exception != by.is_some() {
                continue;
            }
            let hit = matches(&p.tokens, &path) || parents.iter().any(|d| matches(&p.tokens, d));
            if hit {
                by = (!p.exception).then_some(p.text.as_str());
            }
        }
        by
    }
}

/// Go's `filepath.Clean` on a slash path: repeated `/` and `.` elements removed, `..` folded
/// into the element before it, no trailing `/`; an empty result is `.`.
pub fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

fn compile(pattern: &str) -> Vec<Token> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                out.push(if i >= chars.len() {
                    Token::Rest
                } else {
                    Token::Dirs
                });
            }
            '*' => out.push(Token::Star),
            '?' => out.push(Token::Any),
            '\\' if i < chars.len() => {
                out.push(Token::Char(chars[i]));
                i += 1;
            }
            '[' => match class(&chars[i..]) {
                Some((token, used)) => {
                    out.push(token);
                    i += used;
                }
                None => out.push(Token::Char('[')),
            },
            c => out.push(Token::Char(c)),
        }
    }
    out
}

/// A character class after its `[`: the token and how many characters it used (`]` included).
fn class(chars: &[char]) -> Option<(Token, usize)> {
    let mut i = 0;
    let negated = matches!(chars.first(), Some('^' | '!'));
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let mut c = *chars.get(i)?;
        if c == ']' && !first {
            return Some((Token::Class(negated, ranges), i + 1));
        }
        first = false;
        if c == '\\' {
            i += 1;
            c = *chars.get(i)?;
        }
        i += 1;
        let mut hi = c;
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&n| n != ']') {
            hi = chars[i + 1];
            if hi == '\\' {
                hi = *chars.get(i + 2)?;
                i += 1;
            }
            i += 2;
        }
        ranges.push((c, hi));
    }
}

/// The tokens match the whole of `path`.
fn matches(tokens: &[Token], path: &str) -> bool {
    let s: Vec<char> = path.chars().collect();
    // memo[t * (n + 1) + k]: tokens[t..] against s[k..]; 0 unknown, 1 no, 2 yes.
    let n = s.len();
    let mut memo = vec![0u8; (tokens.len() + 1) * (n + 1)];
    go(tokens, &s, 0, 0, &mut memo)
}

fn go(tokens: &[Token], s: &[char], t: usize, k: usize, memo: &mut [u8]) -> bool {
    let n = s.len();
    let key = t * (n + 1) + k;
    if memo[key] != 0 {
        return memo[key] == 2;
    }
    let result = match tokens.get(t) {
        None => k == n,
        Some(Token::Rest) => true,
        Some(Token::Char(c)) => s.get(k) == Some(c) && go(tokens, s, t + 1, k + 1, memo),
        Some(Token::Any) => {
            s.get(k).is_some_and(|&c| c != '/') && go(tokens, s, t + 1, k + 1, memo)
        }
        Some(Token::Class(neg, ranges)) => {
            s.get(k).is_some_and(|&c| {
                c != '/' && ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *neg
            }) && go(tokens, s, t + 1, k + 1, memo)
        }
        Some(Token::Star) => {
            go(tokens, s, t + 1, k, memo)
                || (s.get(k).is_some_and(|&c| c != '/') && go(tokens, s, t, k + 1, memo))
        }
        Some(Token::Dirs) => {
            go(tokens, s, t + 1, k, memo)
                || (k + 1..=n).any(|j| s[j - 1] == '/' && go(tokens, s, t + 1, j, memo))
        }
    };
    memo[key] = if result { 2 } else { 1 };
    result
}

/// The ignore file that applies to a Dockerfile built with the context `dir`:
/// `<dockerfile>.dockerignore` beside the Dockerfile, else `<dir>/.dockerignore`.
pub fn ignore_file_for(dir: &Path, dockerfile: &Path) -> Option<PathBuf> {
    let own = dockerfile.file_name().map(|name| {
        let mut n = name.to_os_string();
        n.push(".dockerignore");
        dockerfile.with_file_name(n)
    });
    own.filter(|p| p.is_file())
        .or_else(|| Some(dir.join(".dockerignore")).filter(|p| p.exists()))
}

/// The most names of a context directory that are read.
const MAX_CONTEXT_ENTRIES: usize = 10_000;

/// A directory as discovery listed it, kept for the build contexts of the Dockerfiles found
/// in it (see [`share_listing`] and [`share_listed`]).
#[derive(Debug)]
enum SharedListing {
    /// From the walk: the first [`MAX_CONTEXT_ENTRIES`] names in listing order, then sorted,
    /// each with whether it is a regular file (not a link).
    Names(Vec<(String, bool)>),
    /// From the reading of a named file's directory, whole; made names only when a context
    /// asks for them.
    Listed(Arc<crate::dirlist::Listing>),
}

impl SharedListing {
    /// Whether `name` is a regular file in the directory.
    fn is_file(&self, name: &std::ffi::OsStr) -> bool {
        match self {
            SharedListing::Names(entries) => entries
                .iter()
                .any(|(n, regular)| *regular && std::ffi::OsStr::new(n) == name),
            SharedListing::Listed(l) => l.get(name) == Some(crate::dirlist::EntryType::File),
        }
    }

    /// The names, sorted.
    fn names(&self) -> Vec<String> {
        match self {
            SharedListing::Names(entries) => entries.iter().map(|(n, _)| n.clone()).collect(),
            SharedListing::Listed(l) => {
                let mut names: Vec<String> = l
                    .entries()
                    .take(MAX_CONTEXT_ENTRIES)
                    .map(|(n, _)| n.to_string_lossy().into_owned())
                    .collect();
                // Sorted by bytes already, unless a name was not UTF-8.
                names.sort();
                names
            }
        }
    }
}

type Listings = std::sync::Mutex<hashbrown::HashMap<PathBuf, Arc<SharedListing>>>;

fn listings() -> &'static Listings {
    static LISTINGS: OnceLock<Listings> = OnceLock::new();
    LISTINGS.get_or_init(Default::default)
}

/// Keeps the listing of `dir` (each name, and whether it is a regular file) for the process,
/// so that a build context in `dir` is not listed again: discovery's walk calls this for the
/// directories that hold a Dockerfile. `dir` is the directory as the files found
/// in it name it (their paths' parent). Only for a run over files on disk that do not change
/// while it runs (the CLI); a listing is never refreshed.
pub fn share_listing<'a>(dir: &Path, entries: impl Iterator<Item = (&'a std::ffi::OsStr, bool)>) {
    let mut entries: Vec<(String, bool)> = entries
        .take(MAX_CONTEXT_ENTRIES)
        .map(|(name, regular)| (name.to_string_lossy().into_owned(), regular))
        .collect();
    entries.sort();
    listings()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(dir.to_path_buf(), Arc::new(SharedListing::Names(entries)));
}

/// [`share_listing`] for directories read with [`crate::dirlist::read`] (discovery reads the
/// directories of the files named on the command line so), under one lock: each listing is
/// kept as it is, and made names only if a build context asks for it.
pub fn share_listed(read: Vec<(PathBuf, Arc<crate::dirlist::Listing>)>) {
    let mut kept = listings().lock().unwrap_or_else(|p| p.into_inner());
    kept.reserve(read.len());
    for (dir, listing) in read {
        kept.insert(dir, Arc::new(SharedListing::Listed(listing)));
    }
}

/// The listing [`share_listing`] kept for `dir`.
fn shared_listing(dir: &Path) -> Option<Arc<SharedListing>> {
    listings()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(dir)
        .cloned()
}

/// A build context: its directory, its ignore file and the names at its top level.
#[derive(Debug, Clone, Default)]
pub struct BuildContext {
    pub dir: PathBuf,
    /// The ignore file that applies, with its patterns; `None` when there is none.
    pub ignore: Option<(PathBuf, DockerIgnore)>,
    /// The ignore file exists but could not be read (not a regular file, too large, not
    /// UTF-8): rules that need it stay quiet.
    pub ignore_error: Option<String>,
    /// The file and directory names directly in the context directory.
    pub entries: Vec<String>,
}

impl BuildContext {
    /// Reads the context `dir` for the Dockerfile at `dockerfile`.
    pub fn load(dir: &Path, dockerfile: &Path) -> BuildContext {
        Self::load_seeing(dir, dockerfile).0
    }

    /// [`Self::load`], and whether the listing showed the Dockerfile as a regular file (not a
    /// link): `Some(true)` then; `None` when the listing cannot tell.
    fn load_seeing(dir: &Path, dockerfile: &Path) -> (BuildContext, Option<bool>) {
        let mut ctx = BuildContext {
            dir: dir.to_path_buf(),
            ..BuildContext::default()
        };
        let own_name = dockerfile
            .file_name()
            .filter(|_| dockerfile.parent() == Some(dir));
        let mut own_is_file = None;
        let shared = shared_listing(dir).map(|l| {
            // Names may repeat only after a lossy conversion: any regular file of the name.
            if own_name.is_some_and(|own| l.is_file(own)) {
                own_is_file = Some(true);
            }
            l.names()
        });
        let listing = shared.or_else(|| {
            let rd = std::fs::read_dir(dir).ok()?;
            let mut names: Vec<String> = rd
                .filter_map(|e| e.ok())
                .take(MAX_CONTEXT_ENTRIES)
                .map(|e| {
                    let name = e.file_name();
                    if own_name == Some(name.as_os_str())
                        && e.file_type().is_ok_and(|t| t.is_file())
                    {
                        own_is_file = Some(true);
                    }
                    name.to_string_lossy().into_owned()
                })
                .collect();
            names.sort();
            Some(names)
        });
        let ignore_file = match &listing {
            // The listing (complete, below the cap) answers which ignore files exist, when
            // the Dockerfile sits in the context directory: no file is probed by name.
            Some(names)
                if names.len() < MAX_CONTEXT_ENTRIES
                    && dockerfile.parent() == Some(dir)
                    && dockerfile.file_name().and_then(|n| n.to_str()).is_some() =>
            {
                let has = |n: &str| names.binary_search_by(|e| e.as_str().cmp(n)).is_ok();
                let own = dockerfile
                    .file_name()
                    .map(|n| format!("{}.dockerignore", n.to_string_lossy()))
                    .filter(|n| has(n))
                    .map(|n| dir.join(n))
                    .filter(|p| p.is_file());
                own.or_else(|| has(".dockerignore").then(|| dir.join(".dockerignore")))
            }
            _ => ignore_file_for(dir, dockerfile),
        };
        if let Some(path) = ignore_file {
            match read_regular_file(&path, MAX_IGNORE_FILE_SIZE) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => ctx.ignore = Some((path, DockerIgnore::parse(&text))),
                    Err(_) => ctx.ignore_error = Some("not UTF-8".to_string()),
                },
                Err(e) => ctx.ignore_error = Some(read_error(&e)),
            }
        }
        ctx.entries = listing.unwrap_or_default();
        (ctx, own_is_file)
    }

    /// A name sits directly in the context directory.
    pub fn has_entry(&self, name: &str) -> bool {
        self.entries
            .binary_search_by(|e| e.as_str().cmp(name))
            .is_ok()
    }

    /// The path (relative to the context) is excluded by the ignore file.
    pub fn excludes(&self, path: &str) -> bool {
        self.ignore.as_ref().is_some_and(|(_, i)| i.excludes(path))
    }

    /// The ignore file's name as the user knows it: `.dockerignore` or
    /// `<Dockerfile>.dockerignore`.
    pub fn ignore_name(&self) -> String {
        self.ignore
            .as_ref()
            .and_then(|(p, _)| p.file_name())
            .map_or_else(
                || ".dockerignore".to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
    }
}

fn read_error(e: &ReadError) -> String {
    match e {
        ReadError::Io(e) => e.to_string(),
        ReadError::NotRegular(what) => format!("not a regular file ({what})"),
        ReadError::TooLarge(cap) => format!("larger than {}", crate::source::format_size(*cap)),
    }
}

/// A build context read on first use, once per Dockerfile, shared by the rules that need it.
#[derive(Debug, Default)]
pub struct LazyBuildContext {
    /// The context directory and the Dockerfile's path on disk.
    at: Option<(PathBuf, PathBuf)>,
    cell: OnceLock<Option<BuildContext>>,
}

impl LazyBuildContext {
    /// The context `dir` of the Dockerfile at `dockerfile`.
    pub fn new(dir: PathBuf, dockerfile: PathBuf) -> Self {
        LazyBuildContext {
            at: Some((dir, dockerfile)),
            cell: OnceLock::new(),
        }
    }

    /// The context of a Dockerfile built from its own directory, the default of
    /// `docker build -f <file> <its directory>`. Relative paths are taken from `base`.
    pub fn beside(dockerfile: &Path, base: Option<&Path>) -> Self {
        let full = match base {
            Some(b) if dockerfile.is_relative() => b.join(dockerfile),
            _ => dockerfile.to_path_buf(),
        };
        let dir = crate::discover::own_dir(&full).to_path_buf();
        LazyBuildContext::new(dir, full)
    }

    /// The context, read now if it was not yet; `None` when the Dockerfile is not a file on
    /// disk (stdin, an editor buffer not saved yet).
    pub fn get(&self) -> Option<&BuildContext> {
        let (dir, dockerfile) = self.at.as_ref()?;
        self.cell
            .get_or_init(|| {
                // The listing of the context usually shows the Dockerfile itself (a regular
                // file in its own context directory): then it needs no `stat` of its own.
                let in_own_dir = dockerfile.parent() == Some(dir.as_path());
                if !in_own_dir && !dockerfile.is_file() {
                    return None;
                }
                let (ctx, seen_file) = BuildContext::load_seeing(dir, dockerfile);
                (seen_file == Some(true) || !in_own_dir || dockerfile.is_file()).then_some(ctx)
            })
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ig(text: &str) -> DockerIgnore {
        DockerIgnore::parse(text)
    }

    #[test]
    fn reading_and_cleaning() {
        let i = ig("# comment\n  \n /temp? \n./a//b/\n!  keep.md\n/\n #not a comment\n");
        let p: Vec<String> = i.patterns().collect();
        assert_eq!(p, ["temp?", "a/b", "!keep.md", "/", "#not a comment"]);
        assert!(i.has_exceptions());
        assert_eq!(clean("a/../../b/./c/"), "../b/c");
        assert_eq!(clean("./"), ".");
        assert_eq!(clean("/../x"), "/x");
    }

    // The examples of Docker's documentation of .dockerignore.
    #[test]
    fn documented_examples() {
        let i = ig("# comment\n*/temp*\n*/*/temp*\ntemp?\n");
        assert!(i.excludes("somedir/temporary.txt"));
        assert!(i.excludes("somedir/temp"));
        assert!(i.excludes("somedir/subdir/temporary.txt"));
        assert!(i.excludes("tempa"));
        assert!(i.excludes("tempb"));
        assert!(!i.excludes("temp"));
        assert!(!i.excludes("temporary.txt"));
        assert!(!i.excludes("a/b/c/temp"));

        let i = ig("**/*.go\n");
        assert!(i.excludes("main.go"));
        assert!(i.excludes("cmd/app/main.go"));
        assert!(!i.excludes("main.gox"));

        let i = ig("*.md\n!README.md\n");
        assert!(i.excludes("CHANGES.md"));
        assert!(!i.excludes("README.md"));

        let i = ig("*.md\n!README*.md\nREADME-secret.md\n");
        assert!(i.excludes("README-secret.md"));
        assert!(!i.excludes("README-public.md"));
        assert!(i.excludes("notes.md"));

        let i = ig("*.md\nREADME-secret.md\n!README*.md\n");
        assert!(!i.excludes("README-secret.md"));
    }

    #[test]
    fn parents_double_stars_classes() {
        let i = ig(".git\nnode_modules/\n");
        assert!(i.excludes(".git"));
        assert!(i.excludes(".git/config"));
        assert!(i.excludes("node_modules/x/index.js"));
        assert!(!i.excludes("web/node_modules/x.js"));
        let i = ig("**/node_modules\n");
        assert!(i.excludes("web/node_modules/x.js"));
        assert!(i.excludes("node_modules"));
        let i = ig("docs/**\n");
        assert!(i.excludes("docs/a/b.md"));
        // The directory itself is sent (empty): the pattern needs something below it.
        assert!(!i.excludes("docs"));
        let i = ig("a/**/b\n");
        assert!(i.excludes("a/b"));
        assert!(i.excludes("a/x/y/b"));
        assert!(!i.excludes("ab"));
        let i = ig("[a-c]?.txt\n[^x].log\n\\*.bak\n");
        assert!(i.excludes("b1.txt"));
        assert!(!i.excludes("d1.txt"));
        assert!(i.excludes("y.log"));
        assert!(!i.excludes("x.log"));
        assert!(i.excludes("*.bak"));
        assert!(!i.excludes("a.bak"));
        // Everything, then the exceptions.
        let i = ig("*\n!src\n!package.json\n");
        assert!(i.excludes(".env"));
        assert!(!i.excludes("src/index.js"));
        assert!(!i.excludes("./package.json"));
        // A leading slash is the context root.
        assert!(ig("/secret\n").excludes("secret"));
    }

    #[test]
    fn the_listing_of_its_own_directory_shows_the_dockerfile() {
        let dir = tempfile::tempdir().expect("temp dir");
        let df = dir.path().join("Dockerfile");
        std::fs::write(&df, "FROM scratch\n").expect("write");
        std::fs::write(dir.path().join(".env"), "A=1\n").expect("write");
        let (ctx, seen) = BuildContext::load_seeing(dir.path(), &df);
        assert_eq!(seen, Some(true));
        assert_eq!(
            ctx.entries,
            vec![".env".to_string(), "Dockerfile".to_string()]
        );
        let lazy = LazyBuildContext::beside(&df, None);
        assert!(lazy.get().is_some_and(|c| c.has_entry(".env")));
        // A Dockerfile that is not on disk (an editor buffer) has no build context.
        let missing = LazyBuildContext::beside(&dir.path().join("Other.Dockerfile"), None);
        assert!(missing.get().is_none());
        // Nor has a directory of that name.
        std::fs::create_dir(dir.path().join("sub.Dockerfile")).expect("mkdir");
        let not_file = LazyBuildContext::beside(&dir.path().join("sub.Dockerfile"), None);
        assert!(not_file.get().is_none());
    }

    #[test]
    fn which_file() {
        let dir = std::env::temp_dir().join(format!("wharf-dockerignore-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(".dockerignore"), "a\n").unwrap();
        std::fs::write(dir.join("build.Dockerfile"), "FROM x\n").unwrap();
        std::fs::write(dir.join("build.Dockerfile.dockerignore"), "b\n").unwrap();
        std::fs::write(dir.join("Dockerfile"), "FROM x\n").unwrap();
        let own = BuildContext::load(&dir, &dir.join("build.Dockerfile"));
        assert!(own.excludes("b") && !own.excludes("a"));
        let shared = LazyBuildContext::beside(&dir.join("Dockerfile"), None);
        let shared = shared.get().unwrap();
        assert!(shared.excludes("a") && !shared.excludes("b"));
        assert!(shared.has_entry(".dockerignore"));
        assert!(
            LazyBuildContext::beside(Path::new("/no/such/Dockerfile"), None)
                .get()
                .is_none()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A listing kept for a build context, by the walk ([`share_listing`]) or from the
    /// reading of a named file's directory ([`share_listed`], Linux only), stands for the
    /// directory.
    #[test]
    fn a_shared_listing_stands_for_the_directory() {
        let walked = |dir: &Path| {
            let entries = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap())
                .map(|e| (e.file_name(), e.file_type().unwrap()))
                .collect::<Vec<_>>();
            share_listing(
                dir,
                entries.iter().map(|(n, t)| (n.as_os_str(), t.is_file())),
            );
        };
        let named = |dir: &Path| {
            let listing = crate::dirlist::read(dir, 100).expect("Linux reads directories");
            share_listed(vec![(dir.to_path_buf(), Arc::new(listing))]);
        };
        let mut ways: Vec<&dyn Fn(&Path)> = vec![&walked];
        if cfg!(target_os = "linux") {
            ways.push(&named);
        }
        for share in ways {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("ctx");
            std::fs::create_dir(&dir).unwrap();
            std::fs::write(dir.join("Dockerfile"), "FROM alpine\n").unwrap();
            std::fs::write(dir.join("Dockerfile.dockerignore"), "secret\n").unwrap();
            std::fs::write(dir.join(".dockerignore"), "other\n").unwrap();
            std::fs::create_dir(dir.join("src")).unwrap();
            let df = dir.join("Dockerfile");
            let (read, seen) = BuildContext::load_seeing(&dir, &df);
            share(&dir);
            // Added after the listing was shared: a context of the run does not see it.
            std::fs::write(dir.join("late"), "").unwrap();
            let (shared, seen_shared) = BuildContext::load_seeing(&dir, &df);
            assert_eq!(shared.entries, read.entries);
            assert_eq!(
                shared.entries,
                [
                    ".dockerignore",
                    "Dockerfile",
                    "Dockerfile.dockerignore",
                    "src"
                ]
            );
            assert_eq!(seen, Some(true));
            assert_eq!(seen_shared, Some(true));
            let ignore = |c: &BuildContext| c.ignore.as_ref().map(|(p, _)| p.clone());
            assert_eq!(ignore(&shared), Some(dir.join("Dockerfile.dockerignore")));
            assert_eq!(ignore(&shared), ignore(&read));
            assert!(shared.excludes("secret"));
            assert!(LazyBuildContext::beside(&df, None).get().is_some());
        }
    }
}
