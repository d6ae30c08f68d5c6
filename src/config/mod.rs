//! Configuration: `wharf.toml` / `.wharf.toml`, plus `.hadolint.yaml`, hadolint's environment
//! variables and `.dclintrc` for migration, resolved per linted file into one flat
//! [`ResolvedSettings`].
//!
//! Each file gets the configuration of the nearest ancestor directory that has one (the
//! closest wins; configurations are not merged across directories). A wharf configuration
//! beats the other tools' files: `.hadolint.yaml` and `.dclintrc` are read only when no
//! `wharf.toml` applies to the file. Precedence, lowest first: defaults, the configuration
//! file, `HADOLINT_*` environment variables, command-line flags. Per-file ignores are applied
//! last. See `docs/configuration.md`.

mod dclint;
mod error;
mod hadolint;
mod options;
mod wharf_toml;
mod yaml;

pub use error::ConfigError;
pub use wharf_toml::{SeverityName, ShellcheckTable, ShellcheckToml, WharfToml};

use crate::diagnostic::Severity;
use crate::engine::FileSettings;
use crate::registry;
use crate::rule::Rule;
use crate::settings::RuleSettings;
use crate::source::{MAX_CONFIG_SIZE, ReadError};
use crate::suppress::SuppressOptions;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Names of wharf's configuration files, in order of preference within one directory.
pub const WHARF_CONFIG_NAMES: [&str; 2] = [".wharf.toml", "wharf.toml"];
/// Names of hadolint's configuration file, in order of preference within one directory.
pub const HADOLINT_CONFIG_NAMES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];
/// Names of dclint's configuration file, in order of preference within one directory.
pub const DCLINT_CONFIG_NAMES: [&str; 4] = [
    ".dclintrc",
    ".dclintrc.json",
    ".dclintrc.yaml",
    ".dclintrc.yml",
];
/// BuildKit's build argument for check options, read from the environment: it replaces the
/// `# check=` directive of every Dockerfile.
pub const BUILDKIT_CHECK_VAR: &str = "BUILDKIT_DOCKERFILE_CHECK";
/// The JSON Schema of `wharf.toml`, at the repository root.
pub const SCHEMA_FILE: &str = "wharf.schema.json";

/// How to read an environment variable. Tests pass a closure over a map; the CLI passes
/// [`process_env`].
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment, for [`Resolver::new`].
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// What the command line says about configuration; the highest layer of precedence.
#[derive(Debug, Clone, Default)]
pub struct CliOverrides {
    /// `--select`: replaces the selection of the configuration file when not empty.
    pub select: Vec<String>,
    /// `--extend-select`.
    pub extend_select: Vec<String>,
    /// `--ignore`.
    pub ignore: Vec<String>,
    /// `--failure-threshold`.
    pub failure_threshold: Option<Severity>,
    /// `--config FILE`: use this file for every linted file instead of searching.
    pub config: Option<PathBuf>,
    /// `--isolated`: read no configuration file and no `HADOLINT_*` variable.
    pub isolated: bool,
    /// `--max-file-size`, in bytes.
    pub max_file_size: Option<u64>,
    /// `--shellcheck` (`Some(true)`) or `--no-shellcheck` (`Some(false)`).
    pub shellcheck: Option<bool>,
}

/// ShellCheck settings of a configuration file (`shellcheck = true` or a table). Off unless
/// a configuration or `--shellcheck` turns it on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShellcheckSettings {
    pub enabled: bool,
    /// Upper-case ShellCheck codes (`SC2086`) to leave out.
    pub exclude: Vec<String>,
}

/// What one layer says about ShellCheck codes through the rule selectors (`select`,
/// `ignore`, `severity`... naming `SC2086`): codes by number.
#[derive(Debug, Clone, Default)]
pub(crate) struct ShellcheckCodes {
    /// The layer's `select` names ShellCheck codes: only these are reported.
    pub select: Option<Vec<u16>>,
    /// Codes `extend-select` names: they are reported again after an `ignore`, and they turn
    /// the ShellCheck pass on, as selecting a code does.
    pub extend_select: Vec<u16>,
    pub ignore: Vec<u16>,
    pub severity: Vec<(u16, Severity)>,
    /// `--shellcheck` / `--no-shellcheck`.
    pub enabled: Option<bool>,
}

