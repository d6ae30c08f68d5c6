//! Cross-file facts: which Dockerfile and build context each compose service builds, and
//! how the files of a run group into projects.
//!
//! A compose service's `build` names a context (a directory relative to the compose file, or
//! a remote URL) and a Dockerfile (relative to the context, `Dockerfile` by default, or
//! written inline). [`build_target`] resolves them to paths the way compose does, without
//! touching the file system; the engine then looks the paths up and links each service to the
//! Dockerfile of the run it builds ([`BuildLink`]), so that project rules read facts instead of
//! paths.

use crate::compose::{Build, Str};
use crate::dockerfile::{Body, Dockerfile, Healthcheck, Stage};
use crate::source::FileId;
use std::path::{Component, Path, PathBuf};

/// Where a service's build points, resolved against the compose file's directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildTarget {
    /// The context directory; `None` for a remote context (a Git or HTTP URL) or a value
    /// whose variables have no default.
    pub context: Option<PathBuf>,
    /// The Dockerfile; `None` with `dockerfile_inline`, a remote context, or an unknown value.
    pub dockerfile: Option<PathBuf>,
}

/// Whether a build context is remote: a URL, a Git address, or a `github.com/...` shorthand.
pub fn is_remote_context(context: &str) -> bool {
    context.contains("://")
        || context.starts_with("git@")
        || context.starts_with("github.com/")
        || context.ends_with(".git")
}

/// Resolves the context and Dockerfile of a `build` written in the compose file at
/// `compose_path`. Interpolated values are read with their defaults.
pub fn build_target(compose_path: &Path, build: &Build<'_>) -> BuildTarget {
    let dir = compose_path.parent().unwrap_or(Path::new(""));
    let read = |s: Option<Str<'_>>| s.and_then(|s| s.resolved().map(|v| v.into_owned()));
    let context = match &build.context {
        Some(c) => read(Some(*c)),
        None => Some(".".to_string()),
    };
    let context = context
        .filter(|c| !is_remote_context(c))
        .map(|c| normalize(&dir.join(c)));
    let inline = build.str("dockerfile_inline").is_some();
    let dockerfile = match (&context, inline, build.str("dockerfile")) {
        (Some(_), true, _) | (None, _, _) => None,
        (Some(ctx), false, None) => Some(ctx.join("Dockerfile")),
        (Some(ctx), false, Some(d)) => read(Some(d)).map(|d| normalize(&ctx.join(d))),
    };
    BuildTarget {
        context,
        dockerfile,
    }
}

/// `path` with `.` dropped and `..` applied to the part before it, without touching the file
/// system (`a/./b/../c` is `a/c`); an empty result is `.`.
pub fn normalize(path: &Path) -> PathBuf {
    if is_normal(path) {
        return path.to_path_buf();
    }
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            c => out.push(c),
        }
    }
    let p: PathBuf = out.iter().collect();
    if p.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        p
    }
}

/// Whether `path` is already in the form [`normalize`] (and the other lexical clean-ups of
/// paths: [`crate::config::normalize_path`], discovery's) would give it: no `.` or `..`
/// component and no empty one (a doubled or trailing `/`). Such a path comes back unchanged
/// from collecting its components, so the clean-ups copy it instead: most paths of a run are
/// in this form, and walking their components is a measurable part of a run. Unix only
/// (elsewhere `/` is not the only separator): `false` there, so the clean-ups walk.
pub fn is_normal(path: &Path) -> bool {
    if !cfg!(unix) {
        return false;
    }
    let bytes = path.as_os_str().as_encoded_bytes();
    let rest = bytes.strip_prefix(b"/").unwrap_or(bytes);
    !rest.is_empty()
        && rest
            .split(|&b| b == b'/')
            .all(|c| !c.is_empty() && c != b"." && c != b"..")
}

