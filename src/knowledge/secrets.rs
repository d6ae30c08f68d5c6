//! Secret-like names: the tokens that mark a variable as holding a secret, and the exceptions.
//! Also the values that are credentials whatever their name (a URL with a password, a token
//! with a vendor prefix, a PEM private key). Shared by DL3064 (ARG/ENV) and, later, the compose
//! rule on `environment:` and build args.
//!
//! A name is split into lowercase tokens at `_`, `-`, `.` (any character that is not a letter or
//! a digit) and at camelCase boundaries: `LDAP_ROOTPASS` -> `ldap`, `rootpass`;
//! `dbPassword` -> `db`, `password`; `APIKey` -> `api`, `key`. It names a secret when
//! 1. one token is a secret word ([`SECRET_WORDS`]) or a compound ending in one
//!    ([`SECRET_ENDINGS`]: `rootpass`, `accesstoken`), apart from ordinary words that happen to
//!    end like one ([`NOT_SECRET_WORDS`]: `bypass`, `compass`); or two adjacent tokens form a
//!    secret key ([`SECRET_KEY_PAIRS`]: `API_KEY`, `PRIVATE_KEY`, `APP_KEY`); or the last token
//!    is `auth` (`NPM_AUTH`, `BASIC_AUTH`: a namespace `AUTH_*` is not);
//! 2. and no token after the last secret token describes the secret instead of holding it
//!    ([`DESCRIPTOR_TOKENS`]: `DB_PASSWORD_FILE`, `TOKEN_URL`, `PASSWORD_MIN_LENGTH`,
//!    `SECRET_DIR`, `AUTH_TOKEN_ENABLED`);
//! 3. and no token says the value is public ([`PUBLIC_TOKENS`]: `NEXT_PUBLIC_API_KEY`);
//! 4. and the whole name is not a well-known variable that is no secret ([`NOT_SECRET_NAMES`]:
//!    `PWD`, `GOOGLE_APPLICATION_CREDENTIALS`, which holds a path).
//!
//! The configuration adds whole names either way (`[rules.DL3064] secret-names`,
//! `not-secret-names`), through [`is_secret_name_with`].
//!
//! `USERNAME`, `*_USER`, `*_ID`, `GPG_KEY`, `SWIFT_SIGNING_KEY` and `*_KEYS` are not secrets: user
//! names and ids are public, and GPG keys in Dockerfiles are fingerprints of public keys used to
//! verify downloads.

/// Tokens that hold a secret on their own.
pub const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "pass",
    "pword",
    "pwd",
    "secret",
    "token",
    "apikey",
    "credential",
    "credentials",
    "privatekey",
    "secretkey",
    "accesskey",
    "licensekey",
    "masterkey",
];

/// A compound token ending with one of these is a secret (`rootpass`, `dbpassword`,
/// `accesstoken`, `clientsecret`, `myapikey`).
pub const SECRET_ENDINGS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "pass",
    "pwd",
    "secret",
    "token",
    "apikey",
    "privatekey",
    "secretkey",
    "accesskey",
];

/// Words that end like a secret word but are not secrets.
pub const NOT_SECRET_WORDS: &[&str] = &[
    "bypass",
    "compass",
    "encompass",
    "overpass",
    "underpass",
    "surpass",
    "trespass",
    "impass",
    "keepass",
    "multipass",
    "oldpwd",
];

/// Adjacent tokens that name a secret key. `key` alone does not: `CACHE_KEY`, `SORT_KEY`,
/// `GPG_KEY` (a fingerprint) are no secrets.
pub const SECRET_KEY_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("private", "key"),
    ("secret", "key"),
    ("access", "key"),
    ("license", "key"),
    ("encryption", "key"),
    ("master", "key"),
    ("session", "key"),
    ("app", "key"),
    ("account", "key"),
    ("auth", "key"),
    ("jwt", "key"),
    ("ssh", "key"),
    ("deploy", "key"),
    ("client", "secret"),
];