/// [`resolve_selector`], with a ShellCheck code (`SC2086`) put into `sc` instead of a note.
pub(crate) fn resolve_selector_sc(
    sel: &str,
    where_: &str,
    warnings: &mut Vec<String>,
    sc: &mut Vec<u16>,
) -> Result<Vec<&'static Rule>, (String, Option<&'static str>)> {
    if registry::find(sel.trim()).is_none()
        && let Some(n) = crate::shellcheck::code_number(sel)
    {
        sc.push(n);
        return Ok(Vec::new());
    }
    resolve_selector(sel, where_, warnings)
}

/// Everything configuration decides for one linted file.
#[derive(Debug, Clone)]
pub struct ResolvedSettings {
    /// What the engine needs: the rules (per-file ignores already removed), the severity
    /// overrides and the rule options.
    pub file: FileSettings,
    /// A finding at least this severe makes the run fail (exit code 1).
    pub failure_threshold: Severity,
    /// `# hadolint ignore=...` comments are not honoured (hadolint's `disable-ignore-pragma`);
    /// also set in `file.suppress`.
    pub disable_ignore_pragma: bool,
    /// Findings in this file never make the run fail.
    pub no_fail: bool,
    /// `fix = true`: apply the safe fixes when checking this file.
    pub fix: bool,
    /// `unsafe-fixes = true`: when fixing this file, apply the unsafe fixes too.
    pub unsafe_fixes: bool,
    /// The file matches an `exclude` glob of its configuration: do not lint it.
    pub excluded: bool,
    pub shellcheck: ShellcheckSettings,
    /// The configuration files that apply, for `--verbose`-style reporting.
    pub config_files: Vec<PathBuf>,
}

impl ResolvedSettings {
    /// True when a finding of this severity makes the run fail.
    pub fn is_failure(&self, severity: Severity) -> bool {
        !self.no_fail && severity.at_least(self.failure_threshold)
    }
}

/// What one configuration source says, already validated. Lists of rules are resolved.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layer {
    pub select: Option<Vec<&'static Rule>>,
    pub extend_select: Vec<&'static Rule>,
    pub ignore: Vec<&'static Rule>,
    /// Later entries win.
    pub severity: Vec<(&'static str, Severity)>,
    pub failure_threshold: Option<Severity>,
    pub exclude: Vec<Pattern>,
    pub per_file_ignores: Vec<(Pattern, Vec<&'static Rule>)>,
    /// `[rules.CODE]` tables by owning rule, checked by the rules' declarations; merged
    /// over what lower layers gave (see [`options::merge`]).
    pub rule_options: options::OptionTables,
    pub disable_ignore_pragma: Option<bool>,
    pub no_fail: Option<bool>,
    pub fix: Option<bool>,
    pub unsafe_fixes: Option<bool>,
    pub shellcheck: Option<ShellcheckSettings>,
    /// ShellCheck codes named by the selectors of this layer.
    pub sc: ShellcheckCodes,
    /// The size limit of linted files, in bytes.
    pub max_file_size: Option<u64>,
}

/// The rules a selector names, or an error message and a suggestion. A hadolint or ShellCheck
/// code that wharf does not implement names no rule: it is accepted with a note in `warnings`
/// (`where_` says where it was read), so that configurations written for those tools keep
/// working. Only codes no tool knows are errors.
pub(crate) fn resolve_selector(
    sel: &str,
    where_: &str,
    warnings: &mut Vec<String>,
) -> Result<Vec<&'static Rule>, (String, Option<&'static str>)> {
    if let Some(rules) = registry::matching(sel) {
        return Ok(rules);
    }
    if let Some(foreign) = registry::foreign(sel) {
        let note = foreign_note(where_, sel.trim(), foreign);
        if !warnings.contains(&note) {
            warnings.push(note);
        }
        return Ok(Vec::new());
    }
    Err((
        format!("unknown rule selector `{sel}`"),
        registry::suggest(sel),
    ))
}

/// The note for a code of another tool that wharf has no rule for.
pub(crate) fn foreign_note(where_: &str, code: &str, foreign: registry::Foreign) -> String {
    let code = code.to_ascii_uppercase();
    match foreign {
        registry::Foreign::Hadolint => {
            format!("{where_}: wharf has no rule {code} (yet); the entry is skipped")
        }
        registry::Foreign::ShellCheck => format!(
            "{where_}: {code} is a ShellCheck code, which this entry cannot name; it has no effect"
        ),
    }
}

