use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, KeyValue};
use crate::rule::{Category, Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports an `ARG` or `ENV` that holds a literal secret: a secret-like name
    /// (`DB_PASSWORD`, `API_KEY`, `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`, ...) with a
    /// non-empty literal value, or any value shaped like a credential (a URL with
    /// `user:password@`, a `ghp_`/`sk_live_`/`AKIA...` token, a PEM private key).
    ///
    /// Not reported: an empty value, a value that only references a variable (`${TOKEN}`),
    /// `ARG TOKEN` without a default, a path (`/run/secrets/db`), `*_FILE`/`*_PATH`/`*_DIR`/
    /// `*_URL` keys, which name where a secret lives rather than hold it, and public key
    /// material (`GPG_KEY`, `*_SIGNING_KEY` fingerprints). Unlike hadolint, names alone do not
    /// fire.
    ///
    /// ## Why is this bad?
    /// `ARG` and `ENV` values are stored in the image's history and config: anyone who can
    /// pull the image can read them with `docker history` or `docker inspect`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV DB_PASSWORD=hunter2
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// # syntax=docker/dockerfile:1
    /// FROM alpine:3.20
    /// RUN --mount=type=secret,id=db_password,env=DB_PASSWORD ./migrate.sh
    /// ```
    pub static RULE = Rule {
        code: "DL3064",
        name: "secret-in-arg-or-env",
        category: Category::Security,
        summary: "a secret is stored in ARG or ENV",
        aliases: &["SecretsUsedInArgOrEnv"],
        check: Check::Dockerfile(check),
    };
}

/// Name tokens that mark a secret.
const SECRET_TOKENS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "secret",
    "token",
    "apikey",
    "credential",
    "credentials",
    "auth",
    "privatekey",
    "accesskey",
    "secretkey",
];
/// Adjacent token pairs that mark a secret (`API_KEY`, `PRIVATE_KEY`, ...).
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("private", "key"),
    ("access", "key"),
    ("secret", "key"),
    ("client", "secret"),
    ("encryption", "key"),
];
/// A last token that says the variable describes a secret rather than holds it.
const NOT_A_SECRET_SUFFIX: &[&str] = &[
    "file",
    "path",
    "dir",
    "url",
    "uri",
    "host",
    "endpoint",
    "version",
    "name",
    "user",
    "username",
    "id",
    "type",
    "method",
    "mode",
    "enabled",
    "enable",
    "disabled",
    "length",
    "ttl",
    "expiry",
    "expiration",
    "timeout",
    "header",
    "prefix",
    "public",
    "location",
    "server",
    "provider",
    "realm",
    "issuer",
    "required",
    "port",
    "env",
    "var",
    "plugin",
    "backend",
    "strategy",
    "scope",
    "audience",
    "algorithm",
    "role",
    "config",
    "helper",
    "store",
    "fingerprint",
    "keyring",
    "keys",
];
/// Tokens anywhere in the name that mark public key material (GPG fingerprints and the like).
const PUBLIC_KEY_TOKENS: &[&str] = &["gpg", "pgp", "signing", "fingerprint", "public", "pubkey"];

fn tokens(name: &str) -> Vec<String> {
    name.split(['_', '-', '.'])
        .filter(|t| !t.is_empty())
        .map(|t| t.to_ascii_lowercase())
        .collect()
}

fn secret_name(name: &str) -> bool {
    let t = tokens(name);
    if t.last()
        .is_some_and(|l| NOT_A_SECRET_SUFFIX.contains(&l.as_str()))
        || t.iter().any(|x| PUBLIC_KEY_TOKENS.contains(&x.as_str()))
    {
        return false;
    }
    t.iter().any(|x| SECRET_TOKENS.contains(&x.as_str()))
        || t.windows(2)
            .any(|w| SECRET_PAIRS.contains(&(w[0].as_str(), w[1].as_str())))
}