/// `Path`'s order (component by component) for two paths in normal form ([`is_normal`]), from
/// their bytes: with `/` below every other byte, the first byte that differs decides as the
/// components would, and a path that is a prefix of the other comes first. Parsing the
/// components of long paths is what sorting thousands of them costs otherwise.
pub fn normal_cmp(a: &Path, b: &Path) -> std::cmp::Ordering {
    let (a, b) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    let same = common_prefix(a, b);
    match (a.get(same), b.get(same)) {
        (Some(&x), Some(&y)) => {
            let rank = |c: u8| if c == b'/' { 0 } else { u16::from(c) + 1 };
            rank(x).cmp(&rank(y))
        }
        _ => a.len().cmp(&b.len()),
    }
}

/// How many bytes `a` and `b` begin with in common, eight at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let mut at = 0;
    while let (Some(x), Some(y)) = (
        a.get(at..).and_then(|r| r.first_chunk::<8>()),
        b.get(at..).and_then(|r| r.first_chunk::<8>()),
    ) {
        let differ = u64::from_le_bytes(*x) ^ u64::from_le_bytes(*y);
        if differ != 0 {
            return at + (differ.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + a
        .get(at..)
        .unwrap_or_default()
        .iter()
        .zip(b.get(at..).unwrap_or_default())
        .take_while(|(x, y)| x == y)
        .count()
}

/// A path's bytes, as the key of a cache of directories (configuration, resolved
/// directories): hashing a `Path` walks it component by component, which for the long
/// absolute paths of a run costs more than the lookup. Only for caches, where another spelling
/// of the same directory merely misses and is looked up again.
pub fn cache_key(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

/// What is at a path, as far as project rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    File,
    Dir,
    /// Nothing (or something that is neither).
    Missing,
}

/// What the file system says about a path (following links).
pub fn path_kind(path: &Path) -> PathKind {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => PathKind::Dir,
        Ok(m) if m.is_file() => PathKind::File,
        _ => PathKind::Missing,
    }
}

/// One compose service with a `build`, linked to what it builds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildLink {
    /// The compose file.
    pub compose: FileId,
    /// The service's name.
    pub service: String,
    /// Where the build points.
    pub target: BuildTarget,
    /// What is at the context path.
    pub context_kind: PathKind,
    /// What is at the Dockerfile path.
    pub dockerfile_kind: PathKind,
    /// The Dockerfile, when it is a file of the project.
    pub dockerfile_file: Option<FileId>,
}

/// The stage a build produces: the one `target` names (case-insensitive, as BuildKit reads
/// it), or the last one without a target. `None` when the target names no stage.
pub fn target_stage<'a>(df: &'a Dockerfile, target: Option<&str>) -> Option<&'a Stage> {
    match target {
        Some(t) => df
            .model
            .stages
            .iter()
            .rev()
            .find(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(t))),
        None => df.model.final_stage(),
    }
}

/// What a stage says about health checks at its end, its ancestors through `FROM <stage>`
/// included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageHealthcheck {
    /// `HEALTHCHECK CMD ...`, at this instruction.
    Cmd(usize),
    /// `HEALTHCHECK NONE`, at this instruction: the image has none.
    Disabled(usize),
    /// No HEALTHCHECK instruction (the base image may still have one).
    Absent,
}

/// The health check in force at the end of `stage`.
pub fn stage_healthcheck(df: &Dockerfile, stage: &Stage) -> ImageHealthcheck {
    let Some(at) = df
        .model
        .stage_end
        .get(stage.index)
        .and_then(|s| s.healthcheck)
    else {
        return ImageHealthcheck::Absent;
    };
    match df.instructions.get(at).map(|i| &i.body) {
        Some(Body::Healthcheck(Healthcheck::None(_))) => ImageHealthcheck::Disabled(at),
        _ => ImageHealthcheck::Cmd(at),
    }
}

/// The names every `ARG` of the file declares, global and in stages, in file order, each
/// with the span of its first declaration.
pub fn declared_args(df: &Dockerfile) -> Vec<(&str, crate::source::Span)> {
    let mut out: Vec<(&str, crate::source::Span)> = Vec::new();
    for ins in df.iter() {
        if let Body::Arg(args) = &ins.body {
            for kv in args {
                let name = kv.key.value.as_str();
                if !out.iter().any(|(n, _)| *n == name) {
                    out.push((name, kv.key.span));
                }
            }
        }
    }
    out
}