/// A glob of `exclude` or `per-file-ignores`, relative to a base directory.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    matcher: globset::GlobMatcher,
    /// The pattern contains `/`: it is matched against the path from the base directory.
    /// Otherwise it is matched against each file and directory name.
    anchored: bool,
    base: PathBuf,
}

impl Pattern {
    pub(crate) fn new(pattern: &str, base: &Path) -> Result<Pattern, String> {
        let p = pattern.trim();
        let p = p.strip_prefix("./").unwrap_or(p);
        let p = p.trim_end_matches('/');
        if p.is_empty() {
            return Err("empty glob".into());
        }
        let anchored = p.contains('/');
        let p = p.strip_prefix('/').unwrap_or(p);
        let glob = globset::GlobBuilder::new(p)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map_err(|e| format!("invalid glob `{pattern}`: {}", glob_error(&e)))?;
        Ok(Pattern {
            matcher: glob.compile_matcher(),
            anchored,
            base: base.to_path_buf(),
        })
    }

    /// True when the pattern matches the file or one of the directories that contain it
    /// (below the base directory). `path` is absolute and normalised.
    pub(crate) fn matches(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.base) else {
            // Outside the configuration's directory: only a name pattern can apply, to the
            // file's own name.
            return !self.anchored
                && path
                    .file_name()
                    .is_some_and(|n| self.matcher.is_match(n.to_string_lossy().as_ref()));
        };
        let parts: Vec<String> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        if self.anchored {
            let mut prefix = String::new();
            for part in &parts {
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(part);
                if self.matcher.is_match(&prefix) {
                    return true;
                }
            }
            false
        } else {
            parts.iter().any(|p| self.matcher.is_match(p))
        }
    }
}

fn glob_error(e: &globset::Error) -> String {
    let s = e.kind().to_string();
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => s,
    }
}

/// An absolute path with `.` and `..` removed lexically (symbolic links are not resolved).
pub fn normalize_path(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    if crate::project::is_normal(&joined) {
        return joined;
    }
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Every configuration file name, in the order they are looked for.
fn config_names() -> impl Iterator<Item = &'static str> + Clone {
    WHARF_CONFIG_NAMES
        .iter()
        .chain(&HADOLINT_CONFIG_NAMES)
        .chain(&DCLINT_CONFIG_NAMES)
        .copied()
}

/// The configuration file name a directory entry is, if it is one.
fn config_name(entry: &std::ffi::OsStr) -> Option<&'static str> {
    config_names().find(|c| entry == *c)
}

/// Directories with more entries than this are not listed for their configuration files:
/// probing the eight names is cheaper then.
const MAX_LISTED_ENTRIES: usize = 512;

/// The configuration file names in `dir`, from one reading of its listing (a listing holds
/// names whatever their type, as a probe with `symlink_metadata` finds them). `None` when the
/// directory cannot be listed completely or is large: then each name is probed.
fn list_config_names(dir: &Path) -> Option<Vec<&'static str>> {
    let mut present = Vec::new();
    for (i, entry) in std::fs::read_dir(dir).ok()?.enumerate() {
        if i == MAX_LISTED_ENTRIES {
            return None;
        }
        present.extend(config_name(&entry.ok()?.file_name()));
    }
    Some(present)
}

/// The kind of configuration file a path holds, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ConfigKind {
    Wharf,
    Hadolint,
    Dclint,
}

fn kind_of_config(path: &Path) -> ConfigKind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.contains("dclint") {
        ConfigKind::Dclint
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        ConfigKind::Hadolint
    } else {
        ConfigKind::Wharf
    }
}

/// One configuration file, loaded.
#[derive(Debug)]
struct Loaded {
    id: usize,
    path: PathBuf,
    layer: Layer,
}

/// Reads and validates one configuration file. `base` is the directory its globs are
/// relative to. Notes about things skipped on purpose go to `warnings`.
fn load_file(path: &Path, base: &Path, warnings: &mut Vec<String>) -> Result<Layer, ConfigError> {
    let text = read_config_text(path)?;
    load_text(path, &text, base, warnings)
}

