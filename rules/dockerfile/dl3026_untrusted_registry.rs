use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::dockerfile::{Body, Dockerfile, Kind, Word};
use crate::rule::{Category, Check, Context};
use crate::settings::{checked_string, options};
use crate::source::Span;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

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
    #[serde(deserialize_with = "registries")]
    pub trusted_registries: Vec<String>,
}

/// A registry name or pattern: trimmed, lowercased, without spaces.
struct Registry(String);

impl<'de> Deserialize<'de> for Registry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        checked_string(d, |raw| {
            let v = raw.trim();
            if v.is_empty() || v.contains(char::is_whitespace) {
                return Err(format!("invalid registry `{v}`"));
            }
            Ok(Registry(v.to_ascii_lowercase()))
        })
    }
}

fn registries<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let mut out: Vec<String> = Vec::new();
    for Registry(r) in Vec::<Registry>::deserialize(d)? {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    Ok(out)
}

/// The names Docker Hub answers to.
const DOCKER_HUB: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "hub.docker.com",
];

fn check(ctx: &mut Context<'_, Dockerfile>) {
    let trusted = &ctx.options::<TrustedRegistries>().trusted_registries;
    if trusted.is_empty() {
        return;
    }
    let df = ctx.file;
    let mut findings: Vec<(Span, String, &str)> = Vec::new();
    for (idx, ins) in df.instructions.iter().enumerate() {
        match (&ins.body, ins.kind) {
            (Body::From(from), _) => {
                let image = &from.image;
                let is_stage = df.model.stage_named(&image.value, idx).is_some();
                if !is_stage && !image.value.eq_ignore_ascii_case("scratch") {
                    findings.push((image.span, image.value.clone(), "FROM"));
                }
            }
            (_, Kind::Copy) => {
                if let Some(w) = ins.flag("from").and_then(|f| f.value.as_ref())
                    && !names_stage(df, &w.value)
                {
                    findings.push((w.span, w.value.clone(), "COPY --from"));
                }
            }
            (_, Kind::Run) => {
                for flag in ins.flags.iter().filter(|f| f.name == "mount") {
                    let Some(word) = &flag.value else { continue };
                    if let Some((span, image)) = mount_from(word)
                        && !names_stage(df, &image)
                    {
                        findings.push((span, image, "RUN --mount"));
                    }
                }
            }
            _ => {}
        }
    }
    for (span, image, what) in findings {
        let Some(registry) = registry_of(&image) else {
            continue;
        };
        if is_trusted(&registry, trusted) {
            continue;
        }
        ctx.report(
            span,
            format!("{what} uses registry `{registry}`, which is not trusted"),
        )
        .help(format!("trusted registries: {}", trusted.join(", ")));
    }
}

/// True when a `--from` value names a stage (by name or index) rather than an image.
fn names_stage(df: &Dockerfile, from: &str) -> bool {
    from.parse::<usize>().is_ok()
        || df.model.stages.iter().any(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(from))
        })
}

/// The `from=` value of a `--mount` flag and its span (the whole flag value when quoting
/// makes the exact place unknown).
fn mount_from(word: &Word) -> Option<(Span, String)> {
    let mut offset = 0;
    for part in word.value.split(',') {
        let start = offset;
        offset += part.len() + 1;
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        if !key.trim().eq_ignore_ascii_case("from") {
            continue;
        }
        let value = value.trim().trim_matches('"');
        if value.is_empty() {
            return None;
        }
        let span = if word.raw == word.value {
            let at = start + part.find(value).unwrap_or(0);
            Span::from_range(
                word.span.start as usize + at..word.span.start as usize + at + value.len(),
            )
        } else {
            word.span
        };
        return Some((span, value.to_string()));
    }
    None
}

/// The registry an image reference pulls from, lowercased; `None` when a variable makes it
/// unknowable.
fn registry_of(image: &str) -> Option<String> {
    let first = match image.split_once('/') {
        Some((first, _)) => first,
        None => return (!image.starts_with('$')).then(|| "docker.io".to_string()),
    };
    if first.contains('$') {
        return None;
    }
    if first.contains('.') || first.contains(':') || first == "localhost" {
        Some(first.to_ascii_lowercase())
    } else {
        Some("docker.io".to_string())
    }
}

fn is_trusted(registry: &str, trusted: &[String]) -> bool {
    let candidates: &[&str] = if DOCKER_HUB.contains(&registry) {
        DOCKER_HUB
    } else {
        std::slice::from_ref(&registry)
    };
    trusted.iter().any(|pattern| {
        let p = pattern.to_ascii_lowercase();
        candidates.iter().any(|c| wildcard_match(&p, c))
    })
}

/// `*` matches any run of characters; everything else matches itself.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registries() {
        assert_eq!(registry_of("alpine").as_deref(), Some("docker.io"));
        assert_eq!(
            registry_of("library/alpine:3").as_deref(),
            Some("docker.io")
        );
        assert_eq!(registry_of("ghcr.io/a/b:1").as_deref(), Some("ghcr.io"));
        assert_eq!(
            registry_of("localhost:5000/a").as_deref(),
            Some("localhost:5000")
        );
        assert_eq!(registry_of("${REG}/a"), None);
        assert_eq!(registry_of("$IMAGE"), None);
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*", "quay.io"));
        assert!(wildcard_match("*.corp.example", "registry.corp.example"));
        assert!(!wildcard_match("*.corp.example", "corp.example"));
        assert!(wildcard_match("ghcr.io*", "ghcr.io"));
        assert!(wildcard_match("a*b*c", "axxbyyc"));
        assert!(!wildcard_match("a*b*c", "ac"));
        assert!(is_trusted("docker.io", &["hub.docker.com".into()]));
    }
}
