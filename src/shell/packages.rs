//! Package-manager facts of one RUN, computed once per RUN: which package managers it calls and
//! how (subcommand, packages with their pins, the yes/no-cache/no-recommends flags), its cache
//! mounts, and the cleanup commands, so that a rule such as "apt-get install without pinned
//! versions" or "yum install without a later `yum clean all`" is a few lines.
//!
//! # Recognising a command
//!
//! A package manager is recognised by the base name of the command (`/usr/bin/apt-get` is
//! `apt-get`), through `sudo` (with its options) and `env` (with its options and `NAME=value`
//! words); [`PackageCommand::via`] says which, so that a rule wanting hadolint's literal reading
//! (which sees neither) can ask. `python -m pip`, `python3 -m pip` and `uv pip` are pip.
//!
//! # Packages
//!
//! The package arguments are the words after the subcommand that are not flags, with the
//! values of that manager's value-taking options removed (apt-get `-t`/`-o`, pip `-r`/`-i`/...,
//! apk `--virtual`/`--repository`...). Each package's version is read as that manager writes it:
//! `name=1.2` (apt, apk, zypper), `name==1.2`/`>=`/`~=`... (pip), `name@1.2` (npm, yarn, pnpm,
//! go, cargo), `name:1.2` (gem, composer), `name-1.2` (dnf, yum). Files, URLs and paths are
//! kept apart ([`PackageKind`]).
//!
//! # Order
//!
//! A RUN runs its line first, then the heredoc scripts it feeds, in the order they are written;
//! inside a script, commands run in source order. [`Order`] is that position, and "later in the
//! same RUN" means a greater `Order`. Control flow (`||`, `if`) is not followed.

use super::{Command, Script, Word};
use compact_str::CompactString;

use crate::source::Span;

/// A package manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Manager {
    AptGet,
    Apt,
    Aptitude,
    Apk,
    Dnf,
    Microdnf,
    Yum,
    Zypper,
    Pip,
    /// `uv pip`.
    UvPip,
    Pipx,
    Npm,
    Yarn,
    Pnpm,
    Gem,
    Go,
    Cargo,
    Composer,
    Bundler,
    /// `uv` itself (`uv sync`, `uv add`, `uv tool install`); `uv pip` is [`Manager::UvPip`].
    Uv,
    Poetry,
}

impl Manager {
    /// The manager a command name stands for (`pip3.12` is pip, `bundle` is bundler).
    fn from_name(name: &str) -> Option<Manager> {
        Some(match name {
            "apt-get" => Manager::AptGet,
            "apt" => Manager::Apt,
            "aptitude" => Manager::Aptitude,
            "apk" => Manager::Apk,
            "dnf" | "dnf5" | "dnf4" => Manager::Dnf,
            "microdnf" => Manager::Microdnf,
            "yum" => Manager::Yum,
            "zypper" => Manager::Zypper,
            "pipx" => Manager::Pipx,
            "npm" => Manager::Npm,
            "yarn" | "yarnpkg" => Manager::Yarn,
            "pnpm" => Manager::Pnpm,
            "gem" => Manager::Gem,
            "go" => Manager::Go,
            "cargo" => Manager::Cargo,
            "composer" | "composer.phar" => Manager::Composer,
            "bundle" | "bundler" => Manager::Bundler,
            "poetry" => Manager::Poetry,
            n if n == "pip" || n.strip_prefix("pip").is_some_and(is_version) => Manager::Pip,
            _ => return None,
        })
    }

    /// The name as users type it.
    pub fn as_str(self) -> &'static str {
        match self {
            Manager::AptGet => "apt-get",
            Manager::Apt => "apt",
            Manager::Aptitude => "aptitude",
            Manager::Apk => "apk",
            Manager::Dnf => "dnf",
            Manager::Microdnf => "microdnf",
            Manager::Yum => "yum",
            Manager::Zypper => "zypper",
            Manager::Pip => "pip",
            Manager::UvPip => "uv pip",
            Manager::Pipx => "pipx",
            Manager::Npm => "npm",
            Manager::Yarn => "yarn",
            Manager::Pnpm => "pnpm",
            Manager::Gem => "gem",
            Manager::Go => "go",
            Manager::Cargo => "cargo",
            Manager::Composer => "composer",
            Manager::Bundler => "bundle",
            Manager::Uv => "uv",
            Manager::Poetry => "poetry",
        }
    }

    /// Managers that share one package database and cache: apt-get/apt/aptitude, and
    /// dnf/microdnf/yum. A cleanup by one counts for the others of its family.
    pub fn family(self) -> Manager {
        match self {
            Manager::Apt | Manager::Aptitude => Manager::AptGet,
            Manager::Microdnf | Manager::Yum => Manager::Dnf,
            Manager::UvPip => Manager::Pip,
            m => m,
        }
    }

    /// The subcommands that install packages.
    fn install_subcommands(self) -> &'static [&'static str] {
        match self.family() {
            Manager::AptGet => &["install"],
            Manager::Apk => &["add"],
            Manager::Dnf => &["install", "groupinstall", "localinstall", "reinstall", "in"],
            Manager::Zypper => &["install", "in"],
            Manager::Pip | Manager::Pipx | Manager::Gem | Manager::Cargo => &["install"],
            Manager::Npm => &["install", "i", "add", "ci"],
            Manager::Yarn | Manager::Pnpm => &["add", "install", "i"],
            Manager::Go => &["install", "get"],
            Manager::Composer => &["require", "install"],
            Manager::Bundler => &["install", "add"],
            Manager::Uv => &["sync", "add", "tool"],
            Manager::Poetry => &["install", "add", "update", "sync"],
            _ => &[],
        }
    }

    /// Options that take the next word as their value (written as `--name value` or `-n value`).
    fn value_options(self) -> &'static [&'static str] {
        match self.family() {
            Manager::AptGet => &["t", "target-release", "o", "option", "c", "config-file"],
            Manager::Apk => &[
                "t",
                "virtual",
                "X",
                "repository",
                "p",
                "root",
                "arch",
                "cache-dir",
                "keys-dir",
                "repositories-file",
            ],
            Manager::Dnf => &[
                "c",
                "config",
                "installroot",
                "releasever",
                "setopt",
                "enablerepo",
                "disablerepo",
                "repo",
                "repoid",
                "x",
                "exclude",
                "d",
                "debuglevel",
                "e",
                "errorlevel",
                "forcearch",
                "nodocs-dir",
            ],
            Manager::Zypper => &["r", "repo", "from", "t", "type", "root", "D", "reposd-dir"],
            Manager::Pip | Manager::Pipx => &[
                "r",
                "requirement",
                "c",
                "constraint",
                "i",
                "index-url",
                "extra-index-url",
                "t",
                "target",
                "prefix",
                "root",
                "trusted-host",
                "f",
                "find-links",
                "e",
                "editable",
                "src",
                "upgrade-strategy",
                "python",
                "root-user-action",
                "platform",
                "python-version",
                "implementation",
                "abi",
                "progress-bar",
                "log",
                "cache-dir",
                "timeout",
                "retries",
                "proxy",
                "cert",
                "client-cert",
                "only-binary",
                "no-binary",
                "pip-args",
                "spec",
            ],
            Manager::Npm | Manager::Yarn | Manager::Pnpm => &[
                "registry",
                "loglevel",
                "prefix",
                "w",
                "workspace",
                "cache",
                "C",
                "dir",
                "filter",
                "network-timeout",
                "modules-folder",
                "cwd",
            ],
            Manager::Gem => &[
                "v",
                "version",
                "s",
                "source",
                "i",
                "install-dir",
                "n",
                "bindir",
                "platform",
            ],
            Manager::Go => &["o", "modfile", "mod", "tags", "ldflags", "gcflags", "C"],
            Manager::Cargo => &[
                "version",
                "vers",
                "git",
                "branch",
                "tag",
                "rev",
                "path",
                "root",
                "target",
                "j",
                "jobs",
                "features",
                "F",
                "profile",
                "registry",
                "index",
                "target-dir",
                "bin",
                "example",
                "config",
                "Z",
            ],
            Manager::Composer => &["d", "working-dir"],
            Manager::Uv => &[
                "cache-dir",
                "python",
                "p",
                "directory",
                "project",
                "index",
                "index-url",
                "extra-index-url",
                "group",
                "extra",
                "package",
                "with",
                "config-file",
            ],
            Manager::Poetry => &[
                "C",
                "directory",
                "P",
                "project",
                "with",
                "without",
                "only",
                "E",
                "extras",
            ],
            Manager::Bundler => &[
                "version", "v", "jobs", "j", "gemfile", "path", "without", "with", "retry",
                "group", "g", "source",
            ],
            _ => &[],
        }
    }

    fn yes_options(self) -> &'static [&'static str] {
        match self.family() {
            Manager::AptGet => &["y", "yes", "assume-yes"],
            Manager::Dnf => &["y", "assumeyes"],
            Manager::Zypper => &["n", "non-interactive", "y", "no-confirm"],
            Manager::Pip | Manager::Pipx => &["y", "yes"],
            _ => &[],
        }
    }

    fn no_cache_options(self) -> &'static [&'static str] {
        match self.family() {
            Manager::Apk => &["no-cache"],
            Manager::Pip => &["no-cache-dir", "no-cache"],
            Manager::Yarn => &["no-cache"],
            Manager::Npm => &["no-cache"],
            Manager::Uv => &["no-cache", "n"],
            Manager::Poetry | Manager::Composer => &["no-cache"],
            _ => &[],
        }
    }
}