/// Reads a configuration file: a regular file (or a link to one) of at most
/// [`MAX_CONFIG_SIZE`], in UTF-8. A FIFO or a device is refused without being opened for a
/// blocking read.
pub(crate) fn read_config_text(path: &Path) -> Result<String, ConfigError> {
    let bytes = crate::source::read_regular_file(path, MAX_CONFIG_SIZE).map_err(|e| {
        let message = match e {
            ReadError::TooLarge(limit) => format!(
                "configuration file is larger than the limit of {}",
                crate::source::format_size(limit)
            ),
            e => e.to_string(),
        };
        ConfigError::file(path, message)
    })?;
    String::from_utf8(bytes).map_err(|_| ConfigError::file(path, "not valid UTF-8"))
}

fn load_text(
    path: &Path,
    text: &str,
    base: &Path,
    warnings: &mut Vec<String>,
) -> Result<Layer, ConfigError> {
    match kind_of_config(path) {
        ConfigKind::Wharf => wharf_toml::load(path, text, base, warnings),
        ConfigKind::Hadolint => hadolint::load(path, text, warnings),
        ConfigKind::Dclint => dclint::load(path, text, base, warnings),
    }
}

/// The rule options a configuration file sets, over the defaults. The rule fixtures use it
/// to read `fixtures/<CODE>/wharf.toml`.
pub fn rule_settings_from_file(path: &Path) -> Result<RuleSettings, ConfigError> {
    let base = path.parent().unwrap_or(Path::new("."));
    let layer = load_file(path, base, &mut Vec::new())?;
    options::resolve(&layer.rule_options).map_err(|m| ConfigError::file(path, m))
}

/// The rule options a configuration text sets (its kind from `path`'s name), over the
/// defaults. The fixture runner reads a case's own configuration with it.
pub fn rule_settings_from_text(path: &Path, text: &str) -> Result<RuleSettings, ConfigError> {
    let base = path.parent().unwrap_or(Path::new("."));
    let layer = load_text(path, text, base, &mut Vec::new())?;
    options::resolve(&layer.rule_options).map_err(|m| ConfigError::file(path, m))
}

fn apply_rule_options(tables: &mut options::OptionTables, layer: &Layer) {
    for (code, table) in &layer.rule_options {
        options::merge(tables.entry(code).or_default(), table);
    }
}

/// The JSON Schema of `wharf.toml`, as written to [`SCHEMA_FILE`].
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(WharfToml);
    let mut value = schema.to_value();
    drop_null(&mut value);
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// Removes the `null` alternatives schemars gives `Option` fields: TOML has no null, an
/// optional key is simply absent.
fn drop_null(v: &mut serde_json::Value) {
    use serde_json::Value;
    let is_null = |x: &Value| x.get("type").and_then(Value::as_str) == Some("null");
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t.as_str() != Some("null"));
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(alts)) = map.get_mut("anyOf") {
                alts.retain(|a| !is_null(a));
                if alts.len() == 1
                    && let Some(Value::Object(only)) = alts.pop()
                {
                    map.remove("anyOf");
                    for (k, val) in only {
                        map.entry(k).or_insert(val);
                    }
                }
            }
            map.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

/// The configurations found for a directory: the nearest of each kind.
#[derive(Debug, Clone, Default)]
struct DirConfigs {
    wharf: Option<Arc<Loaded>>,
    hadolint: Option<Arc<Loaded>>,
    dclint: Option<Arc<Loaded>>,
}

#[derive(Default)]
struct State {
    /// Keyed by the directory's bytes ([`crate::project::cache_key`]).
    dirs: hashbrown::HashMap<Box<[u8]>, Result<DirConfigs, ConfigError>>,
    resolved: HashMap<(Vec<usize>, Vec<bool>, bool), Arc<ResolvedSettings>>,
    /// The configuration file names present in directories whose listing is known (from the
    /// walk of discovery, or read by the resolver itself): those are not probed name by name.
    listed: hashbrown::HashMap<Box<[u8]>, Vec<&'static str>>,
    /// Directories already tried that could not be listed, or are too large to list: their
    /// names are probed one by one, and the listing is not tried again.
    unlisted: hashbrown::HashSet<Box<[u8]>>,
    next_id: usize,
    warnings: Vec<String>,
}