/// After the last secret token, a token that says the variable is about a secret without
/// holding it: where it lives, how it is checked, whether it is wanted.
pub const DESCRIPTOR_TOKENS: &[&str] = &[
    // where the secret lives
    "file",
    "files",
    "path",
    "dir",
    "directory",
    "location",
    "url",
    "uri",
    "host",
    "hostname",
    "endpoint",
    "region",
    "server",
    "port",
    "store",
    "vault",
    "env",
    "var",
    "name",
    "alias",
    "ref",
    "secrets",
    // who or what it belongs to
    "user",
    "username",
    "id",
    "owner",
    "role",
    "issuer",
    "audience",
    "realm",
    "provider",
    "type",
    "kind",
    // how it is handled
    "mode",
    "method",
    "strategy",
    "algorithm",
    "algo",
    "scope",
    "plugin",
    "backend",
    "helper",
    "policy",
    "format",
    "header",
    "prefix",
    "length",
    "size",
    "min",
    "max",
    "ttl",
    "expiry",
    "expiration",
    "expires",
    "lifetime",
    "timeout",
    "interval",
    "rotation",
    "hash",
    "digest",
    "checksum",
    "sha",
    "sha256",
    "sha512",
    "md5",
    "fingerprint",
    "keyring",
    "keys",
    "prompt",
    "config",
    "version",
    "level",
    // whether it is wanted
    "enabled",
    "enable",
    "disabled",
    "disable",
    "required",
    "optional",
    "reset",
];

/// Tokens that say the value is public by design (`NEXT_PUBLIC_*` is sent to browsers).
pub const PUBLIC_TOKENS: &[&str] = &["public", "pubkey", "publishable"];

/// Whole names (case-insensitive) that match the token rules but hold no secret.
pub const NOT_SECRET_NAMES: &[&str] = &[
    // the shell's working directory
    "PWD",
    // a path to a key file, by Google's convention
    "GOOGLE_APPLICATION_CREDENTIALS",
];

/// The lowercase tokens of a variable name.
pub fn name_tokens(name: &str) -> Vec<String> {
    token_slices(name)
        .into_iter()
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The tokens of a variable name as slices of it, in their own case: each is a run of ASCII
/// letters and digits, so comparing it with a lowercase table word ignoring ASCII case is the
/// same as comparing its lowercase copy.
fn token_slices(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let b = part.as_bytes();
        let mut start = 0;
        for i in 1..b.len() {
            let (prev, cur) = (b[i - 1], b[i]);
            let next_lower = b.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            // `dbPassword`: lower then upper; `APIKey`: the last upper of a run before a lower.
            let boundary = (prev.is_ascii_lowercase() && cur.is_ascii_uppercase())
                || (prev.is_ascii_uppercase() && cur.is_ascii_uppercase() && next_lower);
            if boundary {
                out.push(&part[start..i]);
                start = i;
            }
        }
        if start < b.len() {
            out.push(&part[start..]);
        }
    }
    out
}

/// `t` (any case) is one of the lowercase `words`.
fn one_of(words: &[&str], t: &str) -> bool {
    words.iter().any(|w| w.eq_ignore_ascii_case(t))
}

fn is_secret_token(t: &str) -> bool {
    if one_of(NOT_SECRET_WORDS, t) {
        return false;
    }
    one_of(SECRET_WORDS, t)
        || SECRET_ENDINGS.iter().any(|e| {
            t.len() >= e.len()
                && t.as_bytes()[t.len() - e.len()..].eq_ignore_ascii_case(e.as_bytes())
        })
}

/// Names the configuration adds to the built-in rules: whole names, any case.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExtraNames<'a> {
    pub secret: &'a [String],
    pub not_secret: &'a [String],
}

/// True when a variable of this name holds a secret (the rules are in the module docs).
pub fn is_secret_name(name: &str) -> bool {
    is_secret_name_with(name, ExtraNames::default())
}