/// Build arguments that Docker accepts without an `ARG`: the proxy variables and the
/// arguments BuildKit reads itself.
pub fn is_predefined_build_arg(name: &str) -> bool {
    const PROXIES: &[&str] = &[
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "FTP_PROXY",
        "NO_PROXY",
        "ALL_PROXY",
    ];
    PROXIES.iter().any(|p| p.eq_ignore_ascii_case(name))
        || name.starts_with("BUILDKIT_")
        || name == "SOURCE_DATE_EPOCH"
}

/// The build context a compose service gives the Dockerfile `id` of the run: the context
/// directory of the first service that builds it (`build.context`, the compose file's
/// directory by default), `None` when no service builds it from a local context.
pub fn compose_context(builds: &[BuildLink], id: FileId) -> Option<PathBuf> {
    builds
        .iter()
        .filter(|l| l.dockerfile_file == Some(id))
        .find_map(|l| l.target.context.clone())
}

/// A compose service that builds the final stage of a Dockerfile, as the Dockerfile's rules
/// see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuiltBy {
    /// The compose file where the service's `ports` are written (its own, or a layer that
    /// adds them), else the one that builds.
    pub compose: FileId,
    /// The service's name.
    pub service: String,
    /// The service defines a `healthcheck:` with a `test` of its own that is not turned off.
    pub healthcheck: bool,
    /// Where its `ports` are written, when it publishes some.
    pub ports: Option<crate::source::Span>,
}

