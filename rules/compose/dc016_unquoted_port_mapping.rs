use crate::compose::{ComposeFile, ScalarStyle};
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rule::{Category, Check, Context};
use crate::settings::options;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

declare_rule! {
    /// ## What it does
    /// Reports an unquoted port mapping that a YAML 1.1 parser reads as a number: a plain
    /// scalar such as `22:22` or `3000:50` is a base-60 ("sexagesimal") integer in YAML 1.1
    /// when every part after the first colon is below 60. Docker Compose v2 reads YAML 1.2 and
    /// gets it right, but the file is read wrong by docker-compose v1, Ansible, PyYAML-based
    /// tools and linters.
    ///
    /// With `all-unquoted`, every unquoted port with a colon is reported, as dclint's
    /// `require-quotes-in-ports` does.
    ///
    /// ## Why is this bad?
    /// `22:22` becomes `1342`, a container port nobody asked for, and the failure shows up far
    /// from the file. Quoting the mapping costs nothing and reads the same everywhere.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   git:
    ///     image: gitea/gitea:1.22
    ///     ports:
    ///       - 2222:22
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   git:
    ///     image: gitea/gitea:1.22
    ///     ports:
    ///       - "2222:22"
    /// ```
    ///
    /// ## Options
    /// ```toml
    /// [rules.DC016]
    /// all-unquoted = false
    /// ```
    ///
    /// ## Fix safety
    /// The fix puts the mapping in double quotes. Compose v2 reads the same string, so the fix
    /// is safe.
    pub static RULE = Rule {
        code: "DC016",
        name: "unquoted-port-mapping",
        category: Category::Reliability,
        summary: "an unquoted port mapping reads as a base-60 number in YAML 1.1",
        aliases: &["require-quotes-in-ports"],
        fixable: true,
        options: options::<UnquotedPortOptions>(),
        check: Check::Compose(check),
    };
}

/// Options of DC016.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct UnquotedPortOptions {
    /// Report every unquoted port mapping with a colon, not only those YAML 1.1 misreads.
    pub all_unquoted: bool,
}

/// Whether YAML 1.1 resolves a plain scalar as a base-60 integer or float:
/// `[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?`.
fn is_sexagesimal(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, _frac) = match s.split_once('.') {
        Some((i, f)) if f.bytes().all(|b| b.is_ascii_digit() || b == b'_') => (i, Some(f)),
        Some(_) => return false,
        None => (s, None),
    };
    let mut parts = int.split(':');
    let head = parts.next().unwrap_or("");
    let head_ok = head.bytes().next().is_some_and(|b| (b'1'..=b'9').contains(&b))
        && head.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    let mut tail = parts.peekable();
    head_ok
        && tail.peek().is_some()
        && tail.all(|p| {
            let b = p.as_bytes();
            match b {
                [d] => d.is_ascii_digit(),
                [a, d] => (b'0'..=b'5').contains(a) && d.is_ascii_digit(),
                _ => false,
            }
        })
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let all = ctx.options::<UnquotedPortOptions>().all_unquoted;
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        for port in service.ports() {
            let Some(short) = port.short else { continue };
            let plain = short
                .node
                .as_scalar()
                .is_some_and(|(_, style)| style == ScalarStyle::Plain);
            let v = short.value;
            if !plain || !v.contains(':') || seen.contains(&short.span) {
                continue;
            }
            let misread = is_sexagesimal(v);
            if !misread && !all {
                continue;
            }
            seen.push(short.span);
            let message = if misread {
                format!("unquoted port mapping `{v}` is a base-60 number in YAML 1.1")
            } else {
                format!("port mapping `{v}` is not quoted")
            };
            ctx.report(short.span, message)
                .help("quote the mapping")
                .fix(Fix::safe_replace(
                    short.span,
                    format!("\"{v}\""),
                    "quote the port mapping",
                ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_sexagesimal;

    #[test]
    fn base_60_numbers() {
        for s in ["22:22", "3000:50", "1:2:3", "190:20:30", "8080:5", "2222:22.5"] {
            assert!(is_sexagesimal(s), "{s}");
        }
        for s in ["8080:80", "80:8080", "0:22", "127.0.0.1:22:22", "22:22/udp", "22", ":22"] {
            assert!(!is_sexagesimal(s), "{s}");
        }
    }
}
