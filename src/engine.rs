//! The engine: read each file once, parse it once, run the selected rules over it, and sort
//! the findings. Files are processed in parallel; the result does not depend on thread count.

use crate::compose::{self, ComposeFile};
use crate::diagnostic::{Diagnostic, Severity};
use crate::dockerfile::{self, Dockerfile};
use crate::dockerignore::LazyBuildContext;
use crate::findings::Findings;
use crate::output::LintedFile;
use crate::rule::{Check, Context, ProjectContext, ProjectFile, Rule};
use crate::settings::RuleSettings;
use crate::source::{
    DEFAULT_MAX_FILE_SIZE, FileId, FileKind, LineIndex, ReadError, SourceFile, read_found_file,
    read_regular_file,
};
use crate::suppress::{self, SuppressOptions};
use rayon::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Once;

/// What the engine needs to lint one file.
#[derive(Debug, Clone, Default)]
pub struct FileSettings {
    /// The rules to run, each at most once.
    pub rules: Vec<&'static Rule>,
    /// Severity per code, overriding the rule's default.
    pub severity: HashMap<&'static str, Severity>,
    pub rule_settings: RuleSettings,
    /// How inline suppression comments are read.
    pub suppress: SuppressOptions,
    /// Files larger than this many bytes are not linted (an error for that file); `None` is
    /// [`DEFAULT_MAX_FILE_SIZE`].
    pub max_file_size: Option<u64>,
    /// The directory that relative file paths start from, for reading what lies beside a
    /// file (a Dockerfile's build context); `None` is the current directory.
    pub base_dir: Option<std::path::PathBuf>,
    /// BuildKit's check options from the `BUILDKIT_DOCKERFILE_CHECK` environment variable:
    /// they replace the `# check=` directive of every Dockerfile (see also
    /// [`SuppressOptions::buildkit_check_from_env`]).
    pub buildkit_check: Option<std::sync::Arc<crate::suppress::CheckOptions>>,
    /// Whether ShellCheck runs on this file, and which of its codes are reported.
    pub shellcheck: crate::shellcheck::ShellcheckFilter,
}

/// A parsed file, whichever its kind. The Dockerfile tree is boxed: its root is over 500
/// bytes, and every file of a run, parsed or not yet, holds a `Parsed`'s room.
pub enum Parsed {
    Dockerfile(Box<Dockerfile>),
    Compose(ComposeFile),
}

impl Parsed {
    pub fn parse(source: &SourceFile) -> Parsed {
        match source.kind {
            FileKind::Dockerfile => Parsed::Dockerfile(Box::new(crate::rule_times::time(
                crate::rule_times::PARSE,
                || dockerfile::parse_shared(source.text.clone()),
            ))),
            FileKind::Compose => {
                Parsed::Compose(crate::rule_times::time(crate::rule_times::PARSE, || {
                    compose::parse(&source.text)
                }))
            }
        }
    }
}

impl<'a> From<&'a Parsed> for suppress::Input<'a> {
    fn from(parsed: &'a Parsed) -> Self {
        match parsed {
            Parsed::Dockerfile(df) => suppress::Input::Dockerfile(df),
            Parsed::Compose(cf) => suppress::Input::Compose(cf),
        }
    }
}

/// Lints one source text: parse it, run the rules, sort the findings.
///
/// For callers that treat an internal error as a bug to surface at once (tests, benches): a
/// panic in the parser or a rule is raised again, with the rule named. The CLI uses
/// [`lint_isolated`], which reports it for the file and carries on.
pub fn lint_source(source: &SourceFile, settings: &FileSettings) -> Vec<Diagnostic> {
    let linted = lint_isolated(source, settings);
    if let Some(e) = linted.internal_errors.first() {
        panic!("{e}");
    }
    linted.diagnostics
}

/// The findings of one file, and the internal errors met while linting it.
#[derive(Debug, Default)]
pub struct Linted {
    /// The findings of the rules that completed, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// A panic in the parser or in a rule, as a message naming where it happened. The findings
    /// of the other rules are kept; after a parser failure there are none.
    pub internal_errors: Vec<FileError>,
    /// The file could not be parsed at all.
    pub parse_failed: bool,
}

/// Lints one source text so that a panic (a bug in wharf) in its parser or in one rule becomes
/// an internal error of this file: the other rules still run, and the caller goes on with
/// the other files.
pub fn lint_isolated(source: &SourceFile, settings: &FileSettings) -> Linted {
    lint_isolated_with(source, settings, Vec::new())
}

/// [`lint_isolated`], with findings computed outside the rules (ShellCheck's, from
/// [`shellcheck_pass`]) added before suppressions, severities and sorting apply to them.
pub fn lint_isolated_with(
    source: &SourceFile,
    settings: &FileSettings,
    extra: Vec<Diagnostic>,
) -> Linted {
    lint_parsed_isolated(source, parse_isolated(source), settings, extra)
}

/// [`lint_isolated_with`] on a file already parsed (with [`parse_isolated`]), for a caller
/// that prepares the parse first (the language server gives a Dockerfile its
/// [`RunCache`](crate::dockerfile::RunCache)).
pub fn lint_parsed_isolated(
    source: &SourceFile,
    parsed: Result<Parsed, String>,
    settings: &FileSettings,
    extra: Vec<Diagnostic>,
) -> Linted {
    let mut linted = Linted::default();
    let internal = |what: String, message: String| FileError {
        path: source.path.clone(),
        message: format!("internal error in {what}: {message}; this is a bug in wharf"),
    };
    let parser = match source.kind {
        FileKind::Dockerfile => "the Dockerfile parser",
        FileKind::Compose => "the compose parser",
    };
    let parsed = match parsed {
        Ok(p) => p,
        Err(message) => {
            linted
                .internal_errors
                .push(internal(parser.to_string(), message));
            linted.parse_failed = true;
            return linted;
        }
    };
    let mut failed = Vec::new();
    let id = FileId::default();
    let result = isolate(|| {
        let found = run_file_rules(
            source,
            &parsed,
            settings,
            id,
            &FileFacts::default(),
            &mut |rule, message| {
                failed.push(internal(format!("rule {}", rule.code), message));
            },
        );
        let finishing = Finishing::read(source, &parsed, settings);
        // The findings become diagnostics again only once the tree is gone: a file with many
        // findings never holds both the tree and their full form (see `findings`).
        drop(parsed);
        release_dropped_trees(&[source]);
        let mut found = found.into_diagnostics();
        found.extend(extra);
        finishing.apply(source, found, settings, id)
    });
    linted.internal_errors = failed;
    match result {
        Ok(d) => linted.diagnostics = d,
        Err(message) => linted
            .internal_errors
            .push(internal("the engine".to_string(), message)),
    }
    linted
}

/// Runs the rules over an already parsed file; a panic in a rule is raised again.
pub fn lint_parsed(
    source: &SourceFile,
    parsed: &Parsed,
    settings: &FileSettings,
) -> Vec<Diagnostic> {
    let found = run_file_rules(
        source,
        parsed,
        settings,
        FileId::default(),
        &FileFacts::default(),
        &mut raise,
    );
    finish(
        source,
        parsed,
        found.into_diagnostics(),
        settings,
        FileId::default(),
    )
}

/// Raises a rule's internal error again, for callers that surface bugs at once.
fn raise(rule: &'static Rule, message: String) {
    panic!("internal error in rule {}: {message}", rule.code)
}

/// Lints the files of one project together (a compose file and the Dockerfiles it builds):
/// each file's own rules, then the project rules over all of them. Every finding is routed to
/// the file it names before that file's suppressions apply. The result has one list per
/// source, in order; file `i` is `FileId(i)`. Paths are looked up in the file system as they
/// are written; see [`lint_project_with`]. A panic in a parser or a rule is raised again.
pub fn lint_project(sources: &[SourceFile], settings: &FileSettings) -> Vec<Vec<Diagnostic>> {
    lint_project_with(sources, settings, &crate::project::path_kind)
}

/// [`lint_project`], with `path_kind` telling what is at a path a compose file names (a build
/// context, a Dockerfile), for sources whose paths are not relative to the current directory.
pub fn lint_project_with(
    sources: &[SourceFile],
    settings: &FileSettings,
    path_kind: &PathKindFn<'_>,
) -> Vec<Vec<Diagnostic>> {
    let units: Vec<Unit> = sources
        .iter()
        .map(|s| Unit {
            parsed: Some(Ok(Parsed::parse(s))),
            source: s.clone(),
        })
        .collect();
    let all: Vec<usize> = (0..units.len()).collect();
    let settings_of = vec![settings; units.len()];
    lint_group(&units, &all, &settings_of, settings, path_kind, &[])
        .into_iter()
        .map(|linted| {
            if let Some(e) = linted.internal_errors.first() {
                panic!("{e}");
            }
            linted.diagnostics
        })
        .collect()
}

