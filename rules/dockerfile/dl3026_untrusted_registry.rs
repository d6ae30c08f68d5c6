use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::dockerfile::{Base, Dockerfile, ImageRef, Kind};
use crate::knowledge::images;
use crate::rule::{Category, Check, Context};
use crate::settings::{WordKind, options, word_list};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

declare_rule! {
    /// ## What it does
    /// Reports images pulled from a registry that is not in the list of trusted registries:
    /// the image of `FROM`, of `COPY --from=<image>` and of `RUN --mount=from=<image>`.
    /// An image without a registry (`alpine:3.20`) comes from `docker.io`. Earlier stages and
    /// `scratch` are not images and are never reported. The rule does nothing until trusted
    /// registries are configured.
    ///
    /// ## Why is this bad?
    /// An image is code that runs in your build and your containers. Organisations that mirror
    /// or vet images want every Dockerfile to pull only from those registries; one `FROM`
    /// that slips past the mirror bypasses the vetting, and breaks builds in networks that
    /// only reach the mirror.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM quay.io/prometheus/busybox:latest
    /// COPY --from=alpine:3.20 /etc/ssl/certs/ /etc/ssl/certs/
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM ghcr.io/acme/busybox:1.36
    /// COPY --from=registry.corp.example/alpine:3.20 /etc/ssl/certs/ /etc/ssl/certs/
    /// ```
    ///
    /// ## Options
    /// ```toml
    /// [rules.DL3026]
    /// trusted-registries = ["ghcr.io", "*.corp.example"]
    /// ```
    /// hadolint's `trustedRegistries` and `HADOLINT_TRUSTED_REGISTRIES` set the same list.
    pub static RULE = Rule {
        code: "DL3026",
        name: "untrusted-registry",
        category: Category::Security,
        severity: Some(Severity::Error),
        summary: "an image comes from a registry that is not trusted",
        options: options::<TrustedRegistries>(),
        check: Check::Dockerfile(check),
    };
}

/// Options of DL3026.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct TrustedRegistries {
    /// Registries images may come from. `*` matches any run of characters (`*.corp.example`,
    /// `ghcr.io*`, `*`). Images without a registry (`alpine:3.20`) come from `docker.io`;
    /// `docker.io`, `index.docker.io`, `registry-1.docker.io` and `hub.docker.com` are one.
    /// DL3026 reports nothing while the list is empty.
    #[serde(deserialize_with = "word_list::<_, Registries>")]
    pub trusted_registries: Vec<String>,
}

/// The words of this rule's list option.
struct Registries;

impl WordKind for Registries {
    const WHAT: &'static str = "registry";
    const LOWERCASE: bool = true;
}

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let trusted = &ctx.options::<TrustedRegistries>().trusted_registries;
    if trusted.is_empty() {
        return;
    }
    let df = ctx.file;
    let mut findings: Vec<(ImageRef, &str)> = Vec::new();
    for stage in &df.model.stages {
        let r = &stage.reference;
        // A registry that comes from an unknown variable cannot be judged.
        let written_registry = stage.image.split('/').next().unwrap_or("");
        if stage.base == Base::Image && !(r.unresolved && written_registry.contains('$')) {
            findings.push((r.clone(), "FROM"));
        }
    }
    for (idx, ins) in df.instructions.iter().enumerate() {
        let expand = |raw: &str| df.model.expand_at(idx, raw, df.escape);
        match ins.kind {
            Kind::Copy => {
                if let Some(w) = ins.flag("from").and_then(|f| f.value.as_ref()) {
                    let e = expand(&w.raw);
                    if !e.unresolved && df.model.stage_ref(&e.value, idx).is_none() {
                        findings.push((ImageRef::from_word(w, &e.value, false), "COPY --from"));
                    }
                }
            }
            Kind::Run => {
                for mount in ins.mounts() {
                    let Some(from) = mount.part("from").filter(|p| !p.value.is_empty()) else {
                        continue;
                    };
                    let e = expand(&from.value);
                    if !e.unresolved && df.model.stage_ref(&e.value, idx).is_none() {
                        findings.push((ImageRef::parse(&e.value, from.value_span), "RUN --mount"));
                    }
                }
            }
            _ => {}
        }
    }
    for (image, what) in findings {
        let registry = image.domain();
        if is_trusted(&registry, trusted) {
            continue;
        }
        ctx.report(
            image.span,
            format!("{what} uses registry `{registry}`, which is not trusted"),
        )
        .help(format!("trusted registries: {}", trusted.join(", ")));
    }
}

fn is_trusted(registry: &str, trusted: &[String]) -> bool {
    let candidates: &[&str] = if images::is_docker_hub_alias(registry) {
        images::DOCKER_HUB_ALIASES
    } else {
        std::slice::from_ref(&registry)
    };
    // The patterns are lowercased when the options are read.
    trusted
        .iter()
        .any(|pattern| candidates.iter().any(|c| images::name_matches(pattern, c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(is_trusted("quay.io", &["*".into()]));
        assert!(is_trusted("registry.corp.example", &["*.corp.example".into()]));
        assert!(!is_trusted("corp.example", &["*.corp.example".into()]));
        assert!(is_trusted("ghcr.io", &["ghcr.io*".into()]));
        assert!(is_trusted("docker.io", &["hub.docker.com".into()]));
    }
}