/// True when a value is only one variable reference, a boolean or a number.
fn harmless_value(v: &str) -> bool {
    let v = v.trim();
    if v.is_empty() {
        return true;
    }
    let is_name =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if let Some(r) = v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        return is_name(r.split([':', '-', '+', '?']).next().unwrap_or(""));
    }
    if let Some(r) = v.strip_prefix('$') {
        return is_name(r);
    }
    // A path names where a secret lives.
    if (v.starts_with('/') || v.starts_with("./") || v.starts_with("~/"))
        && !v.contains(char::is_whitespace)
    {
        return true;
    }
    matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null"
    ) || v.chars().all(|c| c.is_ascii_digit())
}

/// A credential recognisable from the value alone.
fn credential_shape(v: &str) -> Option<&'static str> {
    if v.contains("-----BEGIN") && v.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    if let Some((_, rest)) = v.split_once("://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if let Some((userinfo, _)) = authority.rsplit_once('@')
            && let Some((_, pass)) = userinfo.split_once(':')
            && !pass.is_empty()
            && !pass.starts_with('$')
        {
            return Some("a URL with a password");
        }
    }
    let prefixes: &[(&str, usize, &str)] = &[
        ("ghp_", 30, "a GitHub token"),
        ("gho_", 30, "a GitHub token"),
        ("ghs_", 30, "a GitHub token"),
        ("ghu_", 30, "a GitHub token"),
        ("github_pat_", 30, "a GitHub token"),
        ("glpat-", 20, "a GitLab token"),
        ("sk_live_", 16, "a Stripe secret key"),
        ("rk_live_", 16, "a Stripe secret key"),
        ("xoxb-", 20, "a Slack token"),
        ("xoxp-", 20, "a Slack token"),
        ("npm_", 36, "an npm token"),
    ];
    for (p, min, what) in prefixes {
        if let Some(rest) = v.strip_prefix(p)
            && rest.len() + p.len() >= *min
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Some(what);
        }
    }
    if v.len() == 20
        && (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Some("an AWS access key id");
    }
    None
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    for ins in ctx.file.iter_with_onbuild() {
        let (what, kvs): (&str, &Vec<KeyValue>) = match &ins.body {
            Body::Arg(kvs) => ("ARG", kvs),
            Body::Env(kvs) => ("ENV", kvs),
            _ => continue,
        };
        for kv in kvs {
            let Some(value) = &kv.value else { continue };
            let v = value.value.as_str();
            if let Some(shape) = credential_shape(v) {
                ctx.report(value.span, format!("{what} `{}` holds {shape}", kv.key.value))
                    .help("pass secrets with `RUN --mount=type=secret` or at run time, never in the image");
                continue;
            }
            if secret_name(&kv.key.value) && !harmless_value(v) {
                ctx.report(kv.span, format!("{what} `{}` holds a literal secret", kv.key.value))
                    .help("pass secrets with `RUN --mount=type=secret` or at run time, never in the image");
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
            "DB_PASSWORD",
            "API_KEY",
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "apikey",
            "MYSQL_ROOT_PASSWORD",
            "SECRET_KEY_BASE",
            "NPM_AUTH",
        ] {
            assert!(secret_name(n), "{n}");
        }
        for n in [
            "PASSWORD_FILE",
            "SWIFT_SIGNING_KEY",
            "GPG_KEYS",
            "TOKEN_URL",
            "AUTHOR",
            "KEYBOARD",
            "PATH",
            "AUTH_ENABLED",
            "SECRET_DIR",
            "PASSENGER_VERSION",
        ] {
            assert!(!secret_name(n), "{n}");
        }
    }

    #[test]
    fn shapes() {
        assert!(credential_shape("postgres://app:s3cret@db/app").is_some());
        assert!(credential_shape("postgres://app:$PW@db/app").is_none());
        assert!(credential_shape("https://example.com/a:b@c").is_none());
        assert!(credential_shape("AKIAIOSFODNN7EXAMPLE").is_some());
        assert!(credential_shape("ghp_abcdefghijklmnopqrstuvwxyz0123456789").is_some());
        assert!(credential_shape("hello").is_none());
    }
}