/// Parses a source so that a panic in the parser (a bug in wharf) becomes its message.
pub fn parse_isolated(source: &SourceFile) -> Result<Parsed, String> {
    isolate(|| Parsed::parse(source))
}

/// Lints the files of one project, already parsed (with [`parse_isolated`]), in this thread:
/// file `i` under `settings_of[i]`, the project rules under `project_settings`. As
/// [`lint_isolated`], a panic in a parser or a rule becomes an internal error of its file.
/// For the language server, which lints one project per edit and starts no thread pool.
pub fn lint_project_parsed(
    files: Vec<(SourceFile, Result<Parsed, String>)>,
    settings_of: &[&FileSettings],
    project_settings: &FileSettings,
    path_kind: &PathKindFn<'_>,
) -> Vec<Linted> {
    let units: Vec<Unit> = files
        .into_iter()
        .map(|(source, parsed)| Unit {
            source,
            parsed: Some(parsed),
        })
        .collect();
    let all: Vec<usize> = (0..units.len()).collect();
    lint_group(&units, &all, settings_of, project_settings, path_kind, &[])
}

/// What is at a path (a build context or a Dockerfile a compose file names).
pub type PathKindFn<'a> = dyn Fn(&Path) -> crate::project::PathKind + Sync + 'a;

/// One file of a run: its source and its parse (or the parser's internal error). A
/// Dockerfile of a [`Run`] is parsed only when its project is linted (`None` until then), so
/// that the parsed trees of a whole tree of Dockerfiles are never all alive at once.
struct Unit {
    source: SourceFile,
    parsed: Option<Result<Parsed, String>>,
}

/// The services with a `build` in the compose files among `files`, each linked to the
/// Dockerfile of `files` it builds. `index` maps a normalized path to its file.
fn build_links(
    files: &[ProjectFile<'_>],
    path_kind: &PathKindFn<'_>,
) -> Vec<crate::project::BuildLink> {
    use crate::project::{BuildLink, PathKind, build_target, normalize};
    let index: hashbrown::HashMap<PathBuf, FileId> = files
        .iter()
        .filter(|f| f.source.kind == FileKind::Dockerfile)
        .map(|f| (normalize(&f.source.path), f.id))
        .collect();
    let mut out = Vec::new();
    for f in files {
        let Parsed::Compose(cf) = f.parsed else {
            continue;
        };
        for service in cf.services() {
            let Some(build) = service.build() else {
                continue;
            };
            let target = build_target(&f.source.path, &build);
            let kind = |p: &Option<PathBuf>| match p {
                Some(p) => path_kind(p),
                None => PathKind::Missing,
            };
            let dockerfile_file = target
                .dockerfile
                .as_ref()
                .and_then(|d| index.get(d).copied());
            out.push(BuildLink {
                compose: f.id,
                service: service.name.to_string(),
                context_kind: kind(&target.context),
                dockerfile_kind: if dockerfile_file.is_some() {
                    PathKind::File
                } else {
                    kind(&target.dockerfile)
                },
                dockerfile_file,
                target,
            });
        }
    }
    out
}

/// What a file's own rules learn from the rest of its project.
#[derive(Default)]
struct FileFacts<'a> {
    /// For a Dockerfile: the compose services that build it.
    built_by: Vec<crate::project::BuiltBy>,
    /// For a compose file: the other compose files compose reads with it.
    layers: Vec<&'a ComposeFile>,
    /// The compose files of the project, for the effective services.
    compose: Option<&'a crate::compose::project::Project<'a>>,
    /// For a Dockerfile a compose service builds: that service's build context (the first
    /// such service's, when several build it), instead of the Dockerfile's own directory.
    build_context: Option<PathBuf>,
}