impl State {
    /// Records what listing `dir` gave ([`list_config_names`]): its configuration names, or
    /// that it is to be probed name by name.
    fn record_listing(&mut self, dir: &Path, listing: Option<Vec<&'static str>>) {
        let key = crate::project::cache_key(dir).into();
        match listing {
            Some(present) => {
                self.listed.insert(key, present);
            }
            None => {
                self.unlisted.insert(key);
            }
        }
    }

    /// Whether listing `dir` was already done or tried.
    fn listing_known(&self, dir: &Path) -> bool {
        let key = crate::project::cache_key(dir);
        self.listed.contains_key(key) || self.unlisted.contains(key)
    }
}

/// Finds and caches the configuration of each linted file. Each configuration file is read
/// once, however many files it governs, and files with the same configuration share one
/// [`ResolvedSettings`]. Safe to use from several threads.
pub struct Resolver {
    cli: Layer,
    env: Layer,
    /// `BUILDKIT_DOCKERFILE_CHECK`, parsed.
    buildkit_check: Option<Arc<crate::suppress::CheckOptions>>,
    isolated: bool,
    /// `--config FILE`, loaded.
    forced: Option<Arc<Loaded>>,
    cwd: PathBuf,
    state: Mutex<State>,
}

impl Resolver {
    /// Validates the command-line overrides and the `HADOLINT_*` variables, and loads the
    /// `--config` file if one is given (its globs are relative to the current directory).
    pub fn new(cli: &CliOverrides, env: EnvLookup<'_>) -> Result<Resolver, ConfigError> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        Resolver::with_cwd(cli, env, &cwd)
    }