/// [`is_secret_name`], with the names the configuration adds; its "not a secret" list wins.
pub fn is_secret_name_with(name: &str, extra: ExtraNames<'_>) -> bool {
    let listed = |list: &[String]| list.iter().any(|n| n.eq_ignore_ascii_case(name));
    if listed(extra.not_secret) {
        return false;
    }
    if listed(extra.secret) {
        return true;
    }
    if one_of(NOT_SECRET_NAMES, name) {
        return false;
    }
    // Tokens in their own case, compared ignoring it: no lowercase copy of each.
    let t = token_slices(name);
    if t.iter().any(|x| one_of(PUBLIC_TOKENS, x)) {
        return false;
    }
    // The index of the last token that makes the name a secret.
    let mut last = None;
    for (i, tok) in t.iter().enumerate() {
        let pair = i > 0
            && SECRET_KEY_PAIRS
                .iter()
                .any(|(a, b)| a.eq_ignore_ascii_case(t[i - 1]) && b.eq_ignore_ascii_case(tok));
        let auth_last = tok.eq_ignore_ascii_case("auth") && i + 1 == t.len();
        if is_secret_token(tok) || pair || auth_last {
            last = Some(i);
        }
    }
    match last {
        Some(i) => !t[i + 1..].iter().any(|x| one_of(DESCRIPTOR_TOKENS, x)),
        None => false,
    }
}

/// True when a value is only a reference to one variable (`$X`, `${X}`, `${X:-default}`).
pub fn is_variable_reference(v: &str) -> bool {
    let v = v.trim();
    let is_name =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if let Some(r) = v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        return is_name(r.split([':', '-', '+', '?']).next().unwrap_or(""));
    }
    v.strip_prefix('$').is_some_and(is_name)
}

/// Values that name how authentication works rather than holding a credential
/// (`REGISTRY_AUTH=htpasswd`, `NPM_AUTH=token`).
pub const AUTH_SCHEMES: &[&str] = &[
    "htpasswd", "basic", "bearer", "digest", "token", "oauth", "oauth2", "oidc", "ldap", "saml",
    "jwt", "kerberos", "silly",
];

/// True when a literal value cannot be a secret: a path (it names where a secret lives), a
/// boolean, a number, a word such as `none`, or the name of an authentication scheme
/// ([`AUTH_SCHEMES`]).
pub fn is_inert_literal(v: &str) -> bool {
    let v = v.trim();
    if (v.starts_with('/') || v.starts_with("./") || v.starts_with("~/"))
        && !v.contains(char::is_whitespace)
    {
        return true;
    }
    matches!(
        v.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null"
    ) || (!v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
        || AUTH_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(v))
}