/// Where a manager keeps its download cache, beyond the directories a cleanup is known by:
/// for rules that ask whether a call leaves its cache in the layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheSpec {
    /// A cache mount whose target holds this word is taken to be that cache (`/root/.cache/uv`,
    /// `/cache/uv`).
    pub marker: &'static str,
    /// Variables that move the cache (`UV_CACHE_DIR`): a mount on, or an `rm` of, their value
    /// counts.
    pub dir_vars: &'static [&'static str],
    /// The option that moves the cache for one call (`--cache-dir`), without dashes.
    pub dir_option: &'static str,
    /// A variable that turns the cache off when true (`UV_NO_CACHE`).
    pub off_var: Option<&'static str>,
}

impl Manager {
    /// The cache of the managers whose cache a rule judges through [`CacheSpec`].
    pub fn cache_spec(self) -> Option<CacheSpec> {
        let spec = |marker, dir_vars, dir_option, off_var| {
            Some(CacheSpec {
                marker,
                dir_vars,
                dir_option,
                off_var,
            })
        };
        match self {
            Manager::Uv | Manager::UvPip => {
                spec("uv", &["UV_CACHE_DIR"], "cache-dir", Some("UV_NO_CACHE"))
            }
            Manager::Poetry => spec("poetry", &["POETRY_CACHE_DIR"], "", None),
            Manager::Npm => spec(
                "npm",
                &["npm_config_cache", "NPM_CONFIG_CACHE"],
                "cache",
                None,
            ),
            Manager::Pnpm => spec(
                "pnpm",
                &["npm_config_store_dir", "PNPM_HOME"],
                "store-dir",
                None,
            ),
            Manager::Composer => spec("composer", &["COMPOSER_CACHE_DIR"], "", None),
            Manager::Bundler => spec("bundle", &["BUNDLE_PATH", "GEM_HOME"], "", None),
            _ => None,
        }
    }
}

/// A boolean setting that is on, as package managers read their environment (`1`, `true`,
/// `yes`, `on`, any case).
pub fn is_truthy(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on" | "y"
    )
}

fn is_version(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// How the command was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// By its plain name (`apt-get`).
    Name,
    /// By a path (`/usr/bin/apt-get`).
    Path,
    /// Through `sudo`.
    Sudo,
    /// Through `env` (`env DEBIAN_FRONTEND=noninteractive apt-get`).
    Env,
    /// As a module or a subcommand of another program (`python -m pip`, `uv pip`).
    Module,
}

/// The position of a command in a RUN: (script, command), see the module docs.
pub type Order = (usize, usize);

/// What a package argument is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageKind {
    /// A package name, maybe with a version.
    Name,
    /// A local package file (`./x.deb`, `x.rpm`, `x.whl`, `x.tgz`).
    File,
    /// A URL (`https://...`, `git+https://...`).
    Url,
    /// A local directory or project (`.`, `./pkg`, `/src/app`).
    Path,
    /// Holds a variable: unknown.
    Variable,
}

/// One package argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The argument as given (quotes removed).
    pub text: CompactString,
    /// The name without its version.
    pub name: CompactString,
    /// The version or constraint as the manager wrote it (`1.2`, `>=1.2`, `^1.0`), if any.
    pub version: Option<CompactString>,
    pub kind: PackageKind,
    pub span: Span,
}

impl Package {
    /// The package asks for a specific version, or is a file, URL, path or variable that
    /// needs none. `latest` and `none` (go) are not versions.
    /// A version-control URL without a ref (`git+https://host/x/y.git`, with no `@v1` or
    /// `#v1` after its last `/`) follows a branch, so it is not pinned either.
    pub fn is_pinned(&self) -> bool {
        match self.kind {
            PackageKind::Name => self
                .version
                .as_deref()
                .is_some_and(|v| !v.is_empty() && !matches!(v, "latest" | "none")),
            PackageKind::Url if is_vcs_url(&self.text) => {
                let last = super::base_name(&self.text);
                let fragment = last.split_once('#').map(|(_, f)| f);
                last.split('#').next().is_some_and(|l| l.contains('@'))
                    || fragment.is_some_and(|f| {
                        !f.is_empty() && !f.starts_with("egg=") && !f.starts_with("subdirectory=")
                    })
            }
            _ => true,
        }
    }
}