/// The compose files a compose file names: the files it `include`s and the files its
/// services `extends` from, as paths resolved against its directory.
pub fn compose_file_refs(path: &Path, cf: &ComposeFile) -> Vec<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut out: Vec<PathBuf> = Vec::new();
    let extends = cf
        .services()
        .filter_map(|s| s.extends().and_then(|e| e.file))
        .collect::<Vec<_>>();
    for p in cf.include().into_iter().chain(extends) {
        if let Some(v) = p.resolved() {
            let p = crate::project::normalize(&dir.join(v.as_ref()));
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// For each compose file of `files`, the other compose files that compose reads together with
/// it: its base file when it is an override file, its override files, the files it includes or
/// extends from, the other compose files of its directory (layers given with `-f`), and so on
/// through those. The links are worked out once for the project, then followed from each file.
fn compose_layers(files: &[ProjectFile<'_>]) -> Vec<(FileId, Vec<FileId>)> {
    use crate::project::normalize;
    let composes: Vec<(FileId, PathBuf, &ComposeFile)> = files
        .iter()
        .filter_map(|f| match f.parsed {
            Parsed::Compose(cf) => Some((f.id, normalize(&f.source.path), cf)),
            Parsed::Dockerfile(_) => None,
        })
        .collect();
    let by_path = |p: &Path| composes.iter().find(|(_, q, _)| q == p).map(|c| c.0);
    // Edges, both ways. Compose files of one directory are often read together
    // (`-f compose.yaml -f compose.prod.yaml`), so each counts as a layer of the others.
    let mut edges: Vec<(FileId, FileId)> = Vec::new();
    for (i, (a, pa, _)) in composes.iter().enumerate() {
        for (b, pb, _) in composes.iter().skip(i + 1) {
            if pa.parent() == pb.parent() {
                edges.push((*a, *b));
            }
        }
    }
    for (fid, path, cf) in &composes {
        let base = crate::compose::project::base_of(path, |p| by_path(p).is_some());
        for target in base.into_iter().chain(compose_file_refs(path, cf)) {
            if let Some(t) = by_path(&target)
                && t != *fid
            {
                edges.push((*fid, t));
            }
        }
    }
    composes
        .iter()
        .map(|&(id, _, _)| (id, linked_from(&edges, id)))
        .collect()
}

/// The files `edges` link to `id`, directly or through others, nearest first.
fn linked_from(edges: &[(FileId, FileId)], id: FileId) -> Vec<FileId> {
    let mut seen = vec![id];
    let mut i = 0;
    while let Some(&at) = seen.get(i) {
        for &(a, b) in edges {
            let next = if a == at {
                b
            } else if b == at {
                a
            } else {
                continue;
            };
            if !seen.contains(&next) {
                seen.push(next);
            }
        }
        i += 1;
    }
    seen.into_iter().skip(1).collect()
}

/// Lints one project: the units at `members` (ids in the project are their positions in
/// `members`), each with its own settings, and the project rules of `project_settings`.
/// One [`Linted`] per member, in order.
fn lint_group(
    units: &[Unit],
    members: &[usize],
    settings_of: &[&FileSettings],
    project_settings: &FileSettings,
    path_kind: &PathKindFn<'_>,
    extras: &[Vec<Diagnostic>],
) -> Vec<Linted> {
    let internal = |path: &Path, what: String, message: String| FileError {
        path: path.to_path_buf(),
        message: format!("internal error in {what}: {message}; this is a bug in wharf"),
    };
    let mut linted: Vec<Linted> = members.iter().map(|_| Linted::default()).collect();
    // The members not parsed yet (the Dockerfiles of a run) are parsed here, and dropped with
    // the project.
    let late: Vec<Option<Result<Parsed, String>>> = members
        .iter()
        .map(|&m| match units.get(m) {
            Some(u) if u.parsed.is_none() => Some(isolate(|| Parsed::parse(&u.source))),
            _ => None,
        })
        .collect();
    let mut files: Vec<ProjectFile<'_>> = Vec::new();
    // Position in `members` of each project file.
    let mut slot: Vec<usize> = Vec::new();
    for (i, &m) in members.iter().enumerate() {
        let Some(unit) = units.get(m) else { continue };
        let Some(parsed) = unit.parsed.as_ref().or(late[i].as_ref()) else {
            continue;
        };
        match parsed {
            Ok(parsed) => {
                slot.push(i);
                files.push(ProjectFile {
                    id: FileId(files.len() as u32),
                    source: &unit.source,
                    parsed,
                });
            }
            Err(message) => {
                let parser = match unit.source.kind {
                    FileKind::Dockerfile => "the Dockerfile parser",
                    FileKind::Compose => "the compose parser",
                };
                linted[i].internal_errors.push(internal(
                    &unit.source.path,
                    parser.to_string(),
                    message.clone(),
                ));
                linted[i].parse_failed = true;
            }
        }
    }
    let builds = if files.iter().any(|f| f.source.kind == FileKind::Compose) {
        build_links(&files, path_kind)
    } else {
        Vec::new()
    };
    let compose_project = crate::compose::project::Project::new(
        files
            .iter()
            .filter_map(|f| match f.parsed {
                Parsed::Compose(cf) => Some(crate::compose::project::Member {
                    id: f.id,
                    path: &f.source.path,
                    file: cf,
                }),
                Parsed::Dockerfile(_) => None,
            })
            .collect(),
    );
    let layers = compose_layers(&files);
    let mut found: Vec<Findings> = Vec::with_capacity(files.len());
    for (f, &i) in files.iter().zip(&slot) {
        let settings = settings_of.get(i).copied().unwrap_or(project_settings);
        let facts = match f.parsed {
            Parsed::Dockerfile(df) => FileFacts {
                built_by: crate::project::built_by(&compose_project, &builds, f.id, df),
                layers: Vec::new(),
                compose: None,
                build_context: crate::project::compose_context(&builds, f.id),
            },
            Parsed::Compose(_) => FileFacts {
                built_by: Vec::new(),
                layers: layers
                    .iter()
                    .find(|(id, _)| *id == f.id)
                    .map_or(&[][..], |(_, l)| l)
                    .iter()
                    .filter_map(|id| match files.get(id.0 as usize).map(|o| o.parsed) {
                        Some(Parsed::Compose(cf)) => Some(cf),
                        _ => None,
                    })
                    .collect(),
                compose: Some(&compose_project),
                build_context: None,
            },
        };
        let errors = &mut linted[i].internal_errors;
        found.push(run_file_rules(
            f.source,
            f.parsed,
            settings,
            f.id,
            &facts,
            &mut |rule, message| {
                errors.push(internal(
                    &f.source.path,
                    format!("rule {}", rule.code),
                    message,
                ));
            },
        ));
        if let (Some(last), Some(extra)) = (found.last_mut(), extras.get(members[i])) {
            for d in extra {
                last.push(d.clone());
            }
        }
    }
    for &rule in &project_settings.rules {
        let Check::Project(check) = rule.check else {
            continue;
        };
        if !files.iter().any(|f| f.source.kind == FileKind::Compose) {
            break;
        }
        let result = isolate(|| {
            let mut ctx = ProjectContext::new(&files, &project_settings.rule_settings, rule)
                .with_builds(&builds)
                .with_layers(&layers)
                .with_compose_project(&compose_project);
            crate::rule_times::time(rule.code, || check(&mut ctx));
            ctx.into_diagnostics()
        });
        let diagnostics = match result {
            Ok(d) => d,
            Err(message) => {
                if let (Some(f), Some(&i)) = (files.first(), slot.first()) {
                    linted[i].internal_errors.push(internal(
                        &f.source.path,
                        format!("rule {}", rule.code),
                        message,
                    ));
                }
                continue;
            }
        };
        for mut d in diagnostics {
            // A finding naming no file of the run is kept, in the first file, rather than lost.
            let at = if (d.file.0 as usize) < found.len() {
                d.file.0 as usize
            } else {
                d.file = FileId(0);
                0
            };
            if let Some(list) = found.get_mut(at) {
                list.push(d);
            }
        }
    }
    // What finishing needs from the trees is read now; the trees are then dropped before the
    // findings become diagnostics again (see `findings`).
    let finishing: Vec<Result<Finishing, String>> = files
        .iter()
        .zip(&slot)
        .map(|(f, &i)| {
            let settings = settings_of.get(i).copied().unwrap_or(project_settings);
            isolate(|| Finishing::read(f.source, f.parsed, settings))
        })
        .collect();
    // From `units`, not `files`, whose borrow of the trees ends here.
    let sources: Vec<(FileId, &SourceFile)> = files
        .iter()
        .zip(&slot)
        .filter_map(|(f, &i)| Some((f.id, &units.get(*members.get(i)?)?.source)))
        .collect();
    drop((files, compose_project, builds, layers));
    drop(late);
    release_dropped_trees(&sources.iter().map(|&(_, s)| s).collect::<Vec<_>>());
    for (((found, finishing), &(id, source)), &i) in
        found.into_iter().zip(finishing).zip(&sources).zip(&slot)
    {
        let mut diags = found.into_diagnostics();
        for d in &mut diags {
            for r in &mut d.related {
                if r.file_id != d.file {
                    r.file = sources
                        .get(r.file_id.0 as usize)
                        .map(|(_, s)| s.path.clone());
                }
            }
        }
        let settings = settings_of.get(i).copied().unwrap_or(project_settings);
        match finishing.and_then(|finishing| {
            isolate(|| {
                crate::rule_times::time(crate::rule_times::FINISH, || {
                    finishing.apply(source, diags, settings, id)
                })
            })
        }) {
            Ok(d) => linted[i].diagnostics = d,
            Err(message) => linted[i].internal_errors.push(internal(
                &source.path,
                "the engine".to_string(),
                message,
            )),
        }
    }
    linted
}

/// The findings of the per-file rules of one file, each rule isolated: a rule that panics is
/// passed to `failed` with its message, and its findings are dropped.
fn run_file_rules(
    source: &SourceFile,
    parsed: &Parsed,
    settings: &FileSettings,
    id: FileId,
    project: &FileFacts<'_>,
    failed: &mut dyn FnMut(&'static Rule, String),
) -> Findings {
    let mut out = Findings::new(id);
    let build = match source.kind {
        crate::source::FileKind::Dockerfile => match &project.build_context {
            Some(dir) => {
                let based = |p: &Path| match settings.base_dir.as_deref() {
                    Some(b) if p.is_relative() => b.join(p),
                    _ => p.to_path_buf(),
                };
                LazyBuildContext::new(based(dir), based(&source.path))
            }
            None => LazyBuildContext::beside(&source.path, settings.base_dir.as_deref()),
        },
        crate::source::FileKind::Compose => LazyBuildContext::default(),
    };
    // A compose file linted alone is a project of its own, indexed once for all its rules
    // (without one, every `effective_service` call would index the file again).
    let single;
    let compose = match (project.compose, parsed) {
        (None, Parsed::Compose(cf)) => {
            single = crate::compose::project::Project::single(cf, &source.path, id);
            Some(&single)
        }
        (p, _) => p,
    };
    let mut streamed = Vec::with_capacity(settings.rules.len());
    for &rule in &settings.rules {
        if !rule.applies_to(source.kind) {
            continue;
        }
        if rule.check.needs_run_models() {
            streamed.push(rule);
            continue;
        }
        let around = Around {
            id,
            facts: project,
            compose,
            build: &build,
        };
        match isolate(|| {
            crate::rule_times::time(rule.code, || {
                run_rule(rule, source, parsed, settings, &around)
            })
        }) {
            Ok(mut found) => out.append(&mut found),
            Err(message) => failed(rule, message),
        }
    }
    if let (false, Parsed::Dockerfile(df)) = (streamed.is_empty(), parsed) {
        let mut make = |rule| {
            Context::new(&**df, source, &settings.rule_settings, rule)
                .with_file_id(id)
                .with_built_by(&project.built_by)
                .with_build_context(&build)
        };
        run_shell_rules(df, &streamed, &mut make, failed, &mut out);
    }
    out
}

/// A per-RUN rule while the RUNs of one file stream past it.
enum RunHook {
    Each(fn(&mut Context<'_, Dockerfile>, &dockerfile::ParsedRun<'_>)),
    Visitor(Box<dyn crate::rule::RunVisitor>),
}

/// Runs the per-RUN rules ([`Check::Run`], [`Check::Runs`]) over a Dockerfile: each RUN's
/// shell model is built, given to every hook, and dropped before the next RUN, so that the
/// live model is one RUN's, not the file's. Each rule is isolated as in [`run_file_rules`]:
/// one that panics is passed to `failed` and gets no more RUNs, and its findings are dropped.
/// The findings are added to `out` after each RUN, the rules' findings interleaved (each
/// rule's in the order it reported them; [`finish`] sorts them): one list grows, instead of
/// one per rule and then their concatenation.
fn run_shell_rules<'a>(
    df: &'a Dockerfile,
    rules: &[&'static Rule],
    make: &mut dyn FnMut(&'static Rule) -> Context<'a, Dockerfile>,
    failed: &mut dyn FnMut(&'static Rule, String),
    out: &mut Findings,
) {
    let mut live: Vec<(&'static Rule, Context<'a, Dockerfile>, RunHook)> =
        Vec::with_capacity(rules.len());
    for &rule in rules {
        let hook = match rule.check {
            Check::Run(f) => RunHook::Each(f),
            Check::Runs(new) => match isolate(new) {
                Ok(v) => RunHook::Visitor(v),
                Err(message) => {
                    failed(rule, message);
                    continue;
                }
            },
            _ => continue,
        };
        live.push((rule, make(rule), hook));
    }
    let mut fail = |live: &mut Vec<(&'static Rule, Context<'a, Dockerfile>, RunHook)>,
                    out: &mut Findings,
                    k: usize,
                    message: String| {
        let (rule, _, _) = live.remove(k);
        // What it reported on the RUNs before is dropped too, as when it had kept it.
        out.remove_code(rule.code);
        failed(rule, message);
    };
    for (index, ins) in df.runs() {
        if live.is_empty() {
            break;
        }
        let model = match isolate(|| {
            crate::rule_times::time(crate::rule_times::RUN_MODEL, || df.run_model_at(index, ins))
        }) {
            Ok(Some(m)) => m,
            Ok(None) => continue,
            Err(message) => {
                let message = format!("the shell parser: {message}");
                while !live.is_empty() {
                    fail(&mut live, out, 0, message.clone());
                }
                break;
            }
        };
        let parsed = model.parsed();
        let mut k = 0;
        while k < live.len() {
            let (rule, ctx, hook) = &mut live[k];
            let result = isolate(|| {
                crate::rule_times::time(rule.code, || match hook {
                    RunHook::Each(f) => {
                        if let Some(run) = &parsed {
                            f(ctx, run);
                        }
                    }
                    RunHook::Visitor(v) => v.run(ctx, &model),
                })
            });
            match result {
                Ok(()) => k += 1,
                Err(message) => fail(&mut live, out, k, message),
            }
        }
        for (_, ctx, _) in &mut live {
            out.append(&mut ctx.diagnostics);
        }
    }
    for (rule, mut ctx, hook) in live {
        let result = isolate(|| {
            crate::rule_times::time(rule.code, || {
                if let RunHook::Visitor(mut v) = hook {
                    v.finish(&mut ctx);
                }
                ctx.into_diagnostics()
            })
        });
        match result {
            Ok(mut found) => out.append(&mut found),
            Err(message) => {
                out.remove_code(rule.code);
                failed(rule, message);
            }
        }
    }
}

/// What a file's rules see around it: its id, its project facts, its compose project and its
/// build context.
struct Around<'r, 'a> {
    id: FileId,
    facts: &'r FileFacts<'a>,
    compose: Option<&'r crate::compose::project::Project<'a>>,
    build: &'r LazyBuildContext,
}

/// One rule's findings on one file.
fn run_rule(
    rule: &'static Rule,
    source: &SourceFile,
    parsed: &Parsed,
    settings: &FileSettings,
    around: &Around<'_, '_>,
) -> Vec<Diagnostic> {
    let Around {
        id,
        facts: project,
        compose,
        build,
    } = *around;
    match (rule.check, parsed) {
        (Check::Dockerfile(f), Parsed::Dockerfile(df)) => {
            let mut ctx = Context::new(&**df, source, &settings.rule_settings, rule)
                .with_file_id(id)
                .with_built_by(&project.built_by)
                .with_build_context(build);
            f(&mut ctx);
            ctx.into_diagnostics()
        }
        (Check::Compose(f), Parsed::Compose(cf)) => {
            let mut ctx = Context::new(cf, source, &settings.rule_settings, rule)
                .with_file_id(id)
                .with_layers(&project.layers);
            if let Some(p) = compose {
                ctx = ctx.with_compose_project(p);
            }
            f(&mut ctx);
            ctx.into_diagnostics()
        }
        (Check::Syntax(_), Parsed::Dockerfile(df)) => {
            let mut ctx = Context::new(df, source, &settings.rule_settings, rule).with_file_id(id);
            // A template gives an error on most of its lines; one finding says what it is.
            let template = df.template;
            for e in &df.errors {
                let d = ctx.report(e.span, e.message.clone());
                if template {
                    let more = df.errors.len() - 1;
                    d.help(format!(
                        "the file holds template placeholders (`{{{{ }}}}`): lint the rendered \
                         Dockerfile ({more} more syntax error{} not reported)",
                        if more == 1 { "" } else { "s" }
                    ));
                    break;
                }
            }
            ctx.into_diagnostics()
        }
        (Check::Syntax(_), Parsed::Compose(cf)) => {
            let mut ctx = Context::new(cf, source, &settings.rule_settings, rule).with_file_id(id);
            for e in &cf.errors {
                let d = ctx.report(e.span, e.message.clone());
                if let Some((span, msg)) = &e.related {
                    d.related(*span, msg.clone());
                }
            }
            ctx.into_diagnostics()
        }
        _ => Vec::new(),
    }
}

/// Suppressions, the meta rule's findings, severity overrides and order, for one file.
fn finish(
    source: &SourceFile,
    parsed: &Parsed,
    out: Vec<Diagnostic>,
    settings: &FileSettings,
    id: FileId,
) -> Vec<Diagnostic> {
    Finishing::read(source, parsed, settings).apply(source, out, settings, id)
}

/// The size of file (1 MiB) whose dropped tree is given back to the system before its
/// findings are expanded ([`release_dropped_trees`]).
const RELEASE_TREE_ABOVE: usize = 1 << 20;

/// Gives the pages of freed memory back to the system once the trees of `sources` are dropped,
/// when one of them is large. The allocator keeps the memory of a dropped tree (a great many
/// small blocks) for later use, while the findings expanded after it need one large block that
/// it maps anew. glibc only; a no-op elsewhere.
fn release_dropped_trees(sources: &[&SourceFile]) {
    if !sources.iter().any(|s| s.text.len() > RELEASE_TREE_ABOVE) {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists; it takes no pointer.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// What [`finish`] reads from a file's tree, taken before the tree is dropped, so that a
/// file's findings can be finished without it ([`lint_group`], [`lint_parsed_isolated`]).
struct Finishing {
    suppressions: suppress::FileSuppressions,
    check: Option<suppress::FileCheckOptions>,
    /// A compose file cut short by a YAML syntax error: what follows the error was never
    /// read, and an edit may change how it parses (found by fuzzing: deleting a `version:`
    /// line turned one error into six), so its findings carry no fixes.
    truncated: bool,
}

impl Finishing {
    fn read(source: &SourceFile, parsed: &Parsed, settings: &FileSettings) -> Finishing {
        Finishing {
            suppressions: suppress::read(source, parsed, &settings.suppress),
            check: match parsed {
                Parsed::Dockerfile(df) => {
                    suppress::check_options(df, settings.buildkit_check.as_ref())
                }
                Parsed::Compose(_) => None,
            },
            truncated: matches!(parsed, Parsed::Compose(cf) if cf.truncated()),
        }
    }

    fn apply(
        self,
        source: &SourceFile,
        out: Vec<Diagnostic>,
        settings: &FileSettings,
        id: FileId,
    ) -> Vec<Diagnostic> {
        let (mut out, unused) = self.suppressions.apply(source, out, &settings.rules);
        let meta = suppress::meta_rule(source.kind);
        if settings.rules.iter().any(|r| r.code == meta.code) {
            out.extend(unused.into_iter().map(|u| u.into_diagnostic(meta)));
        }
        for d in &mut out {
            d.file = id;
            if let Some(s) = settings.severity.get(d.code) {
                d.severity = *s;
            }
        }
        suppress::apply_check_options(self.check.as_ref(), &mut out);
        if self.truncated {
            for d in &mut out {
                d.fix = None;
            }
        }
        sort(&mut out);
        // The list is final: give back what growing it reserved (a file of many findings would
        // otherwise keep up to twice their size until the report is written).
        out.shrink_to_fit();
        out
    }
}

thread_local! {
    /// How many [`isolate`] calls are running on this thread: their panics are not printed.
    static ISOLATED: Cell<usize> = const { Cell::new(0) };
    /// Where the last silenced panic happened.
    static PANIC_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f`, turning a panic into its message (with its location) instead of printing it.
fn isolate<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if ISOLATED.with(Cell::get) > 0 {
                let at = info.location().map(|l| l.to_string());
                PANIC_LOCATION.with(|l| *l.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
    ISOLATED.with(|n| n.set(n.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    ISOLATED.with(|n| n.set(n.get() - 1));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string());
        match PANIC_LOCATION.with(|l| l.borrow_mut().take()) {
            Some(at) => format!("{message} (at {at})"),
            None => message,
        }
    })
}

/// Sorts diagnostics by start (so line and column), then code, then end and message; drops
/// exact duplicates.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    fn key(d: &Diagnostic) -> (u32, &'static str, u32, &str) {
        (d.span.start, d.code, d.span.end, d.message.as_ref())
    }
    if diags.len() <= SORT_IN_PLACE_ABOVE {
        diags.sort_by(|a, b| key(a).cmp(&key(b)));
    } else {
        // A stable sort of the findings themselves needs room for half of them (11 MB for
        // 174,000 findings, alive at the peak of such a run): sort their indices instead (4
        // bytes each), then move each finding to its place.
        let mut order: Vec<u32> = (0..diags.len() as u32).collect();
        order.sort_by(|&a, &b| key(&diags[a as usize]).cmp(&key(&diags[b as usize])));
        permute(diags, &mut order);
    }
    diags.dedup_by(|a, b| a.span == b.span && a.code == b.code && a.message == b.message);
}

/// How many findings [`sort`] sorts directly; above, it sorts their indices.
const SORT_IN_PLACE_ABOVE: usize = 4096;

/// Puts `items[order[i]]` at `i` for every `i`, in place (one cycle of swaps at a time);
/// `order` is a permutation of the indices and is used up.
fn permute<T>(items: &mut [T], order: &mut [u32]) {
    for start in 0..items.len() {
        let mut at = start;
        loop {
            let from = order[at] as usize;
            // Done: `at` holds its final item (or will, at the end of this cycle).
            order[at] = at as u32;
            if from == start || from == at {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// A file that could not be linted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// Reads a file as UTF-8 text, refusing binary content with a clear message.
pub fn read_text(path: &Path, bytes: Vec<u8>) -> Result<String, FileError> {
    let err = |message: String| FileError {
        path: path.to_path_buf(),
        message,
    };
    // The whole file: a NUL anywhere means it is not text (a NUL at byte 9,000 would
    // otherwise be linted and echoed to the terminal).
    if bytes.contains(&0) {
        return Err(err("binary file (contains NUL bytes)".into()));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let col = at
            - bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map(|p| p + 1)
                .unwrap_or(0)
            + 1;
        err(format!("invalid UTF-8 at line {line}, byte column {col}"))
    })
}

/// Reads a file to lint: a regular file (or a link to one) of at most `max_size` bytes
/// ([`DEFAULT_MAX_FILE_SIZE`] when `None`).
pub fn read_linted_file(path: &Path, max_size: Option<u64>) -> Result<Vec<u8>, FileError> {
    read_linted_with(path, max_size, read_regular_file)
}

fn read_linted_with(
    path: &Path,
    max_size: Option<u64>,
    read: fn(&Path, u64) -> Result<Vec<u8>, ReadError>,
) -> Result<Vec<u8>, FileError> {
    let cap = max_size.unwrap_or(DEFAULT_MAX_FILE_SIZE);
    read(path, cap).map_err(|e| FileError {
        path: path.to_path_buf(),
        message: match e {
            ReadError::TooLarge(_) => {
                format!("{e} (raise it with --max-file-size or `max-file-size` in wharf.toml)")
            }
            e => e.to_string(),
        },
    })
}

/// Where the engine gets the text of a file: the file system for the CLI, open editor buffers
/// for the language server. The engine never reads files itself.
pub trait SourceProvider: Sync {
    /// The file at `path`, its kind from `kind` or else from its name and content, refused
    /// when larger than `max_size` bytes ([`DEFAULT_MAX_FILE_SIZE`] when `None`).
    fn source(
        &self,
        path: &Path,
        kind: Option<FileKind>,
        max_size: Option<u64>,
    ) -> Result<SourceFile, FileError>;

    /// What is at a path a compose file names (a build context, a Dockerfile).
    fn path_kind(&self, path: &Path) -> crate::project::PathKind {
        crate::project::path_kind(path)
    }
}

/// Reads files from disk with [`read_source`].
#[derive(Debug, Clone, Copy, Default)]
pub struct FileSystem;

impl SourceProvider for FileSystem {
    fn source(
        &self,
        path: &Path,
        kind: Option<FileKind>,
        max_size: Option<u64>,
    ) -> Result<SourceFile, FileError> {
        read_source(path, kind, max_size)
    }
}

/// Reads files from disk that discovery found, with [`read_found_file`]: their type is known
/// to be a regular file (discovery learned it from a listing or a `stat`, and
/// [`SourceProvider::path_kind`] asked it for the files a compose file builds), so it is not
/// asked again before the open; the open file is still checked. The CLI's provider.
#[derive(Debug, Clone, Copy, Default)]
pub struct FoundFiles;

impl SourceProvider for FoundFiles {
    fn source(
        &self,
        path: &Path,
        kind: Option<FileKind>,
        max_size: Option<u64>,
    ) -> Result<SourceFile, FileError> {
        let bytes = read_linted_with(path, max_size, read_found_file)?;
        source_of(path, kind, bytes)
    }
}

/// Texts held in memory (an editor's unsaved buffers), in front of another provider for the
/// files that are not open.
pub struct Buffers<'a> {
    pub open: HashMap<PathBuf, String>,
    pub fallback: &'a dyn SourceProvider,
}

impl SourceProvider for Buffers<'_> {
    fn source(
        &self,
        path: &Path,
        kind: Option<FileKind>,
        max_size: Option<u64>,
    ) -> Result<SourceFile, FileError> {
        match self.open.get(path) {
            Some(text) => {
                let kind = kind.unwrap_or_else(|| crate::discover::kind_of(path, text));
                Ok(SourceFile::new(path, text.as_str(), kind))
            }
            None => self.fallback.source(path, kind, max_size),
        }
    }

    fn path_kind(&self, path: &Path) -> crate::project::PathKind {
        if self.open.contains_key(path) {
            crate::project::PathKind::File
        } else {
            self.fallback.path_kind(path)
        }
    }
}

/// Reads one file from disk as a source: the file system's read path.
pub fn read_source(
    path: &Path,
    kind: Option<FileKind>,
    max_size: Option<u64>,
) -> Result<SourceFile, FileError> {
    source_of(path, kind, read_linted_file(path, max_size)?)
}

/// The source of the bytes read from `path`.
fn source_of(path: &Path, kind: Option<FileKind>, bytes: Vec<u8>) -> Result<SourceFile, FileError> {
    let text = read_text(path, bytes)?;
    let kind = kind.unwrap_or_else(|| crate::discover::kind_of(path, &text));
    Ok(SourceFile::new(path.to_path_buf(), text, kind))
}

/// The stack size of the threads that lint files.
const WORKER_STACK: usize = 8 << 20;

/// Reads (from the file system) and lints a set of files in parallel; see [`lint_files_from`].
pub fn lint_files<'s>(
    files: &[(PathBuf, Option<FileKind>)],
    settings_for: &(dyn Fn(&Path) -> &'s FileSettings + Sync),
) -> (Vec<LintedFile>, Vec<FileError>) {
    lint_files_from(&FileSystem, files, settings_for)
}

/// Gets each file from `provider` and lints the set in parallel. `settings_for` picks the
/// settings of each file (the nearest configuration file may differ per directory). Files
/// that form a project (a compose file and the Dockerfiles it builds, an override file and its
/// base) are linted together, so that project rules see them all. The result is sorted by
/// path.
pub fn lint_files_from<'s>(
    provider: &dyn SourceProvider,
    files: &[(PathBuf, Option<FileKind>)],
    settings_for: &(dyn Fn(&Path) -> &'s FileSettings + Sync),
) -> (Vec<LintedFile>, Vec<FileError>) {
    let run = Run::read(provider, files, &|p| settings_for(p).max_file_size);
    run.lint(provider, settings_for)
}

/// The files of a run, read and parsed once, before they are linted: [`Run::read`], then
/// optionally [`Run::wanted`] and [`Run::add`] for the Dockerfiles the compose files build
/// that were not named, then [`Run::lint`].
pub struct Run {
    units: Vec<Unit>,
    /// The names of each unit that say it is the same file as a path: its path
    /// [`normalize`](crate::project::normalize)d and its [`identity`](crate::discover::identity),
    /// worked out once, in parallel, while the files are read.
    keys: Vec<[PathBuf; 2]>,
    errors: Vec<FileError>,
}

impl Run {
    /// Reads and parses `files` in parallel; `max_size` gives each file's size cap.
    pub fn read(
        provider: &dyn SourceProvider,
        files: &[(PathBuf, Option<FileKind>)],
        max_size: &(dyn Fn(&Path) -> Option<u64> + Sync),
    ) -> Run {
        let mut run = Run {
            units: Vec::new(),
            keys: Vec::new(),
            errors: Vec::new(),
        };
        run.add(provider, files, max_size);
        run
    }

    /// Reads and parses more files into the run.
    pub fn add(
        &mut self,
        provider: &dyn SourceProvider,
        files: &[(PathBuf, Option<FileKind>)],
        max_size: &(dyn Fn(&Path) -> Option<u64> + Sync),
    ) {
        let results = par_map(files, |(path, kind)| {
            let source = provider.source(path, *kind, max_size(path))?;
            // Compose files are parsed now: they say which files form a project. Their trees
            // wait until the project is linted, beside each other: kept tight.
            let parsed = (source.kind == FileKind::Compose).then(|| {
                isolate(|| {
                    let mut parsed = Parsed::parse(&source);
                    if let Parsed::Compose(cf) = &mut parsed {
                        cf.tree.shrink_to_fit();
                    }
                    parsed
                })
            });
            let keys = [
                crate::project::normalize(&source.path),
                crate::discover::identity(&source.path),
            ];
            Ok((Unit { source, parsed }, keys))
        });
        self.units.reserve_exact(results.len());
        self.keys.reserve_exact(results.len());
        for r in results {
            match r {
                Ok((u, keys)) => {
                    self.units.push(u);
                    self.keys.push(keys);
                }
                Err(e) => self.errors.push(e),
            }
        }
    }

    /// The Dockerfiles that the compose files of the run build, and the compose files they
    /// include or extend from, that are not in the run yet, when `provider` says they are
    /// files: lint them too, with [`Run::add`]. (One level: the files added are not searched.)
    pub fn wanted(&self, provider: &dyn SourceProvider) -> Vec<(PathBuf, FileKind)> {
        use crate::project::{PathKind, build_target, normalize};
        // Sized up front: hashing a long path costs more than the lookup, and a growing set
        // hashes every key again.
        let mut have: hashbrown::HashSet<&Path> =
            hashbrown::HashSet::with_capacity(2 * self.keys.len());
        have.extend(
            self.keys
                .iter()
                .flat_map(|keys| keys.iter().map(PathBuf::as_path)),
        );
        let mut out: Vec<(PathBuf, FileKind)> = Vec::new();
        let fresh = |p: &Path, out: &[(PathBuf, FileKind)]| {
            !have.contains(p)
                && !have.contains(crate::discover::identity(p).as_path())
                && !out.iter().any(|(q, _)| q == p)
                && provider.path_kind(p) == PathKind::File
        };
        for u in &self.units {
            let Some(Ok(Parsed::Compose(cf))) = &u.parsed else {
                continue;
            };
            for p in compose_file_refs(&u.source.path, cf) {
                if fresh(&p, &out) {
                    out.push((p, FileKind::Compose));
                }
            }
            for service in cf.services() {
                let Some(build) = service.build() else {
                    continue;
                };
                let Some(dockerfile) = build_target(&u.source.path, &build).dockerfile else {
                    continue;
                };
                let dockerfile = normalize(&dockerfile);
                if fresh(&dockerfile, &out) {
                    out.push((dockerfile, FileKind::Dockerfile));
                }
            }
        }
        out
    }

    /// Groups the files into projects and lints each project, in parallel.
    pub fn lint<'s>(
        self,
        provider: &dyn SourceProvider,
        settings_for: &(dyn Fn(&Path) -> &'s FileSettings + Sync),
    ) -> (Vec<LintedFile>, Vec<FileError>) {
        let Run {
            units,
            keys,
            mut errors,
        } = self;
        let mut extras = shellcheck_extras(&units, settings_for, &mut errors);
        let groups = projects(&units, &keys, &|p| provider.path_kind(p));
        drop(keys);
        let path_kind = |p: &Path| provider.path_kind(p);
        let count = units.len();
        // Each project takes its units (and their ShellCheck findings) with it, so that its
        // parsed files (compose trees included) are dropped as soon as its rules have run,
        // not kept until the whole run is done.
        let mut free: Vec<Option<Unit>> = units.into_iter().map(Some).collect();
        let owned: Vec<Vec<(usize, Unit, Vec<Diagnostic>)>> = groups
            .into_iter()
            .map(|members| {
                let room = members.len();
                members
                    .into_iter()
                    .filter_map(|m| {
                        let unit = free.get_mut(m)?.take()?;
                        let extra = extras.get_mut(m).map(std::mem::take).unwrap_or_default();
                        Some((m, unit, extra))
                    })
                    // Exactly as long as the group: most groups are one file, and a collected
                    // `filter_map` starts with room for four (8 MB over the corpus).
                    .fold(Vec::with_capacity(room), |mut v, x| {
                        v.push(x);
                        v
                    })
            })
            .collect();
        let results = par_map_into(owned, |group| {
            let mut members = Vec::with_capacity(group.len());
            let mut group_units = Vec::with_capacity(group.len());
            let mut group_extras = Vec::with_capacity(group.len());
            for (m, unit, extra) in group {
                members.push(m);
                group_units.push(unit);
                group_extras.push(extra);
            }
            let settings_of: Vec<&FileSettings> = group_units
                .iter()
                .map(|u| settings_for(&u.source.path))
                .collect();
            // The project rules run under the settings of the project's first compose
            // file (the project is named after it).
            let project_settings = group_units
                .iter()
                .position(|u| u.source.kind == FileKind::Compose)
                .and_then(|i| settings_of.get(i).copied())
                .or_else(|| settings_of.first().copied());
            let Some(project_settings) = project_settings else {
                return Vec::new();
            };
            let all: Vec<usize> = (0..group_units.len()).collect();
            let linted = lint_group(
                &group_units,
                &all,
                &settings_of,
                project_settings,
                &path_kind,
                &group_extras,
            );
            // The line index of each file for the report, built here, in parallel.
            members
                .into_iter()
                .zip(linted)
                .zip(group_units)
                .map(|((m, linted), unit)| {
                    let index = (!linted.parse_failed).then(|| LineIndex::new(&unit.source.text));
                    (m, linted, unit.source, index)
                })
                .collect()
        });
        type Slot = (Linted, SourceFile, Option<LineIndex>);
        let mut slots: Vec<Option<Slot>> = (0..count).map(|_| None).collect();
        for (m, linted, source, index) in results.into_iter().flatten() {
            if let Some(s) = slots.get_mut(m) {
                *s = Some((linted, source, index));
            }
        }
        let mut ok = Vec::new();
        for (linted, source, index) in slots.into_iter().flatten() {
            errors.extend(linted.internal_errors);
            if let Some(line_index) = index {
                ok.push(LintedFile {
                    line_index,
                    source,
                    diagnostics: linted.diagnostics,
                });
            }
        }
        ok.sort_by(|a, b| a.source.path.cmp(&b.source.path));
        errors.sort_by(|a, b| a.path.cmp(&b.path));
        (ok, errors)
    }
}

/// ShellCheck's findings for each unit of a run (empty when it is off for every file). A
/// batch that failed becomes an error of each of its files, whose other findings stay.
fn shellcheck_extras<'s>(
    units: &[Unit],
    settings_for: &(dyn Fn(&Path) -> &'s FileSettings + Sync),
    errors: &mut Vec<FileError>,
) -> Vec<Vec<Diagnostic>> {
    if !units
        .iter()
        .any(|u| settings_for(&u.source.path).shellcheck.enabled)
    {
        return Vec::new();
    }
    let files: Vec<(&SourceFile, &FileSettings)> = units
        .iter()
        .map(|u| (&u.source, settings_for(&u.source.path)))
        .collect();
    let checked = in_pool(|| shellcheck_pass(&files));
    units
        .iter()
        .zip(checked)
        .map(|(u, r)| match r {
            Ok(found) => found,
            Err(message) => {
                errors.push(FileError {
                    path: u.source.path.clone(),
                    message,
                });
                Vec::new()
            }
        })
        .collect()
}

/// The workers of a run: one pool, built when a phase first has more than one item of work,
/// and kept for the rest of the process. Its threads have a roomy stack, as a second line of
/// defence: the parsers bound their own recursion so that 2 MiB suffice (see `shell::depth`).
/// `None` when the threads cannot be started; the work then runs on the calling thread.
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(WORKER_STACK)
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs `f` in the run's pool (see [`pool`]), so that the parallel iterators inside it use the
/// pool's workers.
fn in_pool<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    match pool() {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// `f` over each item, in order. One item is done on the calling thread: a run of one file
/// (pre-commit, an editor) starts no thread at all.
pub(crate) fn par_map<I: Sync, T: Send>(items: &[I], f: impl Fn(&I) -> T + Sync + Send) -> Vec<T> {
    if items.len() <= 1 {
        return items.iter().map(f).collect();
    }
    in_pool(|| items.par_iter().map(f).collect())
}

/// [`par_map`] for work that takes its items.
pub(crate) fn par_map_into<I: Send, T: Send>(
    items: Vec<I>,
    f: impl Fn(I) -> T + Sync + Send,
) -> Vec<T> {
    if items.len() <= 1 {
        return items.into_iter().map(f).collect();
    }
    in_pool(|| items.into_par_iter().map(f).collect())
}

/// Groups the units into projects: a compose file with the Dockerfiles it builds, with the
/// compose files it includes or extends from, and with the other compose files of its
/// directory (an override file and its base, layers read with `-f`); files linked through
/// another are in one project. Each group lists
/// unit indices in order; groups are in the order of their first unit.
/// `keys` holds each unit's normalized path and identity (see [`Run`]).
fn projects(units: &[Unit], keys: &[[PathBuf; 2]], path_kind: &PathKindFn<'_>) -> Vec<Vec<usize>> {
    use crate::project::{build_target, normalize};
    let mut parent: Vec<usize> = (0..units.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let join = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (root(parent, a), root(parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    };
    let mut by_path: hashbrown::HashMap<&Path, usize> =
        hashbrown::HashMap::with_capacity(2 * keys.len());
    for (i, [normalized, id]) in keys.iter().enumerate() {
        by_path.entry(normalized).or_insert(i);
        by_path.entry(id).or_insert(i);
    }
    let find = |p: &Path| {
        by_path
            .get(normalize(p).as_path())
            .or_else(|| by_path.get(crate::discover::identity(p).as_path()))
            .copied()
    };
    let mut first_in_dir: hashbrown::HashMap<PathBuf, usize> = hashbrown::HashMap::new();
    for (i, u) in units.iter().enumerate() {
        let (Some(Ok(Parsed::Compose(cf))), Some([normalized, _])) = (&u.parsed, keys.get(i))
        else {
            continue;
        };
        let dir = normalized
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let first = *first_in_dir.entry(dir).or_insert(i);
        join(&mut parent, first, i);
        for service in cf.services() {
            let Some(build) = service.build() else {
                continue;
            };
            if let Some(j) = build_target(&u.source.path, &build)
                .dockerfile
                .and_then(|d| find(&d))
            {
                join(&mut parent, i, j);
            }
        }
        for target in compose_file_refs(&u.source.path, cf) {
            if let Some(j) = find(&target) {
                join(&mut parent, i, j);
            }
        }
        let base = crate::compose::project::base_of(&u.source.path, |p| {
            find(p).is_some() || path_kind(p) == crate::project::PathKind::File
        });
        if let Some(j) = base.and_then(|b| find(&b)) {
            join(&mut parent, i, j);
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for i in 0..units.len() {
        let r = root(&mut parent, i);
        let g = *group_of.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    groups
}

/// The ShellCheck pass over several files: for each, the ShellCheck findings its settings
/// report (none when ShellCheck is off for it or it is not a Dockerfile), or why ShellCheck
/// could not check it (the program is missing, crashed, or printed something unreadable).
/// All the scripts go to ShellCheck together, in batches run in parallel.
pub fn shellcheck_pass(
    files: &[(&SourceFile, &FileSettings)],
) -> Vec<Result<Vec<Diagnostic>, String>> {
    use crate::shellcheck::{Runner, collect};
    let collected: Vec<Result<Vec<crate::shellcheck::Script>, String>> = files
        .par_iter()
        .map(|(source, settings)| {
            if !settings.shellcheck.enabled || source.kind != FileKind::Dockerfile {
                return Ok(Vec::new());
            }
            isolate(|| collect(&dockerfile::parse_shared(source.text.clone()))).map_err(|m| {
                format!("internal error in the ShellCheck pass: {m}; this is a bug in wharf")
            })
        })
        .collect();
    let mut failed: Vec<Option<String>> = Vec::with_capacity(collected.len());
    let scripts: Vec<Vec<crate::shellcheck::Script>> = collected
        .into_iter()
        .map(|c| match c {
            Ok(s) => {
                failed.push(None);
                s
            }
            Err(e) => {
                failed.push(Some(e));
                Vec::new()
            }
        })
        .collect();
    let checked: Vec<Result<Vec<Diagnostic>, String>> = if scripts.iter().all(Vec::is_empty) {
        scripts.iter().map(|_| Ok(Vec::new())).collect()
    } else {
        match Runner::find() {
            Ok(runner) => runner.check(&scripts),
            Err(e) => scripts
                .iter()
                .map(|s| {
                    if s.is_empty() {
                        Ok(Vec::new())
                    } else {
                        Err(e.clone())
                    }
                })
                .collect(),
        }
    };
    failed
        .into_iter()
        .zip(checked)
        .zip(files)
        .map(|((failed, checked), (_, settings))| {
            if let Some(e) = failed {
                return Err(e);
            }
            let mut found = checked?;
            found.retain(|d| {
                crate::shellcheck::code_number(d.code)
                    .is_some_and(|n| settings.shellcheck.reports(n))
            });
            Ok(found)
        })
        .collect()
}

#[cfg(test)]
mod provider_tests {
    use super::*;
    #[test]
    fn a_run_groups_a_compose_file_with_its_override_and_the_dockerfiles_it_builds() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        let write = |p: &str, text: &str| {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().unwrap_or(root))
                .unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
            path
        };
        let base = write(
            "compose.yaml",
            "services:\n  web:\n    build:\n      context: ./app\n      target: prod\nvolumes:\n  data:\n",
        );
        let layer = write(
            "compose.override.yaml",
            "services:\n  web:\n    volumes: [data:/data, other:/other]\n",
        );
        write("app/Dockerfile", "FROM alpine:3.20 AS production\n");
        let settings = FileSettings {
            rules: ["DC010", "DX001"]
                .iter()
                .filter_map(|c| crate::registry::find(c))
                .collect(),
            ..FileSettings::default()
        };
        let named = [(base.clone(), None), (layer.clone(), None)];
        let mut run = Run::read(&FileSystem, &named, &|_| None);
        let wanted = run.wanted(&FileSystem);
        assert_eq!(
            wanted,
            [(
                crate::project::normalize(&root.join("app/Dockerfile")),
                FileKind::Dockerfile
            )]
        );
        let more: Vec<_> = wanted.into_iter().map(|(p, k)| (p, Some(k))).collect();
        run.add(&FileSystem, &more, &|_| None);
        let (linted, errors) = run.lint(&FileSystem, &|_| &settings);
        assert!(errors.is_empty(), "{errors:?}");
        let found: Vec<(String, &str, String)> = linted
            .iter()
            .flat_map(|f| {
                let name = f
                    .source
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned());
                f.diagnostics.iter().map(move |d| {
                    (
                        name.clone().unwrap_or_default(),
                        d.code,
                        d.message.to_string(),
                    )
                })
            })
            .collect();
        // The override sees `data` of its base; `other` is defined nowhere; the target names
        // no stage of the Dockerfile the base builds, which was not named but is linted.
        assert_eq!(
            found,
            [
                (
                    "compose.override.yaml".to_string(),
                    "DC010",
                    "undefined volume `other`".to_string()
                ),
                (
                    "compose.yaml".to_string(),
                    "DX001",
                    "no stage `prod` in the Dockerfile".to_string()
                ),
            ]
        );
        assert_eq!(linted.len(), 3);
    }

    #[test]
    fn open_buffers_win_over_the_file_system() {
        let dir = std::env::temp_dir().join(format!("wharf-provider-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let on_disk = dir.join("Dockerfile");
        std::fs::write(&on_disk, "FROM alpine\nUSER app\n").unwrap();
        let open = dir.join("Dockerfile.dev");
        let buffers = Buffers {
            open: HashMap::from([(open.clone(), "FROM alpine\n".to_string())]),
            fallback: &FileSystem,
        };
        let settings = FileSettings {
            rules: vec![crate::registry::find("DL3002").unwrap()],
            ..FileSettings::default()
        };
        let files = [(on_disk.clone(), None), (open.clone(), None)];
        let (linted, errors) = lint_files_from(&buffers, &files, &|_| &settings);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(linted.len(), 2);
        assert_eq!(&*linted[1].source.text, "FROM alpine\n");
        assert_eq!(linted[1].source.kind, FileKind::Dockerfile);
        let missing = [(dir.join("absent"), Some(FileKind::Dockerfile))];
        let (_, errors) = lint_files_from(&buffers, &missing, &|_| &settings);
        assert_eq!(errors.len(), 1);
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// A project rule for tests only (registered in the catalogue of the crate's own unit tests):
/// every Dockerfile of a project that has a compose file gets a finding at its first
/// instruction, with a related label at the compose file's first `build:`.
#[cfg(test)]
pub(crate) mod project_tests {
    use super::*;
    use crate::rule::Category;
    use crate::source::Span;

    crate::declare_rule! {
        /// ## What it does
        /// Test only: marks the Dockerfiles a compose file builds.
        pub static RULE = Rule {
            code: "DX999",
            name: "test-cross-file",
            category: Category::Correctness,
            summary: "a dockerfile built by a compose file (test rule)",
            check: Check::Project(check),
        };
    }

    fn check(ctx: &mut ProjectContext<'_>) {
        let files = ctx.files;
        let Some(compose) = files.iter().find(|f| f.source.kind == FileKind::Compose) else {
            return;
        };
        let Some(at) = compose.source.text.find("build:") else {
            return;
        };
        let build = Span::from_range(at..at + "build:".len());
        for f in files {
            let Parsed::Dockerfile(df) = f.parsed else {
                continue;
            };
            if let Some(first) = df.instructions.first() {
                ctx.report(f.id, first.span, "built by a compose file")
                    .related_in(compose.id, build, "built here");
            }
        }
    }

    fn project(dockerfile: &str) -> Vec<Vec<Diagnostic>> {
        let sources = [
            SourceFile::new(
                "compose.yaml",
                "services:\n  app:\n    build: ./app\n",
                FileKind::Compose,
            ),
            SourceFile::new("app/Dockerfile", dockerfile, FileKind::Dockerfile),
        ];
        let settings = FileSettings {
            rules: vec![&RULE, crate::registry::find("DF900").unwrap()],
            ..FileSettings::default()
        };
        lint_project(&sources, &settings)
    }

    #[test]
    fn cross_file_finding_lands_in_its_file_with_a_related_label_in_the_other() {
        let out = project("FROM alpine\n");
        assert!(out[0].is_empty(), "{:?}", out[0]);
        let [d] = out[1].as_slice() else {
            panic!("one finding in the Dockerfile: {:?}", out[1]);
        };
        assert_eq!(
            (d.code, d.file, d.span),
            ("DX999", FileId(1), Span::new(0, 11))
        );
        let [r] = d.related.as_slice() else {
            panic!("one related label");
        };
        assert_eq!(r.file_id, FileId(0));
        assert_eq!(r.file.as_deref(), Some(Path::new("compose.yaml")));
        assert_eq!(r.span, Span::new(21, 27));
    }

    #[test]
    fn inline_suppressions_apply_to_routed_findings() {
        let out = project("# wharf: ignore=DX999\nFROM alpine\n");
        assert!(out[1].is_empty(), "{:?}", out[1]);
        // Not a project rule's file: the single-file engine does not run project rules.
        let alone = SourceFile::new("Dockerfile", "FROM alpine\n", FileKind::Dockerfile);
        let settings = FileSettings {
            rules: vec![&RULE],
            ..FileSettings::default()
        };
        assert!(lint_source(&alone, &settings).is_empty());
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn permute_puts_each_item_where_the_order_says() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        let mut order = vec![3, 0, 1, 2, 5, 4];
        super::permute(&mut items, &mut order);
        assert_eq!(items, ['d', 'a', 'b', 'c', 'f', 'e']);
        let mut none: Vec<char> = Vec::new();
        super::permute(&mut none, &mut []);
        assert!(none.is_empty());
    }

    #[test]
    fn sorting_by_indices_gives_the_stable_order() {
        use crate::diagnostic::Diagnostic;
        // Many findings with ties (same start, code, end and message) that differ in their
        // help: the first of each tie must survive, as with the direct stable sort.
        let make = |k: u32| Diagnostic {
            file: Default::default(),
            code: ["DL3008", "DL3013", "DL4006"][(k % 3) as usize],
            name: "x",
            severity: crate::diagnostic::Severity::Warning,
            span: crate::source::Span::from_range((k * 7919 % 997) as usize..1000),
            message: format!("m{}", k % 5).into(),
            help: Some(format!("{k}").into()),
            fix: None,
            related: Vec::new(),
        };
        let all: Vec<Diagnostic> = (0..20_000).map(make).collect();
        let mut by_index = all.clone();
        super::sort(&mut by_index);
        let mut direct = all;
        direct.sort_by(|a, b| {
            (a.span.start, a.code, a.span.end, &a.message).cmp(&(
                b.span.start,
                b.code,
                b.span.end,
                &b.message,
            ))
        });
        direct.dedup_by(|a, b| a.span == b.span && a.code == b.code && a.message == b.message);
        assert!(by_index.len() < 20_000);
        assert_eq!(by_index, direct);
    }

    use super::*;

    #[test]
    fn one_item_of_work_stays_on_the_calling_thread_and_more_keep_their_order() {
        let here = std::thread::current().id();
        assert_eq!(par_map(&[1], |_| std::thread::current().id()), vec![here]);
        assert_eq!(
            par_map_into(vec![1], |_| std::thread::current().id()),
            vec![here]
        );
        let many: Vec<usize> = (0..1000).collect();
        let doubled = par_map(&many, |i| i * 2);
        assert_eq!(doubled, many.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(par_map_into(many.clone(), |i| i * 2), doubled);
        // The work of more than one item runs in the run's pool, not rayon's global one.
        let in_run_pool = par_map(&many, |_| {
            pool().is_none_or(|p| p.current_thread_index().is_some())
        });
        assert!(in_run_pool.iter().all(|&w| w));
    }

    /// A rule that exists only in these tests: it panics on files whose path holds `bad`.
    static PANICS: Rule = Rule {
        code: "DF999",
        name: "test-only-panic",
        check: Check::Dockerfile(panic_on_bad),
        ..Rule::DEFAULT
    };

    fn panic_on_bad(ctx: &mut Context<'_, Dockerfile>) {
        if ctx.source.path.to_string_lossy().contains("bad") {
            panic!("boom");
        }
    }

    fn settings() -> FileSettings {
        let real = crate::registry::find("DF003").unwrap_or_else(|| panic!("DF003 exists"));
        FileSettings {
            rules: vec![&PANICS, real],
            ..FileSettings::default()
        }
    }

    const TEXT: &str = "FROM alpine:3.20\nRUN echo \"unterminated\n";

    #[test]
    fn a_panicking_rule_is_an_internal_error_and_the_others_still_report() {
        let source = SourceFile::new("bad/Dockerfile", TEXT, FileKind::Dockerfile);
        let linted = lint_isolated(&source, &settings());
        let codes: Vec<&str> = linted.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["DF003"]);
        assert!(!linted.parse_failed);
        let [e] = linted.internal_errors.as_slice() else {
            panic!("one internal error expected: {:?}", linted.internal_errors);
        };
        assert_eq!(e.path, PathBuf::from("bad/Dockerfile"));
        assert!(
            e.message
                .starts_with("internal error in rule DF999: boom (at src/engine.rs:")
                && e.message.ends_with("; this is a bug in wharf"),
            "{}",
            e.message
        );
    }

    /// A per-RUN rule for these tests: it panics on the RUN at index 2, reports the others.
    static RUN_PANICS: Rule = Rule {
        code: "DF998",
        name: "test-run-panic",
        check: Check::Run(panic_on_second_run),
        ..Rule::DEFAULT
    };

    fn panic_on_second_run(ctx: &mut Context<'_, Dockerfile>, run: &dockerfile::ParsedRun<'_>) {
        if run.index == 2 {
            panic!("run boom");
        }
        ctx.report(run.ins.keyword, "a run");
    }

    fn models_built(text: &str, codes: &[&str]) -> (Vec<&'static str>, usize) {
        let source = SourceFile::new("Dockerfile", text, FileKind::Dockerfile);
        let settings = FileSettings {
            rules: codes
                .iter()
                .map(|c| crate::registry::find(c).unwrap_or_else(|| panic!("{c} exists")))
                .collect(),
            ..FileSettings::default()
        };
        let before = crate::dockerfile::scripts::MODELS_BUILT.with(Cell::get);
        let found = lint_source(&source, &settings);
        let built = crate::dockerfile::scripts::MODELS_BUILT.with(Cell::get) - before;
        (found.iter().map(|d| d.code).collect(), built)
    }

    #[test]
    fn run_models_are_built_only_for_rules_that_read_them_and_once_per_run() {
        let text = "FROM debian\nRUN cd /x\nRUN cd /y && apt-get install z\nONBUILD RUN cd /w\n";
        let (codes, built) = models_built(text, &["DL3006"]);
        assert_eq!((codes, built), (vec!["DL3006"], 0));
        let (codes, built) = models_built(text, &["DL3003", "DL3008", "DF003", "DL3059"]);
        assert_eq!(codes, ["DL3003", "DL3003", "DL3008", "DL3003"]);
        assert_eq!(built, 3);
    }

    #[test]
    fn a_per_run_rule_that_panics_stops_alone() {
        let text = "FROM alpine\nRUN a\nRUN b\nRUN cd /x\n";
        let source = SourceFile::new("Dockerfile", text, FileKind::Dockerfile);
        let settings = FileSettings {
            rules: vec![&RUN_PANICS, crate::registry::find("DL3003").unwrap()],
            ..FileSettings::default()
        };
        let linted = lint_isolated(&source, &settings);
        let codes: Vec<&str> = linted.diagnostics.iter().map(|d| d.code).collect();
        // DF998's finding on the first RUN is dropped with the rule; DL3003 goes on.
        assert_eq!(codes, ["DL3003"]);
        let [e] = linted.internal_errors.as_slice() else {
            panic!("one internal error expected: {:?}", linted.internal_errors);
        };
        assert!(
            e.message
                .starts_with("internal error in rule DF998: run boom"),
            "{}",
            e.message
        );
    }

    #[test]
    fn lint_source_raises_internal_errors_again() {
        let source = SourceFile::new("bad", TEXT, FileKind::Dockerfile);
        let settings = settings();
        let raised = catch_unwind(AssertUnwindSafe(|| lint_source(&source, &settings)));
        assert!(raised.is_err());
        let good = SourceFile::new("good", TEXT, FileKind::Dockerfile);
        assert_eq!(lint_source(&good, &settings).len(), 1);
    }

    #[test]
    fn one_file_failing_leaves_the_others_whole() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut files = Vec::new();
        for name in ["a", "bad", "c"] {
            let path = dir.path().join(name).join("Dockerfile");
            std::fs::create_dir_all(path.parent().unwrap_or(dir.path()))
                .unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&path, TEXT).unwrap_or_else(|e| panic!("{e}"));
            files.push((path, Some(FileKind::Dockerfile)));
        }
        let settings = settings();
        let (ok, errs) = lint_files(&files, &|_| &settings);
        // Every file keeps its DF003 finding, the failing one included.
        assert_eq!(ok.len(), 3);
        assert!(ok.iter().all(|f| f.diagnostics.len() == 1));
        let [e] = errs.as_slice() else {
            panic!("one error expected: {errs:?}");
        };
        assert!(e.path.ends_with("bad/Dockerfile"));
        assert!(e.message.contains("internal error in rule DF999"));
    }
}
