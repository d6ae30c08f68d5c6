use crate::declare_rule;
use crate::dockerfile::{Body, Dockerfile, KeyValue};
use crate::knowledge::secrets::{
    ExtraNames, credential_in_value, is_inert_literal, is_secret_name_with, is_variable_reference,
};
use crate::rule::{Category, Check, Context};
use crate::settings::{WordKind, options, word_list};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

declare_rule! {
    /// ## What it does
    /// Reports a secret passed through `ARG` or stored with `ENV`:
    /// - an `ARG` with a secret-like name, with or without a default (`ARG GITHUB_TOKEN`);
    /// - an `ENV` with a secret-like name and a literal value (`ENV DB_PASSWORD=hunter2`);
    /// - any `ARG` or `ENV` whose value is shaped like a credential, whatever its name: a URL
    ///   with `user:password@`, a `ghp_`/`glpat-`/`sk_live_`/`xoxb-`/`AKIA...` token, a PEM
    ///   private key.
    ///
    /// Names are split into tokens at `_`, `-`, `.` and camelCase boundaries. A name is
    /// secret-like when a token is `password`, `passwd`, `passphrase`, `pass`, `pwd`, `pword`,
    /// `secret`, `token`, `apikey`, `credential(s)` or a compound ending in one of them
    /// (`LDAP_ROOTPASS`, `ACCESSTOKEN`, but not `BYPASS` or `COMPASS`); when two tokens form a
    /// secret key (`API_KEY`, `PRIVATE_KEY`, `SECRET_KEY`, `ACCESS_KEY`, `LICENSE_KEY`,
    /// `APP_KEY`, `SSH_KEY`, `CLIENT_SECRET`, ...); or when the last token is `auth`
    /// (`NPM_AUTH`). It is not secret-like when a token after the secret one says where the
    /// secret lives or how it is handled (`*_FILE`, `*_PATH`, `*_DIR`, `*_URL`, `*_HOST`,
    /// `*_USER`, `*_ID`, `*_NAME`, `*_ALIAS`, `*_VERSION`, `*_MODE`, `*_METHOD`, `*_TYPE`,
    /// `*_LENGTH`, `*_TTL`, `*_TIMEOUT`, `*_HASH`, `*_PROMPT*`, `*_ENABLED`, `*_REQUIRED`, and
    /// the like), when a token says the value is public (`NEXT_PUBLIC_API_KEY`), and for `PWD`
    /// and `GOOGLE_APPLICATION_CREDENTIALS` (a path). `USERNAME`, `GPG_KEY`, `*_SIGNING_KEY`
    /// and `AUTH_*` namespaces (`GF_AUTH_ANONYMOUS_ENABLED`) are not secrets. The tables live
    /// in `src/knowledge/secrets.rs`.
    ///
    /// Not reported: an `ENV` whose value is empty, only a variable reference (`${TOKEN}`: the
    /// `ARG` it copies is reported instead), a path (`/run/secrets/db`), a boolean, a number or
    /// the name of an authentication scheme (`htpasswd`, `bearer`); an `ARG` whose default is
    /// one of these.
    ///
    /// Unlike BuildKit's `SecretsUsedInArgOrEnv` and hadolint, an `ENV` with a secret-like name
    /// but no literal value does not fire, and the exceptions go well beyond `_FILE`,
    /// `_VERSION` and `PUBLIC`, which is where most of BuildKit's noise comes from
    /// (moby/buildkit#5775). Unlike the earlier reading of this rule, an `ARG` fires without a
    /// default: its value is supplied with `--build-arg` and recorded all the same.
    ///
    /// ## Why is this bad?
    /// `ENV` values are stored in the image config: anyone who can pull the image reads them
    /// with `docker inspect`. Build arguments are recorded in the image history of every `RUN`
    /// that sees them (`docker history` shows `|1 GITHUB_TOKEN=ghp_... /bin/sh -c ...`), in
    /// the build cache and in provenance attestations, whether the value came from a default
    /// or from `--build-arg`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ARG GITHUB_TOKEN
    /// RUN git clone https://$GITHUB_TOKEN@github.com/acme/private.git
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// # syntax=docker/dockerfile:1
    /// FROM alpine:3.20
    /// RUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN \
    ///     git clone https://$GITHUB_TOKEN@github.com/acme/private.git
    /// ```
    ///
    /// ## Options
    /// ```toml
    /// [rules.DL3064]
    /// # whole names, any case, beyond the token rules
    /// secret-names = ["ACME_CRED"]
    /// # whole names that hold no secret, whatever their tokens say
    /// not-secret-names = ["SESSION_TOKEN_TTL_HINT"]
    /// ```
    pub static RULE = Rule {
        code: "DL3064",
        name: "secret-in-arg-or-env",
        category: Category::Security,
        summary: "a secret is stored in ARG or ENV",
        aliases: &["SecretsUsedInArgOrEnv"],
        options: options::<SecretNames>(),
        check: Check::Dockerfile(check),
    };
}

/// Options of DL3064: whole names to add to, or take out of, the secret-like names the token
/// rules find.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SecretNames {
    /// Whole variable names (any case) that hold a secret, such as `ACME_CRED`.
    #[serde(deserialize_with = "word_list::<_, Names>")]
    pub secret_names: Vec<String>,
    /// Whole variable names (any case) that hold no secret, whatever their tokens say.
    #[serde(deserialize_with = "word_list::<_, Names>")]
    pub not_secret_names: Vec<String>,
}

/// The words of this rule's list option.
struct Names;

impl WordKind for Names {
    const WHAT: &'static str = "variable name";
    const LOWERCASE: bool = false;
}

const HELP: &str = "pass secrets with `RUN --mount=type=secret` or at run time, never in the image";

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let settings = ctx.options::<SecretNames>();
    let extra = ExtraNames {
        secret: &settings.secret_names,
        not_secret: &settings.not_secret_names,
    };
    for ins in ctx.file.iter_with_onbuild() {
        let (what, kvs): (&str, &Vec<KeyValue>) = match &ins.body {
            Body::Arg(kvs) => ("ARG", kvs),
            Body::Env(kvs) => ("ENV", kvs),
            _ => continue,
        };
        for kv in kvs {
            let name = &kv.key.value;
            let value = kv.value.as_ref().map(|w| w.value.as_str());
            if let Some(w) = &kv.value
                && let Some(shape) = credential_in_value(&w.value)
            {
                ctx.report(w.span, format!("{what} `{name}` holds {shape}"))
                    .help(HELP);
                continue;
            }
            if !is_secret_name_with(name, extra) || value.is_some_and(is_inert_literal) {
                continue;
            }
            let literal = value.is_some_and(|v| !v.trim().is_empty() && !is_variable_reference(v));
            let message = match (what, literal) {
                (_, true) => format!("{what} `{name}` holds a literal secret"),
                ("ARG", false) => format!("ARG `{name}` passes a secret as a build argument"),
                _ => continue,
            };
            let help = if what == "ARG" {
                format!(
                    "build arguments are recorded in the image history: mount the secret where \
                     it is used, `RUN --mount=type=secret,id={},env={name} ...`",
                    name.to_ascii_lowercase()
                )
            } else {
                HELP.to_string()
            };
            ctx.report(kv.span, message).help(help);
        }
    }
}