/// A URL of a version-control repository (`git+https://`, `git://`, `git@host:`, `hg+`...).
fn is_vcs_url(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    ["git+", "git://", "git@", "hg+", "svn+", "bzr+", "github:"]
        .iter()
        .any(|p| t.starts_with(p))
}

impl Manager {
    /// How this manager writes `name` pinned to a version, for help texts.
    pub fn pin_example(self, name: &str) -> String {
        match self.family() {
            Manager::AptGet | Manager::Apk | Manager::Zypper => format!("{name}=<version>"),
            Manager::Pip | Manager::Pipx | Manager::Poetry | Manager::Uv => {
                format!("{name}==<version>")
            }
            Manager::Gem | Manager::Composer | Manager::Bundler => format!("{name}:<version>"),
            Manager::Dnf => format!("{name}-<version>"),
            _ => format!("{name}@<version>"),
        }
    }
}

/// One call of a package manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageCommand {
    pub manager: Manager,
    /// The first argument that is not a flag (or an option's value): `install`, `add`.
    pub subcommand: Option<CompactString>,
    pub order: Order,
    /// The command's span.
    pub span: Span,
    pub via: Via,
    /// The package arguments after the subcommand.
    pub packages: Vec<Package>,
    /// Non-interactive: `-y`, `--yes`, `--assume-yes`, `-qq`/`-q -q`/`-q=2` (apt-get),
    /// `-n` (zypper).
    pub yes: bool,
    /// `--no-cache` (apk), `--no-cache-dir` (pip).
    pub no_cache: bool,
    /// `--no-install-recommends` or `-o APT::Install-Recommends=false` (apt).
    pub no_recommends: bool,
    /// Installs from the project's manifests: `pip install -r`/`-e`/`.`, bare `npm install`,
    /// `npm ci`, `yarn install`, `bundle install`, `composer install`, `go mod download`...
    pub from_project: bool,
    /// Every flag word (names without dashes), for rules that need a flag this module does not
    /// interpret.
    pub flags: Vec<CompactString>,
    /// The span of the manager's word as written (`apt-get`, `/usr/bin/pip`; `python3` of
    /// `python3 -m pip`, `uv` of `uv pip`).
    pub name_span: Span,
    /// The span of the subcommand word.
    pub subcommand_span: Option<Span>,
    /// The subcommand is the first word after the name (`apt-get install`, not `apt-get -q
    /// install`), so [`PackageCommand::head`] covers both.
    pub head_from_name: bool,
    /// The values of options, by option name without dashes (`("virtual", ".build-deps")`,
    /// `("cache-dir", "/tmp/pip")`), in order.
    pub values: Vec<(CompactString, CompactString)>,
    /// The variables set for this command only: `NAME=value` words before it and those given
    /// to `env`, in order.
    pub env: Vec<(CompactString, CompactString)>,
}

impl PackageCommand {
    /// The subcommand installs packages (`apt-get install`, `pip install`, `npm ci`).
    pub fn is_install(&self) -> bool {
        self.subcommand
            .as_deref()
            .is_some_and(|s| self.manager.install_subcommands().contains(&s))
    }

    /// The subcommand is one of `subs`.
    pub fn is(&self, subs: &[&str]) -> bool {
        self.subcommand
            .as_deref()
            .is_some_and(|s| subs.contains(&s))
    }

    /// The packages that name no version.
    pub fn unpinned(&self) -> impl Iterator<Item = &Package> {
        self.packages.iter().filter(|p| !p.is_pinned())
    }

    pub fn has_flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    /// One of the flags `names` is given.
    pub fn has_any_flag(&self, names: &[&str]) -> bool {
        self.flags.iter().any(|f| names.contains(&f.as_str()))
    }

    /// The manager's word through the subcommand (`apt-get install`, `python -m pip install`),
    /// or the subcommand alone when options stand between them (`install` of `apt-get -q
    /// install`): where a finding about the whole call points.
    pub fn head(&self) -> Span {
        match self.subcommand_span {
            Some(s) if self.head_from_name => self.name_span.cover(s),
            Some(s) => s,
            None => self.name_span,
        }
    }

    /// The manager and its subcommand, for messages: `apt-get install`, `uv pip install`.
    pub fn call(&self) -> String {
        match &self.subcommand {
            Some(sub) => format!("{} {sub}", self.manager.as_str()),
            None => self.manager.as_str().to_string(),
        }
    }

    /// The value of the first of the options `names` that was given a value.
    pub fn value_of(&self, names: &[&str]) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| names.contains(&n.as_str()))
            .map(|(_, v)| v.as_str())
    }

    /// The value this command's own environment gives `name` (`NAME=v cmd`, `env NAME=v cmd`).
    pub fn env_value(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The subcommand removes packages (`apt-get purge`, `apk del`, `dnf remove`...).
    pub fn is_remove(&self) -> bool {
        self.is(&[
            "remove",
            "purge",
            "autoremove",
            "del",
            "erase",
            "rm",
            "uninstall",
            "autopurge",
        ])
    }
}

/// A cache mount of the RUN (`--mount=type=cache,target=/var/cache/apt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheMount {
    pub target: CompactString,
    pub span: Span,
}

/// A command that removes a package manager's cache or lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleanup {
    /// The family cleaned ([`Manager::family`]).
    pub manager: Manager,
    /// `lists` (apt's package lists) or `cache` (downloaded packages and metadata).
    pub what: &'static str,
    pub order: Order,
    pub span: Span,
}

/// A command that installs a project's dependencies from its manifests (`pip install -r`,
/// `npm ci`, `go mod download`, `poetry install`, `mvn dependency:go-offline`...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectInstall {
    /// The tool as written (`npm`, `./mvnw`).
    pub tool: CompactString,
    pub order: Order,
    pub span: Span,
}

/// The package-manager facts of one RUN.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Packages {
    pub commands: Vec<PackageCommand>,
    pub cache_mounts: Vec<CacheMount>,
    pub cleanups: Vec<Cleanup>,
    /// The commands that install dependencies from the project's manifests, in order.
    pub project_installs: Vec<ProjectInstall>,
    /// Every path an `rm` of the RUN removes, as written, with its position.
    pub removed_paths: Vec<(CompactString, Order)>,
}

