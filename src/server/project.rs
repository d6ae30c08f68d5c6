//! Cross-file linting in the server: the project a document belongs to (a compose file with
//! the Dockerfiles it builds, the compose files it includes or extends, its override file and
//! base), read from the open documents first and from disk for the rest, as `wharf check`
//! would group them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::compose::ComposeFile;
use crate::compose::project::{DEFAULT_FILES, base_of};
use crate::engine::{FileError, FileSystem, Parsed, SourceProvider};
use crate::project::{PathKind, build_target, normalize};
use crate::source::{FileKind, SourceFile};

/// How many directories above a Dockerfile's own are searched for the compose files that
/// build it (a compose file at the repository root, the Dockerfile in `services/api/`).
const LEVELS_UP: usize = 3;

/// The open documents' texts, in front of the file system. Borrowed, not copied: the server
/// builds one per lint.
pub struct Open<'a> {
    pub texts: HashMap<PathBuf, (&'a str, FileKind)>,
}

impl SourceProvider for Open<'_> {
    fn source(
        &self,
        path: &Path,
        kind: Option<FileKind>,
        max_size: Option<u64>,
    ) -> Result<SourceFile, FileError> {
        match self.texts.get(&normalize(path)) {
            Some((text, own)) => Ok(SourceFile::new(path, *text, kind.unwrap_or(*own))),
            None => FileSystem.source(path, kind, max_size),
        }
    }

    fn path_kind(&self, path: &Path) -> PathKind {
        if self.texts.contains_key(&normalize(path)) {
            PathKind::File
        } else {
            crate::project::path_kind(path)
        }
    }
}

/// The compose files with a default name (and their override files) in `dir`.
fn default_composes(dir: &Path, provider: &dyn SourceProvider) -> Vec<PathBuf> {
    DEFAULT_FILES
        .iter()
        .flat_map(|(base, over)| [*base, *over])
        .map(|name| dir.join(name))
        .filter(|p| provider.path_kind(p) == PathKind::File)
        .collect()
}

/// Whether one of the services of `cf` (at `path`) builds the Dockerfile at `dockerfile`.
pub fn builds(path: &Path, cf: &ComposeFile, dockerfile: &Path) -> bool {
    let wanted = normalize(dockerfile);
    cf.services().any(|s| {
        s.build()
            .and_then(|b| build_target(path, &b).dockerfile)
            .is_some_and(|d| normalize(&d) == wanted)
    })
}

/// The compose files that build the Dockerfile at `path`: among the open compose documents
/// and the compose files with a default name in its directory and the few above it.
pub fn builders(
    path: &Path,
    open_composes: &[PathBuf],
    provider: &dyn SourceProvider,
) -> Vec<PathBuf> {
    let mut candidates: Vec<PathBuf> = open_composes.to_vec();
    let mut dir = path.parent();
    for _ in 0..=LEVELS_UP {
        let Some(d) = dir else { break };
        for p in default_composes(d, provider) {
            let p = normalize(&p);
            if !candidates.contains(&p) {
                candidates.push(p);
            }
        }
        dir = d.parent();
    }
    candidates
        .into_iter()
        .filter(|c| {
            provider
                .source(c, Some(FileKind::Compose), None)
                .ok()
                .is_some_and(|s| builds(c, &crate::compose::parse(&s.text), path))
        })
        .collect()
}

/// One file of a project, read and parsed.
pub struct Member {
    pub path: PathBuf,
    pub source: SourceFile,
    pub parsed: Result<Parsed, String>,
}

/// The files of the project of the compose files `roots`: the roots, the other compose files
/// of their directories (an override file and its base), then the files those include or
/// extend and the Dockerfiles they build (one level, as `wharf check` adds them). Files that
/// cannot be read are left out.
pub fn members(roots: &[PathBuf], provider: &dyn SourceProvider) -> Vec<Member> {
    let mut out: Vec<Member> = Vec::new();
    let add = |path: PathBuf, kind: FileKind, out: &mut Vec<Member>| {
        let path = normalize(&path);
        if out.iter().any(|m| m.path == path) {
            return;
        }
        if let Ok(source) = provider.source(&path, Some(kind), None) {
            let parsed = crate::engine::parse_isolated(&source);
            out.push(Member {
                path,
                source,
                parsed,
            });
        }
    };
    for root in roots {
        add(root.clone(), FileKind::Compose, &mut out);
        let dir = root.parent().unwrap_or(Path::new(""));
        for p in default_composes(dir, provider) {
            add(p, FileKind::Compose, &mut out);
        }
        let exists = |p: &Path| provider.path_kind(p) == PathKind::File;
        if let Some(base) = base_of(root, exists) {
            add(base, FileKind::Compose, &mut out);
        }
    }
    let composes = out.len();
    let mut wanted: Vec<(PathBuf, FileKind)> = Vec::new();
    for m in &out[..composes] {
        let Ok(Parsed::Compose(cf)) = &m.parsed else {
            continue;
        };
        for p in crate::engine::compose_file_refs(&m.path, cf) {
            wanted.push((p, FileKind::Compose));
        }
        for s in cf.services() {
            if let Some(d) = s.build().and_then(|b| build_target(&m.path, &b).dockerfile) {
                wanted.push((d, FileKind::Dockerfile));
            }
        }
    }
    for (p, kind) in wanted {
        if provider.path_kind(&p) == PathKind::File {
            add(p, kind, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open<'a>(files: &[(&str, &'a str, FileKind)]) -> Open<'a> {
        Open {
            texts: files
                .iter()
                .map(|(p, t, k)| (PathBuf::from(p), (*t, *k)))
                .collect(),
        }
    }

    /// The paths of the project of the compose file `root`, in order.
    fn member_paths(root: &str, provider: &Open<'_>) -> Vec<String> {
        members(&[PathBuf::from(root)], provider)
            .into_iter()
            .map(|m| m.path.display().to_string())
            .collect()
    }

    #[test]
    fn a_dockerfile_is_built_by_the_compose_file_above_it() {
        let provider = open(&[
            (
                "/nowhere/p/compose.yaml",
                "services:\n  api:\n    build: ./api\n  web:\n    image: nginx\n",
                FileKind::Compose,
            ),
            (
                "/nowhere/p/api/Dockerfile",
                "FROM alpine\n",
                FileKind::Dockerfile,
            ),
            (
                "/nowhere/p/web/Dockerfile",
                "FROM alpine\n",
                FileKind::Dockerfile,
            ),
        ]);
        let api = Path::new("/nowhere/p/api/Dockerfile");
        assert_eq!(
            builders(api, &[], &provider),
            vec![PathBuf::from("/nowhere/p/compose.yaml")]
        );
        let web = Path::new("/nowhere/p/web/Dockerfile");
        assert!(builders(web, &[], &provider).is_empty());
        assert_eq!(
            member_paths("/nowhere/p/compose.yaml", &provider),
            ["/nowhere/p/compose.yaml", "/nowhere/p/api/Dockerfile"]
        );
    }

    #[test]
    fn an_override_file_brings_its_base() {
        let provider = open(&[
            (
                "/nowhere/q/compose.yaml",
                "services:\n  a:\n    image: x\n",
                FileKind::Compose,
            ),
            (
                "/nowhere/q/compose.override.yaml",
                "services:\n  a:\n    build: .\n",
                FileKind::Compose,
            ),
        ]);
        assert_eq!(
            member_paths("/nowhere/q/compose.override.yaml", &provider),
            [
                "/nowhere/q/compose.override.yaml",
                "/nowhere/q/compose.yaml"
            ]
        );
    }
}
