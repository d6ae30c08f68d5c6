use crate::compose::{ComposeFile, EnvVar};
use crate::declare_rule;
use crate::knowledge::secrets::{
    ExtraNames, credential_in_value, is_inert_literal, is_secret_name_with,
};
use crate::rule::{Category, Check, Context};
use crate::rules::dockerfile::dl3064_secret_in_arg_or_env::SecretNames;
use crate::settings::options_of;

declare_rule! {
    /// ## What it does
    /// Reports a secret written into a compose file, in a service's `environment`,
    /// `build.args` or `labels`:
    /// - a variable with a secret-like name and a literal value (`DB_PASSWORD: hunter2`);
    /// - any variable whose value is shaped like a credential, whatever its name: a URL with
    ///   `user:password@`, a `ghp_`/`glpat-`/`sk_live_`/`xoxb-`/`AKIA...` token, a PEM
    ///   private key.
    ///
    /// Secret-like names are those of DL3064 (the same tables, in `src/knowledge/secrets.rs`):
    /// `*_PASSWORD`, `*_TOKEN`, `*_SECRET`, `API_KEY`, ..., but not `*_FILE`, `*_USER`,
    /// `*_URL` and the other names that describe a secret instead of holding it. Not
    /// reported: a value taken from the environment (`${DB_PASSWORD}`, `${DB_PASSWORD:?set
    /// it}`, also with a default), an empty value, a variable without a value (`- API_KEY`,
    /// passed through from the shell), a path, a boolean, a number or the name of an
    /// authentication scheme (`REGISTRY_AUTH=htpasswd`).
    ///
    /// ## Why is this bad?
    /// Compose files are committed: the secret is in the repository's history for everyone
    /// who can read it, and it cannot be rotated without a commit. Values in `environment`
    /// are also shown by `docker inspect`, and build arguments are recorded in the image.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     environment:
    ///       POSTGRES_PASSWORD: hunter2
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16
    ///     environment:
    ///       POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    ///     secrets:
    ///       - db_password
    /// secrets:
    ///   db_password:
    ///     file: ./db_password.txt
    /// ```
    ///
    /// ## Options
    /// Set under DL3064, which reads the same names in Dockerfiles:
    /// ```toml
    /// [rules.DL3064]
    /// secret-names = ["ACME_CRED"]
    /// not-secret-names = ["SESSION_TOKEN_TTL_HINT"]
    /// ```
    pub static RULE = Rule {
        code: "DC007",
        name: "hardcoded-secret",
        category: Category::Security,
        summary: "a secret is written in `environment`, `build.args` or `labels`",
        options: options_of::<SecretNames>("DL3064"),
        check: Check::Compose(check),
    };
}

fn check(ctx: &mut Context<'_, ComposeFile>) {
    let names = ctx.options::<SecretNames>();
    let extra = ExtraNames {
        secret: &names.secret_names,
        not_secret: &names.not_secret_names,
    };
    let mut seen = Vec::new();
    for service in ctx.file.services() {
        let args = service.build().map(|b| b.args()).unwrap_or_default();
        let groups: [(&str, Vec<EnvVar>); 3] = [
            ("environment", service.environment()),
            ("build.args", args),
            ("labels", service.labels()),
        ];
        for (section, vars) in groups {
            for var in vars {
                let Some(value) = var.value else { continue };
                // A value shared through an anchor is reported once, where it is written.
                if seen.contains(&value.span) {
                    continue;
                }
                let v = value.value;
                let what = match credential_in_value(v) {
                    Some(shape) => shape,
                    None if is_secret_name_with(var.key, extra)
                        && !v.trim().is_empty()
                        && !value.is_interpolated()
                        && !is_inert_literal(v) =>
                    {
                        "a literal secret"
                    }
                    None => continue,
                };
                seen.push(value.span);
                ctx.report(value.span, format!("`{}` holds {what}", var.key))
                    .help(format!(
                        "read it from the environment (`${{VARIABLE}}`) or use a compose \
                         secret; values under `{section}` are committed with the file"
                    ));
            }
        }
    }
}