/// Directories whose removal cleans a manager's cache or lists.
const CACHE_DIRS: &[(&str, Manager, &str)] = &[
    ("/var/lib/apt/lists", Manager::AptGet, "lists"),
    ("/var/cache/apt", Manager::AptGet, "cache"),
    ("/var/cache/apk", Manager::Apk, "cache"),
    ("/etc/apk/cache", Manager::Apk, "cache"),
    ("/var/cache/yum", Manager::Dnf, "cache"),
    ("/var/cache/dnf", Manager::Dnf, "cache"),
    ("/var/cache/libdnf5", Manager::Dnf, "cache"),
    ("/var/cache/zypp", Manager::Zypper, "cache"),
    ("/root/.cache/pip", Manager::Pip, "cache"),
    ("~/.cache/pip", Manager::Pip, "cache"),
    ("$HOME/.cache/pip", Manager::Pip, "cache"),
    ("/root/.npm", Manager::Npm, "cache"),
    ("~/.npm", Manager::Npm, "cache"),
    ("/usr/local/share/.cache/yarn", Manager::Yarn, "cache"),
    ("/root/.cache/yarn", Manager::Yarn, "cache"),
    ("/root/.composer/cache", Manager::Composer, "cache"),
    ("/root/.cargo/registry", Manager::Cargo, "cache"),
    ("/root/.cache/go-build", Manager::Go, "cache"),
    ("/root/.cache/uv", Manager::Uv, "cache"),
    ("~/.cache/uv", Manager::Uv, "cache"),
    ("$HOME/.cache/uv", Manager::Uv, "cache"),
    ("$UV_CACHE_DIR", Manager::Uv, "cache"),
    ("${UV_CACHE_DIR}", Manager::Uv, "cache"),
    ("/root/.cache/pypoetry", Manager::Poetry, "cache"),
    ("~/.cache/pypoetry", Manager::Poetry, "cache"),
    ("$HOME/.cache/pypoetry", Manager::Poetry, "cache"),
    ("$POETRY_CACHE_DIR", Manager::Poetry, "cache"),
    ("${POETRY_CACHE_DIR}", Manager::Poetry, "cache"),
    ("$HOME/.npm", Manager::Npm, "cache"),
    ("/root/.local/share/pnpm/store", Manager::Pnpm, "cache"),
    ("/root/.cache/pnpm", Manager::Pnpm, "cache"),
    ("/root/.cache/composer", Manager::Composer, "cache"),
    ("~/.composer/cache", Manager::Composer, "cache"),
    ("$COMPOSER_HOME/cache", Manager::Composer, "cache"),
    ("${COMPOSER_HOME}/cache", Manager::Composer, "cache"),
    ("$COMPOSER_CACHE_DIR", Manager::Composer, "cache"),
    ("${COMPOSER_CACHE_DIR}", Manager::Composer, "cache"),
    ("/usr/local/bundle/cache", Manager::Bundler, "cache"),
    ("$GEM_HOME/cache", Manager::Bundler, "cache"),
    ("${GEM_HOME}/cache", Manager::Bundler, "cache"),
    ("/root/.bundle/cache", Manager::Bundler, "cache"),
    ("~/.bundle/cache", Manager::Bundler, "cache"),
];

impl Packages {
    /// The facts of a RUN's scripts (in the order they run) and its `--mount` flags.
    pub fn of(
        scripts: &[Script],
        mounts: impl Iterator<Item = crate::dockerfile::Mount>,
    ) -> Packages {
        let mut out = Packages {
            cache_mounts: mounts
                .filter(|m| matches!(m.kind(), "cache" | "tmpfs"))
                .filter_map(|m| {
                    let t = m.part("target")?;
                    Some(CacheMount {
                        target: t.value.as_str().into(),
                        span: t.value_span,
                    })
                })
                .collect(),
            ..Packages::default()
        };
        for (si, script) in scripts.iter().enumerate() {
            for (ci, cmd) in script.commands.iter().enumerate() {
                let order = (si, ci);
                if installs_from_manifest(cmd) {
                    out.project_installs.push(ProjectInstall {
                        tool: cmd.name_str().unwrap_or_default().into(),
                        order,
                        span: cmd.span,
                    });
                }
                let Some((manager, via, cmd)) = recognise(cmd) else {
                    // `sudo rm -rf ...` removes as well as `rm` does.
                    let unwrapped = cmd.unwrap_sudo();
                    let cmd = unwrapped.as_ref().unwrap_or(cmd);
                    if is_rm(cmd) {
                        out.removed_paths.extend(
                            cmd.args
                                .iter()
                                .filter(|a| !a.text.starts_with('-'))
                                .map(|a| (a.text.clone(), order)),
                        );
                    }
                    if let Some(c) = rm_cleanup(cmd, order) {
                        out.cleanups.extend(c);
                    }
                    continue;
                };
                let pc = package_command(manager, via, &cmd, order);
                if let Some(what) = clean_subcommand(&pc) {
                    out.cleanups.push(Cleanup {
                        manager: manager.family(),
                        what,
                        order,
                        span: pc.span,
                    });
                    // `apt-get dist-clean` (apt 2.7) also removes the package lists.
                    if manager.family() == Manager::AptGet && pc.is(&["dist-clean"]) {
                        out.cleanups.push(Cleanup {
                            manager: Manager::AptGet,
                            what: "lists",
                            order,
                            span: pc.span,
                        });
                    }
                }
                out.commands.push(pc);
            }
        }
        out
    }

    /// The calls of one manager family (`Manager::AptGet` gives apt-get, apt and aptitude).
    pub fn of_manager(&self, manager: Manager) -> impl Iterator<Item = &PackageCommand> {
        self.commands
            .iter()
            .filter(move |c| c.manager.family() == manager.family())
    }

    /// The installing calls of one manager family.
    pub fn installs(&self, manager: Manager) -> impl Iterator<Item = &PackageCommand> {
        self.of_manager(manager).filter(|c| c.is_install())
    }

    /// A cleanup of the command's family (of `what`, or any when `None`) runs after it.
    pub fn cleaned_after(&self, cmd: &PackageCommand, what: Option<&str>) -> bool {
        self.cleanups.iter().any(|c| {
            c.manager == cmd.manager.family()
                && c.order > cmd.order
                && what.is_none_or(|w| w == c.what)
        })
    }

    /// A later command of the same family removes the package `pkg` was installed with: it
    /// names it, names the apk `--virtual` group it was installed under, names a variable (a
    /// list such as `$buildDeps`), or is an apt auto-removal (`purge --auto-remove`,
    /// `autoremove`) that takes back what was not marked manual.
    pub fn uninstalled_after(&self, install: &PackageCommand, pkg: &Package) -> bool {
        let virtual_group = install.value_of(&["virtual", "t"]);
        self.of_manager(install.manager)
            .filter(|c| c.order > install.order && c.is_remove())
            .any(|c| {
                c.packages.iter().any(|p| {
                    p.name == pkg.name
                        || p.kind == PackageKind::Variable
                        || virtual_group.is_some_and(|g| p.name == g)
                }) || (c.manager.family() == Manager::AptGet
                    && (c.is(&["autoremove", "autopurge"])
                        || c.has_any_flag(&["auto-remove", "autoremove"])))
            })
    }

