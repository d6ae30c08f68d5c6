//! What a command is, for rules that judge a tool by what it does rather than by how it was
//! written: its base name, the command it really runs through `sudo` and `env`, the shell
//! dialects, and the few facts about shells and downloaders that several rules share.
//!
//! hadolint reads command names literally (`/usr/bin/sudo` and `sudo service x` are not what
//! they run); the rules that use this vocabulary are meant to be right instead, and say so in
//! their docs.

use std::borrow::Cow;

use super::{Command, Word};

/// A POSIX shell family, by the program that runs a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// `sh`: whatever `/bin/sh` is (dash on Debian, ash on Alpine); assume plain POSIX.
    Sh,
    Bash,
    Zsh,
    /// BusyBox `ash`.
    Ash,
    Dash,
    /// `ksh`, `mksh`, `ksh93`.
    Ksh,
}

impl Dialect {
    /// The dialect of a program path or name (`/usr/bin/bash`, `bash`, `zsh`); None when the
    /// program is not a POSIX shell.
    pub fn of_program(program: &str) -> Option<Dialect> {
        let base = program.rsplit(['/', '\\']).next().unwrap_or(program);
        Some(match base {
            "sh" => Dialect::Sh,
            "bash" => Dialect::Bash,
            "zsh" => Dialect::Zsh,
            "ash" => Dialect::Ash,
            "dash" => Dialect::Dash,
            "ksh" | "mksh" | "ksh93" => Dialect::Ksh,
            _ => return None,
        })
    }

    /// The shell is known to have `set -o pipefail` (bash, zsh, ash, ksh). `sh` may be dash,
    /// which refuses the option, so it does not count.
    pub fn has_pipefail(self) -> bool {
        matches!(
            self,
            Dialect::Bash | Dialect::Zsh | Dialect::Ash | Dialect::Ksh
        )
    }
}

/// The program and the dialect a script starting with a shebang names
/// (`#!/usr/bin/env bash` gives bash), with whether its options turn `pipefail` on
/// (`#!/bin/bash -eo pipefail`). None without a shebang.
pub fn shebang(script: &str) -> Option<(&str, Option<Dialect>, bool)> {
    let line = script.strip_prefix("#!")?.lines().next().unwrap_or("");
    let mut words = line.split_whitespace();
    let mut program = words.next().unwrap_or("");
    if program.ends_with("/env") {
        program = words.by_ref().find(|w| !w.starts_with('-')).unwrap_or("");
    }
    let rest: Vec<&str> = words.collect();
    let pipefail = options_set_pipefail(rest.iter().copied());
    Some((program, Dialect::of_program(program), pipefail))
}

/// Shell options (`-eo pipefail`, `-o errexit -o pipefail`) turn `pipefail` on: an `-o`
/// (alone or ending a cluster of short options) followed by `pipefail`, not undone later by
/// `+o pipefail`.
pub fn options_set_pipefail<'a>(words: impl Iterator<Item = &'a str>) -> bool {
    let mut on = false;
    let mut sign = None;
    for w in words {
        if let Some(s) = sign.take() {
            if w == "pipefail" {
                on = s;
            }
            continue;
        }
        if w == "--" {
            break;
        }
        let minus = w.strip_prefix('-').filter(|r| !r.starts_with('-'));
        let plus = w.strip_prefix('+');
        match (minus, plus) {
            (Some(r), _) if r.ends_with('o') => sign = Some(true),
            (_, Some(r)) if r.ends_with('o') => sign = Some(false),
            _ => {}
        }
    }
    on
}

/// Programs that download a URL.
const DOWNLOADERS: &[&str] = &["curl", "wget", "fetch", "aria2c"];

/// Commands that verify a checksum or a signature.
const VERIFIERS: &[&str] = &[
    "sha1sum",
    "sha224sum",
    "sha256sum",
    "sha384sum",
    "sha512sum",
    "md5sum",
    "b2sum",
    "shasum",
    "cksum",
];

impl Command {
    /// The base name of the literal command name (`/usr/sbin/useradd` gives `useradd`).
    pub fn base_name(&self) -> Option<&str> {
        let name = self.name_str()?;
        Some(super::base_name(name))
    }