    /// [`Resolver::new`] with an explicit current directory.
    pub fn with_cwd(
        cli: &CliOverrides,
        env: EnvLookup<'_>,
        cwd: &Path,
    ) -> Result<Resolver, ConfigError> {
        let cwd = normalize_path(cwd, Path::new("/"));
        if cli.isolated && cli.config.is_some() {
            return Err(ConfigError::file(
                Path::new("--isolated"),
                "cannot be combined with --config",
            ));
        }
        let mut state = State::default();
        let mut flag_rules = |flag: &str,
                              list: &[String],
                              sc: &mut Vec<u16>|
         -> Result<Vec<&'static Rule>, ConfigError> {
            let mut out = Vec::new();
            for s in list {
                out.extend(
                    resolve_selector_sc(s, flag, &mut state.warnings, sc)
                        .map_err(|(m, h)| ConfigError::file(Path::new(flag), m).with_help(h))?,
                );
            }
            Ok(out)
        };
        let mut sc = ShellcheckCodes {
            enabled: cli.shellcheck,
            ..ShellcheckCodes::default()
        };
        let mut sc_select = Vec::new();
        let select = if cli.select.is_empty() {
            None
        } else {
            Some(flag_rules("--select", &cli.select, &mut sc_select)?)
        };
        sc.select = (!sc_select.is_empty()).then_some(sc_select);
        let extend_select =
            flag_rules("--extend-select", &cli.extend_select, &mut sc.extend_select)?;
        let ignore = flag_rules("--ignore", &cli.ignore, &mut sc.ignore)?;
        let cli_layer = Layer {
            select,
            extend_select,
            ignore,
            failure_threshold: cli.failure_threshold,
            max_file_size: cli.max_file_size,
            sc,
            ..Layer::default()
        };
        let env_layer = if cli.isolated {
            Layer::default()
        } else {
            hadolint::from_env(env, &mut state.warnings)?
        };
        let forced = match &cli.config {
            Some(p) => {
                let path = normalize_path(p, &cwd);
                let layer = load_file(&path, &cwd, &mut state.warnings)?;
                state.next_id += 1;
                Some(Arc::new(Loaded {
                    id: state.next_id,
                    path,
                    layer,
                }))
            }
            None => None,
        };
        let buildkit_check = match env(BUILDKIT_CHECK_VAR).filter(|_| !cli.isolated) {
            Some(v) => Some(Arc::new(crate::suppress::CheckOptions::parse(&v).map_err(
                |m| ConfigError::file(Path::new(concat!("$", "BUILDKIT_DOCKERFILE_CHECK")), m),
            )?)),
            None => None,
        };
        Ok(Resolver {
            cli: cli_layer,
            env: env_layer,
            buildkit_check,
            isolated: cli.isolated,
            forced,
            cwd,
            state: Mutex::new(state),
        })
    }

    /// The settings of one file (or directory, for exclusion). The configuration is found
    /// from the file's directory upwards, unless `--config` or `--isolated` was given.
    pub fn for_file(&self, path: &Path) -> Result<Arc<ResolvedSettings>, ConfigError> {
        let abs = normalize_path(path, &self.cwd);
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let sources: Vec<Arc<Loaded>> = if let Some(f) = &self.forced {
            vec![f.clone()]
        } else if self.isolated {
            Vec::new()
        } else {
            let dir = abs.parent().unwrap_or(&abs).to_path_buf();
            let found = self.dir_configs(&mut state, &dir)?;
            match found.wharf {
                Some(w) => vec![w],
                None => [found.hadolint, found.dclint]
                    .into_iter()
                    .flatten()
                    .collect(),
            }
        };
        let excluded = sources
            .iter()
            .any(|s| s.layer.exclude.iter().any(|p| p.matches(&abs)));
        let mask: Vec<bool> = sources
            .iter()
            .flat_map(|s| {
                s.layer
                    .per_file_ignores
                    .iter()
                    .map(|(p, _)| p.matches(&abs))
            })
            .collect();
        let key = (sources.iter().map(|s| s.id).collect(), mask, excluded);
        if let Some(r) = state.resolved.get(&key) {
            return Ok(r.clone());
        }
        let resolved = Arc::new(self.build(&sources, &key.1, excluded)?);
        state.resolved.insert(key, resolved.clone());
        Ok(resolved)
    }

    /// True when `path` matches an `exclude` glob of its configuration. For directory walks.
    pub fn is_excluded(&self, path: &Path) -> Result<bool, ConfigError> {
        self.for_file(path).map(|s| s.excluded)
    }

    /// Notes about configuration entries skipped on purpose (dclint rules wharf does not
    /// have, hadolint codes of rules not implemented yet), each once. The CLI prints them.
    pub fn warnings(&self) -> Vec<String> {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.warnings.clone()
    }

    /// Records the names in a directory (absolute and normalized, as discovery walks it), so
    /// that looking for configuration files there reads this listing instead of asking the
    /// file system for each of the eight names.
    pub fn note_listing(&self, dir: &Path, names: &[&std::ffi::OsStr]) {
        let present = names.iter().filter_map(|n| config_name(n)).collect();
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state
            .listed
            .insert(crate::project::cache_key(dir).into(), present);
    }

    /// Whether looking up a file's configuration reads the directories above it (not with
    /// `--isolated` or `--config`): then discovery may list them for it ([`Self::note_listing`]).
    pub fn lists_directories(&self) -> bool {
        self.forced.is_none() && !self.isolated
    }

    /// Lists, in parallel, the directories that looking up the configuration of `files` will
    /// read (each file's directory and those above it), so that [`Resolver::for_file`] then
    /// finds every listing known instead of reading them one after another under its lock.
    /// Only an optimisation: without it each directory is listed when it is first needed.
    pub fn prefetch_listings(&self, files: &[&Path]) {
        // One file is looked up on the calling thread: a run of one file (pre-commit, an
        // editor) starts no thread, and the pool would cost more than the listings.
        if !self.lists_directories() || files.len() < 2 {
            return;
        }
        let mut wanted: Vec<PathBuf> = Vec::new();
        {
            let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            let mut seen: hashbrown::HashSet<Box<[u8]>> = hashbrown::HashSet::new();
            for file in files {
                let abs = if file.is_absolute() && crate::project::is_normal(file) {
                    std::borrow::Cow::Borrowed(*file)
                } else {
                    std::borrow::Cow::Owned(normalize_path(file, &self.cwd))
                };
                let mut dir = abs.parent();
                // A directory listed already (discovery reads the directories of named files
                // and those above them) is passed over with those above it: at worst one of
                // them is listed later, when it is looked up.
                if dir.is_some_and(|d| state.listing_known(d)) {
                    continue;
                }
                while let Some(d) = dir {
                    let key = crate::project::cache_key(d);
                    // A directory resolved already has its ancestors resolved too; one seen
                    // for an earlier file has had its ancestors gathered.
                    if state.dirs.contains_key(key) || !seen.insert(key.into()) {
                        break;
                    }
                    if !state.listing_known(d) {
                        wanted.push(d.to_path_buf());
                    }
                    dir = d.parent().filter(|p| p != &d);
                }
            }
        }
        if wanted.len() < 2 {
            return;
        }
        let listings = crate::engine::par_map(&wanted, |d| list_config_names(d));
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        for (dir, listing) in wanted.iter().zip(listings) {
            state.record_listing(dir, listing);
        }
    }

    /// The nearest configurations for a directory, looking upwards; cached per directory.
    fn dir_configs(&self, state: &mut State, dir: &Path) -> Result<DirConfigs, ConfigError> {
        if let Some(r) = state.dirs.get(crate::project::cache_key(dir)) {
            return r.clone();
        }
        let inherited = match dir.parent() {
            Some(parent) if parent != dir => self.dir_configs(state, parent),
            _ => Ok(DirConfigs::default()),
        };
        // A directory the walk did not list (a file named on the command line, the
        // directories above the walk) is listed here once, instead of eight probes.
        if !state.listing_known(dir) {
            state.record_listing(dir, list_config_names(dir));
        }
        let result = inherited.and_then(|up| {
            let mut out = up;
            if let Some(w) = self.load_first(state, dir, &WHARF_CONFIG_NAMES)? {
                out.wharf = Some(w);
            }
            if let Some(h) = self.load_first(state, dir, &HADOLINT_CONFIG_NAMES)? {
                out.hadolint = Some(h);
            }
            if let Some(d) = self.load_first(state, dir, &DCLINT_CONFIG_NAMES)? {
                out.dclint = Some(d);
            }
            Ok(out)
        });
        state
            .dirs
            .insert(crate::project::cache_key(dir).into(), result.clone());
        result
    }

    /// Loads the first of `names` that exists in `dir`; notes when a later one is shadowed.
    fn load_first(
        &self,
        state: &mut State,
        dir: &Path,
        names: &[&str],
    ) -> Result<Option<Arc<Loaded>>, ConfigError> {
        let listed = state.listed.get(crate::project::cache_key(dir));
        let present: Vec<PathBuf> = names
            .iter()
            .filter(|n| listed.is_none_or(|l| l.contains(n)))
            .map(|n| dir.join(n))
            // Whatever the type: a FIFO or a device under a configuration name is an error
            // from the reader, not a file silently passed over.
            .filter(|p| listed.is_some() || std::fs::symlink_metadata(p).is_ok())
            .collect();
        let Some(path) = present.first() else {
            return Ok(None);
        };
        for other in &present[1..] {
            state.warnings.push(format!(
                "{}: ignored because {} is in the same directory",
                other.display(),
                path.display()
            ));
        }
        let layer = load_file(path, dir, &mut state.warnings)?;
        state.next_id += 1;
        Ok(Some(Arc::new(Loaded {
            id: state.next_id,
            path: path.clone(),
            layer,
        })))
    }

    /// Applies defaults, the file layers, the environment and the command line, then the
    /// per-file ignores selected by `mask`.
    fn build(
        &self,
        sources: &[Arc<Loaded>],
        mask: &[bool],
        excluded: bool,
    ) -> Result<ResolvedSettings, ConfigError> {
        let layers = sources
            .iter()
            .map(|s| &s.layer)
            .chain([&self.env, &self.cli]);
        let mut rules: Vec<&'static Rule> = registry::all()
            .iter()
            .copied()
            .filter(|r| r.default_enabled())
            .collect();
        let mut severity = HashMap::new();
        let mut threshold = Severity::Info;
        let mut option_tables = options::OptionTables::new();
        let mut disable_ignore_pragma = false;
        let mut no_fail = false;
        let (mut fix, mut unsafe_fixes) = (false, false);
        let mut shellcheck = ShellcheckSettings::default();
        let mut sc = ScResolution {
            exclude: crate::shellcheck::DEFAULT_EXCLUDE.to_vec(),
            ..ScResolution::default()
        };
        let mut max_file_size = None;
        for layer in layers {
            max_file_size = layer.max_file_size.or(max_file_size);
            if let Some(sel) = &layer.select {
                rules = sel.clone();
            }
            rules.extend(layer.extend_select.iter().copied());
            rules.retain(|r| !layer.ignore.iter().any(|i| i.code == r.code));
            severity.extend(layer.severity.iter().copied());
            threshold = layer.failure_threshold.unwrap_or(threshold);
            apply_rule_options(&mut option_tables, layer);
            disable_ignore_pragma = layer.disable_ignore_pragma.unwrap_or(disable_ignore_pragma);
            no_fail = layer.no_fail.unwrap_or(no_fail);
            fix = layer.fix.unwrap_or(fix);
            unsafe_fixes = layer.unsafe_fixes.unwrap_or(unsafe_fixes);
            if let Some(sc) = &layer.shellcheck {
                shellcheck = sc.clone();
            }
            sc.apply(layer);
        }
        let per_file = sources.iter().flat_map(|s| s.layer.per_file_ignores.iter());
        for ((_, drop), hit) in per_file.zip(mask) {
            if *hit {
                rules.retain(|r| !drop.iter().any(|d| d.code == r.code));
            }
        }
        rules.sort_by_key(|r| r.code);
        rules.dedup_by_key(|r| r.code);
        for (code, sev) in &sc.severity {
            severity.insert(crate::shellcheck::code_str(*code), *sev);
        }
        let shellcheck_filter = sc.filter();
        let rule_settings = options::resolve(&option_tables).map_err(|m| {
            let origin = sources
                .first()
                .map_or(Path::new("$HADOLINT_*"), |s| &s.path);
            ConfigError::file(origin, m)
        })?;
        Ok(ResolvedSettings {
            file: FileSettings {
                rules,
                severity,
                rule_settings,
                suppress: SuppressOptions {
                    disable_hadolint_pragmas: disable_ignore_pragma,
                    buildkit_check_from_env: self.buildkit_check.is_some(),
                },
                max_file_size,
                base_dir: None,
                buildkit_check: self.buildkit_check.clone(),
                shellcheck: shellcheck_filter,
            },
            failure_threshold: threshold,
            disable_ignore_pragma,
            no_fail,
            fix,
            unsafe_fixes,
            excluded,
            shellcheck,
            config_files: sources.iter().map(|s| s.path.clone()).collect(),
        })
    }
}