/// The compose services of `project` that build the final stage of the Dockerfile `id`. A
/// service's `healthcheck` and `ports` are read from the effective service
/// ([`crate::compose::project::Effective`]): an override file, a layer of the same directory or
/// an extended service may give them.
pub fn built_by(
    project: &crate::compose::project::Project<'_>,
    builds: &[BuildLink],
    id: FileId,
    df: &Dockerfile,
) -> Vec<BuiltBy> {
    let mut out = Vec::new();
    let final_stage = df.model.final_stage().map(|s| s.index);
    for link in builds.iter().filter(|l| l.dockerfile_file == Some(id)) {
        let Some(service) = project.effective(link.compose, &link.service) else {
            continue;
        };
        let stage = match service.build_str("target") {
            Some(t) => t
                .value
                .resolved()
                .and_then(|t| target_stage(df, Some(&t)).map(|s| s.index)),
            None => final_stage,
        };
        if stage.is_none() || stage != final_stage {
            continue;
        }
        let healthcheck = service.health().has_test();
        // Where the ports are written: the definition that gives the first of them.
        let ports = service.ports();
        let published = ports.first().and_then(|p| {
            service
                .giving("ports")
                .into_iter()
                .find(|(d, _)| d.file == p.file)
                .map(|(_, node)| (p.file, node.span()))
        });
        out.push(BuiltBy {
            compose: published.map_or(link.compose, |(f, _)| f),
            service: link.service.clone(),
            healthcheck,
            ports: published.map(|(_, span)| span),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_prefix_is_found_at_every_position() {
        let a: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for len in 0..a.len() {
            let a = &a[..len];
            assert_eq!(common_prefix(a, a), len);
            for at in 0..len {
                let mut b = a.to_vec();
                b[at] = b'/';
                assert_eq!(common_prefix(a, &b), at, "{len} {at}");
                assert_eq!(common_prefix(&b[..at], a), at);
            }
        }
    }

    #[test]
    fn normal_paths_compare_by_their_bytes_as_by_their_components() {
        let paths = [
            "a",
            "a/b",
            "a-b",
            "a.b",
            "a/b/c",
            "a/bc",
            "ab",
            "a0",
            "/a",
            "/a/b",
            "/ab",
            "/a-b",
            "b",
            "/",
            "A",
            "a/B",
            "a/b-c/d",
            "a/b/c-d",
            "x/Dockerfile",
            "x-y/Dockerfile",
            "x/Dockerfile.dev",
            "x/Dockerfile/y",
            "\u{e9}",
            "a/\u{e9}",
            "a/z",
            "/work/shared/corpus/dockerfile/a/Dockerfile",
            "/work/shared/corpus/dockerfile/a-b/Dockerfile",
            "/work/shared/corpus/dockerfile/a/b/Dockerfile",
            "/work/shared/corpus/dockerfile-x/Dockerfile",
            "/work/shared/corpus/dockerfile",
            "/work/shared/corpus/dockerfil",
        ];
        for a in paths {
            for b in paths {
                let (pa, pb) = (Path::new(a), Path::new(b));
                if a != "/" && b != "/" {
                    assert!(is_normal(pa) && is_normal(pb), "{a} {b}");
                }
                assert_eq!(normal_cmp(pa, pb), pa.cmp(pb), "{a:?} against {b:?}");
            }
        }
    }

    fn target(compose: &str, text: &str) -> BuildTarget {
        let file = crate::compose::parse(text);
        let service = file.services().next().unwrap();
        build_target(Path::new(compose), &service.build().unwrap())
    }

    #[test]
    fn contexts_and_dockerfiles_resolve_like_compose() {
        let t = target("p/compose.yaml", "services:\n  a:\n    build: ./app\n");
        assert_eq!(t.context, Some(PathBuf::from("p/app")));
        assert_eq!(t.dockerfile, Some(PathBuf::from("p/app/Dockerfile")));
        let t = target(
            "p/compose.yaml",
            "services:\n  a:\n    build:\n      context: ../x\n      dockerfile: docker/Dockerfile.prod\n",
        );
        assert_eq!(
            t.dockerfile,
            Some(PathBuf::from("x/docker/Dockerfile.prod"))
        );
        let t = target(
            "compose.yaml",
            "services:\n  a:\n    build:\n      dockerfile: Dockerfile.dev\n",
        );
        assert_eq!(t.context, Some(PathBuf::from(".")));
        assert_eq!(t.dockerfile, Some(PathBuf::from("Dockerfile.dev")));
        let t = target(
            "compose.yaml",
            "services:\n  a:\n    build:\n      context: ${CTX:-./svc}\n",
        );
        assert_eq!(t.dockerfile, Some(PathBuf::from("svc/Dockerfile")));
        let t = target(
            "compose.yaml",
            "services:\n  a:\n    build:\n      context: .\n      dockerfile_inline: FROM x\n",
        );
        assert_eq!(t.dockerfile, None);
        let t = target(
            "compose.yaml",
            "services:\n  a:\n    build: https://github.com/a/b.git#main\n",
        );
        assert_eq!(
            t,
            BuildTarget {
                context: None,
                dockerfile: None
            }
        );
        let t = target("compose.yaml", "services:\n  a:\n    build: ${CTX}\n");
        assert_eq!(t.context, None);
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("./.")), PathBuf::from("."));
        assert_eq!(normalize(Path::new("../a")), PathBuf::from("../a"));
        assert_eq!(normalize(Path::new("/../a")), PathBuf::from("/a"));
    }

    #[cfg(unix)]
    #[test]
    fn a_normal_path_is_what_its_components_give_back() {
        for p in [
            "a",
            "a/b",
            "/a/b",
            "/a.b/.c/..d/e.",
            "x/.devcontainer/Dockerfile",
        ] {
            let path = Path::new(p);
            assert!(is_normal(path), "{p}");
            assert_eq!(path.components().collect::<PathBuf>(), path, "{p}");
            assert_eq!(normalize(path), path, "{p}");
        }
        for p in [
            "", ".", "/", "./a", "a/.", "a/./b", "a/../b", "..", "a//b", "a/", "//a",
        ] {
            assert!(!is_normal(Path::new(p)), "{p}");
        }
        assert_eq!(normalize(Path::new("a//b/")), PathBuf::from("a/b"));
        assert_eq!(normalize(Path::new("/")), PathBuf::from("/"));
    }
}
