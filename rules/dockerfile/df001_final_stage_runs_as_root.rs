use crate::declare_rule;
use crate::dockerfile::{Base, Dockerfile, Kind};
use crate::knowledge::images;
use crate::rule::{Category, Check, Context};
use crate::settings::{WordKind, options, word_list};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

declare_rule! {
    /// ## What it does
    /// Checks that the final stage of a Dockerfile, or a stage it builds on through
    /// `FROM <earlier stage>`, sets a `USER`, unless its base image already runs as a
    /// non-root user.
    ///
    /// Not reported:
    /// - a final stage built on a base image that runs as a non-root user by default. The
    ///   image is resolved through the global `ARG` defaults (`ARG BASE=...` + `FROM $BASE`
    ///   counts as the image it names). wharf knows distroless `:nonroot` and
    ///   `:debug-nonroot`, .NET `-chiseled` and Azure Linux `-distroless` images, Chainguard
    ///   (`cgr.dev/chainguard/*`), `nginxinc/nginx-unprivileged`, `grafana/grafana`, Bitnami
    ///   images (not `bitnami/minideb`), Windows Nano Server (its `ContainerUser` is not an
    ///   administrator), Red Hat's OpenJDK images, `mcr.microsoft.com/mssql/server`,
    ///   Elasticsearch and `jenkins/jenkins`, and any name or tag holding `nonroot`,
    ///   `non-root`, `rootless` or `unprivileged`.
    /// - an export-only image: a final stage built on `scratch` with no `CMD` or `ENTRYPOINT`
    ///   anywhere in its chain runs nothing (it is a set of files for `--output` or
    ///   `COPY --from`).
    /// - by default, an image that does not say what it runs: a final stage chain with no
    ///   `CMD`, `ENTRYPOINT` or `EXPOSE`. Such a Dockerfile builds a base or tool image whose
    ///   user is decided by the image built on it, or by `docker run --user`; on the corpus
    ///   these are half of the Dockerfiles. `scope = "all"` reports them too.
    ///
    /// Unlike hadolint's DL3002, this rule looks at the final image only, and at what its
    /// base image does.
    ///
    /// ## Why is this bad?
    /// Without a `USER` instruction the container runs as root. A process that escapes the
    /// container, or a bug in the application, then has root's rights over the container's
    /// files and any mounted volume.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py /app/
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN useradd --create-home app
    /// COPY app.py /app/
    /// USER app
    /// CMD ["python", "/app/app.py"]
    /// ```
    ///
    /// ## Options
    /// Base images of your own that already run as a non-root user, added to wharf's list,
    /// and which final stages to check:
    /// ```toml
    /// [rules.DF001]
    /// non-root-images = ["myorg/base*", "ghcr.io/acme/app:*-nonroot"]
    /// scope = "runnable"
    /// ```
    /// Names are written as Docker Hub shortens them (`myorg/base`, not
    /// `docker.io/myorg/base`); `*` matches any run of characters; a `:tag` part narrows the
    /// match to those tags.
    pub static RULE = Rule {
        code: "DF001",
        name: "final-stage-runs-as-root",
        category: Category::Security,
        summary: "the final image runs as root (no USER, and a base image that runs as root)",
        options: options::<NonRootImages>(),
        check: Check::Dockerfile(check),
    };
}

/// Options of DF001.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct NonRootImages {
    /// Base images that already run as a non-root user, beyond wharf's own list: names as
    /// Docker Hub shortens them (`myorg/base`, `ghcr.io/acme/app`), `*` as a wildcard, with an
    /// optional tag (`acme/app:*-safe`).
    #[serde(deserialize_with = "word_list::<_, ImagePatterns>")]
    pub non_root_images: Vec<String>,
    /// Which final stages must set a non-root `USER`: `runnable` (those whose chain declares
    /// `CMD`, `ENTRYPOINT` or `EXPOSE`) or `all`.
    pub scope: Scope,
}

/// Which final stages DF001 checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Images that say what they run: `CMD`, `ENTRYPOINT` or `EXPOSE` in the final chain.
    #[default]
    Runnable,
    /// Every final stage, whatever it is for.
    All,
}

/// The words of this rule's list option.
struct ImagePatterns;

impl WordKind for ImagePatterns {
    const WHAT: &'static str = "image pattern";
    const LOWERCASE: bool = true;
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let df = ctx.file;
    let Some((stage, end)) = df.model.final_stage_state() else {
        return;
    };
    if end.user.is_some() {
        return;
    }
    let Some(root) = df.model.root_of(stage.index) else {
        return;
    };
    let declares = |kinds: &[Kind]| {
        df.model
            .ancestry(stage.index)
            .any(|s| df.stage_instructions(s).any(|(_, i)| kinds.contains(&i.kind)))
    };
    let options = ctx.options::<NonRootImages>();
    let non_root = match root.base {
        Base::Scratch => !declares(&[Kind::Cmd, Kind::Entrypoint]),
        _ => {
            images::runs_as_non_root(&root.reference, &options.non_root_images)
                || (root.reference.unresolved && images::says_non_root(&root.image))
        }
    };
    let runnable = declares(&[Kind::Cmd, Kind::Entrypoint, Kind::Expose]);
    if non_root || (options.scope == Scope::Runnable && !runnable) {
        return;
    }
    if let Some(span) = df.from_line_span(stage, &ctx.source.text) {
        ctx.report(span, "the final stage runs as root")
            .help("add a `USER` instruction with a non-root user before `CMD`/`ENTRYPOINT`");
    }
}
