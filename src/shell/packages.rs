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
            Manager::Bundler => "bundler",
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
            _ => &[],
        }
    }
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
    pub fn is_pinned(&self) -> bool {
        self.kind != PackageKind::Name
            || self
                .version
                .as_deref()
                .is_some_and(|v| !v.is_empty() && !matches!(v, "latest" | "none"))
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
    let name = name.rsplit('/').next().unwrap_or(name);
    let args: Vec<&str> = cmd.args.iter().map(|w| w.text.as_str()).collect();
    let first = cmd.args_without_flags().next().map(|w| w.text.as_str());
    let has = |a: &str| args.contains(&a);
    let pip_from_project = || {
        args.iter().any(|a| {
            matches!(*a, "-r" | "--requirement" | "." | "./" | "-e")
                || a.starts_with("--requirement=")
                || a.starts_with("-r")
        })
    };
    match name {
        "pip" | "pip3" | "pipx" => first == Some("install") && pip_from_project(),
        "python" | "python3" => {
            args.windows(2).any(|w| w == ["-m", "pip"]) && has("install") && pip_from_project()
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
        "mvn" | "mvnw" => args.iter().any(|a| a.starts_with("dependency:")),
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
    let first = first.rsplit('/').next().unwrap_or(first);
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
    let base = name.rsplit('/').next().unwrap_or(name);
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
    if base == "uv" && cmd.args.first()?.text == "pip" {
        let mut inner = cmd.clone();
        inner.args.remove(0);
        return Some((Manager::UvPip, Via::Module, inner));
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
        if let Some(long) = t.strip_prefix("--") {
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
        || (apt && (quiet >= 2 || value_of(&["q", "quiet"]) == Some("2")));
    let no_recommends = apt
        && (has(&["no-install-recommends"])
            || values.iter().any(|(n, v)| {
                (n == "o" || n == "option")
                    && v.eq_ignore_ascii_case("APT::Install-Recommends=false")
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
        Manager::AptGet if matches!(sub, "clean" | "autoclean") => Some("cache"),
        Manager::Dnf if sub == "clean" => Some("cache"),
        Manager::Zypper if matches!(sub, "clean" | "cc") => Some("cache"),
        Manager::Apk | Manager::Pip | Manager::Npm | Manager::Yarn if sub == "cache" => {
            Some("cache")
        }
        Manager::Composer if matches!(sub, "clear-cache" | "clearcache" | "cc") => Some("cache"),
        Manager::Pnpm if sub == "store" => Some("cache"),
        Manager::Go if sub == "clean" => Some("cache"),
        _ => None,
    }
}

/// `rm -rf <dir>...` of a manager's cache or lists directory.
fn rm_cleanup(cmd: &Command, order: Order) -> Option<Vec<Cleanup>> {
    let name = cmd.name_str()?;
    if name.rsplit('/').next() != Some("rm") {
        return None;
    }
    let found: Vec<Cleanup> = cmd
        .args
        .iter()
        .filter(|a| !a.text.starts_with('-'))
        .filter_map(|a| {
            let t = a.text.as_str();
            CACHE_DIRS
                .iter()
                .find(|(dir, _, _)| {
                    t.strip_prefix(dir)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
                })
                .map(|&(_, manager, what)| Cleanup {
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
    fn cache_mounts() {
        let df = crate::dockerfile::parse(
            "FROM debian\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y x\n",
        );
        let run = &df.instructions[1];
        let f = Packages::of(df.scripts(run), run.mounts());
        assert!(f.cache_mounted("/var/cache/apt/archives"));
        assert!(!f.cache_mounted("/var/cache/ap"));
    }
}