    /// A cache (or tmpfs) mount targets `dir` or a directory above it.
    pub fn cache_mounted(&self, dir: &str) -> bool {
        let dir = dir.trim_end_matches('/');
        self.cache_mounts.iter().any(|m| {
            let t = m.target.trim_end_matches('/');
            dir == t
                || dir
                    .strip_prefix(t)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

/// True when a command installs a project's dependencies from its manifests. Read literally,
/// by the command's base name (`sudo` and `env` are not looked through).
pub fn installs_from_manifest(cmd: &Command) -> bool {
    let Some(name) = cmd.name_str() else {
        return false;
    };
    let name = super::base_name(name);
    // Asked of every command: the arguments are read in place, not collected.
    let args = || cmd.args.iter().map(|w| w.text.as_str());
    let first = cmd.args_without_flags().next().map(|w| w.text.as_str());
    let has = |a: &str| args().any(|x| x == a);
    let pip_from_project = || {
        args().any(|a| {
            matches!(a, "-r" | "--requirement" | "." | "./" | "-e")
                || a.starts_with("--requirement=")
                || a.starts_with("-r")
        })
    };
    match name {
        "pip" | "pip3" | "pipx" => first == Some("install") && pip_from_project(),
        "python" | "python3" => {
            cmd.args
                .windows(2)
                .any(|w| w[0].text == "-m" && w[1].text == "pip")
                && has("install")
                && pip_from_project()
        }
        "uv" => {
            first == Some("sync") || (first == Some("pip") && has("install") && pip_from_project())
        }
        "poetry" | "pipenv" | "pdm" => first == Some("install") || first == Some("sync"),
        "npm" => {
            matches!(first, Some("ci"))
                || (first == Some("install") || first == Some("i"))
                    && cmd.args_without_flags().count() == 1
        }
        "yarn" => first.is_none() || first == Some("install"),
        "pnpm" | "bun" => first == Some("install") || first == Some("i"),
        "go" => first == Some("mod") && has("download"),
        "bundle" | "bundler" => first.is_none() || first == Some("install"),
        "composer" => first == Some("install"),
        "cargo" => matches!(first, Some("fetch") | Some("build")),
        "mvn" | "mvnw" => args().any(|a| a.starts_with("dependency:")),
        "gradle" | "gradlew" => has("dependencies") || has("--refresh-dependencies"),
        "dotnet" => first == Some("restore"),
        "mix" => first == Some("deps.get"),
        _ => false,
    }
}

/// The manager a command calls, how, and the command with the manager as its name.
fn recognise(cmd: &Command) -> Option<(Manager, Via, Command)> {
    // Most commands are none of ours: decide on the name before copying anything.
    let first = cmd.name_str()?;
    let first = super::base_name(first);
    let candidate = matches!(first, "sudo" | "env" | "uv")
        || first.starts_with("python")
        || Manager::from_name(first).is_some();
    if !candidate {
        return None;
    }
    let mut via = Via::Name;
    let mut cmd = cmd.clone();
    for _ in 0..4 {
        match cmd.name_str() {
            Some("sudo") => {
                cmd = cmd.unwrap_sudo()?;
                via = Via::Sudo;
            }
            Some("env") => {
                cmd = unwrap_env(&cmd)?;
                via = Via::Env;
            }
            _ => break,
        }
    }
    let name = cmd.name_str()?;
    let base = super::base_name(name);
    if base != name && via == Via::Name {
        via = Via::Path;
    }
    if let Some(m) = Manager::from_name(base) {
        return Some((m, via, cmd));
    }
    // `python -m pip ...`, `uv pip ...`
    let is_python = base == "python" || base.strip_prefix("python").is_some_and(is_version);
    if is_python {
        let at = cmd.args.iter().position(|a| a.text == "-m")?;
        if cmd.args.get(at + 1)?.text != "pip" {
            return None;
        }
        let mut inner = cmd.clone();
        inner.args.drain(..at + 2);
        return Some((Manager::Pip, Via::Module, inner));
    }
    if base == "uv" {
        if cmd.args.first()?.text == "pip" {
            let mut inner = cmd.clone();
            inner.args.remove(0);
            return Some((Manager::UvPip, Via::Module, inner));
        }
        return Some((Manager::Uv, via, cmd));
    }
    None
}

/// `env [-i] [-u NAME] [NAME=value]... cmd args`: the command env runs.
pub(super) fn unwrap_env(cmd: &Command) -> Option<Command> {
    let mut i = 0;
    while let Some(w) = cmd.args.get(i) {
        let t = w.text.as_str();
        if t == "-u" || t == "--unset" || t == "-C" || t == "--chdir" {
            i += 2;
        } else if t.starts_with('-') || w.as_assignment().is_some() {
            i += 1;
        } else {
            break;
        }
    }
    let name = cmd.args.get(i)?.clone();
    let mut inner = cmd.clone();
    inner.wrappers.extend(cmd.name.iter().cloned());
    inner.wrappers.extend(cmd.args[..i].iter().cloned());
    inner.name = Some(name);
    inner.args = cmd.args[i + 1..].to_vec();
    Some(inner)
}

/// Reads one call: subcommand, flags, packages.
fn package_command(manager: Manager, via: Via, cmd: &Command, order: Order) -> PackageCommand {
    let value_opts = manager.value_options();
    let takes_value = |name: &str| value_opts.contains(&name);
    let mut flags: Vec<String> = Vec::new();
    let mut operands: Vec<&Word> = Vec::new();
    // (flag, value) pairs for flags whose value was the next word or after `=`.
    let mut values: Vec<(String, String)> = Vec::new();
    let mut args = cmd.args.iter().peekable();
    let mut dashdash = false;
    while let Some(w) = args.next() {
        let t = w.text.as_str();
        if dashdash || t == "-" || !t.starts_with('-') {
            operands.push(w);
            continue;
        }
        if t == "--" {
            dashdash = true;
            continue;
        }
        // Go's flags are long names behind one dash (`-ldflags`, `-tags netgo`).
        let long = t
            .strip_prefix("--")
            .or_else(|| (manager == Manager::Go).then(|| &t[1..]));
        if let Some(long) = long {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            flags.push(name.to_string());
            let value = match value {
                Some(v) => Some(v),
                None if takes_value(name) => args.next().map(|v| v.text.to_string()),
                None => None,
            };
            if let Some(v) = value {
                values.push((name.to_string(), v));
            }
            continue;
        }
        let short = &t[1..];
        let (letters, attached) = match short.split_once('=') {
            Some((l, v)) => (l, Some(v.to_string())),
            None => (short, None),
        };
        let chars: Vec<char> = letters.chars().collect();
        for (k, c) in chars.iter().enumerate() {
            let name = c.to_string();
            flags.push(name.clone());
            if takes_value(&name) {
                // The rest of the word, the `=value`, or the next word is the value.
                let rest: String = chars[k + 1..].iter().collect();
                let value = if !rest.is_empty() {
                    Some(rest)
                } else if let Some(v) = attached.clone() {
                    Some(v)
                } else {
                    args.next().map(|v| v.text.to_string())
                };
                if let Some(v) = value {
                    values.push((name, v));
                }
                break;
            }
        }
        if let Some(v) = attached
            && !chars.iter().any(|c| takes_value(&c.to_string()))
        {
            values.push((letters.to_string(), v));
        }
    }
    let subcommand = operands.first().map(|w| w.text.clone());
    let has = |names: &[&str]| flags.iter().any(|f| names.contains(&f.as_str()));
    let value_of = |names: &[&str]| {
        values
            .iter()
            .find(|(n, _)| names.contains(&n.as_str()))
            .map(|(_, v)| v.as_str())
    };
    let quiet = flags.iter().filter(|f| *f == "q" || *f == "quiet").count();
    let apt = manager.family() == Manager::AptGet;
    let yes = has(manager.yes_options())
        || (apt && (quiet >= 2 || value_of(&["q", "quiet"]) == Some("2")))
        || (apt
            && values.iter().any(|(n, v)| {
                (n == "o" || n == "option")
                    && v.split_once('=').is_some_and(|(k, val)| {
                        k.eq_ignore_ascii_case("APT::Get::Assume-Yes") && is_truthy(val)
                    })
            }));
    let no_recommends = apt
        && (has(&["no-install-recommends"])
            || values.iter().any(|(n, v)| {
                (n == "o" || n == "option")
                    && v.split_once('=').is_some_and(|(k, val)| {
                        k.eq_ignore_ascii_case("APT::Install-Recommends")
                            && matches!(
                                val.to_ascii_lowercase().as_str(),
                                "false" | "0" | "no" | "off"
                            )
                    })
            }));
    let no_cache = has(manager.no_cache_options());
    let mut rest: Vec<&Word> = operands.iter().skip(1).copied().collect();
    // `go mod download`, `yarn global add x`, `composer global require x`.
    if matches!(manager, Manager::Yarn | Manager::Composer)
        && subcommand.as_deref() == Some("global")
        && !rest.is_empty()
    {
        rest.remove(0);
    }
    let from_project = match manager.family() {
        Manager::Pip => {
            has(&["r", "requirement", "e", "editable"])
                || rest.iter().any(|w| matches!(w.text.as_str(), "." | "./"))
        }
        Manager::Npm | Manager::Yarn | Manager::Pnpm => {
            subcommand.as_deref() == Some("ci") || rest.is_empty()
        }
        Manager::Bundler => subcommand.as_deref().is_none_or(|s| s == "install"),
        Manager::Composer => subcommand.as_deref() == Some("install"),
        Manager::Go => {
            subcommand.as_deref() == Some("mod") && rest.iter().any(|w| w.text == "download")
        }
        Manager::Cargo => matches!(subcommand.as_deref(), Some("fetch" | "build")),
        _ => false,
    };
    let version_flag = match manager {
        Manager::Gem | Manager::Cargo | Manager::Bundler => {
            value_of(&["v", "version", "vers"]).map(str::to_string)
        }
        _ => None,
    };
    let packages = if matches!(manager, Manager::Go) && subcommand.as_deref() == Some("mod") {
        Vec::new()
    } else {
        rest.iter()
            .map(|w| {
                let mut p = package(manager, w);
                if p.kind == PackageKind::Name && p.version.is_none() {
                    p.version = version_flag.as_deref().map(CompactString::from);
                }
                p
            })
            .collect()
    };
    let env = cmd
        .assignments
        .iter()
        .chain(&cmd.wrappers)
        .filter_map(Word::as_assignment)
        .map(|(n, v)| (CompactString::from(n), CompactString::from(v)))
        .collect();
    PackageCommand {
        manager,
        subcommand,
        order,
        span: cmd.span,
        via,
        packages,
        yes,
        no_cache,
        no_recommends,
        from_project,
        flags: flags.into_iter().map(CompactString::from).collect(),
        name_span: cmd.name.as_ref().map_or(cmd.span, |w| w.span),
        // The subcommand right after the name makes the head; after options, it stands alone.
        head_from_name: operands
            .first()
            .zip(cmd.args.first())
            .is_some_and(|(o, a)| o.span == a.span),
        subcommand_span: operands.first().map(|w| w.span),
        values: values
            .into_iter()
            .map(|(n, v)| (CompactString::from(n), CompactString::from(v)))
            .collect(),
        env,
    }
}

/// One package argument, read as `manager` writes versions.
fn package(manager: Manager, w: &Word) -> Package {
    let text = w.text.clone();
    let lower = text.to_ascii_lowercase();
    let kind = if w.has_expansion {
        PackageKind::Variable
    } else if lower.contains("://") || lower.starts_with("git+") || lower.starts_with("git@") {
        PackageKind::Url
    } else if [
        ".deb", ".rpm", ".apk", ".whl", ".tar.gz", ".tgz", ".zip", ".gem", ".tar", ".phar",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
    {
        PackageKind::File
    } else if text == "."
        || text.starts_with("./")
        || text.starts_with("../")
        || text.starts_with('/')
        || text.starts_with("~/")
        || (manager.family() == Manager::Pip && text.contains('/'))
        // Go's package patterns of the main module (`go install tool` installs the tools
        // go.mod pins).
        || (manager == Manager::Go && matches!(text.as_str(), "tool" | "all" | "std" | "cmd"))
    {
        PackageKind::Path
    } else {
        PackageKind::Name
    };
    let (name, version) = if kind == PackageKind::Name {
        split_version(manager, &text)
    } else {
        (text.clone(), None)
    };
    // A URL with a ref (`git+https://...@v1`, `...#v1`) pins itself.
    Package {
        text,
        name,
        version,
        kind,
        span: w.span,
    }
}

/// Splits `name<version>` as the manager writes it.
fn split_version(manager: Manager, text: &str) -> (CompactString, Option<CompactString>) {
    let (name, version) = split_version_owned(manager, text);
    (name.into(), version.map(Into::into))
}

fn split_version_owned(manager: Manager, text: &str) -> (String, Option<String>) {
    let at = |i: usize, skip: usize| (text[..i].to_string(), Some(text[i + skip..].to_string()));
    match manager.family() {
        Manager::AptGet => match text.find(['=', '/']) {
            Some(i) => at(i, 1),
            None => (text.to_string(), None),
        },
        Manager::Apk | Manager::Zypper => match text.find(['=', '~', '>', '<']) {
            Some(i) => at(i, usize::from(text[i..].starts_with('='))),
            None => (text.to_string(), None),
        },
        Manager::Pip | Manager::Pipx => {
            let name_end = text.find(['[', ';']).unwrap_or(text.len());
            match text.find(['=', '>', '<', '!', '~', '@']) {
                Some(i) => at(i, 0),
                None if name_end < text.len() => {
                    // `pkg[extra]` with no constraint.
                    (text[..name_end].to_string(), None)
                }
                None => (text.to_string(), None),
            }
        }
        Manager::Npm | Manager::Yarn | Manager::Pnpm | Manager::Go | Manager::Cargo => {
            // `@scope/pkg@1` needs the second `@`; git URLs handled as Url.
            let from = usize::from(text.starts_with('@'));
            match text[from..].find(['@', '#']) {
                Some(i) => at(from + i, 1),
                None => (text.to_string(), None),
            }
        }
        Manager::Gem | Manager::Composer | Manager::Bundler => match text.find([':', '=']) {
            Some(i) => at(i, 1),
            None => (text.to_string(), None),
        },
        Manager::Dnf => {
            // `name-1.2.3` : a later `-` segment that starts with a digit.
            let mut start = 0;
            while let Some(i) = text[start..].find('-') {
                let pos = start + i;
                if text[pos + 1..].starts_with(|c: char| c.is_ascii_digit()) {
                    return at(pos, 1);
                }
                start = pos + 1;
            }
            (text.to_string(), None)
        }
        _ => (text.to_string(), None),
    }
}

/// `apt-get clean`, `yum clean all`, `apk cache clean`, `yarn cache clean`, `pip cache purge`,
/// `npm cache clean`, `composer clear-cache`, `pnpm store prune`, `go clean -cache`.
fn clean_subcommand(pc: &PackageCommand) -> Option<&'static str> {
    let sub = pc.subcommand.as_deref()?;
    match pc.manager.family() {
        Manager::AptGet if matches!(sub, "clean" | "autoclean" | "dist-clean") => Some("cache"),
        Manager::Dnf if sub == "clean" => Some("cache"),
        Manager::Zypper if matches!(sub, "clean" | "cc") => Some("cache"),
        Manager::Apk | Manager::Pip | Manager::Npm | Manager::Yarn if sub == "cache" => {
            Some("cache")
        }
        Manager::Composer if matches!(sub, "clear-cache" | "clearcache" | "cc") => Some("cache"),
        Manager::Pnpm if sub == "store" => Some("cache"),
        Manager::Go if sub == "clean" => Some("cache"),
        Manager::Uv | Manager::Poetry if sub == "cache" => Some("cache"),
        _ => None,
    }
}

fn is_rm(cmd: &Command) -> bool {
    cmd.name_str().is_some_and(|n| super::base_name(n) == "rm")
}

/// `rm` of `path` removes `dir`: it is `dir`, a path under it, or a directory above it
/// (`rm -rf /root/.cache` removes pip's cache; `/var/cache/apt/*` the whole of apt's).
fn removes_dir(path: &str, dir: &str) -> bool {
    Removed::new(path).removes(dir)
}

/// The path an `rm` argument names, read once for comparing with many directories.
struct Removed<'a> {
    /// Without trailing `/*` and `/`.
    path: &'a str,
    /// Deep enough to count as a directory above another: at least two levels
    /// (`/root/.cache`, not `/root`).
    deep: bool,
}

impl<'a> Removed<'a> {
    fn new(mut path: &'a str) -> Removed<'a> {
        while let Some(p) = path.strip_suffix("/*") {
            path = p;
        }
        let path = path.trim_end_matches('/');
        let deep = path.bytes().filter(|&b| b == b'/').count() >= 2 || path.starts_with("~/");
        Removed { path, deep }
    }

    fn removes(&self, dir: &str) -> bool {
        let under = |a: &str, b: &str| a.strip_prefix(b).is_some_and(|r| r.starts_with('/'));
        self.path == dir || under(self.path, dir) || (self.deep && under(dir, self.path))
    }
}

impl Packages {
    /// An `rm` after `order` removes `dir` (see [`Packages::cleaned_after`] for the known
    /// cache directories; this is for a directory only the configuration names, such as the
    /// value of `POETRY_CACHE_DIR`).
    pub fn removed_after(&self, dir: &str, order: Order) -> bool {
        !dir.is_empty()
            && self
                .removed_paths
                .iter()
                .any(|(p, o)| *o > order && removes_dir(p, dir))
    }
}

/// `rm -rf <dir>...` of a manager's cache or lists directory.
fn rm_cleanup(cmd: &Command, order: Order) -> Option<Vec<Cleanup>> {
    if !is_rm(cmd) {
        return None;
    }
    let found: Vec<Cleanup> = cmd
        .args
        .iter()
        .filter(|a| !a.text.starts_with('-'))
        .flat_map(|a| {
            let removed = Removed::new(a.text.as_str());
            CACHE_DIRS
                .iter()
                .filter(move |(dir, _, _)| removed.removes(dir))
                .map(move |&(_, manager, what)| Cleanup {
                    manager,
                    what,
                    order,
                    span: a.span,
                })
        })
        .collect();
    (!found.is_empty()).then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::parse_str;

    fn facts(s: &str) -> Packages {
        Packages::of(&[parse_str(s).expect("parses")], std::iter::empty())
    }

    fn names(p: &PackageCommand) -> Vec<(&str, Option<&str>)> {
        p.packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref()))
            .collect()
    }

    #[test]
    fn apt_get() {
        let f = facts(
            "apt-get update && apt-get install -y -t bookworm-backports --no-install-recommends \
             curl=8.5.0-1 git ./local.deb && rm -rf /var/lib/apt/lists/*",
        );
        let install = f.installs(Manager::AptGet).next().unwrap();
        assert_eq!(install.subcommand.as_deref(), Some("install"));
        assert_eq!(
            names(install),
            [
                ("curl", Some("8.5.0-1")),
                ("git", None),
                ("./local.deb", None)
            ]
        );
        assert!(install.yes && install.no_recommends);
        assert_eq!(
            install
                .unpinned()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>(),
            ["git"]
        );
        assert!(f.cleaned_after(install, Some("lists")));
        let update = f.of_manager(Manager::AptGet).next().unwrap();
        assert!(f.cleaned_after(update, Some("lists")));
        let f = facts("apt-get update && apt-get dist-clean");
        assert!(f.cleaned_after(&f.commands[0], Some("lists")));
        // Before the install is not after it.
        let f = facts("rm -rf /var/lib/apt/lists/* && apt-get install -qq x");
        let install = f.installs(Manager::AptGet).next().unwrap();
        assert!(install.yes);
        assert!(!f.cleaned_after(install, None));
    }

    #[test]
    fn wrappers() {
        for s in [
            "sudo apt-get install -y x",
            "/usr/bin/apt-get install -y x",
            "env DEBIAN_FRONTEND=noninteractive apt-get install -y x",
            "sudo -u root env -i A=1 apt-get install -y x",
        ] {
            let f = facts(s);
            let i = f
                .installs(Manager::AptGet)
                .next()
                .unwrap_or_else(|| panic!("{s}"));
            assert_eq!(names(i), [("x", None)], "{s}");
        }
        assert_eq!(facts("sudo apt-get install x").commands[0].via, Via::Sudo);
        assert_eq!(
            facts("/usr/bin/apt-get install x").commands[0].via,
            Via::Path
        );
        assert_eq!(
            facts("apt-get install -o Dpkg::Options::=--force-confnew x").commands[0]
                .packages
                .len(),
            1
        );
        assert!(
            facts("apt-get install -o APT::Install-Recommends=false x").commands[0].no_recommends
        );
    }

    #[test]
    fn pip_family() {
        let f = facts(
            "pip install --no-cache-dir -i https://pypi.example/simple requests==2.31 'flask>=3' \
             rich && python3 -m pip install -r requirements.txt && uv pip install httpx~=0.27",
        );
        let c: Vec<_> = f.installs(Manager::Pip).collect();
        assert_eq!(c.len(), 3);
        assert_eq!(
            names(c[0]),
            [
                ("requests", Some("==2.31")),
                ("flask", Some(">=3")),
                ("rich", None)
            ]
        );
        assert!(c[0].no_cache && !c[0].from_project);
        assert_eq!(c[1].via, Via::Module);
        assert!(c[1].from_project && c[1].packages.is_empty());
        assert_eq!(c[2].manager, Manager::UvPip);
        assert_eq!(names(c[2]), [("httpx", Some("~=0.27"))]);
        assert_eq!(facts("pip3.12 install x").commands[0].manager, Manager::Pip);
    }

    #[test]
    fn other_managers() {
        let f = facts("apk add --no-cache --virtual .build-deps gcc=13.2.1-r0 musl-dev");
        let c = &f.commands[0];
        assert!(c.no_cache);
        assert_eq!(names(c), [("gcc", Some("13.2.1-r0")), ("musl-dev", None)]);

        let f = facts("npm install --registry https://r.example @types/node@20 lodash && npm ci");
        assert_eq!(
            names(&f.commands[0]),
            [("@types/node", Some("20")), ("lodash", None)]
        );
        assert!(f.commands[1].from_project);

        let f = facts("yum install -y httpd-2.4.6 mod_ssl && yum clean all");
        let c = f.installs(Manager::Yum).next().unwrap();
        assert!(c.yes);
        assert_eq!(names(c), [("httpd", Some("2.4.6")), ("mod_ssl", None)]);
        assert!(f.cleaned_after(c, None));
        let f = facts("microdnf install -y x && dnf clean all");
        assert!(f.cleaned_after(&f.commands[0], None));

        let f = facts("zypper -n install curl=8.0 && zypper cc");
        assert!(f.commands[0].yes);
        assert_eq!(names(&f.commands[0]), [("curl", Some("8.0"))]);
        assert!(f.cleaned_after(&f.commands[0], None));

        let f = facts(
            "gem install bundler -v 2.5.0 && gem install rails:7.1 && go install golang.org/x/tools/gopls@latest && cargo install ripgrep@14.1.0 && composer require monolog/monolog:^3",
        );
        assert_eq!(names(&f.commands[0]), [("bundler", Some("2.5.0"))]);
        assert_eq!(names(&f.commands[1]), [("rails", Some("7.1"))]);
        assert!(!f.commands[2].packages[0].is_pinned());
        assert!(f.commands[3].packages[0].is_pinned());
        assert_eq!(names(&f.commands[4]), [("monolog/monolog", Some("^3"))]);

        assert!(facts("go mod download").commands[0].from_project);
        assert!(facts("bundle install").commands[0].from_project);
        assert!(facts("yarn install --frozen-lockfile").commands[0].from_project);
    }

    #[test]
    fn heredoc_scripts_are_later() {
        let line = parse_str("apt-get update").unwrap();
        let body = parse_str("apt-get install -y x\nrm -rf /var/lib/apt/lists/*\n").unwrap();
        let f = Packages::of(&[line, body], std::iter::empty());
        let update = &f.commands[0];
        assert_eq!(update.order, (0, 0));
        assert!(f.cleaned_after(update, Some("lists")));
    }

    #[test]
    fn heads_values_and_env() {
        let text = "PIP_NO_CACHE_DIR=1 pip install x && env A=1 apt-get -q install y && apk add --virtual .deps gcc";
        let f = facts(text);
        let head = |c: &PackageCommand| c.head().text(text).to_string();
        assert_eq!(head(&f.commands[0]), "pip install");
        assert_eq!(f.commands[0].env_value("PIP_NO_CACHE_DIR"), Some("1"));
        assert_eq!(head(&f.commands[1]), "install");
        assert_eq!(f.commands[1].env_value("A"), Some("1"));
        assert_eq!(f.commands[1].call(), "apt-get install");
        assert_eq!(f.commands[2].value_of(&["virtual"]), Some(".deps"));
    }

    #[test]
    fn go_flags_are_long() {
        let f = facts("go install -ldflags '-s -w' -tags netgo -o /out example.com/cmd/x");
        assert_eq!(names(&f.commands[0]), [("example.com/cmd/x", None)]);
    }

    #[test]
    fn vcs_urls_need_a_ref() {
        let f = facts(
            "pip install git+https://h/x/y.git git+https://h/x/y.git@v1 'git+https://h/x/y#egg=y' && npm install git+https://h/x/y.git#v1",
        );
        let pinned: Vec<bool> = f
            .commands
            .iter()
            .flat_map(|c| c.packages.iter().map(Package::is_pinned))
            .collect();
        assert_eq!(pinned, [false, true, false, true]);
    }

    #[test]
    fn uv_and_poetry() {
        let f = facts("uv sync --frozen && uv pip install x && poetry install --no-root");
        assert_eq!(f.commands[0].manager, Manager::Uv);
        assert!(f.commands[0].is_install());
        assert_eq!(f.commands[1].manager, Manager::UvPip);
        assert_eq!(f.commands[2].manager, Manager::Poetry);
        let f = facts("uv sync && uv cache clean && rm -rf /root/.cache/pypoetry");
        assert!(f.cleaned_after(&f.commands[0], None));
    }

    #[test]
    fn removals() {
        let f = facts("rm -rf /root/.cache && pip install x && rm -rf /tmp/c/* /var/cache/*");
        let pip = &f.commands[0];
        assert!(!f.cleaned_after(pip, None));
        assert!(f.removed_after("/tmp/c", pip.order));
        assert!(f.cleanups.iter().any(|c| c.manager == Manager::Apk));
        assert!(f.cleanups.iter().any(|c| c.manager == Manager::AptGet));
        assert!(!removes_dir("/root", "/root/.cache/pip"));
        let f = facts("sudo apt-get update && sudo rm -rf /var/lib/apt/lists/*");
        assert!(f.cleaned_after(&f.commands[0], Some("lists")));
        assert!(removes_dir("~/.cache", "~/.cache/pip"));

        let f = facts(
            "apk add --virtual .b gcc && apk del .b && apt-get install -y g++ make && apt-get purge -y --auto-remove && dnf install -y clang",
        );
        let apk = &f.commands[0];
        assert!(f.uninstalled_after(apk, &apk.packages[0]));
        let apt = &f.commands[2];
        assert!(f.uninstalled_after(apt, &apt.packages[1]));
        let dnf = &f.commands[4];
        assert!(!f.uninstalled_after(dnf, &dnf.packages[0]));
    }

    #[test]
    fn cache_mounts() {
        let df = crate::dockerfile::parse(
            "FROM debian\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y x\n",
        );
        let run = &df.instructions[1];
        let model = df.run_model(run).expect("a RUN");
        let f = Packages::of(model.scripts(), run.mounts());
        assert!(f.cache_mounted("/var/cache/apt/archives"));
        assert!(!f.cache_mounted("/var/cache/ap"));
    }
}