/// The ShellCheck selection, built layer by layer as the rules are.
#[derive(Debug, Default)]
struct ScResolution {
    /// Only these codes, when some `select` named ShellCheck codes.
    include: Option<Vec<u16>>,
    exclude: Vec<u16>,
    severity: Vec<(u16, Severity)>,
    /// The last explicit on/off: `--shellcheck`/`--no-shellcheck`, or a selector that names a
    /// ShellCheck code (on).
    enabled: Option<bool>,
}

impl ScResolution {
    fn apply(&mut self, layer: &Layer) {
        // A configuration file's `shellcheck` key is its own explicit word.
        if let Some(s) = &layer.shellcheck {
            self.enabled = Some(s.enabled);
            for code in &s.exclude {
                self.exclude.extend(crate::shellcheck::code_number(code));
            }
        }
        let sc = &layer.sc;
        if let Some(sel) = &sc.select {
            self.include = Some(sel.clone());
            self.exclude.retain(|c| !sel.contains(c));
        }
        if let Some(inc) = &mut self.include {
            inc.extend(sc.extend_select.iter().copied());
        }
        self.exclude.retain(|c| !sc.extend_select.contains(c));
        self.exclude.extend(sc.ignore.iter().copied());
        self.severity.extend(sc.severity.iter().copied());
        // Naming a code to run turns ShellCheck on, unless the same layer says otherwise.
        if (sc.select.is_some() || !sc.extend_select.is_empty()) && layer.shellcheck.is_none() {
            self.enabled = Some(true);
        }
        if let Some(on) = sc.enabled {
            self.enabled = Some(on);
        }
    }

    fn filter(&self) -> crate::shellcheck::ShellcheckFilter {
        let sorted = |v: &[u16]| {
            let mut v = v.to_vec();
            v.sort_unstable();
            v.dedup();
            v
        };
        crate::shellcheck::ShellcheckFilter {
            enabled: self.enabled.unwrap_or(false),
            include: self.include.as_deref().map(sorted),
            exclude: sorted(&self.exclude),
        }
    }
}