/// A credential recognisable from the value alone, whatever the variable's name: what it is.
pub fn credential_in_value(v: &str) -> Option<&'static str> {
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
    for (prefix, min, what) in TOKEN_PREFIXES {
        if let Some(rest) = v.strip_prefix(prefix)
            && v.len() >= *min
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

/// Vendor token prefixes, the shortest length a real token has, and what it is.
const TOKEN_PREFIXES: &[(&str, usize, &str)] = &[
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_on_separators_and_camel_case() {
        assert_eq!(name_tokens("LDAP_ROOTPASS"), ["ldap", "rootpass"]);
        assert_eq!(name_tokens("dbPassword"), ["db", "password"]);
        assert_eq!(name_tokens("APIKey"), ["api", "key"]);
        assert_eq!(name_tokens("my-app.secret"), ["my", "app", "secret"]);
        assert_eq!(name_tokens("OAUTH2_PROXY"), ["oauth2", "proxy"]);
        assert_eq!(name_tokens("ACCESSTOKEN}}"), ["accesstoken"]);
        assert!(name_tokens("__").is_empty());
    }

    #[test]
    fn secret_names() {
        for n in [
            "SECRET",
            "GITHUB_TOKEN",
            "DB_PASSWORD",
            "API_KEY",
            "apiKey",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SECRET",
            "MYSQL_ROOT_PASSWORD",
            "SECRET_KEY_BASE",
            "NPM_AUTH",
            "LDAP_ROOTPASS",
            "NAGIOSADMIN_PASS",
            "ACCESSTOKEN",
            "sa_password",
            "LICENSE_KEY",
            "APP_KEY",
            "GPG_PASSPHRASE",
            "GPG_PRIVATE_KEY",
            "CLIENT_SECRET",
            "DB_PWD",
            "SSH_PRIVATE_KEY",
        ] {
            assert!(is_secret_name(n), "{n} should be a secret name");
        }
    }

    #[test]
    fn names_that_hold_no_secret() {
        for n in [
            "USERNAME",
            "DB_USER",
            "PASSWORD_FILE",
            "DB_PASSWORD_FILE",
            "SECRET_PATH",
            "SECRET_DIR",
            "SECRETS_DIR",
            "SECRETFILE",
            "PASSENGER_VERSION",
            "KEEPASSXC_VERSION",
            "TOKEN_URL",
            "SECRET_ALIAS",
            "PASSWORD_PROMPT",
            "PASSWORD_PROMPT_TEXT",
            "AUTH_MODE",
            "AUTH_ENABLED",
            "GF_AUTH_ANONYMOUS_ENABLED",
            "GF_AUTH_ANONYMOUS_ORG_ROLE",
            "DOCKER_AUTH_VERSION",
            "PASSWORD_MIN_LENGTH",
            "CLIENT_ID",
            "AWS_ACCESS_KEY_ID",
            "GPG_KEY",
            "GPG_KEYS",
            "SWIFT_SIGNING_KEY",
            "RABBITMQ_PGP_KEY_ID",
            "AUTHOR",
            "AUTHORS",
            "KEYBOARD",
            "PATH",
            "PWD",
            "BYPASS_CACHE",
            "COMPASS_VERSION",
            "TOKENIZERS_PARALLELISM",
            "NEXT_PUBLIC_API_KEY",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "DOCKER_CREDENTIAL_GCR_CONFIG",
            "SE_SESSION_REQUEST_TIMEOUT",
            "CACHE_KEY",
        ] {
            assert!(!is_secret_name(n), "{n} should not be a secret name");
        }
    }

    #[test]
    fn configured_names() {
        let secret = vec!["ACME_CRED".to_string()];
        let not_secret = vec!["session_token".to_string()];
        let extra = ExtraNames {
            secret: &secret,
            not_secret: &not_secret,
        };
        assert!(is_secret_name_with("acme_cred", extra));
        assert!(!is_secret_name("ACME_CRED"));
        assert!(!is_secret_name_with("SESSION_TOKEN", extra));
        assert!(is_secret_name_with("GITHUB_TOKEN", extra));
    }

    #[test]
    fn values() {
        assert!(is_variable_reference("${DB_PASSWORD}"));
        assert!(is_variable_reference("$TOKEN"));
        assert!(is_variable_reference("${TOKEN:-x}"));
        assert!(!is_variable_reference("x$TOKEN"));
        assert!(is_inert_literal("/run/secrets/db"));
        assert!(is_inert_literal("false"));
        assert!(is_inert_literal("8080"));
        assert!(!is_inert_literal(""));
        assert!(!is_inert_literal("hunter2"));
        assert!(is_inert_literal("htpasswd") && is_inert_literal("Bearer"));
    }

    #[test]
    fn credential_shapes() {
        assert!(credential_in_value("postgres://app:s3cret@db/app").is_some());
        assert!(credential_in_value("postgres://app:$PW@db/app").is_none());
        assert!(credential_in_value("postgres://app@db/app").is_none());
        assert!(credential_in_value("https://example.com/a:b@c").is_none());
        assert!(credential_in_value("AKIAIOSFODNN7EXAMPLE").is_some());
        assert!(credential_in_value("ghp_abcdefghijklmnopqrstuvwxyz0123456789").is_some());
        assert!(credential_in_value("ghp_short").is_none());
        assert!(credential_in_value("hello").is_none());
    }
}