    /// The base name is one of `names`.
    pub fn base_name_is(&self, names: &[&str]) -> bool {
        self.base_name().is_some_and(|n| names.contains(&n))
    }

    /// The word that holds the value of the first flag `name`: the next word for `-u 1000`,
    /// `--uid 1000` and a cluster ending in the flag (`-mu 1000`), the flag word itself for
    /// `--uid=1000`. None when the flag is absent or has no value.
    pub fn flag_value_word(&self, name: &str) -> Option<&Word> {
        let mut after_dashdash = false;
        for (i, w) in self.args.iter().enumerate() {
            let t = w.text.as_str();
            if after_dashdash || t == "--" {
                after_dashdash = true;
                continue;
            }
            let next = || self.args.get(i + 1);
            if let Some(long) = t.strip_prefix("--") {
                match long.split_once('=') {
                    Some((n, _)) if n == name => return Some(w),
                    None if long == name => return next(),
                    _ => {}
                }
            } else if let Some(short) = t.strip_prefix('-')
                && name.chars().count() == 1
                && !short.is_empty()
                && short.ends_with(name)
            {
                return next();
            }
        }
        None
    }

    /// The command this one really runs: through `sudo` (and its options) and `env` (its
    /// options and `NAME=value` words), repeatedly; the command itself otherwise.
    pub fn effective(&self) -> Cow<'_, Command> {
        let mut cmd = Cow::Borrowed(self);
        for _ in 0..4 {
            let inner = match cmd.base_name() {
                Some("sudo") => cmd.unwrap_sudo(),
                Some("env") => super::packages::unwrap_env(&cmd),
                _ => None,
            };
            match inner {
                Some(c) => cmd = Cow::Owned(c),
                None => break,
            }
        }
        cmd
    }

    /// The dialect when this command is a POSIX shell (`bash`, `/bin/sh`).
    pub fn shell_dialect(&self) -> Option<Dialect> {
        self.name_str().and_then(Dialect::of_program)
    }

    /// A shell that reads its script from standard input: a shell without `-c` and without a
    /// script file operand (`sh`, `bash -s -- -y`, `sh -`, `bash -ex`).
    pub fn shell_reads_stdin(&self) -> bool {
        if self.shell_dialect().is_none() || self.has_flag("c") {
            return false;
        }
        if self.has_flag("s") {
            return true;
        }
        let mut operands = self.args_without_flags_and_values(&["o", "O"]);
        operands.next().is_none_or(|w| w.text == "-")
    }

    /// A `set` builtin that turns `pipefail` on (`set -o pipefail`, `set -euo pipefail`,
    /// `set -o errexit -o pipefail`).
    pub fn sets_pipefail(&self) -> bool {
        self.name_str() == Some("set")
            && options_set_pipefail(self.args.iter().map(|w| w.text.as_str()))
    }

    /// A program that downloads a URL (`curl`, `wget`, `fetch`, `aria2c`), by base name.
    pub fn is_downloader(&self) -> bool {
        self.base_name_is(DOWNLOADERS)
    }

    /// A command that verifies a download: a checksum tool in check mode (`sha256sum -c`,
    /// `shasum -a 256 -c`, `cksum -c`), or a signature check (`gpg --verify`,
    /// `gpgv`, `cosign verify*`, `minisign -V`, `openssl dgst -verify`).
    pub fn verifies_checksum(&self) -> bool {
        let Some(name) = self.base_name() else {
            return false;
        };
        if VERIFIERS.contains(&name) {
            return self.has_any_flag(&["c", "check"]);
        }
        match name {
            "gpg" | "gpg2" => self.has_any_flag(&["verify", "verify-files"]),
            "gpgv" | "gpgv2" => true,
            "cosign" => self
                .subcommand()
                .is_some_and(|s| s.text.starts_with("verify")),
            "minisign" | "signify" => self.has_flag("V"),
            "openssl" => self.has_any_flag(&["verify", "prverify"]),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::parse_str;

    fn one(text: &str) -> Command {
        let s = parse_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        s.commands
            .into_iter()
            .next()
            .unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn dialects() {
        assert_eq!(Dialect::of_program("/usr/bin/bash"), Some(Dialect::Bash));
        assert_eq!(Dialect::of_program("sh"), Some(Dialect::Sh));
        assert_eq!(Dialect::of_program("/bin/mksh"), Some(Dialect::Ksh));
        assert_eq!(Dialect::of_program("python3"), None);
        assert!(Dialect::Ash.has_pipefail() && !Dialect::Sh.has_pipefail());
        assert!(!Dialect::Dash.has_pipefail());
    }

    #[test]
    fn shebangs() {
        assert_eq!(
            shebang("#!/usr/bin/env bash\nx"),
            Some(("bash", Some(Dialect::Bash), false))
        );
        assert_eq!(
            shebang("#!/bin/bash -eo pipefail\n"),
            Some(("/bin/bash", Some(Dialect::Bash), true))
        );
        assert_eq!(
            shebang("#!/usr/bin/env -S python3 -u\n"),
            Some(("python3", None, false))
        );
        assert_eq!(shebang("echo hi"), None);
    }

    #[test]
    fn pipefail_options() {
        let on = |s: &str| options_set_pipefail(s.split_whitespace());
        assert!(on("-o pipefail -c"));
        assert!(on("-euo pipefail -c"));
        assert!(on("-o errexit -o pipefail"));
        assert!(!on("-c pipefail"));
        assert!(!on("-o pipefail +o pipefail"));
        assert!(!on("-o errexit"));
        assert!(!on("-- -o pipefail"));
        assert!(one("set -Eeuxo pipefail").sets_pipefail());
        assert!(one("set -o pipefail").sets_pipefail());
        assert!(!one("set -eux").sets_pipefail());
        assert!(!one("echo -o pipefail").sets_pipefail());
    }

    #[test]
    fn base_names_and_effective_commands() {
        assert_eq!(one("/usr/sbin/useradd -u 1 x").base_name(), Some("useradd"));
        let c = one("sudo -E env DEBIAN_FRONTEND=x /usr/sbin/service nginx start");
        assert_eq!(c.effective().base_name(), Some("service"));
        assert_eq!(c.effective().args[0].text, "nginx");
        let plain = one("service nginx start");
        assert!(matches!(plain.effective(), Cow::Borrowed(_)));
        assert_eq!(one("sudo").effective().base_name(), Some("sudo"));
    }

    #[test]
    fn flag_value_words() {
        let text = "useradd -m -u 100000 --gid=5 -su 7 --home /h x -- --shell y";
        let c = one(text);
        let v = |n: &str| c.flag_value_word(n).map(|w| w.span.text(text));
        assert_eq!(v("u"), Some("100000"));
        assert_eq!(v("gid"), Some("--gid=5"));
        assert_eq!(v("home"), Some("/h"));
        assert_eq!(v("shell"), None);
        assert_eq!(v("z"), None);
    }

    #[test]
    fn stdin_shells_downloaders_verifiers() {
        assert!(one("sh").shell_reads_stdin());
        assert!(one("bash -s -- -y").shell_reads_stdin());
        assert!(one("sudo -E bash -").effective().shell_reads_stdin());
        assert!(one("bash -ex").shell_reads_stdin());
        assert!(!one("sh -c 'cat > f'").shell_reads_stdin());
        assert!(!one("bash install.sh").shell_reads_stdin());
        assert!(!one("python3 -").shell_reads_stdin());
        assert!(one("/usr/bin/curl -fsSL x").is_downloader());
        assert!(!one("tar -x").is_downloader());
        assert!(one("sha256sum -c -").verifies_checksum());
        assert!(one("shasum -a 256 --check x").verifies_checksum());
        assert!(!one("sha256sum file").verifies_checksum());
        assert!(one("gpg --batch --verify x.asc x").verifies_checksum());
        assert!(one("cosign verify-blob x").verifies_checksum());
        assert!(!one("gpg --import k").verifies_checksum());
    }
}
